package store

import (
	"time"
)

// This file stores the target groups (seed 002 §2.3) a case or a team
// matter is classified by, and counts cases by them.

// CaseTargetGroups returns the codes of the case's target groups, in code
// order.
func CaseTargetGroups(tx *Tx, caseID string) ([]string, error) {
	return queryCodes(tx, "case target groups", `SELECT code FROM case_target_groups WHERE case_id = $1 ORDER BY code`, caseID)
}

// SetCaseTargetGroups replaces the case's classification with codes
// (already checked), recorded as set by `by` at `at`. Codes kept keep
// their first setting.
func SetCaseTargetGroups(tx *Tx, caseID string, codes []string, by string, at time.Time) error {
	if _, err := tx.Exec(`DELETE FROM case_target_groups WHERE case_id = $1`, caseID); err != nil {
		return wrap(err, "set case target groups")
	}
	for _, c := range codes {
		if _, err := tx.Exec(`INSERT INTO case_target_groups (case_id, code, set_by, set_at) VALUES ($1, $2, $3, $4)`,
			caseID, c, by, at); err != nil {
			return wrap(err, "set case target groups")
		}
	}
	return nil
}

// TeamMatterTargetGroups returns the codes of the matter's target groups.
func TeamMatterTargetGroups(tx *Tx, matterID string) ([]string, error) {
	return queryCodes(tx, "matter target groups",
		`SELECT code FROM team_matter_target_groups WHERE matter_id = $1 ORDER BY code`, matterID)
}

// SetTeamMatterTargetGroups replaces the matter's classification.
func SetTeamMatterTargetGroups(tx *Tx, matterID string, codes []string) error {
	if _, err := tx.Exec(`DELETE FROM team_matter_target_groups WHERE matter_id = $1`, matterID); err != nil {
		return wrap(err, "set matter target groups")
	}
	for _, c := range codes {
		if _, err := tx.Exec(`INSERT INTO team_matter_target_groups (matter_id, code) VALUES ($1, $2)`, matterID, c); err != nil {
			return wrap(err, "set matter target groups")
		}
	}
	return nil
}

// CasesByTargetGroup counts the municipality's cases open at some time in
// [from, to) by target group: code → number of cases (a case in two groups
// counts in both). Unclassified cases are counted under "".
func CasesByTargetGroup(tx *Tx, municipalityID string, from, to time.Time) (map[string]int, error) {
	rows, err := tx.Query(`SELECT COALESCE(g.code, ''), COUNT(*) FROM cases c
		LEFT JOIN case_target_groups g ON g.case_id = c.id
		WHERE c.municipality_id = $1 AND c.created_at < $3 AND (c.closed_at IS NULL OR c.closed_at >= $2)
		GROUP BY COALESCE(g.code, '')`, municipalityID, from.UTC(), to.UTC())
	if err != nil {
		return nil, wrap(err, "cases by target group")
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var code string
		var n int
		if err := rows.Scan(&code, &n); err != nil {
			return nil, wrap(err, "cases by target group")
		}
		out[code] = n
	}
	return out, wrap(rows.Err(), "cases by target group")
}

// queryCodes returns the first column of each row.
func queryCodes(tx *Tx, what, q string, args ...any) ([]string, error) {
	rows, err := tx.Query(q, args...)
	if err != nil {
		return nil, wrap(err, what)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, wrap(err, what)
		}
		out = append(out, s)
	}
	return out, wrap(rows.Err(), what)
}
