package store

import (
	"database/sql"
	"fmt"
	"time"

	"github.com/samordna/samordna"
)

// This file persists the yearly cycle (årshjul, seed 001): recurring
// activities with an owner and a date rule, the tasks their occurrences
// became, and the personal calendar feed links of leaders.

// Activity is one recurring activity of the yearly cycle.
type Activity struct {
	ID              string
	MunicipalityID  string
	Level           string // municipality, service, individual
	Kind            string // app.ActivityKinds
	Title           string
	OwnerID         string
	IntervalMonths  int // 1, 2, 3, 4, 6 or 12
	StartYear       int
	StartMonth      int // 1-12: the first occurrence's month
	MonthDay        int // 1-28, or 0 when Week and Weekday give the day
	Week            int // 1-4 or -1 (the last) with Weekday
	Weekday         int // 0 Sunday ... 6 Saturday
	StartMinute     int // minutes after midnight, Oslo time
	DurationMinutes int
	LeadDays        int // the task starts this many days before
	CreatedBy       string
	CreatedAt       time.Time
	// Filled by the queries, for display.
	OwnerName string
}

const activityColumns = `a.id, a.municipality_id, a.level, a.kind, a.title, a.owner_id, a.interval_months, a.start_year,
	a.start_month, a.month_day, a.week, a.weekday, a.start_minute, a.duration_minutes, a.lead_days, a.created_by,
	a.created_at, e.name`

func scanActivity(row interface{ Scan(...any) error }) (*Activity, error) {
	var a Activity
	err := row.Scan(&a.ID, &a.MunicipalityID, &a.Level, &a.Kind, &a.Title, &a.OwnerID, &a.IntervalMonths, &a.StartYear,
		&a.StartMonth, &a.MonthDay, &a.Week, &a.Weekday, &a.StartMinute, &a.DurationMinutes, &a.LeadDays, &a.CreatedBy,
		&a.CreatedAt, &a.OwnerName)
	return &a, err
}

// CreateActivity inserts an activity.
func CreateActivity(tx *Tx, a *Activity) error {
	if a.ID == "" {
		a.ID = samordna.NewID()
	}
	_, err := tx.Exec(`INSERT INTO annual_activities (id, municipality_id, level, kind, title, owner_id, interval_months,
		start_year, start_month, month_day, week, weekday, start_minute, duration_minutes, lead_days, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`, a.ID, a.MunicipalityID,
		a.Level, a.Kind, a.Title, a.OwnerID, a.IntervalMonths, a.StartYear, a.StartMonth, a.MonthDay, a.Week, a.Weekday,
		a.StartMinute, a.DurationMinutes, a.LeadDays, a.CreatedBy, a.CreatedAt)
	return wrap(err, "create activity")
}

// ArchiveActivity ends an activity: it makes no more tasks and leaves the
// calendar feed.
func ArchiveActivity(tx *Tx, id string, at time.Time) error {
	_, err := tx.Exec(`UPDATE annual_activities SET archived_at = $2 WHERE id = $1 AND archived_at IS NULL`, id, at)
	return wrap(err, "archive activity")
}

// ActivityByID returns an activity of the municipality that is not
// archived, or samordna.ErrNotFound.
func ActivityByID(tx *Tx, municipalityID, id string) (*Activity, error) {
	a, err := scanActivity(tx.QueryRow(`SELECT `+activityColumns+` FROM annual_activities a
		JOIN employees e ON e.id = a.owner_id WHERE a.id = $1 AND a.municipality_id = $2 AND a.archived_at IS NULL`,
		id, municipalityID))
	if err != nil {
		return nil, wrap(err, "activity")
	}
	return a, nil
}

// ListActivities returns the municipality's activities that are not
// archived ("" for every municipality, for the sweep), by level and
// start month.
func ListActivities(tx *Tx, municipalityID string) ([]*Activity, error) {
	rows, err := tx.Query(`SELECT `+activityColumns+` FROM annual_activities a JOIN employees e ON e.id = a.owner_id
		WHERE ($1 = '' OR a.municipality_id = $1) AND a.archived_at IS NULL
		ORDER BY CASE a.level WHEN 'municipality' THEN 1 WHEN 'service' THEN 2 ELSE 3 END, a.start_month, a.title, a.id`,
		municipalityID)
	if err != nil {
		return nil, wrap(err, "activities")
	}
	defer rows.Close()
	var out []*Activity
	for rows.Next() {
		a, err := scanActivity(rows)
		if err != nil {
			return nil, wrap(err, "activities")
		}
		out = append(out, a)
	}
	return out, wrap(rows.Err(), "activities")
}

// ActivityTask is an occurrence of an activity that became a task.
type ActivityTask struct {
	ID          string
	ActivityID  string
	OccursOn    string // YYYY-MM-DD
	OwnerID     string
	DueAt       time.Time
	Status      string // open, done
	CreatedAt   time.Time
	CompletedAt *time.Time
	CompletedBy string
	// Participants is how many took part in a training activity's
	// occurrence (seed 001), recorded when it is marked done; nil otherwise.
	Participants *int
	// Filled by the queries, for display.
	Title     string
	Kind      string
	OwnerName string
}

// CreateActivityTask inserts the task of an occurrence unless it exists
// (another server made it); it reports whether it made it.
func CreateActivityTask(tx *Tx, t *ActivityTask) (bool, error) {
	if t.ID == "" {
		t.ID = samordna.NewID()
	}
	res, err := tx.Exec(`INSERT INTO annual_activity_tasks (id, activity_id, occurs_on, owner_id, due_at, status, created_at)
		VALUES ($1, $2, $3, $4, $5, 'open', $6) ON CONFLICT (activity_id, occurs_on) DO NOTHING`,
		t.ID, t.ActivityID, t.OccursOn, t.OwnerID, t.DueAt, t.CreatedAt)
	if err != nil {
		return false, wrap(err, "create activity task")
	}
	n, err := res.RowsAffected()
	return n == 1, wrap(err, "create activity task")
}

// ActivityTasks returns the municipality's activity tasks due in [from,
// to), by due time.
func ActivityTasks(tx *Tx, municipalityID string, from, to time.Time) ([]*ActivityTask, error) {
	rows, err := tx.Query(`SELECT t.id, t.activity_id, t.occurs_on, t.owner_id, t.due_at, t.status, t.created_at,
		t.completed_at, COALESCE(t.completed_by, ''), t.participants, a.title, a.kind, e.name
		FROM annual_activity_tasks t JOIN annual_activities a ON a.id = t.activity_id JOIN employees e ON e.id = t.owner_id
		WHERE a.municipality_id = $1 AND t.due_at >= $2 AND t.due_at < $3 ORDER BY t.due_at, t.id`, municipalityID, from, to)
	if err != nil {
		return nil, wrap(err, "activity tasks")
	}
	defer rows.Close()
	var out []*ActivityTask
	for rows.Next() {
		var t ActivityTask
		var done sql.NullTime
		var participants sql.NullInt64
		if err := rows.Scan(&t.ID, &t.ActivityID, &t.OccursOn, &t.OwnerID, &t.DueAt, &t.Status, &t.CreatedAt, &done,
			&t.CompletedBy, &participants, &t.Title, &t.Kind, &t.OwnerName); err != nil {
			return nil, wrap(err, "activity tasks")
		}
		if done.Valid {
			t.CompletedAt = &done.Time
		}
		if participants.Valid {
			n := int(participants.Int64)
			t.Participants = &n
		}
		out = append(out, &t)
	}
	return out, wrap(rows.Err(), "activity tasks")
}

// CompleteActivityTask marks an open activity task of the municipality
// done, with how many took part (nil: not recorded); it reports whether
// there was one.
func CompleteActivityTask(tx *Tx, municipalityID, id, by string, at time.Time, participants *int) (bool, error) {
	res, err := tx.Exec(`UPDATE annual_activity_tasks SET status = 'done', completed_at = $3, completed_by = $4,
		participants = $5
		WHERE id = $1 AND status = 'open'
		  AND activity_id IN (SELECT a.id FROM annual_activities a WHERE a.municipality_id = $2)`,
		id, municipalityID, at, by, participants)
	if err != nil {
		return false, wrap(err, "complete activity task")
	}
	n, err := res.RowsAffected()
	return n == 1, wrap(err, "complete activity task")
}

// CreateCalendarFeed stores a new feed secret's hash for the employee and
// revokes the employee's earlier ones.
func CreateCalendarFeed(tx *Tx, employeeID, tokenHash string, at time.Time) error {
	if _, err := tx.Exec(`UPDATE calendar_feeds SET revoked_at = $2 WHERE employee_id = $1 AND revoked_at IS NULL`,
		employeeID, at); err != nil {
		return wrap(err, "revoke calendar feeds")
	}
	_, err := tx.Exec(`INSERT INTO calendar_feeds (token_hash, employee_id, created_at) VALUES ($1, $2, $3)`,
		tokenHash, employeeID, at)
	return wrap(err, "create calendar feed")
}

// CalendarFeedEmployee returns the employee id of an active feed secret's
// hash, or samordna.ErrNotFound.
func CalendarFeedEmployee(tx *Tx, tokenHash string) (string, error) {
	var id string
	err := tx.QueryRow(`SELECT employee_id FROM calendar_feeds WHERE token_hash = $1 AND revoked_at IS NULL`, tokenHash).
		Scan(&id)
	return id, wrap(err, "calendar feed")
}

// HasCalendarFeed reports whether the employee has an active feed link.
func HasCalendarFeed(tx *Tx, employeeID string) (bool, error) {
	var n int
	err := tx.QueryRow(`SELECT COUNT(*) FROM calendar_feeds WHERE employee_id = $1 AND revoked_at IS NULL`, employeeID).
		Scan(&n)
	return n > 0, wrap(err, "calendar feed")
}

// TrainingTotals counts the occurrences of the municipality's activities
// of the given kinds marked done in [from, to), and how many took part
// in them in all (seed 001: training held, staff trained).
func TrainingTotals(tx *Tx, municipalityID string, kinds []string, from, to time.Time) (held, participants int, err error) {
	args := []any{municipalityID, from, to}
	in := ""
	for i, k := range kinds {
		if i > 0 {
			in += ", "
		}
		args = append(args, k)
		in += fmt.Sprintf("$%d", len(args))
	}
	err = tx.QueryRow(`SELECT COUNT(*), COALESCE(SUM(t.participants), 0)
		FROM annual_activity_tasks t JOIN annual_activities a ON a.id = t.activity_id
		WHERE a.municipality_id = $1 AND t.status = 'done' AND t.completed_at >= $2 AND t.completed_at < $3
		  AND a.kind IN (`+in+`)`, args...).Scan(&held, &participants)
	return held, participants, wrap(err, "training totals")
}
