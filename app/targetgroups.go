package app

import (
	"context"
	"errors"

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

// SetMatterTargetGroups classifies a team matter by target groups (as
// SetCaseTargetGroups; the team report counts them). One audit row
// (object_type "team_matter", action "set_target_groups").
//
// Who may call: MayClassifyMatter — the matter's submitter and the
// members and leader of its team; anyone else gets samordna.ErrNotFound
// (audited). Errors: invalid_target_group, too_many_target_groups
// (KindInvalid).
func (a *App) SetMatterTargetGroups(ctx context.Context, actor *samordna.Actor, matterID string, codes []string) ([]string, error) {
	var out []string
	denied := false
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		var e *samordna.Employee
		if actor != nil {
			e = actor.Employee
		}
		ok, err := a.MayClassifyMatter(tx, e, matterID)
		if err != nil {
			return err
		}
		if !ok {
			denied = true
			return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "team_matter", ObjectID: truncate(matterID, 64),
				Action: "set_target_groups", Outcome: samordna.OutcomeDenied})
		}
		if out, err = samordna.ValidTargetGroups(codes); err != nil {
			return err
		}
		if err := store.SetTeamMatterTargetGroups(tx, matterID, out); err != nil {
			return err
		}
		return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "team_matter", ObjectID: matterID, Action: "set_target_groups"})
	})
	if err == nil && denied {
		err = samordna.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// MayClassifyMatter: the matter's submitter, or a member or the leader of
// its team, in the matter's municipality. The access matrix calls it.
func (a *App) MayClassifyMatter(tx *store.Tx, e *samordna.Employee, matterID string) (bool, error) {
	m, err := store.TeamMatterByID(tx, matterID)
	if errors.Is(err, samordna.ErrNotFound) || e == nil {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if e.MunicipalityID != m.MunicipalityID || e.Disabled || e.HasRole(samordna.RoleAdmin) {
		return false, nil
	}
	if m.SubmittedBy == e.ID {
		return true, nil
	}
	t, err := store.TeamByID(tx, m.TeamID)
	if err != nil {
		return false, err
	}
	r := relationTo(e, t)
	return r.member || r.leader, nil
}

// MatterTargetGroups returns the matter's target groups in catalog order,
// for the pages that show a matter (the caller has checked access).
func MatterTargetGroups(tx *store.Tx, matterID string) ([]string, error) {
	codes, err := store.TeamMatterTargetGroups(tx, matterID)
	if err != nil {
		return nil, err
	}
	return inCatalogOrder(codes), nil
}
