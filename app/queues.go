package app

import (
	"context"
	"sort"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/store"
)

// StartQueues is what waits for the employee in each role, for the start
// page (issue 13, point 6); the most pressing first everywhere.
type StartQueues struct {
	// The coordinating unit: applications waiting for a decision, oldest
	// (the longest waiting) first.
	Applications []*store.Application
	// Child welfare (and the mental health and substance service for the
	// duty to inform): reports not yet acknowledged, acute first, then by
	// the acknowledgement deadline.
	Reports []*ReportView
	// A coordinator: appointments (and handovers) to accept, and cases
	// with a responsibility group but no meeting planned.
	Appointments   []CoordinatorCase
	MeetingsToPlan []CoordinatorCase
	// A service leader: the open tasks of the led services past their due
	// date, the most overdue first (titles and deadlines, no case content).
	ServiceOverdue []*store.Task
}

// StartQueues collects the queues that apply to the actor's roles. Each
// list is read by the function that lists it elsewhere (with its own audit
// row); the administrator, who sees no case content, gets none.
func (a *App) StartQueues(ctx context.Context, actor *samordna.Actor) (*StartQueues, error) {
	q := &StartQueues{}
	e := actor.Employee
	if e == nil || e.HasRole(samordna.RoleAdmin) {
		return q, nil
	}
	if e.HasRole(samordna.RoleCoordinatingUnit) {
		page, err := a.ApplicationInbox(ctx, actor, store.ApplicationSubmitted, "", 20)
		if err != nil {
			return nil, err
		}
		q.Applications = page.Items
	}
	inbox, err := a.ReportInbox(ctx, actor)
	if err != nil {
		return nil, err
	}
	for _, r := range inbox {
		if r.Status == store.ReportSent {
			q.Reports = append(q.Reports, r)
		}
	}
	sort.SliceStable(q.Reports, func(i, j int) bool {
		x, y := q.Reports[i], q.Reports[j]
		if x.Acute != y.Acute {
			return x.Acute
		}
		if x.AckDueAt != nil && y.AckDueAt != nil && !x.AckDueAt.Equal(*y.AckDueAt) {
			return x.AckDueAt.Before(*y.AckDueAt)
		}
		return x.SentAt.Before(y.SentAt)
	})
	mine, err := a.MyCoordinatorCases(ctx, actor)
	if err != nil {
		return nil, err
	}
	for _, k := range mine {
		switch {
		case k.Status == store.CoordinatorAppointed || k.Status == "handover_offered":
			q.Appointments = append(q.Appointments, k)
		case k.HasGroup && k.NextMeeting == nil:
			q.MeetingsToPlan = append(q.MeetingsToPlan, k)
		}
	}
	if e.HasRole(samordna.RoleServiceLeader) {
		err := a.DB.Read(ctx, func(tx *store.Tx) error {
			var err error
			q.ServiceOverdue, err = store.OverdueTasksOfLedServices(tx, e.ID, a.now(), 20)
			return err
		})
		if err != nil {
			return nil, err
		}
		// The listing names no case; it is durable before the list leaves.
		if err := a.auditGrouped(ctx, actor, samordna.AuditEvent{ObjectType: "task", Action: "list_service_overdue"}); err != nil {
			return nil, err
		}
	}
	return q, nil
}
