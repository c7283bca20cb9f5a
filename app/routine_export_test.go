package app

import (
	"context"
	"testing"

	"github.com/samordna/samordna/store"
)

// CreateMeasureTaskForTest makes a plan measure's task on a case, as the
// plan engine does, for the sweep tests.
func CreateMeasureTaskForTest(t *testing.T, a *App, caseID string, m MeasureTask) *store.Task {
	t.Helper()
	var task *store.Task
	err := a.DB.Write(context.Background(), func(tx *store.Tx) error {
		c, err := store.CaseByID(tx, caseID)
		if err != nil {
			return err
		}
		task, err = a.createMeasureTask(tx, c, m)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return task
}
