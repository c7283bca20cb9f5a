package app_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// An overdue task escalates once to its assignee and the assignee's service
// leader (a notification and an outbox row each), even with several sweeps
// at once.
func TestSweepEscalatesOverdueTasksOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db, at(2026, 3, 2, 10, 0))
		ctx := context.Background()
		c := w.concern("ola", named(pathway.SituationUnclearConcern, "")) // consult due 9 March 10:00
		if res, err := w.app.SweepOverdue(ctx, at(2026, 3, 9, 10, 0)); err != nil || res.Tasks != 0 {
			t.Fatalf("at the deadline: %+v %v, want nothing yet", res, err)
		}
		// Three servers sweep at the same moment.
		var wg sync.WaitGroup
		results := make([]app.SweepResult, 3)
		for i := range results {
			wg.Add(1)
			go func() {
				defer wg.Done()
				other := app.New(db, w.clock, nil)
				var err error
				if results[i], err = other.SweepOverdue(ctx, at(2026, 3, 9, 10, 1)); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if total := results[0].Tasks + results[1].Tasks + results[2].Tasks; total != 1 {
			t.Errorf("escalated %d times, want once: %+v", total, results)
		}
		for _, u := range []string{"ola", "nils"} {
			notes, err := w.app.Notifications(ctx, w.as(u), false)
			if err != nil || len(notes) != 1 || notes[0].Kind != app.NoticeTaskOverdue || notes[0].CaseID != c.Case.ID {
				t.Errorf("%s's notifications: %+v %v", u, notes, err)
			}
		}
		if n := w.count("outbox"); n != 2 {
			t.Errorf("outbox rows = %d, want 2 (ola and his leader)", n)
		}
		if notes, _ := w.app.Notifications(ctx, w.as("lise"), false); len(notes) != 0 {
			t.Errorf("a colleague was notified: %+v", notes)
		}
		// A later sweep does nothing more; reading a notification marks it.
		if res, _ := w.app.SweepOverdue(ctx, at(2026, 3, 20, 10, 0)); res.Tasks != 0 {
			t.Errorf("escalated again: %+v", res)
		}
		notes, _ := w.app.Notifications(ctx, w.as("ola"), false)
		if err := w.app.MarkNotificationRead(ctx, w.as("ola"), notes[0].ID); err != nil {
			t.Fatal(err)
		}
		if n, _ := w.app.UnreadNotifications(ctx, w.as("ola")); n != 0 {
			t.Errorf("unread after reading: %d", n)
		}
		wantErrCode(t, w.app.MarkNotificationRead(ctx, w.as("lise"), notes[0].ID), "not_found")
	})
}

// An acute report not acknowledged within the limit escalates to child
// welfare's leader and back to the sender.
func TestSweepEscalatesUnacknowledgedAcuteReport(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		now := at(2026, 3, 2, 10, 0)
		w := newWorld(t, db, now)
		ctx := context.Background()
		c := w.concern("ola", named(pathway.SituationAcute, ""))
		rep, err := w.app.SendReport(ctx, w.as("ola"), c.Case.ID, app.NewReport{Kind: app.ReportChildWelfare,
			Description: "Akutt.", Acute: true})
		if err != nil {
			t.Fatal(err)
		}
		if res, _ := w.app.SweepOverdue(ctx, now.Add(30*time.Minute)); res.Reports != 0 {
			t.Errorf("escalated within the limit: %+v", res)
		}
		if res, _ := w.app.SweepOverdue(ctx, now.Add(app.AcuteAcknowledgeLimit+time.Minute)); res.Reports != 1 {
			t.Errorf("not escalated after the limit: %+v", res)
		}
		for _, u := range []string{"berit", "ola"} {
			found := false
			notes, _ := w.app.Notifications(ctx, w.as(u), false)
			for _, n := range notes {
				found = found || (n.Kind == app.NoticeReportUnacknowledged && n.ReportID == rep.ID)
			}
			if !found {
				t.Errorf("%s was not told: %+v", u, notes)
			}
		}
		// per (a caseworker, not the leader) got the arrival, not the escalation.
		notes, _ := w.app.Notifications(ctx, w.as("per"), false)
		if len(notes) != 1 || notes[0].Kind != app.NoticeAcuteReportArrived {
			t.Errorf("per's notifications: %+v", notes)
		}
	})
}

// A missed deadline of a plan's measure is a deviation: it is recorded and
// the responsibility group gets the revision of the plan within a month
// (Ulstein row 9).
func TestMissedMeasureDeadlineIsADeviation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		now := at(2026, 3, 2, 10, 0)
		w := newWorld(t, db, now)
		ctx := context.Background()
		c := w.concern("ola", named(pathway.SituationKnownFamily, "ulstein-rus-sped-smabarn"))
		task := app.CreateMeasureTaskForTest(t, w.app, c.Case.ID, app.MeasureTask{PlanID: "plan-1",
			Title: "Foreldreveiledning hver uke", EmployeeID: w.id("ingrid"), Due: time.Date(2026, 3, 20, 0, 0, 0, 0, oslo)})
		if task.StepID != "row-08" || !task.OverdueAfter.Equal(at(2026, 3, 21, 0, 0)) {
			t.Fatalf("measure task: step %q, overdue after %v", task.StepID, task.OverdueAfter)
		}
		if res, _ := w.app.SweepOverdue(ctx, at(2026, 3, 20, 23, 0)); res.Deviations != 0 {
			t.Errorf("deviation on the due day: %+v", res)
		}
		res, err := w.app.SweepOverdue(ctx, at(2026, 3, 21, 8, 0))
		if err != nil || res.Deviations != 1 {
			t.Fatalf("sweep: %+v %v", res, err)
		}
		row9 := w.openTasks(c.Case.ID)["row-09"]
		if row9 == nil || row9.AssigneeKind != store.AssignGroup || !row9.DueAt.Equal(at(2026, 4, 21, 8, 0)) {
			t.Fatalf("row 9 = %+v", row9)
		}
		var devs []*store.Deviation
		_ = db.Read(ctx, func(tx *store.Tx) error {
			var err error
			devs, err = store.DeviationsOfCase(tx, c.Case.ID)
			return err
		})
		if len(devs) != 1 || devs[0].TaskID != task.ID || devs[0].RevisionTaskID != row9.ID {
			t.Errorf("deviations = %+v", devs)
		}
	})
}
