package store

import (
	"time"

	"github.com/samordna/samordna"
)

// This file persists the routine documents the administrator uploads (YAML,
// read by package pathway) and the municipality's default routine. The
// routines shipped with the binary live in package routines, not here.

// RoutineDocument is one uploaded version of a routine.
type RoutineDocument struct {
	ID         string
	RoutineID  string
	Version    int
	Name       string
	FileName   string
	Document   string // the YAML as uploaded
	SHA256     string
	UploadedBy string // employee id, "" for the command line
	UploadedAt time.Time
}

// ErrRoutineVersionExists is returned by CreateRoutineDocument when the
// version of the routine is already stored.
var ErrRoutineVersionExists = samordna.Errorf(samordna.KindConflict, "routine_version_exists",
	"this version of the routine is already stored; give the new one a higher version")

// CreateRoutineDocument stores an uploaded routine version.
func CreateRoutineDocument(tx *Tx, d *RoutineDocument) error {
	if d.ID == "" {
		d.ID = samordna.NewID()
	}
	_, err := tx.Exec(`INSERT INTO routine_documents (id, routine_id, version, name, file_name, document, sha256,
		uploaded_by, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		d.ID, d.RoutineID, d.Version, d.Name, d.FileName, d.Document, d.SHA256, d.UploadedBy, d.UploadedAt)
	if isUniqueViolation(err) {
		return ErrRoutineVersionExists
	}
	return wrap(err, "create routine document")
}

// RoutineVersionKey names one stored routine version.
type RoutineVersionKey struct {
	RoutineID string
	Version   int
}

// StoredRoutineVersions lists every stored routine version, ordered by
// routine id and version.
func StoredRoutineVersions(tx *Tx) ([]RoutineVersionKey, error) {
	rows, err := tx.Query(`SELECT routine_id, version FROM routine_documents ORDER BY routine_id, version`)
	if err != nil {
		return nil, wrap(err, "routine versions")
	}
	defer rows.Close()
	var out []RoutineVersionKey
	for rows.Next() {
		var k RoutineVersionKey
		if err := rows.Scan(&k.RoutineID, &k.Version); err != nil {
			return nil, wrap(err, "routine versions")
		}
		out = append(out, k)
	}
	return out, wrap(rows.Err(), "routine versions")
}

// RoutineDocumentByVersion returns one stored version or samordna.ErrNotFound.
func RoutineDocumentByVersion(tx *Tx, routineID string, version int) (*RoutineDocument, error) {
	var d RoutineDocument
	err := tx.QueryRow(`SELECT id, routine_id, version, name, file_name, document, sha256, uploaded_by, uploaded_at
		FROM routine_documents WHERE routine_id = $1 AND version = $2`, routineID, version).
		Scan(&d.ID, &d.RoutineID, &d.Version, &d.Name, &d.FileName, &d.Document, &d.SHA256, &d.UploadedBy, &d.UploadedAt)
	if err != nil {
		return nil, wrap(err, "routine document")
	}
	return &d, nil
}

// ListRoutineDocuments returns the stored versions without their text,
// newest upload first (at most 200).
func ListRoutineDocuments(tx *Tx) ([]*RoutineDocument, error) {
	rows, err := tx.Query(`SELECT id, routine_id, version, name, file_name, sha256, uploaded_by, uploaded_at
		FROM routine_documents ORDER BY uploaded_at DESC, id LIMIT 200`)
	if err != nil {
		return nil, wrap(err, "list routine documents")
	}
	defer rows.Close()
	var out []*RoutineDocument
	for rows.Next() {
		var d RoutineDocument
		if err := rows.Scan(&d.ID, &d.RoutineID, &d.Version, &d.Name, &d.FileName, &d.SHA256, &d.UploadedBy,
			&d.UploadedAt); err != nil {
			return nil, wrap(err, "list routine documents")
		}
		out = append(out, &d)
	}
	return out, wrap(rows.Err(), "list routine documents")
}

// DefaultRoutineID returns the routine new cases of the municipality follow
// when the concern names none ("" when not set).
func DefaultRoutineID(tx *Tx, municipalityID string) (string, error) {
	var id string
	err := tx.QueryRow(`SELECT default_routine_id FROM municipalities WHERE id = $1`, municipalityID).Scan(&id)
	return id, wrap(err, "default routine")
}

// SetDefaultRoutineID sets the municipality's default routine.
func SetDefaultRoutineID(tx *Tx, municipalityID, routineID string) error {
	return execOne(tx, "set default routine", `UPDATE municipalities SET default_routine_id = $1 WHERE id = $2`,
		routineID, municipalityID)
}
