package api_test

import (
	"context"
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

// movingClock is a clock the test moves forward.
type movingClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *movingClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *movingClock) add(months int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.AddDate(0, months, 0)
}

// Closing through the API until retention acts: the coordinator closes
// Oliver's case (others 404, a bad reason 400); writes to it are 409
// case_closed; the coordinating unit reopens it within the retention
// period and the coordinator closes it again; once the clock is past the
// period it can no longer be reopened, and the sweep deletes its content
// (the closing's note too) while the audit chain still verifies.
func TestCloseCaseUntilRetentionOverHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clock := &movingClock{t: time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)}
		a := app.New(db, clock, nil)
		a.AllowSynthetic = true
		if _, err := a.SeedDemo(ctx, "demo-passord-2026"); err != nil {
			t.Fatal(err)
		}
		c := &coordAPI{t: t, tokens: map[string]string{}}
		for _, u := range []string{"kari.ke", "ingrid.hs", "ola.laerer", "siv.rus", "admin"} {
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
		id := ""
		err := db.Read(ctx, func(tx *store.Tx) error {
			ps, err := store.ListPersons(tx, 1000)
			for _, p := range ps {
				if p.Name != "Oliver Berg" {
					continue
				}
				cs, err := store.CasesOfPerson(tx, p.ID)
				for _, k := range cs {
					if g, err := store.OpenGroupOfCase(tx, k.ID); err == nil && g != nil {
						id = k.ID
					}
				}
				return err
			}
			return err
		})
		if err != nil || id == "" {
			t.Fatalf("Oliver's case: %v", err)
		}
		path := "/api/v1/cases/" + id
		closeBody := map[string]any{"reason": "moved", "note": "Familien flyttet til Bergen."}

		for _, u := range []string{"ola.laerer", "siv.rus", "admin"} {
			c.want(http.StatusNotFound, u, "POST", path+"/close", closeBody)
		}
		c.want(http.StatusNotFound, "ingrid.hs", "POST", "/api/v1/cases/nosuchcase00000000000/close", closeBody)
		if r := c.want(http.StatusBadRequest, "ingrid.hs", "POST", path+"/close", map[string]any{"reason": "bored"}); errCode(r) != "invalid_reason" {
			t.Errorf("bad reason: %v", r)
		}
		closed := c.want(http.StatusOK, "ingrid.hs", "POST", path+"/close", closeBody)
		if closed["status"] != "closed" || closed["closed_at"] != "2026-03-02T09:30:00Z" {
			t.Fatalf("close = %v", closed)
		}
		if r := c.want(http.StatusConflict, "kari.ke", "POST", path+"/close", closeBody); errCode(r) != "case_closed" {
			t.Errorf("closing twice: %v", r)
		}
		if r := c.want(http.StatusConflict, "ingrid.hs", "POST", path+"/applications",
			map[string]any{"individual_plan": true}); errCode(r) != "case_closed" {
			t.Errorf("write to a closed case: %v", r)
		}
		c.want(http.StatusOK, "ingrid.hs", "GET", path, nil)

		// Retention of 12 months; a month later the unit reopens, and the
		// coordinator closes again.
		c.want(http.StatusOK, "admin", "PUT", "/api/v1/retention", map[string]any{"months": 12})
		clock.add(1)
		c.want(http.StatusNotFound, "ingrid.hs", "POST", path+"/reopen", map[string]any{"note": "Tilbake"})
		if r := c.want(http.StatusBadRequest, "kari.ke", "POST", path+"/reopen", map[string]any{}); errCode(r) != "reopen_note_required" {
			t.Errorf("reopen without note: %v", r)
		}
		if r := c.want(http.StatusOK, "kari.ke", "POST", path+"/reopen", map[string]any{"note": "Familien kom tilbake."}); r["status"] != "open" {
			t.Errorf("reopen = %v", r)
		}
		c.want(http.StatusOK, "ingrid.hs", "POST", path+"/close", map[string]any{"reason": "follow_up_ended", "note": "Oppfølgingen er ferdig i Bergen."})

		// Past the period: no reopening; the sweep deletes the content.
		clock.add(13)
		if r := c.want(http.StatusConflict, "kari.ke", "POST", path+"/reopen", map[string]any{"note": "For sent"}); errCode(r) != "retention_passed" {
			t.Errorf("reopen past the period: %v", r)
		}
		res, err := a.SweepOverdue(ctx, clock.Now())
		if err != nil || res.Purged < 1 {
			t.Fatalf("sweep: %+v, %v", res, err)
		}
		var texts []string
		err = db.Read(ctx, func(tx *store.Tx) error {
			for _, q := range []string{`SELECT description FROM concerns WHERE case_id = $1`,
				`SELECT note FROM case_closings WHERE case_id = $1`, `SELECT title FROM cases WHERE id = $1`} {
				rows, err := tx.Query(q, id)
				if err != nil {
					return err
				}
				for rows.Next() {
					var s string
					if err := rows.Scan(&s); err != nil {
						rows.Close()
						return err
					}
					texts = append(texts, s)
				}
				rows.Close()
			}
			return nil
		})
		if err != nil || len(texts) < 4 {
			t.Fatalf("texts after the purge: %d, %v", len(texts), err)
		}
		if s := strings.Join(texts, ""); s != "" {
			t.Errorf("the purged case still holds %q", s)
		}
		if r := c.want(http.StatusConflict, "kari.ke", "POST", path+"/reopen", map[string]any{"note": "For sent"}); errCode(r) != "retention_passed" {
			t.Errorf("reopen after the purge: %v", r)
		}
		if _, err := a.VerifyAudit(ctx); err != nil {
			t.Errorf("audit chain: %v", err)
		}
	})
}
