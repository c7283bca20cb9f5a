package app_test

import (
	"context"
	"testing"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/internal/matrixtest"
	"github.com/samordna/samordna/store"
)

// At the person's request the coordinator bars an employee: the bar beats
// every relation, holds for what is written later, and ends when lifted.
func TestBlockBarsAnEmployeeUntilLifted(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newSpineWorld(t, db)
		ctx := context.Background()
		caseID, _ := w.namedCase("ola.laerer")
		w.write(func(tx *store.Tx) error {
			return matrixtest.AddCoordinator(tx, caseID, w.emp["anne.ppt"].ID, w.emp["kari.ke"].ID, w.clock.Now(), false)
		})
		// The discoverer may not block; neither may an unrelated employee.
		for _, u := range []string{"ola.laerer", "per.bv", "kari.ke"} {
			if _, err := w.a.BlockEmployee(ctx, w.actor(u), caseID, "ola.laerer", ""); err != samordna.ErrNotFound {
				t.Errorf("%s blocks: %v, want ErrNotFound", u, err)
			}
		}
		coordinator := w.actor("anne.ppt")
		_, err := w.a.BlockEmployee(ctx, coordinator, caseID, "nobody.here", "")
		wantSpineCode(t, err, samordna.KindRule, "unknown_employee")
		_, err = w.a.BlockEmployee(ctx, coordinator, caseID, "eva.annen", "")
		wantSpineCode(t, err, samordna.KindRule, "unknown_employee")
		_, err = w.a.BlockEmployee(ctx, coordinator, caseID, "anne.ppt", "")
		wantSpineCode(t, err, samordna.KindRule, "cannot_block_self")

		var b *app.Block
		row := w.oneAudit("blocking", func() {
			if b, err = w.a.BlockEmployee(ctx, coordinator, caseID, " Ola.Laerer ", "Personens ønske"); err != nil {
				t.Fatal(err)
			}
		})
		if row.Action != "block_employee" || row.ObjectID != b.ID || b.Username != "ola.laerer" || !b.Active() {
			t.Errorf("block %+v, audit %+v", b, row)
		}
		_, err = w.a.BlockEmployee(ctx, coordinator, caseID, "ola.laerer", "")
		wantSpineCode(t, err, samordna.KindConflict, "already_blocked")
		if w.readable("ola.laerer", caseID) || w.listed("ola.laerer", caseID) {
			t.Fatal("the barred discoverer still sees the case")
		}
		// Written later: a consent recorded after the bar; still barred.
		if _, err := w.a.RecordConsent(ctx, coordinator, caseID, app.NewConsent{GivenBy: "Emma",
			Purposes: []samordna.ConsentPurpose{samordna.PurposeShareWithMembers}}); err != nil {
			t.Fatal(err)
		}
		if w.readable("ola.laerer", caseID) {
			t.Error("the bar does not hold for what was written after it")
		}
		// A barred employee with emergency access stays barred.
		if _, err := w.a.BreakGlass(ctx, w.actor("stig.nod"), caseID, "other", "Akutt behov for opplysninger"); err != nil {
			t.Fatal(err)
		}
		if _, err := w.a.BlockEmployee(ctx, coordinator, caseID, "stig.nod", ""); err != nil {
			t.Fatal(err)
		}
		if w.readable("stig.nod", caseID) {
			t.Error("emergency access beats a bar")
		}

		blocks, err := w.a.CaseBlocks(ctx, coordinator, caseID)
		if err != nil || len(blocks) != 2 {
			t.Fatalf("blocks: %d, %v", len(blocks), err)
		}
		if _, err := w.a.LiftBlock(ctx, w.actor("ola.laerer"), caseID, b.ID); err != samordna.ErrNotFound {
			t.Errorf("the barred employee lifts the bar: %v", err)
		}
		other, _ := w.namedCase("anne.ppt")
		if _, err := w.a.LiftBlock(ctx, coordinator, other, b.ID); err != samordna.ErrNotFound {
			t.Errorf("a bar lifted through another case: %v", err)
		}
		if _, err := w.a.LiftBlock(ctx, coordinator, caseID, b.ID); err != nil {
			t.Fatal(err)
		}
		_, err = w.a.LiftBlock(ctx, coordinator, caseID, b.ID)
		wantSpineCode(t, err, samordna.KindConflict, "already_lifted")
		if !w.readable("ola.laerer", caseID) {
			t.Error("the discoverer cannot read the case after the bar was lifted")
		}
	})
}
