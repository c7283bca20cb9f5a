package app_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// setLeader makes the employee the leader of the team (the demo's teams
// have none).
func (w *teamWorld) setLeader(teamID, username string) {
	w.t.Helper()
	if err := w.db.Write(context.Background(), func(tx *store.Tx) error {
		t, err := store.TeamByID(tx, teamID)
		if err != nil {
			return err
		}
		t.LeaderID = w.as(username).Employee.ID
		return store.UpdateTeam(tx, t)
	}); err != nil {
		w.t.Fatal(err)
	}
}

// Issue 15 point 2 and seed 002 §4.2 ("andre ved behov"): a member of TST
// Sør moves one meeting with a reason and cancels another after seeing
// who is told; the invitee of the cancelled meeting is told too; a
// non-member gets 404 — exactly as for a meeting that does not exist —
// on the team page, the feed, the series, the agenda, moving, cancelling
// and inviting, each with a denied audit row. The access matrix asks the
// same rules (MayTeam, MayTeamMeeting).
func TestSeed002ArrangingMeetingsIsForTheTeamOnly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newTeamWorld(t, db)
		ctx := context.Background()
		anne, ola := w.as("anne.ppt"), w.as("ola.laerer")
		sor := w.team("TST Sør")
		m := w.nextMeeting(sor)

		deniedBefore := w.count(`SELECT COUNT(*) FROM audit_events WHERE outcome = 'denied'`)
		refusals := map[string]error{}
		_, refusals["team page"] = w.app.TeamPage(ctx, ola, sor)
		_, refusals["feed"] = w.app.TeamFeed(ctx, ola, sor)
		_, refusals["series"] = w.app.PlanTeamSeries(ctx, ola, sor, app.NewTeamSeries{FirstStartsAt: m.StartsAt})
		_, refusals["agenda"] = w.app.TeamMeetingAgenda(ctx, ola, m.ID)
		_, refusals["arrange page"] = w.app.TeamMeetingToArrange(ctx, ola, m.ID)
		refusals["move"] = w.app.MoveTeamMeeting(ctx, ola, m.ID, m.StartsAt.Add(time.Hour), "", "")
		refusals["cancel"] = w.app.CancelTeamMeeting(ctx, ola, m.ID, "")
		refusals["invite"] = w.app.AddTeamMeetingInvitee(ctx, ola, m.ID, ola.Employee.ID, "")
		_, refusals["invite choices"] = w.app.InviteChoices(ctx, ola, m.ID)
		refusals["chair"] = w.app.SetTeamMeetingChair(ctx, ola, m.ID, "")
		for what, err := range refusals {
			if !errors.Is(err, samordna.ErrNotFound) {
				t.Errorf("%s by a non-member: %v, want not found", what, err)
			}
		}
		if n := w.count(`SELECT COUNT(*) FROM audit_events WHERE outcome = 'denied'`) - deniedBefore; n < len(refusals) {
			t.Errorf("%d denied audit rows for %d refusals", n, len(refusals))
		}
		_ = db.Read(ctx, func(tx *store.Tx) error {
			for _, action := range []string{app.MeetingRead, app.MeetingWrite, app.MeetingArrange, app.MeetingChair} {
				if ok, err := w.app.MayTeamMeeting(tx, ola.Employee, m.ID, action); ok || err != nil {
					t.Errorf("MayTeamMeeting(ola, %s) = %v, %v", action, ok, err)
				}
			}
			if ok, _ := w.app.MayTeamMeeting(tx, anne.Employee, m.ID, app.MeetingArrange); !ok {
				t.Error("MayTeamMeeting(anne, arrange) is false")
			}
			return nil
		})

		// Anne invites Siv to the whole meeting: she is among the choices
		// (grouped by her service), and then among those told.
		groups, err := w.app.InviteChoices(ctx, anne, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		siv := w.as("siv.rus").Employee
		offered := false
		for _, g := range groups {
			for _, e := range g.Employees {
				if e.ID == siv.ID && g.Service != "" {
					offered = true
				}
				if e.ID == anne.Employee.ID || e.HasRole(samordna.RoleAdmin) {
					t.Errorf("invite choices offer %s", e.Username)
				}
			}
		}
		if !offered {
			t.Error("Siv is not offered under her service")
		}
		if err := w.app.AddTeamMeetingInvitee(ctx, anne, m.ID, siv.ID, ""); err != nil {
			t.Fatal(err)
		}
		v, err := w.app.TeamMeetingToArrange(ctx, anne, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		told := map[string]bool{}
		for _, n := range v.Told {
			told[n] = true
		}
		if !told[siv.Name] || !told[w.as("ingrid.hs").Employee.Name] || told[anne.Employee.Name] {
			t.Errorf("told = %v", v.Told)
		}

		// A reason with a fødselsnummer is refused; a plain one is kept.
		err = w.app.MoveTeamMeeting(ctx, anne, m.ID, m.StartsAt.Add(24*time.Hour), "", "Gjelder 15076500565")
		wantTeamCode(t, err, "identifying_data")
		if err := w.app.MoveTeamMeeting(ctx, anne, m.ID, m.StartsAt.Add(24*time.Hour), "Biblioteket", "Kollisjon med planleggingsdag"); err != nil {
			t.Fatal(err)
		}
		moved := w.meeting(m.ID)
		if !moved.StartsAt.Equal(m.StartsAt.Add(24*time.Hour)) || moved.Place != "Biblioteket" ||
			moved.ChangeReason != "Kollisjon med planleggingsdag" {
			t.Errorf("moved meeting = %+v", moved)
		}
		sivNotes := `SELECT COUNT(*) FROM notifications WHERE employee_id = $1 AND kind = $2`
		if w.count(sivNotes, siv.ID, "team_meeting_moved") != 1 {
			t.Error("the invitee was not told the meeting moved")
		}
		if err := w.app.CancelTeamMeeting(ctx, anne, m.ID, "Sykdom"); err != nil {
			t.Fatal(err)
		}
		if c := w.meeting(m.ID); c.Status != store.TeamMeetingCancelled || c.ChangeReason != "Sykdom" {
			t.Errorf("cancelled meeting = %+v", c)
		}
		if w.count(sivNotes, siv.ID, "team_meeting_cancelled") != 1 {
			t.Error("the invitee was not told the meeting was cancelled")
		}
		wantTeamCode(t, w.app.MoveTeamMeeting(ctx, anne, m.ID, m.StartsAt, "", ""), "meeting_locked")
	})
}

// Seed 002 §4.1.3 ("konstituere ledelse av OST-møtene"): the team's leader
// chooses who chairs one meeting among the fixed members; the agenda shows
// the chair (the leader when none is chosen); another member may not
// choose, and someone outside the team cannot chair.
func TestSeed002LeaderChoosesTheChairOfOneMeeting(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newTeamWorld(t, db)
		ctx := context.Background()
		gro, nils := w.as("gro.hsleder"), w.as("nils.leder")
		ost := w.team("OST")
		w.setLeader(ost, "gro.hsleder")
		m := w.nextMeeting(ost)
		v, err := w.app.TeamMeetingAgenda(ctx, gro, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if v.Chair != gro.Employee.Name || !v.MayChair || len(v.Members) != 5 {
			t.Errorf("before: chair %q, may chair %v, %d members", v.Chair, v.MayChair, len(v.Members))
		}
		if err := w.app.SetTeamMeetingChair(ctx, nils, m.ID, nils.Employee.ID); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("a member who is not the leader chose the chair: %v", err)
		}
		wantTeamCode(t, w.app.SetTeamMeetingChair(ctx, gro, m.ID, w.as("ola.laerer").Employee.ID), "unknown_employee")
		if err := w.app.SetTeamMeetingChair(ctx, gro, m.ID, nils.Employee.ID); err != nil {
			t.Fatal(err)
		}
		v, err = w.app.TeamMeetingAgenda(ctx, nils, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if v.Chair != nils.Employee.Name || v.MayChair {
			t.Errorf("after: chair %q, nils may chair %v", v.Chair, v.MayChair)
		}
		if n := w.count(`SELECT COUNT(*) FROM audit_events WHERE object_id = $1 AND action = 'set_chair' AND outcome = 'allowed'`, m.ID); n != 1 {
			t.Errorf("%d audit rows for setting the chair", n)
		}
	})
}

// meeting reads a meeting.
func (w *teamWorld) meeting(id string) *store.TeamMeeting {
	w.t.Helper()
	var m *store.TeamMeeting
	if err := w.db.Read(context.Background(), func(tx *store.Tx) error {
		var err error
		m, err = store.TeamMeetingByID(tx, id)
		return err
	}); err != nil {
		w.t.Fatal(err)
	}
	return m
}

// Seed 002 §4.2 ("Foresatte og andre kan også melde inn saker"): the
// parents bring a matter through an employee, who submits it on their
// behalf with their consent; the matter records it, the submitter sees
// it, and the team report counts it (a count under five shown as such).
func TestSeed002Section42ParentsBringAMatterThroughAnEmployee(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newTeamWorld(t, db)
		ctx := context.Background()
		espen := w.as("espen.laerer")
		sor := w.team("TST Sør")
		before, err := w.app.TeamReportFor(ctx, w.as("nils.leder"), sor, demoToday.Year())
		if err != nil {
			t.Fatal(err)
		}
		x, err := w.app.SubmitTeamMatter(ctx, espen, sor, app.NewTeamMatter{Anonymous: true, ForParents: true,
			Question: "Foreldrene ønsker råd om hvordan skole og hjem kan samarbeide om leksene."})
		if err != nil {
			t.Fatal(err)
		}
		v, err := w.app.TeamMatter(ctx, espen, x.ID)
		if err != nil || !v.Matter.ForParents {
			t.Fatalf("the matter does not say it came from the parents: %v %+v", err, v)
		}
		if _, err := w.app.SubmitTeamMatter(ctx, espen, sor, app.NewTeamMatter{Anonymous: true,
			Question: "Skolen ønsker råd om fravær."}); err != nil {
			t.Fatal(err)
		}
		after, err := w.app.TeamReportFor(ctx, w.as("nils.leder"), sor, demoToday.Year())
		if err != nil {
			t.Fatal(err)
		}
		if after.ForParents.N != before.ForParents.N+1 || after.Matters != before.Matters+2 {
			t.Errorf("report: for parents %d → %d, matters %d → %d", before.ForParents.N, after.ForParents.N,
				before.Matters, after.Matters)
		}
		found := false
		for _, row := range app.TeamReportCSV(after) {
			if row[1] == "Meldt på vegne av foreldrene" {
				found = row[2] == after.ForParents.String()
			}
		}
		if !found {
			t.Error("the CSV lacks the count of matters brought for the parents")
		}
	})
}
