package store

import (
	"database/sql"
	"time"

	"github.com/samordna/samordna"
)

// This file persists the municipality's plan for children as next of kin
// (seed 001): goals on three levels with yearly targets and the results
// their owners enter, and the counts the computed indicators read from
// cases, tasks, coordinators and plans.

// Goal is one goal of the municipality's plan.
type Goal struct {
	ID             string
	MunicipalityID string
	Level          string // municipality, service, individual
	Dimension      string // culture, structure
	Text           string
	OwnerKind      string // chief_executive, service_leader, employee
	OwnerID        string // the owning employee ("" for none named)
	ServiceID      string // the service a service-level goal belongs to ("" for all)
	Indicator      string // app.Indicators
	IndicatorText  string // what an entered indicator counts, in the municipality's words
	Position       int
	CreatedBy      string
	CreatedAt      time.Time
	UpdatedAt      time.Time
	// Filled by the queries, for display.
	OwnerName   string
	ServiceName string
}

const goalColumns = `g.id, g.municipality_id, g.level, g.dimension, g.text, g.owner_kind, COALESCE(g.owner_id, ''),
	COALESCE(g.service_id, ''), g.indicator, g.indicator_text, g.position, g.created_by, g.created_at, g.updated_at,
	COALESCE(e.name, ''), COALESCE(s.name, '')`

const goalJoins = ` FROM goals g LEFT JOIN employees e ON e.id = g.owner_id LEFT JOIN services s ON s.id = g.service_id`

func scanGoal(row interface{ Scan(...any) error }) (*Goal, error) {
	var g Goal
	err := row.Scan(&g.ID, &g.MunicipalityID, &g.Level, &g.Dimension, &g.Text, &g.OwnerKind, &g.OwnerID, &g.ServiceID,
		&g.Indicator, &g.IndicatorText, &g.Position, &g.CreatedBy, &g.CreatedAt, &g.UpdatedAt, &g.OwnerName, &g.ServiceName)
	return &g, err
}

// CreateGoal inserts a goal at the end of its level.
func CreateGoal(tx *Tx, g *Goal) error {
	if g.ID == "" {
		g.ID = samordna.NewID()
	}
	if err := tx.QueryRow(`SELECT COALESCE(MAX(position), 0) + 1 FROM goals WHERE municipality_id = $1 AND level = $2`,
		g.MunicipalityID, g.Level).Scan(&g.Position); err != nil {
		return wrap(err, "goal position")
	}
	_, err := tx.Exec(`INSERT INTO goals (id, municipality_id, level, dimension, text, owner_kind, owner_id, service_id,
		indicator, indicator_text, position, created_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`, g.ID, g.MunicipalityID, g.Level, g.Dimension,
		g.Text, g.OwnerKind, nullable(g.OwnerID), nullable(g.ServiceID), g.Indicator, g.IndicatorText, g.Position,
		g.CreatedBy, g.CreatedAt, g.UpdatedAt)
	return wrap(err, "create goal")
}

// UpdateGoal saves a goal's fields (not its level or position).
func UpdateGoal(tx *Tx, g *Goal) error {
	_, err := tx.Exec(`UPDATE goals SET dimension = $2, text = $3, owner_kind = $4, owner_id = $5, service_id = $6,
		indicator = $7, indicator_text = $8, updated_at = $9 WHERE id = $1`, g.ID, g.Dimension, g.Text, g.OwnerKind,
		nullable(g.OwnerID), nullable(g.ServiceID), g.Indicator, g.IndicatorText, g.UpdatedAt)
	return wrap(err, "update goal")
}

// ArchiveGoal takes a goal out of the plan; its targets and results stay
// for the years already reported.
func ArchiveGoal(tx *Tx, id string, at time.Time) error {
	_, err := tx.Exec(`UPDATE goals SET archived_at = $2 WHERE id = $1 AND archived_at IS NULL`, id, at)
	return wrap(err, "archive goal")
}

// GoalByID returns a goal of the municipality that is not archived, or
// samordna.ErrNotFound.
func GoalByID(tx *Tx, municipalityID, id string) (*Goal, error) {
	g, err := scanGoal(tx.QueryRow(`SELECT `+goalColumns+goalJoins+
		` WHERE g.id = $1 AND g.municipality_id = $2 AND g.archived_at IS NULL`, id, municipalityID))
	if err != nil {
		return nil, wrap(err, "goal")
	}
	return g, nil
}

// ListGoals returns the municipality's goals that are not archived, by
// level (municipality, service, individual) and position.
func ListGoals(tx *Tx, municipalityID string) ([]*Goal, error) {
	rows, err := tx.Query(`SELECT `+goalColumns+goalJoins+` WHERE g.municipality_id = $1 AND g.archived_at IS NULL
		ORDER BY CASE g.level WHEN 'municipality' THEN 1 WHEN 'service' THEN 2 ELSE 3 END, g.position, g.id`, municipalityID)
	if err != nil {
		return nil, wrap(err, "goals")
	}
	defer rows.Close()
	var out []*Goal
	for rows.Next() {
		g, err := scanGoal(rows)
		if err != nil {
			return nil, wrap(err, "goals")
		}
		out = append(out, g)
	}
	return out, wrap(rows.Err(), "goals")
}

// SetGoalTarget sets (or replaces) a goal's target for a year.
func SetGoalTarget(tx *Tx, goalID string, year int, target float64, by string, at time.Time) error {
	_, err := tx.Exec(`INSERT INTO goal_targets (goal_id, year, target, set_by, set_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (goal_id, year) DO UPDATE SET target = excluded.target, set_by = excluded.set_by, set_at = excluded.set_at`,
		goalID, year, target, by, at)
	return wrap(err, "set goal target")
}

// GoalTargets returns the municipality's targets for a year by goal id.
func GoalTargets(tx *Tx, municipalityID string, year int) (map[string]float64, error) {
	rows, err := tx.Query(`SELECT t.goal_id, t.target FROM goal_targets t JOIN goals g ON g.id = t.goal_id
		WHERE g.municipality_id = $1 AND t.year = $2`, municipalityID, year)
	if err != nil {
		return nil, wrap(err, "goal targets")
	}
	defer rows.Close()
	out := map[string]float64{}
	for rows.Next() {
		var id string
		var v float64
		if err := rows.Scan(&id, &v); err != nil {
			return nil, wrap(err, "goal targets")
		}
		out[id] = v
	}
	return out, wrap(rows.Err(), "goal targets")
}

// SetGoalResult sets (or replaces) an entered result: the figure for the
// year so far at the end of the quarter.
func SetGoalResult(tx *Tx, goalID string, year, quarter int, value float64, by string, at time.Time) error {
	_, err := tx.Exec(`INSERT INTO goal_results (goal_id, year, quarter, value, entered_by, entered_at)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (goal_id, year, quarter) DO UPDATE SET value = excluded.value,
		entered_by = excluded.entered_by, entered_at = excluded.entered_at`, goalID, year, quarter, value, by, at)
	return wrap(err, "set goal result")
}

// GoalResults returns the municipality's entered results for a year: by
// goal id, the value of each quarter entered.
func GoalResults(tx *Tx, municipalityID string, year int) (map[string]map[int]float64, error) {
	rows, err := tx.Query(`SELECT r.goal_id, r.quarter, r.value FROM goal_results r JOIN goals g ON g.id = r.goal_id
		WHERE g.municipality_id = $1 AND r.year = $2`, municipalityID, year)
	if err != nil {
		return nil, wrap(err, "goal results")
	}
	defer rows.Close()
	out := map[string]map[int]float64{}
	for rows.Next() {
		var id string
		var q int
		var v float64
		if err := rows.Scan(&id, &q, &v); err != nil {
			return nil, wrap(err, "goal results")
		}
		if out[id] == nil {
			out[id] = map[int]float64{}
		}
		out[id][q] = v
	}
	return out, wrap(rows.Err(), "goal results")
}

// FirstStep is the first routine task of a case registered in a period:
// its deadline (the overdue time, else the due time) and when it was done.
type FirstStep struct {
	CaseID      string
	Deadline    *time.Time
	CompletedAt *time.Time
	Done        bool
}

// FirstStepsOfConcerns returns, for each concern or inquiry registered in
// [from, to) in the municipality (by a member of serviceID when it is not
// empty), the first task its routine started.
func FirstStepsOfConcerns(tx *Tx, municipalityID, serviceID string, from, to time.Time) ([]FirstStep, error) {
	rows, err := tx.Query(`SELECT c.id, t.overdue_after, t.due_at, t.completed_at, t.status
		FROM cases c JOIN tasks t ON t.id = (SELECT t2.id FROM tasks t2 WHERE t2.case_id = c.id AND t2.kind = 'step'
			ORDER BY t2.started_at, t2.created_at, t2.id LIMIT 1)
		WHERE c.municipality_id = $1 AND c.origin IN ('concern', 'inquiry') AND c.created_at >= $2 AND c.created_at < $3
			AND ($4 = '' OR c.registered_service_id = $4)`, municipalityID, from, to, serviceID)
	if err != nil {
		return nil, wrap(err, "first steps")
	}
	defer rows.Close()
	var out []FirstStep
	for rows.Next() {
		var f FirstStep
		var overdue, due, completed sql.NullTime
		var status string
		if err := rows.Scan(&f.CaseID, &overdue, &due, &completed, &status); err != nil {
			return nil, wrap(err, "first steps")
		}
		switch {
		case overdue.Valid:
			f.Deadline = &overdue.Time
		case due.Valid:
			f.Deadline = &due.Time
		}
		if completed.Valid {
			f.CompletedAt = &completed.Time
		}
		f.Done = status == TaskDone
		out = append(out, f)
	}
	return out, wrap(rows.Err(), "first steps")
}

// CoordinatorWaits returns, for each case whose first coordinator accepted
// the role in [from, to), the time from the case's registration to the
// acceptance (cases registered by a member of serviceID when not empty).
func CoordinatorWaits(tx *Tx, municipalityID, serviceID string, from, to time.Time) ([]time.Duration, error) {
	rows, err := tx.Query(`SELECT c.id, c.created_at, cc.accepted_at FROM cases c
		JOIN case_coordinators cc ON cc.case_id = c.id
		WHERE c.municipality_id = $1 AND cc.accepted_at IS NOT NULL AND cc.accepted_at < $2
			AND ($3 = '' OR c.registered_service_id = $3)
		ORDER BY c.id, cc.accepted_at`, municipalityID, to, serviceID)
	if err != nil {
		return nil, wrap(err, "coordinator waits")
	}
	defer rows.Close()
	var out []time.Duration
	last := ""
	for rows.Next() {
		var id string
		var created, accepted time.Time
		if err := rows.Scan(&id, &created, &accepted); err != nil {
			return nil, wrap(err, "coordinator waits")
		}
		if id == last {
			continue // a later coordinator of the same case
		}
		last = id
		if !accepted.Before(from) {
			out = append(out, accepted.Sub(created))
		}
	}
	return out, wrap(rows.Err(), "coordinator waits")
}

// PlansWithOverdueMeasures counts the plans (of cases registered by a
// member of serviceID when not empty) that at asOf had a measure past its
// deadline and not done.
func PlansWithOverdueMeasures(tx *Tx, municipalityID, serviceID string, asOf time.Time) (int, error) {
	var n int
	err := tx.QueryRow(`SELECT COUNT(DISTINCT t.plan_id) FROM tasks t JOIN cases c ON c.id = t.case_id
		WHERE t.municipality_id = $1 AND t.kind = 'measure' AND t.plan_id <> '' AND t.status <> 'cancelled'
			AND COALESCE(t.overdue_after, t.due_at) < $2 AND t.started_at < $2
			AND (t.completed_at IS NULL OR t.completed_at > $2)
			AND ($3 = '' OR c.registered_service_id = $3)`, municipalityID, asOf, serviceID).Scan(&n)
	return n, wrap(err, "plans with overdue measures")
}
