package matrixtest_test

import (
	"fmt"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/access"
	"github.com/samordna/samordna/store"
)

// This file is the access matrix's vocabulary: how to read a route's
// declared Access ("<object>:<action>") and, for each kind of object, how
// to make one for a fixture and what the policy expects.
//
// A feature that adds an object kind to its routes' Access (say
// "plan:read") adds an entry to objectKinds: make builds the object on the
// fixture's case (with plain SQL or store functions) and expect tells from
// the policy whether the actor may act on it. Until it does, the matrix
// fails for those routes: an Access the test does not understand is an
// unchecked route.

// objectKind is one kind of object a route's {id} can name.
type objectKind struct {
	// make creates the object on the fixture (for the fixture's case, state
	// and actor) and returns its id.
	make func(fx *fixture) (string, error)
	// expect tells whether the actor may perform action on the object,
	// reading what it needs in tx.
	expect func(tx *store.Tx, fx *fixture, actor *samordna.Employee, action string) (bool, error)
}

// caseAction decides a case action with the access package on the facts
// read now.
func caseAction(tx *store.Tx, caseID string, actor *samordna.Employee, action string) (bool, error) {
	if !knownAction(action) {
		return false, fmt.Errorf("unknown access action %q", action)
	}
	s := access.SubjectOf(actor)
	f, ok, err := store.CaseFacts(tx, caseID, s, fixedNow)
	if err != nil || !ok {
		return false, err
	}
	return access.Can(s, access.Action(action), f), nil
}

// knownAction reports whether the access package knows the action.
func knownAction(a string) bool {
	switch access.Action(a) {
	case access.Read, access.Write, access.ManageConsent, access.Block, access.ViewAccessLog, access.Decide,
		access.BreakGlass:
		return true
	}
	return false
}

var objectKinds = map[string]objectKind{
	// The case itself; for a route without {id} (the break-glass form) the
	// case is named in the body.
	"case": {
		make: func(fx *fixture) (string, error) { return fx.caseID, nil },
		expect: func(tx *store.Tx, fx *fixture, actor *samordna.Employee, action string) (bool, error) {
			return caseAction(tx, fx.caseID, actor, action)
		},
	},
	// A consent is decided on its case.
	"consent": {
		make: func(fx *fixture) (string, error) { return fx.consentID, nil },
		expect: func(tx *store.Tx, fx *fixture, actor *samordna.Employee, action string) (bool, error) {
			return caseAction(tx, fx.caseID, actor, action)
		},
	},
	// An emergency access is reviewed by the leader of its reviewing
	// service, never by the employee who used it.
	"emergency_access": {
		make: func(fx *fixture) (string, error) { return fx.emergencyID, nil },
		expect: func(tx *store.Tx, fx *fixture, actor *samordna.Employee, action string) (bool, error) {
			if action != "review" {
				return false, fmt.Errorf("unknown emergency_access action %q", action)
			}
			x, err := store.EmergencyAccessByID(tx, fx.emergencyID)
			if err != nil {
				return false, err
			}
			leads, err := store.LeadsService(tx, actor.ID, x.ServiceID)
			if err != nil {
				return false, err
			}
			return access.CanReviewEmergency(access.SubjectOf(actor), leads, x.EmployeeID == actor.ID), nil
		},
	},
}
