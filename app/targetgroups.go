package app

import (
	"context"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/access"
	"github.com/samordna/samordna/store"
)

// This file classifies cases by the target groups of seed 002 §2.3
// (brukergrupper med tilpassede behov): the classification is shown on the
// case, set by those who work on it, and counted in the coordinating
// unit's yearly counts and the team report.

// SetCaseTargetGroups replaces the case's target groups with codes (at
// most samordna.MaxTargetGroups of samordna.TargetGroups; none clears
// them) and returns them in catalog order. The timeline gets an entry
// "target_groups_set"; one audit row.
//
// Who may call: those who may write to the case (access.Write); anyone
// else gets samordna.ErrNotFound. Errors: invalid_target_group,
// too_many_target_groups (KindInvalid), case_closed (KindConflict).
func (a *App) SetCaseTargetGroups(ctx context.Context, actor *samordna.Actor, caseID string, codes []string) ([]string, error) {
	var out []string
	err := a.withCase(ctx, actor, caseID, access.Write, "set_target_groups", func(tx *store.Tx, g *caseGrant) error {
		var err error
		if out, err = samordna.ValidTargetGroups(codes); err != nil {
			return err
		}
		now := a.now()
		if err := store.SetCaseTargetGroups(tx, g.Case.ID, out, actor.Employee.ID, now); err != nil {
			return err
		}
		if err := store.AddCaseEvent(tx, &samordna.CaseEvent{CaseID: g.Case.ID, At: now, ActorID: actor.Employee.ID,
			Kind: "target_groups_set", RefType: "case", RefID: g.Case.ID}); err != nil {
			return err
		}
		return a.auditCase(tx, actor, g, "set_target_groups", "case", g.Case.ID)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// caseTargetGroups returns the case's codes in catalog order.
func caseTargetGroups(tx *store.Tx, caseID string) ([]string, error) {
	codes, err := store.CaseTargetGroups(tx, caseID)
	if err != nil {
		return nil, err
	}
	return inCatalogOrder(codes), nil
}

// inCatalogOrder sorts codes as samordna.TargetGroups lists them, leaving
// out any the catalog no longer knows.
func inCatalogOrder(codes []string) []string {
	have := map[string]bool{}
	for _, c := range codes {
		have[c] = true
	}
	out := []string{}
	for _, g := range samordna.TargetGroups {
		if have[g.Code] {
			out = append(out, g.Code)
		}
	}
	return out
}
