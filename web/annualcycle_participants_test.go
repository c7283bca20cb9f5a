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
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// Seed 001 (Sola): "Skape arenaer for hvor etiske dilemma og faglige
// problemstillinger tas opp" and training records (rows 1.37, 1.38, 1.45).
// An ethics reflection in the yearly cycle becomes its owner's task; the
// owner marks it done with how many took part (a number is required),
// and the task list shows it.
func TestSeed001EthicsReflectionRecordsParticipants(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		leader := e.otherUser("leder", samordna.RoleServiceLeader)
		actor := &samordna.Actor{RequestID: "test"}
		if err := db.Read(ctx, func(tx *store.Tx) error {
			emp, _, err := store.EmployeeByUsername(tx, "leder")
			actor.Employee = emp
			return err
		}); err != nil {
			t.Fatal(err)
		}
		now := e.clock.Now().In(pathway.Oslo())
		day := min(now.Day(), 28)
		if _, err := e.app.CreateActivity(ctx, actor, app.ActivityInput{Level: "individual", Kind: "ethics_reflection",
			Title: "Etisk refleksjon", Owner: "leder", IntervalMonths: 1, StartYear: now.Year(), StartMonth: int(now.Month()),
			MonthDay: day, StartTime: "14:00", DurationMinutes: 90, LeadDays: 40}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.app.SweepAnnualCycle(ctx, e.clock.Now()); err != nil {
			t.Fatal(err)
		}
		r := e.get("/annual-cycle/tasks", leader)
		if r.status != http.StatusOK || !strings.Contains(r.body, "Etisk refleksjon") || !strings.Contains(r.body, `name="participants"`) {
			t.Fatalf("tasks page: %d\n%s", r.status, r.body)
		}
		tasks, err := e.app.MyActivityTasks(ctx, actor)
		if err != nil || len(tasks) == 0 {
			t.Fatalf("tasks %v, %v", tasks, err)
		}
		path := "/annual-cycle/tasks/" + tasks[0].ID + "/done"
		r = e.post(path, url.Values{"participants": {""}}, leader)
		if r.status != http.StatusBadRequest || !strings.Contains(r.body, "Skriv hvor mange som deltok (minst 1).") {
			t.Errorf("done without a number: %d", r.status)
		}
		if r := e.post(path, url.Values{"participants": {"12"}}, leader); r.status != http.StatusSeeOther {
			t.Fatalf("done: %d %s", r.status, r.body)
		}
		if r := e.get("/annual-cycle/tasks", leader); !strings.Contains(r.body, "12 deltakere") {
			t.Errorf("the task list does not show the participants:\n%s", r.body)
		}
	})
}
