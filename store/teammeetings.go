package store

import (
	"database/sql"
	"time"

	"github.com/samordna/samordna"
)

// This file persists teams that meet (issue 15, seed 002 §3.3, §4.1.3,
// §4.2): a team's meeting series, its meetings (each moved or cancelled on
// its own), who takes part in a meeting (fixed members and invitees for
// one matter), and the matters brought to the team with the advice given.

// Team meeting statuses.
const (
	TeamMeetingPlanned   = "planned"
	TeamMeetingHeld      = "held"
	TeamMeetingCancelled = "cancelled"
)

// Team matter statuses: waiting (no meeting with room yet), on_agenda (on a
// planned meeting's agenda), discussed (the meeting gave its advice),
// withdrawn (the submitter took it back).
const (
	MatterWaiting   = "waiting"
	MatterOnAgenda  = "on_agenda"
	MatterDiscussed = "discussed"
	MatterWithdrawn = "withdrawn"
)

// TeamSeries is a team's meeting series: the rule (app.MeetingRules), the
// first meeting's start, each meeting's length, the last day of the series
// and the usual place. Sequence rises with every change to the series or
// one of its meetings, for the iCalendar feed.
type TeamSeries struct {
	TeamID          string
	Rule            string
	FirstStartsAt   time.Time
	DurationMinutes int
	Until           time.Time
	Place           string
	Sequence        int
	CreatedBy       string // employee id; "" when set up from the command line
	CreatedAt       time.Time
}

// SaveTeamSeries inserts or replaces the team's series.
func SaveTeamSeries(tx *Tx, s *TeamSeries) error {
	_, err := tx.Exec(`INSERT INTO team_series (team_id, rule, first_starts_at, duration_minutes, until_at, place,
		sequence, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
		ON CONFLICT (team_id) DO UPDATE SET rule = excluded.rule, first_starts_at = excluded.first_starts_at,
		duration_minutes = excluded.duration_minutes, until_at = excluded.until_at, place = excluded.place,
		sequence = excluded.sequence`,
		s.TeamID, s.Rule, s.FirstStartsAt.UTC(), s.DurationMinutes, s.Until.UTC(), s.Place, s.Sequence, nullString(s.CreatedBy),
		s.CreatedAt)
	return wrap(err, "save team series")
}

// BumpTeamSeries raises the series' sequence (one of its meetings changed).
func BumpTeamSeries(tx *Tx, teamID string) error {
	_, err := tx.Exec(`UPDATE team_series SET sequence = sequence + 1 WHERE team_id = $1`, teamID)
	return wrap(err, "bump team series")
}

// TeamSeriesOf returns the team's series or samordna.ErrNotFound.
func TeamSeriesOf(tx *Tx, teamID string) (*TeamSeries, error) {
	var s TeamSeries
	err := tx.QueryRow(`SELECT team_id, rule, first_starts_at, duration_minutes, until_at, place, sequence,
		COALESCE(created_by, ''), created_at FROM team_series WHERE team_id = $1`, teamID).
		Scan(&s.TeamID, &s.Rule, &s.FirstStartsAt, &s.DurationMinutes, &s.Until, &s.Place, &s.Sequence,
			&s.CreatedBy, &s.CreatedAt)
	if err != nil {
		return nil, wrap(err, "team series")
	}
	s.FirstStartsAt, s.Until = s.FirstStartsAt.UTC(), s.Until.UTC()
	return &s, nil
}

// TeamMeeting is one meeting of a team. SeriesStart is the start the
// series' rule gave it (its RECURRENCE-ID), nil for a meeting planned on
// its own; StartsAt differs from it when the meeting was moved.
type TeamMeeting struct {
	ID          string
	TeamID      string
	SeriesStart *time.Time
	StartsAt    time.Time
	EndsAt      time.Time
	Place       string
	Status      string // TeamMeetingPlanned, TeamMeetingHeld, TeamMeetingCancelled
	Capacity    int    // how many matters its agenda holds
	Minutes     string // the minutes' summary text
	FinalisedAt *time.Time
	FinalisedBy string
	Sequence    int
	CreatedAt   time.Time
	// ChangeReason is why the meeting was last moved or cancelled ("" when
	// it never was); ChairID the employee who chairs this meeting ("" when
	// the team's leader does).
	ChangeReason string
	ChairID      string
}

// Finalised reports whether the minutes are locked.
func (m *TeamMeeting) Finalised() bool { return m.FinalisedAt != nil }

// CreateTeamMeeting inserts a meeting; an empty m.ID is filled with a new id.
func CreateTeamMeeting(tx *Tx, m *TeamMeeting) error {
	if m.ID == "" {
		m.ID = samordna.NewID()
	}
	if m.Status == "" {
		m.Status = TeamMeetingPlanned
	}
	if m.Capacity <= 0 {
		m.Capacity = 6
	}
	var series any
	if m.SeriesStart != nil {
		series = m.SeriesStart.UTC()
	}
	_, err := tx.Exec(`INSERT INTO team_meetings (id, team_id, series_start, starts_at, ends_at, place, status,
		capacity, sequence, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		m.ID, m.TeamID, series, m.StartsAt.UTC(), m.EndsAt.UTC(), m.Place, m.Status, m.Capacity, m.Sequence, m.CreatedAt)
	return wrap(err, "create team meeting")
}

// UpdateTeamMeeting stores a meeting's time, place, status, sequence,
// reason for the change and chair.
func UpdateTeamMeeting(tx *Tx, m *TeamMeeting) error {
	return execOne(tx, "update team meeting", `UPDATE team_meetings SET starts_at = $1, ends_at = $2, place = $3,
		status = $4, sequence = $5, change_reason = $6, chair_id = $7 WHERE id = $8`, m.StartsAt.UTC(), m.EndsAt.UTC(),
		m.Place, m.Status, m.Sequence, m.ChangeReason, nullString(m.ChairID), m.ID)
}

// FinaliseTeamMeeting locks the meeting's minutes: it is held, with the
// summary text, finalised by the employee at the time. It returns
// samordna.ErrNotFound when the meeting does not exist or is already
// finalised.
func FinaliseTeamMeeting(tx *Tx, id, minutes, by string, at time.Time) error {
	return execOne(tx, "finalise team meeting", `UPDATE team_meetings SET status = 'held', minutes = $1,
		finalised_at = $2, finalised_by = $3 WHERE id = $4 AND finalised_at IS NULL`, minutes, at, by, id)
}

const teamMeetingColumns = `id, team_id, series_start, starts_at, ends_at, place, status, capacity, minutes,
	finalised_at, COALESCE(finalised_by, ''), sequence, created_at, change_reason, COALESCE(chair_id, '')`

// scanTeamMeeting reads the columns of teamMeetingColumns.
func scanTeamMeeting(row interface{ Scan(...any) error }) (*TeamMeeting, error) {
	var m TeamMeeting
	var series, fin nullTime
	if err := row.Scan(&m.ID, &m.TeamID, &series, &m.StartsAt, &m.EndsAt, &m.Place, &m.Status, &m.Capacity,
		&m.Minutes, &fin, &m.FinalisedBy, &m.Sequence, &m.CreatedAt, &m.ChangeReason, &m.ChairID); err != nil {
		return nil, err
	}
	m.SeriesStart, m.FinalisedAt = series.ptr(), fin.ptr()
	m.StartsAt, m.EndsAt = m.StartsAt.UTC(), m.EndsAt.UTC()
	return &m, nil
}

// TeamMeetingByID returns the meeting or samordna.ErrNotFound.
func TeamMeetingByID(tx *Tx, id string) (*TeamMeeting, error) {
	m, err := scanTeamMeeting(tx.QueryRow(`SELECT `+teamMeetingColumns+` FROM team_meetings WHERE id = $1`, id))
	if err != nil {
		return nil, wrap(err, "team meeting")
	}
	return m, nil
}

// TeamMeetingsOfTeam returns the team's meetings starting in [from, to),
// cancelled ones included, in time order.
func TeamMeetingsOfTeam(tx *Tx, teamID string, from, to time.Time) ([]*TeamMeeting, error) {
	return queryTeamMeetings(tx, "team meetings", `SELECT `+teamMeetingColumns+` FROM team_meetings
		WHERE team_id = $1 AND starts_at >= $2 AND starts_at < $3 ORDER BY starts_at, id`, teamID, from.UTC(), to.UTC())
}

// AllTeamMeetings returns every meeting of the team in time order.
func AllTeamMeetings(tx *Tx, teamID string) ([]*TeamMeeting, error) {
	return queryTeamMeetings(tx, "team meetings", `SELECT `+teamMeetingColumns+` FROM team_meetings
		WHERE team_id = $1 ORDER BY starts_at, id`, teamID)
}

// NextTeamMeeting returns the team's first planned meeting starting after
// `after`, or samordna.ErrNotFound.
func NextTeamMeeting(tx *Tx, teamID string, after time.Time) (*TeamMeeting, error) {
	m, err := scanTeamMeeting(tx.QueryRow(`SELECT `+teamMeetingColumns+` FROM team_meetings
		WHERE team_id = $1 AND status = 'planned' AND starts_at > $2 ORDER BY starts_at, id LIMIT 1`, teamID, after.UTC()))
	if err != nil {
		return nil, wrap(err, "next team meeting")
	}
	return m, nil
}

// NextTeamMeetingStarts returns when each of the municipality's teams next
// meets: the start of its first planned meeting after `after`, by team id
// (a team with none is absent). One statement for all the teams, each
// answered from the index on (team_id, starts_at), so the team list does
// not ask once per team.
func NextTeamMeetingStarts(tx *Tx, municipalityID string, after time.Time) (map[string]time.Time, error) {
	rows, err := tx.Query(`SELECT t.id, (SELECT m.starts_at FROM team_meetings m
			WHERE m.team_id = t.id AND m.status = 'planned' AND m.starts_at > $2 ORDER BY m.starts_at, m.id LIMIT 1)
		FROM teams t WHERE t.municipality_id = $1`, municipalityID, after.UTC())
	if err != nil {
		return nil, wrap(err, "next team meetings")
	}
	defer rows.Close()
	out := map[string]time.Time{}
	for rows.Next() {
		var id string
		var starts nullTime
		if err := rows.Scan(&id, &starts); err != nil {
			return nil, wrap(err, "next team meetings")
		}
		if starts.valid {
			out[id] = starts.t
		}
	}
	return out, wrap(rows.Err(), "next team meetings")
}

// NextTeamMeetingWithRoom returns the team's first planned meeting
// starting after `after` whose agenda holds fewer matters than its
// capacity, or samordna.ErrNotFound when none has room.
func NextTeamMeetingWithRoom(tx *Tx, teamID string, after time.Time) (*TeamMeeting, error) {
	m, err := scanTeamMeeting(tx.QueryRow(`SELECT `+teamMeetingColumns+` FROM team_meetings m
		WHERE m.team_id = $1 AND m.status = 'planned' AND m.starts_at > $2
		  AND (SELECT COUNT(*) FROM team_matters x WHERE x.meeting_id = m.id AND x.status <> 'withdrawn') < m.capacity
		ORDER BY m.starts_at, m.id LIMIT 1`, teamID, after.UTC()))
	if err != nil {
		return nil, wrap(err, "next team meeting with room")
	}
	return m, nil
}

// queryTeamMeetings runs a query selecting teamMeetingColumns.
func queryTeamMeetings(tx *Tx, what, query string, args ...any) ([]*TeamMeeting, error) {
	rows, err := tx.Query(query, args...)
	if err != nil {
		return nil, wrap(err, what)
	}
	defer rows.Close()
	var out []*TeamMeeting
	for rows.Next() {
		m, err := scanTeamMeeting(rows)
		if err != nil {
			return nil, wrap(err, what)
		}
		out = append(out, m)
	}
	return out, wrap(rows.Err(), what)
}

// TeamMeetingParticipant is someone taking part in a team meeting: a fixed
// member, or an invitee added for this meeting (AdHoc), perhaps for one
// matter only. Present is nil until attendance is recorded.
type TeamMeetingParticipant struct {
	MeetingID  string
	EmployeeID string
	AdHoc      bool
	MatterID   string
	Present    *bool
	// Filled by TeamMeetingParticipants.
	Name, Email string
}

// AddTeamMeetingParticipant adds someone to the meeting (idempotent: a
// person already taking part keeps their row).
func AddTeamMeetingParticipant(tx *Tx, p *TeamMeetingParticipant) error {
	_, err := tx.Exec(`INSERT INTO team_meeting_participants (meeting_id, employee_id, ad_hoc, matter_id)
		VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, p.MeetingID, p.EmployeeID, p.AdHoc, nullString(p.MatterID))
	return wrap(err, "add team meeting participant")
}

// SetTeamMeetingAttendance records whether the participant was present.
func SetTeamMeetingAttendance(tx *Tx, meetingID, employeeID string, present bool) error {
	return execOne(tx, "team meeting attendance", `UPDATE team_meeting_participants SET present = $1
		WHERE meeting_id = $2 AND employee_id = $3`, present, meetingID, employeeID)
}

// TeamMeetingParticipants returns the meeting's participants, fixed members
// first, then by name (byte order).
func TeamMeetingParticipants(tx *Tx, meetingID string) ([]*TeamMeetingParticipant, error) {
	rows, err := tx.Query(`SELECT p.meeting_id, p.employee_id, p.ad_hoc, COALESCE(p.matter_id, ''), p.present,
		e.name, e.email FROM team_meeting_participants p JOIN employees e ON e.id = p.employee_id
		WHERE p.meeting_id = $1 ORDER BY p.ad_hoc, `+byName(tx, "e.name")+`, e.id`, meetingID)
	if err != nil {
		return nil, wrap(err, "team meeting participants")
	}
	defer rows.Close()
	var out []*TeamMeetingParticipant
	for rows.Next() {
		var p TeamMeetingParticipant
		var present sql.NullBool
		if err := rows.Scan(&p.MeetingID, &p.EmployeeID, &p.AdHoc, &p.MatterID, &present, &p.Name, &p.Email); err != nil {
			return nil, wrap(err, "team meeting participants")
		}
		if present.Valid {
			v := present.Bool
			p.Present = &v
		}
		out = append(out, &p)
	}
	return out, wrap(rows.Err(), "team meeting participants")
}

// TeamMatter is a matter brought to a team: anonymous (no person, no
// case) or named (the person, the case and the consent that covers naming
// the person to this team). Reason says why a service outside the team's
// district brings it. Advice, FollowUpBy (employee id) and Referral are
// what the meeting concluded.
type TeamMatter struct {
	ID             string
	MunicipalityID string
	TeamID         string
	MeetingID      string // "" while waiting for a meeting with room
	Anonymous      bool
	Question       string
	PersonID       string
	CaseID         string
	ConsentID      string
	ServiceID      string // the submitting employee's service (school, kindergarten), if any
	Reason         string
	Status         string // MatterWaiting, MatterOnAgenda, MatterDiscussed, MatterWithdrawn
	SubmittedBy    string // employee id
	SubmittedAt    time.Time
	Advice         string
	FollowUpBy     string // employee id, "" when none
	Referral       string // "", coordinating_unit, child_welfare, ppt, bup, family_counselling
	DiscussedAt    *time.Time
	AdviceTaskID   string
	// ForParents: the parents brought the matter; the employee submitted it
	// on their behalf, with their consent (seed 002 §4.2).
	ForParents bool
}

// CreateTeamMatter inserts a matter; an empty x.ID is filled with a new id.
func CreateTeamMatter(tx *Tx, x *TeamMatter) error {
	if x.ID == "" {
		x.ID = samordna.NewID()
	}
	_, err := tx.Exec(`INSERT INTO team_matters (id, municipality_id, team_id, meeting_id, anonymous, question,
		person_id, case_id, consent_id, service_id, reason, status, submitted_by, submitted_at, for_parents)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
		x.ID, x.MunicipalityID, x.TeamID, nullString(x.MeetingID), x.Anonymous, x.Question, nullString(x.PersonID),
		nullString(x.CaseID), nullString(x.ConsentID), nullString(x.ServiceID), x.Reason, x.Status, x.SubmittedBy,
		x.SubmittedAt, x.ForParents)
	return wrap(err, "create team matter")
}

// SetTeamMatterMeeting puts the matter on a meeting's agenda ("" takes it
// off any agenda) with the status.
func SetTeamMatterMeeting(tx *Tx, id, meetingID, status string) error {
	return execOne(tx, "team matter meeting", `UPDATE team_matters SET meeting_id = $1, status = $2 WHERE id = $3`,
		nullString(meetingID), status, id)
}

// SetTeamMatterOutcome stores what the meeting concluded on the matter.
func SetTeamMatterOutcome(tx *Tx, x *TeamMatter) error {
	return execOne(tx, "team matter outcome", `UPDATE team_matters SET advice = $1, follow_up_by = $2, referral = $3,
		status = $4, discussed_at = $5, advice_task_id = $6 WHERE id = $7`,
		x.Advice, nullString(x.FollowUpBy), x.Referral, x.Status, x.DiscussedAt, nullString(x.AdviceTaskID), x.ID)
}

const teamMatterColumns = `x.id, x.municipality_id, x.team_id, COALESCE(x.meeting_id, ''), x.anonymous, x.question,
	COALESCE(x.person_id, ''), COALESCE(x.case_id, ''), COALESCE(x.consent_id, ''), COALESCE(x.service_id, ''),
	x.reason, x.status, x.submitted_by, x.submitted_at, x.advice, COALESCE(x.follow_up_by, ''), x.referral,
	x.discussed_at, COALESCE(x.advice_task_id, ''), x.for_parents`

// scanTeamMatter reads the columns of teamMatterColumns.
func scanTeamMatter(row interface{ Scan(...any) error }) (*TeamMatter, error) {
	var x TeamMatter
	var discussed nullTime
	if err := row.Scan(&x.ID, &x.MunicipalityID, &x.TeamID, &x.MeetingID, &x.Anonymous, &x.Question, &x.PersonID,
		&x.CaseID, &x.ConsentID, &x.ServiceID, &x.Reason, &x.Status, &x.SubmittedBy, &x.SubmittedAt, &x.Advice,
		&x.FollowUpBy, &x.Referral, &discussed, &x.AdviceTaskID, &x.ForParents); err != nil {
		return nil, err
	}
	x.DiscussedAt = discussed.ptr()
	return &x, nil
}

// TeamMatterByID returns the matter or samordna.ErrNotFound.
func TeamMatterByID(tx *Tx, id string) (*TeamMatter, error) {
	x, err := scanTeamMatter(tx.QueryRow(`SELECT `+teamMatterColumns+` FROM team_matters x WHERE x.id = $1`, id))
	if err != nil {
		return nil, wrap(err, "team matter")
	}
	return x, nil
}

// TeamMattersOfMeeting returns the matters on the meeting's agenda (not
// withdrawn), in the order they were submitted.
func TeamMattersOfMeeting(tx *Tx, meetingID string) ([]*TeamMatter, error) {
	return queryTeamMatters(tx, "team matters of meeting", `SELECT `+teamMatterColumns+` FROM team_matters x
		WHERE x.meeting_id = $1 AND x.status <> 'withdrawn' ORDER BY x.submitted_at, x.id`, meetingID)
}

// TeamMattersOfTeam returns every matter brought to the team, newest first.
func TeamMattersOfTeam(tx *Tx, teamID string) ([]*TeamMatter, error) {
	return queryTeamMatters(tx, "team matters of team", `SELECT `+teamMatterColumns+` FROM team_matters x
		WHERE x.team_id = $1 ORDER BY x.submitted_at DESC, x.id`, teamID)
}

// WaitingTeamMatters returns the team's matters waiting for a meeting with
// room, oldest first.
func WaitingTeamMatters(tx *Tx, teamID string) ([]*TeamMatter, error) {
	return queryTeamMatters(tx, "waiting team matters", `SELECT `+teamMatterColumns+` FROM team_matters x
		WHERE x.team_id = $1 AND x.status = 'waiting' ORDER BY x.submitted_at, x.id`, teamID)
}

// TeamMattersSubmittedBy returns the matters the employee submitted,
// newest first.
func TeamMattersSubmittedBy(tx *Tx, employeeID string) ([]*TeamMatter, error) {
	return queryTeamMatters(tx, "team matters submitted by", `SELECT `+teamMatterColumns+` FROM team_matters x
		WHERE x.submitted_by = $1 ORDER BY x.submitted_at DESC, x.id`, employeeID)
}

// queryTeamMatters runs a query selecting teamMatterColumns.
func queryTeamMatters(tx *Tx, what, query string, args ...any) ([]*TeamMatter, error) {
	rows, err := tx.Query(query, args...)
	if err != nil {
		return nil, wrap(err, what)
	}
	defer rows.Close()
	var out []*TeamMatter
	for rows.Next() {
		x, err := scanTeamMatter(rows)
		if err != nil {
			return nil, wrap(err, what)
		}
		out = append(out, x)
	}
	return out, wrap(rows.Err(), what)
}

// TeamConsentsOfPerson returns the consents that name the team
// (share_with_team) on the cases about the person, newest first, whatever
// their status: the caller checks which is in force.
func TeamConsentsOfPerson(tx *Tx, personID, teamID string) ([]*samordna.Consent, error) {
	ids, err := queryIDs(tx, "team consents of person", `SELECT s.id FROM consents s JOIN cases c ON c.id = s.case_id
		WHERE c.subject_person_id = $1 AND s.team_id = $2 ORDER BY s.recorded_at DESC, s.id`, personID, teamID)
	if err != nil {
		return nil, err
	}
	var out []*samordna.Consent
	for _, id := range ids {
		c, err := ConsentByID(tx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}
