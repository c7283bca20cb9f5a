package store

import (
	"database/sql"
	"strings"
	"time"

	"github.com/samordna/samordna"
)

// CreateConsent inserts a consent as version 1 and its first version row.
func CreateConsent(tx *Tx, c *samordna.Consent) error {
	c.Version = 1
	_, err := tx.Exec(`INSERT INTO consents (id, case_id, version, status, given_by_name, given_by_relation,
		given_by_person_id, recorded_by, recorded_at, valid_until, form_id, team_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		c.ID, c.CaseID, c.Version, c.Status, c.GivenByName, c.GivenByRelation, nullable(c.GivenByPersonID),
		c.RecordedBy, c.RecordedAt, c.ValidUntil, nullable(c.FormID), nullable(c.TeamID))
	if err != nil {
		return wrap(err, "create consent")
	}
	for _, p := range c.Purposes {
		if _, err := tx.Exec(`INSERT INTO consent_purposes (consent_id, purpose) VALUES ($1, $2)`, c.ID, string(p)); err != nil {
			return wrap(err, "consent purpose")
		}
	}
	return addConsentVersion(tx, c, c.RecordedBy, c.RecordedAt, "recorded")
}

// UpdateConsent stores a changed consent (status, withdrawal, form) as a
// new version; the old versions stay.
func UpdateConsent(tx *Tx, c *samordna.Consent, by string, at time.Time, change string) error {
	c.Version++
	err := execOne(tx, "update consent", `UPDATE consents SET version = $1, status = $2, withdrawn_at = $3,
		withdrawn_by = $4, form_id = $5 WHERE id = $6`,
		c.Version, c.Status, c.WithdrawnAt, nullable(c.WithdrawnBy), nullable(c.FormID), c.ID)
	if err != nil {
		return err
	}
	return addConsentVersion(tx, c, by, at, change)
}

func addConsentVersion(tx *Tx, c *samordna.Consent, by string, at time.Time, change string) error {
	_, err := tx.Exec(`INSERT INTO consent_versions (consent_id, version, status, purposes, given_by_name,
		given_by_relation, valid_until, form_id, changed_by, changed_at, change, team_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		c.ID, c.Version, c.Status, joinPurposes(c.Purposes), c.GivenByName, c.GivenByRelation, c.ValidUntil,
		nullable(c.FormID), by, at, change, nullable(c.TeamID))
	return wrap(err, "consent version")
}

const consentColumns = `id, case_id, version, status, given_by_name, given_by_relation,
	COALESCE(given_by_person_id, ''), recorded_by, recorded_at, valid_until, withdrawn_at,
	COALESCE(withdrawn_by, ''), COALESCE(form_id, ''), COALESCE(team_id, '')`

func scanConsent(row interface{ Scan(...any) error }) (*samordna.Consent, error) {
	var c samordna.Consent
	err := row.Scan(&c.ID, &c.CaseID, &c.Version, &c.Status, &c.GivenByName, &c.GivenByRelation,
		&c.GivenByPersonID, &c.RecordedBy, &c.RecordedAt, &c.ValidUntil, &c.WithdrawnAt, &c.WithdrawnBy, &c.FormID,
		&c.TeamID)
	return &c, err
}

// ConsentByID returns a consent with its purposes.
func ConsentByID(tx *Tx, id string) (*samordna.Consent, error) {
	c, err := scanConsent(tx.QueryRow(`SELECT `+consentColumns+` FROM consents WHERE id = $1`, id))
	if err != nil {
		return nil, wrap(err, "consent")
	}
	return c, loadPurposes(tx, c)
}

// ConsentsOfCase returns every consent of a case, newest first, with purposes.
func ConsentsOfCase(tx *Tx, caseID string) ([]*samordna.Consent, error) {
	rows, err := tx.Query(`SELECT `+consentColumns+` FROM consents WHERE case_id = $1 ORDER BY recorded_at DESC, id`, caseID)
	if err != nil {
		return nil, wrap(err, "consents")
	}
	var out []*samordna.Consent
	for rows.Next() {
		c, err := scanConsent(rows)
		if err != nil {
			rows.Close()
			return nil, wrap(err, "consents")
		}
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, wrap(err, "consents")
	}
	for _, c := range out {
		if err := loadPurposes(tx, c); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func loadPurposes(tx *Tx, c *samordna.Consent) error {
	rows, err := tx.Query(`SELECT purpose FROM consent_purposes WHERE consent_id = $1`, c.ID)
	if err != nil {
		return wrap(err, "consent purposes")
	}
	defer rows.Close()
	c.Purposes = nil
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return wrap(err, "consent purposes")
		}
		c.Purposes = append(c.Purposes, samordna.ConsentPurpose(p))
	}
	sortPurposes(c.Purposes)
	return wrap(rows.Err(), "consent purposes")
}

// sortPurposes puts purposes in the canonical display order.
func sortPurposes(ps []samordna.ConsentPurpose) {
	rank := map[samordna.ConsentPurpose]int{}
	for i, p := range samordna.ConsentPurposes {
		rank[p] = i
	}
	for i := 1; i < len(ps); i++ {
		for j := i; j > 0 && rank[ps[j]] < rank[ps[j-1]]; j-- {
			ps[j], ps[j-1] = ps[j-1], ps[j]
		}
	}
}

func joinPurposes(ps []samordna.ConsentPurpose) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = string(p)
	}
	return strings.Join(s, ",")
}

// ConsentVersion is one stored version of a consent.
type ConsentVersion struct {
	Version           int
	Status            string
	Purposes          string // comma-separated, canonical order
	GivenByName       string
	GivenByRelation   string
	ValidUntil        *time.Time
	FormID            string
	ChangedBy         string // employee id
	ChangedByUsername string // "" when the employee is unknown
	ChangedAt         time.Time
	Change            string // "recorded", "withdrawn", "form_attached"
}

// ConsentVersions returns every version of a consent, oldest first.
func ConsentVersions(tx *Tx, consentID string) ([]ConsentVersion, error) {
	rows, err := tx.Query(`SELECT v.version, v.status, v.purposes, v.given_by_name, v.given_by_relation, v.valid_until,
		COALESCE(v.form_id, ''), v.changed_by, COALESCE(e.username, ''), v.changed_at, v.change
		FROM consent_versions v LEFT JOIN employees e ON e.id = v.changed_by
		WHERE v.consent_id = $1 ORDER BY v.version`, consentID)
	if err != nil {
		return nil, wrap(err, "consent versions")
	}
	defer rows.Close()
	var out []ConsentVersion
	for rows.Next() {
		var v ConsentVersion
		if err := rows.Scan(&v.Version, &v.Status, &v.Purposes, &v.GivenByName, &v.GivenByRelation, &v.ValidUntil,
			&v.FormID, &v.ChangedBy, &v.ChangedByUsername, &v.ChangedAt, &v.Change); err != nil {
			return nil, wrap(err, "consent versions")
		}
		out = append(out, v)
	}
	return out, wrap(rows.Err(), "consent versions")
}

// CurrentCoordinator returns the case's current coordinator assignment
// joined with the employee, or nil when there is none.
func CurrentCoordinator(tx *Tx, caseID string) (*CoordinatorRow, error) {
	var c CoordinatorRow
	err := tx.QueryRow(`SELECT k.id, e.id, e.username, e.name, k.kind, k.status FROM case_coordinators k
		JOIN employees e ON e.id = k.employee_id
		WHERE k.case_id = $1 AND k.ended_at IS NULL ORDER BY k.appointed_at DESC LIMIT 1`, caseID).
		Scan(&c.ID, &c.EmployeeID, &c.Username, &c.Name, &c.Kind, &c.Status)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, wrap(err, "coordinator")
	}
	return &c, nil
}

// CoordinatorRow is a coordinator assignment with the employee's name.
type CoordinatorRow struct {
	ID         string
	EmployeeID string
	Username   string
	Name       string
	Kind       string
	Status     string
}
