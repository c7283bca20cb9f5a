package store

import (
	"strconv"
	"time"
)

// AccessLogEntry is one audit row about a case as the access log shows it:
// who (username, name, role, service), when, what and whether it was
// allowed. It holds no content.
type AccessLogEntry struct {
	Seq        int64
	At         time.Time
	Username   string
	Name       string // "" when the actor is not an employee (e.g. the command line)
	Role       string
	Service    string
	Action     string
	Outcome    string
	Purpose    string
	ObjectType string
}

// CaseAccessLog returns the audit rows tied to the case, newest first,
// limit at a time (at most 100), before the row beforeSeq when it is > 0.
// next is the seq to continue before when there are older rows, 0 at the
// end (one row more than the page is read to tell).
func CaseAccessLog(tx *Tx, caseID string, beforeSeq int64, limit int) (items []AccessLogEntry, next int64, err error) {
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	args := []any{caseID}
	q := `SELECT a.seq, a.at, a.actor_username, COALESCE(e.name, ''), a.actor_role, a.actor_service, a.action,
		a.outcome, a.purpose, a.object_type
		FROM audit_events a LEFT JOIN employees e ON e.id = a.actor_id AND a.actor_id <> ''
		WHERE a.case_id = $1`
	if beforeSeq > 0 {
		args = append(args, beforeSeq)
		q += ` AND a.seq < $2`
	}
	q += ` ORDER BY a.seq DESC LIMIT ` + strconv.Itoa(limit+1)
	rows, err := tx.Query(q, args...)
	if err != nil {
		return nil, 0, wrap(err, "access log")
	}
	defer rows.Close()
	var out []AccessLogEntry
	for rows.Next() {
		var x AccessLogEntry
		if err := rows.Scan(&x.Seq, &x.At, &x.Username, &x.Name, &x.Role, &x.Service, &x.Action, &x.Outcome,
			&x.Purpose, &x.ObjectType); err != nil {
			return nil, 0, wrap(err, "access log")
		}
		out = append(out, x)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, wrap(err, "access log")
	}
	if len(out) > limit {
		out = out[:limit]
		next = out[limit-1].Seq
	}
	return out, next, nil
}
