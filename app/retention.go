package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/access"
	"github.com/samordna/samordna/store"
)

// This file is retention (GDPR art. 5(1)(e), storage limitation): the
// municipality's administrator sets how long a closed case is kept, and
// past that the sweep deletes the case's content and anonymises the
// persons no kept case needs. Nothing is deleted until a period is set.
//
// The audit trail keeps its chain: its rows hold only ids (person_id,
// case_id, object_id) and the employees who acted, never content, so the
// purge deletes content in the case's own tables and never touches an
// audit row. Once the person's name and number are gone, the ids in the
// audit rows point at an empty person and the trail is pseudonymous; every
// row still verifies (samordna audit verify). The purge itself is audited.

// RetentionMaxMonths bounds the retention period (100 years).
const RetentionMaxMonths = 1200

// retentionActor is the audit trail's name for the retention sweep.
var retentionActor = &samordna.Actor{RequestID: "retention-sweep"}

// RetentionView is the municipality's retention setting as the
// administrator sees it.
type RetentionView struct {
	Months    int // 0: not set, nothing is deleted
	SetByName string
	SetAt     *time.Time
	// Expired is how many closed cases are past the period now and not yet
	// purged (0 when no period is set): the next sweep purges them.
	Expired int
}

// Retention returns the actor's municipality's retention setting. Who may
// call: the administrator (access.CanSetRetention); anyone else gets
// samordna.ErrNotFound.
func (a *App) Retention(ctx context.Context, actor *samordna.Actor) (*RetentionView, error) {
	if !mayManageRetention(actor) {
		return nil, a.refuse(ctx, actor, "retention", "read_retention")
	}
	var v RetentionView
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		r, err := store.MunicipalityRetention(tx, actor.Employee.MunicipalityID)
		if err != nil {
			return err
		}
		v.Months, v.SetByName, v.SetAt = r.Months, r.SetByName, r.SetAt
		if r.Months > 0 {
			v.Expired, err = store.CountExpiredCases(tx, actor.Employee.MunicipalityID, retentionCutoff(a.now(), r.Months))
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// RetentionPreview returns how many closed cases would lose their content
// now if the period were months: what the administrator reviews before
// saving. It changes nothing. Who may call: the administrator; anyone else
// gets samordna.ErrNotFound. Errors: invalid_retention (KindInvalid).
func (a *App) RetentionPreview(ctx context.Context, actor *samordna.Actor, months int) (int, error) {
	if !mayManageRetention(actor) {
		return 0, a.refuse(ctx, actor, "retention", "preview_retention")
	}
	if err := checkRetention(months); err != nil {
		return 0, err
	}
	if months == 0 {
		return 0, nil
	}
	var n int
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		var err error
		n, err = store.CountExpiredCases(tx, actor.Employee.MunicipalityID, retentionCutoff(a.now(), months))
		return err
	})
	return n, err
}

// SetRetention sets how many months the actor's municipality keeps a
// closed case (0 removes the period: nothing more is deleted). It is an
// audited administrative change (action set_retention, the new value in
// the row's purpose). Who may call: the administrator; anyone else gets
// samordna.ErrNotFound. Errors: invalid_retention (KindInvalid).
func (a *App) SetRetention(ctx context.Context, actor *samordna.Actor, months int) (*RetentionView, error) {
	if !mayManageRetention(actor) {
		return nil, a.refuse(ctx, actor, "retention", "set_retention")
	}
	if err := checkRetention(months); err != nil {
		return nil, err
	}
	muni := actor.Employee.MunicipalityID
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		if err := store.SetMunicipalityRetention(tx, muni, months, actor.Employee.ID, a.now()); err != nil {
			return err
		}
		return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "municipality", ObjectID: muni,
			Action: "set_retention", Purpose: "retention_months=" + strconv.Itoa(months)})
	})
	if err != nil {
		return nil, err
	}
	return a.Retention(ctx, actor)
}

// CheckRetentionRole answers nil when the actor may manage retention (the
// administrator), and otherwise writes a denied audit row and returns
// not_found: the page and the API call it before reading any input.
func (a *App) CheckRetentionRole(ctx context.Context, actor *samordna.Actor) error {
	if mayManageRetention(actor) {
		return nil
	}
	return a.refuse(ctx, actor, "retention", "set_retention")
}

// mayManageRetention: a signed-in administrator of a municipality.
func mayManageRetention(actor *samordna.Actor) bool {
	return actor != nil && actor.Employee != nil && actor.Employee.MunicipalityID != "" &&
		access.CanSetRetention(access.SubjectOf(actor.Employee))
}

// checkRetention validates a period in months (0: none).
func checkRetention(months int) error {
	if months < 0 || months > RetentionMaxMonths {
		return samordna.Errorf(samordna.KindInvalid, "invalid_retention",
			"the retention period must be between 1 and %d months (or 0 for none)", RetentionMaxMonths)
	}
	return nil
}

// retentionCutoff is the instant before which a case must have closed to
// be past a period of months at now.
func retentionCutoff(now time.Time, months int) time.Time { return now.AddDate(0, -months, 0) }

// PurgeExpiredCases deletes the content of every closed case past its
// municipality's retention period at now, one case per transaction, and
// anonymises the persons no kept case needs any longer. Each case is
// claimed in purged_cases, so several servers purge it once. It returns
// how many cases it purged. Who may call: the sweep (SweepOverdue) and
// tests.
func (a *App) PurgeExpiredCases(ctx context.Context, now time.Time) (int, error) {
	var settings []store.RetentionSetting
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		var err error
		settings, err = store.RetentionSettings(tx)
		return err
	})
	if err != nil {
		return 0, err
	}
	purged := 0
	for _, s := range settings {
		cutoff := retentionCutoff(now, s.Months)
		for range sweepPasses {
			var ids []string
			err := a.DB.Read(ctx, func(tx *store.Tx) error {
				var err error
				ids, err = store.ExpiredCaseIDs(tx, s.MunicipalityID, cutoff, sweepBatch)
				return err
			})
			if err != nil {
				return purged, err
			}
			for _, id := range ids {
				done, err := a.purgeCase(ctx, id, s.Months, cutoff, now)
				if err != nil {
					return purged, err
				}
				if done {
					purged++
				}
			}
			if len(ids) < sweepBatch {
				break
			}
		}
	}
	return purged, nil
}

// purgeCase claims and purges one case in its own transaction and reports
// whether it did (false: another server did, or the case was reopened).
func (a *App) purgeCase(ctx context.Context, caseID string, months int, cutoff, now time.Time) (bool, error) {
	claimed := false
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		ok, err := store.ClaimCasePurge(tx, caseID, months, cutoff, now)
		if err != nil || !ok {
			return err
		}
		claimed = true
		c, err := store.CaseByID(tx, caseID)
		if err != nil {
			return err
		}
		// Who may become unneeded, read before the purge blanks the links.
		candidates, err := store.PurgeCandidates(tx, caseID)
		if err != nil {
			return err
		}
		if err := store.PurgeCaseContent(tx, caseID, purgedContent); err != nil {
			return err
		}
		purpose := "retention_months=" + strconv.Itoa(months)
		if err := a.audit(tx, retentionActor, samordna.AuditEvent{CaseID: c.ID, PersonID: c.SubjectPersonID,
			ObjectType: "case", ObjectID: c.ID, Action: "purge", Purpose: purpose}); err != nil {
			return err
		}
		for _, id := range candidates {
			anonymised, err := store.AnonymisePersonIfUnneeded(tx, id, now)
			if err != nil {
				return err
			}
			if anonymised {
				if err := a.audit(tx, retentionActor, samordna.AuditEvent{PersonID: id, ObjectType: "person",
					ObjectID: id, Action: "anonymise", Purpose: purpose}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return claimed, err
}

// purgedContent is what a purged case's minutes and plan versions hold:
// empty documents, the minutes with a digest that matches, so a purged
// case still opens (showing that nothing is left) instead of failing the
// minutes' tamper check.
var purgedContent = func() store.PurgedContent {
	minutes, err := json.Marshal(Minutes{})
	if err != nil {
		panic(fmt.Sprintf("empty minutes: %v", err))
	}
	plan, err := json.Marshal(store.PlanContent{})
	if err != nil {
		panic(fmt.Sprintf("empty plan: %v", err))
	}
	sum := sha256.Sum256(minutes)
	return store.PurgedContent{Minutes: string(minutes), MinutesSHA256: hex.EncodeToString(sum[:]), Plan: string(plan)}
}()
