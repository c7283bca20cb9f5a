package app_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/internal/matrixtest"
	"github.com/samordna/samordna/store"
)

// spineClock is a clock the spine's tests move by hand.
type spineClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *spineClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *spineClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// spineStart is when the spine's tests begin.
var spineStart = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// spineWorld is a small municipality like the demo one: a school with its
// teacher and leader, the coordinating unit, child welfare (whose leader
// holds emergency access), PPT, the mental health and substance service,
// an administrator and a second municipality.
type spineWorld struct {
	t       *testing.T
	db      *store.DB
	a       *app.App
	clock   *spineClock
	muni    string
	other   string                        // a second municipality's id
	emp     map[string]*samordna.Employee // by username, with roles and services
	svc     map[string]string             // service key → id
	persons int                           // persons made so far, for their numbers
}

type spineEmployee struct {
	username, name string
	roles          []samordna.Role
	member, leads  string // service keys
	municipality   string // "other" for the second municipality
}

var spineEmployees = []spineEmployee{
	{"ola.laerer", "Ola Brekke", []samordna.Role{samordna.RoleEmployee}, "school", "", ""},
	{"nils.leder", "Nils Aasen", []samordna.Role{samordna.RoleEmployee, samordna.RoleServiceLeader}, "", "school", ""},
	{"kari.ke", "Kari Solheim", []samordna.Role{samordna.RoleEmployee, samordna.RoleCoordinatingUnit}, "ke", "", ""},
	{"hilde.keleder", "Hilde Bakke", []samordna.Role{samordna.RoleEmployee, samordna.RoleServiceLeader,
		samordna.RoleCoordinatingUnit}, "", "ke", ""},
	{"per.bv", "Per Strand", []samordna.Role{samordna.RoleEmployee, samordna.RoleChildWelfare}, "bv", "", ""},
	{"berit.bvleder", "Berit Holm", []samordna.Role{samordna.RoleEmployee, samordna.RoleServiceLeader,
		samordna.RoleChildWelfare, samordna.RoleEmergencyAccess}, "", "bv", ""},
	{"anne.ppt", "Anne Lunde", []samordna.Role{samordna.RoleEmployee}, "ppt", "", ""},
	{"siv.rus", "Siv Thorsen", []samordna.Role{samordna.RoleEmployee}, "rus", "", ""},
	{"stig.nod", "Stig Nødvik", []samordna.Role{samordna.RoleEmployee, samordna.RoleEmergencyAccess}, "school", "", ""},
	{"admin", "Marius Lie", []samordna.Role{samordna.RoleAdmin}, "", "", ""},
	{"eva.annen", "Eva Annen", []samordna.Role{samordna.RoleEmployee, samordna.RoleCoordinatingUnit}, "", "", "other"},
}

var spineServices = []struct {
	key, name string
	kind      samordna.ServiceKind
}{
	{"school", "Nordby skole", samordna.ServiceSchool},
	{"ke", "Koordinerende enhet", samordna.ServiceCoordinatingUnit},
	{"bv", "Barneverntjenesten", samordna.ServiceChildWelfare},
	{"ppt", "PPT", samordna.ServicePPT},
	{"rus", "Psykisk helse og rus", samordna.ServiceMentalHealth},
}

// newSpineWorld builds the world on db with a clock at spineStart.
func newSpineWorld(t *testing.T, db *store.DB) *spineWorld {
	t.Helper()
	w := &spineWorld{t: t, db: db, clock: &spineClock{now: spineStart}, emp: map[string]*samordna.Employee{},
		svc: map[string]string{}}
	w.a = app.New(db, w.clock, nil)
	w.a.AllowSynthetic = true
	w.write(func(tx *store.Tx) error {
		m := &samordna.Municipality{ID: samordna.NewID(), Name: "Testvik", Number: "9998"}
		o := &samordna.Municipality{ID: samordna.NewID(), Name: "Annenvik", Number: "9997"}
		w.muni, w.other = m.ID, o.ID
		for _, x := range []*samordna.Municipality{m, o} {
			if err := store.CreateMunicipality(tx, x, spineStart); err != nil {
				return err
			}
		}
		for _, s := range spineServices {
			svc := &samordna.Service{MunicipalityID: m.ID, Name: s.name, Kind: s.kind}
			if err := store.CreateService(tx, svc, spineStart); err != nil {
				return err
			}
			w.svc[s.key] = svc.ID
		}
		for _, d := range spineEmployees {
			e := &samordna.Employee{ID: samordna.NewID(), MunicipalityID: m.ID, Username: d.username, Name: d.name,
				Roles: d.roles}
			if d.municipality == "other" {
				e.MunicipalityID = o.ID
			}
			if err := store.CreateEmployee(tx, e, "", spineStart); err != nil {
				return err
			}
			if d.member != "" {
				if err := store.AddServiceMember(tx, w.svc[d.member], e.ID); err != nil {
					return err
				}
			}
			if d.leads != "" {
				if err := store.SetServiceLeader(tx, w.svc[d.leads], e.ID); err != nil {
					return err
				}
			}
			w.emp[d.username] = e
		}
		return nil
	})
	w.reload()
	return w
}

// reload reads every employee again (roles, services and their leaders).
func (w *spineWorld) reload() {
	w.t.Helper()
	w.read(func(tx *store.Tx) error {
		for u, e := range w.emp {
			fresh, err := store.EmployeeByID(tx, e.ID)
			if err != nil {
				return err
			}
			w.emp[u] = fresh
		}
		return nil
	})
}

func (w *spineWorld) write(fn func(tx *store.Tx) error) {
	w.t.Helper()
	if err := w.db.Write(context.Background(), fn); err != nil {
		w.t.Fatal(err)
	}
}

func (w *spineWorld) read(fn func(tx *store.Tx) error) {
	w.t.Helper()
	if err := w.db.Read(context.Background(), fn); err != nil {
		w.t.Fatal(err)
	}
}

// actor is the audit actor for a user of the world.
func (w *spineWorld) actor(username string) *samordna.Actor {
	w.t.Helper()
	e, ok := w.emp[username]
	if !ok {
		w.t.Fatalf("no employee %s", username)
	}
	return &samordna.Actor{Employee: e, RequestID: "test", Client: "127.0.0.1"}
}

// namedCase registers a case about a new (synthetic) person, registered by
// the user, and returns the case id and the person.
func (w *spineWorld) namedCase(username string) (string, *samordna.Person) {
	w.t.Helper()
	var id string
	p := &samordna.Person{MunicipalityID: w.muni, Name: "Emma Hansen", BirthDate: "2015-02-20",
		IDNumber: samordna.SyntheticIDNumber(time.Date(2015, 2, 20, 0, 0, 0, 0, time.UTC), w.persons),
		IDKind:   samordna.IDKindFNR, Synthetic: true}
	w.persons++
	w.write(func(tx *store.Tx) error {
		if err := store.CreatePerson(tx, p, w.clock.Now()); err != nil {
			return err
		}
		var err error
		id, err = matrixtest.NewCase(tx, w.muni, w.emp[username].ID, p.ID, w.clock.Now())
		return err
	})
	w.clock.Advance(time.Second)
	return id, p
}

// anonCase registers an anonymous case by the user.
func (w *spineWorld) anonCase(username string) string {
	w.t.Helper()
	var id string
	w.write(func(tx *store.Tx) (err error) {
		id, err = matrixtest.NewCase(tx, w.muni, w.emp[username].ID, "", w.clock.Now())
		return err
	})
	w.clock.Advance(time.Second)
	return id
}

// auditRows counts the audit rows.
func (w *spineWorld) auditRows() int {
	w.t.Helper()
	var n int
	w.read(func(tx *store.Tx) error { return tx.QueryRow(`SELECT COUNT(*) FROM audit_events`).Scan(&n) })
	return n
}

// lastAudit returns the newest audit row.
func (w *spineWorld) lastAudit() samordna.AuditEvent {
	w.t.Helper()
	var out samordna.AuditEvent
	w.read(func(tx *store.Tx) error {
		return tx.QueryRow(`SELECT actor_username, case_id, object_type, object_id, action, outcome, purpose
			FROM audit_events ORDER BY seq DESC LIMIT 1`).Scan(&out.ActorUsername, &out.CaseID, &out.ObjectType,
			&out.ObjectID, &out.Action, &out.Outcome, &out.Purpose)
	})
	return out
}

// oneAudit runs f and fails unless it wrote exactly one audit row; it
// returns that row.
func (w *spineWorld) oneAudit(what string, f func()) samordna.AuditEvent {
	w.t.Helper()
	before := w.auditRows()
	f()
	if got := w.auditRows() - before; got != 1 {
		w.t.Fatalf("%s wrote %d audit rows, want exactly 1", what, got)
	}
	return w.lastAudit()
}

// readable reports whether the user may read the case now (GetCase).
func (w *spineWorld) readable(username, caseID string) bool {
	w.t.Helper()
	_, err := w.a.GetCase(context.Background(), w.actor(username), caseID)
	switch {
	case err == nil:
		return true
	case errors.Is(err, samordna.ErrNotFound):
		return false
	}
	w.t.Fatalf("GetCase(%s): %v", username, err)
	return false
}

// listed reports whether the case is in the user's case list (all pages).
func (w *spineWorld) listed(username, caseID string) bool {
	w.t.Helper()
	cursor := ""
	for {
		l, err := w.a.ListCases(context.Background(), w.actor(username), cursor, 100)
		if err != nil {
			w.t.Fatalf("ListCases(%s): %v", username, err)
		}
		for _, it := range l.Items {
			if it.Case.ID == caseID {
				return true
			}
		}
		if l.Next == "" {
			return false
		}
		cursor = l.Next
	}
}

// wantSpineCode fails unless err has the kind and code.
func wantSpineCode(t *testing.T, err error, kind samordna.Kind, code string) {
	t.Helper()
	if samordna.ErrorCode(err) != code || samordna.ErrorKind(err) != kind {
		t.Fatalf("err = %v (kind %d), want %s (kind %d)", err, samordna.ErrorKind(err), code, kind)
	}
}

// A teacher's named case is readable by the teacher and by nobody
// unrelated; a refusal is the very error of a case that does not exist,
// and every read and refusal writes exactly one audit row.
func TestCaseReadableOnlyThroughARelation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newSpineWorld(t, db)
		ctx := context.Background()
		caseID, person := w.namedCase("ola.laerer")

		var v *app.CaseView
		row := w.oneAudit("the teacher's read", func() {
			var err error
			if v, err = w.a.GetCase(ctx, w.actor("ola.laerer"), caseID); err != nil {
				t.Fatal(err)
			}
		})
		if v.Subject == nil || v.Subject.IDNumber != person.IDNumber || v.Reason != "registered" {
			t.Errorf("teacher's view: subject %+v, reason %q", v.Subject, v.Reason)
		}
		if v.RegisteredBy.Username != "ola.laerer" || v.CanBlock || v.CanViewAccessLog || !v.CanManageConsent {
			t.Errorf("teacher's view: registered by %+v, may block %v, see log %v, manage consent %v",
				v.RegisteredBy, v.CanBlock, v.CanViewAccessLog, v.CanManageConsent)
		}
		if row.Action != "read" || row.Outcome != samordna.OutcomeAllowed || row.CaseID != caseID || row.Purpose != "registered" {
			t.Errorf("audit row of the read: %+v", row)
		}
		if !w.listed("ola.laerer", caseID) {
			t.Error("the teacher's own case is not in the teacher's list")
		}

		unknown := samordna.NewID()
		for _, u := range []string{"per.bv", "anne.ppt", "admin", "kari.ke", "nils.leder", "berit.bvleder", "eva.annen"} {
			var err error
			row := w.oneAudit(u+"'s refused read", func() { _, err = w.a.GetCase(ctx, w.actor(u), caseID) })
			if err != samordna.ErrNotFound {
				t.Errorf("%s reads the teacher's case: err = %v, want ErrNotFound", u, err)
			}
			if row.Outcome != samordna.OutcomeDenied || row.CaseID != caseID || row.ActorUsername != u {
				t.Errorf("%s: audit row of the refusal: %+v", u, row)
			}
			_, errUnknown := w.a.GetCase(ctx, w.actor(u), unknown)
			if errUnknown != err {
				t.Errorf("%s: refusal %v differs from a missing case %v", u, err, errUnknown)
			}
			if w.listed(u, caseID) {
				t.Errorf("%s sees the teacher's case in a list", u)
			}
		}
	})
}

// Lists are paginated with an opaque cursor, newest change first, and each
// page is one audited read.
func TestListCasesPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newSpineWorld(t, db)
		ctx := context.Background()
		var want []string
		for range 7 {
			want = append([]string{w.anonCase("anne.ppt")}, want...)
		}
		w.anonCase("ola.laerer") // not anne's
		var got []string
		cursor, pages := "", 0
		for {
			var l *app.CaseList
			row := w.oneAudit("a page of the list", func() {
				var err error
				if l, err = w.a.ListCases(ctx, w.actor("anne.ppt"), cursor, 3); err != nil {
					t.Fatal(err)
				}
			})
			if row.Action != "list" || row.CaseID != "" {
				t.Errorf("list audit row: %+v", row)
			}
			pages++
			for _, it := range l.Items {
				got = append(got, it.Case.ID)
				if it.Subject != nil {
					t.Error("an anonymous case has a subject in the list")
				}
			}
			if l.Next == "" {
				break
			}
			cursor = l.Next
		}
		if pages != 3 || len(got) != len(want) {
			t.Fatalf("%d pages with %d cases, want 3 pages with %d", pages, len(got), len(want))
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("order: got %v, want %v", got, want)
			}
		}
		_, err := w.a.ListCases(ctx, w.actor("anne.ppt"), "not-a-cursor", 3)
		wantSpineCode(t, err, samordna.KindInvalid, "bad_cursor")
	})
}

// Cases of one family can be linked by someone who may write both; the link
// shows on a case page only to readers of the other case too.
func TestLinkFamilyCases(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newSpineWorld(t, db)
		ctx := context.Background()
		parent, _ := w.namedCase("siv.rus")
		child, _ := w.namedCase("siv.rus")
		other, _ := w.namedCase("ola.laerer")
		// ola is coordinator of the child's case only.
		w.write(func(tx *store.Tx) error {
			return matrixtest.AddCoordinator(tx, child, w.emp["ola.laerer"].ID, w.emp["kari.ke"].ID, w.clock.Now(), false)
		})

		// Without write access to the other case: refused like a missing case, and audited.
		row := w.oneAudit("a refused link", func() {
			if err := w.a.LinkFamilyCases(ctx, w.actor("siv.rus"), parent, other); err != samordna.ErrNotFound {
				t.Errorf("link to a case siv cannot write: %v, want ErrNotFound", err)
			}
		})
		if row.Outcome != samordna.OutcomeDenied || row.CaseID != other {
			t.Errorf("audit row of the refused link: %+v", row)
		}
		wantSpineCode(t, w.a.LinkFamilyCases(ctx, w.actor("siv.rus"), parent, parent), samordna.KindInvalid, "same_case")

		row = w.oneAudit("a link", func() {
			if err := w.a.LinkFamilyCases(ctx, w.actor("siv.rus"), parent, child); err != nil {
				t.Fatal(err)
			}
		})
		if row.Action != "link_cases" || row.CaseID != parent || row.ObjectID != child {
			t.Errorf("audit row of the link: %+v", row)
		}
		wantSpineCode(t, w.a.LinkFamilyCases(ctx, w.actor("siv.rus"), child, parent), samordna.KindConflict, "already_linked")

		v, err := w.a.GetCase(ctx, w.actor("siv.rus"), child)
		if err != nil {
			t.Fatal(err)
		}
		if len(v.Links) != 1 || v.Links[0].CaseID != parent || v.Links[0].Kind != samordna.LinkFamily {
			t.Errorf("siv reads both cases and sees links %+v", v.Links)
		}
		v, err = w.a.GetCase(ctx, w.actor("ola.laerer"), child)
		if err != nil {
			t.Fatal(err)
		}
		if len(v.Links) != 0 {
			t.Errorf("ola may not read the parent's case but sees links %+v", v.Links)
		}
		for _, ev := range v.Events {
			if ev.RefID == parent {
				t.Errorf("the timeline names the parent's case to a reader who may not read it: %+v", ev)
			}
		}
	})
}
