package store

import (
	"database/sql"
	"strconv"
	"strings"
	"time"

	"github.com/samordna/samordna"
)

// This file persists children as next of kin (barn som pårørende,
// helsepersonelloven § 10a; seed 001): the adult service's answer to "does
// the person have children under 18?", each child with their situation,
// the information and follow-up given and what became of it, and each
// service's barneansvarlig. The indicator functions at the end
// (CountChildrenIdentified, NextOfKinCounts) are what the leadership's goals
// read.

// Next-of-kin answers.
const (
	NextOfKinChildren   = "children"    // the person has children under 18
	NextOfKinNoChildren = "no_children" // the person has no children under 18
)

// Outcomes of a child as next of kin.
const (
	ChildOutcomePending = ""        // not decided yet
	ChildOutcomeCase    = "case"    // the child has a linked case of their own
	ChildOutcomeNoCase  = "no_case" // no case, for the recorded reason
)

// TaskKindChildren is the kind of the task that asks the case's
// responsible employee to answer whether the person has children under 18.
const TaskKindChildren = "next_of_kin"

// AdultServiceKinds are the adult services that must ask about children
// (hlspl § 10a; issue 16): the mental health and substance service, the
// GP, NAV, home care and the coordinating unit.
var AdultServiceKinds = []samordna.ServiceKind{samordna.ServiceMentalHealth, samordna.ServiceGP,
	samordna.ServiceNAV, samordna.ServiceHomeCare, samordna.ServiceCoordinatingUnit}

// NextOfKinAnswer is an adult service's answer for one case.
type NextOfKinAnswer struct {
	CaseID, MunicipalityID, ServiceID, Answer, AnsweredBy string
	AnsweredAt                                            time.Time
	AnsweredByName                                        string // filled by NextOfKinAnswerOf
}

// ChildNextOfKin is one child under 18 of the person a case is about.
type ChildNextOfKin struct {
	ID             string
	CaseID         string // the parent's case
	MunicipalityID string
	ServiceID      string // the adult service that recorded the child
	PersonID       string // the child's person, when identified by fødselsnummer
	Name           string
	BirthDate      string // YYYY-MM-DD; "" when unknown
	Situation      string // how the child is doing, what they know
	Information    string // the information given to the child and family
	FollowUp       string // the follow-up offered
	InformedBy     string // employee id of whoever gave it; "" for none yet
	Outcome        string // ChildOutcome*
	LinkedCaseID   string // ChildOutcomeCase: the child's case
	Basis          string // ChildOutcomeCase: "consent" or "report_duty"
	NoCaseReason   string // ChildOutcomeNoCase: why not
	RecordedBy     string
	RecordedAt     time.Time
	UpdatedAt      time.Time
	// Filled by ChildrenOfCase: the names of whoever informed and recorded.
	InformedByName, RecordedByName string
}

// SetNextOfKinAnswer stores (or replaces) the answer of a case.
func SetNextOfKinAnswer(tx *Tx, a *NextOfKinAnswer) error {
	_, err := tx.Exec(`INSERT INTO next_of_kin_answers (case_id, municipality_id, service_id, answer, answered_by, answered_at)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (case_id) DO UPDATE SET answer = excluded.answer, answered_by = excluded.answered_by,
		answered_at = excluded.answered_at, service_id = excluded.service_id`,
		a.CaseID, a.MunicipalityID, nullable(a.ServiceID), a.Answer, a.AnsweredBy, a.AnsweredAt)
	return wrap(err, "set next-of-kin answer")
}

// NextOfKinAnswerOf returns the case's answer, or nil when there is none.
func NextOfKinAnswerOf(tx *Tx, caseID string) (*NextOfKinAnswer, error) {
	var a NextOfKinAnswer
	err := tx.QueryRow(`SELECT n.case_id, n.municipality_id, COALESCE(n.service_id, ''), n.answer, n.answered_by,
		n.answered_at, e.name FROM next_of_kin_answers n JOIN employees e ON e.id = n.answered_by WHERE n.case_id = $1`,
		caseID).Scan(&a.CaseID, &a.MunicipalityID, &a.ServiceID, &a.Answer, &a.AnsweredBy, &a.AnsweredAt, &a.AnsweredByName)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, wrap(err, "next-of-kin answer")
	}
	return &a, nil
}

// CreateChildNextOfKin inserts a child.
func CreateChildNextOfKin(tx *Tx, c *ChildNextOfKin) error {
	if c.ID == "" {
		c.ID = samordna.NewID()
	}
	_, err := tx.Exec(`INSERT INTO next_of_kin_children (id, case_id, municipality_id, service_id, person_id, name,
		birth_date, situation, information, follow_up, informed_by, outcome, linked_case_id, basis, no_case_reason,
		recorded_by, recorded_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
		c.ID, c.CaseID, c.MunicipalityID, nullable(c.ServiceID), nullable(c.PersonID), c.Name, c.BirthDate,
		c.Situation, c.Information, c.FollowUp, nullable(c.InformedBy), c.Outcome, nullable(c.LinkedCaseID), c.Basis,
		c.NoCaseReason, c.RecordedBy, c.RecordedAt, c.UpdatedAt)
	return wrap(err, "create child next of kin")
}

// UpdateChildNextOfKin stores the child's situation, information,
// follow-up and outcome.
func UpdateChildNextOfKin(tx *Tx, c *ChildNextOfKin) error {
	_, err := tx.Exec(`UPDATE next_of_kin_children SET situation = $2, information = $3, follow_up = $4,
		informed_by = $5, outcome = $6, linked_case_id = $7, basis = $8, no_case_reason = $9, updated_at = $10
		WHERE id = $1`, c.ID, c.Situation, c.Information, c.FollowUp, nullable(c.InformedBy), c.Outcome,
		nullable(c.LinkedCaseID), c.Basis, c.NoCaseReason, c.UpdatedAt)
	return wrap(err, "update child next of kin")
}

const childColumns = `c.id, c.case_id, c.municipality_id, COALESCE(c.service_id, ''), COALESCE(c.person_id, ''),
	c.name, c.birth_date, c.situation, c.information, c.follow_up, COALESCE(c.informed_by, ''), c.outcome,
	COALESCE(c.linked_case_id, ''), c.basis, c.no_case_reason, c.recorded_by, c.recorded_at, c.updated_at,
	COALESCE((SELECT e.name FROM employees e WHERE e.id = c.informed_by), ''),
	COALESCE((SELECT e.name FROM employees e WHERE e.id = c.recorded_by), '')`

func scanChild(row interface{ Scan(...any) error }) (*ChildNextOfKin, error) {
	var c ChildNextOfKin
	err := row.Scan(&c.ID, &c.CaseID, &c.MunicipalityID, &c.ServiceID, &c.PersonID, &c.Name, &c.BirthDate,
		&c.Situation, &c.Information, &c.FollowUp, &c.InformedBy, &c.Outcome, &c.LinkedCaseID, &c.Basis,
		&c.NoCaseReason, &c.RecordedBy, &c.RecordedAt, &c.UpdatedAt, &c.InformedByName, &c.RecordedByName)
	return &c, err
}

// ChildNextOfKinByID returns the child or samordna.ErrNotFound. It does not
// check access.
func ChildNextOfKinByID(tx *Tx, id string) (*ChildNextOfKin, error) {
	c, err := scanChild(tx.QueryRow(`SELECT `+childColumns+` FROM next_of_kin_children c WHERE c.id = $1`, id))
	if err == sql.ErrNoRows {
		return nil, samordna.ErrNotFound
	}
	return c, wrap(err, "child next of kin")
}

// ChildrenOfCase returns the children recorded on a case, oldest record
// first (by name when recorded at once).
func ChildrenOfCase(tx *Tx, caseID string) ([]*ChildNextOfKin, error) {
	rows, err := tx.Query(`SELECT `+childColumns+` FROM next_of_kin_children c WHERE c.case_id = $1
		ORDER BY c.recorded_at, c.name, c.id`, caseID)
	if err != nil {
		return nil, wrap(err, "children of case")
	}
	defer rows.Close()
	var out []*ChildNextOfKin
	for rows.Next() {
		c, err := scanChild(rows)
		if err != nil {
			return nil, wrap(err, "children of case")
		}
		out = append(out, c)
	}
	return out, wrap(rows.Err(), "children of case")
}

// adultKindsSQL is AdultServiceKinds as an SQL list of literals.
func adultKindsSQL() string {
	q := make([]string, len(AdultServiceKinds))
	for i, k := range AdultServiceKinds {
		q[i] = "'" + string(k) + "'"
	}
	return strings.Join(q, ", ")
}

// CaseKey is a case's place in the order the cases were created: where a
// walk over the open cases stopped. The zero CaseKey is the start.
type CaseKey struct {
	CreatedAt time.Time
	ID        string
}

// UnaskedAdultCaseIDs looks at the next window open cases after the key
// from (in the order they were created) and returns those among them that
// are named, registered by an adult service (AdultServiceKinds), whose subject
// is 18 or older at now (or has no known birth date), and that have no
// next-of-kin answer and no open next-of-kin task: the cases where
// Samordna must still ask about children. next is where the following call
// starts; it is the zero CaseKey once the window reached the last open
// case.
//
// It walks a window, not every open case, because in a large database
// nearly every adult case is already asked: finding the few that are not
// means looking at each (its service, subject, answer and tasks), which at
// 300,000 cases took seconds. A window of a few thousand is bounded work
// for one sweep, and successive sweeps cover them all.
func UnaskedAdultCaseIDs(tx *Tx, now time.Time, from CaseKey, window int) (ids []string, next CaseKey, err error) {
	// Both statements start after the key ($1, $2); the zero key's time
	// comes before every case.
	after := ` AND (c.created_at, c.id) > ($1, $2)`
	// The window's last case: an index-only walk (cases_open_created).
	err = tx.QueryRow(`SELECT c.created_at, c.id FROM cases c WHERE c.status = 'open'`+after+`
		ORDER BY c.created_at, c.id LIMIT 1 OFFSET `+strconv.Itoa(window-1), from.CreatedAt, from.ID).Scan(&next.CreatedAt, &next.ID)
	// The window's cases: after the key, up to its last case (all that are
	// left when fewer than window are, and the walk starts over next time).
	args := []any{from.CreatedAt, from.ID, now.AddDate(-18, 0, 0).Format(time.DateOnly), TaskKindChildren}
	upTo := ``
	switch {
	case err == sql.ErrNoRows:
		next = CaseKey{}
	case err != nil:
		return nil, next, wrap(err, "unasked adult cases")
	default:
		args = append(args, next.CreatedAt, next.ID)
		upTo = ` AND (c.created_at, c.id) <= ($5, $6)`
	}
	// The service is checked against the adult services' ids from the
	// index alone; only adult services' cases are read.
	rows, err := tx.Query(`SELECT c.id FROM cases c
		JOIN persons p ON p.id = c.subject_person_id
		WHERE c.status = 'open'`+after+upTo+`
		AND c.registered_service_id IN (SELECT s.id FROM services s WHERE s.kind IN (`+adultKindsSQL()+`))
		AND NOT c.anonymous
		AND (p.birth_date IS NULL OR p.birth_date = '' OR p.birth_date <= $3)
		AND NOT EXISTS (SELECT 1 FROM next_of_kin_answers n WHERE n.case_id = c.id)
		AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.case_id = c.id AND t.kind = $4 AND t.status = 'open')
		ORDER BY c.created_at, c.id`, args...)
	if err != nil {
		return nil, next, wrap(err, "unasked adult cases")
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, next, wrap(err, "unasked adult cases")
		}
		ids = append(ids, id)
	}
	return ids, next, wrap(rows.Err(), "unasked adult cases")
}

// OpenNextOfKinTasks returns the case's open next-of-kin tasks.
func OpenNextOfKinTasks(tx *Tx, caseID string) ([]*Task, error) {
	return queryTasks(tx, "next-of-kin tasks", `SELECT `+taskColumns+` FROM tasks t
		WHERE t.case_id = $1 AND t.kind = $2 AND t.status = 'open' ORDER BY t.created_at`, caseID, TaskKindChildren)
}

// SetServiceChildResponsible names the service's barneansvarlig
// (employeeID "" removes it).
func SetServiceChildResponsible(tx *Tx, serviceID, employeeID, by string, at time.Time) error {
	if employeeID == "" {
		_, err := tx.Exec(`DELETE FROM service_child_responsibles WHERE service_id = $1`, serviceID)
		return wrap(err, "remove barneansvarlig")
	}
	_, err := tx.Exec(`INSERT INTO service_child_responsibles (service_id, employee_id, set_by, set_at)
		VALUES ($1, $2, $3, $4) ON CONFLICT (service_id) DO UPDATE SET employee_id = excluded.employee_id,
		set_by = excluded.set_by, set_at = excluded.set_at`, serviceID, employeeID, by, at)
	return wrap(err, "set barneansvarlig")
}

// ServiceChildResponsible returns the employee id of the service's
// barneansvarlig, "" when none is named.
func ServiceChildResponsible(tx *Tx, serviceID string) (string, error) {
	var id string
	err := tx.QueryRow(`SELECT employee_id FROM service_child_responsibles WHERE service_id = $1`, serviceID).Scan(&id)
	if err == sql.ErrNoRows {
		return "", nil
	}
	return id, wrap(err, "barneansvarlig")
}

// ChildResponsibles returns every service's barneansvarlig by service id.
func ChildResponsibles(tx *Tx, municipalityID string) (map[string]string, error) {
	rows, err := tx.Query(`SELECT r.service_id, r.employee_id FROM service_child_responsibles r
		JOIN services s ON s.id = r.service_id WHERE s.municipality_id = $1`, municipalityID)
	if err != nil {
		return nil, wrap(err, "barneansvarlige")
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var s, e string
		if err := rows.Scan(&s, &e); err != nil {
			return nil, wrap(err, "barneansvarlige")
		}
		out[s] = e
	}
	return out, wrap(rows.Err(), "barneansvarlige")
}

// CountChildrenIdentified counts the children as next of kin recorded in
// the municipality in [from, to), by the adult service serviceID ("" for
// every service). Indicator for the leadership's goals ("children as next
// of kin identified per adult service").
func CountChildrenIdentified(tx *Tx, municipalityID, serviceID string, from, to time.Time) (int, error) {
	var n int
	err := tx.QueryRow(`SELECT COUNT(*) FROM next_of_kin_children WHERE municipality_id = $1
		AND ($2 = '' OR service_id = $2) AND recorded_at >= $3 AND recorded_at < $4`,
		municipalityID, serviceID, from, to).Scan(&n)
	return n, wrap(err, "count children identified")
}

// NextOfKinCount is one adult service's figures for a period.
type NextOfKinCount struct {
	ServiceID   string
	ServiceName string
	Asked       int // cases answered in the period (children or no children)
	WithKids    int // of those, cases with children
	Children    int // children recorded in the period
	LinkedCases int // of those, children with a linked case
	NoCase      int // of those, children with a recorded reason for no case
	Pending     int // of those, children with neither yet
}

// NextOfKinCounts returns, for each service of the municipality that
// answered or recorded anything in [from, to), how many cases were asked
// about children and how many children were identified and followed up.
// Indicator for the leadership's goals.
func NextOfKinCounts(tx *Tx, municipalityID string, from, to time.Time) ([]NextOfKinCount, error) {
	rows, err := tx.Query(`SELECT s.id, s.name,
		(SELECT COUNT(*) FROM next_of_kin_answers a WHERE a.service_id = s.id AND a.answered_at >= $2 AND a.answered_at < $3),
		(SELECT COUNT(*) FROM next_of_kin_answers a WHERE a.service_id = s.id AND a.answer = 'children'
			AND a.answered_at >= $2 AND a.answered_at < $3),
		(SELECT COUNT(*) FROM next_of_kin_children c WHERE c.service_id = s.id AND c.recorded_at >= $2 AND c.recorded_at < $3),
		(SELECT COUNT(*) FROM next_of_kin_children c WHERE c.service_id = s.id AND c.outcome = 'case'
			AND c.recorded_at >= $2 AND c.recorded_at < $3),
		(SELECT COUNT(*) FROM next_of_kin_children c WHERE c.service_id = s.id AND c.outcome = 'no_case'
			AND c.recorded_at >= $2 AND c.recorded_at < $3)
		FROM services s WHERE s.municipality_id = $1 ORDER BY s.name, s.id`, municipalityID, from, to)
	if err != nil {
		return nil, wrap(err, "next-of-kin counts")
	}
	defer rows.Close()
	var out []NextOfKinCount
	for rows.Next() {
		var c NextOfKinCount
		if err := rows.Scan(&c.ServiceID, &c.ServiceName, &c.Asked, &c.WithKids, &c.Children, &c.LinkedCases,
			&c.NoCase); err != nil {
			return nil, wrap(err, "next-of-kin counts")
		}
		c.Pending = c.Children - c.LinkedCases - c.NoCase
		if c.Asked > 0 || c.Children > 0 {
			out = append(out, c)
		}
	}
	return out, wrap(rows.Err(), "next-of-kin counts")
}
