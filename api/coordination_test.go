package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/api"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/internal/reqctx"
	"github.com/samordna/samordna/store"
)

// coordAPI is the JSON API over a freshly seeded demo municipality, with a
// token per demo user.
type coordAPI struct {
	t      *testing.T
	srv    *httptest.Server
	tokens map[string]string
}

func newCoordAPI(t *testing.T, db *store.DB) *coordAPI {
	t.Helper()
	a := app.New(db, nil, nil)
	a.AllowSynthetic = true
	ctx := context.Background()
	if _, err := a.SeedDemo(ctx, "demo-passord-2026"); err != nil {
		t.Fatal(err)
	}
	c := &coordAPI{t: t, tokens: map[string]string{}}
	for _, u := range []string{"kari.ke", "ola.laerer", "ingrid.hs", "anne.ppt", "per.bv", "admin", "espen.laerer"} {
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

// call sends a request as the user and returns the status and the body.
func (c *coordAPI) call(user, method, path string, body any) (int, []byte) {
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
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// want calls and fails unless the status matches; it decodes the answer.
func (c *coordAPI) want(status int, user, method, path string, body any) map[string]any {
	c.t.Helper()
	got, b := c.call(user, method, path, body)
	if got != status {
		c.t.Fatalf("%s %s %s: %d, want %d: %s", user, method, path, got, status, b)
	}
	out := map[string]any{}
	if len(b) > 0 && b[0] == '{' {
		if err := json.Unmarshal(b, &out); err != nil {
			c.t.Fatal(err)
		}
	}
	return out
}

// errCode returns the error code of an error answer.
func errCode(m map[string]any) string {
	e, _ := m["error"].(map[string]any)
	s, _ := e["code"].(string)
	return s
}

// The story through the HTTP API on each database: concern,
// application, the unit sees the case, the decision (refused for anyone
// else), the coordinator reads the case, the group refused without
// consent and without a coordinator, consent, group, a member reads, a
// meeting, consent withdrawn, the member refused and the refusal in the
// access log as denied.
func TestCoordinationStoryOverHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		c := newCoordAPI(t, db)
		fnr := samordna.SyntheticIDNumber(time.Date(2017, 3, 14, 0, 0, 0, 0, time.UTC), 150)
		concern := c.want(201, "ola.laerer", "POST", "/api/v1/concerns", map[string]any{"situation": "unclear_concern",
			"anonymous": false, "subject": map[string]any{"fnr": fnr, "name": "Siri Ødegård"},
			"description": "Eleven virker sliten og trenger samordnet hjelp."})
		caseID := concern["case_id"].(string)
		c.want(404, "kari.ke", "GET", "/api/v1/cases/"+caseID, nil)

		// Seed 004 Koordinator: "etter ønske eller søknad fra
		// brukeren/foresatte/pårørende": no will, no application.
		if code := errCode(c.want(422, "ola.laerer", "POST", "/api/v1/cases/"+caseID+"/applications",
			map[string]any{"coordinator": true})); code != "consent_required" {
			t.Errorf("without the person's will: %s", code)
		}
		c.want(404, "kari.ke", "GET", "/api/v1/cases/"+caseID, nil)
		c.want(201, "ola.laerer", "POST", "/api/v1/cases/"+caseID+"/consents", map[string]any{"given_by": "Siri Ødegårds mor",
			"given_by_relation": "guardian", "purposes": []string{"register_with_coordinating_unit"}})
		ap := c.want(201, "ola.laerer", "POST", "/api/v1/cases/"+caseID+"/applications",
			map[string]any{"coordinator": true, "individual_plan": false, "wished_coordinator": "ingrid.hs"})
		if ap["status"] != "submitted" {
			t.Fatalf("application = %v", ap)
		}
		appID := ap["id"].(string)
		c.want(200, "kari.ke", "GET", "/api/v1/cases/"+caseID, nil)
		inbox := c.want(200, "kari.ke", "GET", "/api/v1/applications?status=submitted", nil)
		if !strings.Contains(string(mustJSON(inbox)), `"username":"ingrid.hs"`) {
			t.Errorf("the inbox does not show the wish: %v", inbox)
		}
		c.want(404, "ola.laerer", "GET", "/api/v1/applications", nil)

		decision := map[string]any{"outcome": "granted", "coordinator": "ingrid.hs", "coordinator_kind": "child_coordinator",
			"individual_plan": false, "reason": "Brukers ønske"}
		for _, u := range []string{"ola.laerer", "anne.ppt", "per.bv", "admin"} {
			c.want(404, u, "POST", "/api/v1/applications/"+appID+"/decision", decision)
		}
		// Hol § 7-2a (seed 004 Barnekoordinator): the ground is recorded.
		if code := errCode(c.want(422, "kari.ke", "POST", "/api/v1/applications/"+appID+"/decision", decision)); code != "child_coordinator_ground_required" {
			t.Errorf("child coordinator without a ground: %s", code)
		}
		decision["child_coordinator_ground"] = "serious_illness"
		d := c.want(200, "kari.ke", "POST", "/api/v1/applications/"+appID+"/decision", decision)
		if d["status"] != "granted" {
			t.Fatalf("decision = %v", d)
		}
		got := c.want(200, "ingrid.hs", "GET", "/api/v1/cases/"+caseID, nil)
		if k, _ := got["coordinator"].(map[string]any); k == nil || k["username"] != "ingrid.hs" {
			t.Errorf("case coordinator = %v", got["coordinator"])
		}
		c.want(200, "ingrid.hs", "POST", "/api/v1/cases/"+caseID+"/coordinator/accept", nil)

		members := map[string]any{"members": []any{map[string]any{"username": "anne.ppt", "role": "PP-rådgiver"},
			map[string]any{"name": "Siri Ødegård", "relation": "self"}}}
		if code := errCode(c.want(422, "ingrid.hs", "POST", "/api/v1/cases/"+caseID+"/responsibility-group", members)); code != "consent_required" {
			t.Errorf("without consent: %s", code)
		}
		// Another case, applied for but not decided: no coordinator.
		other := c.want(201, "ola.laerer", "POST", "/api/v1/concerns", map[string]any{"situation": "asks_for_help",
			"anonymous": false, "subject": map[string]any{"fnr": samordna.SyntheticIDNumber(time.Date(2012, 9, 1, 0, 0, 0, 0, time.UTC), 151),
				"name": "Per Åsen"}, "description": "Familien ber om hjelp."})
		otherID := other["case_id"].(string)
		c.want(201, "ola.laerer", "POST", "/api/v1/cases/"+otherID+"/consents", map[string]any{"given_by": "Per Åsen",
			"purposes": []string{"register_with_coordinating_unit"}})
		c.want(201, "ola.laerer", "POST", "/api/v1/cases/"+otherID+"/applications", map[string]any{"coordinator": true,
			"responsibility_group": true})
		if code := errCode(c.want(422, "kari.ke", "POST", "/api/v1/cases/"+otherID+"/responsibility-group", members)); code != "coordinator_required" {
			t.Errorf("without coordinator: %s", code)
		}

		consent := c.want(201, "ingrid.hs", "POST", "/api/v1/cases/"+caseID+"/consents", map[string]any{"given_by": "Siri Ødegårds mor",
			"given_by_relation": "guardian", "purposes": []string{"responsibility_group", "share_with_members", "register_with_coordinating_unit"}})
		c.want(404, "anne.ppt", "GET", "/api/v1/cases/"+caseID, nil)
		group := c.want(201, "ingrid.hs", "POST", "/api/v1/cases/"+caseID+"/responsibility-group", members)
		if ms, _ := group["members"].([]any); len(ms) != 3 {
			t.Errorf("group members = %v", group["members"])
		}
		c.want(200, "anne.ppt", "GET", "/api/v1/cases/"+caseID, nil)

		start := time.Now().Add(20 * 24 * time.Hour).UTC().Truncate(time.Hour).Format(time.RFC3339)
		short := time.Now().Add(5 * 24 * time.Hour).UTC().Truncate(time.Hour).Format(time.RFC3339)
		if code := errCode(c.want(422, "ingrid.hs", "POST", "/api/v1/cases/"+caseID+"/meetings",
			map[string]any{"starts_at": short, "place": "Rådhuset"})); code != "short_notice_reason_required" {
			t.Errorf("short notice: %s", code)
		}
		meeting := c.want(201, "ingrid.hs", "POST", "/api/v1/cases/"+caseID+"/meetings",
			map[string]any{"starts_at": start, "place": "Rådhuset, møterom 2", "agenda": []string{"Skolehverdagen"}})
		if meeting["duration_minutes"] != float64(90) {
			t.Errorf("meeting = %v", meeting)
		}
		meetingID := meeting["id"].(string)
		status, ics := c.call("anne.ppt", "GET", "/api/v1/meetings/"+meetingID+"/invite.ics", nil)
		if status != 200 || !strings.Contains(string(ics), "BEGIN:VEVENT\r\n") {
			t.Errorf("invite: %d %s", status, ics)
		}
		status, pdf := c.call("ingrid.hs", "GET", "/api/v1/cases/"+caseID+"/consent-form.pdf", nil)
		if status != 200 || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
			t.Errorf("consent form: %d", status)
		}
		// Minutes cannot be finalised before the meeting.
		c.want(422, "ingrid.hs", "POST", "/api/v1/meetings/"+meetingID+"/minutes/finalise", nil)

		c.want(200, "ingrid.hs", "POST", "/api/v1/consents/"+consent["id"].(string)+"/withdraw", nil)
		c.want(404, "anne.ppt", "GET", "/api/v1/cases/"+caseID, nil)
		c.want(404, "anne.ppt", "GET", "/api/v1/meetings/"+meetingID, nil)
		log := c.want(200, "ingrid.hs", "GET", "/api/v1/cases/"+caseID+"/access-log", nil)
		found := false
		for _, it := range log["items"].([]any) {
			e := it.(map[string]any)
			found = found || (e["username"] == "anne.ppt" && e["outcome"] == "denied")
		}
		if !found {
			t.Errorf("the member's refusal is not in the access log: %s", mustJSON(log))
		}
		counts := c.want(200, "kari.ke", "GET", "/api/v1/coordinating-unit/yearly-counts?year="+
			time.Now().Format("2006"), nil)
		if counts["responsibility_groups"].(float64) < 1 || counts["coordinators"].(float64) < 1 {
			t.Errorf("counts = %v", counts)
		}
		status, csv := c.call("kari.ke", "GET", "/api/v1/coordinating-unit/yearly-counts.csv?year=2026", nil)
		if status != 200 || !strings.HasPrefix(string(csv), "year,responsibility_groups,") {
			t.Errorf("csv: %d %s", status, csv)
		}
		c.want(404, "ingrid.hs", "GET", "/api/v1/coordinating-unit/overview", nil)
	})
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

// Seed 004's cooperation meeting ("I slike saker kan det avholdes
// samarbeidsmøter eller arbeidsgruppemøter") over HTTP: the discoverer
// calls one on a case with no coordinator, once the family has consented
// to sharing; a participant is invited but reads nothing (404 like an
// unknown meeting); the views of the person who does not attend are
// recorded ("Dersom brukeren ikke selv deltar i møtet ... innhente dennes
// synspunkter i forkant"); unknown fields are refused.
func TestCooperationMeetingOverHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		c := newCoordAPI(t, db)
		fnr := samordna.SyntheticIDNumber(time.Date(2015, 6, 2, 0, 0, 0, 0, time.UTC), 150)
		concern := c.want(201, "ola.laerer", "POST", "/api/v1/concerns", map[string]any{"situation": "unclear_concern",
			"anonymous": false, "subject": map[string]any{"fnr": fnr, "name": "Nils Ødegård"},
			"description": "Eleven trives dårlig i friminuttene."})
		caseID := concern["case_id"].(string)
		body := map[string]any{"starts_at": time.Now().Add(72 * time.Hour).UTC().Format(time.RFC3339), "place": "Nordby skole",
			"agenda": []string{"Trivsel"}, "person_attendance": "none",
			"participants": []map[string]any{{"username": "anne.ppt"}, {"name": "Eva Ødegård", "relation": "guardian"}}}
		path := "/api/v1/cases/" + caseID + "/cooperation-meetings"
		if got := errCode(c.want(404, "per.bv", "POST", path, body)); got != "not_found" {
			t.Errorf("an outsider: %s", got)
		}
		if got := errCode(c.want(422, "ola.laerer", "POST", path, body)); got != "consent_required" {
			t.Errorf("without consent: %s", got)
		}
		c.want(201, "ola.laerer", "POST", "/api/v1/cases/"+caseID+"/consents", map[string]any{"given_by": "Eva Ødegård",
			"purposes": []string{"share_with_members"}})
		body["guests"] = []map[string]any{{"username": "per.bv", "matter": "x"}}
		if got := errCode(c.want(400, "ola.laerer", "POST", path, body)); got != "invalid_guest" {
			t.Errorf("guests in a cooperation meeting: %s", got)
		}
		delete(body, "guests")
		m := c.want(201, "ola.laerer", "POST", path, body)
		id, _ := m["id"].(string)
		if m["kind"] != "cooperation" || m["person_attendance"] != "none" || m["group_id"] != "" || len(m["attendees"].([]any)) != 3 {
			t.Fatalf("cooperation meeting = %v", m)
		}
		list := c.want(200, "ola.laerer", "GET", path, nil)
		if items := list["items"].([]any); len(items) != 1 || items[0].(map[string]any)["id"] != id {
			t.Errorf("list = %v", list)
		}
		_, denied := c.call("anne.ppt", "GET", "/api/v1/meetings/"+id, nil)
		_, missing := c.call("anne.ppt", "GET", "/api/v1/meetings/nosuchmeeting", nil)
		if !bytes.Equal(denied, missing) {
			t.Errorf("a participant is told more than about a missing meeting: %s vs %s", denied, missing)
		}
		if got, _ := c.call("ola.laerer", "POST", "/api/v1/meetings/"+id+"/person-views", map[string]any{"views": "x", "extra": 1}); got != 400 {
			t.Errorf("an unknown field: %d", got)
		}
		v := c.want(200, "ola.laerer", "POST", "/api/v1/meetings/"+id+"/person-views", map[string]any{"views": "Nils vil ha en voksen ute."})
		if v["person_views"] != "Nils vil ha en voksen ute." || v["person_views_at"] == nil {
			t.Errorf("views = %v", v)
		}
		if got := errCode(c.want(400, "ola.laerer", "POST", "/api/v1/meetings/"+id+"/minutes/deliveries",
			map[string]any{"delivery_id": "x", "method": "post", "sent_on": time.Now().Format(time.DateOnly)})); got != "invalid_delivery" {
			t.Errorf("a delivery of unfinished minutes: %s", got)
		}
	})
}
