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
	e, m, n := fmt.Sprintf("$%d", first), fmt.Sprintf("$%d", first+1), fmt.Sprintf("$%d", first+2)
	args := []any{s.EmployeeID, s.MunicipalityID, now}
	branches := []string{
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
		// emergency access
		`SELECT case_id FROM emergency_accesses WHERE employee_id = ` + e + ` AND expires_at > ` + n,
	}
	if s.Has(samordna.RoleCoordinatingUnit) {
		branches = append(branches, `SELECT case_id FROM applications WHERE municipality_id = `+m)
	}
	if s.Has(samordna.RoleChildWelfare) {
		branches = append(branches, `SELECT case_id FROM child_welfare_reports
		 WHERE municipality_id = `+m+` AND kind = 'child_welfare'`)
	}
	q := `SELECT x.case_id FROM (` + strings.Join(branches, "\n UNION ") + `) x
	 JOIN cases c ON c.id = x.case_id
	 WHERE c.municipality_id = ` + m + `
	   AND NOT EXISTS (SELECT 1 FROM case_blocks b
	                   WHERE b.case_id = x.case_id AND b.employee_id = ` + e + ` AND b.lifted_at IS NULL)`
	return q, args
}
