package web_test

import (
	"context"
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

// Issue 13 point 2: the case page masks the fødselsnummer until the reader
// asks; asking shows it and is audited as its own action, which the access
// log names. Someone who may not read the case gets 404 and no number.
func TestCaseHubRevealsIDNumberAudited(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		c := e.login()
		fnr := samordna.SyntheticIDNumber(time.Date(2015, 2, 20, 0, 0, 0, 0, time.UTC), 7)
		var id string
		err := db.Write(context.Background(), func(tx *store.Tx) error {
			p := &samordna.Person{MunicipalityID: e.emp.MunicipalityID, Name: "Emma Hansen", IDNumber: fnr, BirthDate: "2015-02-20"}
			if err := store.CreatePerson(tx, p, e.clock.Now()); err != nil {
				return err
			}
			var err error
			if id, err = matrixtest.NewCase(tx, e.emp.MunicipalityID, e.emp.ID, p.ID, e.clock.Now()); err != nil {
				return err
			}
			return matrixtest.AddCoordinator(tx, id, e.emp.ID, e.emp.ID, e.clock.Now(), false)
		})
		if err != nil {
			t.Fatal(err)
		}
		page := e.get("/cases/"+id, c)
		if page.status != http.StatusOK || strings.Contains(page.body, fnr) || !strings.Contains(page.body, "Vis fødselsnummer") ||
			strings.Contains(page.body, "2015-02-20") || !strings.Contains(page.body, "20.02.2015") {
			t.Fatalf("the hub shows the number or an ISO date before it is asked for: %d", page.status)
		}
		shown := e.post("/cases/"+id+"/fnr", url.Values{}, c)
		if shown.status != http.StatusOK || !strings.Contains(shown.body, fnr) {
			t.Fatalf("reveal: %d", shown.status)
		}
		var n int
		err = db.Read(context.Background(), func(tx *store.Tx) error {
			return tx.QueryRow(`SELECT COUNT(*) FROM audit_events WHERE case_id = $1 AND action = 'reveal_id_number'
				AND outcome = 'allowed'`, id).Scan(&n)
		})
		if err != nil || n != 1 {
			t.Errorf("reveal audit rows: %d, %v", n, err)
		}
		if log := e.get("/cases/"+id+"/access-log", c); !strings.Contains(log.body, "Viste fødselsnummeret") {
			t.Errorf("the access log does not name the reveal")
		}
		if r := e.post("/cases/"+samordna.NewID()+"/fnr", url.Values{}, c); r.status != http.StatusNotFound {
			t.Errorf("reveal on an unknown case: %d", r.status)
		}
	})
}

// Issue 13 point 6: the coordinating unit's start page lists the
// application waiting for its decision, by the person's name, and the
// administrator's start page has no case card.
func TestStartPageShowsTheUnitsQueue(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		c := e.login()
		if page := e.get("/", c); page.status != http.StatusOK || strings.Contains(page.body, "Søknader som venter på vedtak") {
			t.Fatalf("start page without applications: %d", page.status)
		}
		ctx := context.Background()
		ola, err := e.app.CreateUser(ctx, &samordna.Actor{}, app.NewUser{Username: "ola.laerer", Name: "Ola Brekke",
			Password: testPassword, Roles: []samordna.Role{samordna.RoleEmployee}})
		if err != nil {
			t.Fatal(err)
		}
		var id string
		err = db.Write(ctx, func(tx *store.Tx) error {
			p := &samordna.Person{MunicipalityID: e.emp.MunicipalityID, Name: "Emma Hansen", BirthDate: "2015-02-20"}
			if err := store.CreatePerson(tx, p, e.clock.Now()); err != nil {
				return err
			}
			id, err = matrixtest.NewCase(tx, e.emp.MunicipalityID, ola.ID, p.ID, e.clock.Now())
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		actor := &samordna.Actor{Employee: ola}
		if _, err := e.app.RecordConsent(ctx, actor, id, app.NewConsent{GivenBy: "Emma Hansen",
			Purposes: []samordna.ConsentPurpose{samordna.PurposeRegisterWithUnit}}); err != nil {
			t.Fatal(err)
		}
		ap, err := e.app.SubmitApplication(ctx, actor, id, app.NewApplication{Coordinator: true})
		if err != nil {
			t.Fatal(err)
		}
		page := e.get("/", c)
		if page.status != http.StatusOK || !strings.Contains(page.body, "Søknader som venter på vedtak") ||
			!strings.Contains(page.body, `href="/applications/`+ap.ID+`">Emma Hansen</a>`) {
			t.Errorf("the unit's queue is not on its start page: %d", page.status)
		}
	})
}

// Issue 13 point 8: a concern for a person with an open case the employee
// may read says so and offers the case; the form keeps what was typed, and
// ticking "new_anyway" registers the concern all the same. A person whose
// open case the employee may not read gets no hint at all: the concern is
// registered as for anyone else.
func TestConcernOffersTheOpenCaseOnlyWhenReadable(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.app.AllowSynthetic = true
		ctx := context.Background()
		if err := e.app.GrantUserRole(ctx, nil, testUsername, samordna.RoleEmployee); err != nil {
			t.Fatal(err)
		}
		c := e.login()
		concern := func(fnr, name string, extra url.Values) *response {
			t.Helper()
			f := url.Values{"situation": {"unclear_concern"}, "anonymous": {"no"}, "fnr": {fnr}, "name": {name},
				"description": {"Barnet virker slitent og sultent."}}
			for k, v := range extra {
				f[k] = v
			}
			return e.post("/concerns", f, c)
		}
		mine := samordna.SyntheticIDNumber(time.Date(2016, 4, 3, 0, 0, 0, 0, time.UTC), 4)
		if r := concern(mine, "Emma Hansen", nil); r.status != http.StatusSeeOther {
			t.Fatalf("first concern: %d", r.status)
		}
		cases := e.count("cases")
		r := concern(mine, "Emma Hanssen", nil)
		if r.status != http.StatusOK || !strings.Contains(r.body, "Personen har allerede en åpen sak") ||
			!strings.Contains(r.body, ">Emma Hansen</a>") || !strings.Contains(r.body, `value="Emma Hanssen"`) {
			t.Fatalf("the second concern does not offer the open case: %d", r.status)
		}
		if n := e.count("cases"); n != cases {
			t.Errorf("the offer registered a case: %d, want %d", n, cases)
		}
		if r := concern(mine, "Emma Hansen", url.Values{"new_anyway": {"yes"}}); r.status != http.StatusSeeOther {
			t.Errorf("registering anyway: %d", r.status)
		}

		// Someone else's case about another child: no hint, the concern goes through.
		other := samordna.SyntheticIDNumber(time.Date(2015, 9, 9, 0, 0, 0, 0, time.UTC), 6)
		err := db.Write(ctx, func(tx *store.Tx) error {
			stranger := &samordna.Employee{ID: samordna.NewID(), MunicipalityID: e.emp.MunicipalityID, Username: "per.annen",
				Name: "Per Annen", Roles: []samordna.Role{samordna.RoleEmployee}}
			if err := store.CreateEmployee(tx, stranger, "", e.clock.Now()); err != nil {
				return err
			}
			p := &samordna.Person{MunicipalityID: e.emp.MunicipalityID, Name: "Jonas Berg", IDNumber: other,
				BirthDate: "2015-09-09", Synthetic: true}
			if err := store.CreatePerson(tx, p, e.clock.Now()); err != nil {
				return err
			}
			_, err := matrixtest.NewCase(tx, e.emp.MunicipalityID, stranger.ID, p.ID, e.clock.Now())
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		r = concern(other, "Jonas Berg", nil)
		if r.status != http.StatusSeeOther || strings.Contains(r.body, "åpen sak") {
			t.Errorf("a concern about a person with an unreadable case: %d, hint shown: %v", r.status,
				strings.Contains(r.body, "åpen sak"))
		}
	})
}

// Issue 13 point 4: the report to child welfare is reviewed before it is
// sent: the review stores nothing and shows the text and the signature;
// an empty report is refused on the routine page; confirming sends it.
func TestReportReviewBeforeSending(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.app.AllowSynthetic = true
		if err := e.app.GrantUserRole(context.Background(), nil, testUsername, samordna.RoleEmployee); err != nil {
			t.Fatal(err)
		}
		c := e.login()
		fnr := samordna.SyntheticIDNumber(time.Date(2016, 4, 3, 0, 0, 0, 0, time.UTC), 4)
		r := e.post("/concerns", url.Values{"situation": {"acute"}, "anonymous": {"no"}, "fnr": {fnr}, "name": {"Emil Testesen"},
			"description": {"Eleven har blåmerker."}}, c)
		if r.status != http.StatusSeeOther {
			t.Fatalf("concern: %d", r.status)
		}
		base := strings.TrimSuffix(strings.SplitN(r.location(), "?", 2)[0], "/routine")
		if r := e.post(base+"/child-welfare-reports/review", url.Values{"description": {"  "}}, c); r.status != http.StatusBadRequest {
			t.Errorf("an empty report reviewed: %d", r.status)
		}
		r = e.post(base+"/child-welfare-reports/review", url.Values{"description": {"Eleven kom med blåmerker i dag."}, "acute": {"yes"}}, c)
		if r.status != http.StatusOK || !strings.Contains(r.body, "Dette mottar barnevernet") || !strings.Contains(r.body, testName) ||
			!strings.Contains(r.body, "Eleven kom med blåmerker i dag.") || !strings.Contains(r.body, "Emil Testesen") {
			t.Fatalf("review: %d", r.status)
		}
		if n := e.count("child_welfare_reports"); n != 0 {
			t.Errorf("the review sent a report: %d stored", n)
		}
		if r := e.post(base+"/child-welfare-reports", url.Values{"description": {"Eleven kom med blåmerker i dag."}, "acute": {"yes"}}, c); r.status != http.StatusSeeOther {
			t.Errorf("confirm: %d", r.status)
		}
		if n := e.count("child_welfare_reports"); n != 1 {
			t.Errorf("reports stored after confirming: %d", n)
		}
		if r := e.post("/cases/"+samordna.NewID()+"/child-welfare-reports/review", url.Values{"description": {"X"}}, c); r.status != http.StatusNotFound {
			t.Errorf("review on an unknown case: %d", r.status)
		}
	})
}
