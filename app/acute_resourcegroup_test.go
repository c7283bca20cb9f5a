package app_test

import (
	"context"
	"testing"

	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// Seed 003 row 10: "Akuttsituasjon – rusa foreldre med barn tilstades.
// Kontaktar ressursgruppa og ber om råd anonymt eller åpent." The one who
// meets the acute situation may ask the resource group for advice on the
// acute case; the member gets row 2 ("Gjev råd til meldaren"), and the
// report directly to child welfare stays due at once: asking for advice
// does not stand in for the report.
func TestSeed003Row10AcuteMayAskTheResourceGroupForAdvice(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		now := at(2026, 3, 2, 22, 0)
		w := newWorld(t, db, now)
		ctx := context.Background()
		c := w.concern("ola", named(pathway.SituationAcute, "ulstein-rus-sped-smabarn"))
		row10 := w.openTasks(c.Case.ID)["row-10"]
		if row10 == nil {
			t.Fatal("no row 10 task on the acute case")
		}
		k, started, err := w.app.RecordConsultation(ctx, w.as("ola"), c.Case.ID, app.NewConsultation{
			With: app.ConsultResourceGroup, Mode: app.ConsultAnonymous, Adviser: "ingrid",
			Summary: "Rusa foreldre med barn til stades.", Advice: "Meld til barnevernet nå; ring politiet om barna er i fare."})
		w.must(err)
		if k.TeamID != w.teams["rg"].ID {
			t.Errorf("consultation with team %q, want the resource group", k.TeamID)
		}
		if len(started) != 1 || started[0].StepID != "row-02" || started[0].EmployeeID != w.id("ingrid") {
			t.Errorf("started %+v, want row 2 for the adviser", started)
		}
		if got := w.task(row10.ID); got.Status != store.TaskOpen || !got.DueAt.Equal(now) {
			t.Errorf("row 10 after the advice: %s due %v; the report is still due at once", got.Status, got.DueAt)
		}
	})
}
