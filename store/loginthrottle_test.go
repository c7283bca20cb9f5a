package store_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// Two servers on one database (two DB handles on the same SQLite file or
// PostgreSQL schema) reserving in one bucket at once never count more than
// the limit; a new window starts after the cutoff, a release gives a place
// back, and expired buckets are removed.
func TestReserveLoginAttemptAcrossServers(t *testing.T) {
	for _, d := range dbtest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			dsn := dbtest.DSN(t, d)
			var servers [2]*store.DB
			for i := range servers {
				db, err := store.Open(ctx, dsn)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				if err := db.Migrate(ctx); err != nil {
					t.Fatal(err)
				}
				servers[i] = db
			}
			now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
			cutoff := now.Add(-15 * time.Minute)
			reserve := func(db *store.DB, bucket string, now, cutoff time.Time) (start time.Time, ok bool) {
				t.Helper()
				err := db.Write(ctx, func(tx *store.Tx) error {
					var err error
					start, ok, err = store.ReserveLoginAttempt(tx, bucket, 5, now, cutoff)
					return err
				})
				if err != nil {
					t.Error(err)
				}
				return start, ok
			}
			var allowed atomic.Int64
			var wg sync.WaitGroup
			for i := range 40 {
				wg.Go(func() {
					if _, ok := reserve(servers[i%2], "b", now, cutoff); ok {
						allowed.Add(1)
					}
				})
			}
			wg.Wait()
			if n := allowed.Load(); n != 5 {
				t.Fatalf("%d of 40 parallel attempts reserved on two servers, want exactly the limit 5", n)
			}
			// Still full inside the window; a release frees one place.
			later := now.Add(10 * time.Minute)
			if _, ok := reserve(servers[0], "b", later, later.Add(-15*time.Minute)); ok {
				t.Fatal("reserved past the limit inside the window")
			}
			if err := servers[1].Write(ctx, func(tx *store.Tx) error { return store.ReleaseLoginAttempt(tx, "b", now) }); err != nil {
				t.Fatal(err)
			}
			if _, ok := reserve(servers[0], "b", later, later.Add(-15*time.Minute)); !ok {
				t.Fatal("no place after a release")
			}
			// After the window a new one starts with this attempt.
			next := now.Add(15*time.Minute + time.Second)
			start, ok := reserve(servers[1], "b", next, next.Add(-15*time.Minute))
			if !ok || !start.Equal(next) {
				t.Fatalf("after the window: ok %v, window start %s, want a new window at %s", ok, start, next)
			}
			// An old bucket is removed, the one in use is not.
			reserve(servers[0], "old", now.Add(-time.Hour), now.Add(-2*time.Hour))
			err := servers[0].Write(ctx, func(tx *store.Tx) error {
				return store.DeleteExpiredLoginBuckets(tx, next.Add(-15*time.Minute), 10)
			})
			if err != nil {
				t.Fatal(err)
			}
			var buckets []string
			_ = servers[1].Read(ctx, func(tx *store.Tx) error {
				rows, err := tx.Query(`SELECT bucket FROM login_throttle`)
				if err != nil {
					return err
				}
				defer rows.Close()
				for rows.Next() {
					var b string
					_ = rows.Scan(&b)
					buckets = append(buckets, b)
				}
				return rows.Err()
			})
			if len(buckets) != 1 || buckets[0] != "b" {
				t.Errorf("buckets after the clean-up: %v, want [b]", buckets)
			}
		})
	}
}
