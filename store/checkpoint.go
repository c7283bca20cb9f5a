package store

import (
	"crypto/hmac"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Checkpoint is a signed statement, kept outside the database, of where the
// audit chain's head stood at a moment. Whoever deletes the newest rows and
// sets the head back needs no key, so only a record held elsewhere shows
// it: the server writes one at start, on a schedule, and at shutdown, and
// `samordna audit verify` holds the chain against the newest one.
type Checkpoint struct {
	At        time.Time `json:"at"`
	Seq       int64     `json:"seq"`        // the head row
	Hash      string    `json:"hash"`       // its hash
	KeyedFrom int64     `json:"keyed_from"` // where the keyed chain starts
	KeyID     string    `json:"key_id"`     // the key that signs
	Reason    string    `json:"reason"`     // CheckpointStart, …
	MAC       string    `json:"mac"`        // HMAC-SHA256 of the fields above under the audit key
	File      string    `json:"-"`          // where it was read from
}

// Why a checkpoint was written.
const (
	CheckpointStart    = "start"
	CheckpointInterval = "interval"
	CheckpointShutdown = "shutdown"
	CheckpointCommand  = "command" // after a command-line change
	// CheckpointRestore marks a database brought back from a backup: the
	// chain legitimately went back to an older head, so older checkpoints
	// no longer apply.
	CheckpointRestore = "restore"
	// CheckpointReset marks a fresh demo database that replaced the old one
	// (the same key, a new chain); older checkpoints no longer apply.
	CheckpointReset = "reset"
)

// keepCheckpoints is how many checkpoint files a directory keeps; older ones
// are removed (the newest covers every row before it).
const keepCheckpoints = 1000

// AuditCheckpoint reads the head inside tx and returns it as a checkpoint
// signed with the transaction's key.
func AuditCheckpoint(tx *Tx, at time.Time, reason string) (Checkpoint, error) {
	cp := Checkpoint{At: at.UTC(), Reason: reason}
	if tx.auditKey == nil {
		return cp, errors.New("audit checkpoint: no audit key is set")
	}
	err := tx.QueryRow(`SELECT seq, hash, keyed_from FROM audit_head WHERE id = 1`).Scan(&cp.Seq, &cp.Hash, &cp.KeyedFrom)
	if err != nil {
		return cp, fmt.Errorf("audit checkpoint: %w", err)
	}
	cp.KeyID = tx.auditKey.ID()
	cp.MAC = tx.auditKey.mac(cp.message())
	return cp, nil
}

// message is what the MAC covers.
func (cp *Checkpoint) message() string {
	return strings.Join([]string{"samordna-audit-checkpoint-v1", cp.At.UTC().Format(time.RFC3339Nano),
		strconv.FormatInt(cp.Seq, 10), cp.Hash, strconv.FormatInt(cp.KeyedFrom, 10), cp.KeyID, cp.Reason}, "\n")
}

// WriteCheckpoint writes cp as a new file in dir (made if missing) and
// removes the oldest files beyond keepCheckpoints. The file appears whole
// or not at all (written aside, then renamed).
func WriteCheckpoint(dir string, cp Checkpoint) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("audit checkpoint: %w", err)
	}
	b, err := json.Marshal(cp)
	if err != nil {
		return "", err
	}
	// The name sorts by time; the seq keeps two servers' names apart.
	name := fmt.Sprintf("checkpoint-%s-%d.json", cp.At.UTC().Format("20060102T150405.000000000Z"), cp.Seq)
	path := filepath.Join(dir, name)
	tmp, err := os.CreateTemp(dir, ".checkpoint-*")
	if err != nil {
		return "", fmt.Errorf("audit checkpoint: %w", err)
	}
	_, err = tmp.Write(append(b, '\n'))
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return "", fmt.Errorf("audit checkpoint: %w", err)
	}
	return path, pruneCheckpoints(dir)
}

func checkpointFiles(dir string) ([]string, error) {
	names, err := filepath.Glob(filepath.Join(dir, "checkpoint-*.json"))
	slices.Sort(names)
	return names, err
}

func pruneCheckpoints(dir string) error {
	names, err := checkpointFiles(dir)
	if err != nil {
		return err
	}
	for len(names) > keepCheckpoints {
		// Several servers may prune one folder at once: gone is fine.
		if err := os.Remove(names[0]); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("audit checkpoint: %w", err)
		}
		names = names[1:]
	}
	return nil
}

// LoadCheckpoints reads every checkpoint file in dir (none when dir does not
// exist). A file that cannot be read as a checkpoint is an error: it is
// damaged or not ours, and verification must not pass over it.
func LoadCheckpoints(dir string) ([]Checkpoint, error) {
	names, err := checkpointFiles(dir)
	if err != nil {
		return nil, err
	}
	var cps []Checkpoint
	for _, name := range names {
		b, err := os.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("audit checkpoint: %w", err)
		}
		var cp Checkpoint
		if err := json.Unmarshal(b, &cp); err != nil {
			return nil, &AuditProblem{Kind: ProblemCheckpoint, Reason: fmt.Sprintf("checkpoint %s is damaged: %v", name, err)}
		}
		cp.File = name
		cps = append(cps, cp)
	}
	return cps, nil
}

// currentCheckpoints checks every checkpoint's signature under k and returns
// those that apply, oldest first: the newest restore (or reset) checkpoint
// and the ones after it.
func currentCheckpoints(k *AuditKey, cps []Checkpoint) ([]Checkpoint, *AuditProblem) {
	if len(cps) == 0 {
		return nil, nil
	}
	if k == nil {
		return nil, &AuditProblem{Kind: ProblemKey, Reason: "checkpoints are signed: give the audit key to check them"}
	}
	for _, cp := range cps {
		if cp.KeyID != k.ID() || !hmac.Equal([]byte(cp.MAC), []byte(k.mac(cp.message()))) {
			return nil, &AuditProblem{Seq: cp.Seq, Kind: ProblemCheckpoint,
				Reason: fmt.Sprintf("checkpoint %s is not signed with this audit key (forged, or written with key %s)",
					filepath.Base(cp.File), cp.KeyID)}
		}
	}
	cps = slices.Clone(cps)
	slices.SortStableFunc(cps, func(a, b Checkpoint) int { return a.At.Compare(b.At) })
	for i := len(cps) - 1; i >= 0; i-- {
		if cps[i].Reason == CheckpointRestore || cps[i].Reason == CheckpointReset {
			return cps[i:], nil
		}
	}
	return cps, nil
}

// HighestCheckpoint returns, of the checkpoints that apply (see
// currentCheckpoints), the one that saw the most rows, or nil when there is
// none. A checkpoint not signed with k is an *AuditProblem.
func HighestCheckpoint(k *AuditKey, cps []Checkpoint) (*Checkpoint, error) {
	cur, p := currentCheckpoints(k, cps)
	if p != nil {
		return nil, p
	}
	var top *Checkpoint
	for i := range cur {
		if top == nil || cur[i].Seq > top.Seq {
			top = &cur[i]
		}
	}
	return top, nil
}
