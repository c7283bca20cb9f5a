package access

import (
	"fmt"
	"strings"
	"time"

	"github.com/samordna/samordna"
)

// ReadableCasesSQL returns a query yielding the ids (column case_id) of
// every case the subject may read at now, and its arguments, numbered from
// $first. It mirrors ReadReason rule by rule. Each branch starts from an
// index on the employee (or, for the coordinating unit and child welfare, on
// the municipality's applications and reports), so a list never scans all
// cases. It returns "" when the subject may read no case at all (the
// administrator).
func ReadableCasesSQL(s Subject, now time.Time, first int) (string, []any) {
	if s.Has(samordna.RoleAdmin) {
		return "", nil
	}
	e, m, n := placeholders(first)
	branches := employeeBranches(e, m, n)
	if s.Has(samordna.RoleCoordinatingUnit) {
		branches = append(branches, `SELECT case_id FROM applications WHERE municipality_id = `+m)
	}
	if s.Has(samordna.RoleChildWelfare) {
		branches = append(branches, `SELECT case_id FROM child_welfare_reports
		 WHERE municipality_id = `+m+` AND kind = 'child_welfare'`)
	}
	// CROSS JOIN keeps SQLite's join order: the employee's few cases
	// first, each then read by its key. Left to itself SQLite may walk all
	// the municipality's cases (cases_municipality_updated) and probe the
	// union for each, as it did in store.CaseBriefs at national scale.
	q := `SELECT x.case_id FROM (` + strings.Join(branches, "\n UNION ") + `) x
	 CROSS JOIN cases c
	 WHERE c.id = x.case_id AND c.municipality_id = ` + m + `
	   AND NOT EXISTS (SELECT 1 FROM case_blocks b
	                   WHERE b.case_id = x.case_id AND b.employee_id = ` + e + ` AND b.lifted_at IS NULL)`
	return q, readableArgs(s, now)
}

// ReadableCasesWhere returns a condition on a row of cases aliased c that
// holds when the subject may read the case at now, and its arguments,
// numbered from $first. It accepts exactly the cases ReadableCasesSQL
// yields, and returns "" for the administrator. It is meant for a list
// ordered by (updated_at, id) that stops after one page.
//
// For a subject with neither the coordinating unit's nor child welfare's
// role it is c.id IN (ReadableCasesSQL): the employee's own relations are
// few and each is found through an index on the employee. The unit and
// child welfare may read every applied or reported case of their
// municipality, so for them the set would grow with the municipality;
// instead their rules become probes on the case (is there an application,
// or a child welfare report, for c.id, as in store.CaseFacts; applications
// and reports always carry their case's municipality), the employee's
// relations stay one set, and the list can walk the index
// cases_municipality_updated newest first until the page is full.
func ReadableCasesWhere(s Subject, now time.Time, first int) (string, []any) {
	unit, cw := s.Has(samordna.RoleCoordinatingUnit), s.Has(samordna.RoleChildWelfare)
	if s.Has(samordna.RoleAdmin) || !unit && !cw {
		q, args := ReadableCasesSQL(s, now, first)
		if q == "" {
			return "", nil
		}
		return `c.id IN (` + q + `)`, args
	}
	e, m, n := placeholders(first)
	// The probes are scalar sub-queries, not EXISTS: PostgreSQL may run an
	// EXISTS as a hash of the whole table, choosing without regard to the
	// LIMIT, and would then read every application in the country for
	// each page. A scalar sub-query is always an index probe per case.
	var reasons []string
	if unit {
		reasons = append(reasons, `(SELECT 1 FROM applications a WHERE a.case_id = c.id LIMIT 1) IS NOT NULL`)
	}
	if cw {
		reasons = append(reasons, `(SELECT 1 FROM child_welfare_reports r
		 WHERE r.case_id = c.id AND r.kind = 'child_welfare' LIMIT 1) IS NOT NULL`)
	}
	reasons = append(reasons, `c.id IN (`+strings.Join(employeeBranches(e, m, n), "\n UNION ")+`)`)
	q := `c.municipality_id = ` + m + `
	 AND (` + strings.Join(reasons, "\n OR ") + `)
	 AND NOT EXISTS (SELECT 1 FROM case_blocks b
	                 WHERE b.case_id = c.id AND b.employee_id = ` + e + ` AND b.lifted_at IS NULL)`
	return q, readableArgs(s, now)
}

// placeholders returns the parameters of the readable-cases builders: the
// employee, the municipality and now, numbered from $first.
func placeholders(first int) (e, m, n string) {
	return fmt.Sprintf("$%d", first), fmt.Sprintf("$%d", first+1), fmt.Sprintf("$%d", first+2)
}

// readableArgs returns the arguments matching placeholders.
func readableArgs(s Subject, now time.Time) []any {
	return []any{s.EmployeeID, s.MunicipalityID, now}
}

// agendaMatter is the condition on a team matter x on the agenda of the
// meeting mt that lets the team's members and the meeting's participants
// read its case: named, on the agenda or discussed at a meeting neither
// cancelled nor finalised, with the consent to share with the team in force
// at now (placeholder n). Each branch that uses it starts from the employee
// (team_members_employee, team_meeting_participants_employee) and is
// written with CROSS JOIN to keep that order in SQLite, so it reads the
// employee's teams' matters, not every team's.
func agendaMatter(n string) string {
	return `mt.id = x.meeting_id AND mt.status <> 'cancelled' AND mt.finalised_at IS NULL
		   AND x.anonymous = FALSE AND x.case_id IS NOT NULL AND x.status IN ('on_agenda', 'discussed')
		   AND EXISTS (SELECT 1 FROM consents s JOIN consent_purposes p ON p.consent_id = s.id
		               WHERE s.id = x.consent_id AND s.status = 'active' AND p.purpose = 'share_with_team'
		                 AND s.team_id = x.team_id AND (s.valid_until IS NULL OR s.valid_until > ` + n + `))`
}

// employeeBranches returns the rules that hold for any employee, one query
// of case ids (column case_id) per rule, each starting from an index on the
// employee: e, m and n are the placeholders of the employee, the
// municipality and now.
func employeeBranches(e, m, n string) []string {
	return []string{
		// registered
		`SELECT id AS case_id FROM cases WHERE registered_by = ` + e,
		// coordinator
		`SELECT case_id FROM case_coordinators WHERE employee_id = ` + e + ` AND ended_at IS NULL`,
		// responsibility group member with consent to share
		`SELECT g.case_id FROM group_members gm JOIN responsibility_groups g ON g.id = gm.group_id
		 WHERE gm.employee_id = ` + e + ` AND gm.removed_at IS NULL AND g.closed_at IS NULL
		   AND EXISTS (SELECT 1 FROM consents c JOIN consent_purposes p ON p.consent_id = c.id
		               WHERE c.case_id = g.case_id AND c.status = 'active' AND p.purpose = 'share_with_members'
		                 AND (c.valid_until IS NULL OR c.valid_until > ` + n + `))`,
		// report recipients: the mental health and substance service for duties to inform
		`SELECT r.case_id FROM child_welfare_reports r
		 JOIN services sv ON sv.municipality_id = r.municipality_id AND sv.kind = 'mental_health_substance'
		 JOIN service_members sm ON sm.service_id = sv.id AND sm.employee_id = ` + e + `
		 WHERE r.municipality_id = ` + m + ` AND r.kind = 'duty_to_inform'`,
		// team members
		`SELECT ts.case_id FROM team_members tm JOIN team_submissions ts ON ts.team_id = tm.team_id
		 WHERE tm.employee_id = ` + e,
		// team agenda: a named matter on an unfinalised meeting's agenda,
		// with the consent in force, for the team's members ...
		`SELECT x.case_id FROM team_members tm CROSS JOIN team_matters x CROSS JOIN team_meetings mt
		 WHERE tm.employee_id = ` + e + ` AND x.team_id = tm.team_id AND ` + agendaMatter(n),
		// ... and for those invited to the meeting (to all of it or to this matter)
		`SELECT x.case_id FROM team_meeting_participants pp CROSS JOIN team_matters x CROSS JOIN team_meetings mt
		 WHERE pp.employee_id = ` + e + ` AND x.meeting_id = pp.meeting_id
		   AND (pp.matter_id IS NULL OR pp.matter_id = x.id) AND ` + agendaMatter(n),
		// emergency access
		`SELECT case_id FROM emergency_accesses WHERE employee_id = ` + e + ` AND expires_at > ` + n,
	}
}
