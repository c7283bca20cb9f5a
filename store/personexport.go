package store

import (
	"strconv"

	"github.com/samordna/samordna"
)

// This file reads what the export of a person's own data (GDPR art. 15)
// needs beyond the per-case reads: the person's cases, the consents they
// gave on other cases, and the audit rows about them that belong to no case.

// CasesOfPerson returns the cases the person is the subject of, oldest
// first. It does not check access.
func CasesOfPerson(tx *Tx, personID string) ([]*samordna.Case, error) {
	rows, err := tx.Query(`SELECT `+caseColumns+` FROM cases c WHERE c.subject_person_id = $1
		ORDER BY c.created_at, c.id`, personID)
	if err != nil {
		return nil, wrap(err, "cases of person")
	}
	defer rows.Close()
	var out []*samordna.Case
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return nil, wrap(err, "cases of person")
		}
		out = append(out, c)
	}
	return out, wrap(rows.Err(), "cases of person")
}

// ConsentsGivenBy returns the consents the person gave on cases about
// someone else (a guardian's consent for a child), newest first.
func ConsentsGivenBy(tx *Tx, personID string) ([]*samordna.Consent, error) {
	rows, err := tx.Query(`SELECT id FROM consents WHERE given_by_person_id = $1
		AND case_id NOT IN (SELECT id FROM cases WHERE subject_person_id = $1)
		ORDER BY recorded_at DESC, id`, personID)
	if err != nil {
		return nil, wrap(err, "consents given by")
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, wrap(err, "consents given by")
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, wrap(err, "consents given by")
	}
	out := make([]*samordna.Consent, 0, len(ids))
	for _, id := range ids {
		c, err := ConsentByID(tx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// BlockedFromPersonCases reports whether the employee is barred from any
// case about the person.
func BlockedFromPersonCases(tx *Tx, personID, employeeID string) (bool, error) {
	var n int
	err := tx.QueryRow(`SELECT COUNT(*) FROM case_blocks b JOIN cases c ON c.id = b.case_id
		WHERE c.subject_person_id = $1 AND b.employee_id = $2 AND b.lifted_at IS NULL`, personID, employeeID).Scan(&n)
	return n > 0, wrap(err, "blocked from person")
}

// PersonAccessLog returns the audit rows about the person that belong to no
// case (registered, related, looked up, exported), newest first, limit at a
// time (at most 100), before the row beforeSeq when it is > 0. The rows of
// the person's cases are in CaseAccessLog.
func PersonAccessLog(tx *Tx, personID string, beforeSeq int64, limit int) ([]AccessLogEntry, error) {
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	args := []any{personID}
	q := `SELECT a.seq, a.at, a.actor_username, COALESCE(e.name, ''), a.actor_role, a.actor_service, a.action,
		a.outcome, a.purpose, a.object_type
		FROM audit_events a LEFT JOIN employees e ON e.id = a.actor_id AND a.actor_id <> ''
		WHERE a.person_id = $1 AND a.case_id = ''`
	if beforeSeq > 0 {
		args = append(args, beforeSeq)
		q += ` AND a.seq < $2`
	}
	q += ` ORDER BY a.seq DESC LIMIT ` + strconv.Itoa(limit)
	rows, err := tx.Query(q, args...)
	if err != nil {
		return nil, wrap(err, "person access log")
	}
	defer rows.Close()
	var out []AccessLogEntry
	for rows.Next() {
		var x AccessLogEntry
		if err := rows.Scan(&x.Seq, &x.At, &x.Username, &x.Name, &x.Role, &x.Service, &x.Action, &x.Outcome,
			&x.Purpose, &x.ObjectType); err != nil {
			return nil, wrap(err, "person access log")
		}
		out = append(out, x)
	}
	return out, wrap(rows.Err(), "person access log")
}

// GroupsOfCase returns every responsibility group of the case, open or
// closed, oldest first.
func GroupsOfCase(tx *Tx, caseID string) ([]*Group, error) {
	rows, err := tx.Query(`SELECT `+groupColumns+` FROM responsibility_groups WHERE case_id = $1
		ORDER BY created_at, id`, caseID)
	if err != nil {
		return nil, wrap(err, "groups of case")
	}
	defer rows.Close()
	var out []*Group
	for rows.Next() {
		g, err := scanGroup(rows)
		if err != nil {
			return nil, wrap(err, "groups of case")
		}
		out = append(out, g)
	}
	return out, wrap(rows.Err(), "groups of case")
}
