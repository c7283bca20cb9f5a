package store

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/access"
)

// CreateCase inserts a case.
func CreateCase(tx *Tx, c *samordna.Case) error {
	_, err := tx.Exec(`INSERT INTO cases (id, municipality_id, subject_person_id, anonymous, origin, situation,
		status, title, registered_by, registered_service_id, routine_id, routine_version, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)`,
		c.ID, c.MunicipalityID, nullable(c.SubjectPersonID), c.Anonymous, string(c.Origin), c.Situation,
		string(c.Status), c.Title, c.RegisteredBy, nullable(c.RegisteredServiceID), c.RoutineID, c.RoutineVersion,
		c.CreatedAt)
	return wrap(err, "create case")
}

// TouchCase records that the case changed.
func TouchCase(tx *Tx, caseID string, at time.Time) error {
	return execOne(tx, "touch case", `UPDATE cases SET updated_at = $1 WHERE id = $2`, at, caseID)
}

const caseColumns = `c.id, c.municipality_id, COALESCE(c.subject_person_id, ''), c.anonymous, c.origin, c.situation,
	c.status, c.title, c.registered_by, COALESCE(c.registered_service_id, ''), c.routine_id, c.routine_version,
	c.created_at, c.updated_at, c.closed_at`

func scanCase(row interface{ Scan(...any) error }) (*samordna.Case, error) {
	var c samordna.Case
	err := row.Scan(&c.ID, &c.MunicipalityID, &c.SubjectPersonID, &c.Anonymous, &c.Origin, &c.Situation,
		&c.Status, &c.Title, &c.RegisteredBy, &c.RegisteredServiceID, &c.RoutineID, &c.RoutineVersion,
		&c.CreatedAt, &c.UpdatedAt, &c.ClosedAt)
	return &c, err
}

// CaseByID returns the case or samordna.ErrNotFound. It does not check
// access: callers decide with the access package first.
func CaseByID(tx *Tx, id string) (*samordna.Case, error) {
	c, err := scanCase(tx.QueryRow(`SELECT `+caseColumns+` FROM cases c WHERE c.id = $1`, id))
	if err != nil {
		return nil, wrap(err, "case")
	}
	return c, nil
}

// CaseFacts reads what the access policy needs to know about one employee
// and one case, at now. exists is false when there is no such case. Each
// fact is an indexed EXISTS on the case; this is written independently of
// access.ReadableCasesSQL, and a property test checks that they agree.
func CaseFacts(tx *Tx, caseID string, s access.Subject, now time.Time) (f access.Facts, exists bool, err error) {
	isCW := s.Has(samordna.RoleChildWelfare)
	var municipality string
	err = tx.QueryRow(`SELECT c.municipality_id,
		c.registered_by = $2,
		EXISTS (SELECT 1 FROM applications a WHERE a.case_id = c.id),
		EXISTS (SELECT 1 FROM case_coordinators k WHERE k.case_id = c.id AND k.employee_id = $2 AND k.ended_at IS NULL),
		EXISTS (SELECT 1 FROM responsibility_groups g JOIN group_members gm ON gm.group_id = g.id
		        WHERE g.case_id = c.id AND g.closed_at IS NULL AND gm.employee_id = $2 AND gm.removed_at IS NULL),
		EXISTS (SELECT 1 FROM consents s JOIN consent_purposes p ON p.consent_id = s.id
		        WHERE s.case_id = c.id AND s.status = 'active' AND p.purpose = 'share_with_members'
		          AND (s.valid_until IS NULL OR s.valid_until > $3)),
		($4 AND EXISTS (SELECT 1 FROM child_welfare_reports r WHERE r.case_id = c.id AND r.kind = 'child_welfare'))
		OR EXISTS (SELECT 1 FROM child_welfare_reports r
		           JOIN service_members sm ON sm.employee_id = $2
		           JOIN services sv ON sv.id = sm.service_id AND sv.kind = 'mental_health_substance'
		                            AND sv.municipality_id = r.municipality_id
		           WHERE r.case_id = c.id AND r.kind = 'duty_to_inform'),
		EXISTS (SELECT 1 FROM team_submissions ts JOIN team_members tm ON tm.team_id = ts.team_id
		        WHERE ts.case_id = c.id AND tm.employee_id = $2),
		EXISTS (SELECT 1 FROM team_matters x
		        JOIN team_meetings mt ON mt.id = x.meeting_id AND mt.status <> 'cancelled' AND mt.finalised_at IS NULL
		        WHERE x.case_id = c.id AND x.anonymous = FALSE AND x.status IN ('on_agenda', 'discussed')
		          AND (EXISTS (SELECT 1 FROM team_members tm WHERE tm.team_id = x.team_id AND tm.employee_id = $2)
		               OR EXISTS (SELECT 1 FROM team_meeting_participants pp WHERE pp.meeting_id = x.meeting_id
		                          AND pp.employee_id = $2 AND (pp.matter_id IS NULL OR pp.matter_id = x.id)))
		          AND EXISTS (SELECT 1 FROM consents s JOIN consent_purposes p ON p.consent_id = s.id
		                      WHERE s.id = x.consent_id AND s.status = 'active' AND p.purpose = 'share_with_team'
		                        AND s.team_id = x.team_id AND (s.valid_until IS NULL OR s.valid_until > $3))),
		EXISTS (SELECT 1 FROM emergency_accesses e WHERE e.case_id = c.id AND e.employee_id = $2 AND e.expires_at > $3),
		EXISTS (SELECT 1 FROM case_blocks b WHERE b.case_id = c.id AND b.employee_id = $2 AND b.lifted_at IS NULL),
		EXISTS (SELECT 1 FROM case_coordinators k WHERE k.case_id = c.id AND k.ended_at IS NULL),
		EXISTS (SELECT 1 FROM applications a WHERE a.case_id = c.id AND a.status = 'submitted')
		FROM cases c WHERE c.id = $1`, caseID, s.EmployeeID, now, isCW).
		Scan(&municipality, &f.Registered, &f.HasApplication, &f.Coordinator, &f.GroupMember, &f.ShareConsent,
			&f.ReportRecipient, &f.TeamMember, &f.TeamAgenda, &f.Emergency, &f.Blocked, &f.AnyCoordinator, &f.PendingApplication)
	if err != nil {
		if wrap(err, "") == samordna.ErrNotFound {
			return access.Facts{}, false, nil
		}
		return access.Facts{}, false, wrap(err, "case facts")
	}
	f.SameMunicipality = municipality == s.MunicipalityID
	return f, true, nil
}

// CasePage is one page of a case list.
type CasePage struct {
	Cases []*samordna.Case
	Next  string // cursor for the next page, "" at the end
}

// ListReadableCases returns the cases the subject may read, most recently
// changed first, limit at a time (at most 100), continuing after cursor.
// The filter is access.ReadableCasesWhere; for the coordinating unit and
// child welfare it lets the database walk cases_municipality_updated
// newest first and stop after the page, and the cursor is a range on that
// index's (updated_at, id).
func ListReadableCases(tx *Tx, s access.Subject, now time.Time, cursor string, limit int) (*CasePage, error) {
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	q, args, err := ListReadableCasesSQL(s, now, cursor, limit)
	if err != nil {
		return nil, err
	}
	if q == "" {
		return &CasePage{}, nil
	}
	rows, err := tx.Query(q, args...)
	if err != nil {
		return nil, wrap(err, "list cases")
	}
	defer rows.Close()
	page := &CasePage{}
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return nil, wrap(err, "list cases")
		}
		page.Cases = append(page.Cases, c)
	}
	if err := rows.Err(); err != nil {
		return nil, wrap(err, "list cases")
	}
	if len(page.Cases) > limit {
		page.Cases = page.Cases[:limit]
		last := page.Cases[limit-1]
		page.Next = encodeCursor(last.UpdatedAt, last.ID)
	}
	return page, nil
}

// ListReadableCasesSQL returns the query ListReadableCases runs for one
// page (limit+1 rows, to tell whether there is a next page) and its
// arguments, or "" when the subject may read no case. It is exported so
// the benchmark can explain the very query the list runs.
func ListReadableCasesSQL(s access.Subject, now time.Time, cursor string, limit int) (string, []any, error) {
	readable, args := access.ReadableCasesWhere(s, now, 1)
	if readable == "" {
		return "", nil, nil
	}
	q := `SELECT ` + caseColumns + ` FROM cases c WHERE ` + readable
	if cursor != "" {
		at, id, err := decodeCursor(cursor)
		if err != nil {
			return "", nil, err
		}
		args = append(args, at, id)
		q += fmt.Sprintf(` AND (c.updated_at, c.id) < ($%d, $%d)`, len(args)-1, len(args))
	}
	q += ` ORDER BY c.updated_at DESC, c.id DESC LIMIT ` + strconv.Itoa(limit+1)
	return q, args, nil
}

// CaseBrief is what a list of tasks shows of each task's case.
type CaseBrief struct {
	Situation   string
	Anonymous   bool
	Readable    bool   // the subject may read the case (the case list's SQL filter)
	SubjectName string // only when Readable
}

// CaseBriefs returns the brief of each case in ids for subject s at now, in
// one query: whether s may read it is decided by the case list's filter
// (access.ReadableCasesWhere, the same rules as access.Can for reading),
// and the subject's name is given only for a case s may read. Unknown ids
// are left out.
func CaseBriefs(tx *Tx, s access.Subject, now time.Time, ids []string) (map[string]CaseBrief, error) {
	out := make(map[string]CaseBrief, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	readable, args := access.ReadableCasesWhere(s, now, 1)
	if readable == "" {
		readable = "1 = 0"
	}
	list, args := inList(args, ids)
	rows, err := tx.Query(`SELECT c.id, c.situation, c.anonymous, COALESCE(p.name, ''),
		CASE WHEN `+readable+` THEN 1 ELSE 0 END
		FROM cases c LEFT JOIN persons p ON p.id = c.subject_person_id
		WHERE c.id IN (`+list+`)`, args...)
	if err != nil {
		return nil, wrap(err, "case briefs")
	}
	defer rows.Close()
	for rows.Next() {
		var id, name string
		var b CaseBrief
		var ok int
		if err := rows.Scan(&id, &b.Situation, &b.Anonymous, &name, &ok); err != nil {
			return nil, wrap(err, "case briefs")
		}
		if b.Readable = ok == 1; b.Readable {
			b.SubjectName = name
		}
		out[id] = b
	}
	return out, wrap(rows.Err(), "case briefs")
}

func encodeCursor(at time.Time, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(at.UTC().Format(time.RFC3339Nano) + "|" + id))
}

func decodeCursor(s string) (time.Time, string, error) {
	bad := samordna.Errorf(samordna.KindInvalid, "bad_cursor", "the cursor is not valid")
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return time.Time{}, "", bad
	}
	at, id, ok := strings.Cut(string(b), "|")
	t, err := time.Parse(time.RFC3339Nano, at)
	if !ok || err != nil || id == "" {
		return time.Time{}, "", bad
	}
	return t, id, nil
}

// AddCaseEvent appends an entry to the case's timeline and marks the case
// changed.
func AddCaseEvent(tx *Tx, ev *samordna.CaseEvent) error {
	if ev.ID == "" {
		ev.ID = samordna.NewID()
	}
	_, err := tx.Exec(`INSERT INTO case_events (id, case_id, at, actor_id, kind, ref_type, ref_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, ev.ID, ev.CaseID, ev.At, ev.ActorID, ev.Kind, ev.RefType, ev.RefID)
	if err != nil {
		return wrap(err, "case event")
	}
	return TouchCase(tx, ev.CaseID, ev.At)
}

// CaseEvents returns the case's timeline, oldest first (at most 500).
func CaseEvents(tx *Tx, caseID string) ([]samordna.CaseEvent, error) {
	rows, err := tx.Query(`SELECT id, case_id, at, actor_id, kind, ref_type, ref_id FROM case_events
		WHERE case_id = $1 ORDER BY at, id LIMIT 500`, caseID)
	if err != nil {
		return nil, wrap(err, "case events")
	}
	defer rows.Close()
	var out []samordna.CaseEvent
	for rows.Next() {
		var ev samordna.CaseEvent
		if err := rows.Scan(&ev.ID, &ev.CaseID, &ev.At, &ev.ActorID, &ev.Kind, &ev.RefType, &ev.RefID); err != nil {
			return nil, wrap(err, "case events")
		}
		out = append(out, ev)
	}
	return out, wrap(rows.Err(), "case events")
}

// LinkCases links two cases (both directions are found by LinkedCases).
func LinkCases(tx *Tx, caseID, linkedID string, kind samordna.CaseLinkKind, by string, at time.Time) error {
	_, err := tx.Exec(`INSERT INTO case_links (case_id, linked_case_id, kind, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`, caseID, linkedID, string(kind), by, at)
	return wrap(err, "link cases")
}

// CaseLink is a link seen from one case.
type CaseLink struct {
	CaseID string
	Kind   samordna.CaseLinkKind
}

// LinkedCases returns the cases linked to caseID, in either direction.
func LinkedCases(tx *Tx, caseID string) ([]CaseLink, error) {
	rows, err := tx.Query(`SELECT linked_case_id, kind FROM case_links WHERE case_id = $1
		UNION SELECT case_id, kind FROM case_links WHERE linked_case_id = $1`, caseID)
	if err != nil {
		return nil, wrap(err, "linked cases")
	}
	defer rows.Close()
	var out []CaseLink
	for rows.Next() {
		var l CaseLink
		if err := rows.Scan(&l.CaseID, &l.Kind); err != nil {
			return nil, wrap(err, "linked cases")
		}
		out = append(out, l)
	}
	return out, wrap(rows.Err(), "linked cases")
}

// nullable stores "" as NULL (for optional references).
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}
