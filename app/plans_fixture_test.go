package app_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/store"
)

// planClock is a clock the plan tests move by hand.
type planClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *planClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *planClock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}

// planStart is the plan tests' "now" at the start: Monday 2 March 2026,
// 09:30 in Oslo.
var planStart = time.Date(2026, 3, 2, 8, 30, 0, 0, time.UTC)

// planWorld is a municipality with a child's case: registered by a teacher,
// with a coordinator, a nurse and a PPT adviser who may become members of
// the responsibility group, and an employee with no relation to the case.
type planWorld struct {
	t        *testing.T
	db       *store.DB
	a        *app.App
	clock    *planClock
	muni     string
	coord    *samordna.Employee // the case's coordinator (once appointed)
	teacher  *samordna.Employee // registered the case
	nurse    *samordna.Employee
	adviser  *samordna.Employee
	outsider *samordna.Employee
	unit     *samordna.Employee // caseworker in the coordinating unit
	child    *samordna.Person
	mother   *samordna.Person
	caseID   string
}

func newPlanWorld(t *testing.T, db *store.DB) *planWorld {
	t.Helper()
	w := &planWorld{t: t, db: db, clock: &planClock{now: planStart}}
	w.a = app.New(db, w.clock, nil)
	w.write(func(tx *store.Tx) error {
		m := &samordna.Municipality{ID: samordna.NewID(), Name: "Planvik", Number: "9997"}
		if err := store.CreateMunicipality(tx, m, planStart); err != nil {
			return err
		}
		w.muni = m.ID
		w.coord = w.employee(tx, "kari.koord", "Kari Koordinator")
		w.teacher = w.employee(tx, "ola.laerer", "Ola Lærer")
		w.nurse = w.employee(tx, "ingrid.hs", "Ingrid Helsesykepleier")
		w.adviser = w.employee(tx, "anne.ppt", "Anne Rådgiver")
		w.outsider = w.employee(tx, "per.annen", "Per Annen")
		w.unit = w.employee(tx, "kari.ke", "Kari Enhet", samordna.RoleCoordinatingUnit)
		w.child = w.person(tx, "Emma Hansen", time.Date(2016, 2, 20, 0, 0, 0, 0, time.UTC), 1)
		w.mother = w.person(tx, "Kristin Hansen", time.Date(1988, 4, 12, 0, 0, 0, 0, time.UTC), 2)
		if err := store.CreateRelation(tx, &samordna.Relation{PersonID: w.mother.ID, Kind: samordna.RelationGuardianOf,
			RelatedID: w.child.ID}, planStart); err != nil {
			return err
		}
		w.caseID = w.newCase(tx, w.child.ID)
		return nil
	})
	return w
}

func (w *planWorld) write(fn func(tx *store.Tx) error) {
	w.t.Helper()
	if err := w.db.Write(context.Background(), fn); err != nil {
		w.t.Fatal(err)
	}
}

func (w *planWorld) employee(tx *store.Tx, username, name string, roles ...samordna.Role) *samordna.Employee {
	w.t.Helper()
	e := &samordna.Employee{ID: samordna.NewID(), MunicipalityID: w.muni, Username: username, Name: name,
		Roles: append([]samordna.Role{samordna.RoleEmployee}, roles...)}
	if err := store.CreateEmployee(tx, e, "", planStart); err != nil {
		w.t.Fatal(err)
	}
	return e
}

func (w *planWorld) person(tx *store.Tx, name string, birth time.Time, seq int) *samordna.Person {
	w.t.Helper()
	p := &samordna.Person{MunicipalityID: w.muni, IDNumber: samordna.SyntheticIDNumber(birth, seq),
		IDKind: samordna.IDKindFNR, Name: name, BirthDate: birth.Format(time.DateOnly), Synthetic: true}
	if err := store.CreatePerson(tx, p, planStart); err != nil {
		w.t.Fatal(err)
	}
	return p
}

// newCase registers a case about the person, by the teacher.
func (w *planWorld) newCase(tx *store.Tx, personID string) string {
	w.t.Helper()
	c := &samordna.Case{ID: samordna.NewID(), MunicipalityID: w.muni, SubjectPersonID: personID,
		Origin: samordna.OriginConcern, Status: samordna.CaseOpen, Title: "Sak", RegisteredBy: w.teacher.ID,
		CreatedAt: w.clock.Now()}
	if err := store.CreateCase(tx, c); err != nil {
		w.t.Fatal(err)
	}
	return c.ID
}

// planActor is the audit actor for an employee.
func planActor(e *samordna.Employee) *samordna.Actor {
	return &samordna.Actor{Employee: e, RequestID: "test"}
}

// appoint makes kari.koord the case's coordinator, as the coordinating
// unit's granted application decided, with an individual plan granted now.
func (w *planWorld) appoint(caseID string) {
	w.t.Helper()
	w.decide(caseID, "now")
	w.write(func(tx *store.Tx) error {
		now := w.clock.Now()
		return store.AppointCoordinator(tx, &store.Assignment{ID: samordna.NewID(), CaseID: caseID,
			EmployeeID: w.coord.ID, Kind: store.KindChildCoordinator, Status: store.CoordinatorAccepted,
			AppointedBy: w.teacher.ID, AppointedAt: now, AcceptedAt: &now})
	})
}

// decide stores a granted application on the case with the decision on
// the individual plan (now, later or no), as the coordinating unit made it.
func (w *planWorld) decide(caseID, planWhen string) {
	w.t.Helper()
	a := w.apply(caseID)
	w.write(func(tx *store.Tx) error {
		now := w.clock.Now()
		a.WantsPlan = planWhen != "no"
		a.Status, a.DecidedBy, a.DecidedAt, a.PlanDecision = store.ApplicationGranted, w.unit.ID, &now, planWhen
		a.DecidedCoordinatorID, a.CoordinatorKind = w.coord.ID, store.KindChildCoordinator
		a.ChildCoordinatorGround = "disability"
		return store.DecideApplication(tx, a)
	})
}

// apply stores a submitted application for a coordinator and an individual
// plan on the case (the coordinating unit may then see it).
func (w *planWorld) apply(caseID string) *store.Application {
	w.t.Helper()
	a := &store.Application{ID: samordna.NewID(), CaseID: caseID, MunicipalityID: w.muni,
		Status: store.ApplicationSubmitted, WantsCoordinator: true, WantsPlan: true,
		SubmittedBy: w.teacher.ID, SubmittedAt: w.clock.Now()}
	w.write(func(tx *store.Tx) error { return store.CreateApplication(tx, a) })
	return a
}

// consent records a consent with the purposes, given by the mother.
func (w *planWorld) consent(caseID string, purposes ...samordna.ConsentPurpose) *samordna.Consent {
	w.t.Helper()
	c, err := w.a.RecordConsent(context.Background(), planActor(w.teacher), caseID,
		app.NewConsent{GivenBy: "Kristin Hansen", GivenByRelation: "guardian", Purposes: purposes})
	if err != nil {
		w.t.Fatal(err)
	}
	return c
}

// group sets up the case's responsibility group, started now, with the
// employees as members; it returns the group's id.
func (w *planWorld) group(caseID string, members ...*samordna.Employee) string {
	w.t.Helper()
	id := samordna.NewID()
	w.write(func(tx *store.Tx) error {
		now := w.clock.Now()
		if err := store.CreateGroup(tx, &store.Group{ID: id, CaseID: caseID, CreatedBy: w.coord.ID, CreatedAt: now}); err != nil {
			return err
		}
		for _, e := range members {
			if err := store.AddMember(tx, &store.Member{ID: samordna.NewID(), GroupID: id, EmployeeID: e.ID,
				Name: e.Name, Relation: "employee", AddedAt: now}); err != nil {
				return err
			}
		}
		return nil
	})
	return id
}

// readyForIndividualPlan appoints the coordinator and records consent for
// an individual plan.
func (w *planWorld) readyForIndividualPlan() {
	w.t.Helper()
	w.appoint(w.caseID)
	w.consent(w.caseID, samordna.PurposeIndividualPlan, samordna.PurposeShareWithMembers)
}

// ip is an individual plan's input with one long- and one short-term goal
// and two measures, for the nurse and the adviser.
func ipInput() app.PlanInput {
	zero, one := 0, 1
	return app.PlanInput{Kind: app.PlanIndividual,
		WhatMatters: "Å ha venner på skolen og få være med på fotball",
		Resources:   "Glad i å tegne; god støtte fra mormor",
		Goals: []app.GoalInput{{Text: "Trives på skolen", Term: "long"},
			{Text: "Være med på fotballtreningen hver uke", Term: "short"}},
		Measures: []app.MeasureInput{
			{Text: "Samtale med Emma hver fjortende dag", Responsible: "ingrid.hs", Due: "2026-04-15", GoalIndex: &zero},
			{Text: "Kartlegge behov for tilrettelegging", Responsible: "anne.ppt", Due: "2026-03-20", GoalIndex: &one},
		},
		Services:        []string{"Helsestasjonen", "PPT"},
		EvaluationDates: []string{"2026-06-15"},
		References:      []store.PlanReference{{Title: "Individuell opplæringsplan", Holder: "Nordby skole"}},
	}
}

// wantPlanErr fails the test unless err has the code and kind.
func wantPlanErr(t *testing.T, err error, kind samordna.Kind, code string) {
	t.Helper()
	if samordna.ErrorCode(err) != code || samordna.ErrorKind(err) != kind {
		t.Fatalf("err = %v (kind %d), want %s (kind %d)", err, samordna.ErrorKind(err), code, kind)
	}
}

// taskOf returns the task, read directly.
func (w *planWorld) task(id string) *store.Task {
	w.t.Helper()
	var t *store.Task
	w.write(func(tx *store.Tx) error {
		var err error
		t, err = store.TaskByID(tx, id)
		return err
	})
	return t
}

// myTasks lists the employee's own open tasks through the task engine.
func (w *planWorld) myTasks(e *samordna.Employee) []*app.TaskView {
	w.t.Helper()
	l, err := w.a.ListTasks(context.Background(), planActor(e), app.TaskQuery{AssignedToMe: true, Status: store.TaskOpen})
	if err != nil {
		w.t.Fatal(err)
	}
	return l.Tasks
}

// audits counts the audit rows of the action and outcome on the case.
func (w *planWorld) audits(action, outcome string) int {
	w.t.Helper()
	var n int
	w.write(func(tx *store.Tx) error {
		return tx.QueryRow(`SELECT COUNT(*) FROM audit_events WHERE action = $1 AND outcome = $2`, action, outcome).Scan(&n)
	})
	return n
}
