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

const routineUsage = `Usage: samordna routine <upload|list|default> [flags]

  upload   --file F.yaml   validate a routine document and store it as a new version
                           (its version must be higher than the loaded ones); problems
                           are printed with their line numbers and nothing is stored
  list                     the routines with their versions and number of steps
  default  --id ID         the routine new concerns follow when they name none

Cases keep the routine version they started under; new cases follow the newest.
See pathway.Parse for the document format and routines/ for examples.`

// routineSubcommands are the subcommands of "samordna routine".
var routineSubcommands = []string{"upload", "list", "default"}

func (m *Main) runRoutine(ctx context.Context, args []string) error {
	fs := m.newFlagSet("routine", routineUsage)
	dsn := m.dbFlag(fs)
	file := fs.String("file", "", "the routine document (upload)")
	id := fs.String("id", "", "the routine's id (default)")
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
	}
	return m.listRoutines(ctx, a)
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
