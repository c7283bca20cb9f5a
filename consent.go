package samordna

import "time"

// ConsentPurpose is what a consent lifts confidentiality for.
type ConsentPurpose string

// The purposes a consent can cover.
const (
	PurposeResponsibilityGroup ConsentPurpose = "responsibility_group"            // set up a responsibility group
	PurposeShareWithMembers    ConsentPurpose = "share_with_members"              // members may see relevant confidential data
	PurposeRegisterWithUnit    ConsentPurpose = "register_with_coordinating_unit" // the unit may register creation, changes, closure, yearly report
	PurposeIndividualPlan      ConsentPurpose = "individual_plan"                 // work on an individual plan
	// PurposeShareWithTeam: the case may be brought to a named team by name
	// (seed 002 §4.2 and §5.2: one common consent form across the
	// confidentiality regimes of the services in the team). The consent
	// names the team (Consent.TeamID).
	PurposeShareWithTeam ConsentPurpose = "share_with_team"
)

// ConsentPurposes lists every purpose in display order.
var ConsentPurposes = []ConsentPurpose{PurposeResponsibilityGroup, PurposeShareWithMembers,
	PurposeRegisterWithUnit, PurposeIndividualPlan, PurposeShareWithTeam}

// Valid reports whether p is a known purpose.
func (p ConsentPurpose) Valid() bool {
	for _, x := range ConsentPurposes {
		if x == p {
			return true
		}
	}
	return false
}

// Consent statuses. An expired consent keeps status active in storage;
// Active(now) tells whether it is in force.
const (
	ConsentActive    = "active"
	ConsentWithdrawn = "withdrawn"
)

// Consent is a written consent for a case: who gave it (the person, or a
// guardian for a child), who recorded it, for which purposes, until when.
// Every change makes a new version; nothing is deleted.
type Consent struct {
	ID              string
	CaseID          string
	Version         int
	Status          string
	Purposes        []ConsentPurpose
	GivenByName     string
	GivenByRelation string // "self" or "guardian"
	GivenByPersonID string
	RecordedBy      string // employee id
	RecordedAt      time.Time
	ValidUntil      *time.Time
	WithdrawnAt     *time.Time
	WithdrawnBy     string
	FormID          string // the scanned signed form, when attached
	TeamID          string // the team named by PurposeShareWithTeam, else ""
}

// Active reports whether the consent is in force at now.
func (c *Consent) Active(now time.Time) bool {
	return c.Status == ConsentActive && (c.ValidUntil == nil || now.Before(*c.ValidUntil))
}

// Covers reports whether the consent names the purpose.
func (c *Consent) Covers(p ConsentPurpose) bool {
	for _, x := range c.Purposes {
		if x == p {
			return true
		}
	}
	return false
}
