package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/access"
	"github.com/samordna/samordna/internal/pdf"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// This file is the plan engine: one engine for the individual plan
// (individuell plan, seed 004), the action plan (tiltaksplan, seed 003) and
// the relay log (stafettlogg). A plan belongs to a case; it holds the
// person's own words ("Hva er viktig for deg?"), their resources, goals,
// measures, the services involved, evaluation dates and references to other
// plans. Every change makes a new version (plan_versions.go); the rules of
// each kind are in plan_rules.go.

// The kinds of plan.
const (
	PlanIndividual = "individual_plan"
	PlanAction     = "action_plan"
	PlanRelayLog   = "relay_log"
)

// PlanKinds lists the kinds in display order.
var PlanKinds = []string{PlanIndividual, PlanAction, PlanRelayLog}

// The statuses of a plan.
const (
	PlanActive = "active"
	PlanClosed = "closed"
)

// The statuses of a measure.
const (
	MeasureOpen      = "open"
	MeasureDone      = "done"
	MeasureCancelled = "cancelled"
)

// PlanInput is a whole plan as its author writes it: on creation, and for
// each new version (which replaces the content).
type PlanInput struct {
	Kind            string // on creation only
	WhatMatters     string // the person's own words: "Hva er viktig for deg?"
	Resources       string // the person's own resources
	Goals           []GoalInput
	Measures        []MeasureInput
	Services        []string // the services involved
	EvaluationDates []string // YYYY-MM-DD
	References      []store.PlanReference
	Transitions     []TransitionInput // individual plan: the expected transitions (seed 004)
	Holder          string            // relay log, on creation: the first holder's username (default: the author)
}

// GoalInput is a goal; ID names a goal of the current version to keep it.
type GoalInput struct {
	ID   string
	Text string
	Term string // long or short
}

// MeasureInput is a measure; ID names a measure of the current version to
// keep it (and its task).
type MeasureInput struct {
	ID                 string
	Text               string
	Responsible        string // username of the responsible employee
	ResponsibleService string // or a service, or the person themselves, by name
	Due                string // YYYY-MM-DD
	GoalID             string // the goal it serves, by id ...
	GoalIndex          *int   // ... or by its place (0-based) in the input's goals
	Status             string // open (default), done or cancelled
	Evaluation         string
	EvaluationDate     string // YYYY-MM-DD
	MeetingID          string // the meeting it was agreed in
	Method             string // id of an adopted method (seed 001: recognised measures); "" for none
}

// Limits on a plan's size, so one request cannot grow without bound.
const (
	maxPlanText     = 10000
	maxItemText     = 2000
	maxPlanGoals    = 50
	maxPlanMeasures = 200
	maxPlanList     = 50
)

// CreatePlan makes a plan on a case, version 1, and a task for each
// measure. Callers: anyone who may change the case (access.Write); an
// individual plan or a relay log only the coordinator or the coordinating
// unit (PlanChangeAccess), anyone else gets not_found. The kind's rules apply
// (plan_rules.go). Errors: not_found; invalid_kind and the validation codes
// of the content (400); coordinator_required, consent_required,
// individual_plan_not_granted, what_matters_required, group_required,
// child_required (422).
func (a *App) CreatePlan(ctx context.Context, actor *samordna.Actor, caseID string, in PlanInput) (*PlanView, error) {
	var v *PlanView
	err := a.withCase(ctx, actor, caseID, PlanChangeAccess(in.Kind), "create_plan", func(tx *store.Tx, g *caseGrant) error {
		if !validPlanKind(in.Kind) { // checked after access: a refusal looks the same whatever the body
			return samordna.Errorf(samordna.KindInvalid, "invalid_kind", "kind is individual_plan, action_plan or relay_log")
		}
		p, err := a.createPlanTx(tx, actor, g, in)
		if err != nil {
			return err
		}
		v, err = a.planView(tx, actor, g, p)
		return err
	})
	return v, err
}

// createPlanTx makes the plan inside tx for an actor already allowed to
// change the case: the plan, its tasks, the case's timeline, the routine's
// steps and the audit row.
func (a *App) createPlanTx(tx *store.Tx, actor *samordna.Actor, g *caseGrant, in PlanInput) (*store.Plan, error) {
	p, err := a.createPlan(tx, actor, g, in)
	if err != nil {
		return nil, err
	}
	if err := a.caseEvent(tx, actor, g.Case.ID, "plan_created", "plan", p.ID); err != nil {
		return nil, err
	}
	if p.Kind != PlanRelayLog {
		if err := a.planMade(tx, actor, g.Case, true); err != nil {
			return nil, err
		}
	}
	return p, a.auditCase(tx, actor, g, "create_plan", "plan", p.ID)
}

func (a *App) createPlan(tx *store.Tx, actor *samordna.Actor, g *caseGrant, in PlanInput) (*store.Plan, error) {
	p := &store.Plan{ID: samordna.NewID(), CaseID: g.Case.ID, MunicipalityID: g.Case.MunicipalityID,
		Kind: in.Kind, Status: PlanActive, Version: 1, CreatedBy: actor.Employee.ID, CreatedAt: a.now()}
	if err := a.checkCreateRules(tx, actor, g, p, in); err != nil {
		return nil, err
	}
	content, err := a.buildContent(tx, g, p, nil, in)
	if err != nil {
		return nil, err
	}
	if err := a.checkContentRules(p, content); err != nil {
		return nil, err
	}
	if err := a.syncMeasureTasks(tx, actor, g, p, nil, &content); err != nil {
		return nil, err
	}
	if err := a.syncTransitionTasks(tx, actor, g, p, nil, &content); err != nil {
		return nil, err
	}
	v := &store.PlanVersion{PlanID: p.ID, Version: 1, Content: content, Change: "created",
		ChangedBy: actor.Employee.ID, ChangedAt: p.CreatedAt}
	if err := store.CreatePlan(tx, p, v); err != nil {
		return nil, err
	}
	return p, store.SetPlanMeasures(tx, p.ID, measureRows(p, content))
}

func validPlanKind(k string) bool {
	for _, x := range PlanKinds {
		if x == k {
			return true
		}
	}
	return false
}

// GetPlan returns a plan's current version with its measures' live status
// (a measure whose task is done is done). Callers: anyone who may read the
// plan's case. Errors: not_found.
func (a *App) GetPlan(ctx context.Context, actor *samordna.Actor, planID string) (*PlanView, error) {
	var v *PlanView
	err := a.withPlan(ctx, actor, planID, access.Read, "read_plan", func(tx *store.Tx, g *caseGrant, p *store.Plan) error {
		var err error
		if v, err = a.planView(tx, actor, g, p); err != nil {
			return err
		}
		return a.auditCase(tx, actor, g, "read_plan", "plan", p.ID)
	})
	return v, err
}

// UpdatePlan writes a new version of the plan from in, replacing its
// content, provided ifMatch is the plan's current ETag: two coordinators
// editing at once never lose each other's work. Measures keep their tasks
// by id; new measures get tasks; removed ones have their tasks cancelled.
// Callers: anyone who may change the plan's case; for an individual plan
// or a relay log the coordinator or the coordinating unit (PlanChangeAccess).
// Errors: not_found; precondition_required (428) without ifMatch; precondition_failed (412)
// when stale; plan_closed (409); the validation and rule codes of
// CreatePlan.
func (a *App) UpdatePlan(ctx context.Context, actor *samordna.Actor, planID, ifMatch string, in PlanInput) (*PlanView, error) {
	var v *PlanView
	err := a.withPlan(ctx, actor, planID, changePlanContent, "update_plan", func(tx *store.Tx, g *caseGrant, p *store.Plan) error {
		from, err := parseIfMatch(ifMatch) // after access: a refusal looks the same with or without If-Match
		if err != nil {
			return err
		}
		if err := a.checkUpdate(tx, g, p, from, in); err != nil {
			return err
		}
		if err := a.updatePlanTx(tx, actor, g, p, from, "updated", func(cur *store.PlanContent) (store.PlanContent, error) {
			return a.buildContent(tx, g, p, cur, in)
		}); err != nil {
			return err
		}
		v, err = a.planView(tx, actor, g, p)
		return err
	})
	return v, err
}

// updatePlanTx writes a new version of p from version from inside tx, for
// an actor already allowed to change the case: the version, its tasks, the
// case's timeline, the routine (a revised plan) and the audit row.
func (a *App) updatePlanTx(tx *store.Tx, actor *samordna.Actor, g *caseGrant, p *store.Plan, from int, change string,
	edit func(cur *store.PlanContent) (store.PlanContent, error)) error {
	if p.Status == PlanClosed {
		return errPlanClosed
	}
	if from != p.Version {
		return store.ErrPlanVersionConflict
	}
	if err := a.checkChangeRules(tx, g, p); err != nil {
		return err
	}
	if err := a.newVersion(tx, actor, g, p, change, edit); err != nil {
		return err
	}
	if err := a.caseEvent(tx, actor, g.Case.ID, "plan_updated", "plan", p.ID); err != nil {
		return err
	}
	if p.Kind != PlanRelayLog {
		if err := a.planMade(tx, actor, g.Case, false); err != nil {
			return err
		}
	}
	return a.auditCase(tx, actor, g, "update_plan", "plan", p.ID)
}

// checkUpdate refuses a change of kind or holder through an update.
func (a *App) checkUpdate(tx *store.Tx, g *caseGrant, p *store.Plan, from int, in PlanInput) error {
	if p.Status == PlanClosed {
		return errPlanClosed
	}
	if from != p.Version {
		return store.ErrPlanVersionConflict
	}
	if in.Kind != "" && in.Kind != p.Kind {
		return samordna.Errorf(samordna.KindInvalid, "kind_unchangeable", "a plan's kind cannot change")
	}
	if in.Holder != "" {
		if h, err := employeeRef(tx, p.HolderID); err != nil || h == nil || h.Username != in.Holder {
			return samordna.Errorf(samordna.KindInvalid, "use_handover",
				"the log holder changes by handover and acceptance, not by an update")
		}
	}
	return nil
}

// errPlanClosed: a closed plan is read-only.
var errPlanClosed = samordna.Errorf(samordna.KindConflict, "plan_closed", "the plan is closed and can no longer be changed")

// newVersion writes the next version of p with the content change makes
// from the current one, and brings the measures' tasks in line. A version
// whose content does not change is still written when the plan's state
// changed (a handover, closing); change names what happened.
func (a *App) newVersion(tx *store.Tx, actor *samordna.Actor, g *caseGrant, p *store.Plan, change string,
	edit func(cur *store.PlanContent) (store.PlanContent, error)) error {
	cur, err := store.PlanVersionAt(tx, p.ID, p.Version)
	if err != nil {
		return err
	}
	if err := a.liveMeasureStatus(tx, p.ID, &cur.Content); err != nil {
		return err
	}
	content, err := edit(&cur.Content)
	if err != nil {
		return err
	}
	if err := a.checkContentRules(p, content); err != nil {
		return err
	}
	if err := a.syncMeasureTasks(tx, actor, g, p, &cur.Content, &content); err != nil {
		return err
	}
	if err := a.syncTransitionTasks(tx, actor, g, p, &cur.Content, &content); err != nil {
		return err
	}
	v := &store.PlanVersion{PlanID: p.ID, Version: p.Version + 1, Content: content, Change: change,
		ChangedBy: actor.Employee.ID, ChangedAt: a.now()}
	if err := store.AddPlanVersion(tx, p, cur.Version, v); err != nil {
		return err
	}
	return store.SetPlanMeasures(tx, p.ID, measureRows(p, content))
}

// measureRows are the plan_measures rows of content.
func measureRows(p *store.Plan, content store.PlanContent) []store.PlanMeasureRow {
	rows := make([]store.PlanMeasureRow, 0, len(content.Measures))
	for _, m := range content.Measures {
		rows = append(rows, store.PlanMeasureRow{PlanID: p.ID, MeasureID: m.ID, CaseID: p.CaseID,
			ResponsibleID: m.ResponsibleID, Due: m.Due, Status: m.Status, TaskID: m.TaskID, MethodID: m.MethodID})
	}
	return rows
}

// ListCasePlans returns the plans of a case, newest first. Callers: anyone
// who may read the case. Errors: not_found.
func (a *App) ListCasePlans(ctx context.Context, actor *samordna.Actor, caseID string) ([]*PlanView, error) {
	var out []*PlanView
	err := a.withCase(ctx, actor, caseID, access.Read, "list_plans", func(tx *store.Tx, g *caseGrant) error {
		var err error
		if out, err = a.casePlans(tx, actor, g); err != nil {
			return err
		}
		return a.auditCase(tx, actor, g, "list_plans", "plan", "")
	})
	return out, err
}

// PlanCase is what the plan pages need about a case: whose it is, its
// plans, who works with it (to choose a measure's responsible) and what
// making each kind of plan still needs.
type PlanCase struct {
	Case      *samordna.Case
	Subject   *samordna.Person // nil for an anonymous case
	Plans     []*PlanView
	People    []EmployeeRef // the coordinator, the group's employees and who registered the case
	CanCreate bool          // the reader may change the case
	// What is missing for each kind (the rule's error code), "" when
	// nothing is: coordinator_only, coordinator_required, consent_required,
	// individual_plan_not_granted, group_required, child_required.
	Missing map[string]string
}

// GetPlanCase returns the case's plans and what the plan pages need to
// make a new one. Callers: anyone who may read the case. Errors:
// not_found.
func (a *App) GetPlanCase(ctx context.Context, actor *samordna.Actor, caseID string) (*PlanCase, error) {
	var pc *PlanCase
	err := a.withCase(ctx, actor, caseID, access.Read, "list_plans", func(tx *store.Tx, g *caseGrant) error {
		subject := access.SubjectOf(actor.Employee)
		pc = &PlanCase{Case: g.Case, CanCreate: access.Can(subject, access.Write, g.Facts),
			Missing: map[string]string{}}
		var err error
		if g.Case.SubjectPersonID != "" {
			if pc.Subject, err = store.PersonByID(tx, g.Case.SubjectPersonID); err != nil {
				return err
			}
		}
		if pc.Plans, err = a.casePlans(tx, actor, g); err != nil {
			return err
		}
		if pc.People, err = casePeople(tx, g.Case); err != nil {
			return err
		}
		for _, kind := range PlanKinds {
			if !access.Can(subject, PlanChangeAccess(kind), g.Facts) {
				pc.Missing[kind] = errCoordinatorOnly.Code
				continue
			}
			if err := a.checkCreateRules(tx, actor, g, &store.Plan{Kind: kind}, PlanInput{}); err != nil {
				if samordna.ErrorKind(err) != samordna.KindRule {
					return err
				}
				pc.Missing[kind] = samordna.ErrorCode(err)
			}
		}
		return a.auditCase(tx, actor, g, "list_plans", "plan", "")
	})
	return pc, err
}

func (a *App) casePlans(tx *store.Tx, actor *samordna.Actor, g *caseGrant) ([]*PlanView, error) {
	plans, err := store.PlansOfCase(tx, g.Case.ID)
	if err != nil {
		return nil, err
	}
	out := make([]*PlanView, 0, len(plans))
	for _, p := range plans {
		v, err := a.planView(tx, actor, g, p)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// casePeople returns the employees who work with the case: its coordinator,
// the employees of its open responsibility group and who registered it,
// each once, by name.
func casePeople(tx *store.Tx, c *samordna.Case) ([]EmployeeRef, error) {
	ids := []string{c.RegisteredBy}
	k, err := store.CurrentCoordinator(tx, c.ID)
	if err != nil {
		return nil, err
	}
	if k != nil {
		ids = append(ids, k.EmployeeID)
	}
	grp, err := store.OpenGroupOfCase(tx, c.ID)
	if err != nil {
		return nil, err
	}
	if grp != nil {
		members, err := store.Members(tx, grp.ID)
		if err != nil {
			return nil, err
		}
		for _, m := range members {
			if m.EmployeeID != "" && m.RemovedAt == nil {
				ids = append(ids, m.EmployeeID)
			}
		}
	}
	refs := map[string]*EmployeeRef{}
	var out []EmployeeRef
	for _, id := range ids {
		if _, seen := refs[id]; seen {
			continue
		}
		r, err := cachedRef(tx, refs, id)
		if err != nil {
			return nil, err
		}
		out = append(out, *r)
	}
	slices.SortFunc(out, func(x, y EmployeeRef) int { return strings.Compare(x.Name, y.Name) })
	return out, nil
}

// withPlan runs fn on the plan inside withCase on its case: the plan's
// case decides access (changePlanContent: the access the plan's kind
// needs), and an unknown plan is refused and audited exactly like a case
// the actor may not see.
func (a *App) withPlan(ctx context.Context, actor *samordna.Actor, planID string, action access.Action,
	auditAction string, fn func(tx *store.Tx, g *caseGrant, p *store.Plan) error) error {
	caseID, kind, err := a.planCase(ctx, planID)
	if err != nil {
		return err
	}
	if action == changePlanContent {
		action = PlanChangeAccess(kind)
	}
	return a.withCase(ctx, actor, caseID, action, auditAction, func(tx *store.Tx, g *caseGrant) error {
		p, err := store.PlanByID(tx, planID)
		if err != nil {
			return err
		}
		if p.CaseID != g.Case.ID { // moved between the two reads: cannot happen, plans never move
			return samordna.ErrNotFound
		}
		return fn(tx, g, p)
	})
}

// planCase finds the case a plan belongs to. For an unknown plan it
// returns a marker that matches no case, so withCase refuses it (and
// audits the refusal) the same way as a case the actor may not see.
func (a *App) planCase(ctx context.Context, planID string) (string, string, error) {
	var caseID, kind string
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		p, err := store.PlanByID(tx, planID)
		if err == nil {
			caseID, kind = p.CaseID, p.Kind
		}
		if errors.Is(err, samordna.ErrNotFound) {
			return nil
		}
		return err
	})
	if caseID == "" && err == nil {
		caseID = "plan:" + truncate(planID, 40)
	}
	return caseID, kind, err
}

// changePlanContent asks withPlan for the access that changing the content
// of the plan's kind needs (PlanChangeAccess).
const changePlanContent access.Action = "change_plan_content"

// PlanChangeAccess is the access a change of a plan of the kind needs: the
// individual plan and the relay log are the coordinator's (seed 004
// Koordinatorens arbeidsoppgaver: "Ha ansvar for utarbeiding av eventuell
// individuell plan"; "Avklare om det skal opprettes stafettlogg, og
// etablering av denne") and the coordinating unit's (access.Coordinate);
// other plans anyone who may change the case (access.Write).
func PlanChangeAccess(kind string) access.Action {
	if kind == PlanIndividual || kind == PlanRelayLog {
		return access.Coordinate
	}
	return access.Write
}

// cleanText trims s and refuses it when longer than max characters.
func cleanText(s string, max int, code, what string) (string, error) {
	s = strings.TrimSpace(s)
	if len([]rune(s)) > max {
		return "", samordna.Errorf(samordna.KindInvalid, code, "%s is longer than %d characters", what, max)
	}
	return s, nil
}

// buildContent validates in and makes the plan's content from it. cur is
// the current version's content (nil on creation): goals and measures
// named by id must be in it, and keep what the input does not restate (a
// measure's task, and its status when none is given).
func (a *App) buildContent(tx *store.Tx, g *caseGrant, p *store.Plan, cur *store.PlanContent, in PlanInput) (store.PlanContent, error) {
	var c store.PlanContent
	var err error
	if c.WhatMatters, err = cleanText(in.WhatMatters, maxPlanText, "what_matters_too_long", "what_matters"); err != nil {
		return c, err
	}
	if c.Resources, err = cleanText(in.Resources, maxPlanText, "resources_too_long", "resources"); err != nil {
		return c, err
	}
	if c.Goals, err = buildGoals(cur, in.Goals); err != nil {
		return c, err
	}
	if c.Measures, err = a.buildMeasures(tx, g, p, cur, c.Goals, in.Measures); err != nil {
		return c, err
	}
	if c.Services, err = cleanList(in.Services, "services"); err != nil {
		return c, err
	}
	if c.EvaluationDates, err = cleanDates(in.EvaluationDates); err != nil {
		return c, err
	}
	if c.Transitions, err = buildTransitions(p, cur, in.Transitions); err != nil {
		return c, err
	}
	c.References, err = cleanReferences(in.References)
	return c, err
}

func buildGoals(cur *store.PlanContent, in []GoalInput) ([]store.PlanGoal, error) {
	if len(in) > maxPlanGoals {
		return nil, samordna.Errorf(samordna.KindInvalid, "too_many_goals", "a plan has at most %d goals", maxPlanGoals)
	}
	out := make([]store.PlanGoal, 0, len(in))
	seen := map[string]bool{}
	named := namedIDs(len(in), func(i int) string { return in[i].ID })
	for i, gi := range in {
		goal := store.PlanGoal{ID: gi.ID, Term: gi.Term}
		if goal.ID == "" && cur != nil {
			goal.ID = sameText(len(cur.Goals), func(j int) (string, string) { return cur.Goals[j].ID, cur.Goals[j].Text },
				gi.Text, named, seen)
		}
		if goal.ID == "" {
			goal.ID = samordna.NewID()
		} else if cur == nil || findGoal(cur.Goals, goal.ID) < 0 || seen[goal.ID] {
			return nil, samordna.Errorf(samordna.KindInvalid, "unknown_goal", "goal %d: no such goal in the plan", i+1)
		}
		seen[goal.ID] = true
		text, err := cleanText(gi.Text, maxItemText, "goal_too_long", "a goal")
		if err != nil {
			return nil, err
		}
		if text == "" {
			return nil, samordna.Errorf(samordna.KindInvalid, "goal_text_required", "goal %d: say what the goal is", i+1)
		}
		if goal.Term != "long" && goal.Term != "short" {
			return nil, samordna.Errorf(samordna.KindInvalid, "invalid_term", "goal %d: term is long or short", i+1)
		}
		goal.Text = text
		out = append(out, goal)
	}
	return out, nil
}

// namedIDs returns the ids the input names explicitly.
func namedIDs(n int, id func(i int) string) map[string]bool {
	out := map[string]bool{}
	for i := range n {
		if x := id(i); x != "" {
			out[x] = true
		}
	}
	return out
}

// sameText returns the id of the first current item (of n, given by item)
// with the same text that the input neither names nor has matched yet, or
// "". An input item without an id but with the very text of a current one
// is that one: a client that sends the content back without ids keeps the
// items (and the measures their tasks).
func sameText(n int, item func(j int) (id, text string), text string, named, seen map[string]bool) string {
	text = strings.TrimSpace(text)
	for j := range n {
		id, t := item(j)
		if t == text && !named[id] && !seen[id] {
			return id
		}
	}
	return ""
}

func findGoal(goals []store.PlanGoal, id string) int {
	for i, g := range goals {
		if g.ID == id {
			return i
		}
	}
	return -1
}

func findMeasure(ms []store.PlanMeasure, id string) int {
	for i, m := range ms {
		if m.ID == id {
			return i
		}
	}
	return -1
}

func (a *App) buildMeasures(tx *store.Tx, g *caseGrant, p *store.Plan, cur *store.PlanContent, goals []store.PlanGoal,
	in []MeasureInput) ([]store.PlanMeasure, error) {
	if len(in) > maxPlanMeasures {
		return nil, samordna.Errorf(samordna.KindInvalid, "too_many_measures", "a plan has at most %d measures", maxPlanMeasures)
	}
	out := make([]store.PlanMeasure, 0, len(in))
	seen := map[string]bool{}
	named := namedIDs(len(in), func(i int) string { return in[i].ID })
	for i, mi := range in {
		var prev *store.PlanMeasure
		if mi.ID == "" && cur != nil {
			mi.ID = sameText(len(cur.Measures), func(j int) (string, string) { return cur.Measures[j].ID, cur.Measures[j].Text },
				mi.Text, named, seen)
		}
		if mi.ID != "" {
			j := -1
			if cur != nil {
				j = findMeasure(cur.Measures, mi.ID)
			}
			if j < 0 || seen[mi.ID] {
				return nil, samordna.Errorf(samordna.KindInvalid, "unknown_measure", "measure %d: no such measure in the plan", i+1)
			}
			prev, seen[mi.ID] = &cur.Measures[j], true
		}
		m, err := a.buildMeasure(tx, g, p, prev, goals, mi)
		if err != nil {
			var e *samordna.Error
			if errors.As(err, &e) {
				return nil, samordna.Errorf(e.Kind, e.Code, "measure %d: %s", i+1, e.Message)
			}
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// buildMeasure makes one measure from its input; prev is the measure it
// replaces (nil for a new one).
func (a *App) buildMeasure(tx *store.Tx, g *caseGrant, p *store.Plan, prev *store.PlanMeasure, goals []store.PlanGoal,
	mi MeasureInput) (store.PlanMeasure, error) {
	m := store.PlanMeasure{ID: mi.ID, Status: mi.Status, MeetingID: strings.TrimSpace(mi.MeetingID)}
	if prev != nil {
		m.TaskID = prev.TaskID
		if m.Status == "" {
			m.Status = prev.Status
		}
		if m.MeetingID == "" {
			m.MeetingID = prev.MeetingID
		}
	} else {
		m.ID = samordna.NewID()
	}
	var err error
	if m.Text, err = cleanText(mi.Text, maxItemText, "measure_too_long", "a measure"); err != nil {
		return m, err
	}
	if m.Text == "" {
		return m, samordna.Errorf(samordna.KindInvalid, "measure_text_required", "say what is to be done")
	}
	if err := a.setResponsible(tx, g, &m, mi); err != nil {
		return m, err
	}
	if m.Due, err = cleanDate(mi.Due, "due"); err != nil {
		return m, err
	}
	if m.Due == "" {
		return m, samordna.Errorf(samordna.KindInvalid, "due_required", "give the deadline (due, YYYY-MM-DD)")
	}
	if m.GoalID, err = measureGoal(goals, mi); err != nil {
		return m, err
	}
	if m.Status == "" {
		m.Status = MeasureOpen
	}
	if m.Status != MeasureOpen && m.Status != MeasureDone && m.Status != MeasureCancelled {
		return m, samordna.Errorf(samordna.KindInvalid, "invalid_status", "status is open, done or cancelled")
	}
	if m.Evaluation, err = cleanText(mi.Evaluation, maxItemText, "evaluation_too_long", "an evaluation"); err != nil {
		return m, err
	}
	if m.EvaluationDate, err = cleanDate(mi.EvaluationDate, "evaluation_date"); err != nil {
		return m, err
	}
	if m.MethodID, err = a.measureMethod(tx, g, prev, mi.Method); err != nil {
		return m, err
	}
	if m.EvaluationDate == "" && p.Kind == PlanRelayLog {
		m.EvaluationDate = m.Due // a relay log evaluates each measure; by its deadline unless told otherwise
	}
	return m, nil
}

// setResponsible resolves who is responsible for a measure: an employee of
// the case's municipality by username, and/or a service or person by name.
func (a *App) setResponsible(tx *store.Tx, g *caseGrant, m *store.PlanMeasure, mi MeasureInput) error {
	var err error
	if m.ResponsibleService, err = cleanText(mi.ResponsibleService, 200, "responsible_too_long", "responsible_service"); err != nil {
		return err
	}
	username := strings.TrimSpace(mi.Responsible)
	if username == "" {
		if m.ResponsibleService == "" {
			return samordna.Errorf(samordna.KindInvalid, "responsible_required",
				"name who is responsible: an employee (responsible) or a service or person (responsible_service)")
		}
		return nil
	}
	e, _, err := store.EmployeeByUsername(tx, username)
	if errors.Is(err, samordna.ErrNotFound) || (err == nil && (e.Disabled || e.MunicipalityID != g.Case.MunicipalityID)) {
		return samordna.Errorf(samordna.KindInvalid, "unknown_responsible", "no employee with that username")
	}
	if err != nil {
		return err
	}
	m.ResponsibleID = e.ID
	return nil
}

// measureGoal returns the id of the goal a measure serves ("" for none).
func measureGoal(goals []store.PlanGoal, mi MeasureInput) (string, error) {
	unknown := samordna.Errorf(samordna.KindInvalid, "unknown_goal", "the measure's goal is not among the plan's goals")
	switch {
	case mi.GoalIndex != nil:
		if *mi.GoalIndex < 0 || *mi.GoalIndex >= len(goals) {
			return "", unknown
		}
		return goals[*mi.GoalIndex].ID, nil
	case mi.GoalID != "":
		if findGoal(goals, mi.GoalID) < 0 {
			return "", unknown
		}
		return mi.GoalID, nil
	}
	return "", nil
}

// cleanDate checks an optional YYYY-MM-DD date.
func cleanDate(s, field string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		return "", samordna.Errorf(samordna.KindInvalid, "invalid_date", "%s must be a date, YYYY-MM-DD", field)
	}
	return s, nil
}

func cleanDates(in []string) ([]string, error) {
	if len(in) > maxPlanList {
		return nil, samordna.Errorf(samordna.KindInvalid, "too_many_dates", "at most %d evaluation dates", maxPlanList)
	}
	out := make([]string, 0, len(in))
	for _, s := range in {
		d, err := cleanDate(s, "evaluation_dates")
		if err != nil {
			return nil, err
		}
		if d != "" && !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	slices.Sort(out)
	return out, nil
}

func cleanList(in []string, field string) ([]string, error) {
	if len(in) > maxPlanList {
		return nil, samordna.Errorf(samordna.KindInvalid, "too_many_"+field, "at most %d %s", maxPlanList, field)
	}
	out := make([]string, 0, len(in))
	for _, s := range in {
		s, err := cleanText(s, 200, field+"_too_long", field)
		if err != nil {
			return nil, err
		}
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out, nil
}

func cleanReferences(in []store.PlanReference) ([]store.PlanReference, error) {
	if len(in) > maxPlanList {
		return nil, samordna.Errorf(samordna.KindInvalid, "too_many_references", "at most %d references", maxPlanList)
	}
	out := make([]store.PlanReference, 0, len(in))
	for _, r := range in {
		var err error
		if r.Title, err = cleanText(r.Title, 200, "reference_too_long", "a reference's title"); err != nil {
			return nil, err
		}
		if r.Holder, err = cleanText(r.Holder, 200, "reference_too_long", "a reference's holder"); err != nil {
			return nil, err
		}
		if r.Note, err = cleanText(r.Note, maxItemText, "reference_too_long", "a reference's note"); err != nil {
			return nil, err
		}
		if r.Title == "" {
			if r.Holder == "" && r.Note == "" {
				continue // an empty row of a form
			}
			return nil, samordna.Errorf(samordna.KindInvalid, "reference_title_required", "name the plan referred to")
		}
		out = append(out, r)
	}
	return out, nil
}

// PlanView is a plan as its reader sees it: the current version, its
// measures with their live status, progress per goal and what the reader
// may do.
type PlanView struct {
	Plan          *store.Plan
	Case          *samordna.Case
	Subject       *samordna.Person // nil for an anonymous case
	Content       store.PlanContent
	ETag          string
	Goals         []GoalProgress // in the author's order, with their measures' progress
	Measures      []MeasureView  // overdue first, then by deadline
	Overdue       int            // open measures past their deadline
	Holder        *EmployeeRef   // relay log
	HandoverTo    *EmployeeRef   // relay log: asked to take over, not yet accepted
	CreatedBy     *EmployeeRef
	ChangedBy     *EmployeeRef     // who made the current version
	ActionPlanDue string           // action plan: YYYY-MM-DD, a month after the group started (seed 003 row 7)
	Transitions   []TransitionView // individual plan: the expected transitions and their reviews
	People        []EmployeeRef    // who works with the case, to choose a measure's responsible
	CanWrite      bool             // may change it (it is open and the reader may change the case)
	CanHandover   bool             // relay log: may hand it over (the holder or the coordinator)
	CanAccept     bool             // relay log: is asked to take it over
	CanClose      bool
}

// EmployeeRef names an employee.
type EmployeeRef struct {
	ID, Username, Name string
}

// MeasureView is a measure with who is responsible, its goal and whether
// it is overdue.
type MeasureView struct {
	store.PlanMeasure
	Responsible *EmployeeRef // nil when a service or person by name is responsible
	GoalText    string
	Overdue     bool
}

// GoalProgress is a goal with how many of its measures are done.
type GoalProgress struct {
	store.PlanGoal
	Done, Total int // cancelled measures do not count
	Percent     int
	Measures    []MeasureView // overdue first
}

// planView builds the view of p's current version for the actor.
func (a *App) planView(tx *store.Tx, actor *samordna.Actor, g *caseGrant, p *store.Plan) (*PlanView, error) {
	cur, err := store.PlanVersionAt(tx, p.ID, p.Version)
	if err != nil {
		return nil, err
	}
	if err := a.liveMeasureStatus(tx, p.ID, &cur.Content); err != nil {
		return nil, err
	}
	v := &PlanView{Plan: p, Case: g.Case, Content: cur.Content, ETag: PlanETag(p.Version)}
	if g.Case.SubjectPersonID != "" {
		if v.Subject, err = store.PersonByID(tx, g.Case.SubjectPersonID); err != nil {
			return nil, err
		}
	}
	refs := map[string]*EmployeeRef{}
	for _, x := range []struct {
		id  string
		dst **EmployeeRef
	}{{p.HolderID, &v.Holder}, {p.HandoverTo, &v.HandoverTo}, {p.CreatedBy, &v.CreatedBy}, {cur.ChangedBy, &v.ChangedBy}} {
		if *x.dst, err = cachedRef(tx, refs, x.id); err != nil {
			return nil, err
		}
	}
	if err := a.measureViews(tx, refs, v); err != nil {
		return nil, err
	}
	if err := a.setPlanDue(tx, v); err != nil {
		return nil, err
	}
	if v.Transitions, err = transitionViews(tx, cur.Content); err != nil {
		return nil, err
	}
	if v.People, err = casePeople(tx, g.Case); err != nil {
		return nil, err
	}
	return v, a.setPlanPermissions(tx, actor, g, v)
}

// measureViews fills v.Measures (overdue first, then by deadline) and
// v.Goals with their progress.
func (a *App) measureViews(tx *store.Tx, refs map[string]*EmployeeRef, v *PlanView) error {
	now := a.now()
	for _, m := range v.Content.Measures {
		mv := MeasureView{PlanMeasure: m}
		var err error
		if mv.Responsible, err = cachedRef(tx, refs, m.ResponsibleID); err != nil {
			return err
		}
		if i := findGoal(v.Content.Goals, m.GoalID); i >= 0 {
			mv.GoalText = v.Content.Goals[i].Text
		}
		mv.Overdue = m.Status == MeasureOpen && measureOverdue(m.Due, now)
		if mv.Overdue {
			v.Overdue++
		}
		v.Measures = append(v.Measures, mv)
	}
	sortMeasures(v.Measures)
	for _, goal := range v.Content.Goals {
		gp := GoalProgress{PlanGoal: goal}
		for _, mv := range v.Measures {
			if mv.GoalID != goal.ID {
				continue
			}
			gp.Measures = append(gp.Measures, mv)
			if mv.Status != MeasureCancelled {
				gp.Total++
			}
			if mv.Status == MeasureDone {
				gp.Done++
			}
		}
		if gp.Total > 0 {
			gp.Percent = gp.Done * 100 / gp.Total
		}
		v.Goals = append(v.Goals, gp)
	}
	return nil
}

// sortMeasures puts overdue measures first, then open ones, then the rest,
// each by deadline.
func sortMeasures(ms []MeasureView) {
	rank := func(m MeasureView) int {
		switch {
		case m.Overdue:
			return 0
		case m.Status == MeasureOpen:
			return 1
		}
		return 2
	}
	slices.SortStableFunc(ms, func(x, y MeasureView) int {
		if r := rank(x) - rank(y); r != 0 {
			return r
		}
		return strings.Compare(x.Due, y.Due)
	})
}

// measureOverdue reports whether a deadline (a date, Oslo time) has passed
// at now: a measure due 31 March is overdue from 1 April.
func measureOverdue(due string, now time.Time) bool {
	end, err := endOfDay(due)
	return err == nil && !now.Before(end)
}

// cachedRef returns the employee with the id (nil for ""), reading each
// employee once per view.
func cachedRef(tx *store.Tx, refs map[string]*EmployeeRef, id string) (*EmployeeRef, error) {
	if id == "" {
		return nil, nil
	}
	if r, ok := refs[id]; ok {
		return r, nil
	}
	r, err := employeeRef(tx, id)
	if err != nil {
		return nil, err
	}
	refs[id] = r
	return r, nil
}

// employeeRef returns the employee with the id, or nil for "".
func employeeRef(tx *store.Tx, id string) (*EmployeeRef, error) {
	if id == "" {
		return nil, nil
	}
	e, err := store.EmployeeByID(tx, id)
	if err != nil {
		return nil, err
	}
	return &EmployeeRef{ID: e.ID, Username: e.Username, Name: e.Name}, nil
}

// The plan's printed names, in bokmål: the PDF is the municipality's
// document, like its other letters.
var planTitles = map[string]string{
	PlanIndividual: "Individuell plan",
	PlanAction:     "Tiltaksplan",
	PlanRelayLog:   "Stafettlogg",
}

// planFileStems name the printed plans in Norwegian, ASCII only.
var planFileStems = map[string]string{
	PlanIndividual: "individuell-plan",
	PlanAction:     "tiltaksplan",
	PlanRelayLog:   "stafettlogg",
}

var measureStatusText = map[string]string{
	MeasureOpen:      "Åpen",
	MeasureDone:      "Gjennomført",
	MeasureCancelled: "Avlyst",
}

// PlanPDF returns the plan's current version as a PDF with selectable
// text, and a file name for it. The person's own words come first, then
// the goals with their progress, the measures (overdue first) with who is
// responsible and by when, and the rest. Callers: anyone who may read the
// plan's case; the print is audited. Errors: not_found.
func (a *App) PlanPDF(ctx context.Context, actor *samordna.Actor, planID string) ([]byte, string, error) {
	var b []byte
	var name string
	err := a.withPlan(ctx, actor, planID, access.Read, "print_plan", func(tx *store.Tx, g *caseGrant, p *store.Plan) error {
		v, err := a.planView(tx, actor, g, p)
		if err != nil {
			return err
		}
		k, err := store.CurrentCoordinator(tx, g.Case.ID)
		if err != nil {
			return err
		}
		if b, err = renderPlanPDF(v, k, a.now()); err != nil {
			return err
		}
		name = fmt.Sprintf("%s-versjon-%d.pdf", planFileStems[p.Kind], p.Version)
		return a.auditCase(tx, actor, g, "print_plan", "plan", p.ID)
	})
	if err != nil {
		return nil, "", err
	}
	return b, name, nil
}

// renderPlanPDF writes the plan as a document: the person's own words
// first, then goals, measures with responsible and deadlines, services,
// evaluation dates, other plans, and what the plan is (whose, which
// version, coordinator, holder, status).
func renderPlanPDF(v *PlanView, k *store.CoordinatorRow, now time.Time) ([]byte, error) {
	title := planTitles[v.Plan.Kind]
	if v.Subject != nil {
		title += " for " + v.Subject.Name
	}
	doc := pdf.New(pdf.Options{Title: title, Subject: planTitles[v.Plan.Kind], Lang: "nb", Created: now,
		Footer: fmt.Sprintf("Samordna – %s, versjon %d", planTitles[v.Plan.Kind], v.Plan.Version)})
	doc.Heading("Hva er viktig for deg?")
	doc.Paragraph(orDash(v.Content.WhatMatters))
	if v.Content.Resources != "" {
		doc.Heading("Ressurser")
		doc.Paragraph(v.Content.Resources)
	}
	doc.Heading("Mål")
	if len(v.Goals) == 0 {
		doc.Paragraph("Ingen mål er skrevet ennå.")
	}
	for _, g := range v.Goals {
		doc.Fields(pdf.Field{Label: termText(g.Term), Value: g.Text},
			pdf.Field{Label: "Framdrift", Value: fmt.Sprintf("%d av %d tiltak gjennomført", g.Done, g.Total)})
	}
	pdfMeasures(doc, v)
	pdfLists(doc, v)
	doc.Heading("Om planen")
	doc.Fields(aboutPlan(v, k)...)
	return doc.Bytes()
}

// pdfMeasures adds the measures, overdue first: what, who, by when, for
// which goal, and their evaluation. Each measure is a block of rows rather
// than a table row, so that long texts stay whole and readable.
func pdfMeasures(doc *pdf.Document, v *PlanView) {
	doc.Heading("Tiltak")
	if len(v.Measures) == 0 {
		doc.Paragraph("Ingen tiltak er skrevet ennå.")
	}
	for i, m := range v.Measures {
		status := measureStatusText[m.Status]
		if m.Overdue {
			status = "Fristen er passert"
		}
		rows := []pdf.Field{{Label: fmt.Sprintf("Tiltak %d", i+1), Value: m.Text},
			{Label: "Ansvarlig", Value: responsibleText(m)}, {Label: "Frist", Value: planDate(m.Due)},
			{Label: "Status", Value: status}}
		if m.GoalText != "" {
			rows = append(rows, pdf.Field{Label: "Mål", Value: m.GoalText})
		}
		if m.Evaluation != "" || m.EvaluationDate != "" {
			rows = append(rows, pdf.Field{Label: "Evaluering", Value: strings.TrimSpace(
				strings.Trim(m.Evaluation+" (evalueres "+planDate(m.EvaluationDate)+")", " "))})
		}
		doc.Fields(rows...)
	}
}

// pdfLists adds the services, evaluation dates and other plans.
func pdfLists(doc *pdf.Document, v *PlanView) {
	c := v.Content
	if len(c.Services) > 0 {
		doc.Heading("Tjenester som deltar")
		doc.Paragraph(strings.Join(c.Services, "\n"))
	}
	if len(c.EvaluationDates) > 0 {
		dates := make([]string, 0, len(c.EvaluationDates))
		for _, d := range c.EvaluationDates {
			dates = append(dates, planDate(d))
		}
		doc.Heading("Evaluering av planen")
		doc.Paragraph(strings.Join(dates, ", "))
	}
	if len(c.References) > 0 {
		lines := make([]string, 0, len(c.References))
		for _, r := range c.References {
			lines = append(lines, strings.Join(slices.DeleteFunc([]string{r.Title, r.Holder, r.Note},
				func(s string) bool { return s == "" }), " – "))
		}
		doc.Heading("Andre planer")
		doc.Paragraph(strings.Join(lines, "\n"))
	}
}

// aboutPlan describes the plan: whose, which version, who coordinates and
// holds it, whether it is closed and at whose request.
func aboutPlan(v *PlanView, k *store.CoordinatorRow) []pdf.Field {
	var f []pdf.Field
	if v.Subject != nil {
		who := v.Subject.Name
		if v.Subject.BirthDate != "" {
			who += ", født " + planDate(v.Subject.BirthDate)
		} else if v.Subject.DueDate != "" {
			who += ", termin " + planDate(v.Subject.DueDate)
		}
		f = append(f, pdf.Field{Label: "Gjelder", Value: who})
	}
	changed := fmt.Sprintf("%d, %s", v.Plan.Version, planDate(v.Plan.UpdatedAt.In(pathway.Oslo()).Format(time.DateOnly)))
	if v.ChangedBy != nil {
		changed += " av " + v.ChangedBy.Name
	}
	f = append(f, pdf.Field{Label: "Versjon", Value: changed})
	if k != nil {
		f = append(f, pdf.Field{Label: "Koordinator", Value: k.Name})
	}
	if v.Holder != nil {
		f = append(f, pdf.Field{Label: "Loggholder", Value: v.Holder.Name})
	}
	if v.ActionPlanDue != "" {
		f = append(f, pdf.Field{Label: "Frist for tiltaksplanen", Value: planDate(v.ActionPlanDue)})
	}
	status := "Aktiv"
	if v.Plan.Status == PlanClosed && v.Plan.ClosedAt != nil {
		status = "Avsluttet " + planDate(v.Plan.ClosedAt.In(pathway.Oslo()).Format(time.DateOnly)) +
			" etter ønske fra " + v.Plan.CloseRequestedBy
		if v.Plan.CloseReason != "" {
			status += ": " + v.Plan.CloseReason
		}
	}
	return append(f, pdf.Field{Label: "Status", Value: status})
}

func responsibleText(m MeasureView) string {
	parts := []string{}
	if m.Responsible != nil {
		parts = append(parts, m.Responsible.Name)
	}
	if m.ResponsibleService != "" {
		parts = append(parts, m.ResponsibleService)
	}
	return orDash(strings.Join(parts, ", "))
}

func termText(term string) string {
	if term == "long" {
		return "Lang sikt"
	}
	return "Kort sikt"
}

// planDate writes a YYYY-MM-DD date the Norwegian way, 31.03.2026.
func planDate(d string) string {
	t, err := time.Parse(time.DateOnly, d)
	if err != nil {
		return orDash(d)
	}
	return t.Format("02.01.2006")
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "–"
	}
	return s
}

// measureMethod checks the method a measure names: an adopted method of
// the case's municipality, not retired (a measure that already named a
// retired method may keep it). Error: unknown_method (400).
func (a *App) measureMethod(tx *store.Tx, g *caseGrant, prev *store.PlanMeasure, id string) (string, error) {
	id = strings.TrimSpace(id)
	if id == "" {
		return "", nil
	}
	m, err := store.MethodByID(tx, id)
	if errors.Is(err, samordna.ErrNotFound) || (err == nil && (m.MunicipalityID != g.Case.MunicipalityID ||
		(m.RetiredAt != nil && (prev == nil || prev.MethodID != id)))) {
		return "", samordna.Errorf(samordna.KindInvalid, "unknown_method", "method is one of the municipality's adopted methods")
	}
	if err != nil {
		return "", err
	}
	return id, nil
}
