package web_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/internal/browsertest"
	"github.com/samordna/samordna/store"
)

// Seed 002 in a real browser (bokmål): the case page's target groups
// (§2.3), a TST sending a system issue to the OST through the review page
// (§4.2), the OST deciding with owner and deadline and the owner following
// up, and the team report (issue 15 point 7). Every page passes axe and
// the Nu Html Checker, and the report fits a phone.
func TestBrowserSeed002TargetGroupsSystemIssuesAndReport(t *testing.T) {
	site := startBrowserSite(t)
	caseID := spineBrowserCase(t, site)
	now := site.App.Clock.Now().UTC()
	var tstID string
	err := site.DB.Write(context.Background(), func(tx *store.Tx) error {
		me := site.Employee.ID
		tst := &samordna.Team{ID: samordna.NewID(), MunicipalityID: site.Employee.MunicipalityID, Name: "TST Nord",
			Kind: samordna.TeamInterdisciplinary, LeaderID: me, MemberIDs: []string{me}}
		ost := &samordna.Team{ID: samordna.NewID(), MunicipalityID: site.Employee.MunicipalityID, Name: "OST",
			Kind: samordna.TeamOverarching, MemberIDs: []string{me}}
		for _, x := range []*samordna.Team{tst, ost} {
			if err := store.CreateTeam(tx, x, now); err != nil {
				return err
			}
		}
		tstID = tst.ID
		return store.CreateTeamMeeting(tx, &store.TeamMeeting{ID: samordna.NewID(), TeamID: ost.ID,
			StartsAt: now.Add(10 * 24 * time.Hour), EndsAt: now.Add(10*24*time.Hour + 2*time.Hour),
			Status: store.TeamMeetingPlanned, Capacity: 6, CreatedAt: now})
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := browsertest.New(t)
	pages := browsertest.NewHTMLPages(t)
	browsertest.Login(t, ctx, site.URL, site.Username, site.Password)

	// Seed 002 §2.3: classify the case.
	if status := browsertest.Open(t, ctx, site.URL+"/cases/"+caseID); status != http.StatusOK {
		t.Fatalf("case page: %d", status)
	}
	browsertest.RequireText(t, ctx, "Brukergruppe", "Saken er ikke knyttet til noen brukergruppe.")
	if status := browsertest.Navigation(t, ctx, "open the target group form",
		chromedp.Click(chromedp.CSS(`#target-groups a[href$="/target-groups"]`))); status != http.StatusOK {
		t.Fatalf("target group form: %d", status)
	}
	status := browsertest.Navigation(t, ctx, "set target groups",
		chromedp.Click(chromedp.ID("tg-child_psychosocial")),
		chromedp.Click(chromedp.ID("tg-child_learning")),
		chromedp.Click(chromedp.CSS(`form[action$="/target-groups"] button[type="submit"]`)))
	if status != http.StatusOK {
		t.Fatalf("after saving target groups: %d", status)
	}
	browsertest.RequireText(t, ctx, "Brukergruppen er lagret.", "Barn med psykososiale vansker", "Barn med lærevansker")
	browsertest.CheckAxe(t, ctx, "case page with target groups")
	pages.Add(t, ctx, "case with target groups")

	// My teams.
	if status := browsertest.Open(t, ctx, site.URL+"/my-teams"); status != http.StatusOK {
		t.Fatalf("my teams: %d", status)
	}
	browsertest.RequireText(t, ctx, "Mine team", "TST Nord", "OST", "Systemsaker", "Årsrapport")
	browsertest.CheckAxe(t, ctx, "my teams")
	pages.Add(t, ctx, "my teams")

	// Seed 002 §4.2: a system issue naming a person is refused; a clean one
	// goes through the review page to the OST.
	if status := browsertest.Open(t, ctx, site.URL+"/teams/"+tstID+"/system-issues"); status != http.StatusOK {
		t.Fatalf("system issues: %d", status)
	}
	browsertest.RequireText(t, ctx, "Systemsaker – TST Nord", "Send en systemsak til OST")
	browsertest.CheckAxe(t, ctx, "team system issues")
	pages.Add(t, ctx, "team system issues")
	browsertest.Do(t, ctx, "write an issue naming Emma Hansen",
		chromedp.SendKeys(chromedp.ID("issue-title"), "Ventetid på PPT"),
		chromedp.SendKeys(chromedp.ID("issue-description"), "Som for Emma Hansen venter skolene lenge på PPT."))
	browsertest.Navigation(t, ctx, "review", chromedp.Click(chromedp.CSS(`form[action$="/system-issues"] button.button`)))
	browsertest.RequireText(t, ctx, "Se over før du sender")
	if status := browsertest.Navigation(t, ctx, "send a named issue",
		chromedp.Click(chromedp.CSS(`input[value="send"] ~ button`))); status != http.StatusUnprocessableEntity {
		t.Errorf("an issue naming a person: %d, want 422", status)
	}
	browsertest.RequireText(t, ctx, "Teksten identifiserer en person")
	browsertest.CheckAxe(t, ctx, "system issue refused")
	browsertest.Do(t, ctx, "write a clean issue",
		chromedp.SetValue(chromedp.ID("issue-description"), "Skolene i Nord venter over tre måneder på sakkyndig vurdering."))
	browsertest.Navigation(t, ctx, "review", chromedp.Click(chromedp.CSS(`input[value="review"] ~ button`)))
	browsertest.CheckAxe(t, ctx, "system issue review")
	pages.Add(t, ctx, "system issue review")
	if status := browsertest.Navigation(t, ctx, "send",
		chromedp.Click(chromedp.CSS(`input[value="send"] ~ button`))); status != http.StatusOK {
		t.Fatalf("after sending: %d", status)
	}
	browsertest.RequireText(t, ctx, "Systemsaken er sendt til OST.", "På sakslisten")

	// The OST decides; the owner follows up; the team sees the outcome.
	browsertest.Navigation(t, ctx, "open the issue", chromedp.Click(chromedp.CSS(`#issues a[href^="/system-issues/"]`)))
	browsertest.RequireText(t, ctx, "OSTs vedtak", "Møte i OST")
	browsertest.CheckAxe(t, ctx, "system issue with the decision form")
	pages.Add(t, ctx, "system issue decision form")
	status = browsertest.Navigation(t, ctx, "decide",
		chromedp.SendKeys(chromedp.ID("decision"), "PPT lager en rutine for hastesaker."),
		chromedp.SetValue(chromedp.ID("owner"), site.Employee.ID),
		chromedp.SetValue(chromedp.ID("due"), "2026-12-31"),
		chromedp.Click(chromedp.CSS(`form[action$="/decision"] button`)))
	if status != http.StatusOK {
		t.Fatalf("after deciding: %d", status)
	}
	browsertest.RequireText(t, ctx, "Vedtaket er lagret.", "31.12.2026", "Registrer oppfølging")
	browsertest.CheckAxe(t, ctx, "decided system issue")
	status = browsertest.Navigation(t, ctx, "follow up",
		chromedp.SendKeys(chromedp.ID("note"), "Rutinen er sendt til skolene."),
		chromedp.Click(chromedp.CSS(`form[action$="/follow-up"] button`)))
	if status != http.StatusOK {
		t.Fatalf("after following up: %d", status)
	}
	browsertest.RequireText(t, ctx, "Oppfølgingen er registrert.", "Fulgt opp", "Rutinen er sendt til skolene.")
	browsertest.CheckAxe(t, ctx, "followed-up system issue")
	pages.Add(t, ctx, "followed-up system issue")

	// Issue 15 point 7: the team report, also on a phone.
	if status := browsertest.Open(t, ctx, site.URL+"/teams/"+tstID+"/report"); status != http.StatusOK {
		t.Fatalf("team report: %d", status)
	}
	browsertest.RequireText(t, ctx, "Årsrapport", "Etter brukergruppe", "Barn med psykososiale vansker", "Systemsaker sendt til OST")
	browsertest.CheckAxe(t, ctx, "team report")
	pages.Add(t, ctx, "team report")
	browsertest.SetViewport(t, ctx, 390, 844, true)
	browsertest.Open(t, ctx, site.URL+"/teams/"+tstID+"/report")
	browsertest.RequireNoHorizontalScroll(t, ctx, "team report on a phone")
	browsertest.CheckAxe(t, ctx, "team report on a phone")
	pages.Check(t)
}
