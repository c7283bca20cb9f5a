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

// Seed 004 Koordinator: "Oppnevningen gjøres etter ønske eller søknad fra
// brukeren/foresatte/pårørende"; seed 000 Framgangsmåte: "I de tilfeller det
// er behov for å samtykke til oppfølging ... skal det søkes om Koordinator".
// Without the person's will nothing reaches the coordinating unit; with a
// consent covering register_with_coordinating_unit, or with the person's own
// signed application attached, the application records the wish itself:
// whose it is and whether it includes a responsibility group (seed 004
// Etablering: "Ønske om opprettelse av ansvarsgruppe meldes til
// koordinerende enhet").
func TestApplicationNeedsThePersonsWill(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newCoordWorld(t, db)
		ctx := context.Background()
		caseID := w.bareCase(w.child)

		// No consent at all: 422, and the unit still cannot see the case.
		_, err := w.app.SubmitApplication(ctx, w.as("ola"), caseID, app.NewApplication{Coordinator: true})
		coordWantCode(t, err, "consent_required")
		// A consent for other purposes, or withdrawn, is not the will to apply.
		other, err := w.app.RecordConsent(ctx, w.as("ola"), caseID, app.NewConsent{GivenBy: "Kristin Ødegård",
			GivenByRelation: "guardian", Purposes: []samordna.ConsentPurpose{samordna.PurposeRegisterWithUnit}})
		w.must(err)
		_, err = w.app.WithdrawConsent(ctx, w.as("ola"), other.ID)
		w.must(err)
		_, err = w.app.RecordConsent(ctx, w.as("ola"), caseID, app.NewConsent{GivenBy: "Kristin Ødegård",
			GivenByRelation: "guardian", Purposes: []samordna.ConsentPurpose{samordna.PurposeShareWithMembers}})
		w.must(err)
		_, err = w.app.SubmitApplication(ctx, w.as("ola"), caseID, app.NewApplication{Coordinator: true})
		coordWantCode(t, err, "consent_required")
		if _, err := w.app.GetCase(ctx, w.as("kari"), caseID); !errors.Is(err, samordna.ErrNotFound) {
			t.Fatalf("the unit reads a case nobody consented to share: %v", err)
		}
		// Bad input about the wish is refused and changes nothing.
		_, err = w.app.SubmitApplication(ctx, w.as("ola"), caseID, app.NewApplication{Coordinator: true,
			WishedByRelation: "neighbour"})
		coordWantCode(t, err, "invalid_relation")
		_, err = w.app.SubmitApplication(ctx, w.as("ola"), caseID, app.NewApplication{Coordinator: true,
			SignedFormID: "no-such-form"})
		coordWantCode(t, err, "unknown_form")

		// The guardian's consent to register with the unit carries the wish.
		k, err := w.app.RecordConsent(ctx, w.as("ola"), caseID, app.NewConsent{GivenBy: "Kristin Ødegård",
			GivenByRelation: "guardian", Purposes: []samordna.ConsentPurpose{samordna.PurposeRegisterWithUnit,
				samordna.PurposeResponsibilityGroup}})
		w.must(err)
		ap, err := w.app.SubmitApplication(ctx, w.as("ola"), caseID, app.NewApplication{Coordinator: true,
			ResponsibilityGroup: true})
		w.must(err)
		got, _, err := w.app.GetApplication(ctx, w.as("kari"), ap.ID)
		w.must(err)
		if got.WishedBy != "Kristin Ødegård" || got.WishedByRelation != "guardian" || !got.WantsGroup ||
			got.ConsentID != k.ID || got.SignedFormID != "" {
			t.Errorf("the wish recorded: by %q (%s), group %v, consent %q, form %q", got.WishedBy, got.WishedByRelation,
				got.WantsGroup, got.ConsentID, got.SignedFormID)
		}

		// The person's own signed application carries the will without a consent.
		adultCase := w.bareCase(w.adult)
		form, err := w.app.UploadConsentForm(ctx, w.as("ola"), adultCase, "application/pdf", []byte("%PDF-1.4\nsøknad\n%%EOF\n"))
		w.must(err)
		ap2, err := w.app.SubmitApplication(ctx, w.as("ola"), adultCase, app.NewApplication{IndividualPlan: true,
			SignedFormID: form.ID})
		w.must(err)
		got, _, err = w.app.GetApplication(ctx, w.as("kari"), ap2.ID)
		w.must(err)
		if got.SignedFormID != form.ID || got.WishedBy != w.adult.Name || got.WishedByRelation != "self" || got.WantsGroup {
			t.Errorf("signed application: %+v", got)
		}
		// A form of another case is not this person's application.
		third := w.bareCase(w.adult)
		_, err = w.app.SubmitApplication(ctx, w.as("ola"), third, app.NewApplication{Coordinator: true, SignedFormID: form.ID})
		coordWantCode(t, err, "unknown_form")
	})
}

// Seed 003 row 5: "Småbarnsfamilie som nektar å samarbeide/skrive under
// samtykkeerklæring" → "Skrifteleg melding til barnevernet". After the
// family's recorded refusal the application is refused with a pointer to
// the refusal's path, never to the coordinating unit; the routine itself
// started the written report.
func TestRefusedConsentPointsToChildWelfareNotTheUnit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db, at(2026, 3, 2, 10, 0))
		ctx := context.Background()
		c := w.concern("ola", named(pathway.SituationKnownFamily, "ulstein-rus-sped-smabarn"))
		next := w.complete("ola", c.Case.ID, "row-03", "refused")
		if len(next) != 1 || next[0].StepID != "row-05" {
			t.Fatalf("after the refusal: %+v", next)
		}
		_, err := w.app.SubmitApplication(ctx, w.as("ola"), c.Case.ID, app.NewApplication{Coordinator: true})
		wantErrCode(t, err, "consent_required")
		if !strings.Contains(err.Error(), "child welfare") {
			t.Errorf("the refusal does not point to its path: %v", err)
		}
		if _, err := w.app.GetCase(ctx, w.as("kari"), c.Case.ID); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("the unit reads a refused family's case: %v", err)
		}
	})
}

// Seed 000 Koordinerende enhet: "Fatte vedtak om koordinator og eller
// individuell plan" — the decision binds. An individual plan on a case whose
// decision said no, or later until a new decision grants it, is refused
// with individual_plan_not_granted.
func TestIndividualPlanFollowsTheDecision(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newPlanWorld(t, db)
		ctx := context.Background()
		coord := planActor(w.coord)
		w.decide(w.caseID, "no")
		w.write(func(tx *store.Tx) error {
			now := w.clock.Now()
			return store.AppointCoordinator(tx, &store.Assignment{ID: samordna.NewID(), CaseID: w.caseID,
				EmployeeID: w.coord.ID, Kind: store.KindCoordinator, Status: store.CoordinatorAccepted,
				AppointedBy: w.unit.ID, AppointedAt: now, AcceptedAt: &now})
		})
		w.consent(w.caseID, samordna.PurposeIndividualPlan)
		_, err := w.a.CreatePlan(ctx, coord, w.caseID, ipInput())
		wantPlanErr(t, err, samordna.KindRule, "individual_plan_not_granted")
		pc, err := w.a.GetPlanCase(ctx, coord, w.caseID)
		if err != nil {
			t.Fatal(err)
		}
		if pc.Missing[app.PlanIndividual] != "individual_plan_not_granted" {
			t.Errorf("the plan page is not told: %q", pc.Missing[app.PlanIndividual])
		}
		// "later": still not granted until it is decided.
		w.clock.Set(w.clock.Now().Add(time.Hour))
		w.decide(w.caseID, "later")
		_, err = w.a.CreatePlan(ctx, coord, w.caseID, ipInput())
		wantPlanErr(t, err, samordna.KindRule, "individual_plan_not_granted")
		if n := w.audits("create_plan", samordna.OutcomeAllowed); n != 0 {
			t.Fatalf("%d plans made against the decision", n)
		}
		// A new decision granting it now lets the coordinator make it.
		w.clock.Set(w.clock.Now().Add(time.Hour))
		w.decide(w.caseID, "now")
		if _, err := w.a.CreatePlan(ctx, coord, w.caseID, ipInput()); err != nil {
			t.Fatal(err)
		}
	})
}

// Seed 004 Koordinatorens arbeidsoppgaver: "Ha ansvar for utarbeiding av
// eventuell individuell plan" and "Avklare om det skal opprettes
// stafettlogg, og etablering av denne". Other writers of the case (the
// teacher who registered it, a group member) get 404 like any refused
// action, audited as denied; the coordinating unit may.
func TestOnlyTheCoordinatorMakesAndChangesThePlanAndRelayLog(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newPlanWorld(t, db)
		ctx := context.Background()
		w.readyForIndividualPlan()
		w.consent(w.caseID, samordna.PurposeResponsibilityGroup)
		w.group(w.caseID, w.nurse)
		v, err := w.a.CreatePlan(ctx, planActor(w.coord), w.caseID, ipInput())
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range []*samordna.Employee{w.teacher, w.nurse} {
			if _, err := w.a.CreatePlan(ctx, planActor(e), w.caseID, relayInput()); !errors.Is(err, samordna.ErrNotFound) {
				t.Errorf("%s opened a relay log: %v", e.Username, err)
			}
			if _, err := w.a.UpdatePlan(ctx, planActor(e), v.Plan.ID, v.ETag, editInput(v)); !errors.Is(err, samordna.ErrNotFound) {
				t.Errorf("%s changed the individual plan: %v", e.Username, err)
			}
			got, err := w.a.GetPlan(ctx, planActor(e), v.Plan.ID) // reading stays open to them
			if err != nil || got.CanWrite {
				t.Errorf("%s: read %v, offered editing %v", e.Username, err, got != nil && got.CanWrite)
			}
		}
		if n := w.audits("update_plan", samordna.OutcomeDenied); n != 2 {
			t.Errorf("%d denied update_plan rows, want 2", n)
		}
		// An action plan stays open to the case's writers (the group makes it).
		if _, err := w.a.CreatePlan(ctx, planActor(w.nurse), w.caseID, app.PlanInput{Kind: app.PlanAction,
			Goals: []app.GoalInput{{Text: "Trygg hverdag", Term: "short"}}}); err != nil {
			t.Errorf("the group member's action plan: %v", err)
		}
		// The coordinating unit may change the individual plan.
		if _, err := w.a.UpdatePlan(ctx, planActor(w.unit), v.Plan.ID, v.ETag, editInput(v)); err != nil {
			t.Errorf("the unit's change: %v", err)
		}
	})
}

// Seed 000 Framgangsmåte (the "document" step): "I de tilfeller det er
// behov for å samtykke til oppfølging etter behandlingslinjen skal det søkes
// om Koordinator". The outcome "consent given" needs a recorded consent
// with its purposes; then the application step starts.
func TestLillehammerConsentGivenNeedsARecordedConsent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db, at(2026, 3, 2, 10, 0))
		ctx := context.Background()
		c := w.concern("ola", named(pathway.SituationUnclearConcern, "lillehammer-oppdager"))
		w.complete("ola", c.Case.ID, "consult", "")
		w.complete("ola", c.Case.ID, "conversation", "")
		doc := w.openTasks(c.Case.ID)["document"]
		_, _, err := w.app.CompleteTask(ctx, w.as("ola"), doc.ID, "given")
		wantErrCode(t, err, "consent_required")
		if w.task(doc.ID).Status != store.TaskOpen {
			t.Fatal("the refused outcome changed the task")
		}
		if _, err := w.app.RecordConsent(ctx, w.as("ola"), c.Case.ID, app.NewConsent{GivenBy: "Kari Foreldre",
			GivenByRelation: "guardian", Purposes: []samordna.ConsentPurpose{samordna.PurposeRegisterWithUnit}}); err != nil {
			t.Fatal(err)
		}
		if next := w.complete("ola", c.Case.ID, "document", "given"); len(next) != 1 || next[0].StepID != "apply" {
			t.Errorf("after the recorded consent: %+v", next)
		}
	})
}
