package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/browsertest"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// Seed 001 (Sola, "Når barn er pårørende") in a real browser: the
// next-of-kin page of an adult service's case (hlspl § 10a) with a child
// recorded and an input error, the FIT page with its SVG chart and data
// table, the methods catalogue, a leader's survey results (a group of four
// shows "under 5") and the public one-answer-per-link page with its thank
// you and used-link pages pass axe and the Nu checker, in bokmål.
func TestBrowserSeed001Pages(t *testing.T) {
	site := startBrowserSite(t)
	a := site.App
	a.AllowSynthetic = true
	ctx := context.Background()
	rus, err := a.CreateService(ctx, nil, app.NewService{Name: "Psykisk helse og rus", Kind: samordna.ServiceMentalHealth})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.CreateUser(ctx, nil, app.NewUser{Username: "siv.rus", Name: "Siv Thorsen", Password: site.Password,
		Roles: []samordna.Role{samordna.RoleEmployee}, ServiceIDs: []string{rus.ID}}); err != nil {
		t.Fatal(err)
	}
	leader, err := a.CreateUser(ctx, nil, app.NewUser{Username: "tor.leder", Name: "Tor Hovland", Password: site.Password,
		Roles: []samordna.Role{samordna.RoleEmployee, samordna.RoleServiceLeader}})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.SetServiceLeader(ctx, nil, rus.ID, leader.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.AdoptMethod(ctx, nil, app.NewMethod{Kind: "follow_up", Name: "Barnesamtale",
		Description: "Samtale med barn og forelder om sykdommen."}); err != nil {
		t.Fatal(err)
	}
	var actor *samordna.Actor
	if err := site.DB.Read(ctx, func(tx *store.Tx) error {
		e, _, err := store.EmployeeByUsername(tx, "siv.rus")
		actor = &samordna.Actor{Employee: e, RequestID: "browser-test"}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	con, err := a.RegisterConcern(ctx, actor, app.NewConcern{Situation: pathway.SituationAsksForHelp,
		Description: "Ber om hjelp med rus.", Problems: []pathway.Problem{pathway.ProblemSubstanceUse},
		Subject: &app.ConcernSubject{IDNumber: samordna.SyntheticIDNumber(time.Date(1986, 4, 2, 0, 0, 0, 0, time.UTC), 3),
			Name: "Anne Karin Vold"}})
	if err != nil {
		t.Fatal(err)
	}
	caseID := con.Case.ID
	items, err := a.FeedbackItems(ctx, actor)
	if err != nil {
		t.Fatal(err)
	}
	today := a.Clock.Now()
	for i, o := range []int{3, 5, 6} {
		r := map[string]int{}
		for _, it := range items {
			r[it.ID] = o
			if it.Scale == store.ScaleSession {
				r[it.ID] = 8
			}
		}
		if _, err := a.RecordFeedback(ctx, actor, caseID, app.FeedbackInput{
			Date: today.AddDate(0, 0, -30*(3-i)).Format(time.DateOnly), Ratings: r}); err != nil {
			t.Fatal(err)
		}
	}
	pages := browsertest.NewHTMLPages(t)
	b := browsertest.New(t)
	browsertest.Login(t, b, site.URL, "siv.rus", site.Password)

	if status := browsertest.Open(t, b, site.URL+"/cases/"+caseID+"/next-of-kin"); status != http.StatusOK {
		t.Fatalf("GET next-of-kin page: %d", status)
	}
	browsertest.RequireText(t, b, "Barn som pårørende", "Har personen barn under 18 år?")
	browsertest.CheckAxe(t, b, "next-of-kin page")
	pages.Add(t, b, "next-of-kin")
	status := browsertest.Navigation(t, b, "record a child with a bad date",
		chromedp.SendKeys(chromedp.ID("child-name"), "Jonas Vold"),
		chromedp.SendKeys(chromedp.ID("child-birth"), "31.02.2015"),
		chromedp.Click(chromedp.CSS(`form[action$="/next-of-kin/children"] button[type="submit"]`)))
	if status != http.StatusBadRequest {
		t.Errorf("a bad birth date: %d, want 400", status)
	}
	browsertest.RequireText(t, b, "Skriv datoen som dd.mm.åååå.")
	browsertest.CheckAxe(t, b, "next-of-kin page with an error")
	status = browsertest.Navigation(t, b, "record the child",
		chromedp.SetValue(chromedp.ID("child-birth"), "14.09.2015"),
		chromedp.SendKeys(chromedp.ID("child-sit"), "Sover dårlig."),
		chromedp.Click(chromedp.CSS(`form[action$="/next-of-kin/children"] button[type="submit"]`)))
	if status != http.StatusOK {
		t.Fatalf("after recording the child: %d", status)
	}
	browsertest.RequireText(t, b, "Jonas Vold (født 14.09.2015)", "Ja, personen har barn under 18 år.", "Ikke avklart ennå")
	browsertest.CheckAxe(t, b, "next-of-kin page with a child")
	pages.Add(t, b, "next-of-kin-child")

	if status := browsertest.Open(t, b, site.URL+"/cases/"+caseID+"/feedback"); status != http.StatusOK {
		t.Fatalf("GET feedback page: %d", status)
	}
	browsertest.RequireText(t, b, "Tilbakemeldinger (FIT)", "Poeng per samtale", "Hverdagen min")
	if n := browsertest.Eval[int](t, b, `document.querySelectorAll('svg[role="img"] polyline').length`); n != 2 {
		t.Errorf("the chart has %d lines, want 2", n)
	}
	browsertest.CheckAxe(t, b, "feedback page")
	pages.Add(t, b, "feedback")
	browsertest.SetViewport(t, b, 390, 844, true)
	browsertest.RequireNoHorizontalScroll(t, b, "feedback page at 390 px")
	browsertest.SetViewport(t, b, 1280, 900, false)

	if status := browsertest.Open(t, b, site.URL+"/methods"); status != http.StatusOK {
		t.Fatalf("GET methods: %d", status)
	}
	browsertest.RequireText(t, b, "Barnesamtale", "Oppfølging (tiltak)")
	browsertest.CheckAxe(t, b, "methods page")
	pages.Add(t, b, "methods")

	// The kindergarten conversation template (seed 001, row 1.44).
	if status := browsertest.Open(t, b, site.URL+"/methods/kindergarten-conversation"); status != http.StatusOK {
		t.Fatalf("GET kindergarten template: %d", status)
	}
	browsertest.RequireText(t, b, "Mal for oppstartssamtale og foreldresamtale i barnehagen", "Psykisk helse i familien")
	browsertest.CheckAxe(t, b, "kindergarten template")
	pages.Add(t, b, "kindergarten template")
	browsertest.SetViewport(t, b, 390, 844, true)
	browsertest.RequireNoHorizontalScroll(t, b, "kindergarten template at 390 px")
	browsertest.SetViewport(t, b, 1280, 900, false)

	// The leader's survey: five answers for the service, four without a group.
	lead := &samordna.Actor{Employee: leader, RequestID: "browser-test"}
	if err := site.DB.Read(ctx, func(tx *store.Tx) error {
		e, err := store.EmployeeByID(tx, leader.ID)
		lead.Employee = e
		return err
	}); err != nil {
		t.Fatal(err)
	}
	sv, err := a.CreateSurvey(ctx, lead, app.NewSurvey{Title: "Brukerundersøkelse 2026",
		Questions: []string{"Vi ble spurt om barna våre.", "Hjelpen var nyttig."}})
	if err != nil {
		t.Fatal(err)
	}
	five, err := a.CreateSurveyLinks(ctx, lead, sv.ID, rus.ID, 5)
	if err != nil {
		t.Fatal(err)
	}
	four, err := a.CreateSurveyLinks(ctx, lead, sv.ID, "", 5)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range append(five, four[:3]...) {
		if err := a.AnswerSurvey(ctx, l, map[int]int{0: 4, 1: 5}); err != nil {
			t.Fatal(err)
		}
	}
	if status := browsertest.Open(t, b, site.URL+"/survey/"+four[3]); status != http.StatusOK {
		t.Fatalf("GET the answer page: %d", status)
	}
	browsertest.RequireText(t, b, "Brukerundersøkelse 2026", "Svaret ditt er anonymt", "helt enig")
	browsertest.CheckAxe(t, b, "survey answer page")
	pages.Add(t, b, "survey-answer")
	status = browsertest.Navigation(t, b, "answer the survey",
		chromedp.Click(chromedp.ID("q0-5")), chromedp.Click(chromedp.ID("q1-4")),
		chromedp.Click(chromedp.CSS(`form[action^="/survey/"] button[type="submit"]`)))
	if status != http.StatusOK {
		t.Fatalf("after answering: %d", status)
	}
	browsertest.RequireText(t, b, "Takk for svaret")
	browsertest.CheckAxe(t, b, "survey thank-you page")
	if status := browsertest.Open(t, b, site.URL+"/survey/"+four[3]); status != http.StatusGone {
		t.Errorf("a used link: %d, want 410", status)
	}
	browsertest.RequireText(t, b, "Lenken virker ikke")
	browsertest.CheckAxe(t, b, "used survey link page")
	pages.Add(t, b, "survey-gone")

	lb := browsertest.New(t)
	browsertest.Login(t, lb, site.URL, "tor.leder", site.Password)
	if status := browsertest.Open(t, lb, site.URL+"/surveys"); status != http.StatusOK {
		t.Fatalf("GET surveys: %d", status)
	}
	browsertest.RequireText(t, lb, "Brukerundersøkelser", "Brukerundersøkelse 2026")
	browsertest.CheckAxe(t, lb, "surveys page")
	pages.Add(t, lb, "surveys")
	if status := browsertest.Open(t, lb, site.URL+"/surveys/"+sv.ID); status != http.StatusOK {
		t.Fatalf("GET survey results: %d", status)
	}
	body := browsertest.BodyText(t, lb)
	if !strings.Contains(body, "Psykisk helse og rus: 5 svar") || !strings.Contains(body, "Hele undersøkelsen: 9 svar") {
		t.Errorf("results page: %.600s", body)
	}
	browsertest.CheckAxe(t, lb, "survey results page")
	pages.Add(t, lb, "survey-results")
	pages.Check(t)
}
