package app

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/access"
	"github.com/samordna/samordna/store"
)

// Block is a bar (sperring) on one employee for one case.
type Block = store.Block

// BlockEmployee bars the named employee from the case at the person's
// request. The bar holds for everything on the case, also what is written
// later, whatever relation the employee has, until it is lifted. Callers:
// the coordinator or the coordinating unit (access.Block). Errors:
// not_found, unknown_employee (422), cannot_block_self (422),
// already_blocked (409), reason_too_long (400).
func (a *App) BlockEmployee(ctx context.Context, actor *samordna.Actor, caseID, username, reason string) (*Block, error) {
	var b *Block
	err := a.withCase(ctx, actor, caseID, access.Block, "block_employee", func(tx *store.Tx, g *caseGrant) error {
		reason = strings.TrimSpace(reason)
		if utf8.RuneCountInString(reason) > 500 {
			return samordna.Errorf(samordna.KindInvalid, "reason_too_long", "the reason is at most 500 characters")
		}
		target, _, err := store.EmployeeByUsername(tx, strings.ToLower(strings.TrimSpace(username)))
		if samordna.ErrorKind(err) == samordna.KindNotFound || (err == nil && target.MunicipalityID != g.Case.MunicipalityID) {
			return samordna.Errorf(samordna.KindRule, "unknown_employee", "no such employee in the municipality")
		}
		if err != nil {
			return err
		}
		if target.ID == actor.Employee.ID {
			return samordna.Errorf(samordna.KindRule, "cannot_block_self", "you cannot bar yourself from the case")
		}
		active, err := store.HasActiveBlock(tx, g.Case.ID, target.ID)
		if err != nil {
			return err
		}
		if active {
			return samordna.Errorf(samordna.KindConflict, "already_blocked", "the employee is already barred from the case")
		}
		b = &Block{ID: samordna.NewID(), CaseID: g.Case.ID, EmployeeID: target.ID, Username: target.Username,
			Name: target.Name, Reason: reason, CreatedBy: actor.Employee.ID, CreatedAt: a.now()}
		if err := store.CreateBlock(tx, b); err != nil {
			return err
		}
		return a.auditCase(tx, actor, g, "block_employee", "block", b.ID)
	})
	if err != nil {
		return nil, err
	}
	return b, nil
}

// LiftBlock lifts a bar: the employee's relations count again from the
// next request. Callers: as for BlockEmployee. Errors: not_found (also for
// a block of another case), already_lifted (409).
func (a *App) LiftBlock(ctx context.Context, actor *samordna.Actor, caseID, blockID string) (*Block, error) {
	var b *Block
	err := a.withCase(ctx, actor, caseID, access.Block, "lift_block", func(tx *store.Tx, g *caseGrant) error {
		var err error
		if b, err = store.BlockByID(tx, blockID); err != nil {
			return err
		}
		if b.CaseID != g.Case.ID {
			return samordna.ErrNotFound
		}
		if !b.Active() {
			return samordna.Errorf(samordna.KindConflict, "already_lifted", "the bar is already lifted")
		}
		now := a.now()
		if err := store.LiftBlock(tx, b.ID, actor.Employee.ID, now); err != nil {
			return err
		}
		b.LiftedBy, b.LiftedAt = actor.Employee.ID, &now
		return a.auditCase(tx, actor, g, "lift_block", "block", b.ID)
	})
	if err != nil {
		return nil, err
	}
	return b, nil
}

// CaseBlocks lists the case's bars, active first. Callers: as for
// BlockEmployee. Errors: not_found.
func (a *App) CaseBlocks(ctx context.Context, actor *samordna.Actor, caseID string) ([]*Block, error) {
	var out []*Block
	err := a.withCase(ctx, actor, caseID, access.Block, "read_blocks", func(tx *store.Tx, g *caseGrant) error {
		var err error
		if out, err = store.BlocksOfCase(tx, g.Case.ID); err != nil {
			return err
		}
		return a.auditCase(tx, actor, g, "read", "block", "")
	})
	return out, err
}
