package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// demoPlan is a plan of the demo, found by the person's name.
type demoPlan struct {
	ID, Kind, Status string
	Version          int
}

func demoPlans(t *testing.T, db *store.DB) map[string]demoPlan {
	t.Helper()
	out := map[string]demoPlan{}
	err := db.Read(context.Background(), func(tx *store.Tx) error {
		rows, err := tx.Query(`SELECT pe.name, p.id, p.kind, p.status, p.version FROM plans p
			JOIN cases c ON c.id = p.case_id JOIN persons pe ON pe.id = c.subject_person_id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var name string
			var p demoPlan
			if err := rows.Scan(&name, &p.ID, &p.Kind, &p.Status, &p.Version); err != nil {
				return err
			}
			out[name] = p
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// The demo has plans of each kind: Emma's individual plan in three
// versions with an overdue measure, Sofie's action plan whose missed
// deadline the sweep turns into a revision, Lukas's relay log waiting for
// its new holder and Zofia's closed at her mother's request.
func TestDemoPlans(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
		a := app.New(db, &planClock{now: now}, nil)
		a.AllowSynthetic = true
		if _, err := a.SeedDemo(ctx, "demo-passord-2026"); err != nil {
			t.Fatal(err)
		}
		plans := demoPlans(t, db)
		kinds := map[string]int{}
		for _, p := range plans {
			kinds[p.Kind]++
		}
		if kinds[app.PlanIndividual] < 2 || kinds[app.PlanAction] < 2 || kinds[app.PlanRelayLog] < 2 {
			t.Fatalf("demo plans by kind: %v", kinds)
		}
		as := func(username string) *samordna.Actor {
			var e *samordna.Employee
			_ = db.Read(ctx, func(tx *store.Tx) error {
				var err error
				e, _, err = store.EmployeeByUsername(tx, username)
				return err
			})
			return &samordna.Actor{Employee: e, RequestID: "test"}
		}
		emma, err := a.GetPlan(ctx, as("ingrid.hs"), plans["Emma Hansen"].ID)
		if err != nil {
			t.Fatal(err)
		}
		if emma.Plan.Version != 3 || emma.Overdue != 1 || emma.Measures[0].Text != "Kartlegging av lese- og skrivevansker" {
			t.Errorf("Emma's plan: version %d, %d overdue, first %q", emma.Plan.Version, emma.Overdue, emma.Measures[0].Text)
		}
		lukas, err := a.GetPlan(ctx, as("ingrid.hs"), plans["Lukas Larsen"].ID)
		if err != nil {
			t.Fatal(err)
		}
		if lukas.Holder == nil || lukas.Holder.Username != "silje.laerer" || lukas.HandoverTo == nil || !lukas.CanAccept {
			t.Errorf("Lukas's relay log: holder %+v, handover to %+v", lukas.Holder, lukas.HandoverTo)
		}
		zofia, err := a.GetPlan(ctx, as("lise.barnehage"), plans["Zofia Nowak"].ID)
		if err != nil {
			t.Fatal(err)
		}
		if zofia.Plan.Status != app.PlanClosed || zofia.Plan.CloseRequestedBy != "Aleksandra Nowak" || zofia.Plan.CloseRequestedByPerson == "" {
			t.Errorf("Zofia's relay log: %+v", zofia.Plan)
		}
		// The deadline sweep finds Sofie's missed measure: a deviation and a revision within a month.
		res, err := a.SweepOverdue(ctx, now)
		if err != nil || res.Deviations < 1 {
			t.Fatalf("sweep: %+v, %v", res, err)
		}
		sofie := plans["Sofie Berg"]
		var revisions int
		_ = db.Read(ctx, func(tx *store.Tx) error {
			p, err := store.PlanByID(tx, sofie.ID)
			if err != nil {
				return err
			}
			tasks, err := store.TasksOfCase(tx, p.CaseID)
			for _, task := range tasks {
				if task.StepID == "row-09" && task.Status == store.TaskOpen && !task.DueAt.After(now.AddDate(0, 1, 0)) {
					revisions++
				}
			}
			return err
		})
		if revisions != 1 {
			t.Errorf("Sofie's case has %d revision tasks due within a month, want 1", revisions)
		}
	})
}
