package api_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/api"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/internal/reqctx"
	"github.com/samordna/samordna/store"
)

// newPersonAPI is the API over the demo with tokens for the unit, a
// coordinator, a discoverer and the administrator; it returns Oliver
// Berg's fødselsnummer.
func newPersonAPI(t *testing.T, db *store.DB) (*planAPI, string) {
	t.Helper()
	a := app.New(db, nil, nil)
	a.AllowSynthetic = true
	ctx := context.Background()
	if _, err := a.SeedDemo(ctx, "demo-passord-2026"); err != nil {
		t.Fatal(err)
	}
	c := &planAPI{t: t, tokens: map[string]string{}}
	for _, u := range []string{"kari.ke", "ingrid.hs", "lise.barnehage", "admin"} {
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
	var fnr string
	err := db.Read(ctx, func(tx *store.Tx) error {
		ps, err := store.ListPersons(tx, 1000)
		for _, p := range ps {
			if p.Name == "Oliver Berg" {
				fnr = p.IDNumber
			}
		}
		return err
	})
	if err != nil || fnr == "" {
		t.Fatalf("Oliver's number: %v", err)
	}
	return c, fnr
}

// The coordinating unit looks a person up by number and downloads the
// export as JSON and PDF; everyone else gets the same 404 as for a person
// that does not exist, also before their body is read.
func TestPersonExportOverHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		c, fnr := newPersonAPI(t, db)
		found := c.want(http.StatusOK, "kari.ke", "POST", "/api/v1/persons/lookup", map[string]string{"id_number": fnr})
		id, _ := found.body["id"].(string)
		if id == "" || found.body["name"] != "Oliver Berg" {
			t.Fatalf("lookup = %s", found.raw)
		}
		if a := c.want(http.StatusBadRequest, "kari.ke", "POST", "/api/v1/persons/lookup",
			map[string]string{"id_number": "1234"}); a.code() != "invalid_id_number" {
			t.Errorf("bad number: %s", a.raw)
		}
		x := c.want(http.StatusOK, "kari.ke", "GET", "/api/v1/persons/"+id+"/export", nil)
		person, _ := x.body["person"].(map[string]any)
		cases, _ := x.body["cases"].([]any)
		if person["name"] != "Oliver Berg" || person["id_number"] != fnr || len(cases) != 2 {
			t.Fatalf("export = %.500s", x.raw)
		}
		for _, k := range cases {
			kc := k.(map[string]any)
			for _, field := range []string{"concerns", "consents", "applications", "coordinators",
				"responsibility_groups", "meetings", "plans", "reports", "tasks", "access_log"} {
				if _, ok := kc[field].([]any); !ok {
					t.Errorf("case lacks the list %s", field)
				}
			}
		}
		if strings.Contains(string(x.raw), "ingrid.hs") {
			t.Error("the export names an employee by username")
		}
		for _, path := range []string{"/api/v1/persons/" + id + "/export.pdf", "/api/v1/persons/" + id + "/export?format=pdf"} {
			p := c.want(http.StatusOK, "kari.ke", "GET", path, nil)
			if p.header.Get("Content-Type") != "application/pdf" {
				t.Fatalf("%s: %s", path, p.header.Get("Content-Type"))
			}
			f := filepath.Join(t.TempDir(), "x.pdf")
			if err := os.WriteFile(f, p.raw, 0o600); err != nil {
				t.Fatal(err)
			}
			if out, err := exec.Command("qpdf", "--check", f).CombinedOutput(); err != nil {
				t.Fatalf("qpdf: %v\n%s", err, out)
			}
			text, err := exec.Command("pdftotext", "-enc", "UTF-8", f, "-").Output()
			if err != nil || !strings.Contains(string(text), "Oliver Berg") || !strings.Contains(string(text), "Camilla Berg") {
				t.Errorf("%s: pdftotext %v:\n%.300s", path, err, text)
			}
		}
		c.want(http.StatusBadRequest, "kari.ke", "GET", "/api/v1/persons/"+id+"/export?format=xml", nil)

		missing := c.want(http.StatusNotFound, "kari.ke", "GET", "/api/v1/persons/no-such-person/export", nil)
		for _, u := range []string{"ingrid.hs", "lise.barnehage", "admin"} {
			for _, path := range []string{"/api/v1/persons/" + id + "/export", "/api/v1/persons/" + id + "/export.pdf"} {
				if a := c.want(http.StatusNotFound, u, "GET", path, nil); string(a.raw) != string(missing.raw) {
					t.Errorf("%s %s: %s, not the body of a missing person %s", u, path, a.raw, missing.raw)
				}
			}
			c.want(http.StatusNotFound, u, "POST", "/api/v1/persons/lookup", map[string]string{"id_number": fnr})
			c.want(http.StatusNotFound, u, "POST", "/api/v1/persons/lookup", "not an object")
		}
	})
}

// The administrator reads, previews and sets the retention period; bad
// periods get 400 invalid_retention and change nothing; anyone else 404.
func TestRetentionOverHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		c, _ := newPersonAPI(t, db)
		if r := c.want(http.StatusOK, "admin", "GET", "/api/v1/retention", nil); r.body["months"] != nil || r.body["set_at"] != nil {
			t.Errorf("unset = %s", r.raw)
		}
		if r := c.want(http.StatusOK, "admin", "GET", "/api/v1/retention/preview?months=24", nil); r.body["affected_cases"] != float64(0) {
			t.Errorf("preview = %s", r.raw)
		}
		for _, body := range []any{map[string]any{"months": -5}, map[string]any{"months": 5000}, map[string]any{}} {
			if r := c.want(http.StatusBadRequest, "admin", "PUT", "/api/v1/retention", body); r.code() != "invalid_retention" {
				t.Errorf("%v: %s", body, r.raw)
			}
		}
		c.want(http.StatusBadRequest, "admin", "GET", "/api/v1/retention/preview?months=x", nil)
		set := c.want(http.StatusOK, "admin", "PUT", "/api/v1/retention", map[string]any{"months": 60})
		if set.body["months"] != float64(60) || set.body["set_at"] == nil || set.body["set_by"] == "" {
			t.Errorf("set = %s", set.raw)
		}
		for _, u := range []string{"kari.ke", "ingrid.hs"} {
			c.want(http.StatusNotFound, u, "GET", "/api/v1/retention", nil)
			c.want(http.StatusNotFound, u, "GET", "/api/v1/retention/preview?months=24", nil)
			c.want(http.StatusNotFound, u, "PUT", "/api/v1/retention", map[string]any{"months": 1})
			c.want(http.StatusNotFound, u, "PUT", "/api/v1/retention", "not an object")
		}
		if r := c.want(http.StatusOK, "admin", "GET", "/api/v1/retention", nil); r.body["months"] != float64(60) {
			t.Errorf("after the refusals = %s", r.raw)
		}
	})
}
