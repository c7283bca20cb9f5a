package store

// NamedCase is a case with its subject, as a search by name or
// fødselsnummer compares it.
type NamedCase struct {
	CaseID, Status string
	Person         struct{ ID, Name, BirthDate, IDNumber string }
}

// NamedCases returns every case of the municipality that is about a named
// person (not anonymous), with the person, ordered by name then case id.
// It checks no access: the caller (app.SearchCases) filters the matches
// by the policy before anything is shown.
func NamedCases(tx *Tx, municipalityID string) ([]NamedCase, error) {
	rows, err := tx.Query(`SELECT c.id, c.status, p.id, p.name, COALESCE(p.birth_date, ''), COALESCE(p.id_number, '')
		FROM cases c JOIN persons p ON p.id = c.subject_person_id
		WHERE c.municipality_id = $1 AND NOT c.anonymous
		ORDER BY p.name, c.id`, municipalityID)
	if err != nil {
		return nil, wrap(err, "named cases")
	}
	defer rows.Close()
	var out []NamedCase
	for rows.Next() {
		var n NamedCase
		if err := rows.Scan(&n.CaseID, &n.Status, &n.Person.ID, &n.Person.Name, &n.Person.BirthDate, &n.Person.IDNumber); err != nil {
			return nil, wrap(err, "named cases")
		}
		out = append(out, n)
	}
	return out, wrap(rows.Err(), "named cases")
}
