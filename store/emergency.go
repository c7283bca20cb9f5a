package store

import (
	"database/sql"
	"errors"
	"time"
)

// This file persists emergency access ("break the glass"): an employee
// with the emergency_access role opens a case without a relation, with a
// reason, for a limited time. Each access waits for review by the leader
// of the reviewing service.

// EmergencyAccess is one granted emergency access with, for display, the
// names that go with its ids.
type EmergencyAccess struct {
	ID         string
	CaseID     string
	EmployeeID string
	// ServiceID is the reviewing service: its leader reviews the access
	// (see app.BreakGlass for how it is chosen). "" when none was found.
	ServiceID  string
	ReasonCode string
	ReasonText string
	GrantedAt  time.Time
	ExpiresAt  time.Time
	ReviewedBy string // employee id, "" until reviewed
	ReviewedAt *time.Time
	ReviewNote string

	Username         string // of the employee who opened the case (filled by reads)
	Name             string
	ServiceName      string // of the reviewing service
	ReviewerUsername string
	ReviewerName     string
}

// CreateEmergencyAccess inserts a granted emergency access.
func CreateEmergencyAccess(tx *Tx, e *EmergencyAccess) error {
	_, err := tx.Exec(`INSERT INTO emergency_accesses (id, case_id, employee_id, service_id, reason_code, reason_text,
		granted_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		e.ID, e.CaseID, e.EmployeeID, nullable(e.ServiceID), e.ReasonCode, e.ReasonText, e.GrantedAt, e.ExpiresAt)
	return wrap(err, "create emergency access")
}

const emergencyColumns = `x.id, x.case_id, x.employee_id, COALESCE(x.service_id, ''), x.reason_code, x.reason_text,
	x.granted_at, x.expires_at, COALESCE(x.reviewed_by, ''), x.reviewed_at, x.review_note,
	e.username, e.name, COALESCE(s.name, ''), COALESCE(r.username, ''), COALESCE(r.name, '')`

const emergencyFrom = ` FROM emergency_accesses x
	JOIN employees e ON e.id = x.employee_id
	LEFT JOIN services s ON s.id = x.service_id
	LEFT JOIN employees r ON r.id = x.reviewed_by`

func scanEmergency(row interface{ Scan(...any) error }) (*EmergencyAccess, error) {
	var x EmergencyAccess
	err := row.Scan(&x.ID, &x.CaseID, &x.EmployeeID, &x.ServiceID, &x.ReasonCode, &x.ReasonText,
		&x.GrantedAt, &x.ExpiresAt, &x.ReviewedBy, &x.ReviewedAt, &x.ReviewNote,
		&x.Username, &x.Name, &x.ServiceName, &x.ReviewerUsername, &x.ReviewerName)
	return &x, err
}

// EmergencyAccessByID returns the emergency access or samordna.ErrNotFound.
func EmergencyAccessByID(tx *Tx, id string) (*EmergencyAccess, error) {
	x, err := scanEmergency(tx.QueryRow(`SELECT `+emergencyColumns+emergencyFrom+` WHERE x.id = $1`, id))
	if err != nil {
		return nil, wrap(err, "emergency access")
	}
	return x, nil
}

// ReviewEmergencyAccess marks an unreviewed access reviewed;
// samordna.ErrNotFound when it is unknown or already reviewed.
func ReviewEmergencyAccess(tx *Tx, id, by string, at time.Time, note string) error {
	return execOne(tx, "review emergency access", `UPDATE emergency_accesses
		SET reviewed_by = $1, reviewed_at = $2, review_note = $3 WHERE id = $4 AND reviewed_at IS NULL`,
		by, at, note, id)
}

// EmergencyReviewsFor returns the emergency accesses the leader reviews:
// those whose reviewing service the leader leads, never the leader's own.
// Unreviewed ones come first, then newest first (at most 200).
func EmergencyReviewsFor(tx *Tx, leaderID string) ([]*EmergencyAccess, error) {
	rows, err := tx.Query(`SELECT `+emergencyColumns+emergencyFrom+`
		WHERE x.service_id IN (SELECT service_id FROM service_leaders WHERE employee_id = $1) AND x.employee_id <> $1
		ORDER BY CASE WHEN x.reviewed_at IS NULL THEN 0 ELSE 1 END, x.granted_at DESC, x.id LIMIT 200`, leaderID)
	if err != nil {
		return nil, wrap(err, "emergency reviews")
	}
	defer rows.Close()
	var out []*EmergencyAccess
	for rows.Next() {
		x, err := scanEmergency(rows)
		if err != nil {
			return nil, wrap(err, "emergency reviews")
		}
		out = append(out, x)
	}
	return out, wrap(rows.Err(), "emergency reviews")
}

// LeadsService reports whether the employee leads the service.
func LeadsService(tx *Tx, employeeID, serviceID string) (bool, error) {
	var n int
	err := tx.QueryRow(`SELECT COUNT(*) FROM service_leaders WHERE service_id = $1 AND employee_id = $2`,
		serviceID, employeeID).Scan(&n)
	return n > 0, wrap(err, "leads service")
}

// ServiceOfKind returns the id of the municipality's first service of the
// kind (by name) that has a leader other than excludeLeader, or "" when
// there is none.
func ServiceOfKind(tx *Tx, municipalityID, kind, excludeLeader string) (string, error) {
	var id string
	err := tx.QueryRow(`SELECT id FROM services WHERE municipality_id = $1 AND kind = $2
		AND EXISTS (SELECT 1 FROM service_leaders l WHERE l.service_id = services.id AND l.employee_id <> $3)
		ORDER BY name, id LIMIT 1`,
		municipalityID, kind, excludeLeader).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return id, wrap(err, "service of kind")
}
