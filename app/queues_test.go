package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// Issue 13 point 6: each role's start page shows its queue, the most
// pressing first: the coordinating unit's waiting applications, child
// welfare's reports to acknowledge (acute first), the coordinator's
// appointment to accept and then the group without a planned meeting, a
// leader's overdue tasks in the service; the administrator gets none.
func TestStartQueues(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newCoordWorld(t, db)
		ctx := context.Background()
		queues := func(who string) *app.StartQueues {
			t.Helper()
			q, err := w.app.StartQueues(ctx, w.as(who))
			w.must(err)
			return q
		}
		caseID := w.newCase(w.child)
		ap, err := w.app.SubmitApplication(ctx, w.as("ola"), caseID, app.NewApplication{Coordinator: true})
		w.must(err)
		if q := queues("kari"); len(q.Applications) != 1 || q.Applications[0].ID != ap.ID {
			t.Errorf("the unit's queue: %+v", q.Applications)
		}
		if q := queues("ola"); len(q.Applications) != 0 {
			t.Errorf("a teacher sees applications: %+v", q.Applications)
		}

		// Child welfare: the acute report first, though it came later.
		_, err = w.app.SendReport(ctx, w.as("ola"), caseID, app.NewReport{Kind: app.ReportChildWelfare, Description: "Bekymring for omsorgen"})
		w.must(err)
		acute, err := w.app.SendReport(ctx, w.as("ola"), caseID, app.NewReport{Kind: app.ReportChildWelfare,
			Description: "Barnet sier det blir slått", Acute: true})
		w.must(err)
		q := queues("per")
		if len(q.Reports) != 2 || q.Reports[0].ID != acute.ID {
			t.Errorf("child welfare's queue is not acute first: %+v", q.Reports)
		}

		// The coordinator: the appointment, then the group without a meeting.
		_, err = w.app.DecideApplication(ctx, w.as("kari"), ap.ID, app.Decision{Outcome: "granted", Coordinator: "ingrid"})
		w.must(err)
		if q := queues("ingrid"); len(q.Appointments) != 1 || q.Appointments[0].CaseID != caseID || len(q.MeetingsToPlan) != 0 {
			t.Errorf("the appointment is not in the coordinator's queue: %+v", q)
		}
		_, err = w.app.AcceptCoordinator(ctx, w.as("ingrid"), caseID)
		w.must(err)
		w.consent(caseID, samordna.PurposeResponsibilityGroup, samordna.PurposeShareWithMembers)
		_, err = w.app.CreateGroup(ctx, w.as("ingrid"), caseID, []app.NewGroupMember{{Username: "anne", Role: "PP-rådgiver"}})
		w.must(err)
		if q := queues("ingrid"); len(q.Appointments) != 0 || len(q.MeetingsToPlan) != 1 {
			t.Errorf("after accepting: %+v", q)
		}
		_, err = w.app.PlanMeeting(ctx, w.as("ingrid"), caseID, app.NewMeeting{StartsAt: w.clock.Now().AddDate(0, 0, 21),
			Place: "Rådhuset", Agenda: []string{"Skolestart"}})
		w.must(err)
		if q := queues("ingrid"); len(q.MeetingsToPlan) != 0 {
			t.Errorf("a planned meeting is still to plan: %+v", q.MeetingsToPlan)
		}

		// A leader of anne's service sees her overdue task, the most overdue first; no case content.
		later := w.addTask(caseID, "anne", "Kartlegg lesing")
		earlier := w.addTask(caseID, "anne", "Skriv rapport")
		w.must(db.Write(ctx, func(tx *store.Tx) error {
			if _, err := tx.Exec(`UPDATE tasks SET due_at = $1 WHERE id = $2`, w.clock.Now().AddDate(0, 0, -2), earlier); err != nil {
				return err
			}
			if err := store.GrantRole(tx, w.as("per").Employee.ID, samordna.RoleServiceLeader); err != nil {
				return err
			}
			_, err := tx.Exec(`INSERT INTO service_leaders (service_id, employee_id) VALUES ($1, $2)`,
				w.as("anne").Employee.Services[0].ID, w.as("per").Employee.ID)
			return err
		}))
		w.clock.Advance(8 * 24 * time.Hour)
		per := w.as("per")
		per.Employee.Roles = append(per.Employee.Roles, samordna.RoleServiceLeader)
		q = queues("per")
		if len(q.ServiceOverdue) != 2 || q.ServiceOverdue[0].ID != earlier || q.ServiceOverdue[1].ID != later ||
			q.ServiceOverdue[0].AssigneeName != "Anne Lunde" {
			t.Errorf("the leader's overdue tasks: %+v", q.ServiceOverdue)
		}
		if q := queues("admin"); q.Applications != nil || q.Reports != nil || q.Appointments != nil || q.ServiceOverdue != nil {
			t.Errorf("the administrator has queues: %+v", q)
		}
	})
}
