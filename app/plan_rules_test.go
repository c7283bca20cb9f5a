package app_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// relayInput is a relay log with one measure.
func relayInput() app.PlanInput {
	return app.PlanInput{Kind: app.PlanRelayLog, WhatMatters: "Emma vil bli trygg i klassen",
		Goals:    []app.GoalInput{{Text: "Trygg i klassen", Term: "short"}},
		Measures: []app.MeasureInput{{Text: "Fast voksen i friminuttene", Responsible: "ola.laerer", Due: "2026-04-30"}}}
}

// A relay log is for a child: refused for an adult, allowed for an expected
// child; each measure has an evaluation date (by default its deadline).
func TestRelayLogIsForChildren(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newPlanWorld(t, db)
		var adultCase, unbornCase string
		w.write(func(tx *store.Tx) error {
			adultCase = w.newCase(tx, w.mother.ID)
			unborn := &samordna.Person{MunicipalityID: w.muni, Name: "Ufødt barn", DueDate: "2026-07-01"}
			if err := store.CreatePerson(tx, unborn, planStart); err != nil {
				return err
			}
			unbornCase = w.newCase(tx, unborn.ID)
			return nil
		})
		// Seed 004: the coordinator decides on and opens the relay log
		// ("Avklare om det skal opprettes stafettlogg, og etablering av
		// denne"); the teacher who registered the case gets 404.
		if _, err := w.a.CreatePlan(ctx, planActor(w.teacher), w.caseID, relayInput()); samordna.ErrorKind(err) != samordna.KindNotFound {
			t.Fatalf("the teacher opened a relay log: %v", err)
		}
		for _, c := range []string{adultCase, unbornCase, w.caseID} {
			w.appoint(c)
		}
		teacher := planActor(w.coord)
		_, err := w.a.CreatePlan(ctx, teacher, adultCase, relayInput())
		wantPlanErr(t, err, samordna.KindRule, "child_required")
		if _, err := w.a.CreatePlan(ctx, teacher, unbornCase, relayInput()); err != nil {
			t.Fatalf("relay log for an expected child: %v", err)
		}
		// Emma turns 18 on 20 February 2034: the day before she is a child.
		w.clock.Set(time.Date(2034, 2, 19, 12, 0, 0, 0, time.UTC))
		v, err := w.a.CreatePlan(ctx, teacher, w.caseID, relayInput())
		if err != nil {
			t.Fatal(err)
		}
		if v.Measures[0].EvaluationDate != "2026-04-30" || v.Holder == nil || v.Holder.ID != w.coord.ID {
			t.Errorf("evaluation date %q, holder %+v", v.Measures[0].EvaluationDate, v.Holder)
		}
		w.clock.Set(time.Date(2034, 2, 20, 12, 0, 0, 0, time.UTC))
		_, err = w.a.CreatePlan(ctx, teacher, w.caseID, relayInput())
		wantPlanErr(t, err, samordna.KindRule, "child_required")
	})
}

// The log holder hands the relay log over; it changes hands only when the
// new holder accepts. The guardians can ask to close it: who asked is
// recorded, and a closed log is read-only.
func TestRelayLogHandoverAndClosing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newPlanWorld(t, db)
		teacher, nurse := planActor(w.teacher), planActor(w.nurse)
		// The coordinator opens the log with the teacher as its first holder.
		w.appoint(w.caseID)
		in := relayInput()
		in.Holder = "ola.laerer"
		v, err := w.a.CreatePlan(ctx, planActor(w.coord), w.caseID, in)
		if err != nil {
			t.Fatal(err)
		}
		id := v.Plan.ID
		// The nurse does not work with the case yet.
		_, err = w.a.HandOverPlan(ctx, teacher, id, "ingrid.hs")
		wantPlanErr(t, err, samordna.KindRule, "holder_without_access")
		_, err = w.a.HandOverPlan(ctx, teacher, id, "ingen.slik")
		wantPlanErr(t, err, samordna.KindInvalid, "unknown_employee")
		_, err = w.a.HandOverPlan(ctx, planActor(w.outsider), id, "ingrid.hs")
		wantPlanErr(t, err, samordna.KindNotFound, "not_found")

		w.consent(w.caseID, samordna.PurposeResponsibilityGroup, samordna.PurposeShareWithMembers)
		w.group(w.caseID, w.nurse, w.adviser)
		v, err = w.a.HandOverPlan(ctx, teacher, id, "ingrid.hs")
		if err != nil {
			t.Fatal(err)
		}
		if v.Holder.ID != w.teacher.ID || v.HandoverTo == nil || v.HandoverTo.ID != w.nurse.ID || v.Plan.Version != 1 {
			t.Fatalf("after the handover: holder %+v, to %+v, version %d", v.Holder, v.HandoverTo, v.Plan.Version)
		}
		_, err = w.a.AcceptPlanHandover(ctx, planActor(w.adviser), id)
		wantPlanErr(t, err, samordna.KindRule, "no_handover")
		v, err = w.a.AcceptPlanHandover(ctx, nurse, id)
		if err != nil {
			t.Fatal(err)
		}
		if v.Holder.ID != w.nurse.ID || v.HandoverTo != nil || v.Plan.Version != 2 {
			t.Fatalf("after accepting: holder %+v, to %+v, version %d", v.Holder, v.HandoverTo, v.Plan.Version)
		}
		// The teacher is no longer the holder; the coordinator may still hand it over.
		_, err = w.a.HandOverPlan(ctx, teacher, id, "anne.ppt")
		wantPlanErr(t, err, samordna.KindRule, "not_the_holder")
		if _, err := w.a.HandOverPlan(ctx, planActor(w.coord), id, "anne.ppt"); err != nil {
			t.Fatalf("the coordinator hands over: %v", err)
		}

		_, err = w.a.ClosePlan(ctx, nurse, id, " ", "")
		wantPlanErr(t, err, samordna.KindInvalid, "requested_by_required")
		_, err = w.a.ClosePlan(ctx, planActor(w.adviser), id, "Kristin Hansen", "")
		wantPlanErr(t, err, samordna.KindRule, "not_allowed_to_close")
		v, err = w.a.ClosePlan(ctx, nurse, id, "kristin  hansen", "Emma har det bra nå")
		if err != nil {
			t.Fatal(err)
		}
		p := v.Plan
		if p.Status != app.PlanClosed || p.CloseRequestedBy != "kristin  hansen" || p.CloseRequestedByPerson != w.mother.ID ||
			p.CloseReason != "Emma har det bra nå" || p.ClosedBy != w.nurse.ID || p.ClosedAt == nil || p.HandoverTo != "" {
			t.Fatalf("closed plan: %+v", p)
		}
		if v.CanWrite || v.CanClose || v.CanHandover {
			t.Errorf("a closed plan offers changes: %+v", v)
		}
		page, err := w.a.ListPlanVersions(ctx, nurse, id, "", 0)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(page.Versions); n != 3 || page.Versions[2].Change != "closed" || page.Versions[1].Change != "holder_changed" {
			t.Fatalf("versions: %+v", page.Versions)
		}
		if task := w.task(v.Content.Measures[0].TaskID); task.Status != store.TaskCancelled {
			t.Errorf("the closed log's measure task is %s", task.Status)
		}
		_, err = w.a.UpdatePlan(ctx, planActor(w.coord), id, v.ETag, editInput(v))
		wantPlanErr(t, err, samordna.KindConflict, "plan_closed")
		_, err = w.a.HandOverPlan(ctx, nurse, id, "anne.ppt")
		wantPlanErr(t, err, samordna.KindConflict, "plan_closed")
		_, err = w.a.ClosePlan(ctx, nurse, id, "Kristin Hansen", "")
		wantPlanErr(t, err, samordna.KindConflict, "plan_closed")
	})
}

// An action plan is made by the responsibility group, due a month after the
// group started (seed 003 row 7); until it exists the coordinator has a
// task to make it, and making it completes that task.
func TestActionPlanMadeByTheGroupWithinAMonth(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newPlanWorld(t, db)
		coord := planActor(w.coord)
		w.appoint(w.caseID)
		in := app.PlanInput{Kind: app.PlanAction, WhatMatters: "At barna har det trygt hjemme",
			Goals:    []app.GoalInput{{Text: "Rusfri hverdag", Term: "long"}},
			Measures: []app.MeasureInput{{Text: "Ukentlig hjemmebesøk", Responsible: "ingrid.hs", Due: "2026-03-16"}}}
		_, err := w.a.CreatePlan(ctx, coord, w.caseID, in)
		wantPlanErr(t, err, samordna.KindRule, "group_required")

		w.consent(w.caseID, samordna.PurposeResponsibilityGroup, samordna.PurposeShareWithMembers)
		w.group(w.caseID, w.nurse) // started on 2 March
		w.clock.Set(planStart.Add(24 * time.Hour))
		n, err := w.a.RemindActionPlans(ctx)
		if err != nil || n != 1 {
			t.Fatalf("RemindActionPlans: %d, %v", n, err)
		}
		if n, err := w.a.RemindActionPlans(ctx); err != nil || n != 0 {
			t.Fatalf("the second sweep reminded again: %d, %v", n, err)
		}
		mine := w.myTasks(w.coord)
		oslo, _ := time.LoadLocation("Europe/Oslo")
		if len(mine) != 1 || mine[0].DueAt.In(oslo).Format(time.DateOnly) != "2026-04-02" {
			t.Fatalf("the coordinator's reminder: %+v", mine)
		}
		reminder := mine[0].ID

		v, err := w.a.CreatePlan(ctx, coord, w.caseID, in)
		if err != nil {
			t.Fatal(err)
		}
		if v.ActionPlanDue != "2026-04-02" {
			t.Errorf("action plan due %q, want 2026-04-02", v.ActionPlanDue)
		}
		if task := w.task(reminder); task.Status != store.TaskDone {
			t.Errorf("making the action plan left the reminder %s", task.Status)
		}
		if n, err := w.a.RemindActionPlans(ctx); err != nil || n != 0 {
			t.Fatalf("a group with an action plan was reminded: %d, %v", n, err)
		}
	})
}

// The plan as a PDF: real text, the person's own words before the goals,
// then the measures with responsible and deadlines.
func TestPlanPDFHasThePersonsWordsFirst(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newPlanWorld(t, db)
		w.readyForIndividualPlan()
		v, err := w.a.CreatePlan(ctx, planActor(w.coord), w.caseID, ipInput())
		if err != nil {
			t.Fatal(err)
		}
		b, name, err := w.a.PlanPDF(ctx, planActor(w.coord), v.Plan.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(b), "%PDF-") || name != "individuell-plan-versjon-1.pdf" {
			t.Fatalf("not a PDF (%q) or name %q", b[:min(len(b), 8)], name)
		}
		f := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(f, b, 0o600); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command("qpdf", "--check", f).CombinedOutput(); err != nil {
			t.Fatalf("qpdf --check: %v\n%s", err, out)
		}
		out, err := exec.Command("pdftotext", "-enc", "UTF-8", f, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext: %v", err)
		}
		text := string(out)
		order := []string{"Individuell plan for Emma Hansen", "Hva er viktig for deg?", ipInput().WhatMatters,
			"Mål", "Trives på skolen", "Tiltak", "Kartlegge behov for tilrettelegging", "Anne Rådgiver", "20.03.2026",
			"Individuell opplæringsplan", "Om planen", "Kari Koordinator"}
		at := 0
		for _, s := range order {
			i := strings.Index(text[at:], s)
			if i < 0 {
				t.Fatalf("%q is missing from the PDF after position %d:\n%s", s, at, text)
			}
			at += i + len(s)
		}
		wantUsersLanguage(t, text) // issue 13: dd.mm.åååå, no raw keys
		if n := w.audits("print_plan", samordna.OutcomeAllowed); n != 1 {
			t.Errorf("%d print_plan audit rows", n)
		}
	})
}

// A group meeting's agenda starts from the plan: the person's own account
// first, then the review of the measures, the goals and open measures.
func TestPlanAgenda(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newPlanWorld(t, db)
		var agenda []string
		read := func() {
			w.write(func(tx *store.Tx) error {
				var err error
				agenda, err = app.PlanAgenda(tx, w.caseID)
				return err
			})
		}
		read()
		if agenda != nil {
			t.Fatalf("agenda without a plan: %q", agenda)
		}
		w.readyForIndividualPlan()
		if _, err := w.a.CreatePlan(ctx, planActor(w.coord), w.caseID, ipInput()); err != nil {
			t.Fatal(err)
		}
		read()
		want := []string{
			"Hva er viktig for deg? Brukerens egen beskrivelse først, deretter tjenesteyternes supplement",
			"Gjennomgang av tiltakene i planen: hva er gjennomført, og hvorfor er noe ikke gjennomført",
			"Mål (lang sikt): Trives på skolen",
			"Mål (kort sikt): Være med på fotballtreningen hver uke",
			"Tiltak: Samtale med Emma hver fjortende dag (frist 2026-04-15)",
			"Tiltak: Kartlegge behov for tilrettelegging (frist 2026-03-20)",
			"Oppdatering av planen: mål, tiltak, ansvar og frister",
			"Neste evaluering av planen: 2026-06-15",
		}
		if strings.Join(agenda, "\n") != strings.Join(want, "\n") {
			t.Errorf("agenda:\n%s\nwant:\n%s", strings.Join(agenda, "\n"), strings.Join(want, "\n"))
		}
	})
}

// actionPlanInput is an action plan with one measure for the nurse, due 20
// March 2026.
func actionPlanInput() app.PlanInput {
	return app.PlanInput{Kind: app.PlanAction, WhatMatters: "At barna har det trygt hjemme",
		Goals:    []app.GoalInput{{Text: "Rusfri hverdag", Term: "long"}},
		Measures: []app.MeasureInput{{Text: "Foreldreveiledning hver uke", Responsible: "ingrid.hs", Due: "2026-03-20"}}}
}

// A missed deadline of an action plan's measure is a deviation: the sweep
// (with the test's clock) records it and the responsibility group gets the
// revision of the plan, due within a month (Ulstein rows 8-9); revising the
// plan completes that task.
func TestMissedActionPlanMeasureStartsARevision(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newPlanWorld(t, db)
		w.write(func(tx *store.Tx) error {
			_, err := tx.Exec(`UPDATE cases SET routine_id = 'ulstein-rus-sped-smabarn', routine_version = 1 WHERE id = $1`, w.caseID)
			return err
		})
		w.appoint(w.caseID)
		w.consent(w.caseID, samordna.PurposeResponsibilityGroup, samordna.PurposeShareWithMembers)
		w.group(w.caseID, w.nurse)
		coord := planActor(w.coord)
		v, err := w.a.CreatePlan(ctx, coord, w.caseID, actionPlanInput())
		if err != nil {
			t.Fatal(err)
		}
		measureTask := w.task(v.Content.Measures[0].TaskID)
		if measureTask.StepID != "row-08" {
			t.Errorf("the measure's task follows step %q, want Ulstein row-08", measureTask.StepID)
		}
		// The last hour of the deadline day (Oslo) is no deviation yet.
		if res, err := w.a.SweepOverdue(ctx, time.Date(2026, 3, 20, 22, 30, 0, 0, time.UTC)); err != nil || res.Deviations != 0 {
			t.Fatalf("sweep on the due day: %+v %v", res, err)
		}
		sweepAt := time.Date(2026, 3, 21, 7, 0, 0, 0, time.UTC)
		w.clock.Set(sweepAt)
		res, err := w.a.SweepOverdue(ctx, sweepAt)
		if err != nil || res.Deviations != 1 {
			t.Fatalf("sweep after the deadline: %+v %v", res, err)
		}
		revision := openStep(t, w, "row-09")
		if revision == nil || revision.DueAt == nil || revision.DueAt.After(sweepAt.AddDate(0, 1, 0)) ||
			!revision.DueAt.After(sweepAt) {
			t.Fatalf("revision task: %+v", revision)
		}
		// The group sees the overdue measure on the plan, first.
		v, err = w.a.GetPlan(ctx, coord, v.Plan.ID)
		if err != nil || v.Overdue != 1 || !v.Measures[0].Overdue {
			t.Fatalf("overdue on the plan: %d (%v)", v.Overdue, err)
		}
		// Revising the plan (a new deadline) completes the revision task.
		next := editInput(v)
		next.Measures[0].Due = "2026-04-03"
		if _, err := w.a.UpdatePlan(ctx, coord, v.Plan.ID, v.ETag, next); err != nil {
			t.Fatal(err)
		}
		if task := w.task(revision.ID); task.Status != store.TaskDone {
			t.Errorf("the revision task is %s after the revision", task.Status)
		}
		if task := w.task(measureTask.ID); task.Status != store.TaskOpen || task.EscalatedAt != nil {
			t.Errorf("the rescheduled measure task: %s, escalated %v", task.Status, task.EscalatedAt)
		}
	})
}

// openStep returns the case's open task for the step, or nil.
func openStep(t *testing.T, w *planWorld, stepID string) *store.Task {
	t.Helper()
	var out *store.Task
	w.write(func(tx *store.Tx) error {
		tasks, err := store.TasksOfCase(tx, w.caseID)
		for _, task := range tasks {
			if task.StepID == stepID && task.Status == store.TaskOpen {
				out = task
			}
		}
		return err
	})
	return out
}

// Where the case's routine has no revision step, the plan engine makes the
// revision task itself: for the coordinator, due a month after the
// deviation, once while it is open.
func TestPlanRevisionTaskWithoutRoutine(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newPlanWorld(t, db)
		w.appoint(w.caseID)
		w.consent(w.caseID, samordna.PurposeResponsibilityGroup, samordna.PurposeShareWithMembers)
		w.group(w.caseID, w.nurse)
		v, err := w.a.CreatePlan(ctx, planActor(w.coord), w.caseID, actionPlanInput())
		if err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 3, 21, 7, 0, 0, 0, time.UTC)
		var first, second *store.Task
		w.write(func(tx *store.Tx) error {
			c, err := store.CaseByID(tx, w.caseID)
			if err != nil {
				return err
			}
			missed, err := store.TaskByID(tx, v.Content.Measures[0].TaskID)
			if err != nil {
				return err
			}
			if first, err = w.a.PlanRevisionTask(tx, c, missed, now); err != nil {
				return err
			}
			second, err = w.a.PlanRevisionTask(tx, c, missed, now)
			return err
		})
		if first == nil || first.EmployeeID != w.coord.ID || !first.DueAt.Equal(now.AddDate(0, 1, 0)) || first.PlanID != v.Plan.ID {
			t.Fatalf("revision task: %+v", first)
		}
		if second != nil {
			t.Errorf("a second revision task while the first is open: %+v", second)
		}
	})
}

// The measures agreed in a meeting go into the case's plan in one step, as
// a new version; each becomes a task; the same minutes are not added twice.
// Without an open plan nothing happens (the meeting makes plain tasks).
func TestMeasuresFromMinutesGoIntoThePlan(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newPlanWorld(t, db)
		coord := planActor(w.coord)
		w.readyForIndividualPlan()
		ms := []app.NewMeasure{{Text: "Hospitere i ny klasse", Responsible: "anne.ppt", Due: "2026-04-10"},
			{Text: "Snakke med Emma om overgangen", Responsible: "Mor", Due: "2026-04-01"}}
		if id := app.AddMeasuresFromMinutesForTest(t, w.a, coord, w.caseID, "meeting-1", ms); id != "" {
			t.Fatalf("measures went into a plan that does not exist: %s", id)
		}
		v, err := w.a.CreatePlan(ctx, coord, w.caseID, ipInput())
		if err != nil {
			t.Fatal(err)
		}
		if id := app.AddMeasuresFromMinutesForTest(t, w.a, coord, w.caseID, "meeting-1", ms); id != v.Plan.ID {
			t.Fatalf("added to plan %q, want %q", id, v.Plan.ID)
		}
		app.AddMeasuresFromMinutesForTest(t, w.a, coord, w.caseID, "meeting-1", ms) // the same minutes again
		v, err = w.a.GetPlan(ctx, coord, v.Plan.ID)
		if err != nil {
			t.Fatal(err)
		}
		if v.Plan.Version != 2 || len(v.Content.Measures) != 4 {
			t.Fatalf("version %d with %d measures, want 2 with 4", v.Plan.Version, len(v.Content.Measures))
		}
		added := v.Content.Measures[2:]
		if added[0].MeetingID != "meeting-1" || added[0].ResponsibleID != w.adviser.ID || added[1].ResponsibleService != "Mor" {
			t.Errorf("added measures: %+v", added)
		}
		page, _ := w.a.ListPlanVersions(ctx, coord, v.Plan.ID, "", 0)
		if page.Versions[1].Change != "measures_from_minutes" {
			t.Errorf("the version's change is %q", page.Versions[1].Change)
		}
		// Anne has her new task; the parents' measure is followed up by the coordinator.
		var annes, coords int
		for _, task := range w.myTasks(w.adviser) {
			if task.Title == "Hospitere i ny klasse" {
				annes++
			}
		}
		for _, task := range w.myTasks(w.coord) {
			if task.Title == "Snakke med Emma om overgangen" {
				coords++
			}
		}
		if annes != 1 || coords != 1 {
			t.Errorf("tasks from the minutes: anne %d, coordinator %d", annes, coords)
		}
	})
}
