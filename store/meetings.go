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

// Meeting kinds: a meeting of the responsibility group, or a cooperation
// meeting (samarbeidsmøte, seed 004) held without a group.
const (
	MeetingKindGroup       = "responsibility_group"
	MeetingKindCooperation = "cooperation"
)

// Whether the person attends the meeting (seed 004: the whole meeting or
// part of it, decided for each meeting).
const (
	PersonWhole = "whole"
	PersonPart  = "part"
	PersonNone  = "none"
)

// OtherMatter is one "eventuelt" matter, with the minutes it needs; a
// meeting keeps them in priority order.
type OtherMatter struct {
	Text    string `json:"text" text:"short"`
	Minutes int    `json:"minutes"`
}

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
	GroupID           string // "" for a cooperation meeting
	MunicipalityID    string
	Kind              string // MeetingKindGroup or MeetingKindCooperation
	Number            int    // 1 for the group's first meeting
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
	PersonAttendance  string // PersonWhole, PersonPart or PersonNone
	PersonPart        string // which part the person attends, when PersonPart
	PersonViews       string // the person's views, gathered beforehand
	PersonViewsBy     string
	PersonViewsAt     *time.Time
	OtherBusiness     []OtherMatter // "eventuelt", in priority order
	OtherMinutes      int           // the minutes set aside for "eventuelt"
	CreatedBy         string
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// EndsAt is when the meeting is planned to end.
func (m *Meeting) EndsAt() time.Time {
	return m.StartsAt.Add(time.Duration(m.DurationMinutes) * time.Minute)
}

// CreateMeeting inserts a meeting; its Number is the group's count of
// meetings (cancelled ones excluded) plus one, or for a cooperation meeting
// the case's count of cooperation meetings plus one.
func CreateMeeting(tx *Tx, m *Meeting) error {
	if m.Kind == "" {
		m.Kind = MeetingKindGroup
	}
	if m.PersonAttendance == "" {
		m.PersonAttendance = PersonWhole
	}
	q, arg := `SELECT COUNT(*) + 1 FROM meetings WHERE group_id = $1 AND status <> 'cancelled'`, m.GroupID
	if m.Kind == MeetingKindCooperation {
		q, arg = `SELECT COUNT(*) + 1 FROM meetings WHERE case_id = $1 AND kind = 'cooperation'
			AND status <> 'cancelled'`, m.CaseID
	}
	if err := tx.QueryRow(q, arg).Scan(&m.Number); err != nil {
		return wrap(err, "meeting number")
	}
	agenda, err := json.Marshal(nonNil(m.Agenda))
	if err != nil {
		return err
	}
	other, err := json.Marshal(nonNilMatters(m.OtherBusiness))
	if err != nil {
		return err
	}
	_, err = tx.Exec(`INSERT INTO meetings (id, case_id, group_id, municipality_id, number, starts_at, duration_minutes,
		place, status, agenda, short_notice_reason, chair_member_id, minute_taker_id, created_by, created_at, updated_at,
		kind, person_attendance, person_part, other_business, other_business_minutes)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15, $16, $17, $18, $19, $20)`,
		m.ID, m.CaseID, nullable(m.GroupID), m.MunicipalityID, m.Number, m.StartsAt, m.DurationMinutes, m.Place, m.Status,
		string(agenda), m.ShortNoticeReason, nullable(m.ChairMemberID), nullable(m.MinuteTakerID), m.CreatedBy,
		m.CreatedAt, m.Kind, m.PersonAttendance, m.PersonPart, string(other), m.OtherMinutes)
	return wrap(err, "create meeting")
}

func nonNilMatters(s []OtherMatter) []OtherMatter {
	if s == nil {
		return []OtherMatter{}
	}
	return s
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

const meetingColumns = `id, case_id, COALESCE(group_id, ''), municipality_id, number, starts_at, duration_minutes,
	place, status, agenda, short_notice_reason, COALESCE(chair_member_id, ''), COALESCE(minute_taker_id, ''),
	agenda_sent_at, ics_sequence, created_by, created_at, updated_at, kind, person_attendance, person_part,
	person_views, COALESCE(person_views_by, ''), person_views_at, other_business, other_business_minutes`

func scanMeeting(row interface{ Scan(...any) error }) (*Meeting, error) {
	var m Meeting
	var agenda, other string
	err := row.Scan(&m.ID, &m.CaseID, &m.GroupID, &m.MunicipalityID, &m.Number, &m.StartsAt, &m.DurationMinutes,
		&m.Place, &m.Status, &agenda, &m.ShortNoticeReason, &m.ChairMemberID, &m.MinuteTakerID, &m.AgendaSentAt,
		&m.ICSSequence, &m.CreatedBy, &m.CreatedAt, &m.UpdatedAt, &m.Kind, &m.PersonAttendance, &m.PersonPart,
		&m.PersonViews, &m.PersonViewsBy, &m.PersonViewsAt, &other, &m.OtherMinutes)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(agenda), &m.Agenda); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(other), &m.OtherBusiness); err != nil {
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

// CooperationMeetingsOfCase returns the case's cooperation meetings,
// oldest first.
func CooperationMeetingsOfCase(tx *Tx, caseID string) ([]*Meeting, error) {
	return queryMeetings(tx, `SELECT `+meetingColumns+` FROM meetings WHERE case_id = $1 AND kind = 'cooperation'
		ORDER BY starts_at, id LIMIT 500`, caseID)
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

// SetPersonViews records the person's views, gathered before a meeting
// the person does not attend.
func SetPersonViews(tx *Tx, id, views, by string, at time.Time) error {
	return execOne(tx, "person views", `UPDATE meetings SET person_views = $1, person_views_by = $2,
		person_views_at = $3, updated_at = $3 WHERE id = $4`, views, by, at, id)
}

// Attendee is someone invited to a meeting: a group member, the
// coordinating unit's caseworker for the first part of the first meeting,
// a guest (a provider who is not a member, called in for one matter), or a
// participant of a cooperation meeting.
type Attendee struct {
	ID         string
	MeetingID  string
	MemberID   string
	EmployeeID string
	Name       string
	Role       string // "member", "coordinating_unit", "guest" or "participant"
	Part       string // "whole", "first_part", "part" or "none"
	Email      string // the employee's, for invitations
	Relation   string // the member's or participant's relation ("employee", "self", "guardian", ...)
	Matter     string // a guest's matter
}

// AddAttendee inserts an attendee.
func AddAttendee(tx *Tx, a *Attendee) error {
	if a.ID == "" {
		a.ID = samordna.NewID()
	}
	_, err := tx.Exec(`INSERT INTO meeting_attendees (id, meeting_id, member_id, employee_id, name, role, part, matter,
		relation) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, a.ID, a.MeetingID, nullable(a.MemberID),
		nullable(a.EmployeeID), a.Name, a.Role, a.Part, a.Matter, a.Relation)
	return wrap(err, "add attendee")
}

// Attendees returns the meeting's attendees in the group's order, the
// coordinating unit last.
func Attendees(tx *Tx, meetingID string) ([]*Attendee, error) {
	rows, err := tx.Query(`SELECT a.id, a.meeting_id, COALESCE(a.member_id, ''), COALESCE(a.employee_id, ''),
		COALESCE(e.name, a.name), a.role, a.part, COALESCE(e.email, ''), COALESCE(m.relation, a.relation), a.matter
		FROM meeting_attendees a LEFT JOIN employees e ON e.id = a.employee_id
		LEFT JOIN group_members m ON m.id = a.member_id
		WHERE a.meeting_id = $1 ORDER BY CASE a.role WHEN 'member' THEN 0 WHEN 'participant' THEN 0
		WHEN 'coordinating_unit' THEN 1 ELSE 2 END, COALESCE(m.position, 0), a.name, a.id`,
		meetingID)
	if err != nil {
		return nil, wrap(err, "attendees")
	}
	defer rows.Close()
	var out []*Attendee
	for rows.Next() {
		var a Attendee
		if err := rows.Scan(&a.ID, &a.MeetingID, &a.MemberID, &a.EmployeeID, &a.Name, &a.Role, &a.Part, &a.Email,
			&a.Relation, &a.Matter); err != nil {
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

// Minutes delivery statuses.
const (
	DeliveryPending = "pending"
	DeliverySent    = "sent"
)

// Delivery is the finalised minutes on their way to a recipient the system
// does not reach (the person, a guardian, a guest): how and when the
// coordinator sent them.
type Delivery struct {
	ID        string
	MeetingID string
	Recipient string
	Status    string
	Method    string
	SentOn    string // YYYY-MM-DD
	MarkedBy  string
	MarkedAt  *time.Time
	CreatedAt time.Time
}

// AddDelivery inserts a pending delivery.
func AddDelivery(tx *Tx, d *Delivery) error {
	if d.ID == "" {
		d.ID = samordna.NewID()
	}
	d.Status = DeliveryPending
	_, err := tx.Exec(`INSERT INTO minutes_deliveries (id, meeting_id, position, recipient, status, created_at)
		VALUES ($1, $2, (SELECT COUNT(*) + 1 FROM minutes_deliveries WHERE meeting_id = $2), $3, $4, $5)`,
		d.ID, d.MeetingID, d.Recipient, d.Status, d.CreatedAt)
	return wrap(err, "add delivery")
}

// Deliveries returns the meeting's deliveries in the order of the minutes'
// recipients.
func Deliveries(tx *Tx, meetingID string) ([]*Delivery, error) {
	rows, err := tx.Query(`SELECT id, meeting_id, recipient, status, method, sent_on, COALESCE(marked_by, ''),
		marked_at, created_at FROM minutes_deliveries WHERE meeting_id = $1 ORDER BY position, id LIMIT 400`, meetingID)
	if err != nil {
		return nil, wrap(err, "deliveries")
	}
	defer rows.Close()
	var out []*Delivery
	for rows.Next() {
		var d Delivery
		if err := rows.Scan(&d.ID, &d.MeetingID, &d.Recipient, &d.Status, &d.Method, &d.SentOn, &d.MarkedBy,
			&d.MarkedAt, &d.CreatedAt); err != nil {
			return nil, wrap(err, "deliveries")
		}
		out = append(out, &d)
	}
	return out, wrap(rows.Err(), "deliveries")
}

// ErrDeliveryMarked is returned when a delivery already marked sent would
// be marked again.
var ErrDeliveryMarked = samordna.Errorf(samordna.KindConflict, "delivery_already_marked",
	"the minutes are already marked as sent to this recipient")

// MarkDelivery records how and when a pending delivery was sent; a
// delivery already marked gives ErrDeliveryMarked.
func MarkDelivery(tx *Tx, id, meetingID, method, sentOn, by string, at time.Time) error {
	res, err := tx.Exec(`UPDATE minutes_deliveries SET status = 'sent', method = $1, sent_on = $2, marked_by = $3,
		marked_at = $4 WHERE id = $5 AND meeting_id = $6 AND status = 'pending'`, method, sentOn, by, at, id, meetingID)
	if err != nil {
		return wrap(err, "mark delivery")
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return ErrDeliveryMarked
	}
	return nil
}
