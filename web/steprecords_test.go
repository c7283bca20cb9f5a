package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// Seed 000 on the routine page. Framgangsmåte: the conversation task asks
// for the concern, children and advice as fields; completing it with the
// advice left empty says so, and the done task shows what was written and
// what was not. Situation 5: whom the employee contacted in the acute
// situation is recorded on the same page and listed.
func TestSeed000RecordsAndAcuteContactsOnTheRoutinePage(t *testing.T) {
	e := newEnv(t, dbtest.Open(t, store.SQLite))
	c := e.employeeLogin()
	casePage, caseID := e.anonymousConcern(c, "En mor virker sliten.")
	nb := &http.Cookie{Name: "samordna_lang", Value: "nb"}
	r := e.post("/cases/"+caseID+"/consultations", url.Values{"with": {"leader"}, "mode": {"anonymous"},
		"adviser_name": {"Nils Leder"}, "participants": {"Nils Leder"}, "advice": {"Ta en samtale."}}, c)
	if r.status != http.StatusSeeOther {
		t.Fatalf("POST consultation: %d\n%s", r.status, r.body)
	}
	body := e.get(casePage, c, nb).body
	if !strings.Contains(body, `name="record_conversation"`) || !strings.Contains(body, `name="record_children"`) ||
		!strings.Contains(body, "Råd som ble gitt") {
		t.Fatal("the conversation task does not ask for the concern, children and advice")
	}
	m := regexp.MustCompile(`action="/tasks/([^/"]+)/complete"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no task to complete on the page")
	}
	r = e.post("/tasks/"+m[1]+"/complete", url.Values{"return": {casePage},
		"record_conversation": {"Mor forteller om søvnløshet og mer alkohol."}, "record_children": {"Ett barn, 2 år."}}, c)
	if r.status != http.StatusSeeOther || !strings.Contains(r.location(), "done=task_completed_records_missing") {
		t.Fatalf("complete: %d %s", r.status, r.location())
	}
	body = e.get(r.location(), c, nb).body
	if !strings.Contains(body, "Ett barn, 2 år.") || !strings.Contains(body, "Ikke dokumentert") ||
		!strings.Contains(body, "noe av det steget ber om å dokumentere") {
		t.Error("the done task does not show what was written and what was not")
	}

	r = e.post("/cases/"+caseID+"/acute-contacts", url.Values{"contacted": {"child_welfare_on_duty"},
		"note": {"Vakthavende tok imot"}}, c)
	if r.status != http.StatusSeeOther {
		t.Fatalf("POST acute contact: %d\n%s", r.status, r.body)
	}
	r = e.post("/cases/"+caseID+"/acute-contacts", url.Values{"contacted": {"police"}, "date": {"31.02.2026"}, "time": {"25:00"}}, c)
	if r.status != http.StatusBadRequest || !strings.Contains(r.body, "dd.mm.åååå") {
		t.Errorf("a bad time: %d", r.status)
	}
	body = e.get(casePage, c, nb).body
	if !strings.Contains(body, "Barnevernvakten") || !strings.Contains(body, "Vakthavende tok imot") {
		t.Error("the acute contact is not listed on the routine page")
	}
}
