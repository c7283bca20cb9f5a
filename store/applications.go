package store

import (
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"github.com/samordna/samordna"
)

// This file persists applications to the coordinating unit (for a
// coordinator and/or an individual plan) and the unit's decision on them.

// Application statuses.
const (
	ApplicationSubmitted = "submitted"
	ApplicationGranted   = "granted"
	ApplicationRefused   = "refused"
)

// Application is one application to the coordinating unit with its
// decision (empty until decided) and, for lists, the names that go with
// the ids.
type Application struct {
	ID                string
	CaseID            string
	MunicipalityID    string
	Status            string // ApplicationSubmitted, ApplicationGranted or ApplicationRefused
	WantsCoordinator  bool
	WantsPlan         bool
	WishedCoordinator string // username of the coordinator the person wishes, or ""
	SubmittedBy       string // employee id
	SubmittedAt       time.Time
	// The person's will (seed 004: "etter ønske eller søknad fra
	// brukeren/foresatte/pårørende"): who wished it and as what (self,
	// guardian or next_of_kin), whether the wish includes a responsibility
	// group, and what carries it: the consent covering
	// register_with_coordinating_unit, or the person's own signed
	// application (an uploaded form of the case).
	WishedBy         string
	WishedByRelation string
	WantsGroup       bool
	ConsentID        string
	SignedFormID     string

	DecidedBy            string // employee id
	DecidedAt            *time.Time
	Reason               string
	DecidedCoordinatorID string // employee id
	CoordinatorKind      string // "coordinator" or "child_coordinator"
	PlanDecision         string // "now", "later" or "no"
	// ChildCoordinatorGround is the recorded ground of a child coordinator
	// (hol § 7-2a): serious_illness, injury, disability or expected.
	ChildCoordinatorGround string

	// Joined for display.
	SubjectName         string
	CaseTitle           string
	SubmittedByName     string
	WishedName          string
	DecidedByName       string
	DecidedCoordinator  string // username
	DecidedCoordName    string
	SubjectBirthDate    string
	SubjectDueDate      string
	RegisteredService   string
	SubmittedByUsername string
}

// CreateApplication inserts a submitted application.
func CreateApplication(tx *Tx, a *Application) error {
	_, err := tx.Exec(`INSERT INTO applications (id, case_id, municipality_id, status, wants_coordinator, wants_plan,
		wished_coordinator, submitted_by, submitted_at, wished_by, wished_by_relation, wants_group, consent_id,
		signed_form_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
		a.ID, a.CaseID, a.MunicipalityID, a.Status, a.WantsCoordinator, a.WantsPlan, a.WishedCoordinator,
		a.SubmittedBy, a.SubmittedAt, a.WishedBy, a.WishedByRelation, a.WantsGroup, nullable(a.ConsentID),
		nullable(a.SignedFormID))
	return wrap(err, "create application")
}

const applicationSelect = `SELECT a.id, a.case_id, a.municipality_id, a.status, a.wants_coordinator, a.wants_plan,
	a.wished_coordinator, a.submitted_by, a.submitted_at, COALESCE(a.decided_by, ''), a.decided_at,
	a.decision_reason, COALESCE(a.decided_coordinator_id, ''), a.coordinator_kind, a.plan_decision,
	COALESCE(p.name, ''), c.title, COALESCE(sb.name, ''), COALESCE(sb.username, ''), COALESCE(w.name, ''),
	COALESCE(db.name, ''), COALESCE(dc.username, ''), COALESCE(dc.name, ''), COALESCE(p.birth_date, ''),
	COALESCE(p.due_date, ''), COALESCE(sv.name, ''), a.wished_by, a.wished_by_relation, a.wants_group,
	COALESCE(a.consent_id, ''), COALESCE(a.signed_form_id, ''), a.child_coordinator_ground
	FROM applications a
	JOIN cases c ON c.id = a.case_id
	LEFT JOIN persons p ON p.id = c.subject_person_id
	LEFT JOIN services sv ON sv.id = c.registered_service_id
	LEFT JOIN employees sb ON sb.id = a.submitted_by
	LEFT JOIN employees w ON w.username = a.wished_coordinator AND a.wished_coordinator <> ''
	LEFT JOIN employees db ON db.id = a.decided_by
	LEFT JOIN employees dc ON dc.id = a.decided_coordinator_id`

func scanApplication(row interface{ Scan(...any) error }) (*Application, error) {
	var a Application
	err := row.Scan(&a.ID, &a.CaseID, &a.MunicipalityID, &a.Status, &a.WantsCoordinator, &a.WantsPlan,
		&a.WishedCoordinator, &a.SubmittedBy, &a.SubmittedAt, &a.DecidedBy, &a.DecidedAt, &a.Reason,
		&a.DecidedCoordinatorID, &a.CoordinatorKind, &a.PlanDecision, &a.SubjectName, &a.CaseTitle,
		&a.SubmittedByName, &a.SubmittedByUsername, &a.WishedName, &a.DecidedByName, &a.DecidedCoordinator,
		&a.DecidedCoordName, &a.SubjectBirthDate, &a.SubjectDueDate, &a.RegisteredService, &a.WishedBy,
		&a.WishedByRelation, &a.WantsGroup, &a.ConsentID, &a.SignedFormID, &a.ChildCoordinatorGround)
	return &a, err
}

// ApplicationByID returns the application or samordna.ErrNotFound. It
// checks no access.
func ApplicationByID(tx *Tx, id string) (*Application, error) {
	a, err := scanApplication(tx.QueryRow(applicationSelect+` WHERE a.id = $1`, id))
	if err != nil {
		return nil, wrap(err, "application")
	}
	return a, nil
}

// ApplicationsOfCase returns the case's applications, newest first.
func ApplicationsOfCase(tx *Tx, caseID string) ([]*Application, error) {
	return queryApplications(tx, applicationSelect+` WHERE a.case_id = $1 ORDER BY a.submitted_at DESC, a.id`, caseID)
}

// ApplicationPage is one page of the coordinating unit's inbox.
type ApplicationPage struct {
	Items []*Application
	Next  string
}

// ListApplications returns the municipality's applications with the
// status ("" for all), oldest submitted first (the inbox works from the
// oldest), limit at a time (at most 100) after cursor.
func ListApplications(tx *Tx, municipalityID, status, cursor string, limit int) (*ApplicationPage, error) {
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	args := []any{municipalityID}
	q := applicationSelect + ` WHERE a.municipality_id = $1`
	if status != "" {
		args = append(args, status)
		q += fmt.Sprintf(` AND a.status = $%d`, len(args))
	}
	if cursor != "" {
		at, id, err := decodeCursor(cursor)
		if err != nil {
			return nil, err
		}
		args = append(args, at, id)
		q += fmt.Sprintf(` AND (a.submitted_at > $%d OR (a.submitted_at = $%d AND a.id > $%d))`,
			len(args)-1, len(args)-1, len(args))
	}
	q += ` ORDER BY a.submitted_at, a.id LIMIT ` + strconv.Itoa(limit+1)
	items, err := queryApplications(tx, q, args...)
	if err != nil {
		return nil, err
	}
	page := &ApplicationPage{Items: items}
	if len(items) > limit {
		page.Items = items[:limit]
		last := page.Items[limit-1]
		page.Next = encodeCursor(last.SubmittedAt, last.ID)
	}
	return page, nil
}

func queryApplications(tx *Tx, q string, args ...any) ([]*Application, error) {
	rows, err := tx.Query(q, args...)
	if err != nil {
		return nil, wrap(err, "applications")
	}
	defer rows.Close()
	var out []*Application
	for rows.Next() {
		a, err := scanApplication(rows)
		if err != nil {
			return nil, wrap(err, "applications")
		}
		out = append(out, a)
	}
	return out, wrap(rows.Err(), "applications")
}

// ErrAlreadyDecided is returned by DecideApplication for an application
// that is no longer submitted.
var ErrAlreadyDecided = samordna.Errorf(samordna.KindConflict, "already_decided",
	"the application has already been decided")

// DecideApplication stores the decision on a submitted application. It
// changes only an application still submitted (so two caseworkers cannot
// both decide it): otherwise ErrAlreadyDecided.
func DecideApplication(tx *Tx, a *Application) error {
	res, err := tx.Exec(`UPDATE applications SET status = $1, outcome = $1, decided_by = $2, decided_at = $3,
		decision_reason = $4, decided_coordinator_id = $5, coordinator_kind = $6, plan_decision = $7,
		child_coordinator_ground = $8 WHERE id = $9 AND status = 'submitted'`,
		a.Status, a.DecidedBy, a.DecidedAt, a.Reason, nullable(a.DecidedCoordinatorID), a.CoordinatorKind,
		a.PlanDecision, a.ChildCoordinatorGround, a.ID)
	if err != nil {
		return wrap(err, "decide application")
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return ErrAlreadyDecided
	}
	return nil
}

// ApplicationCounts returns the number of the municipality's applications
// by status.
func ApplicationCounts(tx *Tx, municipalityID string) (map[string]int, error) {
	rows, err := tx.Query(`SELECT status, COUNT(*) FROM applications WHERE municipality_id = $1 GROUP BY status`,
		municipalityID)
	if err != nil {
		return nil, wrap(err, "application counts")
	}
	defer rows.Close()
	out := map[string]int{ApplicationSubmitted: 0, ApplicationGranted: 0, ApplicationRefused: 0}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, wrap(err, "application counts")
		}
		out[s] = n
	}
	return out, wrap(rows.Err(), "application counts")
}

// CaseUnitDecider returns the coordinating-unit employee who granted the
// case's most recent granted application ("" when none): the one the first
// group meeting invites.
func CaseUnitDecider(tx *Tx, caseID string) (string, error) {
	ids, err := queryIDs(tx, "unit decider", `SELECT decided_by FROM applications
		WHERE case_id = $1 AND status = 'granted' AND decided_by IS NOT NULL
		ORDER BY decided_at DESC, id LIMIT 1`, caseID)
	if err != nil || len(ids) == 0 {
		return "", err
	}
	return ids[0], nil
}

// PlanDecisionOfCase returns the coordinating unit's standing decision on
// the case's individual plan: the plan decision ("now", "later" or "no") of
// the most recently granted application that applied for a plan or decided
// on one; "" when no granted application did. A refused application
// changes nothing that was granted before it.
func PlanDecisionOfCase(tx *Tx, caseID string) (string, error) {
	var d string
	err := tx.QueryRow(`SELECT plan_decision FROM applications
		WHERE case_id = $1 AND status = 'granted' AND (wants_plan OR plan_decision IN ('now', 'later'))
		ORDER BY decided_at DESC, id DESC LIMIT 1`, caseID).Scan(&d)
	if err == sql.ErrNoRows {
		return "", nil
	}
	return d, wrap(err, "plan decision")
}
