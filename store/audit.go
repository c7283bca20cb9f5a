package store

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/samordna/samordna"
)

// AppendAudit appends ev to the hash-chained audit trail inside tx. The head
// row is claimed with an UPDATE, which serialises writers on PostgreSQL (row
// lock until commit) as the single writer does on SQLite, so the chain has no
// forks. It fills ev.Seq, ev.PrevHash and ev.Hash.
func AppendAudit(tx *Tx, ev *samordna.AuditEvent) error {
	var prev string
	err := tx.QueryRow(`UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash`).Scan(&ev.Seq, &prev)
	if err != nil {
		return fmt.Errorf("audit head: %w", err)
	}
	ev.PrevHash = prev
	ev.Hash = AuditHash(ev)
	if _, err := tx.Exec(`UPDATE audit_head SET hash = $1 WHERE id = 1`, ev.Hash); err != nil {
		return fmt.Errorf("audit head: %w", err)
	}
	_, err = tx.Exec(`INSERT INTO audit_events (seq, at, request_id, actor_id, actor_username, actor_role,
		actor_service, person_id, case_id, object_type, object_id, action, outcome, purpose, client, prev_hash, hash)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17)`,
		ev.Seq, ev.At, ev.RequestID, ev.ActorID, ev.ActorUsername, ev.ActorRole, ev.ActorService,
		ev.PersonID, ev.CaseID, ev.ObjectType, ev.ObjectID, ev.Action, ev.Outcome, ev.Purpose,
		ev.Client, ev.PrevHash, ev.Hash)
	if err != nil {
		return fmt.Errorf("audit insert: %w", err)
	}
	return nil
}

// AuditHash is the SHA-256 over the previous hash and every field of the
// row, length-prefixed so that no two rows can encode alike.
func AuditHash(ev *samordna.AuditEvent) string {
	fields := []string{
		ev.PrevHash, strconv.FormatInt(ev.Seq, 10), ev.At.UTC().Format("2006-01-02T15:04:05.000000Z"),
		ev.RequestID, ev.ActorID, ev.ActorUsername, ev.ActorRole, ev.ActorService, ev.PersonID,
		ev.CaseID, ev.ObjectType, ev.ObjectID, ev.Action, ev.Outcome, ev.Purpose, ev.Client,
	}
	var b strings.Builder
	for _, f := range fields {
		b.WriteString(strconv.Itoa(len(f)))
		b.WriteByte(':')
		b.WriteString(f)
	}
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:])
}

const auditColumns = `seq, at, request_id, actor_id, actor_username, actor_role, actor_service,
	person_id, case_id, object_type, object_id, action, outcome, purpose, client, prev_hash, hash`

func scanAudit(rows interface{ Scan(...any) error }) (samordna.AuditEvent, error) {
	var ev samordna.AuditEvent
	err := rows.Scan(&ev.Seq, &ev.At, &ev.RequestID, &ev.ActorID, &ev.ActorUsername, &ev.ActorRole,
		&ev.ActorService, &ev.PersonID, &ev.CaseID, &ev.ObjectType, &ev.ObjectID, &ev.Action,
		&ev.Outcome, &ev.Purpose, &ev.Client, &ev.PrevHash, &ev.Hash)
	return ev, err
}

// AuditProblem describes the first place the chain is broken.
type AuditProblem struct {
	Seq    int64  // the first bad row (or the row after a gap)
	Reason string // what is wrong
}

func (p *AuditProblem) Error() string {
	return fmt.Sprintf("audit row %d: %s", p.Seq, p.Reason)
}

// VerifyAudit walks the whole chain in order and returns the number of rows
// checked, and an *AuditProblem naming the first row that was edited,
// removed (a gap) or reordered (a broken link); nil when the chain holds.
func VerifyAudit(tx *Tx) (int64, error) {
	rows, err := tx.Query(`SELECT ` + auditColumns + ` FROM audit_events ORDER BY seq`)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var n, want int64 = 0, 1
	prev := ""
	for rows.Next() {
		ev, err := scanAudit(rows)
		if err != nil {
			return n, err
		}
		n++
		switch {
		case ev.Seq != want:
			return n, &AuditProblem{Seq: want, Reason: fmt.Sprintf("missing: the next row is %d", ev.Seq)}
		case ev.PrevHash != prev:
			return n, &AuditProblem{Seq: ev.Seq, Reason: "link to the previous row is broken (removed or reordered)"}
		case AuditHash(&ev) != ev.Hash:
			return n, &AuditProblem{Seq: ev.Seq, Reason: "contents do not match the hash (edited)"}
		}
		prev, want = ev.Hash, want+1
	}
	if err := rows.Err(); err != nil {
		return n, err
	}
	var headSeq int64
	var headHash string
	if err := tx.QueryRow(`SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&headSeq, &headHash); err != nil {
		return n, err
	}
	if headSeq != want-1 || headHash != prev {
		return n, &AuditProblem{Seq: headSeq, Reason: "the newest rows are missing"}
	}
	return n, nil
}

// AuditFilter selects audit rows for a listing.
type AuditFilter struct {
	CaseID    string
	PersonID  string
	BeforeSeq int64 // paging: only rows with seq < BeforeSeq when > 0
	Limit     int
}

// ListAudit returns audit rows matching f, newest first.
func ListAudit(tx *Tx, f AuditFilter) ([]samordna.AuditEvent, error) {
	var where []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, fmt.Sprintf(cond, len(args)))
	}
	if f.CaseID != "" {
		add("case_id = $%d", f.CaseID)
	}
	if f.PersonID != "" {
		add("person_id = $%d", f.PersonID)
	}
	if f.BeforeSeq > 0 {
		add("seq < $%d", f.BeforeSeq)
	}
	if len(where) == 0 {
		return nil, errors.New("list audit: a filter is required")
	}
	limit := f.Limit
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	q := `SELECT ` + auditColumns + ` FROM audit_events WHERE ` + strings.Join(where, " AND ") +
		` ORDER BY seq DESC LIMIT ` + strconv.Itoa(limit)
	rows, err := tx.Query(q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []samordna.AuditEvent
	for rows.Next() {
		ev, err := scanAudit(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, ev)
	}
	return out, rows.Err()
}
