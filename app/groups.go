package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/access"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// This file holds the responsibility group (ansvarsgruppe, seed 004): set up
// by the coordinator (or the coordinating unit) once a coordinator exists
// and the person has given written consent; as few members as possible;
// chair and minute-taker rotating; composition reviewed at the child's
// transitions; evaluated every year; matters it cannot handle raised to the
// leaders; its closing reported to the coordinating unit.

// MaxGroupMembersQuiet is the size above which creating or growing a group
// gives the gentle warning many_members ("as few as possible, as many as
// necessary").
const MaxGroupMembersQuiet = 8

// maxGroupMembers bounds a group outright.
const maxGroupMembers = 30

// Member relations for the person and their family; employees are
// "employee".
var memberRelations = []string{"self", "guardian", "next_of_kin", "other"}

// NotForGroup lists the matters seed 004 says a responsibility group does
// not handle; the pages show them where agendas are made (catalog keys
// coord.not_for_group.<key>). Unresolved matters are raised to the leaders.
var NotForGroup = []string{"complaint_staff", "complaint_allocation", "training", "agency_disagreement"}

// NewGroupMember is one member to add: an employee by username (with their
// role in the group), or the person, a guardian or next of kin by name and
// relation.
type NewGroupMember struct {
	Username string
	Role     string
	Name     string
	Relation string
}

// GroupView is a responsibility group as its readers see it.
type GroupView struct {
	Case        *samordna.Case
	SubjectName string
	Coordinator *store.Assignment // nil when none
	Group       *store.Group      // nil when the case has no open group
	Members     []*store.Member
	Meetings    []*store.Meeting
	// Cooperation are the case's cooperation meetings (with or without a
	// group).
	Cooperation []*store.Meeting
	Evaluations []*store.Evaluation
	Escalations []*store.Escalation
	// Who should chair and take the minutes of the next meeting: the next in
	// turn among the employee members (member ids; "" when none).
	NextChair, NextMinuteTaker string
	Reviews                    []Transition // upcoming composition reviews
	Warnings                   []Warning
	// What the reader may do.
	CanManage bool // the coordinator or the coordinating unit
	CanRaise  bool // anyone who may write to the case
	// Whether the invariants hold for setting up a group now.
	HasGroupConsent bool
}

// CreateGroup sets up the case's responsibility group with its members;
// the coordinator is always a member (first). More than MaxGroupMembersQuiet
// members gives the warning many_members. It creates the annual evaluation
// task and, for a child, the composition reviews at the transitions.
// Who may call: the coordinator or the coordinating unit. Errors: not_found;
// members_required, invalid_member, too_many_members (400);
// coordinator_required, consent_required, unknown_employee (422);
// group_exists (409).
func (a *App) CreateGroup(ctx context.Context, actor *samordna.Actor, caseID string, members []NewGroupMember) (*GroupView, error) {
	return a.SetUpGroup(ctx, actor, caseID, GroupSetup{Members: members})
}

// GroupSetup is the input for SetUpGroup: the members, and who among the
// person and family chose them together with the coordinator (seed 004:
// "Koordinator og brukeren/foresatte/pårørende bør i fellesskap finne frem
// til hvem det er hensiktsmessig å ha med"), e.g. "Åse Ødegård og mor".
type GroupSetup struct {
	Members    []NewGroupMember
	ChosenWith string
}

// SetUpGroup is CreateGroup with the record of who chose the members with
// the coordinator; without it the group carries the warning
// members_not_chosen_with_user. Errors: as CreateGroup, and
// invalid_chosen_with (400) over 200 characters.
func (a *App) SetUpGroup(ctx context.Context, actor *samordna.Actor, caseID string, in GroupSetup) (*GroupView, error) {
	in.ChosenWith = strings.TrimSpace(in.ChosenWith)
	members := in.Members
	var v *GroupView
	err := a.withCoordination(ctx, actor, caseID, "create_group", func(tx *store.Tx, g *caseGrant) error {
		if err := validateMembers(members); err != nil {
			return err
		}
		if len(in.ChosenWith) > 200 {
			return samordna.Errorf(samordna.KindInvalid, "invalid_chosen_with", "chosen_with is at most 200 characters")
		}
		grp, err := a.createGroup(tx, actor, g, members, in.ChosenWith)
		if err != nil {
			return err
		}
		if v, err = a.groupView(tx, actor, g); err != nil {
			return err
		}
		return a.auditCase(tx, actor, g, "create_group", "responsibility_group", grp.ID)
	})
	return v, err
}

// MemberError says which of the members given to SetUpGroup or
// AddGroupMembers an error is about (Index counts from 0 in the list the
// caller gave), so a form can name the wrong row and keep the others.
// errors.As finds the *samordna.Error inside.
type MemberError struct {
	Index int
	Err   error
}

func (e *MemberError) Error() string { return fmt.Sprintf("member %d: %v", e.Index+1, e.Err) }
func (e *MemberError) Unwrap() error { return e.Err }

// validateMembers checks the form of the member list.
func validateMembers(members []NewGroupMember) error {
	if len(members) == 0 {
		return samordna.Errorf(samordna.KindInvalid, "members_required", "name at least one member")
	}
	if len(members) > maxGroupMembers {
		return samordna.Errorf(samordna.KindInvalid, "too_many_members", "a group has at most %d members", maxGroupMembers)
	}
	for i := range members {
		m := &members[i]
		m.Username, m.Name, m.Role, m.Relation = strings.TrimSpace(m.Username), strings.TrimSpace(m.Name),
			strings.TrimSpace(m.Role), strings.TrimSpace(m.Relation)
		bad := samordna.Errorf(samordna.KindInvalid, "invalid_member",
			"member %d: give a username, or a name (at most 200 characters) and a relation (%s)",
			i+1, strings.Join(memberRelations, ", "))
		switch {
		case len(m.Role) > 100:
			return &MemberError{Index: i, Err: bad}
		case m.Username != "" && (m.Name != "" || m.Relation != ""):
			return &MemberError{Index: i, Err: bad}
		case m.Username == "" && (m.Name == "" || len(m.Name) > 200 || !validRelation(m.Relation)):
			return &MemberError{Index: i, Err: bad}
		}
	}
	return nil
}

func validRelation(r string) bool {
	for _, x := range memberRelations {
		if x == r {
			return true
		}
	}
	return false
}

func sizeWarnings(n int) []Warning {
	if n <= MaxGroupMembersQuiet {
		return nil
	}
	return []Warning{{Code: "many_members",
		Message: "the group has more than 8 members: as few as possible, as many as necessary"}}
}

func (a *App) createGroup(tx *store.Tx, actor *samordna.Actor, g *caseGrant, members []NewGroupMember, chosenWith string) (*store.Group, error) {
	open, err := store.OpenGroupOfCase(tx, g.Case.ID)
	if err != nil {
		return nil, err
	}
	if open != nil {
		return nil, samordna.Errorf(samordna.KindConflict, "group_exists", "the case already has a responsibility group")
	}
	k, err := a.RequireCoordinator(tx, g.Case.ID)
	if err != nil {
		return nil, err
	}
	if err := a.RequireActiveConsent(tx, g.Case.ID, samordna.PurposeResponsibilityGroup); err != nil {
		return nil, err
	}
	now := a.now()
	grp := &store.Group{ID: samordna.NewID(), CaseID: g.Case.ID, CreatedBy: actor.Employee.ID, CreatedAt: now,
		MembersChosenWith: chosenWith}
	if err := store.CreateGroup(tx, grp); err != nil {
		return nil, err
	}
	all := append([]NewGroupMember{{Username: k.Username, Role: "koordinator"}}, members...)
	if err := a.addMembers(tx, g.Case, grp, nil, all); err != nil {
		var me *MemberError
		if errors.As(err, &me) {
			me.Index-- // the coordinator came first
		}
		return nil, err
	}
	if err := a.caseEvent(tx, actor, g.Case.ID, "responsibility_group_established", "responsibility_group", grp.ID); err != nil {
		return nil, err
	}
	if _, err := a.routineStep(tx, actor, g.Case, pathway.OfferResponsibilityGroup,
		pathway.EventResponsibilityGroupEstablished, ""); err != nil {
		return nil, err
	}
	return grp, a.groupTasks(tx, actor, g.Case, k, now)
}

// addMembers adds the members not already in the group (employees by id,
// others by name and relation).
func (a *App) addMembers(tx *store.Tx, c *samordna.Case, grp *store.Group, current []*store.Member, members []NewGroupMember) error {
	seen := map[string]bool{}
	for _, m := range current {
		seen[memberKey(m.EmployeeID, m.Name, m.Relation)] = true
	}
	for i, in := range members {
		m := &store.Member{ID: samordna.NewID(), GroupID: grp.ID, Name: in.Name, Relation: in.Relation, Role: in.Role,
			AddedAt: a.now()}
		if in.Username != "" {
			e, err := eligibleEmployee(tx, c.MunicipalityID, in.Username, "unknown_employee")
			if err != nil {
				if samordna.ErrorKind(err) == samordna.KindInternal {
					return err
				}
				return &MemberError{Index: i, Err: err}
			}
			m.EmployeeID, m.Name, m.Relation = e.ID, e.Name, "employee"
			if len(e.Services) > 0 {
				m.ServiceID = e.Services[0].ID
			}
		}
		key := memberKey(m.EmployeeID, m.Name, m.Relation)
		if seen[key] {
			continue
		}
		seen[key] = true
		if err := store.AddMember(tx, m); err != nil {
			return err
		}
	}
	return nil
}

func memberKey(employeeID, name, relation string) string {
	if employeeID != "" {
		return "e:" + employeeID
	}
	return "p:" + strings.ToLower(name) + "|" + relation
}

// groupTasks gives the coordinator the annual evaluation and, for a child,
// a composition review before each coming transition.
func (a *App) groupTasks(tx *store.Tx, actor *samordna.Actor, c *samordna.Case, k *store.Assignment, now time.Time) error {
	if err := a.addTask(tx, actor, c, coordTask{Title: taskAnnualEvaluation, EmployeeID: k.EmployeeID,
		Due: now.AddDate(1, 0, 0)}); err != nil {
		return err
	}
	reviews, err := a.caseReviews(tx, c, now)
	if err != nil {
		return err
	}
	for _, r := range reviews {
		if err := a.addTask(tx, actor, c, coordTask{Title: taskCompositionReview + ": " + r.Label(),
			EmployeeID: k.EmployeeID, Due: r.ReviewBy(now)}); err != nil {
			return err
		}
	}
	return nil
}

// caseReviews returns the coming transitions of the case's subject (none
// for an adult or an anonymous case). An expected child counts from its
// due date.
func (a *App) caseReviews(tx *store.Tx, c *samordna.Case, now time.Time) ([]Transition, error) {
	if c.SubjectPersonID == "" {
		return nil, nil
	}
	p, err := store.PersonByID(tx, c.SubjectPersonID)
	if err != nil {
		return nil, err
	}
	date := p.BirthDate
	if date == "" {
		date = p.DueDate
	}
	birth, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return nil, nil
	}
	return UpcomingTransitions(birth, now), nil
}

// Transition is a change in a child's life at which the group's
// composition is reviewed (seed 004): school, lower secondary, upper
// secondary, adulthood.
type Transition struct {
	Kind string    // "school", "lower_secondary", "upper_secondary", "adulthood"
	At   time.Time // the date it happens (midnight UTC of the date)
}

// Label is the transition in bokmål, for task titles.
func (t Transition) Label() string {
	return map[string]string{"school": "barnehage til skole", "lower_secondary": "barneskole til ungdomsskole",
		"upper_secondary": "ungdomsskole til videregående skole", "adulthood": "overgang til voksenlivet (18 år)"}[t.Kind]
}

// ReviewBy is when the composition should be reviewed: three months before
// the transition, or now when that has passed.
func (t Transition) ReviewBy(now time.Time) time.Time {
	due := t.At.AddDate(0, -3, 0)
	if due.Before(now) {
		return now
	}
	return due
}

// Transitions computes a child's transitions from the birth date: school
// starts on 1 August of the year the child turns 6, lower secondary of the
// year it turns 13, upper secondary of the year it turns 16, and adulthood
// is the 18th birthday (29 February birthdays turn 18 on 1 March).
func Transitions(birth time.Time) []Transition {
	y := birth.Year()
	aug := func(year int) time.Time { return time.Date(year, time.August, 1, 0, 0, 0, 0, time.UTC) }
	return []Transition{
		{Kind: "school", At: aug(y + 6)},
		{Kind: "lower_secondary", At: aug(y + 13)},
		{Kind: "upper_secondary", At: aug(y + 16)},
		{Kind: "adulthood", At: time.Date(y+18, birth.Month(), birth.Day(), 0, 0, 0, 0, time.UTC)},
	}
}

// UpcomingTransitions returns the transitions after now.
func UpcomingTransitions(birth, now time.Time) []Transition {
	var out []Transition
	for _, t := range Transitions(birth) {
		if t.At.After(now) {
			out = append(out, t)
		}
	}
	return out
}

// SuggestRotation proposes the next chair and minute-taker: the next in
// turn, by the group's order, among the employee members after the last
// meeting's (the first member, usually the coordinator, when there was
// none), never the same person for both when the group has two or more.
// It returns member ids ("" when the group has no employee member).
func SuggestRotation(members []*store.Member, lastChair, lastTaker string) (chair, taker string) {
	var ids []string
	for _, m := range members {
		if m.EmployeeID != "" {
			ids = append(ids, m.ID)
		}
	}
	if len(ids) == 0 {
		return "", ""
	}
	next := func(after string) int {
		for i, id := range ids {
			if id == after {
				return (i + 1) % len(ids)
			}
		}
		return -1
	}
	ci := next(lastChair)
	if ci < 0 {
		ci = 0
	}
	ti := next(lastTaker)
	if ti < 0 {
		ti = (ci + 1) % len(ids)
	}
	if ti == ci && len(ids) > 1 {
		ti = (ti + 1) % len(ids)
	}
	return ids[ci], ids[ti]
}

// GetGroup returns the case's responsibility group (Group nil when there
// is none: the view then tells whether one can be set up). One audit row.
// Who may call: readers of the case. Errors: not_found.
func (a *App) GetGroup(ctx context.Context, actor *samordna.Actor, caseID string) (*GroupView, error) {
	var v *GroupView
	err := a.withCase(ctx, actor, caseID, access.Read, "read", func(tx *store.Tx, g *caseGrant) error {
		var err error
		if v, err = a.groupView(tx, actor, g); err != nil {
			return err
		}
		id := g.Case.ID
		if v.Group != nil {
			id = v.Group.ID
		}
		return a.auditCase(tx, actor, g, "read", "responsibility_group", id)
	})
	return v, err
}

func (a *App) groupView(tx *store.Tx, actor *samordna.Actor, g *caseGrant) (*GroupView, error) {
	s := access.SubjectOf(actor.Employee)
	v := &GroupView{Case: g.Case, CanManage: canCoordinate(s, g.Facts), CanRaise: access.Can(s, access.Write, g.Facts)}
	var err error
	if g.Case.SubjectPersonID != "" {
		p, err := store.PersonByID(tx, g.Case.SubjectPersonID)
		if err != nil {
			return nil, err
		}
		v.SubjectName = p.Name
	}
	if v.Coordinator, err = store.CurrentAssignment(tx, g.Case.ID); err != nil {
		return nil, err
	}
	if v.HasGroupConsent, err = a.hasActiveConsent(tx, g.Case.ID, samordna.PurposeResponsibilityGroup); err != nil {
		return nil, err
	}
	if v.Cooperation, err = store.CooperationMeetingsOfCase(tx, g.Case.ID); err != nil {
		return nil, err
	}
	if v.Group, err = store.OpenGroupOfCase(tx, g.Case.ID); err != nil || v.Group == nil {
		return v, err
	}
	if v.Evaluations, err = store.Evaluations(tx, v.Group.ID); err != nil {
		return nil, err
	}
	if v.Members, err = store.Members(tx, v.Group.ID); err != nil {
		return nil, err
	}
	if v.Meetings, err = store.MeetingsOfGroup(tx, v.Group.ID); err != nil {
		return nil, err
	}
	if v.Escalations, err = store.Escalations(tx, v.Group.ID); err != nil {
		return nil, err
	}
	if v.Reviews, err = a.caseReviews(tx, g.Case, a.now()); err != nil {
		return nil, err
	}
	lastChair, lastTaker := lastRoles(v.Meetings)
	v.NextChair, v.NextMinuteTaker = SuggestRotation(v.Members, lastChair, lastTaker)
	v.Warnings = groupWarnings(len(v.Members), v.Group)
	return v, nil
}

// groupWarnings are the size warning and, when the members were not
// chosen together with the person or family, members_not_chosen_with_user
// (seed 004: "Koordinator og brukeren/foresatte/pårørende bør i
// fellesskap finne frem til hvem det er hensiktsmessig å ha med").
func groupWarnings(n int, grp *store.Group) []Warning {
	w := sizeWarnings(n)
	if grp != nil && grp.MembersChosenWith == "" {
		w = append(w, Warning{Code: "members_not_chosen_with_user",
			Message: "record who among the person and family chose the members with the coordinator"})
	}
	return w
}

// lastRoles returns the chair and minute-taker of the latest meeting that
// was not cancelled.
func lastRoles(ms []*store.Meeting) (chair, taker string) {
	for i := len(ms) - 1; i >= 0; i-- {
		if ms[i].Status != store.MeetingCancelled {
			return ms[i].ChairMemberID, ms[i].MinuteTakerID
		}
	}
	return "", ""
}

// Member returns the view's member with the id, or nil.
func (v *GroupView) Member(id string) *store.Member {
	for _, m := range v.Members {
		if m.ID == id {
			return m
		}
	}
	return nil
}

// AddGroupMembers adds members to the open group (members already in it
// are skipped). Who may call: the coordinator or the coordinating unit.
// Errors: as CreateGroup, and no_group (422) without an open group.
func (a *App) AddGroupMembers(ctx context.Context, actor *samordna.Actor, caseID string, members []NewGroupMember) (*GroupView, error) {
	var v *GroupView
	err := a.withCoordination(ctx, actor, caseID, "add_group_members", func(tx *store.Tx, g *caseGrant) error {
		if err := validateMembers(members); err != nil {
			return err
		}
		grp, err := openGroup(tx, g.Case.ID)
		if err != nil {
			return err
		}
		cur, err := store.Members(tx, grp.ID)
		if err != nil {
			return err
		}
		if len(cur)+len(members) > maxGroupMembers {
			return samordna.Errorf(samordna.KindInvalid, "too_many_members", "a group has at most %d members", maxGroupMembers)
		}
		if err := a.addMembers(tx, g.Case, grp, cur, members); err != nil {
			return err
		}
		if err := a.caseEvent(tx, actor, g.Case.ID, "responsibility_group_changed", "responsibility_group", grp.ID); err != nil {
			return err
		}
		if v, err = a.groupView(tx, actor, g); err != nil {
			return err
		}
		return a.auditCase(tx, actor, g, "add_group_members", "responsibility_group", grp.ID)
	})
	return v, err
}

// RemoveGroupMember removes a member from the open group; the coordinator
// cannot be removed (hand the role over instead). Who may call: the
// coordinator or the coordinating unit. Errors: not_found, no_group (422),
// coordinator_member (422).
func (a *App) RemoveGroupMember(ctx context.Context, actor *samordna.Actor, caseID, memberID string) error {
	return a.withCoordination(ctx, actor, caseID, "remove_group_member", func(tx *store.Tx, g *caseGrant) error {
		grp, err := openGroup(tx, g.Case.ID)
		if err != nil {
			return err
		}
		k, err := store.CurrentAssignment(tx, g.Case.ID)
		if err != nil {
			return err
		}
		members, err := store.Members(tx, grp.ID)
		if err != nil {
			return err
		}
		for _, m := range members {
			if m.ID == memberID && k != nil && m.EmployeeID == k.EmployeeID {
				return samordna.Errorf(samordna.KindRule, "coordinator_member", "the coordinator stays in the group")
			}
		}
		if err := store.RemoveMember(tx, grp.ID, memberID, a.now()); err != nil {
			return err
		}
		if err := a.caseEvent(tx, actor, g.Case.ID, "responsibility_group_changed", "responsibility_group", grp.ID); err != nil {
			return err
		}
		return a.auditCase(tx, actor, g, "remove_group_member", "responsibility_group", grp.ID)
	})
}

// openGroup returns the case's open group or the rule error no_group.
func openGroup(tx *store.Tx, caseID string) (*store.Group, error) {
	grp, err := store.OpenGroupOfCase(tx, caseID)
	if err != nil {
		return nil, err
	}
	if grp == nil {
		return nil, samordna.Errorf(samordna.KindRule, "no_group", "the case has no open responsibility group")
	}
	return grp, nil
}

// CloseGroup closes the responsibility group; the closing is reported to
// the coordinating unit (a case event it counts). Planned meetings are
// cancelled. Who may call: the coordinator or the coordinating unit.
// Errors: not_found, reason_required (400), no_group (422).
func (a *App) CloseGroup(ctx context.Context, actor *samordna.Actor, caseID, reason string) error {
	reason = strings.TrimSpace(reason)
	return a.withCoordination(ctx, actor, caseID, "close_group", func(tx *store.Tx, g *caseGrant) error {
		if reason == "" || len(reason) > 2000 {
			return samordna.Errorf(samordna.KindInvalid, "reason_required", "say why the group is closed (at most 2000 characters)")
		}
		grp, err := a.closeGroup(tx, actor, g, reason)
		if err != nil {
			return err
		}
		return a.auditCase(tx, actor, g, "close_group", "responsibility_group", grp.ID)
	})
}

func (a *App) closeGroup(tx *store.Tx, actor *samordna.Actor, g *caseGrant, reason string) (*store.Group, error) {
	grp, err := openGroup(tx, g.Case.ID)
	if err != nil {
		return nil, err
	}
	now := a.now()
	if err := store.CloseGroup(tx, grp.ID, actor.Employee.ID, reason, now); err != nil {
		return nil, err
	}
	planned, err := store.PlannedMeetingsBetween(tx, grp.ID, time.Time{}, now.AddDate(100, 0, 0))
	if err != nil {
		return nil, err
	}
	for _, m := range planned {
		if err := store.SetMeetingStatus(tx, m.ID, store.MeetingCancelled, now); err != nil {
			return nil, err
		}
	}
	return grp, a.caseEvent(tx, actor, g.Case.ID, "responsibility_group_closed", "responsibility_group", grp.ID)
}

// Evaluation is the input for EvaluateGroup.
type Evaluation struct {
	Continue bool   // the group is still needed
	Note     string // what the evaluation found; required
	// UserView is the person's (or family's) own view of the group's work,
	// and UserViewBy who gave it; both required (seed 004: the group
	// secures "Brukermedvirkning ved utforming, gjennomføring og
	// evaluering av tjenestetilbud").
	UserView   string
	UserViewBy string
}

// EvaluateGroup records the group's annual evaluation (seed 004: the need
// for a group is evaluated every year). If the group is still needed the
// next evaluation becomes a task in a year; if not, the group is closed and
// the closing reported to the coordinating unit. Who may call: the
// coordinator or the coordinating unit. Errors: not_found, note_required,
// user_view_required (400), no_group (422).
func (a *App) EvaluateGroup(ctx context.Context, actor *samordna.Actor, caseID string, in Evaluation) error {
	in.Note, in.UserView, in.UserViewBy = strings.TrimSpace(in.Note), strings.TrimSpace(in.UserView),
		strings.TrimSpace(in.UserViewBy)
	return a.withCoordination(ctx, actor, caseID, "evaluate_group", func(tx *store.Tx, g *caseGrant) error {
		if in.Note == "" || len(in.Note) > 4000 {
			return samordna.Errorf(samordna.KindInvalid, "note_required", "say what the evaluation found (at most 4000 characters)")
		}
		if in.UserView == "" || len(in.UserView) > 4000 || in.UserViewBy == "" || len(in.UserViewBy) > 200 {
			return samordna.Errorf(samordna.KindInvalid, "user_view_required",
				"record the person's own view of the group's work (at most 4000 characters) and who gave it")
		}
		grp, err := openGroup(tx, g.Case.ID)
		if err != nil {
			return err
		}
		if err := store.SetGroupEvaluated(tx, grp.ID, a.now()); err != nil {
			return err
		}
		if err := store.AddEvaluation(tx, &store.Evaluation{ID: samordna.NewID(), GroupID: grp.ID, CaseID: g.Case.ID,
			Continued: in.Continue, Note: in.Note, UserView: in.UserView, UserViewBy: in.UserViewBy,
			EvaluatedBy: actor.Employee.ID, EvaluatedAt: a.now()}); err != nil {
			return err
		}
		if err := a.caseEvent(tx, actor, g.Case.ID, "responsibility_group_evaluated", "responsibility_group", grp.ID); err != nil {
			return err
		}
		if err := a.completeOwnTasks(tx, actor, g.Case, taskAnnualEvaluation); err != nil {
			return err
		}
		if in.Continue {
			k, err := a.RequireCoordinator(tx, g.Case.ID)
			if err != nil {
				return err
			}
			if err := a.addTask(tx, actor, g.Case, coordTask{Title: taskAnnualEvaluation, EmployeeID: k.EmployeeID,
				Due: a.now().AddDate(1, 0, 0)}); err != nil {
				return err
			}
		} else if _, err := a.closeGroup(tx, actor, g, in.Note); err != nil {
			return err
		}
		return a.auditCase(tx, actor, g, "evaluate_group", "responsibility_group", grp.ID)
	})
}

// Escalation categories: the matters of NotForGroup, or "unresolved" for a
// matter the group tried and could not resolve.
func validCategory(c string) bool {
	if c == "unresolved" {
		return true
	}
	for _, x := range NotForGroup {
		if x == c {
			return true
		}
	}
	return false
}

// RaiseToLeaders records a matter the group cannot handle and gives the
// coordinator the task of raising it to the leaders (seed 004: the
// coordinator makes sure it is done). Who may call: anyone who may write to
// the case. Errors: not_found, invalid_category, matter_required (400),
// no_group, coordinator_required (422).
func (a *App) RaiseToLeaders(ctx context.Context, actor *samordna.Actor, caseID, category, matter string) (*store.Escalation, error) {
	matter = strings.TrimSpace(matter)
	var e *store.Escalation
	err := a.withCase(ctx, actor, caseID, access.Write, "raise_to_leaders", func(tx *store.Tx, g *caseGrant) error {
		if !validCategory(category) {
			return samordna.Errorf(samordna.KindInvalid, "invalid_category",
				"category is one of %s or unresolved", strings.Join(NotForGroup, ", "))
		}
		if matter == "" || len(matter) > 2000 {
			return samordna.Errorf(samordna.KindInvalid, "matter_required", "describe the matter (at most 2000 characters)")
		}
		grp, err := openGroup(tx, g.Case.ID)
		if err != nil {
			return err
		}
		k, err := a.RequireCoordinator(tx, g.Case.ID)
		if err != nil {
			return err
		}
		e = &store.Escalation{ID: samordna.NewID(), GroupID: grp.ID, CaseID: g.Case.ID, Category: category,
			Matter: matter, RaisedBy: actor.Employee.ID, RaisedAt: a.now()}
		if err := store.AddEscalation(tx, e); err != nil {
			return err
		}
		if err := a.caseEvent(tx, actor, g.Case.ID, "raised_to_leaders", "escalation", e.ID); err != nil {
			return err
		}
		if err := a.addTask(tx, actor, g.Case, coordTask{Title: taskRaiseToLeaders, EmployeeID: k.EmployeeID,
			Due: pathway.AddWorkingDays(a.now(), 10)}); err != nil {
			return err
		}
		return a.auditCase(tx, actor, g, "raise_to_leaders", "escalation", e.ID)
	})
	return e, err
}
