package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/access"
	"github.com/samordna/samordna/internal/ical"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// This file holds the meetings of a responsibility group (seed 004's
// checklist): the agenda agreed with the person and sent at least 14 days
// before, the individual plan as agenda where there is one, the first
// meeting reviewing the group's rules with the coordinating unit present
// for its first part (seed 000), invitations as iCalendar, and meetings
// as a rule 1.5 hours.

// Meeting defaults and bounds.
const (
	DefaultMeetingMinutes = 90
	NoticeDays            = 14 // the agenda is sent at least this many days before
	maxAgendaItems        = 30
	maxAgendaItemLen      = 500
)

// FirstMeetingItem opens the agenda of a group's first meeting (seed 004:
// the first meeting reviews the municipality's rules for the group).
const FirstMeetingItem = "Gjennomgang av kommunens retningslinjer for ansvarsgruppemøter"

// PlanAgenda is the seam for the individual plan: where a case has an
// individual plan, the plan serves as the agenda (seed 004). The plan
// feature sets it (from its own file, in an init function) to return the
// plan's agenda items for the case, or nil when there is no plan. Nil means
// no plan feature.
var PlanAgenda func(tx *store.Tx, caseID string) ([]string, error)

// NewMeeting is the input for PlanMeeting.
type NewMeeting struct {
	StartsAt        time.Time
	DurationMinutes int // 0 means DefaultMeetingMinutes
	Place           string
	Agenda          []string
	// ReasonShortNotice is required when the meeting is less than
	// NoticeDays away, and recorded.
	ReasonShortNotice string
	ChairMemberID     string // "" for the next in turn
	MinuteTakerID     string // "" for the next in turn
	// Guests are providers who are not members, called in for one matter
	// (seed 004: "Tjenesteytere som ikke sitter i ansvarsgruppen kan
	// innkalles dersom det er saker det er ønskelig at de deltar på").
	Guests []NewGuest
	// PersonAttendance is whether the person attends the whole meeting,
	// part of it (PersonPart says which) or none of it ("" means whole).
	// When the person does not attend, the coordinator gets the task of
	// gathering their views beforehand (seed 004).
	PersonAttendance string
	PersonPart       string
	// OtherBusiness are the "eventuelt" matters in priority order, each
	// with its minutes; those that do not fit in OtherBusinessMinutes are
	// put off to the next meeting (seed 004: "Ved mange saker under
	// eventuelt, gjøres en prioritering i forhold til tidsramme").
	OtherBusiness        []store.OtherMatter
	OtherBusinessMinutes int // the time set aside for them; 0 means DefaultOtherBusinessMinutes

	cooperation bool // set by PlanCooperationMeeting: no notice rule, no guests
}

// NewGuest is a provider called in to one meeting for a matter.
type NewGuest struct {
	Username string
	Matter   string
}

// Bounds of the seed-004 meeting parts.
const (
	maxGuests                   = 10
	maxOtherBusiness            = 20
	DefaultOtherBusinessMinutes = 15
)

// PrioritisedMatter is an "eventuelt" matter with whether it fits the
// time set aside, in priority order.
type PrioritisedMatter struct {
	store.OtherMatter
	Fits bool
}

// Prioritise takes the "eventuelt" matters in priority order and says
// which fit in the minutes available; a matter that does not fit is put
// off, and a later, shorter one may still fit.
func Prioritise(matters []store.OtherMatter, available int) []PrioritisedMatter {
	out := make([]PrioritisedMatter, 0, len(matters))
	used := 0
	for _, x := range matters {
		fits := used+x.Minutes <= available
		if fits {
			used += x.Minutes
		}
		out = append(out, PrioritisedMatter{OtherMatter: x, Fits: fits})
	}
	return out
}

// MeetingView is a meeting as its readers see it.
type MeetingView struct {
	Meeting     *store.Meeting
	Case        *samordna.Case
	SubjectName string
	Group       *store.Group
	Coordinator *store.Assignment
	Members     []*store.Member
	Attendees   []*store.Attendee
	Chair       *store.Member
	MinuteTaker *store.Member
	// The minutes (nil when none are written); their SHA-256 when final.
	Minutes      *Minutes
	MinutesSaved bool // a draft or the final minutes are stored (else Minutes is a template)
	MinutesFinal bool
	MinutesHash  string
	// The measures the previous meeting agreed, to be reviewed now; and
	// whether there were previous minutes to approve.
	PreviousMeasures []NewMeasure
	HasPrevious      bool
	Warnings         []Warning
	// OtherBusiness are the "eventuelt" matters in priority order, with
	// whether each fits the time set aside.
	OtherBusiness []PrioritisedMatter
	// Deliveries are the finalised minutes' ways to recipients the system
	// does not reach, with how and when each was sent.
	Deliveries      []*store.Delivery
	CanManage       bool // the coordinator or the coordinating unit (a cooperation meeting: also its organiser)
	CanWriteMinutes bool // also the meeting's minute-taker
}

// PlanMeeting plans a meeting of the case's responsibility group and
// invites its members. Less than NoticeDays ahead it needs a reason (which
// is recorded). An empty agenda is taken from the individual plan where
// there is one (PlanAgenda). The first meeting opens with FirstMeetingItem
// and invites the coordinating unit's caseworker for its first part. The
// coordinator gets the task of agreeing the agenda with the person and
// sending it NoticeDays before.
// Who may call: the coordinator or the coordinating unit. Errors:
// not_found; invalid_start, invalid_duration, place_required,
// invalid_agenda, invalid_member (400); no_group, meeting_in_past,
// short_notice_reason_required (422).
func (a *App) PlanMeeting(ctx context.Context, actor *samordna.Actor, caseID string, in NewMeeting) (*MeetingView, error) {
	var v *MeetingView
	err := a.withCoordination(ctx, actor, caseID, "plan_meeting", func(tx *store.Tx, g *caseGrant) error {
		in, err := a.validateMeeting(in)
		if err != nil {
			return err
		}
		m, err := a.planMeeting(tx, actor, g, in)
		if err != nil {
			return err
		}
		if v, err = a.meetingView(tx, actor, g, m); err != nil {
			return err
		}
		return a.auditCase(tx, actor, g, "plan_meeting", "meeting", m.ID)
	})
	return v, err
}

func (a *App) validateMeeting(in NewMeeting) (NewMeeting, error) {
	in.Place = strings.TrimSpace(in.Place)
	in.ReasonShortNotice = strings.TrimSpace(in.ReasonShortNotice)
	if in.StartsAt.IsZero() {
		return in, samordna.Errorf(samordna.KindInvalid, "invalid_start", "starts_at is required (RFC 3339)")
	}
	if in.DurationMinutes == 0 {
		in.DurationMinutes = DefaultMeetingMinutes
	}
	if in.DurationMinutes < 15 || in.DurationMinutes > 480 {
		return in, samordna.Errorf(samordna.KindInvalid, "invalid_duration", "duration_minutes is 15 to 480")
	}
	if in.Place == "" || len(in.Place) > 200 {
		return in, samordna.Errorf(samordna.KindInvalid, "place_required", "say where the meeting is (at most 200 characters)")
	}
	if len(in.ReasonShortNotice) > 1000 {
		return in, samordna.Errorf(samordna.KindInvalid, "reason_too_long", "the reason is at most 1000 characters")
	}
	var agenda []string
	for _, item := range in.Agenda {
		item = strings.TrimSpace(item)
		if len(item) > maxAgendaItemLen {
			return in, samordna.Errorf(samordna.KindInvalid, "invalid_agenda", "an agenda item is at most %d characters", maxAgendaItemLen)
		}
		if item != "" {
			agenda = append(agenda, item)
		}
	}
	if len(agenda) > maxAgendaItems {
		return in, samordna.Errorf(samordna.KindInvalid, "invalid_agenda", "at most %d agenda items", maxAgendaItems)
	}
	in.Agenda = agenda
	if err := validatePersonAndGuests(&in); err != nil {
		return in, err
	}
	if err := validateOtherBusiness(&in); err != nil {
		return in, err
	}
	now := a.now()
	if !in.StartsAt.After(now) {
		return in, samordna.Errorf(samordna.KindRule, "meeting_in_past", "a meeting is planned for a time to come")
	}
	if in.StartsAt.After(now.AddDate(2, 0, 0)) {
		return in, samordna.Errorf(samordna.KindInvalid, "invalid_start", "a meeting is planned at most two years ahead")
	}
	if in.cooperation {
		in.ReasonShortNotice = "" // the 14 days are the group's checklist
		return in, nil
	}
	if ShortNotice(now, in.StartsAt) && in.ReasonShortNotice == "" {
		return in, samordna.Errorf(samordna.KindRule, "short_notice_reason_required",
			"the agenda is sent at least %d days before the meeting: say why this meeting is sooner", NoticeDays)
	}
	if !ShortNotice(now, in.StartsAt) {
		in.ReasonShortNotice = ""
	}
	return in, nil
}

// validatePersonAndGuests checks the person's attendance and the guests.
func validatePersonAndGuests(in *NewMeeting) error {
	in.PersonPart = strings.TrimSpace(in.PersonPart)
	switch in.PersonAttendance {
	case "":
		in.PersonAttendance = store.PersonWhole
	case store.PersonWhole, store.PersonNone:
	case store.PersonPart:
		if in.PersonPart == "" || len(in.PersonPart) > maxAgendaItemLen {
			return samordna.Errorf(samordna.KindInvalid, "person_part_required",
				"say which part of the meeting the person attends (at most %d characters)", maxAgendaItemLen)
		}
	default:
		return samordna.Errorf(samordna.KindInvalid, "invalid_person_attendance", "person_attendance is whole, part or none")
	}
	if in.PersonAttendance != store.PersonPart {
		in.PersonPart = ""
	}
	if len(in.Guests) > maxGuests {
		return samordna.Errorf(samordna.KindInvalid, "invalid_guest", "at most %d guests", maxGuests)
	}
	for i := range in.Guests {
		x := &in.Guests[i]
		x.Username, x.Matter = strings.TrimSpace(x.Username), strings.TrimSpace(x.Matter)
		if x.Username == "" || x.Matter == "" || len(x.Matter) > maxAgendaItemLen {
			return samordna.Errorf(samordna.KindInvalid, "invalid_guest",
				"guest %d: give the username and the matter they are called in for (at most %d characters)", i+1, maxAgendaItemLen)
		}
	}
	return nil
}

// validateOtherBusiness checks the "eventuelt" matters and the time set
// aside for them.
func validateOtherBusiness(in *NewMeeting) error {
	var matters []store.OtherMatter
	for _, x := range in.OtherBusiness {
		x.Text = strings.TrimSpace(x.Text)
		if x.Text == "" && x.Minutes == 0 {
			continue
		}
		if x.Text == "" || len(x.Text) > maxAgendaItemLen || x.Minutes < 1 || x.Minutes > 480 {
			return samordna.Errorf(samordna.KindInvalid, "invalid_other_business",
				"each matter under \"eventuelt\" has a text (at most %d characters) and 1 to 480 minutes", maxAgendaItemLen)
		}
		matters = append(matters, x)
	}
	if len(matters) > maxOtherBusiness {
		return samordna.Errorf(samordna.KindInvalid, "invalid_other_business", "at most %d matters under \"eventuelt\"", maxOtherBusiness)
	}
	in.OtherBusiness = matters
	if in.OtherBusinessMinutes == 0 {
		in.OtherBusinessMinutes = min(DefaultOtherBusinessMinutes, in.DurationMinutes)
	}
	if in.OtherBusinessMinutes < 0 || in.OtherBusinessMinutes > in.DurationMinutes {
		return samordna.Errorf(samordna.KindInvalid, "invalid_other_business",
			"the time for \"eventuelt\" is within the meeting's %d minutes", in.DurationMinutes)
	}
	return nil
}

// ShortNotice reports whether a meeting at start leaves less than
// NoticeDays for sending the agenda.
func ShortNotice(now, start time.Time) bool {
	return start.Before(now.AddDate(0, 0, NoticeDays))
}

// planMeeting stores a validated meeting with its attendees and tasks.
func (a *App) planMeeting(tx *store.Tx, actor *samordna.Actor, g *caseGrant, in NewMeeting) (*store.Meeting, error) {
	grp, err := openGroup(tx, g.Case.ID)
	if err != nil {
		return nil, err
	}
	k, err := a.RequireCoordinator(tx, g.Case.ID)
	if err != nil {
		return nil, err
	}
	members, err := store.Members(tx, grp.ID)
	if err != nil {
		return nil, err
	}
	previous, err := store.MeetingsOfGroup(tx, grp.ID)
	if err != nil {
		return nil, err
	}
	chair, taker, err := pickRoles(members, previous, in.ChairMemberID, in.MinuteTakerID)
	if err != nil {
		return nil, err
	}
	if len(in.Agenda) == 0 && PlanAgenda != nil {
		if in.Agenda, err = PlanAgenda(tx, g.Case.ID); err != nil {
			return nil, err
		}
	}
	first := lastRolesMeeting(previous) == nil
	if first && (len(in.Agenda) == 0 || in.Agenda[0] != FirstMeetingItem) {
		in.Agenda = append([]string{FirstMeetingItem}, in.Agenda...)
	}
	now := a.now()
	m := &store.Meeting{ID: samordna.NewID(), CaseID: g.Case.ID, GroupID: grp.ID, MunicipalityID: g.Case.MunicipalityID,
		StartsAt: in.StartsAt.UTC(), DurationMinutes: in.DurationMinutes, Place: in.Place, Status: store.MeetingPlanned,
		Agenda: in.Agenda, ShortNoticeReason: in.ReasonShortNotice, ChairMemberID: chair, MinuteTakerID: taker,
		CreatedBy: actor.Employee.ID, CreatedAt: now, Kind: store.MeetingKindGroup}
	setPersonAndOther(m, in)
	if err := store.CreateMeeting(tx, m); err != nil {
		return nil, err
	}
	if err := a.inviteAttendees(tx, actor, g, m, members, first); err != nil {
		return nil, err
	}
	if err := a.inviteGuests(tx, g.Case, m, members, in.Guests); err != nil {
		return nil, err
	}
	due := m.StartsAt.AddDate(0, 0, -NoticeDays)
	if due.Before(now) {
		due = now
	}
	if err := a.addTask(tx, actor, g.Case, coordTask{Title: sendAgendaTitle(m), EmployeeID: k.EmployeeID, Due: due}); err != nil {
		return nil, err
	}
	if err := a.personViewsTask(tx, actor, g.Case, m, k.EmployeeID); err != nil {
		return nil, err
	}
	if err := a.completeOwnTasks(tx, actor, g.Case, taskNoMeetingPlanned); err != nil {
		return nil, err
	}
	if err := a.meetingPlanned(tx, actor, g.Case, m); err != nil {
		return nil, err
	}
	return m, a.caseEvent(tx, actor, g.Case.ID, "meeting_planned", "meeting", m.ID)
}

// setPersonAndOther copies the person's attendance and the "eventuelt"
// matters from the validated input to the meeting.
func setPersonAndOther(m *store.Meeting, in NewMeeting) {
	m.PersonAttendance, m.PersonPart = in.PersonAttendance, in.PersonPart
	m.OtherBusiness, m.OtherMinutes = in.OtherBusiness, in.OtherBusinessMinutes
}

// personViewsTask gives the coordinator (or the organiser of a
// cooperation meeting) the task of gathering the person's views before a
// meeting the person does not attend, due when it starts (seed 004:
// "Dersom brukeren ikke selv deltar i møtet, har koordinator ansvar for å
// innhente dennes synspunkter i forkant").
func (a *App) personViewsTask(tx *store.Tx, actor *samordna.Actor, c *samordna.Case, m *store.Meeting, employeeID string) error {
	if m.PersonAttendance != store.PersonNone {
		return nil
	}
	return a.addTask(tx, actor, c, coordTask{Title: personViewsTitle(m), EmployeeID: employeeID, Due: m.StartsAt})
}

// personViewsTitle is the title of the task of gathering the person's
// views before a meeting.
func personViewsTitle(m *store.Meeting) string {
	return fmt.Sprintf("%s: møte nr. %d %s", taskPersonViews, m.Number, m.StartsAt.In(pathway.Oslo()).Format("02.01.2006"))
}

// taskPersonViews is the title of the task of gathering the person's views.
const taskPersonViews = "Innhent brukerens synspunkter før møtet (brukeren deltar ikke)"

// inviteGuests invites providers who are not members for their matter;
// each must be an active employee of the municipality and not a member.
func (a *App) inviteGuests(tx *store.Tx, c *samordna.Case, m *store.Meeting, members []*store.Member, guests []NewGuest) error {
	seen := map[string]bool{}
	for _, mem := range members {
		seen[mem.EmployeeID] = true
	}
	for _, x := range guests {
		e, err := eligibleEmployee(tx, c.MunicipalityID, x.Username, "unknown_employee")
		if err != nil {
			return err
		}
		if seen[e.ID] {
			return samordna.Errorf(samordna.KindInvalid, "invalid_guest", "%s is already invited", e.Name)
		}
		seen[e.ID] = true
		if err := store.AddAttendee(tx, &store.Attendee{MeetingID: m.ID, EmployeeID: e.ID, Name: e.Name, Role: "guest",
			Part: "matter", Matter: x.Matter}); err != nil {
			return err
		}
	}
	return nil
}

// lastRolesMeeting returns the latest meeting that was not cancelled, or nil.
func lastRolesMeeting(ms []*store.Meeting) *store.Meeting {
	for i := len(ms) - 1; i >= 0; i-- {
		if ms[i].Status != store.MeetingCancelled {
			return ms[i]
		}
	}
	return nil
}

// pickRoles checks a chosen chair and minute-taker, or suggests the next in
// turn.
func pickRoles(members []*store.Member, previous []*store.Meeting, chair, taker string) (string, string, error) {
	lastChair, lastTaker := lastRoles(previous)
	sc, st := SuggestRotation(members, lastChair, lastTaker)
	if chair == "" {
		chair = sc
	}
	if taker == "" {
		taker = st
	}
	for _, id := range []string{chair, taker} {
		found := id == ""
		for _, m := range members {
			found = found || m.ID == id
		}
		if !found {
			return "", "", samordna.Errorf(samordna.KindInvalid, "invalid_member", "the chair and minute-taker are members of the group")
		}
	}
	return chair, taker, nil
}

// inviteAttendees invites every member and, to the first meeting, the
// coordinating unit's caseworker who granted the application, for its first
// part, with the task of attending (seed 000).
func (a *App) inviteAttendees(tx *store.Tx, actor *samordna.Actor, g *caseGrant, m *store.Meeting,
	members []*store.Member, first bool) error {
	for _, mem := range members {
		part := "whole"
		if mem.Relation == "self" {
			part = m.PersonAttendance
		}
		if part == store.PersonNone {
			continue // the person does not attend; their views are gathered beforehand
		}
		if err := store.AddAttendee(tx, &store.Attendee{MeetingID: m.ID, MemberID: mem.ID, EmployeeID: mem.EmployeeID,
			Name: mem.Name, Role: "member", Part: part}); err != nil {
			return err
		}
	}
	if !first {
		return nil
	}
	unit, err := store.CaseUnitDecider(tx, g.Case.ID)
	if err != nil || unit == "" {
		return err
	}
	for _, mem := range members {
		if mem.EmployeeID == unit {
			return nil // already invited as a member
		}
	}
	e, err := store.EmployeeByID(tx, unit)
	if err != nil {
		return err
	}
	if err := store.AddAttendee(tx, &store.Attendee{MeetingID: m.ID, EmployeeID: e.ID, Name: e.Name,
		Role: "coordinating_unit", Part: "first_part"}); err != nil {
		return err
	}
	if routine, err := a.routineHas(tx, g.Case, pathway.EventResponsibilityGroupEstablished,
		pathway.ResponsibleCoordinatingUnit); err != nil || routine {
		return err // the routine's own step asks the unit to attend
	}
	return a.addTask(tx, actor, g.Case, coordTask{Title: taskAttendFirstPart, EmployeeID: e.ID, Due: m.StartsAt})
}

// meetingCase finds the case of a meeting for authorization; an unknown id
// is passed on as the case id, which is then refused and audited like any
// unknown id.
// It also returns the meeting's kind ("" when unknown).
func (a *App) meetingCase(ctx context.Context, meetingID string) (string, string, error) {
	caseID, kind := meetingID, ""
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		m, err := store.MeetingByID(tx, meetingID)
		if err == nil {
			caseID, kind = m.CaseID, m.Kind
		}
		if samordna.ErrorKind(err) == samordna.KindNotFound {
			return nil
		}
		return err
	})
	return caseID, kind, err
}

// organises reports whether the actor organised the cooperation meeting
// and may still write to its case: the organiser manages a cooperation
// meeting as the coordinator manages a group meeting.
func organises(actor *samordna.Actor, g *caseGrant, m *store.Meeting) bool {
	return m.Kind == store.MeetingKindCooperation && m.CreatedBy == actor.Employee.ID &&
		access.Can(accessSubject(actor), access.Write, g.Facts)
}

// withMeeting runs fn for a meeting if the actor may perform the action on
// its case (access.Read or access.Write), or, with coordinate set, only for
// the coordinator and the coordinating unit.
func (a *App) withMeeting(ctx context.Context, actor *samordna.Actor, meetingID, auditAction string, coordinate bool,
	fn func(tx *store.Tx, g *caseGrant, m *store.Meeting) error) error {
	caseID, kind, err := a.meetingCase(ctx, meetingID)
	if err != nil {
		return err
	}
	run := func(tx *store.Tx, g *caseGrant) error {
		m, err := store.MeetingByID(tx, meetingID)
		if err != nil || m.CaseID != g.Case.ID {
			return samordna.ErrNotFound
		}
		return fn(tx, g, m)
	}
	if coordinate && kind == store.MeetingKindCooperation {
		return a.withCaseRule(ctx, actor, caseID, auditAction, func(tx *store.Tx, g *caseGrant) (bool, error) {
			m, err := store.MeetingByID(tx, meetingID)
			if err != nil || m.CaseID != g.Case.ID {
				return false, nil
			}
			return canCoordinate(accessSubject(actor), g.Facts) || organises(actor, g, m), nil
		}, run)
	}
	if coordinate {
		return a.withCoordination(ctx, actor, caseID, auditAction, run)
	}
	return a.withCase(ctx, actor, caseID, access.Read, auditAction, run)
}

// GetMeeting returns a meeting with its attendees and minutes. Finalised
// minutes are checked against their SHA-256 on every read: a mismatch is
// the error minutes_tampered, never shown. One audit row. Who may call:
// readers of the case. Errors: not_found, minutes_tampered (500).
func (a *App) GetMeeting(ctx context.Context, actor *samordna.Actor, meetingID string) (*MeetingView, error) {
	var v *MeetingView
	err := a.withMeeting(ctx, actor, meetingID, "read", false, func(tx *store.Tx, g *caseGrant, m *store.Meeting) error {
		var err error
		if v, err = a.meetingView(tx, actor, g, m); err != nil {
			return err
		}
		return a.auditCase(tx, actor, g, "read", "meeting", m.ID)
	})
	return v, err
}

func (a *App) meetingView(tx *store.Tx, actor *samordna.Actor, g *caseGrant, m *store.Meeting) (*MeetingView, error) {
	v := &MeetingView{Meeting: m, Case: g.Case, CanManage: canCoordinate(access.SubjectOf(actor.Employee), g.Facts)}
	var err error
	if g.Case.SubjectPersonID != "" {
		p, err := store.PersonByID(tx, g.Case.SubjectPersonID)
		if err != nil {
			return nil, err
		}
		v.SubjectName = p.Name
	}
	if m.GroupID != "" {
		if v.Group, err = store.GroupByID(tx, m.GroupID); err != nil {
			return nil, err
		}
		if v.Members, err = store.Members(tx, m.GroupID); err != nil {
			return nil, err
		}
	}
	if v.Coordinator, err = store.CurrentAssignment(tx, g.Case.ID); err != nil {
		return nil, err
	}
	if v.Attendees, err = store.Attendees(tx, m.ID); err != nil {
		return nil, err
	}
	for _, mem := range v.Members {
		if mem.ID == m.ChairMemberID {
			v.Chair = mem
		}
		if mem.ID == m.MinuteTakerID {
			v.MinuteTaker = mem
		}
	}
	v.CanManage = v.CanManage || organises(actor, g, m)
	v.CanWriteMinutes = v.CanManage || (v.MinuteTaker != nil && v.MinuteTaker.EmployeeID == actor.Employee.ID)
	v.OtherBusiness = Prioritise(m.OtherBusiness, m.OtherMinutes)
	if v.Deliveries, err = store.Deliveries(tx, m.ID); err != nil {
		return nil, err
	}
	if err := a.loadMinutes(tx, v); err != nil {
		return nil, err
	}
	if m.Status == store.MeetingPlanned && m.AgendaSentAt == nil && ShortNotice(a.now(), m.StartsAt) && m.StartsAt.After(a.now()) {
		v.Warnings = append(v.Warnings, Warning{Code: "agenda_not_sent",
			Message: fmt.Sprintf("the agenda has not been sent and the meeting is less than %d days away", NoticeDays)})
	}
	return v, nil
}

// SendInvitation records that the agenda, agreed with the person, and the
// invitation were sent to the attendees, and puts an invitation for each
// employee attendee in the outbox. Sending again sends an update. Who may
// call: the coordinator or the coordinating unit. Errors: not_found,
// meeting_not_planned (409).
func (a *App) SendInvitation(ctx context.Context, actor *samordna.Actor, meetingID string) error {
	return a.withMeeting(ctx, actor, meetingID, "send_invitation", true, func(tx *store.Tx, g *caseGrant, m *store.Meeting) error {
		if m.Status != store.MeetingPlanned {
			return samordna.Errorf(samordna.KindConflict, "meeting_not_planned", "the meeting is not planned")
		}
		if err := store.MarkAgendaSent(tx, m.ID, a.now()); err != nil {
			return err
		}
		if err := a.completeOwnTasks(tx, actor, g.Case, sendAgendaTitle(m)); err != nil {
			return err
		}
		att, err := store.Attendees(tx, m.ID)
		if err != nil {
			return err
		}
		if err := a.notifyDetail(tx, employeeIDs(att), NoticeMeetingInvitation, g.Case.ID, NoticeDetail{MeetingID: m.ID}); err != nil {
			return err
		}
		if err := a.caseEvent(tx, actor, g.Case.ID, "meeting_invitation_sent", "meeting", m.ID); err != nil {
			return err
		}
		return a.auditCase(tx, actor, g, "send_invitation", "meeting", m.ID)
	})
}

func employeeIDs(att []*store.Attendee) []string {
	var out []string
	for _, x := range att {
		if x.EmployeeID != "" {
			out = append(out, x.EmployeeID)
		}
	}
	return out
}

// CancelMeeting cancels a planned meeting. Who may call: the coordinator or
// the coordinating unit. Errors: not_found, meeting_not_planned (409).
func (a *App) CancelMeeting(ctx context.Context, actor *samordna.Actor, meetingID string) error {
	return a.withMeeting(ctx, actor, meetingID, "cancel_meeting", true, func(tx *store.Tx, g *caseGrant, m *store.Meeting) error {
		if m.Status != store.MeetingPlanned {
			return samordna.Errorf(samordna.KindConflict, "meeting_not_planned", "the meeting is not planned")
		}
		if err := store.SetMeetingStatus(tx, m.ID, store.MeetingCancelled, a.now()); err != nil {
			return err
		}
		if err := a.caseEvent(tx, actor, g.Case.ID, "meeting_cancelled", "meeting", m.ID); err != nil {
			return err
		}
		return a.auditCase(tx, actor, g, "cancel_meeting", "meeting", m.ID)
	})
}

// MeetingInvite returns the meeting as an iCalendar invitation: local
// times in Europe/Oslo, the coordinator as organiser, every attendee (the
// coordinating unit as optional, for the first part). A cancelled meeting
// gives a cancellation. One audit row. Who may call: readers of the case.
// Errors: not_found.
func (a *App) MeetingInvite(ctx context.Context, actor *samordna.Actor, meetingID string) ([]byte, error) {
	var out []byte
	err := a.withMeeting(ctx, actor, meetingID, "download_invite", false, func(tx *store.Tx, g *caseGrant, m *store.Meeting) error {
		ev, err := a.inviteEvent(tx, m)
		if err != nil {
			return err
		}
		out = ical.Invite(ev, a.now())
		return a.auditCase(tx, actor, g, "download_invite", "meeting", m.ID)
	})
	return out, err
}

// inviteEvent describes the meeting for the calendar. The summary names no
// person: invitations travel by e-mail.
func (a *App) inviteEvent(tx *store.Tx, m *store.Meeting) (ical.Event, error) {
	ev := ical.Event{UID: m.ID + "@samordna", Sequence: m.ICSSequence, Start: m.StartsAt, End: m.EndsAt(),
		Summary: fmt.Sprintf("%s nr. %d", meetingNoun(m), m.Number), Location: m.Place,
		Cancelled: m.Status == store.MeetingCancelled}
	if len(m.Agenda) > 0 {
		ev.Description = "Saksliste:\n" + numbered(m.Agenda)
	}
	k, err := store.CurrentAssignment(tx, m.CaseID)
	if err != nil {
		return ev, err
	}
	if k != nil {
		e, err := store.EmployeeByID(tx, k.EmployeeID)
		if err != nil {
			return ev, err
		}
		ev.Organizer = ical.Person{Name: e.Name, Email: e.Email, URI: "urn:samordna:employee:" + e.ID}
	}
	att, err := store.Attendees(tx, m.ID)
	if err != nil {
		return ev, err
	}
	for _, x := range att {
		uri := "urn:samordna:member:" + x.MemberID
		if x.EmployeeID != "" {
			uri = "urn:samordna:employee:" + x.EmployeeID
		}
		ev.Attendees = append(ev.Attendees, ical.Attendee{Person: ical.Person{Name: x.Name, Email: x.Email, URI: uri},
			Optional: x.Part == "first_part" || x.Part == "matter"})
	}
	return ev, nil
}

// meetingNoun names the kind of meeting in bokmål, for calendars.
func meetingNoun(m *store.Meeting) string {
	if m.Kind == store.MeetingKindCooperation {
		return "Samarbeidsmøte"
	}
	return "Ansvarsgruppemøte"
}

func numbered(items []string) string {
	var b strings.Builder
	for i, it := range items {
		fmt.Fprintf(&b, "%d. %s\n", i+1, it)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// sendAgendaTitle is the title of the task of sending a meeting's agenda.
func sendAgendaTitle(m *store.Meeting) string {
	return fmt.Sprintf("%s: møte nr. %d %s", taskSendAgenda, m.Number, m.StartsAt.In(pathway.Oslo()).Format("02.01.2006"))
}

// Notification kinds of coordination (the outbox row that goes with each
// becomes the e-mail).
const (
	NoticeMeetingInvitation = "meeting_invitation" // invited to a responsibility-group meeting
	NoticeMinutes           = "minutes"            // finalised minutes to read
)

// outbox notifies each recipient employee (an in-app notification with its
// outbox row for the e-mail), naming only the case, never the content, in
// the same transaction as its cause.
func (a *App) outbox(tx *store.Tx, kind string, recipientIDs []string, caseID string) error {
	return a.notify(tx, recipientIDs, kind, caseID, "", "")
}
