package app

import (
	"strings"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// This file ends tasks when their work is done, whoever did it (issue 11,
// rule 7): a routine step's task ends on the events its step names in
// done_when (the coordinator's "agree the time of the next meeting" when
// the next meeting is planned, seed 000 Koordinators oppgaver; the
// coordinating unit's "attend the first part of the first meeting" when the
// first meeting is held, seed 000 Koordinerende enhet), and a measure the
// minutes mark as done ends its task (seed 004 Sjekkliste: "gjennomgå hvilke
// tiltak som er gjennomført"). Work that is done is then never escalated by
// the deadline sweep, which only looks at open tasks.

// closeDoneSteps completes the case's open routine tasks whose step is
// done by the event, at at, by the actor (nil: the system). It returns the
// tasks it closed.
func (a *App) closeDoneSteps(tx *store.Tx, actor *samordna.Actor, c *samordna.Case, r *pathway.Routine,
	ev pathway.Event, at time.Time) ([]*store.Task, error) {
	tasks, err := store.TasksOfCase(tx, c.ID)
	if err != nil {
		return nil, err
	}
	var closed []*store.Task
	for _, t := range tasks {
		if t.Status != store.TaskOpen || t.Kind != store.TaskKindStep || t.StepID == "" {
			continue
		}
		tr := r
		if t.RoutineID != r.ID || t.RoutineVersion != r.Version {
			if tr, err = a.routineOfTask(tx, t); err != nil || tr == nil {
				return nil, err
			}
		}
		s, ok := tr.Step(t.StepID)
		if !ok || !s.DoneBy(ev) {
			continue
		}
		if err := a.closeTask(tx, actor, c, t, string(ev), at); err != nil {
			return nil, err
		}
		closed = append(closed, t)
	}
	return closed, nil
}

// closeTask marks an open task done because its work was done elsewhere;
// the outcome names what did it. Nothing follows: the work that closed it
// has started what comes next itself.
func (a *App) closeTask(tx *store.Tx, actor *samordna.Actor, c *samordna.Case, t *store.Task, outcome string, at time.Time) error {
	by := ""
	if actor != nil && actor.Employee != nil {
		by = actor.Employee.ID
	}
	if err := store.CompleteTask(tx, t.ID, by, outcome, at); err != nil {
		return err
	}
	return store.AddCaseEvent(tx, &samordna.CaseEvent{CaseID: c.ID, At: at, ActorID: by,
		Kind: "task_completed", RefType: "task", RefID: t.ID})
}

// meetingPlanned tells the case's routine that a meeting is planned: the
// tasks it ends are closed, and the coordinating unit's open task of
// attending the first meeting (a step that the first meeting held ends,
// without a deadline of its own) becomes due when the meeting starts and
// overdue when it ends.
func (a *App) meetingPlanned(tx *store.Tx, actor *samordna.Actor, c *samordna.Case, m *store.Meeting) error {
	r, err := a.caseRoutine(tx, c)
	if err != nil || r == nil {
		return err
	}
	if _, err := a.closeDoneSteps(tx, actor, c, r, pathway.EventMeetingPlanned, a.now()); err != nil {
		return err
	}
	tasks, err := store.TasksOfCase(tx, c.ID)
	if err != nil {
		return err
	}
	end := m.StartsAt.Add(time.Duration(m.DurationMinutes) * time.Minute)
	for _, t := range tasks {
		if t.Status != store.TaskOpen || t.DueAt != nil || t.RoutineID != r.ID || t.RoutineVersion != r.Version {
			continue
		}
		if s, ok := r.Step(t.StepID); ok && s.DoneBy(pathway.EventMeetingHeld) {
			start := m.StartsAt.UTC()
			end := end.UTC()
			if err := store.RescheduleTask(tx, t.ID, t.Title, "", &start, &end); err != nil {
				return err
			}
		}
	}
	return nil
}

// closeReviewedMeasures closes the open tasks of the measures that the
// minutes of meeting m mark as done: the plan measures agreed at the
// previous meeting, or the tasks made of that meeting's measures where the
// case has no plan.
func (a *App) closeReviewedMeasures(tx *store.Tx, actor *samordna.Actor, c *samordna.Case, m *store.Meeting,
	reviews []MeasureReview) error {
	prev, err := previousHeldMeeting(tx, m)
	if err != nil || prev == nil {
		return err
	}
	done := map[string]bool{}
	for _, r := range reviews {
		if r.Done {
			done[strings.TrimSpace(r.Measure)] = true
		}
	}
	if len(done) == 0 {
		return nil
	}
	taskIDs := map[string]bool{}
	if p, err := agendaPlan(tx, c.ID); err != nil {
		return err
	} else if p != nil {
		cur, err := store.PlanVersionAt(tx, p.ID, p.Version)
		if err != nil {
			return err
		}
		for _, pm := range cur.Content.Measures {
			if pm.MeetingID == prev.ID && done[strings.TrimSpace(pm.Text)] && pm.TaskID != "" {
				taskIDs[pm.TaskID] = true
			}
		}
	}
	tasks, err := store.TasksOfCase(tx, c.ID)
	if err != nil {
		return err
	}
	for _, t := range tasks {
		if t.Status != store.TaskOpen {
			continue
		}
		if !taskIDs[t.ID] && !(t.RoutineID == "" && t.PlanID == "" && done[minutesMeasureText(t.Title)]) {
			continue
		}
		if err := a.closeTask(tx, actor, c, t, "measure_done", a.now()); err != nil {
			return err
		}
	}
	return nil
}

// minutesMeasurePrefix starts the title of a task made of a measure in the
// minutes where the case has no plan (see measureTasks).
const minutesMeasurePrefix = "Tiltak fra ansvarsgruppemøte: "

// minutesMeasureText returns the measure of such a task's title, "" for
// another task.
func minutesMeasureText(title string) string {
	text, ok := strings.CutPrefix(title, minutesMeasurePrefix)
	if !ok {
		return ""
	}
	if i := strings.LastIndex(text, " (ansvarlig: "); i >= 0 && strings.HasSuffix(text, ")") {
		text = text[:i]
	}
	return strings.TrimSpace(text)
}
