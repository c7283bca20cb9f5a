package web_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/store"
	"github.com/samordna/samordna/web"
)

// testClock is a clock the test moves by hand.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func newTestClock() *testClock {
	return &testClock{now: time.Date(2025, 3, 10, 8, 0, 0, 0, time.UTC)}
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// The employee every test signs in as.
const (
	testUsername = "kari.nordmann"
	testName     = "Kari Nordmann"
	testPassword = "riktig-hest-batteri-stift"
)

// env is a running server on a fresh database with one municipality and
// one employee.
type env struct {
	t      *testing.T
	db     *store.DB
	app    *app.App
	clock  *testClock
	logs   *syncBuffer
	srv    *httptest.Server
	client *http.Client
	emp    *samordna.Employee
	tls    bool
}

type envOption func(*envConfig)

type envConfig struct {
	tls bool
	cfg web.Config
}

func withTLS() envOption { return func(c *envConfig) { c.tls = true } }

func withConfig(cfg web.Config) envOption { return func(c *envConfig) { c.cfg = cfg } }

// newEnv starts the server on db. Its JSON logs go to env.logs.
func newEnv(t *testing.T, db *store.DB, opts ...envOption) *env {
	t.Helper()
	var c envConfig
	for _, o := range opts {
		o(&c)
	}
	e := &env{t: t, db: db, clock: newTestClock(), logs: &syncBuffer{}, tls: c.tls}
	e.app = app.New(db, e.clock, slog.New(slog.NewJSONHandler(e.logs, nil)))
	ctx := context.Background()
	err := db.Write(ctx, func(tx *store.Tx) error {
		return store.CreateMunicipality(tx, &samordna.Municipality{ID: samordna.NewID(), Name: "Testvik", Number: "9999"}, e.clock.Now())
	})
	if err != nil {
		t.Fatalf("create municipality: %v", err)
	}
	e.emp, err = e.app.CreateUser(ctx, &samordna.Actor{}, app.NewUser{Username: testUsername, Name: testName,
		Password: testPassword, Roles: []samordna.Role{samordna.RoleCoordinatingUnit}})
	if err != nil {
		t.Fatalf("create user: %v", err)
	}
	s, err := web.New(e.app, c.cfg)
	if err != nil {
		t.Fatalf("web.New: %v", err)
	}
	if c.tls {
		e.srv = httptest.NewTLSServer(s)
		e.client = e.srv.Client()
	} else {
		e.srv = httptest.NewServer(s)
		e.client = &http.Client{}
	}
	t.Cleanup(e.srv.Close)
	e.client.Timeout = 30 * time.Second
	e.client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return e
}

// response is an answer with its body read.
type response struct {
	status  int
	header  http.Header
	body    string
	cookies []*http.Cookie
}

func (r *response) location() string { return r.header.Get("Location") }

// cookie returns the cookie the answer set, or nil.
func (r *response) cookie(name string) *http.Cookie {
	for _, c := range r.cookies {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// req describes one request.
type req struct {
	method  string
	path    string
	form    url.Values
	body    string // raw body, used when form is nil
	header  map[string]string
	cookies []*http.Cookie
}

func (e *env) do(r req) *response {
	e.t.Helper()
	var body io.Reader
	switch {
	case r.form != nil:
		body = strings.NewReader(r.form.Encode())
	case r.body != "":
		body = strings.NewReader(r.body)
	}
	if r.method == "" {
		r.method = http.MethodGet
	}
	hr, err := http.NewRequest(r.method, e.srv.URL+r.path, body)
	if err != nil {
		e.t.Fatalf("%s %s: %v", r.method, r.path, err)
	}
	if r.form != nil {
		hr.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range r.header {
		hr.Header.Set(k, v)
	}
	for _, c := range r.cookies {
		hr.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	resp, err := e.client.Do(hr)
	if err != nil {
		e.t.Fatalf("%s %s: %v", r.method, r.path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatalf("%s %s: read body: %v", r.method, r.path, err)
	}
	return &response{status: resp.StatusCode, header: resp.Header, body: string(b), cookies: resp.Cookies()}
}

func (e *env) get(path string, cookies ...*http.Cookie) *response {
	e.t.Helper()
	return e.do(req{path: path, cookies: cookies})
}

// post sends a form like a browser on our own site does (Sec-Fetch-Site:
// same-origin and our Origin).
func (e *env) post(path string, form url.Values, cookies ...*http.Cookie) *response {
	e.t.Helper()
	return e.do(req{method: http.MethodPost, path: path, form: form, cookies: cookies,
		header: map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": e.srv.URL}})
}

// sessionCookieName is the name of the session cookie on this server.
func (e *env) sessionCookieName() string {
	if e.tls {
		return "__Host-samordna_session"
	}
	return "samordna_session"
}

// tryLogin posts the login form.
func (e *env) tryLogin(username, password string, cookies ...*http.Cookie) *response {
	e.t.Helper()
	return e.post("/login", url.Values{"username": {username}, "password": {password}, "return": {"/"}}, cookies...)
}

// login signs in as the test employee and returns the session cookie.
func (e *env) login() *http.Cookie {
	e.t.Helper()
	r := e.tryLogin(testUsername, testPassword)
	if r.status != http.StatusSeeOther || r.location() != "/" {
		e.t.Fatalf("login: status %d, Location %q, want 303 to /:\n%s", r.status, r.location(), r.body)
	}
	c := r.cookie(e.sessionCookieName())
	if c == nil || c.Value == "" {
		e.t.Fatalf("login set no %s cookie; Set-Cookie: %q", e.sessionCookieName(), r.header.Values("Set-Cookie"))
	}
	return c
}

// auditRow is the part of an audit row the tests look at.
type auditRow struct {
	ActorID, ActorUsername, ObjectType, Action, Outcome, Purpose string
}

func (e *env) audit() []auditRow {
	e.t.Helper()
	var out []auditRow
	err := e.db.Read(context.Background(), func(tx *store.Tx) error {
		rows, err := tx.Query(`SELECT actor_id, actor_username, object_type, action, outcome, purpose
			FROM audit_events ORDER BY seq`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var a auditRow
			if err := rows.Scan(&a.ActorID, &a.ActorUsername, &a.ObjectType, &a.Action, &a.Outcome, &a.Purpose); err != nil {
				return err
			}
			out = append(out, a)
		}
		return rows.Err()
	})
	if err != nil {
		e.t.Fatalf("read audit: %v", err)
	}
	return out
}

// lastAudit returns the newest audit row.
func (e *env) lastAudit() auditRow {
	e.t.Helper()
	rows := e.audit()
	if len(rows) == 0 {
		e.t.Fatal("no audit rows")
	}
	return rows[len(rows)-1]
}

// count returns the number of rows in a table.
func (e *env) count(table string) int {
	e.t.Helper()
	var n int
	err := e.db.Read(context.Background(), func(tx *store.Tx) error {
		return tx.QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n)
	})
	if err != nil {
		e.t.Fatalf("count %s: %v", table, err)
	}
	return n
}
