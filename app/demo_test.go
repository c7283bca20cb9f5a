package app_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

const demoPassword = "demo-passord-2026"

// seedDemo seeds db with the fixed clock and returns the app and the info.
func seedDemo(t *testing.T, db *store.DB) (*app.App, *app.DemoInfo) {
	t.Helper()
	a := app.New(db, demoClock{demoToday}, nil)
	start := time.Now()
	info, err := a.SeedDemo(context.Background(), demoPassword)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("SeedDemo on %s took %v", db.Dialect(), time.Since(start))
	return a, info
}

// apiUsers is the demo users' table of docs/API.md: each user's required role and services.
var apiUsers = map[string]struct {
	role     samordna.Role
	services []string
}{
	"kari.ke":        {samordna.RoleCoordinatingUnit, []string{"Koordinerende enhet"}},
	"ola.laerer":     {samordna.RoleEmployee, []string{"Nordby skole"}},
	"ingrid.hs":      {samordna.RoleEmployee, []string{"Helsestasjonen"}},
	"per.bv":         {samordna.RoleChildWelfare, []string{"Barneverntjenesten"}},
	"anne.ppt":       {samordna.RoleEmployee, []string{"PPT"}},
	"lise.barnehage": {samordna.RoleEmployee, []string{"Solsikken barnehage"}},
	"nils.leder":     {samordna.RoleServiceLeader, []string{"Nordby skole"}},
	"admin":          {samordna.RoleAdmin, nil},
}

func TestSeedDemoUsers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, info := seedDemo(t, db)
		if info.Municipality != "Demo kommune" || info.Password != demoPassword || len(info.Users) < 20 {
			t.Errorf("info = %s, %q, %d users", info.Municipality, info.Password, len(info.Users))
		}
		var listed []string
		for _, u := range info.Users {
			listed = append(listed, u.Username)
			if u.Name == "" || u.Description == "" {
				t.Errorf("user %+v lacks name or description", u)
			}
		}
		err := db.Read(ctx, func(tx *store.Tx) error {
			for username, want := range apiUsers {
				if !slices.Contains(listed, username) {
					t.Errorf("%s is not in DemoInfo.Users", username)
				}
				e, hash, err := store.EmployeeByUsername(tx, username)
				if err != nil {
					return err
				}
				if !e.HasRole(want.role) || !app.CheckPassword(hash, demoPassword) {
					t.Errorf("%s: roles %v, want %s; password ok %v", username, e.Roles, want.role,
						app.CheckPassword(hash, demoPassword))
				}
				if got := serviceNames(e); !slices.Equal(got, want.services) {
					t.Errorf("%s: services %q, want %q", username, got, want.services)
				}
			}
			admin, _, err := store.EmployeeByUsername(tx, "admin")
			if err == nil && !slices.Equal(admin.Roles, []samordna.Role{samordna.RoleAdmin}) {
				t.Errorf("admin roles = %v, want only admin", admin.Roles)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if ok, err := a.VerifyAudit(ctx); err != nil || ok == 0 {
			t.Errorf("audit chain after seeding: %d rows, %v", ok, err)
		}
	})
}

// serviceNames returns the names of the employee's services.
func serviceNames(e *samordna.Employee) []string {
	var out []string
	for _, s := range e.Services {
		out = append(out, s.Name)
	}
	return out
}

func TestSeedDemoOrganisation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		seedDemo(t, db)
		err := db.Read(context.Background(), func(tx *store.Tx) error {
			byID, byUser, err := demoEmployees(tx)
			if err != nil {
				return err
			}
			if err := checkLeaders(t, tx, byID, byUser); err != nil {
				return err
			}
			if err := checkTeams(t, tx, byID); err != nil {
				return err
			}
			emergency := false
			for _, e := range byID {
				emergency = emergency || e.HasRole(samordna.RoleEmergencyAccess)
			}
			if !emergency {
				t.Error("nobody holds emergency access")
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

// demoEmployees returns every employee by id and by username.
func demoEmployees(tx *store.Tx) (map[string]*samordna.Employee, map[string]*samordna.Employee, error) {
	all, err := store.ListEmployees(tx)
	byID, byUser := map[string]*samordna.Employee{}, map[string]*samordna.Employee{}
	for _, e := range all {
		byID[e.ID], byUser[e.Username] = e, e
	}
	return byID, byUser, err
}

// checkLeaders checks that nils.leder leads ola.laerer's school and that
// every service has a leader who is also a member. It reports failures with
// t.Errorf, never t.Fatal: a Goexit inside a transaction would leave it open.
func checkLeaders(t *testing.T, tx *store.Tx, byID, byUser map[string]*samordna.Employee) error {
	t.Helper()
	ola, nils := byUser["ola.laerer"], byUser["nils.leder"]
	if len(ola.Services) != 1 || !slices.Equal(ola.Services[0].LeaderIDs, []string{nils.ID}) {
		t.Errorf("ola.laerer's school %+v is not led by nils.leder (%s)", ola.Services, nils.ID)
	}
	services, err := store.ListServices(tx)
	if err != nil {
		return err
	}
	kinds := map[samordna.ServiceKind]int{}
	for _, s := range services {
		kinds[s.Kind]++
		if len(s.LeaderIDs) != 1 {
			t.Errorf("service %s: leaders %v, want one", s.Name, s.LeaderIDs)
		}
		for _, id := range s.LeaderIDs {
			leader := byID[id]
			if leader == nil || !slices.ContainsFunc(leader.Services, func(x samordna.Service) bool { return x.ID == s.ID }) {
				t.Errorf("service %s: leader %v is missing or not a member", s.Name, id)
			}
		}
	}
	if kinds[samordna.ServiceKindergarten] != 2 || kinds[samordna.ServiceSchool] != 3 || len(services) != 12 {
		t.Errorf("service kinds = %v (%d services)", kinds, len(services))
	}
	return nil
}

// checkTeams checks the teams of seed 002 and 003 (t.Errorf only, as
// checkLeaders).
func checkTeams(t *testing.T, tx *store.Tx, byID map[string]*samordna.Employee) error {
	t.Helper()
	teams, err := store.ListTeams(tx)
	if err != nil {
		return err
	}
	want := map[string]struct {
		kind       samordna.TeamKind
		members    []string
		submitters []string
	}{
		"TST Nord":          {samordna.TeamInterdisciplinary, []string{"anne.ppt", "ingrid.hs", "per.bv"}, []string{"Nordby skole", "Solsikken barnehage"}},
		"TST Sentrum":       {samordna.TeamInterdisciplinary, []string{"anne.ppt", "ingrid.hs", "per.bv"}, []string{"Sentrum skole", "Tusenfryd barnehage"}},
		"TST Sør":           {samordna.TeamInterdisciplinary, []string{"anne.ppt", "ingrid.hs", "per.bv"}, []string{"Sørli skole"}},
		"OST":               {samordna.TeamOverarching, []string{"berit.bvleder", "gro.hsleder", "hanne.styrer", "leif.pptleder", "nils.leder"}, nil},
		"Ressursgruppe rus": {samordna.TeamResourceGroup, []string{"ingrid.hs", "per.bv", "siv.rus"}, nil},
		// Seed 002 §3.3: the existing teams.
		"Koordineringsteam for funksjonshemmede barn og unge": {samordna.TeamOther, []string{"anne.ppt", "hilde.keleder", "ingrid.hs"}, nil},
		"Overgrepsteam": {samordna.TeamOther, []string{"anne.ppt", "ingrid.hs", "per.bv"}, nil},
		"Kriseteam":     {samordna.TeamOther, []string{"eirik.lege", "gro.hsleder", "tor.rusleder"}, nil},
		"Koordineringsteam for rehabilitering voksne": {samordna.TeamOther, []string{"eirik.lege", "hilde.keleder", "jon.ke"}, nil},
		"Team for gravide rusmisbrukere":              {samordna.TeamOther, []string{"eirik.lege", "ingrid.hs", "per.bv", "siv.rus"}, nil},
		"Støttekontaktutvalg":                         {samordna.TeamOther, []string{"hilde.keleder", "lars.nav"}, nil},
		"SLT":                                         {samordna.TeamOther, []string{"berit.bvleder", "tor.rusleder"}, nil},
		"Koordineringsteam psykososiale":              {samordna.TeamOther, []string{"anne.ppt", "ingrid.hs", "tor.rusleder"}, nil},
	}
	if len(teams) != len(want) {
		t.Errorf("%d teams, want %d", len(teams), len(want))
	}
	for _, team := range teams {
		w, ok := want[team.Name]
		if !ok {
			t.Errorf("unexpected team %q", team.Name)
			continue
		}
		var members, submitters []string
		for _, id := range team.MemberIDs {
			members = append(members, byID[id].Username)
		}
		for _, id := range team.SubmitterIDs {
			s, err := store.ServiceByID(tx, id)
			if err != nil {
				return err
			}
			submitters = append(submitters, s.Name)
		}
		slices.Sort(members)
		slices.Sort(submitters)
		if team.Kind != w.kind || !slices.Equal(members, w.members) || !slices.Equal(submitters, w.submitters) ||
			team.Purpose == "" {
			t.Errorf("%s: kind %s, members %q, submitters %q; want %s, %q, %q", team.Name, team.Kind, members,
				submitters, w.kind, w.members, w.submitters)
		}
		// Seed 002 §3.3 gives every team a leader and a meeting frequency.
		if !slices.Contains(team.MemberIDs, team.LeaderID) || team.MeetingRule == "" {
			t.Errorf("%s: leader %q, meeting rule %q; want a member leading and a rule", team.Name, team.LeaderID,
				team.MeetingRule)
		}
	}
	return nil
}

func TestSeedDemoPersonsAreSynthetic(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		seedDemo(t, db)
		err := db.Read(context.Background(), func(tx *store.Tx) error {
			persons, err := store.ListPersons(tx, 1000)
			if err != nil {
				return err
			}
			if len(persons) < 30 {
				t.Errorf("%d demo persons, want a few dozen", len(persons))
			}
			kinds := map[samordna.IDKind]int{}
			var expected []*samordna.Person
			for _, p := range persons {
				if p.Expected() {
					expected = append(expected, p)
					continue
				}
				kinds[p.IDKind]++
				checkSyntheticNumber(t, p)
			}
			if kinds[samordna.IDKindDNR] != 1 {
				t.Errorf("id kinds = %v, want one D-nummer", kinds)
			}
			if len(expected) != 1 || expected[0].DueDate != "2026-07-02" {
				return fmt.Errorf("expected children = %+v, want one due 2026-07-02", expected)
			}
			rels, err := store.RelationsOf(tx, expected[0].ID)
			if !slices.ContainsFunc(rels, func(r samordna.Relation) bool { return r.Kind == samordna.RelationExpecting }) {
				t.Errorf("the expected child's relations %+v lack the pregnant woman", rels)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

// checkSyntheticNumber checks that p's number is valid only as a synthetic
// number and agrees with what is stored about p.
func checkSyntheticNumber(t *testing.T, p *samordna.Person) {
	t.Helper()
	n, err := samordna.ParseIDNumber(p.IDNumber, true)
	if err != nil {
		t.Errorf("%s: demo number invalid: %v", p.Name, err)
		return
	}
	if _, err := samordna.ParseIDNumber(p.IDNumber, false); !errors.Is(err, samordna.ErrIDSynthetic) {
		t.Errorf("%s: demo number accepted as real (%v)", p.Name, err)
	}
	if !p.Synthetic || !n.Synthetic || n.Kind != p.IDKind || n.BirthDate.Format(time.DateOnly) != p.BirthDate {
		t.Errorf("%s: stored %+v, number says %+v", p.Name, p, n)
	}
	if !n.BirthDate.Before(demoToday) {
		t.Errorf("%s: born %s, after the reference date", p.Name, p.BirthDate)
	}
}

func TestSeedDemoFamilies(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		seedDemo(t, db)
		err := db.Read(context.Background(), func(tx *store.Tx) error {
			persons, err := store.ListPersons(tx, 1000)
			if err != nil {
				return err
			}
			byName := map[string]*samordna.Person{}
			for _, p := range persons {
				byName[p.Name] = p
			}
			// The single mother with substance problems and her two small children.
			camilla := byName["Camilla Berg"]
			rels, err := store.RelationsOf(tx, camilla.ID)
			if err != nil {
				return err
			}
			children := map[string]int{}
			for _, r := range rels {
				if r.PersonID == camilla.ID {
					children[r.RelatedID]++
				}
			}
			if len(children) != 2 || children[byName["Oliver Berg"].ID] != 2 || children[byName["Sofie Berg"].ID] != 2 {
				t.Errorf("Camilla Berg's relations = %+v", rels)
			}
			// A child's guardians are found from the child.
			rels, err = store.RelationsOf(tx, byName["Emma Hansen"].ID)
			var guardians []string
			for _, r := range rels {
				if r.Kind == samordna.RelationGuardianOf {
					guardians = append(guardians, r.PersonID)
				}
			}
			if !sameIDs(guardians, []string{byName["Kristin Hansen"].ID, byName["Thomas Hansen"].ID}) {
				t.Errorf("Emma Hansen's guardians = %v", guardians)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

// sameIDs reports whether a and b hold the same ids in any order.
func sameIDs(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func TestSeedDemoIsDeterministic(t *testing.T) {
	numbers := func() []string {
		db := dbtest.Open(t, store.SQLite)
		seedDemo(t, db)
		var out []string
		err := db.Read(context.Background(), func(tx *store.Tx) error {
			persons, err := store.ListPersons(tx, 1000)
			for _, p := range persons {
				out = append(out, p.Name+" "+p.IDNumber+" "+p.BirthDate+" "+p.DueDate)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	a, b := numbers(), numbers()
	if !slices.Equal(a, b) {
		t.Errorf("two seedings differ:\n%q\n%q", a, b)
	}
}

// counts returns the number of rows of the tables SeedDemo writes.
func counts(t *testing.T, db *store.DB) map[string]int {
	t.Helper()
	out := map[string]int{}
	err := db.Read(context.Background(), func(tx *store.Tx) error {
		for _, table := range []string{"municipalities", "employees", "services", "service_members", "teams",
			"team_members", "persons", "person_relations", "audit_events", "meta"} {
			var n int
			if err := tx.QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
				return err
			}
			out[table] = n
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestSeedDemoOnlyIntoEmptyDatabase(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := app.New(db, demoClock{demoToday}, nil)
		if empty, err := a.IsEmpty(ctx); err != nil || !empty {
			t.Fatalf("IsEmpty before seeding = %v, %v", empty, err)
		}
		if demo, err := a.IsDemo(ctx); err != nil || demo {
			t.Fatalf("IsDemo before seeding = %v, %v", demo, err)
		}
		if _, err := a.SeedDemo(ctx, demoPassword); err != nil {
			t.Fatal(err)
		}
		if demo, err := a.IsDemo(ctx); err != nil || !demo {
			t.Errorf("IsDemo after seeding = %v, %v", demo, err)
		}
		if empty, err := a.IsEmpty(ctx); err != nil || empty {
			t.Errorf("IsEmpty after seeding = %v, %v", empty, err)
		}
		before := counts(t, db)
		_, err := a.SeedDemo(ctx, demoPassword)
		wantCode(t, err, samordna.KindConflict, "database_not_empty")
		if after := counts(t, db); !maps.Equal(before, after) {
			t.Errorf("a refused second seeding changed the database:\n%v\n%v", before, after)
		}
	})
}

func TestSeedDemoWritesAllOrNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := app.New(db, demoClock{demoToday}, nil)
		_, err := a.SeedDemo(ctx, "short")
		wantCode(t, err, samordna.KindInvalid, "weak_password")
		boom := errors.New("disk full")
		db.SetBeforeCommit(func(*store.Tx) error { return boom })
		if _, err := a.SeedDemo(ctx, demoPassword); !errors.Is(err, boom) {
			t.Fatalf("SeedDemo with a failing commit = %v", err)
		}
		db.SetBeforeCommit(nil)
		for table, n := range counts(t, db) {
			if n != 0 {
				t.Errorf("%s has %d rows after a failed seeding", table, n)
			}
		}
		if demo, _ := a.IsDemo(ctx); demo {
			t.Error("a failed seeding marked the database as a demo")
		}
		if _, err := a.SeedDemo(ctx, demoPassword); err != nil {
			t.Fatalf("seeding after a failed attempt: %v", err)
		}
	})
}

func TestIsDemoFalseForRealMunicipality(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newPersonsApp(t, db)
		if demo, err := a.IsDemo(ctx); err != nil || demo {
			t.Errorf("IsDemo = %v, %v for a real municipality", demo, err)
		}
		_, err := a.SeedDemo(ctx, demoPassword)
		wantCode(t, err, samordna.KindConflict, "database_not_empty")
	})
}

func TestOrgUseCases(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newPersonsApp(t, db)
		rektor, err := a.CreateUser(ctx, nil, app.NewUser{Username: "rektor", Name: "Rita Rektor"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = a.CreateService(ctx, nil, app.NewService{Name: " ", Kind: samordna.ServiceSchool})
		wantCode(t, err, samordna.KindInvalid, "name_required")
		_, err = a.CreateService(ctx, nil, app.NewService{Name: "Skolen", Kind: "castle"})
		wantCode(t, err, samordna.KindInvalid, "invalid_service_kind")
		_, err = a.CreateService(ctx, nil, app.NewService{Name: "Skolen", Kind: samordna.ServiceSchool, LeaderIDs: []string{"nobody"}})
		wantCode(t, err, samordna.KindInvalid, "unknown_employee")
		school, err := a.CreateService(ctx, nil, app.NewService{Name: "Skolen", Kind: samordna.ServiceSchool,
			LeaderIDs: []string{rektor.ID}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = a.CreateService(ctx, nil, app.NewService{Name: "skolen", Kind: samordna.ServiceSchool})
		wantCode(t, err, samordna.KindConflict, "service_exists")
		if err := a.AddServiceMember(ctx, nil, "missing", rektor.ID); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("AddServiceMember(missing service) = %v", err)
		}
		_, err = a.CreateTeam(ctx, nil, app.NewTeam{Name: "TST", Kind: samordna.TeamInterdisciplinary,
			MemberIDs: []string{rektor.ID}, SubmitterIDs: []string{"missing"}})
		wantCode(t, err, samordna.KindInvalid, "unknown_service")
		_, err = a.CreateTeam(ctx, nil, app.NewTeam{Name: "TST", Kind: "club", MemberIDs: []string{rektor.ID}})
		wantCode(t, err, samordna.KindInvalid, "invalid_team_kind")
		team, err := a.CreateTeam(ctx, nil, app.NewTeam{Name: "TST", Kind: samordna.TeamInterdisciplinary,
			MemberIDs: []string{rektor.ID, rektor.ID}, SubmitterIDs: []string{school.ID}})
		if err != nil {
			t.Fatal(err)
		}
		err = db.Read(ctx, func(tx *store.Tx) error {
			e, err := store.EmployeeByID(tx, rektor.ID)
			if err != nil {
				return err
			}
			if len(e.Services) != 1 || !slices.Equal(e.Services[0].LeaderIDs, []string{rektor.ID}) {
				t.Errorf("the leader is not a member of the service: %+v", e.Services)
			}
			got, err := store.TeamByID(tx, team.ID)
			if err == nil && (len(got.MemberIDs) != 1 || len(got.SubmitterIDs) != 1) {
				t.Errorf("team %+v", got)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
