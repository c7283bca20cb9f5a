package app_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// coordClock is a clock the coordination tests move by hand.
type coordClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *coordClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *coordClock) Advance(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

// coordWorld is a municipality with the employees of a coordination story:
// a teacher who discovers, the coordinating unit, a nurse who becomes the
// coordinator, a PPT adviser, a child welfare worker and an administrator.
type coordWorld struct {
	t      *testing.T
	db     *store.DB
	app    *app.App
	clock  *coordClock
	actors map[string]*samordna.Actor
	child  *samordna.Person // born 2016-05-10
	adult  *samordna.Person
}

var coordStart = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)

func newCoordWorld(t *testing.T, db *store.DB) *coordWorld {
	t.Helper()
	w := &coordWorld{t: t, db: db, clock: &coordClock{now: coordStart}, actors: map[string]*samordna.Actor{}}
	w.app = app.New(db, w.clock, nil)
	ctx := context.Background()
	users := []struct {
		username, name, service string
		roles                   []samordna.Role
	}{
		{"ola", "Ola Brekke", "Nordby skole", []samordna.Role{samordna.RoleEmployee}},
		{"kari", "Kari Solheim", "Koordinerende enhet", []samordna.Role{samordna.RoleEmployee, samordna.RoleCoordinatingUnit}},
		{"ingrid", "Ingrid Moe", "Helsestasjonen", []samordna.Role{samordna.RoleEmployee}},
		{"anne", "Anne Lunde", "PPT", []samordna.Role{samordna.RoleEmployee}},
		{"per", "Per Strand", "Barneverntjenesten", []samordna.Role{samordna.RoleEmployee, samordna.RoleChildWelfare}},
		{"admin", "Marius Lie", "", []samordna.Role{samordna.RoleAdmin}},
	}
	err := db.Write(ctx, func(tx *store.Tx) error {
		m := &samordna.Municipality{ID: samordna.NewID(), Name: "Testvik", Number: "9999"}
		if err := store.CreateMunicipality(tx, m, coordStart); err != nil {
			return err
		}
		for _, u := range users {
			e := &samordna.Employee{ID: samordna.NewID(), MunicipalityID: m.ID, Username: u.username, Name: u.name,
				Email: u.username + "@test.invalid", Roles: u.roles}
			if err := store.CreateEmployee(tx, e, "", coordStart); err != nil {
				return err
			}
			if u.service != "" {
				s := &samordna.Service{MunicipalityID: m.ID, Name: u.service, Kind: samordna.ServiceOther}
				if err := store.CreateService(tx, s, coordStart); err != nil {
					return err
				}
				if err := store.AddServiceMember(tx, s.ID, e.ID); err != nil {
					return err
				}
			}
		}
		w.child = &samordna.Person{MunicipalityID: m.ID, Name: "Åse Ødegård", BirthDate: "2016-05-10"}
		w.adult = &samordna.Person{MunicipalityID: m.ID, Name: "Bjørn Eriksen", BirthDate: "1980-05-05"}
		for _, p := range []*samordna.Person{w.child, w.adult} {
			if err := store.CreatePerson(tx, p, coordStart); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Read(ctx, func(tx *store.Tx) error {
		for _, u := range users {
			e, _, err := store.EmployeeByUsername(tx, u.username)
			if err != nil {
				return err
			}
			w.actors[u.username] = &samordna.Actor{Employee: e, RequestID: "test-" + u.username}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// as returns the actor for a username.
func (w *coordWorld) as(username string) *samordna.Actor { return w.actors[username] }

// newCase registers a case about the person, by the teacher, who records
// the person's consent to register with the coordinating unit (the will
// an application needs).
func (w *coordWorld) newCase(p *samordna.Person) string {
	w.t.Helper()
	id := w.bareCase(p)
	_, err := w.app.RecordConsent(context.Background(), w.as("ola"), id, app.NewConsent{GivenBy: p.Name,
		Purposes: []samordna.ConsentPurpose{samordna.PurposeRegisterWithUnit}})
	w.must(err)
	return id
}

// bareCase registers a case about the person, by the teacher, with no
// consent.
func (w *coordWorld) bareCase(p *samordna.Person) string {
	w.t.Helper()
	id := samordna.NewID()
	ola := w.as("ola").Employee
	err := w.db.Write(context.Background(), func(tx *store.Tx) error {
		return store.CreateCase(tx, &samordna.Case{ID: id, MunicipalityID: ola.MunicipalityID, SubjectPersonID: p.ID,
			Origin: samordna.OriginConcern, Situation: "unclear_concern", Status: samordna.CaseOpen, Title: "Bekymring",
			RegisteredBy: ola.ID, RegisteredServiceID: ola.Services[0].ID, CreatedAt: w.clock.Now()})
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return id
}

// must fails the test on err.
func (w *coordWorld) must(err error) {
	w.t.Helper()
	if err != nil {
		w.t.Fatal(err)
	}
}

// wantCode fails unless err carries the code.
func coordWantCode(t *testing.T, err error, code string) {
	t.Helper()
	if samordna.ErrorCode(err) != code {
		t.Fatalf("error %v, want %s", err, code)
	}
}

// grantedCase is a case with a submitted application granted, ingrid as
// coordinator; it returns the case and application ids.
func (w *coordWorld) grantedCase(p *samordna.Person) (string, string) {
	w.t.Helper()
	ctx := context.Background()
	caseID := w.newCase(p)
	ap, err := w.app.SubmitApplication(ctx, w.as("ola"), caseID, app.NewApplication{Coordinator: true, WishedCoordinator: "ingrid"})
	w.must(err)
	_, err = w.app.DecideApplication(ctx, w.as("kari"), ap.ID, app.Decision{Outcome: "granted", Coordinator: "ingrid"})
	w.must(err)
	return caseID, ap.ID
}

// consent records consent for the purposes, by the coordinator.
func (w *coordWorld) consent(caseID string, purposes ...samordna.ConsentPurpose) *samordna.Consent {
	w.t.Helper()
	c, err := w.app.RecordConsent(context.Background(), w.as("ingrid"), caseID, app.NewConsent{GivenBy: "Åse Ødegård",
		GivenByRelation: "self", Purposes: purposes})
	w.must(err)
	return c
}

// deniedAudits counts the denied audit rows of the case by the username.
func (w *coordWorld) deniedAudits(caseID, username string) int {
	w.t.Helper()
	var n int
	w.must(w.db.Read(context.Background(), func(tx *store.Tx) error {
		return tx.QueryRow(`SELECT COUNT(*) FROM audit_events WHERE case_id = $1 AND actor_username = $2
			AND outcome = 'denied'`, caseID, username).Scan(&n)
	}))
	return n
}

// The story of the issue, end to end on each database: application, the
// unit's decision, the coordinator, the group's preconditions, consent,
// group, a member reads, a meeting, consent withdrawn, the member refused
// and the refusal in the audit trail.
func TestCoordinationStory(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newCoordWorld(t, db)
		ctx := context.Background()
		caseID := w.newCase(w.child)

		// Before the application the coordinating unit cannot see the case.
		if _, err := w.app.GetCase(ctx, w.as("kari"), caseID); !errors.Is(err, samordna.ErrNotFound) {
			t.Fatalf("the unit reads the case before any application: %v", err)
		}
		ap, err := w.app.SubmitApplication(ctx, w.as("ola"), caseID, app.NewApplication{Coordinator: true,
			IndividualPlan: true, WishedCoordinator: "ingrid"})
		w.must(err)
		if ap.Status != "submitted" {
			t.Errorf("status %q", ap.Status)
		}
		// The unit sees the case and the application in its inbox, with the wish.
		if _, err := w.app.GetCase(ctx, w.as("kari"), caseID); err != nil {
			t.Fatalf("the unit cannot read the case after the application: %v", err)
		}
		inbox, err := w.app.ApplicationInbox(ctx, w.as("kari"), "submitted", "", 10)
		w.must(err)
		if len(inbox.Items) != 1 || inbox.Items[0].WishedName != "Ingrid Moe" || inbox.Items[0].SubjectName != "Åse Ødegård" {
			t.Fatalf("inbox = %+v", inbox.Items)
		}
		if _, err := w.app.ApplicationInbox(ctx, w.as("ola"), "", "", 10); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("a teacher reads the inbox: %v", err)
		}
		// The unit has its tasks: contact the person and decide.
		titles := w.openTaskTitles(caseID)
		if !strings.Contains(titles, "Ta kontakt med bruker") || !strings.Contains(titles, "Fatte vedtak") {
			t.Errorf("the unit's tasks are missing: %s", titles)
		}

		// Only the coordinating unit decides; the refusal is audited.
		dec := app.Decision{Outcome: "granted", Coordinator: "ingrid", IndividualPlanWhen: "later"}
		for _, who := range []string{"ola", "per", "admin", "anne"} {
			if _, err := w.app.DecideApplication(ctx, w.as(who), ap.ID, dec); !errors.Is(err, samordna.ErrNotFound) {
				t.Errorf("%s decided: %v", who, err)
			}
		}
		if w.deniedAudits(caseID, "ola") != 1 {
			t.Errorf("the teacher's refused decision is not audited as denied")
		}
		res, err := w.app.DecideApplication(ctx, w.as("kari"), ap.ID, dec)
		w.must(err)
		if res.Coordinator.Username != "ingrid" || res.Coordinator.Status != "appointed" || len(res.Warnings) != 0 ||
			res.Application.PlanDecision != "later" {
			t.Errorf("decision = %+v %+v", res.Coordinator, res.Application)
		}
		if _, err := w.app.DecideApplication(ctx, w.as("kari"), ap.ID, dec); samordna.ErrorCode(err) != "already_decided" {
			t.Errorf("second decision: %v", err)
		}
		// The coordinator reads the case and accepts.
		v, err := w.app.GetCase(ctx, w.as("ingrid"), caseID)
		w.must(err)
		if v.Coordinator == nil || v.Coordinator.Username != "ingrid" {
			t.Errorf("case view coordinator = %+v", v.Coordinator)
		}
		acc, err := w.app.AcceptCoordinator(ctx, w.as("ingrid"), caseID)
		w.must(err)
		if acc.Status != "accepted" {
			t.Errorf("accepted = %+v", acc)
		}

		// A group needs consent; a case without a coordinator cannot have one.
		members := []app.NewGroupMember{{Username: "anne", Role: "PP-rådgiver"}, {Name: "Åse Ødegård", Relation: "self"}}
		_, err = w.app.CreateGroup(ctx, w.as("ingrid"), caseID, members)
		coordWantCode(t, err, "consent_required")
		other := w.newCase(w.adult)
		_, err = w.app.SubmitApplication(ctx, w.as("ola"), other, app.NewApplication{Coordinator: true})
		w.must(err)
		_, err = w.app.CreateGroup(ctx, w.as("kari"), other, members)
		coordWantCode(t, err, "coordinator_required")

		consent := w.consent(caseID, samordna.PurposeResponsibilityGroup, samordna.PurposeShareWithMembers,
			samordna.PurposeRegisterWithUnit)
		// Anne is not yet a member: she cannot read the case.
		if _, err := w.app.GetCase(ctx, w.as("anne"), caseID); !errors.Is(err, samordna.ErrNotFound) {
			t.Fatalf("anne reads the case before joining the group: %v", err)
		}
		// Only the coordinator or the unit set up the group.
		if _, err := w.app.CreateGroup(ctx, w.as("ola"), caseID, members); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("the teacher set up the group: %v", err)
		}
		gv, err := w.app.CreateGroup(ctx, w.as("ingrid"), caseID, members)
		w.must(err)
		if len(gv.Members) != 3 || gv.Members[0].Username != "ingrid" || gv.Members[2].Relation != "self" {
			t.Fatalf("members = %+v", gv.Members)
		}
		if _, err := w.app.GetCase(ctx, w.as("anne"), caseID); err != nil {
			t.Fatalf("the member cannot read the case: %v", err)
		}

		// A meeting three weeks ahead: the members and the unit are invited.
		start := w.clock.Now().AddDate(0, 0, 21)
		mv, err := w.app.PlanMeeting(ctx, w.as("ingrid"), caseID, app.NewMeeting{StartsAt: start, Place: "Rådhuset",
			Agenda: []string{"Skolestart"}})
		w.must(err)
		if mv.Meeting.DurationMinutes != 90 || mv.Meeting.Agenda[0] != app.FirstMeetingItem || len(mv.Attendees) != 4 {
			t.Errorf("meeting = %+v, %d attendees", mv.Meeting, len(mv.Attendees))
		}
		ics, err := w.app.MeetingInvite(ctx, w.as("anne"), mv.Meeting.ID)
		w.must(err)
		if !strings.Contains(string(ics), "ATTENDEE;CN=Kari Solheim;ROLE=OPT-PARTICIPANT") {
			t.Errorf("the unit is not invited for the first part:\n%s", ics)
		}

		// Consent withdrawn: the member is refused on the very next request.
		_, err = w.app.WithdrawConsent(ctx, w.as("ingrid"), consent.ID)
		w.must(err)
		before := w.deniedAudits(caseID, "anne")
		if _, err := w.app.GetCase(ctx, w.as("anne"), caseID); !errors.Is(err, samordna.ErrNotFound) {
			t.Fatalf("the member still reads the case after withdrawal: %v", err)
		}
		if _, err := w.app.GetMeeting(ctx, w.as("anne"), mv.Meeting.ID); !errors.Is(err, samordna.ErrNotFound) {
			t.Fatalf("the member still reads the meeting after withdrawal: %v", err)
		}
		if got := w.deniedAudits(caseID, "anne"); got != before+2 {
			t.Errorf("denied audit rows for the member: %d, want %d", got, before+2)
		}
		// The coordinator keeps access.
		if _, err := w.app.GetMeeting(ctx, w.as("ingrid"), mv.Meeting.ID); err != nil {
			t.Errorf("the coordinator lost access: %v", err)
		}
	})
}

// openTaskTitles returns the case's open task titles, one per line.
func (w *coordWorld) openTaskTitles(caseID string) string {
	w.t.Helper()
	var out []string
	w.must(w.db.Read(context.Background(), func(tx *store.Tx) error {
		ts, err := store.TasksOfCase(tx, caseID)
		for _, t := range ts {
			if t.Status == store.TaskOpen {
				out = append(out, t.Title)
			}
		}
		return err
	}))
	return strings.Join(out, "\n")
}
