package scimapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/internal/matrixtest"
	"github.com/samordna/samordna/store"
	"github.com/samordna/samordna/web"
)

const demoPassword = "demo-passord-2026"

type client struct {
	t     *testing.T
	url   string
	token string
}

// do sends a SCIM request and returns the status and the decoded body.
func (c *client) do(method, path string, body any) (int, map[string]any) {
	c.t.Helper()
	var rd *bytes.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	} else {
		rd = bytes.NewReader(nil)
	}
	req, _ := http.NewRequest(method, c.url+path, rd)
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", "application/scim+json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	out := map[string]any{}
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func patchOp(ops ...map[string]any) map[string]any {
	return map[string]any{"schemas": []string{"urn:ietf:params:scim:api:messages:2.0:PatchOp"}, "Operations": ops}
}

// Entra ID's round: a bad secret is 401; a user is created without a
// password, found by userName, renamed by PATCH; a group (service) is
// created and its members patched; deactivating Ola (PATCH active false)
// ends his session and API token at once and hands his task to the leader
// of his service, whose "Mine oppgaver" has it; a user who holds a task
// and has no service leader is refused with a SCIM error saying why;
// DELETE deactivates. Every change is audited as "scim".
func TestSCIMProvisioning(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := app.New(db, nil, nil)
		if _, err := a.SeedDemo(ctx, demoPassword); err != nil {
			t.Fatal(err)
		}
		s, err := web.New(a, web.Config{})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(s)
		t.Cleanup(srv.Close)
		secret, err := a.CreateSCIMToken(ctx, &samordna.Actor{Client: "cli"})
		if err != nil {
			t.Fatal(err)
		}
		c := &client{t: t, url: srv.URL + "/scim/v2", token: secret}

		bad := &client{t: t, url: c.url, token: "samordna_scim_wrong"}
		if st, _ := bad.do("GET", "/Users", nil); st != http.StatusUnauthorized {
			t.Errorf("bad secret: %d", st)
		}
		pat, err := a.CreateToken(ctx, &samordna.Actor{}, "ola.laerer", "t")
		if err != nil {
			t.Fatal(err)
		}
		if st, _ := (&client{t: t, url: c.url, token: pat}).do("GET", "/Users", nil); st != http.StatusUnauthorized {
			t.Errorf("an API token on SCIM: %d", st)
		}

		// Create, filter, patch a user.
		st, eva := c.do("POST", "/Users", map[string]any{
			"schemas":  []string{"urn:ietf:params:scim:schemas:core:2.0:User"},
			"userName": "Eva.Ny@demo.kommune.no", "name": map[string]any{"formatted": "Eva Ny"},
			"emails":     []any{map[string]any{"value": "eva.ny@demo.kommune.no", "type": "work", "primary": true}},
			"externalId": "aad-eva", "active": true})
		if st != http.StatusCreated || eva["userName"] != "eva.ny@demo.kommune.no" || eva["externalId"] != "aad-eva" {
			t.Fatalf("create: %d %v", st, eva)
		}
		evaID := eva["id"].(string)
		st, list := c.do("GET", "/Users?filter="+url.QueryEscape(`userName eq "eva.ny@demo.kommune.no"`), nil)
		if st != http.StatusOK || list["totalResults"] != float64(1) {
			t.Errorf("filter: %d %v", st, list)
		}
		st, got := c.do("PATCH", "/Users/"+evaID, patchOp(map[string]any{"op": "Replace", "path": "displayName",
			"value": "Eva Nymann"}))
		if st != http.StatusOK || got["displayName"] != "Eva Nymann" {
			t.Errorf("patch name: %d %v", st, got)
		}
		if st, _ := c.do("GET", "/Users/unknown", nil); st != http.StatusNotFound {
			t.Errorf("unknown user: %d", st)
		}

		// Groups are services.
		st, grp := c.do("POST", "/Groups", map[string]any{
			"schemas":     []string{"urn:ietf:params:scim:schemas:core:2.0:Group"},
			"displayName": "Familieteamet", "members": []any{map[string]any{"value": evaID}}})
		if st != http.StatusCreated || len(grp["members"].([]any)) != 1 {
			t.Fatalf("group: %d %v", st, grp)
		}
		grpID := grp["id"].(string)
		ids := map[string]string{}
		if err := db.Read(ctx, func(tx *store.Tx) error {
			for _, u := range []string{"ola.laerer", "nils.leder"} {
				e, _, err := store.EmployeeByUsername(tx, u)
				if err != nil {
					return err
				}
				ids[u] = e.ID
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		st, grp = c.do("PATCH", "/Groups/"+grpID, patchOp(
			map[string]any{"op": "Add", "path": "members", "value": []any{map[string]any{"value": ids["nils.leder"]}}},
			map[string]any{"op": "Remove", "path": `members[value eq "` + evaID + `"]`}))
		if st != http.StatusOK {
			t.Fatalf("patch group: %d %v", st, grp)
		}
		st, grp = c.do("GET", "/Groups/"+grpID, nil)
		members := grp["members"].([]any)
		if st != http.StatusOK || len(members) != 1 || members[0].(map[string]any)["value"] != ids["nils.leder"] {
			t.Errorf("members after patch: %d %v", st, grp)
		}

		// Ola holds a task and has a session and a token.
		var taskID string
		if err := db.Write(ctx, func(tx *store.Tx) error {
			caseID, err := matrixtest.NewCase(tx, mustMunicipality(t, tx), ids["ola.laerer"], "",
				samordna.SystemClock{}.Now())
			if err != nil {
				return err
			}
			task := &store.Task{CaseID: caseID, MunicipalityID: mustMunicipality(t, tx), Kind: store.TaskKindStep,
				Title: "Samtale med foreldrene", AssigneeKind: store.AssignEmployee, EmployeeID: ids["ola.laerer"],
				Status: store.TaskOpen, StartedAt: samordna.SystemClock{}.Now(), CreatedAt: samordna.SystemClock{}.Now()}
			if err := store.CreateTask(tx, task); err != nil {
				return err
			}
			taskID = task.ID
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		signed, err := a.Login(ctx, &samordna.Actor{}, "ola.laerer", demoPassword, "nb", "")
		if err != nil {
			t.Fatal(err)
		}
		st, ola := c.do("PATCH", "/Users/"+ids["ola.laerer"], patchOp(map[string]any{"op": "Replace", "path": "active",
			"value": false}))
		if st != http.StatusOK || ola["active"] != false {
			t.Fatalf("deactivate: %d %v", st, ola)
		}
		if _, _, err := a.SessionEmployee(ctx, signed.Secret); samordna.ErrorKind(err) != samordna.KindUnauthenticated {
			t.Errorf("ola's session after deactivation: %v", err)
		}
		req, _ := http.NewRequest("GET", srv.URL+"/api/v1/me", nil)
		req.Header.Set("Authorization", "Bearer "+pat)
		if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("ola's API token after deactivation: %v %v", resp.StatusCode, err)
		}
		nils, err := a.ListTasks(ctx, actorOf(t, db, "nils.leder"), app.TaskQuery{AssignedToMe: true, Status: store.TaskOpen, Limit: 100})
		if err != nil || !slices.ContainsFunc(nils.Tasks, func(v *app.TaskView) bool { return v.ID == taskID }) {
			t.Errorf("the task is not in nils's tasks: %v", err)
		}

		// Eva holds a task and her (new) service has no leader: refused, and why.
		if err := db.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.Exec(`UPDATE tasks SET assignee_employee_id = $1 WHERE id = $2`, evaID, taskID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		st, e := c.do("PATCH", "/Users/"+evaID, patchOp(map[string]any{"op": "Replace", "path": "active", "value": false}))
		if st != http.StatusBadRequest || !strings.Contains(e["detail"].(string), "successor_required") {
			t.Errorf("deactivate without successor: %d %v", st, e)
		}
		if st, e := c.do("GET", "/Users/"+evaID, nil); st != http.StatusOK || e["active"] != true {
			t.Errorf("eva after the refusal: %d %v", st, e)
		}

		// DELETE deactivates a user who holds nothing.
		st, anne := c.do("POST", "/Users", map[string]any{
			"schemas":  []string{"urn:ietf:params:scim:schemas:core:2.0:User"},
			"userName": "anne.vikar", "displayName": "Anne Vikar", "active": true})
		if st != http.StatusCreated {
			t.Fatalf("create anne: %d %v", st, anne)
		}
		if st, _ := c.do("DELETE", "/Users/"+anne["id"].(string), nil); st != http.StatusNoContent {
			t.Errorf("delete: %d", st)
		}
		if st, e := c.do("GET", "/Users/"+anne["id"].(string), nil); st != http.StatusOK || e["active"] != false {
			t.Errorf("anne after delete: %d %v", st, e)
		}

		var n int
		if err := db.Read(ctx, func(tx *store.Tx) error {
			return tx.QueryRow(`SELECT COUNT(*) FROM audit_events WHERE actor_username = 'scim' AND action = 'disable'
				AND object_id = $1`, ids["ola.laerer"]).Scan(&n)
		}); err != nil || n != 1 {
			t.Errorf("scim's disable audit rows: %d %v", n, err)
		}
	})
}

func mustMunicipality(t *testing.T, tx *store.Tx) string {
	m, err := store.FirstMunicipality(tx)
	if err != nil {
		t.Fatal(err)
	}
	return m.ID
}

func actorOf(t *testing.T, db *store.DB, username string) *samordna.Actor {
	var e *samordna.Employee
	if err := db.Read(context.Background(), func(tx *store.Tx) error {
		var err error
		e, _, err = store.EmployeeByUsername(tx, username)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return &samordna.Actor{Employee: e}
}
