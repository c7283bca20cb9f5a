package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/access"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// This file lets whoever a routine makes responsible do the step (issue
// 11, rule 5). Ulstein's action plan (seed 003) row 6 gives barnevernet
// "Etablere ansvarsgruppe rundt familien. Vurdere rustesting": a
// child-welfare caseworker who has the case takes the coordinator role for
// it, recorded as given by the routine, and then sets the group up with the
// family's written consent, as any coordinator must; the assessment of a
// drug test is recorded on the step. Row 9's "avvik, manglende oppfølging"
// can also be registered by hand, not only found by the deadline sweep.

// routineCoordinationStep returns the case's open routine task whose step
// gives the responsibility group to a role the employee holds (Ulstein row
// 6: child welfare), and its step; nil when there is none.
func (a *App) routineCoordinationStep(tx *store.Tx, e *samordna.Employee, c *samordna.Case) (*store.Task, *pathway.Step, error) {
	if !e.HasRole(samordna.RoleChildWelfare) || e.HasRole(samordna.RoleAdmin) {
		return nil, nil, nil
	}
	tasks, err := store.TasksOfCase(tx, c.ID)
	if err != nil {
		return nil, nil, err
	}
	for _, t := range tasks {
		if t.Status != store.TaskOpen || t.Kind != store.TaskKindStep || t.RoutineID == "" {
			continue
		}
		r, err := a.routineOfTask(tx, t)
		if err != nil || r == nil {
			return nil, nil, err
		}
		s, ok := r.Step(t.StepID)
		if ok && s.Responsible == pathway.ResponsibleChildWelfare && hasOffer(s, pathway.OfferResponsibilityGroup) {
			return t, &s, nil
		}
	}
	return nil, nil, nil
}

// MayTakeCoordinationByRoutine reports whether the employee may take the
// coordinator role on the case by its routine: a child-welfare caseworker
// who may read the case (child welfare has received its report), while a
// step of the case's routine that gives child welfare the setting up of
// the responsibility group is open. The access matrix asks it too.
func (a *App) MayTakeCoordinationByRoutine(tx *store.Tx, e *samordna.Employee, caseID string) (bool, error) {
	s := access.SubjectOf(e)
	f, ok, err := store.CaseFacts(tx, caseID, s, a.now())
	if err != nil || !ok || !access.Can(s, access.Read, f) {
		return false, err
	}
	c, err := store.CaseByID(tx, caseID)
	if err != nil {
		return false, err
	}
	t, _, err := a.routineCoordinationStep(tx, e, c)
	return t != nil, err
}

// TakeCoordinationByRoutine makes the actor the case's coordinator because
// the case's routine makes their service responsible for setting up the
// responsibility group (Ulstein row 6, "Etablere ansvarsgruppe rundt
// familien": Barnevernet). The role is accepted at once and records its
// basis (the routine, version and step). As coordinator they record the
// family's consent and set the group up; the group still needs written
// consent (consent_required). One audit row.
//
// Who may call: see MayTakeCoordinationByRoutine; anyone else gets
// samordna.ErrNotFound (audited). Errors: coordinator_exists (409) when
// the case already has a coordinator.
func (a *App) TakeCoordinationByRoutine(ctx context.Context, actor *samordna.Actor, caseID string) (*CoordinatorView, error) {
	var out *CoordinatorView
	err := a.withCaseRule(ctx, actor, caseID, "coordinate_by_routine", func(tx *store.Tx, g *caseGrant) (bool, error) {
		if actor == nil || actor.Employee == nil {
			return false, nil
		}
		return a.MayTakeCoordinationByRoutine(tx, actor.Employee, g.Case.ID)
	}, func(tx *store.Tx, g *caseGrant) error {
		cur, err := store.CurrentAssignment(tx, g.Case.ID)
		if err != nil {
			return err
		}
		if cur != nil {
			return samordna.Errorf(samordna.KindConflict, "coordinator_exists",
				"the case already has a coordinator; ask them to hand the role over")
		}
		t, _, err := a.routineCoordinationStep(tx, actor.Employee, g.Case)
		if err != nil {
			return err
		}
		me, now := actor.Employee, a.now()
		k := &store.Assignment{ID: samordna.NewID(), CaseID: g.Case.ID, EmployeeID: me.ID, Kind: store.KindCoordinator,
			Status: store.CoordinatorAccepted, AppointedBy: me.ID, AppointedAt: now, AcceptedAt: &now,
			Basis: fmt.Sprintf("routine:%s@%d/%s", t.RoutineID, t.RoutineVersion, t.StepID)}
		if err := store.AppointCoordinator(tx, k); err != nil {
			return err
		}
		if err := a.caseEvent(tx, actor, g.Case.ID, "coordinator_by_routine", "coordinator", k.ID); err != nil {
			return err
		}
		if _, err := a.routineEvent(tx, g.Case, pathway.EventCoordinatorAppointed, assignHint{}); err != nil {
			return err
		}
		out = &CoordinatorView{EmployeeID: me.ID, Username: me.Username, Name: me.Name, Kind: k.Kind, Status: k.Status}
		return a.auditCase(tx, actor, g, "coordinate_by_routine", "coordinator", k.ID)
	})
	return out, err
}

// MaxDeviationLength bounds the description of a deviation registered by
// hand.
const MaxDeviationLength = 2000

// DeviationManual is the kind of a deviation registered by hand.
const DeviationManual = "manual"

// NewDeviation is the input for RegisterDeviation.
type NewDeviation struct {
	Description string // what was not followed up
	TaskID      string // optional: the task that was not followed up
}

// RegisterDeviation registers a deviation (avvik) by hand: a "manglende
// oppfølging" that the deadline sweep cannot see (Ulstein row 9, "Avvik,
// manglende oppfølging av tiltaksplan"). It names what was not followed
// up, refers to a task of the case (the one given, else the open task of
// following up the plan), and starts what the routine does with a
// deviation (row 9: the responsibility group revises the plan within a
// month), whose assignees are notified. One audit row.
//
// Who may call: an employee who may write to the case (access.Write);
// anyone else gets samordna.ErrNotFound. Errors: description_required,
// description_too_long (400), unknown_task (422), task_required (422: no
// task given and no plan follow-up open), identifying_data (422, anonymous
// case).
func (a *App) RegisterDeviation(ctx context.Context, actor *samordna.Actor, caseID string, in NewDeviation) (*store.Deviation, error) {
	var d *store.Deviation
	err := a.withCase(ctx, actor, caseID, access.Write, "register_deviation", func(tx *store.Tx, g *caseGrant) error {
		in.Description = strings.TrimSpace(in.Description)
		switch {
		case in.Description == "":
			return samordna.Errorf(samordna.KindInvalid, "description_required", "say what was not followed up")
		case utf8.RuneCountInString(in.Description) > MaxDeviationLength:
			return samordna.Errorf(samordna.KindInvalid, "description_too_long",
				"the description may be at most %d characters", MaxDeviationLength)
		}
		if g.Case.Anonymous {
			if err := checkAnonymousText("description", in.Description); err != nil {
				return err
			}
		}
		t, err := a.deviationTask(tx, g.Case, strings.TrimSpace(in.TaskID))
		if err != nil {
			return err
		}
		d = &store.Deviation{CaseID: g.Case.ID, TaskID: t.ID, Kind: DeviationManual, Description: in.Description,
			ReportedBy: actor.Employee.ID}
		if _, err := a.recordDeviationAt(tx, g.Case, d, a.now()); err != nil {
			return err
		}
		return a.auditCase(tx, actor, g, "register_deviation", "deviation", d.ID)
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// deviationTask returns the task a deviation registered by hand refers to:
// the case's task with the id, or else its open task of following up the
// plan (a step started when the action plan was made, with the plan's own
// deadlines: Ulstein row 8, Lillehammer coord-follow-up).
func (a *App) deviationTask(tx *store.Tx, c *samordna.Case, id string) (*store.Task, error) {
	tasks, err := store.TasksOfCase(tx, c.ID)
	if err != nil {
		return nil, err
	}
	if id != "" {
		if i := slices.IndexFunc(tasks, func(t *store.Task) bool { return t.ID == id }); i >= 0 {
			return tasks[i], nil
		}
		return nil, samordna.Errorf(samordna.KindRule, "unknown_task", "the case has no such task")
	}
	r, err := a.caseRoutine(tx, c)
	if err != nil {
		return nil, err
	}
	for _, t := range tasks {
		if r == nil || t.Status != store.TaskOpen || t.Kind != store.TaskKindStep {
			continue
		}
		if s, ok := r.Step(t.StepID); ok && s.Event == pathway.EventActionPlanCreated && s.Deadline.Kind == pathway.DeadlinePerPlan {
			return t, nil
		}
	}
	return nil, samordna.Errorf(samordna.KindRule, "task_required",
		"name the task that was not followed up (the case has no open follow-up of a plan)")
}

// Deviations returns the case's deviations, oldest first, for a reader of
// the case; anyone else gets samordna.ErrNotFound. One audit row.
func (a *App) Deviations(ctx context.Context, actor *samordna.Actor, caseID string) ([]*store.Deviation, error) {
	var out []*store.Deviation
	err := a.withCase(ctx, actor, caseID, access.Read, "read_deviations", func(tx *store.Tx, g *caseGrant) error {
		var err error
		if out, err = store.DeviationsOfCase(tx, g.Case.ID); err != nil {
			return err
		}
		return a.auditCase(tx, actor, g, "read_deviations", "case", g.Case.ID)
	})
	return out, err
}

// DrugTestDecisions are the outcomes of assessing a drug test: a test is
// to be taken, or it is not needed now.
var DrugTestDecisions = []string{"test", "no_test"}

// RecordDrugTestAssessment records the assessment of a drug test
// (rustesting) on the case's routine step that asks for it (Ulstein row 6,
// "Vurdere rustesting"): the decision (DrugTestDecisions) and its reason.
// One audit row.
//
// Who may call: an employee who may write to the case (access.Write); anyone
// else gets samordna.ErrNotFound. Errors: invalid_decision,
// reason_required, reason_too_long (400); no_drug_test_step (422: the
// case's routine has no open step that asks for it); not_assignee (422:
// the step is someone else's).
func (a *App) RecordDrugTestAssessment(ctx context.Context, actor *samordna.Actor, caseID, decision, reason string) (*store.DrugTestAssessment, error) {
	var d *store.DrugTestAssessment
	err := a.withCase(ctx, actor, caseID, access.Write, "assess_drug_test", func(tx *store.Tx, g *caseGrant) error {
		reason = strings.TrimSpace(reason)
		switch {
		case !slices.Contains(DrugTestDecisions, decision):
			return samordna.Errorf(samordna.KindInvalid, "invalid_decision", "decision is test or no_test")
		case reason == "":
			return samordna.Errorf(samordna.KindInvalid, "reason_required", "give the reason for the assessment")
		case utf8.RuneCountInString(reason) > MaxDeviationLength:
			return samordna.Errorf(samordna.KindInvalid, "reason_too_long", "the reason may be at most %d characters",
				MaxDeviationLength)
		}
		t, err := a.openOfferTask(tx, g.Case, pathway.OfferDrugTestAssessment)
		if err != nil {
			return err
		}
		if t == nil {
			return samordna.Errorf(samordna.KindRule, "no_drug_test_step", "the case's routine has no open step that asks for a drug test assessment")
		}
		if mine, err := store.IsAssignee(tx, t.ID, access.SubjectOf(actor.Employee)); err != nil || !mine {
			if err != nil {
				return err
			}
			return samordna.Errorf(samordna.KindRule, "not_assignee", "only those responsible for the step assess the drug test")
		}
		d = &store.DrugTestAssessment{CaseID: g.Case.ID, TaskID: t.ID, Decision: decision, Reason: reason,
			AssessedBy: actor.Employee.ID, AssessedAt: a.now(), AssessorName: actor.Employee.Name}
		if err := store.CreateDrugTestAssessment(tx, d); err != nil {
			return err
		}
		if err := a.caseEvent(tx, actor, g.Case.ID, "drug_test_assessed", "drug_test_assessment", d.ID); err != nil {
			return err
		}
		return a.auditCase(tx, actor, g, "assess_drug_test", "drug_test_assessment", d.ID)
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// openOfferTask returns the case's open routine task whose step offers o,
// or nil.
func (a *App) openOfferTask(tx *store.Tx, c *samordna.Case, o pathway.Offer) (*store.Task, error) {
	tasks, err := store.TasksOfCase(tx, c.ID)
	if err != nil {
		return nil, err
	}
	for _, t := range tasks {
		if t.Status != store.TaskOpen || t.Kind != store.TaskKindStep || t.RoutineID == "" {
			continue
		}
		r, err := a.routineOfTask(tx, t)
		if err != nil {
			return nil, err
		}
		if r == nil {
			continue
		}
		if s, ok := r.Step(t.StepID); ok && hasOffer(s, o) {
			return t, nil
		}
	}
	return nil, nil
}
