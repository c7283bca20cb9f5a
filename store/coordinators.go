package store

import (
	"database/sql"
	"time"
)

// This file persists coordinator assignments: the appointment, the
// coordinator's acceptance, and a handover that waits on the current
// assignment until the new coordinator accepts it.

// Coordinator statuses and kinds.
const (
	CoordinatorAppointed = "appointed" // waiting for the coordinator to accept
	CoordinatorAccepted  = "accepted"
	CoordinatorEnded     = "ended"

	KindCoordinator      = "coordinator"
	KindChildCoordinator = "child_coordinator"
)

// Assignment is one coordinator assignment of a case, with the names of
// the coordinator and of a pending handover's recipient.
type Assignment struct {
	ID           string
	CaseID       string
	EmployeeID   string
	Username     string
	Name         string
	Kind         string
	Status       string
	AppointedBy  string
	AppointedAt  time.Time
	AcceptedAt   *time.Time
	EndedAt      *time.Time
	EndReason    string
	HandoverTo   string // employee id of the pending handover, or ""
	HandoverName string
	HandoverUser string
	HandoverBy   string
	HandoverAt   *time.Time
	// Basis is why the employee holds the role: "" for the coordinating
	// unit's decision, "routine:<id>@<version>/<step>" when a routine's step
	// gave the employee's service the task (see app.TakeCoordinationByRoutine).
	Basis string
}

// AppointCoordinator inserts an assignment. The assignment carries its
// case's municipality, so the coordinating unit's counts read only that
// municipality's assignments.
func AppointCoordinator(tx *Tx, k *Assignment) error {
	_, err := tx.Exec(`INSERT INTO case_coordinators (id, case_id, municipality_id, employee_id, kind, status,
		appointed_by, appointed_at, accepted_at, basis)
		VALUES ($1, $2, (SELECT municipality_id FROM cases WHERE id = $2), $3, $4, $5, $6, $7, $8, $9)`,
		k.ID, k.CaseID, k.EmployeeID, k.Kind, k.Status, k.AppointedBy, k.AppointedAt, k.AcceptedAt, k.Basis)
	return wrap(err, "appoint coordinator")
}

const assignmentSelect = `SELECT k.id, k.case_id, k.employee_id, e.username, e.name, k.kind, k.status,
	k.appointed_by, k.appointed_at, k.accepted_at, k.ended_at, k.end_reason, COALESCE(k.handover_to, ''),
	COALESCE(h.name, ''), COALESCE(h.username, ''), COALESCE(k.handover_by, ''), k.handover_at, k.basis
	FROM case_coordinators k JOIN employees e ON e.id = k.employee_id
	LEFT JOIN employees h ON h.id = k.handover_to`

func scanAssignment(row interface{ Scan(...any) error }) (*Assignment, error) {
	var k Assignment
	err := row.Scan(&k.ID, &k.CaseID, &k.EmployeeID, &k.Username, &k.Name, &k.Kind, &k.Status, &k.AppointedBy,
		&k.AppointedAt, &k.AcceptedAt, &k.EndedAt, &k.EndReason, &k.HandoverTo, &k.HandoverName, &k.HandoverUser,
		&k.HandoverBy, &k.HandoverAt, &k.Basis)
	return &k, err
}

// CurrentAssignment returns the case's current assignment, or nil.
func CurrentAssignment(tx *Tx, caseID string) (*Assignment, error) {
	k, err := scanAssignment(tx.QueryRow(assignmentSelect+` WHERE k.case_id = $1 AND k.ended_at IS NULL
		ORDER BY k.appointed_at DESC, k.id LIMIT 1`, caseID))
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, wrap(err, "current coordinator")
	}
	return k, nil
}

// AssignmentsOfCase returns every assignment of the case, oldest first.
func AssignmentsOfCase(tx *Tx, caseID string) ([]*Assignment, error) {
	return queryAssignments(tx, assignmentSelect+` WHERE k.case_id = $1 ORDER BY k.appointed_at, k.id`, caseID)
}

// AssignmentsOfEmployee returns the current assignments the employee holds
// or is offered in a pending handover, newest first.
func AssignmentsOfEmployee(tx *Tx, employeeID string) ([]*Assignment, error) {
	return queryAssignments(tx, assignmentSelect+` WHERE k.ended_at IS NULL AND (k.employee_id = $1 OR k.handover_to = $1)
		ORDER BY k.appointed_at DESC, k.id LIMIT 200`, employeeID)
}

func queryAssignments(tx *Tx, q string, args ...any) ([]*Assignment, error) {
	rows, err := tx.Query(q, args...)
	if err != nil {
		return nil, wrap(err, "coordinators")
	}
	defer rows.Close()
	var out []*Assignment
	for rows.Next() {
		k, err := scanAssignment(rows)
		if err != nil {
			return nil, wrap(err, "coordinators")
		}
		out = append(out, k)
	}
	return out, wrap(rows.Err(), "coordinators")
}

// AcceptAssignment marks an appointed assignment accepted.
func AcceptAssignment(tx *Tx, id string, at time.Time) error {
	return execOne(tx, "accept coordinator", `UPDATE case_coordinators SET status = 'accepted', accepted_at = $1
		WHERE id = $2 AND status = 'appointed' AND ended_at IS NULL`, at, id)
}

// RequestHandover offers the current assignment to another employee; the
// assignment stays as it is until the recipient accepts. A new request
// replaces a pending one.
func RequestHandover(tx *Tx, id, toEmployeeID, by string, at time.Time) error {
	return execOne(tx, "request handover", `UPDATE case_coordinators SET handover_to = $1, handover_by = $2,
		handover_at = $3 WHERE id = $4 AND ended_at IS NULL`, toEmployeeID, by, at, id)
}

// CancelHandover withdraws a pending handover.
func CancelHandover(tx *Tx, id string) error {
	return execOne(tx, "cancel handover", `UPDATE case_coordinators SET handover_to = NULL, handover_by = NULL,
		handover_at = NULL WHERE id = $1 AND ended_at IS NULL`, id)
}

// EndAssignment ends an assignment with a reason ("handed_over", ...).
func EndAssignment(tx *Tx, id string, at time.Time, reason string) error {
	return execOne(tx, "end coordinator", `UPDATE case_coordinators SET status = 'ended', ended_at = $1,
		end_reason = $2 WHERE id = $3 AND ended_at IS NULL`, at, reason, id)
}

// Caseload is one coordinator's number of current cases.
type Caseload struct {
	EmployeeID string
	Username   string
	Name       string
	Service    string // the first service the employee belongs to, by name
	Cases      int    // current assignments
	Pending    int    // of which not yet accepted
}

// CoordinatorCaseloads returns every employee of the municipality who is a
// current coordinator, with their caseload, most cases first. It reads only
// the municipality's assignments and employees (a coordinator is always an
// employee of the case's municipality), by case_coordinators_municipality
// and employees_municipality.
func CoordinatorCaseloads(tx *Tx, municipalityID string) ([]Caseload, error) {
	rows, err := tx.Query(caseloadsSQL, municipalityID)
	if err != nil {
		return nil, wrap(err, "caseloads")
	}
	defer rows.Close()
	var out []Caseload
	for rows.Next() {
		var c Caseload
		if err := rows.Scan(&c.EmployeeID, &c.Username, &c.Name, &c.Service, &c.Cases, &c.Pending); err != nil {
			return nil, wrap(err, "caseloads")
		}
		out = append(out, c)
	}
	return out, wrap(rows.Err(), "caseloads")
}

// caseloadsSQL takes $1 municipality.
const caseloadsSQL = `SELECT e.id, e.username, e.name,
	COALESCE((SELECT MIN(s.name) FROM services s JOIN service_members m ON m.service_id = s.id
	          WHERE m.employee_id = e.id), ''),
	COUNT(*), SUM(CASE WHEN k.status = 'appointed' THEN 1 ELSE 0 END)
	FROM case_coordinators k JOIN employees e ON e.id = k.employee_id
	WHERE k.municipality_id = $1 AND k.ended_at IS NULL AND e.municipality_id = $1
	GROUP BY e.id, e.username, e.name
	ORDER BY COUNT(*) DESC, e.username`

// CoordinatorsInYear counts the municipality's coordinator assignments in
// force at some time in [from, to): the persons who had a coordinator, and
// the distinct employees who served as one. It reads only the
// municipality's assignments current or ended since from: two ranges of
// case_coordinators_municipality (municipality, ended_at).
func CoordinatorsInYear(tx *Tx, municipalityID string, from, to time.Time) (cases, employees int, err error) {
	err = tx.QueryRow(coordinatorsInYearSQL, municipalityID, from, to).Scan(&cases, &employees)
	return cases, employees, wrap(err, "coordinators in year")
}

// coordinatorsInYearSQL takes $1 municipality, $2 from, $3 to.
const coordinatorsInYearSQL = `SELECT COUNT(DISTINCT k.case_id), COUNT(DISTINCT k.employee_id)
	FROM case_coordinators k
	WHERE k.municipality_id = $1 AND k.appointed_at < $3 AND (k.ended_at IS NULL OR k.ended_at >= $2)`

// CoordinatedCase is what a coordinator's list shows of one case: its
// title, whom it is about, its open responsibility group and the group's
// next planned meeting.
type CoordinatedCase struct {
	CaseID, Title, SubjectName string
	GroupID                    string     // the open group, "" when none
	NextMeeting                *time.Time // its first planned meeting in [from, to), nil when none
	MeetingID                  string
}

// CoordinatedCases returns, by case id, the cases' titles, subjects, open
// groups and next planned meetings starting in [from, to), in one
// statement for all the cases (the coordinator's list used to ask four
// times per case). Unknown case ids are left out.
func CoordinatedCases(tx *Tx, caseIDs []string, from, to time.Time) (map[string]*CoordinatedCase, error) {
	out := make(map[string]*CoordinatedCase, len(caseIDs))
	if len(caseIDs) == 0 {
		return out, nil
	}
	list, args := inList([]any{from, to}, caseIDs)
	next := `FROM meetings m WHERE m.group_id = x.group_id AND m.status = 'planned'
		AND m.starts_at >= $1 AND m.starts_at < $2 ORDER BY m.starts_at, m.id LIMIT 1`
	rows, err := tx.Query(`SELECT x.id, x.title, x.name, COALESCE(x.group_id, ''),
			(SELECT m.starts_at `+next+`), COALESCE((SELECT m.id `+next+`), '')
		FROM (SELECT c.id, c.title, COALESCE(p.name, '') AS name,
				(SELECT g.id FROM responsibility_groups g WHERE g.case_id = c.id AND g.closed_at IS NULL
				 ORDER BY g.created_at DESC, g.id LIMIT 1) AS group_id
			FROM cases c LEFT JOIN persons p ON p.id = c.subject_person_id
			WHERE c.id IN (`+list+`)) x`, args...)
	if err != nil {
		return nil, wrap(err, "coordinated cases")
	}
	defer rows.Close()
	for rows.Next() {
		c := &CoordinatedCase{}
		var starts nullTime
		if err := rows.Scan(&c.CaseID, &c.Title, &c.SubjectName, &c.GroupID, &starts, &c.MeetingID); err != nil {
			return nil, wrap(err, "coordinated cases")
		}
		c.NextMeeting = starts.ptr()
		out[c.CaseID] = c
	}
	return out, wrap(rows.Err(), "coordinated cases")
}
