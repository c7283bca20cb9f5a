package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

// TestStatementCacheGivesSameResults runs the same statements many times on
// SQLite, first unprepared and then from the cache, in read, write and
// grouped transactions, and checks every answer and that a rolled-back
// write through a cached statement leaves nothing behind.
func TestStatementCacheGivesSameResults(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "cache.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	const insert = `INSERT INTO meta (key, value) VALUES ($1, $2)`
	const lookup = `SELECT value FROM meta WHERE key = $1`
	for i := range 200 {
		key, want := fmt.Sprintf("k%d", i), fmt.Sprintf("v%d", i)
		write := db.Write
		if i%2 == 1 {
			write = db.WriteGrouped
		}
		if err := write(ctx, func(tx *Tx) error { _, err := tx.Exec(insert, key, want); return err }); err != nil {
			t.Fatal(err)
		}
		var got string
		if err := db.Read(ctx, func(tx *Tx) error { return tx.QueryRow(lookup, key).Scan(&got) }); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Fatalf("read %q for %s, want %q", got, key, want)
		}
		if i == 100 {
			waitCached(t, db.writeStmts, insert)
			waitCached(t, db.readStmts, lookup)
		}
	}
	// A cached insert in a transaction that fails is rolled back.
	boom := fmt.Errorf("boom")
	err = db.Write(ctx, func(tx *Tx) error {
		if _, err := tx.Exec(insert, "gone", "x"); err != nil {
			return err
		}
		return boom
	})
	if err != boom {
		t.Fatalf("err = %v, want boom", err)
	}
	var n int
	if err := db.Read(ctx, func(tx *Tx) error {
		return tx.QueryRow(`SELECT COUNT(*) FROM meta WHERE key = $1`, "gone").Scan(&n)
	}); err != nil || n != 0 {
		t.Fatalf("rolled-back row: n=%d err=%v", n, err)
	}
}

// waitCached waits until the cache holds query (it is prepared in the
// background after its first use).
func waitCached(t *testing.T, c *stmtCache, query string) {
	t.Helper()
	for range 500 {
		c.mu.Lock()
		ok := c.stmts[query] != nil
		c.mu.Unlock()
		if ok {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("never cached: %s", query)
}

// TestOptimizeGathersStatistics checks that Optimize leaves SQLite with
// planner statistics for a table that has rows (the plans of the lists
// depend on them).
func TestOptimizeGathersStatistics(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "optimize.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	err = db.Write(ctx, func(tx *Tx) error {
		for i := range 50 {
			if _, err := tx.Exec(`INSERT INTO meta (key, value) VALUES ($1, 'v')`, fmt.Sprint(i)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Optimize(ctx); err != nil {
		t.Fatal(err)
	}
	var n int
	err = db.Read(ctx, func(tx *Tx) error {
		return tx.QueryRow(`SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'meta'`).Scan(&n)
	})
	if err != nil || n == 0 {
		t.Fatalf("no statistics for meta after Optimize: n=%d err=%v", n, err)
	}
}

// TestSQLiteConnectionsHaveALargePageCache: every SQLite connection keeps
// 64 MiB of pages (the default 2 MiB made national-scale queries read
// their index pages from the kernel one system call at a time).
func TestSQLiteConnectionsHaveALargePageCache(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "cache.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, run := range []func(context.Context, func(*Tx) error) error{db.Read, db.Write} {
		var size int
		if err := run(ctx, func(tx *Tx) error { return tx.QueryRow(`PRAGMA cache_size`).Scan(&size) }); err != nil {
			t.Fatal(err)
		}
		if size != -65536 {
			t.Errorf("cache_size = %d, want -65536 (64 MiB)", size)
		}
	}
}
