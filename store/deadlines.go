package store

import (
	"time"

	"github.com/samordna/samordna"
)

// This file persists the deadlines a municipality adopted for the steps of
// its routines that have no deadline of their own, and the limits that
// belong to no step (issue 11, rule 9). Every change is a new version.

// DeadlineAdoption is one version of an adopted deadline.
type DeadlineAdoption struct {
	ID             string
	MunicipalityID string
	RoutineID      string // "" for a limit that belongs to no step
	StepID         string // the step, or the limit's key
	Version        int
	Deadline       string // pathway.ParseDeadline form, or "PT<n>H"/"PT<n>M" for a limit
	WorkingDays    bool
	Note           string
	AdoptedBy      string // employee id; "" from the command line
	AdoptedAt      time.Time
	AdoptedByName  string // filled by the queries
}

const adoptionColumns = `d.id, d.municipality_id, d.routine_id, d.step_id, d.version, d.deadline, d.working_days,
	d.note, COALESCE(d.adopted_by, ''), d.adopted_at, COALESCE(e.name, '')`

func scanAdoption(row interface{ Scan(...any) error }) (*DeadlineAdoption, error) {
	var d DeadlineAdoption
	err := row.Scan(&d.ID, &d.MunicipalityID, &d.RoutineID, &d.StepID, &d.Version, &d.Deadline, &d.WorkingDays,
		&d.Note, &d.AdoptedBy, &d.AdoptedAt, &d.AdoptedByName)
	return &d, err
}

// CreateDeadlineAdoption stores d as the next version for its routine and
// step (d.Version is set).
func CreateDeadlineAdoption(tx *Tx, d *DeadlineAdoption) error {
	if d.ID == "" {
		d.ID = samordna.NewID()
	}
	err := tx.QueryRow(`SELECT COALESCE(MAX(version), 0) + 1 FROM deadline_adoptions
		WHERE municipality_id = $1 AND routine_id = $2 AND step_id = $3`, d.MunicipalityID, d.RoutineID, d.StepID).
		Scan(&d.Version)
	if err != nil {
		return wrap(err, "deadline version")
	}
	_, err = tx.Exec(`INSERT INTO deadline_adoptions (id, municipality_id, routine_id, step_id, version, deadline,
		working_days, note, adopted_by, adopted_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		d.ID, d.MunicipalityID, d.RoutineID, d.StepID, d.Version, d.Deadline, d.WorkingDays, d.Note,
		nullable(d.AdoptedBy), d.AdoptedAt)
	return wrap(err, "adopt deadline")
}

// CurrentDeadlineAdoption returns the version in force for the routine's
// step (or the limit), nil when the municipality has adopted none.
func CurrentDeadlineAdoption(tx *Tx, municipalityID, routineID, stepID string) (*DeadlineAdoption, error) {
	d, err := scanAdoption(tx.QueryRow(`SELECT `+adoptionColumns+` FROM deadline_adoptions d
		LEFT JOIN employees e ON e.id = d.adopted_by
		WHERE d.municipality_id = $1 AND d.routine_id = $2 AND d.step_id = $3
		ORDER BY d.version DESC LIMIT 1`, municipalityID, routineID, stepID))
	if samordna.ErrorKind(wrap(err, "deadline adoption")) == samordna.KindNotFound {
		return nil, nil
	}
	if err != nil {
		return nil, wrap(err, "deadline adoption")
	}
	return d, nil
}

// DeadlineAdoptions returns every version the municipality adopted, by
// routine, step and version (newest first within a step).
func DeadlineAdoptions(tx *Tx, municipalityID string) ([]*DeadlineAdoption, error) {
	rows, err := tx.Query(`SELECT `+adoptionColumns+` FROM deadline_adoptions d
		LEFT JOIN employees e ON e.id = d.adopted_by
		WHERE d.municipality_id = $1 ORDER BY d.routine_id, d.step_id, d.version DESC`, municipalityID)
	if err != nil {
		return nil, wrap(err, "deadline adoptions")
	}
	defer rows.Close()
	var out []*DeadlineAdoption
	for rows.Next() {
		d, err := scanAdoption(rows)
		if err != nil {
			return nil, wrap(err, "deadline adoptions")
		}
		out = append(out, d)
	}
	return out, wrap(rows.Err(), "deadline adoptions")
}
