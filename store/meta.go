package store

import (
	"database/sql"
	"errors"
)

// SetMeta stores a key/value pair about the installation (for example that
// it is a demo database).
func SetMeta(tx *Tx, key, value string) error {
	_, err := tx.Exec(`INSERT INTO meta (key, value) VALUES ($1, $2)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return wrap(err, "set meta")
}

// Meta returns the value for key, or "" when unset.
func Meta(tx *Tx, key string) (string, error) {
	var v string
	err := tx.QueryRow(`SELECT value FROM meta WHERE key = $1`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, wrap(err, "meta")
}

// InitMeta stores value for key unless key already has one, and returns the
// value stored: the first of several servers to ask wins, and all of them
// then use the same value (for example a signing key).
func InitMeta(tx *Tx, key, value string) (string, error) {
	_, err := tx.Exec(`INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`, key, value)
	if err != nil {
		return "", wrap(err, "init meta")
	}
	return Meta(tx, key)
}
