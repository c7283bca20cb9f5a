package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/access"
	"github.com/samordna/samordna/internal/ical"
	"github.com/samordna/samordna/store"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// This file is the team meeting (issue 15 point 4; seed 002 §4.2 and
// §4.2.2): its agenda of matters, who takes part (the fixed members and
// invitees for one matter), and the minutes — for each matter the advice,
// who follows up and any onward referral — which are locked when
// finalised, the advice reaching the submitter as a task.

// TeamMeetingView is a meeting as a participant sees it.
type TeamMeetingView struct {
	Team         *samordna.Team
	Meeting      *store.TeamMeeting
	Participants []*store.TeamMeetingParticipant
	Matters      []*MatterView
	// MayWrite: the reader is a fixed member and may write the minutes
	// and arrange the meeting.
	MayWrite bool
	// Chair is the name of who chairs the meeting: the one the team's
	// leader chose for it, else the leader ("" when the team has none).
	Chair string
	// MayChair: the reader is the team's leader and chooses the chair
	// among Members (the fixed members, by name).
	MayChair bool
	Members  []*samordna.Employee
}

// TeamMeetingAgenda returns the meeting with its agenda. A named matter
// shows the person's name and question only while the consent naming the
// person to the team is in force (the access policy's team_agenda rule);
// otherwise it is listed as hidden. One audit row for the meeting and one
// per named matter shown (tied to its case).
//
// Who may call: the team's fixed members, and invitees to this meeting
// (an invitee for one matter sees that matter only); others get
// samordna.ErrNotFound.
func (a *App) TeamMeetingAgenda(ctx context.Context, actor *samordna.Actor, meetingID string) (*TeamMeetingView, error) {
	var v *TeamMeetingView
	var events []samordna.AuditEvent
	denied := false
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		ok, t, m, err := a.meetingAllowed(tx, actor, meetingID, participantAllowed(actor))
		if err != nil || !ok {
			denied = !ok
			return err
		}
		v, events, err = a.teamMeetingView(tx, actor, t, m)
		return err
	})
	if err != nil {
		return nil, err
	}
	if denied {
		return nil, a.refuseMeeting(ctx, actor, meetingID, "read_agenda")
	}
	err = a.DB.WriteGrouped(ctx, func(tx *store.Tx) error {
		for _, ev := range events {
			if err := a.audit(tx, actor, ev); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

// TeamAgenda is TeamMeetingAgenda under the name the other team features
// (system issues, the team report) call it by.
func (a *App) TeamAgenda(ctx context.Context, actor *samordna.Actor, meetingID string) (*TeamMeetingView, error) {
	return a.TeamMeetingAgenda(ctx, actor, meetingID)
}

// refuseMeeting writes a denied audit row for the meeting and returns
// samordna.ErrNotFound.
func (a *App) refuseMeeting(ctx context.Context, actor *samordna.Actor, meetingID, action string) error {
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "team_meeting", ObjectID: truncate(meetingID, 64),
			Action: action, Outcome: samordna.OutcomeDenied})
	})
	if err != nil {
		return err
	}
	return samordna.ErrNotFound
}

// participantAllowed: fixed members and invitees to the meeting.
func participantAllowed(actor *samordna.Actor) func(*samordna.Team, *store.TeamMeeting, *store.Tx) (bool, error) {
	return func(t *samordna.Team, m *store.TeamMeeting, tx *store.Tx) (bool, error) {
		if isTeamMember(actor, t) {
			return true, nil
		}
		p, err := invitee(tx, actor, m.ID)
		return p != nil, err
	}
}

// invitee returns the actor's invitation to the meeting (not as a fixed
// member), or nil.
func invitee(tx *store.Tx, actor *samordna.Actor, meetingID string) (*store.TeamMeetingParticipant, error) {
	if actor == nil || actor.Employee == nil || actor.Employee.HasRole(samordna.RoleAdmin) {
		return nil, nil
	}
	ps, err := store.TeamMeetingParticipants(tx, meetingID)
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		if p.EmployeeID == actor.Employee.ID && p.AdHoc {
			return p, nil
		}
	}
	return nil, nil
}

// teamMeetingView builds the view and the audit rows of reading it.
func (a *App) teamMeetingView(tx *store.Tx, actor *samordna.Actor, t *samordna.Team, m *store.TeamMeeting) (*TeamMeetingView, []samordna.AuditEvent, error) {
	v := &TeamMeetingView{Team: t, Meeting: m, MayWrite: isTeamMember(actor, t)}
	var err error
	if v.Participants, err = store.TeamMeetingParticipants(tx, m.ID); err != nil {
		return nil, nil, err
	}
	if err := chairOf(tx, actor, v); err != nil {
		return nil, nil, err
	}
	inv, err := invitee(tx, actor, m.ID)
	if err != nil {
		return nil, nil, err
	}
	matters, err := store.TeamMattersOfMeeting(tx, m.ID)
	if err != nil {
		return nil, nil, err
	}
	events := []samordna.AuditEvent{{ObjectType: "team_meeting", ObjectID: m.ID, Action: "read_agenda"}}
	for _, x := range matters {
		if !v.MayWrite && inv != nil && inv.MatterID != "" && inv.MatterID != x.ID {
			continue
		}
		show := x.Anonymous
		var reason access.Reason
		if !x.Anonymous {
			g, ok, err := a.authorizeCase(tx, actor, x.CaseID, access.Read)
			if err != nil {
				return nil, nil, err
			}
			show, reason = ok, g.Reason
		}
		mv, err := a.matterView(tx, x, show && !x.Anonymous)
		if err != nil {
			return nil, nil, err
		}
		if !show {
			mv.Hidden = true
			hidden := *x
			hidden.Question, hidden.Reason, hidden.Advice = "", "", ""
			mv.Matter = &hidden
		} else if !x.Anonymous {
			events = append(events, samordna.AuditEvent{ObjectType: "team_matter", ObjectID: x.ID, Action: "read",
				CaseID: x.CaseID, PersonID: x.PersonID, Purpose: string(reason)})
		}
		v.Matters = append(v.Matters, mv)
	}
	return v, events, nil
}

// chairOf fills the view's chair and, for the team's leader, the members
// to choose among.
func chairOf(tx *store.Tx, actor *samordna.Actor, v *TeamMeetingView) error {
	id := v.Meeting.ChairID
	if id == "" {
		id = v.Team.LeaderID
	}
	if id != "" {
		e, err := store.EmployeeByID(tx, id)
		if err != nil && !errors.Is(err, samordna.ErrNotFound) {
			return err
		}
		if e != nil {
			v.Chair = e.Name
		}
	}
	v.MayChair, _ = chairAllowed(actor)(v.Team, v.Meeting, tx)
	if !v.MayChair {
		return nil
	}
	for _, mid := range v.Team.MemberIDs {
		e, err := store.EmployeeByID(tx, mid)
		if errors.Is(err, samordna.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		v.Members = append(v.Members, e)
	}
	c := collate.New(language.Norwegian)
	slices.SortStableFunc(v.Members, func(x, y *samordna.Employee) int { return c.CompareString(x.Name, y.Name) })
	return nil
}

// AddTeamMeetingInvitee invites an employee who is not a fixed member to
// one meeting (seed 002 §4.1–4.2: "andre ved behov"), for the whole
// meeting or for one matter on its agenda (matterID). The invitee reads
// the agenda (for one matter: that matter) and, while consent covers it,
// the matter's case — to read only. A notification tells them. One audit
// row.
//
// Who may call: the team's fixed members. Errors: unknown_employee,
// unknown_matter (KindInvalid); meeting_locked (KindConflict).
func (a *App) AddTeamMeetingInvitee(ctx context.Context, actor *samordna.Actor, meetingID, employeeID, matterID string) error {
	allow := func(t *samordna.Team, _ *store.TeamMeeting, _ *store.Tx) (bool, error) {
		return isTeamMember(actor, t), nil
	}
	return a.withTeamMeeting(ctx, actor, meetingID, "invite", allow,
		func(tx *store.Tx, t *samordna.Team, m *store.TeamMeeting) error {
			if m.Status != store.TeamMeetingPlanned || m.Finalised() {
				return errMeetingLocked
			}
			e, err := store.EmployeeByID(tx, employeeID)
			if errors.Is(err, samordna.ErrNotFound) || (err == nil && (e.MunicipalityID != t.MunicipalityID || e.Disabled ||
				e.HasRole(samordna.RoleAdmin))) {
				return samordna.Errorf(samordna.KindInvalid, "unknown_employee", "no such employee")
			}
			if err != nil {
				return err
			}
			if matterID != "" {
				x, err := store.TeamMatterByID(tx, matterID)
				if errors.Is(err, samordna.ErrNotFound) || (err == nil && x.MeetingID != m.ID) {
					return samordna.Errorf(samordna.KindInvalid, "unknown_matter", "the matter is not on this meeting's agenda")
				}
				if err != nil {
					return err
				}
			}
			if slices.Contains(t.MemberIDs, e.ID) {
				return nil
			}
			if err := store.AddTeamMeetingParticipant(tx, &store.TeamMeetingParticipant{MeetingID: m.ID, EmployeeID: e.ID,
				AdHoc: true, MatterID: matterID}); err != nil {
				return err
			}
			if err := store.CreateNotification(tx, &store.Notification{EmployeeID: e.ID, Kind: "team_meeting_invitation",
				CreatedAt: a.now(), Detail: `{"meeting_id":"` + m.ID + `"}`}); err != nil {
				return err
			}
			return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "team_meeting", ObjectID: m.ID, Action: "invite"})
		})
}

// MatterOutcome is what the meeting concluded on one matter.
type MatterOutcome struct {
	MatterID   string
	Advice     string // the advice given; empty: not discussed, moves to the next meeting
	FollowUpBy string // username of who follows up; default the submitter
	Referral   string // one of Referrals, or ""
}

// TeamMinutes is the input for FinaliseTeamMinutes.
type TeamMinutes struct {
	Present  []string // employee ids of the participants present
	Summary  string   // the minutes' general text (no names of persons in anonymous matters)
	Outcomes []MatterOutcome
}

// CheckTeamMinutes validates the minutes without storing them, for the
// review page before finalising. Who may call and errors: as
// FinaliseTeamMinutes.
func (a *App) CheckTeamMinutes(ctx context.Context, actor *samordna.Actor, meetingID string, in TeamMinutes) error {
	var denied bool
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		ok, _, m, err := a.meetingAllowed(tx, actor, meetingID, writerAllowed(actor))
		if err != nil || !ok {
			denied = !ok
			return err
		}
		_, err = a.checkMinutes(tx, m, in)
		return err
	})
	if err != nil {
		return err
	}
	if denied {
		return a.refuseMeeting(ctx, actor, meetingID, "check_minutes")
	}
	return nil
}

// writerAllowed: the team's fixed members write the minutes.
func writerAllowed(actor *samordna.Actor) func(*samordna.Team, *store.TeamMeeting, *store.Tx) (bool, error) {
	return func(t *samordna.Team, _ *store.TeamMeeting, _ *store.Tx) (bool, error) {
		return isTeamMember(actor, t), nil
	}
}

// checkedOutcome is a validated outcome with its matter.
type checkedOutcome struct {
	matter   *store.TeamMatter
	outcome  MatterOutcome
	followUp string // employee id
}

// checkMinutes validates the minutes against the meeting.
func (a *App) checkMinutes(tx *store.Tx, m *store.TeamMeeting, in TeamMinutes) ([]checkedOutcome, error) {
	switch {
	case m.Finalised() || m.Status == store.TeamMeetingCancelled:
		return nil, errMeetingLocked
	case m.StartsAt.After(a.now()):
		return nil, samordna.Errorf(samordna.KindRule, "meeting_not_started", "minutes are finalised after the meeting has started")
	case utf8.RuneCountInString(in.Summary) > MaxMatterText:
		return nil, samordna.Errorf(samordna.KindInvalid, "text_too_long", "the minutes are at most %d characters", MaxMatterText)
	}
	matters, err := store.TeamMattersOfMeeting(tx, m.ID)
	if err != nil {
		return nil, err
	}
	var out []checkedOutcome
	for _, o := range in.Outcomes {
		i := slices.IndexFunc(matters, func(x *store.TeamMatter) bool { return x.ID == o.MatterID })
		if i < 0 {
			return nil, samordna.Errorf(samordna.KindInvalid, "unknown_matter", "the matter is not on this meeting's agenda")
		}
		x := matters[i]
		o.Advice = strings.TrimSpace(o.Advice)
		if utf8.RuneCountInString(o.Advice) > MaxMatterText {
			return nil, samordna.Errorf(samordna.KindInvalid, "text_too_long", "the advice is at most %d characters", MaxMatterText)
		}
		if o.Referral != "" && !slices.Contains(Referrals, o.Referral) {
			return nil, samordna.Errorf(samordna.KindInvalid, "invalid_referral",
				"referral is coordinating_unit, child_welfare, ppt, bup or family_counselling")
		}
		if o.Advice == "" {
			if o.Referral != "" {
				return nil, samordna.Errorf(samordna.KindInvalid, "advice_required", "a referral needs the advice that goes with it")
			}
			continue
		}
		if x.Anonymous {
			if err := checkAnonymousText("advice", o.Advice); err != nil {
				return nil, err
			}
		}
		c := checkedOutcome{matter: x, outcome: o, followUp: x.SubmittedBy}
		if u := strings.TrimSpace(o.FollowUpBy); u != "" {
			e, _, err := store.EmployeeByUsername(tx, u)
			if errors.Is(err, samordna.ErrNotFound) || (err == nil && e.MunicipalityID != x.MunicipalityID) {
				return nil, samordna.Errorf(samordna.KindInvalid, "unknown_employee", "no such employee to follow up")
			}
			if err != nil {
				return nil, err
			}
			c.followUp = e.ID
		}
		out = append(out, c)
	}
	// The minutes' text is read by every member, also after a named
	// matter's consent has ended: it may not identify anyone.
	if err := checkAnonymousText("summary", in.Summary); err != nil {
		return nil, err
	}
	return out, nil
}

// FinaliseTeamMinutes records the meeting's attendance and, for each
// matter discussed, the advice, who follows up and the onward referral,
// and locks the minutes: the meeting is held and nothing in it changes
// again. Each discussed matter's advice reaches its submitter (or who
// follows up) as a task on the matter's case, with a notification; a
// referral is part of that task ("a step the submitter takes with the
// family"). Matters left without advice move to the next meeting with
// room. One audit row for the meeting and one per matter (tied to its
// case).
//
// Who may call: the team's fixed members; others get samordna.ErrNotFound.
// Errors: text_too_long, invalid_referral, unknown_matter,
// unknown_employee, advice_required — KindInvalid; identifying_data
// (advice on an anonymous matter or the summary holding a fødselsnummer),
// meeting_not_started — KindRule; meeting_locked (KindConflict).
func (a *App) FinaliseTeamMinutes(ctx context.Context, actor *samordna.Actor, meetingID string, in TeamMinutes) error {
	return a.withTeamMeeting(ctx, actor, meetingID, "finalise_minutes", writerAllowed(actor),
		func(tx *store.Tx, t *samordna.Team, m *store.TeamMeeting) error {
			outcomes, err := a.checkMinutes(tx, m, in)
			if err != nil {
				return err
			}
			return a.finaliseTeamMinutes(tx, actor, t, m, in, outcomes)
		})
}

// finaliseTeamMinutes stores validated minutes inside tx.
func (a *App) finaliseTeamMinutes(tx *store.Tx, actor *samordna.Actor, t *samordna.Team, m *store.TeamMeeting, in TeamMinutes, outcomes []checkedOutcome) error {
	ps, err := store.TeamMeetingParticipants(tx, m.ID)
	if err != nil {
		return err
	}
	for _, p := range ps {
		if err := store.SetTeamMeetingAttendance(tx, m.ID, p.EmployeeID, slices.Contains(in.Present, p.EmployeeID)); err != nil {
			return err
		}
	}
	now := a.now()
	for _, c := range outcomes {
		x := c.matter
		x.Advice, x.FollowUpBy, x.Referral, x.Status, x.DiscussedAt = c.outcome.Advice, c.followUp, c.outcome.Referral,
			store.MatterDiscussed, &now
		task, err := a.adviceTask(tx, t, m, x)
		if err != nil {
			return err
		}
		x.AdviceTaskID = task.ID
		if err := store.SetTeamMatterOutcome(tx, x); err != nil {
			return err
		}
		if err := store.AddCaseEvent(tx, &samordna.CaseEvent{CaseID: x.CaseID, At: now, ActorID: actor.Employee.ID,
			Kind: "team_advice", RefType: "team_matter", RefID: x.ID}); err != nil {
			return err
		}
		if err := a.audit(tx, actor, samordna.AuditEvent{ObjectType: "team_matter", ObjectID: x.ID, Action: "record_advice",
			CaseID: x.CaseID, PersonID: x.PersonID}); err != nil {
			return err
		}
	}
	if err := store.FinaliseTeamMeeting(tx, m.ID, strings.TrimSpace(in.Summary), actor.Employee.ID, now); err != nil {
		return err
	}
	if err := a.moveMattersOn(tx, m); err != nil {
		return err
	}
	return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "team_meeting", ObjectID: m.ID, Action: "finalise_minutes"})
}

// referralTitles name the onward referral steps in the task title (the
// routine's language, bokmål, as routine step titles are).
var referralTitles = map[string]string{
	"coordinating_unit":  "koordinerende enhet",
	"child_welfare":      "barneverntjenesten",
	"ppt":                "PPT",
	"bup":                "BUP",
	"family_counselling": "familievernkontoret",
}

// adviceTask gives who follows up the matter a task on its case: follow up
// the team's advice, and make the onward referral with the family.
func (a *App) adviceTask(tx *store.Tx, t *samordna.Team, m *store.TeamMeeting, x *store.TeamMatter) (*store.Task, error) {
	date := m.StartsAt.In(osloZone()).Format("02.01.2006")
	title := fmt.Sprintf("Følg opp rådet fra %s (møtet %s)", t.Name, date)
	if r := referralTitles[x.Referral]; r != "" {
		title = fmt.Sprintf("Henvis videre til %s sammen med familien (råd fra %s, møtet %s)", r, t.Name, date)
	}
	now := a.now()
	due := now.AddDate(0, 0, 14)
	task := &store.Task{CaseID: x.CaseID, MunicipalityID: x.MunicipalityID, Kind: store.TaskKindTeamAdvice, Title: title,
		Responsible: "employee", AssigneeKind: store.AssignEmployee, EmployeeID: x.FollowUpBy, Status: store.TaskOpen,
		StartedAt: now, DueAt: &due, OverdueAfter: &due, CreatedAt: now}
	if err := store.CreateTask(tx, task); err != nil {
		return nil, err
	}
	return task, store.CreateNotification(tx, &store.Notification{EmployeeID: x.FollowUpBy, Kind: "team_advice",
		CaseID: x.CaseID, TaskID: task.ID, CreatedAt: now})
}

// TeamPageView is a team's own page for its members: its series, its
// meetings of the year around now and the matters waiting for room.
type TeamPageView struct {
	Team     *samordna.Team
	District string
	Leader   string
	Members  []string // names
	Series   *store.TeamSeries
	Meetings []*store.TeamMeeting
	Waiting  int
	Counts   map[string]int // matters per meeting id
	MayWrite bool
}

// TeamPage returns the team's page. Who may call: the team's fixed
// members and the administrator (no personal data on it); others get
// samordna.ErrNotFound. One audit row.
func (a *App) TeamPage(ctx context.Context, actor *samordna.Actor, teamID string) (*TeamPageView, error) {
	var v *TeamPageView
	err := a.withTeam(ctx, actor, teamID, "read", func(t *samordna.Team) bool { return mayArrange(actor, t) },
		func(tx *store.Tx, t *samordna.Team) error {
			v = &TeamPageView{Team: t, MayWrite: isTeamMember(actor, t), Counts: map[string]int{}}
			names, err := districtNames(tx)
			if err != nil {
				return err
			}
			v.District = names[t.DistrictID]
			for _, id := range t.MemberIDs {
				if e, err := store.EmployeeByID(tx, id); err == nil {
					v.Members = append(v.Members, e.Name)
					if id == t.LeaderID {
						v.Leader = e.Name
					}
				}
			}
			collate.New(language.Norwegian).SortStrings(v.Members)
			if v.Series, err = store.TeamSeriesOf(tx, t.ID); errors.Is(err, samordna.ErrNotFound) {
				v.Series = nil
			} else if err != nil {
				return err
			}
			if v.Meetings, err = store.AllTeamMeetings(tx, t.ID); err != nil {
				return err
			}
			waiting, err := store.WaitingTeamMatters(tx, t.ID)
			if err != nil {
				return err
			}
			v.Waiting = len(waiting)
			all, err := store.TeamMattersOfTeam(tx, t.ID)
			if err != nil {
				return err
			}
			for _, x := range all {
				if x.MeetingID != "" && x.Status != store.MatterWithdrawn {
					v.Counts[x.MeetingID]++
				}
			}
			return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "team", ObjectID: t.ID, Action: "read"})
		})
	return v, err
}

// TeamFeed returns the team's meetings as an iCalendar feed: the series
// as one event with its RRULE (Europe/Oslo), cancelled meetings as
// EXDATEs, moved ones as RECURRENCE-ID overrides, and meetings outside the
// series as events of their own. It names no person besides the members.
// One audit row.
//
// Who may call: the team's fixed members and the administrator.
func (a *App) TeamFeed(ctx context.Context, actor *samordna.Actor, teamID string) ([]byte, error) {
	var out []byte
	err := a.withTeam(ctx, actor, teamID, "read_feed", func(t *samordna.Team) bool { return mayArrange(actor, t) },
		func(tx *store.Tx, t *samordna.Team) error {
			var err error
			if out, err = a.teamFeed(tx, t); err != nil {
				return err
			}
			return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "team", ObjectID: t.ID, Action: "read_feed"})
		})
	return out, err
}

// teamFeed builds the feed inside tx.
func (a *App) teamFeed(tx *store.Tx, t *samordna.Team) ([]byte, error) {
	meetings, err := store.AllTeamMeetings(tx, t.ID)
	if err != nil {
		return nil, err
	}
	var attendees []ical.Attendee
	var organizer ical.Person
	for _, id := range t.MemberIDs {
		e, err := store.EmployeeByID(tx, id)
		if err != nil {
			return nil, err
		}
		p := ical.Person{Name: e.Name, Email: e.Email, URI: "urn:samordna:employee:" + e.ID}
		attendees = append(attendees, ical.Attendee{Person: p})
		if id == t.LeaderID || organizer.Name == "" {
			organizer = p
		}
	}
	summary := "Møte i " + t.Name
	var series *ical.Series
	var extra []ical.Event
	var inSeries map[time.Time]bool // the original starts the current series' rule gives
	s, err := store.TeamSeriesOf(tx, t.ID)
	if err != nil && !errors.Is(err, samordna.ErrNotFound) {
		return nil, err
	}
	if s != nil {
		length := time.Duration(s.DurationMinutes) * time.Minute
		series = &ical.Series{Event: ical.Event{UID: "team-" + t.ID + "@samordna", Sequence: s.Sequence,
			Start: s.FirstStartsAt, End: s.FirstStartsAt.Add(length), Summary: summary, Location: s.Place,
			Organizer: organizer, Attendees: attendees},
			RRule: SeriesRRule(s.Rule, s.FirstStartsAt, s.Until)}
		inSeries = map[time.Time]bool{}
		for _, st := range SeriesStarts(s.Rule, s.FirstStartsAt, s.Until) {
			inSeries[st] = true
		}
		for _, m := range meetings {
			if m.SeriesStart == nil || !inSeries[m.SeriesStart.UTC()] {
				continue
			}
			switch {
			case m.Status == store.TeamMeetingCancelled:
				series.Cancelled = append(series.Cancelled, *m.SeriesStart)
			case !m.StartsAt.Equal(*m.SeriesStart) || m.Place != s.Place || !m.EndsAt.Equal(m.StartsAt.Add(length)):
				series.Moved = append(series.Moved, ical.Occurrence{Original: *m.SeriesStart, Event: ical.Event{
					Start: m.StartsAt, End: m.EndsAt, Summary: summary, Location: m.Place, Organizer: organizer,
					Attendees: attendees}})
			}
		}
	}
	for _, m := range meetings {
		if m.SeriesStart != nil && inSeries[m.SeriesStart.UTC()] {
			continue
		}
		extra = append(extra, ical.Event{UID: "team-meeting-" + m.ID + "@samordna", Sequence: m.Sequence,
			Start: m.StartsAt, End: m.EndsAt, Summary: summary, Location: m.Place, Organizer: organizer,
			Attendees: attendees, Cancelled: m.Status == store.TeamMeetingCancelled})
	}
	return ical.Feed(t.Name, series, extra, a.now()), nil
}

// EmployeeIDByUsername returns the id of the employee of the actor's
// municipality with the username, for the forms and API fields that name
// employees by username. Who may call: any signed-in employee. Errors:
// unknown_employee (KindInvalid).
func (a *App) EmployeeIDByUsername(ctx context.Context, actor *samordna.Actor, username string) (string, error) {
	if actor == nil || actor.Employee == nil {
		return "", samordna.ErrNotFound
	}
	var id string
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		e, _, err := store.EmployeeByUsername(tx, strings.TrimSpace(username))
		if errors.Is(err, samordna.ErrNotFound) || (err == nil && e.MunicipalityID != actor.Employee.MunicipalityID) {
			return samordna.Errorf(samordna.KindInvalid, "unknown_employee", "no such employee")
		}
		if err != nil {
			return err
		}
		id = e.ID
		return nil
	})
	return id, err
}
