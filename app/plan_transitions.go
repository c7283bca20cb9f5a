package app

import (
	"slices"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// This file holds the transitions an individual plan records (seed 004
// Etablering: "Sammensetningen av ansvarsgruppen revurderes i forbindelse
// med overganger ... ved overgangen til voksenlivet, flytting til eget hjem
// og oppstart i arbeidslivet"). School transitions and the 18th birthday
// follow from the birth date (Transitions); these three do not, so the
// coordinator enters when each is expected, and the plan gives the
// coordinator a task to review the group and the plan three months before.

// The transitions an individual plan records, in the order the seed names
// them.
const (
	TransitionAdulthood   = "adulthood"    // overgangen til voksenlivet
	TransitionOwnHome     = "own_home"     // flytting til eget hjem
	TransitionWorkingLife = "working_life" // oppstart i arbeidslivet (or education)
)

// PlanTransitionKinds lists the kinds in display order.
var PlanTransitionKinds = []string{TransitionAdulthood, TransitionOwnHome, TransitionWorkingLife}

// TransitionInput is one transition as the coordinator enters it: its
// kind, the date it is expected (YYYY-MM-DD) and a note on the phase
// ("etter videregående, trolig høsten 2027").
type TransitionInput struct {
	Kind     string
	Expected string
	Note     string
}

// TransitionView is a recorded transition with when its review is due.
type TransitionView struct {
	store.PlanTransition
	ReviewBy   string // YYYY-MM-DD: the review task's due date, three months before (or the day it was recorded)
	ReviewDone bool   // the coordinator has done the review
}

// transitionLabels name the transitions in bokmål, for task titles and
// version differences.
var transitionLabels = map[string]string{
	TransitionAdulthood:   "overgangen til voksenlivet",
	TransitionOwnHome:     "flytting til eget hjem",
	TransitionWorkingLife: "oppstart i arbeidslivet eller utdanning",
}

// buildTransitions validates the transitions of a plan's input: only an
// individual plan records them, each kind at most once, each with its
// expected date; a row with neither date nor note is an empty form row and
// is left out. A transition of the current version keeps its task.
func buildTransitions(p *store.Plan, cur *store.PlanContent, in []TransitionInput) ([]store.PlanTransition, error) {
	out := []store.PlanTransition{}
	for _, ti := range in {
		if ti.Expected == "" && ti.Note == "" {
			continue
		}
		if p.Kind != PlanIndividual {
			return nil, samordna.Errorf(samordna.KindInvalid, "transitions_individual_plan_only",
				"transitions are recorded on the individual plan")
		}
		if !slices.Contains(PlanTransitionKinds, ti.Kind) {
			return nil, samordna.Errorf(samordna.KindInvalid, "invalid_transition",
				"a transition is adulthood, own_home or working_life")
		}
		if slices.ContainsFunc(out, func(x store.PlanTransition) bool { return x.Kind == ti.Kind }) {
			return nil, samordna.Errorf(samordna.KindInvalid, "duplicate_transition", "each transition once")
		}
		t := store.PlanTransition{Kind: ti.Kind}
		var err error
		if t.Expected, err = cleanDate(ti.Expected, "transitions.expected"); err != nil {
			return nil, err
		}
		if t.Expected == "" {
			return nil, samordna.Errorf(samordna.KindInvalid, "transition_date_required",
				"give the date the transition is expected (expected, YYYY-MM-DD)")
		}
		if t.Note, err = cleanText(ti.Note, maxItemText, "transition_note_too_long", "a transition's note"); err != nil {
			return nil, err
		}
		if prev := findTransition(cur, t.Kind); prev != nil {
			t.TaskID = prev.TaskID
		}
		out = append(out, t)
	}
	slices.SortStableFunc(out, func(x, y store.PlanTransition) int {
		return slices.Index(PlanTransitionKinds, x.Kind) - slices.Index(PlanTransitionKinds, y.Kind)
	})
	return out, nil
}

// findTransition returns the content's transition of the kind, or nil.
func findTransition(c *store.PlanContent, kind string) *store.PlanTransition {
	if c == nil {
		return nil
	}
	for i := range c.Transitions {
		if c.Transitions[i].Kind == kind {
			return &c.Transitions[i]
		}
	}
	return nil
}

// transitionReviewBy is when the review before a transition expected on
// the date is due: three months before (Transition.ReviewBy), or now.
func transitionReviewBy(expected string, now time.Time) (time.Time, error) {
	at, err := time.Parse(time.DateOnly, expected)
	if err != nil {
		return time.Time{}, err
	}
	return Transition{At: at}.ReviewBy(now), nil
}

// syncTransitionTasks gives the coordinator a review task before each
// recorded transition, from cur (nil for a new plan) to next: a new
// transition, or one whose date moved after its review was done, gets a
// task; a moved one with its task open has it rescheduled; a removed one
// has its open task cancelled. The task goes to the case's coordinator
// (failing one, the plan's author).
func (a *App) syncTransitionTasks(tx *store.Tx, actor *samordna.Actor, g *caseGrant, p *store.Plan, cur, next *store.PlanContent) error {
	owner, err := a.transitionOwner(tx, g, p)
	if err != nil {
		return err
	}
	for i := range next.Transitions {
		t := &next.Transitions[i]
		prev := findTransition(cur, t.Kind)
		open, err := taskIsOpen(tx, t.TaskID)
		if err != nil {
			return err
		}
		moved := prev == nil || prev.Expected != t.Expected
		if !moved && t.TaskID != "" {
			continue
		}
		due, err := transitionReviewBy(t.Expected, a.now())
		if err != nil {
			return err
		}
		title := truncateRunes(taskCompositionReview+": "+transitionLabels[t.Kind]+" ("+planDate(t.Expected)+")", 200)
		if open {
			if err := store.RescheduleTask(tx, t.TaskID, title, owner, &due, &due); err != nil {
				return err
			}
			continue
		}
		task := coordTask{Title: title, EmployeeID: owner, Due: due}
		if t.TaskID, err = a.addPlanTask(tx, g.Case, p, task); err != nil {
			return err
		}
	}
	if cur == nil {
		return nil
	}
	for _, t := range cur.Transitions {
		if findTransition(next, t.Kind) == nil {
			if err := a.cancelIfOpen(tx, actor, t.TaskID); err != nil {
				return err
			}
		}
	}
	return nil
}

// transitionOwner is who reviews before a transition: the case's
// coordinator, failing one the plan's author.
func (a *App) transitionOwner(tx *store.Tx, g *caseGrant, p *store.Plan) (string, error) {
	k, err := store.CurrentCoordinator(tx, g.Case.ID)
	if err != nil {
		return "", err
	}
	if k != nil {
		return k.EmployeeID, nil
	}
	return p.CreatedBy, nil
}

// addPlanTask is addTask for a task that belongs to the plan p; it returns
// the task's id.
func (a *App) addPlanTask(tx *store.Tx, c *samordna.Case, p *store.Plan, t coordTask) (string, error) {
	task := a.coordTaskRow(c, t)
	task.PlanID = p.ID
	return task.ID, store.CreateTask(tx, task)
}

// taskIsOpen reports whether the task with the id ("" for none) is open.
func taskIsOpen(tx *store.Tx, id string) (bool, error) {
	if id == "" {
		return false, nil
	}
	t, err := store.TaskByID(tx, id)
	if err != nil {
		return false, err
	}
	return t.Status == store.TaskOpen, nil
}

// cancelIfOpen cancels the task with the id when it is open ("" for none).
func (a *App) cancelIfOpen(tx *store.Tx, actor *samordna.Actor, id string) error {
	open, err := taskIsOpen(tx, id)
	if err != nil || !open {
		return err
	}
	return a.cancelTask(tx, actor, id)
}

// cancelTransitionTasks cancels the open review tasks of the plan's
// current transitions (the plan is closed).
func (a *App) cancelTransitionTasks(tx *store.Tx, actor *samordna.Actor, p *store.Plan) error {
	cur, err := store.PlanVersionAt(tx, p.ID, p.Version)
	if err != nil {
		return err
	}
	for _, t := range cur.Content.Transitions {
		if err := a.cancelIfOpen(tx, actor, t.TaskID); err != nil {
			return err
		}
	}
	return nil
}

// transitionViews are the content's transitions with their review tasks'
// due dates and whether the review is done.
func transitionViews(tx *store.Tx, c store.PlanContent) ([]TransitionView, error) {
	out := make([]TransitionView, 0, len(c.Transitions))
	for _, t := range c.Transitions {
		v := TransitionView{PlanTransition: t}
		if t.TaskID != "" {
			task, err := store.TaskByID(tx, t.TaskID)
			if err != nil {
				return nil, err
			}
			if task.DueAt != nil {
				v.ReviewBy = task.DueAt.In(pathway.Oslo()).Format(time.DateOnly)
			}
			v.ReviewDone = task.Status == store.TaskDone
		}
		out = append(out, v)
	}
	return out, nil
}
