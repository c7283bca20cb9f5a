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

const mainUsage = `Samordna coordinates a municipality's services around children, families
and adults with long-term, complex needs.

Usage: samordna <command> [flags]

Commands:
  serve     run the web server and the JSON API
  demo      create a fresh demo municipality ("Demo kommune") and serve it
  migrate   bring the database schema up to date
  user      manage users: create, list, disable, enable, set-password, grant-role
  token     manage personal access tokens for the API: create, revoke
  audit     check the audit trail: verify
  routine   manage the routines: upload, list, default, deadline, deadlines

Every command takes --db (env SAMORDNA_DB): a SQLite file path (default
samordna.db) or a postgres:// URL. Run "samordna <command> --help" for more.
`

// Run runs the command line args.
func (m *Main) Run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(m.Stderr, mainUsage)
		return usageError("no command given")
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return m.runServe(ctx, rest)
	case "demo":
		return m.runDemo(ctx, rest)
	case "migrate":
		return m.runMigrate(ctx, rest)
	case "user":
		return m.runUser(ctx, rest)
	case "token":
		return m.runToken(ctx, rest)
	case "audit":
		return m.runAudit(ctx, rest)
	case "routine":
		return m.runRoutine(ctx, rest)
	case "help", "-h", "--help", "-help":
		fmt.Fprint(m.Stdout, mainUsage)
		return nil
	}
	fmt.Fprint(m.Stderr, mainUsage)
	return usageError("unknown command %q", cmd)
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

// dbFlag adds --db with its environment fallback.
func (m *Main) dbFlag(fs *flag.FlagSet) *string {
	return fs.String("db", m.env("SAMORDNA_DB", "samordna.db"),
		"database: SQLite file path or postgres:// URL (env SAMORDNA_DB)")
}
