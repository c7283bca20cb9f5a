package store

import (
	"database/sql"
	"fmt"
	"time"
)

// This file persists responsibility groups (ansvarsgrupper): the group of a
// case, its members (employees, and the person, guardians and next of kin by
// name), the matters raised to the leaders, and the counts the coordinating
// unit reports.

// Group is a responsibility group.
type Group struct {
	ID          string
	CaseID      string
	CreatedBy   string
	CreatedAt   time.Time
	ClosedAt    *time.Time
	ClosedBy    string
	CloseReason string
	EvaluatedAt *time.Time
	// MembersChosenWith names who among the person and family chose the
	// members together with the coordinator (seed 004), "" when not recorded.
	MembersChosenWith string
}

// Member is a member of a group: an employee (EmployeeID set) or a person
// by name and relation ("self", "guardian", "next_of_kin", "other").
type Member struct {
	ID         string
	GroupID    string
	EmployeeID string
	Username   string // for employees
	Name       string // the employee's name, or the person's
	Relation   string // "employee" for employees
	ServiceID  string
	Service    string // the service's name
	Role       string // role in the group, e.g. "helsesykepleier"
	Position   int
	AddedAt    time.Time
	RemovedAt  *time.Time
}

// CreateGroup inserts a group. The group carries its case's municipality,
// so the coordinating unit's counts and list read only that municipality's
// groups.
func CreateGroup(tx *Tx, g *Group) error {
	_, err := tx.Exec(`INSERT INTO responsibility_groups (id, case_id, municipality_id, created_by, created_at,
		members_chosen_with) VALUES ($1, $2, (SELECT municipality_id FROM cases WHERE id = $2), $3, $4, $5)`,
		g.ID, g.CaseID, g.CreatedBy, g.CreatedAt, g.MembersChosenWith)
	return wrap(err, "create group")
}

const groupColumns = `id, case_id, created_by, created_at, closed_at, COALESCE(closed_by, ''), close_reason, evaluated_at,
	members_chosen_with`

func scanGroup(row interface{ Scan(...any) error }) (*Group, error) {
	var g Group
	err := row.Scan(&g.ID, &g.CaseID, &g.CreatedBy, &g.CreatedAt, &g.ClosedAt, &g.ClosedBy, &g.CloseReason, &g.EvaluatedAt,
		&g.MembersChosenWith)
	return &g, err
}

// OpenGroupOfCase returns the case's open group, or nil.
func OpenGroupOfCase(tx *Tx, caseID string) (*Group, error) {
	g, err := scanGroup(tx.QueryRow(`SELECT `+groupColumns+` FROM responsibility_groups
		WHERE case_id = $1 AND closed_at IS NULL ORDER BY created_at DESC, id LIMIT 1`, caseID))
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, wrap(err, "group")
	}
	return g, nil
}

// LatestGroupOfCase returns the case's newest group, open or closed, or nil.
func LatestGroupOfCase(tx *Tx, caseID string) (*Group, error) {
	g, err := scanGroup(tx.QueryRow(`SELECT `+groupColumns+` FROM responsibility_groups
		WHERE case_id = $1 ORDER BY created_at DESC, id LIMIT 1`, caseID))
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, wrap(err, "group")
	}
	return g, nil
}

// GroupByID returns the group or samordna.ErrNotFound.
func GroupByID(tx *Tx, id string) (*Group, error) {
	g, err := scanGroup(tx.QueryRow(`SELECT `+groupColumns+` FROM responsibility_groups WHERE id = $1`, id))
	if err != nil {
		return nil, wrap(err, "group")
	}
	return g, nil
}

// CloseGroup closes an open group.
func CloseGroup(tx *Tx, id, by, reason string, at time.Time) error {
	return execOne(tx, "close group", `UPDATE responsibility_groups SET closed_at = $1, closed_by = $2, close_reason = $3
		WHERE id = $4 AND closed_at IS NULL`, at, by, reason, id)
}

// SetGroupEvaluated records the group's latest annual evaluation.
func SetGroupEvaluated(tx *Tx, id string, at time.Time) error {
	return execOne(tx, "evaluate group", `UPDATE responsibility_groups SET evaluated_at = $1 WHERE id = $2`, at, id)
}

// Evaluation is one annual evaluation of a group, with the person's own
// view of the group's work (seed 004: user participation in evaluating
// the services).
type Evaluation struct {
	ID          string
	GroupID     string
	CaseID      string
	Continued   bool
	Note        string
	UserView    string
	UserViewBy  string // the name of whoever gave the view (the person, a guardian)
	EvaluatedBy string
	EvaluatedAt time.Time
}

// AddEvaluation records an evaluation.
func AddEvaluation(tx *Tx, e *Evaluation) error {
	_, err := tx.Exec(`INSERT INTO group_evaluations (id, group_id, case_id, continued, note, user_view, user_view_by,
		evaluated_by, evaluated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, e.ID, e.GroupID, e.CaseID,
		e.Continued, e.Note, e.UserView, e.UserViewBy, e.EvaluatedBy, e.EvaluatedAt)
	return wrap(err, "add evaluation")
}

// Evaluations returns the group's evaluations, oldest first.
func Evaluations(tx *Tx, groupID string) ([]*Evaluation, error) {
	rows, err := tx.Query(`SELECT id, group_id, case_id, continued, note, user_view, user_view_by, evaluated_by,
		evaluated_at FROM group_evaluations WHERE group_id = $1 ORDER BY evaluated_at, id LIMIT 100`, groupID)
	if err != nil {
		return nil, wrap(err, "evaluations")
	}
	defer rows.Close()
	var out []*Evaluation
	for rows.Next() {
		var e Evaluation
		if err := rows.Scan(&e.ID, &e.GroupID, &e.CaseID, &e.Continued, &e.Note, &e.UserView, &e.UserViewBy,
			&e.EvaluatedBy, &e.EvaluatedAt); err != nil {
			return nil, wrap(err, "evaluations")
		}
		out = append(out, &e)
	}
	return out, wrap(rows.Err(), "evaluations")
}

// AddMember inserts a member at the end of the group's order.
func AddMember(tx *Tx, m *Member) error {
	err := tx.QueryRow(`SELECT COALESCE(MAX(position), 0) + 1 FROM group_members WHERE group_id = $1`, m.GroupID).
		Scan(&m.Position)
	if err != nil {
		return wrap(err, "member position")
	}
	_, err = tx.Exec(`INSERT INTO group_members (id, group_id, employee_id, name, relation, added_at, service_id, role, position)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		m.ID, m.GroupID, nullable(m.EmployeeID), m.Name, m.Relation, m.AddedAt, nullable(m.ServiceID), m.Role, m.Position)
	return wrap(err, "add member")
}

// RemoveMember marks a current member removed.
func RemoveMember(tx *Tx, groupID, memberID string, at time.Time) error {
	return execOne(tx, "remove member", `UPDATE group_members SET removed_at = $1
		WHERE id = $2 AND group_id = $3 AND removed_at IS NULL`, at, memberID, groupID)
}

// Members returns the group's current members in their order.
func Members(tx *Tx, groupID string) ([]*Member, error) {
	rows, err := tx.Query(`SELECT m.id, m.group_id, COALESCE(m.employee_id, ''), COALESCE(e.username, ''),
		CASE WHEN m.employee_id IS NULL THEN m.name ELSE COALESCE(e.name, m.name) END,
		m.relation, COALESCE(m.service_id, ''), COALESCE(s.name, ''), m.role, m.position, m.added_at, m.removed_at
		FROM group_members m LEFT JOIN employees e ON e.id = m.employee_id
		LEFT JOIN services s ON s.id = m.service_id
		WHERE m.group_id = $1 AND m.removed_at IS NULL ORDER BY m.position, m.id`, groupID)
	if err != nil {
		return nil, wrap(err, "members")
	}
	defer rows.Close()
	var out []*Member
	for rows.Next() {
		var m Member
		if err := rows.Scan(&m.ID, &m.GroupID, &m.EmployeeID, &m.Username, &m.Name, &m.Relation, &m.ServiceID,
			&m.Service, &m.Role, &m.Position, &m.AddedAt, &m.RemovedAt); err != nil {
			return nil, wrap(err, "members")
		}
		out = append(out, &m)
	}
	return out, wrap(rows.Err(), "members")
}

// Escalation is a matter the group could not resolve, raised to leaders.
type Escalation struct {
	ID        string
	GroupID   string
	CaseID    string
	Category  string
	Matter    string
	RaisedBy  string
	RaisedAt  time.Time
	RaiserNam string
}

// AddEscalation inserts an escalation.
func AddEscalation(tx *Tx, e *Escalation) error {
	_, err := tx.Exec(`INSERT INTO group_escalations (id, group_id, case_id, category, matter, raised_by, raised_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, e.ID, e.GroupID, e.CaseID, e.Category, e.Matter, e.RaisedBy, e.RaisedAt)
	return wrap(err, "add escalation")
}

// Escalations returns the group's escalations, newest first.
func Escalations(tx *Tx, groupID string) ([]*Escalation, error) {
	rows, err := tx.Query(`SELECT x.id, x.group_id, x.case_id, x.category, x.matter, x.raised_by, x.raised_at,
		COALESCE(e.name, '') FROM group_escalations x LEFT JOIN employees e ON e.id = x.raised_by
		WHERE x.group_id = $1 ORDER BY x.raised_at DESC, x.id LIMIT 100`, groupID)
	if err != nil {
		return nil, wrap(err, "escalations")
	}
	defer rows.Close()
	var out []*Escalation
	for rows.Next() {
		var e Escalation
		if err := rows.Scan(&e.ID, &e.GroupID, &e.CaseID, &e.Category, &e.Matter, &e.RaisedBy, &e.RaisedAt,
			&e.RaiserNam); err != nil {
			return nil, wrap(err, "escalations")
		}
		out = append(out, &e)
	}
	return out, wrap(rows.Err(), "escalations")
}

// GroupSummary is a group as the coordinating unit's overview lists it.
type GroupSummary struct {
	GroupID     string
	CaseID      string
	CaseTitle   string
	SubjectName string
	Coordinator string // name
	Members     int
	CreatedAt   time.Time
	ClosedAt    *time.Time
	LastMeeting *time.Time
	NextMeeting *time.Time
	Registered  bool // an active consent lets the unit register the group
}

// GroupSummaries returns the municipality's open groups and those closed
// since closedSince, newest first (at most 200), each telling whether the
// case's consent lets the coordinating unit register it. It walks
// responsibility_groups_municipality backwards from the newest group, so
// it reads only the municipality's groups. The consent test is a scalar
// subquery, not EXISTS: PostgreSQL may run an EXISTS in the select list as
// one hashed pass over every consent in the country.
func GroupSummaries(tx *Tx, municipalityID string, now, closedSince time.Time) ([]*GroupSummary, error) {
	rows, err := tx.Query(groupSummariesSQL, municipalityID, now, closedSince)
	if err != nil {
		return nil, wrap(err, "group summaries")
	}
	defer rows.Close()
	var out []*GroupSummary
	for rows.Next() {
		var s GroupSummary
		var last, next nullTime
		if err := rows.Scan(&s.GroupID, &s.CaseID, &s.CaseTitle, &s.SubjectName, &s.Coordinator, &s.Members,
			&s.CreatedAt, &s.ClosedAt, &last, &next, &s.Registered); err != nil {
			return nil, wrap(err, "group summaries")
		}
		s.LastMeeting, s.NextMeeting = last.ptr(), next.ptr()
		out = append(out, &s)
	}
	return out, wrap(rows.Err(), "group summaries")
}

// groupSummariesSQL takes $1 municipality, $2 now, $3 closedSince.
const groupSummariesSQL = `SELECT g.id, g.case_id, c.title, COALESCE(p.name, ''),
	COALESCE((SELECT e.name FROM case_coordinators k JOIN employees e ON e.id = k.employee_id
	          WHERE k.case_id = g.case_id AND k.ended_at IS NULL ORDER BY k.appointed_at DESC LIMIT 1), ''),
	(SELECT COUNT(*) FROM group_members m WHERE m.group_id = g.id AND m.removed_at IS NULL),
	g.created_at, g.closed_at,
	(SELECT MAX(mt.starts_at) FROM meetings mt WHERE mt.group_id = g.id AND mt.status = 'held'),
	(SELECT MIN(mt.starts_at) FROM meetings mt WHERE mt.group_id = g.id AND mt.status = 'planned' AND mt.starts_at >= $2),
	(SELECT 1 FROM consents s JOIN consent_purposes cp ON cp.consent_id = s.id
	 WHERE s.case_id = g.case_id AND s.status = 'active' AND cp.purpose = 'register_with_coordinating_unit'
	   AND (s.valid_until IS NULL OR s.valid_until > $2) LIMIT 1) IS NOT NULL
	FROM responsibility_groups g JOIN cases c ON c.id = g.case_id
	LEFT JOIN persons p ON p.id = c.subject_person_id
	WHERE g.municipality_id = $1 AND (g.closed_at IS NULL OR g.closed_at >= $3)
	ORDER BY g.created_at DESC, g.id LIMIT 200`

// GroupsInYear counts the municipality's groups in [from, to): active at
// some time in it, established in it and closed in it. It reads only the
// municipality's groups created before to (a group is closed after it is
// created), a range of responsibility_groups_municipality that also holds
// closed_at.
func GroupsInYear(tx *Tx, municipalityID string, from, to time.Time) (active, established, closed int, err error) {
	err = tx.QueryRow(groupsInYearSQL, municipalityID, from, to).Scan(&active, &established, &closed)
	return active, established, closed, wrap(err, "groups in year")
}

// groupsInYearSQL takes $1 municipality, $2 from, $3 to.
const groupsInYearSQL = `SELECT
	COALESCE(SUM(CASE WHEN g.created_at < $3 AND (g.closed_at IS NULL OR g.closed_at >= $2) THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN g.created_at >= $2 AND g.created_at < $3 THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN g.closed_at >= $2 AND g.closed_at < $3 THEN 1 ELSE 0 END), 0)
	FROM responsibility_groups g WHERE g.municipality_id = $1 AND g.created_at < $3`

// PlansInYear counts the persons with an individual plan in force at some
// time in [from, to). It reads only the municipality's individual plans
// created before to, a range of plans_municipality.
func PlansInYear(tx *Tx, municipalityID string, from, to time.Time) (int, error) {
	var n int
	err := tx.QueryRow(plansInYearSQL, municipalityID, from, to).Scan(&n)
	return n, wrap(err, "plans in year")
}

// plansInYearSQL takes $1 municipality, $2 from, $3 to.
const plansInYearSQL = `SELECT COUNT(DISTINCT pl.case_id) FROM plans pl
	WHERE pl.municipality_id = $1 AND pl.kind = 'individual_plan' AND pl.created_at < $3
	  AND (pl.closed_at IS NULL OR pl.closed_at >= $2)`

// nullTime scans a nullable time that SQLite may return as text (the
// result of an aggregate such as MAX loses the column's declared type).
type nullTime struct {
	t     time.Time
	valid bool
}

// Scan implements sql.Scanner.
func (n *nullTime) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		n.valid = false
		return nil
	case time.Time:
		n.t, n.valid = x.UTC(), true
		return nil
	case []byte:
		return n.parse(string(x))
	case string:
		return n.parse(x)
	}
	return fmt.Errorf("scan time: unexpected %T", v)
}

func (n *nullTime) parse(s string) error {
	for _, layout := range []string{"2006-01-02 15:04:05.999999999 -0700 MST", "2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano,
		"2006-01-02 15:04:05.999999999Z07:00", "2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			n.t, n.valid = t.UTC(), true
			return nil
		}
	}
	return fmt.Errorf("scan time: cannot parse %q", s)
}

func (n nullTime) ptr() *time.Time {
	if !n.valid {
		return nil
	}
	t := n.t
	return &t
}
