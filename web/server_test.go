package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// fnr is a valid fødselsnummer (check digits and date), used to see that
// identifying numbers are kept out of URLs and logs.
const fnr = "15076500565"

func TestSecurityHeaders(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		c := e.login()
		token := e.token()
		pages := map[string]*response{
			"login page":  e.get("/login"),
			"start page":  e.get("/", c),
			"not found":   e.get("/finnes-ikke"),
			"API":         e.do(req{path: "/api/v1/me", header: map[string]string{"Authorization": "Bearer " + token}}),
			"API 401":     e.get("/api/v1/me"),
			"login error": e.tryLogin(testUsername, "feil-passord-123"),
		}
		for name, r := range pages {
			h := r.header
			csp := h.Get("Content-Security-Policy")
			for _, want := range []string{"default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'", "form-action 'self'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("%s: CSP %q lacks %s", name, csp, want)
				}
			}
			if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
				t.Errorf("%s: CSP allows unsafe code: %q", name, csp)
			}
			for k, want := range map[string]string{
				"X-Content-Type-Options": "nosniff",
				"Referrer-Policy":        "no-referrer",
				"X-Frame-Options":        "DENY",
				"Cache-Control":          "no-store",
			} {
				if got := h.Get(k); got != want {
					t.Errorf("%s: %s = %q, want %q", name, k, got, want)
				}
			}
			if h.Get("X-Request-Id") == "" {
				t.Errorf("%s: no X-Request-Id", name)
			}
		}
		// Our own CSS and JavaScript may be cached; they hold no personal data.
		for path, ctype := range map[string]string{"/static/app.css": "text/css", "/static/app.js": "javascript"} {
			r := e.get(path)
			if r.status != http.StatusOK || !strings.Contains(r.header.Get("Content-Type"), ctype) {
				t.Errorf("%s: %d %q", path, r.status, r.header.Get("Content-Type"))
			}
			if cc := r.header.Get("Cache-Control"); strings.Contains(cc, "no-store") || !strings.Contains(cc, "max-age=") {
				t.Errorf("%s: Cache-Control %q, want cacheable", path, cc)
			}
			if r.header.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("%s: no nosniff", path)
			}
		}
		if r := e.get("/static/nope.css"); r.status != http.StatusNotFound {
			t.Errorf("missing static file: %d", r.status)
		}
	})
}

func TestIDNumberInURLRefused(t *testing.T) {
	if !samordna.ValidIDNumber(fnr, false) {
		t.Fatalf("%s is not a valid fødselsnummer: the test proves nothing", fnr)
	}
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		c := e.login()
		for _, path := range []string{
			"/?q=" + fnr,
			"/?q=150765+00565",
			"/?q=150765%2000565",
			"/login?return=/persons/" + fnr,
			"/persons/" + fnr,
			"/api/v1/persons/" + fnr,
			"/api/v1/me?fnr=" + fnr,
		} {
			r := e.get(path, c)
			if r.status != http.StatusBadRequest {
				t.Errorf("GET %s: %d, want 400", path, r.status)
				continue
			}
			if strings.Contains(r.body, fnr) || strings.Contains(r.body, "00565") {
				t.Errorf("GET %s: the answer echoes the number: %s", path, r.body)
			}
			if strings.HasPrefix(path, "/api/") {
				if code := errorCode(t, r); code != "identifying_data_in_url" {
					t.Errorf("GET %s: error code %q", path, code)
				}
			} else if !strings.Contains(r.body, "D-nummer kan ikke stå i en nettadresse") {
				t.Errorf("GET %s: the page does not explain the refusal: %s", path, r.body)
			}
		}
		// An 11-digit number that is not a fødselsnummer (bad check digit) is fine.
		if r := e.get("/?q=15076500566", c); r.status != http.StatusOK {
			t.Errorf("GET /?q=15076500566: %d, want 200", r.status)
		}
		// So is the number in a POST body (forms are not logged).
		if r := e.tryLogin(fnr, "feil-passord-123"); r.status != http.StatusUnauthorized {
			t.Errorf("login with a fødselsnummer as username: %d, want 401", r.status)
		}
	})
}

func TestHealthAndReady(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		if r := e.get("/healthz"); r.status != http.StatusOK {
			t.Errorf("/healthz: %d", r.status)
		}
		if r := e.get("/readyz"); r.status != http.StatusOK {
			t.Errorf("/readyz: %d", r.status)
		}
		db.Close()
		if r := e.get("/readyz"); r.status != http.StatusServiceUnavailable {
			t.Errorf("/readyz with the database closed: %d, want 503", r.status)
		} else if strings.Contains(r.body, "closed") || strings.Contains(r.body, "sql") {
			t.Errorf("/readyz tells the error: %q", r.body)
		}
		if r := e.get("/healthz"); r.status != http.StatusOK {
			t.Errorf("/healthz with the database closed: %d, want 200 (the process lives)", r.status)
		}
	})
}

func TestMetrics(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.get("/login")
		e.get("/login")
		e.get("/healthz")
		e.get("/finnes-ikke/" + "12345678901")
		e.get("/api/v1/me")
		r := e.get("/metrics")
		if r.status != http.StatusOK {
			t.Fatalf("/metrics: %d", r.status)
		}
		for _, want := range []string{
			`samordna_http_requests_total{method="GET",route="GET /login",status="200"} 2`,
			`samordna_http_requests_total{method="GET",route="GET /healthz",status="200"} 1`,
			`samordna_http_requests_total{method="GET",route="GET /api/v1/me",status="401"} 1`,
			`samordna_http_request_duration_seconds_bucket{route="GET /login",le=`,
			`go_sql_open_connections{db_name="write"}`,
			`go_sql_max_open_connections{db_name="write"}`,
			`go_goroutines`,
		} {
			if !strings.Contains(r.body, want) {
				t.Errorf("/metrics lacks %s", want)
			}
		}
		// Labels hold route patterns, never paths with ids in them.
		if strings.Contains(r.body, "finnes-ikke") || strings.Contains(r.body, "12345678901") {
			t.Error("/metrics holds a request path")
		}
	})
}

// token creates a personal access token for the test employee.
func (e *env) token() string {
	e.t.Helper()
	tok, err := e.app.CreateToken(context.Background(), &samordna.Actor{}, testUsername, "test")
	if err != nil {
		e.t.Fatalf("create token: %v", err)
	}
	return tok
}

// errorCode checks the API's JSON error shape and returns its code.
func errorCode(t *testing.T, r *response) string {
	t.Helper()
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("error answer has Content-Type %q", ct)
	}
	var body struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	dec := json.NewDecoder(strings.NewReader(r.body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil {
		t.Errorf("error body %q is not {\"error\":{\"code\",\"message\"}}: %v", r.body, err)
	}
	if body.Error.Code == "" || body.Error.Message == "" {
		t.Errorf("error body %q lacks code or message", r.body)
	}
	return body.Error.Code
}

func TestAPIMe(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		svc := &samordna.Service{Name: "Helsestasjonen", Kind: samordna.ServiceHealthStation}
		err := db.Write(context.Background(), func(tx *store.Tx) error {
			m, err := store.FirstMunicipality(tx)
			if err != nil {
				return err
			}
			svc.MunicipalityID = m.ID
			if err := store.CreateService(tx, svc, e.clock.Now()); err != nil {
				return err
			}
			return store.AddServiceMember(tx, svc.ID, e.emp.ID)
		})
		if err != nil {
			t.Fatal(err)
		}
		token := e.token()
		bearer := func(tok string) map[string]string { return map[string]string{"Authorization": "Bearer " + tok} }

		r := e.do(req{path: "/api/v1/me", header: bearer(token)})
		if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
			t.Fatalf("GET /api/v1/me: %d %q\n%s", r.status, r.header.Get("Content-Type"), r.body)
		}
		var me struct {
			Username string   `json:"username"`
			Name     string   `json:"name"`
			Roles    []string `json:"roles"`
			Services []struct {
				ID, Name, Kind string
			} `json:"services"`
		}
		if err := json.Unmarshal([]byte(r.body), &me); err != nil {
			t.Fatalf("decode %q: %v", r.body, err)
		}
		if me.Username != testUsername || me.Name != testName || len(me.Roles) != 1 || me.Roles[0] != "coordinating_unit" ||
			len(me.Services) != 1 || me.Services[0].ID != svc.ID || me.Services[0].Name != "Helsestasjonen" || me.Services[0].Kind != "health_station" {
			t.Errorf("GET /api/v1/me = %s", r.body)
		}

		c := e.login()
		for name, rq := range map[string]req{
			"no token":                 {path: "/api/v1/me"},
			"wrong token":              {path: "/api/v1/me", header: bearer(app.TokenPrefix + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")},
			"token without prefix":     {path: "/api/v1/me", header: bearer(strings.TrimPrefix(token, app.TokenPrefix))},
			"basic auth":               {path: "/api/v1/me", header: map[string]string{"Authorization": "Basic a2FyaTpwYXNzb3Jk"}},
			"empty bearer":             {path: "/api/v1/me", header: map[string]string{"Authorization": "Bearer "}},
			"session cookie, no token": {path: "/api/v1/me", cookies: []*http.Cookie{c}},
		} {
			r := e.do(rq)
			if r.status != http.StatusUnauthorized {
				t.Errorf("%s: %d, want 401", name, r.status)
				continue
			}
			if code := errorCode(t, r); code != "unauthenticated" {
				t.Errorf("%s: code %q", name, code)
			}
			if !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("%s: WWW-Authenticate %q", name, r.header.Get("WWW-Authenticate"))
			}
		}

		// A revoked token stops working at once.
		if _, err := e.app.RevokeToken(context.Background(), &samordna.Actor{}, testUsername, token); err != nil {
			t.Fatal(err)
		}
		r = e.do(req{path: "/api/v1/me", header: bearer(token)})
		if r.status != http.StatusUnauthorized || errorCode(t, r) != "unauthenticated" {
			t.Errorf("revoked token: %d %s", r.status, r.body)
		}

		// Unknown API paths answer 404 in JSON, with or without a token.
		token2 := e.token()
		for _, rq := range []req{{path: "/api/v1/nope"}, {path: "/api/v1/nope", header: bearer(token2)}, {method: "DELETE", path: "/api/v1/me", header: bearer(token2)}} {
			r := e.do(rq)
			if r.status != http.StatusNotFound && r.status != http.StatusMethodNotAllowed {
				t.Errorf("%s %s: %d, want 404", rq.method, rq.path, r.status)
				continue
			}
			if r.status == http.StatusNotFound && errorCode(t, r) != "not_found" {
				t.Errorf("%s %s: %s", rq.method, rq.path, r.body)
			}
		}
	})
}

// When something breaks inside, the client learns nothing about it.
func TestAPIInternalErrorIsOpaque(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		token := e.token()
		db.Close()
		r := e.do(req{path: "/api/v1/me", header: map[string]string{"Authorization": "Bearer " + token}})
		if r.status != http.StatusInternalServerError {
			t.Fatalf("API with the database closed: %d, want 500\n%s", r.status, r.body)
		}
		if code := errorCode(t, r); code != "internal" {
			t.Errorf("code %q, want internal", code)
		}
		for _, leak := range []string{"sql", "closed", "database", "postgres", "sqlite", "token", "employee"} {
			if strings.Contains(strings.ToLower(r.body), leak) {
				t.Errorf("the error body tells %q: %s", leak, r.body)
			}
		}
	})
}

// The logs hold routes, statuses and request ids: no usernames, names,
// passwords, tokens, session ids or fødselsnumre.
func TestLogsHoldNoPersonalData(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		token := e.token()
		c := e.login()
		e.tryLogin(testUsername, "feil-passord-123")
		e.tryLogin(fnr, "feil-passord-123")
		e.get("/", c)
		e.get("/?q=" + fnr)
		e.get("/persons/"+fnr, c)
		e.do(req{path: "/api/v1/me", header: map[string]string{"Authorization": "Bearer " + token}})
		e.do(req{path: "/api/v1/me", header: map[string]string{"Authorization": "Bearer samordna_pat_wrong"}})
		e.post("/logout", nil, c)
		e.srv.Close() // waits for the handlers, so every line is written

		logs := e.logs.String()
		lines := strings.Split(strings.TrimSpace(logs), "\n")
		if len(lines) < 9 {
			t.Fatalf("only %d log lines: the logs were not captured\n%s", len(lines), logs)
		}
		for _, l := range lines {
			var v map[string]any
			if err := json.Unmarshal([]byte(l), &v); err != nil {
				t.Errorf("log line is not JSON: %q", l)
			}
		}
		if !strings.Contains(logs, `"route":"GET /api/v1/me"`) || !strings.Contains(logs, `"route":"POST /login"`) {
			t.Errorf("the logs lack the route of each request:\n%s", logs)
		}
		for what, secret := range map[string]string{
			"username": testUsername, "name": testName, "password": testPassword, "wrong password": "feil-passord-123",
			"fødselsnummer": fnr, "token": token, "session id": c.Value, "session id (escaped)": url.QueryEscape(c.Value),
		} {
			if strings.Contains(logs, secret) {
				t.Errorf("the logs hold the %s", what)
			}
		}
	})
}
