package app

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/store"
)

// Sign-in links: how long one is valid unless told otherwise, and at most.
const (
	DefaultSignInLinkValidity = 24 * time.Hour
	MaxSignInLinkValidity     = 7 * 24 * time.Hour
)

// ErrSignInLinkGone answers a sign-in link that is unknown, used already
// or expired; the three are not told apart.
var ErrSignInLinkGone = samordna.Errorf(samordna.KindNotFound, "signin_link_gone",
	"the sign-in link has been used or has expired")

// SignInLink is a new one-time sign-in link: its secret (shown once; only
// its hash is stored), whom it signs in and until when.
type SignInLink struct {
	Secret    string
	Employee  *samordna.Employee
	ExpiresAt time.Time
}

// InitInput is what "samordna init" sets up.
type InitInput struct {
	Name          string // the municipality's name, as on SSB's list
	Number        string // its kommunenummer
	AdminUsername string
	AdminName     string
	LinkValidity  time.Duration // of the administrator's sign-in link; 0: DefaultSignInLinkValidity
}

// Initialised is a new installation: its municipality, and the sign-in link
// of its first administrator.
type Initialised struct {
	Municipality *samordna.Municipality
	Link         *SignInLink
}

// InitMunicipality sets up an empty database: the municipality (its number
// and name checked against Norway's list), its first administrator (role
// admin, no password) and a one-time sign-in link for them, all in one
// transaction, audited. It refuses with already_initialised when the
// database holds a municipality, and then changes nothing. For the command
// line.
func (a *App) InitMunicipality(ctx context.Context, actor *samordna.Actor, in InitInput) (*Initialised, error) {
	if err := samordna.CheckKommune(in.Number, in.Name); err != nil {
		return nil, err
	}
	k, _ := samordna.KommuneByNumber(strings.TrimSpace(in.Number))
	validity, err := linkValidity(in.LinkValidity)
	if err != nil {
		return nil, err
	}
	admin, _, err := newEmployee(NewUser{Username: in.AdminUsername, Name: in.AdminName,
		Roles: []samordna.Role{samordna.RoleAdmin}})
	if err != nil {
		return nil, err
	}
	m := &samordna.Municipality{ID: samordna.NewID(), Name: k.Name, Number: k.Number}
	admin.MunicipalityID = m.ID
	out := &Initialised{Municipality: m}
	err = a.DB.Write(ctx, func(tx *store.Tx) error {
		n, err := store.CountMunicipalities(tx)
		if err != nil {
			return err
		}
		if n > 0 {
			existing, err := store.FirstMunicipality(tx)
			if err != nil {
				return err
			}
			return samordna.Errorf(samordna.KindConflict, "already_initialised",
				"already initialised: %s (%s); init sets up an empty database only, nothing was changed",
				existing.Name, existing.Number)
		}
		now := a.now()
		if err := store.CreateMunicipality(tx, m, now); err != nil {
			return err
		}
		if err := a.audit(tx, actor, samordna.AuditEvent{ObjectType: "municipality", ObjectID: m.ID, Action: "create"}); err != nil {
			return err
		}
		if err := store.CreateEmployee(tx, admin, "", now); err != nil {
			return err
		}
		if err := a.audit(tx, actor, samordna.AuditEvent{ObjectType: "employee", ObjectID: admin.ID, Action: "create"}); err != nil {
			return err
		}
		out.Link, err = a.createSignInLink(tx, actor, admin, validity)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// CreateSignInLink makes a one-time sign-in link for the employee with the
// username, valid for validity (0: DefaultSignInLinkValidity, at most
// MaxSignInLinkValidity): how an administrator lets new staff in. For the
// administrator and the command line; anyone else is refused as if the
// employee did not exist.
func (a *App) CreateSignInLink(ctx context.Context, actor *samordna.Actor, username string, validity time.Duration) (*SignInLink, error) {
	if !isAdminOrCLI(actor) {
		return nil, a.refuse(ctx, actor, "employee", "create_signin_link")
	}
	validity, err := linkValidity(validity)
	if err != nil {
		return nil, err
	}
	var link *SignInLink
	err = a.DB.Write(ctx, func(tx *store.Tx) error {
		emp, _, err := store.EmployeeByUsername(tx, strings.ToLower(strings.TrimSpace(username)))
		if err != nil {
			return samordna.Errorf(samordna.KindInvalid, "unknown_user", "no such user")
		}
		if emp.Disabled {
			return samordna.Errorf(samordna.KindConflict, "user_disabled",
				"%s is disabled; enable the user before making a sign-in link", emp.Username)
		}
		link, err = a.createSignInLink(tx, actor, emp, validity)
		return err
	})
	return link, err
}

func linkValidity(v time.Duration) (time.Duration, error) {
	switch {
	case v == 0:
		return DefaultSignInLinkValidity, nil
	case v < time.Minute || v > MaxSignInLinkValidity:
		return 0, samordna.Errorf(samordna.KindInvalid, "invalid_validity",
			"a sign-in link is valid from a minute to %v", MaxSignInLinkValidity)
	}
	return v, nil
}

// createSignInLink stores a new link for emp inside tx and audits it.
func (a *App) createSignInLink(tx *store.Tx, actor *samordna.Actor, emp *samordna.Employee, validity time.Duration) (*SignInLink, error) {
	now := a.now()
	link := &SignInLink{Secret: randomSecret(), Employee: emp, ExpiresAt: now.Add(validity)}
	row := &store.SignInLink{ID: samordna.NewID(), EmployeeID: emp.ID, SecretHash: hashSecret(link.Secret),
		CreatedAt: now, ExpiresAt: link.ExpiresAt}
	if err := store.CreateSignInLink(tx, row); err != nil {
		return nil, err
	}
	return link, a.audit(tx, actor, samordna.AuditEvent{ObjectType: "employee", ObjectID: emp.ID,
		Action: "create_signin_link"})
}

// UseSignInLink signs in with a one-time link: the link must exist, be
// unused and unexpired, and its employee must not be disabled. It uses the
// link up and starts a session exactly as a password sign-in does (with a
// new device cookie). Every attempt writes an audit row; a refused one
// returns ErrSignInLinkGone. Anyone may call it.
func (a *App) UseSignInLink(ctx context.Context, actor *samordna.Actor, secret, lang string) (*SignedIn, error) {
	key, err := a.deviceCookieKey(ctx)
	if err != nil {
		return nil, err
	}
	now := a.now()
	var in *SignedIn
	refused := false
	err = a.DB.Write(ctx, func(tx *store.Tx) error {
		refuse := func(emp *samordna.Employee, why string) error {
			refused = true
			who := &samordna.Actor{Employee: emp, RequestID: actor.RequestID, Client: actor.Client}
			return a.audit(tx, who, samordna.AuditEvent{ObjectType: "session", Action: "login",
				Outcome: samordna.OutcomeDenied, Purpose: why})
		}
		link, err := store.SignInLinkByHash(tx, hashSecret(secret))
		if errors.Is(err, samordna.ErrNotFound) {
			return refuse(nil, "signin_link_unknown")
		}
		if err != nil {
			return err
		}
		emp, err := store.EmployeeByID(tx, link.EmployeeID)
		if err != nil {
			return err
		}
		switch {
		case link.UsedAt != nil:
			return refuse(emp, "signin_link_used")
		case !now.Before(link.ExpiresAt):
			return refuse(emp, "signin_link_expired")
		case emp.Disabled:
			return refuse(emp, "signin_link_disabled")
		}
		if ok, err := store.UseSignInLink(tx, link.ID, now); err != nil || !ok {
			if err != nil {
				return err
			}
			return refuse(emp, "signin_link_used")
		}
		in = &SignedIn{Device: newDeviceCookie(key, emp.ID, now), Employee: emp}
		if in.Secret, err = a.startSession(tx, emp, lang, ""); err != nil {
			return err
		}
		return a.audit(tx, &samordna.Actor{Employee: emp, RequestID: actor.RequestID, Client: actor.Client},
			samordna.AuditEvent{ObjectType: "session", ObjectID: emp.ID, Action: "login", Purpose: "signin_link"})
	})
	if err != nil {
		return nil, err
	}
	if refused {
		return nil, ErrSignInLinkGone
	}
	return in, nil
}

// CheckSignInLink reports whether a sign-in link would still sign in
// (ErrSignInLinkGone when not), without using it up: the page a link opens
// says at once when it is too late. Anyone may call it.
func (a *App) CheckSignInLink(ctx context.Context, secret string) error {
	now := a.now()
	return a.DB.Read(ctx, func(tx *store.Tx) error {
		link, err := store.SignInLinkByHash(tx, hashSecret(secret))
		if errors.Is(err, samordna.ErrNotFound) {
			return ErrSignInLinkGone
		}
		if err != nil {
			return err
		}
		emp, err := store.EmployeeByID(tx, link.EmployeeID)
		if err != nil {
			return err
		}
		if link.UsedAt != nil || !now.Before(link.ExpiresAt) || emp.Disabled {
			return ErrSignInLinkGone
		}
		return nil
	})
}
