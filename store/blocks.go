package store

import (
	"time"

	"github.com/samordna/samordna"
)

// This file persists blocks (sperring): at the person's request, named
// employees are barred from a case until the bar is lifted. A block is never
// deleted; lifting it records who lifted it and when.

// Block is one bar on one employee for one case, with the barred
// employee's username and name for display.
type Block struct {
	ID         string
	CaseID     string
	EmployeeID string
	Username   string // of the barred employee (filled by reads)
	Name       string // of the barred employee (filled by reads)
	Reason     string
	CreatedBy  string // employee id
	CreatedAt  time.Time
	LiftedBy   string // employee id, "" while active
	LiftedAt   *time.Time
}

// Active reports whether the block still holds.
func (b *Block) Active() bool { return b.LiftedAt == nil }

// CreateBlock inserts an active block. An empty b.ID is filled.
func CreateBlock(tx *Tx, b *Block) error {
	if b.ID == "" {
		b.ID = samordna.NewID()
	}
	_, err := tx.Exec(`INSERT INTO case_blocks (id, case_id, employee_id, reason, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, b.ID, b.CaseID, b.EmployeeID, b.Reason, b.CreatedBy, b.CreatedAt)
	return wrap(err, "create block")
}

const blockColumns = `b.id, b.case_id, b.employee_id, e.username, e.name, b.reason, b.created_by, b.created_at,
	COALESCE(b.lifted_by, ''), b.lifted_at`

func scanBlock(row interface{ Scan(...any) error }) (*Block, error) {
	var b Block
	err := row.Scan(&b.ID, &b.CaseID, &b.EmployeeID, &b.Username, &b.Name, &b.Reason, &b.CreatedBy, &b.CreatedAt,
		&b.LiftedBy, &b.LiftedAt)
	return &b, err
}

// BlockByID returns the block or samordna.ErrNotFound.
func BlockByID(tx *Tx, id string) (*Block, error) {
	b, err := scanBlock(tx.QueryRow(`SELECT `+blockColumns+` FROM case_blocks b
		JOIN employees e ON e.id = b.employee_id WHERE b.id = $1`, id))
	if err != nil {
		return nil, wrap(err, "block")
	}
	return b, nil
}

// HasActiveBlock reports whether the employee is barred from the case now.
func HasActiveBlock(tx *Tx, caseID, employeeID string) (bool, error) {
	var n int
	err := tx.QueryRow(`SELECT COUNT(*) FROM case_blocks WHERE case_id = $1 AND employee_id = $2 AND lifted_at IS NULL`,
		caseID, employeeID).Scan(&n)
	return n > 0, wrap(err, "active block")
}

// LiftBlock lifts an active block; samordna.ErrNotFound when there is no
// such active block.
func LiftBlock(tx *Tx, id, by string, at time.Time) error {
	return execOne(tx, "lift block", `UPDATE case_blocks SET lifted_by = $1, lifted_at = $2
		WHERE id = $3 AND lifted_at IS NULL`, by, at, id)
}

// BlocksOfCase returns every block of the case, active ones first, then
// newest first (at most 200).
func BlocksOfCase(tx *Tx, caseID string) ([]*Block, error) {
	rows, err := tx.Query(`SELECT `+blockColumns+` FROM case_blocks b JOIN employees e ON e.id = b.employee_id
		WHERE b.case_id = $1
		ORDER BY CASE WHEN b.lifted_at IS NULL THEN 0 ELSE 1 END, b.created_at DESC, b.id LIMIT 200`, caseID)
	if err != nil {
		return nil, wrap(err, "blocks")
	}
	defer rows.Close()
	var out []*Block
	for rows.Next() {
		b, err := scanBlock(rows)
		if err != nil {
			return nil, wrap(err, "blocks")
		}
		out = append(out, b)
	}
	return out, wrap(rows.Err(), "blocks")
}
