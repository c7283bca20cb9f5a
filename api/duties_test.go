package api_test

import (
	"strings"
	"testing"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// stepIDsOf returns the step ids of a concern answer's tasks, joined.
func stepIDsOf(m map[string]any) string {
	var ids []string
	tasks, _ := m["tasks"].([]any)
	for _, t := range tasks {
		x, _ := t.(map[string]any)
		ids = append(ids, x["step_id"].(string))
	}
	return strings.Join(ids, ",")
}

// Issue 11 over HTTP. Seed 000, helsepersonelloven § 32 (rule 3): the duty
// to inform goes to health personnel, for a pregnant woman's substance use;
// a teacher gets "involve health personnel" and 404 on duty-to-inform.
// Rule 5 (seed 003 rows 6 and 9) and rule 9 (the municipality's deadlines):
// the new endpoints answer and refuse as described in the OpenAPI document.
func TestDutiesOverHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		c := newCoordAPI(t, db)
		mother := samordna.SyntheticIDNumber(time.Date(1995, 4, 2, 0, 0, 0, 0, time.UTC), 181)
		body := func(problems ...string) map[string]any {
			return map[string]any{"situation": "pregnant", "anonymous": false, "problems": problems,
				"subject": map[string]any{"fnr": mother, "name": "Gina Gravid"}, "description": "Gravid, bruker rusmidler."}
		}
		m := c.want(400, "ola.laerer", "POST", "/api/v1/concerns", body("rus"))
		if errCode(m) != "invalid_problem" {
			t.Errorf("unknown problem: %v", m)
		}
		byTeacher := c.want(201, "ola.laerer", "POST", "/api/v1/concerns", body("substance_use"))
		if ids := stepIDsOf(byTeacher); ids != "consult,involve-health-personnel" {
			t.Errorf("a teacher's tasks: %s", ids)
		}
		if p, _ := byTeacher["problems"].([]any); len(p) != 1 || p[0] != "substance_use" {
			t.Errorf("the concern records %v", byTeacher["problems"])
		}
		teacherCase := byTeacher["case_id"].(string)
		m = c.want(404, "ola.laerer", "POST", "/api/v1/cases/"+teacherCase+"/duty-to-inform",
			map[string]any{"description": "Forsøk", "acute": false})
		if errCode(m) != "not_found" {
			t.Errorf("refusal: %v", m)
		}
		byNurse := c.want(201, "ingrid.hs", "POST", "/api/v1/concerns", body("substance_use"))
		if ids := stepIDsOf(byNurse); !strings.Contains(ids, "duty-to-inform") {
			t.Errorf("the nurse's tasks: %s", ids)
		}
		nurseCase := byNurse["case_id"].(string)
		c.want(201, "ingrid.hs", "POST", "/api/v1/cases/"+nurseCase+"/duty-to-inform",
			map[string]any{"description": "Overveiende sannsynlig skade.", "acute": false})
		// Mental illness alone: no duty.
		if ids := stepIDsOf(c.want(201, "ingrid.hs", "POST", "/api/v1/concerns", body("mental_illness"))); ids != "consult" {
			t.Errorf("mental illness alone: %s", ids)
		}

		// Rule 5: the routine gives this case to nobody in child welfare; a deviation needs its task.
		c.want(404, "per.bv", "POST", "/api/v1/cases/"+nurseCase+"/coordinator/by-routine", nil)
		m = c.want(422, "ingrid.hs", "POST", "/api/v1/cases/"+nurseCase+"/deviations", map[string]any{"description": "Ikke fulgt opp"})
		if errCode(m) != "task_required" {
			t.Errorf("deviation without task: %v", m)
		}
		c.want(404, "ola.laerer", "GET", "/api/v1/cases/"+nurseCase+"/deviations", nil)
		if items := c.want(200, "ingrid.hs", "GET", "/api/v1/cases/"+nurseCase+"/deviations", nil)["items"].([]any); len(items) != 0 {
			t.Errorf("deviations: %v", items)
		}

		// Rule 9: any employee reads the deadlines; only the administrator adopts.
		list := c.want(200, "ola.laerer", "GET", "/api/v1/deadlines", nil)["items"].([]any)
		var consult map[string]any
		for _, x := range list {
			if r := x.(map[string]any); r["routine_id"] == "lillehammer-oppdager" && r["step_id"] == "consult" {
				consult = r
			}
		}
		if consult == nil || consult["source"] != "proposed" || consult["proposed"] != "P1W" || consult["current"] != nil {
			t.Errorf("consult row: %v", consult)
		}
		adopt := map[string]any{"routine_id": "lillehammer-oppdager", "step_id": "consult", "deadline": "P3D",
			"working_days": true, "note": "Vedtatt"}
		c.want(404, "kari.ke", "POST", "/api/v1/deadlines", adopt)
		if v := c.want(201, "admin", "POST", "/api/v1/deadlines", adopt); v["version"] != float64(1) || v["deadline"] != "P3D" {
			t.Errorf("adopted: %v", v)
		}
		adopt["step_id"], adopt["routine_id"] = "row-01", "ulstein-rus-sped-smabarn"
		if m := c.want(422, "admin", "POST", "/api/v1/deadlines", adopt); errCode(m) != "deadline_not_local" {
			t.Errorf("the routine's own deadline: %v", m)
		}
		after := c.want(201, "ola.laerer", "POST", "/api/v1/concerns", map[string]any{"situation": "unclear_concern",
			"anonymous": true, "description": "Uklar bekymring."})
		task := after["tasks"].([]any)[0].(map[string]any)
		if task["deadline_source"] != "municipality" {
			t.Errorf("a new task's deadline source: %v", task)
		}
	})
}
