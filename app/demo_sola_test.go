package app_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// Seed 001 in the demo: a year of adult-service cases with answers about
// children, children with and without their own case, FIT sessions, a
// user survey and adopted methods, so that the leadership's indicators
// have data; the cases left unanswered become tasks at the first sweep.
func TestSeed001DemoHoldsAYearOfData(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clock := &routineClock{}
		now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
		clock.Set(now)
		a := app.New(db, clock, slog.New(slog.NewTextHandler(io.Discard, nil)))
		a.AllowSynthetic = true
		if _, err := a.SeedDemo(ctx, "demo-passord-2026"); err != nil {
			t.Fatal(err)
		}
		err := db.Read(ctx, func(tx *store.Tx) error {
			m, err := store.FirstMunicipality(tx)
			if err != nil {
				return err
			}
			from := now.AddDate(-1, 0, 0)
			n, err := store.CountChildrenIdentified(tx, m.ID, "", from, now)
			if err != nil || n != 6 {
				t.Errorf("children identified in the demo year = %d, %v; want 6", n, err)
			}
			counts, err := store.NextOfKinCounts(tx, m.ID, from, now)
			if err != nil || len(counts) != 3 {
				t.Errorf("services with next-of-kin figures: %+v, %v", counts, err)
			}
			st, err := store.FeedbackCounts(tx, m.ID, "", from, now.AddDate(0, 0, 1))
			if err != nil || st.Cases != 5 || st.CasesImproved != 4 {
				t.Errorf("FIT figures: %+v, %v", st, err)
			}
			surveys, responses, err := store.SurveyResponseCount(tx, m.ID, from, now)
			if err != nil || surveys != 1 || responses != 10 {
				t.Errorf("surveys %d, responses %d, %v", surveys, responses, err)
			}
			use, err := store.MethodUse(tx, m.ID)
			if err != nil || len(use) != 5 {
				t.Errorf("methods %+v, %v", use, err)
			}
			// The demo's plans name catalogue methods in some measures, so
			// the leadership sees methods in use; the kindergarten
			// conversation (seed 001) is one of them, with its template.
			inUse := map[string]int{}
			for _, u := range use {
				inUse[u.Name] = u.Cases
			}
			if inUse["Oppstartssamtale og foreldresamtale i barnehagen"] != 1 || inUse["Kartleggingssamtale med barnet"] != 1 {
				t.Errorf("methods in use by cases: %v", inUse)
			}
			ms, err := store.MethodsOf(tx, m.ID)
			for _, x := range ms {
				if x.Name == "Oppstartssamtale og foreldresamtale i barnehagen" && x.Template != store.MethodTemplateKindergarten {
					t.Errorf("the kindergarten method has template %q", x.Template)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		res, err := a.SweepOverdue(ctx, now)
		// Two of seed 001's cases and the demo's other open adult-service
		// cases about adults have no answer yet.
		if err != nil || res.NextOfKinTasks < 2 {
			t.Errorf("the first sweep started %d next-of-kin tasks (%v), want at least 2", res.NextOfKinTasks, err)
		}
		if n := countRows(t, db, `SELECT COUNT(*) FROM tasks t JOIN cases c ON c.id = t.case_id
			JOIN persons p ON p.id = c.subject_person_id WHERE t.kind = 'next_of_kin' AND p.name IN ('Frode Aas', 'Harald Nilsen')`); n != 2 {
			t.Errorf("%d tasks for the two unanswered seed 001 cases, want 2", n)
		}
	})
}
