package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// routineCase registers a case about p by the teacher that follows
// Lillehammer's discoverer routine, as a registered concern would.
func (w *coordWorld) routineCase(p *samordna.Person) string {
	w.t.Helper()
	id := w.newCase(p)
	w.must(w.db.Write(context.Background(), func(tx *store.Tx) error {
		_, err := tx.Exec(`UPDATE cases SET routine_id = 'lillehammer-oppdager', routine_version = 1 WHERE id = $1`, id)
		return err
	}))
	return id
}

// stepTasks returns the case's tasks by step id (the newest of each).
func (w *coordWorld) stepTasks(caseID string) map[string]*store.Task {
	w.t.Helper()
	out := map[string]*store.Task{}
	w.must(w.db.Read(context.Background(), func(tx *store.Tx) error {
		ts, err := store.TasksOfCase(tx, caseID)
		for _, t := range ts {
			if t.StepID != "" && (out[t.StepID] == nil || t.CreatedAt.After(out[t.StepID].CreatedAt)) {
				out[t.StepID] = t
			}
		}
		return err
	}))
	return out
}

// tasksTitled returns the case's tasks with the title.
func (w *coordWorld) tasksTitled(caseID, title string) []*store.Task {
	w.t.Helper()
	var out []*store.Task
	w.must(w.db.Read(context.Background(), func(tx *store.Tx) error {
		ts, err := store.TasksOfCase(tx, caseID)
		for _, t := range ts {
			if t.Title == title {
				out = append(out, t)
			}
		}
		return err
	}))
	return out
}

// Rule 7, "tasks end when their work is done". Seed 000 Koordinerende
// enhet: "Delta på første del av første ansvarsgruppemøte" (FIDELITY 0.32)
// is due at the first meeting and ends when it is held; seed 000
// Koordinators oppgaver: "Avtale tid for neste samarbeidsmøte" (0.39) ends
// when the minutes plan the next meeting; seed 004 Sjekkliste "gjennomgå
// hvilke tiltak som er gjennomført" (4.74): a measure the minutes mark done
// ends its task, and the sweep never escalates it.
func TestTasksEndWhenTheirWorkIsDone(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newCoordWorld(t, db)
		ctx := context.Background()
		caseID := w.routineCase(w.child)
		ap, err := w.app.SubmitApplication(ctx, w.as("ola"), caseID, app.NewApplication{Coordinator: true, WishedCoordinator: "ingrid"})
		w.must(err)
		_, err = w.app.DecideApplication(ctx, w.as("kari"), ap.ID, app.Decision{Outcome: "granted", Coordinator: "ingrid"})
		w.must(err)
		w.consent(caseID, samordna.PurposeResponsibilityGroup, samordna.PurposeShareWithMembers)
		_, err = w.app.CreateGroup(ctx, w.as("ingrid"), caseID, []app.NewGroupMember{
			{Username: "anne", Role: "PP-rådgiver"}, {Name: "Åse Ødegård", Relation: "self"}})
		w.must(err)
		ke := w.stepTasks(caseID)["ke-first-meeting"]
		if ke == nil || ke.Status != store.TaskOpen || ke.DueAt != nil {
			t.Fatalf("the unit's first-meeting task after the group is set up: %+v", ke)
		}

		// Planning the first meeting gives the unit's task its deadline: the meeting.
		first := w.clock.Now().AddDate(0, 0, 20)
		v, err := w.app.PlanMeeting(ctx, w.as("ingrid"), caseID, app.NewMeeting{StartsAt: first, Place: "Rådhuset",
			Agenda: []string{"Skolen"}})
		w.must(err)
		ke = w.stepTasks(caseID)["ke-first-meeting"]
		if ke.DueAt == nil || !ke.DueAt.Equal(first.UTC()) || ke.OverdueAfter == nil ||
			!ke.OverdueAfter.Equal(first.Add(90*time.Minute).UTC()) {
			t.Errorf("the unit's task is not due at the first meeting: due %v, overdue %v", ke.DueAt, ke.OverdueAfter)
		}

		// The first meeting is held; its minutes plan the next one.
		w.clock.Advance(20*24*time.Hour + time.Hour)
		v, err = w.app.GetMeeting(ctx, w.as("ingrid"), v.Meeting.ID)
		w.must(err)
		_, err = w.app.SaveMinutes(ctx, w.as("ingrid"), v.Meeting.ID, fullMinutes(v, w.clock.Now().AddDate(0, 5, 0)))
		w.must(err)
		_, err = w.app.FinaliseMinutes(ctx, w.as("ingrid"), v.Meeting.ID)
		w.must(err)
		steps := w.stepTasks(caseID)
		if ke := steps["ke-first-meeting"]; ke.Status != store.TaskDone || ke.Outcome != "meeting_held" {
			t.Errorf("the unit's first-meeting task stays %s after the first meeting was held", ke.Status)
		}
		if next := steps["coord-next-meeting"]; next == nil || next.Status != store.TaskDone || next.Outcome != "meeting_planned" {
			t.Errorf("the next-meeting task is not ended by the minutes planning the next meeting: %+v", next)
		}
		measure := "Tiltak fra ansvarsgruppemøte: Søke om assistent"
		if ts := w.tasksTitled(caseID, measure); len(ts) != 1 || ts[0].Status != store.TaskOpen {
			t.Fatalf("measure task: %+v", ts)
		}

		gv, err := w.app.GetGroup(ctx, w.as("ingrid"), caseID)
		w.must(err)
		second := gv.Meetings[1].ID

		// The second meeting marks both measures done (their deadlines
		// passed long ago): their tasks end and the sweep leaves them be.
		w.clock.Advance(5 * 31 * 24 * time.Hour)
		v, err = w.app.GetMeeting(ctx, w.as("ingrid"), second)
		w.must(err)
		m2 := fullMinutes(v, w.clock.Now().AddDate(0, 4, 0))
		m2.NewMeasures = nil
		_, err = w.app.SaveMinutes(ctx, w.as("ingrid"), second, m2)
		w.must(err)
		_, err = w.app.FinaliseMinutes(ctx, w.as("ingrid"), second)
		w.must(err)
		if _, err := w.app.SweepOverdue(ctx, w.clock.Now()); err != nil {
			t.Fatal(err)
		}
		for _, title := range []string{measure, "Tiltak fra ansvarsgruppemøte: Ukentlig samtale hjemme (ansvarlig: Mor)"} {
			ts := w.tasksTitled(caseID, title)
			if len(ts) != 1 || ts[0].Status != store.TaskDone || ts[0].Outcome != "measure_done" || ts[0].EscalatedAt != nil {
				t.Errorf("%s: a measure marked done in the minutes: %+v", title, ts)
			}
		}
		if next := w.stepTasks(caseID)["coord-next-meeting"]; next.Status != store.TaskDone {
			t.Errorf("the second meeting's next-meeting task stays open: %+v", next)
		}
	})
}
