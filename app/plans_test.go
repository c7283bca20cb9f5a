package app_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// An individual plan needs a coordinator and consent for individual_plan
// (seed 004); with both it is made, version 1, and each measure becomes a
// task in its responsible's own task list.
func TestIndividualPlanNeedsCoordinatorAndConsent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newPlanWorld(t, db)
		coord := planActor(w.coord)

		// Seed 004 Koordinatorens arbeidsoppgaver: "Ha ansvar for utarbeiding
		// av eventuell individuell plan". The teacher registered the case and
		// may change it, but the individual plan is the coordinator's: 404.
		_, err := w.a.CreatePlan(ctx, planActor(w.teacher), w.caseID, ipInput())
		wantPlanErr(t, err, samordna.KindNotFound, "not_found")
		// The coordinating unit, applied to, finds no coordinator yet.
		w.apply(w.caseID)
		_, err = w.a.CreatePlan(ctx, planActor(w.unit), w.caseID, ipInput())
		wantPlanErr(t, err, samordna.KindRule, "coordinator_required")

		w.appoint(w.caseID)
		w.consent(w.caseID, samordna.PurposeResponsibilityGroup, samordna.PurposeShareWithMembers)
		_, err = w.a.CreatePlan(ctx, coord, w.caseID, ipInput())
		wantPlanErr(t, err, samordna.KindRule, "consent_required")

		// A withdrawn consent for the plan does not count either.
		c := w.consent(w.caseID, samordna.PurposeIndividualPlan)
		if _, err := w.a.WithdrawConsent(ctx, planActor(w.teacher), c.ID); err != nil {
			t.Fatal(err)
		}
		_, err = w.a.CreatePlan(ctx, coord, w.caseID, ipInput())
		wantPlanErr(t, err, samordna.KindRule, "consent_required")

		w.consent(w.caseID, samordna.PurposeIndividualPlan)
		in := ipInput()
		in.WhatMatters = "  "
		_, err = w.a.CreatePlan(ctx, coord, w.caseID, in)
		wantPlanErr(t, err, samordna.KindRule, "what_matters_required")

		v, err := w.a.CreatePlan(ctx, coord, w.caseID, ipInput())
		if err != nil {
			t.Fatal(err)
		}
		if v.Plan.Version != 1 || v.ETag != `"v1"` || v.Plan.Kind != app.PlanIndividual || v.Plan.Status != app.PlanActive {
			t.Errorf("new plan: version %d, etag %s, kind %s, status %s", v.Plan.Version, v.ETag, v.Plan.Kind, v.Plan.Status)
		}
		if v.Content.WhatMatters != ipInput().WhatMatters || len(v.Goals) != 2 || len(v.Measures) != 2 {
			t.Fatalf("content: %+v", v.Content)
		}
		// Each measure is a task for its responsible, in their own list.
		for _, who := range []*samordna.Employee{w.nurse, w.adviser} {
			tasks := w.myTasks(who)
			if len(tasks) != 1 || tasks[0].Kind != store.TaskKindMeasure || tasks[0].PlanID != v.Plan.ID ||
				tasks[0].EmployeeID != who.ID {
				t.Fatalf("%s's tasks: %+v", who.Username, tasks)
			}
		}
		nurseTask := w.myTasks(w.nurse)[0]
		if !strings.Contains(nurseTask.Title, "Samtale med Emma") {
			t.Errorf("task title %q", nurseTask.Title)
		}
		// Due on the measure's date in Oslo, overdue after it.
		oslo, _ := time.LoadLocation("Europe/Oslo")
		if got := nurseTask.DueAt.In(oslo).Format(time.DateOnly); got != "2026-04-15" {
			t.Errorf("task due %s, want 2026-04-15", got)
		}
		if n := w.audits("create_plan", samordna.OutcomeAllowed); n != 1 {
			t.Errorf("%d create_plan audit rows, want 1", n)
		}
		if n := w.audits("create_plan", samordna.OutcomeDenied); n != 1 {
			t.Errorf("only the teacher's attempt is an access refusal, refusals by rule are not: %d denied rows", n)
		}
	})
}

// Bad input is refused with a clear code and changes nothing.
func TestPlanValidation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newPlanWorld(t, db)
		w.readyForIndividualPlan()
		coord := planActor(w.coord)
		five := 5
		cases := []struct {
			code string
			edit func(in *app.PlanInput)
		}{
			{"invalid_kind", func(in *app.PlanInput) { in.Kind = "wish_list" }},
			{"invalid_term", func(in *app.PlanInput) { in.Goals[0].Term = "medium" }},
			{"goal_text_required", func(in *app.PlanInput) { in.Goals[1].Text = " " }},
			{"unknown_goal", func(in *app.PlanInput) { in.Measures[0].GoalIndex = &five }},
			{"unknown_goal", func(in *app.PlanInput) { in.Goals[0].ID = "no-such-goal" }},
			{"unknown_measure", func(in *app.PlanInput) { in.Measures[0].ID = "no-such-measure" }},
			{"unknown_responsible", func(in *app.PlanInput) { in.Measures[1].Responsible = "nobody.here" }},
			{"responsible_required", func(in *app.PlanInput) { in.Measures[1].Responsible = "" }},
			{"due_required", func(in *app.PlanInput) { in.Measures[0].Due = "" }},
			{"invalid_date", func(in *app.PlanInput) { in.Measures[0].Due = "15.04.2026" }},
			{"invalid_date", func(in *app.PlanInput) { in.EvaluationDates = []string{"snart"} }},
			{"invalid_status", func(in *app.PlanInput) { in.Measures[0].Status = "maybe" }},
			{"measure_text_required", func(in *app.PlanInput) { in.Measures[0].Text = "" }},
			{"what_matters_too_long", func(in *app.PlanInput) { in.WhatMatters = strings.Repeat("ø", 10001) }},
			{"reference_title_required", func(in *app.PlanInput) { in.References[0].Title = "" }},
		}
		for _, c := range cases {
			in := ipInput()
			c.edit(&in)
			_, err := w.a.CreatePlan(ctx, coord, w.caseID, in)
			wantPlanErr(t, err, samordna.KindInvalid, c.code)
		}
		if plans, err := w.a.ListCasePlans(ctx, coord, w.caseID); err != nil || len(plans) != 0 {
			t.Fatalf("refused plans were stored: %d, %v", len(plans), err)
		}
		if tasks := w.myTasks(w.nurse); len(tasks) != 0 {
			t.Fatalf("refused plans made tasks: %d", len(tasks))
		}
		// A service (or the person) can be responsible instead of an employee:
		// the coordinator then follows the measure up.
		in := ipInput()
		in.Measures[1].Responsible, in.Measures[1].ResponsibleService = "", "Emma og foreldrene"
		v, err := w.a.CreatePlan(ctx, coord, w.caseID, in)
		if err != nil {
			t.Fatal(err)
		}
		mine := w.myTasks(w.coord)
		if len(mine) != 1 || mine[0].PlanID != v.Plan.ID || !strings.Contains(mine[0].Title, "Kartlegge") {
			t.Fatalf("the coordinator's tasks: %+v", mine)
		}
	})
}

// Updates need the current ETag: without it 428, with an old one 412, and
// every change is a new version that the versions list and the diff show.
func TestPlanVersionsAndIfMatch(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newPlanWorld(t, db)
		w.readyForIndividualPlan()
		coord := planActor(w.coord)
		v1, err := w.a.CreatePlan(ctx, coord, w.caseID, ipInput())
		if err != nil {
			t.Fatal(err)
		}
		next := editInput(v1)
		next.WhatMatters = "Å ha venner, spille fotball og slippe å bytte skole"
		next.Measures = append(next.Measures, app.MeasureInput{Text: "Avtale med fotballtreneren",
			ResponsibleService: "Foreldrene", Due: "2026-03-30", GoalID: v1.Content.Goals[1].ID})
		next.Measures[1].Due = "2026-03-27" // postponed

		_, err = w.a.UpdatePlan(ctx, coord, v1.Plan.ID, "", next)
		wantPlanErr(t, err, samordna.KindPreconditionRequired, "precondition_required")
		_, err = w.a.UpdatePlan(ctx, coord, v1.Plan.ID, "*", next)
		wantPlanErr(t, err, samordna.KindPreconditionRequired, "precondition_required")
		_, err = w.a.UpdatePlan(ctx, coord, v1.Plan.ID, `"v7"`, next)
		wantPlanErr(t, err, samordna.KindPreconditionFailed, "precondition_failed")

		w.clock.Set(planStart.Add(time.Hour))
		v2, err := w.a.UpdatePlan(ctx, coord, v1.Plan.ID, v1.ETag, next)
		if err != nil {
			t.Fatal(err)
		}
		if v2.Plan.Version != 2 || v2.ETag != `"v2"` || v2.Content.WhatMatters != next.WhatMatters {
			t.Fatalf("v2: version %d etag %s words %q", v2.Plan.Version, v2.ETag, v2.Content.WhatMatters)
		}
		// The same ETag again is stale now.
		_, err = w.a.UpdatePlan(ctx, coord, v1.Plan.ID, v1.ETag, next)
		wantPlanErr(t, err, samordna.KindPreconditionFailed, "precondition_failed")

		// The postponed measure's task moved with it; the new measure got one.
		adviserTasks := w.myTasks(w.adviser)
		oslo, _ := time.LoadLocation("Europe/Oslo")
		if len(adviserTasks) != 1 || adviserTasks[0].DueAt.In(oslo).Format(time.DateOnly) != "2026-03-27" {
			t.Fatalf("the postponed measure's task: %+v", adviserTasks)
		}
		if len(w.myTasks(w.coord)) != 1 {
			t.Fatalf("the new measure (for the parents) has no follow-up task for the coordinator")
		}

		page, err := w.a.ListPlanVersions(ctx, coord, v1.Plan.ID, "", 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Versions) != 2 || page.Versions[0].Version != 1 || page.Versions[1].Version != 2 ||
			page.Versions[0].Content.WhatMatters != ipInput().WhatMatters || page.Versions[1].Change != "updated" {
			t.Fatalf("versions: %+v", page.Versions)
		}
		d, err := w.a.DiffPlanVersions(ctx, coord, v1.Plan.ID, 1, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Fields) != 1 || d.Fields[0].Field != "what_matters" || d.Fields[0].To != next.WhatMatters {
			t.Errorf("diff fields: %+v", d.Fields)
		}
		if len(d.Measures.Added) != 1 || d.Measures.Added[0].Text != "Avtale med fotballtreneren" ||
			len(d.Measures.Changed) != 1 || d.Measures.Changed[0].Fields[0].Field != "due" ||
			d.Measures.Changed[0].Fields[0].From != "2026-03-20" || len(d.Measures.Removed) != 0 || !d.Goals.Empty() {
			t.Errorf("diff measures: %+v, goals: %+v", d.Measures, d.Goals)
		}
		_, err = w.a.DiffPlanVersions(ctx, coord, v1.Plan.ID, 1, 9)
		wantPlanErr(t, err, samordna.KindNotFound, "not_found")
	})
}

// editInput turns a plan's view back into input, keeping goal and measure
// ids (what a client does when it edits what it read).
func editInput(v *app.PlanView) app.PlanInput {
	in := app.PlanInput{WhatMatters: v.Content.WhatMatters, Resources: v.Content.Resources,
		Services: v.Content.Services, EvaluationDates: v.Content.EvaluationDates, References: v.Content.References}
	for _, g := range v.Content.Goals {
		in.Goals = append(in.Goals, app.GoalInput{ID: g.ID, Text: g.Text, Term: g.Term})
	}
	for _, m := range v.Content.Measures {
		mi := app.MeasureInput{ID: m.ID, Text: m.Text, ResponsibleService: m.ResponsibleService, Due: m.Due,
			GoalID: m.GoalID, Status: m.Status, Evaluation: m.Evaluation, EvaluationDate: m.EvaluationDate}
		for _, mv := range v.Measures {
			if mv.ID == m.ID && mv.Responsible != nil {
				mi.Responsible = mv.Responsible.Username
			}
		}
		in.Measures = append(in.Measures, mi)
	}
	return in
}

// Two coordinators saving at once from the same version: exactly one wins,
// the other gets 412 and nothing of theirs overwrites the winner's.
func TestConcurrentPlanUpdatesOneWins(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newPlanWorld(t, db)
		w.readyForIndividualPlan()
		v1, err := w.a.CreatePlan(ctx, planActor(w.coord), w.caseID, ipInput())
		if err != nil {
			t.Fatal(err)
		}
		const n = 6
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				in := editInput(v1)
				in.WhatMatters = "Versjon fra redaktør " + string(rune('A'+i))
				_, errs[i] = w.a.UpdatePlan(ctx, planActor(w.coord), v1.Plan.ID, v1.ETag, in)
			}()
		}
		wg.Wait()
		wins := 0
		for _, err := range errs {
			switch {
			case err == nil:
				wins++
			case samordna.ErrorCode(err) != "precondition_failed":
				t.Errorf("a losing update failed with %v, want precondition_failed", err)
			}
		}
		if wins != 1 {
			t.Fatalf("%d updates won, want exactly 1", wins)
		}
		v, err := w.a.GetPlan(ctx, planActor(w.coord), v1.Plan.ID)
		if err != nil {
			t.Fatal(err)
		}
		page, err := w.a.ListPlanVersions(ctx, planActor(w.coord), v1.Plan.ID, "", 0)
		if err != nil {
			t.Fatal(err)
		}
		if v.Plan.Version != 2 || len(page.Versions) != 2 || page.Versions[1].Content.WhatMatters != v.Content.WhatMatters {
			t.Fatalf("after the race: version %d, %d versions", v.Plan.Version, len(page.Versions))
		}
	})
}

// Completing a measure's task marks the measure done in the plan; the goal
// shows its progress; a measure done, cancelled or removed in the plan
// ends its task.
func TestMeasureStatusFollowsItsTask(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newPlanWorld(t, db)
		w.readyForIndividualPlan()
		coord := planActor(w.coord)
		in := ipInput()
		zero := 0
		in.Measures = append(in.Measures, app.MeasureInput{Text: "Møte med skolen", Responsible: "ingrid.hs",
			Due: "2026-05-01", GoalIndex: &zero})
		v, err := w.a.CreatePlan(ctx, coord, w.caseID, in)
		if err != nil {
			t.Fatal(err)
		}
		adviserTask := w.myTasks(w.adviser)[0]
		if _, _, err := w.a.CompleteTask(ctx, planActor(w.adviser), adviserTask.ID, "Kartlagt, se rapport"); err != nil {
			t.Fatal(err)
		}
		v, err = w.a.GetPlan(ctx, coord, v.Plan.ID)
		if err != nil {
			t.Fatal(err)
		}
		var done app.MeasureView
		for _, m := range v.Measures {
			if m.TaskID == adviserTask.ID {
				done = m
			}
		}
		if done.Status != app.MeasureDone {
			t.Fatalf("the measure whose task is done shows %q", done.Status)
		}
		short := v.Goals[1]
		if short.Done != 1 || short.Total != 1 || short.Percent != 100 || v.Goals[0].Done != 0 || v.Goals[0].Total != 2 {
			t.Errorf("progress: long %d/%d, short %d/%d", v.Goals[0].Done, v.Goals[0].Total, short.Done, short.Total)
		}
		if v.Plan.Version != 1 {
			t.Errorf("the task's completion changed the plan's version to %d", v.Plan.Version)
		}

		// In the plan: the first measure done, the third removed.
		next := editInput(v)
		next.Measures[0].Status = app.MeasureDone
		next.Measures[0].Evaluation = "Emma sier samtalene hjelper"
		next.Measures = next.Measures[:2]
		v2, err := w.a.UpdatePlan(ctx, coord, v.Plan.ID, v.ETag, next)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range v.Content.Measures {
			task := w.task(m.TaskID)
			want := map[string]string{in.Measures[0].Text: store.TaskDone, in.Measures[1].Text: store.TaskDone,
				in.Measures[2].Text: store.TaskCancelled}[m.Text]
			if task.Status != want {
				t.Errorf("task of %q is %s, want %s", m.Text, task.Status, want)
			}
		}
		if len(w.myTasks(w.nurse)) != 0 {
			t.Errorf("the nurse still has open tasks")
		}
		if v2.Goals[0].Done != 1 || v2.Goals[0].Total != 1 {
			t.Errorf("long-term goal after the update: %d/%d", v2.Goals[0].Done, v2.Goals[0].Total)
		}
	})
}

// Measures past their deadline are overdue and listed first.
func TestOverdueMeasuresFirst(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newPlanWorld(t, db)
		w.readyForIndividualPlan()
		v, err := w.a.CreatePlan(ctx, planActor(w.coord), w.caseID, ipInput())
		if err != nil {
			t.Fatal(err)
		}
		// 20 March is the adviser's deadline; on 20 March at 23:00 Oslo it is not yet overdue.
		w.clock.Set(time.Date(2026, 3, 20, 22, 0, 0, 0, time.UTC))
		if v, _ = w.a.GetPlan(ctx, planActor(w.coord), v.Plan.ID); v.Overdue != 0 {
			t.Fatalf("overdue on its last day: %d", v.Overdue)
		}
		w.clock.Set(time.Date(2026, 3, 21, 8, 0, 0, 0, time.UTC))
		v, err = w.a.GetPlan(ctx, planActor(w.coord), v.Plan.ID)
		if err != nil {
			t.Fatal(err)
		}
		if v.Overdue != 1 || !v.Measures[0].Overdue || v.Measures[0].Due != "2026-03-20" || v.Measures[1].Overdue {
			t.Fatalf("overdue %d, measures %+v", v.Overdue, v.Measures)
		}
	})
}

// Only those with a relation to the case see or change its plans; refusals
// look like missing plans and are audited, as is every read and change.
func TestPlanAccess(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newPlanWorld(t, db)
		w.readyForIndividualPlan()
		v, err := w.a.CreatePlan(ctx, planActor(w.coord), w.caseID, ipInput())
		if err != nil {
			t.Fatal(err)
		}
		out := planActor(w.outsider)
		_, err = w.a.GetPlan(ctx, out, v.Plan.ID)
		wantPlanErr(t, err, samordna.KindNotFound, "not_found")
		_, err = w.a.GetPlan(ctx, out, "no-such-plan")
		wantPlanErr(t, err, samordna.KindNotFound, "not_found")
		_, err = w.a.UpdatePlan(ctx, out, v.Plan.ID, v.ETag, editInput(v))
		wantPlanErr(t, err, samordna.KindNotFound, "not_found")
		_, _, err = w.a.PlanPDF(ctx, out, v.Plan.ID)
		wantPlanErr(t, err, samordna.KindNotFound, "not_found")
		_, err = w.a.ListPlanVersions(ctx, out, v.Plan.ID, "", 0)
		wantPlanErr(t, err, samordna.KindNotFound, "not_found")
		_, err = w.a.CreatePlan(ctx, out, w.caseID, ipInput())
		wantPlanErr(t, err, samordna.KindNotFound, "not_found")
		if n := w.audits("read_plan", samordna.OutcomeDenied); n != 2 {
			t.Errorf("%d denied read_plan rows, want 2", n)
		}
		for _, action := range []string{"update_plan", "print_plan", "read_plan_versions", "create_plan"} {
			if n := w.audits(action, samordna.OutcomeDenied); n != 1 {
				t.Errorf("%d denied %s rows, want 1", n, action)
			}
		}
		// The nurse is responsible for a measure but not yet a member of the
		// group: she has her task, not the plan.
		_, err = w.a.GetPlan(ctx, planActor(w.nurse), v.Plan.ID)
		wantPlanErr(t, err, samordna.KindNotFound, "not_found")
		w.group(w.caseID, w.nurse)
		if _, err := w.a.GetPlan(ctx, planActor(w.nurse), v.Plan.ID); err != nil {
			t.Fatalf("a group member with consent to share cannot read the plan: %v", err)
		}
		if n := w.audits("read_plan", samordna.OutcomeAllowed); n != 1 {
			t.Errorf("%d allowed read_plan rows, want 1", n)
		}
	})
}

// A client that sends the plan back without ids keeps its goals and
// measures (matched by their text): the measures keep their tasks, and the
// diff shows only what changed.
func TestUpdateWithoutIDsKeepsMeasures(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newPlanWorld(t, db)
		w.readyForIndividualPlan()
		coord := planActor(w.coord)
		v1, err := w.a.CreatePlan(ctx, coord, w.caseID, ipInput())
		if err != nil {
			t.Fatal(err)
		}
		in := ipInput()
		in.Kind = ""
		in.Measures[0].Due = "2026-04-30"
		v2, err := w.a.UpdatePlan(ctx, coord, v1.Plan.ID, v1.ETag, in)
		if err != nil {
			t.Fatal(err)
		}
		for i := range v1.Content.Measures {
			if v2.Content.Measures[i].ID != v1.Content.Measures[i].ID || v2.Content.Measures[i].TaskID != v1.Content.Measures[i].TaskID {
				t.Errorf("measure %d lost its identity or task", i)
			}
		}
		if v2.Content.Goals[0].ID != v1.Content.Goals[0].ID {
			t.Error("the goal lost its identity")
		}
		d, err := w.a.DiffPlanVersions(ctx, coord, v1.Plan.ID, 1, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Measures.Added)+len(d.Measures.Removed) != 0 || len(d.Measures.Changed) != 1 || !d.Goals.Empty() {
			t.Errorf("diff: %+v / %+v", d.Measures, d.Goals)
		}
		if task := w.task(v1.Content.Measures[0].TaskID); task.Status != store.TaskOpen {
			t.Errorf("the kept measure's task is %s", task.Status)
		}
	})
}
