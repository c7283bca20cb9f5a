package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

func appendEvents(t *testing.T, db *store.DB, n int) {
	t.Helper()
	at := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		err := db.Write(context.Background(), func(tx *store.Tx) error {
			return store.AppendAudit(tx, &samordna.AuditEvent{At: at.Add(time.Duration(i) * time.Second),
				ActorUsername: "ola.laerer", CaseID: "case1", ObjectType: "case", ObjectID: "case1",
				Action: "read", Outcome: samordna.OutcomeAllowed})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func verify(t *testing.T, db *store.DB) (int64, error) {
	t.Helper()
	var n int64
	err := db.Read(context.Background(), func(tx *store.Tx) error {
		var err error
		n, err = store.VerifyAudit(tx)
		return err
	})
	return n, err
}

func exec(t *testing.T, db *store.DB, q string) error {
	t.Helper()
	return db.Write(context.Background(), func(tx *store.Tx) error {
		_, err := tx.Exec(q)
		return err
	})
}

func dropAuditTriggers(t *testing.T, db *store.DB) {
	t.Helper()
	stmts := []string{`DROP TRIGGER audit_events_no_update`, `DROP TRIGGER audit_events_no_delete`}
	if db.Dialect() == store.Postgres {
		stmts = []string{`DROP TRIGGER audit_events_no_update ON audit_events`,
			`DROP TRIGGER audit_events_no_delete ON audit_events`}
	}
	for _, q := range stmts {
		if err := exec(t, db, q); err != nil {
			t.Fatal(err)
		}
	}
}

func TestAuditChainVerifies(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		appendEvents(t, db, 5)
		n, err := verify(t, db)
		if err != nil || n != 5 {
			t.Fatalf("verify = %d, %v; want 5 rows, no error", n, err)
		}
	})
}

func TestAuditRowsAreAppendOnly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		appendEvents(t, db, 2)
		if err := exec(t, db, `UPDATE audit_events SET outcome = 'denied' WHERE seq = 1`); err == nil {
			t.Fatal("update of an audit row was allowed")
		}
		if err := exec(t, db, `DELETE FROM audit_events WHERE seq = 2`); err == nil {
			t.Fatal("delete of an audit row was allowed")
		}
		if db.Dialect() == store.Postgres {
			if err := exec(t, db, `TRUNCATE audit_events`); err == nil {
				t.Fatal("truncate of the audit trail was allowed")
			}
		}
		if _, err := verify(t, db); err != nil {
			t.Fatalf("chain broken after refused changes: %v", err)
		}
	})
}

func TestAuditVerifyFindsTampering(t *testing.T) {
	cases := []struct {
		name    string
		tamper  string
		wantSeq int64
	}{
		{"edited", `UPDATE audit_events SET actor_username = 'someone.else' WHERE seq = 3`, 3},
		{"removed", `DELETE FROM audit_events WHERE seq = 3`, 3},
		{"removed newest", `DELETE FROM audit_events WHERE seq = 5`, 5},
		{"reordered", `UPDATE audit_events SET seq = -3 WHERE seq = 3; UPDATE audit_events SET seq = 3 WHERE seq = 4;
			UPDATE audit_events SET seq = 4 WHERE seq = -3`, 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, db *store.DB) {
				appendEvents(t, db, 5)
				dropAuditTriggers(t, db)
				if err := exec(t, db, c.tamper); err != nil {
					t.Fatal(err)
				}
				_, err := verify(t, db)
				var p *store.AuditProblem
				if !errors.As(err, &p) {
					t.Fatalf("verify = %v, want an AuditProblem", err)
				}
				if p.Seq != c.wantSeq {
					t.Fatalf("first bad row = %d (%s), want %d", p.Seq, p.Reason, c.wantSeq)
				}
			})
		})
	}
}

// TestAuditChainUnderConcurrency writes from many goroutines at once; the
// chain must still verify (no forks, no gaps).
func TestAuditChainUnderConcurrency(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		var wg sync.WaitGroup
		errs := make(chan error, 40)
		for i := 0; i < 40; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				errs <- db.Write(context.Background(), func(tx *store.Tx) error {
					return store.AppendAudit(tx, &samordna.AuditEvent{At: time.Now(), Action: "read",
						Outcome: samordna.OutcomeAllowed, ObjectID: fmt.Sprint(i)})
				})
			}(i)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if n, err := verify(t, db); err != nil || n != 40 {
			t.Fatalf("verify = %d, %v", n, err)
		}
	})
}
