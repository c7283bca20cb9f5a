package app

import (
	"context"
	"strings"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/store"
)

// This file is each employee's own choice of how Samordna mails them:
// each notice at once (immediate, the default) or one daily digest. Acute
// notices (AcuteNotices) go at once either way.

// MailModes are the choices.
var MailModes = []string{store.MailImmediate, store.MailDigest}

// MailPreferences is what the employee chose and where mail goes.
type MailPreferences struct {
	Mode  string // one of MailModes
	Email string // the employee's address ("" when the administrator has set none: no mail is sent)
}

// MailPreferences returns the actor's own mail choice. Who may call: any
// signed-in employee, for themselves. Errors: not_found without an
// employee.
func (a *App) MailPreferences(ctx context.Context, actor *samordna.Actor) (*MailPreferences, error) {
	if actor == nil || actor.Employee == nil {
		return nil, samordna.ErrNotFound
	}
	p := &MailPreferences{Email: actor.Employee.Email}
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		var err error
		p.Mode, err = store.MailMode(tx, actor.Employee.ID)
		return err
	})
	return p, err
}

// SetMailMode stores the actor's own mail choice (audited). Who may call:
// any signed-in employee, for themselves. Errors: not_found without an
// employee; invalid_mode (400).
func (a *App) SetMailMode(ctx context.Context, actor *samordna.Actor, mode string) (*MailPreferences, error) {
	if actor == nil || actor.Employee == nil {
		return nil, samordna.ErrNotFound
	}
	mode = strings.TrimSpace(mode)
	valid := false
	for _, m := range MailModes {
		valid = valid || m == mode
	}
	if !valid {
		return nil, samordna.Errorf(samordna.KindInvalid, "invalid_mode", "mode is one of %s", strings.Join(MailModes, ", "))
	}
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		if err := store.SetMailMode(tx, actor.Employee.ID, mode, a.now()); err != nil {
			return err
		}
		return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "mail_preferences", ObjectID: actor.Employee.ID,
			Action: "set_mail_mode"})
	})
	if err != nil {
		return nil, err
	}
	return &MailPreferences{Mode: mode, Email: actor.Employee.Email}, nil
}
