package store_test

import (
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
		plan := details(explainSQLite(t, db, q.SQL, args...))
		text := strings.Join(plan, "\n")
		if !strings.Contains(text, "INDEX "+q.Index+" (municipality_id=?") || strings.Contains(text, "SCAN ") {
			t.Errorf("%s does not search %s by municipality, or scans:\n%s", q.Name, q.Index, text)
		}
	}
}
