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

// solaConcern registers, as siv of the mental health and substance
// service, an adult's case under Sola's action guide.
func solaConcern(w *world, sit pathway.Situation, idNumber, name string) *app.Concern {
	return w.concern("siv", app.NewConcern{Situation: sit, Routine: "sola-barn-som-parorende",
		Description: "Forelder følges opp for rus.", Subject: &app.ConcernSubject{IDNumber: idNumber, Name: name},
		Problems: []pathway.Problem{pathway.ProblemSubstanceUse}})
}

// Seed 001 (Sola), individual level, structure: "Utarbeide
// trinn-for-trinn-handlingsveiledere for ansatte for tilnærming og arbeidet
// med familien" (rows 1.6, 1.24, 1.42). A case in an adult service under
// Sola's shipped guide gets its step tasks in order, each with a deadline
// and the role the guide names: ask about the children (the employee, one
// week), inform and offer follow-up (two weeks); with consent the
// service's barneansvarlig connects other services; without it the
// employee assesses the duty to report; an acute situation gives an
// immediate report task.
func TestSeed001SolaActionGuideGivesStepTasks(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		w := newWorld(t, db, now)
		ctx := context.Background()
		svc := w.as("siv").Employee.Services[0].ID
		w.must(w.app.SetChildResponsible(ctx, w.as("admin"), svc, "tor"))

		c := solaConcern(w, pathway.SituationAsksForHelp, motherFNR, "Mona Mor")
		if c.Case.RoutineID != "sola-barn-som-parorende" {
			t.Fatalf("case follows %q", c.Case.RoutineID)
		}
		open := w.openTasks(c.Case.ID)
		ask, ok := open["ask"]
		if len(open) != 1 || !ok {
			t.Fatalf("open tasks after the concern: %v", open)
		}
		if ask.EmployeeID != w.id("siv") || ask.Title != "Spør om barn under 18 år" || !ask.DueAt.Equal(now.AddDate(0, 0, 7)) {
			t.Errorf("ask task: %+v", ask)
		}
		w.complete("siv", c.Case.ID, "ask", "")
		inform, ok := w.openTasks(c.Case.ID)["inform"]
		if !ok || inform.EmployeeID != w.id("siv") || inform.DueAt == nil || !inform.DueAt.Equal(now.AddDate(0, 0, 14)) {
			t.Fatalf("inform task: %+v", inform)
		}
		// The written consent is recorded, then the step completes "given".
		if _, err := w.app.RecordConsent(ctx, w.as("siv"), c.Case.ID, app.NewConsent{GivenBy: "Mona Mor",
			Purposes: []samordna.ConsentPurpose{samordna.PurposeShareWithMembers}}); err != nil {
			t.Fatal(err)
		}
		w.complete("siv", c.Case.ID, "inform", "given")
		involve, ok := w.openTasks(c.Case.ID)["involve"]
		if !ok || involve.EmployeeID != w.id("tor") || involve.Responsible != string(pathway.ResponsibleChildResponsible) {
			t.Fatalf("the barneansvarlig's task: %+v", involve)
		}

		// Consent refused: the employee assesses the duty to report.
		w2 := w
		c2 := solaConcern(w2, pathway.SituationKnownFamily, adultDNR, "Dag Dnummer")
		w2.complete("siv", c2.Case.ID, "ask", "")
		w2.complete("siv", c2.Case.ID, "inform", "refused")
		if rd, ok := w2.openTasks(c2.Case.ID)["report-duty"]; !ok || rd.EmployeeID != w2.id("siv") {
			t.Errorf("report-duty task: %+v", rd)
		}
		if _, ok := w2.openTasks(c2.Case.ID)["involve"]; ok {
			t.Error("the barneansvarlig got a task although consent was refused")
		}
		// Acute: an immediate report task.
		c3 := solaConcern(w2, pathway.SituationAcute, samordna.SyntheticIDNumber(time.Date(1988, 1, 9, 0, 0, 0, 0, time.UTC), 9), "Åse Akutt")
		ac, ok := w2.openTasks(c3.Case.ID)["acute-report"]
		if !ok || ac.EmployeeID != w2.id("siv") || ac.DueAt == nil || !ac.DueAt.Equal(now) {
			t.Errorf("acute report task: %+v", ac)
		}
	})
}
