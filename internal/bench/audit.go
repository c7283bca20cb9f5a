package bench

import (
	"crypto/sha256"
	"encoding/hex"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/store"
)

var auditActions = []string{"read", "read", "read", "read", "update", "list_tasks", "read_plan", "record_consent"}
var auditPurposes = map[empKind]string{empDiscoverer: "registered", empCoordinator: "coordinator",
	empUnit: "coordinating_unit", empChildWelf: "report_recipient"}

// auditTable yields the audit trail: spec.AuditRows rows spread evenly over
// the three years of history, each by an employee with a relation to a
// random case (its discoverer, coordinator, the unit caseworker or a group
// member), one in twenty refused. The hash chain is computed here, in
// order, keyed with w.auditKey (one reused hasher: about a microsecond a
// row); w.auditHead holds the last row's hash for the audit_head row.
func (w *world) auditTable() table {
	return table{"audit_events", cols("seq", "at", "request_id", "actor_id", "actor_username", "actor_role",
		"actor_service", "person_id", "case_id", "object_type", "object_id", "action", "outcome", "purpose",
		"client", "prev_hash", "hash"), func(y func(...any) error) error {
		r := rand.New(rand.NewPCG(w.spec.Seed, 0xa0d17))
		start := w.now.Add(-historyDays * 24 * time.Hour)
		step := (historyDays * 24 * time.Hour) / time.Duration(w.spec.AuditRows+1)
		prev := ""
		h := w.auditKey.Hasher()
		for i := range w.spec.AuditRows {
			k := r.IntN(len(w.cases))
			p := &w.cases[k]
			actor := p.regBy
			switch c := []int32{p.coord, p.unitBy, p.members[0], p.members[1]}[r.IntN(4)]; {
			case c >= 0 && r.IntN(2) == 0:
				actor = c
			}
			e := &w.employees[actor]
			if e.primaryRole == "" {
				roles := e.roles()
				e.primaryRole = string(roles[len(roles)-1])
			}
			ev := samordna.AuditEvent{Seq: int64(i + 1), At: start.Add(step * time.Duration(i+1)).Truncate(time.Microsecond),
				RequestID: "r" + strconv.Itoa(i+1), ActorID: e.id, ActorUsername: e.username,
				ActorRole: e.primaryRole, ActorService: serviceNames[e.service%len(serviceKinds)],
				CaseID: w.caseID(k), ObjectType: "case", ObjectID: w.caseID(k),
				Action: auditActions[r.IntN(len(auditActions))], Outcome: samordna.OutcomeAllowed,
				Purpose: auditPurposes[e.kind], Client: "10.0.0.1", PrevHash: prev}
			if p.subject >= 0 {
				ev.PersonID = w.personID(int(p.subject))
			}
			if r.IntN(20) == 0 {
				ev.Outcome, ev.Purpose = samordna.OutcomeDenied, ""
			}
			ev.Hash = h.Hash(&ev)
			prev = ev.Hash
			if err := y(ev.Seq, ev.At, ev.RequestID, ev.ActorID, ev.ActorUsername, ev.ActorRole, ev.ActorService,
				ev.PersonID, ev.CaseID, ev.ObjectType, ev.ObjectID, ev.Action, ev.Outcome, ev.Purpose, ev.Client,
				ev.PrevHash, ev.Hash); err != nil {
				return err
			}
		}
		w.auditHead = prev
		return nil
	}}
}

// benchAuditKey is the audit key of a generated country, derived from its
// seed so that a database loaded with -load-only -keep can be driven later
// with -use. A generated country is synthetic: its key protects nothing.
func benchAuditKey(seed uint64) *store.AuditKey {
	sum := sha256.Sum256([]byte("samordna-bench-audit-key:" + strconv.FormatUint(seed, 10)))
	k, err := store.ParseAuditKey([]byte(hex.EncodeToString(sum[:])))
	if err != nil {
		panic(err) // 32 bytes in hex always parse
	}
	return k
}
