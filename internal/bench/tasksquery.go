package bench

import (
	"context"
	"fmt"
	"time"

	"github.com/samordna/samordna/access"
	"github.com/samordna/samordna/store"
)

// myTasksQueryOp runs "Mine oppgaver" in process: store.ListTasks with
// AssignedToMe for a coordinator, in a read transaction, without the HTTP
// request and its audit row around it, so the query's own cost shows.
func myTasksQueryOp(t *target, vus int) (Op, error) {
	subjects := coordinatorSubjects(t.w, max(vus, 16))
	if len(subjects) == 0 {
		return nil, fmt.Errorf("no coordinator")
	}
	return func(ctx context.Context, vu int) error {
		s := subjects[vu%len(subjects)]
		return t.db.Read(ctx, func(tx *store.Tx) error {
			_, err := store.ListTasks(tx, s, time.Now(), store.TaskFilter{AssignedToMe: true})
			return err
		})
	}, nil
}

// coordinatorSubjects returns up to n coordinators of open cases, each
// once, as the access policy sees them.
func coordinatorSubjects(w *world, n int) []access.Subject {
	var subjects []access.Subject
	seen := map[int32]bool{}
	for k := range w.cases {
		p := &w.cases[k]
		if p.coord >= 0 && p.closed == 0 && !seen[p.coord] && len(subjects) < n {
			seen[p.coord] = true
			e := &w.employees[p.coord]
			subjects = append(subjects, access.Subject{EmployeeID: e.id, MunicipalityID: w.munis[e.mun].id,
				Roles: e.roles()})
		}
	}
	return subjects
}
