package store

import (
	"time"

	"github.com/samordna/samordna"
)

// AcuteContact is one contact made in a serious, acute situation: whom the
// employee contacted (police, legevakt, child welfare on duty, ...) and
// when (seed 000 situation 5; seed 003 row 10).
type AcuteContact struct {
	ID          string
	CaseID      string
	Contacted   string // app.AcuteContactKinds
	ContactedAt time.Time
	Note        string // whom they spoke to, what was agreed
	RecordedBy  string // employee id
	RecordedAt  time.Time
	// Filled by AcuteContactsOfCase: who recorded it.
	RecorderName string
}

// CreateAcuteContact inserts a contact.
func CreateAcuteContact(tx *Tx, c *AcuteContact) error {
	if c.ID == "" {
		c.ID = samordna.NewID()
	}
	_, err := tx.Exec(`INSERT INTO acute_contacts (id, case_id, contacted, contacted_at, note, recorded_by, recorded_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, c.ID, c.CaseID, c.Contacted, c.ContactedAt, c.Note, c.RecordedBy, c.RecordedAt)
	return wrap(err, "create acute contact")
}

// AcuteContactsOfCase returns the case's acute contacts in the order they
// were made.
func AcuteContactsOfCase(tx *Tx, caseID string) ([]*AcuteContact, error) {
	rows, err := tx.Query(`SELECT a.id, a.case_id, a.contacted, a.contacted_at, a.note, a.recorded_by, a.recorded_at,
		e.name FROM acute_contacts a JOIN employees e ON e.id = a.recorded_by
		WHERE a.case_id = $1 ORDER BY a.contacted_at, a.id`, caseID)
	if err != nil {
		return nil, wrap(err, "acute contacts")
	}
	defer rows.Close()
	var out []*AcuteContact
	for rows.Next() {
		var c AcuteContact
		if err := rows.Scan(&c.ID, &c.CaseID, &c.Contacted, &c.ContactedAt, &c.Note, &c.RecordedBy, &c.RecordedAt,
			&c.RecorderName); err != nil {
			return nil, wrap(err, "acute contacts")
		}
		out = append(out, &c)
	}
	return out, wrap(rows.Err(), "acute contacts")
}
