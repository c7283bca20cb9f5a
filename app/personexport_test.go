package app_test

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// demoActors returns the demo's employees as actors, by username.
func demoActors(t *testing.T, db *store.DB) map[string]*samordna.Actor {
	t.Helper()
	out := map[string]*samordna.Actor{}
	err := db.Read(context.Background(), func(tx *store.Tx) error {
		emps, err := store.ListEmployees(tx)
		for _, e := range emps {
			out[e.Username] = &samordna.Actor{Employee: e, RequestID: "test"}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// demoPerson returns the demo person with the name.
func demoPerson(t *testing.T, db *store.DB, name string) *samordna.Person {
	t.Helper()
	var found *samordna.Person
	err := db.Read(context.Background(), func(tx *store.Tx) error {
		ps, err := store.ListPersons(tx, 1000)
		for _, p := range ps {
			if p.Name == name {
				found = p
			}
		}
		return err
	})
	if err != nil || found == nil {
		t.Fatalf("no demo person %s: %v", name, err)
	}
	return found
}

// personCase returns the id of the person's case with a responsibility
// group (the demo's Oliver has two cases, one with a group).
func personCase(t *testing.T, db *store.DB, personID string) string {
	t.Helper()
	id := ""
	err := db.Read(context.Background(), func(tx *store.Tx) error {
		cs, err := store.CasesOfPerson(tx, personID)
		for _, c := range cs {
			if g, err := store.OpenGroupOfCase(tx, c.ID); err == nil && g != nil {
				id = c.ID
			}
		}
		return err
	})
	if err != nil || id == "" {
		t.Fatalf("the person's case with a group: %q, %v", id, err)
	}
	return id
}

// The coordinating unit exports everything Samordna holds about a person:
// the demo's Oliver has a concern, an application with its decision, a
// coordinator, his mother's consent, a responsibility group with two
// meetings and finalised minutes, a plan, and (here) a report to child
// welfare. The export holds each, and the access log of his case and of
// him, names people instead of usernames, and is itself audited on the
// person and in the case's access log. The PDF holds the same text.
func TestExportPersonData(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		a, _ := seedDemo(t, db)
		a.AllowSynthetic = true
		ctx := context.Background()
		as := demoActors(t, db)
		oliver := demoPerson(t, db, "Oliver Berg")
		caseID := personCase(t, db, oliver.ID)
		if _, err := a.SendReport(ctx, as["ingrid.hs"], caseID, app.NewReport{Kind: app.ReportChildWelfare,
			Description: "Mor møtte ruset til henting i barnehagen i dag."}); err != nil {
			t.Fatal(err)
		}
		if _, err := a.CreatePlan(ctx, as["ingrid.hs"], caseID, app.PlanInput{Kind: app.PlanAction,
			WhatMatters: "Oliver skal ha trygge voksne rundt seg hver dag.",
			Goals:       []app.GoalInput{{Text: "Oliver sover hele natta", Term: "short"}}}); err != nil {
			t.Fatal(err)
		}

		p, err := a.FindPersonForExport(ctx, as["kari.ke"], oliver.IDNumber)
		if err != nil || p.ID != oliver.ID {
			t.Fatalf("find = %v, %v", p, err)
		}
		x, err := a.ExportPersonData(ctx, as["kari.ke"], oliver.ID, app.ExportActionJSON)
		if err != nil {
			t.Fatal(err)
		}
		if x.Person.Name != "Oliver Berg" || x.Person.IDNumber != oliver.IDNumber || x.Person.BirthDate != oliver.BirthDate {
			t.Errorf("person = %+v", x.Person)
		}
		if len(x.Relations) == 0 || x.Relations[0].Person != "Camilla Berg" || x.Relations[0].Related != "Oliver Berg" {
			t.Errorf("relations = %+v", x.Relations)
		}
		var c app.ExportCase
		for _, ec := range x.Cases {
			if ec.ID == caseID {
				c = ec
			}
		}
		if len(x.Cases) != 2 || c.ID == "" {
			t.Fatalf("%d cases, the group's case among them: %v", len(x.Cases), c.ID != "")
		}
		ingrid, lise := as["ingrid.hs"].Employee.Name, as["lise.barnehage"].Employee.Name
		checks := map[string]bool{
			"concern":     len(c.Concerns) == 1 && strings.Contains(c.Concerns[0].Description, "utrygg i barnehagen") && c.Concerns[0].RegisteredBy == lise,
			"consent":     hasConsents(c, "Camilla Berg", 3, 2), // newest first: for the group (3 purposes), to the unit before applying (2)
			"application": len(c.Applications) == 1 && c.Applications[0].Status == "granted" && c.Applications[0].Coordinator == ingrid,
			"coordinator": len(c.Coordinators) == 1 && c.Coordinators[0].Name == ingrid,
			"group":       len(c.Groups) == 1 && hasMember(c.Groups[0], "Camilla Berg"),
			"minutes":     hasMinutes(c, "Mor forteller at det går bedre"),
			"plan":        hasPlan(c, "trygge voksne"),
			"report":      len(c.Reports) == 1 && strings.Contains(c.Reports[0].Description, "møtte ruset") && c.Reports[0].SentBy == ingrid,
			"tasks":       len(c.Tasks) > 0,
			"case log":    hasLog(c.AccessLog, ingrid, "send") && hasLog(c.AccessLog, lise, "create"),
			"person log":  hasLog(x.AccessLog, as["kari.ke"].Employee.Name, "find_person"),
		}
		for what, ok := range checks {
			if !ok {
				t.Errorf("the export lacks the %s", what)
			}
		}
		b, err := json.Marshal(x)
		if err != nil {
			t.Fatal(err)
		}
		for _, username := range []string{"ingrid.hs", "lise.barnehage", "kari.ke", "siv.rus"} {
			if strings.Contains(string(b), username) {
				t.Errorf("the export names %s by username", username)
			}
		}

		// Audited: on the person, and in the case's access log.
		var personRows int
		err = db.Read(ctx, func(tx *store.Tx) error {
			rows, err := store.ListAudit(tx, store.AuditFilter{PersonID: oliver.ID, Limit: 100})
			for _, r := range rows {
				if r.Action == app.ExportActionJSON && r.CaseID == "" && r.ActorUsername == "kari.ke" &&
					r.Outcome == samordna.OutcomeAllowed && r.Purpose == "data_subject_access" {
					personRows++
				}
			}
			return err
		})
		if err != nil || personRows != 1 {
			t.Errorf("person-level export rows: %d, %v", personRows, err)
		}
		log, err := a.CaseAccessLog(ctx, as["ingrid.hs"], caseID, "", 10)
		if err != nil {
			t.Fatal(err)
		}
		if log.Items[0].Action != app.ExportActionJSON || log.Items[0].Username != "kari.ke" {
			t.Errorf("the case's access log does not show the export: %+v", log.Items[:2])
		}

		// The PDF: the same content, names and dates dd.mm.åååå, checked
		// with qpdf and pdftotext.
		pdf, name, err := a.ExportPersonPDF(ctx, as["kari.ke"], oliver.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !regexp.MustCompile(`^innsyn-\d\d\.\d\d\.\d{4}\.pdf$`).MatchString(name) {
			t.Errorf("file name %q, want innsyn-dd.mm.åååå.pdf", name)
		}
		text := strings.Join(strings.Fields(pdfText(t, pdf)), " ")
		wantUsersLanguage(t, text, "ingrid.hs", "lise.barnehage", "kari.ke") // issue 13
		for _, want := range []string{"Innsyn: opplysninger om Oliver Berg", oliver.IDNumber, "Camilla Berg",
			"utrygg i barnehagen", "Mor forteller at det går bedre", "trygge voksne", "møtte ruset",
			ingrid, lise, "Tilgangslogg for saken", "Innsyn (JSON)", "02.03.2026"} {
			if !strings.Contains(text, want) {
				t.Errorf("the PDF lacks %q", want)
			}
		}
		for _, username := range []string{"ingrid.hs", "lise.barnehage", "kari.ke"} {
			if strings.Contains(text, username) {
				t.Errorf("the PDF names %s by username", username)
			}
		}
	})
}

// Only the coordinating unit exports a person: the coordinator, the
// discoverer, child welfare, a leader and the administrator get not
// found, exactly as for a person that does not exist, and each refusal is
// audited. A unit caseworker barred from one of the person's cases cannot
// export the person either.
func TestExportPersonDataOnlyForTheUnit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		a, _ := seedDemo(t, db)
		a.AllowSynthetic = true
		ctx := context.Background()
		as := demoActors(t, db)
		oliver := demoPerson(t, db, "Oliver Berg")
		countDenied := func() int {
			n := 0
			err := db.Read(ctx, func(tx *store.Tx) error {
				rows, err := store.ListAudit(tx, store.AuditFilter{PersonID: oliver.ID, Limit: 100})
				for _, r := range rows {
					if r.Outcome == samordna.OutcomeDenied && r.ObjectType == "person" {
						n++
					}
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		for _, u := range []string{"ingrid.hs", "lise.barnehage", "per.bv", "nils.leder", "admin"} {
			_, err := a.ExportPersonData(ctx, as[u], oliver.ID, app.ExportActionJSON)
			wantErrCode(t, err, "not_found")
			_, _, err = a.ExportPersonPDF(ctx, as[u], oliver.ID)
			wantErrCode(t, err, "not_found")
			_, err = a.FindPersonForExport(ctx, as[u], oliver.IDNumber)
			wantErrCode(t, err, "not_found")
		}
		if n := countDenied(); n != 10 {
			t.Errorf("%d denied rows on the person, want 10", n)
		}
		_, err := a.ExportPersonData(ctx, as["kari.ke"], "no-such-person", app.ExportActionJSON)
		wantErrCode(t, err, "not_found")
		_, err = a.FindPersonForExport(ctx, as["kari.ke"], "12345678901")
		wantErrCode(t, err, "invalid_id_number")

		// A block on Oliver's case bars jon.ke of the unit from the export.
		caseID := personCase(t, db, oliver.ID)
		if _, err := a.BlockEmployee(ctx, as["ingrid.hs"], caseID, "jon.ke", "Personens ønske"); err != nil {
			t.Fatal(err)
		}
		_, err = a.ExportPersonData(ctx, as["jon.ke"], oliver.ID, app.ExportActionJSON)
		wantErrCode(t, err, "not_found")
		if _, err := a.ExportPersonData(ctx, as["kari.ke"], oliver.ID, app.ExportActionPreview); err != nil {
			t.Errorf("kari.ke: %v", err)
		}
	})
}

func hasMember(g app.ExportGroup, name string) bool {
	for _, m := range g.Members {
		if m.Name == name {
			return true
		}
	}
	return false
}

func hasMinutes(c app.ExportCase, text string) bool {
	for _, m := range c.Meetings {
		if m.Minutes != nil && m.MinutesStatus == "finalised" && strings.Contains(m.Minutes.PersonAccount, text) {
			return true
		}
	}
	return false
}

func hasPlan(c app.ExportCase, text string) bool {
	for _, p := range c.Plans {
		if strings.Contains(p.WhatMatters, text) {
			return true
		}
	}
	return false
}

func hasLog(log []app.ExportLogEntry, name, action string) bool {
	for _, e := range log {
		if e.Name == name && e.Action == action {
			return true
		}
	}
	return false
}

// hasConsents tells whether the case's consents are exactly ones given by
// giver, with these numbers of purposes, newest first.
func hasConsents(c app.ExportCase, giver string, purposes ...int) bool {
	if len(c.Consents) != len(purposes) {
		return false
	}
	for i, k := range c.Consents {
		if k.GivenBy != giver || len(k.Purposes) != purposes[i] {
			return false
		}
	}
	return true
}
