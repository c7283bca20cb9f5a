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
// cases — or name the one that does. The list queries come from the
// store's own builders (store.ListReadableCasesSQL and store.ListTasksSQL,
// the very queries store.ListReadableCases and store.ListTasks run); the rest are copied from store
// (tasks.go, groups.go, coordinators.go) and must follow them.

// plannedQuery is one query to explain, with arguments for a typical user.
type plannedQuery struct {
	name string
	sql  string
	args []any
}

func (t *target) plannedQueries() ([]plannedQuery, error) {
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
	cs, cargs, err := store.ListReadableCasesSQL(subject(coord), now, "", 50)
	if err != nil {
		return nil, err
	}
	us, uargs, err := store.ListReadableCasesSQL(subject(unit), now, "", 50)
	if err != nil {
		return nil, err
	}
	tasks, targs, err := store.ListTasksSQL(subject(coord), now, store.TaskFilter{AssignedToMe: true})
	if err != nil {
		return nil, err
	}
	from := time.Date(now.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(1, 0, 0)
	m := w.munis[unit.mun].id
	return []plannedQuery{
		{"case_list (coordinator)", cs, cargs},
		{"case_list (coordinating unit)", us, uargs},
		{"my_tasks (coordinator)", tasks, targs},
		{"overdue_sweep", `SELECT id FROM tasks WHERE status = 'open' AND escalated_at IS NULL AND overdue_after < $1
			ORDER BY overdue_after, id LIMIT 100`, []any{now}},
		{"yearly_counts: groups", `SELECT
			COALESCE(SUM(CASE WHEN g.created_at < $3 AND (g.closed_at IS NULL OR g.closed_at >= $2) THEN 1 ELSE 0 END), 0)
			FROM responsibility_groups g WHERE g.municipality_id = $1 AND g.created_at < $3`, []any{m, from, to}},
		{"yearly_counts: plans", `SELECT COUNT(DISTINCT pl.case_id) FROM plans pl
			WHERE pl.municipality_id = $1 AND pl.kind = 'individual_plan' AND pl.created_at < $3
			AND (pl.closed_at IS NULL OR pl.closed_at >= $2)`, []any{m, from, to}},
		{"yearly_counts: coordinators", `SELECT COUNT(DISTINCT k.case_id), COUNT(DISTINCT k.employee_id)
			FROM case_coordinators k
			WHERE k.municipality_id = $1 AND k.appointed_at < $3 AND (k.ended_at IS NULL OR k.ended_at >= $2)`,
			[]any{m, from, to}},
	}, nil
}

// explain returns each planned query's plan, one line per step.
func (t *target) explain(ctx context.Context) (map[string][]string, error) {
	out := map[string][]string{}
	prefix := "EXPLAIN QUERY PLAN "
	if t.dialect == "postgres" {
		prefix = "EXPLAIN "
	}
	queries, err := t.plannedQueries()
	if err != nil {
		return nil, err
	}
	for _, q := range queries {
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
		"overdue_sweep", "yearly_counts: groups", "yearly_counts: plans", "yearly_counts: coordinators"}
}
