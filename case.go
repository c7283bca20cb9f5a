package samordna

import "time"

// CaseOrigin says how a case began.
type CaseOrigin string

// The origins of a case.
const (
	OriginConcern     CaseOrigin = "concern"     // an employee's worry (bekymring)
	OriginInquiry     CaseOrigin = "inquiry"     // the person asked for help (henvendelse)
	OriginApplication CaseOrigin = "application" // an application to the coordinating unit
)

// CaseStatus is where a case stands.
type CaseStatus string

// The statuses of a case.
const (
	CaseOpen   CaseStatus = "open"
	CaseClosed CaseStatus = "closed"
)

// Case is the aggregate every later feature attaches to: a subject (or
// nobody, for an anonymous consultation), how it began, its status, who
// registered it, the routine it follows and its timeline.
type Case struct {
	ID                  string
	MunicipalityID      string
	SubjectPersonID     string // empty when anonymous
	Anonymous           bool
	Origin              CaseOrigin
	Situation           string // the routine situation it started in, e.g. "acute"
	Status              CaseStatus
	Title               string // a short, non-identifying label
	RegisteredBy        string // employee id
	RegisteredServiceID string
	RoutineID           string
	RoutineVersion      int
	CreatedAt           time.Time
	UpdatedAt           time.Time
	ClosedAt            *time.Time
}

// CaseEvent is one entry in a case's timeline. It names what happened and
// what it refers to, never the content itself.
type CaseEvent struct {
	ID      string
	CaseID  string
	At      time.Time
	ActorID string
	Kind    string // e.g. "registered", "consent_recorded", "coordinator_appointed"
	RefType string
	RefID   string
}

// CaseLinkKind says how two cases are linked.
type CaseLinkKind string

// The kinds of case link.
const (
	LinkFamily           CaseLinkKind = "family"            // cases of one family, e.g. a parent's and the children's
	LinkFollowsAnonymous CaseLinkKind = "follows_anonymous" // a named case following an anonymous consultation
)
