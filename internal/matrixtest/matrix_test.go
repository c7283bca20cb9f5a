package matrixtest_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/internal/matrixtest"
	"github.com/samordna/samordna/store"
	"github.com/samordna/samordna/web"
)

// The access matrix: every route of the JSON API and of the pages × every
// demo role × every relation state. For each route the declared Access
// gives the expected outcome through the access package; the real HTTP
// status must agree: allowed → neither 401, 403, 404 nor 5xx; denied → 404,
// exactly as for a missing object.

// fixedNow is the matrix's clock: a Monday morning.
var fixedNow = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

type fixedClock struct{}

func (fixedClock) Now() time.Time { return fixedNow }

// matrixUsers are the demo users of docs/API.md and the one with emergency access.
var matrixUsers = []string{"kari.ke", "ola.laerer", "ingrid.hs", "per.bv", "anne.ppt", "lise.barnehage",
	"nils.leder", "admin", "berit.bvleder"}

// The relation states an actor can be in with a fixture's case.
var matrixStates = []string{"none", "discoverer", "application", "coordinator", "member_consent",
	"member_withdrawn", "blocked", "emergency"}

// registrar registers the cases the actor did not register; blockTarget is
// barred by the fixtures and posted in block requests. Neither is a matrix
// user.
const (
	registrar   = "lars.nav"
	blockTarget = "jon.ke"
	postTarget  = "silje.laerer"
)

const demoPassword = "matrise-passord-2026"

// samplePDF is a minimal form that passes the content check.
var samplePDF = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

// matrixApp is the App of the world being checked, for the rules that
// only the app can decide (kinds_test.go).
var matrixApp *app.App

// fixture is one actor in one state with a case: the case and the objects
// the routes name.
type fixture struct {
	state       string
	actor       *samordna.Employee
	caseID      string
	otherCaseID string // a second case in the same state, for links
	consentID   string
	formID      string
	blockID     string
	emergencyID string            // an emergency access (by ola.laerer, to another case) to review
	objects     map[string]string // the other kinds' objects and path parameters (kinds_test.go's makeObjects)
}

// world is the demo municipality served on one database.
type world struct {
	t       *testing.T
	db      *store.DB
	a       *app.App
	srv     *httptest.Server
	client  *http.Client
	emp     map[string]*samordna.Employee
	muni    string
	nordby  string // Nordby skole's id
	tokens  map[string]string
	mu      sync.Mutex // guards cookies
	cookies map[string]*http.Cookie
}

func newWorld(t *testing.T, db *store.DB) *world {
	t.Helper()
	ctx := context.Background()
	a := app.New(db, fixedClock{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	a.AllowSynthetic = true
	matrixApp = a
	if _, err := a.SeedDemo(ctx, demoPassword); err != nil {
		t.Fatal(err)
	}
	s, err := web.New(a, web.Config{})
	if err != nil {
		t.Fatal(err)
	}
	w := &world{t: t, db: db, a: a, srv: httptest.NewServer(s), emp: map[string]*samordna.Employee{},
		tokens: map[string]string{}, cookies: map[string]*http.Cookie{}}
	t.Cleanup(w.srv.Close)
	w.client = &http.Client{Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	err = db.Read(ctx, func(tx *store.Tx) error {
		emps, err := store.ListEmployees(tx)
		for _, e := range emps {
			w.emp[e.Username] = e
			w.muni = e.MunicipalityID
		}
		if err != nil {
			return err
		}
		for _, svc := range w.emp["ola.laerer"].Services {
			w.nordby = svc.ID
		}
		return nil
	})
	if err != nil || w.nordby == "" {
		t.Fatalf("read the demo: %v", err)
	}
	for _, u := range matrixUsers {
		if w.tokens[u], err = a.CreateToken(ctx, &samordna.Actor{}, u, "matrix"); err != nil {
			t.Fatal(err)
		}
		if err := w.login(u); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

// login signs the user in through the login form.
func (w *world) login(username string) error {
	resp, err := w.client.PostForm(w.srv.URL+"/login", url.Values{"username": {username},
		"password": {demoPassword}, "return": {"/"}})
	if err != nil {
		return err
	}
	resp.Body.Close()
	for _, c := range resp.Cookies() {
		if c.Name == "samordna_session" && c.Value != "" {
			w.mu.Lock()
			w.cookies[username] = c
			w.mu.Unlock()
			return nil
		}
	}
	return fmt.Errorf("login as %s: status %d, no session", username, resp.StatusCode)
}

// cookie returns the user's session cookie.
func (w *world) cookie(username string) *http.Cookie {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.cookies[username]
}

// makeFixture builds the fixture for the actor in the state.
func (w *world) makeFixture(tx *store.Tx, state string, actor *samordna.Employee) (*fixture, error) {
	fx := &fixture{state: state, actor: actor}
	var err error
	if fx.caseID, err = w.stateCase(tx, fx); err != nil {
		return nil, err
	}
	if fx.otherCaseID, err = w.stateCase(tx, fx); err != nil {
		return nil, err
	}
	lars := w.emp[registrar].ID
	if fx.consentID == "" {
		if fx.consentID, err = matrixtest.AddConsent(tx, fx.caseID, lars,
			[]samordna.ConsentPurpose{samordna.PurposeIndividualPlan}, nil, false, fixedNow); err != nil {
			return nil, err
		}
	}
	form := &store.ConsentForm{ID: samordna.NewID(), CaseID: fx.caseID, ContentType: app.FormPDF,
		Size: int64(len(samplePDF)), SHA256: "x", Data: samplePDF, UploadedBy: lars, UploadedAt: fixedNow}
	if err := store.CreateConsentForm(tx, form); err != nil {
		return nil, err
	}
	fx.formID = form.ID
	if fx.blockID == "" {
		if fx.blockID, err = matrixtest.AddBlock(tx, fx.caseID, w.emp[blockTarget].ID, lars, fixedNow, false); err != nil {
			return nil, err
		}
	}
	reviewCase, err := matrixtest.NewCase(tx, w.muni, lars, "", fixedNow)
	if err != nil {
		return nil, err
	}
	fx.emergencyID, err = matrixtest.AddEmergency(tx, reviewCase, w.emp["ola.laerer"].ID, w.nordby,
		fixedNow.Add(-time.Minute), fixedNow.Add(time.Hour))
	if err != nil {
		return nil, err
	}
	return fx, w.makeObjects(tx, fx)
}

// stateCase makes a case in which the actor is in the fixture's state.
func (w *world) stateCase(tx *store.Tx, fx *fixture) (string, error) {
	lars, me := w.emp[registrar].ID, fx.actor.ID
	reg := lars
	if fx.state == "discoverer" || fx.state == "blocked" {
		reg = me
	}
	id, err := matrixtest.NewCase(tx, w.muni, reg, "", fixedNow)
	if err != nil {
		return "", err
	}
	share := []samordna.ConsentPurpose{samordna.PurposeShareWithMembers}
	switch fx.state {
	case "application":
		err = matrixtest.AddApplication(tx, id, w.muni, lars, fixedNow)
	case "coordinator":
		err = matrixtest.AddCoordinator(tx, id, me, lars, fixedNow, false)
	case "member_consent", "member_withdrawn":
		if err = matrixtest.AddGroupMember(tx, id, me, lars, fixedNow, false, false); err == nil {
			var cid string
			cid, err = matrixtest.AddConsent(tx, id, lars, share, nil, fx.state == "member_withdrawn", fixedNow)
			if fx.consentID == "" {
				fx.consentID = cid
			}
		}
	case "blocked":
		var bid string
		bid, err = matrixtest.AddBlock(tx, id, me, lars, fixedNow, false)
		if fx.blockID == "" {
			fx.blockID = bid
		}
	case "emergency":
		_, err = matrixtest.AddEmergency(tx, id, me, "", fixedNow.Add(-time.Minute), fixedNow.Add(time.Hour))
	}
	return id, err
}

// fixtures builds one fixture per state and matrix user in one transaction.
func (w *world) fixtures() []*fixture {
	w.t.Helper()
	var out []*fixture
	err := w.db.Write(context.Background(), func(tx *store.Tx) error {
		for _, st := range matrixStates {
			for _, u := range matrixUsers {
				fx, err := w.makeFixture(tx, st, w.emp[u])
				if err != nil {
					return fmt.Errorf("fixture %s/%s: %w", st, u, err)
				}
				out = append(out, fx)
			}
		}
		return nil
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return out
}

// route is an API or page route with what the matrix needs.
type route struct {
	api                    bool
	method, path, access   string
	public                 bool
	kind, action, roleName string // parsed Access
}

func (r route) String() string { return r.method + " " + r.path }

// allRoutes lists every route of the pages and of the API.
func allRoutes(s *web.Server) []route {
	var out []route
	for _, r := range s.APIRoutes() {
		out = append(out, route{api: true, method: r.Method, path: r.Path, access: r.Access, public: r.Public})
	}
	for _, r := range s.Routes() {
		out = append(out, route{method: r.Method, path: r.Path, access: r.Access, public: r.Public})
	}
	return out
}

// parse reads the route's Access; it returns an error when the matrix does
// not understand it.
func (r *route) parse() error {
	switch {
	case r.access == "":
		return fmt.Errorf("no Access declared")
	case r.access == "public" || r.access == "authenticated":
		r.kind = r.access
		if (r.access == "public") != r.public {
			return fmt.Errorf("Access %q but Public is %v", r.access, r.public)
		}
		return nil
	case r.public:
		return fmt.Errorf("Public route with Access %q", r.access)
	}
	for _, p := range pathParam.FindAllString(r.path, -1) {
		if !fillable[p] && !(p == "{id}" && !strings.Contains(r.access, ":")) {
			return fmt.Errorf("the matrix cannot fill the path parameter %s", p)
		}
	}
	obj, action, ok := strings.Cut(r.access, ":")
	if !ok {
		return fmt.Errorf("Access %q is not public, authenticated, role:<role> or <object>:<action>", r.access)
	}
	if obj == "role" {
		if !samordna.Role(action).Valid() {
			return fmt.Errorf("Access %q names an unknown role", r.access)
		}
		r.kind, r.roleName = "role", action
		return nil
	}
	if _, ok := objectKinds[obj]; !ok {
		return fmt.Errorf("Access %q: the matrix knows no object kind %q (add it to objectKinds in internal/matrixtest/kinds_test.go)", r.access, obj)
	}
	if obj == "case" || obj == "consent" {
		if !knownAction(action) {
			return fmt.Errorf("Access %q: unknown access action %q", r.access, action)
		}
	}
	for _, p := range pathParam.FindAllString(r.path, -1) {
		if !fillable[p] {
			return fmt.Errorf("the matrix cannot fill the path parameter %s", p)
		}
	}
	if !strings.Contains(r.path, "{id}") && !(obj == "case" && bodyNamesCase(*r)) {
		return fmt.Errorf("Access %q but the path has no {id} and the body names no case", r.access)
	}
	r.kind, r.action = obj, action
	return nil
}

// Every route declares an Access the matrix understands.
func TestRoutesDeclareAccess(t *testing.T) {
	s, err := web.New(app.New(dbtest.Open(t, store.SQLite), nil, nil), web.Config{})
	if err != nil {
		t.Fatal(err)
	}
	routes := allRoutes(s)
	if len(routes) < 20 {
		t.Fatalf("only %d routes: the listing is broken", len(routes))
	}
	for _, r := range routes {
		if err := r.parse(); err != nil {
			t.Errorf("%s: %v", r, err)
		}
	}
}

// The matrix on both databases.
func TestAccessMatrix(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		s, err := web.New(w.a, web.Config{})
		if err != nil {
			t.Fatal(err)
		}
		var routes []route
		for _, r := range allRoutes(s) {
			if r.parse() == nil { // TestRoutesDeclareAccess reports the others
				routes = append(routes, r)
			}
		}
		// Reads first on shared fixtures; each change gets fresh ones, so
		// that one route's change (a lifted block, a withdrawn consent)
		// does not hide another route's case. Signing out comes last.
		sort.SliceStable(routes, func(i, j int) bool { return rank(routes[i]) < rank(routes[j]) })
		start := time.Now()
		reads, writes := w.fixtures(), w.fixtures()
		t.Logf("fixtures: %v", time.Since(start)/2)
		checked := 0
		for _, r := range routes {
			fxs := reads
			switch {
			case changesAccess[r.method+" "+r.path]:
				fxs = w.fixtures()
			case r.method != http.MethodGet:
				fxs = writes
			}
			if _, object := objectKinds[r.kind]; !object {
				fxs = fxs[:len(matrixUsers)] // no object: the state does not matter, the role does
			}
			failures := w.checkAll(r, fxs)
			checked += len(fxs)
			if len(failures) > 0 {
				t.Errorf("%s (Access %q): %d of %d requests disagree with the policy, e.g.:\n  %s", r, r.access,
					len(failures), len(fxs), strings.Join(failures[:min(len(failures), 3)], "\n  "))
			}
		}
		w.checkAnonymous(routes)
		t.Logf("%d routes, %d requests", len(routes), checked)
	})
}

// rank orders the routes: reads, then changes, then changes of access
// (each on fresh fixtures), then signing out.
func rank(r route) int {
	switch {
	case r.path == "/logout":
		return 3
	case changesAccess[r.method+" "+r.path]:
		return 2
	case r.method == http.MethodGet:
		return 0
	}
	return 1
}

// changesAccess are the routes whose change can take away or give access
// (a bar, a withdrawal, emergency access): each runs on fresh fixtures, so
// that it does not hide another route's case. Every other change runs on
// one shared set; the expected outcome is computed from the facts at the
// moment of each request, so what an earlier request changed is counted.
var changesAccess = map[string]bool{
	"POST /api/v1/consents/{id}/withdraw":           true,
	"POST /api/v1/cases/{id}/blocks":                true,
	"DELETE /api/v1/cases/{id}/blocks/{blockId}":    true,
	"POST /api/v1/cases/{id}/blocks/{blockId}/lift": true,
	"POST /api/v1/cases/{id}/emergency-access":      true,
	"POST /consents/{id}/withdraw":                  true,
	"POST /cases/{id}/blocks":                       true,
	"POST /cases/{id}/blocks/{blockId}/lift":        true,
	"POST /emergency-access":                        true,
}

// expect computes whether the fixture's actor may use the route.
func (w *world) expect(r route, fx *fixture) (bool, error) {
	switch r.kind {
	case "public", "authenticated":
		return true, nil
	case "role":
		return fx.actor.HasRole(samordna.Role(r.roleName)) && !fx.actor.HasRole(samordna.RoleAdmin) ||
			r.roleName == string(samordna.RoleAdmin) && fx.actor.HasRole(samordna.RoleAdmin), nil
	}
	var ok bool
	err := w.db.Read(context.Background(), func(tx *store.Tx) (err error) {
		ok, err = objectKinds[r.kind].expect(tx, fx, fx.actor, r.action)
		return err
	})
	return ok, err
}

// checkAll checks the route for every fixture, a few at a time (each
// fixture is its own case and actor), and returns the disagreements in the
// fixtures' order.
func (w *world) checkAll(r route, fxs []*fixture) []string {
	results := make([]string, len(fxs))
	sem := make(chan struct{}, 4)
	var wg sync.WaitGroup
	for i, fx := range fxs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			results[i] = w.check(r, fx)
		}()
	}
	wg.Wait()
	var out []string
	for _, f := range results {
		if f != "" {
			out = append(out, f)
		}
	}
	return out
}

// check sends the route's request as the fixture's actor and returns how
// the answer disagrees with the policy, or "". It runs on its own
// goroutine: it reports, never stops the test.
func (w *world) check(r route, fx *fixture) string {
	allowed, err := w.expect(r, fx)
	if err != nil {
		return fmt.Sprintf("%s (%s): policy: %v", fx.actor.Username, fx.state, err)
	}
	req, err := w.request(r, fx)
	if err != nil {
		return fmt.Sprintf("%s (%s): %v", fx.actor.Username, fx.state, err)
	}
	if r.api {
		req.Header.Set("Authorization", "Bearer "+w.tokens[fx.actor.Username])
	} else {
		req.AddCookie(w.cookie(fx.actor.Username))
	}
	resp, err := w.client.Do(req)
	if err != nil {
		return fmt.Sprintf("%s (%s): %v", fx.actor.Username, fx.state, err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	status := resp.StatusCode
	if r.path == "/logout" {
		if err := w.login(fx.actor.Username); err != nil {
			return err.Error()
		}
	}
	who := fx.actor.Username + " (" + fx.state + ")"
	switch {
	case status >= 500:
		return fmt.Sprintf("%s: %d: %.150s", who, status, bytes.TrimSpace(body))
	case r.kind == "public":
	case allowed && status == 404 && objectKinds[r.kind].make == nil && strings.Contains(r.path, "{id}"):
		// An object the Access does not name, filled with an unknown id.
	case allowed && (status == 401 || status == 403 || status == 404):
		return fmt.Sprintf("%s: allowed, but %d: %.150s", who, status, bytes.TrimSpace(body))
	case !allowed && status != 404:
		return fmt.Sprintf("%s: denied, but %d, not 404: %.150s", who, status, bytes.TrimSpace(body))
	}
	return ""
}

var pathParam = regexp.MustCompile(`\{[^}]*\}`)

// fillable are the path parameters the matrix fills from a fixture.
// {secret} (a sign-in link's) is always an unknown one: the routes are public.
var fillable = map[string]bool{"{$}": true, "{id}": true, "{formId}": true, "{blockId}": true, "{member}": true,
	"{secret}": true}

// request builds the route's request for the fixture: path parameters from
// the fixture, and a valid body for the routes that need one.
func (w *world) request(r route, fx *fixture) (*http.Request, error) {
	var bad error
	path := pathParam.ReplaceAllStringFunc(r.path, func(p string) string {
		switch p {
		case "{$}":
			return ""
		case "{id}":
			if _, ok := objectKinds[r.kind]; !ok {
				// "authenticated" or "role:" with an object the Access does
				// not name (a routine, say): an id the matrix cannot know.
				return "unknown00000000000000"
			}
			id, err := objectKinds[r.kind].make(fx)
			if err != nil {
				bad = err
			}
			return id
		case "{formId}":
			return fx.formID
		case "{blockId}":
			return fx.blockID
		case "{member}":
			return memberParam(r, fx)
		case "{secret}":
			return "unknown-sign-in-link-secret"
		}
		bad = fmt.Errorf("the matrix cannot fill the path parameter %s", p)
		return ""
	})
	if bad != nil {
		return nil, bad
	}
	fill := strings.NewReplacer("{caseId}", fx.caseID, "{otherCase}", fx.otherCaseID, "{formId}", fx.formID,
		"{username}", postTarget, "{postTargetID}", w.emp[postTarget].ID).Replace
	var body io.Reader
	ctype := ""
	key := r.method + " " + r.path
	switch {
	case r.api && key == "POST /api/v1/cases/{id}/consent-forms":
		body, ctype = bytes.NewReader(samplePDF), "text/plain"
	case r.api && r.method != http.MethodGet && r.method != http.MethodDelete:
		js, ok := apiBodies[key]
		if !ok {
			js = "{}"
		}
		if js != "" {
			body, ctype = strings.NewReader(fill(js)), "application/json"
		}
	case !r.api && key == "POST /cases/{id}/consent-forms":
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		part, _ := mw.CreateFormFile("form", "skjema.pdf")
		part.Write(samplePDF)
		mw.Close()
		body, ctype = &buf, mw.FormDataContentType()
	case !r.api && r.method == http.MethodPost:
		form := url.Values{}
		for k, v := range pageForms[key] {
			form.Set(k, fill(v))
		}
		body, ctype = strings.NewReader(form.Encode()), "application/x-www-form-urlencoded"
	}
	req, err := http.NewRequest(r.method, w.srv.URL+path, body)
	if err != nil {
		return nil, err
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	return req, nil
}

// apiBodies are valid request bodies of the API's POST routes ("" for
// none); others get {}.
var apiBodies = map[string]string{
	"POST /api/v1/cases/{id}/consents":               `{"given_by": "Kari Testesen", "purposes": ["individual_plan"]}`,
	"POST /api/v1/consents/{id}/withdraw":            "",
	"POST /api/v1/consents/{id}/form":                `{"form_id": "{formId}"}`,
	"POST /api/v1/cases/{id}/links":                  `{"case_id": "{otherCase}"}`,
	"POST /api/v1/cases/{id}/blocks":                 `{"username": "{username}", "reason": "Personens ønske"}`,
	"POST /api/v1/cases/{id}/blocks/{blockId}/lift":  "",
	"POST /api/v1/cases/{id}/emergency-access":       `{"reason_code": "life_or_health", "reason": "Akutt fare for barnet"}`,
	"POST /api/v1/emergency-access/{id}/review":      `{"note": "Gjennomgått med den ansatte"}`,
	"POST /api/v1/cases/{id}/deviations":             `{"description": "Hjemmebesøket ble ikke fulgt opp"}`,
	"POST /api/v1/cases/{id}/drug-test-assessments":  `{"decision": "test", "reason": "Mor samtykker"}`,
	"POST /api/v1/cases/{id}/acute-contacts":         `{"contacted": "police", "note": "Operasjonssentralen"}`,
	"POST /api/v1/cases/{id}/coordinator/by-routine": "",
	"POST /api/v1/deadlines":                         `{"routine_id": "lillehammer-oppdager", "step_id": "consult", "deadline": "P1W"}`,
}

// pageForms are valid form posts of the pages.
var pageForms = map[string]map[string]string{
	"POST /login":                            {"username": "nobody", "password": "wrong-password-123"},
	"POST /lang":                             {"lang": "nn", "return": "/"},
	"POST /cases/{id}/consents":              {"given_by": "Kari Testesen", "purposes": "individual_plan"},
	"POST /consents/{id}/form":               {"form_id": "{formId}"},
	"POST /cases/{id}/links":                 {"case_id": "{otherCase}"},
	"POST /cases/{id}/blocks":                {"username": "{username}", "reason": "Personens ønske"},
	"POST /emergency-access":                 {"case_id": "{caseId}", "reason_code": "life_or_health", "reason": "Akutt fare for barnet"},
	"POST /emergency-access/{id}/review":     {"note": "Gjennomgått med den ansatte"},
	"POST /cases/{id}/deviations":            {"description": "Hjemmebesøket ble ikke fulgt opp"},
	"POST /cases/{id}/drug-test-assessments": {"decision": "test", "reason": "Mor samtykker"},
	"POST /cases/{id}/acute-contacts":        {"contacted": "police", "note": "Operasjonssentralen"},
}

// bodyNamesCase reports whether the route names its case in the body
// (the break-glass form, where the employee types the case id).
func bodyNamesCase(r route) bool {
	_, ok := pageForms[r.method+" "+r.path]["case_id"]
	return ok && !r.api
}

// checkAnonymous: without a token or session every route but the public
// ones is refused: 401 from the API, the login page for a page.
func (w *world) checkAnonymous(routes []route) {
	w.t.Helper()
	fx := w.fixtures()[0]
	for _, r := range routes {
		if r.kind == "public" {
			continue
		}
		req, err := w.request(r, fx)
		if err != nil {
			w.t.Fatal(err)
		}
		resp, err := w.client.Do(req)
		if err != nil {
			w.t.Fatal(err)
		}
		resp.Body.Close()
		want := http.StatusUnauthorized
		if !r.api && r.method == http.MethodGet {
			want = http.StatusSeeOther
		}
		if resp.StatusCode != want || (want == http.StatusSeeOther && !strings.HasPrefix(resp.Header.Get("Location"), "/login")) {
			w.t.Errorf("%s without signing in: %d (Location %q), want %d", r, resp.StatusCode, resp.Header.Get("Location"), want)
		}
	}
}
