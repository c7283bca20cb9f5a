package app

import (
	"context"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/access"
	"github.com/samordna/samordna/store"
)

// CaseView is a case as its reader sees it.
type CaseView struct {
	Case        *samordna.Case
	Subject     *samordna.Person // nil when anonymous
	Coordinator *CoordinatorView // nil when none is appointed
	Consents    []*samordna.Consent
	Events      []samordna.CaseEvent
	Links       []store.CaseLink // only links to cases the reader may also read
	Reason      access.Reason    // why the reader may see it
	// What the reader may do here (the pages show or hide actions by it).
	CanManageConsent, CanBlock, CanViewAccessLog, CanDecide bool
}

// CoordinatorView is the case's current coordinator.
type CoordinatorView struct {
	EmployeeID string
	Username   string
	Name       string
	Kind       string // "coordinator" or "child_coordinator"
	Status     string // "appointed" (waiting to accept) or "accepted"
}

// GetCase returns the case for a reader with a relation to it. Anyone else
// gets samordna.ErrNotFound, exactly as for a case that does not exist; both
// outcomes are audited.
func (a *App) GetCase(ctx context.Context, actor *samordna.Actor, caseID string) (*CaseView, error) {
	var v *CaseView
	err := a.withCase(ctx, actor, caseID, access.Read, "read", func(tx *store.Tx, g *caseGrant) error {
		var err error
		if v, err = a.caseView(tx, actor, g); err != nil {
			return err
		}
		return a.auditCase(tx, actor, g, "read", "case", g.Case.ID)
	})
	return v, err
}

func (a *App) caseView(tx *store.Tx, actor *samordna.Actor, g *caseGrant) (*CaseView, error) {
	s := access.SubjectOf(actor.Employee)
	v := &CaseView{Case: g.Case, Reason: g.Reason,
		CanManageConsent: access.Can(s, access.ManageConsent, g.Facts),
		CanBlock:         access.Can(s, access.Block, g.Facts),
		CanViewAccessLog: access.Can(s, access.ViewAccessLog, g.Facts),
		CanDecide:        access.Can(s, access.Decide, g.Facts)}
	var err error
	if g.Case.SubjectPersonID != "" {
		if v.Subject, err = store.PersonByID(tx, g.Case.SubjectPersonID); err != nil {
			return nil, err
		}
	}
	if v.Coordinator, err = currentCoordinator(tx, g.Case.ID); err != nil {
		return nil, err
	}
	if v.Consents, err = caseConsents(tx, g.Case.ID, a.now()); err != nil {
		return nil, err
	}
	if v.Events, err = store.CaseEvents(tx, g.Case.ID); err != nil {
		return nil, err
	}
	links, err := store.LinkedCases(tx, g.Case.ID)
	if err != nil {
		return nil, err
	}
	for _, l := range links {
		f, ok, err := store.CaseFacts(tx, l.CaseID, s, a.now())
		if err != nil {
			return nil, err
		}
		if ok && access.Can(s, access.Read, f) {
			v.Links = append(v.Links, l)
		}
	}
	return v, nil
}

// currentCoordinator returns the case's coordinator, or nil.
func currentCoordinator(tx *store.Tx, caseID string) (*CoordinatorView, error) {
	k, err := store.CurrentCoordinator(tx, caseID)
	if err != nil || k == nil {
		return nil, err
	}
	return &CoordinatorView{EmployeeID: k.EmployeeID, Username: k.Username, Name: k.Name, Kind: k.Kind, Status: k.Status}, nil
}

// ListCases returns the cases the actor may read, most recently changed
// first. The list is filtered in SQL by the same policy as GetCase. The
// listing itself is audited (one row, no case ids).
func (a *App) ListCases(ctx context.Context, actor *samordna.Actor, cursor string, limit int) (*store.CasePage, error) {
	var page *store.CasePage
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		page, err = store.ListReadableCases(tx, access.SubjectOf(actor.Employee), a.now(), cursor, limit)
		if err != nil {
			return err
		}
		return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "case", Action: "list"})
	})
	return page, err
}
