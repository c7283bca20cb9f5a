package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// orgIDs returns the ids of the organisation's districts, services, teams
// and employees by name.
func (e *env) orgIDs() map[string]string {
	e.t.Helper()
	o, err := e.app.Organisation(context.Background(), nil)
	if err != nil {
		e.t.Fatal(err)
	}
	ids := map[string]string{}
	for _, d := range o.Districts {
		ids[d.Name] = d.ID
	}
	for _, s := range o.Services {
		ids[s.Name] = s.ID
	}
	for _, t := range o.Teams {
		ids[t.Name] = t.ID
	}
	for _, x := range o.Employees {
		ids[x.Name] = x.ID
	}
	return ids
}

// The administrator builds the organisation in the browser: districts,
// services with district and two leaders, a TST and an OST with members
// chosen by name, an employee with services and roles. Bad input is
// explained on the form with what was typed kept; everyone else gets 404.
func TestOrganisationPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		staff := e.login()
		admin := e.otherUser("admin", samordna.RoleAdmin)

		for _, path := range []string{"/admin", "/admin/districts", "/admin/services", "/admin/teams/new", "/admin/employees"} {
			if r := e.get(path, staff); r.status != http.StatusNotFound {
				t.Errorf("GET %s as a caseworker: %d, want 404", path, r.status)
			}
		}
		if r := e.post("/admin/districts", url.Values{"name": {"Nord"}}, staff); r.status != http.StatusNotFound {
			t.Errorf("POST /admin/districts as a caseworker: %d, want 404", r.status)
		}
		if r := e.get("/", admin); !strings.Contains(r.body, `href="/admin"`) {
			t.Error("the administrator's start page has no link to the organisation")
		}

		for _, name := range []string{"Nord", "Sør"} {
			if r := e.post("/admin/districts", url.Values{"name": {name}}, admin); r.status != http.StatusSeeOther {
				t.Fatalf("create district %s: %d %s", name, r.status, r.body)
			}
		}
		r := e.post("/admin/districts", url.Values{"name": {"nord"}}, admin)
		if r.status != http.StatusConflict || !strings.Contains(r.body, "Det finnes allerede en bydel med dette navnet.") ||
			!strings.Contains(r.body, `value="nord"`) {
			t.Errorf("duplicate district: %d %s", r.status, r.body)
		}
		ids := e.orgIDs()
		if r := e.post("/admin/districts/"+ids["Sør"], url.Values{"name": {"Sørbyen"}}, admin); r.status != http.StatusSeeOther {
			t.Errorf("rename: %d", r.status)
		}

		if r := e.get("/admin/services/new", admin); r.status != http.StatusOK || !strings.Contains(r.body, testName) {
			t.Fatalf("new service form: %d", r.status)
		}
		for _, lang := range []string{"nb", "nn", "en"} {
			lc := &http.Cookie{Name: "samordna_lang", Value: lang}
			for _, path := range []string{"/admin", "/admin/services/new", "/admin/teams/new", "/admin/employees/new"} {
				if m := missingID.FindAllString(e.get(path, admin, lc).body, -1); len(m) > 0 {
					t.Errorf("%s in %s shows untranslated ids %v", path, lang, m)
				}
			}
		}
		r = e.post("/admin/services", url.Values{"name": {"  "}, "kind": {"kindergarten"}, "district": {ids["Nord"]}}, admin)
		if r.status != http.StatusBadRequest || !strings.Contains(r.body, "Skriv et navn.") ||
			!strings.Contains(r.body, `value="kindergarten" selected`) || !strings.Contains(r.body, `value="`+ids["Nord"]+`" selected`) {
			t.Errorf("service without a name: %d %s", r.status, r.body)
		}
		services := []url.Values{
			{"name": {"Nordby skole"}, "kind": {"school"}, "district": {ids["Nord"]}, "leaders": {ids[testName], ids["Annen Bruker"]}},
			{"name": {"Solsikken barnehage"}, "kind": {"kindergarten"}, "district": {ids["Nord"]}},
			{"name": {"Sørli skole"}, "kind": {"school"}, "district": {ids["Sør"]}},
			{"name": {"Helsestasjonen"}, "kind": {"health_station"}},
			{"name": {"PPT"}, "kind": {"ppt"}},
			{"name": {"Barneverntjenesten"}, "kind": {"child_welfare"}},
		}
		for _, f := range services {
			if r := e.post("/admin/services", f, admin); r.status != http.StatusSeeOther {
				t.Fatalf("create service %s: %d %s", f.Get("name"), r.status, r.body)
			}
		}
		r = e.get("/admin/services", admin)
		if !strings.Contains(r.body, "Nordby skole") || !strings.Contains(r.body, "Annen Bruker, Kari Nordmann") ||
			!strings.Contains(r.body, "Barneverntjeneste</td>") {
			t.Errorf("services list lacks the school's leaders by name:\n%s", r.body)
		}
		r = e.get("/admin/districts", admin)
		if !strings.Contains(r.body, "Nordby skole, Solsikken barnehage") || !strings.Contains(r.body, "Sørbyen") {
			t.Errorf("districts page lacks Nord's intake list:\n%s", r.body)
		}

		ids = e.orgIDs()
		r = e.post("/admin/teams", url.Values{"name": {"TST Nord"}, "kind": {"tst"}, "district": {ids["Nord"]}}, admin)
		if r.status != http.StatusBadRequest || !strings.Contains(r.body, "Et team trenger minst ett medlem.") ||
			!strings.Contains(r.body, `value="TST Nord"`) {
			t.Errorf("team without members: %d %s", r.status, r.body)
		}
		teams := []url.Values{
			{"name": {"TST Nord"}, "kind": {"tst"}, "district": {ids["Nord"]}, "meeting_rule": {"every_6_weeks"},
				"members": {ids[testName]}, "submitters": {ids["Nordby skole"], ids["Solsikken barnehage"]}},
			{"name": {"OST"}, "kind": {"ost"}, "meeting_rule": {"monthly"}, "leader": {ids["Annen Bruker"]},
				"members": {ids[testName]}},
		}
		for _, f := range teams {
			if r := e.post("/admin/teams", f, admin); r.status != http.StatusSeeOther {
				t.Fatalf("create team %s: %d %s", f.Get("name"), r.status, r.body)
			}
		}
		r = e.get("/admin/teams", admin)
		for _, want := range []string{"TST Nord", "Hver 6. uke", "Overordnet samarbeidsteam (OST)", "Annen Bruker, Kari Nordmann"} {
			if !strings.Contains(r.body, want) {
				t.Errorf("teams list lacks %q", want)
			}
		}

		r = e.post("/admin/employees", url.Values{"username": {"ola.laerer"}, "name": {"Ola Lærer"},
			"services": {ids["Nordby skole"]}, "roles": {"employee"}}, admin)
		if r.status != http.StatusSeeOther {
			t.Fatalf("create employee: %d %s", r.status, r.body)
		}
		r = e.post("/admin/employees", url.Values{"username": {"ola.laerer"}, "name": {"Ola Igjen"}}, admin)
		if r.status != http.StatusConflict || !strings.Contains(r.body, "Brukernavnet er allerede i bruk.") ||
			!strings.Contains(r.body, `value="Ola Igjen"`) {
			t.Errorf("taken username: %d %s", r.status, r.body)
		}
		ids = e.orgIDs()
		r = e.post("/admin/employees/"+ids["Ola Lærer"], url.Values{"name": {"Ola Lærer"}, "title": {"Kontaktlærer"},
			"services": {ids["Sørli skole"]}, "roles": {"employee", "service_leader"}}, admin)
		if r.status != http.StatusSeeOther {
			t.Fatalf("update employee: %d %s", r.status, r.body)
		}
		r = e.get("/admin/employees", admin)
		if !strings.Contains(r.body, "Sørli skole</td>") || !strings.Contains(r.body, "Ansatt, Tjenesteleder") {
			t.Errorf("employees list after the change:\n%s", r.body)
		}
		r = e.post("/admin/employees/"+ids[testName], url.Values{"name": {testName}, "roles": {"coordinating_unit"}}, admin)
		if r.status != http.StatusBadRequest || !strings.Contains(r.body, "Velg en annen leder for tjenesten først.") {
			t.Errorf("leader leaving their service: %d %s", r.status, r.body)
		}
		if r := e.get("/admin/employees/"+ids["Ola Lærer"], admin); !strings.Contains(r.body, "ola.laerer") ||
			!strings.Contains(r.body, `value="`+ids["Sørli skole"]+`" checked`) {
			t.Errorf("edit form: %d", r.status)
		}

		counts := map[string]int{}
		for _, a := range e.audit() {
			if a.ActorUsername == "admin" {
				counts[a.ObjectType+" "+a.Action]++
			}
		}
		for key, want := range map[string]int{"district create": 2, "district rename": 1, "service create": 6,
			"team create": 2, "employee create": 1, "employee update": 1, "employee grant_role": 1} {
			if counts[key] != want {
				t.Errorf("audit %q by admin = %d, want %d (all: %v)", key, counts[key], want, counts)
			}
		}
		o, err := e.app.Organisation(context.Background(), &samordna.Actor{})
		if err != nil {
			t.Fatal(err)
		}
		if len(o.Districts) != 2 || len(o.Services) != 6 || len(o.Teams) != 2 {
			t.Errorf("organisation: %d districts, %d services, %d teams", len(o.Districts), len(o.Services), len(o.Teams))
		}
	})
}
