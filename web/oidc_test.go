package web_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/oauth2-proxy/mockoidc"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/openid"
	"github.com/samordna/samordna/store"
	"github.com/samordna/samordna/web"
)

// oidcWorld is a Samordna server connected to a real OpenID provider
// running in the test (mockoidc), whose discovery also names an end-session
// endpoint that records the sign-outs it sees.
type oidcWorld struct {
	*env
	idp      *mockoidc.MockOIDC
	ends     *endSessions
	external string // the test employee's external id
}

// endSessions is the provider's end-session endpoint: it records the
// id_token_hint of every sign-out.
type endSessions struct {
	mu    sync.Mutex
	hints []string
	srv   *httptest.Server
}

func (s *endSessions) seen() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.hints...)
}

// newOIDCWorld starts the provider and a Samordna server signing in with it;
// cfg may switch password sign-in off.
func newOIDCWorld(t *testing.T, db *store.DB, noPassword bool) *oidcWorld {
	t.Helper()
	ends := &endSessions{}
	ends.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ends.mu.Lock()
		ends.hints = append(ends.hints, r.URL.Query().Get("id_token_hint"))
		ends.mu.Unlock()
		_, _ = io.WriteString(w, "signed out at the provider")
	}))
	t.Cleanup(ends.srv.Close)

	idp, err := mockoidc.NewServer(nil)
	if err != nil {
		t.Fatal(err)
	}
	// Add end_session_endpoint to the discovery document.
	err = idp.AddMiddleware(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != mockoidc.DiscoveryEndpoint {
				next.ServeHTTP(w, r)
				return
			}
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			var doc map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			doc["end_session_endpoint"] = ends.srv.URL + "/logout"
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(doc)
		})
	})
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

	e := &env{t: t, db: db, clock: newTestClock(), logs: &syncBuffer{}}
	e.app = app.New(db, e.clock, slog.New(slog.NewJSONHandler(e.logs, nil)))
	ctx := context.Background()
	err = db.Write(ctx, func(tx *store.Tx) error {
		return store.CreateMunicipality(tx, &samordna.Municipality{ID: samordna.NewID(), Name: "Testvik", Number: "9999"}, e.clock.Now())
	})
	if err != nil {
		t.Fatal(err)
	}
	e.emp, err = e.app.CreateUser(ctx, &samordna.Actor{}, app.NewUser{Username: testUsername, Name: testName,
		Password: testPassword, Roles: []samordna.Role{samordna.RoleCoordinatingUnit}})
	if err != nil {
		t.Fatal(err)
	}
	w := &oidcWorld{env: e, idp: idp, ends: ends, external: "kari.nordmann@testvik.kommune.no"}
	err = db.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.Exec(`UPDATE employees SET external_id = $1 WHERE id = $2`, w.external, e.emp.ID)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}

	e.srv = httptest.NewUnstartedServer(nil)
	base := "http://" + e.srv.Listener.Addr().String()
	p, err := openid.New(ctx, openid.Config{Issuer: idp.Issuer(), ClientID: idp.ClientID, ClientSecret: idp.ClientSecret,
		RedirectURL: base + "/login/oidc/callback"})
	if err != nil {
		t.Fatalf("openid.New: %v", err)
	}
	s, err := web.New(e.app, web.Config{BaseURL: base, OIDC: p, NoPasswordLogin: noPassword})
	if err != nil {
		t.Fatal(err)
	}
	e.srv.Config.Handler = s
	e.srv.Start()
	t.Cleanup(e.srv.Close)
	e.client = &http.Client{Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return w
}

// fetch GETs an absolute address (Samordna's or the provider's) without
// following redirects.
func (w *oidcWorld) fetch(u string, cookies ...*http.Cookie) *response {
	w.t.Helper()
	hr, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		w.t.Fatal(err)
	}
	for _, c := range cookies {
		hr.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	resp, err := w.client.Do(hr)
	if err != nil {
		w.t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return &response{status: resp.StatusCode, header: resp.Header, body: string(b), cookies: resp.Cookies()}
}

// startAndAuthorize clicks "sign in with the municipality's sign-in" and
// lets the provider authorize (it signs in whoever was queued). It returns
// the callback address the provider sends the browser back to, and the
// browser's binding cookie.
func (w *oidcWorld) startAndAuthorize(user mockoidc.User) (callback *url.URL, binding *http.Cookie) {
	w.t.Helper()
	start := w.get("/login/oidc?return=/cases")
	if start.status != http.StatusFound {
		w.t.Fatalf("GET /login/oidc: %d, want 302:\n%s", start.status, start.body)
	}
	binding = start.cookie("samordna_oidc")
	if binding == nil || !binding.HttpOnly || binding.SameSite != http.SameSiteLaxMode {
		w.t.Fatalf("no HttpOnly SameSite=Lax binding cookie: %q", start.header.Values("Set-Cookie"))
	}
	auth, err := url.Parse(start.location())
	if err != nil {
		w.t.Fatal(err)
	}
	q := auth.Query()
	if !strings.HasPrefix(start.location(), w.idp.AuthorizationEndpoint()) || q.Get("code_challenge_method") != "S256" ||
		q.Get("code_challenge") == "" || q.Get("nonce") == "" || q.Get("state") == "" || q.Get("client_id") != w.idp.ClientID {
		w.t.Fatalf("authorization request without PKCE S256, nonce, state or client id: %s", start.location())
	}
	if user != nil {
		w.idp.QueueUser(user)
	}
	back := w.fetch(start.location())
	if back.status != http.StatusFound {
		w.t.Fatalf("provider authorize: %d:\n%s", back.status, back.body)
	}
	callback, err = url.Parse(back.location())
	if err != nil {
		w.t.Fatal(err)
	}
	return callback, binding
}

// signIn runs the whole flow for user and returns Samordna's answer to the
// callback.
func (w *oidcWorld) signIn(user mockoidc.User) *response {
	w.t.Helper()
	cb, binding := w.startAndAuthorize(user)
	return w.fetch(cb.String(), binding)
}

// person is someone the provider vouches for, by sign-in name.
func person(preferred string) *mockoidc.MockUser {
	return &mockoidc.MockUser{Subject: "sub-" + preferred, PreferredUsername: preferred, Email: preferred}
}

// tampered is a provider user whose ID token the test alters before the
// provider signs it.
type tampered struct {
	*mockoidc.MockUser
	alter func(*mockoidc.IDTokenClaims)
}

func (u tampered) Claims(scope []string, c *mockoidc.IDTokenClaims) (jwt.Claims, error) {
	u.alter(c)
	return u.MockUser.Claims(scope, c)
}

// nameOnlyInUserinfo is a provider user whose ID token holds only the
// registered claims and the nonce, as conformant providers issue it when
// they also give an access token: the sign-in name is at userinfo.
type nameOnlyInUserinfo struct{ *mockoidc.MockUser }

func (u nameOnlyInUserinfo) Claims(_ []string, c *mockoidc.IDTokenClaims) (jwt.Claims, error) {
	return c, nil
}

func TestOIDCSignIn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newOIDCWorld(t, db, false)
		login := w.get("/login")
		if !strings.Contains(login.body, `href="/login/oidc"`) || !strings.Contains(login.body, "Logg inn med kommunens innlogging") ||
			!strings.Contains(login.body, `name="password"`) {
			t.Fatalf("the login page offers not both ways of signing in:\n%s", login.body)
		}
		employees := w.count("employees")

		// By external id: back to where the employee was going, signed in.
		r := w.signIn(person(w.external))
		if r.status != http.StatusSeeOther || r.location() != "/cases" {
			t.Fatalf("callback: %d %q, want 303 to /cases:\n%s", r.status, r.location(), r.body)
		}
		c := r.cookie("samordna_session")
		if c == nil || c.Value == "" || !c.HttpOnly {
			t.Fatalf("no session cookie: %q", r.header.Values("Set-Cookie"))
		}
		if a := w.lastAudit(); a.Action != "login" || a.ActorID != w.emp.ID || a.Outcome != samordna.OutcomeAllowed || a.Purpose != "oidc" {
			t.Errorf("audit after OIDC sign-in: %+v", a)
		}
		if p := w.get("/", c); p.status != http.StatusOK || !strings.Contains(p.body, testName) {
			t.Fatalf("start page after OIDC sign-in: %d, no %q:\n%s", p.status, testName, p.body)
		}
		// By username when no external id matches (case does not matter).
		r = w.signIn(person("Kari.Nordmann"))
		if r.status != http.StatusSeeOther || r.cookie("samordna_session") == nil {
			t.Fatalf("sign-in by username: %d %q:\n%s", r.status, r.location(), r.body)
		}
		// The claim only at the userinfo endpoint.
		r = w.signIn(nameOnlyInUserinfo{person(w.external)})
		if r.status != http.StatusSeeOther || r.cookie("samordna_session") == nil {
			t.Fatalf("sign-in with the claim only at userinfo: %d %q:\n%s", r.status, r.location(), r.body)
		}
		if n := w.count("employees"); n != employees {
			t.Errorf("%d employees after signing in, want %d", n, employees)
		}
		if n := w.count("oidc_logins"); n != 0 {
			t.Errorf("%d sign-ins left waiting after they were used, want 0", n)
		}
	})
}

func TestOIDCRefusesWrongState(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newOIDCWorld(t, db, false)
		cb, binding := w.startAndAuthorize(person(w.external))
		q := cb.Query()
		good := q.Get("state")
		q.Set("state", good+"x")
		cb.RawQuery = q.Encode()
		r := w.fetch(cb.String(), binding)
		if r.status != http.StatusBadRequest || r.cookie("samordna_session") != nil ||
			!strings.Contains(r.body, "Denne innloggingen ble ikke startet her") {
			t.Fatalf("wrong state: %d, session cookie %v, want the 400 page:\n%s", r.status, r.cookie("samordna_session"), r.body)
		}
		// The attempt is used up: the right state does not work afterwards.
		q.Set("state", good)
		cb.RawQuery = q.Encode()
		if r := w.fetch(cb.String(), binding); r.status != http.StatusBadRequest || r.cookie("samordna_session") != nil {
			t.Errorf("the attempt after a wrong state: %d, want 400", r.status)
		}
		// An answer in a browser that did not start the sign-in (no cookie).
		cb, _ = w.startAndAuthorize(person(w.external))
		if r := w.fetch(cb.String()); r.status != http.StatusBadRequest || r.cookie("samordna_session") != nil {
			t.Errorf("callback without the binding cookie: %d, want 400", r.status)
		}
		// Expired: the sign-in must finish within ten minutes.
		cb, binding = w.startAndAuthorize(person(w.external))
		w.clock.Advance(app.ExternalLoginLifetime + time.Second)
		if r := w.fetch(cb.String(), binding); r.status != http.StatusBadRequest || r.cookie("samordna_session") != nil {
			t.Errorf("callback after eleven minutes: %d, want 400", r.status)
		}
	})
}

func TestOIDCRefusesBadIDToken(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newOIDCWorld(t, db, false)
		for _, tc := range []struct {
			name  string
			user  mockoidc.User
			shift time.Duration // moves the provider's clock
		}{
			{name: "wrong nonce", user: tampered{person(w.external), func(c *mockoidc.IDTokenClaims) { c.Nonce = "another-sign-in" }}},
			{name: "wrong audience", user: tampered{person(w.external), func(c *mockoidc.IDTokenClaims) {
				c.Audience = jwt.ClaimStrings{"another-application"}
			}}},
			{name: "expired", user: person(w.external), shift: -2 * w.idp.AccessTTL},
			{name: "wrong issuer", user: tampered{person(w.external), func(c *mockoidc.IDTokenClaims) {
				c.Issuer = "https://login.example.com/other"
			}}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				w.t = t
				w.env.t = t
				w.idp.FastForward(tc.shift)
				r := w.signIn(tc.user)
				w.idp.FastForward(-tc.shift)
				if r.status != http.StatusUnauthorized || r.cookie("samordna_session") != nil ||
					!strings.Contains(r.body, "Kommunens innlogging ga et svar Samordna ikke kan godta") {
					t.Fatalf("%d, session cookie %v, want the 401 page:\n%s", r.status, r.cookie("samordna_session"), r.body)
				}
				if n := w.count("sessions"); n != 0 {
					t.Errorf("%d sessions, want 0", n)
				}
			})
		}
	})
}

func TestOIDCUnknownOrDisabled(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newOIDCWorld(t, db, false)
		employees := w.count("employees")
		r := w.signIn(person("ola.stranger@testvik.kommune.no"))
		if r.status != http.StatusForbidden || r.cookie("samordna_session") != nil ||
			!strings.Contains(r.body, "Du er ikke registrert i Samordna i denne kommunen") || !strings.Contains(r.body, `href="/login"`) {
			t.Fatalf("unknown person: %d, want the 403 page:\n%s", r.status, r.body)
		}
		if n := w.count("employees"); n != employees {
			t.Errorf("%d employees after an unknown person signed in, want %d: nobody is made on the fly", n, employees)
		}
		if a := w.lastAudit(); a.Action != "login" || a.Outcome != samordna.OutcomeDenied || a.ActorID != "" {
			t.Errorf("audit of the refusal: %+v", a)
		}

		if _, err := w.app.DisableUser(context.Background(), &samordna.Actor{}, testUsername, ""); err != nil {
			t.Fatal(err)
		}
		r = w.signIn(person(w.external))
		if r.status != http.StatusForbidden || r.cookie("samordna_session") != nil {
			t.Fatalf("disabled employee: %d, want 403:\n%s", r.status, r.body)
		}
		if a := w.lastAudit(); a.Action != "login" || a.Outcome != samordna.OutcomeDenied || a.ActorID != w.emp.ID {
			t.Errorf("audit of the refused disabled employee: %+v", a)
		}
		if n := w.count("sessions"); n != 0 {
			t.Errorf("%d sessions, want 0", n)
		}
	})
}

func TestOIDCSignOutAtProvider(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newOIDCWorld(t, db, false)
		r := w.signIn(person(w.external))
		c := r.cookie("samordna_session")
		if c == nil {
			t.Fatalf("sign-in: %d:\n%s", r.status, r.body)
		}
		var idToken string
		err := db.Read(context.Background(), func(tx *store.Tx) error {
			return tx.QueryRow(`SELECT id_token FROM sessions`).Scan(&idToken)
		})
		if err != nil || idToken == "" {
			t.Fatalf("the session keeps no ID token: %v", err)
		}
		out := w.post("/logout", nil, c)
		end, err := url.Parse(out.location())
		if out.status != http.StatusSeeOther || err != nil || !strings.HasPrefix(out.location(), w.ends.srv.URL+"/logout?") {
			t.Fatalf("sign-out: %d %q, want 303 to the provider's end-session endpoint", out.status, out.location())
		}
		if end.Query().Get("post_logout_redirect_uri") != w.srv.URL+"/login?bye=1" {
			t.Errorf("post_logout_redirect_uri %q", end.Query().Get("post_logout_redirect_uri"))
		}
		if csp := out.header.Get("Content-Security-Policy"); !strings.Contains(csp, "form-action 'self' "+w.ends.srv.URL) {
			t.Errorf("the CSP does not let the sign-out form go on to the provider: %s", csp)
		}
		if got := w.fetch(out.location()); got.status != http.StatusOK {
			t.Fatalf("end-session endpoint: %d", got.status)
		}
		if hints := w.ends.seen(); len(hints) != 1 || hints[0] != idToken {
			t.Errorf("the provider saw sign-outs with hints %q, want the session's ID token", hints)
		}
		if n := w.count("sessions"); n != 0 {
			t.Errorf("%d sessions after signing out, want 0", n)
		}
		if r := w.get("/", c); r.status != http.StatusSeeOther || !strings.HasPrefix(r.location(), "/login") {
			t.Errorf("the old cookie after signing out: %d %q", r.status, r.location())
		}
		// A password session has no ID token: sign-out stays in Samordna.
		pw := w.login()
		if out := w.post("/logout", nil, pw); out.location() != "/login?bye=1" {
			t.Errorf("password session sign-out goes to %q, want /login?bye=1", out.location())
		}
	})
}

func TestOIDCOnly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newOIDCWorld(t, db, true)
		login := w.get("/login")
		if strings.Contains(login.body, `name="password"`) || !strings.Contains(login.body, `href="/login/oidc"`) {
			t.Fatalf("with password sign-in off, the login page still offers it, or not OIDC:\n%s", login.body)
		}
		if r := w.tryLogin(testUsername, testPassword); r.status != http.StatusNotFound || r.cookie("samordna_session") != nil {
			t.Errorf("password sign-in while switched off: %d, want 404", r.status)
		}
		if r := w.signIn(person(w.external)); r.status != http.StatusSeeOther || r.cookie("samordna_session") == nil {
			t.Errorf("OIDC sign-in: %d:\n%s", r.status, r.body)
		}
	})
}

func TestOIDCNotConfigured(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		for _, p := range []string{"/login/oidc", "/login/oidc/callback?code=x&state=y"} {
			if r := e.get(p); r.status != http.StatusNotFound {
				t.Errorf("GET %s without OIDC: %d, want 404", p, r.status)
			}
		}
		if r := e.get("/login"); strings.Contains(r.body, "/login/oidc") {
			t.Errorf("the login page offers OIDC that is not configured")
		}
	})
}
