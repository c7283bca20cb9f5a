package bench

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/samordna/samordna/access"
	"github.com/samordna/samordna/store"
)

// BenchmarkSQLiteQueries measures, on a small generated SQLite database,
// the access check a case read makes (store.CaseFacts in a read
// transaction: ten EXISTS probes) next to a bare point select, parsed anew
// on every call (as every store query is today) and prepared once. See
// docs/PERFORMANCE.md.
func BenchmarkSQLiteQueries(b *testing.B) {
	ctx := context.Background()
	dsn := filepath.Join(b.TempDir(), "b.db")
	spec := SpecAt(0.001, 1)
	g, err := Generate(ctx, dsn, spec, time.Now(), nil)
	if err != nil {
		b.Fatal(err)
	}
	db, err := store.Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	w := g.world
	var k int
	for k = range w.cases {
		if w.cases[k].coord >= 0 {
			break
		}
	}
	e := &w.employees[w.cases[k].coord]
	s := access.Subject{EmployeeID: e.id, MunicipalityID: w.munis[e.mun].id, Roles: e.roles()}
	caseID := w.caseID(k)
	b.Run("case_facts_in_read_tx", func(b *testing.B) {
		for b.Loop() {
			err := db.Read(ctx, func(tx *store.Tx) error {
				_, _, err := store.CaseFacts(tx, caseID, s, time.Now())
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
	{
		_, read := db.Pools()
		stmt, err := read.PrepareContext(ctx, `SELECT status FROM cases WHERE id = $1`)
		if err != nil {
			b.Fatal(err)
		}
		defer stmt.Close()
		plain := `SELECT status FROM cases WHERE id = $1`
		b.Run("point_select_reparsed", func(b *testing.B) {
			for b.Loop() {
				var st string
				if err := read.QueryRowContext(ctx, plain, caseID).Scan(&st); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("point_select_prepared", func(b *testing.B) {
			for b.Loop() {
				var st string
				if err := stmt.QueryRowContext(ctx, caseID).Scan(&st); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
