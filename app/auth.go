package app

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/store"
)

// Session lifetimes: a session ends after 30 minutes without activity and
// at the latest 12 hours after sign-in.
const (
	SessionIdleTimeout     = 30 * time.Minute
	SessionAbsoluteTimeout = 12 * time.Hour
	// sessionTouchInterval limits writes: activity is recorded at most once a minute.
	sessionTouchInterval = time.Minute
)

// ErrBadCredentials is returned for a wrong username or password (the two
// are not told apart).
var ErrBadCredentials = samordna.Errorf(samordna.KindUnauthenticated, "invalid_credentials",
	"wrong username or password")

// ErrRateLimited is returned while sign-in is blocked after repeated failures.
var ErrRateLimited = samordna.Errorf(samordna.KindRateLimited, "too_many_attempts",
	"too many failed sign-ins; wait a while and try again")

// errUnauthenticated answers a missing, expired or revoked session or token.
var errUnauthenticated = samordna.Errorf(samordna.KindUnauthenticated, "unauthenticated",
	"sign in first")

// SignedIn is a successful sign-in: the session's secret (for the session
// cookie; only its hash is stored), a new device cookie for the browser,
// and the employee.
type SignedIn struct {
	Secret   string
	Device   string
	Employee *samordna.Employee
}

// Login checks a local username and password and starts a session. device
// is the device cookie the browser sent ("" for none); see loginthrottle.go
// for how attempts are throttled. Every attempt writes an audit row; it
// returns ErrBadCredentials for a wrong username or password and
// ErrRateLimited, without checking the password, while the attempt's
// buckets are full. Anyone may call it.
//
// This is the local-password sign-in; SignInExternal (external_login.go)
// is the OpenID Connect one, and both end in startSession.
func (a *App) Login(ctx context.Context, actor *samordna.Actor, username, password, lang, device string) (*SignedIn, error) {
	username = strings.TrimSpace(strings.ToLower(username))
	now := a.now()
	var emp *samordna.Employee
	var hash string
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		var err error
		emp, hash, err = store.EmployeeByUsername(tx, username)
		if errors.Is(err, samordna.ErrNotFound) {
			emp, err = nil, nil
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	key, err := a.deviceCookieKey(ctx)
	if err != nil {
		return nil, err
	}
	nonce := ""
	if emp != nil {
		nonce = deviceNonce(key, device, emp.ID, now)
	}
	held, err := a.reserveLogin(ctx, loginBuckets(username, actor.Client, nonce), now)
	if errors.Is(err, errLoginLimited) {
		return nil, a.refuseLogin(ctx, actor, emp, username, "rate_limited", ErrRateLimited)
	}
	if err != nil {
		return nil, err
	}
	if emp == nil {
		a.passwordMatches(dummyHash, password) // as slow as for a real user
		return nil, a.refuseLogin(ctx, actor, nil, username, "bad_credentials", ErrBadCredentials)
	}
	if !a.passwordMatches(hash, password) || emp.Disabled {
		return nil, a.refuseLogin(ctx, actor, emp, username, "bad_credentials", ErrBadCredentials)
	}
	in := &SignedIn{Device: newDeviceCookie(key, emp.ID, now), Employee: emp}
	err = a.DB.Write(ctx, func(tx *store.Tx) error {
		if err := releaseLogin(tx, held); err != nil {
			return err
		}
		var err error
		if in.Secret, err = a.startSession(tx, emp, lang, ""); err != nil {
			return err
		}
		return a.audit(tx, &samordna.Actor{Employee: emp, RequestID: actor.RequestID, Client: actor.Client},
			samordna.AuditEvent{ObjectType: "session", ObjectID: emp.ID, Action: "login", Purpose: "local_password"})
	})
	if err != nil {
		return nil, err
	}
	return in, nil
}

// refuseLogin audits a refused sign-in and returns refusal. (A failure
// already counts: its attempt was reserved before the password check.)
func (a *App) refuseLogin(ctx context.Context, actor *samordna.Actor, emp *samordna.Employee, username, why string, refusal error) error {
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		who := &samordna.Actor{Employee: emp, RequestID: actor.RequestID, Client: actor.Client}
		ev := samordna.AuditEvent{ObjectType: "session", Action: "login", Outcome: samordna.OutcomeDenied, Purpose: why}
		if emp == nil {
			ev.ActorUsername = username
		}
		return a.audit(tx, who, ev)
	})
	if err != nil {
		return err
	}
	return refusal
}

// startSession creates a new session with a fresh random id (never reusing
// one from before sign-in) and returns its secret. idToken is the OpenID
// Connect ID token of an external sign-in ("" otherwise).
func (a *App) startSession(tx *store.Tx, emp *samordna.Employee, lang, idToken string) (string, error) {
	secret := randomSecret()
	now := a.now()
	s := &store.Session{IDHash: hashSecret(secret), EmployeeID: emp.ID, CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(SessionAbsoluteTimeout), Lang: lang, IDToken: idToken}
	return secret, store.CreateSession(tx, s)
}

// SessionEmployee returns the employee behind a session secret and the
// session's language, or an unauthenticated error when the session is
// unknown, idle for too long, past its absolute end, or the employee is
// disabled. An expired session is removed.
func (a *App) SessionEmployee(ctx context.Context, secret string) (*samordna.Employee, string, error) {
	if secret == "" {
		return nil, "", errUnauthenticated
	}
	h := hashSecret(secret)
	now := a.now()
	var s *store.Session
	var emp *samordna.Employee
	err := a.DB.Read(ctx, func(tx *store.Tx) (err error) {
		s, emp, err = store.SessionEmployee(tx, h)
		return err
	})
	if errors.Is(err, samordna.ErrNotFound) {
		return nil, "", errUnauthenticated
	}
	if err != nil {
		return nil, "", err
	}
	expired := now.Sub(s.LastSeenAt) > SessionIdleTimeout || !now.Before(s.ExpiresAt) || emp.Disabled
	if expired || now.Sub(s.LastSeenAt) >= sessionTouchInterval {
		err = a.DB.Write(ctx, func(tx *store.Tx) error {
			if expired {
				return store.DeleteSession(tx, h)
			}
			return store.TouchSession(tx, h, now)
		})
		if err != nil {
			return nil, "", err
		}
	}
	if expired {
		return nil, "", errUnauthenticated
	}
	return emp, s.Lang, nil
}

// SetSessionLanguage stores the language chosen in a session.
func (a *App) SetSessionLanguage(ctx context.Context, secret, lang string) error {
	return a.DB.Write(ctx, func(tx *store.Tx) error {
		return store.SetSessionLang(tx, hashSecret(secret), lang)
	})
}

// Logout ends the session on the server and audits it.
func (a *App) Logout(ctx context.Context, actor *samordna.Actor, secret string) error {
	return a.DB.Write(ctx, func(tx *store.Tx) error {
		if err := store.DeleteSession(tx, hashSecret(secret)); err != nil {
			return err
		}
		return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "session", Action: "logout"})
	})
}

// TokenPrefix starts every personal access token, so that leaked tokens are
// easy to recognise in logs and scanners.
const TokenPrefix = "samordna_pat_"

// TokenEmployee returns the employee behind a bearer token, or an
// unauthenticated error for an unknown or revoked token.
func (a *App) TokenEmployee(ctx context.Context, token string) (*samordna.Employee, error) {
	if !strings.HasPrefix(token, TokenPrefix) {
		return nil, errUnauthenticated
	}
	var emp *samordna.Employee
	err := a.DB.Read(ctx, func(tx *store.Tx) (err error) {
		emp, err = store.TokenEmployee(tx, hashSecret(token))
		return err
	})
	if errors.Is(err, samordna.ErrNotFound) || (err == nil && emp.Disabled) {
		return nil, errUnauthenticated
	}
	return emp, err
}

// CreateToken makes a personal access token for username and returns it
// (shown once; only its hash is stored). For administrators, on the command
// line.
func (a *App) CreateToken(ctx context.Context, actor *samordna.Actor, username, name string) (string, error) {
	token := TokenPrefix + randomSecret()
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		emp, _, err := store.EmployeeByUsername(tx, username)
		if err != nil {
			return samordna.Errorf(samordna.KindInvalid, "unknown_user", "no such user")
		}
		t := &store.AccessToken{ID: samordna.NewID(), EmployeeID: emp.ID, Name: name,
			TokenHash: hashSecret(token), CreatedAt: a.now()}
		if err := store.CreateAccessToken(tx, t); err != nil {
			return err
		}
		return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "access_token", ObjectID: t.ID, Action: "create"})
	})
	return token, err
}

// RevokeToken revokes a token given by its secret value, or every token of
// username when token is empty. It returns how many were revoked.
func (a *App) RevokeToken(ctx context.Context, actor *samordna.Actor, username, token string) (int64, error) {
	var n int64
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		emp, _, err := store.EmployeeByUsername(tx, username)
		if err != nil {
			return samordna.Errorf(samordna.KindInvalid, "unknown_user", "no such user")
		}
		id := ""
		if token != "" {
			t, err := store.AccessTokenByHash(tx, hashSecret(token))
			if err != nil || t.EmployeeID != emp.ID {
				return samordna.Errorf(samordna.KindInvalid, "unknown_token", "no such active token for that user")
			}
			id = t.ID
		}
		if n, err = store.RevokeAccessToken(tx, emp.ID, id, a.now()); err != nil {
			return err
		}
		return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "access_token", ObjectID: id, Action: "revoke"})
	})
	return n, err
}

func randomSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashSecret(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}
