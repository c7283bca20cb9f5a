package matrixtest_test

import (
	"fmt"
	"net/url"
	"testing"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// The plans feature's part of the matrix: a plan ("plan:read",
// "plan:write") is decided on its case; "plan:change" (changing the
// content) needs what the plan's kind needs (app.PlanChangeAccess: the
// individual plan and the relay log are the coordinator's and the
// coordinating unit's). Each fixture's case gets a relay log held by the
// registrar, so that every plan route (the holder's too) has a plan to act
// on; an allowed caller gets the plan or a rule's answer, never 404.
func init() {
	objectKinds["plan"] = objectKind{
		make: func(fx *fixture) (string, error) { return fx.objects["plan"], nil },
		expect: func(tx *store.Tx, fx *fixture, actor *samordna.Employee, action string) (bool, error) {
			if action == "change" {
				p, err := store.PlanByID(tx, fx.objects["plan"])
				if err != nil {
					return false, err
				}
				action = string(app.PlanChangeAccess(p.Kind))
			}
			return caseAction(tx, fx.caseID, actor, action)
		},
	}
}

// makePlanObject stores the fixture's plan on its case.
func (w *world) makePlanObject(tx *store.Tx, fx *fixture) error {
	lars := w.emp[registrar].ID
	p := &store.Plan{ID: samordna.NewID(), CaseID: fx.caseID, MunicipalityID: w.muni, Kind: "relay_log",
		Status: "active", Version: 1, HolderID: lars, CreatedBy: lars, CreatedAt: fixedNow}
	v := &store.PlanVersion{PlanID: p.ID, Version: 1, Change: "created", ChangedBy: lars, ChangedAt: fixedNow,
		Content: store.PlanContent{WhatMatters: "Trygg skolestart",
			Goals: []store.PlanGoal{{ID: samordna.NewID(), Text: "Trives i klassen", Term: "short"}}}}
	if err := store.CreatePlan(tx, p, v); err != nil {
		return err
	}
	fx.objects["plan"] = p.ID
	return nil
}

// Seed 004 Koordinatorens arbeidsoppgaver ("Ha ansvar for utarbeiding av
// eventuell individuell plan"; "Avklare om det skal opprettes stafettlogg,
// og etablering av denne"): making an individual plan or a relay log, by
// the API and by the page, is refused with 404 (exactly as a missing case)
// for every user and relation state the policy does not let coordinate the
// case, and is never 404 for those it does (they get the plan or a rule's
// answer).
func TestMatrixCoordinatorMakesIndividualPlanAndRelayLog(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		fxs := w.fixtures()
		for _, fx := range fxs {
			var may bool
			if err := db.Read(t.Context(), func(tx *store.Tx) (err error) {
				may, err = caseAction(tx, fx.caseID, fx.actor, "coordinate")
				return err
			}); err != nil {
				t.Fatal(err)
			}
			u := fx.actor.Username
			for _, kind := range []string{app.PlanIndividual, app.PlanRelayLog} {
				api := w.send(u, "POST", "/api/v1/cases/"+fx.caseID+"/plans", "application/json",
					fmt.Appendf(nil, `{"kind": %q, "what_matters": "Trygg skolestart"}`, kind))
				page := w.send(u, "POST", "/cases/"+fx.caseID+"/plans", "application/x-www-form-urlencoded",
					[]byte(url.Values{"kind": {kind}, "what_matters": {"Trygg skolestart"}}.Encode()))
				for _, a := range []struct {
					via    string
					status int
				}{{"API", api.status}, {"page", page.status}} {
					switch {
					case a.status >= 500:
						t.Errorf("%s (%s) %s %s: %d", u, fx.state, a.via, kind, a.status)
					case may && a.status == 404:
						t.Errorf("%s (%s) may coordinate, but %s %s: 404", u, fx.state, a.via, kind)
					case !may && a.status != 404:
						t.Errorf("%s (%s) may not coordinate, but %s %s: %d, not 404", u, fx.state, a.via, kind, a.status)
					}
				}
			}
		}
	})
}
