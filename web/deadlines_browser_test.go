package web_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/browsertest"
)

// Rule 9 (issue 11): seed 000 gives no deadlines, so the "Lokal frist"
// deadlines are the municipality's to adopt. The administrator adopts one
// on the deadlines page (3 days for the consultation; a bad value is refused with its message); the
// routine page then says the deadline is the municipality's, adopted, and
// no longer Samordna's proposal. Both pages pass axe.
func TestBrowserAdminAdoptsDeadline(t *testing.T) {
	site, _ := routineSite(t)
	if _, err := site.App.CreateUser(context.Background(), nil, app.NewUser{Username: "admin", Name: "Adam Admin",
		Password: site.Password, Roles: []samordna.Role{samordna.RoleAdmin}}); err != nil {
		t.Fatal(err)
	}
	ctx := browsertest.New(t)
	browsertest.Login(t, ctx, site.URL, "admin", site.Password)
	browsertest.Open(t, ctx, site.URL+"/routines/lillehammer-oppdager")
	browsertest.RequireText(t, ctx, "Forslag fra Samordna – ikke vedtatt av kommunen", "Rutinens frist")
	browsertest.Open(t, ctx, site.URL+"/admin/deadlines")
	browsertest.CheckAxe(t, ctx, "deadlines page")
	browsertest.RequireText(t, ctx, "Kommunens frister", "Samordnas forslag")
	// The first form is the consult step (the routine's first local deadline).
	browsertest.Do(t, ctx, "a bad deadline", chromedp.SetValue(chromedp.ID("deadline-0"), "snart"))
	if status := routineSubmit(t, ctx, `form[action="/admin/deadlines"]`); status != http.StatusBadRequest {
		t.Errorf("bad deadline: status %d, want 400", status)
	}
	browsertest.RequireText(t, ctx, "Fristen kan ikke leses")
	browsertest.CheckAxe(t, ctx, "deadlines page with an error")
	browsertest.Do(t, ctx, "adopt 3 days", chromedp.SetValue(chromedp.ID("deadline-0"), "P3D"),
		chromedp.SetValue(chromedp.ID("note-0"), "Vedtatt av kommunalsjefen"))
	routineSubmit(t, ctx, `form[action="/admin/deadlines"]`)
	browsertest.RequireText(t, ctx, "Fristen er vedtatt som ny versjon", "Vedtatt av kommunalsjefen", "(versjon 1)")
	browsertest.Open(t, ctx, site.URL+"/routines/lillehammer-oppdager")
	browsertest.RequireText(t, ctx, "Kommunens frist, vedtatt", "Innen 3 dager")
	browsertest.CheckAxe(t, ctx, "routine page with an adopted deadline")
}
