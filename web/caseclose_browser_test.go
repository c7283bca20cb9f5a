package web_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/samordna/samordna/internal/browsertest"
	"github.com/samordna/samordna/internal/matrixtest"
	"github.com/samordna/samordna/store"
)

// The close page (the review), its error, and the reopen page pass axe in
// bokmål; closing and reopening work through the forms without JavaScript
// needed.
func TestBrowserCloseAndReopen(t *testing.T) {
	site := startBrowserSite(t)
	caseID := spineBrowserCase(t, site)
	if err := site.DB.Write(context.Background(), func(tx *store.Tx) error {
		return matrixtest.AddApplication(tx, caseID, site.Employee.MunicipalityID, site.Employee.ID, site.App.Clock.Now().UTC())
	}); err != nil {
		t.Fatal(err)
	}
	ctx := browsertest.New(t)
	browsertest.Login(t, ctx, site.URL, site.Username, site.Password)

	if status := browsertest.Open(t, ctx, site.URL+"/cases/"+caseID+"/close"); status != http.StatusOK {
		t.Fatalf("GET close page: %d", status)
	}
	browsertest.RequireText(t, ctx, "Avslutt saken", "Dette skjer når saken avsluttes", "Personen har flyttet")
	browsertest.CheckAxe(t, ctx, "close page")
	browsertest.Screenshot(t, ctx, "case-close")

	status := browsertest.Navigation(t, ctx, "choose other without a note",
		chromedp.Click(chromedp.ID("reason-other")),
		chromedp.Click(chromedp.CSS(`form[action$="/close"] button[type="submit"]`)))
	if status != http.StatusBadRequest {
		t.Errorf("other without a note: %d, want 400", status)
	}
	browsertest.RequireText(t, ctx, "Skriv i merknaden hvorfor saken avsluttes.")
	browsertest.CheckAxe(t, ctx, "close page with an error")

	status = browsertest.Navigation(t, ctx, "close the case",
		chromedp.SendKeys(chromedp.ID("note"), "Familien har flyttet til en annen kommune."),
		chromedp.Click(chromedp.CSS(`form[action$="/close"] button[type="submit"]`)))
	if status != http.StatusOK {
		t.Fatalf("after closing: %d", status)
	}
	browsertest.RequireText(t, ctx, "Saken er avsluttet.", "Avsluttet", "Gjenåpne saken")
	browsertest.CheckAxe(t, ctx, "closed case page")

	if status := browsertest.Open(t, ctx, site.URL+"/cases/"+caseID+"/reopen"); status != http.StatusOK {
		t.Fatalf("GET reopen page: %d", status)
	}
	browsertest.RequireText(t, ctx, "Gjenåpne saken", "Annet (beskriv i merknaden)", "Familien har flyttet til en annen kommune.")
	browsertest.CheckAxe(t, ctx, "reopen page")
	status = browsertest.Navigation(t, ctx, "reopen the case",
		chromedp.SendKeys(chromedp.ID("note"), "Familien er tilbake."),
		chromedp.Click(chromedp.CSS(`form[action$="/reopen"] button[type="submit"]`)))
	if status != http.StatusOK {
		t.Fatalf("after reopening: %d", status)
	}
	browsertest.RequireText(t, ctx, "Saken er gjenåpnet.", "Avslutt saken")
}
