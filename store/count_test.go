package store_test

import (
	"context"
	"testing"

	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// TestStatementCounter: a counter in the context counts every statement of
// Read, Write, ReadSnapshot and WriteGrouped (whose function runs on the
// group's goroutine) and of the direct pool uses, and nothing else; a
// context without one counts nothing.
func TestStatementCounter(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx, c := store.WithStatementCounter(context.Background())
		one := func(tx *store.Tx) error {
			var n int
			return tx.QueryRow(`SELECT 1`).Scan(&n)
		}
		two := func(tx *store.Tx) error {
			if _, err := tx.Exec(`CREATE TABLE IF NOT EXISTS count_probe (n INTEGER)`); err != nil {
				return err
			}
			rows, err := tx.Query(`SELECT n FROM count_probe`)
			if err != nil {
				return err
			}
			return rows.Close()
		}
		steps := []struct {
			name string
			run  func(context.Context) error
			want int64
		}{
			{"Read", func(ctx context.Context) error { return db.Read(ctx, one) }, 1},
			{"Write", func(ctx context.Context) error { return db.Write(ctx, two) }, 2},
			{"ReadSnapshot", func(ctx context.Context) error { return db.ReadSnapshot(ctx, one) }, 1},
			{"WriteGrouped", func(ctx context.Context) error { return db.WriteGrouped(ctx, two) }, 2},
			{"HasTable", func(ctx context.Context) error { _, err := db.HasTable(ctx, "cases"); return err }, 1},
		}
		for _, s := range steps {
			before := c.Count()
			if err := s.run(ctx); err != nil {
				t.Fatalf("%s: %v", s.name, err)
			}
			if got := c.Count() - before; got != s.want {
				t.Errorf("%s counted %d statements, want %d", s.name, got, s.want)
			}
			// The same without a counter: nothing is counted anywhere.
			before = c.Count()
			if err := s.run(context.Background()); err != nil {
				t.Fatalf("%s without a counter: %v", s.name, err)
			}
			if c.Count() != before {
				t.Errorf("%s without a counter in its context changed the counter", s.name)
			}
		}
	})
}
