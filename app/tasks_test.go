package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// at is a wall-clock time in Oslo.
func at(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, oslo)
}

// documentTaskDue runs Lillehammer's routine up to the step "document the
// clarification" (five working days), started at start, and returns the
// task's due time.
func documentTaskDue(t *testing.T, w *world, start time.Time) time.Time {
	t.Helper()
	w.clock.Set(start.Add(-48 * time.Hour))
	c := w.concern("ola", named(pathway.SituationUnclearConcern, ""))
	w.complete("ola", c.Case.ID, "consult", "")
	w.clock.Set(start)
	next := w.complete("ola", c.Case.ID, "conversation", "")
	if len(next) != 1 || next[0].StepID != "document" || next[0].DueAt == nil {
		t.Fatalf("after the conversation: %+v", next)
	}
	return *next[0].DueAt
}

// Deadlines are computed in Europe/Oslo with the app's clock: working days
// skip weekends and public holidays (Easter, Ascension, 17 May, Whit
// Monday, Christmas), calendar weeks keep the wall clock across the change
// to and from summer time, and a 3-6 month range is due after three months
// and overdue after six.
func TestDeadlinesFollowTheOsloCalendar(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db, at(2026, 3, 1, 9, 0))
		for _, tc := range []struct {
			name       string
			start, due time.Time
		}{
			// Maundy Thursday, Good Friday, the weekend and Easter Monday are off.
			{"easter", at(2026, 4, 1, 10, 0), at(2026, 4, 13, 10, 0)},
			// 17 May (Thursday) and Whit Monday are off in 2029.
			{"17 may", at(2029, 5, 15, 10, 0), at(2029, 5, 24, 10, 0)},
			// Christmas Eve is a working day, Christmas Day is not.
			{"christmas", at(2026, 12, 21, 10, 0), at(2026, 12, 29, 10, 0)},
			// A Friday afternoon: Monday to Friday of the next week.
			{"weekend", at(2026, 3, 6, 15, 30), at(2026, 3, 13, 15, 30)},
		} {
			if got := documentTaskDue(t, w, tc.start); !got.Equal(tc.due) {
				t.Errorf("%s: due %v, want %v", tc.name, got.In(oslo), tc.due)
			}
		}

		// Calendar weeks across the change to summer time and back: the same
		// wall-clock hour a week later.
		for _, tc := range []struct{ start, due time.Time }{
			{at(2026, 3, 23, 10, 0), at(2026, 3, 30, 10, 0)},
			{at(2026, 10, 19, 10, 0), at(2026, 10, 26, 10, 0)},
		} {
			w.clock.Set(tc.start)
			c := w.concern("ola", named(pathway.SituationUnclearConcern, "ulstein-rus-sped-smabarn"))
			if len(c.Tasks) != 1 || c.Tasks[0].StepID != "row-01" || !c.Tasks[0].DueAt.Equal(tc.due) {
				t.Errorf("row 1 from %v: due %v, want %v", tc.start, c.Tasks[0].DueAt.In(oslo), tc.due.In(oslo))
			}
		}

		// 3-6 months (Ulstein row 6, child welfare): from 31 January, due on
		// 30 April (the day clamped), overdue after 31 July.
		start := at(2026, 1, 31, 10, 0)
		w.clock.Set(start)
		c := w.concern("ola", named(pathway.SituationAcute, "ulstein-rus-sped-smabarn"))
		if _, err := w.app.SendReport(context.Background(), w.as("ola"), c.Case.ID,
			app.NewReport{Kind: app.ReportChildWelfare, Description: "Rusa foreldre.", Acute: true}); err != nil {
			t.Fatal(err)
		}
		row6 := w.openTasks(c.Case.ID)["row-06"]
		if row6 == nil {
			t.Fatalf("no row 6 task; open: %v", w.openTasks(c.Case.ID))
		}
		if !row6.DueAt.Equal(at(2026, 4, 30, 10, 0)) || !row6.OverdueAfter.Equal(at(2026, 7, 31, 10, 0)) {
			t.Errorf("row 6: due %v, overdue after %v", row6.DueAt.In(oslo), row6.OverdueAfter.In(oslo))
		}
		if row6.AssigneeKind != store.AssignRole || row6.Role != string(samordna.RoleChildWelfare) {
			t.Errorf("row 6 is assigned to %s %s, want the child welfare role", row6.AssigneeKind, row6.Role)
		}
		// Between the two it is due but not overdue: the sweep leaves it.
		if _, err := w.app.SweepOverdue(context.Background(), at(2026, 5, 15, 12, 0)); err != nil {
			t.Fatal(err)
		}
		if w.task(row6.ID).EscalatedAt != nil {
			t.Error("row 6 escalated in May, before it is overdue")
		}
		if _, err := w.app.SweepOverdue(context.Background(), at(2026, 7, 31, 10, 1)); err != nil {
			t.Fatal(err)
		}
		if w.task(row6.ID).EscalatedAt == nil {
			t.Error("row 6 did not escalate after 31 July")
		}
	})
}

// Completing a task records its outcome and starts what follows; a family
// refusing consent (Ulstein row 3) leads to a written report to child
// welfare within one week (row 5). Only an assignee completes a task.
func TestCompleteTaskFollowsTheRoutine(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		now := at(2026, 3, 2, 10, 0)
		w := newWorld(t, db, now)
		ctx := context.Background()
		c := w.concern("ola", named(pathway.SituationKnownFamily, "ulstein-rus-sped-smabarn"))
		row3 := w.openTasks(c.Case.ID)["row-03"]
		if row3 == nil || row3.EmployeeID != w.id("ola") {
			t.Fatalf("row 3 = %+v", row3)
		}
		// Another teacher cannot see it; child welfare cannot either; neither completes it.
		for _, u := range []string{"lise", "per", "admin"} {
			_, _, err := w.app.CompleteTask(ctx, w.as(u), row3.ID, "refused")
			wantErrCode(t, err, "not_found")
			_, err = w.app.GetTask(ctx, w.as(u), row3.ID)
			wantErrCode(t, err, "not_found")
		}
		// The step needs an outcome, and only its own.
		_, _, err := w.app.CompleteTask(ctx, w.as("ola"), row3.ID, "")
		wantErrCode(t, err, "outcome_required")
		_, _, err = w.app.CompleteTask(ctx, w.as("ola"), row3.ID, "maybe")
		wantErrCode(t, err, "outcome_required")

		w.clock.Set(at(2026, 3, 4, 14, 0))
		done, next, err := w.app.CompleteTask(ctx, w.as("ola"), row3.ID, "refused")
		if err != nil {
			t.Fatal(err)
		}
		if done.Status != store.TaskDone || done.Outcome != "refused" || done.CompletedBy != w.id("ola") {
			t.Errorf("done = %+v", done.Task)
		}
		if len(next) != 1 || next[0].StepID != "row-05" || !next[0].DueAt.Equal(at(2026, 3, 11, 14, 0)) {
			t.Fatalf("after refusal: %+v", next)
		}
		if len(next[0].Offers) != 1 || next[0].Offers[0] != pathway.OfferChildWelfareReport {
			t.Errorf("row 5 offers %v", next[0].Offers)
		}
		_, _, err = w.app.CompleteTask(ctx, w.as("ola"), row3.ID, "refused")
		wantErrCode(t, err, "task_closed")

		// Sending the report completes row 5 and gives child welfare row 6.
		if _, err := w.app.SendReport(ctx, w.as("ola"), c.Case.ID, app.NewReport{Kind: app.ReportChildWelfare,
			Description: "Familien vil ikke samarbeide."}); err != nil {
			t.Fatal(err)
		}
		open := w.openTasks(c.Case.ID)
		if open["row-05"] != nil || open["row-06"] == nil {
			t.Errorf("after the report, open steps: %v", keys(open))
		}
		// Child welfare holds the role the task is assigned to: per sees it as his.
		list, err := w.app.ListTasks(ctx, w.as("per"), app.TaskQuery{AssignedToMe: true})
		if err != nil || len(list.Tasks) != 1 || list.Tasks[0].StepID != "row-06" || !list.Tasks[0].CanComplete {
			t.Errorf("per's tasks: %v, %v", list, err)
		}
		// ola (who registered the case) sees all the case's tasks, his own first among the open.
		list, err = w.app.ListTasks(ctx, w.as("ola"), app.TaskQuery{CaseID: c.Case.ID})
		if err != nil || len(list.Tasks) != 3 {
			t.Errorf("ola's view of the case's tasks: %d, %v", len(list.Tasks), err)
		}
		mine, _ := w.app.ListTasks(ctx, w.as("ola"), app.TaskQuery{AssignedToMe: true, Status: "open"})
		if len(mine.Tasks) != 0 {
			t.Errorf("ola still has %d open tasks", len(mine.Tasks))
		}
		// A consent given (row 3 "given") leads to row 4 instead. Seed 003
		// row 3 "Motivere for skrifteleg samtykke": "given" needs the written
		// consent recorded first.
		c2 := w.concern("ola", named(pathway.SituationKnownFamily, "ulstein-rus-sped-smabarn"))
		_, _, err = w.app.CompleteTask(ctx, w.as("ola"), w.openTasks(c2.Case.ID)["row-03"].ID, "given")
		wantErrCode(t, err, "consent_required")
		if _, err := w.app.RecordConsent(ctx, w.as("ola"), c2.Case.ID, app.NewConsent{GivenBy: "Kari Foreldre",
			GivenByRelation: "guardian", Purposes: []samordna.ConsentPurpose{samordna.PurposeShareWithMembers}}); err != nil {
			t.Fatal(err)
		}
		if next := w.complete("ola", c2.Case.ID, "row-03", "given"); len(next) != 1 || next[0].StepID != "row-04" {
			t.Errorf("after consent: %+v", next)
		}
	})
}

// The task list filters: assigned=me, overdue=true; overdue first.
func TestListTasksAssignedAndOverdue(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db, at(2026, 3, 2, 10, 0))
		ctx := context.Background()
		old := w.concern("ola", named(pathway.SituationUnclearConcern, "")) // consult, due in a week
		w.clock.Set(at(2026, 3, 12, 10, 0))
		fresh := w.concern("ola", named(pathway.SituationAcute, "")) // due now
		w.clock.Advance(2 * time.Minute)
		list, err := w.app.ListTasks(ctx, w.as("ola"), app.TaskQuery{AssignedToMe: true, Overdue: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(list.Tasks) != 1 || list.Tasks[0].CaseID != old.Case.ID || !list.Tasks[0].Overdue {
			t.Errorf("overdue: %+v", list.Tasks)
		}
		w.clock.Advance(2 * time.Hour) // the immediate one is now overdue too
		list, _ = w.app.ListTasks(ctx, w.as("ola"), app.TaskQuery{AssignedToMe: true, Overdue: true})
		if len(list.Tasks) != 2 || list.Tasks[0].CaseID != old.Case.ID || list.Tasks[1].CaseID != fresh.Case.ID {
			t.Errorf("overdue after two hours: %d tasks", len(list.Tasks))
		}
		for _, u := range []string{"lise", "nils", "admin"} {
			l, err := w.app.ListTasks(ctx, w.as(u), app.TaskQuery{})
			if err != nil || len(l.Tasks) != 0 {
				t.Errorf("%s sees %d tasks (%v)", u, len(l.Tasks), err)
			}
		}
		_, err = w.app.ListTasks(ctx, w.as("ola"), app.TaskQuery{Status: "bogus"})
		wantErrCode(t, err, "invalid_status")
	})
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// task reads a task.
func (w *world) task(id string) *store.Task {
	w.t.Helper()
	var t *store.Task
	err := w.db.Read(context.Background(), func(tx *store.Tx) error {
		var err error
		t, err = store.TaskByID(tx, id)
		return err
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return t
}
