package app

import (
	"context"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/access"
	"github.com/samordna/samordna/store"
)

// DecisionPreview is what a decision would do, shown on the review page
// before the coordinating unit confirms it (issue 13, point 4): the
// decision as it will be recorded, who is appointed and who is told.
type DecisionPreview struct {
	Application     *store.Application
	Decision        Decision           // checked, with its defaults filled in
	Coordinator     *samordna.Employee // the coordinator to appoint; nil when refused
	WishNotFollowed bool               // the coordinator is not the one the person wished
}

// PreviewDecision checks a decision as DecideApplication would and says
// what it would do, without recording anything. Who may call: the
// coordinating unit (access.Decide); anyone else gets samordna.ErrNotFound.
// The read is audited (review_decision). Errors: as for DecideApplication.
func (a *App) PreviewDecision(ctx context.Context, actor *samordna.Actor, applicationID string, in Decision) (*DecisionPreview, error) {
	caseID, err := a.applicationCase(ctx, applicationID)
	if err != nil {
		return nil, err
	}
	var out *DecisionPreview
	err = a.readCase(ctx, actor, caseID, access.Decide, "review_decision",
		func(tx *store.Tx, g *caseGrant) (samordna.AuditEvent, error) {
			if err := closedGuard(g, access.Decide); err != nil {
				return samordna.AuditEvent{}, err
			}
			in, err := validateDecision(in)
			if err != nil {
				return samordna.AuditEvent{}, err
			}
			ap, err := store.ApplicationByID(tx, applicationID)
			if err != nil || ap.CaseID != g.Case.ID {
				return samordna.AuditEvent{}, samordna.ErrNotFound
			}
			if ap.Status != store.ApplicationSubmitted {
				return samordna.AuditEvent{}, store.ErrAlreadyDecided
			}
			out = &DecisionPreview{Application: ap, Decision: in}
			if in.Outcome == store.ApplicationGranted {
				if out.Coordinator, err = a.previewAppointment(tx, g, in); err != nil {
					return samordna.AuditEvent{}, err
				}
				out.WishNotFollowed = ap.WishedCoordinator != "" && ap.WishedCoordinator != in.Coordinator
			}
			return caseEvent(g, "review_decision", "application", ap.ID), nil
		})
	return out, err
}

// previewAppointment makes appoint's checks without appointing: an
// eligible employee, a child coordinator only for a child, no other
// current coordinator.
func (a *App) previewAppointment(tx *store.Tx, g *caseGrant, in Decision) (*samordna.Employee, error) {
	e, err := eligibleEmployee(tx, g.Case.MunicipalityID, in.Coordinator, "unknown_coordinator")
	if err != nil {
		return nil, err
	}
	if in.CoordinatorKind == store.KindChildCoordinator {
		if err := childCoordinatorAllowed(tx, g.Case, a.now()); err != nil {
			return nil, err
		}
	}
	cur, err := store.CurrentAssignment(tx, g.Case.ID)
	if err != nil {
		return nil, err
	}
	if cur != nil && cur.EmployeeID != e.ID {
		return nil, samordna.Errorf(samordna.KindConflict, "coordinator_exists",
			"the case already has another coordinator; hand the role over instead")
	}
	return e, nil
}
