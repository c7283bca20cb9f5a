package app_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// orgAudits counts the audit rows with the object type, action and outcome.
func orgAudits(t *testing.T, db *store.DB, objectType, action, outcome string) int {
	t.Helper()
	var n int
	err := db.Read(context.Background(), func(tx *store.Tx) error {
		return tx.QueryRow(`SELECT COUNT(*) FROM audit_events WHERE object_type = $1 AND action = $2 AND outcome = $3`,
			objectType, action, outcome).Scan(&n)
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// The administrator sets up districts, a school with two leaders, a TST
// with a meeting rule and an employee's roles and services; every change is
// audited, bad input is refused with its code, and a caseworker is refused
// as if nothing existed.
func TestOrganisationAdministration(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newPersonsApp(t, db)
		mk := func(username, name string, roles ...samordna.Role) *samordna.Employee {
			e, err := a.CreateUser(ctx, nil, app.NewUser{Username: username, Name: name, Roles: roles})
			if err != nil {
				t.Fatal(err)
			}
			return e
		}
		adm := mk("admin", "Marius Lie", samordna.RoleAdmin)
		rektor := mk("rektor", "Rita Rektor", samordna.RoleServiceLeader)
		assist := mk("assist", "Anders Assisterende", samordna.RoleServiceLeader)
		worker := mk("kari", "Kari Ke", samordna.RoleCoordinatingUnit)
		admin := &samordna.Actor{Employee: adm, RequestID: "t"}
		caseworker := &samordna.Actor{Employee: worker, RequestID: "t"}

		// A caseworker is refused every change and the view, with a denied row.
		if _, err := a.CreateDistrict(ctx, caseworker, "Nord"); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("CreateDistrict by a caseworker = %v, want not found", err)
		}
		if _, err := a.Organisation(ctx, caseworker); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("Organisation for a caseworker = %v, want not found", err)
		}
		if err := a.UpdateEmployee(ctx, caseworker, worker.ID, app.EmployeeChange{Name: "Kari",
			Roles: []samordna.Role{samordna.RoleAdmin}}); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("UpdateEmployee by a caseworker = %v, want not found", err)
		}
		if n := orgAudits(t, db, "district", "create", "denied"); n != 1 {
			t.Errorf("denied district rows = %d, want 1", n)
		}

		nord, err := a.CreateDistrict(ctx, admin, " Nord ")
		if err != nil || nord.Name != "Nord" {
			t.Fatalf("CreateDistrict = %+v, %v", nord, err)
		}
		_, err = a.CreateDistrict(ctx, admin, "NORD")
		wantCode(t, err, samordna.KindConflict, "district_exists")
		_, err = a.CreateDistrict(ctx, admin, "")
		wantCode(t, err, samordna.KindInvalid, "name_required")
		sor, err := a.CreateDistrict(ctx, admin, "Sør")
		if err != nil {
			t.Fatal(err)
		}
		wantCode(t, a.RenameDistrict(ctx, admin, sor.ID, "nord"), samordna.KindConflict, "district_exists")
		if err := a.RenameDistrict(ctx, admin, sor.ID, "Sørbyen"); err != nil {
			t.Fatal(err)
		}
		if err := a.RenameDistrict(ctx, admin, "missing", "X"); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("RenameDistrict(missing) = %v", err)
		}

		_, err = a.CreateService(ctx, admin, app.NewService{Name: "Skolen", Kind: samordna.ServiceSchool, DistrictID: "nowhere"})
		wantCode(t, err, samordna.KindInvalid, "unknown_district")
		school, err := a.CreateService(ctx, admin, app.NewService{Name: "Nordby skole", Kind: samordna.ServiceSchool,
			DistrictID: nord.ID, LeaderIDs: []string{rektor.ID, assist.ID, rektor.ID}})
		if err != nil {
			t.Fatal(err)
		}
		bothLeaders := []string{rektor.ID, assist.ID}
		slices.Sort(bothLeaders)
		err = db.Read(ctx, func(tx *store.Tx) error {
			s, err := store.ServiceByID(tx, school.ID)
			if err != nil {
				return err
			}
			if !slices.Equal(s.LeaderIDs, bothLeaders) || s.DistrictID != nord.ID {
				t.Errorf("school = %+v, want two leaders in Nord", s)
			}
			members, err := store.ServiceMemberIDs(tx, school.ID)
			if err != nil {
				return err
			}
			for _, l := range bothLeaders {
				if !slices.Contains(members, l) {
					t.Errorf("leader %s is not a member", l)
				}
				if leads, err := store.LeadsService(tx, l, school.ID); err != nil || !leads {
					t.Errorf("LeadsService(%s) = %v, %v", l, leads, err)
				}
			}
			// Both leaders hear about the teacher's matters (LeadersOf).
			got, err := store.LeadersOf(tx, []string{worker.ID})
			if err != nil || len(got) != 0 {
				t.Errorf("LeadersOf(kari) before membership = %v, %v", got, err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}

		// Moving the school and keeping only the assistant as leader.
		if err := a.UpdateService(ctx, admin, school.ID, app.NewService{Name: "Nordby skole", Kind: samordna.ServiceSchool,
			DistrictID: sor.ID, LeaderIDs: []string{assist.ID}}); err != nil {
			t.Fatal(err)
		}
		other, err := a.CreateService(ctx, admin, app.NewService{Name: "PPT", Kind: samordna.ServicePPT})
		if err != nil {
			t.Fatal(err)
		}
		wantCode(t, a.UpdateService(ctx, admin, other.ID, app.NewService{Name: "nordby skole", Kind: samordna.ServicePPT}),
			samordna.KindConflict, "service_exists")

		// Teams: meeting rule, district, leader made a member, members changed.
		_, err = a.CreateTeam(ctx, admin, app.NewTeam{Name: "TST Nord", Kind: samordna.TeamInterdisciplinary,
			MeetingRule: "fortnightly", MemberIDs: []string{worker.ID}})
		wantCode(t, err, samordna.KindInvalid, "invalid_meeting_rule")
		tst, err := a.CreateTeam(ctx, admin, app.NewTeam{Name: "TST Nord", Kind: samordna.TeamInterdisciplinary,
			DistrictID: nord.ID, MeetingRule: "every_6_weeks", LeaderID: rektor.ID, MemberIDs: []string{worker.ID},
			SubmitterIDs: []string{school.ID}})
		if err != nil {
			t.Fatal(err)
		}
		if err := a.UpdateTeam(ctx, admin, tst.ID, app.NewTeam{Name: "TST Nord", Kind: samordna.TeamInterdisciplinary,
			DistrictID: nord.ID, MeetingRule: "monthly", MemberIDs: []string{assist.ID}}); err != nil {
			t.Fatal(err)
		}
		if err := a.UpdateTeam(ctx, caseworker, tst.ID, app.NewTeam{Name: "X", Kind: samordna.TeamOther,
			MemberIDs: []string{worker.ID}}); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("UpdateTeam by a caseworker = %v", err)
		}
		err = db.Read(ctx, func(tx *store.Tx) error {
			got, err := store.TeamByID(tx, tst.ID)
			if err != nil {
				return err
			}
			if got.MeetingRule != "monthly" || got.LeaderID != "" || !slices.Equal(got.MemberIDs, []string{assist.ID}) ||
				len(got.SubmitterIDs) != 0 || got.DistrictID != nord.ID {
				t.Errorf("team after update = %+v", got)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}

		// Employees: roles granted and revoked, services changed; a leader
		// cannot leave the service they lead; the administrator keeps their role.
		err = a.UpdateEmployee(ctx, admin, worker.ID, app.EmployeeChange{Name: "Kari Ke", Title: "Rådgiver",
			Roles: []samordna.Role{samordna.RoleEmployee, samordna.RoleChildWelfare}, ServiceIDs: []string{school.ID}})
		if err != nil {
			t.Fatal(err)
		}
		err = db.Read(ctx, func(tx *store.Tx) error {
			e, err := store.EmployeeByID(tx, worker.ID)
			if err != nil {
				return err
			}
			if e.Title != "Rådgiver" || !e.HasRole(samordna.RoleChildWelfare) || e.HasRole(samordna.RoleCoordinatingUnit) ||
				len(e.Services) != 1 || e.Services[0].ID != school.ID {
				t.Errorf("employee after update = %+v", e)
			}
			got, err := store.LeadersOf(tx, []string{worker.ID})
			if err != nil || !slices.Equal(got, []string{assist.ID}) {
				t.Errorf("LeadersOf(kari) = %v, %v; want the school's leader", got, err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		wantCode(t, a.UpdateEmployee(ctx, admin, assist.ID, app.EmployeeChange{Name: "Anders",
			Roles: []samordna.Role{samordna.RoleServiceLeader}}), samordna.KindInvalid, "leader_must_be_member")
		wantCode(t, a.UpdateEmployee(ctx, admin, adm.ID, app.EmployeeChange{Name: "Marius Lie",
			Roles: []samordna.Role{samordna.RoleEmployee}}), samordna.KindInvalid, "own_admin_role")
		wantCode(t, a.UpdateEmployee(ctx, admin, worker.ID, app.EmployeeChange{Name: "Kari Ke"}),
			samordna.KindInvalid, "roles_required")

		for _, c := range []struct {
			object, action string
			want           int
		}{{"district", "create", 2}, {"district", "rename", 1}, {"service", "create", 2}, {"service", "update", 1},
			{"team", "create", 1}, {"team", "update", 1}, {"employee", "update", 1}, {"employee", "grant_role", 2},
			{"employee", "revoke_role", 1}, {"service", "add_member", 1}} {
			if n := orgAudits(t, db, c.object, c.action, "allowed"); n != c.want {
				t.Errorf("audit %s %s = %d, want %d", c.object, c.action, n, c.want)
			}
		}
	})
}
