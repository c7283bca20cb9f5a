package store

import (
	"time"

	"github.com/samordna/samordna"
)

// Session is a signed-in browser session. Only the hash of its secret id is
// stored, so a copy of the database cannot be used to take over sessions.
type Session struct {
	IDHash     string
	EmployeeID string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time // absolute end
	Lang       string
	// IDToken is the OpenID Connect ID token the session was signed in with
	// ("" for a password sign-in), for the provider's sign-out.
	IDToken string
}

// CreateSession inserts a session.
func CreateSession(tx *Tx, s *Session) error {
	_, err := tx.Exec(`INSERT INTO sessions (id_hash, employee_id, created_at, last_seen_at, expires_at, lang, id_token)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, s.IDHash, s.EmployeeID, s.CreatedAt, s.LastSeenAt, s.ExpiresAt, s.Lang, s.IDToken)
	return wrap(err, "create session")
}

// SessionByHash returns the session or samordna.ErrNotFound.
func SessionByHash(tx *Tx, idHash string) (*Session, error) {
	var s Session
	err := tx.QueryRow(`SELECT id_hash, employee_id, created_at, last_seen_at, expires_at, lang, id_token
		FROM sessions WHERE id_hash = $1`, idHash).
		Scan(&s.IDHash, &s.EmployeeID, &s.CreatedAt, &s.LastSeenAt, &s.ExpiresAt, &s.Lang, &s.IDToken)
	if err != nil {
		return nil, wrap(err, "session")
	}
	return &s, nil
}

// SessionEmployee returns the session and its employee (with roles and
// services) in one statement, or samordna.ErrNotFound: a signed-in page
// request authenticates with it.
func SessionEmployee(tx *Tx, idHash string) (*Session, *samordna.Employee, error) {
	var s Session
	e, err := oneEmployee(queryEmployees(tx, "session", "x.id_hash, x.created_at, x.last_seen_at, x.expires_at, x.lang, x.id_token",
		"sessions x JOIN employees e ON e.id = x.employee_id", "x.id_hash = $1", "e.id",
		func(*samordna.Employee) []any {
			return []any{&s.IDHash, &s.CreatedAt, &s.LastSeenAt, &s.ExpiresAt, &s.Lang, &s.IDToken}
		}, idHash))
	if err != nil {
		return nil, nil, err
	}
	s.EmployeeID = e.ID
	return &s, e, nil
}

// TouchSession records activity on a session.
func TouchSession(tx *Tx, idHash string, at time.Time) error {
	_, err := tx.Exec(`UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2`, at, idHash)
	return wrap(err, "touch session")
}

// SetSessionLang stores the session's chosen language.
func SetSessionLang(tx *Tx, idHash, lang string) error {
	_, err := tx.Exec(`UPDATE sessions SET lang = $1 WHERE id_hash = $2`, lang, idHash)
	return wrap(err, "session language")
}

// DeleteSession ends a session on the server.
func DeleteSession(tx *Tx, idHash string) error {
	_, err := tx.Exec(`DELETE FROM sessions WHERE id_hash = $1`, idHash)
	return wrap(err, "delete session")
}

// DeleteEmployeeSessions ends every session of an employee (on disable or
// password change).
func DeleteEmployeeSessions(tx *Tx, employeeID string) error {
	_, err := tx.Exec(`DELETE FROM sessions WHERE employee_id = $1`, employeeID)
	return wrap(err, "delete sessions")
}

// AccessToken is a personal access token for API clients; only its hash is stored.
type AccessToken struct {
	ID         string
	EmployeeID string
	Name       string
	TokenHash  string
	CreatedAt  time.Time
	RevokedAt  *time.Time
}

// CreateAccessToken inserts a token.
func CreateAccessToken(tx *Tx, t *AccessToken) error {
	_, err := tx.Exec(`INSERT INTO access_tokens (id, employee_id, name, token_hash, created_at)
		VALUES ($1, $2, $3, $4, $5)`, t.ID, t.EmployeeID, t.Name, t.TokenHash, t.CreatedAt)
	return wrap(err, "create token")
}

// AccessTokenByHash returns a token that is not revoked, or samordna.ErrNotFound.
func AccessTokenByHash(tx *Tx, hash string) (*AccessToken, error) {
	var t AccessToken
	err := tx.QueryRow(`SELECT id, employee_id, name, token_hash, created_at FROM access_tokens
		WHERE token_hash = $1 AND revoked_at IS NULL`, hash).
		Scan(&t.ID, &t.EmployeeID, &t.Name, &t.TokenHash, &t.CreatedAt)
	if err != nil {
		return nil, wrap(err, "token")
	}
	return &t, nil
}

// TokenEmployee returns the employee behind the access token that has the
// hash and is not revoked, with roles and services, in one statement (a
// bearer-token request authenticates with it; a revocation is seen by the
// next request), or samordna.ErrNotFound.
func TokenEmployee(tx *Tx, hash string) (*samordna.Employee, error) {
	return oneEmployee(queryEmployees(tx, "token", "", "access_tokens t JOIN employees e ON e.id = t.employee_id",
		"t.token_hash = $1 AND t.revoked_at IS NULL", "e.id", nil, hash))
}

// RevokeAccessToken revokes one token by id, or every token of an employee
// when id is empty. It returns how many were revoked.
func RevokeAccessToken(tx *Tx, employeeID, id string, at time.Time) (int64, error) {
	q := `UPDATE access_tokens SET revoked_at = $1 WHERE employee_id = $2 AND revoked_at IS NULL`
	args := []any{at, employeeID}
	if id != "" {
		q += ` AND id = $3`
		args = append(args, id)
	}
	res, err := tx.Exec(q, args...)
	if err != nil {
		return 0, wrap(err, "revoke token")
	}
	n, _ := res.RowsAffected()
	return n, nil
}
