package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
	"github.com/samordna/samordna/web"
)

// checkSessionCookie checks the attributes every session cookie must have.
func checkSessionCookie(t *testing.T, c *http.Cookie, raw []string, wantName string, wantSecure bool) {
	t.Helper()
	if c == nil {
		t.Fatalf("no %s cookie; Set-Cookie: %q", wantName, raw)
	}
	if c.Name != wantName {
		t.Errorf("cookie name %q, want %q", c.Name, wantName)
	}
	if !c.HttpOnly {
		t.Errorf("cookie is not HttpOnly: %q", raw)
	}
	if c.SameSite != http.SameSiteLaxMode {
		t.Errorf("cookie SameSite = %v, want Lax: %q", c.SameSite, raw)
	}
	if c.Path != "/" {
		t.Errorf("cookie Path = %q, want /", c.Path)
	}
	if c.Domain != "" {
		t.Errorf("cookie has Domain %q; it must be host-only", c.Domain)
	}
	if c.Secure != wantSecure {
		t.Errorf("cookie Secure = %v, want %v: %q", c.Secure, wantSecure, raw)
	}
	if c.MaxAge != 0 || !c.Expires.IsZero() {
		t.Errorf("session cookie must end with the browser (no Max-Age/Expires): %q", raw)
	}
	if len(c.Value) < 40 {
		t.Errorf("session id %q is too short to be unguessable", c.Value)
	}
}

func TestLoginSetsSessionCookie(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		r := e.tryLogin(testUsername, testPassword)
		if r.status != http.StatusSeeOther || r.location() != "/" {
			t.Fatalf("login: %d %q", r.status, r.location())
		}
		c := r.cookie("samordna_session")
		checkSessionCookie(t, c, r.header.Values("Set-Cookie"), "samordna_session", false)
		if r.cookie("__Host-samordna_session") != nil {
			t.Error("a __Host- cookie over plain HTTP")
		}
		if r.header.Get("Strict-Transport-Security") != "" {
			t.Error("HSTS over plain HTTP")
		}

		// The cookie opens the start page.
		start := e.get("/", c)
		if start.status != http.StatusOK || !strings.Contains(start.body, "Mine oppgaver") || !strings.Contains(start.body, testName) {
			t.Errorf("start page: %d\n%s", start.status, start.body)
		}
		// Only the hash of the session id is stored.
		var stored string
		_ = db.Read(t.Context(), func(tx *store.Tx) error {
			return tx.QueryRow(`SELECT id_hash FROM sessions`).Scan(&stored)
		})
		if stored == "" || stored == c.Value {
			t.Errorf("sessions.id_hash = %q: the raw session id must not be stored", stored)
		}
		// The sign-in is audited (the start page's own list rows follow it).
		var login *auditRow
		for _, row := range e.audit() {
			if row.Action == "login" {
				row := row
				login = &row
			}
		}
		if login == nil || login.Outcome != samordna.OutcomeAllowed || login.ActorID != e.emp.ID || login.ObjectType != "session" {
			t.Errorf("audit row for the login: %+v", login)
		}
	})
}

func TestSessionCookieOverTLS(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, withTLS())
		r := e.tryLogin(testUsername, testPassword)
		if r.status != http.StatusSeeOther {
			t.Fatalf("login over TLS: %d\n%s", r.status, r.body)
		}
		c := r.cookie("__Host-samordna_session")
		checkSessionCookie(t, c, r.header.Values("Set-Cookie"), "__Host-samordna_session", true)
		if r.cookie("samordna_session") != nil {
			t.Error("the plain cookie name is set over TLS")
		}
		if hsts := r.header.Get("Strict-Transport-Security"); !strings.Contains(hsts, "max-age=") {
			t.Errorf("Strict-Transport-Security = %q over TLS", hsts)
		}
		if got := e.get("/", c); got.status != http.StatusOK {
			t.Errorf("start page with the __Host- cookie: %d", got.status)
		}
		// Over TLS only the __Host- cookie counts: a plain-named cookie
		// (which a sibling subdomain or plain HTTP could plant) is ignored.
		plain := &http.Cookie{Name: "samordna_session", Value: c.Value}
		if got := e.get("/", plain); got.status != http.StatusSeeOther {
			t.Errorf("start page with a plain-named cookie over TLS: %d, want 303 to login", got.status)
		}
		// Logout clears the __Host- cookie with the same attributes.
		out := e.post("/logout", nil, c)
		cleared := out.cookie("__Host-samordna_session")
		if out.status != http.StatusSeeOther || cleared == nil || cleared.Value != "" || cleared.MaxAge >= 0 || !cleared.Secure || cleared.Path != "/" {
			t.Errorf("logout over TLS: %d, Set-Cookie %q", out.status, out.header.Values("Set-Cookie"))
		}
	})
}

// Behind a TLS-terminating proxy the https BaseURL makes the cookie Secure
// and __Host- too.
func TestSessionCookieWithHTTPSBaseURL(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, withConfig(web.Config{BaseURL: "https://samordna.testvik.kommune.no"}))
		r := e.tryLogin(testUsername, testPassword)
		checkSessionCookie(t, r.cookie("__Host-samordna_session"), r.header.Values("Set-Cookie"), "__Host-samordna_session", true)
	})
}

func TestSessionIDChangesAtLogin(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		planted := &http.Cookie{Name: "samordna_session", Value: "planted-by-someone-else-0123456789abcdefghijk"}
		r := e.tryLogin(testUsername, testPassword, planted)
		c := r.cookie("samordna_session")
		if c == nil || c.Value == planted.Value {
			t.Fatalf("login kept the planted session id: Set-Cookie %q", r.header.Values("Set-Cookie"))
		}
		if got := e.get("/", planted); got.status != http.StatusSeeOther {
			t.Errorf("the planted id opens the start page: %d", got.status)
		}
		// A second sign-in (with the first session's cookie) gets a new id too.
		r2 := e.tryLogin(testUsername, testPassword, c)
		c2 := r2.cookie("samordna_session")
		if c2 == nil || c2.Value == c.Value {
			t.Fatalf("the second login reused the session id")
		}
		if got := e.get("/", c2); got.status != http.StatusOK {
			t.Errorf("new session: %d", got.status)
		}
	})
}

func TestWrongPassword(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		r := e.tryLogin(testUsername, "feil-passord-123")
		if r.status != http.StatusUnauthorized {
			t.Fatalf("wrong password: status %d, want 401", r.status)
		}
		if !strings.Contains(r.body, "Feil brukernavn eller passord.") || !strings.Contains(r.body, `role="alert"`) {
			t.Errorf("the 401 page does not say why:\n%s", r.body)
		}
		if strings.Contains(r.body, "feil-passord-123") {
			t.Error("the page echoes the password")
		}
		if !strings.Contains(r.body, `value="`+testUsername+`"`) {
			t.Error("the username is not kept in the form")
		}
		if len(r.cookies) != 0 {
			t.Errorf("a failed login set cookies: %q", r.header.Values("Set-Cookie"))
		}
		last := e.lastAudit()
		if last.Action != "login" || last.Outcome != samordna.OutcomeDenied || last.Purpose != "bad_credentials" || last.ActorID != e.emp.ID {
			t.Errorf("audit row after a wrong password: %+v", last)
		}
		if n := e.count("sessions"); n != 0 {
			t.Errorf("%d sessions after a failed login", n)
		}

		// An unknown user gets the same answer and is audited too.
		r = e.tryLogin("ola.nordmann", "feil-passord-123")
		if r.status != http.StatusUnauthorized || !strings.Contains(r.body, "Feil brukernavn eller passord.") {
			t.Errorf("unknown user: %d", r.status)
		}
		last = e.lastAudit()
		if last.Outcome != samordna.OutcomeDenied || last.Purpose != "bad_credentials" || last.ActorID != "" {
			t.Errorf("audit row after an unknown user: %+v", last)
		}
	})
}

func TestLoginRateLimit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		for i := range app.MaxFailuresPerUser {
			if r := e.tryLogin(testUsername, fmt.Sprintf("feil-passord-%d", i)); r.status != http.StatusUnauthorized {
				t.Fatalf("failure %d: status %d, want 401", i+1, r.status)
			}
			e.clock.Advance(time.Minute)
		}
		// The next attempt is refused even with the right password.
		r := e.tryLogin(testUsername, testPassword)
		if r.status != http.StatusTooManyRequests {
			t.Fatalf("attempt %d: status %d, want 429", app.MaxFailuresPerUser+1, r.status)
		}
		if !strings.Contains(r.body, "For mange mislykkede forsøk.") {
			t.Errorf("the 429 page does not say why:\n%s", r.body)
		}
		if r.cookie("samordna_session") != nil || e.count("sessions") != 0 {
			t.Error("a session was started while rate limited")
		}
		last := e.lastAudit()
		if last.Action != "login" || last.Outcome != samordna.OutcomeDenied || last.Purpose != "rate_limited" {
			t.Errorf("audit row for the refused attempt: %+v", last)
		}
		// Still refused just before the window has passed since the first failure...
		e.clock.Advance(app.LoginWindow - time.Duration(app.MaxFailuresPerUser)*time.Minute - time.Second)
		if r := e.tryLogin(testUsername, testPassword); r.status != http.StatusTooManyRequests {
			t.Errorf("inside the window: status %d, want 429", r.status)
		}
		// ...and let through once the window has passed.
		e.clock.Advance(time.Duration(app.MaxFailuresPerUser) * time.Minute)
		e.login()
	})
}

// Many failures from one address block it, whatever the usernames.
func TestLoginRateLimitPerClient(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		for i := range app.MaxFailuresPerClient {
			if r := e.tryLogin(fmt.Sprintf("gjest%d", i), "feil-passord-123"); r.status != http.StatusUnauthorized {
				t.Fatalf("failure %d: status %d", i+1, r.status)
			}
		}
		if r := e.tryLogin(testUsername, testPassword); r.status != http.StatusTooManyRequests {
			t.Errorf("after %d failures from one client: status %d, want 429", app.MaxFailuresPerClient, r.status)
		}
	})
}

func TestIdleTimeout(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		c := e.login()
		e.clock.Advance(29 * time.Minute)
		if r := e.get("/", c); r.status != http.StatusOK {
			t.Fatalf("after 29 idle minutes: %d, want 200", r.status)
		}
		e.clock.Advance(31 * time.Minute)
		r := e.get("/", c)
		if r.status != http.StatusSeeOther {
			t.Fatalf("after 31 idle minutes: %d, want 303", r.status)
		}
		loc, err := url.Parse(r.location())
		if err != nil || loc.Path != "/login" || loc.Query().Get("expired") != "1" || loc.Query().Get("return") != "/" {
			t.Errorf("redirect to %q, want /login?expired=1&return=/", r.location())
		}
		if cl := r.cookie("samordna_session"); cl == nil || cl.Value != "" || cl.MaxAge >= 0 {
			t.Errorf("the expired cookie is not cleared: %q", r.header.Values("Set-Cookie"))
		}
		if n := e.count("sessions"); n != 0 {
			t.Errorf("%d session rows after idle expiry, want 0", n)
		}
		// Coming back does not revive it.
		e.clock.Advance(-30 * time.Minute)
		if r := e.get("/", c); r.status != http.StatusSeeOther {
			t.Errorf("an expired session came back: %d", r.status)
		}
		if p := e.get(r.location()); p.status != http.StatusOK || !strings.Contains(p.body, "Økten din er avsluttet.") {
			t.Errorf("the login page does not say the session ended: %d", p.status)
		}
	})
}

func TestAbsoluteTimeout(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		c := e.login()
		// Activity every 20 minutes keeps the session alive for almost 12 hours...
		steps := int(app.SessionAbsoluteTimeout / (20 * time.Minute))
		for i := 1; i < steps; i++ {
			e.clock.Advance(20 * time.Minute)
			if r := e.get("/", c); r.status != http.StatusOK {
				t.Fatalf("after %s of activity: %d, want 200", time.Duration(i)*20*time.Minute, r.status)
			}
		}
		// ...but 12 hours after sign-in it ends.
		e.clock.Advance(20 * time.Minute)
		r := e.get("/", c)
		if r.status != http.StatusSeeOther || !strings.Contains(r.location(), "expired=1") {
			t.Fatalf("12 hours after sign-in: %d %q, want 303 to /login?expired=1", r.status, r.location())
		}
		if n := e.count("sessions"); n != 0 {
			t.Errorf("%d session rows after absolute expiry", n)
		}
	})
}

func TestLogout(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		c := e.login()
		other := e.login() // another device of the same employee
		r := e.post("/logout", nil, c)
		if r.status != http.StatusSeeOther || r.location() != "/login?bye=1" {
			t.Fatalf("logout: %d %q", r.status, r.location())
		}
		if cl := r.cookie("samordna_session"); cl == nil || cl.Value != "" || cl.MaxAge >= 0 || !cl.HttpOnly {
			t.Errorf("logout does not clear the cookie: %q", r.header.Values("Set-Cookie"))
		}
		if n := e.count("sessions"); n != 1 {
			t.Errorf("%d sessions after logout, want 1 (the other device's)", n)
		}
		// Replaying the old cookie is refused: the session is gone on the server.
		if r := e.get("/", c); r.status != http.StatusSeeOther || !strings.HasPrefix(r.location(), "/login") {
			t.Errorf("replayed cookie: %d %q, want 303 to /login", r.status, r.location())
		}
		if r := e.post("/logout", nil, c); r.status != http.StatusUnauthorized {
			t.Errorf("logout with a replayed cookie: %d, want 401", r.status)
		}
		if r := e.get("/", other); r.status != http.StatusOK {
			t.Errorf("the other session ended too: %d", r.status)
		}
		last := e.audit()
		found := false
		for _, a := range last {
			if a.Action == "logout" && a.ActorID == e.emp.ID {
				found = true
			}
		}
		if !found {
			t.Errorf("no audit row for the logout: %+v", last)
		}
		if p := e.get("/login?bye=1"); !strings.Contains(p.body, "Du er logget ut.") || !strings.Contains(p.body, `role="status"`) {
			t.Errorf("the login page does not confirm the logout:\n%s", p.body)
		}
	})
}

func TestNotSignedIn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		r := e.get("/")
		if r.status != http.StatusSeeOther || r.location() != "/login?return=%2F" {
			t.Errorf("GET / without a session: %d %q", r.status, r.location())
		}
		if r := e.post("/logout", nil); r.status != http.StatusUnauthorized {
			t.Errorf("POST /logout without a session: %d, want 401", r.status)
		}
		// A signed-in user on /login goes to the start page.
		c := e.login()
		if r := e.get("/login", c); r.status != http.StatusSeeOther || r.location() != "/" {
			t.Errorf("GET /login signed in: %d %q", r.status, r.location())
		}
	})
}

// After sign-in the browser goes back where it came from, but never to
// another site.
func TestLoginReturnIsLocal(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		for ret, want := range map[string]string{
			"/":                    "/",
			"/cases?page=2":        "/cases?page=2",
			"//evil.example/x":     "/",
			"/\\evil.example":      "/",
			"https://evil.example": "/",
			"javascript:alert(1)":  "/",
			"/\t/evil.example":     "/", // a browser drops the tab: //evil.example
			"/\r\n/evil.example":   "/",
			"\\/evil.example":      "/",
		} {
			r := e.post("/login", url.Values{"username": {testUsername}, "password": {testPassword}, "return": {ret}})
			if r.status != http.StatusSeeOther || r.location() != want {
				t.Errorf("return=%q: %d %q, want 303 to %q", ret, r.status, r.location(), want)
			}
		}
		// The login page carries a return address only as a local path.
		if p := e.get("/login?return=//evil.example"); strings.Contains(p.body, "evil.example") {
			t.Error("the login page carries a foreign return address")
		}
	})
}

func TestCSRF(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		c := e.login()
		sessions, audits := e.count("sessions"), len(e.audit())
		attacks := []struct {
			name   string
			header map[string]string
		}{
			{"Sec-Fetch-Site cross-site", map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}},
			{"Sec-Fetch-Site same-site", map[string]string{"Sec-Fetch-Site": "same-site", "Origin": "https://other.testvik.kommune.no"}},
			{"foreign Origin, old browser", map[string]string{"Origin": "https://evil.example"}},
		}
		for _, a := range attacks {
			for _, p := range []struct {
				path string
				form url.Values
			}{
				{"/logout", url.Values{}},
				{"/login", url.Values{"username": {testUsername}, "password": {testPassword}, "return": {"/"}}},
				{"/lang", url.Values{"lang": {"en"}, "return": {"/"}}},
			} {
				r := e.do(req{method: http.MethodPost, path: p.path, form: p.form, header: a.header, cookies: []*http.Cookie{c}})
				if r.status != http.StatusForbidden {
					t.Errorf("%s: POST %s: %d, want 403", a.name, p.path, r.status)
				}
				if len(r.cookies) != 0 {
					t.Errorf("%s: POST %s set cookies %q", a.name, p.path, r.header.Values("Set-Cookie"))
				}
			}
		}
		// Nothing changed: no session was added, nothing was audited, and
		// the session lives (the start page itself audits its lists, so it
		// is opened last).
		if n := e.count("sessions"); n != sessions {
			t.Errorf("sessions: %d, want %d", n, sessions)
		}
		if n := len(e.audit()); n != audits {
			t.Errorf("audit rows: %d, want %d: a rejected request reached the application", n, audits)
		}
		if r := e.get("/", c); r.status != http.StatusOK {
			t.Errorf("the session did not survive the forged logouts: %d", r.status)
		}
		// Our own origin is let through.
		if r := e.post("/logout", nil, c); r.status != http.StatusSeeOther {
			t.Errorf("same-origin logout: %d", r.status)
		}
	})
}

func TestLanguageSwitch(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		r := e.post("/lang", url.Values{"lang": {"nn"}, "return": {"/login"}})
		if r.status != http.StatusSeeOther || r.location() != "/login" {
			t.Fatalf("POST /lang: %d %q", r.status, r.location())
		}
		lc := r.cookie("samordna_lang")
		if lc == nil || lc.Value != "nn" || !lc.HttpOnly || lc.SameSite != http.SameSiteLaxMode || lc.Path != "/" || lc.MaxAge < 24*3600 {
			t.Fatalf("language cookie: %q", r.header.Values("Set-Cookie"))
		}
		if p := e.get("/login", lc); !strings.Contains(p.body, `<html lang="nn">`) || !strings.Contains(p.body, "Brukarnamn") {
			t.Errorf("login page in nynorsk:\n%s", p.body)
		}
		for _, bad := range []url.Values{{"lang": {"sv"}}, {"lang": {""}}, {"lang": {"nn<script>"}}} {
			if r := e.post("/lang", bad); r.status != http.StatusBadRequest || len(r.cookies) != 0 {
				t.Errorf("POST /lang %v: %d, cookies %q", bad, r.status, r.header.Values("Set-Cookie"))
			}
		}
		if r := e.post("/lang", url.Values{"lang": {"en"}, "return": {"//evil.example"}}); r.location() != "/" {
			t.Errorf("language switch returns to %q, want /", r.location())
		}
		// Signed in, the session remembers the choice too.
		c := e.login()
		if r := e.post("/lang", url.Values{"lang": {"en"}, "return": {"/"}}, c); r.status != http.StatusSeeOther {
			t.Fatalf("POST /lang signed in: %d", r.status)
		}
		var lang string
		_ = db.Read(t.Context(), func(tx *store.Tx) error {
			return tx.QueryRow(`SELECT lang FROM sessions`).Scan(&lang)
		})
		if lang != "en" {
			t.Errorf("session language %q, want en", lang)
		}
		// Without a cookie the browser's Accept-Language decides.
		for al, want := range map[string]string{"": "nb", "nn-NO,nn;q=0.9": "nn", "en-GB,en;q=0.8": "en", "nb-NO": "nb", "no": "nb", "sv-SE,en;q=0.5": "en", "de": "nb"} {
			p := e.do(req{path: "/login", header: map[string]string{"Accept-Language": al}})
			if !strings.Contains(p.body, `<html lang="`+want+`">`) {
				t.Errorf("Accept-Language %q: want lang %s", al, want)
			}
		}
	})
}

// Request bodies are bounded.
func TestFormBodyLimit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		big := url.Values{"username": {testUsername}, "password": {testPassword}, "filler": {strings.Repeat("x", 200<<10)}}
		for _, path := range []string{"/login", "/lang"} {
			r := e.post(path, big)
			if r.status != http.StatusBadRequest && r.status != http.StatusRequestEntityTooLarge {
				t.Errorf("POST %s with a 200 KiB body: %d, want 400 or 413", path, r.status)
			}
			if len(r.cookies) != 0 {
				t.Errorf("POST %s with a 200 KiB body set cookies", path)
			}
		}
		if n := e.count("sessions"); n != 0 {
			t.Errorf("an oversized login started a session")
		}
	})
}
