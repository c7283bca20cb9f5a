package bench

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// TestGenerateLoadsAValidCountry loads a tiny country on both databases and
// checks what a user of the data relies on: the counts, the audit chain
// verifies end to end, and every person's number is a valid synthetic one.
func TestGenerateLoadsAValidCountry(t *testing.T) {
	for _, d := range dbtest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			dsn := dbtest.DSN(t, d)
			spec := SpecAt(0.001, 1)
			g, err := Generate(ctx, dsn, spec, time.Now(), os.Stderr)
			if err != nil {
				t.Fatal(err)
			}
			db, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			db.SetAuditKey(g.world.auditKey)
			if err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			err = db.Read(ctx, func(tx *store.Tx) error {
				n, err := store.VerifyAudit(tx)
				if err != nil {
					return err
				}
				if n != int64(spec.AuditRows) {
					t.Errorf("%d audit rows, want %d", n, spec.AuditRows)
				}
				var cases, tasks, overdue int
				if err := tx.QueryRow(`SELECT COUNT(*) FROM cases`).Scan(&cases); err != nil {
					return err
				}
				if err := tx.QueryRow(`SELECT COUNT(*) FROM tasks`).Scan(&tasks); err != nil {
					return err
				}
				if err := tx.QueryRow(`SELECT COUNT(*) FROM tasks WHERE status = 'open' AND overdue_after < $1`,
					time.Now()).Scan(&overdue); err != nil {
					return err
				}
				if cases != spec.Cases || tasks < cases*5 || overdue == 0 {
					t.Errorf("cases %d (want %d), tasks %d, overdue %d", cases, spec.Cases, tasks, overdue)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if g.Stats.Rows["persons"] != int64(spec.Persons) {
				t.Errorf("persons %d, want %d", g.Stats.Rows["persons"], spec.Persons)
			}
		})
	}
}
