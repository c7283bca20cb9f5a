package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
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

// planAPI is the JSON API over a freshly seeded demo municipality, with a
// token per demo user; its answers keep their headers (for the ETag).
type planAPI struct {
	t      *testing.T
	srv    *httptest.Server
	tokens map[string]string
}

// planAnswer is one answer: status, headers and the decoded JSON object.
type planAnswer struct {
	status int
	header http.Header
	raw    []byte
	body   map[string]any
}

func newPlanAPI(t *testing.T, db *store.DB) *planAPI {
	t.Helper()
	a := app.New(db, nil, nil)
	a.AllowSynthetic = true
	ctx := context.Background()
	if _, err := a.SeedDemo(ctx, "demo-passord-2026"); err != nil {
		t.Fatal(err)
	}
	c := &planAPI{t: t, tokens: map[string]string{}}
	for _, u := range []string{"kari.ke", "ola.laerer", "ingrid.hs", "anne.ppt", "per.bv"} {
		tok, err := a.CreateToken(ctx, &samordna.Actor{}, u, "test")
		if err != nil {
			t.Fatal(err)
		}
		c.tokens[u] = tok
	}
	h := api.New(a).Handler()
	c.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(reqctx.With(r.Context(), &reqctx.Info{RequestID: "test"})))
	}))
	t.Cleanup(c.srv.Close)
	return c
}

// do sends a request as the user, with extra headers (name, value pairs).
func (c *planAPI) do(user, method, path string, body any, headers ...string) planAnswer {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.srv.URL+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+c.tokens[user])
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	out := planAnswer{status: resp.StatusCode, header: resp.Header, body: map[string]any{}}
	out.raw, _ = io.ReadAll(resp.Body)
	if len(out.raw) > 0 && out.raw[0] == '{' {
		if err := json.Unmarshal(out.raw, &out.body); err != nil {
			c.t.Fatal(err)
		}
	}
	return out
}

// want is do that fails the test unless the status matches.
func (c *planAPI) want(status int, user, method, path string, body any, headers ...string) planAnswer {
	c.t.Helper()
	a := c.do(user, method, path, body, headers...)
	if a.status != status {
		c.t.Fatalf("%s %s %s: %d, want %d: %s", user, method, path, a.status, status, a.raw)
	}
	return a
}

// code is the error code of an error answer.
func (a planAnswer) code() string {
	e, _ := a.body["error"].(map[string]any)
	s, _ := e["code"].(string)
	return s
}

// items returns the answer's list items.
func (a planAnswer) items() []map[string]any {
	var out []map[string]any
	for _, it := range a.body["items"].([]any) {
		out = append(out, it.(map[string]any))
	}
	return out
}

// The story through the HTTP API on each database: an individual
// plan refused without consent and made with it; its measure in the
// responsible's task list; updates with If-Match (current wins, stale 412,
// missing 428, two at once: one wins); versions and a diff; the PDF with
// the person's words; the task's completion in the plan; then a relay log
// handed over, accepted and closed at the guardian's request.
func TestPlanStoryOverHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		c := newPlanAPI(t, db)
		caseID := c.caseWithCoordinator()
		due := time.Now().AddDate(0, 1, 0).Format(time.DateOnly)
		words := "Jeg vil gå på skolen og ha en venn å være sammen med i friminuttene"
		plan := map[string]any{"kind": "individual_plan", "what_matters": words,
			"goals":    []any{map[string]any{"text": "Trives på skolen", "term": "long"}},
			"measures": []any{map[string]any{"text": "Kartlegge lærevansker", "responsible": "anne.ppt", "due": due, "goal_index": 0}}}

		if code := c.want(422, "ingrid.hs", "POST", "/api/v1/cases/"+caseID+"/plans", plan).code(); code != "consent_required" {
			t.Fatalf("without consent: %s", code)
		}
		c.want(201, "ingrid.hs", "POST", "/api/v1/cases/"+caseID+"/consents", map[string]any{"given_by": "Mor",
			"given_by_relation": "guardian", "purposes": []string{"individual_plan", "responsibility_group", "share_with_members"}})
		created := c.want(201, "ingrid.hs", "POST", "/api/v1/cases/"+caseID+"/plans", plan)
		id, _ := created.body["id"].(string)
		if id == "" || created.body["version"] != float64(1) || created.header.Get("ETag") != `"v1"` {
			t.Fatalf("created: %v, ETag %q", created.body, created.header.Get("ETag"))
		}
		taskID := c.measureTaskOf("anne.ppt", "Kartlegge lærevansker")

		got := c.want(200, "ingrid.hs", "GET", "/api/v1/plans/"+id, nil)
		if got.header.Get("ETag") != `"v1"` || got.body["what_matters"] != words {
			t.Fatalf("GET: ETag %q, %v", got.header.Get("ETag"), got.body)
		}
		// What GET answered can be sent back with changes.
		edited := got.body
		edited["what_matters"] = words + ", og spille fotball"
		if code := c.want(428, "ingrid.hs", "PUT", "/api/v1/plans/"+id, edited).code(); code != "precondition_required" {
			t.Errorf("without If-Match: %s", code)
		}
		v2 := c.want(200, "ingrid.hs", "PUT", "/api/v1/plans/"+id, edited, "If-Match", `"v1"`)
		if v2.header.Get("ETag") != `"v2"` || v2.body["version"] != float64(2) {
			t.Fatalf("PUT: %v", v2.body)
		}
		if code := c.want(412, "ingrid.hs", "PUT", "/api/v1/plans/"+id, edited, "If-Match", `"v1"`).code(); code != "precondition_failed" {
			t.Errorf("stale If-Match: %s", code)
		}
		c.raceTwoUpdates(id, edited)

		versions := c.want(200, "ingrid.hs", "GET", "/api/v1/plans/"+id+"/versions", nil).items()
		if len(versions) != 3 || versions[0]["version"] != float64(1) || versions[0]["what_matters"] != words ||
			versions[1]["what_matters"] != edited["what_matters"] {
			t.Fatalf("versions: %v", versions)
		}
		diff := c.want(200, "ingrid.hs", "GET", "/api/v1/plans/"+id+"/diff?from=1&to=2", nil)
		if !strings.Contains(string(diff.raw), `"field":"what_matters"`) {
			t.Errorf("diff: %s", diff.raw)
		}
		c.checkPDF(id, words)

		c.want(200, "anne.ppt", "POST", "/api/v1/tasks/"+taskID+"/complete", map[string]any{"outcome": "Kartlagt"})
		after := c.want(200, "ingrid.hs", "GET", "/api/v1/plans/"+id, nil)
		m := after.body["measures"].([]any)[0].(map[string]any)
		g := after.body["goals"].([]any)[0].(map[string]any)
		if m["status"] != "done" || g["measures_done"] != float64(1) {
			t.Errorf("after the task: measure %v, goal %v", m, g)
		}

		c.want(404, "per.bv", "GET", "/api/v1/plans/"+id, nil)
		c.want(404, "per.bv", "GET", "/api/v1/plans/"+id+"/pdf", nil)
		if code := c.want(400, "ingrid.hs", "POST", "/api/v1/cases/"+caseID+"/plans",
			map[string]any{"kind": "relay_log", "colour": "blue"}).code(); code != "malformed_json" {
			t.Errorf("unknown field: %s", code)
		}
		c.relayLogStory(caseID)
	})
}

// caseWithCoordinator registers a child's case, applies for a coordinator
// and an individual plan, and has ingrid.hs appointed and accepting.
func (c *planAPI) caseWithCoordinator() string {
	c.t.Helper()
	fnr := samordna.SyntheticIDNumber(time.Date(2016, 5, 17, 0, 0, 0, 0, time.UTC), 170)
	concern := c.want(201, "ola.laerer", "POST", "/api/v1/concerns", map[string]any{"situation": "asks_for_help",
		"anonymous": false, "subject": map[string]any{"fnr": fnr, "name": "Sander Åsheim"},
		"description": "Familien ber om samordnet hjelp."})
	caseID := concern.body["case_id"].(string)
	c.want(201, "ola.laerer", "POST", "/api/v1/cases/"+caseID+"/consents", map[string]any{"given_by": "Mor",
		"given_by_relation": "guardian", "purposes": []string{"register_with_coordinating_unit"}})
	ap := c.want(201, "ola.laerer", "POST", "/api/v1/cases/"+caseID+"/applications",
		map[string]any{"coordinator": true, "individual_plan": true, "wished_coordinator": "ingrid.hs"})
	c.want(200, "kari.ke", "POST", "/api/v1/applications/"+ap.body["id"].(string)+"/decision", map[string]any{
		"outcome": "granted", "coordinator": "ingrid.hs", "coordinator_kind": "child_coordinator",
		"child_coordinator_ground": "disability", "individual_plan": true, "reason": "Familiens ønske"})
	c.want(200, "ingrid.hs", "POST", "/api/v1/cases/"+caseID+"/coordinator/accept", nil)
	return caseID
}

// measureTaskOf finds the measure's task in the user's own task list.
func (c *planAPI) measureTaskOf(user, title string) string {
	c.t.Helper()
	for _, task := range c.want(200, user, "GET", "/api/v1/tasks?assigned=me", nil).items() {
		if task["title"] == title {
			return task["id"].(string)
		}
	}
	c.t.Fatalf("%q is not in %s's tasks", title, user)
	return ""
}

// raceTwoUpdates sends two updates from the current version at once:
// exactly one wins, the other gets 412.
func (c *planAPI) raceTwoUpdates(id string, body map[string]any) {
	c.t.Helper()
	var wg sync.WaitGroup
	statuses := make([]int, 2)
	for i := range statuses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b := map[string]any{}
			for k, v := range body {
				b[k] = v
			}
			b["resources"] = []string{"Første redaktør", "Andre redaktør"}[i]
			statuses[i] = c.do("ingrid.hs", "PUT", "/api/v1/plans/"+id, b, "If-Match", `"v2"`).status
		}()
	}
	wg.Wait()
	if !(statuses[0] == 200 && statuses[1] == 412) && !(statuses[0] == 412 && statuses[1] == 200) {
		c.t.Errorf("two updates at once: %v, want one 200 and one 412", statuses)
	}
}

// checkPDF fetches the plan's PDF and checks that the text can be
// extracted, the person's words included, after "Hva er viktig for deg".
func (c *planAPI) checkPDF(id, words string) {
	c.t.Helper()
	a := c.want(200, "ingrid.hs", "GET", "/api/v1/plans/"+id+"/pdf", nil)
	if a.header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(a.raw, []byte("%PDF-")) {
		c.t.Fatalf("pdf: %s", a.header.Get("Content-Type"))
	}
	f := filepath.Join(c.t.TempDir(), "plan.pdf")
	if err := os.WriteFile(f, a.raw, 0o600); err != nil {
		c.t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", f, "-").Output()
	if err != nil {
		c.t.Fatalf("pdftotext: %v", err)
	}
	text := string(out)
	i, j := strings.Index(text, "Hva er viktig for deg"), strings.Index(text, words)
	if i < 0 || j < i {
		c.t.Errorf("the PDF text lacks the heading or the words after it:\n%s", text)
	}
}

// relayLogStory: the teacher keeps a relay log for the child, hands it to
// a member of the responsibility group, who accepts; then it is closed at
// the guardian's request and is read-only.
func (c *planAPI) relayLogStory(caseID string) {
	c.t.Helper()
	due := time.Now().AddDate(0, 0, 20).Format(time.DateOnly)
	relay := map[string]any{"kind": "relay_log", "holder": "ola.laerer",
		"what_matters": "Sander vil ha ro i klasserommet",
		"measures":     []any{map[string]any{"text": "Egen arbeidsplass", "responsible": "ola.laerer", "due": due}}}
	// Seed 004: the coordinator opens the relay log ("Avklare om det skal
	// opprettes stafettlogg, og etablering av denne"); the teacher gets 404.
	c.want(404, "ola.laerer", "POST", "/api/v1/cases/"+caseID+"/plans", relay)
	log := c.want(201, "ingrid.hs", "POST", "/api/v1/cases/"+caseID+"/plans", relay)
	id := log.body["id"].(string)
	if log.body["holder"] != "ola.laerer" {
		c.t.Fatalf("holder: %v", log.body["holder"])
	}
	if code := c.want(422, "ola.laerer", "POST", "/api/v1/plans/"+id+"/holder/handover",
		map[string]any{"username": "anne.ppt"}).code(); code != "holder_without_access" {
		c.t.Errorf("handover to someone outside the case: %s", code)
	}
	c.want(201, "ingrid.hs", "POST", "/api/v1/cases/"+caseID+"/responsibility-group", map[string]any{
		"members": []any{map[string]any{"username": "anne.ppt", "role": "PP-rådgiver"}}})
	h := c.want(200, "ola.laerer", "POST", "/api/v1/plans/"+id+"/holder/handover", map[string]any{"username": "anne.ppt"})
	if h.body["holder"] != "ola.laerer" || h.body["handover_to"] != "anne.ppt" {
		c.t.Errorf("after the handover: holder %v, to %v", h.body["holder"], h.body["handover_to"])
	}
	if code := c.want(422, "ingrid.hs", "POST", "/api/v1/plans/"+id+"/holder/accept", nil).code(); code != "no_handover" {
		c.t.Errorf("accepted by someone else: %s", code)
	}
	acc := c.want(200, "anne.ppt", "POST", "/api/v1/plans/"+id+"/holder/accept", nil)
	if acc.body["holder"] != "anne.ppt" || acc.header.Get("ETag") != `"v2"` {
		c.t.Errorf("after accepting: %v", acc.body)
	}
	closed := c.want(200, "anne.ppt", "POST", "/api/v1/plans/"+id+"/close",
		map[string]any{"requested_by": "Mor til Sander", "reason": "Familien ønsker å avslutte"})
	if closed.body["status"] != "closed" || closed.body["close_requested_by"] != "Mor til Sander" || closed.body["closed_at"] == nil {
		c.t.Errorf("closed: %v", closed.body)
	}
	if code := c.want(409, "ingrid.hs", "PUT", "/api/v1/plans/"+id, map[string]any{"what_matters": "x"},
		"If-Match", closed.header.Get("ETag")).code(); code != "plan_closed" {
		c.t.Errorf("change after closing: %s", code)
	}
}
