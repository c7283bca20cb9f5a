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

// Login rate limit: after this many failures within the window, further
// attempts for the username (or from the client address) are refused.
const (
	LoginWindow          = 15 * time.Minute
	MaxFailuresPerUser   = 5
	MaxFailuresPerClient = 20
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

// Login checks a local username and password and starts a session. It
// returns the session's secret (for the cookie; only its hash is stored)
// and the employee. Every attempt writes an audit row; after repeated
// failures it returns ErrRateLimited. Anyone may call it.
//
// This is the local-password seam; an OpenID Connect sign-in would end in
// StartSession the same way.
func (a *App) Login(ctx context.Context, actor *samordna.Actor, username, password, lang string) (string, *samordna.Employee, error) {
	username = strings.TrimSpace(strings.ToLower(username))
	now := a.now()
	var emp *samordna.Employee
	var hash string
	var limited bool
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		byUser, byClient, err := store.CountLoginFailures(tx, username, actor.Client, now.Add(-LoginWindow))
		if err != nil {
			return err
		}
		limited = byUser >= MaxFailuresPerUser || byClient >= MaxFailuresPerClient
		emp, hash, err = store.EmployeeByUsername(tx, username)
		if errors.Is(err, samordna.ErrNotFound) {
			emp, err = nil, nil
		}
		return err
	})
	if err != nil {
		return "", nil, err
	}
	if limited {
		return "", nil, a.refuseLogin(ctx, actor, emp, username, "rate_limited", false, ErrRateLimited)
	}
	if emp == nil {
		CheckPassword(dummyHash, password)
		return "", nil, a.refuseLogin(ctx, actor, nil, username, "bad_credentials", true, ErrBadCredentials)
	}
	if !CheckPassword(hash, password) || emp.Disabled {
		return "", nil, a.refuseLogin(ctx, actor, emp, username, "bad_credentials", true, ErrBadCredentials)
	}
	var secret string
	err = a.DB.Write(ctx, func(tx *store.Tx) error {
		if err := store.ClearLoginFailures(tx, username); err != nil {
			return err
		}
		var err error
		secret, err = a.startSession(tx, emp, lang)
		if err != nil {
			return err
		}
		return a.audit(tx, &samordna.Actor{Employee: emp, RequestID: actor.RequestID, Client: actor.Client},
			samordna.AuditEvent{ObjectType: "session", ObjectID: emp.ID, Action: "login", Purpose: "local_password"})
	})
	if err != nil {
		return "", nil, err
	}
	return secret, emp, nil
}

// refuseLogin records a refused sign-in (and, when count is true, a failure
// towards the rate limit) and returns refusal.
func (a *App) refuseLogin(ctx context.Context, actor *samordna.Actor, emp *samordna.Employee, username, why string, count bool, refusal error) error {
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		if count {
			if err := store.RecordLoginFailure(tx, username, actor.Client, a.now()); err != nil {
				return err
			}
		}
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
// one from before sign-in) and returns its secret.
func (a *App) startSession(tx *store.Tx, emp *samordna.Employee, lang string) (string, error) {
	secret := randomSecret()
	now := a.now()
	s := &store.Session{IDHash: hashSecret(secret), EmployeeID: emp.ID, CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(SessionAbsoluteTimeout), Lang: lang}
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
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		var err error
		if s, err = store.SessionByHash(tx, h); err != nil {
			return err
		}
		emp, err = store.EmployeeByID(tx, s.EmployeeID)
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
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		t, err := store.AccessTokenByHash(tx, hashSecret(token))
		if err != nil {
			return err
		}
		emp, err = store.EmployeeByID(tx, t.EmployeeID)
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
