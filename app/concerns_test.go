package app_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// routineClock is a clock the routine tests set and move by hand.
type routineClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *routineClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *routineClock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t.UTC()
	c.mu.Unlock()
}

func (c *routineClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// oslo is where the routines' deadlines live.
var oslo = pathway.Oslo()

// world is a small municipality for the routine tests: a school with its
// leader, the health station, child welfare with its leader, the mental
// health and substance service, the coordinating unit, a resource group and
// a TST, and the administrator.
type world struct {
	t      *testing.T
	db     *store.DB
	app    *app.App
	clock  *routineClock
	actors map[string]*samordna.Actor
	teams  map[string]*samordna.Team
}

// The synthetic persons the tests use.
var (
	childFNR  = samordna.SyntheticIDNumber(time.Date(2018, 5, 4, 0, 0, 0, 0, time.UTC), 3)
	motherFNR = samordna.SyntheticIDNumber(time.Date(1994, 8, 12, 0, 0, 0, 0, time.UTC), 5)
	adultDNR  = samordna.SyntheticDNumber(time.Date(1990, 2, 1, 0, 0, 0, 0, time.UTC), 7)
)

func newWorld(t *testing.T, db *store.DB, now time.Time) *world {
	t.Helper()
	ctx := context.Background()
	w := &world{t: t, db: db, clock: &routineClock{}, actors: map[string]*samordna.Actor{}, teams: map[string]*samordna.Team{}}
	w.clock.Set(now)
	w.app = app.New(db, w.clock, slog.New(slog.NewJSONHandler(io.Discard, nil)))
	w.app.AllowSynthetic = true
	err := db.Write(ctx, func(tx *store.Tx) error {
		return store.CreateMunicipality(tx, &samordna.Municipality{ID: samordna.NewID(), Name: "Testvik", Number: "9997"}, now)
	})
	if err != nil {
		t.Fatal(err)
	}
	services := map[string]*samordna.Service{}
	for key, s := range map[string]app.NewService{
		"school": {Name: "Nordby skole", Kind: samordna.ServiceSchool},
		"hs":     {Name: "Helsestasjonen", Kind: samordna.ServiceHealthStation},
		"bv":     {Name: "Barneverntjenesten", Kind: samordna.ServiceChildWelfare},
		"rus":    {Name: "Psykisk helse og rus", Kind: samordna.ServiceMentalHealth},
		"ke":     {Name: "Koordinerende enhet", Kind: samordna.ServiceCoordinatingUnit},
	} {
		svc, err := w.app.CreateService(ctx, nil, s)
		if err != nil {
			t.Fatal(err)
		}
		services[key] = svc
	}
	type user struct {
		username, name, service string
		leads                   bool
		roles                   []samordna.Role
	}
	for _, u := range []user{
		{"ola", "Ola Lærer", "school", false, nil},
		{"nils", "Nils Rektor", "school", true, []samordna.Role{samordna.RoleEmployee, samordna.RoleServiceLeader}},
		{"ingrid", "Ingrid Helsesykepleier", "hs", false, nil},
		{"per", "Per Barnevern", "bv", false, []samordna.Role{samordna.RoleEmployee, samordna.RoleChildWelfare}},
		{"berit", "Berit Barnevernleder", "bv", true, []samordna.Role{samordna.RoleEmployee, samordna.RoleServiceLeader, samordna.RoleChildWelfare}},
		{"siv", "Siv Rus", "rus", false, nil},
		{"tor", "Tor Rusleder", "rus", true, []samordna.Role{samordna.RoleEmployee, samordna.RoleServiceLeader}},
		{"kari", "Kari Koordinerende", "ke", false, []samordna.Role{samordna.RoleEmployee, samordna.RoleCoordinatingUnit}},
		{"lise", "Lise Annen", "school", false, nil},
		{"admin", "Adam Admin", "", false, []samordna.Role{samordna.RoleAdmin}},
	} {
		e, err := w.app.CreateUser(ctx, nil, app.NewUser{Username: u.username, Name: u.name, Title: "Tittel", Roles: u.roles})
		if err != nil {
			t.Fatal(err)
		}
		if u.service != "" {
			if u.leads {
				err = w.app.SetServiceLeader(ctx, nil, services[u.service].ID, e.ID)
			} else {
				err = w.app.AddServiceMember(ctx, nil, services[u.service].ID, e.ID)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		w.actors[u.username] = &samordna.Actor{RequestID: "test-" + u.username}
	}
	err = db.Read(ctx, func(tx *store.Tx) error {
		for username, a := range w.actors {
			e, _, err := store.EmployeeByUsername(tx, username)
			if err != nil {
				return err
			}
			a.Employee = e
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for key, team := range map[string]app.NewTeam{
		"rg":  {Name: "Ressursgruppe rus", Kind: samordna.TeamResourceGroup, MemberIDs: []string{w.id("ingrid"), w.id("per"), w.id("siv")}},
		"tst": {Name: "TST Nord", Kind: samordna.TeamInterdisciplinary, MemberIDs: []string{w.id("ingrid"), w.id("per")}},
	} {
		tm, err := w.app.CreateTeam(ctx, nil, team)
		if err != nil {
			t.Fatal(err)
		}
		w.teams[key] = tm
	}
	return w
}

func (w *world) id(username string) string { return w.actors[username].Employee.ID }

func (w *world) as(username string) *samordna.Actor {
	w.t.Helper()
	a, ok := w.actors[username]
	if !ok {
		w.t.Fatalf("no user %s", username)
	}
	return a
}

// concern registers a concern and fails the test on error.
func (w *world) concern(username string, in app.NewConcern) *app.Concern {
	w.t.Helper()
	c, err := w.app.RegisterConcern(context.Background(), w.as(username), in)
	if err != nil {
		w.t.Fatalf("register concern: %v", err)
	}
	return c
}

// named is a named concern about the test child.
func named(sit pathway.Situation, routine string) app.NewConcern {
	return app.NewConcern{Situation: sit, Routine: routine, Description: "Gutten virker sliten og redd.",
		Subject: &app.ConcernSubject{IDNumber: childFNR, Name: "Emil Testesen"}}
}

// openTasks returns the case's open tasks by step id.
func (w *world) openTasks(caseID string) map[string]*store.Task {
	w.t.Helper()
	out := map[string]*store.Task{}
	err := w.db.Read(context.Background(), func(tx *store.Tx) error {
		tasks, err := store.TasksOfCase(tx, caseID)
		for _, t := range tasks {
			if t.Status == store.TaskOpen {
				out[t.StepID] = t
			}
		}
		return err
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return out
}

// complete completes the case's open task for the step as username.
func (w *world) complete(username, caseID, stepID, outcome string) []*app.TaskView {
	w.t.Helper()
	t, ok := w.openTasks(caseID)[stepID]
	if !ok {
		w.t.Fatalf("no open task for step %s", stepID)
	}
	_, next, err := w.app.CompleteTask(context.Background(), w.as(username), t.ID, outcome)
	if err != nil {
		w.t.Fatalf("complete %s: %v", stepID, err)
	}
	return next
}

// count counts rows of a table.
func (w *world) count(table string) int {
	w.t.Helper()
	var n int
	err := w.db.Read(context.Background(), func(tx *store.Tx) error {
		return tx.QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n)
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return n
}

func wantErrCode(t *testing.T, err error, code string) {
	t.Helper()
	if samordna.ErrorCode(err) != code {
		t.Fatalf("err = %v, want %s", err, code)
	}
}

// An acute concern gives the discoverer a task due at once that offers the
// report to child welfare; the case records the routine and version.
func TestAcuteConcernStartsImmediateReportTask(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		now := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
		w := newWorld(t, db, now)
		c := w.concern("ola", named(pathway.SituationAcute, ""))
		if c.Case.RoutineID != "lillehammer-oppdager" || c.Case.RoutineVersion != 1 {
			t.Errorf("case routine = %s v%d, want lillehammer-oppdager v1", c.Case.RoutineID, c.Case.RoutineVersion)
		}
		if c.Case.Origin != samordna.OriginConcern || c.Case.Anonymous || c.Case.SubjectPersonID == "" {
			t.Errorf("case = %+v", c.Case)
		}
		if len(c.Tasks) != 1 {
			t.Fatalf("tasks = %d, want 1", len(c.Tasks))
		}
		task := c.Tasks[0]
		if task.StepID != "acute-report" || task.Responsible != "discoverer" || task.EmployeeID != w.id("ola") {
			t.Errorf("task = %s for %s (%s)", task.StepID, task.Responsible, task.EmployeeID)
		}
		if task.DueAt == nil || !task.DueAt.Equal(now) {
			t.Errorf("due %v, want %v (immediately)", task.DueAt, now)
		}
		if len(task.Offers) != 1 || task.Offers[0] != pathway.OfferChildWelfareReport {
			t.Errorf("offers = %v, want the child welfare report", task.Offers)
		}
		// Ulstein's acute row is the same: immediately, report directly to child welfare.
		u := w.concern("ola", app.NewConcern{Situation: pathway.SituationAcute, Routine: "ulstein-rus-sped-smabarn",
			Description: "Rusa foreldre med barn til stades.", Subject: &app.ConcernSubject{IDNumber: childFNR}})
		if len(u.Tasks) != 1 || u.Tasks[0].StepID != "row-10" || !u.Tasks[0].DueAt.Equal(now) {
			t.Errorf("ulstein acute tasks = %+v", u.Tasks)
		}
		if u.Case.SubjectPersonID != c.Case.SubjectPersonID {
			t.Error("the second concern about the same child registered the child again")
		}
	})
}

// An inquiry (the person asks for help) is a case of origin inquiry; a
// pregnant woman's substance use, registered by health personnel, starts
// both the consultation and the duty to inform.
func TestInquiryAndPregnantWoman(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db, time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC))
		inq := w.concern("ola", named(pathway.SituationAsksForHelp, ""))
		if inq.Case.Origin != samordna.OriginInquiry {
			t.Errorf("origin = %s, want inquiry", inq.Case.Origin)
		}
		preg := w.concern("ingrid", app.NewConcern{Situation: pathway.SituationPregnant, Description: "Rus i svangerskapet.",
			Subject:  &app.ConcernSubject{IDNumber: motherFNR, Name: "Mona Mor"},
			Problems: []pathway.Problem{pathway.ProblemSubstanceUse}})
		steps := map[string]bool{}
		for _, task := range preg.Tasks {
			steps[task.StepID] = true
		}
		if !steps["consult"] || !steps["duty-to-inform"] || len(steps) != 2 {
			t.Errorf("pregnant steps = %v, want consult and duty-to-inform", steps)
		}
		// An expected child with its due date and mother.
		exp := w.concern("ingrid", app.NewConcern{Situation: pathway.SituationKnownFamily, Description: "Kjent familie venter barn.",
			Subject: &app.ConcernSubject{ExpectedDueDate: "2026-07-01", MotherIDNumber: motherFNR}})
		err := db.Read(context.Background(), func(tx *store.Tx) error {
			p, err := store.PersonByID(tx, exp.Case.SubjectPersonID)
			if err == nil && (!p.Expected() || p.DueDate != "2026-07-01") {
				t.Errorf("subject = %+v, want an expected child due 2026-07-01", p)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		// Ulstein has no step for a pregnant woman.
		_, err = w.app.RegisterConcern(context.Background(), w.as("ingrid"), app.NewConcern{Situation: pathway.SituationPregnant,
			Routine: "ulstein-rus-sped-smabarn", Description: "x", Subject: &app.ConcernSubject{IDNumber: motherFNR}})
		wantErrCode(t, err, "situation_not_in_routine")
		// The administrator registers nothing.
		_, err = w.app.RegisterConcern(context.Background(), w.as("admin"), named(pathway.SituationAcute, ""))
		wantErrCode(t, err, "not_found")
	})
}

// Anonymous means anonymous: no subject, and no valid fødselsnummer or
// D-nummer anywhere in the text; nothing is stored when refused. Numbers
// that fail the check digits are not identifying.
func TestAnonymousConcernRefusesIdentifyingData(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db, time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC))
		ctx := context.Background()
		spaced := childFNR[:6] + " " + childFNR[6:]
		for _, tc := range []struct {
			text       string
			start, end int
		}{
			{"Barnet har fnr " + childFNR + " og er lei seg.", 15, 26},
			{"Mor, født " + spaced, 10, 22},
			{"Øst for Åsen: D-nr " + adultDNR, 19, 30},
			{childFNR, 0, 11},
		} {
			_, err := w.app.RegisterConcern(ctx, w.as("ola"), app.NewConcern{Situation: pathway.SituationUnclearConcern,
				Anonymous: true, Description: tc.text})
			var idErr *app.IdentifyingDataError
			if !errors.As(err, &idErr) || samordna.HTTPStatus(err) != 422 || samordna.ErrorCode(err) != "identifying_data" {
				t.Fatalf("%q: err = %v, want 422 identifying_data", tc.text, err)
			}
			if idErr.Field != "description" || idErr.Start != tc.start || idErr.End != tc.end {
				t.Errorf("%q: points at %s %d-%d, want description %d-%d", tc.text, idErr.Field, idErr.Start, idErr.End, tc.start, tc.end)
			}
			if strings.Contains(err.Error(), childFNR[6:]) || strings.Contains(err.Error(), adultDNR[6:]) {
				t.Errorf("the error echoes the number: %v", err)
			}
		}
		if n := w.count("cases") + w.count("concerns") + w.count("tasks") + w.count("persons"); n != 0 {
			t.Errorf("a refused anonymous concern stored %d rows", n)
		}
		// A subject is refused outright.
		_, err := w.app.RegisterConcern(ctx, w.as("ola"), app.NewConcern{Situation: pathway.SituationUnclearConcern,
			Anonymous: true, Description: "x", Subject: &app.ConcernSubject{IDNumber: childFNR}})
		wantErrCode(t, err, "subject_not_allowed")
		// Not identifying: a wrong check digit, an account number, a date, a phone number.
		bad := childFNR[:10] + string('0'+(childFNR[10]-'0'+1)%10)
		c := w.concern("ola", app.NewConcern{Situation: pathway.SituationUnclearConcern, Anonymous: true,
			Description: "Saksnr " + bad + ", konto 1234.56.78903, født 01.02.2015, tlf 912 34 567."})
		if !c.Case.Anonymous || c.Case.SubjectPersonID != "" || c.Case.RegisteredBy != w.id("ola") {
			t.Errorf("anonymous case = %+v", c.Case)
		}
		// The refusals were audited, without content; the employee is known.
		var denied int
		_ = db.Read(ctx, func(tx *store.Tx) error {
			return tx.QueryRow(`SELECT COUNT(*) FROM audit_events WHERE object_type = 'concern' AND outcome = 'denied'
				AND purpose = 'identifying_data' AND actor_id = $1`, w.id("ola")).Scan(&denied)
		})
		if denied != 4 {
			t.Errorf("denied audit rows = %d, want 4", denied)
		}
	})
}

// A named case can follow an anonymous consultation: the cases are linked
// and no text is copied.
func TestNamedCaseFollowsAnonymous(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db, time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC))
		anon := w.concern("ola", app.NewConcern{Situation: pathway.SituationUnclearConcern, Anonymous: true,
			Description: "Hemmelig drøfting om en elev."})
		in := named(pathway.SituationUnclearConcern, "")
		in.Follows = anon.Case.ID
		c := w.concern("ola", in)
		var kind string
		err := db.Read(context.Background(), func(tx *store.Tx) error {
			links, err := store.LinkedCases(tx, c.Case.ID)
			if len(links) == 1 && links[0].CaseID == anon.Case.ID {
				kind = string(links[0].Kind)
			}
			return err
		})
		if err != nil || kind != string(samordna.LinkFollowsAnonymous) {
			t.Fatalf("link kind %q, err %v", kind, err)
		}
		if c.Concern.Description == anon.Concern.Description {
			t.Error("text was copied")
		}
		// Someone else cannot attach to ola's anonymous case.
		in.Follows = anon.Case.ID
		_, err = w.app.RegisterConcern(context.Background(), w.as("lise"), in)
		wantErrCode(t, err, "invalid_follows")
	})
}
