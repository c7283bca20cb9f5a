package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/internal/ical"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// This file is the yearly cycle (årshjul, seed 001: "Etablere faste
// møtearenaer for samarbeid og informasjonsutveksling om målgruppa"):
// recurring activities per level, each with an owner and a date rule
// (every n months from a start month, on a day of the month or the nth
// weekday). LeadDays before each occurrence the sweep makes it a task for
// the owner and notifies them; leaders subscribe to the cycle as an
// iCalendar feed with RRULEs.

// ActivityKinds are the kinds of recurring activity.
// ethics_reflection is seed 001's "Skape arenaer for hvor etiske dilemma
// og faglige problemstillinger tas opp".
var ActivityKinds = []string{"joint_training", "fagsamling", "ethics_reflection", "user_survey", "council_report",
	"routine_revision", "leader_meeting", "other"}

// TrainingKinds are the kinds whose occurrences are training: marking one
// done records how many took part, and the indicators trainings_held and
// training_participants count them (seed 001: "Gjennomføre felles
// opplæring", "faste fagsamlinger", arenas for ethical dilemmas).
var TrainingKinds = []string{"joint_training", "fagsamling", "ethics_reflection"}

// MaxParticipants bounds the number of participants recorded.
const MaxParticipants = 10000

// NoticeActivityDue tells an activity's owner that an occurrence is coming
// (a task on the yearly cycle).
const NoticeActivityDue = "annual_activity_due"

// ActivityInput is an activity as a leader writes it.
type ActivityInput struct {
	Level           string
	Kind            string
	Title           string
	Owner           string // username
	IntervalMonths  int
	StartYear       int
	StartMonth      int
	MonthDay        int    // 1-28, or 0 with Week and Weekday
	Week            int    // 1-4 or -1 (last)
	Weekday         int    // 0 Sunday ... 6 Saturday
	StartTime       string // HH:MM, Oslo time
	DurationMinutes int
	LeadDays        int
}

// AnnualCycle is the yearly cycle as a leader sees it.
type AnnualCycle struct {
	Now        time.Time
	Activities []*CycleActivity
	Tasks      []*store.ActivityTask // tasks due from 30 days ago to a year ahead
	HasFeed    bool                  // the leader has a personal feed link
}

// CycleActivity is an activity with its rule in words' parts and its next
// occurrences.
type CycleActivity struct {
	*store.Activity
	RRule string
	Next  []time.Time // the next occurrences within a year, Oslo time
}

// occursIn reports whether the activity occurs in the month (by its
// interval from its start month).
func occursIn(a *store.Activity, year int, month time.Month) bool {
	n := (year-a.StartYear)*12 + int(month) - a.StartMonth
	return n >= 0 && n%a.IntervalMonths == 0
}

// dayIn is the activity's day of the month in year and month.
func dayIn(a *store.Activity, year int, month time.Month) int {
	if a.MonthDay > 0 {
		return a.MonthDay
	}
	first := time.Date(year, month, 1, 12, 0, 0, 0, time.UTC)
	offset := (a.Weekday - int(first.Weekday()) + 7) % 7
	if a.Week > 0 {
		return 1 + offset + 7*(a.Week-1)
	}
	last := time.Date(year, month+1, 0, 12, 0, 0, 0, time.UTC)
	return last.Day() - (int(last.Weekday())-a.Weekday+7)%7
}

// Occurrences returns the activity's start times in [from, to), in Oslo
// time.
func Occurrences(a *store.Activity, from, to time.Time) []time.Time {
	oslo := pathway.Oslo()
	f := from.In(oslo)
	var out []time.Time
	for m := time.Date(f.Year(), f.Month(), 1, 0, 0, 0, 0, oslo); m.Before(to); m = m.AddDate(0, 1, 0) {
		if !occursIn(a, m.Year(), m.Month()) {
			continue
		}
		t := time.Date(m.Year(), m.Month(), dayIn(a, m.Year(), m.Month()), a.StartMinute/60, a.StartMinute%60, 0, 0, oslo)
		if !t.Before(from) && t.Before(to) {
			out = append(out, t)
		}
	}
	return out
}

var icalDays = []string{"SU", "MO", "TU", "WE", "TH", "FR", "SA"}

// RRule is the activity's rule as an RFC 5545 RRULE value; the event's
// DTSTART is its first occurrence.
func RRule(a *store.Activity) string {
	var b strings.Builder
	if a.IntervalMonths == 12 {
		fmt.Fprintf(&b, "FREQ=YEARLY;BYMONTH=%d", a.StartMonth)
	} else {
		b.WriteString("FREQ=MONTHLY")
		if a.IntervalMonths > 1 {
			fmt.Fprintf(&b, ";INTERVAL=%d", a.IntervalMonths)
		}
	}
	if a.MonthDay > 0 {
		fmt.Fprintf(&b, ";BYMONTHDAY=%d", a.MonthDay)
	} else {
		fmt.Fprintf(&b, ";BYDAY=%d%s", a.Week, icalDays[a.Weekday])
	}
	return b.String()
}

// firstOccurrence is the activity's first occurrence.
func firstOccurrence(a *store.Activity) time.Time {
	start := time.Date(a.StartYear, time.Month(a.StartMonth), 1, 0, 0, 0, 0, pathway.Oslo())
	occ := Occurrences(a, start, start.AddDate(0, 1, 0))
	if len(occ) == 0 {
		return start // never: the start month always holds the day
	}
	return occ[0]
}

// validateActivity checks an activity as written. Errors (400):
// invalid_level, invalid_kind, title_required, unknown_owner,
// invalid_interval, invalid_start, invalid_day, invalid_time,
// invalid_duration, invalid_lead_days, and the text checks.
func validateActivity(tx *store.Tx, mid string, in ActivityInput, now time.Time) (*store.Activity, error) {
	bad := func(code, msg string) error { return samordna.Errorf(samordna.KindInvalid, code, "%s", msg) }
	in.Title = strings.TrimSpace(in.Title)
	if in.StartYear == 0 {
		in.StartYear = now.In(pathway.Oslo()).Year()
	}
	switch {
	case !slices.Contains(GoalLevels, in.Level):
		return nil, bad("invalid_level", "level is municipality, service or individual")
	case !slices.Contains(ActivityKinds, in.Kind):
		return nil, bad("invalid_kind", "unknown kind of activity")
	case in.Title == "":
		return nil, bad("title_required", "the activity needs a title")
	case !slices.Contains([]int{1, 2, 3, 4, 6, 12}, in.IntervalMonths):
		return nil, bad("invalid_interval", "the interval is 1, 2, 3, 4, 6 or 12 months")
	case in.StartMonth < 1 || in.StartMonth > 12 || in.StartYear < 2000 || in.StartYear > 2100:
		return nil, bad("invalid_start", "the start is a month of a year from 2000 to 2100")
	case in.MonthDay < 0 || in.MonthDay > 28 ||
		in.MonthDay == 0 && (in.Week < -1 || in.Week > 4 || in.Week == 0 || in.Weekday < 0 || in.Weekday > 6):
		return nil, bad("invalid_day", "the day is 1-28, or a week (1-4 or last) and a weekday")
	case in.DurationMinutes < 15 || in.DurationMinutes > 24*60:
		return nil, bad("invalid_duration", "the duration is 15 minutes to 24 hours")
	case in.LeadDays < 0 || in.LeadDays > 90:
		return nil, bad("invalid_lead_days", "the task starts 0 to 90 days before")
	}
	if err := samordna.CheckText("title", samordna.TextName, 200, in.Title); err != nil {
		return nil, err
	}
	clock, err := time.Parse("15:04", in.StartTime)
	if err != nil {
		return nil, bad("invalid_time", "the time is HH:MM")
	}
	emp, _, err := store.EmployeeByUsername(tx, in.Owner)
	if err != nil || emp.MunicipalityID != mid || emp.Disabled {
		return nil, bad("unknown_owner", "no such employee")
	}
	a := &store.Activity{MunicipalityID: mid, Level: in.Level, Kind: in.Kind, Title: in.Title, OwnerID: emp.ID,
		IntervalMonths: in.IntervalMonths, StartYear: in.StartYear, StartMonth: in.StartMonth, MonthDay: in.MonthDay,
		StartMinute: clock.Hour()*60 + clock.Minute(), DurationMinutes: in.DurationMinutes, LeadDays: in.LeadDays}
	if in.MonthDay == 0 {
		a.Week, a.Weekday = in.Week, in.Weekday
	}
	return a, nil
}

// CreateActivity adds an activity to the yearly cycle. Audited. Who may
// call: a service leader; anyone else gets samordna.ErrNotFound. Errors:
// see validateActivity.
func (a *App) CreateActivity(ctx context.Context, actor *samordna.Actor, in ActivityInput) (*store.Activity, error) {
	var act *store.Activity
	err := a.withLeader(ctx, actor, "annual_activity", "", "create", func(tx *store.Tx) error {
		var err error
		if act, err = validateActivity(tx, actor.Employee.MunicipalityID, in, a.now()); err != nil {
			return err
		}
		act.CreatedBy, act.CreatedAt = actor.Employee.ID, a.now()
		return store.CreateActivity(tx, act)
	})
	return act, err
}

// ArchiveActivity ends an activity. Audited. Who may call: a service
// leader; anyone else (or an unknown activity) gets samordna.ErrNotFound.
func (a *App) ArchiveActivity(ctx context.Context, actor *samordna.Actor, id string) error {
	return a.withLeader(ctx, actor, "annual_activity", id, "archive", func(tx *store.Tx) error {
		if _, err := store.ActivityByID(tx, actor.Employee.MunicipalityID, id); err != nil {
			return err
		}
		return store.ArchiveActivity(tx, id, a.now())
	})
}

// AnnualCycleFor returns the yearly cycle: the activities with their
// rules and next occurrences, and the tasks they became. One audit row.
// Who may call: a service leader; anyone else gets samordna.ErrNotFound.
func (a *App) AnnualCycleFor(ctx context.Context, actor *samordna.Actor) (*AnnualCycle, error) {
	var c *AnnualCycle
	err := a.withLeader(ctx, actor, "annual_cycle", "", "read", func(tx *store.Tx) error {
		now := a.now()
		c = &AnnualCycle{Now: now}
		acts, err := store.ListActivities(tx, actor.Employee.MunicipalityID)
		if err != nil {
			return err
		}
		for _, act := range acts {
			c.Activities = append(c.Activities, &CycleActivity{Activity: act, RRule: RRule(act),
				Next: Occurrences(act, now, now.AddDate(1, 0, 0))})
		}
		if c.Tasks, err = store.ActivityTasks(tx, actor.Employee.MunicipalityID, now.AddDate(0, 0, -30),
			now.AddDate(1, 0, 0)); err != nil {
			return err
		}
		c.HasFeed, err = store.HasCalendarFeed(tx, actor.Employee.ID)
		return err
	})
	return c, err
}

// AnnualCycleICS returns the yearly cycle as an iCalendar feed: one
// repeating event per activity. One audit row. Who may call: a service
// leader; anyone else gets samordna.ErrNotFound.
func (a *App) AnnualCycleICS(ctx context.Context, actor *samordna.Actor) ([]byte, error) {
	var out []byte
	err := a.withLeader(ctx, actor, "annual_cycle", "", "read_calendar", func(tx *store.Tx) error {
		acts, err := store.ListActivities(tx, actor.Employee.MunicipalityID)
		if err != nil {
			return err
		}
		var evs []ical.Event
		for _, act := range acts {
			start := firstOccurrence(act)
			evs = append(evs, ical.Event{UID: act.ID + "@samordna", Start: start,
				End: start.Add(time.Duration(act.DurationMinutes) * time.Minute), Summary: act.Title,
				Description: "Ansvarlig: " + act.OwnerName, RRule: RRule(act)})
		}
		out = ical.Feed("Årshjul – Samordna", nil, evs, a.now())
		return nil
	})
	return out, err
}

// CalendarFeedSecretPrefix starts every calendar feed secret.
const CalendarFeedSecretPrefix = "samordna_cal_"

// NewCalendarFeed makes a personal feed link secret for the leader (shown
// once; only its hash is stored) and revokes the leader's earlier one.
// Audited. Who may call: a service leader; anyone else gets
// samordna.ErrNotFound.
func (a *App) NewCalendarFeed(ctx context.Context, actor *samordna.Actor) (string, error) {
	secret := CalendarFeedSecretPrefix + randomSecret()
	err := a.withLeader(ctx, actor, "calendar_feed", "", "create", func(tx *store.Tx) error {
		return store.CreateCalendarFeed(tx, actor.Employee.ID, hashSecret(secret), a.now())
	})
	return secret, err
}

// CalendarFeedEmployee returns the employee behind an active feed secret,
// or an unauthenticated error. The secret reads the yearly cycle only.
func (a *App) CalendarFeedEmployee(ctx context.Context, secret string) (*samordna.Employee, error) {
	if !strings.HasPrefix(secret, CalendarFeedSecretPrefix) {
		return nil, errUnauthenticated
	}
	var emp *samordna.Employee
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		id, err := store.CalendarFeedEmployee(tx, hashSecret(secret))
		if err != nil {
			return err
		}
		emp, err = store.EmployeeByID(tx, id)
		return err
	})
	if err != nil || emp.Disabled {
		return nil, errUnauthenticated
	}
	return emp, nil
}

// MyActivityTasks returns the actor's own tasks on the yearly cycle, due
// from 30 days ago to a year ahead. They hold no personal data; not
// audited. Any employee.
func (a *App) MyActivityTasks(ctx context.Context, actor *samordna.Actor) ([]*store.ActivityTask, error) {
	if actor == nil || actor.Employee == nil {
		return nil, samordna.ErrNotFound
	}
	var mine []*store.ActivityTask
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		now := a.now()
		all, err := store.ActivityTasks(tx, actor.Employee.MunicipalityID, now.AddDate(0, 0, -30), now.AddDate(1, 0, 0))
		for _, t := range all {
			if t.OwnerID == actor.Employee.ID {
				mine = append(mine, t)
			}
		}
		return err
	})
	return mine, err
}

// CompleteActivityTask marks an open task of the yearly cycle done. For a
// training (TrainingKinds) the owner records how many took part:
// participant_count_required (400) when it is under 1 or over MaxParticipants;
// for other kinds participants is ignored. Audited. Who may call: the
// task's owner or a service leader; anyone else (or an unknown or done
// task) gets samordna.ErrNotFound.
func (a *App) CompleteActivityTask(ctx context.Context, actor *samordna.Actor, id string, participants int) error {
	denied := false
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		if actor == nil || actor.Employee == nil {
			denied = true
			return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "annual_activity_task", ObjectID: id,
				Action: "complete", Outcome: samordna.OutcomeDenied})
		}
		now := a.now()
		tasks, err := store.ActivityTasks(tx, actor.Employee.MunicipalityID, time.Time{}, now.AddDate(2, 0, 0))
		if err != nil {
			return err
		}
		var t *store.ActivityTask
		for _, x := range tasks {
			if x.ID == id && x.Status == "open" && (x.OwnerID == actor.Employee.ID || isLeader(actor.Employee)) {
				t = x
			}
		}
		if t == nil {
			denied = true
			return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "annual_activity_task", ObjectID: id,
				Action: "complete", Outcome: samordna.OutcomeDenied})
		}
		var took *int
		if slices.Contains(TrainingKinds, t.Kind) {
			if participants < 1 || participants > MaxParticipants {
				return samordna.Errorf(samordna.KindInvalid, "participant_count_required", "say how many took part (1 to %d)", MaxParticipants)
			}
			took = &participants
		}
		if _, err := store.CompleteActivityTask(tx, actor.Employee.MunicipalityID, id, actor.Employee.ID, now, took); err != nil {
			return err
		}
		return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "annual_activity_task", ObjectID: id, Action: "complete"})
	})
	if err != nil {
		return err
	}
	if denied {
		return samordna.ErrNotFound
	}
	return nil
}

// SweepAnnualCycle makes each occurrence that starts within its
// activity's lead days (or started in the last week, after a pause) a
// task for the owner, once, and notifies them. It returns how many it
// made. Safe with several servers: a task is unique per occurrence.
func (a *App) SweepAnnualCycle(ctx context.Context, now time.Time) (int, error) {
	var acts []*store.Activity
	if err := a.DB.Read(ctx, func(tx *store.Tx) error {
		var err error
		acts, err = store.ListActivities(tx, "")
		return err
	}); err != nil {
		return 0, err
	}
	made := 0
	for _, act := range acts {
		for _, occ := range Occurrences(act, now.AddDate(0, 0, -7), now.AddDate(0, 0, act.LeadDays+1)) {
			if occ.AddDate(0, 0, -act.LeadDays).After(now) {
				continue
			}
			err := a.DB.Write(ctx, func(tx *store.Tx) error {
				t := &store.ActivityTask{ActivityID: act.ID, OccursOn: occ.Format("2006-01-02"), OwnerID: act.OwnerID,
					DueAt: occ.UTC(), CreatedAt: now}
				ok, err := store.CreateActivityTask(tx, t)
				if err != nil || !ok {
					return err
				}
				made++
				n := &store.Notification{EmployeeID: act.OwnerID, Kind: NoticeActivityDue, CreatedAt: now}
				if err := store.CreateNotification(tx, n); err != nil {
					return err
				}
				return a.audit(tx, sweepActor, samordna.AuditEvent{ObjectType: "annual_activity_task", ObjectID: t.ID,
					Action: "create"})
			})
			if err != nil {
				return made, err
			}
		}
	}
	return made, nil
}
