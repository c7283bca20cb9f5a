package app_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

func TestApplicationAndDecisionRules(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newCoordWorld(t, db)
		ctx := context.Background()
		adultCase := w.newCase(w.adult)
		_, err := w.app.SubmitApplication(ctx, w.as("ola"), adultCase, app.NewApplication{})
		coordWantCode(t, err, "nothing_applied_for")
		_, err = w.app.SubmitApplication(ctx, w.as("ola"), adultCase, app.NewApplication{Coordinator: true, WishedCoordinator: "nobody"})
		coordWantCode(t, err, "unknown_wished_coordinator")
		_, err = w.app.SubmitApplication(ctx, w.as("ola"), adultCase, app.NewApplication{Coordinator: true, WishedCoordinator: "admin"})
		coordWantCode(t, err, "unknown_wished_coordinator")
		if _, err := w.app.SubmitApplication(ctx, w.as("anne"), adultCase, app.NewApplication{Coordinator: true}); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("an unrelated employee applied: %v", err)
		}
		ap, err := w.app.SubmitApplication(ctx, w.as("ola"), adultCase, app.NewApplication{Coordinator: true, WishedCoordinator: "anne"})
		w.must(err)
		_, err = w.app.SubmitApplication(ctx, w.as("ola"), adultCase, app.NewApplication{IndividualPlan: true})
		coordWantCode(t, err, "application_pending")

		for _, c := range []struct {
			d    app.Decision
			code string
		}{
			{app.Decision{Outcome: "maybe"}, "invalid_outcome"},
			{app.Decision{Outcome: "refused"}, "reason_required"},
			{app.Decision{Outcome: "granted"}, "coordinator_required"},
			{app.Decision{Outcome: "granted", Coordinator: "ingrid", CoordinatorKind: "boss"}, "invalid_coordinator_kind"},
			{app.Decision{Outcome: "granted", Coordinator: "ingrid", IndividualPlanWhen: "now"}, "invalid_plan_when"},
			{app.Decision{Outcome: "granted", Coordinator: "nobody"}, "unknown_coordinator"},
			// Seed 004 Koordinator / hol § 7-2a: a child coordinator needs its
			// recorded ground ("alvorlig sykdom, skade eller nedsatt funksjonsevne").
			{app.Decision{Outcome: "granted", Coordinator: "ingrid", CoordinatorKind: "child_coordinator"}, "child_coordinator_ground_required"},
			{app.Decision{Outcome: "granted", Coordinator: "ingrid", CoordinatorKind: "child_coordinator",
				ChildCoordinatorGround: "worry"}, "invalid_child_coordinator_ground"},
			// An adult gets no child coordinator.
			{app.Decision{Outcome: "granted", Coordinator: "ingrid", CoordinatorKind: "child_coordinator",
				ChildCoordinatorGround: "disability"}, "child_coordinator_not_allowed"},
		} {
			_, err := w.app.DecideApplication(ctx, w.as("kari"), ap.ID, c.d)
			coordWantCode(t, err, c.code)
		}
		// Nothing changed by the refused attempts.
		got, _, err := w.app.GetApplication(ctx, w.as("kari"), ap.ID)
		w.must(err)
		if got.Status != "submitted" {
			t.Fatalf("a refused decision changed the application: %s", got.Status)
		}
		// Granting someone else than the wished coordinator warns.
		res, err := w.app.DecideApplication(ctx, w.as("kari"), ap.ID, app.Decision{Outcome: "granted", Coordinator: "ingrid",
			IndividualPlan: true, Reason: "Anne har ikke kapasitet"})
		w.must(err)
		if len(res.Warnings) != 1 || res.Warnings[0].Code != "wish_not_followed" || res.Application.PlanDecision != "now" {
			t.Errorf("result = %+v", res)
		}

		// A child gets a child coordinator, and so does an expected child.
		childCase := w.newCase(w.child)
		ap2, err := w.app.SubmitApplication(ctx, w.as("ola"), childCase, app.NewApplication{Coordinator: true})
		w.must(err)
		res, err = w.app.DecideApplication(ctx, w.as("kari"), ap2.ID, app.Decision{Outcome: "granted", Coordinator: "ingrid",
			CoordinatorKind: "child_coordinator", ChildCoordinatorGround: "serious_illness"})
		w.must(err)
		if res.Coordinator.Kind != "child_coordinator" || res.Application.ChildCoordinatorGround != "serious_illness" {
			t.Errorf("kind = %s, ground %q", res.Coordinator.Kind, res.Application.ChildCoordinatorGround)
		}
		var expected samordna.Person
		w.must(db.Write(ctx, func(tx *store.Tx) error {
			expected = samordna.Person{MunicipalityID: w.child.MunicipalityID, Name: "Ufødt", DueDate: "2026-08-01"}
			return store.CreatePerson(tx, &expected, coordStart)
		}))
		unborn := w.newCase(&expected)
		ap3, err := w.app.SubmitApplication(ctx, w.as("ola"), unborn, app.NewApplication{Coordinator: true})
		w.must(err)
		_, err = w.app.DecideApplication(ctx, w.as("kari"), ap3.ID, app.Decision{Outcome: "granted", Coordinator: "anne",
			CoordinatorKind: "child_coordinator", ChildCoordinatorGround: "expected"})
		w.must(err)

		// A refusal names its reason and appoints nobody.
		refusedCase := w.newCase(w.adult)
		ap4, err := w.app.SubmitApplication(ctx, w.as("ola"), refusedCase, app.NewApplication{IndividualPlan: true})
		w.must(err)
		res, err = w.app.DecideApplication(ctx, w.as("kari"), ap4.ID, app.Decision{Outcome: "refused", Coordinator: "ingrid",
			Reason: "Ikke behov for koordinerte tjenester"})
		w.must(err)
		if res.Coordinator != nil || res.Application.Status != "refused" || res.Application.Reason == "" {
			t.Errorf("refusal = %+v", res)
		}
		v, err := w.app.GetCase(ctx, w.as("ola"), refusedCase)
		w.must(err)
		if v.Coordinator != nil {
			t.Errorf("a refused case has a coordinator: %+v", v.Coordinator)
		}
	})
}

// The role is handed over only when the new coordinator accepts; until
// then the old one stays, and afterwards the old one loses the access the
// role gave.
func TestCoordinatorHandover(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newCoordWorld(t, db)
		ctx := context.Background()
		caseID, _ := w.grantedCase(w.child)
		if _, err := w.app.AcceptCoordinator(ctx, w.as("anne"), caseID); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("someone else accepted the role: %v", err)
		}
		_, err := w.app.AcceptCoordinator(ctx, w.as("ingrid"), caseID)
		w.must(err)
		_, err = w.app.AcceptCoordinator(ctx, w.as("ingrid"), caseID)
		coordWantCode(t, err, "already_accepted")
		_, err = w.app.HandoverCoordinator(ctx, w.as("ingrid"), caseID, "ingrid")
		coordWantCode(t, err, "same_coordinator")
		if _, err := w.app.HandoverCoordinator(ctx, w.as("anne"), caseID, "anne"); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("a stranger handed the role over: %v", err)
		}
		k, err := w.app.HandoverCoordinator(ctx, w.as("ingrid"), caseID, "anne")
		w.must(err)
		if k.HandoverUser != "anne" {
			t.Errorf("handover = %+v", k)
		}
		v, err := w.app.GetCase(ctx, w.as("ingrid"), caseID)
		w.must(err)
		if v.Coordinator.Username != "ingrid" {
			t.Errorf("before acceptance the coordinator is %s", v.Coordinator.Username)
		}
		// The recipient sees the offer in her own list, and accepts.
		mine, err := w.app.MyCoordinatorCases(ctx, w.as("anne"))
		w.must(err)
		if len(mine) != 1 || mine[0].Status != "handover_offered" || mine[0].SubjectName != "Åse Ødegård" {
			t.Fatalf("anne's list = %+v", mine)
		}
		w.clock.Advance(time.Hour)
		got, err := w.app.AcceptCoordinator(ctx, w.as("anne"), caseID)
		w.must(err)
		if got.Username != "anne" || got.Status != "accepted" {
			t.Errorf("accepted = %+v", got)
		}
		v, err = w.app.GetCase(ctx, w.as("anne"), caseID)
		w.must(err)
		if v.Coordinator.Username != "anne" {
			t.Errorf("after acceptance the coordinator is %s", v.Coordinator.Username)
		}
		if _, err := w.app.GetCase(ctx, w.as("ingrid"), caseID); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("the former coordinator still reads the case: %v", err)
		}
	})
}
