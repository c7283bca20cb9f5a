package app

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/samordna/samordna/store"
)

// Sign-in throttling (issue 14.3), after OWASP's "Slow Down Online Guessing
// Attacks with Device Cookies":
//
//   - Every attempt reserves a place in its buckets before the password is
//     checked, in one transaction (store.ReserveLoginAttempt), so parallel
//     guesses cannot pass the limit: at most MaxFailuresPerUser passwords
//     are checked per user and window, however many arrive at once.
//   - Without a device cookie an attempt counts against the username
//     (MaxFailuresPerUser) and against the client address
//     (MaxFailuresPerClient); it is refused when either is full.
//   - A successful sign-in gives the browser a device cookie: signed, naming
//     the employee. An attempt with a valid device cookie for that employee
//     counts only against that cookie (MaxFailuresPerDevice), so an attacker
//     elsewhere who locks the username out does not lock the employee out of
//     the browser they usually sign in from.
//   - A failed attempt keeps its place until the window ends; a successful
//     one gives its places back.

// Login rate limit: at most this many attempts that fail within a window
// (which starts with the first of them), per username and device cookie,
// or per client address.
const (
	LoginWindow          = 15 * time.Minute
	MaxFailuresPerUser   = 5
	MaxFailuresPerClient = 20
	MaxFailuresPerDevice = 5
)

// DeviceCookieLifetime is how long a device cookie is honoured after the
// sign-in that issued it.
const DeviceCookieLifetime = 90 * 24 * time.Hour

// deviceKeyMeta names the device cookies' HMAC key in the meta table: one
// key for every server sharing the database.
const deviceKeyMeta = "device_cookie_key"

// errLoginLimited rolls back a reservation when a bucket is full.
var errLoginLimited = errors.New("login limited")

// loginState is the App's sign-in machinery: the cached device cookie key,
// and the password check (a field so tests can count the checks).
type loginState struct {
	mu            sync.Mutex
	deviceKey     []byte
	checkPassword func(hash, password string) bool
}

// loginBucket is one throttle counter: its key (a hash, so that no typed
// username or address is stored) and its limit.
type loginBucket struct {
	key   string
	limit int
}

// loginBuckets returns the buckets an attempt counts against: the device
// cookie's alone when device (its nonce) is not empty, otherwise the
// username's and the client address's, in that order, which every
// transaction follows, so that two reservations never wait for each other
// in a circle.
func loginBuckets(username, client, device string) []loginBucket {
	if device != "" {
		return []loginBucket{{bucketKey("device", device), MaxFailuresPerDevice}}
	}
	return []loginBucket{
		{bucketKey("user", username), MaxFailuresPerUser},
		{bucketKey("client", client), MaxFailuresPerClient},
	}
}

// bucketKey hashes a bucket's kind and value.
func bucketKey(kind, value string) string {
	return hashSecret(kind + "\x00" + value)
}

// heldAttempt is a place reserved in a bucket, in the window that began at
// windowStart.
type heldAttempt struct {
	key         string
	windowStart time.Time
}

// reserveLogin reserves one attempt in every bucket, all or none, in one
// transaction, and removes a few expired buckets. It returns errLoginLimited
// when a bucket is full.
func (a *App) reserveLogin(ctx context.Context, buckets []loginBucket, now time.Time) ([]heldAttempt, error) {
	var held []heldAttempt
	cutoff := now.Add(-LoginWindow)
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		held = held[:0]
		for _, b := range buckets {
			start, ok, err := store.ReserveLoginAttempt(tx, b.key, b.limit, now, cutoff)
			if err != nil {
				return err
			}
			if !ok {
				return errLoginLimited
			}
			held = append(held, heldAttempt{b.key, start})
		}
		// Each attempt adds at most len(buckets) buckets; removing as many
		// expired ones keeps the table at about the buckets in use.
		return store.DeleteExpiredLoginBuckets(tx, cutoff, len(buckets))
	})
	return held, err
}

// releaseLogin gives back the places of a successful sign-in.
func releaseLogin(tx *store.Tx, held []heldAttempt) error {
	for _, h := range held {
		if err := store.ReleaseLoginAttempt(tx, h.key, h.windowStart); err != nil {
			return err
		}
	}
	return nil
}

// passwordMatches checks a password against its hash (through the test
// hook when one is set).
func (a *App) passwordMatches(hash, password string) bool {
	if f := a.login.checkPassword; f != nil {
		return f(hash, password)
	}
	return CheckPassword(hash, password)
}

// deviceCookieKey returns the HMAC key for device cookies, creating it in
// the database the first time (store.InitMeta: all servers end up with the
// same key).
func (a *App) deviceCookieKey(ctx context.Context) ([]byte, error) {
	a.login.mu.Lock()
	defer a.login.mu.Unlock()
	if a.login.deviceKey != nil {
		return a.login.deviceKey, nil
	}
	var stored string
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		stored, err = store.InitMeta(tx, deviceKeyMeta, randomSecret())
		return err
	})
	if err != nil {
		return nil, err
	}
	a.login.deviceKey = []byte(stored)
	return a.login.deviceKey, nil
}

// newDeviceCookie returns a device cookie for the employee: version,
// employee id, issue time (Unix seconds) and a random nonce, signed with
// HMAC-SHA256. The nonce names the cookie's throttle bucket.
func newDeviceCookie(key []byte, employeeID string, now time.Time) string {
	payload := "d1." + employeeID + "." + strconv.FormatInt(now.Unix(), 10) + "." + randomSecret()
	return payload + "." + deviceSignature(key, payload)
}

// deviceSignature signs a device cookie's payload.
func deviceSignature(key []byte, payload string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// deviceNonce returns the nonce of cookie when it is a device cookie this
// installation signed for employeeID that is not older than
// DeviceCookieLifetime, and "" otherwise (a missing, forged, foreign or
// expired cookie counts as no cookie).
func deviceNonce(key []byte, cookie, employeeID string, now time.Time) string {
	payload, sig, ok := cutLast(cookie, ".")
	if !ok || !hmac.Equal([]byte(sig), []byte(deviceSignature(key, payload))) {
		return ""
	}
	parts := strings.Split(payload, ".")
	if len(parts) != 4 || parts[0] != "d1" || parts[1] != employeeID || parts[3] == "" {
		return ""
	}
	issued, err := strconv.ParseInt(parts[2], 10, 64)
	if err != nil {
		return ""
	}
	if age := now.Sub(time.Unix(issued, 0)); age < -time.Minute || age > DeviceCookieLifetime {
		return ""
	}
	return parts[3]
}

// cutLast splits s around the last sep.
func cutLast(s, sep string) (before, after string, found bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}
