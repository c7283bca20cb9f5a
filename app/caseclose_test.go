package app_test

import (
	"context"
	"testing"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// count runs a COUNT(*) query.
func countRows(t *testing.T, db *store.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.Read(context.Background(), func(tx *store.Tx) error { return tx.QueryRow(q, args...).Scan(&n) }); err != nil {
		t.Fatal(err)
	}
	return n
}

// caseStatus returns the case as stored.
func storedCase(t *testing.T, db *store.DB, id string) *samordna.Case {
	t.Helper()
	var c *samordna.Case
	if err := db.Read(context.Background(), func(tx *store.Tx) error {
		var err error
		c, err = store.CaseByID(tx, id)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return c
}

// Closing Oliver's case (coordinator Ingrid, a group with a planned
// meeting): only the coordinator and the coordinating unit may; the review
// step shows what happens; closing needs a known reason; it ends the open
// tasks, closes the group, cancels the planned meeting and tells its
// attendees and the members; a closed case is read-only (409 case_closed)
// but still readable; only the coordinating unit reopens it, with a note.
func TestCloseCaseByCoordinator(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		a, _ := seedDemo(t, db)
		ctx := context.Background()
		as := demoActors(t, db)
		oliver := demoPerson(t, db, "Oliver Berg")
		id := personCase(t, db, oliver.ID)
		planned := countRows(t, db, `SELECT COUNT(*) FROM meetings WHERE case_id = $1 AND status = 'planned'`, id)
		openTasks := countRows(t, db, `SELECT COUNT(*) FROM tasks WHERE case_id = $1 AND status = 'open'`, id)
		if planned == 0 || openTasks == 0 {
			t.Fatalf("the demo case has %d planned meetings and %d open tasks; the test needs some", planned, openTasks)
		}

		// Group members, the discoverer (the case has a coordinator), other
		// employees and the administrator: not found, nothing changes.
		for _, u := range []string{"siv.rus", "per.bv", "lise.barnehage", "ola.laerer", "admin"} {
			_, err := a.CloseCase(ctx, as[u], id, app.CloseMoved, "")
			wantErrCode(t, err, "not_found")
			_, err = a.PreviewClose(ctx, as[u], id)
			wantErrCode(t, err, "not_found")
		}
		// Bad input changes nothing.
		_, err := a.CloseCase(ctx, as["ingrid.hs"], id, "bored", "")
		wantErrCode(t, err, "invalid_reason")
		_, err = a.CloseCase(ctx, as["ingrid.hs"], id, app.CloseOther, " ")
		wantErrCode(t, err, "close_note_required")
		if c := storedCase(t, db, id); c.Status != samordna.CaseOpen || c.ClosedAt != nil {
			t.Fatalf("refused closings changed the case: %+v", c)
		}

		// The review step.
		p, err := a.PreviewClose(ctx, as["ingrid.hs"], id)
		if err != nil || p.OpenTasks != openTasks || !p.GroupOpen || p.PlannedMeetings != planned ||
			p.RetentionMonths != 0 || p.PurgeAfter != nil {
			t.Fatalf("preview = %+v, %v", p, err)
		}

		c, err := a.CloseCase(ctx, as["ingrid.hs"], id, app.CloseMoved, "Familien flyttet til Bergen.")
		if err != nil || c.Status != samordna.CaseClosed || c.ClosedAt == nil || !c.ClosedAt.Equal(demoToday) {
			t.Fatalf("close = %+v, %v", c, err)
		}
		if n := countRows(t, db, `SELECT COUNT(*) FROM tasks WHERE case_id = $1 AND status = 'open'`, id); n != 0 {
			t.Errorf("%d open tasks left on the closed case", n)
		}
		if n := countRows(t, db, `SELECT COUNT(*) FROM responsibility_groups WHERE case_id = $1 AND closed_at IS NULL`, id); n != 0 {
			t.Errorf("the group is still open")
		}
		if n := countRows(t, db, `SELECT COUNT(*) FROM meetings WHERE case_id = $1 AND status = 'planned'`, id); n != 0 {
			t.Errorf("%d planned meetings left", n)
		}
		if n := countRows(t, db, `SELECT COUNT(*) FROM case_closings WHERE case_id = $1 AND kind = 'close'
			AND reason = 'moved' AND note = 'Familien flyttet til Bergen.'`, id); n != 1 {
			t.Errorf("closing rows: %d", n)
		}
		notices := func(u, kind string) int {
			return countRows(t, db, `SELECT COUNT(*) FROM notifications WHERE employee_id = $1 AND kind = $2 AND case_id = $3`,
				as[u].Employee.ID, kind, id)
		}
		for _, u := range []string{"siv.rus", "per.bv"} {
			if notices(u, app.NoticeCaseClosed) != 1 || notices(u, app.NoticeMeetingCancelled) != 1 {
				t.Errorf("%s was not told: closed %d, meeting cancelled %d", u,
					notices(u, app.NoticeCaseClosed), notices(u, app.NoticeMeetingCancelled))
			}
		}
		if notices("ingrid.hs", app.NoticeCaseClosed) != 0 {
			t.Error("the coordinator was told of her own closing")
		}
		if n := countRows(t, db, `SELECT COUNT(*) FROM audit_events WHERE action = 'close_case' AND case_id = $1
			AND actor_username = 'ingrid.hs' AND outcome = 'allowed'`, id); n != 1 {
			t.Errorf("close_case audit rows: %d", n)
		}
		if n := countRows(t, db, `SELECT COUNT(*) FROM audit_events WHERE action = 'close_case' AND case_id = $1
			AND outcome = 'denied'`, id); n != 5 {
			t.Errorf("denied close_case audit rows: %d, want 5", n)
		}

		// Closed: still readable, with the event on the timeline; writes are 409.
		v, err := a.GetCase(ctx, as["ingrid.hs"], id)
		if err != nil || v.Case.Status != samordna.CaseClosed || !hasEvent(v.Events, "case_closed") {
			t.Fatalf("read closed case: %v", err)
		}
		_, err = a.CloseCase(ctx, as["kari.ke"], id, app.CloseFollowUpEnded, "")
		wantErrCode(t, err, "case_closed")
		_, err = a.SubmitApplication(ctx, as["ingrid.hs"], id, app.NewApplication{IndividualPlan: true})
		wantErrCode(t, err, "case_closed")
		if samordna.HTTPStatus(err) != 409 {
			t.Errorf("write to a closed case: %d, want 409", samordna.HTTPStatus(err))
		}
		// Someone without access still gets not found.
		_, err = a.SubmitApplication(ctx, as["ola.laerer"], id, app.NewApplication{IndividualPlan: true})
		wantErrCode(t, err, "not_found")

		// Reopening: the coordinating unit only, with a note.
		_, err = a.ReopenCase(ctx, as["ingrid.hs"], id, "Familien flyttet tilbake.")
		wantErrCode(t, err, "not_found")
		_, err = a.ReopenCase(ctx, as["kari.ke"], id, "")
		wantErrCode(t, err, "reopen_note_required")
		c, err = a.ReopenCase(ctx, as["kari.ke"], id, "Familien flyttet tilbake.")
		if err != nil || c.Status != samordna.CaseOpen || c.ClosedAt != nil {
			t.Fatalf("reopen = %+v, %v", c, err)
		}
		if notices("ingrid.hs", app.NoticeCaseReopened) != 1 {
			t.Error("the coordinator was not told of the reopening")
		}
		if n := countRows(t, db, `SELECT COUNT(*) FROM audit_events WHERE action = 'reopen_case' AND case_id = $1
			AND actor_username = 'kari.ke' AND outcome = 'allowed'`, id); n != 1 {
			t.Errorf("reopen_case audit rows: %d", n)
		}
		_, err = a.ReopenCase(ctx, as["kari.ke"], id, "Igjen.")
		wantErrCode(t, err, "case_not_closed")
		// Open again: writes work.
		if _, err := a.SubmitApplication(ctx, as["ingrid.hs"], id, app.NewApplication{IndividualPlan: true}); err != nil {
			t.Errorf("write after reopening: %v", err)
		}
	})
}

func hasEvent(evs []samordna.CaseEvent, kind string) bool {
	for _, e := range evs {
		if e.Kind == kind {
			return true
		}
	}
	return false
}

// A case nobody took over (an anonymous consultation that ended) is the
// discoverer's to close and reopen; once an application awaits the
// coordinating unit, the discoverer no longer may, and the unit may.
func TestCloseCaseByDiscoverer(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		a, _ := seedDemo(t, db)
		ctx := context.Background()
		as := demoActors(t, db)
		con, err := a.RegisterConcern(ctx, as["ola.laerer"], app.NewConcern{Situation: pathway.SituationUnclearConcern,
			Anonymous: true, Description: "En elev virker sliten og lei seg."})
		if err != nil {
			t.Fatal(err)
		}
		id := con.Case.ID
		for _, u := range []string{"kari.ke", "ingrid.hs"} {
			_, err := a.CloseCase(ctx, as[u], id, app.CloseFollowUpEnded, "")
			wantErrCode(t, err, "not_found")
		}
		if c, err := a.CloseCase(ctx, as["ola.laerer"], id, app.CloseFollowUpEnded, ""); err != nil || c.Status != samordna.CaseClosed {
			t.Fatalf("discoverer closes: %+v, %v", c, err)
		}
		if n := countRows(t, db, `SELECT COUNT(*) FROM tasks WHERE case_id = $1 AND status = 'open'`, id); n != 0 {
			t.Errorf("%d open tasks left", n)
		}
		if c, err := a.ReopenCase(ctx, as["ola.laerer"], id, "Eleven trenger likevel hjelp."); err != nil || c.Status != samordna.CaseOpen {
			t.Fatalf("discoverer reopens: %+v, %v", c, err)
		}

		// Terje's case awaits the coordinating unit's decision.
		terje := ""
		for _, c := range casesOf(t, db, demoPerson(t, db, "Terje Nilsen").ID) {
			if countRows(t, db, `SELECT COUNT(*) FROM applications WHERE case_id = $1 AND status = 'submitted'`, c) == 1 {
				terje = c
			}
		}
		_, err = a.CloseCase(ctx, as["lars.nav"], terje, app.CloseDeclined, "")
		wantErrCode(t, err, "not_found")
		if c, err := a.CloseCase(ctx, as["kari.ke"], terje, app.CloseDeclined, ""); err != nil || c.Status != samordna.CaseClosed {
			t.Fatalf("the unit closes: %+v, %v", c, err)
		}
	})
}
