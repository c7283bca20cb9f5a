package app_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// routineCase registers a case about p by the teacher that follows
// Lillehammer's discoverer routine, as a registered concern would.
func (w *coordWorld) routineCase(p *samordna.Person) string {
	w.t.Helper()
	id := w.newCase(p)
	w.must(w.db.Write(context.Background(), func(tx *store.Tx) error {
		_, err := tx.Exec(`UPDATE cases SET routine_id = 'lillehammer-oppdager', routine_version = 1 WHERE id = $1`, id)
		return err
	}))
	return id
}

// stepTasks returns the case's tasks by step id (the newest of each).
func (w *coordWorld) stepTasks(caseID string) map[string]*store.Task {
	w.t.Helper()
	out := map[string]*store.Task{}
	w.must(w.db.Read(context.Background(), func(tx *store.Tx) error {
		ts, err := store.TasksOfCase(tx, caseID)
		for _, t := range ts {
			if t.StepID != "" && (out[t.StepID] == nil || t.CreatedAt.After(out[t.StepID].CreatedAt)) {
				out[t.StepID] = t
			}
		}
		return err
	}))
	return out
}

// tasksTitled returns the case's tasks with the title.
func (w *coordWorld) tasksTitled(caseID, title string) []*store.Task {
	w.t.Helper()
	var out []*store.Task
	w.must(w.db.Read(context.Background(), func(tx *store.Tx) error {
		ts, err := store.TasksOfCase(tx, caseID)
		for _, t := range ts {
			if t.Title == title {
				out = append(out, t)
			}
		}
		return err
	}))
	return out
}

// Rule 7, "tasks end when their work is done". Seed 000 Koordinerende
// enhet: "Delta på første del av første ansvarsgruppemøte" (FIDELITY 0.32)
// is due at the first meeting and ends when it is held; seed 000
// Koordinators oppgaver: "Avtale tid for neste samarbeidsmøte" (0.39) ends
// when the minutes plan the next meeting; seed 004 Sjekkliste "gjennomgå
// hvilke tiltak som er gjennomført" (4.74): a measure the minutes mark done
// ends its task, and the sweep never escalates it.
func TestTasksEndWhenTheirWorkIsDone(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newCoordWorld(t, db)
		ctx := context.Background()
		caseID := w.routineCase(w.child)
		ap, err := w.app.SubmitApplication(ctx, w.as("ola"), caseID, app.NewApplication{Coordinator: true, WishedCoordinator: "ingrid"})
		w.must(err)
		_, err = w.app.DecideApplication(ctx, w.as("kari"), ap.ID, app.Decision{Outcome: "granted", Coordinator: "ingrid"})
		w.must(err)
		w.consent(caseID, samordna.PurposeResponsibilityGroup, samordna.PurposeShareWithMembers)
		_, err = w.app.CreateGroup(ctx, w.as("ingrid"), caseID, []app.NewGroupMember{
			{Username: "anne", Role: "PP-rådgiver"}, {Name: "Åse Ødegård", Relation: "self"}})
		w.must(err)
		ke := w.stepTasks(caseID)["ke-first-meeting"]
		if ke == nil || ke.Status != store.TaskOpen || ke.DueAt != nil {
			t.Fatalf("the unit's first-meeting task after the group is set up: %+v", ke)
		}

		// Planning the first meeting gives the unit's task its deadline: the meeting.
		first := w.clock.Now().AddDate(0, 0, 20)
		v, err := w.app.PlanMeeting(ctx, w.as("ingrid"), caseID, app.NewMeeting{StartsAt: first, Place: "Rådhuset",
			Agenda: []string{"Skolen"}})
		w.must(err)
		ke = w.stepTasks(caseID)["ke-first-meeting"]
		if ke.DueAt == nil || !ke.DueAt.Equal(first.UTC()) || ke.OverdueAfter == nil ||
			!ke.OverdueAfter.Equal(first.Add(90*time.Minute).UTC()) {
			t.Errorf("the unit's task is not due at the first meeting: due %v, overdue %v", ke.DueAt, ke.OverdueAfter)
		}

		// The first meeting is held; its minutes plan the next one.
		w.clock.Advance(20*24*time.Hour + time.Hour)
		v, err = w.app.GetMeeting(ctx, w.as("ingrid"), v.Meeting.ID)
		w.must(err)
		_, err = w.app.SaveMinutes(ctx, w.as("ingrid"), v.Meeting.ID, fullMinutes(v, w.clock.Now().AddDate(0, 5, 0)))
		w.must(err)
		_, err = w.app.FinaliseMinutes(ctx, w.as("ingrid"), v.Meeting.ID)
		w.must(err)
		steps := w.stepTasks(caseID)
		if ke := steps["ke-first-meeting"]; ke.Status != store.TaskDone || ke.Outcome != "meeting_held" {
			t.Errorf("the unit's first-meeting task stays %s after the first meeting was held", ke.Status)
		}
		if next := steps["coord-next-meeting"]; next == nil || next.Status != store.TaskDone || next.Outcome != "meeting_planned" {
			t.Errorf("the next-meeting task is not ended by the minutes planning the next meeting: %+v", next)
		}
		measure := "Tiltak fra ansvarsgruppemøte: Søke om assistent"
		if ts := w.tasksTitled(caseID, measure); len(ts) != 1 || ts[0].Status != store.TaskOpen {
			t.Fatalf("measure task: %+v", ts)
		}

		gv, err := w.app.GetGroup(ctx, w.as("ingrid"), caseID)
		w.must(err)
		second := gv.Meetings[1].ID

		// The second meeting marks both measures done (their deadlines
		// passed long ago): their tasks end and the sweep leaves them be.
		w.clock.Advance(5 * 31 * 24 * time.Hour)
		v, err = w.app.GetMeeting(ctx, w.as("ingrid"), second)
		w.must(err)
		m2 := fullMinutes(v, w.clock.Now().AddDate(0, 4, 0))
		m2.NewMeasures = nil
		_, err = w.app.SaveMinutes(ctx, w.as("ingrid"), second, m2)
		w.must(err)
		_, err = w.app.FinaliseMinutes(ctx, w.as("ingrid"), second)
		w.must(err)
		if _, err := w.app.SweepOverdue(ctx, w.clock.Now()); err != nil {
			t.Fatal(err)
		}
		for _, title := range []string{measure, "Tiltak fra ansvarsgruppemøte: Ukentlig samtale hjemme (ansvarlig: Mor)"} {
			ts := w.tasksTitled(caseID, title)
			if len(ts) != 1 || ts[0].Status != store.TaskDone || ts[0].Outcome != "measure_done" || ts[0].EscalatedAt != nil {
				t.Errorf("%s: a measure marked done in the minutes: %+v", title, ts)
			}
		}
		if next := w.stepTasks(caseID)["coord-next-meeting"]; next.Status != store.TaskDone {
			t.Errorf("the second meeting's next-meeting task stays open: %+v", next)
		}
	})
}

// stepIDs returns the step ids of the tasks.
func stepIDs(tasks []*app.TaskView) map[string]*app.TaskView {
	out := map[string]*app.TaskView{}
	for _, t := range tasks {
		out[t.StepID] = t
	}
	return out
}

// Rule 3, seed 000 (Lillehammer) "Helsepersonell har opplysningsplikt til
// ... tjenesteområde psykisk helsearbeid og rusomsorg, når det er grunn til
// å tro at en gravid kvinne misbruker rusmidler på en slik måte at det er
// overveiende sannsynlig at barnet vil bli født med skade" (helsepersonelloven
// § 32; FIDELITY 0.29): the duty-to-inform step goes only to health
// personnel (by service kind or by role) and only for substance use, not
// mental illness alone; anyone else gets "involve health personnel" and is
// refused the duty to inform as not found; the assessment of whether the
// duty applies is recorded on the step's task.
func TestDutyToInformBelongsToHealthPersonnel(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db, at(2026, 3, 2, 10, 0))
		ctx := context.Background()
		pregnant := func(user string, problems ...pathway.Problem) *app.Concern {
			return w.concern(user, app.NewConcern{Situation: pathway.SituationPregnant, Description: "Gravid, bekymring.",
				Subject: &app.ConcernSubject{IDNumber: motherFNR, Name: "Mona Mor"}, Problems: problems})
		}
		rus := pathway.ProblemSubstanceUse

		// A teacher (no health service, no role) is guided to involve health personnel.
		byTeacher := pregnant("lise", rus)
		steps := stepIDs(byTeacher.Tasks)
		if steps["duty-to-inform"] != nil || steps["involve-health-personnel"] == nil || steps["consult"] == nil || len(steps) != 2 {
			t.Fatalf("a teacher's pregnant+substance concern starts %v", keys(steps))
		}
		if inv := steps["involve-health-personnel"]; inv.EmployeeID != w.id("lise") || inv.Title != "Involver helsepersonell: opplysningsplikten er deres" {
			t.Errorf("involve task = %+v", inv.Task)
		}
		_, err := w.app.SendReport(ctx, w.as("lise"), byTeacher.Case.ID, app.NewReport{Kind: app.ReportDutyToInform,
			Description: "Forsøk på opplysning fra en som ikke er helsepersonell."})
		if !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("a teacher sent the duty to inform: %v", err)
		}
		if n := w.count("child_welfare_reports"); n != 0 {
			t.Errorf("%d reports stored", n)
		}
		// The same teacher may still report to child welfare (every employee's duty).
		if _, err := w.app.SendReport(ctx, w.as("lise"), byTeacher.Case.ID, app.NewReport{Kind: app.ReportChildWelfare,
			Description: "Bekymringsmelding."}); err != nil {
			t.Errorf("the teacher's own duty to report: %v", err)
		}

		// Mental illness alone: no duty to inform, for anyone.
		mental := pregnant("ingrid", pathway.ProblemMentalIllness)
		if steps := stepIDs(mental.Tasks); len(steps) != 1 || steps["consult"] == nil {
			t.Errorf("mental illness alone starts %v", keys(steps))
		}
		// Not stated: no duty either (the API stays compatible; the duty needs substance use).
		if steps := stepIDs(pregnant("ingrid").Tasks); steps["duty-to-inform"] != nil {
			t.Errorf("a concern that records no problem starts the duty to inform")
		}
		_, err = w.app.RegisterConcern(ctx, w.as("ingrid"), app.NewConcern{Situation: pathway.SituationPregnant,
			Description: "x", Subject: &app.ConcernSubject{IDNumber: motherFNR}, Problems: []pathway.Problem{"rus"}})
		wantErrCode(t, err, "invalid_problem")

		// The public-health nurse (health station) gets the duty and records that it does not apply.
		byNurse := pregnant("ingrid", pathway.ProblemMentalIllness, rus)
		duty := stepIDs(byNurse.Tasks)["duty-to-inform"]
		if duty == nil || duty.EmployeeID != w.id("ingrid") || stepIDs(byNurse.Tasks)["involve-health-personnel"] != nil {
			t.Fatalf("the nurse's tasks: %v", keys(stepIDs(byNurse.Tasks)))
		}
		_, _, err = w.app.CompleteTask(ctx, w.as("ingrid"), duty.ID, "")
		wantErrCode(t, err, "outcome_required")
		done, _, err := w.app.CompleteTask(ctx, w.as("ingrid"), duty.ID, app.DutyNotApplicable)
		if err != nil || done.Status != store.TaskDone || done.Outcome != app.DutyNotApplicable {
			t.Fatalf("assessment not recorded: %+v, %v", done, err)
		}
		var recorded []string
		w.must(db.Read(ctx, func(tx *store.Tx) error {
			cs, err := store.ConcernsOfCase(tx, byNurse.Case.ID)
			if len(cs) == 1 {
				recorded = cs[0].Problems
			}
			return err
		}))
		if strings.Join(recorded, ",") != "mental_illness,substance_use" {
			t.Errorf("the concern records %v", recorded)
		}

		// A midwife outside the health services is health personnel by role;
		// sending the information records that the duty applies.
		_, err = w.app.CreateUser(ctx, nil, app.NewUser{Username: "jorid", Name: "Jorid Jordmor", Title: "Jordmor",
			Roles: []samordna.Role{samordna.RoleEmployee, samordna.RoleHealthPersonnel}})
		w.must(err)
		w.must(db.Read(ctx, func(tx *store.Tx) error {
			e, _, err := store.EmployeeByUsername(tx, "jorid")
			w.actors["jorid"] = &samordna.Actor{Employee: e, RequestID: "test-jorid"}
			return err
		}))
		byMidwife := pregnant("jorid", rus)
		if stepIDs(byMidwife.Tasks)["duty-to-inform"] == nil {
			t.Fatalf("the midwife's tasks: %v", keys(stepIDs(byMidwife.Tasks)))
		}
		if _, err := w.app.SendReport(ctx, w.as("jorid"), byMidwife.Case.ID, app.NewReport{Kind: app.ReportDutyToInform,
			Description: "Overveiende sannsynlig skade."}); err != nil {
			t.Fatal(err)
		}
		w.must(db.Read(ctx, func(tx *store.Tx) error {
			ts, err := store.TasksOfCase(tx, byMidwife.Case.ID)
			for _, x := range ts {
				if x.StepID == "duty-to-inform" && (x.Status != store.TaskDone || x.Outcome != app.DutyApplies) {
					t.Errorf("duty-to-inform after sending: %s %q", x.Status, x.Outcome)
				}
			}
			return err
		}))
	})
}

// must fails the test on err.
func (w *world) must(err error) {
	w.t.Helper()
	if err != nil {
		w.t.Fatal(err)
	}
}

// Rule 5, seed 003 (Ulstein) row 6: "Etablere ansvarsgruppe rundt familien.
// Vurdere rustesting" — responsible "Barnevernet" (FIDELITY 3.19, 3.20).
// A child-welfare caseworker with the case takes the coordinator role by
// the routine, records the family's consent and sets the group up; the
// drug test assessment is recorded on the step. Nobody else may take the
// role (not found), and not before the step is open.
func TestChildWelfareSetsUpTheGroupByTheRoutine(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db, at(2026, 3, 2, 10, 0))
		ctx := context.Background()
		c := w.concern("ola", named(pathway.SituationKnownFamily, "ulstein-rus-sped-smabarn"))
		caseID := c.Case.ID
		// Before child welfare has the case, nobody can take the role by the routine.
		for _, u := range []string{"per", "ola", "siv"} {
			_, err := w.app.TakeCoordinationByRoutine(ctx, w.as(u), caseID)
			wantErrCode(t, err, "not_found")
		}
		w.complete("ola", caseID, "row-03", "refused")
		rep, err := w.app.SendReport(ctx, w.as("ola"), caseID, app.NewReport{Kind: app.ReportChildWelfare,
			Description: "Familien vil ikke samarbeide."})
		w.must(err)
		_, err = w.app.ReceiveReport(ctx, w.as("per"), rep.ID)
		w.must(err)
		if w.openTasks(caseID)["row-06"] == nil {
			t.Fatalf("row 6 not open: %v", keys(w.openTasks(caseID)))
		}
		// Without coordinator role, child welfare is refused the group (the old gap).
		_, err = w.app.CreateGroup(ctx, w.as("per"), caseID, []app.NewGroupMember{{Name: "Mona Mor", Relation: "self"}})
		wantErrCode(t, err, "not_found")
		// Those the routine does not name are refused as not found: the
		// discoverer (a teacher) and the substance service.
		for _, u := range []string{"ola", "siv"} {
			_, err := w.app.TakeCoordinationByRoutine(ctx, w.as(u), caseID)
			wantErrCode(t, err, "not_found")
		}
		k, err := w.app.TakeCoordinationByRoutine(ctx, w.as("per"), caseID)
		w.must(err)
		if k.Username != "per" || k.Status != store.CoordinatorAccepted {
			t.Errorf("coordinator = %+v", k)
		}
		_, err = w.app.TakeCoordinationByRoutine(ctx, w.as("berit"), caseID)
		wantErrCode(t, err, "coordinator_exists")
		w.must(db.Read(ctx, func(tx *store.Tx) error {
			cur, err := store.CurrentAssignment(tx, caseID)
			if err == nil && cur.Basis != "routine:ulstein-rus-sped-smabarn@1/row-06" {
				t.Errorf("basis = %q", cur.Basis)
			}
			return err
		}))

		// The drug test assessment on the step: by child welfare, not by the discoverer.
		_, err = w.app.RecordDrugTestAssessment(ctx, w.as("ola"), caseID, "test", "Mor har erkjent bruk.")
		wantErrCode(t, err, "not_assignee")
		_, err = w.app.RecordDrugTestAssessment(ctx, w.as("per"), caseID, "maybe", "x")
		wantErrCode(t, err, "invalid_decision")
		_, err = w.app.RecordDrugTestAssessment(ctx, w.as("lise"), caseID, "test", "x")
		wantErrCode(t, err, "not_found")
		d, err := w.app.RecordDrugTestAssessment(ctx, w.as("per"), caseID, "test", "Mor samtykker til urinprøver.")
		w.must(err)
		if d.Decision != "test" || d.TaskID != w.openTasks(caseID)["row-06"].ID {
			t.Errorf("assessment = %+v", d)
		}

		// With the family's written consent, as always, per sets the group up.
		_, err = w.app.CreateGroup(ctx, w.as("per"), caseID, []app.NewGroupMember{{Name: "Mona Mor", Relation: "self"}})
		wantErrCode(t, err, "consent_required")
		_, err = w.app.RecordConsent(ctx, w.as("per"), caseID, app.NewConsent{GivenBy: "Mona Mor",
			Purposes: []samordna.ConsentPurpose{samordna.PurposeResponsibilityGroup, samordna.PurposeShareWithMembers}})
		w.must(err)
		_, err = w.app.CreateGroup(ctx, w.as("per"), caseID, []app.NewGroupMember{{Username: "siv", Role: "Rusrådgiver"},
			{Name: "Mona Mor", Relation: "self"}})
		w.must(err)
		open := w.openTasks(caseID)
		if open["row-06"] != nil || open["row-07"] == nil {
			t.Errorf("after the group: open steps %v", keys(open))
		}
		// The step asks for no drug test any more.
		_, err = w.app.RecordDrugTestAssessment(ctx, w.as("per"), caseID, "no_test", "Ikke nødvendig nå.")
		wantErrCode(t, err, "no_drug_test_step")
	})
}

// Rule 5, seed 003 (Ulstein) row 9: "Avvik, manglende oppfølging av
// tiltaksplan" (FIDELITY 3.24): another missing follow-up is registered as a
// deviation by hand; it starts the revision of the plan (row 9) and is
// listed with the sweep's deviations.
func TestDeviationRegisteredByHand(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db, at(2026, 3, 2, 10, 0))
		ctx := context.Background()
		c := w.concern("ola", named(pathway.SituationKnownFamily, "ulstein-rus-sped-smabarn"))
		caseID := c.Case.ID
		row3 := w.openTasks(caseID)["row-03"]
		_, err := w.app.RegisterDeviation(ctx, w.as("lise"), caseID, app.NewDeviation{Description: "Ikke fulgt opp."})
		wantErrCode(t, err, "not_found")
		_, err = w.app.RegisterDeviation(ctx, w.as("ola"), caseID, app.NewDeviation{Description: " "})
		wantErrCode(t, err, "description_required")
		_, err = w.app.RegisterDeviation(ctx, w.as("ola"), caseID, app.NewDeviation{Description: "Ikke fulgt opp."})
		wantErrCode(t, err, "task_required")
		_, err = w.app.RegisterDeviation(ctx, w.as("ola"), caseID, app.NewDeviation{Description: "x", TaskID: "nope"})
		wantErrCode(t, err, "unknown_task")
		if n := w.count("deviations"); n != 0 {
			t.Fatalf("%d deviations stored by refused requests", n)
		}
		d, err := w.app.RegisterDeviation(ctx, w.as("ola"), caseID, app.NewDeviation{
			Description: "Avtalt hjemmebesøk ble ikke gjennomført.", TaskID: row3.ID})
		w.must(err)
		if d.Kind != app.DeviationManual || d.ReportedBy != w.id("ola") || d.TaskID != row3.ID || d.RevisionTaskID == "" {
			t.Errorf("deviation = %+v", d)
		}
		if rev := w.openTasks(caseID)["row-09"]; rev == nil || rev.ID != d.RevisionTaskID {
			t.Errorf("no revision task (row 9): %v", keys(w.openTasks(caseID)))
		}
		ds, err := w.app.Deviations(ctx, w.as("ola"), caseID)
		w.must(err)
		if len(ds) != 1 || ds[0].Description != "Avtalt hjemmebesøk ble ikke gjennomført." {
			t.Errorf("deviations = %+v", ds)
		}
		_, err = w.app.Deviations(ctx, w.as("lise"), caseID)
		wantErrCode(t, err, "not_found")
	})
}

// Rule 9, seed 000 (Lillehammer) gives no deadlines (FIDELITY 0.19 and
// "Deadlines that are not in the seed"): the "Lokal frist" deadlines and the
// one-hour limits are the municipality's choice. The administrator adopts
// or changes them per routine and step, versioned and audited; new tasks
// follow the version in force and record whose deadline they have.
func TestMunicipalityAdoptsDeadlines(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db, at(2026, 3, 2, 10, 0)) // a Monday
		ctx := context.Background()
		// Before: Samordna's proposal (consult: 1 week), marked as proposed; the
		// Ulstein routine's own deadlines are the routine's.
		before := w.concern("ola", named(pathway.SituationUnclearConcern, ""))
		consult := w.openTasks(before.Case.ID)["consult"]
		if consult.DeadlineSource != store.DeadlineProposed || !consult.DueAt.Equal(at(2026, 3, 9, 10, 0)) {
			t.Errorf("before adoption: %s due %v", consult.DeadlineSource, consult.DueAt)
		}
		ul := w.concern("ola", named(pathway.SituationUnclearConcern, "ulstein-rus-sped-smabarn"))
		if row1 := w.openTasks(ul.Case.ID)["row-01"]; row1.DeadlineSource != store.DeadlineRoutine {
			t.Errorf("Ulstein row 1 deadline source %q, want routine", row1.DeadlineSource)
		}

		// Only the administrator adopts; others get not found.
		_, err := w.app.AdoptDeadline(ctx, w.as("kari"), app.DeadlineChange{RoutineID: "lillehammer-oppdager",
			StepID: "consult", Deadline: "P3D"})
		wantErrCode(t, err, "not_found")
		for _, bad := range []struct {
			in   app.DeadlineChange
			code string
		}{
			{app.DeadlineChange{RoutineID: "ulstein-rus-sped-smabarn", StepID: "row-01", Deadline: "P3D"}, "deadline_not_local"},
			{app.DeadlineChange{RoutineID: "lillehammer-oppdager", StepID: "nope", Deadline: "P3D"}, "unknown_step"},
			{app.DeadlineChange{RoutineID: "lillehammer-oppdager", StepID: "consult", Deadline: "snart"}, "invalid_deadline"},
			{app.DeadlineChange{StepID: app.LimitImmediateGrace, Deadline: "PT100H"}, "invalid_deadline"},
		} {
			_, err := w.app.AdoptDeadline(ctx, w.as("admin"), bad.in)
			wantErrCode(t, err, bad.code)
		}
		if n := w.count("deadline_adoptions"); n != 0 {
			t.Fatalf("%d adoptions stored by refused changes", n)
		}
		audits := w.count("audit_events")
		d, err := w.app.AdoptDeadline(ctx, w.as("admin"), app.DeadlineChange{RoutineID: "lillehammer-oppdager",
			StepID: "consult", Deadline: "P3D", WorkingDays: true, Note: "Vedtatt i kommunestyret 01.03.2026"})
		w.must(err)
		d2, err := w.app.AdoptDeadline(ctx, w.as("admin"), app.DeadlineChange{RoutineID: "lillehammer-oppdager",
			StepID: "consult", Deadline: "P4D", WorkingDays: true, Note: "Endret"})
		w.must(err)
		_, err = w.app.AdoptDeadline(ctx, w.as("admin"), app.DeadlineChange{StepID: app.LimitImmediateGrace, Deadline: "PT2H"})
		w.must(err)
		if d.Version != 1 || d2.Version != 2 || w.count("audit_events") != audits+3 {
			t.Errorf("versions %d, %d; audit rows +%d", d.Version, d2.Version, w.count("audit_events")-audits)
		}

		// New tasks follow version 2 (4 working days) and the two-hour limit.
		after := w.concern("ola", named(pathway.SituationUnclearConcern, ""))
		consult = w.openTasks(after.Case.ID)["consult"]
		if consult.DeadlineSource != store.DeadlineMunicipality || !consult.DueAt.Equal(at(2026, 3, 6, 10, 0)) {
			t.Errorf("after adoption: %s due %v, want municipality 2026-03-06", consult.DeadlineSource, consult.DueAt)
		}
		acute := w.concern("ola", named(pathway.SituationAcute, ""))
		rep := w.openTasks(acute.Case.ID)["acute-report"]
		if rep.DeadlineSource != store.DeadlineRoutine || !rep.OverdueAfter.Equal(at(2026, 3, 2, 12, 0)) {
			t.Errorf("acute report: %s overdue after %v, want 2 hours", rep.DeadlineSource, rep.OverdueAfter)
		}
		// Tasks already started keep their deadline.
		if old := w.openTasks(before.Case.ID)["consult"]; !old.DueAt.Equal(at(2026, 3, 9, 10, 0)) {
			t.Errorf("a started task changed: %v", old.DueAt)
		}

		_, err = w.app.AdminDeadlines(ctx, w.as("ola"))
		wantErrCode(t, err, "not_found") // the administrator's page
		rows, err := w.app.MunicipalDeadlines(ctx, w.as("ola"))
		w.must(err)
		var found, grace bool
		for _, r := range rows {
			if r.RoutineID == "ulstein-rus-sped-smabarn" {
				t.Errorf("Ulstein's own deadline listed as adoptable: %s", r.StepID)
			}
			if r.RoutineID == "lillehammer-oppdager" && r.StepID == "consult" {
				found = r.Current != nil && r.Current.Version == 2 && len(r.History) == 2 && r.Proposed == "P1W" &&
					r.Current.AdoptedByName == "Adam Admin"
			}
			if r.StepID == app.LimitImmediateGrace {
				grace = r.Current != nil && r.Current.Deadline == "PT2H" && r.Proposed == "PT1H"
			}
		}
		if !found || !grace {
			t.Errorf("deadline rows: consult %v, grace %v", found, grace)
		}
	})
}
