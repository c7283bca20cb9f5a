package store

import "context"

// CaseCursor exposes the cursor encoding to the case list's plan test.
var CaseCursor = encodeCursor

// PlanTaskStatusesSQL is the query of PlanTaskStatuses, for its plan test.
const PlanTaskStatusesSQL = planTaskStatusesSQL

// OverdueTasksSQL is the sweep's query (without its limit), for its plan test.
const OverdueTasksSQL = overdueTasksSQL

// MigrateTo brings db's schema up to version only (the carry-over test
// starts from a schema before the keyed audit chain).
func MigrateTo(ctx context.Context, db *DB, version int64) error {
	p, err := db.migrator(ctx)
	if err != nil {
		return err
	}
	_, err = p.UpTo(ctx, version)
	return err
}
