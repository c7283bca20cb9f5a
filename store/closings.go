package store

import (
	"database/sql"
	"time"
)

// This file persists closing and reopening a case: the case's status and
// closed_at, and one case_closings row per closing or reopening with its
// reason and note.

// Closing kinds.
const (
	ClosingClose  = "close"
	ClosingReopen = "reopen"
)

// Closing is one closing or reopening of a case.
type Closing struct {
	ID, CaseID, Kind, Reason, Note, ByID string
	At                                   time.Time
}

// CloseCase sets the case closed at `at` if it is open; it reports whether
// it did (false: it was closed already).
func CloseCase(tx *Tx, caseID string, at time.Time) (bool, error) {
	res, err := tx.Exec(`UPDATE cases SET status = 'closed', closed_at = $1, updated_at = $1
		WHERE id = $2 AND status = 'open'`, at, caseID)
	if err != nil {
		return false, wrap(err, "close case")
	}
	n, err := res.RowsAffected()
	return n == 1, wrap(err, "close case")
}

// ReopenCase sets a closed case open again (closed_at cleared, so the
// retention period no longer runs) if it is closed and not purged; it
// reports whether it did.
func ReopenCase(tx *Tx, caseID string, at time.Time) (bool, error) {
	res, err := tx.Exec(`UPDATE cases SET status = 'open', closed_at = NULL, updated_at = $1
		WHERE id = $2 AND status = 'closed'
		AND NOT EXISTS (SELECT 1 FROM purged_cases p WHERE p.case_id = cases.id)`, at, caseID)
	if err != nil {
		return false, wrap(err, "reopen case")
	}
	n, err := res.RowsAffected()
	return n == 1, wrap(err, "reopen case")
}

// AddClosing records a closing or reopening.
func AddClosing(tx *Tx, c *Closing) error {
	_, err := tx.Exec(`INSERT INTO case_closings (id, case_id, kind, reason, note, by_id, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, c.ID, c.CaseID, c.Kind, c.Reason, c.Note, c.ByID, c.At)
	return wrap(err, "add case closing")
}

// LastClosing returns the case's latest closing or reopening, or nil.
func LastClosing(tx *Tx, caseID string) (*Closing, error) {
	var c Closing
	err := tx.QueryRow(`SELECT id, case_id, kind, reason, note, by_id, at FROM case_closings
		WHERE case_id = $1 ORDER BY at DESC, id DESC LIMIT 1`, caseID).
		Scan(&c.ID, &c.CaseID, &c.Kind, &c.Reason, &c.Note, &c.ByID, &c.At)
	if err != nil {
		if err == sql.ErrNoRows {
			return nil, nil
		}
		return nil, wrap(err, "last case closing")
	}
	return &c, nil
}

// OpenTasksOfCase counts the case's open tasks.
func OpenTasksOfCase(tx *Tx, caseID string) (int, error) {
	var n int
	err := tx.QueryRow(`SELECT COUNT(*) FROM tasks WHERE case_id = $1 AND status = 'open'`, caseID).Scan(&n)
	return n, wrap(err, "open tasks")
}
