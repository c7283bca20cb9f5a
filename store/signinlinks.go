package store

import (
	"database/sql"
	"time"
)

// SignInLink is a one-time sign-in link. Only the hash of its secret is
// stored.
type SignInLink struct {
	ID         string
	EmployeeID string
	SecretHash string
	CreatedAt  time.Time
	ExpiresAt  time.Time
	UsedAt     *time.Time
}

// CreateSignInLink inserts a sign-in link.
func CreateSignInLink(tx *Tx, l *SignInLink) error {
	_, err := tx.Exec(`INSERT INTO signin_links (id, employee_id, secret_hash, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5)`, l.ID, l.EmployeeID, l.SecretHash, l.CreatedAt, l.ExpiresAt)
	return wrap(err, "create sign-in link")
}

// SignInLinkByHash returns the link with the secret's hash, used or not, or
// samordna.ErrNotFound.
func SignInLinkByHash(tx *Tx, secretHash string) (*SignInLink, error) {
	var l SignInLink
	var used sql.NullTime
	err := tx.QueryRow(`SELECT id, employee_id, secret_hash, created_at, expires_at, used_at
		FROM signin_links WHERE secret_hash = $1`, secretHash).
		Scan(&l.ID, &l.EmployeeID, &l.SecretHash, &l.CreatedAt, &l.ExpiresAt, &used)
	if err != nil {
		return nil, wrap(err, "sign-in link")
	}
	if used.Valid {
		l.UsedAt = &used.Time
	}
	return &l, nil
}

// UseSignInLink marks the link used at at, unless it was used already; it
// reports whether this call used it, so that two browsers racing with the
// same link cannot both sign in.
func UseSignInLink(tx *Tx, id string, at time.Time) (bool, error) {
	res, err := tx.Exec(`UPDATE signin_links SET used_at = $1 WHERE id = $2 AND used_at IS NULL`, at, id)
	if err != nil {
		return false, wrap(err, "use sign-in link")
	}
	n, err := res.RowsAffected()
	return n == 1, wrap(err, "use sign-in link")
}

// CountMunicipalities returns how many municipalities the database holds.
// On PostgreSQL it first locks the table against new municipalities until
// the transaction ends, so that two "samordna init" at once cannot both
// find it empty (SQLite has a single writer already).
func CountMunicipalities(tx *Tx) (int, error) {
	if tx.Dialect() == Postgres {
		if _, err := tx.Exec(`LOCK TABLE municipalities IN SHARE ROW EXCLUSIVE MODE`); err != nil {
			return 0, wrap(err, "lock municipalities")
		}
	}
	var n int
	err := tx.QueryRow(`SELECT COUNT(*) FROM municipalities`).Scan(&n)
	return n, wrap(err, "count municipalities")
}
