package app_test

import (
	"context"
	"testing"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/internal/matrixtest"
	"github.com/samordna/samordna/store"
)

// The coordinator sees who read, changed or was refused the case, in which
// role; reading the log is itself logged; others may not read it.
func TestCaseAccessLog(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newSpineWorld(t, db)
		ctx := context.Background()
		caseID, _ := w.namedCase("ola.laerer")
		w.write(func(tx *store.Tx) error {
			return matrixtest.AddCoordinator(tx, caseID, w.emp["anne.ppt"].ID, w.emp["kari.ke"].ID, w.clock.Now(), false)
		})
		w.readable("ola.laerer", caseID)
		w.readable("ola.laerer", caseID)
		w.readable("per.bv", caseID)

		for _, u := range []string{"ola.laerer", "per.bv", "kari.ke", "admin"} {
			if _, err := w.a.CaseAccessLog(ctx, w.actor(u), caseID, "", 100); err != samordna.ErrNotFound {
				t.Errorf("%s reads the access log: %v", u, err)
			}
		}
		row := w.oneAudit("reading the log", func() {
			page, err := w.a.CaseAccessLog(ctx, w.actor("anne.ppt"), caseID, "", 100)
			if err != nil {
				t.Fatal(err)
			}
			var teacherReads, refused int
			for _, x := range page.Items {
				switch {
				case x.Username == "ola.laerer" && x.Action == "read" && x.Outcome == samordna.OutcomeAllowed:
					teacherReads++
					if x.Name != "Ola Brekke" || x.Role != "employee" || x.Service != "Nordby skole" || x.Purpose != "registered" {
						t.Errorf("teacher's entry: %+v", x)
					}
				case x.Username == "per.bv" && x.Outcome == samordna.OutcomeDenied:
					refused++
					if x.Role != "child_welfare" || x.Name != "Per Strand" {
						t.Errorf("per's entry: %+v", x)
					}
				}
			}
			if teacherReads != 2 || refused < 1 {
				t.Errorf("the log shows %d reads by the teacher and %d refusals of per.bv; want 2 and at least 1:\n%+v",
					teacherReads, refused, page.Items)
			}
		})
		if row.Action != "read_access_log" || row.CaseID != caseID {
			t.Errorf("audit row of the log read: %+v", row)
		}
		page, err := w.a.CaseAccessLog(ctx, w.actor("anne.ppt"), caseID, "", 2)
		if err != nil || len(page.Items) != 2 || page.Next == "" {
			t.Fatalf("first page of 2: %+v, %v", page, err)
		}
		if page.Items[0].Action != "read_access_log" || page.Items[0].Username != "anne.ppt" {
			t.Errorf("the newest entry is not the earlier log read: %+v", page.Items[0])
		}
		next, err := w.a.CaseAccessLog(ctx, w.actor("anne.ppt"), caseID, page.Next, 2)
		if err != nil || len(next.Items) == 0 || next.Items[0].Seq >= page.Items[1].Seq {
			t.Fatalf("second page: %+v, %v", next, err)
		}
		_, err = w.a.CaseAccessLog(ctx, w.actor("anne.ppt"), caseID, "x", 2)
		wantSpineCode(t, err, samordna.KindInvalid, "bad_cursor")
	})
}

// A case with more entries than a page: the default page (100) says there
// is a next one, and following next reads every entry exactly once, newest
// first, until next is empty. (The default page used to end at 100 entries
// with no next, hiding every older entry.)
func TestCaseAccessLogPagesPastTheDefaultPage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newSpineWorld(t, db)
		ctx := context.Background()
		caseID, _ := w.namedCase("ola.laerer")
		w.write(func(tx *store.Tx) error {
			return matrixtest.AddCoordinator(tx, caseID, w.emp["anne.ppt"].ID, w.emp["kari.ke"].ID, w.clock.Now(), false)
		})
		for range 130 {
			w.readable("ola.laerer", caseID)
		}
		var want int
		w.read(func(tx *store.Tx) error {
			return tx.QueryRow(`SELECT COUNT(*) FROM audit_events WHERE case_id = $1`, caseID).Scan(&want)
		})
		seen := map[int64]bool{}
		cursor, pages := "", 0
		var last int64
		for {
			// limit 0 is the default page, as the API and the pages ask for it.
			page, err := w.a.CaseAccessLog(ctx, w.actor("anne.ppt"), caseID, cursor, 0)
			if err != nil {
				t.Fatal(err)
			}
			pages++
			for _, x := range page.Items {
				if seen[x.Seq] || (last != 0 && x.Seq >= last) {
					t.Fatalf("entry %d repeated or out of order", x.Seq)
				}
				seen[x.Seq], last = true, x.Seq
			}
			if page.Next == "" {
				break
			}
			if len(page.Items) != 100 {
				t.Fatalf("page %d has %d entries and a next page", pages, len(page.Items))
			}
			cursor = page.Next
		}
		// Each read of the log adds a newer row, which pages that continue
		// before the first page's rows never show: exactly the rows that
		// existed before the first read are seen.
		if len(seen) != want || pages < 2 {
			t.Fatalf("read %d entries in %d pages; the case had %d before the log was read", len(seen), pages, want)
		}
	})
}
