package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// Issue 13 point 8: the routine is chosen by the person's age and
// situation. With Ulstein's plan for families with infants and small
// children (seed 003, max_age 5) as the municipality's default, a
// two-year-old gets it, a nine-year-old gets the discoverer routine, and
// naming the plan still works for the older child.
func TestDefaultRoutineFollowsTheAge(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		now := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
		w := newWorld(t, db, now)
		if err := w.app.SetDefaultRoutine(context.Background(), w.as("admin"), "ulstein-rus-sped-smabarn"); err != nil {
			t.Fatal(err)
		}
		concern := func(born time.Time, n int, routine string) *samordna.Case {
			t.Helper()
			return w.concern("ola", app.NewConcern{Situation: pathway.SituationUnclearConcern, Routine: routine,
				Description: "Foreldra verkar rusa ved henting.",
				Subject:     &app.ConcernSubject{IDNumber: samordna.SyntheticIDNumber(born, n), Name: "Barn Testesen"}}).Case
		}
		if c := concern(time.Date(2024, 1, 10, 0, 0, 0, 0, time.UTC), 1, ""); c.RoutineID != "ulstein-rus-sped-smabarn" {
			t.Errorf("a two-year-old got %s", c.RoutineID)
		}
		if c := concern(time.Date(2016, 11, 3, 0, 0, 0, 0, time.UTC), 2, ""); c.RoutineID != app.DefaultRoutineID {
			t.Errorf("a nine-year-old got %s by default", c.RoutineID)
		}
		if c := concern(time.Date(2016, 11, 3, 0, 0, 0, 0, time.UTC), 2, "ulstein-rus-sped-smabarn"); c.RoutineID != "ulstein-rus-sped-smabarn" {
			t.Errorf("naming the plan for a nine-year-old gave %s", c.RoutineID)
		}
	})
}
