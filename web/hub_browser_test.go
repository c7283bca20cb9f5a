package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/browsertest"
)

// Issue 13 points 2, 4, 5 and 6 in Chromium, at 1280 and at 390 px, each
// page checked with axe and the Nu checker: the coordinator's start page
// shows the group without a meeting; the case page is a hub whose sections
// link to their pages; withdrawing the consent is reviewed first (who
// loses access, the meeting, the tasks) and then tells the member, whose
// notice has no link to the case she can no longer open.
func TestBrowserHubQueuesAndWithdrawalReview(t *testing.T) {
	cs := startCoordSite(t)
	ctx := context.Background()
	a := cs.App
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err := a.DecideApplication(ctx, cs.actors["kari"], cs.appID, app.Decision{Outcome: "granted", Coordinator: "ingrid.hs"})
	must(err)
	_, err = a.AcceptCoordinator(ctx, cs.actors["ingrid.hs"], cs.caseID)
	must(err)
	consent, err := a.RecordConsent(ctx, cs.actors["ingrid.hs"], cs.caseID, app.NewConsent{GivenBy: "Mor til Åse",
		GivenByRelation: "guardian", Purposes: []samordna.ConsentPurpose{samordna.PurposeResponsibilityGroup,
			samordna.PurposeShareWithMembers}})
	must(err)
	_, err = a.CreateGroup(ctx, cs.actors["ingrid.hs"], cs.caseID, []app.NewGroupMember{{Username: "anne.ppt", Role: "PP-rådgiver"}})
	must(err)

	pages := browsertest.NewHTMLPages(t)
	check := func(c context.Context, label string) {
		t.Helper()
		browsertest.CheckAxe(t, c, label)
		pages.Add(t, c, label)
	}
	coord := browsertest.New(t)
	browsertest.Login(t, coord, cs.URL, "ingrid.hs", coordBrowserPassword)
	for _, width := range []int64{1280, 390} {
		browsertest.SetViewport(t, coord, width, 900, width < 500)
		browsertest.Open(t, coord, cs.URL+"/")
		browsertest.RequireText(t, coord, "Ansvarsgrupper uten planlagt møte", "Åse Ødegård", "Planlegg neste møte")
		check(coord, "coordinator start page")
		browsertest.RequireNoHorizontalScroll(t, coord, "coordinator start page")
		if width == 1280 {
			browsertest.Screenshot(t, coord, "start-coordinator")
		}

		browsertest.Open(t, coord, cs.URL+"/cases/"+cs.caseID)
		browsertest.RequireText(t, coord, "Åse Ødegård", "Neste steg", "Søknad og vedtak", "Ansvarsgruppe", "Møter", "Planer",
			"Meldinger", "Familie", "Tidslinje", "Mor til Åse")
		for _, href := range []string{"/group", "/plans", "/routine", "/consents", "/application"} {
			if !browsertest.Visible(t, coord, `a[href="/cases/`+cs.caseID+href+`"]`) {
				t.Errorf("the hub has no link to %s at %d px", href, width)
			}
		}
		if n := browsertest.Eval[int](t, coord, `document.querySelectorAll('main form:not(.inline-form)').length`); n != 0 {
			t.Errorf("the hub holds %d forms at %d px; forms live on their own pages", n, width)
		}
		check(coord, "case hub")
		browsertest.RequireNoHorizontalScroll(t, coord, "case hub")
		if width == 1280 {
			browsertest.Screenshot(t, coord, "case-hub")
		}
	}

	mv, err := a.PlanMeeting(ctx, cs.actors["ingrid.hs"], cs.caseID, app.NewMeeting{StartsAt: cs.clock.Now().AddDate(0, 0, 21),
		Place: "Rådhuset", Agenda: []string{"Skolestart"}})
	must(err)
	must(a.SendInvitation(ctx, cs.actors["ingrid.hs"], mv.Meeting.ID))

	// The member's invitation notice links to the meeting itself.
	member := browsertest.NewTab(t, coord)
	browsertest.Login(t, member, cs.URL, "anne.ppt", coordBrowserPassword)
	browsertest.Open(t, member, cs.URL+"/notifications")
	browsertest.RequireText(t, member, "Du er invitert til et møte i en ansvarsgruppe.")
	if !browsertest.Visible(t, member, `a[href="/meetings/`+mv.Meeting.ID+`"]`) {
		t.Error("the invitation notice does not link to the meeting")
	}

	// The review before the withdrawal, at both widths.
	for _, width := range []int64{1280, 390} {
		browsertest.SetViewport(t, coord, width, 900, width < 500)
		if status := browsertest.Open(t, coord, cs.URL+"/consents/"+consent.ID+"/withdraw"); status != http.StatusOK {
			t.Fatalf("the withdrawal review: %d", status)
		}
		browsertest.RequireText(t, coord, "Trekke tilbake samtykke", "Mister tilgang til saken", "Anne Lunde",
			"Rådhuset", "Koordinator Ingrid Moe får varsel om møtene.", "Trekk tilbake samtykket")
		check(coord, "withdrawal review")
		browsertest.RequireNoHorizontalScroll(t, coord, "withdrawal review")
		if width == 1280 {
			browsertest.Screenshot(t, coord, "withdrawal-review")
		}
	}
	if status := submit(t, coord, "confirm the withdrawal", `form[action$="/withdraw"] button[type="submit"]`); status != http.StatusOK {
		t.Fatalf("after the withdrawal: %d", status)
	}
	browsertest.RequireText(t, coord, "Samtykket er trukket tilbake.")

	// The member is told, and the notice does not lead to the case she lost.
	browsertest.Open(t, member, cs.URL+"/notifications")
	browsertest.RequireText(t, member, "Du har ikke lenger tilgang til saken")
	if html := browsertest.Eval[string](t, member, `document.querySelector('main').innerHTML`); strings.Contains(html, `href="/cases/`+cs.caseID) {
		t.Error("the access-ended notice links to the case the member can no longer open")
	}
	check(member, "member notifications after withdrawal")
	pages.Check(t)
}
