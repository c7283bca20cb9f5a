package app

import (
	"context"
	"fmt"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/access"
	"github.com/samordna/samordna/store"
)

// CaseView is a case as its reader sees it.
type CaseView struct {
	Case              *samordna.Case
	Subject           *samordna.Person // nil when anonymous
	RegisteredBy      CaseEmployeeRef  // the employee who registered the case
	RegisteredService string           // the name of the registering service, "" when none
	Coordinator       *CoordinatorView // nil when none is appointed
	Tasks             []CaseTask       // see caseTasks
	Consents          []*samordna.Consent
	Events            []samordna.CaseEvent
	Links             []store.CaseLink           // only links to cases the reader may also read
	Blocks            []*store.Block             // only when the reader may block (CanBlock)
	Forms             []*store.ConsentForm       // without data; only when CanManageConsent
	Teams             []*samordna.Team           // the municipality's teams a consent can name; only when CanManageConsent
	People            map[string]CaseEmployeeRef // employee id → who, for the timeline
	Reason            access.Reason              // why the reader may see it
	TargetGroups      []string                   // the case's target groups (seed 002 §2.3), catalog order
	// What the reader may do here (the pages show or hide actions by it).
	CanManageConsent, CanBlock, CanViewAccessLog, CanDecide, CanWrite bool
	// CanClose: the reader may close the open case; CanReopen: the reader
	// may reopen the closed case (caseclose.go).
	CanClose, CanReopen bool
}

// CaseEmployeeRef names an employee for display.
type CaseEmployeeRef struct {
	ID       string
	Username string
	Name     string
}

// CaseTask is one task of a case as the case view shows it.
type CaseTask struct {
	ID          string
	Title       string
	DueAt       *time.Time
	Status      string
	Responsible string // username
}

// CoordinatorView is the case's current coordinator.
type CoordinatorView struct {
	EmployeeID string
	Username   string
	Name       string
	Kind       string // "coordinator" or "child_coordinator"
	Status     string // "appointed" (waiting to accept) or "accepted"
}

// GetCase returns the case for a reader with a relation to it. Anyone else
// gets samordna.ErrNotFound, exactly as for a case that does not exist; both
// outcomes are audited.
func (a *App) GetCase(ctx context.Context, actor *samordna.Actor, caseID string) (*CaseView, error) {
	var v *CaseView
	err := a.readCase(ctx, actor, caseID, access.Read, "read", func(tx *store.Tx, g *caseGrant) (samordna.AuditEvent, error) {
		var err error
		v, err = a.caseView(tx, actor, g)
		return caseEvent(g, "read", "case", g.Case.ID), err
	})
	return v, err
}

func (a *App) caseView(tx *store.Tx, actor *samordna.Actor, g *caseGrant) (*CaseView, error) {
	s := access.SubjectOf(actor.Employee)
	v := &CaseView{Case: g.Case, Reason: g.Reason, People: map[string]CaseEmployeeRef{},
		CanManageConsent: access.Can(s, access.ManageConsent, g.Facts),
		CanBlock:         access.Can(s, access.Block, g.Facts),
		CanViewAccessLog: access.Can(s, access.ViewAccessLog, g.Facts),
		CanDecide:        access.Can(s, access.Decide, g.Facts),
		CanWrite:         access.Can(s, access.Write, g.Facts),
		CanClose:         g.Case.Status == samordna.CaseOpen && access.Can(s, access.Close, g.Facts),
		CanReopen:        g.Case.Status == samordna.CaseClosed && access.Can(s, access.Reopen, g.Facts)}
	var err error
	if g.Case.SubjectPersonID != "" {
		if v.Subject, err = store.PersonByID(tx, g.Case.SubjectPersonID); err != nil {
			return nil, err
		}
	}
	if g.Case.RegisteredServiceID != "" {
		svc, err := store.ServiceByID(tx, g.Case.RegisteredServiceID)
		if err != nil {
			return nil, err
		}
		v.RegisteredService = svc.Name
	}
	if v.Coordinator, err = currentCoordinator(tx, g.Case.ID); err != nil {
		return nil, err
	}
	if v.TargetGroups, err = caseTargetGroups(tx, g.Case.ID); err != nil {
		return nil, err
	}
	if v.Tasks, err = caseTasks(tx, g.Case.ID); err != nil {
		return nil, err
	}
	if v.Consents, err = caseConsents(tx, g.Case.ID, a.now()); err != nil {
		return nil, err
	}
	if v.Events, err = store.CaseEvents(tx, g.Case.ID); err != nil {
		return nil, err
	}
	people := []string{g.Case.RegisteredBy}
	for _, ev := range v.Events {
		people = append(people, ev.ActorID)
	}
	if err := v.addPeople(tx, people); err != nil {
		return nil, err
	}
	v.RegisteredBy = v.People[g.Case.RegisteredBy]
	if v.Links, err = a.readableLinks(tx, s, g.Case.ID); err != nil {
		return nil, err
	}
	if v.CanBlock {
		if v.Blocks, err = store.BlocksOfCase(tx, g.Case.ID); err != nil {
			return nil, err
		}
	}
	if v.CanManageConsent {
		if v.Forms, err = store.ConsentFormsOfCase(tx, g.Case.ID); err != nil {
			return nil, err
		}
		if v.Teams, err = store.TeamsOfMunicipality(tx, g.Case.MunicipalityID); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// addPeople remembers in v.People who the employees with the ids are (the
// registrant and everyone in the timeline), read in one statement; unknown
// and empty ids are left out, so they read as an empty CaseEmployeeRef.
func (v *CaseView) addPeople(tx *store.Tx, ids []string) error {
	var wanted []string
	seen := map[string]bool{"": true}
	for _, id := range ids {
		if _, known := v.People[id]; !known && !seen[id] {
			seen[id] = true
			wanted = append(wanted, id)
		}
	}
	emps, err := store.EmployeesByIDs(tx, wanted)
	if err != nil {
		return err
	}
	for id, e := range emps {
		v.People[id] = CaseEmployeeRef{ID: e.ID, Username: e.Username, Name: e.Name}
	}
	return nil
}

// readableLinks returns the case's links to cases the subject may read as
// well; links to any other case are left out, as if they did not exist.
func (a *App) readableLinks(tx *store.Tx, s access.Subject, caseID string) ([]store.CaseLink, error) {
	links, err := store.LinkedCases(tx, caseID)
	if err != nil {
		return nil, err
	}
	var out []store.CaseLink
	for _, l := range links {
		f, ok, err := store.CaseFacts(tx, l.CaseID, s, a.now())
		if err != nil {
			return nil, err
		}
		if ok && access.Can(s, access.Read, f) {
			out = append(out, l)
		}
	}
	return out, nil
}

// caseTasks returns the tasks of a case for the case view and GET
// /api/v1/cases/{id}: open ones first by due date, then the done ones (see
// tasks.go; Responsible is the routine's role for the step, e.g.
// "discoverer" or "child_welfare").
func caseTasks(tx *store.Tx, caseID string) ([]CaseTask, error) {
	return caseTaskRows(tx, caseID)
}

// currentCoordinator returns the case's coordinator, or nil.
func currentCoordinator(tx *store.Tx, caseID string) (*CoordinatorView, error) {
	k, err := store.CurrentCoordinator(tx, caseID)
	if err != nil || k == nil {
		return nil, err
	}
	return &CoordinatorView{EmployeeID: k.EmployeeID, Username: k.Username, Name: k.Name, Kind: k.Kind, Status: k.Status}, nil
}

// CaseList is one page of the cases a reader may see.
type CaseList struct {
	Items []CaseSummary
	Next  string // cursor for the next page, "" at the end
}

// CaseSummary is a case in a list: the case and its subject (nil when
// anonymous). Lists never carry the fødselsnummer to the client; the API
// and the pages leave it out.
type CaseSummary struct {
	Case    *samordna.Case
	Subject *samordna.Person
}

// ListCases returns the cases the actor may read, most recently changed
// first, limit at a time (at most 100) after cursor. The list is filtered
// in SQL by the same policy as GetCase. The listing itself is audited (one
// row, no case ids). Any signed-in employee may call it; the administrator
// always gets an empty list. Errors: bad_cursor (400).
func (a *App) ListCases(ctx context.Context, actor *samordna.Actor, cursor string, limit int) (*CaseList, error) {
	if actor == nil || actor.Employee == nil {
		return nil, samordna.ErrNotFound
	}
	var out *CaseList
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		page, err := store.ListReadableCases(tx, access.SubjectOf(actor.Employee), a.now(), cursor, limit)
		if err != nil {
			return err
		}
		out = &CaseList{Next: page.Next, Items: []CaseSummary{}}
		var ids []string
		for _, c := range page.Cases {
			if c.SubjectPersonID != "" {
				ids = append(ids, c.SubjectPersonID)
			}
		}
		subjects, err := store.PersonsByIDs(tx, ids)
		if err != nil {
			return err
		}
		for _, c := range page.Cases {
			item := CaseSummary{Case: c}
			if c.SubjectPersonID != "" {
				if item.Subject = subjects[c.SubjectPersonID]; item.Subject == nil {
					return fmt.Errorf("case %s: subject %s: %w", c.ID, c.SubjectPersonID, samordna.ErrNotFound)
				}
			}
			out.Items = append(out.Items, item)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// The listing's audit row (it names no case) is appended after the
	// read, with group commit; the list leaves only once it is durable.
	if err := a.auditGrouped(ctx, actor, samordna.AuditEvent{ObjectType: "case", Action: "list"}); err != nil {
		return nil, err
	}
	return out, nil
}
