package app

import (
	"fmt"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// This file seeds the demo's part of seed 001 (Sola, "Når barn er
// pårørende"): a year of adult-service cases in which the services asked
// about children (hlspl § 10a), the children they found and what became
// of them, FIT feedback over the sessions, a user survey with answers, the
// adopted methods and each adult service's barneansvarlig. The leadership's
// indicators (h-sola-b) read these through store.NextOfKinCounts,
// store.FeedbackCounts, store.SurveyResponseCount and store.MethodUse.

// demoSolaCase is one adult followed by an adult service.
type demoSolaCase struct {
	user, name string
	born       time.Time
	days       float64 // registered this many days ago
	problems   []pathway.Problem
	answer     string // "" leaves the question open (the sweep makes it a task)
	children   []demoSolaChild
	outcome    []int // FIT outcome ratings of the sessions, one a month; nil for none
	session    []int // FIT session ratings, as many
}

type demoSolaChild struct {
	name, born, situation, information, followUp, outcome, reason string
	ownCase                                                       bool
}

var demoSolaCases = []demoSolaCase{
	{"siv.rus", "Anne Karin Vold", time.Date(1986, 4, 2, 0, 0, 0, 0, time.UTC), 340, []pathway.Problem{pathway.ProblemSubstanceUse},
		"children", []demoSolaChild{
			{"Jonas Vold", "2015-09-14", "Vet at mor drikker; sover dårlig og er mye borte fra skolen.",
				"Barnesamtale med Jonas og mor om mors rusproblem.", "Samtalegruppe for barn som pårørende.", "case", "", true},
			{"Mia Vold", "2019-03-02", "Går i barnehage; far er mye hjemme.", "Mor har fått informasjon til barnehagen.",
				"Barnehagen følger med.", "no_case", "Far har daglig omsorg; familien følger opp selv.", false}},
		[]int{3, 3, 4, 5, 6, 6, 7}, []int{7, 8, 8, 9, 9, 9, 9}},
	{"siv.rus", "Bjørn Are Lien", time.Date(1979, 11, 20, 0, 0, 0, 0, time.UTC), 300, []pathway.Problem{pathway.ProblemMentalIllness},
		"children", []demoSolaChild{
			{"Sara Lien", "2010-06-30", "Tar mye ansvar hjemme når far er syk.", "Informasjon om fars sykdom, med far til stede.",
				"Tilbud om samtaler hos helsesykepleier.", "no_case", "Sara og far takket nei til mer; helsesykepleier følger opp.", false}},
		[]int{4, 4, 4, 4}, []int{6, 5, 5, 5}},
	{"siv.rus", "Camilla Ness", time.Date(1991, 1, 8, 0, 0, 0, 0, time.UTC), 250, []pathway.Problem{pathway.ProblemSubstanceUse, pathway.ProblemMentalIllness},
		"no_children", nil, []int{2, 3, 5, 6, 7}, []int{8, 8, 9, 9, 10}},
	{"siv.rus", "Dag Ivar Moen", time.Date(1983, 7, 17, 0, 0, 0, 0, time.UTC), 190, []pathway.Problem{pathway.ProblemSubstanceUse},
		"children", []demoSolaChild{
			{"Emma Moen", "2017-02-11", "Bor hos mor; ser far annenhver helg.", "Far har snakket med Emma sammen med terapeut.",
				"Familiesamtale planlagt.", "", "", false}},
		[]int{5, 5, 6, 7}, []int{9, 9, 9, 10}},
	{"siv.rus", "Eva Strøm", time.Date(1995, 5, 5, 0, 0, 0, 0, time.UTC), 120, nil,
		"no_children", nil, []int{4, 5, 6}, []int{8, 9, 9}},
	{"siv.rus", "Frode Aas", time.Date(1975, 9, 9, 0, 0, 0, 0, time.UTC), 20, []pathway.Problem{pathway.ProblemMentalIllness},
		"", nil, nil, nil},
	{"eirik.lege", "Gunn Hilde Berg", time.Date(1981, 2, 3, 0, 0, 0, 0, time.UTC), 210, nil,
		"children", []demoSolaChild{
			{"Henrik Berg", "2013-10-01", "Mor har kreft; Henrik er stille og lei seg.", "Lege og mor forklarte sykdommen for Henrik.",
				"Kontakt med skolehelsetjenesten.", "no_case", "Familien ønsker ikke egen sak; skolen er informert med samtykke.", false}},
		nil, nil},
	{"eirik.lege", "Harald Nilsen", time.Date(1969, 12, 12, 0, 0, 0, 0, time.UTC), 60, nil, "", nil, nil, nil},
	{"lars.nav", "Ingunn Rød", time.Date(1988, 8, 28, 0, 0, 0, 0, time.UTC), 160, []pathway.Problem{pathway.ProblemMentalIllness},
		"children", []demoSolaChild{
			{"Kasper Rød", "2016-04-20", "Bor med mor; mor er mye sliten.", "Mor har fått brosjyre om barn som pårørende.",
				"Henvist til familiesamtale hos psykisk helse og rus.", "", "", false}},
		nil, nil},
}

// seedDemoSola seeds seed 001's demo data in the demo's transaction.
func (a *App) seedDemoSola(s *demoSeeder) error {
	d := &demoConcernSeeder{s: s, now: a.now(), actors: map[string]*samordna.Actor{}}
	tx := s.tx
	mid := s.employees["siv.rus"].MunicipalityID
	for svc, user := range map[string]string{"rus": "siv.rus", "lege": "eirik.lege", "nav": "lars.nav"} {
		if err := store.SetServiceChildResponsible(tx, s.services[svc].ID, s.employees[user].ID, "", d.now); err != nil {
			return err
		}
	}
	items, err := a.feedbackItems(tx, mid)
	if err != nil {
		return err
	}
	for i, dc := range demoSolaCases {
		if err := a.seedDemoSolaCase(d, dc, i, items); err != nil {
			return fmt.Errorf("demo seed 001 case %d: %w", i+1, err)
		}
	}
	return a.seedDemoSurvey(s, d)
}

// seedDemoMethods adopts the demo's methods; SeedDemo calls it before the
// plans, whose measures name some of them.
func (a *App) seedDemoMethods(s *demoSeeder, mid string, at time.Time) error {
	for _, m := range []store.Method{
		{Kind: store.MethodScreening, Name: "Spørsmål om barn i inntakssamtalen",
			Description: "Fast spørsmål til voksne pasienter og brukere: har du barn under 18 år, og hvordan har de det?",
			Source:      "Helsepersonelloven § 10a; Helsedirektoratets veileder om barn som pårørende"},
		{Kind: store.MethodScreening, Name: "Kartleggingssamtale med barnet",
			Description: "Samtale med barnet om hva det vet, hvordan det har det og hvem det kan snakke med."},
		{Kind: store.MethodFollowUp, Name: "Barnesamtale",
			Description: "Samtale med barn og forelder om forelderens sykdom eller rusproblem, tilpasset barnets alder."},
		{Kind: store.MethodFollowUp, Name: "Samtalegruppe for barn som pårørende",
			Description: "Gruppetilbud for skolebarn med foreldre med psykisk sykdom eller rusproblemer."},
		{Kind: store.MethodScreening, Name: "Oppstartssamtale og foreldresamtale i barnehagen",
			Description: "Felles mal for barnehagene: barnets trivsel, familiens hverdag, psykisk helse og rus.",
			Source:      "Samordnas mal (utskrift og PDF)", Template: store.MethodTemplateKindergarten},
	} {
		m.MunicipalityID, m.AdoptedBy, m.AdoptedAt = mid, s.employees["admin"].ID, at
		if err := store.CreateMethod(s.tx, &m); err != nil {
			return err
		}
	}
	return nil
}

// seedDemoSolaCase registers one adult's case in the adult service, then
// the answer about children, the children and the FIT sessions.
func (a *App) seedDemoSolaCase(d *demoConcernSeeder, dc demoSolaCase, i int, items []*store.FeedbackItem) error {
	tx := d.s.tx
	actor, err := d.actor(dc.user)
	if err != nil {
		return err
	}
	at := d.ago(dc.days)
	in := NewConcern{Situation: pathway.SituationAsksForHelp, Description: "Følges opp i voksentjenesten.",
		Problems: dc.problems, Subject: &ConcernSubject{IDNumber: samordna.SyntheticIDNumber(dc.born, 40+i), Name: dc.name}}
	if err := validateConcern(&in); err != nil {
		return err
	}
	con, err := a.registerConcernTx(tx, actor, in, at, true)
	if err != nil {
		return err
	}
	c := con.Case
	if dc.answer != "" {
		answered := at.Add(3 * 24 * time.Hour)
		if err := store.SetNextOfKinAnswer(tx, &store.NextOfKinAnswer{CaseID: c.ID, MunicipalityID: c.MunicipalityID,
			ServiceID: c.RegisteredServiceID, Answer: dc.answer, AnsweredBy: actor.Employee.ID, AnsweredAt: answered}); err != nil {
			return err
		}
		for _, k := range dc.children {
			if err := a.seedDemoChild(d, actor, c, k, answered); err != nil {
				return err
			}
		}
	}
	for j := range dc.outcome {
		date := at.AddDate(0, j, 7).In(pathway.Oslo()).Format(time.DateOnly)
		s := &store.FeedbackSession{CaseID: c.ID, MunicipalityID: c.MunicipalityID, ServiceID: c.RegisteredServiceID,
			Date: date, Respondent: "person", RecordedBy: actor.Employee.ID, RecordedAt: at.AddDate(0, j, 7),
			Ratings: map[string]int{}}
		for _, it := range items {
			v := dc.outcome[j]
			if it.Scale == store.ScaleSession {
				v = dc.session[j]
			}
			s.Ratings[it.ID] = v
		}
		if err := store.CreateFeedbackSession(tx, s); err != nil {
			return err
		}
	}
	return nil
}

// seedDemoChild records one child and, for ownCase, registers the child's
// own concern (with the family's consent) and links the two cases.
func (a *App) seedDemoChild(d *demoConcernSeeder, actor *samordna.Actor, parent *samordna.Case, k demoSolaChild, at time.Time) error {
	tx := d.s.tx
	c := &store.ChildNextOfKin{CaseID: parent.ID, MunicipalityID: parent.MunicipalityID, ServiceID: parent.RegisteredServiceID,
		Name: k.name, BirthDate: k.born, Situation: k.situation, Information: k.information, FollowUp: k.followUp,
		InformedBy: actor.Employee.ID, Outcome: k.outcome, NoCaseReason: k.reason, RecordedBy: actor.Employee.ID,
		RecordedAt: at, UpdatedAt: at}
	if k.ownCase {
		born, _ := time.Parse(time.DateOnly, k.born)
		in := NewConcern{Situation: pathway.SituationKnownFamily, Description: "Barn som pårørende: mor følges opp for rus.",
			Subject: &ConcernSubject{IDNumber: samordna.SyntheticIDNumber(born, 61), Name: k.name}}
		if err := validateConcern(&in); err != nil {
			return err
		}
		con, err := a.registerConcernTx(tx, actor, in, at.Add(time.Hour), true)
		if err != nil {
			return err
		}
		if err := store.LinkCases(tx, parent.ID, con.Case.ID, samordna.LinkFamily, actor.Employee.ID, at.Add(time.Hour)); err != nil {
			return err
		}
		c.LinkedCaseID, c.Basis, c.PersonID = con.Case.ID, "consent", con.Case.SubjectPersonID
	}
	return store.CreateChildNextOfKin(tx, c)
}

// seedDemoSurvey writes the psykisk helse og rus service's user survey:
// seven answers through links for the service (shown) and three for the GP
// office (under five: hidden).
func (a *App) seedDemoSurvey(s *demoSeeder, d *demoConcernSeeder) error {
	tx := s.tx
	sv := &store.Survey{MunicipalityID: s.employees["tor.rusleder"].MunicipalityID,
		Title:  "Brukerundersøkelse: barn som pårørende",
		Intro:  "Vi vil vite hvordan familiene opplever hjelpen de får når en forelder er syk eller har rusproblemer.",
		Status: store.SurveyOpen, CreatedBy: s.employees["tor.rusleder"].ID, CreatedAt: d.ago(90),
		Questions: []string{"Vi ble spurt om barna våre.", "Barna fikk informasjon som passet for dem.",
			"Vi visste hvem vi kunne kontakte.", "Hjelpen vi fikk, var nyttig for familien."}}
	if err := store.CreateSurvey(tx, sv); err != nil {
		return err
	}
	answers := [][]int{{5, 4, 4, 5}, {4, 3, 5, 4}, {5, 5, 4, 5}, {3, 2, 3, 3}, {4, 4, 4, 4}, {5, 4, 5, 5}, {4, 3, 4, 4},
		{2, 2, 3, 3}, {4, 4, 3, 4}, {5, 3, 4, 4}}
	for i, ans := range answers {
		svc := s.services["rus"].ID
		if i >= 7 {
			svc = s.services["lege"].ID
		}
		token := randomSecret()
		if err := store.CreateSurveyLink(tx, hashSecret(token), sv.ID, svc, sv.CreatedBy, sv.CreatedAt); err != nil {
			return err
		}
		if _, err := store.UseSurveyLink(tx, hashSecret(token)); err != nil {
			return err
		}
		m := map[int]int{}
		for j, v := range ans {
			m[j] = v
		}
		if err := store.CreateSurveyResponse(tx, sv.ID, svc, m); err != nil {
			return err
		}
	}
	return nil
}
