package bench

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/samordna/samordna/access"
	"github.com/samordna/samordna/store"
)

// tasksQueryOps runs the "Mine oppgaver" query alone, in a read
// transaction, for coordinators: as store.ListTasks builds it today and in
// the proposed form (myTasksSQL). It first checks that both forms return
// the same tasks for every user it drives, so the comparison is fair; the
// returned note says whether they did.
func tasksQueryOps(ctx context.Context, t *target, vus int) (current, proposed Op, note string, err error) {
	w := t.w
	var subjects []access.Subject
	seen := map[int32]bool{}
	for k := range w.cases {
		p := &w.cases[k]
		if p.coord >= 0 && p.closed == 0 && !seen[p.coord] && len(subjects) < max(vus, 16) {
			seen[p.coord] = true
			e := &w.employees[p.coord]
			subjects = append(subjects, access.Subject{EmployeeID: e.id, MunicipalityID: w.munis[e.mun].id,
				Roles: e.roles()})
		}
	}
	if len(subjects) == 0 {
		return nil, nil, "", fmt.Errorf("no coordinator")
	}
	run := func(ctx context.Context, q string, s access.Subject) ([]string, error) {
		var ids []string
		err := t.db.Read(ctx, func(tx *store.Tx) error {
			rows, err := tx.Query(q, s.EmployeeID, s.MunicipalityID, time.Now())
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var id string
				if err := rows.Scan(&id); err != nil {
					return err
				}
				ids = append(ids, id)
			}
			return rows.Err()
		})
		return ids, err
	}
	// Check a few (the current form can take seconds per user at scale 1).
	same, checked := 0, 0
	for _, s := range subjects[:min(4, len(subjects))] {
		checked++
		cur, prop := myTasksSQL(s)
		a, err := run(ctx, cur, s)
		if err != nil {
			return nil, nil, "", err
		}
		b, err := run(ctx, prop, s)
		if err != nil {
			return nil, nil, "", err
		}
		if slices.Equal(a, b) {
			same++
		}
	}
	note = fmt.Sprintf("both forms gave the same tasks for %d of %d coordinators checked", same, checked)
	op := func(proposedForm bool) Op {
		return func(ctx context.Context, vu int) error {
			s := subjects[vu%len(subjects)]
			cur, prop := myTasksSQL(s)
			q := cur
			if proposedForm {
				q = prop
			}
			_, err := run(ctx, q, s)
			return err
		}
	}
	return op(false), op(true), note, nil
}
