package store

import (
	"database/sql"
	"strconv"
	"time"
)

// This file persists retention: how long a municipality keeps its closed
// cases, which cases the sweep has purged, and the purge itself (the
// content of a case deleted or blanked, its persons anonymised). The audit
// trail is never changed here: its rows hold ids, not content.

// Retention is a municipality's retention setting.
type Retention struct {
	Months    int // 0: not set (nothing is deleted)
	SetBy     string
	SetByName string
	SetAt     *time.Time
}

// MunicipalityRetention returns the municipality's retention setting.
func MunicipalityRetention(tx *Tx, municipalityID string) (*Retention, error) {
	var r Retention
	var months sql.NullInt64
	err := tx.QueryRow(`SELECT m.retention_months, COALESCE(m.retention_set_by, ''), COALESCE(e.name, ''),
		m.retention_set_at FROM municipalities m LEFT JOIN employees e ON e.id = m.retention_set_by
		WHERE m.id = $1`, municipalityID).Scan(&months, &r.SetBy, &r.SetByName, &r.SetAt)
	if err != nil {
		return nil, wrap(err, "retention")
	}
	r.Months = int(months.Int64)
	return &r, nil
}

// SetMunicipalityRetention sets the municipality's retention to months
// (0 removes it) and records who set it and when.
func SetMunicipalityRetention(tx *Tx, municipalityID string, months int, by string, at time.Time) error {
	v := sql.NullInt64{Int64: int64(months), Valid: months > 0}
	return execOne(tx, "set retention", `UPDATE municipalities SET retention_months = $1, retention_set_by = $2,
		retention_set_at = $3 WHERE id = $4`, v, by, at, municipalityID)
}

// RetentionSetting is one municipality with retention set.
type RetentionSetting struct {
	MunicipalityID string
	Months         int
}

// RetentionSettings returns the municipalities with retention set.
func RetentionSettings(tx *Tx) ([]RetentionSetting, error) {
	rows, err := tx.Query(`SELECT id, retention_months FROM municipalities
		WHERE retention_months IS NOT NULL ORDER BY id`)
	if err != nil {
		return nil, wrap(err, "retention settings")
	}
	defer rows.Close()
	var out []RetentionSetting
	for rows.Next() {
		var s RetentionSetting
		if err := rows.Scan(&s.MunicipalityID, &s.Months); err != nil {
			return nil, wrap(err, "retention settings")
		}
		out = append(out, s)
	}
	return out, wrap(rows.Err(), "retention settings")
}

// expiredCasesFrom selects the municipality's ($1) closed cases closed
// before $2 and not yet purged; it walks the partial index cases_closed.
const expiredCasesFrom = ` FROM cases c WHERE c.municipality_id = $1 AND c.status = 'closed' AND c.closed_at < $2
	AND NOT EXISTS (SELECT 1 FROM purged_cases p WHERE p.case_id = c.id)`

// CountExpiredCases counts the municipality's closed cases closed before
// `before` and not yet purged: what a retention ending at `before` would
// purge now.
func CountExpiredCases(tx *Tx, municipalityID string, before time.Time) (int, error) {
	var n int
	err := tx.QueryRow(`SELECT COUNT(*)`+expiredCasesFrom, municipalityID, before).Scan(&n)
	return n, wrap(err, "count expired cases")
}

// ExpiredCaseIDs returns up to limit of the municipality's closed cases
// closed before `before` and not yet purged, oldest closing first.
func ExpiredCaseIDs(tx *Tx, municipalityID string, before time.Time, limit int) ([]string, error) {
	rows, err := tx.Query(`SELECT c.id`+expiredCasesFrom+` ORDER BY c.closed_at, c.id LIMIT `+strconv.Itoa(limit),
		municipalityID, before)
	if err != nil {
		return nil, wrap(err, "expired cases")
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, wrap(err, "expired cases")
		}
		out = append(out, id)
	}
	return out, wrap(rows.Err(), "expired cases")
}

// ClaimCasePurge records that the case is purged at `at`, if it is still
// closed, was closed before `before` and is not purged yet; it reports
// whether this call claimed it (so several servers purge a case once).
func ClaimCasePurge(tx *Tx, caseID string, months int, before, at time.Time) (bool, error) {
	res, err := tx.Exec(`INSERT INTO purged_cases (case_id, purged_at, retention_months)
		SELECT id, $2, $3 FROM cases WHERE id = $1 AND status = 'closed' AND closed_at < $4
		ON CONFLICT (case_id) DO NOTHING`, caseID, at, months, before)
	if err != nil {
		return false, wrap(err, "claim purge")
	}
	n, err := res.RowsAffected()
	return n == 1, wrap(err, "claim purge")
}

// CasePurgedAt returns when the case's content was deleted, nil when it
// was not.
func CasePurgedAt(tx *Tx, caseID string) (*time.Time, error) {
	var at time.Time
	err := tx.QueryRow(`SELECT purged_at FROM purged_cases WHERE case_id = $1`, caseID).Scan(&at)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, wrap(err, "purged at")
	}
	return &at, nil
}

// PurgedContent is what the purged documents are replaced with: minutes
// and plan versions keep their rows (other rows refer to them) with empty
// content, and finalised minutes keep a digest that matches it.
type PurgedContent struct {
	Minutes, MinutesSHA256, Plan string
}

// purgeStatements delete or blank every free text, name and document of
// the case ($1). Employees' names stay (they are the municipality's staff,
// not the person's data), and so do ids, statuses and dates, which the
// audit trail, the counts and the timeline refer to.
var purgeStatements = []string{
	`UPDATE cases SET title = '' WHERE id = $1`,
	`UPDATE concerns SET description = '' WHERE case_id = $1`,
	`UPDATE consultations SET summary = '', advice = '', adviser_name = '', participants = '' WHERE case_id = $1`,
	`UPDATE consent_versions SET given_by_name = '', form_id = NULL
		WHERE consent_id IN (SELECT id FROM consents WHERE case_id = $1)`,
	`UPDATE consents SET given_by_name = '', given_by_person_id = NULL, form_id = NULL WHERE case_id = $1`,
	`DELETE FROM consent_forms WHERE case_id = $1`,
	`UPDATE applications SET decision_reason = '' WHERE case_id = $1`,
	`UPDATE group_members SET name = '', role = '' WHERE employee_id IS NULL
		AND group_id IN (SELECT id FROM responsibility_groups WHERE case_id = $1)`,
	`UPDATE responsibility_groups SET close_reason = '' WHERE case_id = $1`,
	`UPDATE group_escalations SET matter = '' WHERE case_id = $1`,
	`UPDATE responsibility_groups SET members_chosen_with = '' WHERE case_id = $1`,
	`UPDATE group_evaluations SET note = '', user_view = '', user_view_by = '' WHERE case_id = $1`,
	`UPDATE meetings SET place = '', agenda = '[]', short_notice_reason = '', person_part = '', person_views = '',
		other_business = '[]' WHERE case_id = $1`,
	`UPDATE meeting_attendees SET name = '', matter = '', relation = '' WHERE employee_id IS NULL
		AND meeting_id IN (SELECT id FROM meetings WHERE case_id = $1)`,
	`UPDATE meeting_attendees SET matter = '' WHERE meeting_id IN (SELECT id FROM meetings WHERE case_id = $1)`,
	`UPDATE minutes_deliveries SET recipient = '' WHERE meeting_id IN (SELECT id FROM meetings WHERE case_id = $1)`,
	`UPDATE deviations SET description = '' WHERE case_id = $1`,
	`UPDATE drug_test_assessments SET reason = '' WHERE case_id = $1`,
	`UPDATE plans SET close_requested_by = '', close_requested_by_person = NULL, close_reason = '' WHERE case_id = $1`,
	`UPDATE child_welfare_reports SET description = '', pdf = NULL WHERE case_id = $1`,
	`UPDATE tasks SET outcome = '' WHERE case_id = $1`,
	// Routine steps keep their titles (the routine's words); measures and
	// coordination tasks are titled with what was agreed for the person.
	`UPDATE tasks SET title = '' WHERE case_id = $1 AND (kind = '` + TaskKindMeasure + `' OR step_id = '')`,
	`UPDATE case_blocks SET reason = '' WHERE case_id = $1`,
	`UPDATE emergency_accesses SET reason_text = '' WHERE case_id = $1`,
	`UPDATE case_closings SET note = '' WHERE case_id = $1`,
	`UPDATE step_records SET content = '' WHERE case_id = $1`,
	`UPDATE acute_contacts SET note = '' WHERE case_id = $1`,
	`UPDATE team_matters SET question = '', reason = '', advice = '' WHERE case_id = $1`,
	// The target groups (seed 002 §2.3) say what the person struggles with.
	`DELETE FROM case_target_groups WHERE case_id = $1`,
	`DELETE FROM team_matter_target_groups WHERE matter_id IN (SELECT id FROM team_matters WHERE case_id = $1)`,
	`UPDATE next_of_kin_children SET name = '', birth_date = '', situation = '', information = '', follow_up = '',
		no_case_reason = '' WHERE case_id = $1`,
}

// PurgeCaseContent deletes the case's content: free texts, the names of
// people who are not employees, signed consent forms, report copies, the
// minutes' and plans' content (replaced by empty). Call it after
// ClaimCasePurge in the same transaction.
func PurgeCaseContent(tx *Tx, caseID string, empty PurgedContent) error {
	for _, q := range purgeStatements {
		if _, err := tx.Exec(q, caseID); err != nil {
			return wrap(err, "purge case")
		}
	}
	if _, err := tx.Exec(`UPDATE meeting_minutes SET content = $2, sha256 = $3
		WHERE meeting_id IN (SELECT id FROM meetings WHERE case_id = $1)`, caseID, empty.Minutes, empty.MinutesSHA256); err != nil {
		return wrap(err, "purge minutes")
	}
	_, err := tx.Exec(`UPDATE plan_versions SET content = $2
		WHERE plan_id IN (SELECT id FROM plans WHERE case_id = $1)`, caseID, empty.Plan)
	return wrap(err, "purge plans")
}

// PurgeCandidates returns the persons a purge of the case may leave
// unneeded: its subject, whoever gave its consents or asked to close its
// plans, and the subject's relatives.
func PurgeCandidates(tx *Tx, caseID string) ([]string, error) {
	rows, err := tx.Query(`SELECT subject_person_id FROM cases WHERE id = $1 AND subject_person_id IS NOT NULL
		UNION SELECT given_by_person_id FROM consents WHERE case_id = $1 AND given_by_person_id IS NOT NULL
		UNION SELECT close_requested_by_person FROM plans WHERE case_id = $1 AND close_requested_by_person IS NOT NULL
		UNION SELECT r.related_id FROM person_relations r JOIN cases c ON c.subject_person_id = r.person_id WHERE c.id = $1
		UNION SELECT person_id FROM next_of_kin_children WHERE case_id = $1 AND person_id IS NOT NULL
		UNION SELECT r.person_id FROM person_relations r JOIN cases c ON c.subject_person_id = r.related_id WHERE c.id = $1`,
		caseID)
	if err != nil {
		return nil, wrap(err, "purge candidates")
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, wrap(err, "purge candidates")
		}
		out = append(out, id)
	}
	return out, wrap(rows.Err(), "purge candidates")
}

// kept is a condition on a case aliased k: it is not purged.
const kept = `NOT EXISTS (SELECT 1 FROM purged_cases p WHERE p.case_id = k.id)`

// AnonymisePersonIfUnneeded removes the person's name, number and dates
// and their relations when no kept (unpurged) case needs them any longer:
// none is about them, none holds their consent or their request to close a
// plan, and none is about someone they are guardian, parent or expecting
// mother of (a child's open case needs its guardians; a parent's case does
// not keep a child whose own cases are gone). The row itself stays, so the
// ids in the audit trail keep pointing at it (now a pseudonym). It reports
// whether the person was anonymised now.
func AnonymisePersonIfUnneeded(tx *Tx, personID string, at time.Time) (bool, error) {
	var needed bool
	err := tx.QueryRow(`SELECT
		EXISTS (SELECT 1 FROM cases k WHERE k.subject_person_id = $1 AND `+kept+`)
		OR EXISTS (SELECT 1 FROM consents x JOIN cases k ON k.id = x.case_id WHERE x.given_by_person_id = $1 AND `+kept+`)
		OR EXISTS (SELECT 1 FROM plans x JOIN cases k ON k.id = x.case_id WHERE x.close_requested_by_person = $1 AND `+kept+`)
		OR EXISTS (SELECT 1 FROM person_relations r JOIN cases k ON k.subject_person_id = r.related_id
		           WHERE r.person_id = $1 AND `+kept+`)`, personID).Scan(&needed)
	if err != nil || needed {
		return false, wrap(err, "person needed")
	}
	res, err := tx.Exec(`UPDATE persons SET name = '', id_number = NULL, id_kind = '', birth_date = NULL,
		due_date = NULL, anonymised_at = $2 WHERE id = $1 AND anonymised_at IS NULL`, personID, at)
	if err != nil {
		return false, wrap(err, "anonymise person")
	}
	n, _ := res.RowsAffected()
	if n == 0 {
		return false, nil
	}
	_, err = tx.Exec(`DELETE FROM person_relations WHERE person_id = $1 OR related_id = $1`, personID)
	return true, wrap(err, "anonymise person")
}

// PersonAnonymisedAt returns when the person was anonymised, nil when not.
func PersonAnonymisedAt(tx *Tx, personID string) (*time.Time, error) {
	var at *time.Time
	err := tx.QueryRow(`SELECT anonymised_at FROM persons WHERE id = $1`, personID).Scan(&at)
	return at, wrap(err, "person anonymised")
}
