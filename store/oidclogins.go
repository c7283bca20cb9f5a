package store

import (
	"time"

	"github.com/samordna/samordna"
)

// OIDCLogin is an OpenID Connect sign-in under way: what the provider's
// answer must match (state, nonce, the PKCE verifier) and where to go after.
// It is found by the hash of a random value kept in the browser that started
// it, so an answer from the provider completes only that browser's sign-in.
type OIDCLogin struct {
	IDHash     string
	State      string
	Nonce      string
	Verifier   string
	ReturnPath string
	CreatedAt  time.Time
	ExpiresAt  time.Time
}

// CreateOIDCLogin stores a sign-in under way, and removes the ones that have
// expired (abandoned at the provider).
func CreateOIDCLogin(tx *Tx, l *OIDCLogin) error {
	if _, err := tx.Exec(`DELETE FROM oidc_logins WHERE expires_at <= $1`, l.CreatedAt); err != nil {
		return wrap(err, "expire oidc logins")
	}
	_, err := tx.Exec(`INSERT INTO oidc_logins (id_hash, state, nonce, verifier, return_path, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, l.IDHash, l.State, l.Nonce, l.Verifier, l.ReturnPath, l.CreatedAt, l.ExpiresAt)
	return wrap(err, "create oidc login")
}

// TakeOIDCLogin returns the sign-in under way and removes it, so that it is
// used at most once; samordna.ErrNotFound when there is none.
func TakeOIDCLogin(tx *Tx, idHash string) (*OIDCLogin, error) {
	var l OIDCLogin
	err := tx.QueryRow(`SELECT id_hash, state, nonce, verifier, return_path, created_at, expires_at
		FROM oidc_logins WHERE id_hash = $1`, idHash).
		Scan(&l.IDHash, &l.State, &l.Nonce, &l.Verifier, &l.ReturnPath, &l.CreatedAt, &l.ExpiresAt)
	if err != nil {
		return nil, wrap(err, "oidc login")
	}
	if _, err := tx.Exec(`DELETE FROM oidc_logins WHERE id_hash = $1`, idHash); err != nil {
		return nil, wrap(err, "use oidc login")
	}
	return &l, nil
}

// EmployeeByExternalID returns the one employee with this external id (the
// id the municipality's directory knows them by), with roles and services,
// or samordna.ErrNotFound when none or more than one has it.
func EmployeeByExternalID(tx *Tx, externalID string) (*samordna.Employee, error) {
	rows, err := tx.Query(`SELECT id FROM employees WHERE external_id = $1 ORDER BY id LIMIT 2`, externalID)
	if err != nil {
		return nil, wrap(err, "employee by external id")
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, wrap(err, "employee by external id")
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, wrap(err, "employee by external id")
	}
	if len(ids) != 1 {
		return nil, samordna.ErrNotFound
	}
	return EmployeeByID(tx, ids[0])
}
