package bench

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/samordna/samordna/access"
	"github.com/samordna/samordna/store"
)

// This file asks the database how it runs the queries behind the per-user
// pages and the background jobs (EXPLAIN QUERY PLAN on SQLite, EXPLAIN on
// PostgreSQL), so the report can show that no per-user page scans all
// cases — or name the one that does. The texts mirror the store's queries:
// the list filters come from the same exported builders
// (access.ReadableCasesSQL, store.AssignedToSQL); the rest are copied from
// store (tasks.go, groups.go, coordinators.go) and must follow them.

// plannedQuery is one query to explain, with arguments for a typical user.
type plannedQuery struct {
	name string
	sql  string
	args []any
}

func (t *target) plannedQueries() []plannedQuery {
	w := t.w
	now := time.Now()
	var coord, unit *employee
	for i := range w.employees {
		e := &w.employees[i]
		if e.kind == empCoordinator && coord == nil {
			coord = e
		}
		if e.kind == empUnit && unit == nil {
			unit = e
		}
	}
	subject := func(e *employee) access.Subject {
		return access.Subject{EmployeeID: e.id, MunicipalityID: w.munis[e.mun].id, Roles: e.roles()}
	}
	list := func(s access.Subject) (string, []any) {
		readable, args := access.ReadableCasesSQL(s, now, 1)
		return `SELECT c.id FROM cases c WHERE c.id IN (` + readable + `)
			ORDER BY c.updated_at DESC, c.id DESC LIMIT 51`, args
	}
	cs, cargs := list(subject(coord))
	us, uargs := list(subject(unit))
	cSub := subject(coord)
	tasks, proposed := myTasksSQL(cSub)
	from := time.Date(now.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(1, 0, 0)
	m := w.munis[unit.mun].id
	return []plannedQuery{
		{"case_list (coordinator)", cs, cargs},
		{"case_list (coordinating unit)", us, uargs},
		{"my_tasks (coordinator)", tasks, []any{cSub.EmployeeID, cSub.MunicipalityID, now}},
		{"my_tasks (coordinator), proposed", proposed, []any{cSub.EmployeeID, cSub.MunicipalityID, now}},
		{"overdue_sweep", `SELECT id FROM tasks WHERE status = 'open' AND escalated_at IS NULL AND overdue_after < $1
			ORDER BY overdue_after, id LIMIT 100`, []any{now}},
		{"yearly_counts: groups", `SELECT
			COALESCE(SUM(CASE WHEN g.created_at < $3 AND (g.closed_at IS NULL OR g.closed_at >= $2) THEN 1 ELSE 0 END), 0)
			FROM responsibility_groups g JOIN cases c ON c.id = g.case_id WHERE c.municipality_id = $1`, []any{m, from, to}},
		{"yearly_counts: plans", `SELECT COUNT(DISTINCT pl.case_id) FROM plans pl JOIN cases c ON c.id = pl.case_id
			WHERE c.municipality_id = $1 AND pl.kind = 'individual_plan' AND pl.created_at < $2
			AND (pl.closed_at IS NULL OR pl.closed_at >= $3)`, []any{m, to, from}},
		{"yearly_counts: coordinators", `SELECT COUNT(DISTINCT k.case_id), COUNT(DISTINCT k.employee_id)
			FROM case_coordinators k JOIN cases c ON c.id = k.case_id
			WHERE c.municipality_id = $1 AND k.appointed_at < $3 AND (k.ended_at IS NULL OR k.ended_at >= $2)`,
			[]any{m, from, to}},
	}
}

// explain returns each planned query's plan, one line per step.
func (t *target) explain(ctx context.Context) (map[string][]string, error) {
	out := map[string][]string{}
	prefix := "EXPLAIN QUERY PLAN "
	if t.dialect == "postgres" {
		prefix = "EXPLAIN "
	}
	for _, q := range t.plannedQueries() {
		err := t.db.Read(ctx, func(tx *store.Tx) error {
			rows, err := tx.Query(prefix+q.sql, q.args...)
			if err != nil {
				return err
			}
			defer rows.Close()
			colNames, _ := rows.Columns()
			for rows.Next() {
				vals := make([]any, len(colNames))
				ptrs := make([]any, len(colNames))
				for i := range vals {
					ptrs[i] = &vals[i]
				}
				if err := rows.Scan(ptrs...); err != nil {
					return err
				}
				// SQLite: id, parent, notused, detail; PostgreSQL: one text column.
				line := fmt.Sprint(vals[len(vals)-1])
				if b, ok := vals[len(vals)-1].([]byte); ok {
					line = string(b)
				}
				out[q.name] = append(out[q.name], strings.TrimRight(line, " "))
			}
			return rows.Err()
		})
		if err != nil {
			return nil, fmt.Errorf("explain %s: %w", q.name, err)
		}
	}
	return out, nil
}

// planNames lists the planned queries in report order.
func (t *target) planNames() []string {
	return []string{"case_list (coordinator)", "case_list (coordinating unit)", "my_tasks (coordinator)",
		"my_tasks (coordinator), proposed",
		"overdue_sweep", "yearly_counts: groups", "yearly_counts: plans", "yearly_counts: coordinators"}
}

// myTasksSQL returns the query behind "Mine oppgaver" as store.ListTasks
// builds it for s (assigned=me), and the proposed form that finds the
// assigned tasks branch by branch from indexes (docs/PERFORMANCE.md). Both
// take $1 employee, $2 municipality, $3 now.
func myTasksSQL(s access.Subject) (current, proposed string) {
	current = `SELECT t.id FROM tasks t WHERE t.municipality_id = $2
		AND NOT EXISTS (SELECT 1 FROM case_blocks b WHERE b.case_id = t.case_id AND b.employee_id = $1 AND b.lifted_at IS NULL)
		AND ` + store.AssignedToSQL(s, "t", "$1") + `
		ORDER BY CASE WHEN t.status = 'open' THEN 0 ELSE 1 END,
		         CASE WHEN t.status = 'open' AND t.overdue_after < $3 THEN 0 ELSE 1 END,
		         CASE WHEN t.due_at IS NULL THEN 1 ELSE 0 END, t.due_at, t.id LIMIT 101`
	// The proposed form of the same list (docs/PERFORMANCE.md): the tasks
	// the subject is an assignee of, found branch by branch from indexes.
	proposed = `SELECT t.id FROM tasks t WHERE t.id IN (
		SELECT id FROM tasks WHERE assignee_employee_id = $1 AND assignee_kind = 'employee'
		UNION ALL SELECT x.id FROM team_members tm JOIN tasks x ON x.assignee_team_id = tm.team_id
		  WHERE tm.employee_id = $1 AND x.assignee_kind = 'team'
		UNION ALL SELECT x.id FROM case_coordinators k JOIN tasks x ON x.case_id = k.case_id
		  WHERE k.employee_id = $1 AND k.ended_at IS NULL AND x.assignee_kind = 'group'
		UNION ALL SELECT x.id FROM group_members gm JOIN responsibility_groups g ON g.id = gm.group_id
		  JOIN tasks x ON x.case_id = g.case_id
		  WHERE gm.employee_id = $1 AND gm.removed_at IS NULL AND g.closed_at IS NULL AND x.assignee_kind = 'group')
		AND t.municipality_id = $2
		AND NOT EXISTS (SELECT 1 FROM case_blocks b WHERE b.case_id = t.case_id AND b.employee_id = $1 AND b.lifted_at IS NULL)
		ORDER BY CASE WHEN t.status = 'open' THEN 0 ELSE 1 END,
		         CASE WHEN t.status = 'open' AND t.overdue_after < $3 THEN 0 ELSE 1 END,
		         CASE WHEN t.due_at IS NULL THEN 1 ELSE 0 END, t.due_at, t.id LIMIT 101`
	return current, proposed
}
