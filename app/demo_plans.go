package app

import (
	"fmt"
	"slices"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/access"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// This file seeds the demo's plans, on cases of their own (so that the
// other demo stories stay as they are), dated relative to the clock:
//
//   - Emma Hansen (10): an individual plan with three versions; Ingrid Moe
//     is her coordinator; one measure (PPT's assessment) is overdue.
//   - Bjørn Eriksen (46): an individual plan in his own words, Siv Thorsen
//     coordinating, without a responsibility group.
//   - Sofie Berg (1, seed 003's family): an action plan made by the group,
//     following Ulstein's routine; one measure is past its deadline, so
//     the deadline sweep records a deviation and starts the revision.
//   - Hodan Ahmed (4): a new action plan from the kindergarten's group.
//   - Lukas Larsen (8): a relay log kept by his teacher, handed over to the
//     public-health nurse, who has not accepted it yet.
//   - Zofia Nowak (6): a relay log closed at her mother's request.
//
// Each plan is made and changed through the same internal use cases as the
// pages and the API, with the clock set back to when it happened. The
// cases, coordinators, consents and groups around them are stored
// directly.

// planDemoClock is a clock standing still at one instant.
type planDemoClock struct{ t time.Time }

func (c planDemoClock) Now() time.Time { return c.t }

// planDemo seeds the plans inside the demo transaction.
type planDemo struct {
	s       *demoSeeder
	now     time.Time
	methods map[string]string // adopted methods' ids by name (seed 001: measures name them)
}

// seedDemoPlans seeds the plans (see the file comment).
func (a *App) seedDemoPlans(s *demoSeeder) error {
	orig := a.Clock
	defer func() { a.Clock = orig }()
	d := &planDemo{s: s, now: orig.Now().UTC(), methods: map[string]string{}}
	ms, err := store.MethodsOf(s.tx, s.employees["admin"].MunicipalityID)
	if err != nil {
		return err
	}
	for _, m := range ms {
		d.methods[m.Name] = m.ID
	}
	for _, step := range []func() error{d.emma, d.bjorn, d.sofie, d.hodan, d.lukas, d.zofia} {
		if err := step(); err != nil {
			return fmt.Errorf("demo plans: %w", err)
		}
	}
	return nil
}

// at sets the clock to days ago and returns that instant.
func (d *planDemo) at(days int) time.Time {
	t := d.now.AddDate(0, 0, -days)
	d.s.a.Clock = planDemoClock{t}
	return t
}

// date is the date days from now (negative: ago), YYYY-MM-DD in Oslo.
func (d *planDemo) date(days int) string {
	return d.now.AddDate(0, 0, days).In(pathway.Oslo()).Format(time.DateOnly)
}

// actor returns the demo user as an actor with roles and services.
func (d *planDemo) actor(username string) (*samordna.Actor, error) {
	e, err := store.EmployeeByID(d.s.tx, d.s.employees[username].ID)
	if err != nil {
		return nil, err
	}
	return &samordna.Actor{Employee: e, RequestID: "seed-demo"}, nil
}

// demoCase describes the case a plan is made on.
type demoCase struct {
	person, registeredBy, coordinator string
	routine                           string // "" for none
	days                              int    // how many days ago it was registered
	guardian                          string // person key of who consents ("" for the person themselves)
	purposes                          []samordna.ConsentPurpose
	members                           []string // employees of the responsibility group (none: no group)
	// ground is the recorded ground of a child coordinator (hol § 7-2a);
	// a child without one gets an ordinary coordinator.
	ground string
}

// newCase stores the case, its coordinator, the consent and the group.
func (d *planDemo) newCase(c demoCase) (string, error) {
	tx, p := d.s.tx, d.s.persons[c.person]
	t := d.at(c.days)
	reg := d.s.employees[c.registeredBy]
	cs := &samordna.Case{ID: samordna.NewID(), MunicipalityID: reg.MunicipalityID, SubjectPersonID: p.ID,
		Origin: samordna.OriginInquiry, Situation: "asks_for_help", Status: samordna.CaseOpen,
		Title: "Samordning rundt " + p.Name, RegisteredBy: reg.ID, CreatedAt: t}
	if c.routine != "" {
		cs.RoutineID, cs.RoutineVersion = c.routine, 1
	}
	if err := store.CreateCase(tx, cs); err != nil {
		return "", err
	}
	if err := store.AddCaseEvent(tx, &samordna.CaseEvent{CaseID: cs.ID, At: t, ActorID: reg.ID, Kind: "registered",
		RefType: "case", RefID: cs.ID}); err != nil {
		return "", err
	}
	if err := d.coordinate(cs.ID, c, t.Add(5*24*time.Hour)); err != nil {
		return "", err
	}
	return cs.ID, nil
}

// coordinate records the consent (with registration at the coordinating
// unit), the application it carries and the unit's granted decision (an
// individual plan granted now when the consent covers one, else no),
// appoints the coordinator (accepted) and sets up the group, from at.
func (d *planDemo) coordinate(caseID string, c demoCase, at time.Time) error {
	tx := d.s.tx
	k := d.s.employees[c.coordinator]
	giver, relation := d.s.persons[c.person], "self"
	if c.guardian != "" {
		giver, relation = d.s.persons[c.guardian], "guardian"
	}
	if !slices.Contains(c.purposes, samordna.PurposeRegisterWithUnit) {
		c.purposes = append([]samordna.ConsentPurpose{samordna.PurposeRegisterWithUnit}, c.purposes...)
	}
	consent := &samordna.Consent{ID: samordna.NewID(), CaseID: caseID, Status: samordna.ConsentActive,
		Purposes:    c.purposes,
		GivenByName: giver.Name, GivenByRelation: relation, GivenByPersonID: giver.ID,
		RecordedBy: d.s.employees[c.registeredBy].ID, RecordedAt: at.Add(-2 * time.Hour)}
	if err := store.CreateConsent(tx, consent); err != nil {
		return err
	}
	kind := store.KindCoordinator
	if c.ground != "" {
		kind = store.KindChildCoordinator
	}
	if err := d.decided(caseID, c, consent, kind, at.Add(-time.Hour)); err != nil {
		return err
	}
	if err := store.AppointCoordinator(tx, &store.Assignment{ID: samordna.NewID(), CaseID: caseID, EmployeeID: k.ID,
		Kind: kind, Status: store.CoordinatorAccepted,
		AppointedBy: d.s.employees["kari.ke"].ID, AppointedAt: at, AcceptedAt: &at}); err != nil {
		return err
	}
	if len(c.members) == 0 {
		return nil
	}
	g := &store.Group{ID: samordna.NewID(), CaseID: caseID, CreatedBy: k.ID, CreatedAt: at.Add(2 * time.Hour)}
	if err := store.CreateGroup(tx, g); err != nil {
		return err
	}
	for _, u := range c.members {
		e := d.s.employees[u]
		if err := store.AddMember(tx, &store.Member{ID: samordna.NewID(), GroupID: g.ID, EmployeeID: e.ID, Name: e.Name,
			Relation: "employee", AddedAt: g.CreatedAt}); err != nil {
			return err
		}
	}
	if c.guardian == "" {
		return nil
	}
	return store.AddMember(tx, &store.Member{ID: samordna.NewID(), GroupID: g.ID, Name: giver.Name, Relation: "guardian",
		AddedAt: g.CreatedAt})
}

// decided stores the application the consent carries, submitted by who
// registered the case, and kari.ke's decision granting the coordinator of
// the kind (with its ground) and an individual plan when the consent
// covers one, at.
func (d *planDemo) decided(caseID string, c demoCase, consent *samordna.Consent, kind string, at time.Time) error {
	plan := consent.Covers(samordna.PurposeIndividualPlan)
	a := &store.Application{ID: samordna.NewID(), CaseID: caseID, MunicipalityID: d.s.employees[c.registeredBy].MunicipalityID,
		Status: store.ApplicationSubmitted, WantsCoordinator: true, WantsPlan: plan, WishedBy: consent.GivenByName,
		WishedByRelation: consent.GivenByRelation, WantsGroup: len(c.members) > 0, ConsentID: consent.ID,
		SubmittedBy: d.s.employees[c.registeredBy].ID, SubmittedAt: at}
	if err := store.CreateApplication(d.s.tx, a); err != nil {
		return err
	}
	decidedAt := at.Add(30 * time.Minute)
	a.Status, a.DecidedBy, a.DecidedAt, a.PlanDecision = store.ApplicationGranted, d.s.employees["kari.ke"].ID, &decidedAt, "no"
	if plan {
		a.PlanDecision = "now"
	}
	a.DecidedCoordinatorID, a.CoordinatorKind, a.ChildCoordinatorGround = d.s.employees[c.coordinator].ID, kind, c.ground
	return store.DecideApplication(d.s.tx, a)
}

// grant authorizes the user on the case as the pages and the API do.
func (d *planDemo) grant(username, caseID string) (*samordna.Actor, *caseGrant, error) {
	actor, err := d.actor(username)
	if err != nil {
		return nil, nil, err
	}
	g, ok, err := d.s.a.authorizeCase(d.s.tx, actor, caseID, access.Write)
	if err == nil && !ok {
		err = fmt.Errorf("%s may not change case %s", username, caseID)
	}
	return actor, g, err
}

// plan makes a plan as the user, days ago.
func (d *planDemo) plan(username, caseID string, days int, in PlanInput) (*store.Plan, error) {
	d.at(days)
	actor, g, err := d.grant(username, caseID)
	if err != nil {
		return nil, err
	}
	return d.s.a.createPlanTx(d.s.tx, actor, g, in)
}

// change writes a new version of the plan as the user, days ago.
func (d *planDemo) change(username string, p *store.Plan, days int, edit func(c *store.PlanContent)) error {
	d.at(days)
	actor, g, err := d.grant(username, p.CaseID)
	if err != nil {
		return err
	}
	return d.s.a.updatePlanTx(d.s.tx, actor, g, p, p.Version, "updated", func(cur *store.PlanContent) (store.PlanContent, error) {
		next := *cur
		next.Goals, next.Measures = append([]store.PlanGoal(nil), cur.Goals...), append([]store.PlanMeasure(nil), cur.Measures...)
		edit(&next)
		return next, nil
	})
}

func idx(i int) *int { return &i }

// Emma's individual plan: three versions and an overdue measure.
func (d *planDemo) emma() error {
	caseID, err := d.newCase(demoCase{person: "emma", registeredBy: "ola.laerer", coordinator: "ingrid.hs", days: 130,
		ground:   "disability",
		guardian: "kristin", members: []string{"ola.laerer", "anne.ppt"},
		purposes: []samordna.ConsentPurpose{samordna.PurposeIndividualPlan, samordna.PurposeResponsibilityGroup,
			samordna.PurposeShareWithMembers}})
	if err != nil {
		return err
	}
	p, err := d.plan("ingrid.hs", caseID, 90, PlanInput{Kind: PlanIndividual,
		WhatMatters: "Jeg vil ha en venn å leke med i friminuttene. Og jeg vil lære å lese like fort som de andre.",
		Resources:   "Emma er glad i å tegne og i dyr. Mormor bor i nærheten og henter henne to dager i uka.",
		Goals: []GoalInput{{Text: "Emma trives på skolen og har venner", Term: "long"},
			{Text: "Emma leser en kort bok på egen hånd før sommerferien", Term: "short"}},
		Measures: []MeasureInput{
			{Text: "Kartlegging av lese- og skrivevansker", Responsible: "anne.ppt", Due: d.date(-7), GoalIndex: idx(1)},
			{Text: "Lesekurs i små grupper to ganger i uka", Responsible: "ola.laerer", Due: d.date(45), GoalIndex: idx(1)},
			{Text: "Samtaler med helsesykepleier annenhver uke", Responsible: "ingrid.hs", Due: d.date(20), GoalIndex: idx(0),
				Method: d.methods["Kartleggingssamtale med barnet"]},
			{Text: "Lese sammen med Emma hver kveld", ResponsibleService: "Foreldrene", Due: d.date(60), GoalIndex: idx(1)}},
		Services:        []string{"Nordby skole", "PPT", "Helsestasjonen"},
		EvaluationDates: []string{d.date(60)},
		References:      []store.PlanReference{{Title: "Individuell opplæringsplan (IOP)", Holder: "Nordby skole"}}})
	if err != nil {
		return err
	}
	if err := d.change("ingrid.hs", p, 60, func(c *store.PlanContent) {
		c.WhatMatters += " Jeg vil gjerne være med i korpset."
		c.Goals = append(c.Goals, store.PlanGoal{ID: samordna.NewID(), Text: "Emma er med på en fritidsaktivitet", Term: "short"})
		c.Measures = append(c.Measures, store.PlanMeasure{ID: samordna.NewID(), Text: "Finne en plass i skolekorpset",
			ResponsibleService: "Foreldrene", Due: d.date(10), GoalID: c.Goals[2].ID, Status: MeasureOpen})
	}); err != nil {
		return err
	}
	return d.change("ingrid.hs", p, 30, func(c *store.PlanContent) {
		c.Measures[2].Evaluation = "Emma sier at samtalene hjelper, og at hun har fått en venn i klassen."
		c.EvaluationDates = append(append([]string(nil), c.EvaluationDates...), d.date(150))
	})
}

// Bjørn's individual plan, in his own words, without a group.
func (d *planDemo) bjorn() error {
	caseID, err := d.newCase(demoCase{person: "bjorn", registeredBy: "lars.nav", coordinator: "siv.rus", days: 70,
		purposes: []samordna.ConsentPurpose{samordna.PurposeIndividualPlan, samordna.PurposeRegisterWithUnit}})
	if err != nil {
		return err
	}
	_, err = d.plan("siv.rus", caseID, 50, PlanInput{Kind: PlanIndividual,
		WhatMatters: "Jeg vil komme meg i jobb igjen og klare meg selv i egen leilighet.",
		Resources:   "God til å reparere ting. Har en bror som stiller opp.",
		Goals: []GoalInput{{Text: "Bjørn er i arbeid eller arbeidstrening", Term: "long"},
			{Text: "Faste avtaler med fastlegen og NAV-veilederen", Term: "short"}},
		Measures: []MeasureInput{
			{Text: "Arbeidsavklaring og plan for arbeidstrening", Responsible: "lars.nav", Due: d.date(25), GoalIndex: idx(0)},
			{Text: "Faste samtaler hver uke", Responsible: "siv.rus", Due: d.date(40), GoalIndex: idx(1)},
			{Text: "Legetime hver tredje måned", ResponsibleService: "Fastlegen", Due: d.date(35), GoalIndex: idx(1)}},
		Services:        []string{"NAV Demo", "Psykisk helse og rus", "Legekontoret"},
		EvaluationDates: []string{d.date(90)}})
	return err
}

// Sofie's action plan (seed 003), past a measure's deadline.
func (d *planDemo) sofie() error {
	caseID, err := d.newCase(demoCase{person: "sofie", registeredBy: "ingrid.hs", coordinator: "per.bv", days: 60,
		ground:  "expected",
		routine: "ulstein-rus-sped-smabarn", guardian: "camilla", members: []string{"ingrid.hs", "siv.rus"},
		purposes: []samordna.ConsentPurpose{samordna.PurposeResponsibilityGroup, samordna.PurposeShareWithMembers}})
	if err != nil {
		return err
	}
	_, err = d.plan("per.bv", caseID, 30, PlanInput{Kind: PlanAction,
		WhatMatters: "Jeg vil være en god mamma for Sofie og få hjelp til å holde meg rusfri.",
		Goals: []GoalInput{{Text: "Sofie har en trygg og forutsigbar hverdag", Term: "long"},
			{Text: "Mor er i gang med rusbehandling", Term: "short"}},
		Measures: []MeasureInput{
			{Text: "Samtaler om rusbehandling hver uke", Responsible: "siv.rus", Due: d.date(-3), GoalIndex: idx(1)},
			{Text: "Hjemmebesøk fra helsestasjonen hver fjortende dag", Responsible: "ingrid.hs", Due: d.date(14), GoalIndex: idx(0)},
			{Text: "Søke barnehageplass fra høsten", ResponsibleService: "Mor, med hjelp fra barnevernet", Due: d.date(45),
				GoalIndex: idx(0)}},
		Services: []string{"Barneverntjenesten", "Helsestasjonen", "Psykisk helse og rus"}})
	return err
}

// Hodan's new action plan.
func (d *planDemo) hodan() error {
	caseID, err := d.newCase(demoCase{person: "hodan", registeredBy: "lise.barnehage", coordinator: "lise.barnehage", days: 25,
		guardian: "amina", members: []string{"anne.ppt", "ingrid.hs"},
		purposes: []samordna.ConsentPurpose{samordna.PurposeResponsibilityGroup, samordna.PurposeShareWithMembers}})
	if err != nil {
		return err
	}
	_, err = d.plan("lise.barnehage", caseID, 10, PlanInput{Kind: PlanAction,
		WhatMatters: "Vi vil at Hodan skal lære norsk og trives i barnehagen.",
		Goals:       []GoalInput{{Text: "Hodan leker med de andre barna", Term: "short"}},
		Measures: []MeasureInput{
			{Text: "Språkgruppe i barnehagen tre ganger i uka", Responsible: "lise.barnehage", Due: d.date(30), GoalIndex: idx(0)},
			{Text: "Tolk til foreldresamtalen", Responsible: "anne.ppt", Due: d.date(12),
				Method: d.methods["Oppstartssamtale og foreldresamtale i barnehagen"]}}})
	return err
}

// Lukas's relay log, handed over and waiting for the new holder.
func (d *planDemo) lukas() error {
	caseID, err := d.newCase(demoCase{person: "lukas", registeredBy: "silje.laerer", coordinator: "silje.laerer", days: 50,
		guardian: "marte", members: []string{"silje.laerer", "ingrid.hs"},
		purposes: []samordna.ConsentPurpose{samordna.PurposeResponsibilityGroup, samordna.PurposeShareWithMembers}})
	if err != nil {
		return err
	}
	p, err := d.plan("silje.laerer", caseID, 40, PlanInput{Kind: PlanRelayLog,
		WhatMatters: "Lukas vil ha det fint både hos mamma og hos pappa, og slippe å bytte klasse.",
		Goals:       []GoalInput{{Text: "Lukas har en rolig skolestart hver mandag", Term: "short"}},
		Measures: []MeasureInput{
			{Text: "Fast samtale med kontaktlærer mandag morgen", Responsible: "silje.laerer", Due: d.date(20),
				EvaluationDate: d.date(21), GoalIndex: idx(0)},
			{Text: "Felles beskjedbok mellom hjemmene og skolen", ResponsibleService: "Foreldrene", Due: d.date(5),
				EvaluationDate: d.date(21)}}})
	if err != nil {
		return err
	}
	d.at(3)
	actor, g, err := d.grant("silje.laerer", caseID)
	if err != nil {
		return err
	}
	return d.s.a.handOverPlanTx(d.s.tx, actor, g, p, "ingrid.hs")
}

// Zofia's relay log, closed at her mother's request.
func (d *planDemo) zofia() error {
	caseID, err := d.newCase(demoCase{person: "zofia", registeredBy: "lise.barnehage", coordinator: "ingrid.hs", days: 200,
		guardian: "aleksandra",
		purposes: []samordna.ConsentPurpose{samordna.PurposeResponsibilityGroup, samordna.PurposeShareWithMembers}})
	if err != nil {
		return err
	}
	// The coordinator opens the relay log (seed 004), with the kindergarten
	// teacher as its holder.
	p, err := d.plan("ingrid.hs", caseID, 180, PlanInput{Kind: PlanRelayLog, Holder: "lise.barnehage",
		WhatMatters: "Zofia vil snakke mer norsk og gleder seg til å begynne på skolen.",
		Measures: []MeasureInput{{Text: "Språkstøtte i barnehagen", Responsible: "lise.barnehage", Due: d.date(-60),
			EvaluationDate: d.date(-50)}}})
	if err != nil {
		return err
	}
	d.at(10)
	actor, g, err := d.grant("lise.barnehage", caseID)
	if err != nil {
		return err
	}
	return d.s.a.closePlan(d.s.tx, actor, g, p, "Aleksandra Nowak",
		"Zofia har begynt på skolen og klarer seg godt; familien ønsker ikke lenger stafettlogg.")
}
