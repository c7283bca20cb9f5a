package app

import (
	"context"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/access"
	"github.com/samordna/samordna/store"
)

// caseGrant is what authorizeCase found: the case and why the actor may
// act on it.
type caseGrant struct {
	Case   *samordna.Case
	Reason access.Reason
	Facts  access.Facts
}

// withCase runs fn in one write transaction if the actor may perform
// action on the case. Otherwise it writes a denied audit row (committed)
// and returns samordna.ErrNotFound — the same answer as for a case that
// does not exist. auditAction names the action in the audit trail; fn
// writes its own allowed audit row (use a.auditCase).
func (a *App) withCase(ctx context.Context, actor *samordna.Actor, caseID string, action access.Action,
	auditAction string, fn func(tx *store.Tx, g *caseGrant) error) error {
	denied := false
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		g, ok, err := a.authorizeCase(tx, actor, caseID, action)
		if err != nil {
			return err
		}
		if !ok {
			denied = true
			return a.auditDenied(tx, actor, g, caseID, auditAction)
		}
		if err := closedGuard(g, action); err != nil {
			return err
		}
		return fn(tx, g)
	})
	if err != nil {
		return err
	}
	if denied {
		return samordna.ErrNotFound
	}
	return nil
}

// readCase is withCase for actions that only read: the access check and fn
// run in a read transaction (alongside other readers, off the single
// writer), then the audit row fn returns — or the denied row — is appended
// with group commit (store.DB.WriteGrouped). readCase returns only when
// that row is durable, so no answer leaves before its audit row; if the
// audit row cannot be written the caller gets the error and nothing else.
func (a *App) readCase(ctx context.Context, actor *samordna.Actor, caseID string, action access.Action,
	auditAction string, fn func(tx *store.Tx, g *caseGrant) (samordna.AuditEvent, error)) error {
	var ev samordna.AuditEvent
	denied := false
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		g, ok, err := a.authorizeCase(tx, actor, caseID, action)
		if err != nil {
			return err
		}
		if !ok {
			denied = true
			ev = deniedEvent(g, caseID, auditAction)
			return nil
		}
		ev, err = fn(tx, g)
		return err
	})
	if err != nil {
		return err
	}
	if err := a.auditGrouped(ctx, actor, ev); err != nil {
		return err
	}
	if denied {
		return samordna.ErrNotFound
	}
	return nil
}

// errCaseClosed: a closed case is read-only until it is reopened.
var errCaseClosed = samordna.Errorf(samordna.KindConflict, "case_closed",
	"the case is closed; the coordinating unit can reopen it")

// closedGuard refuses an action that changes a closed case with
// case_closed (409). It runs only after access was granted, so someone
// without access still gets not_found and learns nothing about the case.
// Reading, the access log, blocking, emergency access and reopening stay
// possible on a closed case; closing it again is ClosedCase's own answer.
func closedGuard(g *caseGrant, action access.Action) error {
	if g.Case.Status != samordna.CaseClosed {
		return nil
	}
	switch action {
	case access.Write, access.Coordinate, access.Decide, access.ManageConsent, access.Inform, access.Close:
		return errCaseClosed
	}
	return nil
}

// caseEvent is the allowed audit event for an action on a case.
func caseEvent(g *caseGrant, action, objectType, objectID string) samordna.AuditEvent {
	return samordna.AuditEvent{CaseID: g.Case.ID, PersonID: g.Case.SubjectPersonID,
		ObjectType: objectType, ObjectID: objectID, Action: action, Purpose: string(g.Reason)}
}

// authorizeCase reads the facts for the actor and the case at this moment
// (never cached) and asks the policy. g.Case is nil when the case does
// not exist.
func (a *App) authorizeCase(tx *store.Tx, actor *samordna.Actor, caseID string, action access.Action) (*caseGrant, bool, error) {
	if actor == nil || actor.Employee == nil {
		return &caseGrant{}, false, nil
	}
	subject := access.SubjectOf(actor.Employee)
	facts, exists, err := store.CaseFacts(tx, caseID, subject, a.now())
	if err != nil || !exists {
		return &caseGrant{}, false, err
	}
	c, err := store.CaseByID(tx, caseID)
	if err != nil {
		return nil, false, err
	}
	g := &caseGrant{Case: c, Reason: access.ReadReason(subject, facts), Facts: facts}
	return g, access.Can(subject, action, facts), nil
}

// auditCase writes the allowed audit row for an action on a case.
func (a *App) auditCase(tx *store.Tx, actor *samordna.Actor, g *caseGrant, action, objectType, objectID string) error {
	return a.audit(tx, actor, caseEvent(g, action, objectType, objectID))
}

// auditDenied records a refused action. For a case that exists the row is
// tied to the case (so the access log shows it); for one that does not,
// only the requested id is kept.
func (a *App) auditDenied(tx *store.Tx, actor *samordna.Actor, g *caseGrant, caseID, action string) error {
	return a.audit(tx, actor, deniedEvent(g, caseID, action))
}

// deniedEvent is the audit event of a refused action on caseID.
func deniedEvent(g *caseGrant, caseID, action string) samordna.AuditEvent {
	ev := samordna.AuditEvent{ObjectType: "case", ObjectID: truncate(caseID, 64), Action: action,
		Outcome: samordna.OutcomeDenied}
	if g != nil && g.Case != nil {
		ev.CaseID, ev.PersonID = g.Case.ID, g.Case.SubjectPersonID
	}
	return ev
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
