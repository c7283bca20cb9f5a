// Command samordna is the whole of Samordna in one binary: the web server,
// the demo, migrations and the administrator's tools.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := NewMain()
	if err := m.Run(ctx, os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "samordna:", err)
		os.Exit(exitCode(err))
	}
}

// exitError carries a specific exit code (e.g. 2 for usage errors).
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func exitCode(err error) int {
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return 1
}

func usageError(format string, args ...any) error {
	return &exitError{code: 2, err: fmt.Errorf(format, args...)}
}

// Main is the program with its outside world made explicit, so tests can
// run it for real.
type Main struct {
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
	// Ready, when set, is called with the server's address once it listens.
	Ready func(addr string)
}

// NewMain returns a Main wired to the process.
func NewMain() *Main {
	return &Main{Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
}

// command is one of samordna's commands.
type command struct {
	name    string
	summary string
	// subcommands, for a command that has them (also listed in --help).
	subcommands []string
	run         func(m *Main, ctx context.Context, args []string) error
}

// commands are samordna's commands, in the order --help lists them. A new
// command is one more line here and a run method in a file of its own.
var commands = []command{
	{"serve", "run the web server and the JSON API", nil, (*Main).runServe},
	{"demo", `create a fresh demo municipality ("Demo kommune") and serve it`, nil, (*Main).runDemo},
	{"init", "set up an empty database for a municipality and print its administrator's sign-in link", nil, (*Main).runInit},
	{"migrate", "bring the database schema up to date", nil, (*Main).runMigrate},
	{"user", "manage users", userSubcommands, (*Main).runUser},
	{"token", "manage personal access tokens for the API", tokenSubcommands, (*Main).runToken},
	{"scim", "provisioning from the municipality's directory (SCIM 2.0)", scimSubcommands, (*Main).runSCIM},
	{"audit", "check the audit trail and make its key", auditSubcommands, (*Main).runAudit},
	{"routine", "manage the routines", routineSubcommands, (*Main).runRoutine},
	{"import", "import services or employees from a CSV file (dry run unless --apply)", nil, (*Main).runImport},
	{"backup", "write a consistent copy of the database while it runs", nil, (*Main).runBackup},
	{"restore", "bring a backup back, verify its audit trail and print the counts", nil, (*Main).runRestore},
}

// mainUsage is what "samordna --help" prints.
func mainUsage() string {
	var b strings.Builder
	b.WriteString(`Samordna coordinates a municipality's services around children, families
and adults with long-term, complex needs.

Usage: samordna <command> [flags]

Commands:
`)
	for _, c := range commands {
		summary := c.summary
		if len(c.subcommands) > 0 {
			summary += ": " + strings.Join(c.subcommands, ", ")
		}
		fmt.Fprintf(&b, "  %-9s %s\n", c.name, summary)
	}
	b.WriteString(`
Every command takes --db (env SAMORDNA_DB): a SQLite file path (default
samordna.db) or a postgres:// URL. Run "samordna <command> --help" for its
flags.
`)
	return b.String()
}

// commandNames lists the commands' names, for error messages.
func commandNames() string {
	var names []string
	for _, c := range commands {
		names = append(names, c.name)
	}
	return strings.Join(names, ", ")
}

// Run runs the command line args.
func (m *Main) Run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(m.Stderr, mainUsage())
		return usageError("no command given")
	}
	name, rest := args[0], args[1:]
	switch name {
	case "help", "-h", "--help", "-help":
		fmt.Fprint(m.Stdout, mainUsage())
		return nil
	}
	for _, c := range commands {
		if c.name == name {
			return c.run(m, ctx, rest)
		}
	}
	return usageError("unknown command %q; the commands are %s (samordna --help explains them)", name, commandNames())
}

// subcommand picks the subcommand of a command from args[0]. With no
// subcommand, or an unknown one, it prints fs's usage and returns a usage
// error naming the known ones; with --help it prints the usage and the flags
// and returns flag.ErrHelp.
func (m *Main) subcommand(fs *flag.FlagSet, subcommands, args []string) (string, error) {
	if len(args) == 0 {
		fs.Usage()
		return "", usageError("%s: give a subcommand: %s", fs.Name(), strings.Join(subcommands, ", "))
	}
	switch sub := args[0]; {
	case sub == "-h" || sub == "-help" || sub == "--help" || sub == "help":
		fs.Usage()
		return "", flag.ErrHelp
	case !slices.Contains(subcommands, sub):
		fs.Usage()
		return "", usageError("%s: unknown subcommand %q; the subcommands are %s", fs.Name(), sub,
			strings.Join(subcommands, ", "))
	default:
		return sub, nil
	}
}

// env returns the environment variable or the fallback.
func (m *Main) env(name, fallback string) string {
	if v := m.Getenv(name); v != "" {
		return v
	}
	return fallback
}

// newFlagSet makes a flag set whose help names the command and explains it.
func (m *Main) newFlagSet(name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(m.Stderr, "%s\nFlags:\n", usage)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args into fs and refuses anything left over: a word
// that is not a flag would otherwise stop the parsing and leave the flags
// after it silently unused.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("%s: unexpected argument %q (flags start with --)", fs.Name(), fs.Arg(0))
	}
	return nil
}

// dbFlag adds --db with its environment fallback.
func (m *Main) dbFlag(fs *flag.FlagSet) *string {
	return fs.String("db", m.env("SAMORDNA_DB", "samordna.db"),
		"database: SQLite file path or postgres:// URL (env SAMORDNA_DB)")
}
