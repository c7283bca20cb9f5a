// Package dbtest gives tests a fresh, migrated database of each dialect.
//
// Every storage and app test runs on SQLite and on PostgreSQL: Each runs the
// test body once per dialect as subtests named "sqlite" and "postgres" (the
// test script counts them by these names). PostgreSQL comes from TEST_PG_URL;
// when it is unset the PostgreSQL subtest fails, because a missing database
// must never pass silently.
package dbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/samordna/samordna/store"
)

// AuditKey is the audit key every database Open returns is keyed with (a
// fresh one per test process).
var AuditKey = func() *store.AuditKey {
	k, err := store.NewAuditKey()
	if err != nil {
		panic(err)
	}
	return k
}()

// Dialects lists the dialects every test runs on.
var Dialects = []store.Dialect{store.SQLite, store.Postgres}

// Each runs f on a fresh SQLite database and on a fresh PostgreSQL schema.
func Each(t *testing.T, f func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, d := range Dialects {
		t.Run(string(d), func(t *testing.T) {
			f(t, Open(t, d))
		})
	}
}

// Open returns a fresh migrated database of the dialect, removed when the
// test ends.
func Open(t testing.TB, d store.Dialect) *store.DB {
	t.Helper()
	dsn := DSN(t, d)
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("open %s: %v", d, err)
	}
	t.Cleanup(func() { db.Close() })
	db.SetAuditKey(AuditKey)
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate %s: %v", d, err)
	}
	return db
}

// DSN returns the data source name of a fresh, empty database of the
// dialect: a file in a temporary folder, or a new PostgreSQL schema.
func DSN(t testing.TB, d store.Dialect) string {
	t.Helper()
	if d == store.SQLite {
		return filepath.Join(tempDir(t), "test.db")
	}
	return freshSchema(t)
}

// tempDir is a folder for the test's SQLite file, removed when the test
// ends. Unlike t.TempDir, removal is retried for a moment: a command run in
// process may still be closing its database (its -wal and -shm files, a
// checkpoint) while the test's cleanup starts, and a folder left behind is
// no failure of the behaviour under test.
func tempDir(t testing.TB) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "samordna-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for i := 0; i < 50; i++ {
			if os.RemoveAll(dir) == nil {
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
	})
	return dir
}

// freshSchema creates a PostgreSQL schema of its own for one test and
// returns a URL whose search_path points at it.
func freshSchema(t testing.TB) string {
	t.Helper()
	base := os.Getenv("TEST_PG_URL")
	if base == "" {
		t.Fatal("TEST_PG_URL is not set: PostgreSQL tests cannot run (scripts/test.sh sets it up)")
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("open TEST_PG_URL: %v", err)
	}
	defer admin.Close()
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", base)
		if err == nil {
			_, _ = a.Exec("DROP SCHEMA " + schema + " CASCADE")
			a.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse TEST_PG_URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
