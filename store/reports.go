package store

import (
	"strconv"
	"time"

	"github.com/samordna/samordna"
)

// This file persists reports to child welfare (meldeplikt, kind
// child_welfare) and the duty to inform the mental health and substance
// service (opplysningsplikt, kind duty_to_inform). A report is stored once,
// when it is sent, and is never changed afterwards except to record its
// receipt and its escalation.

// Report kinds and statuses.
const (
	ReportChildWelfare = "child_welfare"
	ReportDutyToInform = "duty_to_inform"
	ReportSent         = "sent"
	ReportReceived     = "received"
)

// Report is one row of child_welfare_reports.
type Report struct {
	ID             string
	CaseID         string
	MunicipalityID string
	Kind           string
	Acute          bool
	Description    string
	Status         string
	SentBy         string // employee id
	SentAt         time.Time
	SenderName     string
	SenderTitle    string
	SenderService  string
	Signature      string // SHA-256 over what was sent, hex
	LockedAt       *time.Time
	AckDueAt       *time.Time // acute reports: when child welfare must have acknowledged it
	EscalatedAt    *time.Time
	ReceivedBy     string // employee id
	ReceivedAt     *time.Time
	// Filled by the queries, for display.
	ReceivedByUsername string
	ReceivedByName     string
	SenderUsername     string
}

// CreateReport inserts a sent report with its PDF copy.
func CreateReport(tx *Tx, r *Report, pdf []byte) error {
	_, err := tx.Exec(`INSERT INTO child_welfare_reports (id, case_id, municipality_id, kind, acute, description,
		status, sent_by, sent_at, sender_name, sender_title, sender_service, signature, locked_at, ack_due_at, pdf)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
		r.ID, r.CaseID, r.MunicipalityID, r.Kind, r.Acute, r.Description, r.Status, r.SentBy, r.SentAt,
		r.SenderName, r.SenderTitle, r.SenderService, r.Signature, r.LockedAt, r.AckDueAt, pdf)
	return wrap(err, "create report")
}

const reportColumns = `r.id, r.case_id, r.municipality_id, r.kind, r.acute, r.description, r.status, r.sent_by,
	r.sent_at, r.sender_name, r.sender_title, r.sender_service, r.signature, r.locked_at, r.ack_due_at,
	r.escalated_at, COALESCE(r.received_by, ''), r.received_at,
	COALESCE((SELECT e.username FROM employees e WHERE e.id = r.received_by), ''),
	COALESCE((SELECT e.name FROM employees e WHERE e.id = r.received_by), ''),
	COALESCE((SELECT e.username FROM employees e WHERE e.id = r.sent_by), '')`

func scanReport(row interface{ Scan(...any) error }) (*Report, error) {
	var r Report
	err := row.Scan(&r.ID, &r.CaseID, &r.MunicipalityID, &r.Kind, &r.Acute, &r.Description, &r.Status, &r.SentBy,
		&r.SentAt, &r.SenderName, &r.SenderTitle, &r.SenderService, &r.Signature, &r.LockedAt, &r.AckDueAt,
		&r.EscalatedAt, &r.ReceivedBy, &r.ReceivedAt, &r.ReceivedByUsername, &r.ReceivedByName, &r.SenderUsername)
	return &r, err
}

// ReportByID returns the report or samordna.ErrNotFound. It does not check
// access.
func ReportByID(tx *Tx, id string) (*Report, error) {
	r, err := scanReport(tx.QueryRow(`SELECT `+reportColumns+` FROM child_welfare_reports r WHERE r.id = $1`, id))
	if err != nil {
		return nil, wrap(err, "report")
	}
	return r, nil
}

// ReportPDF returns the PDF copy made when the report was sent.
func ReportPDF(tx *Tx, id string) ([]byte, error) {
	var b []byte
	err := tx.QueryRow(`SELECT pdf FROM child_welfare_reports WHERE id = $1 AND pdf IS NOT NULL`, id).Scan(&b)
	if err != nil {
		return nil, wrap(err, "report pdf")
	}
	return b, nil
}

// ReportsOfCase returns the case's reports, newest first.
func ReportsOfCase(tx *Tx, caseID string) ([]*Report, error) {
	return queryReports(tx, "reports of case", `SELECT `+reportColumns+` FROM child_welfare_reports r
		WHERE r.case_id = $1 ORDER BY r.sent_at DESC, r.id`, caseID)
}

// ReportInbox returns the municipality's reports of the kind, those not yet
// received first, then newest first (at most limit, at most 200).
func ReportInbox(tx *Tx, municipalityID, kind string, limit int) ([]*Report, error) {
	if limit <= 0 || limit > 200 {
		limit = 200
	}
	return queryReports(tx, "report inbox", `SELECT `+reportColumns+` FROM child_welfare_reports r
		WHERE r.municipality_id = $1 AND r.kind = $2
		ORDER BY CASE WHEN r.status = 'sent' THEN 0 ELSE 1 END, r.acute DESC, r.sent_at DESC, r.id
		LIMIT `+strconv.Itoa(limit), municipalityID, kind)
}

// ReportsSentBy returns the reports the employee sent, newest first (at
// most 200).
func ReportsSentBy(tx *Tx, employeeID string) ([]*Report, error) {
	return queryReports(tx, "reports sent", `SELECT `+reportColumns+` FROM child_welfare_reports r
		WHERE r.sent_by = $1 ORDER BY r.sent_at DESC, r.id LIMIT 200`, employeeID)
}

// ReceiveReport records that the employee acknowledged the report. It
// returns a conflict when the report was already received.
func ReceiveReport(tx *Tx, id, by string, at time.Time) error {
	res, err := tx.Exec(`UPDATE child_welfare_reports SET status = 'received', received_by = $1, received_at = $2
		WHERE id = $3 AND status = 'sent'`, by, at, id)
	if err != nil {
		return wrap(err, "receive report")
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return samordna.Errorf(samordna.KindConflict, "already_received", "the report has already been received")
	}
	return nil
}

// UnacknowledgedReportIDs returns up to limit reports whose
// acknowledgement deadline has passed at now without receipt or
// escalation, oldest first.
func UnacknowledgedReportIDs(tx *Tx, now time.Time, limit int) ([]string, error) {
	return queryIDs(tx, "unacknowledged reports", `SELECT id FROM child_welfare_reports
		WHERE status = 'sent' AND escalated_at IS NULL AND ack_due_at < $1
		ORDER BY ack_due_at, id LIMIT `+strconv.Itoa(limit), now)
}

// ClaimReportEscalation marks an unacknowledged, overdue report as
// escalated if nobody has yet; claimed is false otherwise.
func ClaimReportEscalation(tx *Tx, id string, now time.Time) (claimed bool, err error) {
	res, err := tx.Exec(`UPDATE child_welfare_reports SET escalated_at = $1
		WHERE id = $2 AND escalated_at IS NULL AND status = 'sent' AND ack_due_at < $1`, now, id)
	if err != nil {
		return false, wrap(err, "claim report escalation")
	}
	n, err := res.RowsAffected()
	return n == 1, wrap(err, "claim report escalation")
}

// ReportRecipientIDs returns the active employees who receive reports of the kind
// in the municipality: holders of the child_welfare role, or members of the
// mental health and substance service.
func ReportRecipientIDs(tx *Tx, municipalityID, kind string) ([]string, error) {
	if kind == ReportDutyToInform {
		return activeIDs(tx, "report recipients", `SELECT m.employee_id FROM service_members m
			JOIN services s ON s.id = m.service_id
			WHERE s.municipality_id = $1 AND s.kind = 'mental_health_substance'`, municipalityID)
	}
	return queryIDs(tx, "report recipients", `SELECT e.id FROM employees e JOIN employee_roles r ON r.employee_id = e.id
		WHERE e.municipality_id = $1 AND r.role = 'child_welfare' AND NOT e.disabled ORDER BY e.id`, municipalityID)
}

// IsReportRecipient reports whether the employee receives reports of the
// kind in the municipality (see ReportRecipientIDs).
func IsReportRecipient(tx *Tx, employeeID, municipalityID, kind string) (bool, error) {
	ids, err := ReportRecipientIDs(tx, municipalityID, kind)
	if err != nil {
		return false, err
	}
	for _, id := range ids {
		if id == employeeID {
			return true, nil
		}
	}
	return false, nil
}

// ReceivingServiceLeaders returns the active leaders of the services that receive
// reports of the kind: child welfare, or mental health and substance.
func ReceivingServiceLeaders(tx *Tx, municipalityID, kind string) ([]string, error) {
	svc := string(samordna.ServiceChildWelfare)
	if kind == ReportDutyToInform {
		svc = string(samordna.ServiceMentalHealth)
	}
	return activeIDs(tx, "receiving leaders", `SELECT l.employee_id FROM services s
		JOIN service_leaders l ON l.service_id = s.id
		WHERE s.municipality_id = $1 AND s.kind = $2`, municipalityID, svc)
}

func queryReports(tx *Tx, what, q string, args ...any) ([]*Report, error) {
	rows, err := tx.Query(q, args...)
	if err != nil {
		return nil, wrap(err, what)
	}
	defer rows.Close()
	var out []*Report
	for rows.Next() {
		r, err := scanReport(rows)
		if err != nil {
			return nil, wrap(err, what)
		}
		out = append(out, r)
	}
	return out, wrap(rows.Err(), what)
}
