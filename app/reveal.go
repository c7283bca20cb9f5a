package app

import (
	"context"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/access"
	"github.com/samordna/samordna/store"
)

// RevealIDNumber returns the fødselsnummer of the case's person. The case
// page masks it until the reader asks; asking is its own audited action
// (reveal_id_number), so the access log shows who looked at the number.
// Who may call: anyone who may read the case; an anonymous case has no
// number ("" is returned). Errors: not_found.
func (a *App) RevealIDNumber(ctx context.Context, actor *samordna.Actor, caseID string) (string, error) {
	var number string
	err := a.readCase(ctx, actor, caseID, access.Read, "reveal_id_number",
		func(tx *store.Tx, g *caseGrant) (samordna.AuditEvent, error) {
			if g.Case.Anonymous || g.Case.SubjectPersonID == "" {
				return caseEvent(g, "reveal_id_number", "case", g.Case.ID), nil // no number to show
			}
			p, err := store.PersonByID(tx, g.Case.SubjectPersonID)
			if err != nil {
				return samordna.AuditEvent{}, err
			}
			number = p.IDNumber
			return caseEvent(g, "reveal_id_number", "person", p.ID), nil
		})
	return number, err
}
