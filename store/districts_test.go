package store_test

import (
	"testing"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// TestDistrictsServicesAndTeamsKeepTheirOrganisation checks that the
// organisation a municipality sets up itself (issue 12) is stored and read
// back: districts by name, a school's district and external id, a team's
// district, meeting rule and leader, an employee's external id; and that a
// second district or external id of the same name is refused.
func TestDistrictsServicesAndTeamsKeepTheirOrganisation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
		m := &samordna.Municipality{ID: samordna.NewID(), Name: "Hammerfest", Number: "5603"}
		err := db.Write(t.Context(), func(tx *store.Tx) error {
			if err := store.CreateMunicipality(tx, m, now); err != nil {
				return err
			}
			for _, name := range []string{"Sør", "Nord", "Sentrum"} {
				if err := store.CreateDistrict(tx, &samordna.District{MunicipalityID: m.ID, Name: name}, now); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var districts []*samordna.District
		err = db.Read(t.Context(), func(tx *store.Tx) error {
			var err error
			districts, err = store.ListDistricts(tx, m.ID)
			return err
		})
		if err != nil || len(districts) != 3 || districts[0].Name != "Nord" || districts[2].Name != "Sør" {
			t.Fatalf("districts = %v, %v; want Nord, Sentrum, Sør", districts, err)
		}
		nord := districts[0]
		err = db.Write(t.Context(), func(tx *store.Tx) error {
			return store.CreateDistrict(tx, &samordna.District{MunicipalityID: m.ID, Name: "Nord"}, now)
		})
		if samordna.ErrorCode(err) != "district_exists" {
			t.Fatalf("second Nord: %v, want district_exists", err)
		}

		emp := &samordna.Employee{ID: samordna.NewID(), MunicipalityID: m.ID, Username: "leder", Name: "Lene Leder",
			ExternalID: "ansatt-17"}
		school := &samordna.Service{MunicipalityID: m.ID, Name: "Fjord skole", Kind: samordna.ServiceSchool,
			DistrictID: nord.ID, ExternalID: "SK-01"}
		team := &samordna.Team{MunicipalityID: m.ID, Name: "TST Nord", Kind: samordna.TeamInterdisciplinary,
			DistrictID: nord.ID, MeetingRule: "monthly", LeaderID: emp.ID, MemberIDs: []string{emp.ID}}
		err = db.Write(t.Context(), func(tx *store.Tx) error {
			if err := store.CreateEmployee(tx, emp, "", now); err != nil {
				return err
			}
			if err := store.CreateService(tx, school, now); err != nil {
				return err
			}
			return store.CreateTeam(tx, team, now)
		})
		if err != nil {
			t.Fatal(err)
		}
		err = db.Read(t.Context(), func(tx *store.Tx) error {
			s, err := store.ServiceByID(tx, school.ID)
			if err != nil {
				return err
			}
			if s.DistrictID != nord.ID || s.ExternalID != "SK-01" {
				t.Errorf("school = %+v, want district Nord and external id SK-01", s)
			}
			tm, err := store.TeamByID(tx, team.ID)
			if err != nil {
				return err
			}
			if tm.DistrictID != nord.ID || tm.MeetingRule != "monthly" || tm.LeaderID != emp.ID {
				t.Errorf("team = %+v, want district Nord, monthly, led by Lene", tm)
			}
			e, err := store.EmployeeByID(tx, emp.ID)
			if err != nil {
				return err
			}
			if e.ExternalID != "ansatt-17" {
				t.Errorf("employee external id = %q, want ansatt-17", e.ExternalID)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		err = db.Write(t.Context(), func(tx *store.Tx) error {
			return store.CreateService(tx, &samordna.Service{MunicipalityID: m.ID, Name: "Annen skole",
				Kind: samordna.ServiceSchool, ExternalID: "SK-01"}, now)
		})
		if err == nil {
			t.Fatal("a second service with external id SK-01 was stored")
		}
	})
}
