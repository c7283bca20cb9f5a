package store_test

import (
	"context"
	"errors"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

func TestMigrateAndRoundTripTime(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		// Migrating twice is harmless.
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		oslo, _ := time.LoadLocation("Europe/Oslo")
		at := time.Date(2026, 3, 29, 2, 30, 0, 123456000, time.UTC).In(oslo)
		err := db.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.Exec(`INSERT INTO municipalities (id, name, number, created_at) VALUES ($1, $2, $3, $4)`,
				"m1", "Ålesund", "1508", at)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		var name string
		var got time.Time
		err = db.Read(ctx, func(tx *store.Tx) error {
			return tx.QueryRow(`SELECT name, created_at FROM municipalities WHERE created_at >= $1`, at.Add(-time.Second)).Scan(&name, &got)
		})
		if err != nil {
			t.Fatal(err)
		}
		if name != "Ålesund" || !got.Equal(at) {
			t.Fatalf("got %q %v, want Ålesund %v", name, got, at)
		}
	})
}

func TestWriteRollsBackOnError(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		boom := errors.New("boom")
		err := db.Write(ctx, func(tx *store.Tx) error {
			if _, err := tx.Exec(`INSERT INTO meta (key, value) VALUES ('k', 'v')`); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("err = %v", err)
		}
		var n int
		_ = db.Read(ctx, func(tx *store.Tx) error {
			return tx.QueryRow(`SELECT COUNT(*) FROM meta`).Scan(&n)
		})
		if n != 0 {
			t.Fatalf("rolled-back insert is visible: %d rows", n)
		}
	})
}

// TestSchemaParity checks that both dialects have the same tables and columns.
func TestSchemaParity(t *testing.T) {
	schemas := map[store.Dialect][]string{}
	for _, d := range dbtest.Dialects {
		db := dbtest.Open(t, d)
		schemas[d] = columns(t, db)
	}
	a, b := strings.Join(schemas[store.SQLite], "\n"), strings.Join(schemas[store.Postgres], "\n")
	if a != b {
		t.Fatalf("schemas differ:\nsqlite:\n%s\n\npostgres:\n%s", a, b)
	}
	if len(schemas[store.SQLite]) < 20 {
		t.Fatalf("suspiciously few columns: %d", len(schemas[store.SQLite]))
	}
}

func columns(t *testing.T, db *store.DB) []string {
	t.Helper()
	var out []string
	q := `SELECT m.name || '.' || p.name FROM sqlite_master m, pragma_table_info(m.name) p
	      WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> 'goose_db_version'`
	if db.Dialect() == store.Postgres {
		q = `SELECT table_name || '.' || column_name FROM information_schema.columns
		     WHERE table_schema = current_schema() AND table_name <> 'goose_db_version'`
	}
	err := db.Read(context.Background(), func(tx *store.Tx) error {
		rows, err := tx.Query(q)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				return err
			}
			out = append(out, s)
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// TestPostgresSessionsRunWithoutJIT checks that Samordna's PostgreSQL
// sessions have JIT compilation off (short indexed queries gain nothing
// from it and paid tens of milliseconds per plan).
func TestPostgresSessionsRunWithoutJIT(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		if db.Dialect() != store.Postgres {
			return // SQLite has no JIT
		}
		var jit string
		err := db.Read(context.Background(), func(tx *store.Tx) error { return tx.QueryRow(`SHOW jit`).Scan(&jit) })
		if err != nil || jit != "off" {
			t.Fatalf("jit = %q, err %v; want off", jit, err)
		}
	})
}
