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
