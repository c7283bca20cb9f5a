package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/oauth2-proxy/mockoidc"

	"github.com/samordna/samordna/internal/browsertest"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// Issue 12's "Done when", walked as a new municipality would, with no SQL:
// `samordna init` on an empty database prints a sign-in link; the server
// (`samordna serve`, password sign-in off, OpenID Connect against a real
// provider in the test) is started; in Chromium the administrator signs in
// with the link, creates two districts, six services, a TST and an OST,
// imports 50 employees from a semicolon CSV with a byte order mark (dry run
// first), makes one of them the school's leader, and signs out; an imported
// employee signs in through the provider's whole code flow and registers a
// concern. Every page passes axe at 1280 px, the administration pages also
// pass the Nu Html Checker and do not scroll sideways at 390 px. On SQLite
// and PostgreSQL.
func TestBrowserAdoptFromEmptyDatabase(t *testing.T) {
	for _, d := range dbtest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			start := time.Now()
			walkAdoption(t, d)
			t.Logf("the walk on %s took %s", d, time.Since(start).Round(time.Second))
		})
	}
}

// adoptWalk is one walk: the browser, the server's address and the pages
// the checks collect.
type adoptWalk struct {
	t     *testing.T
	ctx   context.Context
	base  string
	pages *browsertest.HTMLPages
	admin []string // the administration pages' addresses, for the phone check
}

// syncBuf is a buffer the server's goroutine writes its log to while the
// test reads it.
type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// freeAddr returns an address on the loopback interface that nothing
// listens on, so the server's public address (for links and the OpenID
// callback) is known before it starts, as in production.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// startProvider runs the municipality's OpenID provider (mockoidc) in the
// test; it signs in whoever the test queues.
func startProvider(t *testing.T) *mockoidc.MockOIDC {
	t.Helper()
	idp, err := mockoidc.NewServer(nil)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := idp.Start(ln, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = idp.Shutdown() })
	return idp
}

// adoptionCSV is the employees file as Norwegian Excel saves it: UTF-8 with
// a byte order mark, semicolons, CRLF; names with æøå, services by name.
func adoptionCSV(t *testing.T) string {
	t.Helper()
	first := []string{"Åse", "Ærlend", "Øystein", "Bjørg", "Håkon", "Sølvi", "Pål", "Gørild", "Trond", "Ingrid"}
	last := []string{"Ødegård", "Sæther", "Løvås", "Brænd", "Kjærnes"}
	services := []string{"Nordby skole", "Sørli skole", "Solsikken barnehage", "Helsestasjonen", "Barneverntjenesten",
		"Koordinerende enhet"}
	var b strings.Builder
	b.WriteString("\xEF\xBB\xBFekstern_id;navn;brukernavn;epost;tjeneste;roller\r\n")
	for i := 0; i < 50; i++ {
		roles := "ansatt"
		if services[i%6] == "Barneverntjenesten" {
			roles = "ansatt,barnevern"
		}
		fmt.Fprintf(&b, "E%03d;%s %s;ansatt%02d;ansatt%02d@bodo.kommune.no;%s;%s\r\n", i+1, first[i%10], last[i/10],
			i+1, i+1, services[i%6], roles)
	}
	file := filepath.Join(t.TempDir(), "ansatte.csv")
	if err := os.WriteFile(file, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

func walkAdoption(t *testing.T, d store.Dialect) {
	dsn := dbtest.DSN(t, d)
	addr := freeAddr(t)
	base := "http://" + addr
	idp := startProvider(t)
	env := auditEnv(t, d)
	env["SAMORDNA_BASE_URL"] = base
	env["SAMORDNA_OIDC_CLIENT_SECRET"] = idp.ClientSecret
	getenv := func(k string) string { return env[k] }

	// samordna init, as the README says, and the link it prints.
	var out bytes.Buffer
	m := &Main{Stdout: &out, Stderr: &out, Getenv: getenv}
	if err := m.Run(context.Background(), []string{"init", "--db", dsn, "--municipality", "Bodø", "--number", "1804",
		"--admin", "ingrid.admin", "--admin-name", "Ingrid Åsheim"}); err != nil {
		t.Fatalf("samordna init: %v\n%s", err, out.String())
	}
	link := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(base) + `/login/link/[A-Za-z0-9_-]{43}$`).FindString(out.String())
	if link == "" {
		t.Fatalf("samordna init printed no sign-in link:\n%s", out.String())
	}

	// The server, signing in with the provider only.
	ctx, cancel := context.WithCancel(context.Background())
	logs := &syncBuf{}
	ready := make(chan string, 1)
	done := make(chan error, 1)
	srv := &Main{Stdout: io.Discard, Stderr: logs, Getenv: getenv, Ready: func(a string) { ready <- a }}
	go func() {
		done <- srv.Run(ctx, []string{"serve", "--db", dsn, "--addr", addr, "--oidc-issuer", idp.Issuer(),
			"--oidc-client-id", idp.ClientID, "--password-login=false"})
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("samordna serve: %v", err)
		}
		if t.Failed() {
			t.Logf("the server's log:\n%s", logs.String())
		}
	})
	select {
	case <-ready:
	case err := <-done:
		done <- err // for the cleanup
		t.Fatalf("samordna serve stopped: %v\n%s", err, logs.String())
	case <-time.After(30 * time.Second):
		t.Fatalf("samordna serve did not start:\n%s", logs.String())
	}

	w := &adoptWalk{t: t, ctx: browsertest.New(t), base: base, pages: browsertest.NewHTMLPages(t)}
	w.signInWithLink(link)
	w.buildOrganisation()
	w.importEmployees(adoptionCSV(t))
	w.setLeaderAndMembers()
	w.checkPhoneWidth()
	w.pages.Check(t)
	w.signOut()
	w.employeeSignsInAndRegistersConcern(idp)

	// Every step is in the audit trail, and the trail holds.
	out.Reset()
	if err := m.Run(context.Background(), []string{"audit", "verify", "--db", dsn}); err != nil {
		t.Errorf("samordna audit verify after the walk: %v\n%s", err, out.String())
	}

	// Nothing on the way was a dead link or a server error.
	for _, line := range strings.Split(logs.String(), "\n") {
		if strings.Contains(line, `"status":404`) || strings.Contains(line, `"status":5`) {
			t.Errorf("the server answered: %s", line)
		}
	}
}

// username matches the usernames of the walk's people.
var username = regexp.MustCompile(`\bingrid\.admin\b|\bansatt\d\d\b`)

// check runs axe on the page; an administration page is also kept for the
// Nu Html Checker and, when it has an address of its own, for the phone
// check.
func (w *adoptWalk) check(label string, admin bool) {
	w.t.Helper()
	browsertest.CheckAxe(w.t, w.ctx, label)
	browsertest.Screenshot(w.t, w.ctx, "adopt-"+strings.ReplaceAll(label, " ", "-")) // with SAMORDNA_SCREENSHOTS
	// People are shown by name; only an employee's own edit page shows
	// the username, as the thing being edited.
	if u := username.FindString(browsertest.BodyText(w.t, w.ctx)); u != "" && !strings.HasPrefix(label, "employee edit") {
		w.t.Errorf("%s shows the username %s; people are shown by name", label, u)
	}
	if !admin {
		return
	}
	w.pages.Add(w.t, w.ctx, label)
	if u := browsertest.Location(w.t, w.ctx); !slices.Contains(w.admin, u) {
		w.admin = append(w.admin, u)
	}
}

// open goes to a page of the site and requires 200.
func (w *adoptWalk) open(path string) {
	w.t.Helper()
	if status := browsertest.Open(w.t, w.ctx, w.base+path); status != http.StatusOK {
		w.t.Fatalf("GET %s: %d:\n%s", path, status, browsertest.BodyText(w.t, w.ctx))
	}
}

// submit presses the submit button of the form and requires want.
func (w *adoptWalk) submit(form string, want int64) {
	w.t.Helper()
	status := browsertest.Navigation(w.t, w.ctx, "submit "+form, chromedp.Click(chromedp.CSS(form+` button[type="submit"]`)))
	if status != want {
		w.t.Fatalf("%s: status %d, want %d:\n%s", form, status, want, browsertest.BodyText(w.t, w.ctx))
	}
}

// choose picks the option whose text is label in the select, as a user
// does (the ids behind the options are the page's business). A service
// kind reads "Skole (opplæringslova)": label may leave out the bracket.
func (w *adoptWalk) choose(selectID, label string) {
	w.t.Helper()
	ok := browsertest.Eval[bool](w.t, w.ctx, fmt.Sprintf(`(() => {
		const s = document.getElementById(%q);
		const want = %q;
		const o = [...s.options].find(o => o.text.trim() === want || o.text.trim().startsWith(want + " ("));
		if (!o) return false;
		s.value = o.value;
		s.dispatchEvent(new Event('change', {bubbles: true}));
		return true;
	})()`, selectID, label))
	if !ok {
		w.t.Fatalf("the select %s has no option %q", selectID, label)
	}
}

// tick clicks the checkbox labelled text inside the fieldset whose legend
// is legend.
func (w *adoptWalk) tick(legend, text string) {
	w.t.Helper()
	browsertest.Do(w.t, w.ctx, "tick "+text, chromedp.Click(chromedp.Search(fmt.Sprintf(
		`//fieldset[legend[normalize-space()=%q]]//label[normalize-space()=%q]`, legend, text))))
}

// signInWithLink opens the printed link and presses its button.
func (w *adoptWalk) signInWithLink(link string) {
	t, ctx := w.t, w.ctx
	if status := browsertest.Open(t, ctx, link); status != http.StatusOK {
		t.Fatalf("the printed link: %d:\n%s", status, browsertest.BodyText(t, ctx))
	}
	browsertest.CheckAxe(t, ctx, "sign-in link page")
	browsertest.Navigation(t, ctx, "press the sign-in button", chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)))
	if p := browsertest.Path(t, ctx); p != "/" {
		t.Fatalf("after the link the browser is at %s:\n%s", p, browsertest.BodyText(t, ctx))
	}
	browsertest.RequireText(t, ctx, "Innlogget som Ingrid Åsheim")
	w.check("start page of the administrator", false)
	// The link works once; a second time it says so.
	if status := browsertest.Open(t, ctx, link); status != http.StatusGone {
		t.Errorf("the link a second time: %d, want 410", status)
	}
	browsertest.RequireText(t, ctx, "Lenken virker ikke lenger")
	w.check("sign-in link used", false)
}

// buildOrganisation creates the districts, services and teams through the
// administration pages, starting from the start page's link.
func (w *adoptWalk) buildOrganisation() {
	t, ctx := w.t, w.ctx
	w.open("/")
	browsertest.Navigation(t, ctx, "organisation link", chromedp.Click(chromedp.CSS(`a[href="/admin"]`)))
	browsertest.RequireText(t, ctx, "Organisasjon", "Bydeler (0)", "Tjenester (0)", "Team (0)", "Ansatte (1)")
	w.check("organisation index, empty", true)

	browsertest.Navigation(t, ctx, "districts link", chromedp.Click(chromedp.CSS(`main a[href="/admin/districts"]`)))
	w.check("districts, none", true)
	for _, name := range []string{"Nord", "Sør"} {
		browsertest.Do(t, ctx, "type the district "+name, chromedp.SendKeys(chromedp.ID("district-name"), name))
		w.submit(`form[action="/admin/districts"]`, http.StatusOK)
	}
	browsertest.RequireText(t, ctx, "Bydelen er opprettet.", "Nord", "Sør")
	w.check("districts, two", true)

	for _, s := range []struct{ name, kind, district string }{
		{"Nordby skole", "Skole", "Nord"},
		{"Solsikken barnehage", "Barnehage", "Nord"},
		{"Sørli skole", "Skole", "Sør"},
		{"Helsestasjonen", "Helsestasjon", ""},
		{"Barneverntjenesten", "Barneverntjeneste", ""},
		{"Koordinerende enhet", "Koordinerende enhet", ""},
	} {
		w.open("/admin/services/new")
		if s.name == "Nordby skole" {
			w.check("new service form", true)
		}
		browsertest.Do(t, ctx, "type the service "+s.name, chromedp.SendKeys(chromedp.ID("name"), s.name))
		w.choose("kind", s.kind)
		if s.district != "" {
			w.choose("district", s.district)
		}
		if s.name == "Koordinerende enhet" {
			w.tick("Ledere", "Ingrid Åsheim")
		}
		w.submit(`form[action="/admin/services"]`, http.StatusOK)
	}
	browsertest.RequireText(t, ctx, "Tjenesten er lagret.", "Nordby skole", "Sørli skole", "Solsikken barnehage",
		"Helsestasjonen", "Barneverntjenesten", "Koordinerende enhet", "Ingrid Åsheim")
	w.check("services list", true)

	w.open("/admin/districts")
	browsertest.RequireText(t, ctx, "Nordby skole, Solsikken barnehage", "Sørli skole")
	w.check("districts with their schools", true)

	w.open("/admin/teams/new")
	w.check("new team form", true)
	browsertest.Do(t, ctx, "type the TST", chromedp.SendKeys(chromedp.ID("name"), "TST Nord"))
	w.choose("kind", "Tverrfaglig team (TST)")
	w.choose("district", "Nord")
	w.choose("meeting_rule", "Hver 6. uke")
	w.tick("Tjenester som melder inn saker", "Nordby skole")
	w.tick("Tjenester som melder inn saker", "Solsikken barnehage")
	// A first-timer's slip: no leader and no member. Refused, saying why, the choices kept.
	w.submit(`form[action="/admin/teams"]`, http.StatusBadRequest)
	browsertest.RequireText(t, ctx, "Et team trenger minst ett medlem.")
	if v := browsertest.Eval[string](t, ctx, `document.getElementById('name').value`); v != "TST Nord" {
		t.Errorf("after the refusal the name is %q, want TST Nord", v)
	}
	if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll('input[name="submitters"]:checked').length`); n != 2 {
		t.Errorf("after the refusal %d services are ticked, want 2", n)
	}
	w.check("team form with an error", true)
	w.choose("leader", "Ingrid Åsheim")
	w.submit(`form[action="/admin/teams"]`, http.StatusOK)
	w.open("/admin/teams/new")
	browsertest.Do(t, ctx, "type the OST", chromedp.SendKeys(chromedp.ID("name"), "OST Bodø"))
	w.choose("kind", "Overordnet samarbeidsteam (OST)")
	w.choose("meeting_rule", "Hver måned")
	w.choose("leader", "Ingrid Åsheim")
	w.submit(`form[action="/admin/teams"]`, http.StatusOK)
	browsertest.RequireText(t, ctx, "Teamet er lagret.", "TST Nord", "Hver 6. uke", "OST Bodø", "Hver måned")
	w.check("teams list", true)
}

// importEmployees imports the file through /admin/import: the dry run
// says 50 to create and saves nothing, the import saves them.
func (w *adoptWalk) importEmployees(file string) {
	t, ctx := w.t, w.ctx
	w.open("/admin")
	browsertest.Navigation(t, ctx, "import link", chromedp.Click(chromedp.CSS(`main a[href="/admin/import"]`)))
	w.check("import form", true)
	w.dryRun(file)
	browsertest.RequireText(t, ctx, "50 opprettes, 0 endres, 0 er uendret, 0 avvist.", "Øystein Ødegård", "Ingrid Kjærnes")
	w.check("import dry run", true)
	if n := w.employeeRows(); n != 1 {
		t.Fatalf("after the dry run the employees list has %d rows, want the administrator alone", n)
	}
	w.submit(`form[action="/admin/import"]:has(input[name="step"][value="apply"])`, http.StatusOK)
	browsertest.RequireText(t, ctx, "Importen er lagret.", "Dette ble importert")
	w.check("import done", true)

	w.open("/admin/employees")
	browsertest.RequireText(t, ctx, "Åse Ødegård", "Sølvi Sæther", "Gørild Kjærnes", "Nordby skole", "Barneverntjenesten")
	if n := w.employeeRows(); n != 51 {
		t.Errorf("the employees list has %d rows, want 51", n)
	}
	if body := browsertest.BodyText(t, ctx); strings.Contains(body, "ansatt07") {
		t.Error("the employees list shows usernames; people are shown by name")
	}
	w.check("employees list", true)

	// The same file again changes nothing: employees are known by their
	// external id. This dry run is on a phone: its table of 50 lines fits.
	browsertest.SetViewport(t, ctx, 390, 844, true)
	w.open("/admin/import")
	browsertest.RequireNoHorizontalScroll(t, ctx, "import form at 390 px")
	w.dryRun(file)
	browsertest.RequireText(t, ctx, "0 opprettes, 0 endres, 50 er uendret, 0 avvist.")
	browsertest.RequireNoHorizontalScroll(t, ctx, "import dry run at 390 px")
	browsertest.CheckAxe(t, ctx, "import dry run again, at 390 px")
	browsertest.Screenshot(t, ctx, "adopt-import-dry-run-again-390")
	browsertest.SetViewport(t, ctx, 1280, 900, false)
}

// employeeRows counts the rows of the employees list, looked at in a
// second tab of the same browser (the first keeps the dry run's page).
func (w *adoptWalk) employeeRows() int {
	w.t.Helper()
	tab, cancel := chromedp.NewContext(w.ctx)
	defer cancel()
	if err := chromedp.Do(tab); err != nil { // opens the tab, bound to tab's own context
		w.t.Fatalf("open a second tab: %v", err)
	}
	if status := browsertest.Open(w.t, tab, w.base+"/admin/employees"); status != http.StatusOK {
		w.t.Fatalf("GET /admin/employees: %d", status)
	}
	return browsertest.Eval[int](w.t, tab, `document.querySelectorAll('main tbody tr').length`)
}

// dryRun uploads the employees file from the import form for a dry run.
func (w *adoptWalk) dryRun(file string) {
	w.t.Helper()
	status := browsertest.Navigation(w.t, w.ctx, "dry run",
		chromedp.Click(chromedp.ID("kind-employees")),
		chromedp.SetUploadFiles(chromedp.ID("import-file"), []string{file}),
		chromedp.Click(chromedp.CSS(`form:has(input[name="step"][value="dry"]) button[type="submit"]`)))
	if status != http.StatusOK {
		w.t.Fatalf("dry run: %d:\n%s", status, browsertest.BodyText(w.t, w.ctx))
	}
}

// setLeaderAndMembers makes an imported employee the school's leader and
// puts two in the TST, from the edit pages that list all 51 by name.
func (w *adoptWalk) setLeaderAndMembers() {
	t, ctx := w.t, w.ctx
	w.open("/admin/services")
	browsertest.Navigation(t, ctx, "edit Nordby skole", chromedp.Click(chromedp.Search(`//main//a[normalize-space()="Nordby skole"]`)))
	w.check("service edit form", true)
	w.tick("Ledere", "Åse Ødegård")
	w.submit(`main form[method="post"]`, http.StatusOK)
	browsertest.RequireText(t, ctx, "Tjenesten er lagret.", "Åse Ødegård")

	w.open("/admin/teams")
	browsertest.Navigation(t, ctx, "edit TST Nord", chromedp.Click(chromedp.Search(`//main//a[normalize-space()="TST Nord"]`)))
	w.check("team edit form", true)
	w.tick("Medlemmer", "Åse Ødegård")
	w.tick("Medlemmer", "Bjørg Ødegård")
	w.choose("leader", "Åse Ødegård")
	w.submit(`main form[method="post"]`, http.StatusOK)
	browsertest.RequireText(t, ctx, "Teamet er lagret.")

	w.open("/admin/employees")
	browsertest.Navigation(t, ctx, "edit an employee", chromedp.Click(chromedp.Search(`//main//a[normalize-space()="Bjørg Ødegård"]`)))
	w.check("employee edit form", true)
	w.open("/admin")
	browsertest.RequireText(t, ctx, "Bydeler (2)", "Tjenester (6)", "Team (2)", "Ansatte (51)")
	w.check("organisation index, built", true)
}

// checkPhoneWidth opens every administration page seen at 390 px: none may
// scroll sideways (WCAG 1.4.10); then back to 1280 px.
func (w *adoptWalk) checkPhoneWidth() {
	t, ctx := w.t, w.ctx
	browsertest.SetViewport(t, ctx, 390, 844, true)
	for _, u := range w.admin {
		w.open(u) // the import's answers are checked at 390 px where they are made
		browsertest.RequireNoHorizontalScroll(t, ctx, u+" at 390 px")
	}
	browsertest.SetViewport(t, ctx, 1280, 900, false)
}

// signOut presses the sign-out button.
func (w *adoptWalk) signOut() {
	t, ctx := w.t, w.ctx
	w.open("/")
	browsertest.Navigation(t, ctx, "sign out", chromedp.Click(chromedp.CSS(`form[action="/logout"] button[type="submit"]`)))
	browsertest.RequireText(t, ctx, "Du er logget ut.", "Logg inn med kommunens innlogging")
	if browsertest.Eval[bool](t, ctx, `document.getElementById('password') !== null`) {
		t.Error("password sign-in is switched off, yet the login page offers it")
	}
	w.check("login page, signed out", false)
}

// employeeSignsInAndRegistersConcern: an imported employee signs in at the
// provider (which vouches for ansatt07, the file's username) and registers
// an unclear concern through the page.
func (w *adoptWalk) employeeSignsInAndRegistersConcern(idp *mockoidc.MockOIDC) {
	t, ctx := w.t, w.ctx
	// Someone the provider knows but the import did not name gets a clear
	// page, and no account.
	idp.QueueUser(&mockoidc.MockUser{Subject: "entra-oid-99", PreferredUsername: "vikar99",
		Email: "vikar99@bodo.kommune.no"})
	status := browsertest.Navigation(t, ctx, "an unknown person signs in",
		chromedp.Click(chromedp.Search(`//a[normalize-space()="Logg inn med kommunens innlogging"]`)))
	if status != http.StatusForbidden {
		t.Errorf("an unknown person at the callback: %d, want 403", status)
	}
	browsertest.RequireText(t, ctx, "Du er ikke registrert i Samordna i denne kommunen.")
	w.check("sign-in refused, not registered", false)
	browsertest.Navigation(t, ctx, "back to the login page", chromedp.Click(chromedp.Search(`//main//a[@href="/login"]`)))

	idp.QueueUser(&mockoidc.MockUser{Subject: "entra-oid-07", PreferredUsername: "ansatt07",
		Email: "ansatt07@bodo.kommune.no"})
	browsertest.Navigation(t, ctx, "sign in with the municipality's sign-in",
		chromedp.Click(chromedp.Search(`//a[normalize-space()="Logg inn med kommunens innlogging"]`)))
	if p := browsertest.Path(t, ctx); p != "/" {
		t.Fatalf("after the provider the browser is at %s:\n%s", p, browsertest.BodyText(t, ctx))
	}
	browsertest.RequireText(t, ctx, "Innlogget som Pål Ødegård", "Mine oppgaver")
	w.check("start page of the employee", false)

	browsertest.Navigation(t, ctx, "open the concern form", chromedp.Click(chromedp.CSS(`main a[href="/concerns/new"]`)))
	w.check("concern form", false)
	browsertest.Do(t, ctx, "fill in an unclear concern",
		chromedp.Click(chromedp.ID("situation-unclear_concern")),
		chromedp.Click(chromedp.ID("anonymous-yes")),
		chromedp.SendKeys(chromedp.ID("description"), "En elev i 3. klasse virker sliten og trekker seg unna."))
	w.submit(`form[action="/concerns"]`, http.StatusOK)
	browsertest.RequireText(t, ctx, "Saken er registrert. Her er rutinen.", "Hva du skal gjøre nå")
	w.check("routine of the new case", false)
}
