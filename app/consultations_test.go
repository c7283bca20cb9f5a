package app_test

import (
	"context"
	"strings"
	"testing"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// Ulstein rows 1 and 2: the discoverer consults the resource group; the
// member who gave the advice gets row 2 within two weeks. Openly, with
// consent, the case is submitted to the group and its members may read it;
// anonymously it is not.
func TestConsultationWithResourceGroup(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		now := at(2026, 3, 2, 10, 0)
		w := newWorld(t, db, now)
		ctx := context.Background()
		c := w.concern("ola", named(pathway.SituationUnclearConcern, "ulstein-rus-sped-smabarn"))
		in := app.NewConsultation{With: app.ConsultResourceGroup, Mode: app.ConsultAnonymous, Adviser: "ingrid",
			Summary: "Drøftet bekymring for rus hos foreldre.", Advice: "Snakk med foreldrene, meld om det blir verre."}
		k, started, err := w.app.RecordConsultation(ctx, w.as("ola"), c.Case.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		if k.AdviserName != "Ingrid Helsesykepleier" || k.TeamID != w.teams["rg"].ID || k.RecordedBy != w.id("ola") {
			t.Errorf("consultation = %+v", k)
		}
		if len(started) != 1 || started[0].StepID != "row-02" || started[0].EmployeeID != w.id("ingrid") ||
			!started[0].DueAt.Equal(now.AddDate(0, 0, 14)) {
			t.Fatalf("started = %+v", started)
		}
		if w.openTasks(c.Case.ID)["row-01"] != nil {
			t.Error("row 1 is still open")
		}
		// Anonymously: ingrid has the task but may not read the case.
		if _, err := w.app.GetCase(ctx, w.as("ingrid"), c.Case.ID); err == nil {
			t.Error("an anonymous consultation gave the resource group the named case")
		}
		if mine, _ := w.app.ListTasks(ctx, w.as("ingrid"), app.TaskQuery{AssignedToMe: true}); len(mine.Tasks) != 1 {
			t.Errorf("ingrid's tasks: %d", len(mine.Tasks))
		}
		// Openly needs consent; with it the group's members read the case.
		// Seed 003 row 1 "ope (med samtykkje)" and seed 002 §5.2 (one common
		// consent form): naming the family to the team needs the recorded
		// consent's team purpose for that very team; a ticked box is not it.
		in.Mode = app.ConsultOpen
		_, _, err = w.app.RecordConsultation(ctx, w.as("ola"), c.Case.ID, in)
		wantErrCode(t, err, "consent_required")
		in.ConsentGiven = true
		_, _, err = w.app.RecordConsultation(ctx, w.as("ola"), c.Case.ID, in)
		wantErrCode(t, err, "consent_required")
		_, err = w.app.RecordConsent(ctx, w.as("ola"), c.Case.ID, app.NewConsent{GivenBy: "Kari Foreldre",
			GivenByRelation: "guardian", Purposes: []samordna.ConsentPurpose{samordna.PurposeShareWithTeam}})
		wantErrCode(t, err, "team_required")
		other, err := w.app.RecordConsent(ctx, w.as("ola"), c.Case.ID, app.NewConsent{GivenBy: "Kari Foreldre",
			GivenByRelation: "guardian", Purposes: []samordna.ConsentPurpose{samordna.PurposeShareWithTeam},
			TeamID: w.teams["tst"].ID})
		if err != nil {
			t.Fatal(err)
		}
		_, _, err = w.app.RecordConsultation(ctx, w.as("ola"), c.Case.ID, in)
		wantErrCode(t, err, "consent_required") // the consent names another team
		if other.TeamID != w.teams["tst"].ID {
			t.Errorf("consent team %q", other.TeamID)
		}
		_, err = w.app.RecordConsent(ctx, w.as("ola"), c.Case.ID, app.NewConsent{GivenBy: "Kari Foreldre",
			GivenByRelation: "guardian", Purposes: []samordna.ConsentPurpose{samordna.PurposeShareWithTeam},
			TeamID: w.teams["rg"].ID})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := w.app.RecordConsultation(ctx, w.as("ola"), c.Case.ID, in); err != nil {
			t.Fatal(err)
		}
		for _, u := range []string{"ingrid", "siv", "per"} {
			if _, err := w.app.GetCase(ctx, w.as(u), c.Case.ID); err != nil {
				t.Errorf("%s (resource group) cannot read the case: %v", u, err)
			}
		}
		list, err := w.app.Consultations(ctx, w.as("ola"), c.Case.ID)
		if err != nil || len(list) != 2 || list[0].Advice == "" {
			t.Errorf("consultations = %v, %v", list, err)
		}
		// Someone without access records nothing.
		_, _, err = w.app.RecordConsultation(ctx, w.as("lise"), c.Case.ID, in)
		wantErrCode(t, err, "not_found")
	})
}

// Lillehammer: a consultation with a colleague or leader completes the
// first step and starts the conversation with the user. On an anonymous
// case the consultation is anonymous and identifies nobody either.
func TestConsultationLillehammerAndAnonymous(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db, at(2026, 3, 2, 10, 0))
		ctx := context.Background()
		c := w.concern("ola", named(pathway.SituationUnclearConcern, ""))
		_, started, err := w.app.RecordConsultation(ctx, w.as("ola"), c.Case.ID, app.NewConsultation{
			With: app.ConsultLeader, Mode: app.ConsultAnonymous, Adviser: "nils", Advice: "Ta en samtale med foreldrene."})
		if err != nil || len(started) != 1 || started[0].StepID != "conversation" {
			t.Fatalf("started %+v, %v", started, err)
		}
		anon := w.concern("ola", app.NewConcern{Situation: pathway.SituationUnclearConcern, Anonymous: true,
			Description: "En elev virker redd."})
		base := app.NewConsultation{With: app.ConsultTeam, Mode: app.ConsultAnonymous, TeamID: w.teams["tst"].ID,
			Advice: "Følg med, drøft igjen om to uker."}
		bad := base
		bad.Summary = "Gjelder " + childFNR
		_, _, err = w.app.RecordConsultation(ctx, w.as("ola"), anon.Case.ID, bad)
		wantErrCode(t, err, "identifying_data")
		open := base
		open.Mode, open.ConsentGiven = app.ConsultOpen, true
		_, _, err = w.app.RecordConsultation(ctx, w.as("ola"), anon.Case.ID, open)
		wantErrCode(t, err, "anonymous_case_open")
		if _, _, err := w.app.RecordConsultation(ctx, w.as("ola"), anon.Case.ID, base); err != nil {
			t.Fatal(err)
		}
		// The anonymous case was submitted to the TST: its members read it (there is nobody to identify).
		if _, err := w.app.GetCase(ctx, w.as("per"), anon.Case.ID); err != nil {
			t.Errorf("TST member: %v", err)
		}
	})
}

// Seed 000: "The discoverer should not be alone in that conversation." The
// consultation records who took part besides the discoverer, with an audit
// row; a text too long or identifying the person of an anonymous case
// changes nothing; without participants it is kept empty (the page warns).
func TestConsultationParticipants(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db, at(2026, 3, 2, 10, 0))
		ctx := context.Background()
		c := w.concern("ola", named(pathway.SituationUnclearConcern, ""))
		audits := func() int {
			var n int
			w.must(w.db.Read(ctx, func(tx *store.Tx) error {
				return tx.QueryRow(`SELECT COUNT(*) FROM audit_events WHERE action = 'record_consultation'
					AND object_type = 'consultation'`).Scan(&n)
			}))
			return n
		}
		in := app.NewConsultation{With: app.ConsultLeader, Mode: app.ConsultAnonymous, Adviser: "nils",
			Participants: "  Nils Leder (leder), Ingrid Helsesykepleier  ", Advice: "Ta en samtale med foreldrene."}
		k, _, err := w.app.RecordConsultation(ctx, w.as("ola"), c.Case.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		if k.Participants != "Nils Leder (leder), Ingrid Helsesykepleier" || audits() != 1 {
			t.Errorf("participants %q, audit rows %d", k.Participants, audits())
		}
		long := in
		long.Participants = strings.Repeat("x", app.MaxAdviceLength+1)
		_, _, err = w.app.RecordConsultation(ctx, w.as("ola"), c.Case.ID, long)
		wantErrCode(t, err, "text_too_long")
		alone := in
		alone.Participants = ""
		k2, _, err := w.app.RecordConsultation(ctx, w.as("ola"), c.Case.ID, alone)
		if err != nil {
			t.Fatal(err)
		}
		list, err := w.app.Consultations(ctx, w.as("ola"), c.Case.ID)
		if err != nil || len(list) != 2 {
			t.Fatalf("consultations = %v, %v", list, err)
		}
		for _, x := range list {
			if (x.ID == k.ID && x.Participants != k.Participants) || (x.ID == k2.ID && x.Participants != "") {
				t.Errorf("stored %s: participants %q", x.ID, x.Participants)
			}
		}
		if audits() != 2 {
			t.Errorf("audit rows %d, want 2 (the refused one writes none)", audits())
		}
		anon := w.concern("ola", app.NewConcern{Situation: pathway.SituationUnclearConcern, Anonymous: true,
			Description: "En elev virker redd."})
		bad := in
		bad.Participants = "Mor, " + childFNR
		_, _, err = w.app.RecordConsultation(ctx, w.as("ola"), anon.Case.ID, bad)
		wantErrCode(t, err, "identifying_data")
		if n := w.count("consultations"); n != 2 {
			t.Errorf("consultations %d, want 2", n)
		}
	})
}

// Seed 000: "Hjelp til å finne ut hvor du kan henvende deg kan du få hos
// Koordinerende enhet eller Fagavdeling for sektor Oppvekst": a consultation
// may be with the coordinating unit or the specialist department; it
// completes the consultation step like one with a leader, writes its audit
// row, and an unknown kind is refused and records nothing.
func TestConsultationWithCoordinatingUnitOrSpecialistDepartment(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db, at(2026, 3, 2, 10, 0))
		ctx := context.Background()
		audits := func() int {
			var n int
			w.must(w.db.Read(ctx, func(tx *store.Tx) error {
				return tx.QueryRow(`SELECT COUNT(*) FROM audit_events WHERE action = 'record_consultation'
					AND object_type = 'consultation'`).Scan(&n)
			}))
			return n
		}
		bad := w.concern("ola", named(pathway.SituationUnclearConcern, ""))
		_, _, err := w.app.RecordConsultation(ctx, w.as("ola"), bad.Case.ID, app.NewConsultation{With: "nav",
			Mode: app.ConsultAnonymous, AdviserName: "Kari KE", Advice: "Kontakt PPT."})
		wantErrCode(t, err, "invalid_with")
		if w.count("consultations") != 0 || audits() != 0 {
			t.Fatal("a refused consultation left a row")
		}
		for i, with := range []string{app.ConsultCoordinatingUnit, app.ConsultSpecialistDepartment} {
			c := w.concern("ola", named(pathway.SituationUnclearConcern, ""))
			k, started, err := w.app.RecordConsultation(ctx, w.as("ola"), c.Case.ID, app.NewConsultation{With: with,
				Mode: app.ConsultAnonymous, AdviserName: "Kari Koordinator", Advice: "Henvend deg til PPT."})
			if err != nil {
				t.Fatalf("%s: %v", with, err)
			}
			if k.WithKind != with || len(started) != 1 || started[0].StepID != "conversation" || audits() != i+1 {
				t.Errorf("%s: %+v, started %+v, audit rows %d", with, k, started, audits())
			}
		}
	})
}

// Seed 002 §4 "teams advise; they do not take over cases": an open
// consultation with the resource group (the old consultation path) lets
// its members read the case, but none of them may change it — a write is
// refused as if the case did not exist (404), with a denied audit row.
func TestSeed002ConsultedTeamMemberReadsButCannotChangeTheCase(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db, at(2026, 3, 2, 10, 0))
		ctx := context.Background()
		c := w.concern("ola", named(pathway.SituationUnclearConcern, "ulstein-rus-sped-smabarn"))
		if _, err := w.app.RecordConsent(ctx, w.as("ola"), c.Case.ID, app.NewConsent{GivenBy: "Kari Foreldre",
			GivenByRelation: "guardian", Purposes: []samordna.ConsentPurpose{samordna.PurposeShareWithTeam},
			TeamID: w.teams["rg"].ID}); err != nil {
			t.Fatal(err)
		}
		in := app.NewConsultation{With: app.ConsultResourceGroup, Mode: app.ConsultOpen, Adviser: "ingrid",
			Summary: "Drøftet bekymring for rus hos foreldre.", Advice: "Snakk med foreldrene."}
		if _, _, err := w.app.RecordConsultation(ctx, w.as("ola"), c.Case.ID, in); err != nil {
			t.Fatal(err)
		}
		denied := func() int {
			var n int
			if err := db.Read(ctx, func(tx *store.Tx) error {
				return tx.QueryRow(`SELECT COUNT(*) FROM audit_events WHERE (case_id = $1 OR object_id = $1) AND outcome = 'denied'`,
					c.Case.ID).Scan(&n)
			}); err != nil {
				t.Fatal(err)
			}
			return n
		}
		for _, u := range []string{"ingrid", "per", "siv"} {
			if _, err := w.app.GetCase(ctx, w.as(u), c.Case.ID); err != nil {
				t.Errorf("%s (resource group) cannot read the consulted case: %v", u, err)
			}
			before := denied()
			_, err := w.app.RecordAcuteContact(ctx, w.as(u), c.Case.ID, app.NewAcuteContact{Contacted: "police"})
			wantErrCode(t, err, "not_found")
			_, err = w.app.RecordConsent(ctx, w.as(u), c.Case.ID, app.NewConsent{GivenBy: "Kari Foreldre",
				GivenByRelation: "guardian", Purposes: []samordna.ConsentPurpose{samordna.PurposeShareWithMembers}})
			wantErrCode(t, err, "not_found")
			_, _, err = w.app.RecordConsultation(ctx, w.as(u), c.Case.ID, in)
			wantErrCode(t, err, "not_found")
			if after := denied(); after < before+3 {
				t.Errorf("%s: %d denied audit rows for three refused changes", u, after-before)
			}
		}
		// The discoverer still changes the case.
		if _, err := w.app.RecordAcuteContact(ctx, w.as("ola"), c.Case.ID, app.NewAcuteContact{Contacted: "police"}); err != nil {
			t.Errorf("the discoverer cannot change the case: %v", err)
		}
	})
}
