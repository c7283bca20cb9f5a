package app_test

import (
	"context"
	"slices"
	"testing"

	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// Seed 004 Etablering lists four kinds of matters that are not for the
// responsibility group (complaints about staff, complaints about the
// allocation of services, training, disagreement between agencies), and
// says that matters the group cannot resolve are raised to the leaders,
// the coordinator being responsible that it is done (FIDELITY 4.26,
// 4.27). Raising one records it with the group and gives the coordinator
// the task, due in ten working days; an unknown kind or an empty matter
// changes nothing.
func TestSeed004EtableringMattersNotForTheGroupAreRaisedToLeaders(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newCoordWorld(t, db)
		ctx := context.Background()
		caseID := w.groupCase()
		for _, k := range []string{"complaint_staff", "complaint_allocation", "training", "agency_disagreement"} {
			if !slices.Contains(app.NotForGroup, k) {
				t.Errorf("%s is not listed as a matter not for the group", k)
			}
		}
		_, err := w.app.RaiseToLeaders(ctx, w.as("anne"), caseID, "weather", "Noe annet")
		coordWantCode(t, err, "invalid_category")
		_, err = w.app.RaiseToLeaders(ctx, w.as("anne"), caseID, "agency_disagreement", "  ")
		coordWantCode(t, err, "matter_required")
		if n := len(w.tasksTitled(caseID, "Løft saken videre tjenestevei til aktuelle ledere")); n != 0 {
			t.Fatalf("%d tasks after refused raises", n)
		}

		e, err := w.app.RaiseToLeaders(ctx, w.as("anne"), caseID, "agency_disagreement",
			"PPT og barnevernet er uenige om hvem som dekker skyss")
		w.must(err)
		tasks := w.tasksTitled(caseID, "Løft saken videre tjenestevei til aktuelle ledere")
		if len(tasks) != 1 || tasks[0].EmployeeID != w.as("ingrid").Employee.ID || tasks[0].DueAt == nil ||
			!tasks[0].DueAt.Equal(pathway.AddWorkingDays(w.clock.Now(), 10)) {
			t.Errorf("the coordinator's task: %+v", tasks)
		}
		gv, err := w.app.GetGroup(ctx, w.as("ingrid"), caseID)
		w.must(err)
		if len(gv.Escalations) != 1 || gv.Escalations[0].ID != e.ID || gv.Escalations[0].Category != "agency_disagreement" {
			t.Errorf("escalations on the group: %+v", gv.Escalations)
		}
		if n := w.audits(caseID, "raise_to_leaders"); n != 1 {
			t.Errorf("%d audit rows for raising, want 1", n)
		}
		_ = store.TaskOpen
	})
}
