package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/browsertest"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
	"github.com/samordna/samordna/web"
)

// Issue 15 gap 1 and seed 002 §4.1.3/§4.2 in Chromium on the demo:
// anne.ppt, leader of TST Sør, plans from the team page (an empty date is
// refused next to its field), chooses the chair of the next meeting,
// moves it with a reason (a fødselsnummer in the reason is refused next to
// the field), invites Siv Rus by name from the list grouped by service,
// and cancels it after the review that names who is told (Siv among
// them). Every page passes axe and the Nu Html Checker and does not
// scroll sideways at 390 px.
func TestBrowserSeed002ArrangeTeamMeetings(t *testing.T) {
	db := dbtest.Open(t, store.SQLite)
	clock := &routineTestClock{now: time.Date(2026, 3, 2, 8, 30, 0, 0, time.UTC)}
	a := app.New(db, clock, nil)
	a.AllowSynthetic = true
	bg := context.Background()
	if _, err := a.SeedDemo(bg, "demo-passord-2026"); err != nil {
		t.Fatal(err)
	}
	var sor *samordna.Team
	var meeting *store.TeamMeeting
	var siv *samordna.Employee
	err := db.Write(bg, func(tx *store.Tx) error {
		teams, err := store.ListTeams(tx)
		if err != nil {
			return err
		}
		for _, x := range teams {
			if x.Name == "TST Sør" {
				sor = x
			}
		}
		anne, _, err := store.EmployeeByUsername(tx, "anne.ppt")
		if err != nil {
			return err
		}
		if siv, _, err = store.EmployeeByUsername(tx, "siv.rus"); err != nil {
			return err
		}
		sor.LeaderID = anne.ID
		if err := store.UpdateTeam(tx, sor); err != nil {
			return err
		}
		meeting, err = store.NextTeamMeeting(tx, sor.ID, clock.Now())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	h, err := web.New(a, web.Config{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	pages := browsertest.NewHTMLPages(t)
	ctx := browsertest.New(t)
	browsertest.Login(t, ctx, srv.URL, "anne.ppt", "demo-passord-2026")
	mid := meeting.ID
	check := func(label string) {
		t.Helper()
		browsertest.CheckAxe(t, ctx, label)
		pages.Add(t, ctx, label)
	}

	browsertest.Open(t, ctx, srv.URL+"/teams/"+sor.ID)
	browsertest.RequireText(t, ctx, "TST Sør", "Planlegg møter", "Flytt møtet", "Avlys møtet")
	check("team page with its actions")
	browsertest.Navigation(t, ctx, "plan meetings", chromedp.Click(chromedp.CSS(`a[href="/teams/`+sor.ID+`/series"]`)))
	browsertest.RequireText(t, ctx, "Planlegg møterekken til TST Sør", "Dato for første møte")
	check("series form")
	browsertest.Do(t, ctx, "no date", chromedp.SetValue(chromedp.ID("date"), ""))
	if status := routineSubmit(t, ctx, `form[action="/teams/`+sor.ID+`/series"]`); status != http.StatusBadRequest {
		t.Errorf("series without a date: %d, want 400", status)
	}
	browsertest.RequireText(t, ctx, "Skriv en gyldig dato og et klokkeslett.")
	if !browsertest.Visible(t, ctx, `#date-error`) {
		t.Error("the date's error is not next to the field")
	}
	check("series form with an error")

	// The chair, on the meeting page.
	browsertest.Open(t, ctx, srv.URL+"/team-meetings/"+mid)
	browsertest.RequireText(t, ctx, "Møteleder: Anne Lunde", "Flytt dette møtet", "Inviter noen til dette møtet")
	check("meeting page with the chair")
	browsertest.Do(t, ctx, "choose the chair", chromedp.Click(chromedp.CSS(`#chair-choice summary`)),
		chromedp.SetValue(chromedp.ID("chair"), a2id(t, db, "ingrid.hs")))
	routineSubmit(t, ctx, `form[action="/team-meetings/`+mid+`/chair"]`)
	browsertest.RequireText(t, ctx, "Møtelederen er lagret.", "Møteleder: Ingrid")

	// Move with a reason.
	browsertest.Navigation(t, ctx, "move", chromedp.Click(chromedp.CSS(`a[href="/team-meetings/`+mid+`/move"]`)))
	browsertest.RequireText(t, ctx, "Ny dato", "Hvorfor?", "Disse får beskjed:")
	check("move form")
	browsertest.Do(t, ctx, "a fødselsnummer in the reason", chromedp.SetValue(chromedp.ID("date"), "2026-04-17"),
		chromedp.SetValue(chromedp.ID("reason"), "Gjelder 15076500565"))
	if status := routineSubmit(t, ctx, `form[action="/team-meetings/`+mid+`/move"]`); status != http.StatusUnprocessableEntity {
		t.Errorf("move with a fødselsnummer: %d, want 422", status)
	}
	browsertest.RequireText(t, ctx, "Begrunnelsen kan ikke inneholde fødselsnummer")
	if !browsertest.Visible(t, ctx, `#reason-error`) {
		t.Error("the reason's error is not next to the field")
	}
	check("move form with an error")
	browsertest.Do(t, ctx, "the reason", chromedp.SetValue(chromedp.ID("reason"), "Kollisjon med planleggingsdag"))
	routineSubmit(t, ctx, `form[action="/team-meetings/`+mid+`/move"]`)
	browsertest.RequireText(t, ctx, "Møtet er flyttet", "17.04.2026")
	check("moved")

	// Invite Siv by name.
	browsertest.Open(t, ctx, srv.URL+"/team-meetings/"+mid+"/invite")
	browsertest.RequireText(t, ctx, "Hvem vil du invitere?", "Siv", "Hele møtet")
	if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll('#employee optgroup').length`); n < 2 {
		t.Errorf("%d service groups in the invite list", n)
	}
	if browsertest.Eval[bool](t, ctx, `!!document.querySelector('input[name="username"]')`) {
		t.Error("the invite form asks for a username")
	}
	check("invite form")
	browsertest.Do(t, ctx, "choose Siv", chromedp.SetValue(chromedp.ID("employee"), siv.ID))
	routineSubmit(t, ctx, `form[action="/team-meetings/`+mid+`/invite"]`)
	browsertest.RequireText(t, ctx, "Personen er invitert", "Invitert hittil: "+siv.Name)
	check("invited")

	// Cancel after the review of who is told.
	browsertest.Open(t, ctx, srv.URL+"/team-meetings/"+mid+"/cancel")
	browsertest.RequireText(t, ctx, "Se over før du avlyser", "Disse får beskjed:", siv.Name, "Ingrid")
	check("cancel review")
	browsertest.Do(t, ctx, "the reason", chromedp.SetValue(chromedp.ID("reason"), "Sykdom i teamet"))
	routineSubmit(t, ctx, `form[action="/team-meetings/`+mid+`/cancel"]`)
	browsertest.RequireText(t, ctx, "Møtet er avlyst")
	check("cancelled")

	// At 390 px nothing scrolls sideways.
	browsertest.SetViewport(t, ctx, 390, 844, true)
	for _, p := range []string{"/teams/" + sor.ID, "/teams/" + sor.ID + "/series", "/team-meetings/" + mid,
		"/team-meetings/" + mid + "/move", "/team-meetings/" + mid + "/invite", "/team-meetings/" + mid + "/cancel"} {
		browsertest.Open(t, ctx, srv.URL+p)
		browsertest.RequireNoHorizontalScroll(t, ctx, p+" at 390 px")
		browsertest.CheckAxe(t, ctx, p+" at 390 px")
	}
	pages.Check(t)
}

// a2id returns the id of the employee with the username.
func a2id(t *testing.T, db *store.DB, username string) string {
	t.Helper()
	var id string
	if err := db.Read(context.Background(), func(tx *store.Tx) error {
		e, _, err := store.EmployeeByUsername(tx, username)
		if err == nil {
			id = e.ID
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return id
}
