package app

import (
	"context"
	"strings"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/access"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// NewConsent is the input for RecordConsent.
type NewConsent struct {
	GivenBy         string // the name of who gave it
	GivenByRelation string // "self" (default) or "guardian"
	GivenByPersonID string // optional: the person who gave it, when registered
	Purposes        []samordna.ConsentPurpose
	ValidUntil      string // optional YYYY-MM-DD: in force through that day (Oslo time)
	FormID          string // optional: a scanned signed form already uploaded to the case
	TeamID          string // the team of share_with_team (required with that purpose, else empty)
	// OnPaper: the consent was given on the paper form with a signature
	// (seed 004 Samtykke: "Sted, dato, underskrift"); the signed scan must
	// then be attached (FormID), else signed_form_required. A consent the
	// person gives without paper (in a meeting, recorded by the employee
	// with their name, purposes and date) is written down in Samordna
	// itself and needs no scan.
	OnPaper bool
}

// RecordConsent records a written consent on a case. Callers: the
// employee who registered the case, the coordinator, or the coordinating
// unit (access.ManageConsent). Errors: not_found, given_by_required,
// purposes_required, invalid_purpose, invalid_relation, invalid_date,
// team_required, unknown_team, signed_form_required (a consent given on
// paper without its signed scan).
func (a *App) RecordConsent(ctx context.Context, actor *samordna.Actor, caseID string, in NewConsent) (*samordna.Consent, error) {
	var c *samordna.Consent
	// Authorize first: a caller without access gets not_found whatever the
	// body says, exactly as for a case that does not exist.
	err := a.withCase(ctx, actor, caseID, access.ManageConsent, "record_consent", func(tx *store.Tx, g *caseGrant) error {
		var err error
		if c, err = a.validateConsent(in); err != nil {
			return err
		}
		if c.FormID != "" {
			if err := formBelongsTo(tx, c.FormID, g.Case.ID); err != nil {
				return err
			}
		}
		if err := consentTeam(tx, c, g.Case.MunicipalityID); err != nil {
			return err
		}
		c.ID, c.CaseID, c.RecordedBy, c.RecordedAt = samordna.NewID(), g.Case.ID, actor.Employee.ID, a.now()
		if err := store.CreateConsent(tx, c); err != nil {
			return err
		}
		if err := a.caseEvent(tx, actor, g.Case.ID, "consent_recorded", "consent", c.ID); err != nil {
			return err
		}
		return a.auditCase(tx, actor, g, "record_consent", "consent", c.ID)
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

func (a *App) validateConsent(in NewConsent) (*samordna.Consent, error) {
	c := &samordna.Consent{Status: samordna.ConsentActive, GivenByName: strings.TrimSpace(in.GivenBy),
		GivenByRelation: in.GivenByRelation, GivenByPersonID: in.GivenByPersonID, FormID: in.FormID,
		TeamID: strings.TrimSpace(in.TeamID)}
	if c.GivenByName == "" || len(c.GivenByName) > 200 {
		return nil, samordna.Errorf(samordna.KindInvalid, "given_by_required", "say who gave the consent (a name, at most 200 characters)")
	}
	if c.GivenByRelation == "" {
		c.GivenByRelation = "self"
	}
	if c.GivenByRelation != "self" && c.GivenByRelation != "guardian" {
		return nil, samordna.Errorf(samordna.KindInvalid, "invalid_relation", "given_by_relation is self or guardian")
	}
	if len(in.Purposes) == 0 {
		return nil, samordna.Errorf(samordna.KindInvalid, "purposes_required", "name at least one purpose")
	}
	if in.OnPaper && strings.TrimSpace(in.FormID) == "" {
		return nil, samordna.Errorf(samordna.KindRule, "signed_form_required",
			"the consent was given on paper: upload the signed form and attach it")
	}
	seen := map[samordna.ConsentPurpose]bool{}
	for _, p := range in.Purposes {
		if !p.Valid() {
			return nil, samordna.Errorf(samordna.KindInvalid, "invalid_purpose", "unknown purpose %q", truncate(string(p), 40))
		}
		if !seen[p] {
			seen[p] = true
			c.Purposes = append(c.Purposes, p)
		}
	}
	if in.ValidUntil != "" {
		end, err := endOfDay(in.ValidUntil)
		if err != nil {
			return nil, err
		}
		if !end.After(a.now()) {
			return nil, samordna.Errorf(samordna.KindInvalid, "invalid_date", "valid_until must be today or later")
		}
		c.ValidUntil = &end
	}
	return c, nil
}

// consentTeam checks the team a consent names: share_with_team names one
// team of the municipality (seed 002 §5.2: the common consent form says
// which team the case may be brought to), and no other purpose names one.
func consentTeam(tx *store.Tx, c *samordna.Consent, municipalityID string) error {
	if !c.Covers(samordna.PurposeShareWithTeam) {
		if c.TeamID != "" {
			return samordna.Errorf(samordna.KindInvalid, "team_required",
				"a team is named only with the purpose share_with_team")
		}
		return nil
	}
	if c.TeamID == "" {
		return samordna.Errorf(samordna.KindInvalid, "team_required",
			"the purpose share_with_team names the team (team_id)")
	}
	t, err := store.TeamByID(tx, c.TeamID)
	if err != nil || t.MunicipalityID != municipalityID {
		if err == nil || samordna.ErrorKind(err) == samordna.KindNotFound {
			return samordna.Errorf(samordna.KindInvalid, "unknown_team", "no such team")
		}
		return err
	}
	return nil
}

// endOfDay parses YYYY-MM-DD and returns the first instant of the next
// day in Oslo: a consent "valid until 31 March" holds all of 31 March.
func endOfDay(date string) (time.Time, error) {
	d, err := time.ParseInLocation("2006-01-02", date, pathway.Oslo())
	if err != nil {
		return time.Time{}, samordna.Errorf(samordna.KindInvalid, "invalid_date", "dates are YYYY-MM-DD")
	}
	return d.AddDate(0, 0, 1).UTC(), nil
}

// WithdrawConsent withdraws a consent. Access that rested on it ends with
// the very next request (decisions are never cached); the members who lose
// it are told, their open tasks on the case go back to the coordinator and
// the planned meetings are flagged to the coordinator (effects.go). Callers: as for
// RecordConsent. Errors: not_found, already_withdrawn (409).
func (a *App) WithdrawConsent(ctx context.Context, actor *samordna.Actor, consentID string) (*samordna.Consent, error) {
	var c *samordna.Consent
	caseID, err := a.consentCase(ctx, consentID)
	if err != nil {
		return nil, err
	}
	err = a.withCase(ctx, actor, caseID, access.ManageConsent, "withdraw_consent", func(tx *store.Tx, g *caseGrant) error {
		var err error
		if c, err = store.ConsentByID(tx, consentID); err != nil {
			return err
		}
		if c.Status == samordna.ConsentWithdrawn {
			return samordna.Errorf(samordna.KindConflict, "already_withdrawn", "the consent is already withdrawn")
		}
		eff, err := a.withdrawalEffects(tx, g, c)
		if err != nil {
			return err
		}
		now := a.now()
		c.Status, c.WithdrawnAt, c.WithdrawnBy = samordna.ConsentWithdrawn, &now, actor.Employee.ID
		if err := store.UpdateConsent(tx, c, actor.Employee.ID, now, "withdrawn"); err != nil {
			return err
		}
		if err := a.applyWithdrawalEffects(tx, actor, g, eff); err != nil {
			return err
		}
		if err := a.caseEvent(tx, actor, g.Case.ID, "consent_withdrawn", "consent", c.ID); err != nil {
			return err
		}
		return a.auditCase(tx, actor, g, "withdraw_consent", "consent", c.ID)
	})
	return c, err
}

// consentCase finds the case a consent belongs to ("" and not found when
// there is no such consent; withCase then answers not found as usual).
func (a *App) consentCase(ctx context.Context, consentID string) (string, error) {
	var caseID string
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		c, err := store.ConsentByID(tx, consentID)
		if err == nil {
			caseID = c.CaseID
		}
		if samordna.ErrorKind(err) == samordna.KindNotFound {
			return nil
		}
		return err
	})
	if caseID == "" && err == nil {
		caseID = consentID // unknown: withCase refuses and audits it like any unknown id
	}
	return caseID, err
}

// caseConsents returns a case's consents with an expired consent shown as
// "expired".
func caseConsents(tx *store.Tx, caseID string, now time.Time) ([]*samordna.Consent, error) {
	cs, err := store.ConsentsOfCase(tx, caseID)
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		if c.Status == samordna.ConsentActive && !c.Active(now) {
			c.Status = "expired"
		}
	}
	return cs, nil
}

// caseEvent appends to the case's timeline.
func (a *App) caseEvent(tx *store.Tx, actor *samordna.Actor, caseID, kind, refType, refID string) error {
	return store.AddCaseEvent(tx, &samordna.CaseEvent{CaseID: caseID, At: a.now(), ActorID: actor.Employee.ID,
		Kind: kind, RefType: refType, RefID: refID})
}

// formBelongsTo checks that an uploaded form is on the same case.
func formBelongsTo(tx *store.Tx, formID, caseID string) error {
	var n int
	if err := tx.QueryRow(`SELECT COUNT(*) FROM consent_forms WHERE id = $1 AND case_id = $2`, formID, caseID).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return samordna.Errorf(samordna.KindInvalid, "unknown_form", "no such form on this case")
	}
	return nil
}
