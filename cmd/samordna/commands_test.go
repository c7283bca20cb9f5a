package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// runCLI runs the command line for real with the environment env and
// returns what it wrote to stdout and stderr together, and the error.
func runCLI(t *testing.T, env map[string]string, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	m := &Main{Stdout: &out, Stderr: &out, Getenv: func(k string) string { return env[k] }}
	err := m.Run(context.Background(), args)
	return out.String(), err
}

// helpOK tells whether err is what --help returns (main exits 0 on both).
func helpOK(err error) bool { return err == nil || errors.Is(err, flag.ErrHelp) }

// TestEveryCommandHelpShowsItsFlags: "samordna --help" names every command
// with its subcommands, and every command's and subcommand's --help prints
// its usage and its flags.
func TestEveryCommandHelpShowsItsFlags(t *testing.T) {
	out, err := runCLI(t, nil, "--help")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range commands {
		if !strings.Contains(out, "  "+c.name+" ") {
			t.Errorf("samordna --help does not list %s:\n%s", c.name, out)
		}
		for _, sub := range c.subcommands {
			if !strings.Contains(out, sub) {
				t.Errorf("samordna --help does not list %s %s", c.name, sub)
			}
		}
	}
	// Flags each command must show beyond --db.
	flags := map[string][]string{
		"serve":          {"-addr", "-base-url", "-log-level", "-smtp-url", "-smtp-starttls", "-mail-from", "-mail-dir"},
		"demo":           {"-addr", "-base-url", "-log-level", "-smtp-url", "-smtp-starttls", "-mail-from", "-mail-dir"},
		"user create":    {"-username", "-name", "-role", "-password-stdin"},
		"user list":      {},
		"user link":      {"-user", "-valid", "-base-url"},
		"init":           {"-municipality", "-number", "-admin", "-admin-name", "-base-url", "-valid"},
		"token create":   {"-user", "-name"},
		"token revoke":   {"-user", "-token"},
		"routine upload": {"-file"},
		"routine list":   {},
		"audit verify":   {"-audit-key", "-audit-checkpoints"},
		"audit key":      {"-out"},
		"backup":         {"-out"},
		"restore":        {"-from", "-force", "-audit-key"},
	}
	// Commands that open no database and so have no --db.
	noDB := map[string]bool{"audit key": true}
	for _, c := range commands {
		calls := [][]string{{c.name, "--help"}}
		for _, sub := range c.subcommands {
			calls = append(calls, []string{c.name, sub, "--help"}, []string{c.name, sub, "-h"})
		}
		for _, args := range calls {
			out, err := runCLI(t, nil, args...)
			if !helpOK(err) {
				t.Errorf("%v: %v", args, err)
			}
			name := strings.Join(args[:len(args)-1], " ")
			want := []string{"Usage: samordna " + c.name, "Flags:"}
			if !noDB[name] {
				want = append(want, "-db")
			}
			want = append(want, flags[name]...)
			for _, w := range want {
				if !strings.Contains(out, w) {
					t.Errorf("%v does not show %q:\n%s", args, w, out)
				}
			}
		}
	}
}

// TestUnknownCommandsSayWhich: an unknown command or subcommand, or a stray
// word among the flags, is a usage error (exit 2) that names it and lists
// what is known; nothing is opened or created.
func TestUnknownCommandsSayWhich(t *testing.T) {
	_, err := runCLI(t, nil, "nonsense")
	if exitCode(err) != 2 || !strings.Contains(err.Error(), `"nonsense"`) {
		t.Fatalf("unknown command: %v (exit %d)", err, exitCode(err))
	}
	for _, c := range commands {
		if !strings.Contains(err.Error(), c.name) {
			t.Errorf("the error does not list %s: %v", c.name, err)
		}
	}
	db := filepath.Join(t.TempDir(), "s.db")
	for _, c := range commands {
		if len(c.subcommands) == 0 {
			continue
		}
		_, err := runCLI(t, nil, c.name, "nonsense", "--db", db)
		if exitCode(err) != 2 || !strings.Contains(err.Error(), `unknown subcommand "nonsense"`) {
			t.Errorf("%s nonsense: %v (exit %d)", c.name, err, exitCode(err))
			continue
		}
		for _, sub := range c.subcommands {
			if !strings.Contains(err.Error(), sub) {
				t.Errorf("%s nonsense: the error does not list %s: %v", c.name, sub, err)
			}
		}
	}
	for _, args := range [][]string{
		{"migrate", "extra", "--db", db},
		{"user", "list", "extra", "--db", db},
		{"serve", "--db", db, "extra"},
	} {
		_, err := runCLI(t, nil, args...)
		if exitCode(err) != 2 || !strings.Contains(err.Error(), `unexpected argument "extra"`) {
			t.Errorf("%v: %v (exit %d)", args, err, exitCode(err))
		}
	}
	if _, err := os.Stat(db); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused command line created %s (%v)", db, err)
	}
}

// TestLogLevelRefusesUnknownValues: serve and demo refuse a --log-level (or
// SAMORDNA_LOG_LEVEL) they do not know, before touching the database.
func TestLogLevelRefusesUnknownValues(t *testing.T) {
	db := filepath.Join(t.TempDir(), "s.db")
	for _, c := range []struct {
		env  map[string]string
		args []string
	}{
		{nil, []string{"serve", "--db", db, "--addr", "127.0.0.1:0", "--log-level", "loud"}},
		{nil, []string{"demo", "--db", db, "--addr", "127.0.0.1:0", "--log-level", "verbose"}},
		{map[string]string{"SAMORDNA_LOG_LEVEL": "trace"}, []string{"serve", "--db", db, "--addr", "127.0.0.1:0"}},
	} {
		_, err := runCLI(t, c.env, c.args...)
		if exitCode(err) != 2 || !strings.Contains(err.Error(), "--log-level") ||
			!strings.Contains(err.Error(), "debug, info, warn or error") {
			t.Errorf("%v %v: %v (exit %d)", c.env, c.args, err, exitCode(err))
		}
	}
	if _, err := os.Stat(db); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused log level left %s behind (%v)", db, err)
	}
}

// TestAuditVerifyReportsAMissingFile: verifying a SQLite file that is not
// there says so and does not create it.
func TestAuditVerifyReportsAMissingFile(t *testing.T) {
	db := filepath.Join(t.TempDir(), "missing.db")
	_, err := runCLI(t, nil, "audit", "verify", "--db", db)
	if exitCode(err) != 1 || !strings.Contains(err.Error(), db) || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("audit verify on a missing file: %v (exit %d)", err, exitCode(err))
	}
	if _, err := os.Stat(db); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("audit verify created %s (%v)", db, err)
	}
}

// TestServeAndDemoCheckThePortFirst: with the port taken, serve and demo
// fail naming the address, and the database stays as it was: no SQLite file
// is created, no PostgreSQL table either.
func TestServeAndDemoCheckThePortFirst(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	addr := taken.Addr().String()
	for _, d := range dbtest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			for _, cmd := range []string{"serve", "demo"} {
				dsn := dbtest.DSN(t, d)
				_, err := runCLI(t, nil, cmd, "--db", dsn, "--addr", addr)
				if err == nil || !strings.Contains(err.Error(), "cannot listen on "+addr) {
					t.Errorf("%s on a taken port: %v", cmd, err)
				}
				if d == store.SQLite {
					if _, err := os.Stat(dsn); !errors.Is(err, os.ErrNotExist) {
						t.Errorf("%s on a taken port created %s (%v)", cmd, dsn, err)
					}
					continue
				}
				db, err := store.Open(context.Background(), dsn)
				if err != nil {
					t.Fatal(err)
				}
				has, err := db.HasTable(context.Background(), "meta")
				db.Close()
				if err != nil || has {
					t.Errorf("%s on a taken port migrated the database (%v, %v)", cmd, has, err)
				}
			}
		})
	}
}

// TestDatabaseErrorsNameTheDatabase: a database that cannot be opened is
// named in the error, a PostgreSQL password never is.
func TestDatabaseErrorsNameTheDatabase(t *testing.T) {
	missingDir := filepath.Join(t.TempDir(), "no-such-folder", "s.db")
	_, err := runCLI(t, nil, "migrate", "--db", missingDir)
	if err == nil || !strings.Contains(err.Error(), missingDir) || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("a SQLite file in a missing folder: %v", err)
	}
	for _, c := range []struct{ dsn, shown, secret string }{
		{"postgres://samordna:s3cret-pw@127.0.0.1:1/samordna?sslmode=disable",
			"postgres://samordna:xxxxx@127.0.0.1:1/samordna?sslmode=disable", "s3cret-pw"},
		{"postgres://samordna@127.0.0.1:1/samordna?sslmode=disable&password=s3cret-pw",
			"postgres://samordna@127.0.0.1:1/samordna?sslmode=disable&password=xxxxx", "s3cret-pw"},
		// Not a valid URL: the driver quotes it whole in its error.
		{"postgres://samordna:s3cret pw%zz@127.0.0.1:1/samordna",
			"postgres://samordna:xxxxx@127.0.0.1:1/samordna", "s3cret"},
	} {
		_, err := runCLI(t, nil, "migrate", "--db", c.dsn)
		if err == nil || !strings.Contains(err.Error(), "database "+c.shown+":") {
			t.Errorf("%s: the error does not name %s: %v", c.dsn, c.shown, err)
		}
		if err != nil && strings.Contains(err.Error(), c.secret) {
			t.Errorf("%s: the error shows the password: %v", c.dsn, err)
		}
	}
}
