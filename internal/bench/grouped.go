package bench

import (
	"context"
	"errors"
	"sync/atomic"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/access"
	"github.com/samordna/samordna/store"
)

// openCaseCore is the storage half of opening a case, in process: read the
// access facts, decide, read the case, append the durable audit row — in
// one transaction, with write (store.DB.Write: one commit each) or
// store.DB.WriteGrouped (commits shared). It shows what group commit gives
// the open-case path before the app uses it.
func openCaseCore(t *target, grouped bool) Op {
	w := t.w
	type user struct {
		s     access.Subject
		e     *employee
		cases []string
		next  atomic.Int64 // several virtual users may share a user
	}
	var users []*user
	byEmp := map[int32]*user{}
	for k := range w.cases {
		p := &w.cases[k]
		if p.coord < 0 || p.closed > 0 {
			continue
		}
		u := byEmp[p.coord]
		if u == nil {
			e := &w.employees[p.coord]
			u = &user{e: e, s: access.Subject{EmployeeID: e.id, MunicipalityID: w.munis[e.mun].id, Roles: e.roles()}}
			byEmp[p.coord] = u
			users = append(users, u)
		}
		u.cases = append(u.cases, w.caseID(k))
	}
	write := t.db.Write
	if grouped {
		write = t.db.WriteGrouped
	}
	return func(ctx context.Context, vu int) error {
		u := users[vu%len(users)]
		caseID := u.cases[int(u.next.Add(1)-1)%len(u.cases)]
		return write(ctx, func(tx *store.Tx) error {
			now := time.Now()
			f, ok, err := store.CaseFacts(tx, caseID, u.s, now)
			if err != nil {
				return err
			}
			if !ok || !access.Can(u.s, access.Read, f) {
				return errors.New("open case: refused a case the coordinator may read")
			}
			c, err := store.CaseByID(tx, caseID)
			if err != nil {
				return err
			}
			ev := samordna.AuditEvent{At: now, ActorID: u.e.id, ActorUsername: u.e.username,
				ActorRole: string(samordna.RoleEmployee), CaseID: c.ID, PersonID: c.SubjectPersonID, ObjectType: "case",
				ObjectID: c.ID, Action: "read", Outcome: samordna.OutcomeAllowed, Purpose: string(access.ReadReason(u.s, f))}
			return store.AppendAudit(tx, &ev)
		})
	}
}
