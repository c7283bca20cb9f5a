package app

import (
	"context"
	"crypto/subtle"
	"errors"
	"strings"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/store"
)

// ExternalLoginLifetime is how long a sign-in at the municipality's identity
// provider may take before it must be started again.
const ExternalLoginLifetime = 10 * time.Minute

// ErrNotRegistered is returned when the identity provider vouches for
// someone who is not an enabled employee of Samordna: unknown, or disabled.
// Samordna never creates an employee on the fly.
var ErrNotRegistered = samordna.Errorf(samordna.KindUnauthenticated, "not_registered",
	"you are not registered in Samordna in this municipality; contact the administrator")

// ErrExternalLoginUnknown is returned for an answer from the identity
// provider that no sign-in in this browser is waiting for: a wrong or
// replayed state, an expired or already used attempt.
var ErrExternalLoginUnknown = samordna.Errorf(samordna.KindInvalid, "unknown_login",
	"this sign-in was not started here, has expired or was already used; start again")

// ExternalLogin is a sign-in at the identity provider under way. Binding
// goes in a cookie of the browser (only its hash is stored); State, Nonce
// and the PKCE Verifier go to the provider.
type ExternalLogin struct {
	Binding, State, Nonce, Verifier string
	ReturnPath                      string
}

// BeginExternalLogin starts a sign-in at the identity provider: fresh random
// state, nonce and PKCE verifier, stored on the server for
// ExternalLoginLifetime. returnPath is where to go after signing in (it
// must already be a safe local path). Anyone may call it.
func (a *App) BeginExternalLogin(ctx context.Context, returnPath string) (*ExternalLogin, error) {
	// 32 random bytes, base64url: also a valid PKCE verifier (RFC 7636).
	l := &ExternalLogin{Binding: randomSecret(), State: randomSecret(), Nonce: randomSecret(),
		Verifier: randomSecret(), ReturnPath: returnPath}
	now := a.now()
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		return store.CreateOIDCLogin(tx, &store.OIDCLogin{IDHash: hashSecret(l.Binding), State: l.State, Nonce: l.Nonce,
			Verifier: l.Verifier, ReturnPath: returnPath, CreatedAt: now, ExpiresAt: now.Add(ExternalLoginLifetime)})
	})
	if err != nil {
		return nil, err
	}
	return l, nil
}

// TakeExternalLogin returns the sign-in the browser with this binding
// started, if state is the one sent for it, and removes it either way: an
// attempt is used once. It returns ErrExternalLoginUnknown for a missing,
// expired or already used attempt or a wrong state.
func (a *App) TakeExternalLogin(ctx context.Context, binding, state string) (*ExternalLogin, error) {
	if binding == "" {
		return nil, ErrExternalLoginUnknown
	}
	var l *store.OIDCLogin
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		l, err = store.TakeOIDCLogin(tx, hashSecret(binding))
		return err
	})
	if errors.Is(err, samordna.ErrNotFound) {
		return nil, ErrExternalLoginUnknown
	}
	if err != nil {
		return nil, err
	}
	if !a.now().Before(l.ExpiresAt) || state == "" || !equalSecret(state, l.State) {
		return nil, ErrExternalLoginUnknown
	}
	return &ExternalLogin{Binding: binding, State: l.State, Nonce: l.Nonce, Verifier: l.Verifier, ReturnPath: l.ReturnPath}, nil
}

// SignInExternal starts a session for the employee the identity provider
// vouched for. claim is the value of the configured claim: it is matched
// against the employees' external ids first, then (lower-cased) against
// their usernames. An unknown or disabled employee gets ErrNotRegistered;
// nobody is created. idToken is kept with the session for the provider's
// sign-out. Success and refusal are both audited (a refusal with the claim
// value as the name tried, as a refused password sign-in is with the
// username typed).
func (a *App) SignInExternal(ctx context.Context, actor *samordna.Actor, claim, idToken, lang string) (*SignedIn, error) {
	claim = strings.TrimSpace(claim)
	var emp *samordna.Employee
	in := &SignedIn{}
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		emp, err = employeeByClaim(tx, claim)
		if err != nil {
			return err
		}
		who := &samordna.Actor{Employee: emp, RequestID: actor.RequestID, Client: actor.Client}
		if emp == nil || emp.Disabled {
			ev := samordna.AuditEvent{ObjectType: "session", Action: "login", Outcome: samordna.OutcomeDenied, Purpose: "oidc_not_registered"}
			if emp == nil {
				ev.ActorUsername = claim
			}
			return a.audit(tx, who, ev)
		}
		if in.Secret, err = a.startSession(tx, emp, lang, idToken); err != nil {
			return err
		}
		in.Employee = emp
		return a.audit(tx, who, samordna.AuditEvent{ObjectType: "session", ObjectID: emp.ID, Action: "login", Purpose: "oidc"})
	})
	if err != nil {
		return nil, err
	}
	if in.Employee == nil {
		return nil, ErrNotRegistered
	}
	return in, nil
}

// employeeByClaim finds the employee a claim value names: by external id,
// then by username; nil when none.
func employeeByClaim(tx *store.Tx, claim string) (*samordna.Employee, error) {
	if claim == "" {
		return nil, nil
	}
	emp, err := store.EmployeeByExternalID(tx, claim)
	if errors.Is(err, samordna.ErrNotFound) {
		emp, _, err = store.EmployeeByUsername(tx, strings.ToLower(claim))
	}
	if errors.Is(err, samordna.ErrNotFound) {
		return nil, nil
	}
	return emp, err
}

// SessionIDToken returns the ID token the session was signed in with ("" for
// a password sign-in or an unknown session), for the provider's sign-out.
func (a *App) SessionIDToken(ctx context.Context, secret string) (string, error) {
	var tok string
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		s, err := store.SessionByHash(tx, hashSecret(secret))
		if errors.Is(err, samordna.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		tok = s.IDToken
		return nil
	})
	return tok, err
}

// equalSecret compares two secrets in constant time.
func equalSecret(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }
