package web_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/browsertest"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
	"github.com/samordna/samordna/web"
)

// The administrator builds the organisation in Chromium: two districts, a
// school and a kindergarten in one of them and four other services, a TST
// for the district and an OST with members ticked by name. A service
// without a name is refused with the message and the choices kept. Every
// administration page passes axe.
func TestBrowserAdminBuildsOrganisation(t *testing.T) {
	site := browsertest.StartSite(t, dbtest.Open(t, store.SQLite), nil, func(a *app.App) (http.Handler, error) {
		return web.New(a, web.Config{})
	})
	bg := context.Background()
	if _, err := site.App.CreateUser(bg, nil, app.NewUser{Username: "admin", Name: "Adam Admin",
		Password: site.Password, Roles: []samordna.Role{samordna.RoleAdmin}}); err != nil {
		t.Fatal(err)
	}
	ctx := browsertest.New(t)
	browsertest.Login(t, ctx, site.URL, "admin", site.Password)
	browsertest.Navigation(t, ctx, "organisation link", chromedp.Click(chromedp.CSS(`main a[href="/admin"]`)))
	browsertest.RequireText(t, ctx, "Organisasjon", "Bydeler", "Tjenester", "Team", "Ansatte")
	browsertest.CheckAxe(t, ctx, "organisation index")

	browsertest.Open(t, ctx, site.URL+"/admin/districts")
	for _, name := range []string{"Nord", "Sør"} {
		browsertest.Do(t, ctx, "district "+name, chromedp.SetValue(chromedp.ID("district-name"), name))
		routineSubmit(t, ctx, `form[action="/admin/districts"]`)
	}
	browsertest.RequireText(t, ctx, "Bydelen er opprettet.", "Nord", "Sør")
	browsertest.CheckAxe(t, ctx, "districts page")

	ids := map[string]string{}
	o, err := site.App.Organisation(bg, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range o.Districts {
		ids[d.Name] = d.ID
	}
	browsertest.Open(t, ctx, site.URL+"/admin/services/new")
	browsertest.CheckAxe(t, ctx, "new service form")
	browsertest.Do(t, ctx, "a service without a name", chromedp.SetValue(chromedp.ID("kind"), "kindergarten"),
		chromedp.SetValue(chromedp.ID("district"), ids["Nord"]))
	// Past the browser's own check of the required name, as an old browser would send it.
	browsertest.Eval[bool](t, ctx, `document.querySelector('form[action="/admin/services"]').noValidate = true`)
	if status := routineSubmit(t, ctx, `form[action="/admin/services"]`); status != http.StatusBadRequest {
		t.Errorf("service without a name: status %d, want 400", status)
	}
	browsertest.RequireText(t, ctx, "Skriv et navn.")
	if got := browsertest.Eval[string](t, ctx, `document.getElementById("district").value`); got != ids["Nord"] {
		t.Errorf("the district was not kept: %q", got)
	}
	browsertest.CheckAxe(t, ctx, "service form with an error")
	for _, s := range []struct{ name, kind, district string }{
		{"Nordby skole", "school", "Nord"}, {"Solsikken barnehage", "kindergarten", "Nord"}, {"Helsestasjonen", "health_station", ""},
		{"PPT", "ppt", ""}, {"Barneverntjenesten", "child_welfare", ""}, {"Sørli skole", "school", "Sør"},
	} {
		browsertest.Open(t, ctx, site.URL+"/admin/services/new")
		browsertest.Do(t, ctx, "service "+s.name, chromedp.SetValue(chromedp.ID("name"), s.name),
			chromedp.SetValue(chromedp.ID("kind"), s.kind), chromedp.SetValue(chromedp.ID("district"), ids[s.district]))
		if s.name == "Nordby skole" {
			browsertest.Do(t, ctx, "leader", chromedp.Click(chromedp.Search(`//label[text()="Adam Admin"]`)))
		}
		if status := routineSubmit(t, ctx, `form[action="/admin/services"]`); status != http.StatusOK {
			t.Fatalf("service %s: status %d", s.name, status)
		}
	}
	browsertest.RequireText(t, ctx, "Tjenesten er lagret.", "Nordby skole", "Skole", "Adam Admin", "Barneverntjeneste")
	browsertest.CheckAxe(t, ctx, "services list")

	browsertest.Open(t, ctx, site.URL+"/admin/teams/new")
	browsertest.CheckAxe(t, ctx, "new team form")
	browsertest.Do(t, ctx, "TST Nord", chromedp.SetValue(chromedp.ID("name"), "TST Nord"),
		chromedp.SetValue(chromedp.ID("kind"), "tst"), chromedp.SetValue(chromedp.ID("district"), ids["Nord"]),
		chromedp.SetValue(chromedp.ID("meeting_rule"), "every_6_weeks"),
		chromedp.Click(chromedp.Search(`//label[text()="Adam Admin" and starts-with(@for, "member-")]`)),
		chromedp.Click(chromedp.Search(`//label[text()="Nordby skole"]`)))
	routineSubmit(t, ctx, `form[action="/admin/teams"]`)
	browsertest.Open(t, ctx, site.URL+"/admin/teams/new")
	browsertest.Do(t, ctx, "OST", chromedp.SetValue(chromedp.ID("name"), "OST"),
		chromedp.SetValue(chromedp.ID("kind"), "ost"), chromedp.SetValue(chromedp.ID("meeting_rule"), "monthly"),
		chromedp.Click(chromedp.Search(`//label[text()="Adam Admin" and starts-with(@for, "member-")]`)))
	routineSubmit(t, ctx, `form[action="/admin/teams"]`)
	browsertest.RequireText(t, ctx, "Teamet er lagret.", "TST Nord", "Hver 6. uke", "OST", "Hver måned")
	browsertest.CheckAxe(t, ctx, "teams list")

	browsertest.Open(t, ctx, site.URL+"/admin/employees/new")
	browsertest.CheckAxe(t, ctx, "new employee form")
	browsertest.Do(t, ctx, "an employee", chromedp.SetValue(chromedp.ID("username"), "ola.laerer"),
		chromedp.SetValue(chromedp.ID("name"), "Ola Lærer"),
		chromedp.Click(chromedp.Search(`//label[text()="Nordby skole"]`)))
	routineSubmit(t, ctx, `form[action="/admin/employees"]`)
	browsertest.RequireText(t, ctx, "Den ansatte er lagret.", "Ola Lærer", "Nordby skole")
	browsertest.CheckAxe(t, ctx, "employees list")
	browsertest.Navigation(t, ctx, "edit Ola", chromedp.Click(chromedp.Search(`//a[text()="Ola Lærer"]`)))
	browsertest.RequireText(t, ctx, "Endre ansatt", "ola.laerer")
	browsertest.CheckAxe(t, ctx, "employee edit form")

	o, err = site.App.Organisation(bg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Districts) != 2 || len(o.Services) != 6 || len(o.Teams) != 2 || len(o.Employees) != 3 {
		t.Errorf("organisation: %d districts, %d services, %d teams, %d employees", len(o.Districts), len(o.Services),
			len(o.Teams), len(o.Employees))
	}
}
