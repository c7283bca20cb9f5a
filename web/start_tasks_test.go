package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/internal/matrixtest"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// Issue 13 point 6 and the start-page bug: a deadline is a date, so a task
// due today (a plan measure's day, from midnight) is "Frist denne uken"
// until the day is over, not "Forfalt"; a task whose date has passed is
// "Forfalt" and never under "Frist denne uken". The clock stands at
// Monday 10.03.2025 09.00 in Oslo.
func TestStartPageOverdueIsFromTheNextDay(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		c := e.login()
		now := e.clock.Now()
		day := func(d int, hour int) time.Time {
			y, m, dd := now.In(pathway.Oslo()).Date()
			return time.Date(y, m, dd+d, hour, 0, 0, 0, pathway.Oslo()).UTC()
		}
		err := db.Write(context.Background(), func(tx *store.Tx) error {
			p := &samordna.Person{MunicipalityID: e.emp.MunicipalityID, Name: "Emma Hansen", BirthDate: "2015-02-20"}
			if err := store.CreatePerson(tx, p, now); err != nil {
				return err
			}
			id, err := matrixtest.NewCase(tx, e.emp.MunicipalityID, e.emp.ID, p.ID, now)
			if err != nil {
				return err
			}
			if err := matrixtest.AddCoordinator(tx, id, e.emp.ID, e.emp.ID, now, false); err != nil {
				return err
			}
			for _, x := range []struct {
				title        string
				due, overdue time.Time
			}{
				{"Ring foresatte", day(0, 0), day(1, 0)},    // due today, overdue from tomorrow
				{"Skriv notatet", day(-1, 12), time.Time{}}, // due yesterday at noon
			} {
				due := x.due
				task := &store.Task{CaseID: id, MunicipalityID: e.emp.MunicipalityID, Kind: store.TaskKindStep,
					Title: x.title, Responsible: string(pathway.ResponsibleCoordinator), Status: store.TaskOpen,
					AssigneeKind: store.AssignEmployee, EmployeeID: e.emp.ID, StartedAt: day(-7, 9), DueAt: &due,
					CreatedAt: day(-7, 9)}
				if !x.overdue.IsZero() {
					task.OverdueAfter = &x.overdue
				}
				if err := store.CreateTask(tx, task); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		page := e.get("/", c)
		if page.status != http.StatusOK {
			t.Fatalf("start page: %d", page.status)
		}
		overdue, week, ok := strings.Cut(page.body, "Frist denne uken")
		if !ok || !strings.Contains(overdue, "Forfalt") {
			t.Fatalf("the start page lacks its two task headings")
		}
		overdue = overdue[strings.Index(overdue, "Forfalt"):]
		if strings.Contains(overdue, "Ring foresatte") || !strings.Contains(week, "Ring foresatte") {
			t.Error("a task due later today shows as overdue")
		}
		if !strings.Contains(overdue, "Skriv notatet") || strings.Contains(week, "Skriv notatet") {
			t.Error("a task past its date is not overdue, or shows under this week")
		}
	})
}
