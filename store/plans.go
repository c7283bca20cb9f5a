package store

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/samordna/samordna"
)

// This file persists plans: individual plans, action plans and relay logs
// (one engine, three kinds; package app enforces the rules of each). The
// plans row is the current state; plan_versions keeps every version's whole
// content; plan_measures links the current measures to their tasks.

// Plan is the current state of a plan (not its content; see PlanVersion).
type Plan struct {
	ID             string
	CaseID         string
	MunicipalityID string
	Kind           string // individual_plan, action_plan, relay_log
	Status         string // active or closed
	Version        int    // the current version
	GroupID        string // action plan: the responsibility group that made it
	HolderID       string // relay log: the employee holding the log
	HandoverTo     string // relay log: the employee asked to take it over
	HandoverBy     string
	HandoverAt     *time.Time
	// Closing at someone's request (a relay log is closed when the
	// guardians ask): who asked, the person when known, and why.
	CloseRequestedBy       string
	CloseRequestedByPerson string
	CloseReason            string
	ClosedBy               string
	ClosedAt               *time.Time
	CreatedBy              string
	CreatedAt              time.Time
	UpdatedAt              time.Time
}

// PlanContent is what a plan says, stored whole in each version. The
// person's own words come first.
type PlanContent struct {
	WhatMatters     string          `json:"what_matters"`
	Resources       string          `json:"resources"`
	Goals           []PlanGoal      `json:"goals"`
	Measures        []PlanMeasure   `json:"measures"`
	Services        []string        `json:"services"`
	EvaluationDates []string        `json:"evaluation_dates"`
	References      []PlanReference `json:"references"`
}

// PlanGoal is a long- or short-term goal.
type PlanGoal struct {
	ID   string `json:"id"`
	Text string `json:"text"`
	Term string `json:"term"` // long or short
}

// PlanMeasure is one measure (tiltak): what, who, by when, for which goal.
type PlanMeasure struct {
	ID                 string `json:"id"`
	Text               string `json:"text"`
	GoalID             string `json:"goal_id"`
	ResponsibleID      string `json:"responsible_id"` // employee id, "" when a service is responsible
	ResponsibleService string `json:"responsible_service"`
	Due                string `json:"due"` // YYYY-MM-DD
	Status             string `json:"status"`
	Evaluation         string `json:"evaluation"`
	EvaluationDate     string `json:"evaluation_date"`
	MeetingID          string `json:"meeting_id"`
	TaskID             string `json:"task_id"`
	// MethodID names the adopted method (store.Method) the measure uses;
	// "" for none.
	MethodID string `json:"method_id,omitempty"`
}

// PlanReference points to another plan, e.g. a school's education plan.
type PlanReference struct {
	Title  string `json:"title"`
	Holder string `json:"holder"` // who keeps that plan, e.g. "Nordby skole"
	Note   string `json:"note"`
}

// PlanVersion is one stored version of a plan.
type PlanVersion struct {
	PlanID    string
	Version   int
	Content   PlanContent
	Change    string // created, updated, measures_from_minutes, holder_changed, closed
	ChangedBy string // employee id
	ChangedAt time.Time
}

// ErrPlanVersionConflict is returned when a plan was changed after the
// version the caller started from: its If-Match is stale.
var ErrPlanVersionConflict = samordna.Errorf(samordna.KindPreconditionFailed, "precondition_failed",
	"the plan has been changed since you read it; reload it and make your change again")

const planColumns = `id, case_id, municipality_id, kind, status, version, COALESCE(group_id, ''),
	COALESCE(holder_id, ''), COALESCE(handover_to, ''), COALESCE(handover_by, ''), handover_at,
	close_requested_by, COALESCE(close_requested_by_person, ''), close_reason, COALESCE(closed_by, ''),
	closed_at, created_by, created_at, updated_at`

func scanPlan(row interface{ Scan(...any) error }) (*Plan, error) {
	var p Plan
	err := row.Scan(&p.ID, &p.CaseID, &p.MunicipalityID, &p.Kind, &p.Status, &p.Version, &p.GroupID,
		&p.HolderID, &p.HandoverTo, &p.HandoverBy, &p.HandoverAt, &p.CloseRequestedBy,
		&p.CloseRequestedByPerson, &p.CloseReason, &p.ClosedBy, &p.ClosedAt, &p.CreatedBy,
		&p.CreatedAt, &p.UpdatedAt)
	return &p, err
}

// CreatePlan inserts a plan and its first version (v.Version must be
// p.Version, normally 1).
func CreatePlan(tx *Tx, p *Plan, v *PlanVersion) error {
	_, err := tx.Exec(`INSERT INTO plans (id, case_id, municipality_id, kind, status, version, group_id,
		holder_id, created_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)`,
		p.ID, p.CaseID, p.MunicipalityID, p.Kind, p.Status, p.Version, nullable(p.GroupID),
		nullable(p.HolderID), p.CreatedBy, p.CreatedAt)
	if err != nil {
		return wrap(err, "create plan")
	}
	p.UpdatedAt = p.CreatedAt
	return insertPlanVersion(tx, v)
}

// PlanByID returns the plan or samordna.ErrNotFound. It does not check
// access: callers decide with the access package on the plan's case.
func PlanByID(tx *Tx, id string) (*Plan, error) {
	p, err := scanPlan(tx.QueryRow(`SELECT `+planColumns+` FROM plans WHERE id = $1`, id))
	if err != nil {
		return nil, wrap(err, "plan")
	}
	return p, nil
}

// PlansOfCase returns the case's plans, newest first (at most 100).
func PlansOfCase(tx *Tx, caseID string) ([]*Plan, error) {
	rows, err := tx.Query(`SELECT `+planColumns+` FROM plans WHERE case_id = $1
		ORDER BY created_at DESC, id LIMIT 100`, caseID)
	if err != nil {
		return nil, wrap(err, "plans of case")
	}
	defer rows.Close()
	var out []*Plan
	for rows.Next() {
		p, err := scanPlan(rows)
		if err != nil {
			return nil, wrap(err, "plans of case")
		}
		out = append(out, p)
	}
	return out, wrap(rows.Err(), "plans of case")
}

// AddPlanVersion makes v the plan's current version, provided the plan is
// still at version from: the conditional UPDATE is what keeps two editors
// from overwriting each other (on PostgreSQL the second waits for the
// first's row lock and then finds the version moved). Otherwise it returns
// ErrPlanVersionConflict and changes nothing. p's version and update time
// are set from v.
func AddPlanVersion(tx *Tx, p *Plan, from int, v *PlanVersion) error {
	if v.Version != from+1 {
		return fmt.Errorf("add plan version: version %d does not follow %d", v.Version, from)
	}
	res, err := tx.Exec(`UPDATE plans SET version = $1, updated_at = $2 WHERE id = $3 AND version = $4`,
		v.Version, v.ChangedAt, p.ID, from)
	if err != nil {
		return wrap(err, "plan version")
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		if err != nil {
			return wrap(err, "plan version")
		}
		return ErrPlanVersionConflict
	}
	if err := insertPlanVersion(tx, v); err != nil {
		return err
	}
	p.Version, p.UpdatedAt = v.Version, v.ChangedAt
	return nil
}

func insertPlanVersion(tx *Tx, v *PlanVersion) error {
	content, err := json.Marshal(normalizeContent(v.Content))
	if err != nil {
		return fmt.Errorf("plan version: %w", err)
	}
	_, err = tx.Exec(`INSERT INTO plan_versions (plan_id, version, content, change, changed_by, changed_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, v.PlanID, v.Version, string(content), v.Change, v.ChangedBy, v.ChangedAt)
	if isUniqueViolation(err) {
		return ErrPlanVersionConflict
	}
	return wrap(err, "plan version")
}

// normalizeContent turns nil lists into empty ones, so stored JSON and
// diffs never tell null from [].
func normalizeContent(c PlanContent) PlanContent {
	if c.Goals == nil {
		c.Goals = []PlanGoal{}
	}
	if c.Measures == nil {
		c.Measures = []PlanMeasure{}
	}
	if c.Services == nil {
		c.Services = []string{}
	}
	if c.EvaluationDates == nil {
		c.EvaluationDates = []string{}
	}
	if c.References == nil {
		c.References = []PlanReference{}
	}
	return c
}

func scanPlanVersion(row interface{ Scan(...any) error }) (*PlanVersion, error) {
	var v PlanVersion
	var content string
	if err := row.Scan(&v.PlanID, &v.Version, &content, &v.Change, &v.ChangedBy, &v.ChangedAt); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(content), &v.Content); err != nil {
		return nil, fmt.Errorf("plan version %d: stored content is not valid: %w", v.Version, err)
	}
	v.Content = normalizeContent(v.Content)
	return &v, nil
}

// PlanVersionAt returns one version of a plan or samordna.ErrNotFound.
func PlanVersionAt(tx *Tx, planID string, version int) (*PlanVersion, error) {
	v, err := scanPlanVersion(tx.QueryRow(`SELECT plan_id, version, content, change, changed_by, changed_at
		FROM plan_versions WHERE plan_id = $1 AND version = $2`, planID, version))
	if err != nil {
		return nil, wrap(err, "plan version")
	}
	return v, nil
}

// PlanVersions returns the plan's versions after version after, oldest
// first, at most limit (1-100). next is the version to continue after when
// there are more, 0 at the end (one row more than the page is read to tell).
func PlanVersions(tx *Tx, planID string, after, limit int) (vs []*PlanVersion, next int, err error) {
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	rows, err := tx.Query(`SELECT plan_id, version, content, change, changed_by, changed_at
		FROM plan_versions WHERE plan_id = $1 AND version > $2 ORDER BY version LIMIT `+strconv.Itoa(limit+1),
		planID, after)
	if err != nil {
		return nil, 0, wrap(err, "plan versions")
	}
	defer rows.Close()
	for rows.Next() {
		v, err := scanPlanVersion(rows)
		if err != nil {
			return nil, 0, wrap(err, "plan versions")
		}
		vs = append(vs, v)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, wrap(err, "plan versions")
	}
	if len(vs) > limit {
		vs = vs[:limit]
		next = vs[limit-1].Version
	}
	return vs, next, nil
}

// PlanMeasureRow is one current measure of a plan with its task.
type PlanMeasureRow struct {
	PlanID        string
	MeasureID     string
	CaseID        string
	ResponsibleID string
	Due           string // YYYY-MM-DD
	Status        string
	TaskID        string
	MethodID      string // the adopted method the measure names; "" for none
}

// SetPlanMeasures replaces the plan's measure rows with rows (the measures
// of its newest version).
func SetPlanMeasures(tx *Tx, planID string, rows []PlanMeasureRow) error {
	if _, err := tx.Exec(`DELETE FROM plan_measures WHERE plan_id = $1`, planID); err != nil {
		return wrap(err, "plan measures")
	}
	for _, m := range rows {
		_, err := tx.Exec(`INSERT INTO plan_measures (plan_id, measure_id, case_id, responsible_id, due_date,
			status, task_id, method_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, planID, m.MeasureID, m.CaseID,
			nullable(m.ResponsibleID), m.Due, m.Status, nullable(m.TaskID), nullable(m.MethodID))
		if err != nil {
			return wrap(err, "plan measures")
		}
	}
	return nil
}

// PlanMeasureByTask returns the current measure that became the task, or
// samordna.ErrNotFound when the task is not a plan measure's.
func PlanMeasureByTask(tx *Tx, taskID string) (*PlanMeasureRow, error) {
	var m PlanMeasureRow
	err := tx.QueryRow(`SELECT plan_id, measure_id, case_id, COALESCE(responsible_id, ''), due_date, status,
		COALESCE(task_id, '') FROM plan_measures WHERE task_id = $1`, taskID).
		Scan(&m.PlanID, &m.MeasureID, &m.CaseID, &m.ResponsibleID, &m.Due, &m.Status, &m.TaskID)
	if err != nil {
		return nil, wrap(err, "plan measure")
	}
	return &m, nil
}

// SetPlanHandover records that the relay log's holder asks to employeeID
// to take it over ("" cancels a pending handover).
func SetPlanHandover(tx *Tx, planID, employeeID, by string, at time.Time) error {
	if employeeID == "" {
		return execOne(tx, "plan handover", `UPDATE plans SET handover_to = NULL, handover_by = NULL,
			handover_at = NULL WHERE id = $1`, planID)
	}
	return execOne(tx, "plan handover", `UPDATE plans SET handover_to = $1, handover_by = $2, handover_at = $3
		WHERE id = $4`, employeeID, by, at, planID)
}

// SetPlanHolder makes employeeID the relay log's holder and clears any
// pending handover.
func SetPlanHolder(tx *Tx, planID, employeeID string) error {
	return execOne(tx, "plan holder", `UPDATE plans SET holder_id = $1, handover_to = NULL, handover_by = NULL,
		handover_at = NULL WHERE id = $2`, employeeID, planID)
}

// ClosePlan marks the plan closed with who asked for it and why.
func ClosePlan(tx *Tx, p *Plan) error {
	return execOne(tx, "close plan", `UPDATE plans SET status = $1, close_requested_by = $2,
		close_requested_by_person = $3, close_reason = $4, closed_by = $5, closed_at = $6,
		handover_to = NULL, handover_by = NULL, handover_at = NULL WHERE id = $7`,
		p.Status, p.CloseRequestedBy, nullable(p.CloseRequestedByPerson), p.CloseReason, p.ClosedBy,
		p.ClosedAt, p.ID)
}

// GroupsToCheckForActionPlan returns up to limit responsibility groups the
// sweep has not yet looked at (action_plan_checked_at unset), oldest first,
// each telling whether it needs the action plan's reminder: the group and
// its case are open and the case has neither an action plan nor an
// individual plan, nor a task for the step reminderStep (the reminder
// itself). Seed 003 row 7: the group makes an action plan within a month of
// starting. The partial index responsibility_groups_unchecked holds only
// the groups not yet looked at, so a sweep reads only new groups.
func GroupsToCheckForActionPlan(tx *Tx, reminderStep string, limit int) ([]PlanGroup, error) {
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	rows, err := tx.Query(`SELECT g.id, g.case_id, g.created_at,
		CASE WHEN g.closed_at IS NULL AND c.status = 'open'
		  AND NOT EXISTS (SELECT 1 FROM plans p WHERE p.case_id = g.case_id
		                  AND p.kind IN ('action_plan', 'individual_plan'))
		  AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.case_id = g.case_id AND t.step_id = $1)
		THEN 1 ELSE 0 END
		FROM responsibility_groups g JOIN cases c ON c.id = g.case_id
		WHERE g.action_plan_checked_at IS NULL
		ORDER BY g.created_at, g.id LIMIT `+strconv.Itoa(limit), reminderStep)
	if err != nil {
		return nil, wrap(err, "groups to check for action plan")
	}
	defer rows.Close()
	var out []PlanGroup
	for rows.Next() {
		var g PlanGroup
		var needs int
		if err := rows.Scan(&g.GroupID, &g.CaseID, &g.StartedAt, &needs); err != nil {
			return nil, wrap(err, "groups to check for action plan")
		}
		g.NeedsReminder = needs == 1
		out = append(out, g)
	}
	return out, wrap(rows.Err(), "groups to check for action plan")
}

// MarkGroupCheckedForActionPlan records that the sweep has looked at the
// group (see GroupsToCheckForActionPlan).
func MarkGroupCheckedForActionPlan(tx *Tx, groupID string, at time.Time) error {
	return execOne(tx, "mark group checked", `UPDATE responsibility_groups SET action_plan_checked_at = $1
		WHERE id = $2`, at, groupID)
}

// PlanGroup is a responsibility group and when it started.
type PlanGroup struct {
	GroupID       string
	CaseID        string
	StartedAt     time.Time
	NeedsReminder bool // no plan and no reminder yet, group and case open
}

// planTaskStatusesSQL reads a plan's measure tasks through tasks_plan.
const planTaskStatusesSQL = `SELECT id, status FROM tasks WHERE plan_id = $1 AND kind = $2`

// PlanTaskStatuses returns the status of every task made from the plan's
// measures, by task id.
func PlanTaskStatuses(tx *Tx, planID string) (map[string]string, error) {
	rows, err := tx.Query(planTaskStatusesSQL, planID, TaskKindMeasure)
	if err != nil {
		return nil, wrap(err, "plan task statuses")
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id, status string
		if err := rows.Scan(&id, &status); err != nil {
			return nil, wrap(err, "plan task statuses")
		}
		out[id] = status
	}
	return out, wrap(rows.Err(), "plan task statuses")
}
