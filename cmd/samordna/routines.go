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

const routineUsage = `Usage: samordna routine <upload|list|default|deadline|deadlines> [flags]

  upload   --file F.yaml   validate a routine document and store it as a new version
                           (its version must be higher than the loaded ones); problems
                           are printed with their line numbers and nothing is stored
  list                     the routines with their versions and number of steps
  default  --id ID         the routine new concerns follow when they name none
  deadline --id ID --step STEP --deadline P1W [--working-days] [--note TEXT]
                           adopt or change, as a new version, the deadline of a step the
                           routine gives none ("Lokal frist"); new tasks follow it. Without
                           --id, --step is a limit: immediate_grace or acute_acknowledge
                           (--deadline PT1H or PT30M)
  deadlines                the adoptable deadlines: proposed, or adopted (version, date)

Cases keep the routine version they started under; new cases follow the newest.
See pathway.Parse for the document format and routines/ for examples.`

// routineSubcommands are the subcommands of "samordna routine".
var routineSubcommands = []string{"upload", "list", "default", "deadline", "deadlines"}

func (m *Main) runRoutine(ctx context.Context, args []string) error {
	fs := m.newFlagSet("routine", routineUsage)
	dsn := m.dbFlag(fs)
	file := fs.String("file", "", "the routine document (upload)")
	id := fs.String("id", "", "the routine's id (default, deadline)")
	step := fs.String("step", "", "the step's id, or a limit (deadline)")
	deadline := fs.String("deadline", "", "the deadline: P5D, P1W, P1M, P3M/P6M, immediately; a limit PT1H (deadline)")
	workingDays := fs.Bool("working-days", false, "count the deadline's days in working days (deadline)")
	note := fs.String("note", "", "why: the decision that adopted it (deadline)")
	sub, err := m.subcommand(fs, routineSubcommands, args)
	if err != nil {
		return err
	}
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	switch {
	case sub == "upload" && *file == "":
		return usageError("routine upload: --file is required")
	case sub == "default" && *id == "":
		return usageError("routine default: --id is required")
	case sub == "deadline" && (*step == "" || *deadline == ""):
		return usageError("routine deadline: --step and --deadline are required")
	}
	a, done, err := m.openApp(ctx, *dsn)
	if err != nil {
		return err
	}
	defer done()
	switch sub {
	case "upload":
		return m.uploadRoutine(ctx, a, *file)
	case "default":
		if err := a.SetDefaultRoutine(ctx, cliActor(), *id); err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "new concerns follow %s when they name no routine\n", *id)
		return nil
	case "deadline":
		d, err := a.AdoptDeadline(ctx, cliActor(), app.DeadlineChange{RoutineID: *id, StepID: *step,
			Deadline: *deadline, WorkingDays: *workingDays, Note: *note})
		if err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "adopted %s/%s version %d: %s\n", d.RoutineID, d.StepID, d.Version, d.Deadline)
		return nil
	case "deadlines":
		return m.listDeadlines(ctx, a)
	}
	return m.listRoutines(ctx, a)
}

// listDeadlines prints the adoptable deadlines and the version in force.
func (m *Main) listDeadlines(ctx context.Context, a *app.App) error {
	rows, err := a.MunicipalDeadlines(ctx, cliActor())
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(m.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ROUTINE\tSTEP\tPROPOSED\tIN FORCE\tVERSION\tADOPTED")
	for _, r := range rows {
		force, version, adopted := r.Proposed+" (proposed)", "-", "-"
		if c := r.Current; c != nil {
			force, version, adopted = c.Deadline, fmt.Sprint(c.Version), c.AdoptedAt.Format("2006-01-02")
			if c.WorkingDays {
				force += " working days"
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.RoutineID, r.StepID, r.Proposed, force, version, adopted)
	}
	return tw.Flush()
}

// uploadRoutine validates and stores a routine document, printing each
// problem as file:line: message.
func (m *Main) uploadRoutine(ctx context.Context, a *app.App, file string) error {
	doc, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	r, err := a.UploadRoutine(ctx, cliActor(), file, doc)
	var rerr *app.RoutineError
	if errors.As(err, &rerr) {
		for _, p := range rerr.Problems {
			fmt.Fprintf(m.Stderr, "%s:%d: %s\n", file, p.Line, p.Message)
		}
		return fmt.Errorf("%s: %d problem(s); nothing was stored", file, len(rerr.Problems))
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "stored %s version %d (%d steps): %s\n", r.ID, r.Version, len(r.Steps), r.Name)
	return nil
}

// listRoutines prints the routines with their versions.
func (m *Main) listRoutines(ctx context.Context, a *app.App) error {
	all, err := a.ListRoutines(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(m.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tVERSION\tVERSIONS\tSTEPS\tNAME")
	for _, r := range all {
		var versions []string
		for _, v := range a.RoutineVersions(r.ID) {
			versions = append(versions, fmt.Sprint(v))
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%d\t%s\n", r.ID, r.Version, strings.Join(versions, ","), len(r.Steps), r.Name)
	}
	return tw.Flush()
}
