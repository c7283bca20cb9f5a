package web_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/browsertest"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
	"github.com/samordna/samordna/web"
)

// routineTestClock is a clock the browser test moves.
type routineTestClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *routineTestClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *routineTestClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// routineSite runs the real server with a controllable clock, a school for
// the signed-in employee and a child welfare caseworker.
func routineSite(t *testing.T) (*browsertest.Site, *routineTestClock) {
	t.Helper()
	clock := &routineTestClock{now: time.Date(2026, 3, 2, 8, 30, 0, 0, time.UTC)} // Monday 09:30 in Oslo
	site := browsertest.StartSite(t, dbtest.Open(t, store.SQLite), clock, func(a *app.App) (http.Handler, error) {
		return web.New(a, web.Config{})
	})
	site.App.AllowSynthetic = true
	ctx := context.Background()
	if err := site.App.GrantUserRole(ctx, nil, site.Username, samordna.RoleEmployee); err != nil { // a discoverer
		t.Fatal(err)
	}
	school, err := site.App.CreateService(ctx, nil, app.NewService{Name: "Nordby skole", Kind: samordna.ServiceSchool})
	if err != nil {
		t.Fatal(err)
	}
	if err := site.App.AddServiceMember(ctx, nil, school.ID, site.Employee.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := site.App.CreateUser(ctx, nil, app.NewUser{Username: "per.bv", Name: "Per Strand", Password: site.Password,
		Roles: []samordna.Role{samordna.RoleEmployee, samordna.RoleChildWelfare}}); err != nil {
		t.Fatal(err)
	}
	return site, clock
}

// routineSubmit clicks the form's submit button and waits for the next page.
func routineSubmit(t *testing.T, ctx context.Context, form string) int64 {
	t.Helper()
	return browsertest.Navigation(t, ctx, "submit "+form, chromedp.Click(chromedp.CSS(form+` button[type="submit"]`)))
}

// The discoverer's routine in Chromium: the concern form (refusing a
// fødselsnummer in an anonymous concern, pointing at it), the routine view
// with what to do now and next, the report to child welfare and its
// acknowledgement, "Mine oppgaver" on the start page with overdue tasks
// first, and the routines page. Every page passes axe.
func TestBrowserConcernRoutineAndMyTasks(t *testing.T) {
	site, clock := routineSite(t)
	ctx := browsertest.New(t)
	browsertest.Login(t, ctx, site.URL, site.Username, site.Password)
	browsertest.RequireText(t, ctx, "Mine oppgaver", "Du har ingen oppgaver nå.")

	// The concern form, from the start page.
	browsertest.Navigation(t, ctx, "open the concern form", chromedp.Click(chromedp.CSS(`a[href="/concerns/new"]`)))
	browsertest.RequireText(t, ctx, "Meld bekymring", "Hva gjelder det?", "Uklar bekymring", "Akutt situasjon")
	browsertest.CheckAxe(t, ctx, "concern form")

	// Anonymous, but with a fødselsnummer in the text: refused, nothing stored, the summary points at the text.
	fnr := samordna.SyntheticIDNumber(time.Date(2016, 4, 3, 0, 0, 0, 0, time.UTC), 4)
	browsertest.Do(t, ctx, "fill in an anonymous concern with a number",
		chromedp.Click(chromedp.ID("situation-unclear_concern")),
		chromedp.Click(chromedp.ID("anonymous-yes")),
		chromedp.SendKeys(chromedp.ID("description"), "Eleven ("+fnr+") virker redd."))
	if status := routineSubmit(t, ctx, `form[action="/concerns"]`); status != http.StatusUnprocessableEntity {
		t.Errorf("anonymous concern with a number: status %d, want 422", status)
	}
	browsertest.RequireText(t, ctx, "Du må rette dette", "ikke inneholde fødselsnummer", "(tegn 9–19)")
	if href := browsertest.Eval[string](t, ctx, `document.querySelector('.error-summary a').getAttribute('href')`); href != "#description" {
		t.Errorf("the error summary links to %q, want #description", href)
	}
	if body := browsertest.BodyText(t, ctx); strings.Count(body, fnr) > 0 && !strings.Contains(body, "Eleven ("+fnr) {
		t.Error("the number is shown outside the field it was typed in")
	}
	browsertest.CheckAxe(t, ctx, "concern form with an error")

	// Without the number it is stored and the routine shows.
	browsertest.Do(t, ctx, "remove the number",
		chromedp.SetValue(chromedp.ID("description"), "En elev virker redd og sliten."))
	if status := routineSubmit(t, ctx, `form[action="/concerns"]`); status != http.StatusOK {
		t.Fatalf("anonymous concern: status %d", status)
	}
	browsertest.RequireText(t, ctx, "Saken er registrert. Her er rutinen.", "Anonym drøfting", "Hva du skal gjøre nå",
		"Diskuter bekymringen", "Hva kommer etterpå", "Innen 1 uke", "Oppdager", "Registrer drøfting")
	browsertest.CheckAxe(t, ctx, "routine view, anonymous case")

	// A named, acute concern: a task due at once and the report to child welfare.
	browsertest.Open(t, ctx, site.URL+"/concerns/new")
	browsertest.Do(t, ctx, "fill in an acute concern",
		chromedp.Click(chromedp.ID("situation-acute")),
		chromedp.SendKeys(chromedp.ID("fnr"), fnr),
		chromedp.SendKeys(chromedp.ID("name"), "Emil Testesen"),
		chromedp.SendKeys(chromedp.ID("description"), "Eleven har blåmerker og tør ikke gå hjem."))
	if status := routineSubmit(t, ctx, `form[action="/concerns"]`); status != http.StatusOK {
		t.Fatalf("acute concern: status %d\n%s", status, browsertest.BodyText(t, ctx))
	}
	browsertest.RequireText(t, ctx, "Emil Testesen", "Akutt situasjon", "Umiddelbart", "Melding til barnevernet",
		"Barnevernsloven § 6-4 (nå § 13-2)")
	browsertest.CheckAxe(t, ctx, "routine view, acute case")
	routinePath := browsertest.Path(t, ctx)
	browsertest.Do(t, ctx, "write the report",
		chromedp.SendKeys(chromedp.ID("report-description"), "Eleven kom med blåmerker i dag."),
		chromedp.Click(chromedp.ID("report-acute")))
	if status := routineSubmit(t, ctx, `form[action$="/child-welfare-reports/review"]`); status != http.StatusOK {
		t.Fatalf("review report: status %d", status)
	}
	// Issue 13 point 4: the review shows what child welfare receives and whose signature it carries.
	browsertest.RequireText(t, ctx, "Dette mottar barnevernet", "Emil Testesen", "Eleven kom med blåmerker i dag.",
		"Signert av", "Kari Nordmann")
	browsertest.CheckAxe(t, ctx, "report review")
	if status := routineSubmit(t, ctx, `form[action$="/child-welfare-reports"]`); status != http.StatusOK {
		t.Fatalf("send report: status %d", status)
	}
	browsertest.RequireText(t, ctx, "Meldingen er sendt og låst.", "Sendt, ikke kvittert", "Kari Nordmann")
	browsertest.CheckAxe(t, ctx, "report page, sent")
	reportPath := browsertest.Path(t, ctx)

	// Child welfare acknowledges it in its inbox, in a browser of its own.
	cw := browsertest.NewTab(t, ctx)
	browsertest.Login(t, cw, site.URL, "per.bv", site.Password)
	browsertest.Open(t, cw, site.URL+"/reports")
	browsertest.RequireText(t, cw, "Innboks", "Emil Testesen", "Akutt")
	browsertest.CheckAxe(t, cw, "child welfare inbox")
	browsertest.Navigation(t, cw, "open the report", chromedp.Click(chromedp.CSS(`a[href="`+reportPath+`"]`)))
	routineSubmit(t, cw, `form[action$="/receive"]`)
	browsertest.RequireText(t, cw, "Meldingen er kvittert for.", "Mottatt")
	browsertest.CheckAxe(t, cw, "report page, received")

	// The sender sees the acknowledgement.
	browsertest.Open(t, ctx, site.URL+reportPath)
	browsertest.RequireText(t, ctx, "Mottatt av", "Per Strand")

	// A named, unclear concern; eight days later its first task is overdue.
	browsertest.Open(t, ctx, site.URL+"/concerns/new")
	browsertest.Do(t, ctx, "fill in an unclear concern",
		chromedp.Click(chromedp.ID("situation-unclear_concern")),
		chromedp.SendKeys(chromedp.ID("fnr"), fnr),
		chromedp.SendKeys(chromedp.ID("description"), "Eleven er mye borte."))
	routineSubmit(t, ctx, `form[action="/concerns"]`)
	clock.Advance(8 * 24 * time.Hour)
	browsertest.Login(t, ctx, site.URL, site.Username, site.Password) // the session has timed out meanwhile
	browsertest.Open(t, ctx, site.URL+"/concerns/new")
	browsertest.Do(t, ctx, "fill in a fresh, acute concern (due at once, this week)",
		chromedp.Click(chromedp.ID("situation-acute")),
		chromedp.SendKeys(chromedp.ID("fnr"), samordna.SyntheticIDNumber(time.Date(2019, 1, 5, 0, 0, 0, 0, time.UTC), 2)),
		chromedp.SendKeys(chromedp.ID("name"), "Ida Testesen"),
		chromedp.SendKeys(chromedp.ID("description"), "Mor kom beruset for å hente."))
	routineSubmit(t, ctx, `form[action="/concerns"]`)

	browsertest.Open(t, ctx, site.URL+"/")
	browsertest.RequireText(t, ctx, "Mine oppgaver", "Forfalt", "Frist denne uken", "Emil Testesen", "Ida Testesen")
	order := browsertest.Eval[[]string](t, ctx, `Array.from(document.querySelectorAll('#tasks-heading ~ h3')).map(h => h.textContent)`)
	if len(order) != 2 || order[0] != "Forfalt" || order[1] != "Frist denne uken" {
		t.Errorf("start page task headings %q, want overdue first, then this week", order)
	}
	browsertest.CheckAxe(t, ctx, "start page with tasks")
	browsertest.Screenshot(t, ctx, "routine-start-tasks")

	// The routine view links on: the case's tasks, and the routines page.
	browsertest.Open(t, ctx, site.URL+routinePath)
	browsertest.RequireText(t, ctx, "Utført")
	browsertest.Open(t, ctx, site.URL+"/tasks")
	browsertest.RequireText(t, ctx, "Mine oppgaver", "Forfalte")
	browsertest.CheckAxe(t, ctx, "tasks page")
	browsertest.Open(t, ctx, site.URL+"/routines")
	browsertest.RequireText(t, ctx, "Rutiner", "Handlingsplan - rus", "Innan 1 veke", "3-6 mnd")
	browsertest.CheckAxe(t, ctx, "routines page")
	browsertest.Open(t, ctx, site.URL+"/notifications")
	browsertest.CheckAxe(t, ctx, "notifications page")
}

// The administrator uploads a routine in the browser: a broken document
// shows its problems by line.
func TestBrowserRoutineUpload(t *testing.T) {
	site, _ := routineSite(t)
	if _, err := site.App.CreateUser(context.Background(), nil, app.NewUser{Username: "admin", Name: "Adam Admin",
		Password: site.Password, Roles: []samordna.Role{samordna.RoleAdmin}}); err != nil {
		t.Fatal(err)
	}
	ctx := browsertest.New(t)
	browsertest.Login(t, ctx, site.URL, "admin", site.Password)
	browsertest.Open(t, ctx, site.URL+"/admin/routines")
	browsertest.CheckAxe(t, ctx, "routine upload page")
	doc := "id: ny-rutine\nversion: 1\nname: Ny\nmunicipality: Testvik\nsteps:\n  - id: a\n    situation: acute\n" +
		"    action: Meld\n    responsible: vaktmester\n    deadline: P1W\n"
	browsertest.Do(t, ctx, "paste a broken routine", chromedp.SetValue(chromedp.ID("routine-document"), doc))
	if status := routineSubmit(t, ctx, `form[action="/admin/routines"]`); status != http.StatusUnprocessableEntity {
		t.Errorf("broken routine: status %d, want 422", status)
	}
	browsertest.RequireText(t, ctx, "Linje 9", "vaktmester")
	browsertest.CheckAxe(t, ctx, "routine upload page with problems")
	browsertest.Do(t, ctx, "fix it", chromedp.SetValue(chromedp.ID("routine-document"), strings.Replace(doc, "vaktmester", "discoverer", 1)))
	routineSubmit(t, ctx, `form[action="/admin/routines"]`)
	browsertest.RequireText(t, ctx, "Lagret: ny-rutine 1", "Opplastede versjoner")
}
