package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

var planTestNow = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// planSeed makes a municipality, an employee and a case, and a plan on it
// at version 1; it returns the plan and the employee's id.
func planSeed(t *testing.T, db *store.DB) (*store.Plan, string) {
	t.Helper()
	mid, emp := orgSeed(t, db, "koordinator")
	p := &store.Plan{ID: samordna.NewID(), MunicipalityID: mid, Kind: "individual_plan", Status: "active", Version: 1,
		CreatedBy: emp["koordinator"], CreatedAt: planTestNow}
	orgWrite(t, db, func(tx *store.Tx) error {
		c := &samordna.Case{ID: samordna.NewID(), MunicipalityID: mid, Origin: samordna.OriginConcern,
			Status: samordna.CaseOpen, RegisteredBy: emp["koordinator"], CreatedAt: planTestNow}
		if err := store.CreateCase(tx, c); err != nil {
			return err
		}
		p.CaseID = c.ID
		return store.CreatePlan(tx, p, &store.PlanVersion{PlanID: p.ID, Version: 1, Change: "created",
			ChangedBy: emp["koordinator"], ChangedAt: planTestNow,
			Content: store.PlanContent{WhatMatters: "Å få være med på fotball – æøå",
				Goals:    []store.PlanGoal{{ID: "g1", Text: "Trives", Term: "long"}},
				Measures: []store.PlanMeasure{{ID: "m1", Text: "Samtale", Due: "2026-04-01", Status: "open", GoalID: "g1"}}}})
	})
	return p, emp["koordinator"]
}

// A plan and its versions come back as stored, oldest first, a page at a
// time; the content keeps its Norwegian letters and its empty lists.
func TestPlanVersionsRoundTrip(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		p, by := planSeed(t, db)
		for v := 2; v <= 4; v++ {
			orgWrite(t, db, func(tx *store.Tx) error {
				return store.AddPlanVersion(tx, p, v-1, &store.PlanVersion{PlanID: p.ID, Version: v, Change: "updated",
					ChangedBy: by, ChangedAt: planTestNow.Add(time.Duration(v) * time.Hour),
					Content: store.PlanContent{WhatMatters: "Versjon " + string(rune('0'+v))}})
			})
		}
		orgRead(t, db, func(tx *store.Tx) error {
			got, err := store.PlanByID(tx, p.ID)
			if err != nil {
				return err
			}
			if got.Version != 4 || got.Kind != "individual_plan" || !got.UpdatedAt.Equal(planTestNow.Add(4*time.Hour)) {
				t.Errorf("plan: %+v", got)
			}
			first, err := store.PlanVersionAt(tx, p.ID, 1)
			if err != nil {
				return err
			}
			if first.Content.WhatMatters != "Å få være med på fotball – æøå" || first.Content.Measures[0].GoalID != "g1" {
				t.Errorf("version 1: %+v", first.Content)
			}
			vs, next, err := store.PlanVersions(tx, p.ID, 1, 2)
			if err != nil {
				return err
			}
			if len(vs) != 2 || vs[0].Version != 2 || vs[1].Version != 3 || vs[1].Content.Goals == nil || next != 3 {
				t.Errorf("versions after 1, two at a time: %+v, next %d", vs, next)
			}
			if vs, next, err := store.PlanVersions(tx, p.ID, 3, 2); err != nil || len(vs) != 1 || next != 0 {
				t.Errorf("the last page: %+v, next %d, %v", vs, next, err)
			}
			if _, err := store.PlanVersionAt(tx, p.ID, 9); err != samordna.ErrNotFound {
				t.Errorf("a missing version: %v", err)
			}
			plans, err := store.PlansOfCase(tx, p.CaseID)
			if err != nil || len(plans) != 1 || plans[0].ID != p.ID {
				t.Errorf("plans of the case: %v, %v", plans, err)
			}
			return nil
		})
	})
}

// Two writers from the same version: exactly one gets the next version,
// the other ErrPlanVersionConflict, on both databases.
func TestAddPlanVersionFromTheSameVersion(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		p, by := planSeed(t, db)
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = db.Write(context.Background(), func(tx *store.Tx) error {
					mine := *p
					return store.AddPlanVersion(tx, &mine, 1, &store.PlanVersion{PlanID: p.ID, Version: 2, Change: "updated",
						ChangedBy: by, ChangedAt: planTestNow})
				})
			}()
		}
		wg.Wait()
		wins := 0
		for _, err := range errs {
			switch {
			case err == nil:
				wins++
			case err != store.ErrPlanVersionConflict:
				t.Errorf("a losing writer: %v", err)
			}
		}
		if wins != 1 {
			t.Fatalf("%d writers won", wins)
		}
	})
}

// The measures' rows lead from a task to its plan; the relay log's holder,
// handover and closing are stored.
func TestPlanMeasuresHolderAndClosing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		p, by := planSeed(t, db)
		orgWrite(t, db, func(tx *store.Tx) error {
			if err := store.SetPlanMeasures(tx, p.ID, []store.PlanMeasureRow{{MeasureID: "m1", CaseID: p.CaseID,
				ResponsibleID: by, Due: "2026-04-01", Status: "open", TaskID: "task-1"}}); err != nil {
				return err
			}
			if err := store.SetPlanHandover(tx, p.ID, by, by, planTestNow); err != nil {
				return err
			}
			return store.SetPlanHolder(tx, p.ID, by)
		})
		orgRead(t, db, func(tx *store.Tx) error {
			m, err := store.PlanMeasureByTask(tx, "task-1")
			if err != nil || m.PlanID != p.ID || m.MeasureID != "m1" || m.ResponsibleID != by {
				t.Errorf("measure by task: %+v, %v", m, err)
			}
			if _, err := store.PlanMeasureByTask(tx, "other"); err != samordna.ErrNotFound {
				t.Errorf("a task of no plan: %v", err)
			}
			got, err := store.PlanByID(tx, p.ID)
			if err != nil || got.HolderID != by || got.HandoverTo != "" || got.HandoverAt != nil {
				t.Errorf("holder: %+v, %v", got, err)
			}
			return nil
		})
		closed := planTestNow.Add(time.Hour)
		p.Status, p.CloseRequestedBy, p.CloseReason, p.ClosedBy, p.ClosedAt = "closed", "Mor", "Ønsket", by, &closed
		orgWrite(t, db, func(tx *store.Tx) error { return store.ClosePlan(tx, p) })
		orgRead(t, db, func(tx *store.Tx) error {
			got, err := store.PlanByID(tx, p.ID)
			if err != nil || got.Status != "closed" || got.CloseRequestedBy != "Mor" || got.ClosedAt == nil ||
				!got.ClosedAt.Equal(closed) || got.CloseRequestedByPerson != "" {
				t.Errorf("closed: %+v, %v", got, err)
			}
			return nil
		})
	})
}

// A plan with more versions than the default page (100): the first page
// says where to continue and the second holds the rest. (The default page
// used to end at 100 versions with no next.)
func TestPlanVersionsPagePastTheDefaultPage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		p, by := planSeed(t, db)
		orgWrite(t, db, func(tx *store.Tx) error {
			for v := 2; v <= 102; v++ {
				if err := store.AddPlanVersion(tx, p, v-1, &store.PlanVersion{PlanID: p.ID, Version: v, Change: "updated",
					ChangedBy: by, ChangedAt: planTestNow.Add(time.Duration(v) * time.Minute)}); err != nil {
					return err
				}
			}
			return nil
		})
		orgRead(t, db, func(tx *store.Tx) error {
			first, next, err := store.PlanVersions(tx, p.ID, 0, 0)
			if err != nil || len(first) != 100 || next != 100 {
				t.Fatalf("the default page: %d versions, next %d, %v", len(first), next, err)
			}
			rest, next, err := store.PlanVersions(tx, p.ID, next, 0)
			if err != nil || len(rest) != 2 || rest[0].Version != 101 || next != 0 {
				t.Fatalf("the next page: %d versions, next %d, %v", len(rest), next, err)
			}
			return nil
		})
	})
}
