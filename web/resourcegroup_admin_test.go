package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// FIDELITY 3.31, seed 003 (Ulstein) "Ressursgruppa" (row 1 "Kontakt med
// ressursgruppa for råd/rettleiing"; row 2 "Melde sak til koordinator av
// ressursgruppa"): the administrator sets up the resource group in the
// browser at /admin/teams, with its coordinator (the team's leader) and
// members chosen by name, and sees it listed with them; a caseworker's
// attempt is a 404 and makes nothing.
func TestSeed003ResourceGroupSetUpOnTheAdminPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		staff := e.login()
		admin := e.otherUser("admin", samordna.RoleAdmin)
		ids := e.orgIDs()
		form := url.Values{"name": {"Ressursgruppa"}, "kind": {string(samordna.TeamResourceGroup)},
			"purpose": {"Råd og rettleiing om rus i sped- og småbarnsfamiliar"}, "meeting_rule": {"monthly"},
			"leader": {ids["Annen Bruker"]}, "members": {ids[testName]}}
		if r := e.post("/admin/teams", form, staff); r.status != http.StatusNotFound {
			t.Errorf("POST /admin/teams as a caseworker: %d, want 404", r.status)
		}
		if r := e.post("/admin/teams", form, admin); r.status != http.StatusSeeOther {
			t.Fatalf("create the resource group: %d %s", r.status, r.body)
		}
		r := e.get("/admin/teams", admin)
		for _, want := range []string{"Ressursgruppa", "<td>Ressursgruppe</td>", "<td>Annen Bruker</td>",
			"Annen Bruker, " + testName} {
			if !strings.Contains(r.body, want) {
				t.Errorf("teams list lacks %q:\n%s", want, r.body)
			}
		}
		teams := 0
		for _, a := range e.audit() {
			if a.ObjectType == "team" && a.Action == "create" && a.Outcome == samordna.OutcomeAllowed {
				teams++
			}
		}
		if ids := e.orgIDs(); teams != 1 || ids["Ressursgruppa"] == "" {
			t.Errorf("%d team create rows, resource group id %q; want one, made by the administrator", teams, ids["Ressursgruppa"])
		}
	})
}
