// Package pathway is the routine engine: it loads a municipality's routines
// (behandlingslinjer, handlingsplaner) from YAML documents, tells which steps a
// situation or an event starts, which steps follow a completed step, and when
// a step is due.
//
// The package is pure: no database, no HTTP and no clock of its own. Callers
// pass the start time of a step in; due dates are computed in Europe/Oslo,
// with Norwegian public holidays when a step counts working days.
//
// A routine is made of steps. Each step is started by a situation (the
// reason the case was opened) or by an event (something that happened in
// the case), and names its action, who is responsible, its deadline and the
// references (laws, forms, guides) the municipality gives for it. The
// Norwegian wording of the municipality's own document is kept verbatim in
// the *Text fields; the machine values (Responsible, Deadline, ...) come
// from the closed sets below.
package pathway

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// Situation is why a case was opened: the five situations of the
// discoverer routine (Lillehammer, seed 000), which the other municipalities'
// routines are mapped onto.
type Situation string

// The closed set of situations that start a routine.
const (
	// SituationUnclearConcern: a worry about a child, family or pregnant
	// woman where the problems are unclear and nobody has asked for help.
	SituationUnclearConcern Situation = "unclear_concern"
	// SituationAsksForHelp: the people concerned ask for help themselves.
	SituationAsksForHelp Situation = "asks_for_help"
	// SituationKnownFamily: a pregnancy or problems found in a child or
	// family already known because of substance use or mental illness.
	SituationKnownFamily Situation = "known_family"
	// SituationPregnant: substance use or mental illness found in a
	// pregnant woman.
	SituationPregnant Situation = "pregnant"
	// SituationAcute: a serious, acute situation that triggers the duty to
	// report (meldeplikt) or the duty to inform (opplysningsplikt).
	SituationAcute Situation = "acute"
)

var situationLabels = map[Situation]string{
	SituationUnclearConcern: "Uklar bekymring",
	SituationAsksForHelp:    "Ber selv om hjelp",
	SituationKnownFamily:    "Kjent familie",
	SituationPregnant:       "Gravid",
	SituationAcute:          "Akutt situasjon",
}

// Situations returns the closed set of situations in a stable order.
func Situations() []Situation {
	return []Situation{SituationUnclearConcern, SituationAsksForHelp, SituationKnownFamily, SituationPregnant, SituationAcute}
}

// Valid reports whether s is one of the known situations.
func (s Situation) Valid() bool { _, ok := situationLabels[s]; return ok }

// Label is a short Norwegian (bokmål) name of the situation. A routine may
// give its own, longer wording in Routine.Situations.
func (s Situation) Label() string { return situationLabels[s] }

// Event is something that happens in a case and starts the steps that
// react to it.
type Event string

// The closed set of events a step can be started by.
const (
	// EventResourceGroupContacted: a member of the resource group has been
	// asked for advice, openly (with consent) or anonymously.
	EventResourceGroupContacted Event = "resource_group_contacted"
	// EventConsultationHeld: the discoverer has discussed the concern with a
	// colleague, a leader or a team.
	EventConsultationHeld Event = "consultation_held"
	// EventConversationHeld: the conversation with the service user has
	// been held.
	EventConversationHeld Event = "conversation_held"
	// EventConsentGiven: written consent to cooperation has been given.
	EventConsentGiven Event = "consent_given"
	// EventConsentRefused: the family refuses to cooperate or to sign the
	// consent form.
	EventConsentRefused Event = "consent_refused"
	// EventChildWelfareReportReceived: child welfare has received a report.
	EventChildWelfareReportReceived Event = "child_welfare_report_received"
	// EventApplicationReceived: the coordinating unit has received an
	// application for a coordinator and/or an individual plan.
	EventApplicationReceived Event = "application_received"
	// EventCoordinatorAppointed: a named coordinator has been appointed.
	EventCoordinatorAppointed Event = "coordinator_appointed"
	// EventResponsibilityGroupEstablished: a responsibility group has been
	// set up around the user or family.
	EventResponsibilityGroupEstablished Event = "responsibility_group_established"
	// EventActionPlanCreated: an action plan (tiltaksplan) or individual
	// plan with measures and deadlines has been made.
	EventActionPlanCreated Event = "action_plan_created"
	// EventMeetingHeld: a responsibility-group or collaboration meeting has
	// been held.
	EventMeetingHeld Event = "meeting_held"
	// EventDeviation: a deviation (avvik): a plan or deadline not followed.
	EventDeviation Event = "deviation"
	// EventMeetingPlanned: the next responsibility-group or collaboration
	// meeting has been planned (called in, or set in the minutes).
	EventMeetingPlanned Event = "meeting_planned"
	// EventHealthPersonnelNeeded: a step that belongs to health personnel
	// (the duty to inform, helsepersonelloven § 32) came to an employee who
	// is not health personnel; they must involve someone who is.
	EventHealthPersonnelNeeded Event = "health_personnel_needed"
)

var eventLabels = map[Event]string{
	EventResourceGroupContacted:         "Ressursgruppen er kontaktet",
	EventConsultationHeld:               "Drøfting er gjennomført",
	EventConversationHeld:               "Samtale med bruker er gjennomført",
	EventConsentGiven:                   "Samtykke er gitt",
	EventConsentRefused:                 "Samtykke er nektet",
	EventChildWelfareReportReceived:     "Barnevernet har mottatt melding",
	EventApplicationReceived:            "Søknad er mottatt",
	EventCoordinatorAppointed:           "Koordinator er oppnevnt",
	EventResponsibilityGroupEstablished: "Ansvarsgruppe er etablert",
	EventActionPlanCreated:              "Tiltaksplan er laget",
	EventMeetingHeld:                    "Møte er holdt",
	EventDeviation:                      "Avvik",
	EventMeetingPlanned:                 "Møte er planlagt",
	EventHealthPersonnelNeeded:          "Helsepersonell må involveres",
}

// Events returns the closed set of events in a stable order.
func Events() []Event {
	return []Event{
		EventResourceGroupContacted, EventConsultationHeld, EventConversationHeld,
		EventConsentGiven, EventConsentRefused, EventChildWelfareReportReceived,
		EventApplicationReceived, EventCoordinatorAppointed,
		EventResponsibilityGroupEstablished, EventActionPlanCreated,
		EventMeetingHeld, EventDeviation, EventMeetingPlanned, EventHealthPersonnelNeeded,
	}
}

// Valid reports whether e is one of the known events.
func (e Event) Valid() bool { _, ok := eventLabels[e]; return ok }

// Label is the Norwegian (bokmål) name of the event.
func (e Event) Label() string { return eventLabels[e] }

// Responsible is the role that must carry out a step. The routine's own
// wording is kept in Step.ResponsibleText.
type Responsible string

// The closed set of responsible roles.
const (
	ResponsibleDiscoverer                   Responsible = "discoverer"
	ResponsibleResourceGroup                Responsible = "resource_group"
	ResponsibleResourceGroupMember          Responsible = "resource_group_member"
	ResponsibleChildWelfare                 Responsible = "child_welfare"
	ResponsibleResponsibilityGroup          Responsible = "responsibility_group"
	ResponsibleCoordinator                  Responsible = "coordinator"
	ResponsibleCoordinatingUnit             Responsible = "coordinating_unit"
	ResponsibleFamilyContact                Responsible = "family_contact" // the one who has contact with the family
	ResponsibleMentalHealthSubstanceService Responsible = "mental_health_substance_service"
	// ResponsibleHealthPersonnel: the discoverer when they are health
	// personnel (helsepersonell: by role or by working in a health
	// service); otherwise the step does not start and the event
	// health_personnel_needed does instead.
	ResponsibleHealthPersonnel Responsible = "health_personnel"
	// ResponsibleChildResponsible: the barneansvarlig of the service that
	// registered the case (seed 001, Sola: each service names one, hlspl
	// § 10a); the registering employee when the service names none.
	ResponsibleChildResponsible Responsible = "child_responsible"
)

var responsibleLabels = map[Responsible]string{
	ResponsibleDiscoverer:                   "Oppdager",
	ResponsibleResourceGroup:                "Ressursgruppen",
	ResponsibleResourceGroupMember:          "Medlem av ressursgruppen",
	ResponsibleChildWelfare:                 "Barnevernet",
	ResponsibleResponsibilityGroup:          "Ansvarsgruppen",
	ResponsibleCoordinator:                  "Koordinator",
	ResponsibleCoordinatingUnit:             "Koordinerende enhet",
	ResponsibleFamilyContact:                "Den som har kontakt med familien",
	ResponsibleMentalHealthSubstanceService: "Psykisk helse og rus",
	ResponsibleHealthPersonnel:              "Helsepersonell",
	ResponsibleChildResponsible:             "Barneansvarlig",
}

// Responsibles returns the closed set of responsible roles in a stable order.
func Responsibles() []Responsible {
	return []Responsible{
		ResponsibleDiscoverer, ResponsibleResourceGroup, ResponsibleResourceGroupMember,
		ResponsibleChildWelfare, ResponsibleResponsibilityGroup, ResponsibleCoordinator,
		ResponsibleCoordinatingUnit, ResponsibleFamilyContact,
		ResponsibleMentalHealthSubstanceService, ResponsibleHealthPersonnel, ResponsibleChildResponsible,
	}
}

// Valid reports whether r is one of the known roles.
func (r Responsible) Valid() bool { _, ok := responsibleLabels[r]; return ok }

// Label is the Norwegian (bokmål) name of the role.
func (r Responsible) Label() string { return responsibleLabels[r] }

// Problem is what a concern records that the pregnant woman or the family
// struggles with: it decides steps that apply to one problem only, such as
// the health personnel's duty to inform, which applies to substance use and
// not to mental illness alone (helsepersonelloven § 32).
type Problem string

// The closed set of problems a concern can record.
const (
	ProblemSubstanceUse  Problem = "substance_use"  // rus
	ProblemMentalIllness Problem = "mental_illness" // psykiske vansker
)

var problemLabels = map[Problem]string{
	ProblemSubstanceUse:  "Rus",
	ProblemMentalIllness: "Psykiske vansker",
}

// Problems returns the closed set of problems in a stable order.
func Problems() []Problem { return []Problem{ProblemSubstanceUse, ProblemMentalIllness} }

// Valid reports whether p is one of the known problems.
func (p Problem) Valid() bool { _, ok := problemLabels[p]; return ok }

// Label is the Norwegian (bokmål) name of the problem.
func (p Problem) Label() string { return problemLabels[p] }

// Record is a content field a step asks its assignee to write down when
// the task is completed: seed 000 asks that the conversation with the
// person (or the pregnant woman) describe the concern, whether there are
// children, and the advice given, and that the conversation clarify the
// need for follow-up. The recorded text is personal data, kept with the
// task and emptied by the retention purge.
type Record string

// The closed set of records a step can ask for.
const (
	RecordConversation Record = "conversation"   // what the conversation was about: the concern or situation
	RecordChildren     Record = "children"       // whether there are children, and who
	RecordAdvice       Record = "advice"         // the advice given
	RecordFollowUpNeed Record = "follow_up_need" // the need for follow-up per the treatment pathway
)

var recordLabels = map[Record]string{
	RecordConversation: "Samtalen: bekymringen eller situasjonen",
	RecordChildren:     "Barn",
	RecordAdvice:       "Råd som ble gitt",
	RecordFollowUpNeed: "Behov for oppfølging etter behandlingslinjen",
}

// Records returns the closed set of records in a stable order.
func Records() []Record {
	return []Record{RecordConversation, RecordChildren, RecordAdvice, RecordFollowUpNeed}
}

// Valid reports whether r is one of the known records.
func (r Record) Valid() bool { _, ok := recordLabels[r]; return ok }

// Label is the Norwegian (bokmål) name of the record.
func (r Record) Label() string { return recordLabels[r] }

// Offer names an action the user interface should offer on a step, such as
// the child-welfare report form on an acute step.
type Offer string

// The closed set of offers.
const (
	OfferConsultation        Offer = "consultation"         // record a consultation (anonymous or open)
	OfferConsent             Offer = "consent"              // collect written consent
	OfferChildWelfareReport  Offer = "child_welfare_report" // report to child welfare (meldeplikt)
	OfferDutyToInform        Offer = "duty_to_inform"       // inform the municipal health service (opplysningsplikt)
	OfferApplication         Offer = "application"          // apply to the coordinating unit for coordinator/individual plan
	OfferDecision            Offer = "decision"             // the coordinating unit's decision
	OfferResponsibilityGroup Offer = "responsibility_group" // set up a responsibility group
	OfferActionPlan          Offer = "action_plan"          // make or revise an action plan
	// OfferDrugTestAssessment: record whether a drug test (rustesting) is
	// to be taken, and why (Ulstein row 6, "Vurdere rustesting").
	OfferDrugTestAssessment Offer = "drug_test_assessment"
)

var offerLabels = map[Offer]string{
	OfferConsultation:        "Registrer drøfting",
	OfferConsent:             "Samtykkeerklæring",
	OfferChildWelfareReport:  "Melding til barnevernet",
	OfferDutyToInform:        "Opplysningsplikt",
	OfferApplication:         "Søknad til koordinerende enhet",
	OfferDecision:            "Vedtak",
	OfferResponsibilityGroup: "Opprett ansvarsgruppe",
	OfferActionPlan:          "Tiltaksplan",
	OfferDrugTestAssessment:  "Vurder rustesting",
}

// Offers returns the closed set of offers in a stable order.
func Offers() []Offer {
	return []Offer{
		OfferConsultation, OfferConsent, OfferChildWelfareReport, OfferDutyToInform,
		OfferApplication, OfferDecision, OfferResponsibilityGroup, OfferActionPlan, OfferDrugTestAssessment,
	}
}

// Valid reports whether o is one of the known offers.
func (o Offer) Valid() bool { _, ok := offerLabels[o]; return ok }

// Label is the Norwegian (bokmål) name of the offer.
func (o Offer) Label() string { return offerLabels[o] }

// Routine is one version of a municipality's routine. A case records the
// routine's ID and Version, so a Routine must never change once it is in a
// Registry: treat it as read-only.
type Routine struct {
	ID           string
	Version      int
	Name         string // Norwegian
	Municipality string
	Source       string // which document the routine is taken from
	// The routine's own metadata (seed 000 "Om rutinen"): the date it
	// applies from (YYYY-MM-DD), when it was last revised (YYYY-MM or
	// YYYY-MM-DD) and the unit responsible for it; "" when not stated.
	ValidFrom string
	Revised   string
	Owner     string
	// MaxAge, when set, is the oldest age (whole years) of the persons the
	// routine is written for (max_age; e.g. families with infants and
	// small children). A concern for an older person is not given the
	// routine by default; it can still be chosen by name. nil: any age.
	MaxAge *int
	// Situations lists the situations that start the routine, with the
	// routine's own Norwegian wording. Optional: empty means "not stated".
	Situations []RoutineSituation
	Steps      []Step
	// File is the name given to Parse, for messages.
	File string

	versionLine int // line of the version field, for registry errors
}

// RoutineSituation is a situation as a routine words it.
type RoutineSituation struct {
	ID    Situation
	Label string // Norwegian, from the municipality's document
}

// Step is one row of a routine: what starts it, what to do, who does it,
// by when, and where to read more.
type Step struct {
	ID string
	// Situations that start this step (empty if an event starts it).
	Situations []Situation
	// Event that starts this step ("" if situations start it).
	Event Event
	// SituationText is the routine's own description of the situation
	// (verbatim), if it has one.
	SituationText string
	// Title is a short title for the step's task where the action's first
	// line does not make one (Samordna's wording, not the routine's).
	Title           string
	Action          string // verbatim from the routine
	Responsible     Responsible
	ResponsibleText string // verbatim from the routine
	Deadline        Deadline
	DeadlineText    string // verbatim from the routine
	// WorkingDays counts the deadline's days and weeks in working days;
	// see Deadline.Due.
	WorkingDays bool
	References  []string
	// Next are the steps that follow a plain completion.
	Next []string
	// Outcomes are the steps that follow a completion with a named outcome,
	// e.g. "given" and "refused" for consent.
	Outcomes map[string][]string
	Offers   []Offer
	// DoneWhen are the events that end the step's open task because its
	// work has been done (for example meeting_planned for "agree the time of
	// the next meeting"), whoever did it.
	DoneWhen []Event
	// Problems, when not empty, limit a step that a situation starts to
	// concerns that record one of them (the duty to inform: substance use).
	Problems []Problem
	// Records are what the assignee writes down when completing the
	// step's task (the content of the conversation, whether there are
	// children, the advice given); a missing one is a warning, not a
	// refusal, since the task may be done without all of it known.
	Records []Record
}

// AppliesTo reports whether a step started by a situation applies to a
// concern that records the problems.
func (s Step) AppliesTo(problems []Problem) bool {
	if len(s.Problems) == 0 {
		return true
	}
	for _, p := range problems {
		if slices.Contains(s.Problems, p) {
			return true
		}
	}
	return false
}

// DoneBy reports whether the event ends the step's open task.
func (s Step) DoneBy(ev Event) bool { return slices.Contains(s.DoneWhen, ev) }

// LocalDeadline reports whether the step's deadline is not the routine's
// own but one Samordna or the municipality chose where the document gives
// none: its deadline_text starts with "Lokal frist" (see the routines).
// The municipality adopts or changes such deadlines.
func (s Step) LocalDeadline() bool { return strings.HasPrefix(s.DeadlineText, "Lokal frist") }

// Due computes the step's due date and overdue time from start; see
// Deadline.Due.
func (s Step) Due(start time.Time) (due, overdueAfter time.Time, ok bool) {
	return s.Deadline.Due(start, s.WorkingDays)
}

// OutcomeNames returns the names of the step's outcomes, sorted.
func (s Step) OutcomeNames() []string {
	names := make([]string, 0, len(s.Outcomes))
	for name := range s.Outcomes {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// Step returns the step with the given id.
func (r *Routine) Step(id string) (Step, bool) {
	for _, s := range r.Steps {
		if s.ID == id {
			return s, true
		}
	}
	return Step{}, false
}

// StartSteps returns the steps a situation starts, in document order.
func (r *Routine) StartSteps(situation Situation) []Step {
	var out []Step
	for _, s := range r.Steps {
		if slices.Contains(s.Situations, situation) {
			out = append(out, s)
		}
	}
	return out
}

// StepsForEvent returns the steps an event starts, in document order.
func (r *Routine) StepsForEvent(event Event) []Step {
	var out []Step
	for _, s := range r.Steps {
		if s.Event == event {
			out = append(out, s)
		}
	}
	return out
}

// Following returns the steps that follow the completion of step stepID.
// An empty outcome is a plain completion and gives the step's Next; a named
// outcome gives Outcomes[outcome]. It is an error to name an outcome the step
// does not have, to complete without an outcome a step that has outcomes but
// no Next, or to name an unknown step. A step with neither ends the pathway:
// no steps and no error.
func (r *Routine) Following(stepID, outcome string) ([]Step, error) {
	s, ok := r.Step(stepID)
	if !ok {
		return nil, fmt.Errorf("pathway: routine %s v%d has no step %q", r.ID, r.Version, stepID)
	}
	var ids []string
	switch {
	case outcome == "" && len(s.Next) == 0 && len(s.Outcomes) > 0:
		return nil, fmt.Errorf("pathway: step %q of routine %s needs an outcome (one of %v)", stepID, r.ID, s.OutcomeNames())
	case outcome == "":
		ids = s.Next
	default:
		var found bool
		ids, found = s.Outcomes[outcome]
		if !found {
			return nil, fmt.Errorf("pathway: step %q of routine %s has no outcome %q (has %v)", stepID, r.ID, outcome, s.OutcomeNames())
		}
	}
	out := make([]Step, 0, len(ids))
	for _, id := range ids {
		next, ok := r.Step(id)
		if !ok {
			return nil, fmt.Errorf("pathway: step %q of routine %s points at unknown step %q", stepID, r.ID, id)
		}
		out = append(out, next)
	}
	return out, nil
}

// clone returns a deep copy, so that a Registry does not share slices and
// maps with the caller that added the routine.
func (r *Routine) clone() *Routine {
	c := *r
	c.Situations = slices.Clone(r.Situations)
	c.Steps = make([]Step, len(r.Steps))
	for i, s := range r.Steps {
		s.Situations = slices.Clone(s.Situations)
		s.References = slices.Clone(s.References)
		s.Next = slices.Clone(s.Next)
		s.Offers = slices.Clone(s.Offers)
		s.DoneWhen = slices.Clone(s.DoneWhen)
		s.Problems = slices.Clone(s.Problems)
		if s.Outcomes != nil {
			outcomes := make(map[string][]string, len(s.Outcomes))
			for k, v := range s.Outcomes {
				outcomes[k] = slices.Clone(v)
			}
			s.Outcomes = outcomes
		}
		c.Steps[i] = s
	}
	return &c
}
