package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// closeCase closes the case at `at` in the database, as the bench
// generator and imports do (CloseCase, caseclose.go, closes at the
// clock's now and ends the case's work; these tests need past dates).
func closeCase(t *testing.T, db *store.DB, caseID string, at time.Time) {
	t.Helper()
	err := db.Write(context.Background(), func(tx *store.Tx) error {
		_, err := tx.Exec(`UPDATE cases SET status = 'closed', closed_at = $1 WHERE id = $2`, at, caseID)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// casesOf returns the ids of the person's cases.
func casesOf(t *testing.T, db *store.DB, personID string) []string {
	t.Helper()
	var ids []string
	err := db.Read(context.Background(), func(tx *store.Tx) error {
		cs, err := store.CasesOfPerson(tx, personID)
		for _, c := range cs {
			ids = append(ids, c.ID)
		}
		return err
	})
	if err != nil || len(ids) == 0 {
		t.Fatalf("cases of %s: %v", personID, err)
	}
	return ids
}

// caseText is every free text of the case's content that the purge must
// remove, joined: concerns, consents, group members by name, minutes,
// plans and reports.
func caseText(t *testing.T, db *store.DB, caseID string) string {
	t.Helper()
	var parts []string
	err := db.Read(context.Background(), func(tx *store.Tx) error {
		for _, q := range []string{
			`SELECT description FROM concerns WHERE case_id = $1`,
			`SELECT given_by_name FROM consents WHERE case_id = $1`,
			`SELECT m.name FROM group_members m JOIN responsibility_groups g ON g.id = m.group_id
			 WHERE g.case_id = $1 AND m.employee_id IS NULL`,
			`SELECT n.content FROM meeting_minutes n JOIN meetings m ON m.id = n.meeting_id WHERE m.case_id = $1`,
			`SELECT v.content FROM plan_versions v JOIN plans p ON p.id = v.plan_id WHERE p.case_id = $1`,
			`SELECT description FROM child_welfare_reports WHERE case_id = $1`,
			`SELECT title FROM tasks WHERE case_id = $1`,
		} {
			rows, err := tx.Query(q, caseID)
			if err != nil {
				return err
			}
			for rows.Next() {
				var s string
				if err := rows.Scan(&s); err != nil {
					rows.Close()
					return err
				}
				parts = append(parts, s)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(parts, "\n")
}

// auditHashes returns every audit row's hash in order, after checking
// that the chain verifies as `samordna audit verify` does.
func auditHashes(t *testing.T, a *app.App, db *store.DB) []string {
	t.Helper()
	if _, err := a.VerifyAudit(context.Background()); err != nil {
		t.Fatalf("audit chain: %v", err)
	}
	var hashes []string
	err := db.Read(context.Background(), func(tx *store.Tx) error {
		rows, err := tx.Query(`SELECT hash FROM audit_events ORDER BY seq`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var h string
			if err := rows.Scan(&h); err != nil {
				return err
			}
			hashes = append(hashes, h)
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatalf("audit chain: %v", err)
	}
	return hashes
}

// Retention: with no period set the sweep deletes nothing. The
// administrator reviews how many cases a period would affect, then sets
// it (an audited change; only the administrator may). The sweep then
// deletes the content of the closed cases past the period and anonymises
// their person, once; an open case and a recently closed case are
// untouched; the audit trail is not rewritten and its chain verifies.
func TestRetentionPurgesClosedCasesPastThePeriod(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		a, _ := seedDemo(t, db)
		ctx := context.Background()
		as := demoActors(t, db)
		oliver := demoPerson(t, db, "Oliver Berg")
		groupCase := personCase(t, db, oliver.ID)
		if _, err := a.SendReport(ctx, as["ingrid.hs"], groupCase, app.NewReport{Kind: app.ReportChildWelfare,
			Description: "Mor møtte ruset til henting i barnehagen i dag."}); err != nil {
			t.Fatal(err)
		}
		if _, err := a.CreatePlan(ctx, as["ingrid.hs"], groupCase, app.PlanInput{Kind: app.PlanAction,
			WhatMatters: "Oliver skal ha trygge voksne rundt seg hver dag."}); err != nil {
			t.Fatal(err)
		}
		// A scanned, signed consent form on Oliver's case.
		err := db.Write(ctx, func(tx *store.Tx) error {
			return store.CreateConsentForm(tx, &store.ConsentForm{ID: samordna.NewID(), CaseID: groupCase,
				ContentType: "application/pdf", Size: 15, SHA256: "x", Data: []byte("%PDF-1.4\n%%EOF\n"),
				UploadedBy: as["ingrid.hs"].Employee.ID, UploadedAt: demoToday})
		})
		if err != nil {
			t.Fatal(err)
		}
		// Oliver's cases closed three years ago; Emma's a month ago; Sofie's open.
		for _, id := range casesOf(t, db, oliver.ID) {
			closeCase(t, db, id, demoToday.AddDate(-3, 0, 0))
		}
		emma := demoPerson(t, db, "Emma Hansen")
		emmaCases := casesOf(t, db, emma.ID)
		closeCase(t, db, emmaCases[0], demoToday.AddDate(0, -1, 0))
		sofie := demoPerson(t, db, "Sofie Berg")
		sofieCase := casesOf(t, db, sofie.ID)[0]
		forms := func() int {
			var n int
			if err := db.Read(ctx, func(tx *store.Tx) error {
				return tx.QueryRow(`SELECT COUNT(*) FROM consent_forms WHERE case_id = $1`, groupCase).Scan(&n)
			}); err != nil {
				t.Fatal(err)
			}
			return n
		}
		// No period: the sweep deletes nothing (it escalates what is
		// overdue, which adds tasks; the snapshot is taken after it).
		res, err := a.SweepOverdue(ctx, demoToday)
		if err != nil || res.Purged != 0 || forms() != 1 {
			t.Fatalf("without a period: %+v, %v", res, err)
		}
		before := map[string]string{groupCase: caseText(t, db, groupCase), emmaCases[0]: caseText(t, db, emmaCases[0]),
			sofieCase: caseText(t, db, sofieCase)}
		for _, want := range []string{"utrygg i barnehagen", "Camilla Berg", "Mor forteller", "trygge voksne", "møtte ruset",
			"Ukentlige samtaler med mor"} {
			if !strings.Contains(before[groupCase], want) {
				t.Fatalf("without a period the case lost %q", want)
			}
		}

		// Only the administrator reviews and sets the period; bad periods change nothing.
		for _, u := range []string{"kari.ke", "ingrid.hs", "nils.leder"} {
			_, err := a.RetentionPreview(ctx, as[u], 24)
			wantErrCode(t, err, "not_found")
			_, err = a.SetRetention(ctx, as[u], 24)
			wantErrCode(t, err, "not_found")
			_, err = a.Retention(ctx, as[u])
			wantErrCode(t, err, "not_found")
		}
		for _, bad := range []int{-1, app.RetentionMaxMonths + 1} {
			_, err := a.SetRetention(ctx, as["admin"], bad)
			wantErrCode(t, err, "invalid_retention")
		}
		if v, err := a.Retention(ctx, as["admin"]); err != nil || v.Months != 0 || v.SetAt != nil {
			t.Fatalf("retention before it is set = %+v, %v", v, err)
		}
		if n, err := a.RetentionPreview(ctx, as["admin"], 24); err != nil || n != 2 {
			t.Errorf("preview of 24 months: %d, %v (want Oliver's two cases)", n, err)
		}
		if n, err := a.RetentionPreview(ctx, as["admin"], 48); err != nil || n != 0 {
			t.Errorf("preview of 48 months: %d, %v", n, err)
		}
		v, err := a.SetRetention(ctx, as["admin"], 24)
		if err != nil || v.Months != 24 || v.Expired != 2 || v.SetByName != as["admin"].Employee.Name || v.SetAt == nil {
			t.Fatalf("set = %+v, %v", v, err)
		}
		var setRows int
		err = db.Read(ctx, func(tx *store.Tx) error {
			return tx.QueryRow(`SELECT COUNT(*) FROM audit_events WHERE action = 'set_retention'
				AND actor_username = 'admin' AND purpose = 'retention_months=24'`).Scan(&setRows)
		})
		if err != nil || setRows != 1 {
			t.Errorf("set_retention audit rows: %d, %v", setRows, err)
		}

		chain := auditHashes(t, a, db)
		res, err = a.SweepOverdue(ctx, demoToday)
		if err != nil || res.Purged != 2 {
			t.Fatalf("sweep: %+v, %v", res, err)
		}
		after := auditHashes(t, a, db)
		if len(after) <= len(chain) || strings.Join(after[:len(chain)], ",") != strings.Join(chain, ",") {
			t.Error("the purge changed audit rows (it may only append)")
		}

		// Oliver's case lost its content; he is anonymised.
		if n := forms(); n != 0 {
			t.Errorf("%d signed consent forms left on the purged case", n)
		}
		left := caseText(t, db, groupCase)
		for _, gone := range []string{"utrygg i barnehagen", "Camilla Berg", "Mor forteller", "trygge voksne", "møtte ruset",
			"Ukentlige samtaler med mor"} {
			if strings.Contains(left, gone) {
				t.Errorf("the purged case still holds %q", gone)
			}
		}
		err = db.Read(ctx, func(tx *store.Tx) error {
			p, err := store.PersonByID(tx, oliver.ID)
			if err != nil {
				return err
			}
			if p.Name != "" || p.IDNumber != "" || p.BirthDate != "" {
				t.Errorf("Oliver is not anonymised: %+v", p)
			}
			if _, err := store.PersonByIDNumber(tx, oliver.IDNumber); err != samordna.ErrNotFound {
				t.Errorf("Oliver's number is still found: %v", err)
			}
			// His mother stays: Sofie's open case needs her.
			m, err := store.PersonByID(tx, demoPerson(t, db, "Camilla Berg").ID)
			if err != nil || m.IDNumber == "" {
				t.Errorf("Camilla was anonymised: %+v, %v", m, err)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		// The open case and the recently closed one are untouched.
		for _, id := range []string{emmaCases[0], sofieCase} {
			if caseText(t, db, id) != before[id] {
				t.Errorf("case %s changed", id)
			}
		}
		if p := demoPerson(t, db, "Emma Hansen"); p.IDNumber != emma.IDNumber {
			t.Errorf("Emma changed: %+v", p)
		}
		// The purged case still opens for its coordinator, empty, and its
		// finalised minutes pass their checksum.
		g, err := a.GetGroup(ctx, as["ingrid.hs"], groupCase)
		if err != nil || len(g.Meetings) == 0 {
			t.Fatalf("group of the purged case: %v", err)
		}
		m, err := a.GetMeeting(ctx, as["ingrid.hs"], g.Meetings[0].ID)
		if err != nil || m.Minutes == nil || m.Minutes.PersonAccount != "" {
			t.Errorf("meeting of the purged case: %v", err)
		}
		// The export shows what happened.
		x, err := a.ExportPersonData(ctx, as["kari.ke"], oliver.ID, app.ExportActionJSON)
		if err != nil || x.Person.AnonymisedAt == nil || x.Cases[0].PurgedAt == nil {
			t.Errorf("export after the purge: %+v, %v", x, err)
		}
		// Once.
		if res, err := a.SweepOverdue(ctx, demoToday.Add(time.Hour)); err != nil || res.Purged != 0 {
			t.Errorf("second sweep: %+v, %v", res, err)
		}
	})
}
