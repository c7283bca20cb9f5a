package app

import (
	"context"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/access"
	"github.com/samordna/samordna/store"
)

// LinkFamilyCases links two cases of one family, such as a parent's case
// and the cases of the children (children as next of kin). The link shows
// on each case page only to readers who may read the other case as well.
// Callers: an employee with write access to both cases (access.Write on
// each); without it the answer is not_found, as for a missing case, and the
// refusal is audited. Errors: not_found, case_id_required (400), same_case (400),
// already_linked (409).
func (a *App) LinkFamilyCases(ctx context.Context, actor *samordna.Actor, caseID, otherCaseID string) error {
	denied := false
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		g1, ok1, err := a.authorizeCase(tx, actor, caseID, access.Write)
		if err != nil {
			return err
		}
		if !ok1 {
			denied = true
			return a.auditDenied(tx, actor, g1, caseID, "link_cases")
		}
		if otherCaseID == "" {
			return samordna.Errorf(samordna.KindInvalid, "case_id_required", "name the case to link to")
		}
		g2, ok2, err := a.authorizeCase(tx, actor, otherCaseID, access.Write)
		if err != nil {
			return err
		}
		if !ok2 {
			denied = true
			return a.auditDenied(tx, actor, g2, otherCaseID, "link_cases")
		}
		if g1.Case.ID == g2.Case.ID {
			return samordna.Errorf(samordna.KindInvalid, "same_case", "a case cannot be linked to itself")
		}
		links, err := store.LinkedCases(tx, g1.Case.ID)
		if err != nil {
			return err
		}
		for _, l := range links {
			if l.CaseID == g2.Case.ID {
				return samordna.Errorf(samordna.KindConflict, "already_linked", "the cases are already linked")
			}
		}
		if err := store.LinkCases(tx, g1.Case.ID, g2.Case.ID, samordna.LinkFamily, actor.Employee.ID, a.now()); err != nil {
			return err
		}
		// The timeline says a link was made but not to which case: the link
		// itself shows only to readers of both cases.
		for _, id := range []string{g1.Case.ID, g2.Case.ID} {
			if err := a.caseEvent(tx, actor, id, "case_linked", "", ""); err != nil {
				return err
			}
		}
		return a.auditCase(tx, actor, g1, "link_cases", "case", g2.Case.ID)
	})
	if err == nil && denied {
		err = samordna.ErrNotFound
	}
	return err
}
