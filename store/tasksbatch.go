package store

import (
	"fmt"
	"strings"

	"github.com/samordna/samordna"
)

// This file writes and reads several tasks in one statement: registering a
// concern (and every routine event) starts a handful of steps at once, and
// each statement costs CPU in the engine and, on SQLite, time on the single
// writer.

// taskInsertColumns are the columns CreateTask and CreateTasks write, in
// the order taskInsertValues gives them.
const taskInsertColumns = `id, case_id, municipality_id, kind, routine_id, routine_version, step_id,
		plan_id, title, responsible, assignee_kind, assignee_employee_id, assignee_role, assignee_team_id,
		assignee_service_id, status, started_at, due_at, overdue_after, previous_task_id, created_at, deadline_source`

// taskInsertValues returns the values of taskInsertColumns for t.
func taskInsertValues(t *Task) []any {
	return []any{t.ID, t.CaseID, t.MunicipalityID, t.Kind, t.RoutineID, t.RoutineVersion, t.StepID, t.PlanID, t.Title,
		t.Responsible, t.AssigneeKind, nullable(t.EmployeeID), t.Role, nullable(t.TeamID), nullable(t.ServiceID),
		t.Status, t.StartedAt, t.DueAt, t.OverdueAfter, t.PreviousTaskID, t.CreatedAt, t.DeadlineSource}
}

// maxTaskRowsPerInsert bounds one multi-row INSERT (22 parameters a row,
// well below either database's limit on parameters).
const maxTaskRowsPerInsert = 50

// CreateTasks inserts the tasks with one multi-row INSERT (per 50 tasks),
// giving each without an id a new one. It writes what CreateTask would for
// each; nothing when tasks is empty.
func CreateTasks(tx *Tx, tasks []*Task) error {
	for len(tasks) > 0 {
		n := min(len(tasks), maxTaskRowsPerInsert)
		if err := insertTasks(tx, tasks[:n]); err != nil {
			return err
		}
		tasks = tasks[n:]
	}
	return nil
}

// insertTasks inserts tasks with one statement.
func insertTasks(tx *Tx, tasks []*Task) error {
	var rows []string
	var args []any
	for _, t := range tasks {
		if t.ID == "" {
			t.ID = samordna.NewID()
		}
		vals := taskInsertValues(t)
		ph := make([]string, len(vals))
		for i := range vals {
			ph[i] = fmt.Sprintf("$%d", len(args)+i+1)
		}
		args = append(args, vals...)
		rows = append(rows, "("+strings.Join(ph, ", ")+")")
	}
	_, err := tx.Exec(`INSERT INTO tasks (`+taskInsertColumns+`) VALUES `+strings.Join(rows, ", "), args...)
	return wrap(err, "create tasks")
}

// TasksByIDs returns the tasks with the ids, in the order of ids, with the
// assignee's name (as TaskByID), in one query. It fails with
// samordna.ErrNotFound when one of them does not exist. It does not check
// access.
func TasksByIDs(tx *Tx, ids []string) ([]*Task, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	ph := make([]string, len(ids))
	args := make([]any, len(ids))
	for i, id := range ids {
		ph[i], args[i] = fmt.Sprintf("$%d", i+1), id
	}
	found, err := queryTasks(tx, "tasks by ids", `SELECT `+taskColumns+` FROM tasks t WHERE t.id IN (`+
		strings.Join(ph, ", ")+`)`, args...)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*Task, len(found))
	for _, t := range found {
		byID[t.ID] = t
	}
	out := make([]*Task, len(ids))
	for i, id := range ids {
		if out[i] = byID[id]; out[i] == nil {
			return nil, samordna.ErrNotFound
		}
	}
	return out, nil
}

// OpenStepIDs returns the steps of the case that have an open task, as a
// set, in one query (rather than one query a step).
func OpenStepIDs(tx *Tx, caseID string) (map[string]bool, error) {
	ids, err := queryIDs(tx, "open steps", `SELECT DISTINCT step_id FROM tasks WHERE case_id = $1 AND status = 'open'`, caseID)
	if err != nil {
		return nil, err
	}
	out := make(map[string]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}
