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

// Breaking the glass: only with the role and a reason, for two hours,
// logged with the purpose emergency_access, and reviewed by the leader of
// the employee's service — who sees who, which case and why, not content.
func TestBreakGlass(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newSpineWorld(t, db)
		ctx := context.Background()
		caseID, _ := w.namedCase("ola.laerer")
		stig := w.actor("stig.nod") // a teacher at the school with emergency access; nils leads the school

		if w.readable("stig.nod", caseID) {
			t.Fatal("emergency access before breaking the glass")
		}
		for _, u := range []string{"per.bv", "anne.ppt", "admin"} {
			row := w.oneAudit(u+" breaks the glass", func() {
				if _, err := w.a.BreakGlass(ctx, w.actor(u), caseID, "life_or_health", "Fare for liv og helse nå"); err != samordna.ErrNotFound {
					t.Errorf("%s without the role: %v, want ErrNotFound", u, err)
				}
			})
			if row.Outcome != samordna.OutcomeDenied || row.Action != "emergency_access" {
				t.Errorf("%s: audit %+v", u, row)
			}
		}
		_, err := w.a.BreakGlass(ctx, stig, caseID, "curiosity", "Jeg lurer bare på noe")
		wantSpineCode(t, err, samordna.KindInvalid, "invalid_reason_code")
		_, err = w.a.BreakGlass(ctx, stig, caseID, "other", " kort   ")
		wantSpineCode(t, err, samordna.KindInvalid, "reason_too_short")
		_, err = w.a.BreakGlass(ctx, stig, caseID, "other", "Gjelder 15076500565 akutt")
		wantSpineCode(t, err, samordna.KindRule, "identifying_data")
		if _, err := w.a.BreakGlass(ctx, stig, samordna.NewID(), "other", "Akutt fare for barnet"); err != samordna.ErrNotFound {
			t.Errorf("unknown case: %v", err)
		}

		var x *app.EmergencyAccess
		row := w.oneAudit("breaking the glass", func() {
			if x, err = w.a.BreakGlass(ctx, stig, caseID, "acute_child_welfare", "Barnet er ikke hentet, mor er ruset"); err != nil {
				t.Fatal(err)
			}
		})
		if !x.ExpiresAt.Equal(w.clock.Now().Add(2*time.Hour)) || row.Purpose != "emergency_access" || row.CaseID != caseID {
			t.Errorf("access %+v, audit %+v", x, row)
		}
		row = w.oneAudit("a read under emergency access", func() {
			v, err := w.a.GetCase(ctx, stig, caseID)
			if err != nil || v.Reason != "emergency_access" {
				t.Fatalf("read under emergency access: %v", err)
			}
		})
		if row.Purpose != "emergency_access" {
			t.Errorf("the read is not marked as emergency access: %+v", row)
		}
		if !w.listed("stig.nod", caseID) {
			t.Error("the case is not in the list during emergency access")
		}
		w.clock.Advance(2*time.Hour + time.Second)
		if w.readable("stig.nod", caseID) || w.listed("stig.nod", caseID) {
			t.Error("emergency access outlives two hours")
		}

		// Review: nils leads stig's school; others see nothing.
		for _, u := range []string{"hilde.keleder", "ola.laerer", "stig.nod"} {
			xs, err := w.a.EmergencyReviews(ctx, w.actor(u))
			if len(xs) != 0 || (u != "hilde.keleder" && err != samordna.ErrNotFound) {
				t.Errorf("%s sees reviews %d, %v", u, len(xs), err)
			}
		}
		xs, err := w.a.EmergencyReviews(ctx, w.actor("nils.leder"))
		if err != nil || len(xs) != 1 {
			t.Fatalf("nils's reviews: %d, %v", len(xs), err)
		}
		got := xs[0]
		if got.Username != "stig.nod" || got.CaseID != caseID || got.ReasonCode != "acute_child_welfare" ||
			got.ReviewedAt != nil || got.ServiceName != "Nordby skole" {
			t.Errorf("review item: %+v", got)
		}
		if _, err := w.a.ReviewEmergencyAccess(ctx, w.actor("hilde.keleder"), x.ID, "Greit"); err != samordna.ErrNotFound {
			t.Errorf("another leader reviews: %v", err)
		}
		_, err = w.a.ReviewEmergencyAccess(ctx, w.actor("nils.leder"), x.ID, "  ")
		wantSpineCode(t, err, samordna.KindInvalid, "note_required")
		r, err := w.a.ReviewEmergencyAccess(ctx, w.actor("nils.leder"), x.ID, "Gjennomgått med Stig, begrunnet.")
		if err != nil || r.ReviewedAt == nil || r.ReviewerUsername != "nils.leder" {
			t.Fatalf("review: %+v, %v", r, err)
		}
		_, err = w.a.ReviewEmergencyAccess(ctx, w.actor("nils.leder"), x.ID, "Igjen")
		wantSpineCode(t, err, samordna.KindConflict, "already_reviewed")

		// Berit leads child welfare herself: her access goes to the
		// coordinating unit's leader, and she cannot review her own.
		y, err := w.a.BreakGlass(ctx, w.actor("berit.bvleder"), caseID, "life_or_health", "Melding fra politiet i natt")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.a.ReviewEmergencyAccess(ctx, w.actor("berit.bvleder"), y.ID, "Meg selv"); err != samordna.ErrNotFound {
			t.Errorf("berit reviews her own access: %v", err)
		}
		xs, err = w.a.EmergencyReviews(ctx, w.actor("hilde.keleder"))
		if err != nil || len(xs) != 1 || xs[0].ID != y.ID {
			t.Errorf("hilde's reviews: %+v, %v", xs, err)
		}
		if err := w.a.CheckEmergencyRole(ctx, w.actor("per.bv")); err != samordna.ErrNotFound {
			t.Errorf("per.bv may open the emergency form: %v", err)
		}
		if err := w.a.CheckEmergencyRole(ctx, stig); err != nil {
			t.Errorf("stig may not open the emergency form: %v", err)
		}
	})
}
