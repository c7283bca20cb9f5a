package store_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/access"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

var caseListNow = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// caseListWorld is a municipality whose cases reach the coordinating unit
// and child welfare in every way the case list must follow, and a
// neighbour's applied case that must never show.
type caseListWorld struct {
	mid, neighbour string              // municipality ids
	ids            map[string]string   // employee ids by username
	cases          map[string]string   // case ids by name
	want           map[string][]string // by username, the names of the cases it may read
}

// seedCaseList creates the world.
func seedCaseList(t *testing.T, db *store.DB) *caseListWorld {
	t.Helper()
	w := &caseListWorld{cases: map[string]string{}}
	w.mid, w.ids = orgSeed(t, db, "unit", "cw", "both", "disc")
	orgWrite(t, db, func(tx *store.Tx) error {
		if err := seedCaseListPeople(tx, w); err != nil {
			return err
		}
		if err := seedCaseListCases(tx, w); err != nil {
			return err
		}
		return seedCaseListRelations(tx, w)
	})
	applied := []string{"applied1", "applied2", "applied3", "applied4", "applied5", "applied6", "lifted"}
	reported := []string{"reported", "reported-old"}
	w.want = map[string][]string{
		"unit": append(slices.Clone(applied), "own-unit"),
		"cw":   append(slices.Clone(reported), "own-cw"),
		"both": slices.Concat(applied, reported),
		"disc": {"applied1", "applied2", "applied3", "applied4", "applied5", "applied6", "reported", "reported-old",
			"duty", "plain", "blocked", "lifted"},
	}
	return w
}

// seedCaseListPeople gives the unit, child welfare and "both" their roles
// and makes the neighbour municipality with an employee, "stranger".
func seedCaseListPeople(tx *store.Tx, w *caseListWorld) error {
	for user, roles := range map[string][]samordna.Role{"unit": {samordna.RoleCoordinatingUnit},
		"cw": {samordna.RoleChildWelfare}, "both": {samordna.RoleCoordinatingUnit, samordna.RoleChildWelfare}} {
		for _, r := range roles {
			if err := store.GrantRole(tx, w.ids[user], r); err != nil {
				return err
			}
		}
	}
	n := &samordna.Municipality{ID: samordna.NewID(), Name: "Nabovik", Number: "9997"}
	if err := store.CreateMunicipality(tx, n, caseListNow); err != nil {
		return err
	}
	w.neighbour = n.ID
	stranger := &samordna.Employee{ID: samordna.NewID(), MunicipalityID: n.ID, Username: "stranger",
		Name: "stranger", Roles: []samordna.Role{samordna.RoleEmployee}}
	w.ids["stranger"] = stranger.ID
	return store.CreateEmployee(tx, stranger, "", caseListNow)
}

// seedCaseListCases creates the cases. Several share an updated_at, so the
// cursor's tie-break on id is exercised.
func seedCaseListCases(tx *store.Tx, w *caseListWorld) error {
	child := orgPerson(w.mid, "Emil Moe", 2019, time.May, 17, 1)
	if err := store.CreatePerson(tx, child, caseListNow); err != nil {
		return err
	}
	// name, registered by, minutes before now (updated_at)
	for _, c := range []struct {
		name, by string
		ago      int
	}{
		{"applied1", "disc", 1}, {"applied2", "disc", 2}, {"applied3", "disc", 2}, {"applied4", "disc", 2},
		{"applied5", "disc", 5}, {"applied6", "disc", 9}, {"reported", "disc", 3}, {"reported-old", "disc", 40},
		{"duty", "disc", 4}, {"own-unit", "unit", 6}, {"own-cw", "cw", 6}, {"plain", "disc", 7},
		{"blocked", "disc", 8}, {"lifted", "disc", 8}, {"neighbour", "stranger", 1},
	} {
		m := w.mid
		if c.name == "neighbour" {
			m = w.neighbour
		}
		w.cases[c.name] = samordna.NewID()
		err := store.CreateCase(tx, &samordna.Case{ID: w.cases[c.name], MunicipalityID: m, Origin: samordna.OriginConcern,
			Status: samordna.CaseOpen, Title: c.name, RegisteredBy: w.ids[c.by], SubjectPersonID: child.ID,
			CreatedAt: caseListNow.Add(-time.Duration(c.ago) * time.Minute)})
		if err != nil {
			return err
		}
	}
	return nil
}

// seedCaseListRelations adds the applications, the reports, an active
// block and a lifted one for each of the unit, child welfare and "both".
func seedCaseListRelations(tx *store.Tx, w *caseListWorld) error {
	for _, name := range []string{"applied1", "applied2", "applied3", "applied4", "applied5", "applied6",
		"blocked", "lifted", "neighbour"} {
		m, by := w.mid, w.ids["disc"]
		if name == "neighbour" {
			m, by = w.neighbour, w.ids["stranger"]
		}
		if err := store.CreateApplication(tx, &store.Application{ID: samordna.NewID(), CaseID: w.cases[name],
			MunicipalityID: m, Status: store.ApplicationSubmitted, SubmittedBy: by, SubmittedAt: caseListNow}); err != nil {
			return err
		}
	}
	for name, kind := range map[string]string{"reported": "child_welfare", "reported-old": "child_welfare",
		"blocked": "child_welfare", "duty": "duty_to_inform"} {
		if err := store.CreateReport(tx, &store.Report{ID: samordna.NewID(), CaseID: w.cases[name], MunicipalityID: w.mid,
			Kind: kind, Status: store.ReportSent, SentBy: w.ids["disc"], SentAt: caseListNow}, []byte("%PDF")); err != nil {
			return err
		}
	}
	for _, user := range []string{"unit", "cw", "both"} {
		if err := store.CreateBlock(tx, &store.Block{CaseID: w.cases["blocked"], EmployeeID: w.ids[user],
			Reason: "sperret", CreatedBy: w.ids["disc"], CreatedAt: caseListNow}); err != nil {
			return err
		}
		lifted := &store.Block{ID: samordna.NewID(), CaseID: w.cases["lifted"], EmployeeID: w.ids[user],
			Reason: "opphevet", CreatedBy: w.ids["disc"], CreatedAt: caseListNow}
		if err := store.CreateBlock(tx, lifted); err != nil {
			return err
		}
		if err := store.LiftBlock(tx, lifted.ID, w.ids["disc"], caseListNow); err != nil {
			return err
		}
	}
	return nil
}

// listAll pages through the subject's case list, limit at a time.
func listAll(t *testing.T, db *store.DB, s access.Subject, limit int) []*samordna.Case {
	t.Helper()
	var all []*samordna.Case
	cursor := ""
	for range 100 {
		var page *store.CasePage
		orgRead(t, db, func(tx *store.Tx) error {
			var err error
			page, err = store.ListReadableCases(tx, s, caseListNow, cursor, limit)
			return err
		})
		if len(page.Cases) > limit {
			t.Fatalf("a page of %d cases, limit %d", len(page.Cases), limit)
		}
		all = append(all, page.Cases...)
		if page.Next == "" {
			return all
		}
		cursor = page.Next
	}
	t.Fatal("the cursor never ends")
	return nil
}

// oldForm returns the ids the list returned before it walked the
// municipality's cases: access.ReadableCasesSQL as a set, sorted.
func oldForm(t *testing.T, db *store.DB, s access.Subject) []string {
	t.Helper()
	readable, args := access.ReadableCasesSQL(s, caseListNow, 1)
	var ids []string
	orgRead(t, db, func(tx *store.Tx) error {
		rows, err := tx.Query(`SELECT c.id FROM cases c WHERE c.id IN (`+readable+`)
			ORDER BY c.updated_at DESC, c.id DESC`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return rows.Err()
	})
	return ids
}

// The coordinating unit's and child welfare's case lists page through
// exactly their readable cases, newest first, with the cursor: applied
// cases for the unit, child welfare reports for child welfare, their own
// registrations, never a blocked case or another municipality's, and the
// same cases in the same order as the set-based filter gave before.
func TestCaseListOfUnitAndChildWelfarePages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := seedCaseList(t, db)
		names := map[string]string{}
		for name, id := range w.cases {
			names[id] = name
		}
		for _, user := range []string{"unit", "cw", "both", "disc"} {
			s := subjectOf(t, db, w.ids[user])
			old := oldForm(t, db, s)
			for _, limit := range []int{1, 2, 3, 50} {
				got := listAll(t, db, s, limit)
				var gotIDs, gotNames []string
				for i, c := range got {
					gotIDs, gotNames = append(gotIDs, c.ID), append(gotNames, names[c.ID])
					if i > 0 && c.UpdatedAt.After(got[i-1].UpdatedAt) {
						t.Errorf("%s, limit %d: %s comes after the older %s", user, limit, names[c.ID], names[got[i-1].ID])
					}
				}
				want := slices.Clone(w.want[user])
				slices.Sort(want)
				sortedNames := slices.Sorted(slices.Values(gotNames))
				if !slices.Equal(sortedNames, want) {
					t.Errorf("%s, limit %d: listed %v, want %v", user, limit, sortedNames, want)
				}
				if !slices.Equal(gotIDs, old) {
					var oldNames []string
					for _, id := range old {
						oldNames = append(oldNames, names[id])
					}
					t.Errorf("%s, limit %d: listed %v, the set-based filter gives %v", user, limit, gotNames, oldNames)
				}
			}
		}
	})
}

// The coordinating unit's and child welfare's lists walk the index on
// (municipality_id, updated_at, id) in order and stop after a page,
// instead of collecting and sorting the municipality's applied or reported
// cases: SQLite's plan starts from the index, on the first page and after
// a cursor, and sorts nothing.
func TestCaseListWalksMunicipalityIndex(t *testing.T) {
	db := dbtest.Open(t, store.SQLite)
	w := seedCaseList(t, db)
	for _, user := range []string{"unit", "cw", "both"} {
		s := subjectOf(t, db, w.ids[user])
		for _, cursor := range []string{"", store.CaseCursor(caseListNow, "x")} {
			q, args, err := store.ListReadableCasesSQL(s, caseListNow, cursor, 50)
			if err != nil {
				t.Fatal(err)
			}
			steps := explainSQLite(t, db, q, args...)
			sorts := false // a sort of the whole result, at the top of the plan
			for _, st := range steps {
				sorts = sorts || st.Parent == 0 && strings.Contains(st.Detail, "TEMP B-TREE")
			}
			plan := details(steps)
			if len(plan) == 0 || !strings.Contains(plan[0], "cases_municipality_updated") || sorts {
				t.Errorf("%s (cursor %q): the list does not walk cases_municipality_updated:\n%s",
					user, cursor, strings.Join(plan, "\n"))
			}
		}
	}
}

// CaseBriefs (what a task list shows of each task's case) marks as readable
// exactly the cases the case list shows each user, and gives the subject's
// name only for those.
func TestCaseBriefsReadableAsTheCaseList(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := seedCaseList(t, db)
		var ids []string
		for _, id := range w.cases {
			ids = append(ids, id)
		}
		for _, user := range []string{"unit", "cw", "both", "disc"} {
			s := subjectOf(t, db, w.ids[user])
			var briefs map[string]store.CaseBrief
			orgRead(t, db, func(tx *store.Tx) error {
				var err error
				briefs, err = store.CaseBriefs(tx, s, caseListNow, append(ids, "no-such-case"))
				return err
			})
			if len(briefs) != len(w.cases) {
				t.Errorf("%s: %d briefs for %d cases", user, len(briefs), len(w.cases))
			}
			var readable []string
			for name, id := range w.cases {
				b := briefs[id]
				if b.Readable {
					readable = append(readable, name)
					if b.SubjectName != "Emil Moe" {
						t.Errorf("%s: subject of readable %s is %q", user, name, b.SubjectName)
					}
				} else if b.SubjectName != "" {
					t.Errorf("%s: the subject's name of %s, which they may not read", user, name)
				}
			}
			slices.Sort(readable)
			want := slices.Sorted(slices.Values(w.want[user]))
			if !slices.Equal(readable, want) {
				t.Errorf("%s: readable %v, want %v", user, readable, want)
			}
		}
	})
}
