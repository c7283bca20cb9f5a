package app

import (
	"context"
	"sync"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// This file is the deadline sweep. An open task past its overdue time
// escalates once: its assignees and their service leaders are notified (in
// the app and by a later e-mail through the outbox). A missed deadline of a
// plan's measure is also a deviation (avvik): it is recorded and starts the
// revision of the plan (Ulstein row 9, within a month). An acute report not
// acknowledged in time escalates to the receiving service's leader and
// back to the sender.
//
// The sweep is safe with several servers on one database: each row is
// claimed with a conditional UPDATE (... WHERE escalated_at IS NULL) in the
// transaction that notifies, so it escalates exactly once.

// sweepBatch is how many rows one pass reads; sweepPasses bounds the
// passes of one sweep.
const (
	sweepBatch  = 100
	sweepPasses = 20
)

// sweepActor is the audit trail's name for the sweep.
var sweepActor = &samordna.Actor{RequestID: "deadline-sweep"}

// SweepResult counts what one sweep did.
type SweepResult struct {
	Tasks      int // overdue tasks escalated
	Deviations int // deviations recorded (and revision tasks started)
	Reports    int // unacknowledged acute reports escalated
	Purged     int // closed cases past retention whose content was deleted (retention.go)
	Activities int // occurrences of the yearly cycle made tasks (annualcycle.go)
	// NextOfKinTasks counts the tasks started to ask about children.
	NextOfKinTasks int
}

// SweepOverdue escalates what is overdue at now. Who may call: the server's
// background loop (StartSweeper) and tests.
func (a *App) SweepOverdue(ctx context.Context, now time.Time) (SweepResult, error) {
	var res SweepResult
	for range sweepPasses {
		var ids []string
		err := a.DB.Read(ctx, func(tx *store.Tx) error {
			var err error
			ids, err = store.OverdueUnescalatedTaskIDs(tx, now, sweepBatch)
			return err
		})
		if err != nil {
			return res, err
		}
		for _, id := range ids {
			if err := a.escalateTask(ctx, id, now, &res); err != nil {
				return res, err
			}
		}
		if len(ids) < sweepBatch {
			break
		}
	}
	for range sweepPasses {
		var ids []string
		err := a.DB.Read(ctx, func(tx *store.Tx) error {
			var err error
			ids, err = store.UnacknowledgedReportIDs(tx, now, sweepBatch)
			return err
		})
		if err != nil {
			return res, err
		}
		for _, id := range ids {
			if err := a.escalateReport(ctx, id, now, &res); err != nil {
				return res, err
			}
		}
		if len(ids) < sweepBatch {
			break
		}
	}
	// Seed 003 row 7: a responsibility group without an action plan gets
	// one due within a month of its start.
	if _, err := a.RemindActionPlans(ctx); err != nil {
		return res, err
	}
	// The yearly cycle: occurrences coming up become their owners' tasks.
	made, err := a.SweepAnnualCycle(ctx, now)
	res.Activities = made
	if err != nil {
		return res, err
	}
	// Seed 001, hlspl § 10a: an adult service's case without an answer
	// about children becomes a task (one window of the open cases a sweep).
	n, err := a.askAboutChildrenWindow(ctx, now)
	res.NextOfKinTasks = n
	if err != nil {
		return res, err
	}
	// Retention: closed cases past the municipality's period lose their
	// content (nothing, while no period is set).
	n, err = a.PurgeExpiredCases(ctx, now)
	res.Purged = n
	return res, err
}

// escalateTask claims and escalates one task in its own transaction.
func (a *App) escalateTask(ctx context.Context, id string, now time.Time, res *SweepResult) error {
	var escalated, deviation bool
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		claimed, err := store.ClaimTaskEscalation(tx, id, now)
		if err != nil || !claimed {
			return err
		}
		escalated = true
		t, err := store.TaskByID(tx, id)
		if err != nil {
			return err
		}
		c, err := store.CaseByID(tx, t.CaseID)
		if err != nil {
			return err
		}
		assignees, err := store.TaskAssigneeIDs(tx, t)
		if err != nil {
			return err
		}
		leaders, err := store.LeadersOf(tx, assignees)
		if err != nil {
			return err
		}
		if err := a.notify(tx, append(assignees, leaders...), NoticeTaskOverdue, c.ID, t.ID, ""); err != nil {
			return err
		}
		if t.Kind == store.TaskKindMeasure {
			deviation = true
			revision, err := a.recordDeviation(tx, c, t, "plan_deadline_missed", now)
			if err != nil {
				return err
			}
			if revision == nil {
				// No routine step for the deviation: the plan engine
				// still makes sure a revision is due within a month.
				if _, err := a.PlanRevisionTask(tx, c, t, now); err != nil {
					return err
				}
			}
		}
		return a.audit(tx, sweepActor, samordna.AuditEvent{CaseID: c.ID, ObjectType: "task", ObjectID: t.ID,
			Action: "escalate"})
	})
	if err == nil && escalated {
		res.Tasks++
		if deviation {
			res.Deviations++
		}
	}
	return err
}

// recordDeviation records a deviation on the case for the task and starts
// the steps the deviation starts in the case's routine (Ulstein row 9: the
// responsibility group revises the plan within a month), whose assignees
// are notified. It returns the revision task (nil when the routine has no
// such step). The plan engine may call it for deviations it finds itself.
func (a *App) recordDeviation(tx *store.Tx, c *samordna.Case, t *store.Task, kind string, now time.Time) (*store.Task, error) {
	return a.recordDeviationAt(tx, c, &store.Deviation{CaseID: c.ID, TaskID: t.ID, Kind: kind}, now)
}

// recordDeviationAt records the deviation d (detected at now) and starts
// what the routine does with a deviation; see recordDeviation.
func (a *App) recordDeviationAt(tx *store.Tx, c *samordna.Case, d *store.Deviation, now time.Time) (*store.Task, error) {
	d.DetectedAt = now
	started, err := a.routineEventAt(tx, c, pathway.EventDeviation, assignHint{}, now)
	if err != nil {
		return nil, err
	}
	var revision *store.Task
	if len(started) > 0 {
		revision = started[0]
		d.RevisionTaskID = revision.ID
		ids, err := store.TaskAssigneeIDs(tx, revision)
		if err != nil {
			return nil, err
		}
		if err := a.notify(tx, ids, NoticeDeviation, c.ID, revision.ID, ""); err != nil {
			return nil, err
		}
	}
	if err := store.CreateDeviation(tx, d); err != nil {
		return nil, err
	}
	return revision, store.AddCaseEvent(tx, &samordna.CaseEvent{CaseID: c.ID, At: now, ActorID: d.ReportedBy,
		Kind: "deviation", RefType: "task", RefID: d.TaskID})
}

// escalateReport claims and escalates one unacknowledged acute report.
func (a *App) escalateReport(ctx context.Context, id string, now time.Time, res *SweepResult) error {
	escalated := false
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		claimed, err := store.ClaimReportEscalation(tx, id, now)
		if err != nil || !claimed {
			return err
		}
		escalated = true
		r, err := store.ReportByID(tx, id)
		if err != nil {
			return err
		}
		leaders, err := store.ReceivingServiceLeaders(tx, r.MunicipalityID, r.Kind)
		if err != nil {
			return err
		}
		if err := a.notify(tx, append(leaders, r.SentBy), NoticeReportUnacknowledged, r.CaseID, "", r.ID); err != nil {
			return err
		}
		return a.audit(tx, sweepActor, samordna.AuditEvent{CaseID: r.CaseID, ObjectType: "child_welfare_report",
			ObjectID: r.ID, Action: "escalate"})
	})
	if err == nil && escalated {
		res.Reports++
	}
	return err
}

// StartSweeper runs SweepOverdue every interval (and once at start), and
// refreshes the planner's statistics at start and hourly, until ctx ends or the returned stop function is called; stop waits for a
// sweep in progress to finish. Errors are logged, without personal data.
func (a *App) StartSweeper(ctx context.Context, every time.Duration) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(every)
		defer tick.Stop()
		var optimized time.Time
		for {
			if time.Since(optimized) >= time.Hour {
				// Planner statistics (SQLite gathers none by itself).
				if err := a.DB.Optimize(ctx); err != nil && ctx.Err() == nil {
					a.Log.Error("optimize failed", "err", err)
				}
				optimized = time.Now()
			}
			res, err := a.SweepOverdue(ctx, a.now())
			switch {
			case err != nil && ctx.Err() == nil:
				a.Log.Error("deadline sweep failed", "err", err)
			case res != SweepResult{}:
				a.Log.Info("deadline sweep", "tasks", res.Tasks, "deviations", res.Deviations, "reports", res.Reports,
					"purged", res.Purged, "activities", res.Activities)
			}
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
	}()
	return func() {
		cancel()
		wg.Wait()
	}
}
