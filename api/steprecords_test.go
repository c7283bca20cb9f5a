package api_test

import (
	"testing"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// openTaskOf returns the id of the case's open task for the step.
func openTaskOf(t *testing.T, c *coordAPI, user, caseID, stepID string) string {
	t.Helper()
	for _, x := range c.want(200, user, "GET", "/api/v1/tasks?status=open&case_id="+caseID, nil)["items"].([]any) {
		task := x.(map[string]any)
		if task["step_id"] == stepID {
			return task["id"].(string)
		}
	}
	t.Fatalf("no open %s task on %s", stepID, caseID)
	return ""
}

// Seed 000 over HTTP. Framgangsmåte: the conversation records the concern,
// whether there are children and the advice given; completing the task
// with a record left empty answers 200 with a record_missing warning, and
// a record the step does not ask for 400 unknown_record. Situation 5: whom
// the discoverer contacted in the acute situation, and when, is recorded
// and listed; an employee without the case gets 404.
func TestSeed000StepRecordsAndAcuteContactsOverHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		c := newCoordAPI(t, db)
		child := samordna.SyntheticIDNumber(time.Date(2024, 1, 9, 0, 0, 0, 0, time.UTC), 312)
		m := c.want(201, "ola.laerer", "POST", "/api/v1/concerns", map[string]any{"situation": "unclear_concern",
			"anonymous": false, "subject": map[string]any{"fnr": child, "name": "Lea Lund"}, "description": "Sliten mor."})
		caseID := m["case_id"].(string)
		c.want(200, "ola.laerer", "POST", "/api/v1/tasks/"+openTaskOf(t, c, "ola.laerer", caseID, "consult")+"/complete", nil)

		conv := openTaskOf(t, c, "ola.laerer", caseID, "conversation")
		task := c.want(200, "ola.laerer", "GET", "/api/v1/tasks/"+conv, nil)
		if recs, _ := task["records"].([]any); len(recs) != 3 {
			t.Errorf("the conversation asks for %v", task["records"])
		}
		m = c.want(400, "ola.laerer", "POST", "/api/v1/tasks/"+conv+"/complete",
			map[string]any{"records": map[string]any{"follow_up_need": "Noe"}})
		if errCode(m) != "unknown_record" {
			t.Errorf("a record the step does not ask for: %v", m)
		}
		m = c.want(200, "ola.laerer", "POST", "/api/v1/tasks/"+conv+"/complete", map[string]any{"records": map[string]any{
			"conversation": "Mor er sliten og drikker mer enn før.", "children": "Lea, 2 år."}})
		ws, _ := m["warnings"].([]any)
		if len(ws) != 1 || ws[0].(map[string]any)["code"] != "record_missing" {
			t.Errorf("warnings %v, want record_missing for the advice", m["warnings"])
		}
		if vals, _ := m["record_values"].(map[string]any); vals["children"] != "Lea, 2 år." {
			t.Errorf("record values %v", m["record_values"])
		}

		// Situation 5: acute contacts.
		c.want(201, "ola.laerer", "POST", "/api/v1/cases/"+caseID+"/acute-contacts",
			map[string]any{"contacted": "police", "note": "Operasjonssentralen"})
		m = c.want(400, "ola.laerer", "POST", "/api/v1/cases/"+caseID+"/acute-contacts",
			map[string]any{"contacted": "other"})
		if errCode(m) != "note_required" {
			t.Errorf("other without a name: %v", m)
		}
		m = c.want(400, "ola.laerer", "POST", "/api/v1/cases/"+caseID+"/acute-contacts",
			map[string]any{"contacted": "emergency_room", "contacted_at": "i går"})
		if errCode(m) != "invalid_time" {
			t.Errorf("a bad time: %v", m)
		}
		c.want(404, "per.bv", "POST", "/api/v1/cases/"+caseID+"/acute-contacts", map[string]any{"contacted": "police"})
		c.want(404, "per.bv", "GET", "/api/v1/cases/"+caseID+"/acute-contacts", nil)
		items := c.want(200, "ola.laerer", "GET", "/api/v1/cases/"+caseID+"/acute-contacts", nil)["items"].([]any)
		if len(items) != 1 || items[0].(map[string]any)["contacted"] != "police" || items[0].(map[string]any)["recorded_by"] == "" {
			t.Errorf("acute contacts %v", items)
		}
	})
}
