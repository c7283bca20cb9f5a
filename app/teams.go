package app

import (
	"context"
	"errors"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/store"
)

// This file is teams that meet (issue 15; seed 002 §3.3, §4.1–4.2; seed 003
// row 2): a team's meeting series from its rule, meetings moved or
// cancelled one at a time, and the intake of matters — a school or
// kindergarten brings a matter to its district's TST, anonymously or by
// name with a consent naming the person to that team; another district's
// team needs a reason; the OST takes no named matters. A matter goes on
// the agenda of the next meeting with room; the submitter sees where it
// stands.
//
// Who may do what:
//   - any employee of the municipality (not the administrator) lists the
//     teams and brings matters to them;
//   - the team's fixed members (its leader is one) arrange its meetings,
//     invite others to one meeting, read the agenda and write and
//     finalise the minutes; the administrator may also arrange meetings
//     (no personal data), but never sees an agenda;
//   - invitees read the agenda of their meeting (for one matter: that
//     matter only).
//
// Everyone else gets samordna.ErrNotFound, with a denied audit row.

// MaxMatterText bounds the question, the reason and the advice.
const MaxMatterText = 5000

// Referrals are the onward referrals a team may recommend (seed 002 §4.2.2).
var Referrals = []string{"coordinating_unit", "child_welfare", "ppt", "bup", "family_counselling"}

// TeamInfo is a team as the intake lists it.
type TeamInfo struct {
	Team         *samordna.Team
	District     string     // the district's name, "" for a municipality-wide team
	NextMeeting  *time.Time // the next planned meeting's start, nil when none
	OwnDistrict  bool       // the caller's service belongs to the team's district (or submits to it)
	Member       bool       // the caller is a fixed member
	MeetingCount int        // planned meetings ahead
}

// Teams lists the municipality's teams for the intake. Who may call: any
// signed-in employee (the administrator too: the list holds no personal
// data). No audit row.
func (a *App) Teams(ctx context.Context, actor *samordna.Actor) ([]*TeamInfo, error) {
	if actor == nil || actor.Employee == nil {
		return nil, samordna.ErrNotFound
	}
	var out []*TeamInfo
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		teams, err := store.TeamsOfMunicipality(tx, actor.Employee.MunicipalityID)
		if err != nil {
			return err
		}
		districts, err := districtNames(tx)
		if err != nil {
			return err
		}
		next, err := store.NextTeamMeetingStarts(tx, actor.Employee.MunicipalityID, a.now())
		if err != nil {
			return err
		}
		for _, t := range teams {
			info := &TeamInfo{Team: t, District: districts[t.DistrictID], OwnDistrict: ownDistrict(actor, t),
				Member: slices.Contains(t.MemberIDs, actor.Employee.ID)}
			if s, ok := next[t.ID]; ok {
				info.NextMeeting = &s
			}
			out = append(out, info)
		}
		return nil
	})
	return out, err
}

// districtNames maps district ids to names.
func districtNames(tx *store.Tx) (map[string]string, error) {
	rows, err := tx.Query(`SELECT id, name FROM districts`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id, name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		out[id] = name
	}
	return out, rows.Err()
}

// ownDistrict reports whether one of the actor's services submits to the
// team (its intake list) or lies in the team's district. A team without a
// district takes matters from anyone.
func ownDistrict(actor *samordna.Actor, t *samordna.Team) bool {
	if t.DistrictID == "" {
		return true
	}
	for _, s := range actor.Employee.Services {
		if slices.Contains(t.SubmitterIDs, s.ID) || (s.DistrictID != "" && s.DistrictID == t.DistrictID) {
			return true
		}
	}
	return false
}

// teamOf returns the team when it belongs to the actor's municipality,
// else samordna.ErrNotFound.
func teamOf(tx *store.Tx, actor *samordna.Actor, teamID string) (*samordna.Team, error) {
	t, err := store.TeamByID(tx, teamID)
	if err != nil {
		return nil, err
	}
	if actor != nil && actor.Employee != nil && t.MunicipalityID != actor.Employee.MunicipalityID {
		return nil, samordna.ErrNotFound
	}
	return t, nil
}

// isTeamMember reports whether the actor is one of the team's fixed members.
func isTeamMember(actor *samordna.Actor, t *samordna.Team) bool {
	return actor != nil && actor.Employee != nil && !actor.Employee.HasRole(samordna.RoleAdmin) &&
		slices.Contains(t.MemberIDs, actor.Employee.ID)
}

// mayArrange: the team's fixed members and the administrator (or the
// command line) arrange its meetings.
func mayArrange(actor *samordna.Actor, t *samordna.Team) bool {
	return isAdminOrCLI(actor) || isTeamMember(actor, t)
}

// withTeam runs fn in a write transaction when allow says the actor may act
// on the team; otherwise it writes a denied audit row and returns
// samordna.ErrNotFound. fn writes its own allowed audit row.
func (a *App) withTeam(ctx context.Context, actor *samordna.Actor, teamID, action string,
	allow func(*samordna.Team) bool, fn func(tx *store.Tx, t *samordna.Team) error) error {
	denied := false
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		t, err := teamOf(tx, actor, teamID)
		if errors.Is(err, samordna.ErrNotFound) || (err == nil && !allow(t)) {
			denied = true
			return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "team", ObjectID: truncate(teamID, 64),
				Action: action, Outcome: samordna.OutcomeDenied})
		}
		if err != nil {
			return err
		}
		return fn(tx, t)
	})
	if err != nil {
		return err
	}
	if denied {
		return samordna.ErrNotFound
	}
	return nil
}

// withTeamMeeting is withTeam for one meeting of the team.
func (a *App) withTeamMeeting(ctx context.Context, actor *samordna.Actor, meetingID, action string,
	allow func(*samordna.Team, *store.TeamMeeting, *store.Tx) (bool, error),
	fn func(tx *store.Tx, t *samordna.Team, m *store.TeamMeeting) error) error {
	denied := false
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		ok, t, m, err := a.meetingAllowed(tx, actor, meetingID, allow)
		if err != nil {
			return err
		}
		if !ok {
			denied = true
			return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "team_meeting", ObjectID: truncate(meetingID, 64),
				Action: action, Outcome: samordna.OutcomeDenied})
		}
		return fn(tx, t, m)
	})
	if err != nil {
		return err
	}
	if denied {
		return samordna.ErrNotFound
	}
	return nil
}

// meetingAllowed loads the meeting and its team and asks allow.
func (a *App) meetingAllowed(tx *store.Tx, actor *samordna.Actor, meetingID string,
	allow func(*samordna.Team, *store.TeamMeeting, *store.Tx) (bool, error)) (bool, *samordna.Team, *store.TeamMeeting, error) {
	m, err := store.TeamMeetingByID(tx, meetingID)
	if errors.Is(err, samordna.ErrNotFound) {
		return false, nil, nil, nil
	}
	if err != nil {
		return false, nil, nil, err
	}
	t, err := teamOf(tx, actor, m.TeamID)
	if errors.Is(err, samordna.ErrNotFound) {
		return false, nil, nil, nil
	}
	if err != nil {
		return false, nil, nil, err
	}
	ok, err := allow(t, m, tx)
	return ok, t, m, err
}

// arrangeAllowed is the allow function for arranging a meeting.
func arrangeAllowed(actor *samordna.Actor) func(*samordna.Team, *store.TeamMeeting, *store.Tx) (bool, error) {
	return func(t *samordna.Team, _ *store.TeamMeeting, _ *store.Tx) (bool, error) {
		return mayArrange(actor, t), nil
	}
}

// NewTeamSeries is the input for PlanTeamSeries.
type NewTeamSeries struct {
	FirstStartsAt   time.Time // the first meeting; later ones follow the team's rule
	DurationMinutes int       // default 120
	Until           time.Time // the last day of the series (default a year after the first)
	Place           string
	Capacity        int // matters per meeting (default 6)
}

// TeamSeriesResult is what PlanTeamSeries made.
type TeamSeriesResult struct {
	Series   *store.TeamSeries
	Meetings []*store.TeamMeeting
}

// PlanTeamSeries sets up the team's meeting series from its meeting rule:
// every meeting from the first to Until, each with the team's fixed
// members invited (a notification each, with the iCalendar feed). A team
// that has a series keeps the meetings already planned; meetings of the
// new series that coincide with an existing occurrence are not doubled.
// One audit row (object_type "team", action "plan_series").
//
// Who may call: the team's fixed members and the administrator; others
// get samordna.ErrNotFound. Errors: no_series_rule (the team's rule is
// unset or "as_needed"), invalid_time, invalid_duration, text_too_long —
// KindInvalid.
func (a *App) PlanTeamSeries(ctx context.Context, actor *samordna.Actor, teamID string, in NewTeamSeries) (*TeamSeriesResult, error) {
	var out *TeamSeriesResult
	err := a.withTeam(ctx, actor, teamID, "plan_series", func(t *samordna.Team) bool { return mayArrange(actor, t) },
		func(tx *store.Tx, t *samordna.Team) error {
			var err error
			if out, err = a.planTeamSeries(tx, actor, t, in); err != nil {
				return err
			}
			return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "team", ObjectID: t.ID, Action: "plan_series"})
		})
	return out, err
}

// planTeamSeries is PlanTeamSeries inside tx, without the access check.
func (a *App) planTeamSeries(tx *store.Tx, actor *samordna.Actor, t *samordna.Team, in NewTeamSeries) (*TeamSeriesResult, error) {
	if !RuleMakesSeries(t.MeetingRule) {
		return nil, samordna.Errorf(samordna.KindInvalid, "no_series_rule",
			"the team meets as needed (or has no meeting rule): plan its meetings one at a time")
	}
	if in.DurationMinutes == 0 {
		in.DurationMinutes = 120
	}
	if in.Until.IsZero() {
		in.Until = in.FirstStartsAt.AddDate(1, 0, 0)
	}
	in.Place = strings.TrimSpace(in.Place)
	switch {
	case in.FirstStartsAt.IsZero() || in.Until.Before(in.FirstStartsAt) || in.Until.After(in.FirstStartsAt.AddDate(3, 0, 0)):
		return nil, samordna.Errorf(samordna.KindInvalid, "invalid_time",
			"the series needs a first meeting and an end at most three years later")
	case in.DurationMinutes < 15 || in.DurationMinutes > 480:
		return nil, samordna.Errorf(samordna.KindInvalid, "invalid_duration", "a meeting lasts 15 to 480 minutes")
	case utf8.RuneCountInString(in.Place) > 200:
		return nil, samordna.Errorf(samordna.KindInvalid, "text_too_long", "the place is at most 200 characters")
	}
	starts := SeriesStarts(t.MeetingRule, in.FirstStartsAt, in.Until)
	if len(starts) == 0 {
		return nil, samordna.Errorf(samordna.KindInvalid, "invalid_time", "the series holds no meeting")
	}
	s := &store.TeamSeries{TeamID: t.ID, Rule: t.MeetingRule, FirstStartsAt: starts[0], DurationMinutes: in.DurationMinutes,
		Until: in.Until.UTC(), Place: in.Place, CreatedBy: createdBy(actor), CreatedAt: a.now()}
	if old, err := store.TeamSeriesOf(tx, t.ID); err == nil {
		s.Sequence = old.Sequence + 1
	} else if !errors.Is(err, samordna.ErrNotFound) {
		return nil, err
	}
	if err := store.SaveTeamSeries(tx, s); err != nil {
		return nil, err
	}
	existing, err := store.AllTeamMeetings(tx, t.ID)
	if err != nil {
		return nil, err
	}
	res := &TeamSeriesResult{Series: s}
	if err := a.cancelOutsideSeries(tx, existing, starts); err != nil {
		return nil, err
	}
	for _, start := range starts {
		if hasSeriesStart(existing, start) {
			continue
		}
		st := start
		m := &store.TeamMeeting{TeamID: t.ID, SeriesStart: &st, StartsAt: start,
			EndsAt: start.Add(time.Duration(in.DurationMinutes) * time.Minute), Place: in.Place, Capacity: in.Capacity,
			CreatedAt: a.now()}
		if err := store.CreateTeamMeeting(tx, m); err != nil {
			return nil, err
		}
		for _, id := range t.MemberIDs {
			if err := store.AddTeamMeetingParticipant(tx, &store.TeamMeetingParticipant{MeetingID: m.ID, EmployeeID: id}); err != nil {
				return nil, err
			}
		}
		res.Meetings = append(res.Meetings, m)
	}
	if err := a.placeWaitingMatters(tx, t.ID); err != nil {
		return nil, err
	}
	return res, a.notifyTeam(tx, t, "team_series_planned", "")
}

// cancelOutsideSeries cancels the coming planned meetings of an earlier
// series that the new series does not hold, moving their matters on.
func (a *App) cancelOutsideSeries(tx *store.Tx, existing []*store.TeamMeeting, starts []time.Time) error {
	for _, m := range existing {
		if m.SeriesStart == nil || m.Status != store.TeamMeetingPlanned || !m.StartsAt.After(a.now()) ||
			slices.ContainsFunc(starts, func(t time.Time) bool { return t.Equal(*m.SeriesStart) }) {
			continue
		}
		m.Status = store.TeamMeetingCancelled
		m.Sequence++
		if err := store.UpdateTeamMeeting(tx, m); err != nil {
			return err
		}
		if err := a.moveMattersOn(tx, m); err != nil {
			return err
		}
	}
	return nil
}

// createdBy is the acting employee's id, "" for the command line or the
// demo seeder (stored as NULL).
func createdBy(actor *samordna.Actor) string {
	if actor != nil && actor.Employee != nil {
		return actor.Employee.ID
	}
	return ""
}

// hasSeriesStart reports whether a meeting of the series with that
// original start exists.
func hasSeriesStart(ms []*store.TeamMeeting, start time.Time) bool {
	for _, m := range ms {
		if m.SeriesStart != nil && m.SeriesStart.Equal(start) {
			return true
		}
	}
	return false
}

// notifyTeam tells every fixed member (in the app and by e-mail, through the
// outbox) that the team's meetings changed; the notice names no person.
func (a *App) notifyTeam(tx *store.Tx, t *samordna.Team, kind, except string) error {
	for _, id := range t.MemberIDs {
		if id == except {
			continue
		}
		if err := store.CreateNotification(tx, &store.Notification{EmployeeID: id, Kind: kind, CreatedAt: a.now(),
			Detail: `{"team_id":"` + t.ID + `"}`}); err != nil {
			return err
		}
	}
	return nil
}

// PlanTeamMeeting plans one meeting outside the series (a team that meets
// as needed, or an extra meeting), with the fixed members invited. One
// audit row. Who may call: as PlanTeamSeries. Errors: invalid_time,
// invalid_duration, text_too_long (KindInvalid).
func (a *App) PlanTeamMeeting(ctx context.Context, actor *samordna.Actor, teamID string, startsAt time.Time,
	durationMinutes int, place string) (*store.TeamMeeting, error) {
	var m *store.TeamMeeting
	err := a.withTeam(ctx, actor, teamID, "plan_meeting", func(t *samordna.Team) bool { return mayArrange(actor, t) },
		func(tx *store.Tx, t *samordna.Team) error {
			var err error
			if m, err = a.planTeamMeeting(tx, t, startsAt, durationMinutes, place); err != nil {
				return err
			}
			return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "team_meeting", ObjectID: m.ID, Action: "plan"})
		})
	return m, err
}

// planTeamMeeting is PlanTeamMeeting inside tx.
func (a *App) planTeamMeeting(tx *store.Tx, t *samordna.Team, startsAt time.Time, durationMinutes int, place string) (*store.TeamMeeting, error) {
	if durationMinutes == 0 {
		durationMinutes = 120
	}
	place = strings.TrimSpace(place)
	switch {
	case startsAt.IsZero():
		return nil, samordna.Errorf(samordna.KindInvalid, "invalid_time", "a meeting needs a start")
	case durationMinutes < 15 || durationMinutes > 480:
		return nil, samordna.Errorf(samordna.KindInvalid, "invalid_duration", "a meeting lasts 15 to 480 minutes")
	case utf8.RuneCountInString(place) > 200:
		return nil, samordna.Errorf(samordna.KindInvalid, "text_too_long", "the place is at most 200 characters")
	}
	m := &store.TeamMeeting{TeamID: t.ID, StartsAt: startsAt.UTC(),
		EndsAt: startsAt.UTC().Add(time.Duration(durationMinutes) * time.Minute), Place: place, CreatedAt: a.now()}
	if err := store.CreateTeamMeeting(tx, m); err != nil {
		return nil, err
	}
	for _, id := range t.MemberIDs {
		if err := store.AddTeamMeetingParticipant(tx, &store.TeamMeetingParticipant{MeetingID: m.ID, EmployeeID: id}); err != nil {
			return nil, err
		}
	}
	if err := a.placeWaitingMatters(tx, t.ID); err != nil {
		return nil, err
	}
	return m, a.notifyTeam(tx, t, "team_meeting_planned", "")
}

// errMeetingLocked: a held or cancelled meeting does not change.
var errMeetingLocked = samordna.Errorf(samordna.KindConflict, "meeting_locked",
	"the meeting is held or cancelled and can no longer change")

// MoveTeamMeeting moves one meeting (of the series or not) to another
// start and place, keeping its length and agenda; the rest of the series
// is untouched (the feed shows it with its RECURRENCE-ID). The reason is
// kept on the meeting and everyone taking part (fixed members and
// invitees) is told. One audit row.
// Who may call: as PlanTeamSeries. Errors: invalid_time, text_too_long
// (KindInvalid), identifying_data (a fødselsnummer in the reason,
// KindRule), meeting_locked (KindConflict).
func (a *App) MoveTeamMeeting(ctx context.Context, actor *samordna.Actor, meetingID string, startsAt time.Time, place, reason string) error {
	return a.withTeamMeeting(ctx, actor, meetingID, "move", arrangeAllowed(actor),
		func(tx *store.Tx, t *samordna.Team, m *store.TeamMeeting) error {
			if m.Status != store.TeamMeetingPlanned || m.Finalised() {
				return errMeetingLocked
			}
			if startsAt.IsZero() {
				return samordna.Errorf(samordna.KindInvalid, "invalid_time", "the meeting needs a new start")
			}
			if place = strings.TrimSpace(place); utf8.RuneCountInString(place) > 200 {
				return samordna.Errorf(samordna.KindInvalid, "text_too_long", "the place is at most 200 characters")
			}
			reason, err := checkChangeReason(reason)
			if err != nil {
				return err
			}
			length := m.EndsAt.Sub(m.StartsAt)
			m.StartsAt, m.EndsAt = startsAt.UTC(), startsAt.UTC().Add(length)
			if place != "" {
				m.Place = place
			}
			m.ChangeReason = reason
			m.Sequence++
			if err := store.UpdateTeamMeeting(tx, m); err != nil {
				return err
			}
			if err := store.BumpTeamSeries(tx, t.ID); err != nil {
				return err
			}
			if err := a.notifyMeeting(tx, m, "team_meeting_moved", createdBy(actor)); err != nil {
				return err
			}
			return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "team_meeting", ObjectID: m.ID, Action: "move"})
		})
}

// CancelTeamMeeting cancels one meeting; its matters move to the next
// meeting with room (or wait for one). The feed drops the occurrence
// (EXDATE). The reason is kept on the meeting and everyone taking part
// (fixed members and invitees) is told. One audit row. Who may call: as
// PlanTeamSeries. Errors: text_too_long (KindInvalid), identifying_data
// (KindRule), meeting_locked (KindConflict).
func (a *App) CancelTeamMeeting(ctx context.Context, actor *samordna.Actor, meetingID, reason string) error {
	return a.withTeamMeeting(ctx, actor, meetingID, "cancel", arrangeAllowed(actor),
		func(tx *store.Tx, t *samordna.Team, m *store.TeamMeeting) error {
			if m.Status != store.TeamMeetingPlanned || m.Finalised() {
				return errMeetingLocked
			}
			reason, err := checkChangeReason(reason)
			if err != nil {
				return err
			}
			m.Status, m.ChangeReason = store.TeamMeetingCancelled, reason
			m.Sequence++
			if err := store.UpdateTeamMeeting(tx, m); err != nil {
				return err
			}
			if err := store.BumpTeamSeries(tx, t.ID); err != nil {
				return err
			}
			if err := a.moveMattersOn(tx, m); err != nil {
				return err
			}
			if err := a.notifyMeeting(tx, m, "team_meeting_cancelled", createdBy(actor)); err != nil {
				return err
			}
			return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "team_meeting", ObjectID: m.ID, Action: "cancel"})
		})
}

// moveMattersOn takes the matters still on the meeting's agenda (not
// discussed) to the next meeting with room after it, or back to waiting.
func (a *App) moveMattersOn(tx *store.Tx, m *store.TeamMeeting) error {
	matters, err := store.TeamMattersOfMeeting(tx, m.ID)
	if err != nil {
		return err
	}
	for _, x := range matters {
		if x.Status != store.MatterOnAgenda {
			continue
		}
		if err := store.SetTeamMatterMeeting(tx, x.ID, "", store.MatterWaiting); err != nil {
			return err
		}
	}
	return a.placeWaitingMatters(tx, m.TeamID)
}

// placeWaitingMatters puts the team's waiting matters, oldest first, on the
// next planned meetings with room after now.
func (a *App) placeWaitingMatters(tx *store.Tx, teamID string) error {
	waiting, err := store.WaitingTeamMatters(tx, teamID)
	if err != nil {
		return err
	}
	for _, x := range waiting {
		m, err := store.NextTeamMeetingWithRoom(tx, teamID, a.now())
		if errors.Is(err, samordna.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := store.SetTeamMatterMeeting(tx, x.ID, m.ID, store.MatterOnAgenda); err != nil {
			return err
		}
	}
	return nil
}

// sortMeetings orders meetings by start.
func sortMeetings(ms []*store.TeamMeeting) {
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].StartsAt.Before(ms[j].StartsAt) })
}
