package store

import (
	"time"

	"github.com/samordna/samordna"
)

// This file holds the changes a bulk import (app/import.go) makes to
// services and employees it recognises by their external id. The names
// start with Import so they stay apart from the general editing of the
// organisation.

// ImportUpdateService sets a service's name, kind, district and external id
// ("" stores none). It returns samordna.ErrNotFound when there is no such
// service.
func ImportUpdateService(tx *Tx, s *samordna.Service) error {
	return execOne(tx, "update service", `UPDATE services SET name = $1, kind = $2, district_id = $3, external_id = $4
		WHERE id = $5`, s.Name, string(s.Kind), nullString(s.DistrictID), nullString(s.ExternalID), s.ID)
}

// ImportUpdateEmployee sets an employee's name, e-mail address and external
// id ("" stores none).
func ImportUpdateEmployee(tx *Tx, e *samordna.Employee, now time.Time) error {
	return execOne(tx, "update employee", `UPDATE employees SET name = $1, email = $2, external_id = $3, updated_at = $4
		WHERE id = $5`, e.Name, e.Email, nullString(e.ExternalID), now, e.ID)
}
