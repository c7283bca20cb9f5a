package app

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/access"
	"github.com/samordna/samordna/store"
)

// This file is children as next of kin (barn som pårørende). Seed 001
// (Sola): "Det skal være en naturlig og integrert oppgaver for
// hjelpetjenestene for voksne og barn, at barn blir fanget opp, ivaretatt og
// fulgt opp i det omfang og grad de har behov for, når deres nærmeste
// rammes av sykdom og problemer", and "Helsepersonelloven § 10a forplikter
// alt helsepersonell og alle helsetjenester til å ta ansvar for å ivareta
// barn og unges interesser som pårørende." When an adult service
// (store.AdultServiceKinds) follows an adult, Samordna asks whether the
// person has children under 18; a missing answer is a task for the case's
// responsible employee (AskAboutChildren, run by the sweep). Each child is
// recorded with their situation, the information and follow-up given and
// by whom, and either gets a linked case of their own (with consent, or
// through the duty to report) or a recorded reason why not.

// Limits of the texts about a child.
const (
	maxChildName = 200
	maxChildText = 2000
)

// NextOfKinTaskTitle is the title of the task that asks about children.
const NextOfKinTaskTitle = "Spør om personen har barn under 18 år (helsepersonelloven § 10a)"

// nextOfKinTaskDue is how long the responsible employee has to answer.
const nextOfKinTaskDue = 7 * 24 * time.Hour

// NextOfKinView is what a case shows about children as next of kin.
type NextOfKinView struct {
	// Asks: the case is an adult service's case about an adult, where
	// Samordna asks about children.
	Asks     bool
	Answer   *store.NextOfKinAnswer // nil: not answered yet
	Children []*store.ChildNextOfKin
	// ChildResponsible is the name of the barneansvarlig of the case's
	// service; "" when none is named.
	ChildResponsible string
	// CanWrite: the reader may answer and record children.
	CanWrite bool
}

// NewChildNextOfKin is the input of AddChildNextOfKin.
type NewChildNextOfKin struct {
	Name        string
	IDNumber    string // fødselsnummer or D-nummer; optional
	BirthDate   string // YYYY-MM-DD; derived from IDNumber when given
	Situation   string
	Information string
	FollowUp    string
	InformedBy  string // username of whoever gave the information; "" for the actor
}

// ChildFollowUp is the input of UpdateChildNextOfKin: the texts and what
// became of the child.
type ChildFollowUp struct {
	Situation, Information, FollowUp string
	InformedBy                       string // username; "" keeps the current one
	Outcome                          string // "", "case" or "no_case"
	LinkedCaseID                     string // the child's case (outcome "case")
	Basis                            string // "consent" or "report_duty" (outcome "case")
	NoCaseReason                     string // outcome "no_case"
}

// asksAboutChildren reports whether the case is one where Samordna asks
// about children: named, registered by an adult service, about an adult
// (or someone whose birth date is unknown).
func asksAboutChildren(tx *store.Tx, c *samordna.Case, now time.Time) (bool, *samordna.Service, error) {
	if c.Anonymous || c.SubjectPersonID == "" || c.RegisteredServiceID == "" {
		return false, nil, nil
	}
	s, err := store.ServiceByID(tx, c.RegisteredServiceID)
	if err != nil {
		return false, nil, err
	}
	if !slices.Contains(store.AdultServiceKinds, s.Kind) {
		return false, s, nil
	}
	p, err := store.PersonByID(tx, c.SubjectPersonID)
	if err != nil {
		return false, s, err
	}
	if p.BirthDate == "" {
		return true, s, nil
	}
	return p.BirthDate <= now.AddDate(-18, 0, 0).Format(time.DateOnly), s, nil
}

// NextOfKin returns the case's answer about children and the children.
// Who may call: a reader of the case; anyone else gets
// samordna.ErrNotFound. One audit row.
func (a *App) NextOfKin(ctx context.Context, actor *samordna.Actor, caseID string) (*NextOfKinView, error) {
	var v *NextOfKinView
	err := a.withCase(ctx, actor, caseID, access.Read, "read_next_of_kin", func(tx *store.Tx, g *caseGrant) error {
		var err error
		if v, err = a.nextOfKinView(tx, actor, g); err != nil {
			return err
		}
		return a.auditCase(tx, actor, g, "read_next_of_kin", "case", g.Case.ID)
	})
	return v, err
}

// nextOfKinView builds the view inside tx.
func (a *App) nextOfKinView(tx *store.Tx, actor *samordna.Actor, g *caseGrant) (*NextOfKinView, error) {
	v := &NextOfKinView{}
	asks, svc, err := asksAboutChildren(tx, g.Case, a.now())
	if err != nil {
		return nil, err
	}
	v.Asks = asks
	if v.Answer, err = store.NextOfKinAnswerOf(tx, g.Case.ID); err != nil {
		return nil, err
	}
	if v.Children, err = store.ChildrenOfCase(tx, g.Case.ID); err != nil {
		return nil, err
	}
	if svc != nil {
		id, err := store.ServiceChildResponsible(tx, svc.ID)
		if err != nil {
			return nil, err
		}
		if id != "" {
			e, err := store.EmployeeByID(tx, id)
			if err != nil {
				return nil, err
			}
			v.ChildResponsible = e.Name
		}
	}
	v.CanWrite = g.Case.Status == samordna.CaseOpen && access.Can(access.SubjectOf(actor.Employee), access.Write, g.Facts)
	return v, nil
}

// AnswerNextOfKin records whether the person the case is about has
// children under 18: answer "children" or "no_children". Who may call: an
// employee who may write to the case; anyone else gets
// samordna.ErrNotFound. Errors: invalid_answer (400); children_recorded
// (409) for "no_children" when children are recorded. The next-of-kin
// task closes once the answer is there and every child has an outcome.
// One audit row and a case event.
func (a *App) AnswerNextOfKin(ctx context.Context, actor *samordna.Actor, caseID, answer string) error {
	return a.withCase(ctx, actor, caseID, access.Write, "answer_next_of_kin", func(tx *store.Tx, g *caseGrant) error {
		if answer != store.NextOfKinChildren && answer != store.NextOfKinNoChildren {
			return samordna.Errorf(samordna.KindInvalid, "invalid_answer", "answer is children or no_children")
		}
		kids, err := store.ChildrenOfCase(tx, g.Case.ID)
		if err != nil {
			return err
		}
		if answer == store.NextOfKinNoChildren && len(kids) > 0 {
			return samordna.Errorf(samordna.KindConflict, "children_recorded",
				"children are recorded on this case; the answer is children")
		}
		if err := a.saveAnswer(tx, actor, g.Case, answer); err != nil {
			return err
		}
		if err := a.caseEvent(tx, actor, g.Case.ID, "next_of_kin_answered", "", ""); err != nil {
			return err
		}
		if err := a.closeNextOfKinTasks(tx, actor, g.Case.ID, kids); err != nil {
			return err
		}
		return a.auditCase(tx, actor, g, "answer_next_of_kin", "case", g.Case.ID)
	})
}

// saveAnswer stores the answer with the actor's service (the case's
// registering service when the actor is in it).
func (a *App) saveAnswer(tx *store.Tx, actor *samordna.Actor, c *samordna.Case, answer string) error {
	return store.SetNextOfKinAnswer(tx, &store.NextOfKinAnswer{CaseID: c.ID, MunicipalityID: c.MunicipalityID,
		ServiceID: c.RegisteredServiceID, Answer: answer, AnsweredBy: actor.Employee.ID, AnsweredAt: a.now()})
}

// closeNextOfKinTasks completes the case's open next-of-kin tasks when
// the question is answered and no child waits for an outcome.
func (a *App) closeNextOfKinTasks(tx *store.Tx, actor *samordna.Actor, caseID string, kids []*store.ChildNextOfKin) error {
	ans, err := store.NextOfKinAnswerOf(tx, caseID)
	if err != nil || ans == nil {
		return err
	}
	for _, k := range kids {
		if k.Outcome == store.ChildOutcomePending {
			return nil
		}
	}
	tasks, err := store.OpenNextOfKinTasks(tx, caseID)
	if err != nil {
		return err
	}
	for _, t := range tasks {
		if err := store.CompleteTask(tx, t.ID, actor.Employee.ID, ans.Answer, a.now()); err != nil {
			return err
		}
	}
	return nil
}

// AddChildNextOfKin records a child under 18 of the person the case is
// about; it also answers the question with "children". With a
// fødselsnummer the child is found or registered and related to the
// parent (parent_of). Who may call: an employee who may write to the case;
// anyone else gets samordna.ErrNotFound. Errors: name_required,
// name_too_long, text_too_long, invalid_id_number, invalid_date,
// not_a_minor (400); unknown_employee (400) for InformedBy. One audit row
// and a case event.
func (a *App) AddChildNextOfKin(ctx context.Context, actor *samordna.Actor, caseID string, in NewChildNextOfKin) (*store.ChildNextOfKin, error) {
	var out *store.ChildNextOfKin
	err := a.withCase(ctx, actor, caseID, access.Write, "add_child_next_of_kin", func(tx *store.Tx, g *caseGrant) error {
		if g.Case.Anonymous {
			return samordna.Errorf(samordna.KindRule, "anonymous_case", "an anonymous consultation has no person to ask about")
		}
		c := &store.ChildNextOfKin{CaseID: g.Case.ID, MunicipalityID: g.Case.MunicipalityID,
			ServiceID: g.Case.RegisteredServiceID, RecordedBy: actor.Employee.ID, RecordedAt: a.now(), UpdatedAt: a.now()}
		if err := a.childIdentity(tx, actor, g.Case, c, in); err != nil {
			return err
		}
		if err := a.childTexts(tx, actor, c, ChildFollowUp{Situation: in.Situation, Information: in.Information,
			FollowUp: in.FollowUp, InformedBy: in.InformedBy}); err != nil {
			return err
		}
		if err := store.CreateChildNextOfKin(tx, c); err != nil {
			return err
		}
		if err := a.saveAnswer(tx, actor, g.Case, store.NextOfKinChildren); err != nil {
			return err
		}
		if err := a.caseEvent(tx, actor, g.Case.ID, "child_next_of_kin_recorded", "child_next_of_kin", c.ID); err != nil {
			return err
		}
		out = c
		return a.auditCase(tx, actor, g, "add_child_next_of_kin", "child_next_of_kin", c.ID)
	})
	return out, err
}

// childIdentity fills the child's name, birth date and person.
func (a *App) childIdentity(tx *store.Tx, actor *samordna.Actor, parent *samordna.Case, c *store.ChildNextOfKin, in NewChildNextOfKin) error {
	var err error
	if c.Name, err = cleanText(in.Name, maxChildName, "name_too_long", "the name"); err != nil {
		return err
	}
	if c.BirthDate, err = cleanDate(in.BirthDate, "birth_date"); err != nil {
		return err
	}
	if strings.TrimSpace(in.IDNumber) != "" {
		p, err := a.findOrRegister(tx, actor, in.IDNumber, c.Name, a.AllowSynthetic)
		if err != nil {
			return err
		}
		c.PersonID, c.BirthDate = p.ID, p.BirthDate
		if c.Name == "" {
			c.Name = p.Name
		}
		if err := a.relateParent(tx, actor, parent.SubjectPersonID, p.ID); err != nil {
			return err
		}
	}
	if c.Name == "" {
		return samordna.Errorf(samordna.KindInvalid, "name_required", "give the child's name")
	}
	if c.BirthDate != "" && c.BirthDate <= a.now().AddDate(-18, 0, 0).Format(time.DateOnly) {
		return samordna.Errorf(samordna.KindInvalid, "not_a_minor", "only children under 18 are recorded here")
	}
	if c.BirthDate > a.now().Format(time.DateOnly) {
		return samordna.Errorf(samordna.KindInvalid, "invalid_date", "the birth date cannot be in the future")
	}
	return nil
}

// relateParent records parent_of between the case's person and the child
// unless it is already recorded.
func (a *App) relateParent(tx *store.Tx, actor *samordna.Actor, parentID, childID string) error {
	rels, err := store.RelationsOf(tx, parentID)
	if err != nil {
		return err
	}
	for _, r := range rels {
		if r.PersonID == parentID && r.RelatedID == childID {
			return nil
		}
	}
	_, err = a.relatePersons(tx, actor, parentID, samordna.RelationParentOf, childID)
	return err
}

// childTexts checks and sets the situation, information, follow-up and
// who informed.
func (a *App) childTexts(tx *store.Tx, actor *samordna.Actor, c *store.ChildNextOfKin, in ChildFollowUp) error {
	var err error
	for _, f := range []struct {
		dst *string
		src string
	}{{&c.Situation, in.Situation}, {&c.Information, in.Information}, {&c.FollowUp, in.FollowUp}} {
		if *f.dst, err = cleanText(f.src, maxChildText, "text_too_long", "a text"); err != nil {
			return err
		}
	}
	if u := strings.TrimSpace(in.InformedBy); u != "" {
		e, _, err := store.EmployeeByUsername(tx, u)
		if errors.Is(err, samordna.ErrNotFound) || (err == nil && e.MunicipalityID != actor.Employee.MunicipalityID) {
			return samordna.Errorf(samordna.KindInvalid, "unknown_employee", "informed_by names no employee")
		}
		if err != nil {
			return err
		}
		c.InformedBy = e.ID
	} else if c.InformedBy == "" && (c.Information != "" || c.FollowUp != "") {
		c.InformedBy = actor.Employee.ID
	}
	return nil
}

// UpdateChildNextOfKin changes what is recorded about a child and what
// became of them: a linked case of their own (outcome "case", with the
// basis "consent" or "report_duty"; the actor must be able to write to that
// case too, and the two cases are linked as one family) or no case
// (outcome "no_case", with the reason). Who may call: an employee who may
// write to the parent's case; anyone else gets samordna.ErrNotFound.
// Errors: invalid_outcome, invalid_basis, reason_required, case_required,
// same_case, text_too_long (400); not_found for a child's case the actor
// may not write to. One audit row and a case event; the next-of-kin task
// closes when every child has an outcome.
func (a *App) UpdateChildNextOfKin(ctx context.Context, actor *samordna.Actor, childID string, in ChildFollowUp) (*store.ChildNextOfKin, error) {
	var caseID string
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		c, err := store.ChildNextOfKinByID(tx, childID)
		if err == nil {
			caseID = c.CaseID
		}
		return err
	})
	if errors.Is(err, samordna.ErrNotFound) {
		return nil, a.refuse(ctx, actor, "child_next_of_kin", "update_child_next_of_kin")
	}
	if err != nil {
		return nil, err
	}
	if in.Outcome == store.ChildOutcomeCase && strings.TrimSpace(in.LinkedCaseID) != "" && in.LinkedCaseID != caseID {
		// The child's case must be one the actor may write to; a refusal
		// is audited and answered as missing.
		err := a.withCase(ctx, actor, strings.TrimSpace(in.LinkedCaseID), access.Write, "link_child_case",
			func(*store.Tx, *caseGrant) error { return nil })
		if err != nil {
			return nil, err
		}
	}
	var out *store.ChildNextOfKin
	err = a.withCase(ctx, actor, caseID, access.Write, "update_child_next_of_kin", func(tx *store.Tx, g *caseGrant) error {
		c, err := store.ChildNextOfKinByID(tx, childID)
		if err != nil {
			return err
		}
		if err := a.childTexts(tx, actor, c, in); err != nil {
			return err
		}
		if err := a.childOutcome(tx, actor, g, c, in); err != nil {
			return err
		}
		c.UpdatedAt = a.now()
		if err := store.UpdateChildNextOfKin(tx, c); err != nil {
			return err
		}
		kids, err := store.ChildrenOfCase(tx, g.Case.ID)
		if err != nil {
			return err
		}
		if err := a.closeNextOfKinTasks(tx, actor, g.Case.ID, kids); err != nil {
			return err
		}
		if err := a.caseEvent(tx, actor, g.Case.ID, "child_next_of_kin_updated", "child_next_of_kin", c.ID); err != nil {
			return err
		}
		if out, err = store.ChildNextOfKinByID(tx, c.ID); err != nil {
			return err
		}
		return a.auditCase(tx, actor, g, "update_child_next_of_kin", "child_next_of_kin", c.ID)
	})
	return out, err
}

// childOutcome checks and sets what became of the child; a linked case is
// linked to the parent's as one family.
func (a *App) childOutcome(tx *store.Tx, actor *samordna.Actor, g *caseGrant, c *store.ChildNextOfKin, in ChildFollowUp) error {
	reason, err := cleanText(in.NoCaseReason, maxChildText, "text_too_long", "the reason")
	if err != nil {
		return err
	}
	switch in.Outcome {
	case store.ChildOutcomePending:
		c.Outcome, c.LinkedCaseID, c.Basis, c.NoCaseReason = "", "", "", ""
		return nil
	case store.ChildOutcomeNoCase:
		if reason == "" {
			return samordna.Errorf(samordna.KindInvalid, "reason_required", "say why the child gets no case of their own")
		}
		c.Outcome, c.LinkedCaseID, c.Basis, c.NoCaseReason = store.ChildOutcomeNoCase, "", "", reason
		return nil
	case store.ChildOutcomeCase:
	default:
		return samordna.Errorf(samordna.KindInvalid, "invalid_outcome", "outcome is case, no_case or empty")
	}
	if in.Basis != "consent" && in.Basis != "report_duty" {
		return samordna.Errorf(samordna.KindInvalid, "invalid_basis",
			"basis is consent (the family agreed) or report_duty (the duty to report to child welfare)")
	}
	id := strings.TrimSpace(in.LinkedCaseID)
	if id == "" {
		return samordna.Errorf(samordna.KindInvalid, "case_required", "name the child's case (register a concern about the child first)")
	}
	if id == g.Case.ID {
		return samordna.Errorf(samordna.KindInvalid, "same_case", "the child's case cannot be the parent's case")
	}
	_, ok, err := a.authorizeCase(tx, actor, id, access.Write)
	if err != nil {
		return err
	}
	if !ok {
		return samordna.ErrNotFound // checked (and audited) before the transaction; this is a race
	}
	links, err := store.LinkedCases(tx, g.Case.ID)
	if err != nil {
		return err
	}
	linked := false
	for _, l := range links {
		linked = linked || l.CaseID == id
	}
	if !linked {
		if err := store.LinkCases(tx, g.Case.ID, id, samordna.LinkFamily, actor.Employee.ID, a.now()); err != nil {
			return err
		}
		if err := a.caseEvent(tx, actor, id, "case_linked", "", ""); err != nil {
			return err
		}
	}
	c.Outcome, c.LinkedCaseID, c.Basis, c.NoCaseReason = store.ChildOutcomeCase, id, in.Basis, ""
	return nil
}

// AskAboutChildren gives the responsible employee of each open adult
// service case without an answer about children a task to ask (the
// current coordinator, else whoever registered the case), due in a week,
// and a notification. It walks every open case, window by window. Who may
// call: tests; the sweep asks one window at a time
// (askAboutChildrenWindow). It returns how many tasks it started.
func (a *App) AskAboutChildren(ctx context.Context, now time.Time) (int, error) {
	started := 0
	var at store.CaseKey
	for {
		n, next, err := a.askAboutChildrenIn(ctx, now, at)
		started += n
		if err != nil || next.ID == "" {
			return started, err
		}
		at = next
	}
}

// childrenWindow is how many open cases one sweep looks at for unasked
// adult cases. The sweep runs every minute, so a database of 300,000 open
// cases is walked in an hour (the task it starts is due in a week); one
// municipality's cases fit in one window.
const childrenWindow = 5000

// askAboutChildrenWindow asks about children in the next window of open
// cases after where the previous sweep stopped (in memory: a restarted
// server starts from the beginning, which only repeats the look).
func (a *App) askAboutChildrenWindow(ctx context.Context, now time.Time) (int, error) {
	a.childrenWalk.Lock()
	defer a.childrenWalk.Unlock()
	n, next, err := a.askAboutChildrenIn(ctx, now, a.childrenWalk.at)
	if err == nil {
		a.childrenWalk.at = next
	}
	return n, err
}

// askAboutChildrenIn starts the tasks for the unasked cases in the window
// after at and returns where the next window starts.
func (a *App) askAboutChildrenIn(ctx context.Context, now time.Time, at store.CaseKey) (int, store.CaseKey, error) {
	var ids []string
	var next store.CaseKey
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		var err error
		ids, next, err = store.UnaskedAdultCaseIDs(tx, now, at, childrenWindow)
		return err
	})
	if err != nil {
		return 0, at, err
	}
	started := 0
	for _, id := range ids {
		ok, err := a.askAboutChildren(ctx, id, now)
		if err != nil {
			return started, at, err
		}
		if ok {
			started++
		}
	}
	return started, next, nil
}

// askAboutChildren starts the task for one case in its own transaction,
// checking again inside it so that two servers start it once.
func (a *App) askAboutChildren(ctx context.Context, caseID string, now time.Time) (bool, error) {
	started := false
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		ans, err := store.NextOfKinAnswerOf(tx, caseID)
		if err != nil || ans != nil {
			return err
		}
		open, err := store.OpenNextOfKinTasks(tx, caseID)
		if err != nil || len(open) > 0 {
			return err
		}
		c, err := store.CaseByID(tx, caseID)
		if err != nil {
			return err
		}
		who := c.RegisteredBy
		k, err := store.CurrentCoordinator(tx, caseID)
		if err != nil {
			return err
		}
		if k != nil {
			who = k.EmployeeID
		}
		due, overdue := now.Add(nextOfKinTaskDue), now.Add(nextOfKinTaskDue)
		t := &store.Task{CaseID: c.ID, MunicipalityID: c.MunicipalityID, Kind: store.TaskKindChildren,
			Title: NextOfKinTaskTitle, Responsible: "case_responsible", AssigneeKind: store.AssignEmployee,
			EmployeeID: who, Status: store.TaskOpen, StartedAt: now, DueAt: &due, OverdueAfter: &overdue,
			CreatedAt: now, DeadlineSource: store.DeadlineRoutine}
		if err := store.CreateTask(tx, t); err != nil {
			return err
		}
		if err := a.notify(tx, []string{who}, NoticeNextOfKinQuestion, c.ID, t.ID, ""); err != nil {
			return err
		}
		started = true
		return a.audit(tx, sweepActor, samordna.AuditEvent{CaseID: c.ID, ObjectType: "task", ObjectID: t.ID,
			Action: "ask_about_children"})
	})
	return started, err
}

// SetChildResponsible names the service's barneansvarlig (username "" to
// remove). Who may call: the administrator, the command line and the demo
// seeder; anyone else gets samordna.ErrNotFound. Errors: unknown_employee
// (400). One audit row.
func (a *App) SetChildResponsible(ctx context.Context, actor *samordna.Actor, serviceID, username string) error {
	if !isAdminOrCLI(actor) {
		return a.refuse(ctx, actor, "service", "set_child_responsible")
	}
	return a.DB.Write(ctx, func(tx *store.Tx) error {
		s, err := a.ownService(tx, actor, serviceID)
		if err != nil {
			return err
		}
		id := ""
		if u := strings.TrimSpace(username); u != "" {
			e, _, err := store.EmployeeByUsername(tx, u)
			if errors.Is(err, samordna.ErrNotFound) || (err == nil && e.MunicipalityID != s.MunicipalityID) {
				return samordna.Errorf(samordna.KindInvalid, "unknown_employee", "no such employee")
			}
			if err != nil {
				return err
			}
			id = e.ID
		}
		by := ""
		if actor != nil && actor.Employee != nil {
			by = actor.Employee.ID
		}
		if err := store.SetServiceChildResponsible(tx, s.ID, id, by, a.now()); err != nil {
			return err
		}
		return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "service", ObjectID: s.ID, Action: "set_child_responsible"})
	})
}

// SetChildResponsibleEmployee names the service's barneansvarlig by
// employee id (employeeID "" removes it), as the administrator's service
// form does: the barneansvarlig must work in the service (a member or a
// leader of it), since seed 001 asks each service to name one of its own.
// Who may call: the administrator and the command line; anyone else gets
// samordna.ErrNotFound. Errors: not_in_service (400). One audit row.
func (a *App) SetChildResponsibleEmployee(ctx context.Context, actor *samordna.Actor, serviceID, employeeID string) error {
	if !isAdminOrCLI(actor) {
		return a.refuse(ctx, actor, "service", "set_child_responsible")
	}
	return a.DB.Write(ctx, func(tx *store.Tx) error {
		s, err := a.ownService(tx, actor, serviceID)
		if err != nil {
			return err
		}
		if employeeID != "" {
			ok, err := worksInService(tx, s, employeeID)
			if err != nil {
				return err
			}
			if !ok {
				return samordna.Errorf(samordna.KindInvalid, "not_in_service", "the barneansvarlig must work in the service")
			}
		}
		by := ""
		if actor != nil && actor.Employee != nil {
			by = actor.Employee.ID
		}
		if err := store.SetServiceChildResponsible(tx, s.ID, employeeID, by, a.now()); err != nil {
			return err
		}
		return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "service", ObjectID: s.ID, Action: "set_child_responsible"})
	})
}

// worksInService reports whether the employee is a member or a leader of
// the service.
func worksInService(tx *store.Tx, s *samordna.Service, employeeID string) (bool, error) {
	if slices.Contains(s.LeaderIDs, employeeID) {
		return true, nil
	}
	e, err := store.EmployeeByID(tx, employeeID)
	if errors.Is(err, samordna.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	for _, x := range e.Services {
		if x.ID == s.ID {
			return true, nil
		}
	}
	return false, nil
}

// ChildResponsible returns the barneansvarlig of a service (nil for none).
// Who may call: any signed-in employee of the municipality (the name is
// the municipality's staff, not personal data of a client).
func (a *App) ChildResponsible(ctx context.Context, actor *samordna.Actor, serviceID string) (*samordna.Employee, error) {
	var out *samordna.Employee
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		if _, err := a.ownService(tx, actor, serviceID); err != nil {
			return err
		}
		id, err := store.ServiceChildResponsible(tx, serviceID)
		if err != nil || id == "" {
			return err
		}
		out, err = store.EmployeeByID(tx, id)
		return err
	})
	return out, err
}
