package app_test

import (
	"context"
	"testing"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// Seed 004 Etablering: "Før ansvarsgruppen etableres, må bruker gi
// skriftlig samtykke", on the form that ends "Sted, dato, underskrift". A
// consent recorded as given on the signed paper form needs that form's
// scan attached (422 signed_form_required, nothing stored); with the scan
// it is recorded and points to it. A consent recorded in Samordna without
// paper is itself the written record and needs no scan.
func TestSeed004EtableringConsentGivenOnPaperNeedsTheSignedScan(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newCoordWorld(t, db)
		ctx := context.Background()
		caseID := w.bareCase(w.child)
		purposes := []samordna.ConsentPurpose{samordna.PurposeResponsibilityGroup, samordna.PurposeShareWithMembers}
		before := countRows(t, db, `SELECT COUNT(*) FROM consents WHERE case_id = $1`, caseID)

		_, err := w.app.RecordConsent(ctx, w.as("ola"), caseID, app.NewConsent{GivenBy: "Kristin Ødegård",
			GivenByRelation: "guardian", Purposes: purposes, OnPaper: true})
		coordWantCode(t, err, "signed_form_required")
		if n := countRows(t, db, `SELECT COUNT(*) FROM consents WHERE case_id = $1`, caseID); n != before {
			t.Fatalf("a refused paper consent was stored (%d → %d)", before, n)
		}

		form, err := w.app.UploadConsentForm(ctx, w.as("ola"), caseID, "application/pdf", []byte("%PDF-1.4\nsamtykke\n%%EOF\n"))
		w.must(err)
		k, err := w.app.RecordConsent(ctx, w.as("ola"), caseID, app.NewConsent{GivenBy: "Kristin Ødegård",
			GivenByRelation: "guardian", Purposes: purposes, OnPaper: true, FormID: form.ID})
		w.must(err)
		if k.FormID != form.ID {
			t.Errorf("the paper consent points to form %q, want the scan %q", k.FormID, form.ID)
		}

		// Recorded in Samordna without paper: no scan needed.
		_, err = w.app.RecordConsent(ctx, w.as("ola"), caseID, app.NewConsent{GivenBy: "Kristin Ødegård",
			GivenByRelation: "guardian", Purposes: []samordna.ConsentPurpose{samordna.PurposeIndividualPlan}})
		w.must(err)
	})
}
