package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// The e-mail page shows the employee's choice (immediate by default),
// saves the daily digest, and refuses a choice that is not offered.
func TestMailSettingsPage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		c := e.login()
		if r := e.get("/notifications", c); !strings.Contains(r.body, `href="/settings/mail"`) {
			t.Errorf("the notifications page has no link to the e-mail page")
		}
		r := e.get("/settings/mail", c)
		if r.status != http.StatusOK || !strings.Contains(r.body, "E-post fra Samordna") ||
			!strings.Contains(r.body, `value="immediate" checked`) || !strings.Contains(r.body, "sendes alltid med en gang") {
			t.Fatalf("the page: %d\n%s", r.status, r.body)
		}
		r = e.post("/settings/mail", url.Values{"mode": {"digest"}}, c)
		if r.status != http.StatusSeeOther || r.location() != "/settings/mail?done=saved" {
			t.Fatalf("save: %d %s", r.status, r.location())
		}
		r = e.get("/settings/mail?done=saved", c)
		if !strings.Contains(r.body, `value="digest" checked`) || !strings.Contains(r.body, "Valget ditt er lagret.") {
			t.Errorf("after saving:\n%s", r.body)
		}
		r = e.post("/settings/mail", url.Values{"mode": {"weekly"}}, c)
		if r.status != http.StatusBadRequest || !strings.Contains(r.body, "Velg ett av valgene.") {
			t.Errorf("a choice not offered: %d", r.status)
		}
	})
}
