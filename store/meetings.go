package store

import (
	"database/sql"
	"encoding/json"
	"time"

	"github.com/samordna/samordna"
)

// This file persists the meetings of responsibility groups, who is invited
// to them, and their minutes (a draft, then a locked final version with its
// SHA-256).

// Meeting statuses.
const (
	MeetingPlanned   = "planned"
	MeetingHeld      = "held"
	MeetingCancelled = "cancelled"
)

// Meeting is one meeting of a responsibility group.
type Meeting struct {
	ID                string
	CaseID            string
	GroupID           string
	MunicipalityID    string
	Number            int // 1 for the group's first meeting
	StartsAt          time.Time
	DurationMinutes   int
	Place             string
	Status            string
	Agenda            []string
	ShortNoticeReason string
	ChairMemberID     string
	MinuteTakerID     string
	AgendaSentAt      *time.Time
	ICSSequence       int
	CreatedBy         string
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// EndsAt is when the meeting is planned to end.
func (m *Meeting) EndsAt() time.Time {
	return m.StartsAt.Add(time.Duration(m.DurationMinutes) * time.Minute)
}

// CreateMeeting inserts a meeting; its Number is the group's count of
// meetings (cancelled ones excluded) plus one.
func CreateMeeting(tx *Tx, m *Meeting) error {
	if err := tx.QueryRow(`SELECT COUNT(*) + 1 FROM meetings WHERE group_id = $1 AND status <> 'cancelled'`,
		m.GroupID).Scan(&m.Number); err != nil {
		return wrap(err, "meeting number")
	}
	agenda, err := json.Marshal(nonNil(m.Agenda))
	if err != nil {
		return err
	}
	_, err = tx.Exec(`INSERT INTO meetings (id, case_id, group_id, municipality_id, number, starts_at, duration_minutes,
		place, status, agenda, short_notice_reason, chair_member_id, minute_taker_id, created_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15)`,
		m.ID, m.CaseID, m.GroupID, m.MunicipalityID, m.Number, m.StartsAt, m.DurationMinutes, m.Place, m.Status,
		string(agenda), m.ShortNoticeReason, nullable(m.ChairMemberID), nullable(m.MinuteTakerID), m.CreatedBy,
		m.CreatedAt)
	return wrap(err, "create meeting")
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

const meetingColumns = `id, case_id, group_id, municipality_id, number, starts_at, duration_minutes, place, status,
	agenda, short_notice_reason, COALESCE(chair_member_id, ''), COALESCE(minute_taker_id, ''), agenda_sent_at,
	ics_sequence, created_by, created_at, updated_at`

func scanMeeting(row interface{ Scan(...any) error }) (*Meeting, error) {
	var m Meeting
	var agenda string
	err := row.Scan(&m.ID, &m.CaseID, &m.GroupID, &m.MunicipalityID, &m.Number, &m.StartsAt, &m.DurationMinutes,
		&m.Place, &m.Status, &agenda, &m.ShortNoticeReason, &m.ChairMemberID, &m.MinuteTakerID, &m.AgendaSentAt,
		&m.ICSSequence, &m.CreatedBy, &m.CreatedAt, &m.UpdatedAt)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(agenda), &m.Agenda); err != nil {
		return nil, err
	}
	return &m, nil
}

// MeetingByID returns the meeting or samordna.ErrNotFound.
func MeetingByID(tx *Tx, id string) (*Meeting, error) {
	m, err := scanMeeting(tx.QueryRow(`SELECT `+meetingColumns+` FROM meetings WHERE id = $1`, id))
	if err != nil {
		return nil, wrap(err, "meeting")
	}
	return m, nil
}

// MeetingsOfGroup returns the group's meetings, oldest first.
func MeetingsOfGroup(tx *Tx, groupID string) ([]*Meeting, error) {
	return queryMeetings(tx, `SELECT `+meetingColumns+` FROM meetings WHERE group_id = $1
		ORDER BY starts_at, id LIMIT 500`, groupID)
}

// MeetingsOfCase returns the case's meetings, oldest first.
func MeetingsOfCase(tx *Tx, caseID string) ([]*Meeting, error) {
	return queryMeetings(tx, `SELECT `+meetingColumns+` FROM meetings WHERE case_id = $1
		ORDER BY starts_at, id LIMIT 500`, caseID)
}

func queryMeetings(tx *Tx, q string, args ...any) ([]*Meeting, error) {
	rows, err := tx.Query(q, args...)
	if err != nil {
		return nil, wrap(err, "meetings")
	}
	defer rows.Close()
	var out []*Meeting
	for rows.Next() {
		m, err := scanMeeting(rows)
		if err != nil {
			return nil, wrap(err, "meetings")
		}
		out = append(out, m)
	}
	return out, wrap(rows.Err(), "meetings")
}

// SetMeetingStatus changes a meeting's status.
func SetMeetingStatus(tx *Tx, id, status string, at time.Time) error {
	return execOne(tx, "meeting status", `UPDATE meetings SET status = $1, updated_at = $2 WHERE id = $3`, status, at, id)
}

// MarkAgendaSent records when the agenda and invitation were sent.
func MarkAgendaSent(tx *Tx, id string, at time.Time) error {
	return execOne(tx, "agenda sent", `UPDATE meetings SET agenda_sent_at = $1, updated_at = $1,
		ics_sequence = ics_sequence + 1 WHERE id = $2`, at, id)
}

// Attendee is someone invited to a meeting: a group member, or the
// coordinating unit's caseworker for the first part of the first meeting.
type Attendee struct {
	ID         string
	MeetingID  string
	MemberID   string
	EmployeeID string
	Name       string
	Role       string // "member" or "coordinating_unit"
	Part       string // "whole" or "first_part"
	Email      string // the employee's, for invitations
	Relation   string // the member's relation ("employee", "self", "guardian", ...)
}

// AddAttendee inserts an attendee.
func AddAttendee(tx *Tx, a *Attendee) error {
	if a.ID == "" {
		a.ID = samordna.NewID()
	}
	_, err := tx.Exec(`INSERT INTO meeting_attendees (id, meeting_id, member_id, employee_id, name, role, part)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, a.ID, a.MeetingID, nullable(a.MemberID), nullable(a.EmployeeID),
		a.Name, a.Role, a.Part)
	return wrap(err, "add attendee")
}

// Attendees returns the meeting's attendees in the group's order, the
// coordinating unit last.
func Attendees(tx *Tx, meetingID string) ([]*Attendee, error) {
	rows, err := tx.Query(`SELECT a.id, a.meeting_id, COALESCE(a.member_id, ''), COALESCE(a.employee_id, ''),
		COALESCE(e.name, a.name), a.role, a.part, COALESCE(e.email, ''), COALESCE(m.relation, '')
		FROM meeting_attendees a LEFT JOIN employees e ON e.id = a.employee_id
		LEFT JOIN group_members m ON m.id = a.member_id
		WHERE a.meeting_id = $1 ORDER BY CASE WHEN a.role = 'member' THEN 0 ELSE 1 END, COALESCE(m.position, 0), a.id`,
		meetingID)
	if err != nil {
		return nil, wrap(err, "attendees")
	}
	defer rows.Close()
	var out []*Attendee
	for rows.Next() {
		var a Attendee
		if err := rows.Scan(&a.ID, &a.MeetingID, &a.MemberID, &a.EmployeeID, &a.Name, &a.Role, &a.Part, &a.Email,
			&a.Relation); err != nil {
			return nil, wrap(err, "attendees")
		}
		out = append(out, &a)
	}
	return out, wrap(rows.Err(), "attendees")
}

// Minutes statuses.
const (
	MinutesDraft     = "draft"
	MinutesFinalised = "finalised"
)

// MinutesRow is a meeting's stored minutes. Content is a JSON document
// (package app defines it); SHA256 is the hex digest of Content once
// finalised.
type MinutesRow struct {
	MeetingID   string
	Status      string
	Content     string
	SHA256      string
	UpdatedBy   string
	UpdatedAt   time.Time
	FinalisedBy string
	FinalisedAt *time.Time
}

// MinutesOf returns the meeting's minutes, or nil when none are written.
func MinutesOf(tx *Tx, meetingID string) (*MinutesRow, error) {
	var m MinutesRow
	err := tx.QueryRow(`SELECT meeting_id, status, content, sha256, updated_by, updated_at,
		COALESCE(finalised_by, ''), finalised_at FROM meeting_minutes WHERE meeting_id = $1`, meetingID).
		Scan(&m.MeetingID, &m.Status, &m.Content, &m.SHA256, &m.UpdatedBy, &m.UpdatedAt, &m.FinalisedBy, &m.FinalisedAt)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, wrap(err, "minutes")
	}
	return &m, nil
}

// ErrMinutesFinalised is returned when finalised minutes would change.
var ErrMinutesFinalised = samordna.Errorf(samordna.KindConflict, "minutes_finalised",
	"the minutes are finalised and cannot be changed")

// SaveMinutesDraft stores the draft; finalised minutes are never changed
// (ErrMinutesFinalised).
func SaveMinutesDraft(tx *Tx, meetingID, content, by string, at time.Time) error {
	res, err := tx.Exec(`INSERT INTO meeting_minutes (meeting_id, status, content, updated_by, updated_at)
		VALUES ($1, 'draft', $2, $3, $4)
		ON CONFLICT (meeting_id) DO UPDATE SET content = excluded.content, updated_by = excluded.updated_by,
			updated_at = excluded.updated_at
		WHERE meeting_minutes.status = 'draft'`, meetingID, content, by, at)
	if err != nil {
		return wrap(err, "save minutes")
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return ErrMinutesFinalised
	}
	return nil
}

// FinaliseMinutes locks the minutes with their final content and digest.
// Minutes already finalised give ErrMinutesFinalised.
func FinaliseMinutes(tx *Tx, meetingID, content, sha, by string, at time.Time) error {
	res, err := tx.Exec(`INSERT INTO meeting_minutes (meeting_id, status, content, sha256, updated_by, updated_at,
		finalised_by, finalised_at) VALUES ($1, 'finalised', $2, $3, $4, $5, $4, $5)
		ON CONFLICT (meeting_id) DO UPDATE SET status = 'finalised', content = excluded.content,
			sha256 = excluded.sha256, updated_by = excluded.updated_by, updated_at = excluded.updated_at,
			finalised_by = excluded.finalised_by, finalised_at = excluded.finalised_at
		WHERE meeting_minutes.status = 'draft'`, meetingID, content, sha, by, at)
	if err != nil {
		return wrap(err, "finalise minutes")
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return ErrMinutesFinalised
	}
	return nil
}

// LastHeldMeeting returns the group's most recent held meeting, or nil.
func LastHeldMeeting(tx *Tx, groupID string) (*Meeting, error) {
	ms, err := queryMeetings(tx, `SELECT `+meetingColumns+` FROM meetings WHERE group_id = $1 AND status = 'held'
		ORDER BY starts_at DESC, id LIMIT 1`, groupID)
	if err != nil || len(ms) == 0 {
		return nil, err
	}
	return ms[0], nil
}

// PlannedMeetingsBetween returns the group's planned meetings starting in
// [from, to), oldest first.
func PlannedMeetingsBetween(tx *Tx, groupID string, from, to time.Time) ([]*Meeting, error) {
	return queryMeetings(tx, `SELECT `+meetingColumns+` FROM meetings WHERE group_id = $1 AND status = 'planned'
		AND starts_at >= $2 AND starts_at < $3 ORDER BY starts_at, id`, groupID, from, to)
}
