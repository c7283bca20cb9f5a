package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// The coordinating unit's yearly counts, group list and caseloads read
// only the municipality's rows: SQLite's plan for each searches the
// table's index on the municipality and scans no table or index whole.
func TestOverviewQueriesSearchMunicipalityIndex(t *testing.T) {
	db := dbtest.Open(t, store.SQLite)
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, q := range store.OverviewQueries {
		args := []any{"m1"}
		for len(args) < q.Params {
			args = append(args, at)
		}
		var plan []string
		err := db.Read(context.Background(), func(tx *store.Tx) error {
			rows, err := tx.Query(`EXPLAIN QUERY PLAN `+q.SQL, args...)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var id, parent, unused int
				var detail string
				if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
					return err
				}
				plan = append(plan, detail)
			}
			return rows.Err()
		})
		if err != nil {
			t.Fatalf("%s: %v", q.Name, err)
		}
		text := strings.Join(plan, "\n")
		if !strings.Contains(text, "INDEX "+q.Index+" (municipality_id=?") || strings.Contains(text, "SCAN ") {
			t.Errorf("%s does not search %s by municipality, or scans:\n%s", q.Name, q.Index, text)
		}
	}
}
