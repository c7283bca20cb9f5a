package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/access"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// This file holds the rules of each kind of plan:
//
//   - individual plan (seed 004): needs a coordinator and an active consent
//     for individual_plan; it is user-driven, so it starts from the
//     person's own words ("Hva er viktig for deg?");
//   - action plan (seed 003 rows 7-9): made by the responsibility group,
//     within a month of the group's start; a missed measure deadline is a
//     deviation that the deadline sweep turns into a revision;
//   - relay log (stafettlogg): for a child under 18 (or expected), kept by
//     a log holder who hands it over to a new holder who accepts it; the
//     guardians can ask to close it.
//
// and the rule common to all: each measure is a task for its responsible.

// Errors of the kinds' rules.
var (
	errWhatMattersRequired = samordna.Errorf(samordna.KindRule, "what_matters_required",
		"an individual plan starts from the person's own words: what matters to them (what_matters)")
	errGroupRequired = samordna.Errorf(samordna.KindRule, "group_required",
		"an action plan is made by the responsibility group; the case has no open group")
	errChildRequired = samordna.Errorf(samordna.KindRule, "child_required",
		"a relay log is for a child under 18 (or an expected child)")
	errPlanNotGranted = samordna.Errorf(samordna.KindRule, "individual_plan_not_granted",
		"the coordinating unit's decision has not granted an individual plan (it said no, or later and it is not yet decided)")
	// errCoordinatorOnly is never returned by a change (that answers
	// not_found); it tells the plan pages why a kind cannot be made.
	errCoordinatorOnly = samordna.Errorf(samordna.KindRule, "coordinator_only",
		"only the coordinator or the coordinating unit makes an individual plan or a relay log")
)

// checkCreateRules applies the kind's rules to a new plan p on the case and
// sets what the kind adds (the action plan's group, the relay log's holder).
func (a *App) checkCreateRules(tx *store.Tx, actor *samordna.Actor, g *caseGrant, p *store.Plan, in PlanInput) error {
	switch p.Kind {
	case PlanIndividual:
		if err := a.checkIndividualPlan(tx, g); err != nil {
			return err
		}
		return checkPlanGranted(tx, g.Case.ID)
	case PlanAction:
		grp, err := store.OpenGroupOfCase(tx, g.Case.ID)
		if err != nil {
			return err
		}
		if grp == nil {
			return errGroupRequired
		}
		p.GroupID = grp.ID
		return nil
	case PlanRelayLog:
		if err := a.checkChild(tx, g.Case); err != nil {
			return err
		}
		return a.setFirstHolder(tx, actor, g, p, in.Holder)
	}
	return nil
}

// checkChangeRules applies the kind's rules to a change of an existing
// plan: an individual plan is only worked on while the consent lasts.
func (a *App) checkChangeRules(tx *store.Tx, g *caseGrant, p *store.Plan) error {
	if p.Kind == PlanIndividual {
		return a.checkIndividualPlan(tx, g)
	}
	return nil
}

// checkContentRules applies the kind's rules to a plan's content.
func (a *App) checkContentRules(p *store.Plan, c store.PlanContent) error {
	if p.Kind == PlanIndividual && c.WhatMatters == "" {
		return errWhatMattersRequired
	}
	return nil
}

// checkIndividualPlan: no individual plan without a coordinator (seed 004)
// and without consent to work on it. The coordination feature's checks
// give the errors (coordinator_required, consent_required).
func (a *App) checkIndividualPlan(tx *store.Tx, g *caseGrant) error {
	if _, err := a.RequireCoordinator(tx, g.Case.ID); err != nil {
		return err
	}
	return a.RequireActiveConsent(tx, g.Case.ID, samordna.PurposeIndividualPlan)
}

// checkPlanGranted: the decision binds (seed 000 Koordinerende enhet:
// "Fatte vedtak om koordinator og eller individuell plan"). An individual
// plan is made only when the unit's standing decision granted it now; "no"
// and "later" (until a new decision) refuse it.
func checkPlanGranted(tx *store.Tx, caseID string) error {
	d, err := store.PlanDecisionOfCase(tx, caseID)
	if err != nil {
		return err
	}
	if d != "now" {
		return errPlanNotGranted
	}
	return nil
}

// checkChild: a relay log is for a child under 18 at now, or an expected
// child.
func (a *App) checkChild(tx *store.Tx, c *samordna.Case) error {
	if c.SubjectPersonID == "" {
		return errChildRequired
	}
	person, err := store.PersonByID(tx, c.SubjectPersonID)
	if err != nil {
		return err
	}
	if person.Expected() {
		return nil
	}
	birth, err := time.Parse(time.DateOnly, person.BirthDate)
	if err != nil {
		return errChildRequired
	}
	today := a.now().In(pathway.Oslo())
	adult := time.Date(birth.Year()+18, birth.Month(), birth.Day(), 0, 0, 0, 0, pathway.Oslo())
	if !today.Before(adult) {
		return errChildRequired
	}
	return nil
}

// setPlanDue sets the action plan's due date: a month after its group
// started (seed 003 row 7).
func (a *App) setPlanDue(tx *store.Tx, v *PlanView) error {
	if v.Plan.Kind != PlanAction || v.Plan.GroupID == "" {
		return nil
	}
	grp, err := store.GroupByID(tx, v.Plan.GroupID)
	if err != nil {
		return err
	}
	v.ActionPlanDue = actionPlanDue(grp.CreatedAt).Format(time.DateOnly)
	return nil
}

// actionPlanDue is when a group's action plan is due: a month after the
// group started, as a date in Oslo.
func actionPlanDue(groupStart time.Time) time.Time {
	return dateIn(groupStart).AddDate(0, 1, 0)
}

// dateIn returns the date of t in Oslo, at midnight UTC (a plain date).
func dateIn(t time.Time) time.Time {
	y, m, d := t.In(pathway.Oslo()).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// setPlanPermissions says what the reader may do with the plan.
func (a *App) setPlanPermissions(tx *store.Tx, actor *samordna.Actor, g *caseGrant, v *PlanView) error {
	s := access.SubjectOf(actor.Employee)
	open := v.Plan.Status == PlanActive
	if !open || !access.Can(s, access.Write, g.Facts) {
		return nil
	}
	// Changing the content: PlanChangeAccess (the coordinator's plans).
	v.CanWrite = access.Can(s, PlanChangeAccess(v.Plan.Kind), g.Facts)
	me := actor.Employee.ID
	unit := g.Facts.HasApplication && s.Has(samordna.RoleCoordinatingUnit)
	if v.Plan.Kind == PlanRelayLog {
		v.CanHandover = v.Plan.HolderID == me || g.Facts.Coordinator
		v.CanAccept = v.Plan.HandoverTo == me
		v.CanClose = v.CanHandover || unit
		return nil
	}
	v.CanClose = g.Facts.Coordinator || unit || v.Plan.CreatedBy == me
	return nil
}

// Errors of the relay log's holder and of closing.
var (
	errNotRelayLog = samordna.Errorf(samordna.KindRule, "not_a_relay_log",
		"only a relay log has a log holder")
	errNotHolder = samordna.Errorf(samordna.KindRule, "not_the_holder",
		"only the log holder or the coordinator can hand the relay log over")
	errNoHandover = samordna.Errorf(samordna.KindRule, "no_handover",
		"the relay log has not been handed over to you")
	errHolderAccess = samordna.Errorf(samordna.KindRule, "holder_without_access",
		"the new log holder must already work with the case (for example as a member of the responsibility group)")
	errUnknownEmployee = samordna.Errorf(samordna.KindInvalid, "unknown_employee", "no employee with that username")
	errMayNotClose     = samordna.Errorf(samordna.KindRule, "not_allowed_to_close",
		"the coordinator, the coordinating unit or the plan's author (for a relay log: its holder) closes a plan")
)

// setFirstHolder makes the named employee (default: the author) the
// relay log's first holder.
func (a *App) setFirstHolder(tx *store.Tx, actor *samordna.Actor, g *caseGrant, p *store.Plan, username string) error {
	if username == "" || username == actor.Employee.Username {
		p.HolderID = actor.Employee.ID
		return nil
	}
	e, err := a.employeeOnCase(tx, g, username)
	if err != nil {
		return err
	}
	p.HolderID = e.ID
	return nil
}

// employeeOnCase returns the active employee of the case's municipality
// with the username, provided they may read the case now: a plan's holder
// must be someone who already works with the case.
func (a *App) employeeOnCase(tx *store.Tx, g *caseGrant, username string) (*samordna.Employee, error) {
	e, _, err := store.EmployeeByUsername(tx, username)
	if err != nil || e.Disabled || e.MunicipalityID != g.Case.MunicipalityID {
		if err == nil || samordna.ErrorKind(err) == samordna.KindNotFound {
			return nil, errUnknownEmployee
		}
		return nil, err
	}
	s := access.SubjectOf(e)
	f, ok, err := store.CaseFacts(tx, g.Case.ID, s, a.now())
	if err != nil {
		return nil, err
	}
	if !ok || !access.Can(s, access.Read, f) {
		return nil, errHolderAccess
	}
	return e, nil
}

// HandOverPlan asks another employee to take over the relay log; the log
// stays with its holder until they accept (AcceptPlanHandover). A new
// handover replaces a pending one. Callers: the log holder or the case's
// coordinator. Errors: not_found; plan_closed (409); not_a_relay_log,
// not_the_holder, holder_without_access (422); unknown_employee (400).
func (a *App) HandOverPlan(ctx context.Context, actor *samordna.Actor, planID, username string) (*PlanView, error) {
	var v *PlanView
	err := a.withPlan(ctx, actor, planID, access.Write, "handover_plan", func(tx *store.Tx, g *caseGrant, p *store.Plan) error {
		if err := a.handOverPlanTx(tx, actor, g, p, username); err != nil {
			return err
		}
		var err error
		v, err = a.planView(tx, actor, g, p)
		return err
	})
	return v, err
}

// handOverPlanTx records the handover inside tx (see HandOverPlan).
func (a *App) handOverPlanTx(tx *store.Tx, actor *samordna.Actor, g *caseGrant, p *store.Plan, username string) error {
	if err := checkRelayLogOpen(p); err != nil {
		return err
	}
	if p.HolderID != actor.Employee.ID && !g.Facts.Coordinator {
		return errNotHolder
	}
	e, err := a.employeeOnCase(tx, g, strings.TrimSpace(username))
	if err != nil {
		return err
	}
	if e.ID == p.HolderID {
		return samordna.Errorf(samordna.KindRule, "already_holder", "that employee already holds the relay log")
	}
	now := a.now()
	if err := store.SetPlanHandover(tx, p.ID, e.ID, actor.Employee.ID, now); err != nil {
		return err
	}
	p.HandoverTo, p.HandoverBy, p.HandoverAt = e.ID, actor.Employee.ID, &now
	if err := a.caseEvent(tx, actor, g.Case.ID, "plan_handover_requested", "plan", p.ID); err != nil {
		return err
	}
	return a.auditCase(tx, actor, g, "handover_plan", "plan", p.ID)
}

// AcceptPlanHandover makes the actor the relay log's holder, when it has
// been handed over to them; it writes a new version (holder_changed).
// Callers: the employee the log was handed over to. Errors: not_found;
// plan_closed (409); not_a_relay_log, no_handover (422).
func (a *App) AcceptPlanHandover(ctx context.Context, actor *samordna.Actor, planID string) (*PlanView, error) {
	var v *PlanView
	err := a.withPlan(ctx, actor, planID, access.Write, "accept_plan_handover", func(tx *store.Tx, g *caseGrant, p *store.Plan) error {
		if err := a.acceptPlanHandoverTx(tx, actor, g, p); err != nil {
			return err
		}
		var err error
		v, err = a.planView(tx, actor, g, p)
		return err
	})
	return v, err
}

// acceptPlanHandoverTx changes the holder inside tx (see AcceptPlanHandover).
func (a *App) acceptPlanHandoverTx(tx *store.Tx, actor *samordna.Actor, g *caseGrant, p *store.Plan) error {
	if err := checkRelayLogOpen(p); err != nil {
		return err
	}
	if p.HandoverTo == "" || p.HandoverTo != actor.Employee.ID {
		return errNoHandover
	}
	if err := store.SetPlanHolder(tx, p.ID, actor.Employee.ID); err != nil {
		return err
	}
	p.HolderID, p.HandoverTo, p.HandoverBy, p.HandoverAt = actor.Employee.ID, "", "", nil
	if err := a.newVersion(tx, actor, g, p, "holder_changed", sameContent); err != nil {
		return err
	}
	if err := a.caseEvent(tx, actor, g.Case.ID, "plan_holder_changed", "plan", p.ID); err != nil {
		return err
	}
	return a.auditCase(tx, actor, g, "accept_plan_handover", "plan", p.ID)
}

// sameContent keeps a plan's content for a version that records a change
// of state only.
func sameContent(cur *store.PlanContent) (store.PlanContent, error) { return *cur, nil }

func checkRelayLogOpen(p *store.Plan) error {
	if p.Kind != PlanRelayLog {
		return errNotRelayLog
	}
	if p.Status == PlanClosed {
		return errPlanClosed
	}
	return nil
}

// ClosePlan closes a plan at someone's request, recording who asked and
// why; a closed plan is read-only and its open measures' tasks end. A relay
// log is closed when the guardians ask: requestedBy is matched against the
// child's registered guardians, and the guardian is recorded when found.
// Callers: the coordinator, the coordinating unit or the plan's author; for
// a relay log its holder or the coordinator. Errors: not_found; plan_closed
// (409); requested_by_required, reason_too_long (400); not_allowed_to_close
// (422).
func (a *App) ClosePlan(ctx context.Context, actor *samordna.Actor, planID, requestedBy, reason string) (*PlanView, error) {
	var v *PlanView
	err := a.withPlan(ctx, actor, planID, access.Write, "close_plan", func(tx *store.Tx, g *caseGrant, p *store.Plan) error {
		by, err := cleanText(requestedBy, 200, "requested_by_too_long", "requested_by")
		if err != nil {
			return err
		}
		if by == "" {
			return samordna.Errorf(samordna.KindInvalid, "requested_by_required", "say who asked for the plan to be closed")
		}
		why, err := cleanText(reason, maxItemText, "reason_too_long", "reason")
		if err != nil {
			return err
		}
		if err := a.closePlan(tx, actor, g, p, by, why); err != nil {
			return err
		}
		v, err = a.planView(tx, actor, g, p)
		return err
	})
	return v, err
}

// closePlan closes p inside tx (see ClosePlan); requestedBy and reason
// are already cleaned.
func (a *App) closePlan(tx *store.Tx, actor *samordna.Actor, g *caseGrant, p *store.Plan, requestedBy, reason string) error {
	if p.Status == PlanClosed {
		return errPlanClosed
	}
	pv := &PlanView{Plan: p}
	if err := a.setPlanPermissions(tx, actor, g, pv); err != nil {
		return err
	}
	if !pv.CanClose {
		return errMayNotClose
	}
	guardian, err := a.guardianNamed(tx, g.Case, requestedBy)
	if err != nil {
		return err
	}
	// The last version records the closing, with the measures as they stood.
	if err := a.newVersion(tx, actor, g, p, "closed", sameContent); err != nil {
		return err
	}
	now := a.now()
	p.Status, p.CloseRequestedBy, p.CloseRequestedByPerson, p.CloseReason = PlanClosed, requestedBy, guardian, reason
	p.ClosedBy, p.ClosedAt, p.HandoverTo, p.HandoverBy, p.HandoverAt = actor.Employee.ID, &now, "", "", nil
	if err := store.ClosePlan(tx, p); err != nil {
		return err
	}
	if err := a.cancelMeasureTasks(tx, actor, p); err != nil {
		return err
	}
	if err := a.cancelTransitionTasks(tx, actor, p); err != nil {
		return err
	}
	if err := a.caseEvent(tx, actor, g.Case.ID, "plan_closed", "plan", p.ID); err != nil {
		return err
	}
	return a.auditCase(tx, actor, g, "close_plan", "plan", p.ID)
}

// guardianNamed returns the id of the case subject's registered guardian
// with the name (compared without regard to case and spacing), or "".
func (a *App) guardianNamed(tx *store.Tx, c *samordna.Case, name string) (string, error) {
	if c.SubjectPersonID == "" {
		return "", nil
	}
	rels, err := store.RelationsOf(tx, c.SubjectPersonID)
	if err != nil {
		return "", err
	}
	want := strings.Join(strings.Fields(strings.ToLower(name)), " ")
	for _, r := range rels {
		if r.Kind != samordna.RelationGuardianOf || r.RelatedID != c.SubjectPersonID {
			continue
		}
		p, err := store.PersonByID(tx, r.PersonID)
		if err != nil {
			return "", err
		}
		if strings.Join(strings.Fields(strings.ToLower(p.Name)), " ") == want {
			return p.ID, nil
		}
	}
	return "", nil
}

// liveMeasureStatus marks done each open measure whose task is done: the
// task's status flows back into the plan.
func (a *App) liveMeasureStatus(tx *store.Tx, planID string, c *store.PlanContent) error {
	statuses, err := store.PlanTaskStatuses(tx, planID)
	if err != nil {
		return err
	}
	for i := range c.Measures {
		m := &c.Measures[i]
		if m.Status == MeasureOpen && m.TaskID != "" && statuses[m.TaskID] == store.TaskDone {
			m.Status = MeasureDone
		}
	}
	return nil
}

// syncMeasureTasks makes the measures' tasks follow the plan from cur (nil
// for a new plan) to next, through the task engine (tasks.go): each open
// measure has an open task for its responsible; a changed measure
// reschedules its task; a measure done in the plan completes its task; one
// cancelled or removed cancels it.
func (a *App) syncMeasureTasks(tx *store.Tx, actor *samordna.Actor, g *caseGrant, p *store.Plan, cur, next *store.PlanContent) error {
	statuses, err := store.PlanTaskStatuses(tx, p.ID)
	if err != nil {
		return err
	}
	for i := range next.Measures {
		m := &next.Measures[i]
		var prev *store.PlanMeasure
		if cur != nil {
			if j := findMeasure(cur.Measures, m.ID); j >= 0 {
				prev = &cur.Measures[j]
			}
		}
		if err := a.syncMeasureTask(tx, actor, g, p, prev, m, statuses[m.TaskID] == store.TaskOpen); err != nil {
			return err
		}
	}
	if cur == nil {
		return nil
	}
	for _, m := range cur.Measures {
		if findMeasure(next.Measures, m.ID) < 0 && statuses[m.TaskID] == store.TaskOpen {
			if err := a.cancelTask(tx, actor, m.TaskID); err != nil {
				return err
			}
		}
	}
	return nil
}

// syncMeasureTask brings one measure's task in line; taskOpen says whether
// its current task is open.
func (a *App) syncMeasureTask(tx *store.Tx, actor *samordna.Actor, g *caseGrant, p *store.Plan, prev, m *store.PlanMeasure, taskOpen bool) error {
	switch {
	case m.Status == MeasureOpen && !taskOpen:
		mt, err := a.measureTask(tx, g, p, m)
		if err != nil {
			return err
		}
		t, err := a.createMeasureTask(tx, g.Case, mt)
		if err != nil {
			return err
		}
		m.TaskID = t.ID
	case m.Status == MeasureOpen && prev != nil && measureTaskChanged(prev, m):
		mt, err := a.measureTask(tx, g, p, m)
		if err != nil {
			return err
		}
		return a.rescheduleMeasureTask(tx, m.TaskID, mt)
	case m.Status == MeasureDone && taskOpen:
		t, err := store.TaskByID(tx, m.TaskID)
		if err != nil {
			return err
		}
		_, err = a.finishTask(tx, actor, g.Case, nil, t, "", assignHint{})
		return err
	case m.Status == MeasureCancelled && taskOpen:
		return a.cancelTask(tx, actor, m.TaskID)
	}
	return nil
}

// measureTaskChanged reports whether a measure changed in what its task
// shows: what, who, by when.
func measureTaskChanged(prev, m *store.PlanMeasure) bool {
	return prev.Text != m.Text || prev.ResponsibleID != m.ResponsibleID || prev.Due != m.Due
}

// measureTask is what the task engine needs to make a measure's task: for
// its responsible employee, or, when a service or the person is
// responsible, for the case's coordinator to follow up (failing one, the
// relay log's holder or the plan's author).
func (a *App) measureTask(tx *store.Tx, g *caseGrant, p *store.Plan, m *store.PlanMeasure) (MeasureTask, error) {
	due, err := time.Parse(time.DateOnly, m.Due)
	if err != nil {
		return MeasureTask{}, err
	}
	mt := MeasureTask{PlanID: p.ID, Title: m.Text, EmployeeID: m.ResponsibleID, Due: due}
	if mt.EmployeeID != "" {
		return mt, nil
	}
	k, err := store.CurrentCoordinator(tx, g.Case.ID)
	switch {
	case err != nil:
		return mt, err
	case k != nil:
		mt.EmployeeID = k.EmployeeID
	case p.HolderID != "":
		mt.EmployeeID = p.HolderID
	default:
		mt.EmployeeID = p.CreatedBy
	}
	return mt, nil
}

// cancelMeasureTasks cancels the open tasks of the plan's measures (the
// plan is closed).
func (a *App) cancelMeasureTasks(tx *store.Tx, actor *samordna.Actor, p *store.Plan) error {
	statuses, err := store.PlanTaskStatuses(tx, p.ID)
	if err != nil {
		return err
	}
	ids := make([]string, 0, len(statuses))
	for id, s := range statuses {
		if s == store.TaskOpen {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	for _, id := range ids {
		if err := a.cancelTask(tx, actor, id); err != nil {
			return err
		}
	}
	return nil
}

// The action plan's reminder (seed 003 row 7): a group makes its action
// plan within a month of starting. Where the case's routine has its own
// step for it (Ulstein row 7, Lillehammer coord-review) that step's task
// does the job; otherwise the coordinator gets this task.
const (
	actionPlanStepID = "plan-action-plan-due"
	taskActionPlan   = "Lag tiltaksplan sammen med ansvarsgruppa (innen én måned etter oppstart)"
)

// RemindActionPlans gives the coordinator of each new open responsibility
// group without an action plan (or individual plan) a task to make one,
// due a month after the group started, once per case. Each group is looked
// at once, by the first sweep after it is made (every minute), so a sweep
// costs nothing for the country's existing groups. It returns how many
// tasks it made. Safe to run from several servers at once: each runs in
// one write transaction and skips cases that already have the task.
// Who may call: the deadline sweep.
func (a *App) RemindActionPlans(ctx context.Context) (int, error) {
	n := 0
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		groups, err := store.GroupsToCheckForActionPlan(tx, actionPlanStepID, 500)
		if err != nil {
			return err
		}
		for _, grp := range groups {
			if grp.NeedsReminder {
				made, err := a.remindActionPlan(tx, grp)
				if err != nil {
					return err
				}
				if made {
					n++
				}
			}
			if err := store.MarkGroupCheckedForActionPlan(tx, grp.GroupID, a.now()); err != nil {
				return err
			}
		}
		return nil
	})
	return n, err
}

// remindActionPlan makes the reminder task for one group's case, unless the
// case's routine already has a task for making the plan.
func (a *App) remindActionPlan(tx *store.Tx, grp store.PlanGroup) (bool, error) {
	c, err := store.CaseByID(tx, grp.CaseID)
	if err != nil {
		return false, err
	}
	if has, err := a.routineHasActionPlanTask(tx, c); err != nil || has {
		return false, err
	}
	due, overdue := dayBounds(actionPlanDue(grp.StartedAt))
	now := a.now()
	t := &store.Task{ID: samordna.NewID(), CaseID: c.ID, MunicipalityID: c.MunicipalityID, Kind: store.TaskKindStep,
		StepID: actionPlanStepID, Title: taskActionPlan, Responsible: string(pathway.ResponsibleCoordinator),
		Status: store.TaskOpen, StartedAt: grp.StartedAt, DueAt: due, OverdueAfter: overdue, CreatedAt: now}
	k, err := store.CurrentCoordinator(tx, c.ID)
	if err != nil {
		return false, err
	}
	if k != nil {
		t.AssigneeKind, t.EmployeeID = store.AssignEmployee, k.EmployeeID
	} else {
		t.AssigneeKind = store.AssignGroup
	}
	if err := store.CreateTask(tx, t); err != nil {
		return false, err
	}
	return true, store.AddCaseEvent(tx, &samordna.CaseEvent{CaseID: c.ID, At: now, Kind: "action_plan_reminder",
		RefType: "task", RefID: t.ID})
}

// routineHasActionPlanTask reports whether the case has a task (open or
// done) for a step of its routine that offers making an action plan.
func (a *App) routineHasActionPlanTask(tx *store.Tx, c *samordna.Case) (bool, error) {
	r, err := a.caseRoutine(tx, c)
	if err != nil || r == nil {
		return false, err
	}
	tasks, err := store.TasksOfCase(tx, c.ID)
	if err != nil {
		return false, err
	}
	for _, t := range tasks {
		if s, ok := r.Step(t.StepID); ok && t.RoutineID == r.ID && hasOffer(s, pathway.OfferActionPlan) {
			return true, nil
		}
	}
	return false, nil
}

// planMade tells the routine that an action plan or individual plan was
// made or revised: the tasks to make or revise one (Ulstein rows 7 and 9,
// Lillehammer coord-review, the reminder above, PlanRevisionTask) are done, and the steps
// that follow the plan's own deadlines start (Ulstein row 8).
func (a *App) planMade(tx *store.Tx, actor *samordna.Actor, c *samordna.Case, created bool) error {
	if _, err := a.completeOffered(tx, actor, c, pathway.OfferActionPlan, "", assignHint{}); err != nil {
		return err
	}
	tasks, err := store.TasksOfCase(tx, c.ID)
	if err != nil {
		return err
	}
	for _, t := range tasks {
		if (t.StepID == actionPlanStepID || t.StepID == planRevisionStepID) && t.Status == store.TaskOpen {
			if _, err := a.finishTask(tx, actor, c, nil, t, "", assignHint{}); err != nil {
				return err
			}
		}
	}
	if !created {
		return nil
	}
	_, err = a.routineEvent(tx, c, pathway.EventActionPlanCreated, assignHint{})
	return err
}

// init connects the plans to the meetings: a group meeting's agenda starts
// from the case's plan (seed 004: "Ved vedtak på individuell plan bør
// planen benyttes som saksliste").
func init() { PlanAgenda = planAgenda }

// Agenda limits: the meetings feature allows 30 items of 500 bytes, one of
// which may be its own first item.
const (
	maxPlanAgendaItems = 25
	maxPlanAgendaBytes = 480
)

// planAgenda returns the agenda a meeting starts from where the case has an
// open plan (an individual plan first, then an action plan, then a relay
// log): the person's own account first, the review of the measures, each
// goal and open measure, the plan's update, the next evaluation. Nil when
// the case has no open plan. The items are the agenda's text (bokmål),
// which the coordinator can edit before sending.
func planAgenda(tx *store.Tx, caseID string) ([]string, error) {
	p, err := agendaPlan(tx, caseID)
	if err != nil || p == nil {
		return nil, err
	}
	v, err := store.PlanVersionAt(tx, p.ID, p.Version)
	if err != nil {
		return nil, err
	}
	c := v.Content
	items := []string{"Hva er viktig for deg? Brukerens egen beskrivelse først, deretter tjenesteyternes supplement"}
	items = append(items, "Gjennomgang av tiltakene i planen: hva er gjennomført, og hvorfor er noe ikke gjennomført")
	for _, goal := range c.Goals {
		term := "kort sikt"
		if goal.Term == "long" {
			term = "lang sikt"
		}
		items = append(items, "Mål ("+term+"): "+goal.Text)
	}
	for _, m := range c.Measures {
		if m.Status == MeasureOpen {
			items = append(items, "Tiltak: "+m.Text+" (frist "+m.Due+")")
		}
	}
	items = append(items, "Oppdatering av planen: mål, tiltak, ansvar og frister")
	if len(c.EvaluationDates) > 0 {
		items = append(items, "Neste evaluering av planen: "+c.EvaluationDates[len(c.EvaluationDates)-1])
	}
	if len(items) > maxPlanAgendaItems {
		items = append(items[:maxPlanAgendaItems-1], items[len(items)-1])
	}
	for i := range items {
		items[i] = truncateBytes(items[i], maxPlanAgendaBytes)
	}
	return items, nil
}

// agendaPlan picks the open plan a meeting's agenda starts from, or nil.
func agendaPlan(tx *store.Tx, caseID string) (*store.Plan, error) {
	plans, err := store.PlansOfCase(tx, caseID)
	if err != nil {
		return nil, err
	}
	for _, kind := range PlanKinds {
		for _, p := range plans {
			if p.Kind == kind && p.Status == PlanActive {
				return p, nil
			}
		}
	}
	return nil, nil
}

// truncateBytes cuts s to at most n bytes at a character boundary.
func truncateBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// The revision after a deviation (seed 003 row 9) for a case whose routine
// has no step for it.
const (
	planRevisionStepID = "plan-revision"
	taskPlanRevision   = "Revurder tiltaksplanen etter avvik: et tiltak har passert fristen (innen én måned)"
)

// PlanRevisionTask makes sure the plan of a measure task whose deadline was
// missed gets revised within a month (seed 003 row 9), when the case's
// routine did not start a revision itself: the coordinator (or, without
// one, the responsibility group) gets a revision task due a month after
// now. Only for action plans; one open revision task per plan at a time.
// It returns the task, or nil when none was needed. Who may call: the
// deadline sweep, inside the transaction that records the deviation.
func (a *App) PlanRevisionTask(tx *store.Tx, c *samordna.Case, missed *store.Task, now time.Time) (*store.Task, error) {
	if missed.Kind != store.TaskKindMeasure || missed.PlanID == "" {
		return nil, nil
	}
	p, err := store.PlanByID(tx, missed.PlanID)
	if samordna.ErrorKind(err) == samordna.KindNotFound {
		return nil, nil
	}
	if err != nil || p.Kind != PlanAction || p.Status != PlanActive {
		return nil, err
	}
	tasks, err := store.TasksOfCase(tx, c.ID)
	if err != nil {
		return nil, err
	}
	for _, t := range tasks {
		if t.StepID == planRevisionStepID && t.PlanID == p.ID && t.Status == store.TaskOpen {
			return nil, nil
		}
	}
	due := now.AddDate(0, 1, 0)
	t := &store.Task{ID: samordna.NewID(), CaseID: c.ID, MunicipalityID: c.MunicipalityID, Kind: store.TaskKindStep,
		StepID: planRevisionStepID, PlanID: p.ID, Title: taskPlanRevision,
		Responsible: string(pathway.ResponsibleResponsibilityGroup), Status: store.TaskOpen, StartedAt: now,
		DueAt: &due, OverdueAfter: &due, PreviousTaskID: missed.ID, CreatedAt: now}
	k, err := store.CurrentCoordinator(tx, c.ID)
	if err != nil {
		return nil, err
	}
	if k != nil {
		t.AssigneeKind, t.EmployeeID = store.AssignEmployee, k.EmployeeID
	} else {
		t.AssigneeKind = store.AssignGroup
	}
	return t, store.CreateTask(tx, t)
}

// Measures agreed in a meeting go into the case's plan in one step (seed
// 004: "Ved individuell plan oppdateres denne"; a relay log is written in
// meetings).

// errMinutesNotFinal: only finalised minutes are added to a plan.
var errMinutesNotFinal = samordna.Errorf(samordna.KindRule, "minutes_not_finalised",
	"add the measures of finalised minutes only")

// AddMeasuresFromMinutes adds the measures agreed at the meeting to the
// case's open plan (an individual plan first, then an action plan, then a
// relay log) as one new version ("measures_from_minutes"); each becomes a
// task for its responsible through the plan. A measure already added from
// the same meeting is not added twice. The responsible is an employee
// named by username or, failing that, a service or person by name (the
// coordinator then follows up). It returns the plan, or nil when the case
// has no open plan that can take them (the caller then makes the tasks
// itself).
// Who may call: the meetings feature, inside the transaction that
// finalises the minutes, for an actor already allowed to change the case.
func (a *App) AddMeasuresFromMinutes(tx *store.Tx, actor *samordna.Actor, g *caseGrant, meetingID string,
	measures []NewMeasure) (*store.Plan, error) {
	p, err := agendaPlan(tx, g.Case.ID)
	if err != nil || p == nil || len(measures) == 0 {
		return p, err
	}
	if err := a.checkChangeRules(tx, g, p); samordna.ErrorKind(err) == samordna.KindRule {
		return nil, nil // e.g. the consent to the individual plan is withdrawn: plain tasks instead
	} else if err != nil {
		return nil, err
	}
	return p, a.addMinutesMeasures(tx, actor, g, p, p.Version, meetingID, measures)
}

// addMinutesMeasures writes the version of p with the meeting's measures
// added, starting from version from; when every one is there already,
// nothing changes.
func (a *App) addMinutesMeasures(tx *store.Tx, actor *samordna.Actor, g *caseGrant, p *store.Plan, from int,
	meetingID string, measures []NewMeasure) error {
	cur, err := store.PlanVersionAt(tx, p.ID, p.Version)
	if err != nil {
		return err
	}
	var fresh []NewMeasure
	for _, x := range measures {
		if !slices.ContainsFunc(cur.Content.Measures, func(m store.PlanMeasure) bool {
			return m.MeetingID == meetingID && m.Text == strings.TrimSpace(x.Text)
		}) {
			fresh = append(fresh, x)
		}
	}
	if len(fresh) == 0 {
		if from != p.Version {
			return store.ErrPlanVersionConflict
		}
		return nil
	}
	return a.updatePlanTx(tx, actor, g, p, from, "measures_from_minutes", func(cur *store.PlanContent) (store.PlanContent, error) {
		next := *cur
		next.Measures = slices.Clone(cur.Measures)
		for _, x := range fresh {
			m, err := a.minutesMeasure(tx, g, p, meetingID, x)
			if err != nil {
				return next, err
			}
			next.Measures = append(next.Measures, m)
		}
		return next, nil
	})
}

// minutesMeasure makes a plan measure of a measure in the minutes.
func (a *App) minutesMeasure(tx *store.Tx, g *caseGrant, p *store.Plan, meetingID string, x NewMeasure) (store.PlanMeasure, error) {
	mi := MeasureInput{Text: x.Text, Due: x.Due, MeetingID: meetingID}
	if e, err := eligibleEmployee(tx, g.Case.MunicipalityID, strings.TrimSpace(x.Responsible), "unknown_employee"); err == nil {
		mi.Responsible = e.Username
	} else if samordna.ErrorKind(err) != samordna.KindRule {
		return store.PlanMeasure{}, err
	} else {
		mi.ResponsibleService = x.Responsible
	}
	return a.buildMeasure(tx, g, p, nil, nil, mi)
}

// AddMinutesToPlan adds the measures of a meeting's finalised minutes to
// the plan, in one step, as a new version. It needs the plan's current
// ETag (as UpdatePlan). Callers: as for UpdatePlan.
// Errors: not_found (also for a meeting of another case);
// precondition_required (428), precondition_failed (412); plan_closed
// (409); minutes_not_finalised (422); the validation codes of a measure.
func (a *App) AddMinutesToPlan(ctx context.Context, actor *samordna.Actor, planID, meetingID, ifMatch string) (*PlanView, error) {
	var v *PlanView
	err := a.withPlan(ctx, actor, planID, changePlanContent, "add_minutes_to_plan", func(tx *store.Tx, g *caseGrant, p *store.Plan) error {
		from, err := parseIfMatch(ifMatch)
		if err != nil {
			return err
		}
		measures, err := finalMinutesMeasures(tx, g.Case.ID, meetingID)
		if err != nil {
			return err
		}
		if err := a.addMinutesMeasures(tx, actor, g, p, from, meetingID, measures); err != nil {
			return err
		}
		v, err = a.planView(tx, actor, g, p)
		return err
	})
	return v, err
}

// finalMinutesMeasures returns the new measures of the meeting's finalised
// minutes; the meeting must belong to the case.
func finalMinutesMeasures(tx *store.Tx, caseID, meetingID string) ([]NewMeasure, error) {
	m, err := store.MeetingByID(tx, meetingID)
	if err != nil {
		return nil, err
	}
	if m.CaseID != caseID {
		return nil, samordna.ErrNotFound
	}
	row, err := store.MinutesOf(tx, m.ID)
	if err != nil {
		return nil, err
	}
	if row == nil || row.Status != store.MinutesFinalised {
		return nil, errMinutesNotFinal
	}
	sum := sha256.Sum256([]byte(row.Content))
	if hex.EncodeToString(sum[:]) != row.SHA256 {
		return nil, ErrMinutesTampered
	}
	var in Minutes
	if err := json.Unmarshal([]byte(row.Content), &in); err != nil {
		return nil, err
	}
	return in.NewMeasures, nil
}
