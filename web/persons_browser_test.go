package web_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/browsertest"
	"github.com/samordna/samordna/store"
)

// The unit's export pages (search, a bad number, the review) and the
// administrator's retention page (the form, an invalid period, the review,
// the saved setting) work by keyboard and mouse without JavaScript of
// their own and pass axe.
func TestBrowserPersonExportAndRetention(t *testing.T) {
	site := startBrowserSite(t)
	site.App.AllowSynthetic = true
	caseID := spineBrowserCase(t, site)
	var fnr string
	err := site.DB.Read(context.Background(), func(tx *store.Tx) error {
		c, err := store.CaseByID(tx, caseID)
		if err != nil {
			return err
		}
		p, err := store.PersonByID(tx, c.SubjectPersonID)
		fnr = p.IDNumber
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := browsertest.New(t)
	browsertest.Login(t, ctx, site.URL, site.Username, site.Password)
	if status := browsertest.Open(t, ctx, site.URL+"/persons/export"); status != http.StatusOK {
		t.Fatalf("GET /persons/export: %d", status)
	}
	browsertest.RequireText(t, ctx, "Innsyn for en person", "Fødselsnummer eller D-nummer")
	browsertest.CheckAxe(t, ctx, "export search")

	status := browsertest.Navigation(t, ctx, "search with a bad number",
		chromedp.SendKeys(chromedp.ID("id_number"), "123"),
		chromedp.Click(chromedp.CSS(`form[action="/persons/export"] button[type="submit"]`)))
	if status != http.StatusBadRequest {
		t.Errorf("bad number: %d", status)
	}
	browsertest.RequireText(t, ctx, "Nummeret er ikke et gyldig fødselsnummer eller D-nummer.")
	browsertest.CheckAxe(t, ctx, "export search with an error")

	browsertest.Do(t, ctx, "type the number", chromedp.Evaluate[chromedp.Void](`(() => { document.getElementById('id_number').value = ''; })()`),
		chromedp.SendKeys(chromedp.ID("id_number"), fnr))
	status = browsertest.Navigation(t, ctx, "search", chromedp.Click(chromedp.CSS(`form[action="/persons/export"] button[type="submit"]`)))
	if status != http.StatusOK {
		t.Fatalf("search: %d", status)
	}
	browsertest.RequireText(t, ctx, "Innsyn – dette blir med", "Emma Hansen", "Sak 1", "Last ned PDF", "Last ned JSON")
	browsertest.CheckAxe(t, ctx, "export review")
	browsertest.Screenshot(t, ctx, "person-export")

	// The administrator's retention page, in another browser context.
	if _, err := site.App.CreateUser(context.Background(), &samordna.Actor{}, app.NewUser{Username: "admin",
		Name: "Anne Admin", Password: site.Password, Roles: []samordna.Role{samordna.RoleAdmin}}); err != nil {
		t.Fatal(err)
	}
	admin := browsertest.NewTab(t, ctx)
	browsertest.Login(t, admin, site.URL, "admin", site.Password)
	if status := browsertest.Open(t, admin, site.URL+"/admin/retention"); status != http.StatusOK {
		t.Fatalf("GET /admin/retention: %d", status)
	}
	browsertest.RequireText(t, admin, "Lagringstid for avsluttede saker", "Ikke satt – ingenting slettes")
	browsertest.CheckAxe(t, admin, "retention page")
	status = browsertest.Navigation(t, admin, "an invalid period",
		chromedp.SetAttributeValue(chromedp.ID("months"), "max", "99999"),
		chromedp.SendKeys(chromedp.ID("months"), "5000"),
		chromedp.Click(chromedp.CSS(`form[action="/admin/retention"] button[type="submit"]`)))
	if status != http.StatusBadRequest {
		t.Errorf("invalid period: %d", status)
	}
	browsertest.RequireText(t, admin, "Lagringstiden må være et helt antall måneder")
	browsertest.CheckAxe(t, admin, "retention page with an error")
	browsertest.Do(t, admin, "type a period", chromedp.Evaluate[chromedp.Void](`(() => { document.getElementById('months').value = ''; })()`),
		chromedp.SendKeys(chromedp.ID("months"), "36"))
	status = browsertest.Navigation(t, admin, "review the period",
		chromedp.Click(chromedp.CSS(`form[action="/admin/retention"] button[type="submit"]`)))
	if status != http.StatusOK {
		t.Fatalf("review: %d", status)
	}
	browsertest.RequireText(t, admin, "Kontroller før du lagrer", "36 måneder vil 0 avsluttede saker")
	browsertest.CheckAxe(t, admin, "retention review")
	status = browsertest.Navigation(t, admin, "save the period",
		chromedp.Click(chromedp.CSS(`input[name="step"][value="save"] ~ button[type="submit"]`)))
	if status != http.StatusOK {
		t.Fatalf("save: %d", status)
	}
	browsertest.RequireText(t, admin, "Lagringstiden er lagret.", "36 måneder etter at saken ble avsluttet", "Anne Admin")
	browsertest.CheckAxe(t, admin, "retention saved")
}
