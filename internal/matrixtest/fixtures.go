// Package matrixtest holds the access matrix test (every route × every demo
// role × every relation state) and the fixtures that the spine's tests use
// to put a case and an employee into a relation directly in the database:
// registered, application, coordinator, responsibility group member with or
// without consent, report, team submission, emergency access and block. The
// fixtures write the 00002 tables with plain SQL, so tests of access do not
// depend on the use cases that normally create these rows.
package matrixtest

import (
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/store"
)

// NewCase inserts an open case registered by registeredBy and returns its
// id. subjectPersonID may be "" (the case is then anonymous).
func NewCase(tx *store.Tx, municipalityID, registeredBy, subjectPersonID string, at time.Time) (string, error) {
	c := &samordna.Case{ID: samordna.NewID(), MunicipalityID: municipalityID, SubjectPersonID: subjectPersonID,
		Anonymous: subjectPersonID == "", Origin: samordna.OriginConcern, Situation: "unclear_concern",
		Status: samordna.CaseOpen, RegisteredBy: registeredBy, CreatedAt: at, UpdatedAt: at}
	if err := store.CreateCase(tx, c); err != nil {
		return "", err
	}
	return c.ID, store.AddCaseEvent(tx, &samordna.CaseEvent{CaseID: c.ID, At: at, ActorID: registeredBy, Kind: "registered"})
}

// AddApplication records an application to the coordinating unit.
func AddApplication(tx *store.Tx, caseID, municipalityID, submittedBy string, at time.Time) error {
	_, err := tx.Exec(`INSERT INTO applications (id, case_id, municipality_id, status, wants_coordinator, wants_plan,
		submitted_by, submitted_at) VALUES ($1, $2, $3, 'submitted', TRUE, FALSE, $4, $5)`,
		samordna.NewID(), caseID, municipalityID, submittedBy, at)
	return err
}

// AddCoordinator makes the employee the case's current coordinator; ended
// gives an assignment that has ended.
func AddCoordinator(tx *store.Tx, caseID, employeeID, by string, at time.Time, ended bool) error {
	var end *time.Time
	if ended {
		end = &at
	}
	_, err := tx.Exec(`INSERT INTO case_coordinators (id, case_id, municipality_id, employee_id, kind, status,
		appointed_by, appointed_at, ended_at)
		VALUES ($1, $2, (SELECT municipality_id FROM cases WHERE id = $2), $3, 'coordinator', 'accepted', $4, $5, $6)`,
		samordna.NewID(), caseID, employeeID, by, at, end)
	return err
}

// AddGroupMember creates a responsibility group for the case (closed when
// closed is true) with the employee as a member (removed when removed).
func AddGroupMember(tx *store.Tx, caseID, employeeID, by string, at time.Time, closed, removed bool) error {
	var closedAt, removedAt *time.Time
	if closed {
		closedAt = &at
	}
	if removed {
		removedAt = &at
	}
	gid := samordna.NewID()
	if _, err := tx.Exec(`INSERT INTO responsibility_groups (id, case_id, municipality_id, created_by, created_at,
		closed_at) VALUES ($1, $2, (SELECT municipality_id FROM cases WHERE id = $2), $3, $4, $5)`,
		gid, caseID, by, at, closedAt); err != nil {
		return err
	}
	_, err := tx.Exec(`INSERT INTO group_members (id, group_id, employee_id, added_at, removed_at)
		VALUES ($1, $2, $3, $4, $5)`, samordna.NewID(), gid, employeeID, at, removedAt)
	return err
}

// AddConsent records a consent with the purposes, valid until validUntil
// (nil: until withdrawn), withdrawn at once when withdrawn is true. It
// returns the consent's id.
func AddConsent(tx *store.Tx, caseID, recordedBy string, purposes []samordna.ConsentPurpose, validUntil *time.Time,
	withdrawn bool, at time.Time) (string, error) {
	c := &samordna.Consent{ID: samordna.NewID(), CaseID: caseID, Status: samordna.ConsentActive, Purposes: purposes,
		GivenByName: "Kari Testesen", GivenByRelation: "self", RecordedBy: recordedBy, RecordedAt: at,
		ValidUntil: validUntil}
	if err := store.CreateConsent(tx, c); err != nil {
		return "", err
	}
	if withdrawn {
		c.Status, c.WithdrawnAt, c.WithdrawnBy = samordna.ConsentWithdrawn, &at, recordedBy
		if err := store.UpdateConsent(tx, c, recordedBy, at, "withdrawn"); err != nil {
			return "", err
		}
	}
	return c.ID, nil
}

// Report kinds: to child welfare, and the duty to inform the mental health
// and substance service.
const (
	ReportChildWelfare = "child_welfare"
	ReportDutyToInform = "duty_to_inform"
)

// AddReport records a sent report of the kind on the case.
func AddReport(tx *store.Tx, caseID, municipalityID, kind, sentBy string, at time.Time) error {
	_, err := tx.Exec(`INSERT INTO child_welfare_reports (id, case_id, municipality_id, kind, description, status,
		sent_by, sent_at) VALUES ($1, $2, $3, $4, 'Testmelding', 'sent', $5, $6)`,
		samordna.NewID(), caseID, municipalityID, kind, sentBy, at)
	return err
}

// AddTeamSubmission records that the case was submitted to the team.
func AddTeamSubmission(tx *store.Tx, caseID, teamID, by string, at time.Time) error {
	_, err := tx.Exec(`INSERT INTO team_submissions (id, case_id, team_id, submitted_by, submitted_at)
		VALUES ($1, $2, $3, $4, $5)`, samordna.NewID(), caseID, teamID, by, at)
	return err
}

// AddEmergency grants the employee emergency access to the case until
// expires, reviewed by the leader of serviceID ("" for none). It returns
// the access's id.
func AddEmergency(tx *store.Tx, caseID, employeeID, serviceID string, at, expires time.Time) (string, error) {
	id := samordna.NewID()
	var svc any
	if serviceID != "" {
		svc = serviceID
	}
	_, err := tx.Exec(`INSERT INTO emergency_accesses (id, case_id, employee_id, service_id, reason_code, reason_text,
		granted_at, expires_at) VALUES ($1, $2, $3, $4, 'other', 'Testgrunn for nødtilgang', $5, $6)`,
		id, caseID, employeeID, svc, at, expires)
	return id, err
}

// AddBlock bars the employee from the case (lifted at once when lifted is
// true) and returns the block's id.
func AddBlock(tx *store.Tx, caseID, employeeID, by string, at time.Time, lifted bool) (string, error) {
	b := &store.Block{ID: samordna.NewID(), CaseID: caseID, EmployeeID: employeeID, Reason: "Personens ønske",
		CreatedBy: by, CreatedAt: at}
	if err := store.CreateBlock(tx, b); err != nil {
		return "", err
	}
	if lifted {
		return b.ID, store.LiftBlock(tx, b.ID, by, at)
	}
	return b.ID, nil
}
