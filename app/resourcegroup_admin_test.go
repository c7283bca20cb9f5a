package app_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// FIDELITY 3.31, seed 003 (Ulstein) "Ressursgruppa": the action plan sends
// the discoverer to it (row 1 "Kontakt med ressursgruppa for
// råd/rettleiing ope (med samtykkje) eller anonym drøfting") and gives its
// members and its coordinator work (row 2 "Gjev råd til meldaren. Melde sak
// til koordinator av ressursgruppa"). The municipality's administrator sets
// the group up through the ordinary administration code, not the demo
// seeder: its name, kind, purpose, coordinator (the team's leader, made a
// member) and members. Anyone else is refused as if there were nothing,
// and the group is at once the one a consultation reaches: the adviser who
// is a member gets row 2, and with the consent naming the group its members
// read the case.
func TestSeed003AdministratorSetsUpTheResourceGroup(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db, at(2026, 3, 2, 10, 0))
		ctx := context.Background()
		in := app.NewTeam{Name: "Ressursgruppa Ulstein", Kind: samordna.TeamResourceGroup,
			Purpose:     "Råd og rettleiing om rus i sped- og småbarnsfamiliar (handlingsplan rus)",
			MeetingRule: "monthly", LeaderID: w.id("siv"), MemberIDs: []string{w.id("ingrid"), w.id("berit")}}

		// A caseworker cannot set it up: refused like something missing,
		// with a denied audit row, and no team made.
		if _, err := w.app.CreateTeam(ctx, w.as("ola"), in); !errors.Is(err, samordna.ErrNotFound) {
			t.Fatalf("CreateTeam by a teacher = %v, want not found", err)
		}
		if n := orgAudits(t, db, "team", "create", "denied"); n != 1 {
			t.Errorf("denied team rows = %d, want 1", n)
		}

		rg, err := w.app.CreateTeam(ctx, w.as("admin"), in)
		if err != nil {
			t.Fatal(err)
		}
		if n := orgAudits(t, db, "team", "create", samordna.OutcomeAllowed); n < 1 {
			t.Errorf("the administrator's team was not audited")
		}
		o, err := w.app.Organisation(ctx, w.as("admin"))
		if err != nil {
			t.Fatal(err)
		}
		var got *samordna.Team
		for _, tm := range o.Teams {
			if tm.ID == rg.ID {
				got = tm
			}
		}
		if got == nil || got.Kind != samordna.TeamResourceGroup || got.LeaderID != w.id("siv") ||
			got.MeetingRule != "monthly" || got.Purpose != in.Purpose {
			t.Fatalf("the resource group as the administrator sees it: %+v", got)
		}
		for _, u := range []string{"siv", "ingrid", "berit"} {
			if !slices.Contains(got.MemberIDs, w.id(u)) {
				t.Errorf("%s is not a member of the resource group (members %v)", u, got.MemberIDs)
			}
		}

		// Row 1 then row 2: the discoverer consults the group; the member
		// who advised gets row 2 within two weeks.
		c := w.concern("ola", named(pathway.SituationUnclearConcern, "ulstein-rus-sped-smabarn"))
		k, started, err := w.app.RecordConsultation(ctx, w.as("ola"), c.Case.ID, app.NewConsultation{
			With: app.ConsultResourceGroup, TeamID: rg.ID, Mode: app.ConsultAnonymous, Adviser: "berit",
			Summary: "Drøfta uro for rus hos foreldra.", Advice: "Snakk med foreldra; meld om det blir verre."})
		w.must(err)
		if k.TeamID != rg.ID || len(started) != 1 || started[0].StepID != "row-02" || started[0].EmployeeID != w.id("berit") {
			t.Fatalf("consultation %+v started %+v, want row 2 for the adviser in the new group", k, started)
		}
		// Openly, with the consent naming this group, its members read the
		// case; a member of the other resource group only does not.
		_, err = w.app.RecordConsent(ctx, w.as("ola"), c.Case.ID, app.NewConsent{GivenBy: "Kari Foreldre",
			GivenByRelation: "guardian", Purposes: []samordna.ConsentPurpose{samordna.PurposeShareWithTeam}, TeamID: rg.ID})
		w.must(err)
		_, _, err = w.app.RecordConsultation(ctx, w.as("ola"), c.Case.ID, app.NewConsultation{
			With: app.ConsultResourceGroup, TeamID: rg.ID, Mode: app.ConsultOpen, ConsentGiven: true, Adviser: "berit",
			Summary: "Drøfta familien ope.", Advice: "Ta det opp på neste møte i ressursgruppa."})
		w.must(err)
		for _, u := range []string{"siv", "ingrid", "berit"} {
			if _, err := w.app.GetCase(ctx, w.as(u), c.Case.ID); err != nil {
				t.Errorf("%s (in the administrator's resource group) cannot read the case: %v", u, err)
			}
		}
		if _, err := w.app.GetCase(ctx, w.as("per"), c.Case.ID); err == nil {
			t.Error("per, only in the other resource group, reads the case")
		}
	})
}
