package access

import "github.com/samordna/samordna"

// CanExportPerson reports whether the subject may export everything
// Samordna holds about a person (the person's right of access, GDPR art.
// 15): the coordinating unit of the person's municipality answers such
// requests for the municipality, so it sees all the person's cases for
// this purpose, also those it could not read otherwise. A block still
// holds: an employee barred from one of the person's cases cannot export
// the person (a colleague in the unit must). The administrator never sees
// content.
func CanExportPerson(s Subject, sameMunicipality, blocked bool) bool {
	return s.Has(samordna.RoleCoordinatingUnit) && !s.Has(samordna.RoleAdmin) && sameMunicipality && !blocked
}

// CanSetRetention reports whether the subject may set how long the
// municipality keeps closed cases: the administrator.
func CanSetRetention(s Subject) bool { return s.Has(samordna.RoleAdmin) }
