package store_test

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

var orgTestNow = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// orgWrite runs fn in a write transaction and fails the test on error.
func orgWrite(t *testing.T, db *store.DB, fn func(tx *store.Tx) error) {
	t.Helper()
	if err := db.Write(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}

// orgRead runs fn in a read transaction and fails the test on error.
func orgRead(t *testing.T, db *store.DB, fn func(tx *store.Tx) error) {
	t.Helper()
	if err := db.Read(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}

// orgSeed creates a municipality and one employee per username and
// returns the municipality id and the employee ids by username.
func orgSeed(t *testing.T, db *store.DB, usernames ...string) (string, map[string]string) {
	t.Helper()
	m := &samordna.Municipality{ID: samordna.NewID(), Name: "Testvik", Number: "9998"}
	ids := map[string]string{}
	orgWrite(t, db, func(tx *store.Tx) error {
		if err := store.CreateMunicipality(tx, m, orgTestNow); err != nil {
			return err
		}
		for _, u := range usernames {
			e := &samordna.Employee{ID: samordna.NewID(), MunicipalityID: m.ID, Username: u, Name: u,
				Roles: []samordna.Role{samordna.RoleEmployee}}
			if err := store.CreateEmployee(tx, e, "", orgTestNow); err != nil {
				return err
			}
			ids[u] = e.ID
		}
		return nil
	})
	return m.ID, ids
}

func TestServicesRoundTrip(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		mid, emp := orgSeed(t, db, "rektor", "laerer")
		school := &samordna.Service{MunicipalityID: mid, Name: "Østby skole", Kind: samordna.ServiceSchool}
		ppt := &samordna.Service{MunicipalityID: mid, Name: "PPT", Kind: samordna.ServicePPT}
		ahus := &samordna.Service{MunicipalityID: mid, Name: "Åsen barnehage", Kind: samordna.ServiceKindergarten,
			LeaderIDs: []string{emp["rektor"]}}
		orgWrite(t, db, func(tx *store.Tx) error {
			for _, s := range []*samordna.Service{school, ppt, ahus} {
				if err := store.CreateService(tx, s, orgTestNow); err != nil {
					return err
				}
			}
			if err := store.SetServiceLeader(tx, school.ID, emp["rektor"]); err != nil {
				return err
			}
			// A second leader for the kindergarten.
			if err := store.SetServiceLeaders(tx, ahus.ID, []string{emp["rektor"], emp["laerer"]}); err != nil {
				return err
			}
			if err := store.AddServiceMember(tx, school.ID, emp["laerer"]); err != nil {
				return err
			}
			// Adding a member twice is harmless.
			return store.AddServiceMember(tx, school.ID, emp["laerer"])
		})
		if school.ID == "" {
			t.Fatal("CreateService did not fill the id")
		}
		orgRead(t, db, func(tx *store.Tx) error {
			got, err := store.ServiceByID(tx, school.ID)
			if err != nil {
				return err
			}
			want := *school
			want.LeaderIDs = []string{emp["rektor"]}
			if !reflect.DeepEqual(*got, want) {
				t.Errorf("ServiceByID = %+v, want %+v", *got, want)
			}
			if p, _ := store.ServiceByID(tx, ppt.ID); len(p.LeaderIDs) != 0 {
				t.Errorf("PPT has leaders %q, want none", p.LeaderIDs)
			}
			a, _ := store.ServiceByID(tx, ahus.ID)
			want2 := []string{emp["rektor"], emp["laerer"]}
			slices.Sort(want2)
			if !slices.Equal(a.LeaderIDs, want2) {
				t.Errorf("Åsen leaders = %q, want %q", a.LeaderIDs, want2)
			}
			for _, who := range []string{"rektor", "laerer"} {
				if leads, err := store.LeadsService(tx, emp[who], ahus.ID); err != nil || !leads {
					t.Errorf("LeadsService(%s, Åsen) = %v, %v; want true", who, leads, err)
				}
			}
			list, err := store.ListServices(tx)
			if err != nil {
				return err
			}
			var names []string
			for _, s := range list {
				names = append(names, s.Name)
			}
			// Byte order, identical on both databases.
			if want := []string{"PPT", "Åsen barnehage", "Østby skole"}; !slices.Equal(names, want) {
				t.Errorf("ListServices = %q, want %q", names, want)
			}
			members, err := store.ServiceMemberIDs(tx, school.ID)
			if err != nil {
				return err
			}
			if !slices.Equal(members, []string{emp["laerer"]}) {
				t.Errorf("members = %v, want [laerer]", members)
			}
			e, err := store.EmployeeByID(tx, emp["laerer"])
			if err != nil {
				return err
			}
			if len(e.Services) != 1 || e.Services[0].ID != school.ID || !slices.Equal(e.Services[0].LeaderIDs, []string{emp["rektor"]}) {
				t.Errorf("employee services = %+v", e.Services)
			}
			return nil
		})
		// Removing the leader, and a missing service.
		orgWrite(t, db, func(tx *store.Tx) error {
			if err := store.SetServiceLeader(tx, school.ID, ""); err != nil {
				return err
			}
			if err := store.SetServiceLeader(tx, "missing", emp["rektor"]); !errors.Is(err, samordna.ErrNotFound) {
				t.Errorf("SetServiceLeader(missing) = %v, want not found", err)
			}
			if _, err := store.ServiceByID(tx, "missing"); !errors.Is(err, samordna.ErrNotFound) {
				t.Errorf("ServiceByID(missing) = %v, want not found", err)
			}
			s, err := store.ServiceByID(tx, school.ID)
			if err == nil && len(s.LeaderIDs) != 0 {
				t.Errorf("leaders = %q after removal", s.LeaderIDs)
			}
			return err
		})
	})
}

func TestTeamsRoundTrip(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		mid, emp := orgSeed(t, db, "ppt", "hs", "bv")
		school := &samordna.Service{MunicipalityID: mid, Name: "Nordby skole", Kind: samordna.ServiceSchool}
		kg := &samordna.Service{MunicipalityID: mid, Name: "Solsikken barnehage", Kind: samordna.ServiceKindergarten}
		tst := &samordna.Team{MunicipalityID: mid, Name: "TST Nord", Kind: samordna.TeamInterdisciplinary,
			Purpose: "Samordne tiltak", MemberIDs: []string{emp["ppt"], emp["hs"], emp["bv"], emp["bv"]}}
		ost := &samordna.Team{MunicipalityID: mid, Name: "OST", Kind: samordna.TeamOverarching,
			MemberIDs: []string{emp["bv"]}}
		orgWrite(t, db, func(tx *store.Tx) error {
			for _, s := range []*samordna.Service{school, kg} {
				if err := store.CreateService(tx, s, orgTestNow); err != nil {
					return err
				}
			}
			tst.SubmitterIDs = []string{school.ID, kg.ID}
			if err := store.CreateTeam(tx, tst, orgTestNow); err != nil {
				return err
			}
			return store.CreateTeam(tx, ost, orgTestNow)
		})
		orgRead(t, db, func(tx *store.Tx) error {
			got, err := store.TeamByID(tx, tst.ID)
			if err != nil {
				return err
			}
			if got.Name != "TST Nord" || got.Kind != samordna.TeamInterdisciplinary || got.Purpose != "Samordne tiltak" ||
				got.MunicipalityID != mid {
				t.Errorf("TeamByID = %+v", got)
			}
			if !orgSameSet(got.MemberIDs, []string{emp["ppt"], emp["hs"], emp["bv"]}) {
				t.Errorf("members = %v", got.MemberIDs)
			}
			if !orgSameSet(got.SubmitterIDs, []string{school.ID, kg.ID}) {
				t.Errorf("submitters = %v", got.SubmitterIDs)
			}
			all, err := store.ListTeams(tx)
			if err != nil {
				return err
			}
			if len(all) != 2 || all[0].Name != "OST" || all[1].Name != "TST Nord" || len(all[1].SubmitterIDs) != 2 {
				t.Errorf("ListTeams = %+v", all)
			}
			of, err := store.TeamsOfEmployee(tx, emp["bv"])
			if err != nil {
				return err
			}
			if len(of) != 2 {
				t.Errorf("TeamsOfEmployee(bv) = %d teams, want 2", len(of))
			}
			of, err = store.TeamsOfEmployee(tx, emp["hs"])
			if err != nil {
				return err
			}
			if len(of) != 1 || of[0].ID != tst.ID || len(of[0].MemberIDs) != 3 {
				t.Errorf("TeamsOfEmployee(hs) = %+v", of)
			}
			if _, err := store.TeamByID(tx, "missing"); !errors.Is(err, samordna.ErrNotFound) {
				t.Errorf("TeamByID(missing) = %v, want not found", err)
			}
			return nil
		})
	})
}

// orgSameSet reports whether a and b hold the same strings, in any order.
func orgSameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
