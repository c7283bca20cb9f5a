package store

import (
	"strconv"
	"time"

	"github.com/samordna/samordna"
)

// This file persists in-app notifications, the outbox of messages (e-mail)
// to send later, and deviations (avvik). A notification names what
// happened and what it refers to (a task, a report, a case), never the
// content, so that neither the list nor an e-mail can leak personal data.

// Notification is one notice for one employee.
type Notification struct {
	ID         string
	EmployeeID string
	Kind       string // e.g. task_overdue, report_unacknowledged
	CaseID     string
	TaskID     string
	ReportID   string
	CreatedAt  time.Time
	ReadAt     *time.Time
	// Detail is what the notice needs besides its references, as JSON
	// without personal data, e.g. the counts of a handover.
	Detail string
	// Filled by NotificationsOf, for display: the task's title (routine
	// text, no personal data).
	TaskTitle string
}

// CreateNotification inserts a notification and its outbox row (an e-mail
// to send later) in the caller's transaction.
func CreateNotification(tx *Tx, n *Notification) error {
	if n.ID == "" {
		n.ID = samordna.NewID()
	}
	_, err := tx.Exec(`INSERT INTO notifications (id, employee_id, kind, case_id, task_id, report_id, created_at, detail)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, n.ID, n.EmployeeID, n.Kind, nullable(n.CaseID), nullable(n.TaskID),
		nullable(n.ReportID), n.CreatedAt, n.Detail)
	if err != nil {
		return wrap(err, "create notification")
	}
	_, err = tx.Exec(`INSERT INTO outbox (id, kind, recipient_id, topic, notification_id, created_at)
		VALUES ($1, 'email', $2, $3, $4, $5)`, samordna.NewID(), n.EmployeeID, n.Kind, n.ID, n.CreatedAt)
	return wrap(err, "create outbox row")
}

// NotificationsOf returns the employee's notifications, unread first, then
// newest first (at most limit, at most 200).
func NotificationsOf(tx *Tx, employeeID string, unreadOnly bool, limit int) ([]*Notification, error) {
	if limit <= 0 || limit > 200 {
		limit = 200
	}
	q := `SELECT n.id, n.employee_id, n.kind, COALESCE(n.case_id, ''), COALESCE(n.task_id, ''),
		COALESCE(n.report_id, ''), n.created_at, n.read_at, COALESCE(t.title, ''), n.detail
		FROM notifications n LEFT JOIN tasks t ON t.id = n.task_id WHERE n.employee_id = $1`
	if unreadOnly {
		q += ` AND n.read_at IS NULL`
	}
	q += ` ORDER BY CASE WHEN n.read_at IS NULL THEN 0 ELSE 1 END, n.created_at DESC, n.id LIMIT ` + strconv.Itoa(limit)
	rows, err := tx.Query(q, employeeID)
	if err != nil {
		return nil, wrap(err, "notifications")
	}
	defer rows.Close()
	var out []*Notification
	for rows.Next() {
		var n Notification
		if err := rows.Scan(&n.ID, &n.EmployeeID, &n.Kind, &n.CaseID, &n.TaskID, &n.ReportID, &n.CreatedAt, &n.ReadAt,
			&n.TaskTitle, &n.Detail); err != nil {
			return nil, wrap(err, "notifications")
		}
		out = append(out, &n)
	}
	return out, wrap(rows.Err(), "notifications")
}

// CountUnreadNotifications returns how many unread notifications the
// employee has.
func CountUnreadNotifications(tx *Tx, employeeID string) (int, error) {
	var n int
	err := tx.QueryRow(`SELECT COUNT(*) FROM notifications WHERE employee_id = $1 AND read_at IS NULL`, employeeID).Scan(&n)
	return n, wrap(err, "count notifications")
}

// MarkNotificationRead marks the employee's own notification read; another
// employee's (or a missing) one gives samordna.ErrNotFound.
func MarkNotificationRead(tx *Tx, id, employeeID string, at time.Time) error {
	res, err := tx.Exec(`UPDATE notifications SET read_at = COALESCE(read_at, $1) WHERE id = $2 AND employee_id = $3`,
		at, id, employeeID)
	if err != nil {
		return wrap(err, "mark notification read")
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return samordna.ErrNotFound
	}
	return nil
}

// Deviation is a deadline or plan not followed (avvik).
type Deviation struct {
	ID             string
	CaseID         string
	TaskID         string
	Kind           string // plan_deadline_missed (the sweep) or manual (registered by hand)
	DetectedAt     time.Time
	RevisionTaskID string
	Description    string // what was not followed up (manual deviations)
	ReportedBy     string // employee id of who registered it ("" for the sweep)
}

// CreateDeviation inserts a deviation.
func CreateDeviation(tx *Tx, d *Deviation) error {
	if d.ID == "" {
		d.ID = samordna.NewID()
	}
	_, err := tx.Exec(`INSERT INTO deviations (id, case_id, task_id, kind, detected_at, revision_task_id, description,
		reported_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, d.ID, d.CaseID, d.TaskID, d.Kind, d.DetectedAt,
		d.RevisionTaskID, d.Description, nullable(d.ReportedBy))
	return wrap(err, "create deviation")
}

// DeviationsOfCase returns the case's deviations, oldest first.
func DeviationsOfCase(tx *Tx, caseID string) ([]*Deviation, error) {
	rows, err := tx.Query(`SELECT id, case_id, task_id, kind, detected_at, revision_task_id, description,
		COALESCE(reported_by, '') FROM deviations WHERE case_id = $1 ORDER BY detected_at, id`, caseID)
	if err != nil {
		return nil, wrap(err, "deviations")
	}
	defer rows.Close()
	var out []*Deviation
	for rows.Next() {
		var d Deviation
		if err := rows.Scan(&d.ID, &d.CaseID, &d.TaskID, &d.Kind, &d.DetectedAt, &d.RevisionTaskID, &d.Description,
			&d.ReportedBy); err != nil {
			return nil, wrap(err, "deviations")
		}
		out = append(out, &d)
	}
	return out, wrap(rows.Err(), "deviations")
}

// DrugTestAssessment is the recorded assessment of a drug test
// (rustesting) on the routine step that asks for it (Ulstein row 6).
type DrugTestAssessment struct {
	ID         string
	CaseID     string
	TaskID     string
	Decision   string // app.DrugTestDecisions
	Reason     string
	AssessedBy string // employee id
	AssessedAt time.Time
	// Filled by DrugTestAssessmentsOfCase: who assessed it.
	AssessorName string
}

// CreateDrugTestAssessment inserts an assessment.
func CreateDrugTestAssessment(tx *Tx, d *DrugTestAssessment) error {
	if d.ID == "" {
		d.ID = samordna.NewID()
	}
	_, err := tx.Exec(`INSERT INTO drug_test_assessments (id, case_id, task_id, decision, reason, assessed_by,
		assessed_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`, d.ID, d.CaseID, d.TaskID, d.Decision, d.Reason,
		d.AssessedBy, d.AssessedAt)
	return wrap(err, "create drug test assessment")
}

// DrugTestAssessmentsOfCase returns the case's drug test assessments,
// oldest first.
func DrugTestAssessmentsOfCase(tx *Tx, caseID string) ([]*DrugTestAssessment, error) {
	rows, err := tx.Query(`SELECT d.id, d.case_id, d.task_id, d.decision, d.reason, d.assessed_by, d.assessed_at,
		e.name FROM drug_test_assessments d JOIN employees e ON e.id = d.assessed_by
		WHERE d.case_id = $1 ORDER BY d.assessed_at, d.id`, caseID)
	if err != nil {
		return nil, wrap(err, "drug test assessments")
	}
	defer rows.Close()
	var out []*DrugTestAssessment
	for rows.Next() {
		var d DrugTestAssessment
		if err := rows.Scan(&d.ID, &d.CaseID, &d.TaskID, &d.Decision, &d.Reason, &d.AssessedBy, &d.AssessedAt,
			&d.AssessorName); err != nil {
			return nil, wrap(err, "drug test assessments")
		}
		out = append(out, &d)
	}
	return out, wrap(rows.Err(), "drug test assessments")
}
