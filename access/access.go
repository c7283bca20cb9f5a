// Package access is Samordna's access policy: who may do what with a case.
//
// It is pure: it decides from Facts (what is true about one employee and one
// case) and never reads the database itself. Deny is the default: a named
// case is visible only through a relation the law accepts as a reason
// ("tjenstlig behov"):
//
//   - the employee registered the case (the discoverer);
//   - the coordinating unit, once the case holds an application to it;
//   - the appointed coordinator;
//   - members of the responsibility group, while an active consent covers
//     sharing with the members;
//   - child welfare (or the mental health and substance service) for the
//     reports it has received;
//   - members of a team the case was submitted to;
//   - members of a team (and invitees to its meeting) while a named matter
//     about the case is on the agenda of a meeting whose minutes are not
//     yet finalised and the consent naming it to that team is in force —
//     to read only (seed 002 §4: teams advise, they do not take over);
//   - an employee with emergency access, for a limited time.
//
// A block (sperring) bars an employee whatever else holds. The administrator
// sees no case content at all. Service leaders see their service's deadlines
// and counts, never content, unless a relation of their own applies.
//
// The same rules give the SQL for lists (ReadableCasesSQL), so a list can
// never show what a single read would refuse; a property test checks that
// the two agree.
package access

import "github.com/samordna/samordna"

// Action is something an employee wants to do with a case.
type Action string

// The actions the policy decides.
const (
	Read          Action = "read"           // see the case's content
	Write         Action = "write"          // add to the case (notes, tasks, reports, applications)
	ManageConsent Action = "manage_consent" // record or withdraw consent, attach the signed form
	Block         Action = "block"          // bar or lift the bar on named employees
	ViewAccessLog Action = "view_access_log"
	Decide        Action = "decide"      // the coordinating unit's decision on an application
	BreakGlass    Action = "break_glass" // open the case in an emergency, with a reason
	// Coordinate: run the coordination of a case (set up and change the
	// responsibility group, call and cancel its meetings, hand the
	// coordinator role over): the coordinator or the coordinating unit.
	Coordinate Action = "coordinate"
	// Inform: fulfil the duty to inform (opplysningsplikt,
	// helsepersonelloven § 32) about the case: health personnel who may
	// write to it. The duty is theirs alone (seed 000).
	Inform Action = "inform"
	// Close: close the case (the follow-up has ended), and Reopen: open a
	// closed case again. See canClose and canReopen for who and why.
	Close  Action = "close"
	Reopen Action = "reopen"
)

// Subject is the employee asking.
type Subject struct {
	EmployeeID     string
	MunicipalityID string
	Roles          []samordna.Role
	// HealthPersonnel: the employee is health personnel
	// (samordna.Employee.HealthPersonnel).
	HealthPersonnel bool
}

// SubjectOf returns the policy's view of an employee.
func SubjectOf(e *samordna.Employee) Subject {
	return Subject{EmployeeID: e.ID, MunicipalityID: e.MunicipalityID, Roles: e.Roles, HealthPersonnel: e.HealthPersonnel()}
}

// Has reports whether the subject holds the role.
func (s Subject) Has(r samordna.Role) bool {
	for _, x := range s.Roles {
		if x == r {
			return true
		}
	}
	return false
}

// Facts are what is true about one employee and one case, read from the
// database in the same transaction as the action (never cached across
// requests, so a withdrawn consent takes effect on the very next request).
type Facts struct {
	SameMunicipality bool // the case belongs to the employee's municipality
	Registered       bool // the employee registered the case
	HasApplication   bool // the case holds an application to the coordinating unit
	Coordinator      bool // the employee is the case's current coordinator
	GroupMember      bool // the employee is a current member of the case's open responsibility group
	ShareConsent     bool // an active, unexpired consent covers share_with_members
	ReportRecipient  bool // the employee's service has received a report for the case
	// TeamMember: the case was submitted to a team the employee is a
	// member of (an open consultation with the team, the old path). Like
	// TeamAgenda it lets the employee read the case, never change it:
	// "teams advise; they do not take over cases" (seed 002 §4).
	TeamMember bool
	// TeamAgenda: a named matter about the case is on the agenda of an
	// unfinalised, not cancelled meeting of a team the employee is a
	// member of (or invited to, for that meeting or matter), and the
	// consent naming the person to that team is in force. It lets the
	// employee read the case, never change it.
	TeamAgenda bool
	Emergency  bool // the employee holds unexpired emergency access to the case
	Blocked    bool // the employee is barred from the case
	// AnyCoordinator: the case has a current coordinator (anyone), and
	// PendingApplication: an application to the coordinating unit awaits
	// its decision. Together they say whether the case is still only the
	// discoverer's (canClose).
	AnyCoordinator     bool
	PendingApplication bool
}

// Reason names why an employee may read a case; it is written to the audit
// trail as the purpose of the access.
type Reason string

// The reasons for access, one per rule.
const (
	ReasonRegistered       Reason = "registered"
	ReasonCoordinatingUnit Reason = "coordinating_unit"
	ReasonCoordinator      Reason = "coordinator"
	ReasonGroupMember      Reason = "responsibility_group"
	ReasonReportRecipient  Reason = "report_recipient"
	ReasonTeamMember       Reason = "team"
	ReasonTeamAgenda       Reason = "team_agenda"
	ReasonEmergency        Reason = "emergency_access"
)

// ReadReason returns the first reason the subject may read the case, or ""
// when it may not. Order matters only for which reason is logged.
func ReadReason(s Subject, f Facts) Reason {
	if s.Has(samordna.RoleAdmin) || !f.SameMunicipality || f.Blocked {
		return ""
	}
	switch {
	case f.Registered:
		return ReasonRegistered
	case f.Coordinator:
		return ReasonCoordinator
	case f.HasApplication && s.Has(samordna.RoleCoordinatingUnit):
		return ReasonCoordinatingUnit
	case f.GroupMember && f.ShareConsent:
		return ReasonGroupMember
	case f.ReportRecipient:
		return ReasonReportRecipient
	case f.TeamMember:
		return ReasonTeamMember
	case f.TeamAgenda:
		return ReasonTeamAgenda
	case f.Emergency:
		return ReasonEmergency
	}
	return ""
}

// Can reports whether the subject may perform the action on the case.
func Can(s Subject, a Action, f Facts) bool {
	if a == Read {
		return ReadReason(s, f) != ""
	}
	// Reading a matter on a team's agenda, or a case a consultation
	// brought to the team, gives no other right: teams advise, they do
	// not take over cases (seed 002 §4). Every other action needs a
	// reason of its own.
	f.TeamAgenda, f.TeamMember = false, false
	switch a {
	case Write:
		return ReadReason(s, f) != ""
	case Inform:
		return ReadReason(s, f) != "" && s.HealthPersonnel
	case ManageConsent:
		return ReadReason(s, f) != "" && (f.Registered || f.Coordinator || isUnit(s, f))
	case Block, ViewAccessLog, Coordinate:
		return ReadReason(s, f) != "" && (f.Coordinator || isUnit(s, f))
	case Decide:
		return ReadReason(s, f) != "" && isUnit(s, f)
	case Close:
		return ReadReason(s, f) != "" && canClose(s, f)
	case Reopen:
		return ReadReason(s, f) != "" && canReopen(s, f)
	case BreakGlass:
		return s.Has(samordna.RoleEmergencyAccess) && !s.Has(samordna.RoleAdmin) &&
			f.SameMunicipality && !f.Blocked
	}
	return false
}

// canClose: who may end the follow-up of a case. Whoever runs the
// coordination decides that it has ended: the coordinator and the
// coordinating unit (the same people who may close the responsibility
// group, which closing the case does). A case that never reached the unit
// — no coordinator, no application waiting for a decision, such as an
// anonymous consultation that ended or a concern that came to nothing — is
// still only the discoverer's, so the discoverer closes it; once a
// coordinator is appointed or an application awaits the unit, the
// discoverer no longer decides alone. Group members and report recipients
// take part in the work but do not own it, so they may not close.
func canClose(s Subject, f Facts) bool {
	return f.Coordinator || isUnit(s, f) || discovererOnly(f)
}

// canReopen: the coordinating unit reopens a case (it decided on the
// coordination and keeps the overview of the municipality's cases; the
// coordinator's role may have ended with the closing). A case that never
// reached the unit is reopened by its discoverer, who alone could close
// it; otherwise nobody could.
func canReopen(s Subject, f Facts) bool {
	return isUnit(s, f) || (discovererOnly(f) && !f.HasApplication)
}

// discovererOnly: the discoverer registered the case and nobody else has
// taken it over (no coordinator, no application awaiting a decision).
func discovererOnly(f Facts) bool {
	return f.Registered && !f.AnyCoordinator && !f.PendingApplication
}

// isUnit: the coordinating unit acting on a case that has applied to it.
func isUnit(s Subject, f Facts) bool {
	return f.HasApplication && s.Has(samordna.RoleCoordinatingUnit)
}

// CanReviewEmergency reports whether the subject may review an emergency
// access (mark it reviewed, with a note): a service leader who leads the
// access's reviewing service, and never for their own access.
func CanReviewEmergency(s Subject, leadsReviewService, own bool) bool {
	return s.Has(samordna.RoleServiceLeader) && !s.Has(samordna.RoleAdmin) && leadsReviewService && !own
}
