package app

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/access"
	"github.com/samordna/samordna/store"
)

// EmergencyAccessDuration is how long an emergency access lasts.
const EmergencyAccessDuration = 2 * time.Hour

// EmergencyReasons are the reason codes an employee picks from when
// breaking the glass; each needs a free-text explanation as well.
var EmergencyReasons = []string{"life_or_health", "acute_child_welfare", "other"}

// Limits on the free-text reason and the review note.
const (
	MinEmergencyReasonChars = 10
	MaxEmergencyTextChars   = 1000
)

// EmergencyAccess is a granted emergency access.
type EmergencyAccess = store.EmergencyAccess

// BreakGlass gives an employee with the emergency_access role access to a
// case they have no relation to, for EmergencyAccessDuration, with a reason
// code from EmergencyReasons and a free text of at least
// MinEmergencyReasonChars characters. Every read under it is logged with
// the purpose emergency_access, and the access waits for review by a
// leader of the employee's service (every active leader is told): the first service the employee is a
// member of that has another leader, or else (the employee leads their own
// service, or has none) the coordinating unit, when its leader is someone
// else. Callers: employees with the emergency_access role (access.BreakGlass);
// a barred employee cannot break the glass. Errors: not_found (also without
// the role), invalid_reason_code (400), reason_too_short (400),
// reason_too_long (400), identifying_data (422).
func (a *App) BreakGlass(ctx context.Context, actor *samordna.Actor, caseID, code, text string) (*EmergencyAccess, error) {
	var x *EmergencyAccess
	err := a.withCase(ctx, actor, caseID, access.BreakGlass, "emergency_access", func(tx *store.Tx, g *caseGrant) error {
		text = strings.TrimSpace(text)
		if err := validateEmergencyReason(code, text); err != nil {
			return err
		}
		svc, err := reviewService(tx, actor.Employee)
		if err != nil {
			return err
		}
		now := a.now()
		x = &EmergencyAccess{ID: samordna.NewID(), CaseID: g.Case.ID, EmployeeID: actor.Employee.ID, ServiceID: svc,
			ReasonCode: code, ReasonText: text, GrantedAt: now, ExpiresAt: now.Add(EmergencyAccessDuration),
			Username: actor.Employee.Username, Name: actor.Employee.Name}
		if err := store.CreateEmergencyAccess(tx, x); err != nil {
			return err
		}
		// The service's leaders, who review it, are told at once (an acute
		// mail), naming no case.
		leaders, err := store.ServiceLeaderIDs(tx, svc)
		if err != nil {
			return err
		}
		if err := a.notify(tx, without(leaders, actor.Employee.ID), NoticeEmergencyReview, "", "", ""); err != nil {
			return err
		}
		return a.audit(tx, actor, samordna.AuditEvent{CaseID: g.Case.ID, PersonID: g.Case.SubjectPersonID,
			ObjectType: "emergency_access", ObjectID: x.ID, Action: "emergency_access",
			Purpose: string(access.ReasonEmergency)})
	})
	if err != nil {
		return nil, err
	}
	return x, nil
}

func validateEmergencyReason(code, text string) error {
	if !slices.Contains(EmergencyReasons, code) {
		return samordna.Errorf(samordna.KindInvalid, "invalid_reason_code",
			"reason_code is one of %s", strings.Join(EmergencyReasons, ", "))
	}
	switch n := utf8.RuneCountInString(text); {
	case n < MinEmergencyReasonChars:
		return samordna.Errorf(samordna.KindInvalid, "reason_too_short",
			"explain the emergency in at least %d characters", MinEmergencyReasonChars)
	case n > MaxEmergencyTextChars:
		return samordna.Errorf(samordna.KindInvalid, "reason_too_long", "the reason is at most %d characters",
			MaxEmergencyTextChars)
	}
	if len(samordna.FindIDNumbers(text)) > 0 {
		return samordna.Errorf(samordna.KindRule, "identifying_data",
			"do not write a fødselsnummer or D-nummer in the reason")
	}
	return nil
}

// reviewService picks the service whose leader reviews an emergency access
// by e (see BreakGlass); "" when there is none.
func reviewService(tx *store.Tx, e *samordna.Employee) (string, error) {
	for _, s := range e.Services {
		for _, l := range s.LeaderIDs {
			if l != e.ID {
				return s.ID, nil
			}
		}
	}
	return store.ServiceOfKind(tx, e.MunicipalityID, string(samordna.ServiceCoordinatingUnit), e.ID)
}

// EmergencyReviews lists the emergency accesses the actor reviews as a
// service leader: who opened which case (by id), why and when, and whether
// it was reviewed — never the case's content. Unreviewed ones come first.
// Callers: service leaders (others get not_found). The listing is audited.
func (a *App) EmergencyReviews(ctx context.Context, actor *samordna.Actor) ([]*EmergencyAccess, error) {
	var out []*EmergencyAccess
	denied := false
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		ev := samordna.AuditEvent{ObjectType: "emergency_access", Action: "list_reviews"}
		if actor == nil || actor.Employee == nil || !actor.Employee.HasRole(samordna.RoleServiceLeader) ||
			actor.Employee.HasRole(samordna.RoleAdmin) {
			denied, ev.Outcome = true, samordna.OutcomeDenied
			return a.audit(tx, actor, ev)
		}
		var err error
		if out, err = store.EmergencyReviewsFor(tx, actor.Employee.ID); err != nil {
			return err
		}
		return a.audit(tx, actor, ev)
	})
	if err == nil && denied {
		err = samordna.ErrNotFound
	}
	return out, err
}

// ReviewEmergencyAccess marks an emergency access reviewed, with a note.
// Callers: the leader of the access's reviewing service, never for their
// own access (access.CanReviewEmergency). Errors: not_found,
// note_required (400), note_too_long (400), already_reviewed (409).
func (a *App) ReviewEmergencyAccess(ctx context.Context, actor *samordna.Actor, id, note string) (*EmergencyAccess, error) {
	var x *EmergencyAccess
	denied := false
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		x, err = store.EmergencyAccessByID(tx, id)
		if err != nil && samordna.ErrorKind(err) != samordna.KindNotFound {
			return err
		}
		ok := false
		if x != nil && actor != nil && actor.Employee != nil {
			leads, err := store.LeadsService(tx, actor.Employee.ID, x.ServiceID)
			if err != nil {
				return err
			}
			ok = access.CanReviewEmergency(access.SubjectOf(actor.Employee), leads, x.EmployeeID == actor.Employee.ID)
		}
		ev := samordna.AuditEvent{ObjectType: "emergency_access", ObjectID: truncate(id, 64), Action: "review"}
		if x != nil {
			ev.CaseID = x.CaseID
		}
		if !ok {
			denied, ev.Outcome = true, samordna.OutcomeDenied
			return a.audit(tx, actor, ev)
		}
		note = strings.TrimSpace(note)
		switch n := utf8.RuneCountInString(note); {
		case n == 0:
			return samordna.Errorf(samordna.KindInvalid, "note_required", "write a note on the review")
		case n > MaxEmergencyTextChars:
			return samordna.Errorf(samordna.KindInvalid, "note_too_long", "the note is at most %d characters",
				MaxEmergencyTextChars)
		}
		if x.ReviewedAt != nil {
			return samordna.Errorf(samordna.KindConflict, "already_reviewed", "the emergency access is already reviewed")
		}
		now := a.now()
		if err := store.ReviewEmergencyAccess(tx, x.ID, actor.Employee.ID, now, note); err != nil {
			return err
		}
		x.ReviewedBy, x.ReviewedAt, x.ReviewNote = actor.Employee.ID, &now, note
		x.ReviewerUsername, x.ReviewerName = actor.Employee.Username, actor.Employee.Name
		return a.audit(tx, actor, ev)
	})
	if err == nil && denied {
		err = samordna.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return x, nil
}

// MayBreakGlass reports whether the actor holds the role that lets them
// ask for emergency access at all (the pages show the form by it). It
// decides nothing about a case: BreakGlass does.
func MayBreakGlass(actor *samordna.Actor) bool {
	return actor != nil && actor.Employee != nil && actor.Employee.HasRole(samordna.RoleEmergencyAccess) &&
		!actor.Employee.HasRole(samordna.RoleAdmin)
}

// CheckEmergencyRole answers nil when the actor may ask for emergency
// access at all (MayBreakGlass), and otherwise writes a denied audit row
// and returns not_found, like any refusal. The break-glass page calls it.
func (a *App) CheckEmergencyRole(ctx context.Context, actor *samordna.Actor) error {
	if MayBreakGlass(actor) {
		return nil
	}
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "emergency_access", Action: "open_form",
			Outcome: samordna.OutcomeDenied})
	})
	if err != nil {
		return err
	}
	return samordna.ErrNotFound
}
