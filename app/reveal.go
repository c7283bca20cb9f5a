package app

import (
	"context"
	"strings"
	"time"

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

// OpenCaseHint is an open case about the person a new concern names, which
// the employee may already read.
type OpenCaseHint struct {
	CaseID    string
	Name      string // the person's name as registered
	Situation string
	CreatedAt time.Time
}

// OpenCasesFor returns the open cases about the person with the
// fødselsnummer that the actor may read, so the concern form can say so
// and offer them instead of a second case (issue 13, point 8). A case the
// actor may not read is never named, nor is its existence hinted at: the
// answer is then the same as for a person without cases. Each case named
// is audited (read, "concern_hint").
func (a *App) OpenCasesFor(ctx context.Context, actor *samordna.Actor, idNumber string) ([]OpenCaseHint, error) {
	if actor == nil || actor.Employee == nil || actor.Employee.HasRole(samordna.RoleAdmin) {
		return nil, nil
	}
	var out []OpenCaseHint
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		p, err := store.PersonByIDNumber(tx, strings.TrimSpace(idNumber))
		if samordna.ErrorKind(err) == samordna.KindNotFound {
			return nil
		}
		if err != nil {
			return err
		}
		cases, err := store.CasesOfPerson(tx, p.ID)
		if err != nil {
			return err
		}
		for _, c := range cases {
			if c.Status == samordna.CaseClosed || c.MunicipalityID != actor.Employee.MunicipalityID {
				continue
			}
			g, ok, err := a.authorizeCase(tx, actor, c.ID, access.Read)
			if err != nil {
				return err
			}
			if !ok {
				continue // not the actor's to know about; nothing is written
			}
			out = append(out, OpenCaseHint{CaseID: c.ID, Name: p.Name, Situation: c.Situation, CreatedAt: c.CreatedAt})
			if err := a.auditCase(tx, actor, g, "concern_hint", "case", c.ID); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}
