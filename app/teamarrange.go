package app

import (
	"context"
	"errors"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/store"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// This file holds what the team pages need to arrange a team's meetings in
// the browser (issue 15; seed 002 §4.1.3 and §4.2): who may do what with a
// team, a meeting and a matter, as the routes' Access strings name it (the
// access matrix asks these same rules); a meeting as its arrangers see it
// before moving or cancelling it — who will be told; the employees one may
// invite, grouped by service; and the chair of one meeting.

// The team actions of the routes' Access strings ("team:arrange",
// "team:submit"), besides those of systemissues.go.
const (
	TeamArrange = "arrange" // fixed members and the administrator: the team page, feed and series
	TeamSubmit  = "submit"  // any employee of the municipality but the administrator: bring a matter
)

// The meeting actions of the routes' Access strings ("team_meeting:read" …).
const (
	MeetingRead    = "read"    // fixed members and invitees: the agenda
	MeetingWrite   = "write"   // fixed members: minutes, invitations
	MeetingArrange = "arrange" // fixed members and the administrator: move, cancel
	MeetingChair   = "chair"   // the team's leader: who chairs the meeting
)

// MatterSubmitter is the matter action of "team_matter:submitter": only
// whoever brought the matter reads it as a submitter.
const MatterSubmitter = "submitter"

// MaxChangeReason bounds the reason for moving or cancelling a meeting.
const MaxChangeReason = 500

// MayTeamMeeting decides the meeting actions with the same rules the use
// cases apply. The access matrix calls it.
func (a *App) MayTeamMeeting(tx *store.Tx, e *samordna.Employee, meetingID, action string) (bool, error) {
	if e == nil || e.Disabled {
		return false, nil
	}
	actor := &samordna.Actor{Employee: e}
	var allow func(*samordna.Team, *store.TeamMeeting, *store.Tx) (bool, error)
	switch action {
	case MeetingRead:
		allow = participantAllowed(actor)
	case MeetingWrite:
		allow = writerAllowed(actor)
	case MeetingArrange:
		allow = arrangeAllowed(actor)
	case MeetingChair:
		allow = chairAllowed(actor)
	default:
		return false, nil
	}
	ok, _, _, err := a.meetingAllowed(tx, actor, meetingID, allow)
	return ok, err
}

// MayTeamMatter decides MatterSubmitter: the employee brought the matter.
// The access matrix calls it.
func (a *App) MayTeamMatter(tx *store.Tx, e *samordna.Employee, matterID, action string) (bool, error) {
	x, err := store.TeamMatterByID(tx, matterID)
	if errors.Is(err, samordna.ErrNotFound) || e == nil || e.Disabled {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return action == MatterSubmitter && x.SubmittedBy == e.ID, nil
}

// chairAllowed: the team's leader chooses who chairs a meeting.
func chairAllowed(actor *samordna.Actor) func(*samordna.Team, *store.TeamMeeting, *store.Tx) (bool, error) {
	return func(t *samordna.Team, _ *store.TeamMeeting, _ *store.Tx) (bool, error) {
		return isTeamMember(actor, t) && t.LeaderID == actor.Employee.ID, nil
	}
}

// MeetingToArrange is a meeting as its arrangers see it before moving or
// cancelling it: no matter and no person in it but the team's own members
// and invitees, who will be told.
type MeetingToArrange struct {
	Team    *samordna.Team
	Meeting *store.TeamMeeting
	// Told are the names of who will be told of a change (the fixed
	// members and the invitees, not the arranger), sorted.
	Told []string
	// Matters is how many matters are on the agenda (they move to the
	// next meeting with room when it is cancelled).
	Matters int
}

// TeamMeetingToArrange returns the meeting for its move and cancel pages.
// One audit row (object_type "team_meeting", action "read").
//
// Who may call: the team's fixed members and the administrator; others get
// samordna.ErrNotFound.
func (a *App) TeamMeetingToArrange(ctx context.Context, actor *samordna.Actor, meetingID string) (*MeetingToArrange, error) {
	var v *MeetingToArrange
	err := a.withTeamMeeting(ctx, actor, meetingID, "read", arrangeAllowed(actor),
		func(tx *store.Tx, t *samordna.Team, m *store.TeamMeeting) error {
			v = &MeetingToArrange{Team: t, Meeting: m}
			ps, err := store.TeamMeetingParticipants(tx, m.ID)
			if err != nil {
				return err
			}
			for _, p := range ps {
				if p.EmployeeID != createdBy(actor) {
					v.Told = append(v.Told, p.Name)
				}
			}
			collate.New(language.Norwegian).SortStrings(v.Told)
			matters, err := store.TeamMattersOfMeeting(tx, m.ID)
			if err != nil {
				return err
			}
			for _, x := range matters {
				if x.Status == store.MatterOnAgenda {
					v.Matters++
				}
			}
			return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "team_meeting", ObjectID: m.ID, Action: "read"})
		})
	return v, err
}

// checkChangeReason trims and checks the reason for moving or cancelling a
// meeting: at most MaxChangeReason characters, and no fødselsnummer (every
// member reads it).
func checkChangeReason(reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	if utf8.RuneCountInString(reason) > MaxChangeReason {
		return "", samordna.Errorf(samordna.KindInvalid, "text_too_long", "the reason is at most %d characters", MaxChangeReason)
	}
	return reason, checkAnonymousText("reason", reason)
}

// notifyMeeting tells everyone taking part in the meeting — the fixed
// members and the invitees — but except, that it changed; the notice
// names no person.
func (a *App) notifyMeeting(tx *store.Tx, m *store.TeamMeeting, kind, except string) error {
	ps, err := store.TeamMeetingParticipants(tx, m.ID)
	if err != nil {
		return err
	}
	for _, p := range ps {
		if p.EmployeeID == except {
			continue
		}
		if err := store.CreateNotification(tx, &store.Notification{EmployeeID: p.EmployeeID, Kind: kind,
			CreatedAt: a.now(), Detail: `{"meeting_id":"` + m.ID + `"}`}); err != nil {
			return err
		}
	}
	return nil
}

// ServiceEmployees are the employees of one service, for a grouped choice.
type ServiceEmployees struct {
	Service   string // the service's name; "" for employees without one
	Employees []*samordna.Employee
}

// InviteChoices returns whom the team's members may invite to the meeting:
// the municipality's active employees who are not the administrator, not
// fixed members and not yet invited, grouped by service (an employee in
// two services is listed under each), services and names in Norwegian
// order. No audit row: names and services of colleagues only.
//
// Who may call: the team's fixed members; others get samordna.ErrNotFound.
func (a *App) InviteChoices(ctx context.Context, actor *samordna.Actor, meetingID string) ([]ServiceEmployees, error) {
	var out []ServiceEmployees
	var denied bool
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		ok, t, m, err := a.meetingAllowed(tx, actor, meetingID, writerAllowed(actor))
		if err != nil || !ok {
			denied = !ok
			return err
		}
		ps, err := store.TeamMeetingParticipants(tx, m.ID)
		if err != nil {
			return err
		}
		taken := map[string]bool{}
		for _, p := range ps {
			taken[p.EmployeeID] = true
		}
		emps, err := store.EmployeesOfMunicipality(tx, t.MunicipalityID)
		if err != nil {
			return err
		}
		groups := map[string][]*samordna.Employee{}
		for _, e := range emps {
			if e.MunicipalityID != t.MunicipalityID || e.Disabled || e.HasRole(samordna.RoleAdmin) ||
				slices.Contains(t.MemberIDs, e.ID) || taken[e.ID] {
				continue
			}
			if len(e.Services) == 0 {
				groups[""] = append(groups[""], e)
			}
			for _, s := range e.Services {
				groups[s.Name] = append(groups[s.Name], e)
			}
		}
		out = sortedGroups(groups)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if denied {
		return nil, a.refuseMeeting(ctx, actor, meetingID, "invite_choices")
	}
	return out, nil
}

// sortedGroups orders the groups by service name (those without a service
// last) and each group's employees by name.
func sortedGroups(groups map[string][]*samordna.Employee) []ServiceEmployees {
	c := collate.New(language.Norwegian)
	var names []string
	for n := range groups {
		if n != "" {
			names = append(names, n)
		}
	}
	c.SortStrings(names)
	if _, ok := groups[""]; ok {
		names = append(names, "")
	}
	var out []ServiceEmployees
	for _, n := range names {
		es := groups[n]
		slices.SortStableFunc(es, func(x, y *samordna.Employee) int { return c.CompareString(x.Name, y.Name) })
		out = append(out, ServiceEmployees{Service: n, Employees: es})
	}
	return out
}

// SetTeamMeetingChair makes a fixed member of the team (employeeID) chair
// the meeting, or the team's leader again when employeeID is "" (seed 002
// §4.1.3: the OST constitutes who leads its meetings). The agenda and the
// minutes show who chairs. One audit row.
//
// Who may call: the team's leader; others get samordna.ErrNotFound.
// Errors: unknown_employee (not a fixed member, KindInvalid);
// meeting_locked (KindConflict).
func (a *App) SetTeamMeetingChair(ctx context.Context, actor *samordna.Actor, meetingID, employeeID string) error {
	return a.withTeamMeeting(ctx, actor, meetingID, "set_chair", chairAllowed(actor),
		func(tx *store.Tx, t *samordna.Team, m *store.TeamMeeting) error {
			if m.Finalised() || m.Status == store.TeamMeetingCancelled {
				return errMeetingLocked
			}
			if employeeID != "" && !slices.Contains(t.MemberIDs, employeeID) {
				return samordna.Errorf(samordna.KindInvalid, "unknown_employee", "the chair is one of the team's fixed members")
			}
			m.ChairID = employeeID
			if err := store.UpdateTeamMeeting(tx, m); err != nil {
				return err
			}
			return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "team_meeting", ObjectID: m.ID, Action: "set_chair"})
		})
}
