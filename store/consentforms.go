package store

import (
	"time"
)

// This file persists scanned, signed consent forms (PDF, PNG or JPEG; app
// checks the content). A form belongs to a case and can be attached to a
// consent of that case; it is never changed or deleted.

// ConsentForm is one uploaded form. Data is filled only by ConsentFormByID.
type ConsentForm struct {
	ID          string
	CaseID      string
	ContentType string
	Size        int64
	SHA256      string // hex
	Data        []byte
	UploadedBy  string // employee id
	UploadedAt  time.Time
}

// CreateConsentForm inserts a form.
func CreateConsentForm(tx *Tx, f *ConsentForm) error {
	_, err := tx.Exec(`INSERT INTO consent_forms (id, case_id, content_type, size_bytes, sha256, data, uploaded_by,
		uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		f.ID, f.CaseID, f.ContentType, f.Size, f.SHA256, f.Data, f.UploadedBy, f.UploadedAt)
	return wrap(err, "create consent form")
}

// ConsentFormByID returns the form with its data, or samordna.ErrNotFound.
func ConsentFormByID(tx *Tx, id string) (*ConsentForm, error) {
	var f ConsentForm
	err := tx.QueryRow(`SELECT id, case_id, content_type, size_bytes, sha256, data, uploaded_by, uploaded_at
		FROM consent_forms WHERE id = $1`, id).
		Scan(&f.ID, &f.CaseID, &f.ContentType, &f.Size, &f.SHA256, &f.Data, &f.UploadedBy, &f.UploadedAt)
	if err != nil {
		return nil, wrap(err, "consent form")
	}
	return &f, nil
}

// ConsentFormsOfCase returns the case's forms without their data, newest
// first (at most 100).
func ConsentFormsOfCase(tx *Tx, caseID string) ([]*ConsentForm, error) {
	rows, err := tx.Query(`SELECT id, case_id, content_type, size_bytes, sha256, uploaded_by, uploaded_at
		FROM consent_forms WHERE case_id = $1 ORDER BY uploaded_at DESC, id LIMIT 100`, caseID)
	if err != nil {
		return nil, wrap(err, "consent forms")
	}
	defer rows.Close()
	var out []*ConsentForm
	for rows.Next() {
		var f ConsentForm
		if err := rows.Scan(&f.ID, &f.CaseID, &f.ContentType, &f.Size, &f.SHA256, &f.UploadedBy, &f.UploadedAt); err != nil {
			return nil, wrap(err, "consent forms")
		}
		out = append(out, &f)
	}
	return out, wrap(rows.Err(), "consent forms")
}
