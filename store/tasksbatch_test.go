package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// countTasks counts the tasks of a case.
func countTasks(t *testing.T, db *store.DB, caseID string) int {
	t.Helper()
	var n int
	orgRead(t, db, func(tx *store.Tx) error {
		return tx.QueryRow(`SELECT COUNT(*) FROM tasks WHERE case_id = $1`, caseID).Scan(&n)
	})
	return n
}

// batchTasks returns n open tasks of the case, named to the employee, with
// and without due dates.
func batchTasks(mid, caseID, employeeID string, n int) []*store.Task {
	var out []*store.Task
	for i := range n {
		task := &store.Task{CaseID: caseID, MunicipalityID: mid, Kind: store.TaskKindStep, StepID: fmt.Sprint("s", i),
			Title: fmt.Sprint("Steg ", i), Responsible: "discoverer", AssigneeKind: store.AssignEmployee,
			EmployeeID: employeeID, Status: store.TaskOpen, StartedAt: taskTestNow, CreatedAt: taskTestNow,
			DeadlineSource: store.DeadlineRoutine}
		if i%3 != 0 {
			due := taskTestNow.Add(time.Duration(i) * time.Hour)
			task.DueAt, task.OverdueAfter = &due, &due
		}
		out = append(out, task)
	}
	return out
}

// CreateTasks writes every task (across the statement's 50-row chunks) as
// CreateTask would, TasksByIDs reads them back in the order asked with the
// assignee's name, and OpenStepIDs names their steps; a batch that fails
// part-way (a repeated id in its third chunk) leaves nothing behind.
func TestCreateTasksWritesEveryRowOrNone(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		mid, ids, caseID := taskSeed(t, db)
		for _, n := range []int{1, 7, 120} {
			tasks := batchTasks(mid, caseID, ids["disc"], n)
			before := countTasks(t, db, caseID)
			orgWrite(t, db, func(tx *store.Tx) error { return store.CreateTasks(tx, tasks) })
			if got := countTasks(t, db, caseID) - before; got != n {
				t.Fatalf("CreateTasks of %d wrote %d", n, got)
			}
			var want []string
			for _, task := range tasks {
				want = append(want, task.ID)
			}
			slices.Reverse(want)
			orgRead(t, db, func(tx *store.Tx) error {
				got, err := store.TasksByIDs(tx, want)
				if err != nil {
					return err
				}
				for i, g := range got {
					one, err := store.TaskByID(tx, want[i])
					if err != nil {
						return err
					}
					if g.ID != want[i] || g.AssigneeUsername != "disc" || fmt.Sprintf("%+v", *g) != fmt.Sprintf("%+v", *one) {
						t.Fatalf("TasksByIDs[%d] = %+v, want %+v", i, g, one)
					}
				}
				open, err := store.OpenStepIDs(tx, caseID)
				if err != nil {
					return err
				}
				for _, task := range tasks {
					if !open[task.StepID] {
						t.Errorf("OpenStepIDs lacks %s", task.StepID)
					}
				}
				if _, err := store.TasksByIDs(tx, []string{want[0], "nosuchtask"}); samordna.ErrorKind(err) != samordna.KindNotFound {
					t.Errorf("TasksByIDs with an unknown id: %v, want not found", err)
				}
				return nil
			})
		}
		before := countTasks(t, db, caseID)
		tasks := batchTasks(mid, caseID, ids["disc"], 120)
		tasks[110].ID = samordna.NewID()
		tasks[111].ID = tasks[110].ID
		err := db.Write(context.Background(), func(tx *store.Tx) error { return store.CreateTasks(tx, tasks) })
		if err == nil {
			t.Fatal("a batch with a repeated id was written")
		}
		if got := countTasks(t, db, caseID); got != before {
			t.Errorf("a failed batch left %d tasks", got-before)
		}
	})
}
