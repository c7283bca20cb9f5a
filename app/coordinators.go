package app

import (
	"context"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/access"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// This file holds the coordinator's use cases (accepting the role, handing
// it over, the coordinator's own list of cases) and the rules every
// coordination feature shares:
//
//   - RequireCoordinator and RequireActiveConsent: the invariants of seed 004
//     (no responsibility group or individual plan without a coordinator; a
//     group needs written consent). The plan feature reuses them.
//   - withCoordination: the coordinator or the coordinating unit acting on
//     a case (setting up the group, planning meetings).

// ErrCoordinatorRequired is returned where seed 004 says a coordinator must
// exist first: a responsibility group or an individual plan.
var ErrCoordinatorRequired = samordna.Errorf(samordna.KindRule, "coordinator_required",
	"the case has no coordinator: a responsibility group or an individual plan needs one")

// ErrConsentRequired is returned when no active consent covers the purpose.
var ErrConsentRequired = samordna.Errorf(samordna.KindRule, "consent_required",
	"no active written consent covers this purpose")

// RequireCoordinator returns the case's current coordinator assignment, or
// ErrCoordinatorRequired (422 coordinator_required) when there is none. An
// appointed coordinator who has not yet accepted counts: the appointment is
// the coordinating unit's decision. Call it inside the use case's
// transaction.
func (a *App) RequireCoordinator(tx *store.Tx, caseID string) (*store.Assignment, error) {
	k, err := store.CurrentAssignment(tx, caseID)
	if err != nil {
		return nil, err
	}
	if k == nil {
		return nil, ErrCoordinatorRequired
	}
	return k, nil
}

// RequireActiveConsent returns ErrConsentRequired (422 consent_required)
// unless an active, unexpired consent of the case covers the purpose now.
// Call it inside the use case's transaction.
func (a *App) RequireActiveConsent(tx *store.Tx, caseID string, p samordna.ConsentPurpose) error {
	ok, err := a.hasActiveConsent(tx, caseID, p)
	if err != nil {
		return err
	}
	if !ok {
		return ErrConsentRequired
	}
	return nil
}

func (a *App) hasActiveConsent(tx *store.Tx, caseID string, p samordna.ConsentPurpose) (bool, error) {
	k, err := a.activeConsentFor(tx, caseID, p)
	return k != nil, err
}

// canCoordinate: the case's coordinator, or the coordinating unit once the
// case has applied to it (access.Coordinate). They set up the group and
// call its meetings.
func canCoordinate(s access.Subject, f access.Facts) bool {
	return access.Can(s, access.Coordinate, f)
}

// withCoordination is withCase with access.Coordinate: the coordinator and
// the coordinating unit only; anyone else is refused (audited,
// samordna.ErrNotFound). Validate the input inside fn, so that a refused
// caller learns nothing from a validation error.
func (a *App) withCoordination(ctx context.Context, actor *samordna.Actor, caseID, auditAction string,
	fn func(tx *store.Tx, g *caseGrant) error) error {
	return a.withCase(ctx, actor, caseID, access.Coordinate, auditAction, fn)
}

// withCaseRule runs fn in one write transaction if allowed(g) holds for
// the case; otherwise it audits the refusal and answers
// samordna.ErrNotFound, like withCase.
func (a *App) withCaseRule(ctx context.Context, actor *samordna.Actor, caseID, auditAction string,
	allowed func(tx *store.Tx, g *caseGrant) (bool, error), fn func(tx *store.Tx, g *caseGrant) error) error {
	denied := false
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		g, _, err := a.authorizeCase(tx, actor, caseID, access.Read)
		if err != nil {
			return err
		}
		ok := false
		if g.Case != nil && !g.Facts.Blocked {
			if ok, err = allowed(tx, g); err != nil {
				return err
			}
		}
		if !ok {
			denied = true
			return a.auditDenied(tx, actor, g, caseID, auditAction)
		}
		if err := closedGuard(g, access.Write); err != nil {
			return err
		}
		return fn(tx, g)
	})
	if err != nil {
		return err
	}
	if denied {
		return samordna.ErrNotFound
	}
	return nil
}

// eligibleEmployee returns the employee with the username if they can take
// part in a case of the municipality: same municipality, not disabled, and
// not only an administrator (who sees no case content). Otherwise an error
// with the given code (KindRule).
func eligibleEmployee(tx *store.Tx, municipalityID, username, code string) (*samordna.Employee, error) {
	bad := samordna.Errorf(samordna.KindRule, code, "no such employee can take this role")
	if username == "" || len(username) > 100 {
		return nil, bad
	}
	e, _, err := store.EmployeeByUsername(tx, username)
	if samordna.ErrorKind(err) == samordna.KindNotFound {
		return nil, bad
	}
	if err != nil {
		return nil, err
	}
	if e.MunicipalityID != municipalityID || e.Disabled || (e.HasRole(samordna.RoleAdmin) && len(e.Roles) == 1) {
		return nil, bad
	}
	return e, nil
}

// AcceptCoordinator accepts the coordinator role on a case: either the
// appointed coordinator accepts the appointment, or the recipient of a
// handover takes the role over (the previous coordinator's assignment ends
// only now). Who may call: that employee; anyone else gets
// samordna.ErrNotFound (audited). Errors: not_found, already_accepted (409)
// when there is nothing to accept.
func (a *App) AcceptCoordinator(ctx context.Context, actor *samordna.Actor, caseID string) (*CoordinatorView, error) {
	var out *CoordinatorView
	var k *store.Assignment
	err := a.withCaseRule(ctx, actor, caseID, "accept_coordinator", func(tx *store.Tx, g *caseGrant) (bool, error) {
		var err error
		k, err = store.CurrentAssignment(tx, g.Case.ID)
		return k != nil && g.Facts.SameMunicipality &&
			(k.EmployeeID == actor.Employee.ID || k.HandoverTo == actor.Employee.ID), err
	}, func(tx *store.Tx, g *caseGrant) error {
		var err error
		if out, err = a.acceptCoordinator(tx, actor, g, k); err != nil {
			return err
		}
		g.Reason = access.ReasonCoordinator
		return a.auditCase(tx, actor, g, "accept_coordinator", "coordinator", k.ID)
	})
	return out, err
}

func (a *App) acceptCoordinator(tx *store.Tx, actor *samordna.Actor, g *caseGrant, k *store.Assignment) (*CoordinatorView, error) {
	now := a.now()
	me := actor.Employee
	switch {
	case k.HandoverTo == me.ID:
		if err := store.EndAssignment(tx, k.ID, now, "handed_over"); err != nil {
			return nil, err
		}
		nk := &store.Assignment{ID: samordna.NewID(), CaseID: g.Case.ID, EmployeeID: me.ID, Kind: k.Kind,
			Status: store.CoordinatorAccepted, AppointedBy: k.HandoverBy, AppointedAt: now, AcceptedAt: &now}
		if err := store.AppointCoordinator(tx, nk); err != nil {
			return nil, err
		}
		if err := a.caseEvent(tx, actor, g.Case.ID, "coordinator_handed_over", "coordinator", nk.ID); err != nil {
			return nil, err
		}
		if err := a.completeOwnTasks(tx, actor, g.Case, taskAcceptHandover); err != nil {
			return nil, err
		}
		return &CoordinatorView{EmployeeID: me.ID, Username: me.Username, Name: me.Name, Kind: k.Kind,
			Status: store.CoordinatorAccepted}, nil
	case k.EmployeeID == me.ID && k.Status == store.CoordinatorAppointed:
		if err := store.AcceptAssignment(tx, k.ID, now); err != nil {
			return nil, err
		}
		if err := a.caseEvent(tx, actor, g.Case.ID, "coordinator_accepted", "coordinator", k.ID); err != nil {
			return nil, err
		}
		if err := a.completeOwnTasks(tx, actor, g.Case, taskAcceptRole); err != nil {
			return nil, err
		}
		return &CoordinatorView{EmployeeID: me.ID, Username: me.Username, Name: me.Name, Kind: k.Kind,
			Status: store.CoordinatorAccepted}, nil
	}
	return nil, samordna.Errorf(samordna.KindConflict, "already_accepted", "there is nothing to accept")
}

// HandoverCoordinator offers the coordinator role to another employee, who
// must accept it (AcceptCoordinator); until then the current coordinator
// stays. Who may call: the current coordinator or the coordinating unit.
// Errors: not_found, coordinator_required (422, no coordinator),
// unknown_employee (422), same_coordinator (400).
func (a *App) HandoverCoordinator(ctx context.Context, actor *samordna.Actor, caseID, username string) (*store.Assignment, error) {
	var k *store.Assignment
	err := a.withCoordination(ctx, actor, caseID, "handover_coordinator", func(tx *store.Tx, g *caseGrant) error {
		var err error
		if k, err = a.RequireCoordinator(tx, g.Case.ID); err != nil {
			return err
		}
		to, err := eligibleEmployee(tx, g.Case.MunicipalityID, username, "unknown_employee")
		if err != nil {
			return err
		}
		if to.ID == k.EmployeeID {
			return samordna.Errorf(samordna.KindInvalid, "same_coordinator", "the employee is already the coordinator")
		}
		if err := store.RequestHandover(tx, k.ID, to.ID, actor.Employee.ID, a.now()); err != nil {
			return err
		}
		k.HandoverTo, k.HandoverUser, k.HandoverName = to.ID, to.Username, to.Name
		if err := a.caseEvent(tx, actor, g.Case.ID, "coordinator_handover_offered", "coordinator", k.ID); err != nil {
			return err
		}
		if err := a.addTask(tx, actor, g.Case, coordTask{Title: taskAcceptHandover, EmployeeID: to.ID,
			Due: a.now().AddDate(0, 0, 7)}); err != nil {
			return err
		}
		return a.auditCase(tx, actor, g, "handover_coordinator", "coordinator", k.ID)
	})
	return k, err
}

// CoordinatorCase is one case on the coordinator's own list.
type CoordinatorCase struct {
	CaseID      string
	CaseTitle   string
	SubjectName string
	Kind        string
	Status      string // appointed, accepted, or "handover_offered" for the recipient
	HasGroup    bool
	NextMeeting *time.Time
	MeetingID   string
}

// MyCoordinatorCases lists the cases where the actor is the coordinator or
// has been offered the role, with whether a group exists and its next
// meeting. One audit row. Who may call: any employee (it lists only their
// own assignments).
func (a *App) MyCoordinatorCases(ctx context.Context, actor *samordna.Actor) ([]CoordinatorCase, error) {
	var out []CoordinatorCase
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		ks, err := store.AssignmentsOfEmployee(tx, actor.Employee.ID)
		if err != nil {
			return err
		}
		ids := make([]string, len(ks))
		for i, k := range ks {
			ids[i] = k.CaseID
		}
		cases, err := store.CoordinatedCases(tx, ids, a.now(), a.now().AddDate(5, 0, 0))
		if err != nil {
			return err
		}
		for _, k := range ks {
			if c := cases[k.CaseID]; c != nil {
				out = append(out, coordinatorCase(actor, k, c))
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// The listing names no case; it is durable before the list leaves.
	if err := a.auditGrouped(ctx, actor, samordna.AuditEvent{ObjectType: "coordinator", Action: "list"}); err != nil {
		return nil, err
	}
	return out, nil
}

// coordinatorCase is one line of the coordinator's list.
func coordinatorCase(actor *samordna.Actor, k *store.Assignment, c *store.CoordinatedCase) CoordinatorCase {
	cc := CoordinatorCase{CaseID: c.CaseID, CaseTitle: c.Title, SubjectName: c.SubjectName, Kind: k.Kind,
		Status: k.Status, HasGroup: c.GroupID != "", NextMeeting: c.NextMeeting, MeetingID: c.MeetingID}
	if k.EmployeeID != actor.Employee.ID {
		cc.Status = "handover_offered"
	}
	return cc
}

// The titles of the tasks coordination creates, in the municipality's
// language (bokmål), as the routines word theirs.
const (
	taskContactPerson     = "Ta kontakt med bruker for en samtale når søknaden kommer"
	taskDecide            = "Fatte vedtak om koordinator og/eller individuell plan"
	taskAcceptRole        = "Godta oppnevningen som koordinator"
	taskAcceptHandover    = "Godta å overta som koordinator"
	taskAttendFirstPart   = "Delta på første del av første ansvarsgruppemøte"
	taskSendAgenda        = "Avtal saksliste med bruker og send innkalling (minst 14 dager før møtet)"
	taskAnnualEvaluation  = "Årlig evaluering av ansvarsgruppas arbeid og behovet for ansvarsgruppe"
	taskNoMeetingPlanned  = "Ingen ansvarsgruppemøte er planlagt innen seks måneder etter forrige møte: kall inn til møte"
	taskRaiseToLeaders    = "Løft saken videre tjenestevei til aktuelle ledere"
	taskCompositionReview = "Revurder ansvarsgruppas sammensetning før overgangen"
)

// coordTask is a task coordination asks the task engine for: assigned to
// one employee, or to a role of the municipality (EmployeeID empty).
type coordTask struct {
	Title      string
	EmployeeID string
	Role       samordna.Role
	Due        time.Time
}

// addTask creates a coordination task through the task engine's store
// (store.CreateTask): a task of no routine step, assigned to one employee
// or to a role, due at t.Due and overdue after it.
func (a *App) addTask(tx *store.Tx, actor *samordna.Actor, c *samordna.Case, t coordTask) error {
	return store.CreateTask(tx, a.coordTaskRow(c, t))
}

// coordTaskRow is the task row addTask creates for t.
func (a *App) coordTaskRow(c *samordna.Case, t coordTask) *store.Task {
	now := a.now()
	due := t.Due.UTC()
	task := &store.Task{ID: samordna.NewID(), CaseID: c.ID, MunicipalityID: c.MunicipalityID, Kind: store.TaskKindStep,
		Title: truncateRunes(t.Title, 200), Responsible: string(pathway.ResponsibleCoordinator), Status: store.TaskOpen,
		StartedAt: now, DueAt: &due, OverdueAfter: &due, CreatedAt: now}
	switch {
	case t.EmployeeID != "":
		task.AssigneeKind, task.EmployeeID = store.AssignEmployee, t.EmployeeID
	case t.Role == samordna.RoleCoordinatingUnit:
		task.AssigneeKind, task.Role = store.AssignRole, string(t.Role)
		task.Responsible = string(pathway.ResponsibleCoordinatingUnit)
	default:
		task.AssigneeKind, task.Role = store.AssignRole, string(t.Role)
	}
	return task
}

// routineStep tells the case's routine that something happened: it
// completes the actor's open tasks whose step offers the action (offer may
// be "") and starts the steps the event starts. It reports whether the
// routine has steps for the event with the responsible role, so that the
// caller creates its own task only where the routine has none.
func (a *App) routineStep(tx *store.Tx, actor *samordna.Actor, c *samordna.Case, offer pathway.Offer,
	ev pathway.Event, resp pathway.Responsible) (bool, error) {
	if offer != "" {
		if _, err := a.completeOffered(tx, actor, c, offer, "", assignHint{}); err != nil {
			return false, err
		}
	}
	if ev == "" {
		return false, nil
	}
	if _, err := a.routineEvent(tx, c, ev, assignHint{}); err != nil {
		return false, err
	}
	return a.routineHas(tx, c, ev, resp)
}

// completeOwnTasks completes the case's open coordination tasks (not of a
// routine step) with the title: the action they ask for has been done.
func (a *App) completeOwnTasks(tx *store.Tx, actor *samordna.Actor, c *samordna.Case, title string) error {
	tasks, err := store.TasksOfCase(tx, c.ID)
	if err != nil {
		return err
	}
	for _, t := range tasks {
		if t.Status == store.TaskOpen && t.RoutineID == "" && t.Title == truncateRunes(title, 200) {
			if err := store.CompleteTask(tx, t.ID, actor.Employee.ID, "", a.now()); err != nil {
				return err
			}
		}
	}
	return nil
}

// routineHas reports whether the case's routine has a step for the event
// with the responsible role.
func (a *App) routineHas(tx *store.Tx, c *samordna.Case, ev pathway.Event, resp pathway.Responsible) (bool, error) {
	r, err := a.caseRoutine(tx, c)
	if err != nil || r == nil {
		return false, err
	}
	for _, s := range r.StepsForEvent(ev) {
		if s.Responsible == resp {
			return true, nil
		}
	}
	return false, nil
}
