package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
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
		claim := func(token string, now time.Time) []*store.MailItem {
			var out []*store.MailItem
			orgWrite(t, db, func(tx *store.Tx) error {
				var err error
				out, err = store.ClaimImmediateMail(tx, token, now, now.Add(10*time.Minute), nil, 10)
				return err
			})
			return out
		}
		if got := claim("a", taskTestNow); len(got) != 1 || got[0].RecipientID != ids["disc"] || got[0].Topic != "task_overdue" ||
			got[0].CaseID != caseID {
			t.Fatalf("first claim: %+v", got)
		}
		if got := claim("b", taskTestNow.Add(time.Minute)); len(got) != 0 {
			t.Errorf("claimed twice: %d", len(got))
		}
		got := claim("c", taskTestNow.Add(time.Hour)) // the first deliverer died
		if len(got) != 1 || got[0].Attempts != 2 {
			t.Fatalf("stale claim: %+v", got)
		}
		orgWrite(t, db, func(tx *store.Tx) error {
			return store.MarkMailSent(tx, got[0].ID, "a", taskTestNow.Add(time.Hour), false) // the old lease settles nothing
		})
		if got := claim("d", taskTestNow.Add(2*time.Hour)); len(got) != 1 {
			t.Fatalf("a row settled with a stale token counted as sent")
		}
		orgWrite(t, db, func(tx *store.Tx) error {
			return store.MarkMailSent(tx, got[0].ID, "d", taskTestNow.Add(2*time.Hour), false)
		})
		if got := claim("e", taskTestNow.Add(3*time.Hour)); len(got) != 0 {
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

// assignFixture is a municipality where the employee "me" is an assignee
// of tasks in every way there is, next to tasks that only look alike.
type assignFixture struct {
	ids       map[string]string // employee ids by username
	mine      []string          // task ids "me" is an assignee of
	notMine   []string          // task ids "me" is not an assignee of (or is barred from)
	doneMine  string            // a done task assigned to "me" by role
	barred    string            // a task assigned to "me" on a case "me" is barred from
	regCase   string            // a case "me" registered (readable), not assigned
	otherTask string            // a task on regCase assigned to "other": readable, not "me"'s
}

// seedAssignments builds the fixture: "me" holds the child welfare role,
// is a member of one team and one service, the coordinator of case A, a
// member of case B's open group; was the coordinator of C (ended), a
// member of D's group (removed) and of E's group (closed); is barred from
// case X. "other" is in the other team and service.
func seedAssignments(t *testing.T, db *store.DB) *assignFixture {
	t.Helper()
	mid, ids := orgSeed(t, db, "me", "other", "disc")
	mid2, ids2 := orgSeed(t, db, "elsewhere")
	fx := &assignFixture{ids: ids}
	at := taskTestNow
	newCase := func(tx *store.Tx, m, by string) (string, error) {
		id := samordna.NewID()
		return id, store.CreateCase(tx, &samordna.Case{ID: id, MunicipalityID: m, Origin: samordna.OriginConcern,
			Status: samordna.CaseOpen, RegisteredBy: by, CreatedAt: at})
	}
	orgWrite(t, db, func(tx *store.Tx) error {
		if err := store.GrantRole(tx, ids["me"], samordna.RoleChildWelfare); err != nil {
			return err
		}
		cases := map[string]string{}
		for _, k := range []string{"A", "B", "C", "D", "E", "F", "X"} {
			id, err := newCase(tx, mid, ids["disc"])
			if err != nil {
				return err
			}
			cases[k] = id
		}
		var err error
		if fx.regCase, err = newCase(tx, mid, ids["me"]); err != nil {
			return err
		}
		caseElsewhere, err := newCase(tx, mid2, ids2["elsewhere"])
		if err != nil {
			return err
		}
		myTeam := &samordna.Team{MunicipalityID: mid, Name: "TST", Kind: samordna.TeamInterdisciplinary,
			MemberIDs: []string{ids["me"], ids["other"]}}
		otherTeam := &samordna.Team{MunicipalityID: mid, Name: "OST", Kind: samordna.TeamOverarching,
			MemberIDs: []string{ids["other"]}}
		for _, tm := range []*samordna.Team{myTeam, otherTeam} {
			if err := store.CreateTeam(tx, tm, at); err != nil {
				return err
			}
		}
		mySvc := &samordna.Service{MunicipalityID: mid, Name: "Skole", Kind: samordna.ServiceSchool}
		otherSvc := &samordna.Service{MunicipalityID: mid, Name: "Barnehage", Kind: samordna.ServiceKindergarten}
		for _, s := range []*samordna.Service{mySvc, otherSvc} {
			if err := store.CreateService(tx, s, at); err != nil {
				return err
			}
		}
		if err := store.AddServiceMember(tx, mySvc.ID, ids["me"]); err != nil {
			return err
		}
		if err := store.AddServiceMember(tx, otherSvc.ID, ids["other"]); err != nil {
			return err
		}
		// Coordinator of A; of C once.
		for _, k := range []string{"A", "C"} {
			a := &store.Assignment{ID: samordna.NewID(), CaseID: cases[k], EmployeeID: ids["me"], Kind: store.KindCoordinator,
				Status: store.CoordinatorAccepted, AppointedBy: ids["disc"], AppointedAt: at}
			if err := store.AppointCoordinator(tx, a); err != nil {
				return err
			}
			if k == "C" {
				if err := store.EndAssignment(tx, a.ID, at, "handed_over"); err != nil {
					return err
				}
			}
		}
		// A member of B's open group; removed from D's; E's group is closed.
		for _, k := range []string{"B", "D", "E"} {
			g := &store.Group{ID: samordna.NewID(), CaseID: cases[k], CreatedBy: ids["disc"], CreatedAt: at}
			if err := store.CreateGroup(tx, g); err != nil {
				return err
			}
			m := &store.Member{ID: samordna.NewID(), GroupID: g.ID, EmployeeID: ids["me"], Name: "me",
				Relation: "employee", AddedAt: at}
			if err := store.AddMember(tx, m); err != nil {
				return err
			}
			switch k {
			case "D":
				err = store.RemoveMember(tx, g.ID, m.ID, at)
			case "E":
				err = store.CloseGroup(tx, g.ID, ids["disc"], "done", at)
			}
			if err != nil {
				return err
			}
		}
		if err := store.CreateBlock(tx, &store.Block{CaseID: cases["X"], EmployeeID: ids["me"], CreatedBy: ids["disc"],
			CreatedAt: at}); err != nil {
			return err
		}
		add := func(mine bool, task *store.Task) error {
			task.MunicipalityID, task.Kind, task.Title, task.Responsible = mid, store.TaskKindStep, "x", "discoverer"
			task.StartedAt, task.CreatedAt = at, at
			if task.CaseID == "" {
				task.CaseID = cases["F"]
			}
			if task.Status == "" {
				task.Status = store.TaskOpen
			}
			if task.CaseID == caseElsewhere {
				task.MunicipalityID = mid2
			}
			if err := store.CreateTask(tx, task); err != nil {
				return err
			}
			if mine {
				fx.mine = append(fx.mine, task.ID)
			} else {
				fx.notMine = append(fx.notMine, task.ID)
			}
			return nil
		}
		cw, unit := string(samordna.RoleChildWelfare), string(samordna.RoleCoordinatingUnit)
		done := &store.Task{AssigneeKind: store.AssignRole, Role: cw, Status: store.TaskDone}
		other := &store.Task{CaseID: fx.regCase, AssigneeKind: store.AssignEmployee, EmployeeID: ids["other"]}
		barred := &store.Task{CaseID: cases["X"], AssigneeKind: store.AssignEmployee, EmployeeID: ids["me"]}
		for _, x := range []struct {
			mine bool
			task *store.Task
		}{
			{true, &store.Task{AssigneeKind: store.AssignEmployee, EmployeeID: ids["me"]}},
			{true, &store.Task{AssigneeKind: store.AssignTeam, TeamID: myTeam.ID}},
			{true, &store.Task{AssigneeKind: store.AssignService, ServiceID: mySvc.ID}},
			{true, &store.Task{CaseID: cases["A"], AssigneeKind: store.AssignGroup}},
			{true, &store.Task{CaseID: cases["B"], AssigneeKind: store.AssignGroup}},
			{true, &store.Task{AssigneeKind: store.AssignRole, Role: cw}},
			{true, done},
			{false, other},
			{false, &store.Task{AssigneeKind: store.AssignEmployee, EmployeeID: ids["other"]}},
			{false, &store.Task{AssigneeKind: store.AssignTeam, TeamID: otherTeam.ID}},
			{false, &store.Task{AssigneeKind: store.AssignService, ServiceID: otherSvc.ID}},
			{false, &store.Task{CaseID: cases["C"], AssigneeKind: store.AssignGroup}},
			{false, &store.Task{CaseID: cases["D"], AssigneeKind: store.AssignGroup}},
			{false, &store.Task{CaseID: cases["E"], AssigneeKind: store.AssignGroup}},
			{false, &store.Task{AssigneeKind: store.AssignRole, Role: unit}},
			{false, &store.Task{CaseID: caseElsewhere, AssigneeKind: store.AssignRole, Role: cw}},
			{false, barred},
			// A group task whose employee column names "me" (a rescheduled
			// step) is the group's, not "me"'s.
			{false, &store.Task{AssigneeKind: store.AssignGroup, EmployeeID: ids["me"]}},
		} {
			if err := add(x.mine, x.task); err != nil {
				return err
			}
		}
		fx.doneMine, fx.otherTask, fx.barred = done.ID, other.ID, barred.ID
		return nil
	})
	return fx
}

// listTaskIDs pages through ListTasks with the given page size and
// returns every task id in order.
func listTaskIDs(t *testing.T, db *store.DB, s access.Subject, f store.TaskFilter) []string {
	t.Helper()
	var ids []string
	for range 100 {
		var page *store.TaskPage
		orgRead(t, db, func(tx *store.Tx) error {
			var err error
			page, err = store.ListTasks(tx, s, taskTestNow, f)
			return err
		})
		for _, task := range page.Tasks {
			ids = append(ids, task.ID)
		}
		if page.Next == "" {
			return ids
		}
		f.Cursor = page.Next
	}
	t.Fatal("the cursor never ends")
	return nil
}

// sameIDs reports whether a and b hold the same ids, each once.
func sameIDs(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// Mine oppgaver lists exactly the tasks the employee is an assignee of, by
// every kind of assignment, closed ones too unless the filter says open;
// never others' tasks, an ended coordinator's, a removed member's, a
// closed group's, another municipality's, or a barred case's. Paging
// neither loses nor repeats a task. The list agrees with IsAssignee.
func TestListTasksAssignedToMeEveryBranch(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		fx := seedAssignments(t, db)
		me := subjectOf(t, db, fx.ids["me"])
		got := listTaskIDs(t, db, me, store.TaskFilter{AssignedToMe: true})
		if !sameIDs(got, fx.mine) {
			t.Errorf("assigned to me: got %d tasks %v, want %d %v", len(got), got, len(fx.mine), fx.mine)
		}
		if paged := listTaskIDs(t, db, me, store.TaskFilter{AssignedToMe: true, Limit: 2}); !slices.Equal(paged, got) {
			t.Errorf("pages of 2: %v, want %v", paged, got)
		}
		open := listTaskIDs(t, db, me, store.TaskFilter{AssignedToMe: true, Status: store.TaskOpen})
		wantOpen := slices.DeleteFunc(slices.Clone(fx.mine), func(id string) bool { return id == fx.doneMine })
		if !sameIDs(open, wantOpen) {
			t.Errorf("open and assigned to me: %v, want %v", open, wantOpen)
		}
		if done := listTaskIDs(t, db, me, store.TaskFilter{AssignedToMe: true, Status: store.TaskDone}); !slices.Equal(done, []string{fx.doneMine}) {
			t.Errorf("done and assigned to me: %v, want the done role task", done)
		}
		// IsAssignee (AssignedToSQL, task by task) agrees, except on the
		// barred case, which no list shows.
		orgRead(t, db, func(tx *store.Tx) error {
			for _, id := range append(slices.Clone(fx.mine), fx.notMine...) {
				ok, err := store.IsAssignee(tx, id, me)
				if want := slices.Contains(fx.mine, id) || id == fx.barred; err != nil || ok != want {
					t.Errorf("IsAssignee(%s) = %v, %v; want %v", id, ok, err, want)
				}
			}
			// AssignedTaskIDs, the same question for many tasks in one
			// statement, gives the same answers.
			ids := append(slices.Clone(fx.mine), fx.notMine...)
			batch, err := store.AssignedTaskIDs(tx, me, ids)
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range ids {
				if want := slices.Contains(fx.mine, id) || id == fx.barred; batch[id] != want {
					t.Errorf("AssignedTaskIDs says %s is mine = %v; want %v", id, batch[id], want)
				}
			}
			return nil
		})
		// Without assigned=me: the assigned tasks and those of readable
		// cases (the case "me" registered), nothing else.
		all := listTaskIDs(t, db, me, store.TaskFilter{})
		if want := append(slices.Clone(fx.mine), fx.otherTask); !sameIDs(all, want) {
			t.Errorf("all visible: got %v, want %v", all, want)
		}
		if paged := listTaskIDs(t, db, me, store.TaskFilter{Limit: 3}); !slices.Equal(paged, all) {
			t.Errorf("all visible in pages of 3: %v, want %v", paged, all)
		}
	})
}

// The assigned=me list (and the list of all visible tasks) finds tasks
// through indexes, never by reading the tasks table through. On SQLite,
// without statistics (the store never runs ANALYZE), the plan has no
// SCAN of tasks (aliases t and tk), no search of all open tasks
// (tasks_overdue by status alone), and reads the listed tasks (t) by id.
func TestListTasksPlanHasNoScanOfTasks(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		if db.Dialect() != store.SQLite {
			return // PostgreSQL's plans follow its statistics; the bench reports them
		}
		fx := seedAssignments(t, db)
		me := subjectOf(t, db, fx.ids["me"])
		filters := []store.TaskFilter{{AssignedToMe: true}, {AssignedToMe: true, Status: store.TaskOpen},
			{AssignedToMe: true, Overdue: true}, {}, {Status: store.TaskOpen}}
		check := func(when string) {
			for _, f := range filters {
				plan := sqlitePlan(t, db, me, f)
				for _, line := range plan {
					if !tasksBySearch(line) {
						t.Errorf("%s, filter %+v: the plan reads tasks without a fitting index (%q):\n%s", when, f, line,
							strings.Join(plan, "\n"))
					}
				}
			}
		}
		check("without statistics")
		// An operator may ANALYZE; the plan must hold with statistics too.
		orgWrite(t, db, func(tx *store.Tx) error {
			_, err := tx.Exec(`ANALYZE`)
			return err
		})
		check("after ANALYZE")
	})
}

// sqlitePlan returns the EXPLAIN QUERY PLAN lines of ListTasks' query.
func sqlitePlan(t *testing.T, db *store.DB, s access.Subject, f store.TaskFilter) []string {
	t.Helper()
	q, args, err := store.ListTasksSQL(s, taskTestNow, f)
	if err != nil || q == "" {
		t.Fatalf("ListTasksSQL: %q, %v", q, err)
	}
	return details(explainSQLite(t, db, q, args...))
}

// tasksBySearch reports whether an EXPLAIN QUERY PLAN line that reads tasks
// (as t, tk or tasks) searches a fitting index; other lines pass.
func tasksBySearch(line string) bool {
	w := strings.Fields(line)
	if len(w) < 2 || !slices.Contains([]string{"t", "tk", "tasks"}, w[1]) {
		return true
	}
	if w[0] != "SEARCH" || strings.Contains(line, "tasks_overdue") {
		return false
	}
	return w[1] != "t" || strings.Contains(line, "(id=?)")
}

// A plan's measure tasks are found through the partial index tasks_plan,
// not by reading every task (finalising minutes and the plan view ask).
func TestPlanTaskStatusesSearchesTasksPlan(t *testing.T) {
	db := dbtest.Open(t, store.SQLite)
	plan := strings.Join(details(explainSQLite(t, db, store.PlanTaskStatusesSQL, "p1", store.TaskKindMeasure)), "\n")
	if !strings.Contains(plan, "USING INDEX tasks_plan (plan_id=?)") {
		t.Errorf("PlanTaskStatuses does not search tasks_plan:\n%s", plan)
	}
}

// The sweep reads the open, unescalated overdue tasks from the partial
// index tasks_overdue_open in order and sorts nothing (on PostgreSQL the
// older index made the planner sort a national-scale estimate every sweep).
func TestOverdueSweepReadsItsPartialIndex(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		q := `EXPLAIN ` + store.OverdueTasksSQL + `100`
		if db.Dialect() == store.SQLite {
			q = `EXPLAIN QUERY PLAN ` + store.OverdueTasksSQL + `100`
		}
		var plan []string
		orgRead(t, db, func(tx *store.Tx) error {
			if db.Dialect() == store.Postgres {
				// As on a national-scale database: an index is preferred to a scan.
				if _, err := tx.Exec(`SET LOCAL enable_seqscan = off`); err != nil {
					return err
				}
			}
			rows, err := tx.Query(q, taskTestNow)
			if err != nil {
				return err
			}
			defer rows.Close()
			cols, _ := rows.Columns()
			for rows.Next() {
				vals := make([]any, len(cols))
				ptrs := make([]any, len(cols))
				for i := range vals {
					ptrs[i] = &vals[i]
				}
				if err := rows.Scan(ptrs...); err != nil {
					return err
				}
				plan = append(plan, fmt.Sprint(vals[len(vals)-1]))
			}
			return rows.Err()
		})
		text := strings.Join(plan, "\n")
		if !strings.Contains(text, "tasks_overdue_open") || strings.Contains(text, "TEMP B-TREE") || strings.Contains(text, "Sort") {
			t.Errorf("the sweep does not walk tasks_overdue_open in order:\n%s", text)
		}
	})
}
