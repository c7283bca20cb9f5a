package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/internal/matrixtest"
	"github.com/samordna/samordna/store"
)

// The administrator reviews what Ola holds (his open task by title, the
// successor chosen by name), disables him with Kari as successor and sees
// the summary; Ola's open session is refused on the next request, the task
// is in Kari's "Mine oppgaver" and Kari is told. Kari may not open the
// page (404), and Ola cannot succeed himself.
func TestLeavePage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		admin := e.otherUser("admin", samordna.RoleAdmin)
		ola := e.otherUser("ola.laerer", samordna.RoleEmployee)
		var olaID string
		err := db.Write(ctx, func(tx *store.Tx) error {
			o, _, err := store.EmployeeByUsername(tx, "ola.laerer")
			if err != nil {
				return err
			}
			olaID = o.ID
			caseID, err := matrixtest.NewCase(tx, e.emp.MunicipalityID, e.emp.ID, "", e.clock.Now())
			if err != nil {
				return err
			}
			return store.CreateTask(tx, &store.Task{CaseID: caseID, MunicipalityID: e.emp.MunicipalityID,
				Kind: store.TaskKindStep, Title: "Følg opp eleven etter samtalen", AssigneeKind: store.AssignEmployee,
				EmployeeID: o.ID, Status: store.TaskOpen, StartedAt: e.clock.Now(), CreatedAt: e.clock.Now()})
		})
		if err != nil {
			t.Fatal(err)
		}
		page := "/admin/employees/" + olaID + "/disable"
		r := e.get(page, admin)
		if r.status != http.StatusOK || !strings.Contains(r.body, "Åpne oppgaver: 1") ||
			!strings.Contains(r.body, "Følg opp eleven etter samtalen") || !strings.Contains(r.body, testName) ||
			strings.Contains(r.body, ">ola.laerer<") {
			t.Fatalf("review: %d %s", r.status, r.body)
		}
		if r := e.get("/tasks", ola); r.status != http.StatusOK {
			t.Fatalf("ola before: %d", r.status)
		}
		kari := e.login()
		if r := e.get(page, kari); r.status != http.StatusNotFound {
			t.Errorf("kari GET: %d", r.status)
		}
		if r := e.post(page, url.Values{"successor": {e.emp.ID}}, kari); r.status != http.StatusNotFound {
			t.Errorf("kari POST: %d", r.status)
		}
		r = e.post(page, url.Values{"successor": {olaID}}, admin)
		if r.status != http.StatusBadRequest || !strings.Contains(r.body, "Etterfølgeren må være en annen aktiv ansatt") {
			t.Errorf("ola as successor: %d %s", r.status, r.body)
		}
		r = e.post(page, url.Values{"successor": {e.emp.ID}}, admin)
		if r.status != http.StatusOK || !strings.Contains(r.body, "Ansatt deaktivert") ||
			!strings.Contains(r.body, testName+" har overtatt ansvaret") {
			t.Fatalf("disable: %d %s", r.status, r.body)
		}
		if r := e.get("/tasks", ola); r.status == http.StatusOK {
			t.Errorf("ola's session after disable: %d", r.status)
		}
		mine, err := e.app.ListTasks(ctx, &samordna.Actor{Employee: e.emp}, app.TaskQuery{AssignedToMe: true})
		if err != nil || len(mine.Tasks) != 1 || mine.Tasks[0].Title != "Følg opp eleven etter samtalen" {
			t.Errorf("kari's tasks: %v %+v", err, mine)
		}
		if r := e.get("/tasks", kari); !strings.Contains(r.body, "Følg opp eleven etter samtalen") {
			t.Errorf("kari's task page lacks the task")
		}
		if r := e.get("/notifications", kari); !strings.Contains(r.body, "Du har overtatt ansvar fra en kollega som har sluttet: 1 oppgaver") {
			t.Errorf("kari's notifications: %s", r.body)
		}
	})
}
