package api_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// Seed 001 on the demo: GET /api/v1/goals answers the plan's goals on all
// three levels with targets and results as issue 16's API section says;
// the årshjul feed answers with a token or with the leader's personal
// feed secret (no token), and nothing else; others get 404.
func TestGoalsAndAnnualCycleAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		r := newRoutineAPI(t, db)
		r.clock.Set(time.Date(2026, 11, 10, 9, 0, 0, 0, time.UTC))
		var got struct {
			Year  int `json:"year"`
			Items []struct {
				ID, Level, Dimension, Text, Owner, Indicator, Source, Unit string
				Target                                                     *float64
				Result                                                     *float64
				Suppressed                                                 bool
				Trend                                                      []struct {
					Quarter int
					Result  *float64
				}
			} `json:"items"`
		}
		if status, body := r.call("nils.leder", "GET", "/api/v1/goals?year=2026", nil, &got); status != 200 {
			t.Fatalf("goals: %d %s", status, body)
		}
		levels := map[string]int{}
		withResult := map[string]int{}
		for _, g := range got.Items {
			levels[g.Level]++
			if g.Target == nil {
				t.Errorf("%q has no target", g.Text)
			}
			if g.Result != nil {
				withResult[g.Level]++
			}
			if len(g.Trend) != 4 {
				t.Errorf("%q: %d quarters", g.Text, len(g.Trend))
			}
		}
		for _, l := range []string{"municipality", "service", "individual"} {
			if levels[l] == 0 || withResult[l] == 0 {
				t.Errorf("level %s: %d goals, %d with a result", l, levels[l], withResult[l])
			}
		}
		if status, _ := r.call("nils.leder", "GET", "/api/v1/goals?year=x", nil, nil); status != 400 {
			t.Errorf("bad year: %d", status)
		}
		for _, who := range []string{"ola.laerer", "kari.ke", "admin"} {
			if status, _ := r.call(who, "GET", "/api/v1/goals", nil, nil); status != 404 {
				t.Errorf("%s: %d", who, status)
			}
			if status, _ := r.call(who, "GET", "/api/v1/annual-cycle.ics", nil, nil); status != 404 {
				t.Errorf("%s read the årshjul: %d", who, status)
			}
		}
		status, ics := r.call("nils.leder", "GET", "/api/v1/annual-cycle.ics", nil, nil)
		if status != 200 || !strings.Contains(ics, "RRULE:FREQ=MONTHLY;INTERVAL=6;BYDAY=2TU") {
			t.Fatalf("ics: %d %s", status, ics)
		}
		var nils *samordna.Actor
		if err := db.Read(context.Background(), func(tx *store.Tx) error {
			e, _, err := store.EmployeeByUsername(tx, "nils.leder")
			nils = &samordna.Actor{Employee: e}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		secret, err := r.app.NewCalendarFeed(context.Background(), nils)
		if err != nil {
			t.Fatal(err)
		}
		get := func(path string) (int, string) {
			resp, err := http.Get(r.srv.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, string(b)
		}
		if status, body := get("/api/v1/annual-cycle.ics?feed=" + secret); status != 200 || !strings.HasPrefix(body, "BEGIN:VCALENDAR") {
			t.Errorf("feed link: %d %.100s", status, body)
		}
		if status, _ := get("/api/v1/annual-cycle.ics?feed=samordna_cal_wrong"); status != 401 {
			t.Errorf("a wrong feed secret: %d", status)
		}
		if status, _ := get("/api/v1/goals?feed=" + secret); status != 401 {
			t.Errorf("the feed secret read the goals: %d", status)
		}
	})
}
