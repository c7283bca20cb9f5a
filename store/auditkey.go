package store

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"os"
	"strconv"
	"time"

	"github.com/samordna/samordna"
)

// The audit chain is keyed: each row's hash is an HMAC-SHA256 under a
// secret that lives in a file outside the database. Whoever can write the
// database but cannot read the key file cannot recompute the chain after
// editing a row. Truncation (removing the newest rows and setting the head
// back) needs no recomputation, so it is caught by signed checkpoints of the
// head kept outside the database (checkpoint.go).

// auditKeySize is the length of the secret in bytes.
const auditKeySize = 32

// AuditKey is the secret the audit chain and its checkpoints are keyed with.
type AuditKey struct {
	secret []byte
	id     string
}

// NewAuditKey makes a fresh random key.
func NewAuditKey() (*AuditKey, error) {
	b := make([]byte, auditKeySize)
	if _, err := rand.Read(b); err != nil {
		return nil, fmt.Errorf("new audit key: %w", err)
	}
	return newAuditKey(b), nil
}

func newAuditKey(secret []byte) *AuditKey {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("samordna audit key id"))
	return &AuditKey{secret: secret, id: hex.EncodeToString(m.Sum(nil)[:8])}
}

// ID names the key without revealing it (the first 8 bytes of an HMAC of a
// fixed text). The database records it, so a server started with another
// key is refused instead of forking the chain.
func (k *AuditKey) ID() string { return k.id }

// ParseAuditKey reads a key as written by WriteAuditKeyFile: 64 hex digits.
func ParseAuditKey(text []byte) (*AuditKey, error) {
	b, err := hex.DecodeString(string(bytes.TrimSpace(text)))
	if err != nil || len(b) != auditKeySize {
		return nil, errors.New("an audit key is 64 hexadecimal digits")
	}
	return newAuditKey(b), nil
}

// LoadAuditKeyFile reads the key in path.
func LoadAuditKeyFile(path string) (*AuditKey, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("audit key: %w", err)
	}
	k, err := ParseAuditKey(text)
	if err != nil {
		return nil, fmt.Errorf("audit key %s: %w", path, err)
	}
	return k, nil
}

// WriteAuditKeyFile writes k to path, readable by its owner only. It never
// overwrites a file: losing a key makes its chain unverifiable.
func WriteAuditKeyFile(path string, k *AuditKey) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("audit key: %w", err)
	}
	_, err = f.WriteString(hex.EncodeToString(k.secret) + "\n")
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("audit key: %w", err)
	}
	return nil
}

// SetAuditKey sets the key every audit row written through db is keyed
// with and VerifyAudit checks against. Without one, AppendAudit refuses.
func (db *DB) SetAuditKey(k *AuditKey) { db.auditKey = k }

// AuditKey returns the key set with SetAuditKey, or nil.
func (db *DB) AuditKey() *AuditKey { return db.auditKey }

// AuditHasher computes keyed row hashes, reusing its buffers (the bench
// generator hashes millions of rows).
type AuditHasher struct {
	mac hash.Hash
	buf []byte
}

// Hasher returns a hasher for k; it is not safe for concurrent use.
func (k *AuditKey) Hasher() *AuditHasher {
	return &AuditHasher{mac: hmac.New(sha256.New, k.secret)}
}

// Hash is the HMAC-SHA256 under the key of the previous hash and every field
// of the row, each length-prefixed so that no two rows encode alike. The
// time is hashed in full (RFC 3339 with every fractional digit the database
// returns), so no digit of it can be changed unnoticed.
func (h *AuditHasher) Hash(ev *samordna.AuditEvent) string {
	b := append(h.buf[:0], "samordna-audit-v2"...)
	b = appendField(b, ev.PrevHash)
	b = appendField(b, strconv.FormatInt(ev.Seq, 10))
	b = appendField(b, ev.At.UTC().Format(time.RFC3339Nano))
	for _, f := range [...]string{ev.RequestID, ev.ActorID, ev.ActorUsername, ev.ActorRole, ev.ActorService,
		ev.PersonID, ev.CaseID, ev.ObjectType, ev.ObjectID, ev.Action, ev.Outcome, ev.Purpose, ev.Client} {
		b = appendField(b, f)
	}
	h.buf = b
	h.mac.Reset()
	h.mac.Write(b)
	var sum [sha256.Size]byte
	return hex.EncodeToString(h.mac.Sum(sum[:0]))
}

func appendField(b []byte, f string) []byte {
	b = strconv.AppendInt(b, int64(len(f)), 10)
	b = append(b, ':')
	return append(b, f...)
}

// mac is the HMAC-SHA256 of msg under the key, in hex (checkpoints).
func (k *AuditKey) mac(msg string) string {
	m := hmac.New(sha256.New, k.secret)
	m.Write([]byte(msg))
	return hex.EncodeToString(m.Sum(nil))
}
