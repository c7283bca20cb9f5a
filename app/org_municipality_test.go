package app_test

import (
	"context"
	"testing"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// The administrator builds their own municipality only: another
// municipality's employee cannot be made a team member, a service's leader
// or member, and another municipality's service cannot submit to a team —
// each is as unknown as a missing one, and nothing is made.
func TestOrganisationNamesOnlyTheMunicipalitysOwn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db, at(2026, 3, 2, 10, 0))
		ctx := context.Background()
		other := &samordna.Employee{ID: samordna.NewID(), Username: "nabo", Name: "Nina Nabo",
			Roles: []samordna.Role{samordna.RoleEmployee}}
		otherSvc := &samordna.Service{ID: samordna.NewID(), Name: "Nabokommunens skole", Kind: samordna.ServiceSchool}
		w.must(db.Write(ctx, func(tx *store.Tx) error {
			m := &samordna.Municipality{ID: samordna.NewID(), Name: "Nabovik", Number: "9996"}
			if err := store.CreateMunicipality(tx, m, w.clock.Now()); err != nil {
				return err
			}
			other.MunicipalityID, otherSvc.MunicipalityID = m.ID, m.ID
			if err := store.CreateEmployee(tx, other, "", w.clock.Now()); err != nil {
				return err
			}
			return store.CreateService(tx, otherSvc, w.clock.Now())
		}))
		admin := w.as("admin")
		teams := w.count("teams")
		_, err := w.app.CreateTeam(ctx, admin, app.NewTeam{Name: "Ressursgruppa", Kind: samordna.TeamResourceGroup,
			MemberIDs: []string{w.id("ingrid"), other.ID}})
		wantErrCode(t, err, "unknown_employee")
		_, err = w.app.CreateTeam(ctx, admin, app.NewTeam{Name: "Ressursgruppa", Kind: samordna.TeamResourceGroup,
			LeaderID: other.ID, MemberIDs: []string{w.id("ingrid")}})
		wantErrCode(t, err, "unknown_employee")
		_, err = w.app.CreateTeam(ctx, admin, app.NewTeam{Name: "TST", Kind: samordna.TeamInterdisciplinary,
			MemberIDs: []string{w.id("ingrid")}, SubmitterIDs: []string{otherSvc.ID}})
		wantErrCode(t, err, "unknown_service")
		if n := w.count("teams"); n != teams {
			t.Errorf("teams: %d, want %d", n, teams)
		}
		_, err = w.app.CreateService(ctx, admin, app.NewService{Name: "Ny skole", Kind: samordna.ServiceSchool,
			LeaderIDs: []string{other.ID}})
		wantErrCode(t, err, "unknown_employee")
		var school string
		w.must(db.Read(ctx, func(tx *store.Tx) error {
			s, err := store.FirstServiceOfKind(tx, w.as("ola").Employee.MunicipalityID, samordna.ServiceSchool)
			if err == nil {
				school = s.ID
			}
			return err
		}))
		wantErrCode(t, w.app.AddServiceMember(ctx, admin, school, other.ID), "unknown_employee")
		wantErrCode(t, w.app.SetServiceLeader(ctx, admin, school, other.ID), "unknown_employee")
	})
}
