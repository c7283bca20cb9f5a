package store

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/access"
)

// This file persists tasks: a routine step (or a plan's measure) to be done
// for one case, by an employee, a role, a team, a service or the case's
// responsibility group, with its due date and what came of it.

// Task kinds.
const (
	TaskKindStep    = "step"    // a step of the case's routine
	TaskKindMeasure = "measure" // a measure of a plan, with the plan's own deadline
	// TaskKindTeamAdvice: follow up a team's advice on a matter (and make
	// the onward referral it recommends), for the matter's submitter.
	TaskKindTeamAdvice = "team_advice"
)

// Task statuses.
const (
	TaskOpen = "open"
	TaskDone = "done"
)

// Assignee kinds: who must carry out a task.
const (
	AssignEmployee = "employee" // one named employee
	AssignRole     = "role"     // anyone in the municipality holding a role
	AssignTeam     = "team"     // any member of a team
	AssignService  = "service"  // any member of a service
	AssignGroup    = "group"    // the case's coordinator or a member of its open responsibility group
)

// Whose deadline a task has (tasks.deadline_source).
const (
	DeadlineRoutine      = "routine"      // the routine's own deadline
	DeadlineMunicipality = "municipality" // adopted by the municipality
	DeadlineProposed     = "proposed"     // Samordna's proposal, not adopted by the municipality
)

// Task is one row of the tasks table.
type Task struct {
	ID             string
	CaseID         string
	MunicipalityID string
	Kind           string
	RoutineID      string
	RoutineVersion int
	StepID         string
	PlanID         string
	Title          string
	Responsible    string // pathway.Responsible
	AssigneeKind   string
	EmployeeID     string // AssignEmployee
	Role           string // AssignRole
	TeamID         string // AssignTeam
	ServiceID      string // AssignService
	Status         string
	StartedAt      time.Time
	DueAt          *time.Time // nil: the step has no deadline of its own (per_plan)
	OverdueAfter   *time.Time
	CompletedAt    *time.Time
	CompletedBy    string
	Outcome        string
	EscalatedAt    *time.Time
	PreviousTaskID string // the task whose completion started this one
	CreatedAt      time.Time
	// DeadlineSource is whose deadline the task has: DeadlineRoutine,
	// DeadlineMunicipality or DeadlineProposed ("" for none recorded).
	DeadlineSource string

	// Filled by the queries, for display: who the assignee is (the
	// employee's, team's or service's name; the employee's username).
	AssigneeName     string
	AssigneeUsername string
}

// Overdue reports whether the open task is past its overdue time at now.
func (t *Task) Overdue(now time.Time) bool {
	return t.Status == TaskOpen && t.OverdueAfter != nil && now.After(*t.OverdueAfter)
}

// CreateTask inserts a task.
func CreateTask(tx *Tx, t *Task) error {
	if t.ID == "" {
		t.ID = samordna.NewID()
	}
	_, err := tx.Exec(`INSERT INTO tasks (`+taskInsertColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)`,
		taskInsertValues(t)...)
	return wrap(err, "create task")
}

const taskColumns = `t.id, t.case_id, t.municipality_id, t.kind, t.routine_id, t.routine_version, t.step_id,
	t.plan_id, t.title, t.responsible, t.assignee_kind, COALESCE(t.assignee_employee_id, ''), t.assignee_role,
	COALESCE(t.assignee_team_id, ''), COALESCE(t.assignee_service_id, ''), t.status, t.started_at, t.due_at,
	t.overdue_after, t.completed_at, COALESCE(t.completed_by, ''), t.outcome, t.escalated_at, t.previous_task_id,
	t.created_at, t.deadline_source,
	COALESCE((SELECT e.name FROM employees e WHERE e.id = t.assignee_employee_id),
	         (SELECT tm.name FROM teams tm WHERE tm.id = t.assignee_team_id),
	         (SELECT s.name FROM services s WHERE s.id = t.assignee_service_id), ''),
	COALESCE((SELECT e.username FROM employees e WHERE e.id = t.assignee_employee_id), '')`

func scanTask(row interface{ Scan(...any) error }) (*Task, error) {
	var t Task
	err := row.Scan(&t.ID, &t.CaseID, &t.MunicipalityID, &t.Kind, &t.RoutineID, &t.RoutineVersion, &t.StepID,
		&t.PlanID, &t.Title, &t.Responsible, &t.AssigneeKind, &t.EmployeeID, &t.Role, &t.TeamID, &t.ServiceID,
		&t.Status, &t.StartedAt, &t.DueAt, &t.OverdueAfter, &t.CompletedAt, &t.CompletedBy, &t.Outcome,
		&t.EscalatedAt, &t.PreviousTaskID, &t.CreatedAt, &t.DeadlineSource, &t.AssigneeName, &t.AssigneeUsername)
	return &t, err
}

// TaskByID returns the task or samordna.ErrNotFound. It does not check
// access.
func TaskByID(tx *Tx, id string) (*Task, error) {
	t, err := scanTask(tx.QueryRow(`SELECT `+taskColumns+` FROM tasks t WHERE t.id = $1`, id))
	if err != nil {
		return nil, wrap(err, "task")
	}
	return t, nil
}

// TasksOfCase returns the case's tasks: open ones first by due date, then
// the done ones, newest first (at most 500).
func TasksOfCase(tx *Tx, caseID string) ([]*Task, error) {
	return queryTasks(tx, "tasks of case", `SELECT `+taskColumns+` FROM tasks t WHERE t.case_id = $1
		ORDER BY CASE WHEN t.status = 'open' THEN 0 ELSE 1 END,
		         CASE WHEN t.status = 'open' AND t.due_at IS NULL THEN 1 ELSE 0 END, t.due_at, t.completed_at DESC, t.id
		LIMIT 500`, caseID)
}

// CompleteTask marks an open task done. It returns a conflict when the task
// is no longer open (someone else completed it first).
func CompleteTask(tx *Tx, id, by, outcome string, at time.Time) error {
	res, err := tx.Exec(`UPDATE tasks SET status = 'done', completed_at = $1, completed_by = $2, outcome = $3
		WHERE id = $4 AND status = 'open'`, at, nullable(by), outcome, id)
	if err != nil {
		return wrap(err, "complete task")
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return samordna.Errorf(samordna.KindConflict, "task_closed", "the task is already done")
	}
	return nil
}

// ClaimTaskEscalation marks an open, overdue task as escalated at now if
// nobody has yet. claimed is false when another process got there first
// (or the task was completed meanwhile), so each task escalates once even
// with several servers sweeping.
func ClaimTaskEscalation(tx *Tx, id string, now time.Time) (claimed bool, err error) {
	res, err := tx.Exec(`UPDATE tasks SET escalated_at = $1
		WHERE id = $2 AND escalated_at IS NULL AND status = 'open' AND overdue_after < $1`, now, id)
	if err != nil {
		return false, wrap(err, "claim task escalation")
	}
	n, err := res.RowsAffected()
	return n == 1, wrap(err, "claim task escalation")
}

// overdueTasksSQL reads the partial index tasks_overdue_open in order; the
// caller appends the limit.
const overdueTasksSQL = `SELECT id FROM tasks
		WHERE status = 'open' AND escalated_at IS NULL AND overdue_after < $1
		ORDER BY overdue_after, id LIMIT `

// OverdueUnescalatedTaskIDs returns up to limit open tasks past their
// overdue time at now that have not been escalated, oldest first.
func OverdueUnescalatedTaskIDs(tx *Tx, now time.Time, limit int) ([]string, error) {
	return queryIDs(tx, "overdue tasks", overdueTasksSQL+strconv.Itoa(limit), now)
}

// TaskFilter selects tasks for ListTasks.
type TaskFilter struct {
	AssignedToMe bool      // only tasks the subject is an assignee of
	Overdue      bool      // only open tasks past their overdue time
	Status       string    // "open", "done" or "" for both
	CaseID       string    // only this case's tasks
	DueBefore    time.Time // only tasks due before this (zero: no limit)
	Cursor       string
	Limit        int // at most 100
}

// TaskPage is one page of tasks.
type TaskPage struct {
	Tasks []*Task
	Next  string
}

// A list of tasks is read in phases, each a range of the assignees'
// indexes (status, due_at, id) in that order: open tasks with a due date,
// earliest first; open tasks without one; then done and then cancelled
// tasks the same way. A page reads the first phase from its cursor and the
// next ones only while the page is not full, so the done tasks of three
// years are read only by the page that reaches them.
//
// Overdue tasks come first among the open ones: a task is overdue when its
// overdue time (its due date, or the due date and a grace period) has
// passed, so every overdue task is due before every task that is not yet
// due; only a task within its grace period may come before one that is
// overdue.
type taskPhase struct {
	status string
	dated  bool // due_at IS NOT NULL, ordered by (due_at, id); else by id
}

// taskPhases returns the phases a filter reads, in order.
func taskPhases(f TaskFilter) []taskPhase {
	statuses := []string{TaskOpen, TaskDone, TaskCancelled}
	if f.Overdue {
		statuses = []string{TaskOpen}
	}
	var out []taskPhase
	for _, st := range statuses {
		if f.Status != "" && f.Status != st {
			continue
		}
		out = append(out, taskPhase{st, true})
		if f.DueBefore.IsZero() && !f.Overdue { // both need a due date
			out = append(out, taskPhase{st, false})
		}
	}
	return out
}

// taskCursor is the position after the last task of a page: its phase and
// its sort key.
type taskCursor struct {
	phase int
	due   time.Time // zero in an undated phase
	id    string
}

// ListTasks returns the tasks the subject may see at now: those on a case
// the subject may read (the same SQL filter as the case list) and those the
// subject is an assignee of; never on a case the subject is barred from.
// Open tasks first, overdue ones first among them (see taskPhase), by due
// date (no due date last); then done and cancelled ones. The cursor is the
// last task's position, so a page reads only its own tasks' index entries.
func ListTasks(tx *Tx, s access.Subject, now time.Time, f TaskFilter) (*TaskPage, error) {
	f.Limit = taskPageLimit(f.Limit)
	if s.Has(samordna.RoleAdmin) {
		return &TaskPage{}, nil
	}
	phases := taskPhases(f)
	cur, err := decodeTaskCursor(f.Cursor, len(phases))
	if err != nil {
		return nil, err
	}
	page := &TaskPage{}
	var phaseOf []int
	for i := cur.phase; i < len(phases) && len(page.Tasks) <= f.Limit; i++ {
		after := cur
		if i != cur.phase {
			after = taskCursor{phase: i}
		}
		q, args := listTasksSQL(s, now, f, phases[i], after, f.Limit+1-len(page.Tasks))
		tasks, err := queryTasks(tx, "list tasks", q, args...)
		if err != nil {
			return nil, err
		}
		page.Tasks = append(page.Tasks, tasks...)
		for range tasks {
			phaseOf = append(phaseOf, i)
		}
	}
	if len(page.Tasks) > f.Limit {
		last := page.Tasks[f.Limit-1]
		page.Tasks = page.Tasks[:f.Limit]
		page.Next = encodeTaskCursor(phaseOf[f.Limit-1], last)
	}
	return page, nil
}

// ListTasksSQL returns the first query ListTasks runs for the subject at
// now and the filter (the first phase from the cursor, one page and one
// row more), with its arguments, so the benchmark and the plan tests can
// explain the real query. It returns "" for the administrator, who sees no
// tasks.
func ListTasksSQL(s access.Subject, now time.Time, f TaskFilter) (string, []any, error) {
	f.Limit = taskPageLimit(f.Limit)
	phases := taskPhases(f)
	cur, err := decodeTaskCursor(f.Cursor, len(phases))
	if err != nil || s.Has(samordna.RoleAdmin) || len(phases) == 0 {
		return "", nil, err
	}
	q, args := listTasksSQL(s, now, f, phases[cur.phase], cur, f.Limit+1)
	return q, args, nil
}

// taskPageLimit returns the page size for a requested limit: 1 to 100.
func taskPageLimit(n int) int {
	if n <= 0 || n > 100 {
		return 100
	}
	return n
}

// listTasksSQL builds the query for one phase of ListTasks: at most n
// tasks of the phase after the cursor. The tasks to consider are the UNION
// of branches that each start from an index (the subject's assignments,
// and without AssignedToMe the tasks of the readable cases); every filter
// and the phase's order and limit apply inside each branch, so a branch
// walks its index range in order and stops after n rows (an OFFSET, or a
// filter applied after the union, would make it read all of them). The
// union, at most n rows a branch, is then read by primary key, sorted and
// cut to n.
//
// The joins are written as CROSS JOIN with the driving table first: SQLite
// keeps that order (without statistics its planner may otherwise start
// from the tasks' status or municipality index); PostgreSQL treats it as
// an inner join and orders it itself.
func listTasksSQL(s access.Subject, now time.Time, f TaskFilter, ph taskPhase, cur taskCursor, n int) (string, []any) {
	// Every parameter is used (PostgreSQL cannot type an unused one). The
	// phase's status is written into the text, not bound: SQLite matches a
	// bound value against the partial index tasks_overdue_open (status =
	// 'open') and then re-prepares the statement on every run.
	args := []any{s.EmployeeID, s.MunicipalityID}
	status := statusLiteral(ph.status)
	param := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf(`$%d`, len(args))
	}
	filters := []string{
		`tk.municipality_id = $2`,
		`NOT EXISTS (SELECT 1 FROM case_blocks b WHERE b.case_id = tk.case_id AND b.employee_id = $1 AND b.lifted_at IS NULL)`,
	}
	if f.Overdue {
		filters = append(filters, `tk.overdue_after < `+param(now))
	}
	if f.CaseID != "" {
		filters = append(filters, `tk.case_id = `+param(f.CaseID))
	}
	if !f.DueBefore.IsZero() {
		filters = append(filters, `tk.due_at < `+param(f.DueBefore))
	}
	order := func(t string) string { return t + `.id` }
	if ph.dated {
		order = func(t string) string { return t + `.due_at, ` + t + `.id` }
		if cur.id != "" {
			filters = append(filters, `(tk.due_at, tk.id) > (`+param(cur.due)+`, `+param(cur.id)+`)`)
		} else {
			filters = append(filters, `tk.due_at IS NOT NULL`)
		}
	} else {
		filters = append(filters, `tk.due_at IS NULL`)
		if cur.id != "" {
			filters = append(filters, `tk.id > `+param(cur.id))
		}
	}
	branches := assignedTaskBranches(s, "$1", "$2", status)
	if !f.AssignedToMe {
		readable, rargs := access.ReadableCasesSQL(s, now, len(args)+1)
		args = append(args, rargs...)
		branches = append(branches, `SELECT tk.id FROM (`+readable+`) rc CROSS JOIN tasks tk
		  WHERE tk.case_id = rc.case_id`+statusOf("tk", status))
	}
	limit := ` LIMIT ` + strconv.Itoa(n)
	for i, b := range branches {
		branches[i] = `SELECT id FROM (` + b + ` AND ` + strings.Join(filters, ` AND `) +
			` ORDER BY ` + order("tk") + limit + `) b` + strconv.Itoa(i)
	}
	q := `SELECT ` + taskColumns + `
		FROM (` + strings.Join(branches, "\n\t\tUNION ") + `) v CROSS JOIN tasks t
		WHERE t.id = v.id
		ORDER BY ` + order("t") + limit
	return q, args
}

// assignedTaskBranches returns one query per way the subject (employee id
// in parameter emp, municipality in mun) can be an assignee of a task, each
// yielding task ids (column id) and each starting from an index on the
// employee: together, the same tasks as AssignedToSQL. status, when not
// "", is an SQL expression the tasks' status must equal. The role branch,
// for the child-welfare and coordinating-unit roles only, reads the
// municipality's tasks of those roles (tasks_role).
func assignedTaskBranches(s access.Subject, emp, mun, status string) []string {
	only := statusOf("tk", status)
	branches := []string{
		// tasks_employee
		`SELECT tk.id FROM tasks tk WHERE tk.assignee_employee_id = ` + emp + ` AND tk.assignee_kind = 'employee'` + only,
		// team_members_employee, then tasks_team
		`SELECT tk.id FROM team_members tm CROSS JOIN tasks tk
		  WHERE tm.employee_id = ` + emp + ` AND tk.assignee_team_id = tm.team_id AND tk.assignee_kind = 'team'` + only,
		// service_members_employee, then tasks_service
		`SELECT tk.id FROM service_members sm CROSS JOIN tasks tk
		  WHERE sm.employee_id = ` + emp + ` AND tk.assignee_service_id = sm.service_id
		    AND tk.assignee_kind = 'service'` + only,
		// case_coordinators_employee, then tasks_case
		`SELECT tk.id FROM case_coordinators k CROSS JOIN tasks tk
		  WHERE k.employee_id = ` + emp + ` AND k.ended_at IS NULL AND tk.case_id = k.case_id
		    AND tk.assignee_kind = 'group'` + only,
		// group_members_employee, then tasks_case
		`SELECT tk.id FROM group_members gm CROSS JOIN responsibility_groups g CROSS JOIN tasks tk
		  WHERE gm.employee_id = ` + emp + ` AND gm.removed_at IS NULL AND g.id = gm.group_id AND g.closed_at IS NULL
		    AND tk.case_id = g.case_id AND tk.assignee_kind = 'group'` + only,
	}
	if roles := assigneeRoles(s); len(roles) > 0 {
		branches = append(branches, `SELECT tk.id FROM tasks tk WHERE tk.municipality_id = `+mun+`
		  AND tk.assignee_role IN (`+strings.Join(roles, ", ")+`) AND tk.assignee_kind = 'role'`+only)
	}
	return branches
}

// statusLiteral returns a task status as an SQL string literal; it panics
// on anything but the three statuses, which are all it is given.
func statusLiteral(status string) string {
	switch status {
	case TaskOpen, TaskDone, TaskCancelled:
		return `'` + status + `'`
	}
	panic("store: unknown task status " + strconv.Quote(status))
}

// statusOf returns the condition that alias t's status equals status (an
// SQL expression), or "" when status is "".
func statusOf(t, status string) string {
	if status == "" {
		return ""
	}
	return ` AND ` + t + `.status = ` + status
}

// assigneeRoles returns, quoted for SQL, the roles the subject holds that
// tasks are assigned to: child welfare and the coordinating unit.
func assigneeRoles(s access.Subject) []string {
	var roles []string
	for _, r := range []samordna.Role{samordna.RoleChildWelfare, samordna.RoleCoordinatingUnit} {
		if s.Has(r) {
			roles = append(roles, `'`+string(r)+`'`)
		}
	}
	return roles
}

// AssignedToSQL is the condition that the subject (whose employee id is the
// parameter emp) is an assignee of task alias t: the named employee, a
// holder of the task's role, a member of its team or service, or the
// case's coordinator or a member of its open responsibility group. It
// suits one task (IsAssignee); lists use assignedTaskBranches, which
// selects the same tasks from indexes. The two must change together.
func AssignedToSQL(s access.Subject, t, emp string) string {
	roles := assigneeRoles(s)
	conds := []string{
		t + `.assignee_kind = 'employee' AND ` + t + `.assignee_employee_id = ` + emp,
		t + `.assignee_kind = 'team' AND EXISTS (SELECT 1 FROM team_members tm
			WHERE tm.team_id = ` + t + `.assignee_team_id AND tm.employee_id = ` + emp + `)`,
		t + `.assignee_kind = 'service' AND EXISTS (SELECT 1 FROM service_members sm
			WHERE sm.service_id = ` + t + `.assignee_service_id AND sm.employee_id = ` + emp + `)`,
		t + `.assignee_kind = 'group' AND (EXISTS (SELECT 1 FROM case_coordinators k
			WHERE k.case_id = ` + t + `.case_id AND k.employee_id = ` + emp + ` AND k.ended_at IS NULL)
			OR EXISTS (SELECT 1 FROM responsibility_groups g JOIN group_members gm ON gm.group_id = g.id
			WHERE g.case_id = ` + t + `.case_id AND g.closed_at IS NULL AND gm.employee_id = ` + emp + `
			  AND gm.removed_at IS NULL))`,
	}
	if len(roles) > 0 {
		conds = append(conds, t+`.assignee_kind = 'role' AND `+t+`.assignee_role IN (`+strings.Join(roles, ", ")+`)`)
	}
	return `((` + strings.Join(conds, `) OR (`) + `))`
}

// IsAssignee reports whether the employee is an assignee of the task (see
// AssignedToSQL).
func IsAssignee(tx *Tx, taskID string, s access.Subject) (bool, error) {
	var n int
	err := tx.QueryRow(`SELECT COUNT(*) FROM tasks t WHERE t.id = $2 AND t.municipality_id = $3 AND `+
		AssignedToSQL(s, "t", "$1"), s.EmployeeID, taskID, s.MunicipalityID).Scan(&n)
	return n > 0, wrap(err, "is assignee")
}

// AssignedTaskIDs returns which of the tasks the employee is an assignee of
// (see AssignedToSQL), in one statement: the lists ask it for a whole page
// at once rather than IsAssignee per task.
func AssignedTaskIDs(tx *Tx, s access.Subject, taskIDs []string) (map[string]bool, error) {
	mine := map[string]bool{}
	if len(taskIDs) == 0 {
		return mine, nil
	}
	in, args := inList([]any{s.EmployeeID, s.MunicipalityID}, taskIDs)
	ids, err := queryIDs(tx, "assigned tasks", `SELECT t.id FROM tasks t WHERE t.municipality_id = $2 AND t.id IN (`+in+
		`) AND `+AssignedToSQL(s, "t", "$1"), args...)
	for _, id := range ids {
		mine[id] = true
	}
	return mine, err
}

// TaskAssigneeIDs returns the employees who are assignees of the task: the
// named employee, or the active role holders of the municipality, the
// team's or service's members, or the case's coordinator and group members.
// A disabled employee stays in their services, teams and groups until
// someone changes them, but is never picked from them: nothing is sent to
// them for a task of the whole service, team or group.
func TaskAssigneeIDs(tx *Tx, t *Task) ([]string, error) {
	switch t.AssigneeKind {
	case AssignEmployee:
		// The one named, even when disabled: their leaders must still hear
		// of the task (DisableEmployee hands such tasks over).
		return []string{t.EmployeeID}, nil
	case AssignRole:
		return activeIDs(tx, "role holders", `SELECT r.employee_id FROM employee_roles r JOIN employees e ON e.id = r.employee_id
			WHERE e.municipality_id = $1 AND r.role = $2`, t.MunicipalityID, t.Role)
	case AssignTeam:
		return activeIDs(tx, "team members", `SELECT employee_id FROM team_members WHERE team_id = $1`, t.TeamID)
	case AssignService:
		return activeIDs(tx, "service members", `SELECT employee_id FROM service_members WHERE service_id = $1`, t.ServiceID)
	case AssignGroup:
		return activeIDs(tx, "group", `SELECT employee_id FROM case_coordinators WHERE case_id = $1 AND ended_at IS NULL
			UNION SELECT gm.employee_id FROM responsibility_groups g JOIN group_members gm ON gm.group_id = g.id
			WHERE g.case_id = $1 AND g.closed_at IS NULL AND gm.removed_at IS NULL AND gm.employee_id IS NOT NULL`, t.CaseID)
	}
	return nil, nil
}

// activeIDs runs q, which selects employee ids, and returns those of
// employees who are not disabled, in id order.
func activeIDs(tx *Tx, what, q string, args ...any) ([]string, error) {
	return queryIDs(tx, what, `SELECT e.id FROM employees e WHERE NOT e.disabled AND e.id IN (`+q+`) ORDER BY e.id`, args...)
}

// LeadersOf returns the active leaders of the services the employees are
// members of (each once, never one of the employees themselves).
func LeadersOf(tx *Tx, employeeIDs []string) ([]string, error) {
	seen := map[string]bool{}
	for _, id := range employeeIDs {
		seen[id] = true
	}
	var out []string
	for _, id := range employeeIDs {
		leaders, err := activeIDs(tx, "leaders", `SELECT l.employee_id FROM service_leaders l
			JOIN service_members m ON m.service_id = l.service_id WHERE m.employee_id = $1`, id)
		if err != nil {
			return nil, err
		}
		for _, l := range leaders {
			if !seen[l] {
				seen[l] = true
				out = append(out, l)
			}
		}
	}
	return out, nil
}

// queryTasks runs a query selecting taskColumns.
func queryTasks(tx *Tx, what, q string, args ...any) ([]*Task, error) {
	rows, err := tx.Query(q, args...)
	if err != nil {
		return nil, wrap(err, what)
	}
	defer rows.Close()
	var out []*Task
	for rows.Next() {
		t, err := scanTask(rows)
		if err != nil {
			return nil, wrap(err, what)
		}
		out = append(out, t)
	}
	return out, wrap(rows.Err(), what)
}

// encodeTaskCursor makes the opaque cursor after task t, read in phase.
func encodeTaskCursor(phase int, t *Task) string {
	due := ""
	if t.DueAt != nil {
		due = t.DueAt.UTC().Format(time.RFC3339Nano)
	}
	return base64.RawURLEncoding.EncodeToString([]byte("k:" + strconv.Itoa(phase) + ":" + due + ":" + t.ID))
}

// decodeTaskCursor reads a cursor made by encodeTaskCursor for a list of
// phases phases; "" is the start of the first phase.
func decodeTaskCursor(s string, phases int) (taskCursor, error) {
	bad := samordna.Errorf(samordna.KindInvalid, "bad_cursor", "the cursor is not valid")
	if s == "" {
		return taskCursor{}, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	parts := strings.SplitN(string(b), ":", 3)
	if err != nil || len(parts) != 3 || parts[0] != "k" {
		return taskCursor{}, bad
	}
	// The time holds colons itself: the id is after the last one.
	due, id := "", parts[2]
	if i := strings.LastIndexByte(parts[2], ':'); i >= 0 {
		due, id = parts[2][:i], parts[2][i+1:]
	}
	var c taskCursor
	c.phase, err = strconv.Atoi(parts[1])
	if err != nil || c.phase < 0 || c.phase >= phases || id == "" || len(id) > 64 {
		return taskCursor{}, bad
	}
	c.id = id
	if due != "" {
		if c.due, err = time.Parse(time.RFC3339Nano, due); err != nil {
			return taskCursor{}, bad
		}
	}
	return c, nil
}

// TaskCancelled is the status of a task that is no longer needed (for
// example a plan's measure that was removed).
const TaskCancelled = "cancelled"

// CancelTask marks an open task cancelled; a task that is not open is left
// as it is.
func CancelTask(tx *Tx, id, by string, at time.Time) error {
	_, err := tx.Exec(`UPDATE tasks SET status = 'cancelled', completed_at = $1, completed_by = $2
		WHERE id = $3 AND status = 'open'`, at, nullable(by), id)
	return wrap(err, "cancel task")
}

// RescheduleTask changes an open task's title, assignee employee (when
// employeeID is not "") and deadlines, and clears its escalation so that a
// new deadline can escalate again.
func RescheduleTask(tx *Tx, id, title, employeeID string, due, overdueAfter *time.Time) error {
	_, err := tx.Exec(`UPDATE tasks SET title = $1, due_at = $2, overdue_after = $3, escalated_at = NULL,
		assignee_employee_id = COALESCE($4, assignee_employee_id)
		WHERE id = $5 AND status = 'open'`, title, due, overdueAfter, nullable(employeeID), id)
	return wrap(err, "reschedule task")
}

// HandTaskTo gives an open task to one named employee (a withdrawal hands
// the members' tasks back to the coordinator), clearing its escalation so
// that its deadline can escalate to the new assignee.
func HandTaskTo(tx *Tx, id, employeeID string) error {
	_, err := tx.Exec(`UPDATE tasks SET assignee_kind = 'employee', assignee_employee_id = $1, assignee_role = '',
		assignee_team_id = NULL, assignee_service_id = NULL, escalated_at = NULL
		WHERE id = $2 AND status = 'open'`, employeeID, id)
	return wrap(err, "hand task to")
}

// OverdueTasksOfLedServices returns the open tasks past their due date
// that are the work of a service the leader leads: named to one of its
// members, or given to the service itself; the most overdue first (at most
// limit, at most 100). Only the routine's title, the due date and the
// assignee's name are read: the leader sees deadlines, never the case.
func OverdueTasksOfLedServices(tx *Tx, leaderID string, now time.Time, limit int) ([]*Task, error) {
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	return queryTasks(tx, "overdue tasks of led services", `SELECT `+taskColumns+` FROM tasks t
		WHERE t.status = 'open' AND t.due_at IS NOT NULL AND t.due_at < $2 AND (
		  (t.assignee_kind = 'employee' AND t.assignee_employee_id IN (SELECT m.employee_id FROM service_leaders l
		     JOIN service_members m ON m.service_id = l.service_id WHERE l.employee_id = $1))
		  OR (t.assignee_kind = 'service' AND t.assignee_service_id IN (SELECT l.service_id FROM service_leaders l
		     WHERE l.employee_id = $1)))
		ORDER BY t.due_at, t.id LIMIT `+strconv.Itoa(limit), leaderID, now)
}
