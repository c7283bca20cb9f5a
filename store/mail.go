package store

import (
	"strconv"
	"strings"
	"time"
)

// This file claims and settles the outbox's e-mail rows (the rows
// themselves are written with their notification, in notifications.go) and
// keeps each employee's choice between immediate mail and a daily digest.
//
// A deliverer claims rows with a lease: one UPDATE sets a fresh
// claim_token and claimed_until on rows nobody holds (on PostgreSQL the
// candidate rows are locked FOR UPDATE SKIP LOCKED, so two servers never
// claim one row; SQLite has a single writer). The deliverer sends, then
// settles each row with its token. A deliverer that dies before settling
// leaves the row to be claimed again once the lease has run out.

// Mail modes an employee chooses between.
const (
	MailImmediate = "immediate"
	MailDigest    = "digest"
)

// MailItem is one claimed outbox row with what a mail about it needs: the
// recipient's address and what the notification points at (ids only).
type MailItem struct {
	ID          string
	RecipientID string
	Email       string // "" when the employee has none
	Disabled    bool   // the recipient's account is disabled
	Topic       string // the notification kind
	Attempts    int    // including this one
	CreatedAt   time.Time
	CaseID      string
	TaskID      string
	ReportID    string
}

// mailOpen is the condition of a row that still waits to be sent and that
// nobody holds at $1 (now).
const mailOpen = `o.kind = 'email' AND o.sent_at IS NULL AND o.skipped_at IS NULL AND o.failed_at IS NULL
	AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= $1) AND (o.claimed_until IS NULL OR o.claimed_until < $1)`

// placeholders returns "$from, $from+1, ..." for n values.
func placeholders(from, n int) string {
	p := make([]string, n)
	for i := range p {
		p[i] = "$" + strconv.Itoa(from+i)
	}
	return strings.Join(p, ", ")
}

// claim runs the leasing UPDATE on the rows the candidate query picks
// (a SELECT o.id ... whose $1 is now, $2 the lease's end, $3 the token),
// then loads the rows it got.
func claim(tx *Tx, candidates string, args []any) ([]*MailItem, error) {
	if tx.Dialect() == Postgres {
		candidates += ` FOR UPDATE OF o SKIP LOCKED`
	}
	// The candidates are a materialised CTE: PostgreSQL would otherwise
	// run a LIMITed, SKIP LOCKED subquery once per outer row and claim more.
	_, err := tx.Exec(`WITH c AS MATERIALIZED (`+candidates+`)
		UPDATE outbox SET claim_token = $3, claimed_until = $2, attempts = attempts + 1
		WHERE id IN (SELECT id FROM c) AND sent_at IS NULL AND (claimed_until IS NULL OR claimed_until < $1)`, args...)
	if err != nil {
		return nil, wrap(err, "claim mail")
	}
	rows, err := tx.Query(`SELECT o.id, COALESCE(o.recipient_id, ''), COALESCE(e.email, ''), COALESCE(e.disabled, FALSE),
		o.topic, o.attempts, o.created_at, COALESCE(n.case_id, ''), COALESCE(n.task_id, ''), COALESCE(n.report_id, '')
		FROM outbox o LEFT JOIN employees e ON e.id = o.recipient_id LEFT JOIN notifications n ON n.id = o.notification_id
		WHERE o.claim_token = $1 ORDER BY o.created_at, o.id`, args[2])
	if err != nil {
		return nil, wrap(err, "claimed mail")
	}
	defer rows.Close()
	var out []*MailItem
	for rows.Next() {
		var m MailItem
		if err := rows.Scan(&m.ID, &m.RecipientID, &m.Email, &m.Disabled, &m.Topic, &m.Attempts, &m.CreatedAt, &m.CaseID,
			&m.TaskID, &m.ReportID); err != nil {
			return nil, wrap(err, "claimed mail")
		}
		out = append(out, &m)
	}
	return out, wrap(rows.Err(), "claimed mail")
}

// ClaimImmediateMail claims, until leaseUntil, up to limit rows to send
// one by one: those of an acute topic, and those of employees who chose
// immediate mail (the default).
func ClaimImmediateMail(tx *Tx, token string, now, leaseUntil time.Time, acuteTopics []string, limit int) ([]*MailItem, error) {
	args := []any{now, leaseUntil, token}
	acute := "FALSE"
	if len(acuteTopics) > 0 {
		acute = "o.topic IN (" + placeholders(4, len(acuteTopics)) + ")"
		for _, t := range acuteTopics {
			args = append(args, t)
		}
	}
	return claim(tx, `SELECT o.id FROM outbox o LEFT JOIN mail_preferences p ON p.employee_id = o.recipient_id
		WHERE `+mailOpen+` AND (`+acute+` OR COALESCE(p.mode, 'immediate') = 'immediate')
		ORDER BY o.created_at, o.id LIMIT `+strconv.Itoa(limit), args)
}

// DigestRecipients lists the employees who chose the daily digest and
// have rows written before `before` waiting (at most limit).
func DigestRecipients(tx *Tx, now, before time.Time, limit int) ([]string, error) {
	return queryIDs(tx, "digest recipients", `SELECT DISTINCT o.recipient_id FROM outbox o
		JOIN mail_preferences p ON p.employee_id = o.recipient_id AND p.mode = 'digest'
		WHERE `+mailOpen+` AND o.created_at < $2 ORDER BY o.recipient_id LIMIT `+strconv.Itoa(limit), now, before)
}

// ClaimDigest claims, until leaseUntil, the rows of one digest employee
// written before `before` (acute topics excepted: they go at once).
func ClaimDigest(tx *Tx, token, employeeID string, now, leaseUntil, before time.Time, acuteTopics []string) ([]*MailItem, error) {
	args := []any{now, leaseUntil, token, employeeID, before}
	notAcute := "TRUE"
	if len(acuteTopics) > 0 {
		notAcute = "o.topic NOT IN (" + placeholders(6, len(acuteTopics)) + ")"
		for _, t := range acuteTopics {
			args = append(args, t)
		}
	}
	return claim(tx, `SELECT o.id FROM outbox o WHERE `+mailOpen+` AND o.recipient_id = $4 AND o.created_at < $5
		AND `+notAcute, args)
}

// MarkMailSent settles a claimed row as sent (digest: as part of a daily
// digest). A row whose lease ran out and that another deliverer claimed is
// left to that deliverer.
func MarkMailSent(tx *Tx, id, token string, at time.Time, digest bool) error {
	d := 0
	if digest {
		d = 1
	}
	_, err := tx.Exec(`UPDATE outbox SET sent_at = $1, digest = $2, claim_token = NULL, claimed_until = NULL, last_error = ''
		WHERE id = $3 AND claim_token = $4`, at, d, id, token)
	return wrap(err, "mail sent")
}

// MarkMailSkipped settles a claimed row as not sendable (the recipient has
// no address or is disabled), with the reason.
func MarkMailSkipped(tx *Tx, id, token string, at time.Time, reason string) error {
	_, err := tx.Exec(`UPDATE outbox SET skipped_at = $1, last_error = $2, claim_token = NULL, claimed_until = NULL
		WHERE id = $3 AND claim_token = $4`, at, reason, id, token)
	return wrap(err, "mail skipped")
}

// MarkMailRetry releases a claimed row whose sending failed: it is tried
// again from next, or, when it has had maxAttempts attempts, given up
// (failed_at) with the error recorded.
func MarkMailRetry(tx *Tx, id, token string, now, next time.Time, maxAttempts int, errText string) error {
	_, err := tx.Exec(`UPDATE outbox SET failed_at = $1 WHERE id = $2 AND claim_token = $3 AND attempts >= $4`,
		now, id, token, maxAttempts)
	if err != nil {
		return wrap(err, "mail given up")
	}
	_, err = tx.Exec(`UPDATE outbox SET claim_token = NULL, claimed_until = NULL, next_attempt_at = $1, last_error = $2
		WHERE id = $3 AND claim_token = $4`, next, errText, id, token)
	return wrap(err, "mail retry")
}

// MailState is how far one outbox row got, for tests and the operator.
type MailState struct {
	Attempts  int
	SentAt    *time.Time
	SkippedAt *time.Time
	FailedAt  *time.Time
	Digest    bool
	LastError string
}

// MailStateOf returns the state of the outbox row of a notification.
func MailStateOf(tx *Tx, notificationID string) (*MailState, error) {
	var s MailState
	var d int
	err := tx.QueryRow(`SELECT attempts, sent_at, skipped_at, failed_at, digest, last_error FROM outbox
		WHERE notification_id = $1`, notificationID).Scan(&s.Attempts, &s.SentAt, &s.SkippedAt, &s.FailedAt, &d, &s.LastError)
	s.Digest = d == 1
	return &s, wrap(err, "mail state")
}

// MailMode returns the employee's chosen mail mode (immediate when they
// have not chosen).
func MailMode(tx *Tx, employeeID string) (string, error) {
	var mode string
	err := tx.QueryRow(`SELECT COALESCE((SELECT mode FROM mail_preferences WHERE employee_id = $1), 'immediate')`,
		employeeID).Scan(&mode)
	return mode, wrap(err, "mail mode")
}

// SetMailMode stores the employee's mail mode.
func SetMailMode(tx *Tx, employeeID, mode string, at time.Time) error {
	_, err := tx.Exec(`INSERT INTO mail_preferences (employee_id, mode, updated_at) VALUES ($1, $2, $3)
		ON CONFLICT (employee_id) DO UPDATE SET mode = excluded.mode, updated_at = excluded.updated_at`,
		employeeID, mode, at)
	return wrap(err, "set mail mode")
}

// ServiceLeaderIDs returns the service's active leaders (none for "").
func ServiceLeaderIDs(tx *Tx, serviceID string) ([]string, error) {
	return activeIDs(tx, "service leaders", `SELECT employee_id FROM service_leaders WHERE service_id = $1`, serviceID)
}
