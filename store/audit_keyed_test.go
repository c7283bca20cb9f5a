package store_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// checkpoint writes a signed checkpoint of db's head into dir.
func checkpoint(t *testing.T, db *store.DB, dir, reason string, at time.Time) store.Checkpoint {
	t.Helper()
	var cp store.Checkpoint
	err := db.Read(context.Background(), func(tx *store.Tx) error {
		var err error
		cp, err = store.AuditCheckpoint(tx, at, reason)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.WriteCheckpoint(dir, cp); err != nil {
		t.Fatal(err)
	}
	return cp
}

// verifyWith verifies db against the checkpoints in dir.
func verifyWith(t *testing.T, db *store.DB, dir string) (*store.AuditReport, error) {
	t.Helper()
	cps, err := store.LoadCheckpoints(dir)
	if err != nil {
		return nil, err
	}
	var r *store.AuditReport
	err = db.ReadSnapshot(context.Background(), func(tx *store.Tx) error {
		var err error
		r, err = store.VerifyAuditAgainst(tx, cps)
		return err
	})
	return r, err
}

// wantProblem fails unless err is an AuditProblem of the kind at row seq.
func wantProblem(t *testing.T, err error, kind string, seq int64) {
	t.Helper()
	var p *store.AuditProblem
	if !errors.As(err, &p) {
		t.Fatalf("verify = %v, want a %s problem at row %d", err, kind, seq)
	}
	if p.Kind != kind || p.Seq != seq {
		t.Fatalf("verify found %s at row %d (%s), want %s at row %d", p.Kind, p.Seq, p.Reason, kind, seq)
	}
}

// readRows returns the audit rows in order.
func readRows(t *testing.T, db *store.DB) []samordna.AuditEvent {
	t.Helper()
	var evs []samordna.AuditEvent
	err := db.Read(context.Background(), func(tx *store.Tx) error {
		var err error
		evs, err = store.ListAudit(tx, store.AuditFilter{CaseID: "case1"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, j := 0, len(evs)-1; i < j; i, j = i+1, j-1 {
		evs[i], evs[j] = evs[j], evs[i]
	}
	return evs
}

// rewriteUnkeyed is the attack on an unkeyed chain: from row `from` on,
// every row's link and hash are recomputed with the unkeyed algorithm (after
// edit changed row `from`), and the head is set to the new last hash.
func rewriteUnkeyed(t *testing.T, db *store.DB, from int64, edit func(*samordna.AuditEvent)) {
	t.Helper()
	evs := readRows(t, db)
	prev := ""
	for i := range evs {
		ev := &evs[i]
		if ev.Seq < from {
			prev = ev.Hash
			continue
		}
		if ev.Seq == from {
			edit(ev)
		}
		ev.PrevHash = prev
		ev.Hash = store.UnkeyedAuditHash(ev)
		prev = ev.Hash
		err := db.Write(context.Background(), func(tx *store.Tx) error {
			_, err := tx.Exec(`UPDATE audit_events SET actor_username = $1, prev_hash = $2, hash = $3 WHERE seq = $4`,
				ev.ActorUsername, ev.PrevHash, ev.Hash, ev.Seq)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := exec(t, db, `UPDATE audit_head SET hash = '`+prev+`' WHERE id = 1`); err != nil {
		t.Fatal(err)
	}
}

// An untouched keyed chain verifies with its key and checkpoint; without
// the key, or with another, it does not; and no row is written unkeyed or
// under a second key.
func TestAuditChainIsKeyed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		appendEvents(t, db, 5)
		dir := t.TempDir()
		checkpoint(t, db, dir, store.CheckpointInterval, time.Now())
		r, err := verifyWith(t, db, dir)
		if err != nil || r.Rows != 5 || r.Unkeyed() != 0 || r.Checkpoint == nil || r.Checkpoint.Seq != 5 ||
			r.KeyID != dbtest.AuditKey.ID() {
			t.Fatalf("untouched: %+v, %v", r, err)
		}

		other, err := store.NewAuditKey()
		if err != nil {
			t.Fatal(err)
		}
		db.SetAuditKey(other)
		_, err = verify(t, db)
		wantProblem(t, err, store.ProblemKey, 1)
		err = db.Write(context.Background(), func(tx *store.Tx) error {
			return store.AppendAudit(tx, &samordna.AuditEvent{At: time.Now(), Action: "read", Outcome: samordna.OutcomeAllowed})
		})
		var mismatch *store.KeyMismatchError
		if !errors.As(err, &mismatch) {
			t.Fatalf("append under another key: %v, want a KeyMismatchError", err)
		}
		db.SetAuditKey(nil)
		_, err = verify(t, db)
		wantProblem(t, err, store.ProblemKey, 1)
		err = db.Write(context.Background(), func(tx *store.Tx) error {
			return store.AppendAudit(tx, &samordna.AuditEvent{At: time.Now(), Action: "read", Outcome: samordna.OutcomeAllowed})
		})
		if err == nil {
			t.Fatal("an audit row was written without a key")
		}
		db.SetAuditKey(dbtest.AuditKey)
		if n, err := verify(t, db); err != nil || n != 5 {
			t.Fatalf("after the refused writes: %d, %v", n, err)
		}
	})
}

// The attack the unkeyed chain could not see: edit a row and recompute every
// later hash (and the head) with the unkeyed algorithm. The keyed chain
// names the edited row as recomputed; so does the checkpoint when the
// attacker also moves the keyed chain's start to make every row unkeyed.
func TestAuditVerifyCatchesRecomputedChain(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		appendEvents(t, db, 5)
		dir := t.TempDir()
		checkpoint(t, db, dir, store.CheckpointInterval, time.Now())
		dropAuditTriggers(t, db)
		rewriteUnkeyed(t, db, 3, func(ev *samordna.AuditEvent) { ev.ActorUsername = "someone.else" })
		_, err := verifyWith(t, db, dir)
		wantProblem(t, err, store.ProblemRecomputed, 3)

		// Make every row "unkeyed" so that the row checks pass: the
		// checkpoint knows where the keyed chain starts.
		rewriteUnkeyed(t, db, 1, func(*samordna.AuditEvent) {})
		if err := exec(t, db, `UPDATE audit_head SET keyed_from = 6, key_id = '' WHERE id = 1`); err != nil {
			t.Fatal(err)
		}
		if _, err := verify(t, db); err != nil {
			t.Fatalf("the rewritten chain should pass the row checks alone (that is the attack): %v", err)
		}
		_, err = verifyWith(t, db, dir)
		wantProblem(t, err, store.ProblemRecomputed, 1)

		// Put the start and the key back: the first row is unkeyed.
		if err := exec(t, db, `UPDATE audit_head SET keyed_from = 1, key_id = '`+dbtest.AuditKey.ID()+`' WHERE id = 1`); err != nil {
			t.Fatal(err)
		}
		_, err = verifyWith(t, db, dir)
		wantProblem(t, err, store.ProblemRecomputed, 1)
	})
}

// The other attack: delete the newest rows and set the head back. Every
// remaining row is intact, so only the checkpoint shows it.
func TestAuditVerifyCatchesTruncation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		appendEvents(t, db, 5)
		dir := t.TempDir()
		checkpoint(t, db, dir, store.CheckpointInterval, time.Now())
		dropAuditTriggers(t, db)
		evs := readRows(t, db)
		if err := exec(t, db, `DELETE FROM audit_events WHERE seq >= 4`); err != nil {
			t.Fatal(err)
		}
		if err := exec(t, db, `UPDATE audit_head SET seq = 3, hash = '`+evs[2].Hash+`' WHERE id = 1`); err != nil {
			t.Fatal(err)
		}
		if n, err := verify(t, db); err != nil || n != 3 {
			t.Fatalf("without a checkpoint the truncation passes (that is the attack): %d, %v", n, err)
		}
		_, err := verifyWith(t, db, dir)
		wantProblem(t, err, store.ProblemTruncated, 4)

		// A server checks the trail against its last checkpoint before it
		// writes the next one, and refuses; and if a later checkpoint had
		// been written at the truncated head, the earlier one still shows it.
		cps, err := store.LoadCheckpoints(dir)
		if err != nil {
			t.Fatal(err)
		}
		err = db.Read(context.Background(), func(tx *store.Tx) error { return store.CheckAgainstCheckpoint(tx, &cps[0]) })
		wantProblem(t, err, store.ProblemTruncated, 4)
		checkpoint(t, db, dir, store.CheckpointInterval, time.Now().Add(time.Minute))
		_, err = verifyWith(t, db, dir)
		wantProblem(t, err, store.ProblemTruncated, 4)
	})
}

// A checkpoint edited by hand (or written with another key) fails
// verification; a restore checkpoint supersedes the ones before it.
func TestAuditCheckpointsAreSignedAndRestoreSupersedes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		appendEvents(t, db, 3)
		dir := t.TempDir()
		cp := checkpoint(t, db, dir, store.CheckpointInterval, time.Now())
		forged := cp
		forged.Seq, forged.At = 7, cp.At.Add(time.Second)
		if _, err := store.WriteCheckpoint(dir, forged); err != nil {
			t.Fatal(err)
		}
		_, err := verifyWith(t, db, dir)
		wantProblem(t, err, store.ProblemCheckpoint, 7)
		files, _ := filepath.Glob(filepath.Join(dir, "checkpoint-*-7.json"))
		if len(files) != 1 {
			t.Fatalf("forged checkpoint file: %v", files)
		}
		os.Remove(files[0])

		// A restore to an older head: the old checkpoint would call it a
		// truncation; the restore checkpoint written after it holds.
		dropAuditTriggers(t, db)
		evs := readRows(t, db)
		if err := exec(t, db, `DELETE FROM audit_events WHERE seq = 3`); err != nil {
			t.Fatal(err)
		}
		if err := exec(t, db, `UPDATE audit_head SET seq = 2, hash = '`+evs[1].Hash+`' WHERE id = 1`); err != nil {
			t.Fatal(err)
		}
		_, err = verifyWith(t, db, dir)
		wantProblem(t, err, store.ProblemTruncated, 3)
		checkpoint(t, db, dir, store.CheckpointRestore, time.Now().Add(time.Minute))
		appendEvents(t, db, 2)
		if r, err := verifyWith(t, db, dir); err != nil || r.Rows != 4 || r.Checkpoint.Reason != store.CheckpointRestore {
			t.Fatalf("after the restore checkpoint: %+v, %v", r, err)
		}
	})
}

// A database whose trail was written before the chain was keyed: migration
// 00020 marks where the keyed chain starts; the older rows are verified
// with the unkeyed hash, and the first keyed row seals them.
func TestAuditUnkeyedRowsAreCarriedOver(t *testing.T) {
	for _, d := range dbtest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			db, err := store.Open(ctx, dbtest.DSN(t, d))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if err := store.MigrateTo(ctx, db, 12); err != nil {
				t.Fatal(err)
			}
			// Three rows as the unkeyed version wrote them.
			prev := ""
			at := time.Date(2026, 1, 2, 3, 4, 5, 123456000, time.UTC)
			for i := int64(1); i <= 3; i++ {
				ev := samordna.AuditEvent{Seq: i, At: at, ActorUsername: "ola.laerer", CaseID: "case1",
					Action: "read", Outcome: samordna.OutcomeAllowed, PrevHash: prev, RequestID: strconv.FormatInt(i, 10)}
				ev.Hash = store.UnkeyedAuditHash(&ev)
				prev = ev.Hash
				err := db.Write(ctx, func(tx *store.Tx) error {
					if _, err := tx.Exec(`INSERT INTO audit_events (seq, at, request_id, actor_username, case_id, action,
						outcome, prev_hash, hash) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)`, ev.Seq, ev.At, ev.RequestID,
						ev.ActorUsername, ev.CaseID, ev.Action, ev.Outcome, ev.PrevHash, ev.Hash); err != nil {
						return err
					}
					_, err := tx.Exec(`UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1`, ev.Seq, ev.Hash)
					return err
				})
				if err != nil {
					t.Fatal(err)
				}
			}
			if err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			db.SetAuditKey(dbtest.AuditKey)
			appendEvents(t, db, 2)
			dir := t.TempDir()
			checkpoint(t, db, dir, store.CheckpointInterval, time.Now())
			r, err := verifyWith(t, db, dir)
			if err != nil || r.Rows != 5 || r.KeyedFrom != 4 || r.Unkeyed() != 3 {
				t.Fatalf("carried over: %+v, %v", r, err)
			}
			// Editing an unkeyed row is seen; rewriting the unkeyed part
			// too: the first keyed row's HMAC covers the last unkeyed hash,
			// so the rewrite must recompute it without the key.
			dropAuditTriggers(t, db)
			if err := exec(t, db, `UPDATE audit_events SET actor_username = 'x' WHERE seq = 2`); err != nil {
				t.Fatal(err)
			}
			_, err = verifyWith(t, db, dir)
			wantProblem(t, err, store.ProblemEdited, 2)
			rewriteUnkeyed(t, db, 2, func(ev *samordna.AuditEvent) { ev.ActorUsername = "x" })
			_, err = verifyWith(t, db, dir)
			wantProblem(t, err, store.ProblemRecomputed, 4)
		})
	}
}

// The whole stored time is hashed: moving a row's time by the smallest
// step the database keeps (a nanosecond in SQLite's text, a microsecond in
// PostgreSQL) breaks the chain at that row.
func TestAuditHashCoversTheFullTime(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		appendEvents(t, db, 3)
		dropAuditTriggers(t, db)
		step := time.Nanosecond
		if db.Dialect() == store.Postgres {
			step = time.Microsecond
		}
		at := readRows(t, db)[1].At.Add(step)
		err := db.Write(context.Background(), func(tx *store.Tx) error {
			_, err := tx.Exec(`UPDATE audit_events SET at = $1 WHERE seq = 2`, at)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := readRows(t, db)[1].At; !got.Equal(at) {
			t.Fatalf("the database kept %v, not %v", got, at)
		}
		_, err = verify(t, db)
		wantProblem(t, err, store.ProblemEdited, 2)
	})
}
