package app

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/access"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// This file turns routine steps into tasks and completes them. A task is
// one step for one case: due when the step's deadline says (pathway
// Step.Due, in Europe/Oslo, counting working days where the step says so),
// assigned to a named employee (the discoverer, the one in contact with the
// family, a contacted resource-group member, the coordinator), a role
// (coordinating unit, child welfare), a team (the resource group), a
// service (mental health and substance) or the case's responsibility group.
// Completing a task records its outcome and starts the steps that follow
// (pathway Routine.Following).

// ImmediateGrace is how long after its start a step due "immediately"
// (umiddelbart) counts as overdue and escalates: it is due at once, but the
// escalation to the leader waits this long. It is Samordna's proposal; the
// municipality may adopt another (LimitImmediateGrace, deadlines.go).
const ImmediateGrace = time.Hour

// MaxOutcomeLength bounds the free-text result of a task.
const MaxOutcomeLength = 2000

// TaskView is a task as its readers see it, with its routine step (nil for
// a task whose step the routine no longer has) and the actions the page
// should offer on it.
type TaskView struct {
	*store.Task
	Step     *pathway.Step
	Offers   []pathway.Offer
	Outcomes []string // the step's named outcomes, if any
	// CanComplete: the reader is an assignee and the task is open.
	CanComplete bool
	Overdue     bool
	// Filled by ListTasks: the case's situation and whether it is
	// anonymous (no personal data), and, only when the reader may read the
	// case, whom it is about.
	CaseSituation string
	CaseAnonymous bool
	CaseSubject   string
	CaseReadable  bool
	// Records is what was written down for the step's records when the
	// task was completed (see pathway.Record), keyed by record.
	Records map[string]string
}

// assignHint carries what a step's assignment may need beyond the case:
// the employee a resource-group step goes to.
type assignHint struct {
	EmployeeID string
}

// taskTitle makes a short title of a step's action: its first line, cut
// at a word boundary after at most 140 characters.
func taskTitle(action string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(action), "\n")
	line = strings.TrimSpace(line)
	if utf8.RuneCountInString(line) <= 140 {
		return line
	}
	r := []rune(line)[:140]
	cut := strings.LastIndex(string(r), " ")
	if cut < 60 {
		cut = len(string(r))
	}
	return strings.TrimSpace(string(r)[:cut]) + " …"
}

// stepTitle is the title of a step's task: the step's own title, else its
// action's first line.
func stepTitle(s pathway.Step) string {
	if s.Title != "" {
		return taskTitle(s.Title)
	}
	return taskTitle(s.Action)
}

// stepDue computes a step's due and overdue times from start (UTC), nil
// for a step whose deadlines are the plan's own (per_plan). An immediate
// step is overdue grace after it starts (ImmediateGrace unless the
// municipality adopted another limit).
func stepDue(s pathway.Step, start time.Time, grace time.Duration) (due, overdue *time.Time) {
	d, o, ok := s.Due(start)
	if !ok {
		return nil, nil
	}
	d, o = d.UTC(), o.UTC()
	if s.Deadline.Kind == pathway.DeadlineImmediately {
		o = o.Add(grace)
	}
	return &d, &o
}

// startSteps creates a task for each step that has no open task on the
// case yet, starting at start. previous names the task whose completion
// started them ("" for none). The tasks are written with one multi-row
// INSERT and read back (with their assignees' names) with one query; which
// steps are open is one query too.
func (a *App) startSteps(tx *store.Tx, c *samordna.Case, r *pathway.Routine, steps []pathway.Step,
	start time.Time, hint assignHint, previous string) ([]*store.Task, error) {
	if len(steps) == 0 {
		return nil, nil
	}
	open, err := store.OpenStepIDs(tx, c.ID)
	if err != nil {
		return nil, err
	}
	var health *bool // whether the case's registrar is health personnel, read once when needed
	var tasks []*store.Task
	needHealth := false
	for _, s := range steps {
		if s.Responsible == pathway.ResponsibleHealthPersonnel {
			if health == nil {
				ok, err := registeredByHealthPersonnel(tx, c)
				if err != nil {
					return nil, err
				}
				health = &ok
			}
			if !*health {
				needHealth = true // the duty is not theirs: they involve health personnel instead
				continue
			}
		}
		if open[s.ID] {
			continue
		}
		open[s.ID] = true // a step named twice gets one task
		t, err := a.newStepTask(tx, c, r, s, start, hint, previous)
		if err != nil {
			return nil, err
		}
		tasks = append(tasks, t)
	}
	if err := store.CreateTasks(tx, tasks); err != nil {
		return nil, err
	}
	ids := make([]string, len(tasks))
	for i, t := range tasks {
		ids[i] = t.ID
	}
	out, err := store.TasksByIDs(tx, ids) // with the assignees' names
	if err != nil {
		return nil, err
	}
	if needHealth {
		more, err := a.startSteps(tx, c, r, r.StepsForEvent(pathway.EventHealthPersonnelNeeded), start, hint, previous)
		if err != nil {
			return nil, err
		}
		out = append(out, more...)
	}
	return out, nil
}

// newStepTask returns the task for step s of the case (not yet stored):
// its deadline as the municipality has it and its assignee.
func (a *App) newStepTask(tx *store.Tx, c *samordna.Case, r *pathway.Routine, s pathway.Step, start time.Time,
	hint assignHint, previous string) (*store.Task, error) {
	t := &store.Task{ID: samordna.NewID(), CaseID: c.ID, MunicipalityID: c.MunicipalityID, Kind: store.TaskKindStep,
		RoutineID: r.ID, RoutineVersion: r.Version, StepID: s.ID, Title: stepTitle(s),
		Responsible: string(s.Responsible), Status: store.TaskOpen, StartedAt: start.UTC(),
		PreviousTaskID: previous, CreatedAt: a.now()}
	es, source, err := effectiveStep(tx, c.MunicipalityID, r, s)
	if err != nil {
		return nil, err
	}
	grace := ImmediateGrace
	if es.Deadline.Kind == pathway.DeadlineImmediately {
		if grace, err = limit(tx, c.MunicipalityID, LimitImmediateGrace); err != nil {
			return nil, err
		}
	}
	t.DueAt, t.OverdueAfter = stepDue(es, start, grace)
	t.DeadlineSource = source
	if err := a.assign(tx, c, s.Responsible, hint, t); err != nil {
		return nil, err
	}
	return t, nil
}

// registeredByHealthPersonnel reports whether the employee who registered
// the case is health personnel: a step for health personnel goes to them.
func registeredByHealthPersonnel(tx *store.Tx, c *samordna.Case) (bool, error) {
	if c.RegisteredBy == "" {
		return false, nil
	}
	e, err := store.EmployeeByID(tx, c.RegisteredBy)
	if err != nil {
		return false, err
	}
	return e.HealthPersonnel(), nil
}

// assign fills the task's assignee from the step's responsible role.
func (a *App) assign(tx *store.Tx, c *samordna.Case, resp pathway.Responsible, hint assignHint, t *store.Task) error {
	employee := func(id string) { t.AssigneeKind, t.EmployeeID = store.AssignEmployee, id }
	role := func(r samordna.Role) { t.AssigneeKind, t.Role = store.AssignRole, string(r) }
	switch resp {
	case pathway.ResponsibleDiscoverer, pathway.ResponsibleFamilyContact, pathway.ResponsibleHealthPersonnel:
		employee(c.RegisteredBy) // health personnel: startSteps has checked that the discoverer is
	case pathway.ResponsibleResourceGroupMember, pathway.ResponsibleResourceGroup:
		if resp == pathway.ResponsibleResourceGroupMember && hint.EmployeeID != "" {
			employee(hint.EmployeeID)
			return nil
		}
		team, err := store.FirstTeamOfKind(tx, c.MunicipalityID, samordna.TeamResourceGroup)
		if samordna.ErrorKind(err) == samordna.KindNotFound {
			employee(c.RegisteredBy) // no resource group: the discoverer keeps it
			return nil
		}
		if err != nil {
			return err
		}
		t.AssigneeKind, t.TeamID = store.AssignTeam, team.ID
	case pathway.ResponsibleChildWelfare:
		role(samordna.RoleChildWelfare)
	case pathway.ResponsibleCoordinatingUnit:
		role(samordna.RoleCoordinatingUnit)
	case pathway.ResponsibleCoordinator:
		k, err := store.CurrentCoordinator(tx, c.ID)
		if err != nil {
			return err
		}
		if k == nil {
			role(samordna.RoleCoordinatingUnit) // no coordinator yet: the unit sees to it
			return nil
		}
		employee(k.EmployeeID)
	case pathway.ResponsibleResponsibilityGroup:
		t.AssigneeKind = store.AssignGroup
	case pathway.ResponsibleMentalHealthSubstanceService:
		svc, err := store.FirstServiceOfKind(tx, c.MunicipalityID, samordna.ServiceMentalHealth)
		if samordna.ErrorKind(err) == samordna.KindNotFound {
			employee(c.RegisteredBy)
			return nil
		}
		if err != nil {
			return err
		}
		t.AssigneeKind, t.ServiceID = store.AssignService, svc.ID
	case pathway.ResponsibleChildResponsible:
		id, err := store.ServiceChildResponsible(tx, c.RegisteredServiceID)
		if err != nil {
			return err
		}
		if id == "" {
			id = c.RegisteredBy // the service names no barneansvarlig: the discoverer keeps it
		}
		employee(id)
	default:
		employee(c.RegisteredBy)
	}
	return nil
}

// routineEvent starts the steps the event starts in the case's routine
// (those without an open task already), at the clock's now. Other features
// call it when the event happens in a case: consent_given or
// consent_refused, application_received, coordinator_appointed,
// responsibility_group_established, action_plan_created, meeting_held,
// child_welfare_report_received, deviation. hint.EmployeeID names the
// employee a resource_group_member step goes to.
func (a *App) routineEvent(tx *store.Tx, c *samordna.Case, ev pathway.Event, hint assignHint) ([]*store.Task, error) {
	return a.routineEventAt(tx, c, ev, hint, a.now())
}

// routineEventAt is routineEvent with the steps starting at start.
func (a *App) routineEventAt(tx *store.Tx, c *samordna.Case, ev pathway.Event, hint assignHint, start time.Time) ([]*store.Task, error) {
	r, err := a.caseRoutine(tx, c)
	if err != nil || r == nil {
		return nil, err
	}
	if _, err := a.closeDoneSteps(tx, nil, c, r, ev, start); err != nil {
		return nil, err
	}
	return a.startSteps(tx, c, r, r.StepsForEvent(ev), start, hint, "")
}

// completeOffered completes the case's open tasks whose step offers the
// action (for example the report form on a "report to child welfare"
// step) and that the actor is an assignee of, because the actor has just
// done it, and starts what follows each.
// outcome must be "" or one of the steps' outcomes. It returns the new
// tasks.
func (a *App) completeOffered(tx *store.Tx, actor *samordna.Actor, c *samordna.Case, offer pathway.Offer,
	outcome string, hint assignHint) ([]*store.Task, error) {
	return a.completeOfferedAt(tx, actor, c, offer, outcome, hint, a.now())
}

// completeOfferedAt is completeOffered with the action done at the time at.
func (a *App) completeOfferedAt(tx *store.Tx, actor *samordna.Actor, c *samordna.Case, offer pathway.Offer,
	outcome string, hint assignHint, at time.Time) ([]*store.Task, error) {
	r, err := a.caseRoutine(tx, c)
	if err != nil || r == nil {
		return nil, err
	}
	tasks, err := store.TasksOfCase(tx, c.ID)
	if err != nil {
		return nil, err
	}
	var started []*store.Task
	for _, t := range tasks {
		step, ok := r.Step(t.StepID)
		if t.Status != store.TaskOpen || t.Kind != store.TaskKindStep || !ok || !hasOffer(step, offer) {
			continue
		}
		if mine, err := store.IsAssignee(tx, t.ID, access.SubjectOf(actor.Employee)); err != nil || !mine {
			if err != nil {
				return nil, err
			}
			continue // someone else's task: theirs to complete
		}
		if outcome == "" && len(step.Next) == 0 && len(step.Outcomes) > 0 {
			continue // needs a decision the action does not give
		}
		if _, named := step.Outcomes[outcome]; outcome != "" && !named {
			continue
		}
		next, err := a.finishTaskAt(tx, actor, c, r, t, outcome, hint, at)
		if err != nil {
			return nil, err
		}
		started = append(started, next...)
	}
	return started, nil
}

func hasOffer(s pathway.Step, o pathway.Offer) bool {
	for _, x := range s.Offers {
		if x == o {
			return true
		}
	}
	return false
}

// finishTask marks the task done with the outcome now and starts the steps
// that follow it (for a step with outcomes, those of the named outcome).
// The plan engine calls it for a measure's task (r nil: nothing follows).
func (a *App) finishTask(tx *store.Tx, actor *samordna.Actor, c *samordna.Case, r *pathway.Routine, t *store.Task,
	outcome string, hint assignHint) ([]*store.Task, error) {
	return a.finishTaskAt(tx, actor, c, r, t, outcome, hint, a.now())
}

// finishTaskAt is finishTask at the time at.
func (a *App) finishTaskAt(tx *store.Tx, actor *samordna.Actor, c *samordna.Case, r *pathway.Routine, t *store.Task,
	outcome string, hint assignHint, at time.Time) ([]*store.Task, error) {
	var next []pathway.Step
	if r != nil && t.Kind == store.TaskKindStep {
		step, ok := r.Step(t.StepID)
		if ok {
			branch := outcome
			if len(step.Outcomes) == 0 {
				branch = "" // a free-text result; the plain next steps follow
			}
			var err error
			if next, err = r.Following(t.StepID, branch); err != nil {
				return nil, outcomeError(step)
			}
		}
	}
	by := ""
	if actor != nil && actor.Employee != nil {
		by = actor.Employee.ID
	}
	if err := store.CompleteTask(tx, t.ID, by, outcome, at); err != nil {
		return nil, err
	}
	if err := store.AddCaseEvent(tx, &samordna.CaseEvent{CaseID: c.ID, At: at, ActorID: by,
		Kind: "task_completed", RefType: "task", RefID: t.ID}); err != nil {
		return nil, err
	}
	if len(next) == 0 {
		return nil, nil
	}
	return a.startSteps(tx, c, r, next, at, hint, t.ID)
}

// outcomeError explains which outcomes a step takes.
func outcomeError(s pathway.Step) error {
	names := s.OutcomeNames()
	if len(s.Next) == 0 {
		return samordna.Errorf(samordna.KindRule, "outcome_required",
			"this step needs an outcome: one of %s", strings.Join(names, ", "))
	}
	return samordna.Errorf(samordna.KindRule, "invalid_outcome",
		"the outcome must be empty or one of %s", strings.Join(names, ", "))
}

// CompleteTask marks a task done with its outcome and starts the steps that
// follow. outcome is one of the step's named outcomes (for example "given"
// or "refused" on a consent step: a refusal starts the written report to
// child welfare, seed 003 row 5), or, for a step without named outcomes, an
// optional free-text result (on an anonymous case it must not identify
// anyone). Who may call: an assignee of the task (the named employee, a
// holder of its role, a member of its team or service, or the case's
// coordinator or group member) who is not barred from the case. Others get
// samordna.ErrNotFound if they cannot see the task, not_assignee (KindRule)
// if they can. Both are audited.
//
// Errors: not_found, not_assignee, task_closed (409), outcome_required,
// invalid_outcome, outcome_too_long, identifying_data (KindRule).
func (a *App) CompleteTask(ctx context.Context, actor *samordna.Actor, taskID, outcome string) (*TaskView, []*TaskView, error) {
	done, started, _, err := a.CompleteTaskWithRecords(ctx, actor, taskID, outcome, nil)
	return done, started, err
}

// CompleteTaskWithRecords is CompleteTask with what the assignee wrote
// down for the step's records (see pathway.Record; keyed by record). It
// returns warnings for the records the step asks for that were left empty
// (record_missing): the task is completed, the gap is said.
//
// Errors: those of CompleteTask, and unknown_record, record_too_long
// (KindInvalid) and identifying_data in a record of an anonymous case.
func (a *App) CompleteTaskWithRecords(ctx context.Context, actor *samordna.Actor, taskID, outcome string,
	records map[string]string) (*TaskView, []*TaskView, []Warning, error) {
	var warnings []Warning
	done, started, err := a.completeTask(ctx, actor, taskID, outcome, records, &warnings)
	if err != nil {
		return nil, nil, nil, err
	}
	return done, started, warnings, nil
}

// completeTask does CompleteTaskWithRecords.
func (a *App) completeTask(ctx context.Context, actor *samordna.Actor, taskID, outcome string,
	records map[string]string, warnings *[]Warning) (*TaskView, []*TaskView, error) {
	outcome = strings.TrimSpace(outcome)
	if utf8.RuneCountInString(outcome) > MaxOutcomeLength {
		return nil, nil, samordna.Errorf(samordna.KindInvalid, "outcome_too_long", "the outcome may be at most %d characters", MaxOutcomeLength)
	}
	var done *TaskView
	var started []*TaskView
	var refusal error
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		t, c, visible, assignee, err := a.taskAccess(tx, actor, taskID)
		if err != nil {
			return err
		}
		if !assignee {
			refusal = samordna.ErrNotFound
			if visible {
				refusal = samordna.Errorf(samordna.KindRule, "not_assignee", "only an assignee of the task may complete it")
			}
			return a.auditTask(tx, actor, t, c, "complete", samordna.OutcomeDenied)
		}
		if t.Status != store.TaskOpen {
			return samordna.Errorf(samordna.KindConflict, "task_closed", "the task is already %s", t.Status)
		}
		if t.Kind == store.TaskKindChildren {
			return samordna.Errorf(samordna.KindRule, "answer_required",
				"answer whether the person has children under 18 on the case; the task closes by itself")
		}
		if c.Anonymous {
			if err := checkAnonymousText("outcome", outcome); err != nil {
				return err
			}
		}
		r, err := a.caseRoutine(tx, c)
		if err != nil {
			return err
		}
		if err := checkOutcome(r, t, outcome); err != nil {
			return err
		}
		if err := a.checkConsentOutcome(tx, r, t, outcome); err != nil {
			return err
		}
		declared, err := checkRecords(r, t, c, records)
		if err != nil {
			return err
		}
		next, err := a.finishTask(tx, actor, c, r, t, outcome, assignHint{})
		if err != nil {
			return err
		}
		if *warnings, err = a.saveRecords(tx, actor, t, declared, records); err != nil {
			return err
		}
		if _, err := a.reportToResourceGroup(tx, actor, c, r, t); err != nil {
			return err
		}
		if t, err = store.TaskByID(tx, t.ID); err != nil {
			return err
		}
		done = a.taskView(r, t, actor, false)
		if err := a.addTaskRecords(tx, done); err != nil {
			return err
		}
		for _, n := range next {
			started = append(started, a.taskView(r, n, actor, false))
		}
		return a.auditTask(tx, actor, t, c, "complete", samordna.OutcomeAllowed)
	})
	if err == nil && refusal != nil {
		err = refusal
	}
	if err != nil {
		return nil, nil, err
	}
	return done, started, nil
}

// checkOutcome refuses an outcome the step cannot take.
func checkOutcome(r *pathway.Routine, t *store.Task, outcome string) error {
	if r == nil || t.Kind != store.TaskKindStep {
		return nil
	}
	step, ok := r.Step(t.StepID)
	if !ok || len(step.Outcomes) == 0 {
		return nil
	}
	if _, named := step.Outcomes[outcome]; named || (outcome == "" && len(step.Next) > 0) {
		return nil
	}
	return outcomeError(step)
}

// The named outcomes of a consent step (Lillehammer "document", Ulstein
// row 3): consent to follow-up or cooperation was given, or refused.
const (
	outcomeConsentGiven   = "given"
	outcomeConsentRefused = "refused"
)

// errConsentNotRecorded: "consent given" means a consent exists.
var errConsentNotRecorded = samordna.Errorf(samordna.KindRule, "consent_required",
	"record the written consent with its purposes (and the signed form) before marking consent as given")

// checkConsentOutcome refuses the outcome "given" on a consent step unless
// the case holds a consent in force with its purposes (seed 003 row 3:
// "Motivere for skrifteleg samtykke"; seed 000: "I de tilfeller det er
// behov for å samtykke til oppfølging"): the routine moves on a recorded
// consent, not a button.
func (a *App) checkConsentOutcome(tx *store.Tx, r *pathway.Routine, t *store.Task, outcome string) error {
	if r == nil || t.Kind != store.TaskKindStep || outcome != outcomeConsentGiven {
		return nil
	}
	if step, ok := r.Step(t.StepID); !ok || len(step.Outcomes) == 0 {
		return nil
	}
	cs, err := store.ConsentsOfCase(tx, t.CaseID)
	if err != nil {
		return err
	}
	for _, k := range cs {
		if k.Active(a.now()) && len(k.Purposes) > 0 {
			return nil
		}
	}
	return errConsentNotRecorded
}

// taskAccess loads the task and its case and tells whether the actor may
// see it (may read the case, or is an assignee) and whether the actor is
// an assignee. A missing task, another municipality's task, and a case the
// actor is barred from all give visible and assignee false.
func (a *App) taskAccess(tx *store.Tx, actor *samordna.Actor, taskID string) (t *store.Task, c *samordna.Case,
	visible, assignee bool, err error) {
	if actor == nil || actor.Employee == nil {
		return nil, nil, false, false, samordna.ErrNotFound
	}
	t, err = store.TaskByID(tx, taskID)
	if samordna.ErrorKind(err) == samordna.KindNotFound {
		return &store.Task{ID: truncate(taskID, 64)}, nil, false, false, nil
	}
	if err != nil {
		return nil, nil, false, false, err
	}
	s := access.SubjectOf(actor.Employee)
	facts, exists, err := store.CaseFacts(tx, t.CaseID, s, a.now())
	if err != nil || !exists {
		return t, nil, false, false, err
	}
	if c, err = store.CaseByID(tx, t.CaseID); err != nil {
		return nil, nil, false, false, err
	}
	if facts.Blocked || !facts.SameMunicipality || s.Has(samordna.RoleAdmin) {
		return t, c, false, false, nil
	}
	if assignee, err = store.IsAssignee(tx, t.ID, s); err != nil {
		return nil, nil, false, false, err
	}
	return t, c, assignee || access.Can(s, access.Read, facts), assignee, nil
}

// auditTask writes the audit row for an action on a task.
func (a *App) auditTask(tx *store.Tx, actor *samordna.Actor, t *store.Task, c *samordna.Case, action, outcome string) error {
	return a.audit(tx, actor, taskEvent(t, c, action, outcome))
}

// taskEvent is the audit event for an action on a task.
func taskEvent(t *store.Task, c *samordna.Case, action, outcome string) samordna.AuditEvent {
	ev := samordna.AuditEvent{ObjectType: "task", ObjectID: t.ID, Action: action, Outcome: outcome}
	if c != nil {
		ev.CaseID, ev.PersonID = c.ID, c.SubjectPersonID
	}
	return ev
}

// GetTask returns one task for a reader of its case or an assignee; anyone
// else gets samordna.ErrNotFound. Audited either way: the read runs in a
// read transaction, then its audit row is appended with group commit, and
// the answer leaves only once that row is durable.
func (a *App) GetTask(ctx context.Context, actor *samordna.Actor, taskID string) (*TaskView, error) {
	var v *TaskView
	var ev samordna.AuditEvent
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		t, c, visible, assignee, err := a.taskAccess(tx, actor, taskID)
		if err != nil {
			return err
		}
		if !visible {
			ev = taskEvent(t, c, "read", samordna.OutcomeDenied)
			return nil
		}
		r, err := a.caseRoutine(tx, c)
		if err != nil {
			return err
		}
		v = a.taskView(r, t, actor, assignee)
		if err := a.addTaskRecords(tx, v); err != nil {
			return err
		}
		ev = taskEvent(t, c, "read", samordna.OutcomeAllowed)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := a.auditGrouped(ctx, actor, ev); err != nil {
		return nil, err
	}
	if v == nil {
		return nil, samordna.ErrNotFound
	}
	return v, nil
}

// TaskQuery selects tasks for ListTasks.
type TaskQuery struct {
	AssignedToMe bool   // only the actor's own tasks (as employee, role, team, service or group)
	Overdue      bool   // only open tasks past their overdue time
	Status       string // "open", "done", "cancelled" or "" for all
	CaseID       string
	DueBefore    time.Time
	Cursor       string
	Limit        int
}

// TaskList is one page of tasks.
type TaskList struct {
	Tasks []*TaskView
	Next  string
}

// ListTasks returns the tasks the actor may see: those of the cases the
// actor may read, and those the actor is an assignee of; open ones first
// by due date, then done and cancelled ones. The list is filtered in SQL by
// the same policy as the case list. One audit row for the listing (no ids).
//
// Errors: invalid_status, bad_cursor (KindInvalid).
func (a *App) ListTasks(ctx context.Context, actor *samordna.Actor, q TaskQuery) (*TaskList, error) {
	switch q.Status {
	case "", store.TaskOpen, store.TaskDone, store.TaskCancelled:
	default:
		return nil, samordna.Errorf(samordna.KindInvalid, "invalid_status", "status is open, done or cancelled")
	}
	out := &TaskList{}
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		s := access.SubjectOf(actor.Employee)
		page, err := store.ListTasks(tx, s, a.now(), store.TaskFilter{AssignedToMe: q.AssignedToMe, Overdue: q.Overdue,
			Status: q.Status, CaseID: q.CaseID, DueBefore: q.DueBefore, Cursor: q.Cursor, Limit: q.Limit})
		if err != nil {
			return err
		}
		out.Next = page.Next
		briefs, err := store.CaseBriefs(tx, s, a.now(), taskCaseIDs(page.Tasks))
		if err != nil {
			return err
		}
		mine, err := assignedAmong(tx, s, page.Tasks, q.AssignedToMe)
		if err != nil {
			return err
		}
		for _, t := range page.Tasks {
			r, err := a.routineOfTask(tx, t)
			if err != nil {
				return err
			}
			v := a.taskView(r, t, actor, mine[t.ID])
			b := briefs[t.CaseID]
			v.CaseSituation, v.CaseAnonymous, v.CaseReadable, v.CaseSubject = b.Situation, b.Anonymous, b.Readable, b.SubjectName
			out.Tasks = append(out.Tasks, v)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// The listing's audit row names no task; it is durable before the list leaves.
	if err := a.auditGrouped(ctx, actor, samordna.AuditEvent{ObjectType: "task", Action: "list"}); err != nil {
		return nil, err
	}
	return out, nil
}

// assignedAmong returns which of the tasks the subject is an assignee of,
// in one statement for them all; all is true when every task is known to be
// the subject's (the list asked for ?assigned=me), and then asks nothing.
func assignedAmong(tx *store.Tx, s access.Subject, tasks []*store.Task, all bool) (map[string]bool, error) {
	if all {
		mine := make(map[string]bool, len(tasks))
		for _, t := range tasks {
			mine[t.ID] = true
		}
		return mine, nil
	}
	ids := make([]string, len(tasks))
	for i, t := range tasks {
		ids[i] = t.ID
	}
	return store.AssignedTaskIDs(tx, s, ids)
}

// taskCaseIDs returns the distinct case ids of the tasks.
func taskCaseIDs(tasks []*store.Task) []string {
	seen := map[string]bool{}
	var ids []string
	for _, t := range tasks {
		if !seen[t.CaseID] {
			seen[t.CaseID] = true
			ids = append(ids, t.CaseID)
		}
	}
	return ids
}

// routineOfTask returns the routine version a task's step belongs to (nil
// for a task without one).
func (a *App) routineOfTask(tx *store.Tx, t *store.Task) (*pathway.Routine, error) {
	if t.RoutineID == "" {
		return nil, nil
	}
	r, err := a.routineVersion(tx, t.RoutineID, t.RoutineVersion)
	if err != nil {
		a.Log.Warn("task routine missing", "task", t.ID, "err", err)
		return nil, nil
	}
	return r, nil
}

// taskView adds the step and what the reader may do.
func (a *App) taskView(r *pathway.Routine, t *store.Task, actor *samordna.Actor, assignee bool) *TaskView {
	v := &TaskView{Task: t, Overdue: t.Overdue(a.now()), CanComplete: assignee && t.Status == store.TaskOpen}
	if r != nil && t.StepID != "" {
		if s, ok := r.Step(t.StepID); ok {
			v.Step = &s
			if t.Kind == store.TaskKindStep {
				v.Offers = s.Offers
				v.Outcomes = s.OutcomeNames()
			}
		}
	}
	return v
}

// caseTaskRows returns a case's tasks for the case view (GetCase): open
// ones first by due date, then the done ones. Responsible is the routine's
// role for the step (e.g. "discoverer", "child_welfare").
func caseTaskRows(tx *store.Tx, caseID string) ([]CaseTask, error) {
	tasks, err := store.TasksOfCase(tx, caseID)
	if err != nil {
		return nil, err
	}
	out := make([]CaseTask, 0, len(tasks))
	for _, t := range tasks {
		out = append(out, CaseTask{ID: t.ID, Title: t.Title, DueAt: t.DueAt, Status: t.Status, Responsible: t.Responsible})
	}
	return out, nil
}

// caseTaskViews returns a case's tasks with their steps, for the routine
// view of the case.
func (a *App) caseTaskViews(tx *store.Tx, actor *samordna.Actor, c *samordna.Case, r *pathway.Routine) ([]*TaskView, error) {
	tasks, err := store.TasksOfCase(tx, c.ID)
	if err != nil {
		return nil, err
	}
	mine, err := assignedAmong(tx, access.SubjectOf(actor.Employee), tasks, false)
	if err != nil {
		return nil, err
	}
	var out []*TaskView
	for _, t := range tasks {
		tr := r
		if t.RoutineID != "" && (r == nil || t.RoutineID != r.ID || t.RoutineVersion != r.Version) {
			if tr, err = a.routineOfTask(tx, t); err != nil {
				return nil, err
			}
		}
		v := a.taskView(tr, t, actor, mine[t.ID])
		if err := a.addTaskRecords(tx, v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// MeasureTask is the input for createMeasureTask: one measure of a plan.
type MeasureTask struct {
	PlanID     string
	Title      string    // the measure, short; no more than the plan shows
	EmployeeID string    // who is responsible
	Due        time.Time // the measure's deadline (Oslo date); zero for none
}

// createMeasureTask makes a task of a plan's measure (the plan engine calls
// it). It belongs to the routine step that follows a plan with the plan's
// own deadlines (Ulstein row 8, "Halde fristar på tiltaksplanen";
// Lillehammer coord-follow-up), so that a missed deadline is a deviation
// (see SweepOverdue): the deviation starts the revision of the plan
// (Ulstein row 9). The task is due at the start of the due date and
// overdue after its end (Europe/Oslo).
func (a *App) createMeasureTask(tx *store.Tx, c *samordna.Case, m MeasureTask) (*store.Task, error) {
	if m.EmployeeID == "" {
		return nil, samordna.Errorf(samordna.KindInvalid, "responsible_required", "a measure needs a responsible employee")
	}
	t := &store.Task{ID: samordna.NewID(), CaseID: c.ID, MunicipalityID: c.MunicipalityID, Kind: store.TaskKindMeasure,
		PlanID: m.PlanID, Title: truncateRunes(strings.TrimSpace(m.Title), 200),
		Responsible: string(pathway.ResponsibleResponsibilityGroup), AssigneeKind: store.AssignEmployee,
		EmployeeID: m.EmployeeID, Status: store.TaskOpen, StartedAt: a.now(), CreatedAt: a.now()}
	if r, err := a.caseRoutine(tx, c); err == nil && r != nil {
		for _, s := range r.StepsForEvent(pathway.EventActionPlanCreated) {
			if s.Deadline.Kind == pathway.DeadlinePerPlan {
				t.RoutineID, t.RoutineVersion, t.StepID = r.ID, r.Version, s.ID
				break
			}
		}
	} else if err != nil {
		return nil, err
	}
	t.DueAt, t.OverdueAfter = dayBounds(m.Due)
	if err := store.CreateTask(tx, t); err != nil {
		return nil, err
	}
	return t, nil
}

// rescheduleMeasureTask brings a measure's open task in line with a new
// version of the measure.
func (a *App) rescheduleMeasureTask(tx *store.Tx, taskID string, m MeasureTask) error {
	due, overdue := dayBounds(m.Due)
	return store.RescheduleTask(tx, taskID, truncateRunes(strings.TrimSpace(m.Title), 200), m.EmployeeID, due, overdue)
}

// cancelTask cancels an open task that is no longer needed (a removed
// measure).
func (a *App) cancelTask(tx *store.Tx, actor *samordna.Actor, taskID string) error {
	by := ""
	if actor != nil && actor.Employee != nil {
		by = actor.Employee.ID
	}
	return store.CancelTask(tx, taskID, by, a.now())
}

// dayBounds returns the start of the date's day and the start of the next
// (Europe/Oslo) in UTC; nil for the zero time.
func dayBounds(day time.Time) (start, end *time.Time) {
	if day.IsZero() {
		return nil, nil
	}
	y, m, d := day.Date()
	s := time.Date(y, m, d, 0, 0, 0, 0, pathway.Oslo())
	e := s.AddDate(0, 0, 1)
	s, e = s.UTC(), e.UTC()
	return &s, &e
}

// truncateRunes cuts s to at most n characters.
func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}
