package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/internal/matrixtest"
	"github.com/samordna/samordna/store"
)

// Closing in the browser is a review and a confirm: the close page shows
// what closing does and changes nothing; a confirm without a reason is
// refused with the message and the case stays open; the confirm closes
// the case; the case page then offers reopening (the signed-in employee is
// the coordinator and the coordinating unit of a case that applied), and
// the reopen page needs a note.
func TestClosePages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		c := e.login()
		id := spineCase(t, e)
		if err := db.Write(context.Background(), func(tx *store.Tx) error {
			return matrixtest.AddApplication(tx, id, e.emp.MunicipalityID, e.emp.ID, e.clock.Now())
		}); err != nil {
			t.Fatal(err)
		}
		base := "/cases/" + id
		status := func() string {
			var s string
			if err := db.Read(context.Background(), func(tx *store.Tx) error {
				return tx.QueryRow(`SELECT status FROM cases WHERE id = $1`, id).Scan(&s)
			}); err != nil {
				t.Fatal(err)
			}
			return s
		}
		if r := e.get(base, c); !strings.Contains(r.body, `href="`+base+`/close"`) {
			t.Errorf("the case page has no link to close the case")
		}
		r := e.get(base+"/close", c)
		if r.status != http.StatusOK || !strings.Contains(r.body, "Dette skjer når saken avsluttes") ||
			!strings.Contains(r.body, "Kommunen har ikke satt lagringstid") || status() != "open" {
			t.Fatalf("close page: %d, status %s", r.status, status())
		}
		r = e.post(base+"/close", url.Values{}, c)
		if r.status != http.StatusBadRequest || !strings.Contains(r.body, "Velg hvorfor saken avsluttes.") || status() != "open" {
			t.Errorf("confirm without a reason: %d, status %s", r.status, status())
		}
		r = e.post(base+"/close", url.Values{"reason": {"other"}}, c)
		if r.status != http.StatusBadRequest || !strings.Contains(r.body, "Skriv i merknaden hvorfor saken avsluttes.") ||
			!strings.Contains(r.body, `value="other" required checked`) {
			t.Errorf("other without a note: %d", r.status)
		}
		r = e.post(base+"/close", url.Values{"reason": {"follow_up_ended"}, "note": {"Målene er nådd."}}, c)
		if r.status != http.StatusSeeOther || r.location() != base+"?done=closed" || status() != "closed" {
			t.Fatalf("confirm: %d %q, status %s", r.status, r.location(), status())
		}
		page := e.get(base+"?done=closed", c)
		if !strings.Contains(page.body, "Saken er avsluttet.") || !strings.Contains(page.body, `href="`+base+`/reopen"`) ||
			strings.Contains(page.body, `href="`+base+`/close"`) {
			t.Errorf("case page after closing: %d", page.status)
		}
		if r := e.get(base+"/close", c); r.status != http.StatusConflict {
			t.Errorf("close page of a closed case: %d", r.status)
		}
		r = e.get(base+"/reopen", c)
		if r.status != http.StatusOK || !strings.Contains(r.body, "Oppfølgingen er avsluttet") || !strings.Contains(r.body, "Målene er nådd.") {
			t.Fatalf("reopen page: %d", r.status)
		}
		if r := e.post(base+"/reopen", url.Values{}, c); r.status != http.StatusBadRequest || status() != "closed" {
			t.Errorf("reopen without a note: %d", r.status)
		}
		r = e.post(base+"/reopen", url.Values{"note": {"Ny bekymring."}}, c)
		if r.status != http.StatusSeeOther || r.location() != base+"?done=reopened" || status() != "open" {
			t.Errorf("reopen: %d %q", r.status, r.location())
		}
		unknown := "/cases/" + samordna.NewID()
		for _, p := range []string{"/close", "/reopen"} {
			if r := e.get(unknown+p, c); r.status != http.StatusNotFound {
				t.Errorf("GET %s of an unknown case: %d", p, r.status)
			}
		}
	})
}
