package app_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// concernTables are the tables registering a concern writes, counted to
// see that a refused or failed registration changes nothing.
var concernTables = []string{"persons", "cases", "concerns", "case_events", "tasks", "audit_events"}

// rowCounts counts the rows of each of concernTables.
func (w *world) rowCounts() []int {
	w.t.Helper()
	var out []int
	for _, table := range concernTables {
		out = append(out, w.count(table))
	}
	return out
}

// A concern whose routine starts several steps writes every task (as one
// statement), answers with exactly the tasks stored, in the order the
// routine starts them, with their assignees' names, and writes one timeline
// row and one audit row. A registration that fails at its commit, or is
// refused for bad input, changes nothing.
func TestConcernWritesAllItsTasksOrNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db, time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC))
		preg := app.NewConcern{Situation: pathway.SituationPregnant, Description: "Rus i svangerskapet.",
			Subject:  &app.ConcernSubject{IDNumber: motherFNR, Name: "Mona Mor"},
			Problems: []pathway.Problem{pathway.ProblemSubstanceUse}}
		for _, x := range []struct {
			user string
			in   app.NewConcern
			min  int
		}{
			{"ingrid", preg, 2},
			{"ola", named(pathway.SituationUnclearConcern, ""), 1},
			{"ola", named(pathway.SituationKnownFamily, ""), 1},
			{"ola", named(pathway.SituationAcute, "ulstein-rus-sped-smabarn"), 1},
		} {
			c := w.concern(x.user, x.in)
			var stored []*store.Task
			err := db.Read(context.Background(), func(tx *store.Tx) (err error) {
				stored, err = store.TasksOfCase(tx, c.Case.ID)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(c.Tasks) < x.min || len(c.Tasks) != len(stored) {
				t.Fatalf("%s: answered %d tasks, stored %d, want at least %d", x.in.Situation, len(c.Tasks), len(stored), x.min)
			}
			for _, v := range c.Tasks {
				i := slices.IndexFunc(stored, func(s *store.Task) bool { return s.ID == v.ID })
				if i < 0 || stored[i].StepID != v.StepID || stored[i].AssigneeName == "" || v.AssigneeName != stored[i].AssigneeName ||
					v.Status != store.TaskOpen || v.CaseID != c.Case.ID {
					t.Errorf("%s: answered task %+v, stored %v", x.in.Situation, v.Task, i)
				}
			}
			var starts []string
			r := startStepsOf(t, w, c.Case.RoutineID, c.Case.RoutineVersion, x.in)
			for _, v := range c.Tasks {
				starts = append(starts, v.StepID)
			}
			if !slices.Equal(starts, r) {
				t.Errorf("%s: tasks for steps %v, want the routine's %v in order", x.in.Situation, starts, r)
			}
			if n := countRows(t, db, `SELECT COUNT(*) FROM case_events WHERE case_id = $1 AND kind = 'concern_registered'`, c.Case.ID); n != 1 {
				t.Errorf("%s: %d timeline rows for the registration, want 1", x.in.Situation, n)
			}
			if n := countRows(t, db, `SELECT COUNT(*) FROM audit_events WHERE case_id = $1 AND object_type = 'concern'
				AND action = 'create' AND outcome = 'allowed'`, c.Case.ID); n != 1 {
				t.Errorf("%s: %d audit rows for the registration, want 1", x.in.Situation, n)
			}
		}

		before := w.rowCounts()
		db.SetBeforeCommit(func(*store.Tx) error { return errors.New("injected fault") })
		_, err := w.app.RegisterConcern(context.Background(), w.as("ingrid"), preg)
		db.SetBeforeCommit(nil)
		if err == nil {
			t.Fatal("a registration whose commit fails succeeded")
		}
		if after := w.rowCounts(); !slices.Equal(after, before) {
			t.Errorf("a failed registration changed %v: %v → %v", concernTables, before, after)
		}
		bad := preg
		bad.Subject = &app.ConcernSubject{IDNumber: "12345678901", Name: "Feil Nummer"}
		_, err = w.app.RegisterConcern(context.Background(), w.as("ingrid"), bad)
		wantErrCode(t, err, "invalid_id_number")
		if after := w.rowCounts(); !slices.Equal(after, before) {
			t.Errorf("bad input changed %v: %v → %v", concernTables, before, after)
		}
	})
}

// startStepsOf returns the ids of the steps a concern starts in the
// routine, in the routine's order (the discoverer's steps for health
// personnel included, as the tests register pregnant women by a nurse).
func startStepsOf(t *testing.T, w *world, routineID string, version int, in app.NewConcern) []string {
	t.Helper()
	var out []string
	r, err := w.app.GetRoutine(context.Background(), routineID, version)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range r.StartSteps(in.Situation) {
		if s.AppliesTo(in.Problems) {
			out = append(out, s.ID)
		}
	}
	return out
}
