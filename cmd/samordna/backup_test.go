package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// freshPGDatabase makes a new PostgreSQL database holding an empty schema
// of the given name and returns its URL (search_path set to the schema).
func freshPGDatabase(t *testing.T, schema string) string {
	t.Helper()
	base := os.Getenv("TEST_PG_URL")
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "samordna_r_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if a, err := sql.Open("pgx", base); err == nil {
			_, _ = a.Exec("DROP DATABASE " + name + " WITH (FORCE)")
			a.Close()
		}
	})
	u, _ := url.Parse(base)
	u.Path = "/" + name
	db, err := sql.Open("pgx", u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// countsOf returns the "rows:" block of backup's or restore's output.
func countsOf(t *testing.T, out string) string {
	t.Helper()
	i := strings.Index(out, "rows:\n")
	if i < 0 || !strings.Contains(out[i:], "audit_events") {
		t.Fatalf("no row counts in %q", out)
	}
	return out[i:]
}

// queryInt runs a counting query on dsn.
func queryInt(t *testing.T, dsn, q string) int64 {
	t.Helper()
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int64
	if err := db.Read(context.Background(), func(tx *store.Tx) error { return tx.QueryRow(q).Scan(&n) }); err != nil {
		t.Fatal(err)
	}
	return n
}

// A backup taken while writers keep changing the database (each
// transaction adds a meta row and its audit row) is one instant: restored
// into a new database its counts are those the backup printed, every write
// in it is whole (as many meta rows as audit rows), and its audit chain
// verifies. A second restore onto it is refused unless --force.
func TestBackupDuringWritesRestores(t *testing.T) {
	for _, d := range dbtest.Dialects {
		t.Run(string(d), func(t *testing.T) { backupDuringWritesRestores(t, d) })
	}
}

func backupDuringWritesRestores(t *testing.T, d store.Dialect) {
	env, dsn := auditEnv(t, d), dbtest.DSN(t, d)
	seedByCLI(t, dsn, env)
	keyFile := env[envAuditKey]
	if d == store.SQLite {
		keyFile = dsn + ".audit-key"
	}
	key, err := store.LoadAuditKeyFile(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	w, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	w.SetAuditKey(key)
	var writes atomic.Int64
	stop := make(chan struct{})
	stopped := make(chan error, 1)
	go func() {
		for {
			select {
			case <-stop:
				stopped <- nil
				return
			default:
			}
			n := writes.Load() + 1
			err := w.Write(context.Background(), func(tx *store.Tx) error {
				if err := store.SetMeta(tx, "w-"+itoa(n), "x"); err != nil {
					return err
				}
				return store.AppendAudit(tx, &samordna.AuditEvent{At: time.Now(), Action: "w", ObjectID: itoa(n),
					Outcome: samordna.OutcomeAllowed})
			})
			if err != nil {
				stopped <- err
				return
			}
			writes.Add(1)
		}
	}()
	waitFor := func(n int64) {
		for deadline := time.Now().Add(20 * time.Second); writes.Load() < n; time.Sleep(5 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("only %d writes", writes.Load())
			}
		}
	}
	waitFor(20)
	bak := filepath.Join(t.TempDir(), "samordna.backup")
	out, stderr, err := cli(env, "backup", "--db", dsn, "--out", bak)
	if err != nil {
		t.Fatalf("backup: %v %s", err, stderr)
	}
	atBackup := writes.Load()
	waitFor(atBackup + 10) // the writers went on during and after it
	close(stop)
	if err := <-stopped; err != nil {
		t.Fatal(err)
	}
	backupCounts := countsOf(t, out)
	if _, _, err := cli(env, "backup", "--db", dsn, "--out", bak); err == nil {
		t.Fatal("backup overwrote a file")
	}

	var target string
	renv := map[string]string{}
	if d == store.SQLite {
		target = filepath.Join(t.TempDir(), "restored.db")
		renv[envAuditKey] = keyFile // copied beside the target
	} else {
		u, _ := url.Parse(dsn)
		target = freshPGDatabase(t, u.Query().Get("search_path"))
		renv[envAuditKey] = keyFile
		renv[envAuditCheckpoints] = t.TempDir()
	}
	out, stderr, err = cli(renv, "restore", "--from", bak, "--db", target)
	if err != nil {
		t.Fatalf("restore: %v %q %s", err, out, stderr)
	}
	if !strings.Contains(out, "audit trail OK") || countsOf(t, out) != backupCounts {
		t.Fatalf("restore printed %q; the backup's counts were %q", out, backupCounts)
	}
	metas := queryInt(t, target, `SELECT COUNT(*) FROM meta WHERE key LIKE 'w-%'`)
	audits := queryInt(t, target, `SELECT COUNT(*) FROM audit_events WHERE action = 'w'`)
	if metas != audits || metas < 20 || metas >= writes.Load() {
		t.Fatalf("restored %d meta rows and %d audit rows of %d writes (%d when the backup ended)",
			metas, audits, writes.Load(), atBackup)
	}
	if src := queryInt(t, dsn, `SELECT COUNT(*) FROM audit_events`); src <= audits {
		t.Fatalf("the source has %d audit rows, the backup %d: the writes did not go on", src, audits)
	}
	// The restored database verifies on its own, with the key beside a
	// SQLite file (and the restore checkpoint).
	venv := renv
	if d == store.SQLite {
		venv = nil
	}
	if out, _, err := cli(venv, "audit", "verify", "--db", target); err != nil || !strings.Contains(out, "(restore)") {
		t.Fatalf("verify after restore: %q, %v", out, err)
	}

	_, _, err = cli(renv, "restore", "--from", bak, "--db", target)
	if err == nil || !strings.Contains(err.Error(), "not empty") || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("restore onto a non-empty database: %v, want a refusal", err)
	}
	execSQL(t, target, `INSERT INTO meta (key, value) VALUES ('after', 'x')`)
	if _, _, err := cli(renv, "restore", "--from", bak, "--db", target, "--force"); err != nil {
		t.Fatalf("restore --force: %v", err)
	}
	if n := queryInt(t, target, `SELECT COUNT(*) FROM meta WHERE key = 'after'`); n != 0 {
		t.Fatal("restore --force kept a row the backup does not hold")
	}
}

// Without pg_dump, a PostgreSQL backup is refused with a clear message and
// writes nothing; backup and restore explain their flags.
func TestBackupRefusalsAndHelp(t *testing.T) {
	dsn := dbtest.DSN(t, store.Postgres)
	t.Setenv("PATH", t.TempDir())
	bak := filepath.Join(t.TempDir(), "b")
	_, _, err := cli(map[string]string{envAuditKey: testKeyFile()}, "backup", "--db", dsn, "--out", bak)
	if err == nil || !strings.Contains(err.Error(), "pg_dump is not installed") {
		t.Fatalf("backup without pg_dump: %v", err)
	}
	if _, err := os.Stat(bak); err == nil {
		t.Fatal("a refused backup left a file")
	}
	for args, flags := range map[string][]string{
		"backup --help":  {"-db", "-out"},
		"restore --help": {"-db", "-from", "-force", "-audit-key", "-audit-checkpoints"},
	} {
		_, stderr, _ := cli(nil, strings.Fields(args)...)
		for _, f := range append(flags, "Usage: samordna "+strings.Fields(args)[0]) {
			if !strings.Contains(stderr, f) {
				t.Errorf("%s does not show %s: %q", args, f, stderr)
			}
		}
	}
	if _, _, err := cli(nil, "backup", "--db", dsn); exitCode(err) != 2 {
		t.Errorf("backup without --out: %v, want a usage error", err)
	}
}
