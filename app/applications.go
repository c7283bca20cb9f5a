package app

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/access"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// This file holds the application to the coordinating unit (seed 000: the
// discoverer applies for a coordinator, the form also covers the individual
// plan) and the unit's decision (seed 004: the unit appoints the
// coordinator, weighing whom the person wishes).

// NewApplication is the input for SubmitApplication.
type NewApplication struct {
	Coordinator       bool   // applies for a coordinator
	IndividualPlan    bool   // applies for an individual plan
	WishedCoordinator string // optional: username of the employee the person wishes as coordinator
	// ResponsibilityGroup: the wish includes a responsibility group (seed
	// 004 Etablering: "Ønske om opprettelse av ansvarsgruppe meldes til
	// koordinerende enhet").
	ResponsibilityGroup bool
	// WishedBy and WishedByRelation record whose wish it is: the person
	// ("self"), a guardian or next of kin. Default: who gave the consent, or
	// the person when their own signed application is attached.
	WishedBy         string
	WishedByRelation string
	// SignedFormID: the person's own signed application, uploaded to the
	// case (UploadConsentForm); it carries the person's will instead of a
	// consent.
	SignedFormID string
}

// The relations of whoever wished for the application (seed 004:
// "brukeren/foresatte/pårørende").
const (
	WishSelf       = "self"
	WishGuardian   = "guardian"
	WishNextOfKin  = "next_of_kin"
	maxWishedByLen = 200
)

// SubmitApplication sends an application for a coordinator and/or an
// individual plan to the coordinating unit, which from then on may see the
// case. It gives the unit its tasks: contact the person, and decide.
// The person's will comes first (seed 004 Koordinator: "Oppnevningen gjøres
// etter ønske eller søknad fra brukeren/foresatte/pårørende"; seed 000: apply
// when consent to follow-up is given): the case needs an active consent
// covering register_with_coordinating_unit, or the person's own signed
// application attached; otherwise nothing is shared with the unit. After a
// recorded refusal the answer points to the refusal's path (seed 003 row 5:
// a written report to child welfare where the concern is serious).
// Who may call: anyone who may write to the case (access.Write). Errors:
// not_found; nothing_applied_for, invalid_relation, wished_by_too_long,
// unknown_form (400); named_case_required (422, an anonymous consultation
// cannot apply); consent_required (422); unknown_wished_coordinator (422);
// application_pending (409) while an earlier one is undecided.
func (a *App) SubmitApplication(ctx context.Context, actor *samordna.Actor, caseID string, in NewApplication) (*store.Application, error) {
	var out *store.Application
	err := a.withCase(ctx, actor, caseID, access.Write, "submit_application", func(tx *store.Tx, g *caseGrant) error {
		if !in.Coordinator && !in.IndividualPlan {
			return samordna.Errorf(samordna.KindInvalid, "nothing_applied_for",
				"apply for a coordinator, an individual plan or both")
		}
		var err error
		if out, err = a.submitApplication(tx, actor, g, in); err != nil {
			return err
		}
		return a.auditCase(tx, actor, g, "submit_application", "application", out.ID)
	})
	return out, err
}

func (a *App) submitApplication(tx *store.Tx, actor *samordna.Actor, g *caseGrant, in NewApplication) (*store.Application, error) {
	if g.Case.Anonymous || g.Case.SubjectPersonID == "" {
		return nil, samordna.Errorf(samordna.KindRule, "named_case_required",
			"an application needs a named case with the person's consent")
	}
	will, err := a.personsWill(tx, g.Case, in)
	if err != nil {
		return nil, err
	}
	wish := strings.TrimSpace(in.WishedCoordinator)
	if wish != "" {
		if _, err := eligibleEmployee(tx, g.Case.MunicipalityID, wish, "unknown_wished_coordinator"); err != nil {
			return nil, err
		}
	}
	existing, err := store.ApplicationsOfCase(tx, g.Case.ID)
	if err != nil {
		return nil, err
	}
	for _, e := range existing {
		if e.Status == store.ApplicationSubmitted {
			return nil, samordna.Errorf(samordna.KindConflict, "application_pending",
				"the case already has an application waiting for a decision")
		}
	}
	now := a.now()
	app := &store.Application{ID: samordna.NewID(), CaseID: g.Case.ID, MunicipalityID: g.Case.MunicipalityID,
		Status: store.ApplicationSubmitted, WantsCoordinator: in.Coordinator, WantsPlan: in.IndividualPlan,
		WishedCoordinator: wish, SubmittedBy: actor.Employee.ID, SubmittedAt: now, WishedBy: will.WishedBy,
		WishedByRelation: will.WishedByRelation, WantsGroup: in.ResponsibilityGroup, ConsentID: will.ConsentID,
		SignedFormID: will.SignedFormID}
	if err := store.CreateApplication(tx, app); err != nil {
		return nil, err
	}
	if err := a.caseEvent(tx, actor, g.Case.ID, "application_submitted", "application", app.ID); err != nil {
		return nil, err
	}
	routine, err := a.routineStep(tx, actor, g.Case, pathway.OfferApplication, pathway.EventApplicationReceived,
		pathway.ResponsibleCoordinatingUnit)
	if err != nil || routine {
		return app, err
	}
	for _, t := range []coordTask{
		{Title: taskContactPerson, Role: samordna.RoleCoordinatingUnit, Due: pathway.AddWorkingDays(now, 5)},
		{Title: taskDecide, Role: samordna.RoleCoordinatingUnit, Due: now.AddDate(0, 1, 0)},
	} {
		if err := a.addTask(tx, actor, g.Case, t); err != nil {
			return nil, err
		}
	}
	return app, nil
}

// Errors of the person's will: both have the code consent_required;
// ErrWillRefused is the answer after a recorded refusal, and points to the
// refusal's path (the pages tell them apart with errors.Is).
var (
	ErrWillRequired = samordna.Errorf(samordna.KindRule, "consent_required",
		"an application to the coordinating unit needs the person's will: an active consent covering "+
			"register_with_coordinating_unit, or the person's own signed application attached")
	ErrWillRefused = samordna.Errorf(samordna.KindRule, "consent_required",
		"the family has refused consent, so the coordinating unit is not told: where the concern is serious, "+
			"send a written report to child welfare (the refusal's path)")
)

// personsWill finds what carries the person's will to apply and whose wish
// it is (see SubmitApplication).
func (a *App) personsWill(tx *store.Tx, c *samordna.Case, in NewApplication) (*store.Application, error) {
	will := &store.Application{WishedBy: strings.TrimSpace(in.WishedBy), WishedByRelation: in.WishedByRelation}
	switch will.WishedByRelation {
	case "", WishSelf, WishGuardian, WishNextOfKin:
	default:
		return nil, samordna.Errorf(samordna.KindInvalid, "invalid_relation",
			"wished_by_relation is self, guardian or next_of_kin")
	}
	if len(will.WishedBy) > maxWishedByLen {
		return nil, samordna.Errorf(samordna.KindInvalid, "wished_by_too_long",
			"wished_by is at most %d characters", maxWishedByLen)
	}
	name, relation := "", WishSelf
	if in.SignedFormID != "" {
		if err := formBelongsTo(tx, in.SignedFormID, c.ID); err != nil {
			return nil, err
		}
		p, err := store.PersonByID(tx, c.SubjectPersonID)
		if err != nil {
			return nil, err
		}
		will.SignedFormID, name = in.SignedFormID, p.Name
	} else {
		k, err := a.activeConsentFor(tx, c.ID, samordna.PurposeRegisterWithUnit)
		if err != nil {
			return nil, err
		}
		if k == nil {
			if refused, err := a.consentRefused(tx, c); err != nil || refused {
				return nil, cmp.Or(err, error(ErrWillRefused))
			}
			return nil, ErrWillRequired
		}
		will.ConsentID, name, relation = k.ID, k.GivenByName, k.GivenByRelation
	}
	will.WishedBy = cmp.Or(will.WishedBy, name)
	will.WishedByRelation = cmp.Or(will.WishedByRelation, relation)
	return will, nil
}

// activeConsentFor returns the newest consent of the case in force now that
// covers the purpose, or nil.
func (a *App) activeConsentFor(tx *store.Tx, caseID string, p samordna.ConsentPurpose) (*samordna.Consent, error) {
	cs, err := store.ConsentsOfCase(tx, caseID)
	if err != nil {
		return nil, err
	}
	for _, k := range cs {
		if k.Active(a.now()) && k.Covers(p) {
			return k, nil
		}
	}
	return nil, nil
}

// consentRefused reports whether a routine step of the case was completed
// with the outcome "refused": the family refused consent (seed 003 row 5,
// seed 000 "document").
func (a *App) consentRefused(tx *store.Tx, c *samordna.Case) (bool, error) {
	r, err := a.caseRoutine(tx, c)
	if err != nil || r == nil {
		return false, err
	}
	tasks, err := store.TasksOfCase(tx, c.ID)
	if err != nil {
		return false, err
	}
	for _, t := range tasks {
		step, ok := r.Step(t.StepID)
		if !ok || t.Kind != store.TaskKindStep || t.Outcome != outcomeConsentRefused {
			continue
		}
		if _, named := step.Outcomes[outcomeConsentRefused]; named {
			return true, nil
		}
	}
	return false, nil
}

// Decision is the input for DecideApplication.
type Decision struct {
	Outcome         string // "granted" or "refused"
	Coordinator     string // username; required when granted
	CoordinatorKind string // "coordinator" (default) or "child_coordinator"
	IndividualPlan  bool   // an individual plan is granted
	// IndividualPlanWhen refines IndividualPlan: "now", "later" (to be
	// assessed later; a coordinator may exist without a plan) or "no".
	// Empty means "now" when IndividualPlan is set, else "no".
	IndividualPlanWhen string
	Reason             string // required when refused
	// ChildCoordinatorGround: the ground of a child coordinator
	// (helse- og omsorgstjenesteloven § 7-2a), one of ChildCoordinatorGrounds;
	// required for a child coordinator, ignored otherwise.
	ChildCoordinatorGround string
}

// ChildCoordinatorGrounds are the grounds that give a child the right to a
// child coordinator (seed 004: "Barn eller ungdom under 18 år, som har
// alvorlig sykdom, skade eller nedsatt funksjonsevne"; hol § 7-2a): serious
// illness, injury or disability in the child, or one of them expected
// (a child coordinator may be appointed before birth).
var ChildCoordinatorGrounds = []string{"serious_illness", "injury", "disability", "expected"}

// Warning is a gentle note about a change that was made anyway.
type Warning struct {
	Code    string
	Message string
}

// DecisionResult is what DecideApplication did.
type DecisionResult struct {
	Application *store.Application
	Coordinator *store.Assignment // nil when refused
	Warnings    []Warning
}

// DecideApplication records the coordinating unit's decision. Granted, it
// appoints the named coordinator (status appointed until they accept);
// choosing someone other than the person's wish gives the warning
// wish_not_followed. Who may call: the coordinating unit (access.Decide);
// anyone else gets samordna.ErrNotFound. Errors: not_found; invalid_outcome,
// invalid_coordinator_kind, invalid_plan_when (400); reason_required,
// invalid_child_coordinator_ground (400); coordinator_required,
// unknown_coordinator, child_coordinator_not_allowed,
// child_coordinator_ground_required (422); already_decided,
// coordinator_exists (409).
func (a *App) DecideApplication(ctx context.Context, actor *samordna.Actor, applicationID string, in Decision) (*DecisionResult, error) {
	caseID, err := a.applicationCase(ctx, applicationID)
	if err != nil {
		return nil, err
	}
	var res *DecisionResult
	err = a.withCase(ctx, actor, caseID, access.Decide, "decide_application", func(tx *store.Tx, g *caseGrant) error {
		in, err := validateDecision(in)
		if err != nil {
			return err
		}
		if res, err = a.decideApplication(tx, actor, g, applicationID, in); err != nil {
			return err
		}
		return a.auditCase(tx, actor, g, "decide_application", "application", applicationID)
	})
	return res, err
}

// checkChildCoordinatorGround: a child coordinator needs its recorded
// ground (hol § 7-2a), one of ChildCoordinatorGrounds.
func checkChildCoordinatorGround(ground string) error {
	if ground == "" {
		return samordna.Errorf(samordna.KindRule, "child_coordinator_ground_required",
			"a child coordinator (helse- og omsorgstjenesteloven § 7-2a) needs its ground: serious illness, "+
				"injury or disability in the child, or expected (child_coordinator_ground)")
	}
	if !slices.Contains(ChildCoordinatorGrounds, ground) {
		return samordna.Errorf(samordna.KindInvalid, "invalid_child_coordinator_ground",
			"child_coordinator_ground is one of %s", strings.Join(ChildCoordinatorGrounds, ", "))
	}
	return nil
}

// validateDecision checks the decision's form and fills the defaults.
func validateDecision(in Decision) (Decision, error) {
	in.Reason = strings.TrimSpace(in.Reason)
	in.Coordinator = strings.TrimSpace(in.Coordinator)
	switch in.Outcome {
	case store.ApplicationGranted, store.ApplicationRefused:
	default:
		return in, samordna.Errorf(samordna.KindInvalid, "invalid_outcome", "outcome is granted or refused")
	}
	if len(in.Reason) > 4000 {
		return in, samordna.Errorf(samordna.KindInvalid, "reason_too_long", "the reason is at most 4000 characters")
	}
	if in.Outcome == store.ApplicationRefused {
		if in.Reason == "" {
			return in, samordna.Errorf(samordna.KindRule, "reason_required", "a refusal must give its reason")
		}
		in.Coordinator, in.CoordinatorKind, in.IndividualPlan, in.IndividualPlanWhen = "", "", false, "no"
		return in, nil
	}
	if in.CoordinatorKind == "" {
		in.CoordinatorKind = store.KindCoordinator
	}
	if in.CoordinatorKind != store.KindCoordinator && in.CoordinatorKind != store.KindChildCoordinator {
		return in, samordna.Errorf(samordna.KindInvalid, "invalid_coordinator_kind",
			"coordinator_kind is coordinator or child_coordinator")
	}
	if in.Coordinator == "" {
		return in, samordna.Errorf(samordna.KindRule, "coordinator_required", "a granted application names the coordinator")
	}
	if in.CoordinatorKind != store.KindChildCoordinator {
		in.ChildCoordinatorGround = ""
	} else if err := checkChildCoordinatorGround(in.ChildCoordinatorGround); err != nil {
		return in, err
	}
	switch {
	case in.IndividualPlanWhen == "" && in.IndividualPlan:
		in.IndividualPlanWhen = "now"
	case in.IndividualPlanWhen == "":
		in.IndividualPlanWhen = "no"
	case in.IndividualPlanWhen == "now" && in.IndividualPlan, in.IndividualPlanWhen == "later", in.IndividualPlanWhen == "no" && !in.IndividualPlan:
	default:
		return in, samordna.Errorf(samordna.KindInvalid, "invalid_plan_when",
			"individual_plan_when is now, later or no, and agrees with individual_plan")
	}
	return in, nil
}

func (a *App) decideApplication(tx *store.Tx, actor *samordna.Actor, g *caseGrant, id string, in Decision) (*DecisionResult, error) {
	app, err := store.ApplicationByID(tx, id)
	if err != nil || app.CaseID != g.Case.ID {
		return nil, samordna.ErrNotFound
	}
	if app.Status != store.ApplicationSubmitted {
		return nil, store.ErrAlreadyDecided
	}
	now := a.now()
	res := &DecisionResult{}
	app.Status, app.DecidedBy, app.DecidedAt, app.Reason = in.Outcome, actor.Employee.ID, &now, in.Reason
	app.PlanDecision, app.ChildCoordinatorGround = in.IndividualPlanWhen, in.ChildCoordinatorGround
	if in.Outcome == store.ApplicationGranted {
		if res.Coordinator, err = a.appoint(tx, actor, g, in); err != nil {
			return nil, err
		}
		app.DecidedCoordinatorID, app.CoordinatorKind = res.Coordinator.EmployeeID, in.CoordinatorKind
		if app.WishedCoordinator != "" && app.WishedCoordinator != in.Coordinator {
			res.Warnings = append(res.Warnings, Warning{Code: "wish_not_followed",
				Message: "the coordinator is not the one the person wished; say why in the reason"})
		}
	}
	if err := store.DecideApplication(tx, app); err != nil {
		return nil, err
	}
	if err := a.notifyDetail(tx, without([]string{app.SubmittedBy}, actor.Employee.ID), NoticeApplicationDecided,
		g.Case.ID, NoticeDetail{ApplicationID: app.ID, Outcome: in.Outcome}); err != nil {
		return nil, err
	}
	if err := a.caseEvent(tx, actor, g.Case.ID, "application_"+in.Outcome, "application", app.ID); err != nil {
		return nil, err
	}
	if err := a.closeDecisionTasks(tx, actor, g.Case); err != nil {
		return nil, err
	}
	if res.Coordinator != nil {
		if _, err := a.routineStep(tx, actor, g.Case, "", pathway.EventCoordinatorAppointed, pathway.ResponsibleCoordinator); err != nil {
			return nil, err
		}
	}
	if res.Application, err = store.ApplicationByID(tx, id); err != nil {
		return nil, err
	}
	return res, nil
}

// appoint makes the decision's coordinator the case's coordinator (status
// appointed), or keeps the current one when it is the same employee.
func (a *App) appoint(tx *store.Tx, actor *samordna.Actor, g *caseGrant, in Decision) (*store.Assignment, error) {
	e, err := eligibleEmployee(tx, g.Case.MunicipalityID, in.Coordinator, "unknown_coordinator")
	if err != nil {
		return nil, err
	}
	if in.CoordinatorKind == store.KindChildCoordinator {
		if err := childCoordinatorAllowed(tx, g.Case, a.now()); err != nil {
			return nil, err
		}
	}
	cur, err := store.CurrentAssignment(tx, g.Case.ID)
	if err != nil {
		return nil, err
	}
	if cur != nil {
		if cur.EmployeeID != e.ID {
			return nil, samordna.Errorf(samordna.KindConflict, "coordinator_exists",
				"the case already has another coordinator; hand the role over instead")
		}
		return cur, nil
	}
	k := &store.Assignment{ID: samordna.NewID(), CaseID: g.Case.ID, EmployeeID: e.ID, Username: e.Username,
		Name: e.Name, Kind: in.CoordinatorKind, Status: store.CoordinatorAppointed, AppointedBy: actor.Employee.ID,
		AppointedAt: a.now()}
	if err := store.AppointCoordinator(tx, k); err != nil {
		return nil, err
	}
	if err := a.notifyDetail(tx, without([]string{e.ID}, actor.Employee.ID), NoticeCoordinatorAppointed, g.Case.ID,
		NoticeDetail{}); err != nil {
		return nil, err
	}
	if err := a.caseEvent(tx, actor, g.Case.ID, "coordinator_appointed", "coordinator", k.ID); err != nil {
		return nil, err
	}
	return k, a.addTask(tx, actor, g.Case, coordTask{Title: taskAcceptRole, EmployeeID: e.ID, Due: pathway.AddWorkingDays(a.now(), 5)})
}

// childCoordinatorAllowed: a child coordinator (barnekoordinator) is for a
// child under 18, and may be appointed before birth (seed 004).
func childCoordinatorAllowed(tx *store.Tx, c *samordna.Case, now time.Time) error {
	no := samordna.Errorf(samordna.KindRule, "child_coordinator_not_allowed",
		"a child coordinator is only for a child under 18 or an expected child")
	p, err := store.PersonByID(tx, c.SubjectPersonID)
	if err != nil {
		return err
	}
	if p.Expected() {
		return nil
	}
	birth, err := time.Parse(time.DateOnly, p.BirthDate)
	if err != nil {
		return no
	}
	if !now.In(pathway.Oslo()).Before(birth.AddDate(18, 0, 0)) {
		return no
	}
	return nil
}

// applicationCase finds the case of an application for authorization; an
// unknown id is passed on as the case id, which withCase refuses and audits
// like any unknown id.
func (a *App) applicationCase(ctx context.Context, applicationID string) (string, error) {
	caseID := applicationID
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		app, err := store.ApplicationByID(tx, applicationID)
		if err == nil {
			caseID = app.CaseID
		}
		if samordna.ErrorKind(err) == samordna.KindNotFound {
			return nil
		}
		return err
	})
	return caseID, err
}

// ApplicationsOfCase returns a case's applications for a reader of the
// case (one audit row). Errors: not_found.
func (a *App) ApplicationsOfCase(ctx context.Context, actor *samordna.Actor, caseID string) ([]*store.Application, error) {
	var out []*store.Application
	err := a.withCase(ctx, actor, caseID, access.Read, "read", func(tx *store.Tx, g *caseGrant) error {
		var err error
		if out, err = store.ApplicationsOfCase(tx, g.Case.ID); err != nil {
			return err
		}
		return a.auditCase(tx, actor, g, "read", "application", g.Case.ID)
	})
	return out, err
}

// GetApplication returns one application for a reader of its case (one
// audit row). Errors: not_found.
func (a *App) GetApplication(ctx context.Context, actor *samordna.Actor, applicationID string) (*store.Application, bool, error) {
	caseID, err := a.applicationCase(ctx, applicationID)
	if err != nil {
		return nil, false, err
	}
	var out *store.Application
	var canDecide bool
	err = a.withCase(ctx, actor, caseID, access.Read, "read", func(tx *store.Tx, g *caseGrant) error {
		var err error
		if out, err = store.ApplicationByID(tx, applicationID); err != nil || out.CaseID != g.Case.ID {
			return samordna.ErrNotFound
		}
		canDecide = access.Can(access.SubjectOf(actor.Employee), access.Decide, g.Facts)
		return a.auditCase(tx, actor, g, "read", "application", out.ID)
	})
	return out, canDecide, err
}

// ApplicationInbox lists the municipality's applications with the status
// ("" for all; submitted, granted or refused), oldest first: the
// coordinating unit's inbox. One audit row. Who may call: the coordinating
// unit; anyone else gets samordna.ErrNotFound. Errors: invalid_status.
func (a *App) ApplicationInbox(ctx context.Context, actor *samordna.Actor, status, cursor string, limit int) (*store.ApplicationPage, error) {
	switch status {
	case "", store.ApplicationSubmitted, store.ApplicationGranted, store.ApplicationRefused:
	default:
		return nil, samordna.Errorf(samordna.KindInvalid, "invalid_status", "status is submitted, granted or refused")
	}
	var page *store.ApplicationPage
	err := a.withUnit(ctx, actor, "application", func(tx *store.Tx) error {
		var err error
		page, err = store.ListApplications(tx, actor.Employee.MunicipalityID, status, cursor, limit)
		return err
	})
	return page, err
}

// withUnit runs fn in one write transaction for the coordinating unit
// only, with one audit row (object type, action "list"); anyone else is
// refused (audited) with samordna.ErrNotFound.
func (a *App) withUnit(ctx context.Context, actor *samordna.Actor, objectType string, fn func(tx *store.Tx) error) error {
	denied := false
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		if actor == nil || actor.Employee == nil || !actor.Employee.HasRole(samordna.RoleCoordinatingUnit) ||
			actor.Employee.HasRole(samordna.RoleAdmin) {
			denied = true
			return a.audit(tx, actor, samordna.AuditEvent{ObjectType: objectType, Action: "list",
				Outcome: samordna.OutcomeDenied})
		}
		if err := fn(tx); err != nil {
			return err
		}
		return a.audit(tx, actor, samordna.AuditEvent{ObjectType: objectType, Action: "list",
			Purpose: string(access.ReasonCoordinatingUnit)})
	})
	if err != nil {
		return err
	}
	if denied {
		return samordna.ErrNotFound
	}
	return nil
}

// closeDecisionTasks completes the open "decide" tasks of the case: the
// routine's (by its offer) and coordination's own.
func (a *App) closeDecisionTasks(tx *store.Tx, actor *samordna.Actor, c *samordna.Case) error {
	if _, err := a.routineStep(tx, actor, c, pathway.OfferDecision, "", ""); err != nil {
		return err
	}
	return a.completeOwnTasks(tx, actor, c, taskDecide)
}
