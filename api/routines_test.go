package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/api"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/internal/reqctx"
	"github.com/samordna/samordna/store"
)

// routineAPIClock is a clock the routine API tests set.
type routineAPIClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *routineAPIClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *routineAPIClock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}

// routineAPI is the JSON API on the demo municipality, with a token per
// demo user.
type routineAPI struct {
	t      *testing.T
	app    *app.App
	clock  *routineAPIClock
	srv    *httptest.Server
	tokens map[string]string
}

var routineAPINow = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

func newRoutineAPI(t *testing.T, db *store.DB) *routineAPI {
	t.Helper()
	clock := &routineAPIClock{now: routineAPINow}
	a := app.New(db, clock, nil)
	a.AllowSynthetic = true
	if _, err := a.SeedDemo(context.Background(), "demo-passord-2026"); err != nil {
		t.Fatal(err)
	}
	h := api.New(a).Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		h.ServeHTTP(w, req.WithContext(reqctx.With(req.Context(), &reqctx.Info{RequestID: "routine-test"})))
	}))
	t.Cleanup(srv.Close)
	return &routineAPI{t: t, app: a, clock: clock, srv: srv, tokens: map[string]string{}}
}

// call sends a request as the user ("" for none) and decodes the JSON
// answer into out (when not nil); it returns the status and the raw body.
func (r *routineAPI) call(user, method, path string, body any, out any) (int, string) {
	r.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			r.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, r.srv.URL+path, rd)
	if err != nil {
		r.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if user != "" {
		tok, ok := r.tokens[user]
		if !ok {
			if tok, err = r.app.CreateToken(context.Background(), nil, user, "test"); err != nil {
				r.t.Fatal(err)
			}
			r.tokens[user] = tok
		}
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if out != nil && resp.Header.Get("Content-Type") != "application/pdf" {
		if err := json.Unmarshal(raw, out); err != nil {
			r.t.Fatalf("%s %s: %d %s: %v", method, path, resp.StatusCode, raw, err)
		}
	}
	return resp.StatusCode, string(raw)
}

type apiError struct {
	Error struct {
		Code     string `json:"code"`
		Message  string `json:"message"`
		Field    string `json:"field"`
		Start    *int   `json:"start"`
		End      *int   `json:"end"`
		Problems []struct {
			Line    int    `json:"line"`
			Message string `json:"message"`
		} `json:"problems"`
	} `json:"error"`
}

// Every Ulstein row and every Lillehammer step is in GET /api/v1/routines
// with the deadline of its seed document.
func TestRoutinesAPIHasEveryStepWithItsDeadline(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		r := newRoutineAPI(t, db)
		var routines []struct {
			ID      string `json:"id"`
			Version int    `json:"version"`
			Name    string `json:"name"`
			Steps   []struct {
				ID          string   `json:"id"`
				Situation   string   `json:"situation"`
				Situations  []string `json:"situations"`
				Event       string   `json:"event"`
				Action      string   `json:"action"`
				Responsible string   `json:"responsible"`
				Deadline    string   `json:"deadline"`
				References  []string `json:"references"`
			} `json:"steps"`
		}
		if status, body := r.call("ola.laerer", "GET", "/api/v1/routines", nil, &routines); status != 200 {
			t.Fatalf("GET /api/v1/routines: %d %s", status, body)
		}
		want := map[string]map[string]string{
			"ulstein-rus-sped-smabarn": {
				"row-01": "P1W", "row-02": "P2W", "row-03": "P1W", "row-04": "P2W", "row-05": "P1W",
				"row-06": "P3M/P6M", "row-07": "P1M", "row-08": "per_plan", "row-09": "P1M", "row-10": "immediately",
			},
			"lillehammer-oppdager": {
				"consult": "P1W", "conversation": "P2W", "document": "P5D", "apply": "P2W", "acute-report": "immediately",
				"duty-to-inform": "immediately", "involve-health-personnel": "P2D", "ke-contact": "P5D", "ke-decide": "P1M", "ke-first-meeting": "per_plan",
				"coord-involve": "P2W", "coord-group": "P1M", "coord-review": "P1M", "coord-follow-up": "per_plan",
				"coord-next-meeting": "P1W",
			},
		}
		found := map[string]bool{}
		for _, rt := range routines {
			steps, ok := want[rt.ID]
			if !ok {
				continue
			}
			found[rt.ID] = true
			if rt.Version != 1 || rt.Name == "" || len(rt.Steps) != len(steps) {
				t.Errorf("%s: version %d, %d steps, want version 1 and %d steps", rt.ID, rt.Version, len(rt.Steps), len(steps))
			}
			for _, s := range rt.Steps {
				if s.Deadline != steps[s.ID] {
					t.Errorf("%s %s: deadline %q, want %q", rt.ID, s.ID, s.Deadline, steps[s.ID])
				}
				if s.Action == "" || s.Responsible == "" || s.References == nil {
					t.Errorf("%s %s: action, responsible or references missing", rt.ID, s.ID)
				}
				if (s.Situation == "") == (s.Event == "") {
					t.Errorf("%s %s: situation %q and event %q: want exactly one", rt.ID, s.ID, s.Situation, s.Event)
				}
				if s.Situation != strings.Join(s.Situations, ",") {
					t.Errorf("%s %s: situation %q does not join situations %q", rt.ID, s.ID, s.Situation, s.Situations)
				}
			}
		}
		if len(found) != 2 {
			t.Errorf("routines found: %v", found)
		}
		// A step started by several situations lists them all.
		for _, rt := range routines {
			for _, s := range rt.Steps {
				if rt.ID == "lillehammer-oppdager" && s.ID == "consult" && s.Situation != "unclear_concern,asks_for_help,known_family,pregnant" {
					t.Errorf("consult situation = %q", s.Situation)
				}
			}
		}
		if status, _ := r.call("", "GET", "/api/v1/routines", nil, nil); status != 401 {
			t.Errorf("without a token: %d", status)
		}
	})
}

type taskJSONT struct {
	ID           string  `json:"id"`
	CaseID       string  `json:"case_id"`
	Title        string  `json:"title"`
	DueAt        *string `json:"due_at"`
	OverdueAfter *string `json:"overdue_after"`
	Status       string  `json:"status"`
	Responsible  string  `json:"responsible"`
	Offers       []string
	StepID       string `json:"step_id"`
}

type concernJSONT struct {
	ID        string      `json:"id"`
	CaseID    string      `json:"case_id"`
	Situation string      `json:"situation"`
	Anonymous bool        `json:"anonymous"`
	Tasks     []taskJSONT `json:"tasks"`
}

// The acute concern, its report to child welfare and the acknowledgement,
// through the API contract: readable by the sender and child welfare only.
func TestConcernAndReportAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		r := newRoutineAPI(t, db)
		fnr := samordna.SyntheticIDNumber(time.Date(2014, 9, 9, 0, 0, 0, 0, time.UTC), 11)
		var c concernJSONT
		status, body := r.call("ola.laerer", "POST", "/api/v1/concerns", map[string]any{"situation": "acute", "anonymous": false,
			"subject": map[string]string{"fnr": fnr, "name": "Test Testesen"}, "description": "Blåmerker og redd."}, &c)
		if status != 201 || c.ID == "" || c.CaseID == "" || c.Situation != "acute" || c.Anonymous || len(c.Tasks) != 1 {
			t.Fatalf("POST /api/v1/concerns: %d %s", status, body)
		}
		task := c.Tasks[0]
		if task.Responsible != "discoverer" || task.DueAt == nil || *task.DueAt != routineAPINow.Format(time.RFC3339) ||
			len(task.Offers) != 1 || task.Offers[0] != "child_welfare_report" {
			t.Errorf("acute task = %+v", task)
		}
		var rep struct {
			ID         string  `json:"id"`
			Status     string  `json:"status"`
			SentAt     string  `json:"sent_at"`
			ReceivedAt *string `json:"received_at"`
			ReceivedBy *string `json:"received_by"`
		}
		status, body = r.call("ola.laerer", "POST", "/api/v1/cases/"+c.CaseID+"/child-welfare-reports",
			map[string]any{"description": "Eleven har blåmerker.", "acute": true}, &rep)
		if status != 201 || rep.ID == "" || rep.Status != "sent" {
			t.Fatalf("POST report: %d %s", status, body)
		}
		path := "/api/v1/child-welfare-reports/" + rep.ID
		var notFound string
		for _, u := range []string{"lise.barnehage", "kari.ke", "nils.leder", "admin", "ingrid.hs"} {
			status, body := r.call(u, "GET", path, nil, nil)
			if status != 404 {
				t.Errorf("%s reads the report: %d", u, status)
			}
			if notFound == "" {
				notFound = body
			} else if body != notFound {
				t.Errorf("%s got another 404 body: %s", u, body)
			}
		}
		if _, body := r.call("ola.laerer", "GET", "/api/v1/child-welfare-reports/no-such-report", nil, nil); body != notFound {
			t.Errorf("a missing report answers %s, a refused one %s", body, notFound)
		}
		if status, _ := r.call("ola.laerer", "PUT", path, map[string]any{"description": "x"}, nil); status != 409 {
			t.Errorf("changing a sent report: %d, want 409", status)
		}
		if status, _ := r.call("ola.laerer", "POST", path+"/receive", nil, nil); status != 422 {
			t.Errorf("the sender acknowledges: %d, want 422", status)
		}
		if status, body := r.call("per.bv", "GET", path, nil, &rep); status != 200 || rep.Status != "sent" {
			t.Errorf("child welfare reads: %d %s", status, body)
		}
		r.clock.Set(routineAPINow.Add(10 * time.Minute))
		if status, body := r.call("per.bv", "POST", path+"/receive", nil, &rep); status != 200 || rep.Status != "received" {
			t.Errorf("receive: %d %s", status, body)
		}
		status, body = r.call("ola.laerer", "GET", path, nil, &rep)
		if status != 200 || rep.Status != "received" || rep.ReceivedBy == nil || *rep.ReceivedBy != "per.bv" ||
			rep.ReceivedAt == nil || *rep.ReceivedAt != routineAPINow.Add(10*time.Minute).Format(time.RFC3339) {
			t.Errorf("the sender sees: %d %s", status, body)
		}
		status, body = r.call("ola.laerer", "GET", path+"/pdf", nil, nil)
		if status != 200 || !strings.HasPrefix(body, "%PDF-") {
			t.Errorf("PDF: %d %q", status, body[:min(len(body), 20)])
		}
		if status, _ := r.call("lise.barnehage", "GET", path+"/pdf", nil, nil); status != 404 {
			t.Errorf("someone else gets the PDF: %d", status)
		}
		// The case shows its tasks: the acute one is done, child welfare has none in Lillehammer's routine.
		var tasks struct {
			Items []taskJSONT `json:"items"`
		}
		r.call("ola.laerer", "GET", "/api/v1/tasks?case_id="+c.CaseID, nil, &tasks)
		if len(tasks.Items) != 1 || tasks.Items[0].Status != "done" {
			t.Errorf("case tasks after the report: %+v", tasks.Items)
		}
	})
}

// Anonymous means anonymous, through the API: 422 identifying_data with
// the field and characters, never the number; a subject is refused; a
// report is refused.
func TestAnonymousConcernAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		r := newRoutineAPI(t, db)
		fnr := samordna.SyntheticIDNumber(time.Date(2012, 1, 20, 0, 0, 0, 0, time.UTC), 3)
		dnr := samordna.SyntheticDNumber(time.Date(1985, 6, 7, 0, 0, 0, 0, time.UTC), 3)
		for _, tc := range []struct {
			text       string
			start, end int
		}{{"Gjelder " + fnr, 8, 19}, {"Æ ø å " + dnr[:6] + " " + dnr[6:], 6, 18}} {
			var e apiError
			status, body := r.call("ola.laerer", "POST", "/api/v1/concerns",
				map[string]any{"situation": "unclear_concern", "anonymous": true, "description": tc.text}, &e)
			if status != 422 || e.Error.Code != "identifying_data" || e.Error.Field != "description" ||
				*e.Error.Start != tc.start || *e.Error.End != tc.end {
				t.Errorf("%q: %d %s", tc.text, status, body)
			}
			if strings.Contains(body, fnr[6:]) || strings.Contains(body, dnr[6:]) {
				t.Errorf("the answer echoes the number: %s", body)
			}
		}
		var e apiError
		status, _ := r.call("ola.laerer", "POST", "/api/v1/concerns", map[string]any{"situation": "unclear_concern",
			"anonymous": true, "subject": map[string]string{"fnr": fnr, "name": "X"}, "description": "x"}, &e)
		if status != 422 || e.Error.Code != "subject_not_allowed" {
			t.Errorf("anonymous with a subject: %d %s", status, e.Error.Code)
		}
		var c concernJSONT
		bad := fnr[:10] + string('0'+(fnr[10]-'0'+1)%10)
		status, body := r.call("ola.laerer", "POST", "/api/v1/concerns", map[string]any{"situation": "unclear_concern",
			"anonymous": true, "description": "Saksnummer " + bad + " er ikke et fødselsnummer."}, &c)
		if status != 201 || !c.Anonymous {
			t.Fatalf("a number failing the checksum: %d %s", status, body)
		}
		status, _ = r.call("ola.laerer", "POST", "/api/v1/cases/"+c.CaseID+"/child-welfare-reports",
			map[string]any{"description": "x", "acute": false}, &e)
		if status != 422 || e.Error.Code != "anonymous_report_not_allowed" {
			t.Errorf("report from an anonymous case: %d %s", status, e.Error.Code)
		}
		status, _ = r.call("ola.laerer", "POST", "/api/v1/concerns", map[string]any{"situation": "unclear_concern",
			"anonymous": false, "description": "x"}, &e)
		if status != 400 || e.Error.Code != "subject_required" {
			t.Errorf("named without a subject: %d %s", status, e.Error.Code)
		}
	})
}

// The demo's overdue tasks through GET /api/v1/tasks?assigned=me&overdue=true,
// completing one, and the administrator's upload with line numbers.
func TestTasksAndRoutineUploadAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		r := newRoutineAPI(t, db)
		var list struct {
			Items []taskJSONT `json:"items"`
			Next  string      `json:"next"`
		}
		status, body := r.call("ola.laerer", "GET", "/api/v1/tasks?assigned=me&overdue=true", nil, &list)
		if status != 200 || len(list.Items) == 0 {
			t.Fatalf("overdue tasks: %d %s", status, body)
		}
		now := routineAPINow.Format(time.RFC3339)
		for _, it := range list.Items {
			if it.Status != "open" || it.OverdueAfter == nil || *it.OverdueAfter >= now || it.CaseID == "" || it.Title == "" {
				t.Errorf("not an overdue task: %+v", it)
			}
		}
		id := list.Items[0].ID
		if status, _ := r.call("lise.barnehage", "POST", "/api/v1/tasks/"+id+"/complete", nil, nil); status != 404 {
			t.Errorf("someone else completes ola's task: %d", status)
		}
		var done struct {
			Status  string      `json:"status"`
			Started []taskJSONT `json:"started"`
		}
		if status, body := r.call("ola.laerer", "POST", "/api/v1/tasks/"+id+"/complete", map[string]string{}, &done); status != 200 || done.Status != "done" {
			t.Errorf("complete: %d %s", status, body)
		}
		if status, _ := r.call("ola.laerer", "POST", "/api/v1/tasks/"+id+"/complete", nil, nil); status != 409 {
			t.Errorf("completing twice: %d, want 409", status)
		}

		doc := "id: ny-rutine\nversion: 1\nname: Ny\nmunicipality: Demo\nsteps:\n  - id: a\n    situation: acute\n" +
			"    action: Meld\n    responsible: discoverer\n    deadline: whenever\n"
		var e apiError
		status, body = r.call("admin", "POST", "/api/v1/routines", map[string]string{"file_name": "ny.yaml", "document": doc}, &e)
		if status != 422 || e.Error.Code != "invalid_routine" || len(e.Error.Problems) != 1 || e.Error.Problems[0].Line != 10 {
			t.Errorf("broken upload: %d %s", status, body)
		}
		if status, _ := r.call("ola.laerer", "POST", "/api/v1/routines", map[string]string{"document": doc}, nil); status != 404 {
			t.Errorf("a teacher uploads: %d, want 404", status)
		}
		ok := strings.Replace(doc, "whenever", "immediately", 1)
		if status, body := r.call("admin", "POST", "/api/v1/routines", map[string]string{"document": ok}, nil); status != 201 {
			t.Errorf("upload: %d %s", status, body)
		}
	})
}
