package store

import (
	"database/sql"
	"time"

	"github.com/samordna/samordna"
)

// This file persists the municipality's catalogue of recognised methods
// (seed 001 individual level): screening tools and follow-up measures it
// has adopted, and how many plan measures name each (MethodUse, for the
// leadership's report).

// Method kinds.
const (
	MethodScreening = "screening"
	MethodFollowUp  = "follow_up"
)

// MethodTemplateKindergarten is the shipped template for the start-up and
// parent conversations in kindergartens (seed 001).
const MethodTemplateKindergarten = "kindergarten_conversation"

// Method is one adopted method.
type Method struct {
	ID             string
	MunicipalityID string
	Kind           string // MethodScreening or MethodFollowUp
	Name           string
	Description    string
	Source         string // where it is described (e.g. a knowledge centre's page)
	// Template is the key of a printable template Samordna ships for the
	// method ("" for none; see MethodTemplateKindergarten).
	Template  string
	AdoptedBy string
	AdoptedAt time.Time
	RetiredAt *time.Time
}

// CreateMethod inserts a method.
func CreateMethod(tx *Tx, m *Method) error {
	if m.ID == "" {
		m.ID = samordna.NewID()
	}
	_, err := tx.Exec(`INSERT INTO methods (id, municipality_id, kind, name, description, source, adopted_by, adopted_at, template)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, m.ID, m.MunicipalityID, m.Kind, m.Name, m.Description, m.Source,
		m.AdoptedBy, m.AdoptedAt, m.Template)
	return wrap(err, "create method")
}

// RetireMethod marks the method no longer in the catalogue; measures that
// name it keep the name.
func RetireMethod(tx *Tx, id string, at time.Time) error {
	_, err := tx.Exec(`UPDATE methods SET retired_at = $2 WHERE id = $1 AND retired_at IS NULL`, id, at)
	return wrap(err, "retire method")
}

const methodColumns = `id, municipality_id, kind, name, description, source, adopted_by, adopted_at, retired_at, template`

func scanMethod(row interface{ Scan(...any) error }) (*Method, error) {
	var m Method
	err := row.Scan(&m.ID, &m.MunicipalityID, &m.Kind, &m.Name, &m.Description, &m.Source, &m.AdoptedBy,
		&m.AdoptedAt, &m.RetiredAt, &m.Template)
	return &m, err
}

// MethodByID returns the method or samordna.ErrNotFound.
func MethodByID(tx *Tx, id string) (*Method, error) {
	m, err := scanMethod(tx.QueryRow(`SELECT `+methodColumns+` FROM methods WHERE id = $1`, id))
	if err == sql.ErrNoRows {
		return nil, samordna.ErrNotFound
	}
	return m, wrap(err, "method")
}

// MethodsOf returns the municipality's methods (retired ones too), by kind
// and name.
func MethodsOf(tx *Tx, municipalityID string) ([]*Method, error) {
	rows, err := tx.Query(`SELECT `+methodColumns+` FROM methods WHERE municipality_id = $1 ORDER BY kind, name, id`,
		municipalityID)
	if err != nil {
		return nil, wrap(err, "methods")
	}
	defer rows.Close()
	var out []*Method
	for rows.Next() {
		m, err := scanMethod(rows)
		if err != nil {
			return nil, wrap(err, "methods")
		}
		out = append(out, m)
	}
	return out, wrap(rows.Err(), "methods")
}

// MethodUseCount is how often one method is named.
type MethodUseCount struct {
	MethodID, Name, Kind string
	Measures             int // measures in current plan versions that name it
	Cases                int // distinct cases with such a measure
}

// MethodUse returns, for every method of the municipality (retired ones
// included), how many measures of current plan versions name it and in how
// many cases. Function for the leadership's report ("which methods are
// used").
func MethodUse(tx *Tx, municipalityID string) ([]MethodUseCount, error) {
	rows, err := tx.Query(`SELECT m.id, m.name, m.kind, COUNT(pm.measure_id), COUNT(DISTINCT pm.case_id)
		FROM methods m LEFT JOIN plan_measures pm ON pm.method_id = m.id
		WHERE m.municipality_id = $1 GROUP BY m.id, m.name, m.kind ORDER BY m.kind, m.name, m.id`, municipalityID)
	if err != nil {
		return nil, wrap(err, "method use")
	}
	defer rows.Close()
	var out []MethodUseCount
	for rows.Next() {
		var c MethodUseCount
		if err := rows.Scan(&c.MethodID, &c.Name, &c.Kind, &c.Measures, &c.Cases); err != nil {
			return nil, wrap(err, "method use")
		}
		out = append(out, c)
	}
	return out, wrap(rows.Err(), "method use")
}
