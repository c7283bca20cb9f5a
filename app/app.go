// Package app holds Samordna's use cases. Each exported method is one
// transaction: authorize → validate → change → audit → outbox. It is the only
// place business rules are enforced; the web pages and the JSON API call the
// same methods, so a rule cannot hold in one and not the other.
package app

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/store"
)

// App is the application: the database, the clock and the settings.
type App struct {
	DB    *store.DB
	Clock samordna.Clock
	Log   *slog.Logger
	// AllowSynthetic accepts synthetic test fødselsnumre (month + 80); only
	// in demo and test mode.
	AllowSynthetic bool
	routines       routineBook // the routine registry; see routines.go
	login          loginState  // device cookie key, password check; see loginthrottle.go
	// childrenWalk is where the sweep's walk over the open cases, asking
	// about children as next of kin, goes on (nextofkin.go).
	childrenWalk struct {
		sync.Mutex
		at store.CaseKey
	}
}

// New returns an App. A nil clock means the system clock.
func New(db *store.DB, clock samordna.Clock, log *slog.Logger) *App {
	if clock == nil {
		clock = samordna.SystemClock{}
	}
	if log == nil {
		log = slog.Default()
	}
	return &App{DB: db, Clock: clock, Log: log}
}

func (a *App) now() time.Time { return a.Clock.Now().UTC() }

// audit writes one audit row for the actor inside tx. If it fails the whole
// transaction fails, so nothing happens unaudited.
func (a *App) audit(tx *store.Tx, actor *samordna.Actor, ev samordna.AuditEvent) error {
	ev.At = a.now()
	if actor != nil {
		ev.RequestID = actor.RequestID
		ev.Client = actor.Client
		ev.ActorUsername = actor.System
		if e := actor.Employee; e != nil {
			ev.ActorID = e.ID
			ev.ActorUsername = e.Username
			ev.ActorRole = string(PrimaryRole(e))
			if len(e.Services) > 0 {
				ev.ActorService = e.Services[0].Name
			}
		}
	}
	if ev.Outcome == "" {
		ev.Outcome = samordna.OutcomeAllowed
	}
	return store.AppendAudit(tx, &ev)
}

// auditGrouped appends one audit row in its own transaction, sharing the
// durable commit with concurrent callers (store.DB.WriteGrouped); it returns
// when the row is durable. For reads whose data came from a read
// transaction just before.
func (a *App) auditGrouped(ctx context.Context, actor *samordna.Actor, ev samordna.AuditEvent) error {
	return a.DB.WriteGrouped(ctx, func(tx *store.Tx) error { return a.audit(tx, actor, ev) })
}

// PrimaryRole is the most specific role an employee holds, shown in the
// audit trail and access log.
func PrimaryRole(e *samordna.Employee) samordna.Role {
	for _, r := range []samordna.Role{samordna.RoleAdmin, samordna.RoleCoordinatingUnit,
		samordna.RoleChildWelfare, samordna.RoleServiceLeader} {
		if e.HasRole(r) {
			return r
		}
	}
	return samordna.RoleEmployee
}
