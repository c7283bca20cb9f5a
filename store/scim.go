package store

import (
	"time"

	"github.com/samordna/samordna"
)

// This file persists what the municipality's directory needs to provision
// employees over SCIM 2.0: the bearer secrets (only their hashes), an
// employee's profile as the directory sends it, and service membership.

// CreateSCIMToken stores the hash of a new SCIM bearer secret.
func CreateSCIMToken(tx *Tx, municipalityID, hash string, at time.Time) error {
	_, err := tx.Exec(`INSERT INTO scim_tokens (id, municipality_id, token_hash, created_at) VALUES ($1, $2, $3, $4)`,
		samordna.NewID(), municipalityID, hash, at)
	return wrap(err, "create scim token")
}

// SCIMTokenMunicipality returns the municipality of a SCIM secret that is
// not revoked, or samordna.ErrNotFound.
func SCIMTokenMunicipality(tx *Tx, hash string) (string, error) {
	var id string
	err := tx.QueryRow(`SELECT municipality_id FROM scim_tokens WHERE token_hash = $1 AND revoked_at IS NULL`, hash).
		Scan(&id)
	return id, wrap(err, "scim token")
}

// RevokeSCIMTokens revokes every SCIM secret of the municipality.
func RevokeSCIMTokens(tx *Tx, municipalityID string, at time.Time) error {
	_, err := tx.Exec(`UPDATE scim_tokens SET revoked_at = $1 WHERE municipality_id = $2 AND revoked_at IS NULL`,
		at, municipalityID)
	return wrap(err, "revoke scim tokens")
}

// UpdateEmployeeProfile sets what the directory knows of an employee:
// username, name, e-mail and external id ("" for none).
func UpdateEmployeeProfile(tx *Tx, e *samordna.Employee, now time.Time) error {
	err := execOne(tx, "update employee", `UPDATE employees SET username = $1, name = $2, email = $3, external_id = $4,
		updated_at = $5 WHERE id = $6`, e.Username, e.Name, e.Email, nullString(e.ExternalID), now, e.ID)
	if err != nil && isUniqueViolation(err) {
		return samordna.Errorf(samordna.KindConflict, "username_taken", "the username or external id is taken")
	}
	return err
}

// UpdateServiceProfile sets a service's name and external id ("" for none).
func UpdateServiceProfile(tx *Tx, s *samordna.Service) error {
	err := execOne(tx, "update service", `UPDATE services SET name = $1, external_id = $2 WHERE id = $3`,
		s.Name, nullString(s.ExternalID), s.ID)
	if err != nil && isUniqueViolation(err) {
		return samordna.Errorf(samordna.KindConflict, "external_id_taken", "the external id is taken")
	}
	return err
}
