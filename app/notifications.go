package app

import (
	"context"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/store"
)

// This file tells employees what needs them: in-app notifications, each
// with an outbox row for an e-mail sent later. A notification names what
// happened and what it refers to, never the content: the pages word it in
// the reader's language from its kind.

// Notification kinds.
const (
	NoticeTaskOverdue          = "task_overdue"          // a task is past its deadline (to the assignees and their leaders)
	NoticeDeviation            = "deviation"             // a plan's deadline was missed; the plan is to be revised
	NoticeReportArrived        = "report_arrived"        // a report arrived in the service's inbox
	NoticeAcuteReportArrived   = "acute_report_arrived"  // an acute report arrived
	NoticeReportAcknowledged   = "report_acknowledged"   // the receiving service acknowledged the sender's report
	NoticeReportUnacknowledged = "report_unacknowledged" // an acute report was not acknowledged in time
	NoticeNextOfKinQuestion    = "next_of_kin_question"  // ask whether the person has children under 18 (hlspl § 10a)
	NoticeFeedbackFlag         = "feedback_flag"         // FIT: no progress after several sessions, or a weak alliance
)

// notify writes a notification (and its outbox row) for each employee,
// each once.
func (a *App) notify(tx *store.Tx, employeeIDs []string, kind, caseID, taskID, reportID string) error {
	seen := map[string]bool{}
	for _, id := range employeeIDs {
		if id == "" || seen[id] {
			continue
		}
		seen[id] = true
		n := &store.Notification{EmployeeID: id, Kind: kind, CaseID: caseID, TaskID: taskID, ReportID: reportID,
			CreatedAt: a.now()}
		if err := store.CreateNotification(tx, n); err != nil {
			return err
		}
	}
	return nil
}

// Notifications returns the actor's own notifications, unread first, then
// newest first (at most 200). They hold no content, so reading them is not
// audited.
func (a *App) Notifications(ctx context.Context, actor *samordna.Actor, unreadOnly bool) ([]*store.Notification, error) {
	if actor == nil || actor.Employee == nil {
		return nil, samordna.ErrNotFound
	}
	var out []*store.Notification
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		var err error
		out, err = store.NotificationsOf(tx, actor.Employee.ID, unreadOnly, 200)
		return err
	})
	return out, err
}

// UnreadNotifications counts the actor's unread notifications.
func (a *App) UnreadNotifications(ctx context.Context, actor *samordna.Actor) (int, error) {
	if actor == nil || actor.Employee == nil {
		return 0, nil
	}
	var n int
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		var err error
		n, err = store.CountUnreadNotifications(tx, actor.Employee.ID)
		return err
	})
	return n, err
}

// MarkNotificationRead marks one of the actor's own notifications read.
// Errors: samordna.ErrNotFound for another employee's or a missing one.
func (a *App) MarkNotificationRead(ctx context.Context, actor *samordna.Actor, id string) error {
	if actor == nil || actor.Employee == nil {
		return samordna.ErrNotFound
	}
	return a.DB.Write(ctx, func(tx *store.Tx) error {
		return store.MarkNotificationRead(tx, id, actor.Employee.ID, a.now())
	})
}
