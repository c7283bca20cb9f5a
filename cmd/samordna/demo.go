package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/store"
)

const demoUsage = `Usage: samordna demo [flags]

Creates a fresh "Demo kommune" with its services, teams, employees and
synthetic persons (synthetic test numbers only), prints the logins and
serves it. An existing demo database is replaced; a database that is not
a demo one is never touched.`

// DemoPassword is every demo user's password.
const DemoPassword = "samordna-demo"

func (m *Main) runDemo(ctx context.Context, args []string) error {
	fs := m.newFlagSet("demo", demoUsage)
	db := m.dbFlag(fs)
	f := m.addServeFlags(fs)
	f.mail = m.addMailFlags(fs)
	af := m.addAuditFlags(fs)
	every := m.checkpointEveryFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	f.db = db
	if *f.mail.smtpURL == "" && *f.mail.dir == "" {
		*f.mail.dir = demoMailDir(*f.db) // the demo's mail goes to a folder
	}
	log, err := m.flagLogger(*f.logLevel)
	if err != nil {
		return err
	}
	ln, err := listen(*f.addr) // before the database: a taken port leaves it as it was
	if err != nil {
		return err
	}
	defer ln.Close()
	if err := resetDemo(ctx, *f.db); err != nil {
		return err
	}
	sdb, audit, err := m.openAudited(ctx, *f.db, af)
	if err != nil {
		return err
	}
	defer sdb.Close()
	a := app.New(sdb, nil, log)
	a.AllowSynthetic = true
	info, err := a.SeedDemo(ctx, DemoPassword)
	if err != nil {
		return fmt.Errorf("seed demo: %w", err)
	}
	stop, err := startCheckpoints(ctx, sdb, audit, *every, store.CheckpointReset, log)
	if err != nil {
		return err
	}
	defer stop()
	return m.serve(ctx, a, f, ln, func(url string) { m.printDemo(url, *f.db, info, f.mail) })
}

func (m *Main) printDemo(url, dsn string, info *app.DemoInfo, mail mailFlags) {
	w := m.Stdout
	fmt.Fprintf(w, "\n%s is ready at %s\n\n", info.Municipality, url)
	fmt.Fprintf(w, "Sign in with any of these users; the password is %q:\n\n", info.Password)
	for _, u := range info.Users {
		fmt.Fprintf(w, "  %-18s %-24s %s\n", u.Username, u.Name, u.Description)
	}
	fmt.Fprintf(w, "\nAPI token: samordna token create --db %s --user kari.ke\n", dsn)
	if *mail.smtpURL != "" {
		fmt.Fprintf(w, "E-mail goes through the SMTP server of --smtp-url.\n")
	} else {
		fmt.Fprintf(w, "E-mail is written as .eml files to %s\n", *mail.dir)
	}
	fmt.Fprintf(w, "Stop with Ctrl-C.\n\n")
}

// resetDemo makes room for a fresh demo: an existing demo database is
// removed (SQLite) or emptied (PostgreSQL); any other non-empty database is
// refused.
func resetDemo(ctx context.Context, dsn string) error {
	if !store.IsPostgresDSN(dsn) {
		if _, err := os.Stat(dsn); errors.Is(err, os.ErrNotExist) {
			return nil
		}
	}
	db, err := openStore(ctx, dsn)
	if err != nil {
		return err
	}
	demo, empty, err := demoState(ctx, db)
	if err != nil {
		db.Close()
		return err
	}
	if empty {
		return db.Close()
	}
	if !demo {
		db.Close()
		return fmt.Errorf("%s holds a database that is not a demo one; refusing to overwrite it (use another --db)", dsn)
	}
	if db.Dialect() == store.Postgres {
		defer db.Close()
		return db.DropAll(ctx)
	}
	if err := db.Close(); err != nil {
		return err
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Remove(dsn + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return nil
}

// demoState tells whether the database is a demo one, or empty (no schema
// or no municipality yet).
func demoState(ctx context.Context, db *store.DB) (demo, empty bool, err error) {
	hasSchema, err := db.HasTable(ctx, "meta")
	if err != nil || !hasSchema {
		return false, true, err
	}
	a := app.New(db, nil, nil)
	if empty, err = a.IsEmpty(ctx); err != nil || empty {
		return false, empty, err
	}
	demo, err = a.IsDemo(ctx)
	return demo, false, err
}
