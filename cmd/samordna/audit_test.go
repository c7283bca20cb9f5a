package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// testKeyFile is one audit key file shared by the tests of this process.
var testKeyFile = sync.OnceValue(func() string {
	dir, err := os.MkdirTemp("", "samordna-audit-key")
	if err != nil {
		panic(err)
	}
	path := filepath.Join(dir, "audit.key")
	k, err := store.NewAuditKey()
	if err != nil {
		panic(err)
	}
	if err := store.WriteAuditKeyFile(path, k); err != nil {
		panic(err)
	}
	return path
})

// testEnv is the environment of command-line tests: the shared audit key,
// which a PostgreSQL database needs (a SQLite file keeps its own beside it
// when none is given).
func testEnv(name string) string {
	if name == envAuditKey {
		return testKeyFile()
	}
	return ""
}

// cli runs the command line with env and returns stdout, stderr and the
// error.
func cli(env map[string]string, args ...string) (string, string, error) {
	var out, errOut bytes.Buffer
	m := &Main{Stdout: &out, Stderr: &errOut, Getenv: func(k string) string { return env[k] }}
	err := m.Run(context.Background(), args)
	return out.String(), errOut.String(), err
}

// auditEnv is the configuration a dialect needs: nothing for a SQLite file
// (key and checkpoints beside it), a key file and a checkpoint folder for
// PostgreSQL.
func auditEnv(t *testing.T, d store.Dialect) map[string]string {
	if d == store.SQLite {
		return map[string]string{}
	}
	return map[string]string{envAuditKey: testKeyFile(), envAuditCheckpoints: t.TempDir()}
}

// seedByCLI makes a municipality and two users through the command line:
// two keyed audit rows, each command followed by a checkpoint.
func seedByCLI(t *testing.T, dsn string, env map[string]string) {
	t.Helper()
	if _, _, err := cli(env, "migrate", "--db", dsn); err != nil {
		t.Fatal(err)
	}
	execSQL(t, dsn, `INSERT INTO municipalities (id, name, number, created_at)
		VALUES ('m1', 'Testvik', '9998', '`+time.Now().UTC().Format("2006-01-02 15:04:05")+`')`)
	for _, u := range []string{"ola.laerer", "per.bv"} {
		if _, stderr, err := cli(env, "user", "create", "--db", dsn, "--username", u, "--name", "Test Person",
			"--password-stdin=false"); err != nil {
			t.Fatalf("user create: %v %s", err, stderr)
		}
	}
}

// asDBA runs statements on the database as its administrator
// would, with the append-only triggers out of the way.
func asDBA(t *testing.T, dsn string, d store.Dialect, stmts ...string) {
	t.Helper()
	drop := []string{`DROP TRIGGER IF EXISTS audit_events_no_update`, `DROP TRIGGER IF EXISTS audit_events_no_delete`}
	if d == store.Postgres {
		drop = []string{`DROP TRIGGER IF EXISTS audit_events_no_update ON audit_events`,
			`DROP TRIGGER IF EXISTS audit_events_no_delete ON audit_events`}
	}
	execSQL(t, dsn, append(drop, stmts...)...)
}

// auditRows reads the trail as the administrator can.
func auditRows(t *testing.T, dsn string) []samordna.AuditEvent {
	t.Helper()
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var evs []samordna.AuditEvent
	err = db.Read(context.Background(), func(tx *store.Tx) error {
		rows, err := tx.Query(`SELECT seq, at, request_id, actor_id, actor_username, actor_role, actor_service,
			person_id, case_id, object_type, object_id, action, outcome, purpose, client, prev_hash, hash
			FROM audit_events ORDER BY seq`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var ev samordna.AuditEvent
			if err := rows.Scan(&ev.Seq, &ev.At, &ev.RequestID, &ev.ActorID, &ev.ActorUsername, &ev.ActorRole,
				&ev.ActorService, &ev.PersonID, &ev.CaseID, &ev.ObjectType, &ev.ObjectID, &ev.Action,
				&ev.Outcome, &ev.Purpose, &ev.Client, &ev.PrevHash, &ev.Hash); err != nil {
				return err
			}
			evs = append(evs, ev)
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

// wantBroken fails unless `audit verify` exits 1 naming the row and kind.
func wantBroken(t *testing.T, env map[string]string, dsn string, seq int64, kind string) {
	t.Helper()
	out, _, err := cli(env, "audit", "verify", "--db", dsn)
	var problem *store.AuditProblem
	if exitCode(err) != 1 || !errors.As(err, &problem) || problem.Seq != seq || problem.Kind != kind {
		t.Fatalf("verify: %q, %v; want %s at row %d", out, err, kind, seq)
	}
	if want := "BROKEN at row " + itoa(seq) + " (" + kind + ")"; !strings.Contains(out, want) {
		t.Fatalf("verify printed %q, want %q", out, want)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// The two attacks a database administrator could make on the unkeyed
// chain, through the real command line, on both databases (the SQLite file
// with no configuration at all): rewrite a row and recompute every later
// hash with the unkeyed algorithm; delete the newest row and set the head
// back. `audit verify` passes the untouched trail and names both.
func TestAuditVerifyCatchesRewriteAndTruncation(t *testing.T) {
	for _, d := range dbtest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Run("recomputed", func(t *testing.T) {
				env, dsn := auditEnv(t, d), dbtest.DSN(t, d)
				seedByCLI(t, dsn, env)
				out, _, err := cli(env, "audit", "verify", "--db", dsn)
				if err != nil || !strings.HasPrefix(out, "audit trail OK: 2 rows verified") ||
					!strings.Contains(out, "newest checkpoint") || !strings.Contains(out, "at row 2: matches") {
					t.Fatalf("untouched: %q, %v", out, err)
				}
				evs := auditRows(t, dsn)
				evs[0].ActorUsername = "someone.else"
				var stmts []string
				prev := ""
				for i := range evs {
					evs[i].PrevHash = prev
					evs[i].Hash = store.UnkeyedAuditHash(&evs[i])
					prev = evs[i].Hash
					stmts = append(stmts, `UPDATE audit_events SET actor_username = '`+evs[i].ActorUsername+
						`', prev_hash = '`+evs[i].PrevHash+`', hash = '`+evs[i].Hash+`' WHERE seq = `+itoa(evs[i].Seq))
				}
				stmts = append(stmts, `UPDATE audit_head SET hash = '`+prev+`' WHERE id = 1`)
				asDBA(t, dsn, d, stmts...)
				wantBroken(t, env, dsn, 1, store.ProblemRecomputed)
			})
			t.Run("truncated", func(t *testing.T) {
				env, dsn := auditEnv(t, d), dbtest.DSN(t, d)
				seedByCLI(t, dsn, env)
				evs := auditRows(t, dsn)
				asDBA(t, dsn, d, `DELETE FROM audit_events WHERE seq = 2`,
					`UPDATE audit_head SET seq = 1, hash = '`+evs[0].Hash+`' WHERE id = 1`)
				wantBroken(t, env, dsn, 2, store.ProblemTruncated)

				// The next command appends a new row 2; its checkpoint is
				// refused (the trail no longer holds the row the last one
				// saw), so the rewrite stays visible.
				dir := env[envAuditCheckpoints]
				if d == store.SQLite {
					dir = dsn + ".audit-checkpoints"
				}
				before, _ := filepath.Glob(filepath.Join(dir, "checkpoint-*.json"))
				if _, _, err := cli(env, "user", "disable", "--db", dsn, "--username", "per.bv"); err != nil {
					t.Fatal(err)
				}
				if after, _ := filepath.Glob(filepath.Join(dir, "checkpoint-*.json")); len(after) != len(before) {
					t.Fatalf("a checkpoint was written over the truncated trail: %d files, were %d", len(after), len(before))
				}
				wantBroken(t, env, dsn, 2, store.ProblemRecomputed)
			})
		})
	}
}

// serve keeps the trail's checkpoints: one at start, one when the trail
// grew, one at shutdown; with a SQLite file they are found beside it. On
// PostgreSQL serve refuses to start without a key, and any database
// refuses a key other than its trail's.
func TestServeKeysAndCheckpointsTheTrail(t *testing.T) {
	for _, d := range dbtest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			env, dsn := auditEnv(t, d), dbtest.DSN(t, d)
			seedByCLI(t, dsn, env)
			dir := env[envAuditCheckpoints]
			if d == store.SQLite {
				dir = dsn + ".audit-checkpoints"
				if _, err := os.Stat(dsn + ".audit-key"); err != nil {
					t.Fatalf("no key beside the database: %v", err)
				}
			}
			before, _ := filepath.Glob(filepath.Join(dir, "checkpoint-*.json"))

			ctx, cancel := context.WithCancel(context.Background())
			ready := make(chan string, 1)
			m := &Main{Stdout: io.Discard, Stderr: io.Discard, Getenv: func(k string) string { return env[k] },
				Ready: func(addr string) { ready <- addr }}
			done := make(chan error, 1)
			go func() {
				done <- m.Run(ctx, []string{"serve", "--db", dsn, "--addr", "127.0.0.1:0", "--audit-checkpoint-every", "20ms"})
			}()
			select {
			case <-ready:
			case err := <-done:
				t.Fatalf("serve stopped: %v", err)
			}
			// A change while serving: the interval checkpoint records it.
			if _, _, err := cli(env, "user", "disable", "--db", dsn, "--username", "per.bv"); err != nil {
				t.Fatal(err)
			}
			time.Sleep(200 * time.Millisecond)
			cancel()
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			after, _ := filepath.Glob(filepath.Join(dir, "checkpoint-*.json"))
			reasons := map[string]bool{}
			cps, err := store.LoadCheckpoints(dir)
			if err != nil {
				t.Fatal(err)
			}
			for _, cp := range cps {
				reasons[cp.Reason] = true
			}
			if len(after) < len(before)+2 || !reasons[store.CheckpointStart] || !reasons[store.CheckpointShutdown] {
				t.Fatalf("checkpoints before %d, after %d, reasons %v", len(before), len(after), reasons)
			}
			out, _, err := cli(env, "audit", "verify", "--db", dsn)
			if err != nil || !strings.Contains(out, "3 rows verified") || !strings.Contains(out, "(shutdown) at row 3") {
				t.Fatalf("after serving: %q, %v", out, err)
			}

			other := filepath.Join(t.TempDir(), "other.key")
			if _, _, err := cli(nil, "audit", "key", "--out", other); err != nil {
				t.Fatal(err)
			}
			wrong := map[string]string{envAuditKey: other}
			_, _, err = cli(wrong, "serve", "--db", dsn, "--addr", "127.0.0.1:0")
			var mismatch *store.KeyMismatchError
			if !errors.As(err, &mismatch) {
				t.Fatalf("serve with another key: %v, want a refusal", err)
			}
			if d == store.Postgres {
				_, _, err = cli(nil, "audit", "verify", "--db", dsn)
				if err == nil || !strings.Contains(err.Error(), "give its key") {
					t.Fatalf("verify on PostgreSQL without the key: %v", err)
				}
				_, _, err = cli(nil, "serve", "--db", dsn, "--addr", "127.0.0.1:0")
				if err == nil || !strings.Contains(err.Error(), "no audit key") {
					t.Fatalf("serve on PostgreSQL without a key: %v, want a refusal", err)
				}
			} else {
				os.Rename(dsn+".audit-key", dsn+".moved")
				_, _, err = cli(nil, "serve", "--db", dsn, "--addr", "127.0.0.1:0")
				if err == nil || !strings.Contains(err.Error(), "is missing") {
					t.Fatalf("serve with the key file gone: %v, want a refusal (never a new key)", err)
				}
				if _, err := os.Stat(dsn + ".audit-key"); err == nil {
					t.Fatal("a new key was made for a keyed trail")
				}
			}
		})
	}
}

// `audit key` makes a key and never overwrites one; every audit subcommand
// explains its flags.
func TestAuditKeyAndHelp(t *testing.T) {
	path := filepath.Join(t.TempDir(), "k")
	out, _, err := cli(nil, "audit", "key", "--out", path)
	if err != nil || !strings.HasPrefix(out, "wrote audit key ") {
		t.Fatalf("audit key: %q, %v", out, err)
	}
	first, _ := os.ReadFile(path)
	if _, err := store.ParseAuditKey(first); err != nil {
		t.Fatal(err)
	}
	if info, _ := os.Stat(path); info.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", info.Mode().Perm())
	}
	if _, _, err := cli(nil, "audit", "key", "--out", path); err == nil {
		t.Fatal("audit key overwrote a key file")
	}
	if again, _ := os.ReadFile(path); !bytes.Equal(first, again) {
		t.Fatal("the key file changed")
	}
	for args, flags := range map[string][]string{
		"audit verify --help": {"-db", "-audit-key", "-audit-checkpoints"},
		"audit key --help":    {"-out"},
		"serve --help":        {"-audit-key", "-audit-checkpoints", "-audit-checkpoint-every"},
	} {
		_, stderr, err := cli(nil, strings.Fields(args)...)
		if !errors.Is(err, flag.ErrHelp) {
			t.Errorf("%s: %v", args, err)
		}
		for _, f := range flags {
			if !strings.Contains(stderr, f) {
				t.Errorf("%s does not show %s: %q", args, f, stderr)
			}
		}
	}
}
