package store_test

import (
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// keysetTasks gives child welfare ("cw") open, done and cancelled tasks,
// with and without a due date, some due at the same moment, half named to
// cw and half to the child-welfare role (two branches of the list), and
// returns their ids in the list's order: open by due date (ties by id),
// open without a due date, then done and then cancelled the same way.
func keysetTasks(t *testing.T, db *store.DB) (ids map[string]string, want []string) {
	t.Helper()
	mid, ids, caseID := taskSeed(t, db)
	type spec struct {
		status string
		due    int // hours after taskTestNow; -1000: no due date
	}
	var specs []spec
	for _, h := range []int{-48, 5, 5, 5, -48, 72, 1} { // -48: overdue
		specs = append(specs, spec{store.TaskOpen, h})
	}
	specs = append(specs, spec{store.TaskOpen, -1000}, spec{store.TaskOpen, -1000}, spec{store.TaskOpen, -1000},
		spec{store.TaskDone, -200}, spec{store.TaskDone, 3}, spec{store.TaskDone, 3}, spec{store.TaskDone, -1000},
		spec{store.TaskDone, -1000}, spec{store.TaskCancelled, 9}, spec{store.TaskCancelled, -1000})
	type row struct {
		rank int
		due  time.Time
		id   string
	}
	var rows []row
	orgWrite(t, db, func(tx *store.Tx) error {
		for i, sp := range specs {
			task := &store.Task{CaseID: caseID, MunicipalityID: mid, Kind: store.TaskKindStep, Title: fmt.Sprint("t", i),
				Responsible: "child_welfare", Status: sp.status, StartedAt: taskTestNow, CreatedAt: taskTestNow}
			if i%2 == 0 {
				task.AssigneeKind, task.EmployeeID = store.AssignEmployee, ids["cw"]
			} else {
				task.AssigneeKind, task.Role = store.AssignRole, string(samordna.RoleChildWelfare)
			}
			rank := map[string]int{store.TaskOpen: 0, store.TaskDone: 2, store.TaskCancelled: 4}[sp.status]
			var due time.Time
			if sp.due != -1000 {
				due = taskTestNow.Add(time.Duration(sp.due) * time.Hour)
				task.DueAt, task.OverdueAfter = &due, &due
			} else {
				rank++
			}
			if err := store.CreateTask(tx, task); err != nil {
				return err
			}
			rows = append(rows, row{rank, due, task.ID})
		}
		return nil
	})
	slices.SortFunc(rows, func(a, b row) int {
		if a.rank != b.rank {
			return a.rank - b.rank
		}
		if c := a.due.Compare(b.due); c != 0 {
			return c
		}
		return strings.Compare(a.id, b.id)
	})
	for _, r := range rows {
		want = append(want, r.id)
	}
	return ids, want
}

// Mine oppgaver pages by keyset: open tasks first (overdue, then by due
// date, then those without one), done and cancelled ones only after them;
// every page but the last holds exactly the page size, the last one is
// never empty, and the pages together list every task once in order, for
// every page size, for the assignee's own list and for the list of a
// readable case's tasks (another branch).
func TestListTasksKeysetPagesOpenFirst(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ids, want := keysetTasks(t, db)
		openN := 10
		for _, who := range []struct {
			user string
			f    store.TaskFilter
		}{{"cw", store.TaskFilter{AssignedToMe: true}}, {"disc", store.TaskFilter{}}} {
			s := subjectOf(t, db, ids[who.user])
			for limit := 1; limit <= len(want)+1; limit++ {
				f := who.f
				f.Limit = limit
				var got []string
				for p := 0; ; p++ {
					var page *store.TaskPage
					orgRead(t, db, func(tx *store.Tx) error {
						var err error
						page, err = store.ListTasks(tx, s, taskTestNow, f)
						return err
					})
					if page.Next != "" && len(page.Tasks) != limit || page.Next == "" && len(page.Tasks) == 0 {
						t.Fatalf("%s, limit %d, page %d: %d tasks, next %q", who.user, limit, p, len(page.Tasks), page.Next)
					}
					for _, task := range page.Tasks {
						got = append(got, task.ID)
					}
					if p == 0 && limit <= openN {
						for _, task := range page.Tasks {
							if task.Status != store.TaskOpen {
								t.Errorf("%s, limit %d: the first page holds a %s task", who.user, limit, task.Status)
							}
						}
					}
					if page.Next == "" || p > len(want) {
						break
					}
					f.Cursor = page.Next
				}
				if !slices.Equal(got, want) {
					t.Fatalf("%s, pages of %d:\n got %v\nwant %v", who.user, limit, got, want)
				}
			}
		}
		cw := subjectOf(t, db, ids["cw"])
		if got := listTaskIDs(t, db, cw, store.TaskFilter{AssignedToMe: true, Status: store.TaskOpen, Limit: 3}); !slices.Equal(got, want[:openN]) {
			t.Errorf("open only: %v, want %v", got, want[:openN])
		}
		if got := listTaskIDs(t, db, cw, store.TaskFilter{AssignedToMe: true, Status: store.TaskDone, Limit: 2}); !slices.Equal(got, want[openN:openN+5]) {
			t.Errorf("done only: %v, want %v", got, want[openN:openN+5])
		}
		if got := listTaskIDs(t, db, cw, store.TaskFilter{AssignedToMe: true, Overdue: true, Limit: 1}); !slices.Equal(got, want[:2]) {
			t.Errorf("overdue: %v, want %v", got, want[:2])
		}
	})
}

// A cursor that ListTasks did not make is refused as bad_cursor, before
// any query: garbage, an old offset cursor, a phase the filter has not, a
// bad time, no id.
func TestListTasksRefusesForeignCursors(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		_, ids, _ := taskSeed(t, db)
		s := subjectOf(t, db, ids["cw"])
		enc := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
		for _, c := range []string{"%%%", enc("o:100"), enc("k:9::abc"), enc("k:-1::abc"), enc("k:0:yesterday:abc"),
			enc("k:0:2026-03-02T09:00:00Z:"), enc("k:x::abc")} {
			err := db.Read(t.Context(), func(tx *store.Tx) error {
				_, err := store.ListTasks(tx, s, taskTestNow, store.TaskFilter{AssignedToMe: true, Status: store.TaskOpen, Cursor: c})
				return err
			})
			if samordna.ErrorCode(err) != "bad_cursor" {
				t.Errorf("cursor %q: %v, want bad_cursor", c, err)
			}
		}
	})
}
