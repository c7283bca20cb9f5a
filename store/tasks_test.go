package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/access"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

var taskTestNow = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// taskSeed makes a municipality, employees and one case registered by
// "disc", and returns the ids.
func taskSeed(t *testing.T, db *store.DB) (mid string, ids map[string]string, caseID string) {
	t.Helper()
	mid, ids = orgSeed(t, db, "disc", "other", "cw", "member")
	caseID = samordna.NewID()
	orgWrite(t, db, func(tx *store.Tx) error {
		if err := store.GrantRole(tx, ids["cw"], samordna.RoleChildWelfare); err != nil {
			return err
		}
		return store.CreateCase(tx, &samordna.Case{ID: caseID, MunicipalityID: mid, Origin: samordna.OriginConcern,
			Status: samordna.CaseOpen, RegisteredBy: ids["disc"], CreatedAt: taskTestNow})
	})
	return mid, ids, caseID
}

func subjectOf(t *testing.T, db *store.DB, id string) access.Subject {
	t.Helper()
	var e *samordna.Employee
	orgRead(t, db, func(tx *store.Tx) error {
		var err error
		e, err = store.EmployeeByID(tx, id)
		return err
	})
	return access.SubjectOf(e)
}

// A task is seen by readers of its case and by its assignees (a role's
// holders here), never by others; assigned=me and overdue filter.
func TestTaskListFollowsAccessAndAssignment(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		mid, ids, caseID := taskSeed(t, db)
		due := taskTestNow.Add(24 * time.Hour)
		mine := &store.Task{CaseID: caseID, MunicipalityID: mid, Kind: store.TaskKindStep, Title: "Drøft", Responsible: "discoverer",
			AssigneeKind: store.AssignEmployee, EmployeeID: ids["disc"], Status: store.TaskOpen, StartedAt: taskTestNow,
			DueAt: &due, OverdueAfter: &due, CreatedAt: taskTestNow}
		role := &store.Task{CaseID: caseID, MunicipalityID: mid, Kind: store.TaskKindStep, Title: "Etabler ansvarsgruppe",
			Responsible: "child_welfare", AssigneeKind: store.AssignRole, Role: string(samordna.RoleChildWelfare),
			Status: store.TaskOpen, StartedAt: taskTestNow, CreatedAt: taskTestNow}
		orgWrite(t, db, func(tx *store.Tx) error {
			if err := store.CreateTask(tx, mine); err != nil {
				return err
			}
			return store.CreateTask(tx, role)
		})
		list := func(user string, f store.TaskFilter, now time.Time) []*store.Task {
			var page *store.TaskPage
			orgRead(t, db, func(tx *store.Tx) error {
				var err error
				page, err = store.ListTasks(tx, subjectOf(t, db, ids[user]), now, f)
				return err
			})
			return page.Tasks
		}
		if got := list("disc", store.TaskFilter{}, taskTestNow); len(got) != 2 {
			t.Errorf("the discoverer sees %d tasks, want both", len(got))
		}
		if got := list("disc", store.TaskFilter{AssignedToMe: true}, taskTestNow); len(got) != 1 || got[0].ID != mine.ID ||
			got[0].AssigneeUsername != "disc" {
			t.Errorf("assigned to the discoverer: %+v", got)
		}
		if got := list("cw", store.TaskFilter{}, taskTestNow); len(got) != 1 || got[0].ID != role.ID {
			t.Errorf("child welfare sees %d tasks, want only its role's", len(got))
		}
		if got := list("other", store.TaskFilter{}, taskTestNow); len(got) != 0 {
			t.Errorf("an unrelated employee sees %d tasks", len(got))
		}
		if got := list("disc", store.TaskFilter{Overdue: true}, taskTestNow); len(got) != 0 {
			t.Errorf("overdue before the deadline: %d", len(got))
		}
		if got := list("disc", store.TaskFilter{Overdue: true}, due.Add(time.Second)); len(got) != 1 {
			t.Errorf("overdue after the deadline: %d", len(got))
		}
		// A bar on the case hides even the employee's own task.
		orgWrite(t, db, func(tx *store.Tx) error {
			_, err := tx.Exec(`INSERT INTO case_blocks (id, case_id, employee_id, created_by, created_at) VALUES ($1, $2, $3, $4, $5)`,
				samordna.NewID(), caseID, ids["cw"], ids["disc"], taskTestNow)
			return err
		})
		if got := list("cw", store.TaskFilter{AssignedToMe: true}, taskTestNow); len(got) != 0 {
			t.Errorf("a barred employee sees %d tasks", len(got))
		}
	})
}

// Several sweepers claim one overdue task: exactly one gets it.
func TestClaimTaskEscalationOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		mid, ids, caseID := taskSeed(t, db)
		due := taskTestNow
		task := &store.Task{CaseID: caseID, MunicipalityID: mid, Kind: store.TaskKindStep, Title: "x", Responsible: "discoverer",
			AssigneeKind: store.AssignEmployee, EmployeeID: ids["disc"], Status: store.TaskOpen, StartedAt: taskTestNow,
			DueAt: &due, OverdueAfter: &due, CreatedAt: taskTestNow}
		orgWrite(t, db, func(tx *store.Tx) error { return store.CreateTask(tx, task) })
		var mu sync.Mutex
		claimed := 0
		var wg sync.WaitGroup
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				err := db.Write(context.Background(), func(tx *store.Tx) error {
					ok, err := store.ClaimTaskEscalation(tx, task.ID, taskTestNow.Add(time.Minute))
					if ok {
						mu.Lock()
						claimed++
						mu.Unlock()
					}
					return err
				})
				if err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if claimed != 1 {
			t.Errorf("claimed %d times, want once", claimed)
		}
		// A done task is not claimed, nor completed twice.
		orgWrite(t, db, func(tx *store.Tx) error { return store.CompleteTask(tx, task.ID, ids["disc"], "", taskTestNow) })
		err := db.Write(context.Background(), func(tx *store.Tx) error {
			return store.CompleteTask(tx, task.ID, ids["disc"], "", taskTestNow)
		})
		if samordna.ErrorCode(err) != "task_closed" {
			t.Errorf("completing twice: %v", err)
		}
	})
}

// An outbox message is claimed by one deliverer; a stale claim is taken over.
func TestOutboxClaimedOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		_, ids, caseID := taskSeed(t, db)
		orgWrite(t, db, func(tx *store.Tx) error {
			return store.CreateNotification(tx, &store.Notification{EmployeeID: ids["disc"], Kind: "task_overdue", CaseID: caseID,
				CreatedAt: taskTestNow})
		})
		claim := func(now time.Time) []*store.OutboxMessage {
			var out []*store.OutboxMessage
			orgWrite(t, db, func(tx *store.Tx) error {
				var err error
				out, err = store.ClaimOutbox(tx, now, now.Add(-10*time.Minute), 10)
				return err
			})
			return out
		}
		if got := claim(taskTestNow); len(got) != 1 || got[0].RecipientID != ids["disc"] || got[0].Topic != "task_overdue" {
			t.Fatalf("first claim: %+v", got)
		}
		if got := claim(taskTestNow.Add(time.Minute)); len(got) != 0 {
			t.Errorf("claimed twice: %d", len(got))
		}
		got := claim(taskTestNow.Add(time.Hour)) // the first deliverer died
		if len(got) != 1 || got[0].Attempts != 2 {
			t.Fatalf("stale claim: %+v", got)
		}
		orgWrite(t, db, func(tx *store.Tx) error { return store.MarkOutboxSent(tx, got[0].ID, taskTestNow.Add(time.Hour)) })
		if got := claim(taskTestNow.Add(3 * time.Hour)); len(got) != 0 {
			t.Errorf("a sent message was claimed again")
		}
	})
}

// A routine version is stored once.
func TestRoutineDocumentVersionUnique(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		d := &store.RoutineDocument{RoutineID: "r", Version: 2, Name: "R", Document: "id: r", SHA256: "x", UploadedAt: taskTestNow}
		orgWrite(t, db, func(tx *store.Tx) error { return store.CreateRoutineDocument(tx, d) })
		err := db.Write(context.Background(), func(tx *store.Tx) error {
			return store.CreateRoutineDocument(tx, &store.RoutineDocument{RoutineID: "r", Version: 2, Name: "R",
				Document: "id: r", SHA256: "y", UploadedAt: taskTestNow})
		})
		if samordna.ErrorCode(err) != "routine_version_exists" {
			t.Errorf("second version 2: %v", err)
		}
		orgRead(t, db, func(tx *store.Tx) error {
			keys, err := store.StoredRoutineVersions(tx)
			if len(keys) != 1 || keys[0].RoutineID != "r" || keys[0].Version != 2 {
				t.Errorf("versions = %+v", keys)
			}
			return err
		})
	})
}
