package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// FIDELITY 4.20, seed 004 (Salangen) Etablering: "Sammensetningen av
// ansvarsgruppen revurderes i forbindelse med overganger ... ved overgangen
// til voksenlivet, flytting til eget hjem og oppstart i arbeidslivet." The
// 18th birthday follows from the birth date (TestTransitions); moving to
// one's own home and starting work or education do not, so the coordinator
// records when each is expected on the individual plan, and each gives the
// coordinator a review task three months before. A new date moves the
// task, a removed transition cancels it, closing the plan ends it; only the
// coordinator and the coordinating unit write them, every change is a
// version and audited, and bad input changes nothing.
func TestSeed004PlanRecordsTransitionsToAdulthoodOwnHomeAndWorkingLife(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newPlanWorld(t, db)
		w.readyForIndividualPlan()
		coord := planActor(w.coord)
		in := ipInput()
		in.Transitions = []app.TransitionInput{
			{Kind: app.TransitionWorkingLife, Expected: "2027-08-15", Note: "Lærling etter videregående"},
			{Kind: app.TransitionOwnHome, Expected: "2026-04-01", Note: "Omsorgsbolig i Sjøvegan"},
			{Kind: app.TransitionAdulthood, Expected: "2034-02-20"},
			{}, // an empty row of the form
		}
		v1, err := w.a.CreatePlan(ctx, coord, w.caseID, in)
		if err != nil {
			t.Fatal(err)
		}
		if len(v1.Transitions) != 3 || v1.Transitions[0].Kind != app.TransitionAdulthood ||
			v1.Transitions[1].Kind != app.TransitionOwnHome || v1.Transitions[2].Note != "Lærling etter videregående" {
			t.Fatalf("transitions on the plan: %+v", v1.Transitions)
		}
		// Three months before, or at once when that has passed (own home
		// in a month).
		for kind, want := range map[string]string{app.TransitionAdulthood: "2033-11-20",
			app.TransitionOwnHome: "2026-03-02", app.TransitionWorkingLife: "2027-05-15"} {
			tv := transitionOf(t, v1, kind)
			if tv.ReviewBy != want || tv.ReviewDone || tv.TaskID == "" {
				t.Errorf("%s: review by %q (done %v, task %q), want %s", kind, tv.ReviewBy, tv.ReviewDone, tv.TaskID, want)
			}
		}
		titles := taskTitles(w.myTasks(w.coord))
		for _, want := range []string{"Revurder ansvarsgruppas sammensetning før overgangen: flytting til eget hjem (01.04.2026)",
			"oppstart i arbeidslivet eller utdanning (15.08.2027)", "overgangen til voksenlivet (20.02.2034)"} {
			if !strings.Contains(titles, want) {
				t.Errorf("the coordinator has no task %q in:\n%s", want, titles)
			}
		}

		// Bad input is refused and changes nothing.
		for code, bad := range map[string][]app.TransitionInput{
			"invalid_transition":       {{Kind: "retirement", Expected: "2060-01-01"}},
			"duplicate_transition":     {{Kind: app.TransitionOwnHome, Expected: "2026-05-01"}, {Kind: app.TransitionOwnHome, Expected: "2026-06-01"}},
			"transition_date_required": {{Kind: app.TransitionOwnHome, Note: "Snart"}},
			"invalid_date":             {{Kind: app.TransitionOwnHome, Expected: "01.05.2026"}},
		} {
			next := editInput(v1)
			next.Transitions = bad
			_, err := w.a.UpdatePlan(ctx, coord, v1.Plan.ID, v1.ETag, next)
			wantPlanErr(t, err, samordna.KindInvalid, code)
		}
		// Only the coordinator and the unit: the teacher and a member are
		// refused as if the plan did not exist.
		next := editTransitions(v1)
		for _, e := range []*samordna.Employee{w.teacher, w.nurse} {
			_, err := w.a.UpdatePlan(ctx, planActor(e), v1.Plan.ID, v1.ETag, next)
			wantPlanErr(t, err, samordna.KindNotFound, "not_found")
		}
		if got, _ := w.a.GetPlan(ctx, coord, v1.Plan.ID); got.Plan.Version != 1 {
			t.Fatalf("a refused change made version %d", got.Plan.Version)
		}

		// The unit moves the own home a year on and drops working life: the
		// task moves (still the coordinator's), the other is cancelled.
		ownHome := transitionOf(t, v1, app.TransitionOwnHome).TaskID
		working := transitionOf(t, v1, app.TransitionWorkingLife).TaskID
		next.Transitions = []app.TransitionInput{
			{Kind: app.TransitionAdulthood, Expected: "2034-02-20"},
			{Kind: app.TransitionOwnHome, Expected: "2027-04-01", Note: "Venter på omsorgsbolig"},
		}
		v2, err := w.a.UpdatePlan(ctx, planActor(w.unit), v1.Plan.ID, v1.ETag, next)
		if err != nil {
			t.Fatal(err)
		}
		if tv := transitionOf(t, v2, app.TransitionOwnHome); tv.TaskID != ownHome || tv.ReviewBy != "2027-01-01" {
			t.Errorf("own home after the move: task %q (was %q), review by %s", tv.TaskID, ownHome, tv.ReviewBy)
		}
		if task := w.task(ownHome); task.EmployeeID != w.coord.ID || !strings.Contains(task.Title, "01.04.2027") {
			t.Errorf("moved task: %s for %s", task.Title, task.EmployeeID)
		}
		if task := w.task(working); task.Status != store.TaskCancelled {
			t.Errorf("the removed transition's task is %s", task.Status)
		}
		d, err := w.a.DiffPlanVersions(ctx, coord, v1.Plan.ID, 1, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Fields) != 1 || d.Fields[0].Field != "transitions" ||
			!strings.Contains(d.Fields[0].To, "flytting til eget hjem 01.04.2027 – Venter på omsorgsbolig") {
			t.Errorf("diff: %+v", d.Fields)
		}
		if n := w.audits("update_plan", samordna.OutcomeAllowed); n != 1 {
			t.Errorf("update_plan audit rows = %d, want 1", n)
		}
		if n := w.audits("update_plan", samordna.OutcomeDenied); n != 2 {
			t.Errorf("denied update_plan rows = %d, want 2", n)
		}

		// The coordinator reviews before adulthood; an edit that keeps the
		// date keeps the done review and makes no new task.
		adult := transitionOf(t, v2, app.TransitionAdulthood).TaskID
		if _, _, err := w.a.CompleteTask(ctx, coord, adult, ""); err != nil {
			t.Fatal(err)
		}
		v3, err := w.a.UpdatePlan(ctx, coord, v1.Plan.ID, v2.ETag, editTransitions(v2))
		if err != nil {
			t.Fatal(err)
		}
		if tv := transitionOf(t, v3, app.TransitionAdulthood); tv.TaskID != adult || !tv.ReviewDone {
			t.Errorf("adulthood after its review: %+v", tv)
		}
		// Closing the plan ends the open review.
		if _, err := w.a.ClosePlan(ctx, coord, v1.Plan.ID, "Kristin Hansen", "Flyttet"); err != nil {
			t.Fatal(err)
		}
		if task := w.task(ownHome); task.Status != store.TaskCancelled {
			t.Errorf("own home's review after closing: %s", task.Status)
		}
	})
}

// Transitions are the individual plan's: an action plan refuses them.
func TestSeed004TransitionsOnlyOnTheIndividualPlan(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newPlanWorld(t, db)
		w.readyForIndividualPlan()
		w.group(w.caseID, w.coord, w.nurse)
		in := ipInput()
		in.Kind = app.PlanAction
		in.Transitions = []app.TransitionInput{{Kind: app.TransitionOwnHome, Expected: time.Now().Format(time.DateOnly)}}
		_, err := w.a.CreatePlan(context.Background(), planActor(w.coord), w.caseID, in)
		wantPlanErr(t, err, samordna.KindInvalid, "transitions_individual_plan_only")
	})
}

func transitionOf(t *testing.T, v *app.PlanView, kind string) app.TransitionView {
	t.Helper()
	for _, tv := range v.Transitions {
		if tv.Kind == kind {
			return tv
		}
	}
	t.Fatalf("no %s transition in %+v", kind, v.Transitions)
	return app.TransitionView{}
}

// editTransitions is editInput with the plan's transitions kept.
func editTransitions(v *app.PlanView) app.PlanInput {
	in := editInput(v)
	for _, tv := range v.Transitions {
		in.Transitions = append(in.Transitions, app.TransitionInput{Kind: tv.Kind, Expected: tv.Expected, Note: tv.Note})
	}
	return in
}

func taskTitles(ts []*app.TaskView) string {
	var out []string
	for _, t := range ts {
		out = append(out, t.Title)
	}
	return strings.Join(out, "\n")
}
