package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/samordna/samordna/app"
)

const importUsage = `Usage: samordna import --kind services|employees --file F.csv [--apply]

Reads a CSV file as Norwegian Excel writes it (semicolons between the cells,
UTF-8 with or without a byte order mark, or Windows-1252) and prints what
it would do, line by line: create, update, unchanged or refused (with the
reason). Without --apply nothing is changed (a dry run). With --apply the
whole file is imported in one transaction, or, if any line is refused,
nothing at all. A service or employee is recognised again by its external
id (ekstern_id), so importing a file anew updates instead of duplicating.
The columns are described in docs/IMPORT.md:

  services:  ekstern_id;navn;type;krets;leder
  employees: ekstern_id;navn;brukernavn;epost;tjeneste;roller`

func (m *Main) runImport(ctx context.Context, args []string) error {
	fs := m.newFlagSet("import", importUsage)
	dsn := m.dbFlag(fs)
	kind := fs.String("kind", "", "what the file holds: services or employees")
	file := fs.String("file", "", "the CSV file")
	apply := fs.Bool("apply", false, "import the file (without it: a dry run that changes nothing)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *kind != string(app.ImportServices) && *kind != string(app.ImportEmployees) {
		return usageError("import: --kind must be services or employees")
	}
	if *file == "" {
		return usageError("import: --file is required")
	}
	data, err := os.ReadFile(*file)
	if err != nil {
		return err
	}
	a, done, err := m.openApp(ctx, *dsn)
	if err != nil {
		return err
	}
	defer done()
	run := a.PlanImport
	if *apply {
		run = a.ApplyImport
	}
	plan, err := run(ctx, cliActor(), app.ImportKind(*kind), data)
	if plan != nil {
		if perr := m.printImportPlan(plan); perr != nil {
			return perr
		}
	}
	switch {
	case errors.Is(err, app.ErrImportRefused):
		return fmt.Errorf("%s: %d line(s) refused; nothing was imported", *file, plan.Refused)
	case err != nil:
		return fmt.Errorf("%s: %w", *file, err)
	case *apply:
		fmt.Fprintf(m.Stdout, "imported: %d created, %d updated, %d unchanged\n", plan.Created, plan.Updated, plan.Unchanged)
	case plan.OK():
		fmt.Fprintf(m.Stdout, "dry run: %d to create, %d to update, %d unchanged; run again with --apply to import\n",
			plan.Created, plan.Updated, plan.Unchanged)
	default:
		fmt.Fprintf(m.Stdout, "dry run: %d line(s) refused; correct them before importing\n", plan.Refused)
	}
	return nil
}

// printImportPlan prints the plan as a table: line, action, what, and the
// changed fields or the reason for a refusal.
func (m *Main) printImportPlan(plan *app.ImportPlan) error {
	tw := tabwriter.NewWriter(m.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "LINE\tACTION\tWHAT\tNOTE")
	for _, l := range plan.Lines {
		note := strings.Join(l.Changes, ",")
		if l.Reason != "" {
			note = l.Reason
			if l.Value != "" {
				note += ": " + l.Value
			}
			if l.Person != "" {
				note += " (" + l.Person + ")"
			}
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", l.Line, l.Action, l.What, note)
	}
	return tw.Flush()
}
