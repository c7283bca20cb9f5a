package app_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// The yearly counts the coordinating unit collects, against a hand count
// of a story over three years.
func TestYearlyCountsMatchHandCount(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newCoordWorld(t, db)
		ctx := context.Background()
		at := func(s string) { w.clock.mu.Lock(); w.clock.now = date(s).Add(10 * time.Hour); w.clock.mu.Unlock() }
		members := []app.NewGroupMember{{Username: "anne"}}

		// 2025: case A gets ingrid and a group, closed in November.
		at("2025-02-03")
		caseA, _ := w.grantedCase(w.child)
		w.consent(caseA, samordna.PurposeResponsibilityGroup, samordna.PurposeRegisterWithUnit)
		_, err := w.app.CreateGroup(ctx, w.as("ingrid"), caseA, members)
		w.must(err)
		at("2025-11-20")
		w.must(w.app.CloseGroup(ctx, w.as("kari"), caseA, "Familien flytter"))
		// Case B gets anne in June 2025, handed to ingrid in January 2026,
		// and a group in February 2026 (no consent to register it: the
		// person applied with their own signed application).
		at("2025-06-10")
		caseB := w.bareCase(w.adult)
		form, err := w.app.UploadConsentForm(ctx, w.as("ola"), caseB, "application/pdf", []byte("%PDF-1.4\nsøknad\n%%EOF\n"))
		w.must(err)
		ap, err := w.app.SubmitApplication(ctx, w.as("ola"), caseB, app.NewApplication{Coordinator: true, SignedFormID: form.ID})
		w.must(err)
		_, err = w.app.DecideApplication(ctx, w.as("kari"), ap.ID, app.Decision{Outcome: "granted", Coordinator: "anne"})
		w.must(err)
		at("2026-01-15")
		_, err = w.app.HandoverCoordinator(ctx, w.as("anne"), caseB, "ingrid")
		w.must(err)
		_, err = w.app.AcceptCoordinator(ctx, w.as("ingrid"), caseB)
		w.must(err)
		at("2026-02-02")
		_, err = w.app.RecordConsent(ctx, w.as("ingrid"), caseB, app.NewConsent{GivenBy: "Bjørn Eriksen",
			Purposes: []samordna.ConsentPurpose{samordna.PurposeResponsibilityGroup}})
		w.must(err)
		_, err = w.app.CreateGroup(ctx, w.as("ingrid"), caseB, members)
		w.must(err)
		// Case C is refused; case D waits.
		caseC := w.newCase(w.adult)
		apC, err := w.app.SubmitApplication(ctx, w.as("ola"), caseC, app.NewApplication{IndividualPlan: true})
		w.must(err)
		_, err = w.app.DecideApplication(ctx, w.as("kari"), apC.ID, app.Decision{Outcome: "refused", Reason: "Ikke behov"})
		w.must(err)
		caseD := w.newCase(w.child)
		_, err = w.app.SubmitApplication(ctx, w.as("ola"), caseD, app.NewApplication{Coordinator: true})
		w.must(err)

		for _, c := range []app.YearlyCounts{
			{Year: 2024},
			{Year: 2025, ResponsibilityGroups: 1, GroupsEstablished: 1, GroupsClosed: 1, Coordinators: 2, CoordinatorEmployees: 2},
			{Year: 2026, ResponsibilityGroups: 1, GroupsEstablished: 1, Coordinators: 2, CoordinatorEmployees: 2},
		} {
			got, err := w.app.YearlyCountsFor(ctx, w.as("kari"), c.Year)
			w.must(err)
			got.TargetGroups = nil // counted in TestSeed002Section23CaseTargetGroupsAreSetAndCounted
			if !reflect.DeepEqual(*got, c) {
				t.Errorf("%d: got %+v, want %+v", c.Year, *got, c)
			}
		}
		_, err = w.app.YearlyCountsFor(ctx, w.as("kari"), 1900)
		coordWantCode(t, err, "invalid_year")
		for _, who := range []string{"ola", "ingrid", "admin"} {
			if _, err := w.app.YearlyCountsFor(ctx, w.as(who), 2026); !errors.Is(err, samordna.ErrNotFound) {
				t.Errorf("%s read the yearly counts: %v", who, err)
			}
		}

		o, err := w.app.CoordinatingUnitOverview(ctx, w.as("kari"))
		w.must(err)
		if o.Applications["submitted"] != 1 || o.Applications["granted"] != 2 || o.Applications["refused"] != 1 ||
			len(o.Inbox) != 1 || o.Inbox[0].CaseID != caseD {
			t.Errorf("applications %v, inbox %d", o.Applications, len(o.Inbox))
		}
		if len(o.Caseloads) != 1 || o.Caseloads[0].Username != "ingrid" || o.Caseloads[0].Cases != 2 {
			t.Errorf("caseloads = %+v", o.Caseloads)
		}
		// A's closed group is registered (its consent allows it); B's is only counted.
		if len(o.Groups) != 1 || o.Groups[0].CaseID != caseA || o.Groups[0].ClosedAt == nil || o.Unregistered != 1 {
			t.Errorf("groups = %+v, unregistered %d", o.Groups, o.Unregistered)
		}
		if o.Counts.Year != 2026 || o.Counts.ResponsibilityGroups != 1 {
			t.Errorf("counts = %+v", o.Counts)
		}
	})
}

func TestConsentFormPDF(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newCoordWorld(t, db)
		ctx := context.Background()
		caseID, _ := w.grantedCase(w.child)
		pdf, err := w.app.ConsentFormPDF(ctx, w.as("ingrid"), caseID)
		w.must(err)
		checkPDFText(t, pdf, "Samtykkeerklæring for opprettelse av ansvarsgruppe", "Gjelder ansvarsgruppe for: Åse Ødegård",
			app.ConsentStatements[0], app.ConsentStatements[1], app.ConsentStatements[2], app.ConsentStatements[3],
			"Sted og dato:", "Underskrift:", "Ingrid Moe",
			// Seed 002 §5.2: the common consent form lists the team purpose.
			"Drøfting i team", "drøftes med navn i teamet")
		if _, err := w.app.ConsentFormPDF(ctx, w.as("anne"), caseID); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("an outsider printed the form: %v", err)
		}
		v, err := w.app.ConsentForm(ctx, w.as("kari"), caseID)
		w.must(err)
		if v.SubjectName != "Åse Ødegård" || v.Coordinator == nil || !v.CanManageConsent {
			t.Errorf("form view = %+v", v)
		}
	})
}

// The yearly counts and the group list of one municipality leave out the
// groups, coordinators and individual plans of another, and the other's
// unit sees its own.
func TestYearlyCountsOnlyOwnMunicipality(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newCoordWorld(t, db)
		ctx := context.Background()
		now := w.clock.Now()

		// Testvik: one case with ingrid as coordinator, a group and an
		// individual plan.
		caseA, _ := w.grantedCase(w.child)
		w.consent(caseA, samordna.PurposeResponsibilityGroup, samordna.PurposeRegisterWithUnit)
		_, err := w.app.CreateGroup(ctx, w.as("ingrid"), caseA, []app.NewGroupMember{{Username: "anne"}})
		w.must(err)
		w.must(db.Write(ctx, func(tx *store.Tx) error {
			return createIndividualPlan(tx, caseA, w.as("kari").Employee, now)
		}))

		// Andvik: two cases, each with a coordinator, a group and an
		// individual plan, made through the same store functions.
		other := newOtherMunicipality(t, db, now, 2)

		for _, c := range []struct {
			who  *samordna.Actor
			want app.YearlyCounts
		}{
			{w.as("kari"), app.YearlyCounts{Year: 2026, ResponsibilityGroups: 1, GroupsEstablished: 1, IndividualPlans: 1,
				Coordinators: 1, CoordinatorEmployees: 1}},
			{other, app.YearlyCounts{Year: 2026, ResponsibilityGroups: 2, GroupsEstablished: 2, IndividualPlans: 2,
				Coordinators: 2, CoordinatorEmployees: 1}},
		} {
			got, err := w.app.YearlyCountsFor(ctx, c.who, 2026)
			w.must(err)
			got.TargetGroups = nil
			if !reflect.DeepEqual(*got, c.want) {
				t.Errorf("%s: got %+v, want %+v", c.who.Employee.Username, *got, c.want)
			}
		}
		o, err := w.app.CoordinatingUnitOverview(ctx, w.as("kari"))
		w.must(err)
		if len(o.Groups) != 1 || o.Groups[0].CaseID != caseA || o.Unregistered != 0 {
			t.Errorf("groups = %+v, unregistered %d", o.Groups, o.Unregistered)
		}
	})
}

// createIndividualPlan stores an active individual plan of the case.
func createIndividualPlan(tx *store.Tx, caseID string, by *samordna.Employee, at time.Time) error {
	p := &store.Plan{ID: samordna.NewID(), CaseID: caseID, MunicipalityID: by.MunicipalityID, Kind: app.PlanIndividual,
		Status: app.PlanActive, Version: 1, CreatedBy: by.ID, CreatedAt: at}
	return store.CreatePlan(tx, p, &store.PlanVersion{PlanID: p.ID, Version: 1, Change: "created", ChangedBy: by.ID,
		ChangedAt: at})
}

// newOtherMunicipality makes a second municipality with a coordinating
// unit employee who coordinates n cases, each with a group and an
// individual plan, and returns that employee as an actor.
func newOtherMunicipality(t *testing.T, db *store.DB, at time.Time, n int) *samordna.Actor {
	t.Helper()
	ctx := context.Background()
	err := db.Write(ctx, func(tx *store.Tx) error {
		m := &samordna.Municipality{ID: samordna.NewID(), Name: "Andvik", Number: "9998"}
		if err := store.CreateMunicipality(tx, m, at); err != nil {
			return err
		}
		e := &samordna.Employee{ID: samordna.NewID(), MunicipalityID: m.ID, Username: "siri.andvik", Name: "Siri Vik",
			Email: "siri@andvik.invalid", Roles: []samordna.Role{samordna.RoleEmployee, samordna.RoleCoordinatingUnit}}
		if err := store.CreateEmployee(tx, e, "", at); err != nil {
			return err
		}
		s := &samordna.Service{MunicipalityID: m.ID, Name: "Koordinerende enhet", Kind: samordna.ServiceOther}
		if err := store.CreateService(tx, s, at); err != nil {
			return err
		}
		p := &samordna.Person{MunicipalityID: m.ID, Name: "Per Vik", BirthDate: "1990-01-01"}
		if err := store.CreatePerson(tx, p, at); err != nil {
			return err
		}
		for range n {
			c := &samordna.Case{ID: samordna.NewID(), MunicipalityID: m.ID, SubjectPersonID: p.ID,
				Origin: samordna.OriginConcern, Situation: "unclear_concern", Status: samordna.CaseOpen, Title: "Bekymring",
				RegisteredBy: e.ID, RegisteredServiceID: s.ID, CreatedAt: at}
			if err := store.CreateCase(tx, c); err != nil {
				return err
			}
			if err := store.AppointCoordinator(tx, &store.Assignment{ID: samordna.NewID(), CaseID: c.ID, EmployeeID: e.ID,
				Kind: store.KindCoordinator, Status: store.CoordinatorAccepted, AppointedBy: e.ID, AppointedAt: at,
				AcceptedAt: &at}); err != nil {
				return err
			}
			if err := store.CreateGroup(tx, &store.Group{ID: samordna.NewID(), CaseID: c.ID, CreatedBy: e.ID,
				CreatedAt: at}); err != nil {
				return err
			}
			if err := createIndividualPlan(tx, c.ID, e, at); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var a *samordna.Actor
	err = db.Read(ctx, func(tx *store.Tx) error {
		e, _, err := store.EmployeeByUsername(tx, "siri.andvik")
		a = &samordna.Actor{Employee: e, RequestID: "test-siri"}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return a
}
