package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/internal/matrixtest"
	"github.com/samordna/samordna/store"
)

// exportFixture registers Emma Hansen with a case registered by the test
// employee and returns her id and number.
func exportFixture(t *testing.T, e *env) (string, string) {
	t.Helper()
	e.app.AllowSynthetic = true
	now := e.clock.Now()
	p := &samordna.Person{MunicipalityID: e.emp.MunicipalityID, Name: "Emma Hansen", BirthDate: "2015-02-20",
		IDNumber: samordna.SyntheticIDNumber(time.Date(2015, 2, 20, 0, 0, 0, 0, time.UTC), 7),
		IDKind:   samordna.IDKindFNR, Synthetic: true}
	err := e.db.Write(context.Background(), func(tx *store.Tx) error {
		if err := store.CreatePerson(tx, p, now); err != nil {
			return err
		}
		_, err := matrixtest.NewCase(tx, e.emp.MunicipalityID, e.emp.ID, p.ID, now)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return p.ID, p.IDNumber
}

// otherUser creates a user with the role and signs them in.
func (e *env) otherUser(username string, role samordna.Role) *http.Cookie {
	e.t.Helper()
	if _, err := e.app.CreateUser(context.Background(), &samordna.Actor{}, app.NewUser{Username: username,
		Name: "Annen Bruker", Password: testPassword, Roles: []samordna.Role{role}}); err != nil {
		e.t.Fatal(err)
	}
	c := e.tryLogin(username, testPassword).cookie(e.sessionCookieName())
	if c == nil {
		e.t.Fatalf("%s could not sign in", username)
	}
	return c
}

// The unit finds the person by number (posted, never in an address),
// reviews the export and downloads it as JSON and PDF; a bad or unknown
// number is explained on the form; anyone else gets the 404 page.
func TestPersonExportPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		id, fnr := exportFixture(t, e)
		unit := e.login()
		if r := e.get("/persons/export", unit); r.status != http.StatusOK || !strings.Contains(r.body, "Innsyn for en person") {
			t.Fatalf("search page: %d", r.status)
		}
		r := e.post("/persons/export", url.Values{"id_number": {fnr}}, unit)
		if r.status != http.StatusSeeOther || r.location() != "/persons/"+id+"/export" {
			t.Fatalf("search: %d %q", r.status, r.location())
		}
		r = e.get(r.location(), unit)
		for _, want := range []string{"Emma Hansen", fnr, "20.02.2015", "Sak 1", "Åpen", testName,
			"/persons/" + id + "/export.pdf", "/persons/" + id + "/export.json"} {
			if !strings.Contains(r.body, want) {
				t.Errorf("the review lacks %q", want)
			}
		}
		if last := e.lastAudit(); last.Action != app.ExportActionPreview || last.ActorUsername != testUsername {
			t.Errorf("the review is not audited: %+v", last)
		}
		j := e.get("/persons/"+id+"/export.json", unit)
		var x app.PersonExport
		if err := json.Unmarshal([]byte(j.body), &x); err != nil || x.Person.Name != "Emma Hansen" || len(x.Cases) != 1 ||
			!strings.HasPrefix(j.header.Get("Content-Type"), "application/json") ||
			!strings.HasPrefix(j.header.Get("Content-Disposition"), "attachment") {
			t.Errorf("JSON download: %v %+v %v", err, x.Person, j.header)
		}
		p := e.get("/persons/"+id+"/export.pdf", unit)
		if p.header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(p.body, "%PDF-") {
			t.Errorf("PDF download: %v", p.header)
		}
		if r := e.post("/persons/export", url.Values{"id_number": {"1234"}}, unit); r.status != http.StatusBadRequest ||
			!strings.Contains(r.body, "ikke et gyldig") || !strings.Contains(r.body, `value="1234"`) {
			t.Errorf("bad number: %d", r.status)
		}
		other := samordna.SyntheticIDNumber(time.Date(2016, 3, 1, 0, 0, 0, 0, time.UTC), 3)
		if r := e.post("/persons/export", url.Values{"id_number": {other}}, unit); r.status != http.StatusNotFound ||
			!strings.Contains(r.body, "Ingen person i kommunen") {
			t.Errorf("unknown number: %d", r.status)
		}
		for _, who := range []struct {
			name string
			role samordna.Role
		}{{"ola.laerer", samordna.RoleEmployee}, {"admin", samordna.RoleAdmin}} {
			c := e.otherUser(who.name, who.role)
			for _, path := range []string{"/persons/export", "/persons/" + id + "/export", "/persons/" + id + "/export.json",
				"/persons/" + id + "/export.pdf"} {
				if r := e.get(path, c); r.status != http.StatusNotFound || strings.Contains(r.body, "Emma") {
					t.Errorf("%s GET %s: %d", who.name, path, r.status)
				}
			}
			if r := e.post("/persons/export", url.Values{"id_number": {fnr}}, c); r.status != http.StatusNotFound {
				t.Errorf("%s searched: %d", who.name, r.status)
			}
		}
	})
}

// The administrator reviews a period (how many closed cases it would
// empty now) before saving it; a bad period is explained and changes
// nothing; the setting is audited; anyone else gets the 404 page.
func TestRetentionPage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		admin := e.otherUser("admin", samordna.RoleAdmin)
		if r := e.get("/admin/retention", admin); r.status != http.StatusOK || !strings.Contains(r.body, "Ikke satt") {
			t.Fatalf("retention page: %d", r.status)
		}
		r := e.post("/admin/retention", url.Values{"months": {"24"}, "step": {"review"}}, admin)
		if r.status != http.StatusOK || !strings.Contains(r.body, "Med en lagringstid på 24 måneder vil 0 avsluttede saker") ||
			!strings.Contains(r.body, `name="step" value="save"`) {
			t.Fatalf("review: %d %s", r.status, r.body)
		}
		for _, bad := range []string{"abc", "-3", "1201"} {
			r := e.post("/admin/retention", url.Values{"months": {bad}, "step": {"save"}}, admin)
			if r.status != http.StatusBadRequest || !strings.Contains(r.body, "Lagringstiden må være") {
				t.Errorf("%q: %d", bad, r.status)
			}
		}
		r = e.post("/admin/retention", url.Values{"months": {"24"}, "step": {"save"}}, admin)
		if r.status != http.StatusSeeOther {
			t.Fatalf("save: %d", r.status)
		}
		if last := e.lastAudit(); last.Action != "set_retention" || last.Purpose != "retention_months=24" {
			t.Errorf("audit = %+v", last)
		}
		if r := e.get(r.location(), admin); !strings.Contains(r.body, "24 måneder etter at saken ble avsluttet") ||
			!strings.Contains(r.body, "Lagringstiden er lagret.") {
			t.Errorf("after saving: %s", r.body)
		}
		unit := e.login()
		if r := e.get("/admin/retention", unit); r.status != http.StatusNotFound {
			t.Errorf("unit GET: %d", r.status)
		}
		if r := e.post("/admin/retention", url.Values{"months": {"1"}, "step": {"save"}}, unit); r.status != http.StatusNotFound {
			t.Errorf("unit POST: %d", r.status)
		}
	})
}
