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
	"github.com/samordna/samordna/internal/matrixtest"
	"github.com/samordna/samordna/store"
)

// spineBrowserCase gives the site's employee (coordinating unit) a named
// case they coordinate, with a consent, an uploaded form, a bar on another
// employee and a second reader whose look shows in the access log. It
// returns the case id.
func spineBrowserCase(t *testing.T, site *browsertest.Site) string {
	t.Helper()
	now := site.App.Clock.Now().UTC()
	var caseID string
	err := site.DB.Write(context.Background(), func(tx *store.Tx) error {
		me := site.Employee
		p := &samordna.Person{MunicipalityID: me.MunicipalityID, Name: "Emma Hansen", BirthDate: "2015-02-20",
			IDNumber: samordna.SyntheticIDNumber(time.Date(2015, 2, 20, 0, 0, 0, 0, time.UTC), 7),
			IDKind:   samordna.IDKindFNR, Synthetic: true}
		if err := store.CreatePerson(tx, p, now); err != nil {
			return err
		}
		other := &samordna.Employee{ID: samordna.NewID(), MunicipalityID: me.MunicipalityID, Username: "ola.laerer",
			Name: "Ola Brekke", Roles: []samordna.Role{samordna.RoleEmployee}}
		if err := store.CreateEmployee(tx, other, "", now); err != nil {
			return err
		}
		var err error
		if caseID, err = matrixtest.NewCase(tx, me.MunicipalityID, other.ID, p.ID, now); err != nil {
			return err
		}
		if err := matrixtest.AddCoordinator(tx, caseID, me.ID, me.ID, now, false); err != nil {
			return err
		}
		if _, err := matrixtest.AddConsent(tx, caseID, me.ID, []samordna.ConsentPurpose{samordna.PurposeShareWithMembers,
			samordna.PurposeResponsibilityGroup}, nil, false, now); err != nil {
			return err
		}
		if _, err := matrixtest.AddBlock(tx, caseID, other.ID, me.ID, now, false); err != nil {
			return err
		}
		form := &store.ConsentForm{ID: samordna.NewID(), CaseID: caseID, ContentType: "application/pdf", Size: 1234,
			SHA256: "x", Data: []byte("%PDF-1.4\n%%EOF\n"), UploadedBy: me.ID, UploadedAt: now}
		return store.CreateConsentForm(tx, form)
	})
	if err != nil {
		t.Fatal(err)
	}
	return caseID
}

// The case list, the case page (with its forms) and the access log pass
// axe in bokmål, and recording a consent through the form works without
// leaving the page's accessibility.
func TestBrowserCasePages(t *testing.T) {
	site := startBrowserSite(t)
	caseID := spineBrowserCase(t, site)
	ctx := browsertest.New(t)
	browsertest.Login(t, ctx, site.URL, site.Username, site.Password)

	browsertest.RequireText(t, ctx, "Mine saker", "Emma Hansen", "Alle saker")
	browsertest.CheckAxe(t, ctx, "start page with cases")

	if status := browsertest.Open(t, ctx, site.URL+"/cases"); status != http.StatusOK {
		t.Fatalf("GET /cases: %d", status)
	}
	browsertest.RequireText(t, ctx, "Saker", "Emma Hansen", "Uavklart bekymring")
	browsertest.CheckAxe(t, ctx, "case list")
	browsertest.Screenshot(t, ctx, "case-list")

	if status := browsertest.Open(t, ctx, site.URL+"/cases/"+caseID); status != http.StatusOK {
		t.Fatalf("GET /cases/%s: %d", caseID, status)
	}
	browsertest.RequireText(t, ctx, "Emma Hansen", "Koordinator", "Samtykker", "Sperringer", "Ola Brekke",
		"Neste steg", "Vis fødselsnummer", "Tidslinje", "Se tilgangsloggen")
	browsertest.CheckAxe(t, ctx, "case page")
	browsertest.Screenshot(t, ctx, "case-page")

	// The consent forms live on their own page.
	if status := browsertest.Open(t, ctx, site.URL+"/cases/"+caseID+"/consents"); status != http.StatusOK {
		t.Fatalf("GET the consents page: %d", status)
	}
	browsertest.RequireText(t, ctx, "Registrer skriftlig samtykke")
	browsertest.CheckAxe(t, ctx, "consents page")

	// Record a consent through the form, as a guardian, for the individual plan.
	browsertest.Do(t, ctx, "fill in the consent form",
		chromedp.SendKeys(chromedp.ID("given_by"), "Kristin Hansen"),
		chromedp.Click(chromedp.ID("rel-guardian")),
		chromedp.Click(chromedp.ID("purpose-individual_plan")))
	status := browsertest.Navigation(t, ctx, "submit the consent form",
		chromedp.Click(chromedp.CSS(`form[action$="/consents"] button[type="submit"]`)))
	if status != http.StatusOK {
		t.Fatalf("after recording consent: %d", status)
	}
	browsertest.RequireText(t, ctx, "Samtykket er registrert.", "Kristin Hansen", "Foresatt", "Arbeid med individuell plan")
	browsertest.CheckAxe(t, ctx, "case page after recording consent")
	if status := browsertest.Open(t, ctx, site.URL+"/cases/"+caseID+"/consents"); status != http.StatusOK {
		t.Fatalf("GET the consents page: %d", status)
	}

	// A wrong form shows the error on the page, which stays accessible.
	status = browsertest.Navigation(t, ctx, "submit a consent without purposes",
		chromedp.SendKeys(chromedp.ID("given_by"), "Thomas Hansen"),
		chromedp.Click(chromedp.CSS(`form[action$="/consents"] button[type="submit"]`)))
	if status != http.StatusBadRequest {
		t.Errorf("consent without purposes: %d, want 400", status)
	}
	browsertest.RequireText(t, ctx, "Velg minst ett formål.")
	if v := browsertest.Eval[string](t, ctx, `document.getElementById('given_by').value`); v != "Thomas Hansen" {
		t.Errorf("the form lost what was typed: %q", v)
	}
	browsertest.CheckAxe(t, ctx, "consents page with an error")

	if status := browsertest.Open(t, ctx, site.URL+"/cases/"+caseID+"/access-log"); status != http.StatusOK {
		t.Fatalf("GET access log: %d", status)
	}
	browsertest.RequireText(t, ctx, "Tilgangslogg", "Kari Nordmann", "Så på", "Registrerte samtykke")
	browsertest.CheckAxe(t, ctx, "access log")
	browsertest.Screenshot(t, ctx, "access-log")

	// A case that does not exist, and one the reader may not see, give the same page.
	if status := browsertest.Open(t, ctx, site.URL+"/cases/"+samordna.NewID()); status != http.StatusNotFound {
		t.Errorf("unknown case: %d", status)
	}
	if body := browsertest.BodyText(t, ctx); !strings.Contains(body, "Siden finnes ikke") {
		t.Errorf("unknown case page: %s", body)
	}
}

// Breaking the glass through the form, and the leader's review of it:
// both pages pass axe, and the review list shows who, which case and why.
func TestBrowserEmergencyAccess(t *testing.T) {
	site := startBrowserSite(t)
	ctx := context.Background()
	leader, err := site.App.CreateUser(ctx, &samordna.Actor{}, app.NewUser{Username: "nils.leder", Name: "Nils Aasen",
		Password: site.Password, Roles: []samordna.Role{samordna.RoleEmployee, samordna.RoleServiceLeader}})
	if err != nil {
		t.Fatal(err)
	}
	now := site.App.Clock.Now().UTC()
	var caseID string
	err = site.DB.Write(ctx, func(tx *store.Tx) error {
		me := site.Employee
		svc := &samordna.Service{MunicipalityID: me.MunicipalityID, Name: "Nordby skole", Kind: samordna.ServiceSchool}
		if err := store.CreateService(tx, svc, now); err != nil {
			return err
		}
		if err := store.AddServiceMember(tx, svc.ID, me.ID); err != nil {
			return err
		}
		if err := store.SetServiceLeader(tx, svc.ID, leader.ID); err != nil {
			return err
		}
		if err := store.GrantRole(tx, me.ID, samordna.RoleEmergencyAccess); err != nil {
			return err
		}
		// Two people: the search by the full name finds only the one named.
		for _, name := range []string{"Mia Solberg", "Mia Solberg Dahl"} {
			p := &samordna.Person{MunicipalityID: me.MunicipalityID, Name: name, BirthDate: "2019-03-04"}
			if err := store.CreatePerson(tx, p, now); err != nil {
				return err
			}
			id, err := matrixtest.NewCase(tx, me.MunicipalityID, leader.ID, p.ID, now)
			if err != nil {
				return err
			}
			if name == "Mia Solberg" {
				caseID = id
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	b := browsertest.New(t)
	browsertest.Login(t, b, site.URL, site.Username, site.Password)
	browsertest.RequireText(t, b, "Be om nødtilgang til en sak")
	if status := browsertest.Open(t, b, site.URL+"/cases/"+caseID); status != http.StatusNotFound {
		t.Fatalf("the case before breaking the glass: %d", status)
	}
	if status := browsertest.Open(t, b, site.URL+"/emergency-access"); status != http.StatusOK {
		t.Fatalf("GET /emergency-access: %d", status)
	}
	browsertest.RequireText(t, b, "Nødtilgang", "2 timer", "Søk etter saken")
	browsertest.CheckAxe(t, b, "emergency access form")
	// Issue 13 point 3: the case is found by the person's full name, not
	// by a typed case id; part of a name finds nothing.
	browsertest.Do(t, b, "search by part of the name", chromedp.SendKeys(chromedp.ID("case_query"), "Mia"))
	browsertest.Navigation(t, b, "search", chromedp.Click(chromedp.CSS(`button[name="search"]`)))
	browsertest.RequireText(t, b, "Fant ingen sak som passer.")
	browsertest.Do(t, b, "search by the full name", chromedp.SetValue(chromedp.ID("case_query"), "mia solberg"))
	browsertest.Navigation(t, b, "search", chromedp.Click(chromedp.CSS(`button[name="search"]`)))
	browsertest.RequireText(t, b, "Mia Solberg, født 04.03.2019", "Fare for liv eller helse")
	if strings.Contains(browsertest.BodyText(t, b), "Solberg Dahl") {
		t.Error("the emergency search finds more than the exact name")
	}
	browsertest.CheckAxe(t, b, "emergency access search result")
	browsertest.Do(t, b, "fill in the emergency form",
		chromedp.Click(chromedp.ID("case-0")),
		chromedp.Click(chromedp.ID("reason_code-acute_child_welfare")),
		chromedp.SendKeys(chromedp.ID("reason"), "Barnet er ikke hentet, mor er ruset"))
	if status := browsertest.Navigation(t, b, "break the glass",
		chromedp.Click(chromedp.CSS(`#break-glass button[type="submit"]`))); status != http.StatusOK {
		t.Fatalf("after breaking the glass: %d", status)
	}
	if p := browsertest.Path(t, b); p != "/cases/"+caseID {
		t.Errorf("after breaking the glass the browser is at %s", p)
	}
	browsertest.RequireText(t, b, "Du har fått nødtilgang til saken.", "Du har nødtilgang til denne saken.")
	browsertest.CheckAxe(t, b, "case page under emergency access")

	// The leader reviews it.
	tab := browsertest.NewTab(t, b)
	browsertest.Login(t, tab, site.URL, "nils.leder", site.Password)
	if status := browsertest.Open(t, tab, site.URL+"/emergency-access/reviews"); status != http.StatusOK {
		t.Fatalf("GET reviews: %d", status)
	}
	browsertest.RequireText(t, tab, "Kari Nordmann", caseID, "Akutt barnevernssak", "Barnet er ikke hentet, mor er ruset")
	if strings.Contains(browsertest.BodyText(t, tab), "Uavklart bekymring") {
		t.Error("the review list shows the case's content")
	}
	browsertest.CheckAxe(t, tab, "emergency review list")
	browsertest.Screenshot(t, tab, "emergency-reviews")
	browsertest.Do(t, tab, "write the note", chromedp.SendKeys(chromedp.CSS(`textarea[name="note"]`), "Gjennomgått, begrunnet."))
	if status := browsertest.Navigation(t, tab, "mark reviewed",
		chromedp.Click(chromedp.CSS(`form[action$="/review"] button[type="submit"]`))); status != http.StatusOK {
		t.Fatalf("after review: %d", status)
	}
	browsertest.RequireText(t, tab, "Nødtilgangen er merket som gjennomgått.", "Gjennomgått av Nils Aasen", "Gjennomgått, begrunnet.")
	browsertest.CheckAxe(t, tab, "emergency review list after review")
}
