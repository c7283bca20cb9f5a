package store_test

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/samordna/samordna/store"
)

// The writer does not checkpoint; the checkpointer beside it copies the
// committed pages from the write-ahead log into the database file while the
// database stays open. Read with immutable=1 (the file alone, the log
// ignored), the file holds the committed rows within a second, and the
// readers see them throughout; after Close the log is gone.
func TestWALCheckpointerCopiesTheLogIntoTheFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "wal.db")
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	write := func(n int) {
		t.Helper()
		err := db.Write(ctx, func(tx *store.Tx) error {
			if _, err := tx.Exec(`CREATE TABLE IF NOT EXISTS wal_probe (n INTEGER PRIMARY KEY)`); err != nil {
				return err
			}
			_, err := tx.Exec(`INSERT INTO wal_probe (n) VALUES ($1)`, n)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for n := range 50 {
		write(n)
	}
	deadline := time.Now().Add(5 * time.Second)
	for rowsInFile(t, path) != 50 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if n := rowsInFile(t, path); n != 50 {
		t.Fatalf("the database file holds %d of 50 committed rows after 5 s: the log was not checkpointed", n)
	}
	var seen int
	if err := db.Read(ctx, func(tx *store.Tx) error {
		return tx.QueryRow(`SELECT COUNT(*) FROM wal_probe`).Scan(&seen)
	}); err != nil || seen != 50 {
		t.Fatalf("readers see %d rows (%v)", seen, err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() > 0 {
		t.Errorf("after Close the log still holds %d bytes", fi.Size())
	}
}

// rowsInFile counts wal_probe's rows in the database file alone, without
// its write-ahead log (immutable=1); -1 while the table is not there yet.
func rowsInFile(t *testing.T, path string) int {
	t.Helper()
	conn, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?immutable=1")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	n := -1
	_ = conn.QueryRow(`SELECT COUNT(*) FROM wal_probe`).Scan(&n)
	return n
}
