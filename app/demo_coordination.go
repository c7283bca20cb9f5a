package app

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// This file seeds the demo's coordination: families at each stage, dated
// relative to the clock so that the story holds whenever the demo starts.
//
//   - Terje Nilsen (an adult with long-term needs, seed 004): applied five
//     days ago, wishing Siv Thorsen as coordinator; waiting in the
//     coordinating unit's inbox.
//   - Mathias Olsen (15): granted; Anne Lunde (PPT) is his accepted
//     coordinator; no group yet (consent not given).
//   - Ingvild Solberg: her application for an individual plan was refused,
//     with the reason.
//   - Oliver Berg (3, the substance-abuse family of seed 003): Ingrid Moe is
//     his child coordinator; written consent; a responsibility group with
//     child welfare, the mental health service, the kindergarten and his
//     mother; two meetings held with finalised minutes, the next coming up.
//
// Each step runs the same internal use case the pages and the API call,
// with the clock set back to when it happened (SeedDemo runs before the
// server starts, so nothing else reads the clock meanwhile).

// demoClockAt is a clock standing still at one instant.
type demoClockAt struct{ t time.Time }

func (c demoClockAt) Now() time.Time { return c.t }

// coordSeeder seeds the coordination demo inside the demo transaction.
type coordSeeder struct {
	s      *demoSeeder
	now    time.Time
	actors map[string]*samordna.Actor
}

// seedDemoCoordination seeds the coordination stages (see the file comment).
func (a *App) seedDemoCoordination(s *demoSeeder) error {
	orig := a.Clock
	defer func() { a.Clock = orig }()
	d := &coordSeeder{s: s, now: orig.Now().UTC(), actors: map[string]*samordna.Actor{}}
	for _, step := range []func() error{d.applied, d.decided, d.refused, d.groupWithMeetings} {
		if err := step(); err != nil {
			return fmt.Errorf("demo coordination: %w", err)
		}
	}
	return nil
}

// at sets the clock to days ago (negative: days ahead) from now.
func (d *coordSeeder) at(days float64) time.Time {
	t := d.now.Add(-time.Duration(days * float64(24*time.Hour)))
	d.s.a.Clock = demoClockAt{t}
	return t
}

// actor returns the demo user as an actor with services loaded.
func (d *coordSeeder) actor(username string) (*samordna.Actor, error) {
	if a, ok := d.actors[username]; ok {
		return a, nil
	}
	e, err := store.EmployeeByID(d.s.tx, d.s.employees[username].ID)
	if err != nil {
		return nil, err
	}
	d.actors[username] = &samordna.Actor{Employee: e, RequestID: "seed-demo"}
	return d.actors[username], nil
}

// concern registers a named concern about the person, days ago.
func (d *coordSeeder) concern(user, person string, situation pathway.Situation, days float64, text string) (*caseGrant, error) {
	d.at(days)
	actor, err := d.actor(user)
	if err != nil {
		return nil, err
	}
	p := d.s.persons[person]
	in := NewConcern{Situation: situation, Description: text, Subject: &ConcernSubject{IDNumber: p.IDNumber, Name: p.Name}}
	if err := validateConcern(&in); err != nil {
		return nil, err
	}
	con, err := d.s.a.registerConcernTx(d.s.tx, actor, in, time.Time{}, true)
	if err != nil {
		return nil, err
	}
	return &caseGrant{Case: con.Case, Reason: "registered"}, nil
}

// apply submits an application, days ago, by the case's discoverer, on
// the consent to register with the coordinating unit recorded just before
// (seed 004: "etter ønske eller søknad fra brukeren/foresatte/pårørende").
func (d *coordSeeder) apply(g *caseGrant, user string, days float64, in NewApplication) (*store.Application, error) {
	at := d.at(days + 0.01)
	actor, err := d.actor(user)
	if err != nil {
		return nil, err
	}
	if err := demoConsent(d.s.tx, d.s.a, actor, g.Case, at, samordna.PurposeRegisterWithUnit,
		samordna.PurposeIndividualPlan); err != nil {
		return nil, err
	}
	d.at(days)
	app, err := d.s.a.submitApplication(d.s.tx, actor, g, in)
	if err != nil {
		return nil, err
	}
	return app, d.s.a.auditCase(d.s.tx, actor, g, "submit_application", "application", app.ID)
}

// decide records kari.ke's decision, days ago.
func (d *coordSeeder) decide(g *caseGrant, app *store.Application, days float64, in Decision) error {
	d.at(days)
	actor, err := d.actor("kari.ke")
	if err != nil {
		return err
	}
	if in, err = validateDecision(in); err != nil {
		return err
	}
	unit := &caseGrant{Case: g.Case, Reason: "coordinating_unit"}
	if _, err := d.s.a.decideApplication(d.s.tx, actor, unit, app.ID, in); err != nil {
		return err
	}
	return d.s.a.auditCase(d.s.tx, actor, unit, "decide_application", "application", app.ID)
}

// accept lets the appointed coordinator accept, days ago.
func (d *coordSeeder) accept(g *caseGrant, user string, days float64) error {
	d.at(days)
	actor, err := d.actor(user)
	if err != nil {
		return err
	}
	k, err := store.CurrentAssignment(d.s.tx, g.Case.ID)
	if err != nil {
		return err
	}
	cg := &caseGrant{Case: g.Case, Reason: "coordinator"}
	if _, err := d.s.a.acceptCoordinator(d.s.tx, actor, cg, k); err != nil {
		return err
	}
	return d.s.a.auditCase(d.s.tx, actor, cg, "accept_coordinator", "coordinator", k.ID)
}

// Terje applied five days ago and waits for the unit's decision.
func (d *coordSeeder) applied() error {
	g, err := d.concern("lars.nav", "terje", pathway.SituationAsksForHelp, 12,
		"Terje ber om hjelp til å samordne tjenestene etter hjerneslaget: NAV, hjemmetjenesten, ergoterapeut og fastlege.")
	if err != nil {
		return err
	}
	_, err = d.apply(g, "lars.nav", 5, NewApplication{Coordinator: true, IndividualPlan: true, WishedCoordinator: "siv.rus"})
	return err
}

// Mathias has a coordinator who has accepted; the group waits for consent.
func (d *coordSeeder) decided() error {
	g, err := d.concern("espen.laerer", "mathias", pathway.SituationAsksForHelp, 40,
		"Foreldrene til Mathias ber om hjelp: han har mye fravær, og skolen, PPT og BUP følger ham opp hver for seg.")
	if err != nil {
		return err
	}
	app, err := d.apply(g, "espen.laerer", 30, NewApplication{Coordinator: true, WishedCoordinator: "anne.ppt"})
	if err != nil {
		return err
	}
	if err := d.decide(g, app, 20, Decision{Outcome: "granted", Coordinator: "anne.ppt", IndividualPlanWhen: "later",
		Reason: "Familien ønsker PP-rådgiveren, som kjenner Mathias godt."}); err != nil {
		return err
	}
	return d.accept(g, "anne.ppt", 18)
}

// Ingvild's application for an individual plan was refused.
func (d *coordSeeder) refused() error {
	g, err := d.concern("lars.nav", "ingvild", pathway.SituationAsksForHelp, 45,
		"Ingvild ber om individuell plan for oppfølgingen fra NAV.")
	if err != nil {
		return err
	}
	app, err := d.apply(g, "lars.nav", 40, NewApplication{IndividualPlan: true})
	if err != nil {
		return err
	}
	return d.decide(g, app, 25, Decision{Outcome: "refused",
		Reason: "Oppfølgingen gjelder én tjeneste (NAV). Behovet for langvarige og koordinerte tjenester er ikke til stede nå."})
}

// Oliver's group: two meetings held with finalised minutes, the next one
// coming up.
func (d *coordSeeder) groupWithMeetings() error {
	const start = 300 // days ago the story starts
	g, err := d.concern("lise.barnehage", "oliver", pathway.SituationKnownFamily, start,
		"Oliver virker utrygg i barnehagen, og mor har fortalt at hun strever med rus. Familien ønsker hjelp.")
	if err != nil {
		return err
	}
	app, err := d.apply(g, "lise.barnehage", start-7, NewApplication{Coordinator: true, WishedCoordinator: "ingrid.hs"})
	if err != nil {
		return err
	}
	if err := d.decide(g, app, start-14, Decision{Outcome: "granted", Coordinator: "ingrid.hs",
		CoordinatorKind: store.KindChildCoordinator, ChildCoordinatorGround: "expected", IndividualPlanWhen: "later",
		Reason: "Mors rusproblem gir forventet alvorlig belastning for Oliver; barnekoordinator etter hol. § 7-2a."}); err != nil {
		return err
	}
	if err := d.accept(g, "ingrid.hs", start-15); err != nil {
		return err
	}
	ingrid, err := d.actor("ingrid.hs")
	if err != nil {
		return err
	}
	cg := &caseGrant{Case: g.Case, Reason: "coordinator"}
	if err := d.consent(cg, ingrid, start-20); err != nil {
		return err
	}
	d.at(start - 21)
	if _, err := d.s.a.createGroup(d.s.tx, ingrid, cg, []NewGroupMember{
		{Username: "per.bv", Role: "Barnevernet"}, {Username: "siv.rus", Role: "Psykisk helse og rus"},
		{Username: "lise.barnehage", Role: "Barnehagen"}, {Name: "Camilla Berg", Relation: "guardian"}},
		"Camilla Berg (mor)"); err != nil {
		return err
	}
	d.at(start - 22)
	first := d.now.AddDate(0, 0, -(start - 45)).Truncate(time.Hour)
	m1, err := d.s.a.planMeeting(d.s.tx, ingrid, cg, NewMeeting{StartsAt: first, DurationMinutes: DefaultMeetingMinutes,
		Place: "Helsestasjonen, møterom 1", Agenda: []string{"Olivers hverdag i barnehagen", "Mors behandling og oppfølging"}})
	if err != nil {
		return err
	}
	second := first.AddDate(0, 5, 0)
	next := d.now.AddDate(0, 2, 0).Truncate(time.Hour)
	if err := d.minutes(cg, ingrid, m1, second, "Mor forteller at hverdagen er tung, men at hun har fått time i rusbehandling.",
		[]NewMeasure{{Text: "Ukentlige samtaler med mor", Responsible: "siv.rus", Due: first.AddDate(0, 2, 0).Format(time.DateOnly)},
			{Text: "Ekstra voksenstøtte i barnehagen", Responsible: "lise.barnehage", Due: first.AddDate(0, 1, 0).Format(time.DateOnly)}}); err != nil {
		return err
	}
	ms, err := store.MeetingsOfGroup(d.s.tx, m1.GroupID)
	if err != nil || len(ms) < 2 {
		return fmt.Errorf("the second meeting was not planned: %v", err)
	}
	return d.minutes(cg, ingrid, ms[1], next, "Mor forteller at det går bedre, og at Oliver sover bedre om natta.",
		[]NewMeasure{{Text: "Vurdere søknad om individuell plan", Responsible: "ingrid.hs",
			Due: d.now.AddDate(0, 1, 0).Format(time.DateOnly)}})
}

// consent records Camilla's written consent, days ago.
func (d *coordSeeder) consent(g *caseGrant, actor *samordna.Actor, days float64) error {
	t := d.at(days)
	c := &samordna.Consent{ID: samordna.NewID(), CaseID: g.Case.ID, Status: samordna.ConsentActive,
		GivenByName: "Camilla Berg", GivenByRelation: "guardian", GivenByPersonID: d.s.persons["camilla"].ID,
		Purposes: []samordna.ConsentPurpose{samordna.PurposeResponsibilityGroup, samordna.PurposeShareWithMembers,
			samordna.PurposeRegisterWithUnit}, RecordedBy: actor.Employee.ID, RecordedAt: t}
	if err := store.CreateConsent(d.s.tx, c); err != nil {
		return err
	}
	if err := d.s.a.caseEvent(d.s.tx, actor, g.Case.ID, "consent_recorded", "consent", c.ID); err != nil {
		return err
	}
	return d.s.a.auditCase(d.s.tx, actor, g, "record_consent", "consent", c.ID)
}

// minutes writes complete minutes for the meeting the day after it and
// finalises them: everyone present but the mother at the second meeting,
// last time's measures done, the new measures and the next meeting.
func (d *coordSeeder) minutes(g *caseGrant, actor *samordna.Actor, m *store.Meeting, next time.Time, account string,
	measures []NewMeasure) error {
	a := d.s.a
	a.Clock = demoClockAt{m.StartsAt.Add(26 * time.Hour)}
	v, err := a.meetingView(d.s.tx, actor, g, m)
	if err != nil {
		return err
	}
	in := *v.Minutes
	yes, no := true, false
	for i := range in.Attendance {
		in.Attendance[i].Present = &yes
	}
	if v.HasPrevious {
		in.PreviousMinutes = &PreviousMinutes{Approved: true}
		in.Attendance[len(in.Attendance)-1].Present, in.Attendance[len(in.Attendance)-1].AbsenceReason = &no, "Syk"
	}
	for i := range in.Items {
		in.Items[i].Notes = "Drøftet. Alle parter ga sin beskrivelse; tiltakene under ble avtalt."
	}
	for i := range in.MeasuresReviewed {
		in.MeasuresReviewed[i].Done = true
	}
	in.PersonAccount, in.NewMeasures = account, measures
	in.Conclusions = "Samarbeidet fungerer. Tiltakene videreføres, og gruppa møtes igjen om noen måneder."
	in.NextMeeting = &NextMeeting{StartsAt: next.UTC().Format(time.RFC3339), Topic: "Oppfølging av tiltakene"}
	in.Recipients = []string{"Camilla Berg", "Per Strand", "Siv Thorsen", "Lise Dahl"}
	if err := normaliseMinutes(&in, v.Attendees); err != nil {
		return err
	}
	b, err := json.Marshal(in)
	if err != nil {
		return err
	}
	if err := store.SaveMinutesDraft(d.s.tx, m.ID, string(b), actor.Employee.ID, a.now()); err != nil {
		return err
	}
	if err := a.finaliseMinutes(d.s.tx, actor, g, m); err != nil {
		return err
	}
	return a.auditCase(d.s.tx, actor, g, "finalise_minutes", "minutes", m.ID)
}

// demoConsent records, at the time at, the written consent of the case's
// person (or of a guardian, for a child with one registered) for the
// purposes, recorded by actor: the demo follows the lawful order, consent
// before an application or a "consent given" outcome.
func demoConsent(tx *store.Tx, a *App, actor *samordna.Actor, c *samordna.Case, at time.Time,
	purposes ...samordna.ConsentPurpose) error {
	p, err := store.PersonByID(tx, c.SubjectPersonID)
	if err != nil {
		return err
	}
	k := &samordna.Consent{ID: samordna.NewID(), CaseID: c.ID, Status: samordna.ConsentActive, GivenByName: p.Name,
		GivenByRelation: "self", GivenByPersonID: p.ID, Purposes: purposes, RecordedBy: actor.Employee.ID, RecordedAt: at}
	rels, err := store.RelationsOf(tx, p.ID)
	if err != nil {
		return err
	}
	for _, r := range rels {
		if r.RelatedID == p.ID && (r.Kind == samordna.RelationGuardianOf || r.Kind == samordna.RelationParentOf) {
			g, err := store.PersonByID(tx, r.PersonID)
			if err != nil {
				return err
			}
			k.GivenByName, k.GivenByRelation, k.GivenByPersonID = g.Name, "guardian", g.ID
			break
		}
	}
	if err := store.CreateConsent(tx, k); err != nil {
		return err
	}
	return store.AddCaseEvent(tx, &samordna.CaseEvent{CaseID: c.ID, At: at, ActorID: actor.Employee.ID,
		Kind: "consent_recorded", RefType: "consent", RefID: k.ID})
}
