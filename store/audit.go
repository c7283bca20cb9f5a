package store

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/samordna/samordna"
)

// AppendAudit appends ev to the keyed, hash-chained audit trail inside tx.
// The head row is claimed with an UPDATE, which serialises writers on
// PostgreSQL (row lock until commit) as the single writer does on SQLite,
// so the chain has no forks. It fills ev.Seq, ev.PrevHash and ev.Hash, and
// cuts ev.At to the microsecond, the precision both databases keep, so the
// time hashed is the time stored. It refuses without an audit key, and with
// a key other than the one the chain was started with.
func AppendAudit(tx *Tx, ev *samordna.AuditEvent) error {
	k := tx.auditKey
	if k == nil {
		return errors.New("audit: no audit key is set; refusing to write an unkeyed audit row")
	}
	var prev, keyID string
	err := tx.QueryRow(`UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash, key_id`).Scan(&ev.Seq, &prev, &keyID)
	if err != nil {
		return fmt.Errorf("audit head: %w", err)
	}
	if keyID != "" && keyID != k.ID() {
		return &KeyMismatchError{Chain: keyID, Given: k.ID()}
	}
	ev.At = ev.At.UTC().Truncate(time.Microsecond)
	ev.PrevHash = prev
	ev.Hash = k.Hasher().Hash(ev)
	if _, err := tx.Exec(`UPDATE audit_head SET hash = $1, key_id = $2 WHERE id = 1`, ev.Hash, k.ID()); err != nil {
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

// AuditChainKeyID returns the id of the key the audit trail is written
// with, or "" when no keyed row exists yet.
func AuditChainKeyID(tx *Tx) (string, error) {
	var id string
	err := tx.QueryRow(`SELECT key_id FROM audit_head WHERE id = 1`).Scan(&id)
	return id, wrap(err, "audit key id")
}

// KeyMismatchError says the audit key given is not the one the chain is
// written with.
type KeyMismatchError struct {
	Chain, Given string // key ids
}

func (e *KeyMismatchError) Error() string {
	return fmt.Sprintf("audit: the audit trail is keyed with key %s, but the key given is %s", e.Chain, e.Given)
}

// UnkeyedAuditHash is the hash of rows written before the chain was keyed
// (migration 00020): SHA-256 over the previous hash and every field of the
// row, length-prefixed, with the time to the microsecond. Anyone can compute
// it, which is why new rows are keyed; it is kept to verify the older rows.
func UnkeyedAuditHash(ev *samordna.AuditEvent) string {
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

// What an AuditProblem found.
const (
	ProblemEdited     = "edited"     // a row's contents do not match its hash
	ProblemRecomputed = "recomputed" // hashes were recomputed without the key
	ProblemMissing    = "missing"    // a row in the middle is gone
	ProblemReordered  = "reordered"  // a link to the previous row is broken
	ProblemTruncated  = "truncated"  // the newest rows are gone
	ProblemKey        = "key"        // no key, or not the chain's key
	ProblemCheckpoint = "checkpoint" // a checkpoint is forged or unreadable
)

// AuditProblem describes the first place the chain is broken.
type AuditProblem struct {
	Seq    int64  // the first bad row (or the row after a gap)
	Kind   string // one of the Problem constants
	Reason string // what is wrong, for a person
}

func (p *AuditProblem) Error() string {
	return fmt.Sprintf("audit row %d: %s", p.Seq, p.Reason)
}

// AuditReport is what a verification checked.
type AuditReport struct {
	Rows       int64       // rows checked
	KeyedFrom  int64       // the first row of the keyed chain; rows before it are unkeyed
	KeyID      string      // the key the chain is written with ("" before its first keyed row)
	Checkpoint *Checkpoint // the newest checkpoint the chain was held against, if any
}

// Unkeyed is how many rows carry the unkeyed hash of before migration 00020.
func (r *AuditReport) Unkeyed() int64 { return min(r.Rows, r.KeyedFrom-1) }

// VerifyAudit walks the whole chain with the transaction's audit key and
// returns the number of rows checked; see VerifyAuditAgainst.
func VerifyAudit(tx *Tx) (int64, error) {
	r, err := VerifyAuditAgainst(tx, nil)
	return r.Rows, err
}

// VerifyAuditAgainst walks the whole chain in order and holds it against
// the checkpoints (loaded with LoadCheckpoints). It returns what it
// checked, and an *AuditProblem naming the first row that was edited,
// removed (a gap), reordered (a broken link), recomputed without the key,
// or truncated (the head set back behind a checkpoint); nil when
// the chain holds. Rows before keyed_from are checked with the unkeyed
// hash, the rest with the transaction's key, which must be the chain's.
// Run it in DB.ReadSnapshot so that rows and head are read at one instant.
func VerifyAuditAgainst(tx *Tx, checkpoints []Checkpoint) (*AuditReport, error) {
	r := &AuditReport{}
	var headSeq int64
	var headHash string
	err := tx.QueryRow(`SELECT seq, hash, keyed_from, key_id FROM audit_head WHERE id = 1`).
		Scan(&headSeq, &headHash, &r.KeyedFrom, &r.KeyID)
	if err != nil {
		return r, fmt.Errorf("audit head: %w", err)
	}
	k := tx.auditKey
	if p := checkKey(k, r, headSeq); p != nil {
		return r, p
	}
	cps, p := currentCheckpoints(k, checkpoints)
	if p != nil {
		return r, p
	}
	var highest *Checkpoint // the checkpoint that saw the most rows
	bySeq := map[int64]*Checkpoint{}
	for i := range cps {
		cp := &cps[i]
		if cp.KeyedFrom != r.KeyedFrom {
			return r, &AuditProblem{Seq: min(cp.KeyedFrom, r.KeyedFrom), Kind: ProblemRecomputed,
				Reason: fmt.Sprintf("the keyed chain starts at row %d, but the checkpoint of %s says row %d: "+
					"rows were rewritten with the unkeyed hash", r.KeyedFrom, cp.At.Format(time.RFC3339), cp.KeyedFrom)}
		}
		bySeq[cp.Seq] = cp
		if highest == nil || cp.Seq > highest.Seq {
			highest = cp
		}
		r.Checkpoint = cp // the newest, for the report
	}
	last, lastHash, err := walkAudit(tx, k, r, bySeq)
	if err != nil {
		return r, err
	}
	switch {
	case headSeq > last:
		return r, &AuditProblem{Seq: last + 1, Kind: ProblemTruncated, Reason: "the newest rows are missing"}
	case headSeq != last || headHash != lastHash:
		return r, &AuditProblem{Seq: headSeq, Kind: ProblemEdited, Reason: "the head does not match the newest row"}
	}
	if cp := highest; cp != nil && cp.Seq > last {
		return r, &AuditProblem{Seq: last + 1, Kind: ProblemTruncated,
			Reason: fmt.Sprintf("the trail ends at row %d, but the checkpoint of %s saw row %d: the newest rows were removed "+
				"and the head set back", last, cp.At.Format(time.RFC3339), cp.Seq)}
	}
	return r, nil
}

// CheckAgainstCheckpoint is the quick check a server makes before each new
// checkpoint: the trail still reaches the checkpoint's row, that row still
// has its hash, and the keyed chain starts where it did. A new checkpoint
// must never bless a truncated or rewritten trail.
func CheckAgainstCheckpoint(tx *Tx, cp *Checkpoint) error {
	var headSeq, keyedFrom int64
	if err := tx.QueryRow(`SELECT seq, keyed_from FROM audit_head WHERE id = 1`).Scan(&headSeq, &keyedFrom); err != nil {
		return fmt.Errorf("audit head: %w", err)
	}
	at := cp.At.Format(time.RFC3339)
	if headSeq < cp.Seq {
		return &AuditProblem{Seq: headSeq + 1, Kind: ProblemTruncated,
			Reason: fmt.Sprintf("the head is row %d, but the checkpoint of %s saw row %d", headSeq, at, cp.Seq)}
	}
	if keyedFrom != cp.KeyedFrom {
		return &AuditProblem{Seq: min(keyedFrom, cp.KeyedFrom), Kind: ProblemRecomputed,
			Reason: fmt.Sprintf("the keyed chain starts at row %d, but the checkpoint of %s says row %d", keyedFrom, at, cp.KeyedFrom)}
	}
	if cp.Seq == 0 {
		return nil
	}
	var hash string
	err := tx.QueryRow(`SELECT hash FROM audit_events WHERE seq = $1`, cp.Seq).Scan(&hash)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && hash != cp.Hash) {
		return &AuditProblem{Seq: cp.Seq, Kind: ProblemRecomputed,
			Reason: fmt.Sprintf("the row is not the one the checkpoint of %s saw", at)}
	}
	return err
}

// checkKey refuses to verify a keyed chain without its key.
func checkKey(k *AuditKey, r *AuditReport, headSeq int64) *AuditProblem {
	if headSeq < r.KeyedFrom && r.KeyID == "" {
		return nil // nothing keyed yet
	}
	if k == nil {
		return &AuditProblem{Seq: r.KeyedFrom, Kind: ProblemKey,
			Reason: "the trail is keyed from this row on; give its audit key to verify it"}
	}
	if r.KeyID != k.ID() {
		return &AuditProblem{Seq: r.KeyedFrom, Kind: ProblemKey,
			Reason: fmt.Sprintf("the trail is keyed with key %s, but the key given is %s", r.KeyID, k.ID())}
	}
	return nil
}

// walkAudit checks every row in order and returns the last one's seq and
// hash. A row whose checkpoint recorded another hash was rewritten.
func walkAudit(tx *Tx, k *AuditKey, r *AuditReport, bySeq map[int64]*Checkpoint) (int64, string, error) {
	rows, err := tx.Query(`SELECT ` + auditColumns + ` FROM audit_events ORDER BY seq`)
	if err != nil {
		return 0, "", err
	}
	defer rows.Close()
	var h *AuditHasher
	if k != nil {
		h = k.Hasher()
	}
	var want int64 = 1
	prev := ""
	for rows.Next() {
		ev, err := scanAudit(rows)
		if err != nil {
			return 0, "", err
		}
		r.Rows++
		if p := checkRow(&ev, want, prev, r.KeyedFrom, h); p != nil {
			return 0, "", p
		}
		if cp := bySeq[ev.Seq]; cp != nil && cp.Hash != ev.Hash {
			return 0, "", &AuditProblem{Seq: ev.Seq, Kind: ProblemRecomputed,
				Reason: fmt.Sprintf("the row differs from the checkpoint of %s: the chain was rewritten and its hashes recomputed",
					cp.At.Format(time.RFC3339))}
		}
		prev, want = ev.Hash, want+1
	}
	return want - 1, prev, rows.Err()
}

// checkRow checks one row's place, link and hash.
func checkRow(ev *samordna.AuditEvent, want int64, prev string, keyedFrom int64, h *AuditHasher) *AuditProblem {
	switch {
	case ev.Seq != want:
		return &AuditProblem{Seq: want, Kind: ProblemMissing, Reason: fmt.Sprintf("missing: the next row is %d", ev.Seq)}
	case ev.PrevHash != prev:
		return &AuditProblem{Seq: ev.Seq, Kind: ProblemReordered,
			Reason: "link to the previous row is broken (removed or reordered)"}
	}
	if ev.Seq < keyedFrom {
		if UnkeyedAuditHash(ev) != ev.Hash {
			return &AuditProblem{Seq: ev.Seq, Kind: ProblemEdited, Reason: "contents do not match the unkeyed hash (edited)"}
		}
		return nil
	}
	if h == nil || h.Hash(ev) == ev.Hash {
		return nil
	}
	if UnkeyedAuditHash(ev) == ev.Hash {
		return &AuditProblem{Seq: ev.Seq, Kind: ProblemRecomputed,
			Reason: "the hash was recomputed without the key (unkeyed): the row was edited and the chain rewritten"}
	}
	return &AuditProblem{Seq: ev.Seq, Kind: ProblemEdited, Reason: "contents do not match the keyed hash (edited)"}
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
