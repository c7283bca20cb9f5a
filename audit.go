package samordna

import "time"

// Outcome of an audited action.
const (
	OutcomeAllowed = "allowed"
	OutcomeDenied  = "denied"
)

// AuditEvent is one row of the audit trail: who did what to whose data, when,
// and whether it was allowed. It never holds content, only references.
type AuditEvent struct {
	Seq           int64
	At            time.Time
	RequestID     string
	ActorID       string
	ActorUsername string
	ActorRole     string
	ActorService  string
	PersonID      string // whose data, when a person is concerned
	CaseID        string // the case, when one is concerned
	ObjectType    string // e.g. "case", "consent", "session"
	ObjectID      string
	Action        string // e.g. "read", "list", "create", "login"
	Outcome       string // OutcomeAllowed or OutcomeDenied
	Purpose       string // why, e.g. "coordinator", "emergency_access"
	Client        string // client address
	PrevHash      string
	Hash          string
}
