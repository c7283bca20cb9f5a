package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/browsertest"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
	"github.com/samordna/samordna/web"
)

// Seed 002 §4.2 in Chromium on the demo: espen.laerer (Sørli skole, Sør)
// brings an anonymous matter to TST Sør — a fødselsnummer in it is refused
// with the message — and sees it on the agenda of the next meeting; after
// the meeting anne.ppt (a member) opens the team's page and the meeting,
// writes the advice with a referral to PPT, reviews the minutes and locks
// them; espen then sees "Drøftet" with the advice. Every team page passes
// axe and the Nu Html Checker.
func TestBrowserTeamMatterAndMeetingSeed002(t *testing.T) {
	db := dbtest.Open(t, store.SQLite)
	clock := &routineTestClock{now: time.Date(2026, 3, 2, 8, 30, 0, 0, time.UTC)}
	a := app.New(db, clock, nil)
	a.AllowSynthetic = true
	bg := context.Background()
	if _, err := a.SeedDemo(bg, "demo-passord-2026"); err != nil {
		t.Fatal(err)
	}
	h, err := web.New(a, web.Config{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	pages := browsertest.NewHTMLPages(t)

	var espen *samordna.Employee
	_ = db.Read(bg, func(tx *store.Tx) error { espen, _, err = store.EmployeeByUsername(tx, "espen.laerer"); return err })
	teams, err := a.Teams(bg, &samordna.Actor{Employee: espen})
	if err != nil {
		t.Fatal(err)
	}
	var sor *app.TeamInfo
	for _, x := range teams {
		if x.Team.Name == "TST Sør" {
			sor = x
		}
	}
	if sor == nil || sor.NextMeeting == nil {
		t.Fatal("no TST Sør with a next meeting in the demo")
	}

	ctx := browsertest.New(t)
	browsertest.Login(t, ctx, srv.URL, "espen.laerer", "demo-passord-2026")
	browsertest.Navigation(t, ctx, "teams link", chromedp.Click(chromedp.CSS(`nav a[href="/teams"]`)))
	browsertest.RequireText(t, ctx, "Team og saker", "TST Sør", "ditt distrikt", "OST")
	browsertest.CheckAxe(t, ctx, "teams list")
	pages.Add(t, ctx, "teams list")

	browsertest.Navigation(t, ctx, "bring a matter", chromedp.Click(chromedp.CSS(`a[href="/teams/`+sor.Team.ID+`/matters/new"]`)))
	browsertest.RequireText(t, ctx, "Meld sak til TST Sør", "Anonymt", "Hva ønsker du hjelp til?")
	browsertest.CheckAxe(t, ctx, "matter form")
	pages.Add(t, ctx, "matter form")
	browsertest.Do(t, ctx, "a fødselsnummer in an anonymous matter",
		chromedp.SetValue(chromedp.ID("question"), "Gjelder eleven 15076500565 i 6. klasse"))
	if status := routineSubmit(t, ctx, `form[action="/teams/`+sor.Team.ID+`/matters"]`); status != http.StatusUnprocessableEntity {
		t.Errorf("anonymous with a fødselsnummer: status %d, want 422", status)
	}
	browsertest.RequireText(t, ctx, "En anonym sak kan ikke inneholde fødselsnummer")
	browsertest.CheckAxe(t, ctx, "matter form with an error")
	pages.Add(t, ctx, "matter form with an error")
	browsertest.Do(t, ctx, "the question", chromedp.SetValue(chromedp.ID("question"),
		"En elev i 6. klasse trekker seg unna og er mye borte. Hvordan kan vi følge opp?"))
	routineSubmit(t, ctx, `form[action="/teams/`+sor.Team.ID+`/matters"]`)
	date := sor.NextMeeting.In(pathway.Oslo()).Format("02.01.2006")
	browsertest.RequireText(t, ctx, "Saken er meldt til teamet.", "Satt opp på møtet "+date)
	browsertest.CheckAxe(t, ctx, "teams list with the matter")
	pages.Add(t, ctx, "teams list with the matter")

	// After the meeting has started, a member writes and locks the minutes.
	clock.mu.Lock()
	clock.now = sor.NextMeeting.Add(2 * time.Hour)
	clock.mu.Unlock()
	member := browsertest.New(t)
	browsertest.Login(t, member, srv.URL, "anne.ppt", "demo-passord-2026")
	browsertest.Open(t, member, srv.URL+"/teams/"+sor.Team.ID)
	browsertest.RequireText(t, member, "TST Sør", "Faste medlemmer", "Anne Lunde", "Møter")
	browsertest.CheckAxe(t, member, "team page")
	pages.Add(t, member, "team page")
	var meetingID string
	_ = db.Read(bg, func(tx *store.Tx) error {
		ms, err := store.TeamMattersSubmittedBy(tx, espen.ID)
		if len(ms) > 0 {
			meetingID = ms[0].MeetingID
		}
		return err
	})
	browsertest.Open(t, member, srv.URL+"/team-meetings/"+meetingID)
	browsertest.RequireText(t, member, "Saksliste", "trekker seg unna", "Espen Rønning", "Sørli skole")
	browsertest.CheckAxe(t, member, "meeting page")
	pages.Add(t, member, "meeting page")
	advice := browsertest.Eval[string](t, member, `document.querySelector('textarea[name^="advice_"]').id`)
	referral := strings.Replace(advice, "advice-", "referral-", 1)
	browsertest.Do(t, member, "the advice", chromedp.SetValue(chromedp.ID(advice), "Kartlegg fraværet; meld til PPT med samtykke."),
		chromedp.SetValue(chromedp.ID(referral), "ppt"))
	routineSubmit(t, member, `form[action="/team-meetings/`+meetingID+`/review"]`)
	browsertest.RequireText(t, member, "Se over referatet før det låses", "Kartlegg fraværet", "Henvis til PPT")
	browsertest.CheckAxe(t, member, "minutes review")
	pages.Add(t, member, "minutes review")
	routineSubmit(t, member, `form[action="/team-meetings/`+meetingID+`/finalise"]`)
	browsertest.RequireText(t, member, "referatet er låst", "Kartlegg fraværet")
	browsertest.CheckAxe(t, member, "finalised meeting")
	pages.Add(t, member, "finalised meeting")

	browsertest.Login(t, ctx, srv.URL, "espen.laerer", "demo-passord-2026")
	browsertest.Open(t, ctx, srv.URL+"/teams")
	browsertest.RequireText(t, ctx, "Drøftet "+date, "Kartlegg fraværet")
	pages.Check(t)
}
