package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// runMain runs the command line for real and returns stdout and the error.
func runMain(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	m := &Main{Stdout: &out, Stderr: io.Discard, Getenv: testEnv}
	err := m.Run(context.Background(), args)
	return out.String(), err
}

// execSQL runs statements on the database outside the application.
func execSQL(t *testing.T, dsn string, stmts ...string) {
	t.Helper()
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range stmts {
		if err := db.Write(context.Background(), func(tx *store.Tx) error {
			_, err := tx.Exec(s)
			return err
		}); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// `samordna audit verify` passes on an untouched database and fails, naming
// the row, after one audit row is edited directly (with the append-only
// triggers dropped first) or the newest row is removed.
func TestAuditVerifyNamesTheEditedRow(t *testing.T) {
	for _, d := range dbtest.Dialects {
		t.Run(string(d), func(t *testing.T) { auditVerifyNamesTheEditedRow(t, d) })
	}
}

func auditVerifyNamesTheEditedRow(t *testing.T, d store.Dialect) {
	dsn := dbtest.DSN(t, d)
	if _, err := runMain(t, "migrate", "--db", dsn); err != nil {
		t.Fatal(err)
	}
	execSQL(t, dsn, `INSERT INTO municipalities (id, name, number, created_at)
		VALUES ('m1', 'Testvik', '9998', '`+time.Now().UTC().Format("2006-01-02 15:04:05")+`')`)
	for _, args := range [][]string{
		{"user", "create", "--db", dsn, "--username", "ola.laerer", "--name", "Ola Brekke", "--password-stdin=false"},
		{"user", "create", "--db", dsn, "--username", "per.bv", "--name", "Per Strand", "--role", "child_welfare",
			"--password-stdin=false"},
		{"token", "create", "--db", dsn, "--user", "ola.laerer"},
		{"user", "disable", "--db", dsn, "--username", "per.bv"},
	} {
		if _, err := runMain(t, args...); err != nil {
			t.Fatalf("%v: %v", args, err)
		}
	}

	out, err := runMain(t, "audit", "verify", "--db", dsn)
	if err != nil || !strings.HasPrefix(out, "audit trail OK: 4 rows verified") {
		t.Fatalf("untouched: %q, %v", out, err)
	}

	// The rows are append-only: an edit is refused until the triggers go.
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Write(context.Background(), func(tx *store.Tx) error {
		_, err := tx.Exec(`UPDATE audit_events SET action = 'x' WHERE seq = 2`)
		return err
	})
	db.Close()
	if err == nil {
		t.Fatal("an audit row could be edited with the triggers in place")
	}
	drop := []string{`DROP TRIGGER audit_events_no_update`, `DROP TRIGGER audit_events_no_delete`}
	if d == store.Postgres {
		drop = []string{`DROP TRIGGER audit_events_no_update ON audit_events`,
			`DROP TRIGGER audit_events_no_delete ON audit_events`}
	}
	execSQL(t, dsn, drop...)
	execSQL(t, dsn, `UPDATE audit_events SET actor_username = 'someone.else' WHERE seq = 2`)
	out, err = runMain(t, "audit", "verify", "--db", dsn)
	var ee *exitError
	if !errors.As(err, &ee) || ee.code != 1 {
		t.Fatalf("after an edit: err %v, want exit code 1", err)
	}
	if !strings.Contains(out, "BROKEN at row 2") || !strings.Contains(out, "edited") {
		t.Errorf("after an edit the output does not name row 2: %q", out)
	}
	var problem *store.AuditProblem
	if !errors.As(err, &problem) || problem.Seq != 2 {
		t.Errorf("the error names %v, want row 2", err)
	}

	// Put the value back: the chain holds again. Remove the newest row: broken.
	execSQL(t, dsn, `UPDATE audit_events SET actor_username = '' WHERE seq = 2`)
	if out, err := runMain(t, "audit", "verify", "--db", dsn); err != nil {
		t.Fatalf("restored: %q, %v", out, err)
	}
	execSQL(t, dsn, `DELETE FROM audit_events WHERE seq = 4`)
	out, err = runMain(t, "audit", "verify", "--db", dsn)
	if err == nil || !strings.Contains(out, "BROKEN at row 4") {
		t.Errorf("after removing the newest row: %q, %v", out, err)
	}
}
