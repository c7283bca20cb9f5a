package store_test

import (
	"testing"

	"github.com/samordna/samordna/store"
)

// planStep is one line of SQLite's EXPLAIN QUERY PLAN.
type planStep struct {
	Parent int    // 0 for a step at the top of the plan
	Detail string // e.g. "SEARCH t USING INDEX tasks_case (case_id=?)"
}

// explainSQLite returns SQLite's plan for the query, for the tests that
// check a per-user query walks an index rather than scanning a table.
func explainSQLite(t *testing.T, db *store.DB, q string, args ...any) []planStep {
	t.Helper()
	var plan []planStep
	orgRead(t, db, func(tx *store.Tx) error {
		rows, err := tx.Query(`EXPLAIN QUERY PLAN `+q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id, unused int
			var s planStep
			if err := rows.Scan(&id, &s.Parent, &unused, &s.Detail); err != nil {
				return err
			}
			plan = append(plan, s)
		}
		return rows.Err()
	})
	return plan
}

// details returns the plan's lines.
func details(plan []planStep) []string {
	out := make([]string, len(plan))
	for i, s := range plan {
		out[i] = s.Detail
	}
	return out
}
