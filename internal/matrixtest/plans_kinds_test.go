package matrixtest_test

import (
	"github.com/samordna/samordna"
	"github.com/samordna/samordna/store"
)

// The plans feature's part of the matrix: a plan ("plan:read",
// "plan:write") is decided on its case. Each fixture's case gets a relay
// log held by the registrar, so that every plan route (the holder's too)
// has a plan to act on; an allowed caller gets the plan or a rule's
// answer, never 404.
func init() {
	objectKinds["plan"] = objectKind{
		make: func(fx *fixture) (string, error) { return fx.objects["plan"], nil },
		expect: func(tx *store.Tx, fx *fixture, actor *samordna.Employee, action string) (bool, error) {
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
