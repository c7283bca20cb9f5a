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

// TestWriteGroupedSharesCommits: many concurrent audited writes all land,
// the audit chain they build in one shared transaction verifies, and they
// took fewer commits than writes.
func TestWriteGroupedSharesCommits(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		const n = 60
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs <- db.WriteGrouped(ctx, func(tx *store.Tx) error {
					ev := samordna.AuditEvent{At: time.Now(), Action: "read", Outcome: samordna.OutcomeAllowed,
						ObjectType: "case", ObjectID: fmt.Sprint(i)}
					return store.AppendAudit(tx, &ev)
				})
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		err := db.Read(ctx, func(tx *store.Tx) error {
			got, err := store.VerifyAudit(tx)
			if got != n {
				t.Errorf("%d audit rows, want %d", got, n)
			}
			return err
		})
		if err != nil {
			t.Fatalf("the chain does not verify: %v", err)
		}
		commits, writes := store.GroupCommitStats(db)
		if writes != n || commits >= n {
			t.Errorf("%d writes in %d commits: want %d writes sharing fewer commits", writes, commits, n)
		}
	})
}

// TestWriteGroupedIsolatesFailures: a function that fails has its writes
// rolled back and gets its own error, while the others in the same group
// commit.
func TestWriteGroupedIsolatesFailures(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		mustExec(t, db, `CREATE TABLE gc_probe (id TEXT PRIMARY KEY)`)
		// Hold the group's drainer inside a first function so the next
		// three queue up and share one transaction.
		release := make(chan struct{})
		started := make(chan struct{})
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = db.WriteGrouped(ctx, func(tx *store.Tx) error {
				close(started)
				<-release
				_, err := tx.Exec(`INSERT INTO gc_probe (id) VALUES ('first')`)
				return err
			})
		}()
		<-started
		boom := errors.New("refused")
		results := make([]error, 3)
		for i, id := range []string{"a", "bad", "c"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[i] = db.WriteGrouped(ctx, func(tx *store.Tx) error {
					if _, err := tx.Exec(`INSERT INTO gc_probe (id) VALUES ($1)`, id); err != nil {
						return err
					}
					if id == "bad" {
						return boom
					}
					return nil
				})
			}()
		}
		time.Sleep(100 * time.Millisecond) // let them queue
		close(release)
		wg.Wait()
		if results[0] != nil || results[2] != nil || !errors.Is(results[1], boom) {
			t.Fatalf("results %v, want nil, %v, nil", results, boom)
		}
		var ids []string
		err := db.Read(ctx, func(tx *store.Tx) error {
			rows, err := tx.Query(`SELECT id FROM gc_probe ORDER BY id`)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var id string
				if err := rows.Scan(&id); err != nil {
					return err
				}
				ids = append(ids, id)
			}
			return rows.Err()
		})
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(ids) != "[a c first]" {
			t.Errorf("rows %v, want [a c first]: the failed function's row must be gone, the others kept", ids)
		}
		// Alone in its group (no savepoint), a failing function's row is
		// rolled back too.
		err = db.WriteGrouped(ctx, func(tx *store.Tx) error {
			if _, err := tx.Exec(`INSERT INTO gc_probe (id) VALUES ('lone')`); err != nil {
				return err
			}
			return boom
		})
		var n int
		_ = db.Read(ctx, func(tx *store.Tx) error {
			return tx.QueryRow(`SELECT COUNT(*) FROM gc_probe WHERE id = 'lone'`).Scan(&n)
		})
		if !errors.Is(err, boom) || n != 0 {
			t.Errorf("lone failing write: err %v, %d rows; want boom and none", err, n)
		}
	})
}

// TestWriteGroupedRaisesPanicInCaller: a panic in fn reaches its caller
// and leaves the grouper working.
func TestWriteGroupedRaisesPanicInCaller(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		func() {
			defer func() {
				if p := recover(); p != "boom" {
					t.Errorf("recovered %v, want boom", p)
				}
			}()
			_ = db.WriteGrouped(ctx, func(tx *store.Tx) error { panic("boom") })
		}()
		if err := db.WriteGrouped(ctx, func(tx *store.Tx) error { return nil }); err != nil {
			t.Fatalf("after a panic: %v", err)
		}
	})
}

func mustExec(t *testing.T, db *store.DB, q string) {
	t.Helper()
	if err := db.Write(context.Background(), func(tx *store.Tx) error {
		_, err := tx.Exec(q)
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

// TestWriteGroupedSkipsCallerWhoLeft: a caller whose context ends while it
// waits for its turn gets the context's error and its function never runs;
// the group goes on.
func TestWriteGroupedSkipsCallerWhoLeft(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		release := make(chan struct{})
		started := make(chan struct{})
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = db.WriteGrouped(ctx, func(tx *store.Tx) error {
				close(started)
				<-release
				return nil
			})
		}()
		<-started
		gone, cancel := context.WithCancel(ctx)
		ran := false
		errc := make(chan error, 1)
		go func() {
			errc <- db.WriteGrouped(gone, func(tx *store.Tx) error { ran = true; return nil })
		}()
		time.Sleep(50 * time.Millisecond)
		cancel()
		close(release)
		if err := <-errc; !errors.Is(err, context.Canceled) {
			t.Errorf("err %v, want context.Canceled", err)
		}
		wg.Wait()
		if ran {
			t.Error("the function of a caller who left ran")
		}
		if err := db.WriteGrouped(ctx, func(tx *store.Tx) error { return nil }); err != nil {
			t.Fatalf("the grouper stopped: %v", err)
		}
	})
}
