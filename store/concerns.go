package store

import (
	"strings"
	"time"

	"github.com/samordna/samordna"
)

// This file persists concerns (bekymringer) and inquiries (henvendelser),
// consultations (drøftinger) and the submission of a case to a team.

// Concern is the first record of a case: what the employee was worried
// about, or what the person asked for help with.
type Concern struct {
	ID             string
	CaseID         string
	MunicipalityID string
	Situation      string
	Anonymous      bool
	Description    string
	// Problems are what the concern records the person struggles with
	// (pathway.Problem values: substance_use, mental_illness); empty when
	// not stated.
	Problems     []string
	RegisteredBy string // employee id
	CreatedAt    time.Time
}

// CreateConcern inserts a concern.
func CreateConcern(tx *Tx, c *Concern) error {
	_, err := tx.Exec(`INSERT INTO concerns (id, case_id, municipality_id, situation, anonymous, description,
		registered_by, created_at, problems) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		c.ID, c.CaseID, c.MunicipalityID, c.Situation, c.Anonymous, c.Description, c.RegisteredBy, c.CreatedAt,
		strings.Join(c.Problems, ","))
	return wrap(err, "create concern")
}

const concernColumns = `id, case_id, municipality_id, situation, anonymous, description, registered_by, created_at,
	problems`

func scanConcern(row interface{ Scan(...any) error }) (*Concern, error) {
	var c Concern
	var problems string
	err := row.Scan(&c.ID, &c.CaseID, &c.MunicipalityID, &c.Situation, &c.Anonymous, &c.Description,
		&c.RegisteredBy, &c.CreatedAt, &problems)
	if problems != "" {
		c.Problems = strings.Split(problems, ",")
	}
	return &c, err
}

// ConcernByID returns the concern or samordna.ErrNotFound. It does not
// check access.
func ConcernByID(tx *Tx, id string) (*Concern, error) {
	c, err := scanConcern(tx.QueryRow(`SELECT `+concernColumns+` FROM concerns WHERE id = $1`, id))
	if err != nil {
		return nil, wrap(err, "concern")
	}
	return c, nil
}

// ConcernsOfCase returns the case's concerns, oldest first.
func ConcernsOfCase(tx *Tx, caseID string) ([]*Concern, error) {
	rows, err := tx.Query(`SELECT `+concernColumns+` FROM concerns WHERE case_id = $1 ORDER BY created_at, id`, caseID)
	if err != nil {
		return nil, wrap(err, "concerns of case")
	}
	defer rows.Close()
	var out []*Concern
	for rows.Next() {
		c, err := scanConcern(rows)
		if err != nil {
			return nil, wrap(err, "concerns of case")
		}
		out = append(out, c)
	}
	return out, wrap(rows.Err(), "concerns of case")
}

// Consultation is a discussion of a case with a colleague, a leader, the
// resource group or a team, with the advice given and who gave it.
type Consultation struct {
	ID           string
	CaseID       string
	WithKind     string // colleague, leader, resource_group, team
	Mode         string // anonymous, open
	ConsentGiven bool   // open: the family consented to the discussion
	TeamID       string
	AdviserID    string // employee id of who gave the advice, when an employee
	AdviserName  string // who gave the advice, when not an employee of the municipality
	Participants string // who took part besides the discoverer; empty when nobody was named
	Summary      string
	Advice       string
	HeldAt       time.Time
	RecordedBy   string
	RecordedAt   time.Time
}

// CreateConsultation inserts a consultation.
func CreateConsultation(tx *Tx, c *Consultation) error {
	_, err := tx.Exec(`INSERT INTO consultations (id, case_id, with_kind, mode, consent_given, team_id, adviser_id,
		adviser_name, participants, summary, advice, held_at, recorded_by, recorded_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
		c.ID, c.CaseID, c.WithKind, c.Mode, c.ConsentGiven, nullable(c.TeamID), nullable(c.AdviserID),
		c.AdviserName, c.Participants, c.Summary, c.Advice, c.HeldAt, c.RecordedBy, c.RecordedAt)
	return wrap(err, "create consultation")
}

// ConsultationsOfCase returns the case's consultations, oldest first.
func ConsultationsOfCase(tx *Tx, caseID string) ([]*Consultation, error) {
	rows, err := tx.Query(`SELECT id, case_id, with_kind, mode, consent_given, COALESCE(team_id, ''),
		COALESCE(adviser_id, ''), adviser_name, participants, summary, advice, held_at, recorded_by, recorded_at
		FROM consultations WHERE case_id = $1 ORDER BY held_at, id`, caseID)
	if err != nil {
		return nil, wrap(err, "consultations")
	}
	defer rows.Close()
	var out []*Consultation
	for rows.Next() {
		var c Consultation
		if err := rows.Scan(&c.ID, &c.CaseID, &c.WithKind, &c.Mode, &c.ConsentGiven, &c.TeamID, &c.AdviserID,
			&c.AdviserName, &c.Participants, &c.Summary, &c.Advice, &c.HeldAt, &c.RecordedBy, &c.RecordedAt); err != nil {
			return nil, wrap(err, "consultations")
		}
		out = append(out, &c)
	}
	return out, wrap(rows.Err(), "consultations")
}

// SubmitToTeam records that the case was submitted to the team (so that
// the team's members may read it), unless it already was.
func SubmitToTeam(tx *Tx, caseID, teamID, by string, at time.Time) error {
	var n int
	if err := tx.QueryRow(`SELECT COUNT(*) FROM team_submissions WHERE case_id = $1 AND team_id = $2`,
		caseID, teamID).Scan(&n); err != nil {
		return wrap(err, "team submission")
	}
	if n > 0 {
		return nil
	}
	_, err := tx.Exec(`INSERT INTO team_submissions (id, case_id, team_id, submitted_by, submitted_at)
		VALUES ($1, $2, $3, $4, $5)`, samordna.NewID(), caseID, teamID, by, at)
	return wrap(err, "team submission")
}

// FirstTeamOfKind returns the municipality's first team of the kind (by name),
// or samordna.ErrNotFound.
func FirstTeamOfKind(tx *Tx, municipalityID string, kind samordna.TeamKind) (*samordna.Team, error) {
	var id string
	err := tx.QueryRow(`SELECT id FROM teams WHERE municipality_id = $1 AND kind = $2
		ORDER BY `+byName(tx, "name")+`, id LIMIT 1`, municipalityID, string(kind)).Scan(&id)
	if err != nil {
		return nil, wrap(err, "team of kind")
	}
	return TeamByID(tx, id)
}

// FirstServiceOfKind returns the municipality's first service of the kind (by
// name), or samordna.ErrNotFound.
func FirstServiceOfKind(tx *Tx, municipalityID string, kind samordna.ServiceKind) (*samordna.Service, error) {
	var id string
	err := tx.QueryRow(`SELECT id FROM services WHERE municipality_id = $1 AND kind = $2
		ORDER BY `+byName(tx, "name")+`, id LIMIT 1`, municipalityID, string(kind)).Scan(&id)
	if err != nil {
		return nil, wrap(err, "service of kind")
	}
	return ServiceByID(tx, id)
}
