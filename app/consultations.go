package app

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/access"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// This file records consultations (drøftinger): the discoverer discusses
// the case with a colleague, a leader, the resource group, a team, the
// coordinating unit or the specialist department —
// anonymously (the case then holds no identifying data, and neither may
// the consultation), or openly with the family's consent — with the advice
// given and who gave it (seed 000; seed 003 rows 1 and 2). Recording one
// completes the open task that asks for it and starts what follows, from
// the time the consultation was held: in
// Ulstein's plan, the resource-group member who was contacted gets row 2
// (give advice, report the case to the group's coordinator, discuss it at
// the next meeting, within two weeks). An open consultation with a team
// (or the resource group), and any consultation of an anonymous case,
// submits the case to the team, so that its members may read it.

// Who a consultation is with.
const (
	ConsultColleague     = "colleague"
	ConsultLeader        = "leader"
	ConsultResourceGroup = "resource_group"
	ConsultTeam          = "team"
	// Seed 000: "Hjelp til å finne ut hvor du kan henvende deg kan du få
	// hos Koordinerende enhet eller Fagavdeling for sektor Oppvekst": the
	// coordinating unit (KE) and the municipality's specialist department
	// (fagavdeling) help the discoverer find where to turn.
	ConsultCoordinatingUnit     = "coordinating_unit"
	ConsultSpecialistDepartment = "specialist_department"
)

// ConsultWith lists who a consultation may be with, in the order forms offer them.
var ConsultWith = []string{ConsultColleague, ConsultLeader, ConsultResourceGroup, ConsultTeam,
	ConsultCoordinatingUnit, ConsultSpecialistDepartment}

// Consultation modes.
const (
	ConsultAnonymous = "anonymous"
	ConsultOpen      = "open"
)

// MaxAdviceLength bounds each text of a consultation.
const MaxAdviceLength = 5000

// NewConsultation is the input for RecordConsultation.
type NewConsultation struct {
	With         string // colleague, leader, resource_group, team, coordinating_unit, specialist_department
	Mode         string // anonymous or open; an anonymous case only allows anonymous
	ConsentGiven bool   // open with a colleague or leader: the family has consented to the discussion
	// ConsentID: open with a team (or the resource group), the recorded
	// consent for sharing with that team; default: the case's consent in
	// force that names the team.
	ConsentID   string
	TeamID      string // team: the team; resource_group: optional, the municipality's resource group by default
	Adviser     string // username of the employee who gave the advice, when one of the municipality's
	AdviserName string // who gave the advice otherwise
	// Participants: who took part besides the discoverer (seed 000 "The
	// discoverer should not be alone in that conversation"); optional, the
	// page warns when nobody is named.
	Participants string
	Summary      string // what was discussed (optional)
	Advice       string // the advice given
	HeldAt       time.Time
}

// RecordConsultation records a consultation on a case. Who may call: an
// employee who may write to the case; others get samordna.ErrNotFound.
// One audit row.
//
// Errors: invalid_with, invalid_mode, advice_required, adviser_required,
// text_too_long, unknown_adviser, unknown_team, invalid_time (KindInvalid);
// consent_required (open without consent; with a team: without a recorded
// consent covering share_with_team for that team), anonymous_case_open (an open
// consultation on an anonymous case), identifying_data (KindRule).
func (a *App) RecordConsultation(ctx context.Context, actor *samordna.Actor, caseID string, in NewConsultation) (*store.Consultation, []*TaskView, error) {
	raw := in // identifying data is pointed at in the texts as sent
	var out *store.Consultation
	var started []*TaskView
	err := a.withCase(ctx, actor, caseID, access.Write, "record_consultation", func(tx *store.Tx, g *caseGrant) error {
		if err := validateConsultation(&in, a.now()); err != nil {
			return err
		}
		var err error
		if out, started, err = a.recordConsultation(tx, actor, g.Case, in, raw); err != nil {
			return err
		}
		return a.auditCase(tx, actor, g, "record_consultation", "consultation", out.ID)
	})
	if err != nil {
		return nil, nil, err
	}
	return out, started, nil
}

// recordConsultation records a validated consultation inside tx; raw is
// the input as sent, for pointing at identifying data.
func (a *App) recordConsultation(tx *store.Tx, actor *samordna.Actor, c *samordna.Case, in, raw NewConsultation) (*store.Consultation, []*TaskView, error) {
	if c.Anonymous {
		if in.Mode == ConsultOpen {
			return nil, nil, samordna.Errorf(samordna.KindRule, "anonymous_case_open",
				"a consultation on an anonymous case is anonymous")
		}
		if err := checkAnonymousFields([2]string{"summary", raw.Summary}, [2]string{"advice", raw.Advice},
			[2]string{"adviser_name", raw.AdviserName}, [2]string{"participants", raw.Participants}); err != nil {
			return nil, nil, err
		}
	}
	k, err := a.buildConsultation(tx, actor, c, in)
	if err != nil {
		return nil, nil, err
	}
	if k.Mode == ConsultOpen {
		if err := a.teamConsent(tx, c, k, in); err != nil {
			return nil, nil, err
		}
	}
	if err := store.CreateConsultation(tx, k); err != nil {
		return nil, nil, err
	}
	// The team may read the case when it was told who it is about (open,
	// with consent) or when the case names nobody; an anonymous
	// discussion of a named case keeps the case from the team.
	if k.TeamID != "" && (k.Mode == ConsultOpen || c.Anonymous) {
		if err := store.SubmitToTeam(tx, c.ID, k.TeamID, actor.Employee.ID, k.HeldAt); err != nil {
			return nil, nil, err
		}
	}
	if err := store.AddCaseEvent(tx, &samordna.CaseEvent{CaseID: c.ID, At: k.HeldAt, ActorID: actor.Employee.ID,
		Kind: "consultation_recorded", RefType: "consultation", RefID: k.ID}); err != nil {
		return nil, nil, err
	}
	tasks, err := a.consultationSteps(tx, actor, c, k)
	if err != nil {
		return nil, nil, err
	}
	r, err := a.caseRoutine(tx, c)
	if err != nil {
		return nil, nil, err
	}
	var started []*TaskView
	for _, t := range tasks {
		started = append(started, a.taskView(r, t, actor, false))
	}
	return k, started, nil
}

// errTeamConsent: naming the person to a team needs the consent form's team
// purpose.
var errTeamConsent = samordna.Errorf(samordna.KindRule, "consent_required",
	"bringing a named case to a team needs a recorded consent for sharing with that team (share_with_team); "+
		"otherwise discuss the case anonymously")

// teamConsent: an open consultation with a team names the person to every
// member, which needs a recorded consent in force covering share_with_team
// for that very team (seed 002 §4.2 "med samtykke", §5.2 one common consent
// form); a consultation with a colleague or leader needs the family's
// consent as ticked. It sets k.ConsentGiven accordingly.
func (a *App) teamConsent(tx *store.Tx, c *samordna.Case, k *store.Consultation, in NewConsultation) error {
	if k.TeamID == "" {
		if !in.ConsentGiven {
			return samordna.Errorf(samordna.KindRule, "consent_required",
				"an open consultation needs the family's consent; otherwise discuss the case anonymously")
		}
		return nil
	}
	cs, err := store.ConsentsOfCase(tx, c.ID)
	if err != nil {
		return err
	}
	for _, x := range cs {
		if (in.ConsentID == "" || x.ID == in.ConsentID) && x.Active(a.now()) &&
			x.Covers(samordna.PurposeShareWithTeam) && x.TeamID == k.TeamID {
			k.ConsentGiven = true
			return nil
		}
	}
	return errTeamConsent
}

// validateConsultation checks the input that needs no database.
func validateConsultation(in *NewConsultation, now time.Time) error {
	in.Summary, in.Advice = strings.TrimSpace(in.Summary), strings.TrimSpace(in.Advice)
	in.AdviserName, in.Adviser = strings.TrimSpace(in.AdviserName), strings.TrimSpace(in.Adviser)
	in.Participants = strings.TrimSpace(in.Participants)
	if !slices.Contains(ConsultWith, in.With) {
		return samordna.Errorf(samordna.KindInvalid, "invalid_with",
			"with is colleague, leader, resource_group, team, coordinating_unit or specialist_department")
	}
	switch {
	case in.Mode != ConsultAnonymous && in.Mode != ConsultOpen:
		return samordna.Errorf(samordna.KindInvalid, "invalid_mode", "mode is anonymous or open")
	case in.Mode == ConsultOpen && !in.ConsentGiven && in.With != ConsultTeam && in.With != ConsultResourceGroup:
		return samordna.Errorf(samordna.KindRule, "consent_required",
			"an open consultation needs the family's consent; otherwise discuss the case anonymously")
	case in.Advice == "":
		return samordna.Errorf(samordna.KindInvalid, "advice_required", "record the advice given")
	case in.Adviser == "" && in.AdviserName == "" && in.With != ConsultTeam && in.With != ConsultResourceGroup:
		return samordna.Errorf(samordna.KindInvalid, "adviser_required", "say who gave the advice")
	case in.With == ConsultTeam && in.TeamID == "":
		return samordna.Errorf(samordna.KindInvalid, "unknown_team", "choose the team")
	case in.HeldAt.After(now.Add(5 * time.Minute)):
		return samordna.Errorf(samordna.KindInvalid, "invalid_time", "a consultation cannot be recorded before it is held")
	}
	for _, s := range []string{in.Summary, in.Advice, in.AdviserName, in.Participants} {
		if utf8.RuneCountInString(s) > MaxAdviceLength {
			return samordna.Errorf(samordna.KindInvalid, "text_too_long", "each text may be at most %d characters", MaxAdviceLength)
		}
	}
	if in.HeldAt.IsZero() {
		in.HeldAt = now
	}
	return nil
}

// buildConsultation resolves the adviser and the team.
func (a *App) buildConsultation(tx *store.Tx, actor *samordna.Actor, c *samordna.Case, in NewConsultation) (*store.Consultation, error) {
	k := &store.Consultation{ID: samordna.NewID(), CaseID: c.ID, WithKind: in.With, Mode: in.Mode,
		ConsentGiven: in.ConsentGiven, AdviserName: in.AdviserName, Participants: in.Participants, Summary: in.Summary, Advice: in.Advice,
		HeldAt: in.HeldAt.UTC(), RecordedBy: actor.Employee.ID, RecordedAt: a.now()}
	if in.Adviser != "" {
		e, _, err := store.EmployeeByUsername(tx, in.Adviser)
		if err != nil || e.MunicipalityID != c.MunicipalityID || e.Disabled {
			return nil, samordna.Errorf(samordna.KindInvalid, "unknown_adviser", "no such colleague")
		}
		k.AdviserID = e.ID
		if k.AdviserName == "" {
			k.AdviserName = e.Name
		}
	}
	switch {
	case in.TeamID != "":
		t, err := store.TeamByID(tx, in.TeamID)
		if err != nil || t.MunicipalityID != c.MunicipalityID {
			return nil, samordna.Errorf(samordna.KindInvalid, "unknown_team", "no such team")
		}
		k.TeamID = t.ID
	case in.With == ConsultResourceGroup:
		t, err := store.FirstTeamOfKind(tx, c.MunicipalityID, samordna.TeamResourceGroup)
		if err == nil {
			k.TeamID = t.ID
		} else if samordna.ErrorKind(err) != samordna.KindNotFound {
			return nil, err
		}
	}
	return k, nil
}

// consultationSteps completes the open task asking for a consultation and
// starts what follows; without one it starts the steps the event
// (resource_group_contacted for the resource group, consultation_held
// otherwise) starts. A resource-group step goes to the adviser when the
// adviser is a member of the group.
func (a *App) consultationSteps(tx *store.Tx, actor *samordna.Actor, c *samordna.Case, k *store.Consultation) ([]*store.Task, error) {
	hint := assignHint{}
	if k.AdviserID != "" && k.TeamID != "" {
		t, err := store.TeamByID(tx, k.TeamID)
		if err != nil {
			return nil, err
		}
		for _, m := range t.MemberIDs {
			if m == k.AdviserID {
				hint.EmployeeID = k.AdviserID
			}
		}
	}
	started, err := a.completeOfferedAt(tx, actor, c, pathway.OfferConsultation, "", hint, k.HeldAt)
	if err != nil || len(started) > 0 {
		return started, err
	}
	ev := pathway.EventConsultationHeld
	if k.WithKind == ConsultResourceGroup {
		ev = pathway.EventResourceGroupContacted
	}
	return a.routineEventAt(tx, c, ev, hint, k.HeldAt)
}

// Consultations returns a case's consultations for a reader of the case.
// One audit row; others get samordna.ErrNotFound.
func (a *App) Consultations(ctx context.Context, actor *samordna.Actor, caseID string) ([]*store.Consultation, error) {
	var out []*store.Consultation
	err := a.withCase(ctx, actor, caseID, access.Read, "read_consultations", func(tx *store.Tx, g *caseGrant) error {
		var err error
		if out, err = store.ConsultationsOfCase(tx, g.Case.ID); err != nil {
			return err
		}
		return a.auditCase(tx, actor, g, "read_consultations", "case", g.Case.ID)
	})
	return out, err
}
