package app

import (
	"fmt"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// This file seeds the demo municipality's concerns: thirty cases at
// different steps of both routines (Lillehammer's discoverer routine by
// default, Ulstein's action plan for the substance-abuse families), dated
// relative to a.Clock so that some tasks are overdue whenever the demo
// starts, with consultations, reports to child welfare (one waiting for
// acknowledgement), a duty to inform and an anonymous consultation that a
// named case follows up.

const ulstein = "ulstein-rus-sped-smabarn"

// demoStep completes the open task of a step, days ago.
type demoStep struct {
	step, outcome string
	days          float64
}

// demoConsult records a consultation days ago.
type demoConsult struct {
	with, mode, adviser, team, advice string
	days                              float64
}

// demoReport sends a report days ago; receivedBy acknowledges it after
// receivedDays ago ("" leaves it waiting).
type demoReport struct {
	kind         string
	acute        bool
	days         float64
	receivedBy   string
	receivedDays float64
	text         string
}

// demoConcern is one case of the demo.
type demoConcern struct {
	user      string
	person    string // key in demoSeeder.persons; "" for anonymous
	situation pathway.Situation
	routine   string
	days      float64 // registered this many days ago
	text      string
	follows   int // 1-based index of an earlier anonymous case this one follows; 0 for none
	consult   *demoConsult
	steps     []demoStep
	report    *demoReport
	problems  []pathway.Problem
}

var demoConcerns = []demoConcern{
	// ola.laerer at Nordby skole: a named concern about a pupil, an overdue one, an acute case with a
	// report waiting for child welfare, and an anonymous consultation followed up by a named case.
	{user: "ola.laerer", person: "emma", situation: pathway.SituationUnclearConcern, days: 3,
		text: "Emma har vært mye borte den siste måneden og virker sliten og lei seg når hun er på skolen."},
	{user: "ola.laerer", person: "lukas", situation: pathway.SituationUnclearConcern, days: 12,
		text: "Lukas kommer ofte uten matpakke og sier at han ikke får sove fordi det er bråk hjemme."},
	{user: "ola.laerer", situation: pathway.SituationUnclearConcern, days: 9,
		text: "En elev på mellomtrinnet forteller om mye krangling hjemme og at en forelder drikker mye.",
		consult: &demoConsult{with: ConsultTeam, mode: ConsultAnonymous, team: "TST Nord", days: 7,
			advice: "Ta en samtale med eleven sammen med helsesykepleier. Drøft saken på nytt om to uker."}},
	{user: "ola.laerer", person: "noah", situation: pathway.SituationUnclearConcern, days: 2, follows: 3,
		text: "Oppfølging av den anonyme drøftingen: Noah har fortalt mer, og vergen er informert.",
		consult: &demoConsult{with: ConsultLeader, mode: ConsultAnonymous, adviser: "nils.leder", days: 1,
			advice: "Ta samtalen med vergen sammen med helsesykepleier, ikke alene."}},
	{user: "ola.laerer", person: "jakob", situation: pathway.SituationAcute, days: 0.02,
		text: "Jakob kom på skolen i dag med blåmerker og sier han ikke tør å gå hjem.",
		report: &demoReport{kind: ReportChildWelfare, acute: false, days: 0.01,
			text: "Jakob (14) kom på skolen med synlige blåmerker på armene og sier at han ikke tør å gå hjem i kveld. " +
				"Han forteller at far slår når han har drukket. Eleven er hos helsesykepleier nå."}},
	// ingrid.hs at the health station: a pregnant woman (duty to inform sent and acknowledged), her
	// expected child, and the substance-abuse family of seed 003 on Ulstein's plan.
	{user: "ingrid.hs", person: "maria", situation: pathway.SituationPregnant, days: 2,
		problems: []pathway.Problem{pathway.ProblemSubstanceUse},
		text:     "Maria er gravid i uke 22 og forteller om daglig bruk av alkohol og beroligende tabletter.",
		report: &demoReport{kind: ReportDutyToInform, days: 1.9, receivedBy: "siv.rus", receivedDays: 1.5,
			text: "Gravid i uke 22 med daglig bruk av alkohol og benzodiazepiner. Overveiende sannsynlig at barnet kan bli født med skade."}},
	{user: "ingrid.hs", person: "expected", situation: pathway.SituationKnownFamily, days: 6,
		text: "Familien er kjent fra før på grunn av rus; mor venter barn og ønsker oppfølging fra helsestasjonen."},
	{user: "ingrid.hs", person: "oliver", situation: pathway.SituationUnclearConcern, routine: ulstein, days: 9,
		text: "Mor virket påvirket ved konsultasjonen på helsestasjonen; Oliver (3) var med."},
	{user: "ingrid.hs", person: "sofie", situation: pathway.SituationKnownFamily, routine: ulstein, days: 20,
		text:  "Kjent rusproblematikk hos mor. Sofie (1 år) er ikke fulgt opp etter planen.",
		steps: []demoStep{{"row-03", "refused", 15}}},
	{user: "ingrid.hs", person: "camilla", situation: pathway.SituationAcute, routine: ulstein, days: 100,
		text: "Hjemmebesøk: mor sterkt ruset, to små barn til stede og ingen annen voksen.",
		report: &demoReport{kind: ReportChildWelfare, acute: true, days: 100, receivedBy: "per.bv", receivedDays: 99.9,
			text: "Ved hjemmebesøk var mor sterkt ruset med to barn under tre år til stede og ingen annen voksen."}},
	// lise.barnehage at Solsikken: cases further along Lillehammer's routine, and a resource-group consultation.
	{user: "lise.barnehage", person: "jonas", situation: pathway.SituationUnclearConcern, days: 40,
		text:  "Jonas er ofte sliten og har hyppig fravær; far virker ruset ved henting.",
		steps: []demoStep{{"consult", "", 36}, {"conversation", "", 24}, {"document", "given", 10}}},
	{user: "lise.barnehage", person: "hodan", situation: pathway.SituationUnclearConcern, days: 35,
		text:  "Hodan har mye uro og sier lite; foreldrene ønsker ikke kontakt.",
		steps: []demoStep{{"consult", "", 33}, {"conversation", "", 25}, {"document", "refused", 20}}},
	{user: "lise.barnehage", person: "zofia", situation: pathway.SituationAcute, days: 10,
		text: "Mor hentet Zofia sterkt beruset og ville kjøre bil.",
		report: &demoReport{kind: ReportChildWelfare, acute: true, days: 10, receivedBy: "berit.bvleder", receivedDays: 9.98,
			text: "Mor kom for å hente Zofia (6) sterkt beruset og ville kjøre bil. Politiet ble varslet."}},
	{user: "lise.barnehage", person: "ali", situation: pathway.SituationUnclearConcern, routine: ulstein, days: 5,
		text: "Bekymring for at far drikker mye; Ali forteller om fester hjemme.",
		consult: &demoConsult{with: ConsultResourceGroup, mode: ConsultAnonymous, adviser: "siv.rus", days: 3,
			advice: "Snakk med foreldrene om det dere ser. Meld til barnevernet om bekymringen øker."}},
	// Other discoverers, at different steps.
	{user: "silje.laerer", person: "sara", situation: pathway.SituationAsksForHelp, days: 20,
		text: "Mor ba selv om hjelp etter at Sara har sluttet å spise på skolen.",
		consult: &demoConsult{with: ConsultColleague, mode: ConsultAnonymous, adviser: "geir.rektor", days: 17,
			advice: "Tilby en samtale med mor og Sara sammen med helsesykepleier."}},
	{user: "silje.laerer", person: "nora", situation: pathway.SituationUnclearConcern, days: 1,
		text: "Nora har sagt til en medelev at hun ikke vil hjem."},
	{user: "espen.laerer", person: "mathias", situation: pathway.SituationKnownFamily, days: 30,
		text:  "Familien er kjent; Mathias har fått store problemer med oppmøte og virker deprimert.",
		steps: []demoStep{{"consult", "", 25}, {"conversation", "", 12}}},
	{user: "espen.laerer", person: "lukas", situation: pathway.SituationKnownFamily, routine: ulstein, days: 16,
		text:  "Far har erkjent rusproblem; familien ønsker hjelp.",
		steps: []demoStep{{"row-03", "given", 13}}},
	{user: "anne.ppt", person: "ali", situation: pathway.SituationUnclearConcern, days: 8,
		text: "Ali har store lese- og skrivevansker og forteller om mye uro hjemme."},
	{user: "anne.ppt", person: "sara", situation: pathway.SituationKnownFamily, days: 4,
		text: "Sara er kjent fra PPT; foreldrene har fortalt om psykiske vansker hos mor."},
	{user: "lars.nav", person: "terje", situation: pathway.SituationAsksForHelp, days: 14,
		text:  "Terje ber om hjelp til å samordne tjenestene etter lang tids sykdom.",
		steps: []demoStep{{"consult", "", 12}, {"conversation", "", 6}}},
	{user: "lars.nav", person: "bjorn", situation: pathway.SituationKnownFamily, days: 26,
		text:  "Bjørn har barn i barnehagen og er i behandling for rusproblem.",
		steps: []demoStep{{"consult", "", 24}, {"conversation", "", 19}, {"document", "given", 17}}},
	{user: "eirik.lege", person: "ida", situation: pathway.SituationPregnant, days: 4,
		text: "Ida er gravid og har en kjent bipolar lidelse; hun har sluttet med medisinene."},
	{user: "eirik.lege", person: "ingvild", situation: pathway.SituationAsksForHelp, days: 7,
		text: "Ingvild ber om hjelp; hun er gravid og bekymret for eget forbruk av alkohol."},
	{user: "siv.rus", person: "camilla", situation: pathway.SituationKnownFamily, routine: ulstein, days: 11,
		text: "Mor i behandling for rus; to små barn. Motiveres for samtykke til samarbeid."},
	{user: "siv.rus", person: "kristin", situation: pathway.SituationUnclearConcern, days: 0.5,
		text: "Kristin har fortalt om økende alkoholbruk; to barn i familien."},
	{user: "ingrid.hs", person: "hodan", situation: pathway.SituationUnclearConcern, routine: ulstein, days: 2,
		text: "Far virket påvirket da han hentet Hodan på helsestasjonen."},
	{user: "lise.barnehage", situation: pathway.SituationUnclearConcern, days: 6,
		text: "Et barn på avdelingen snakker om at mamma sover hele dagen.",
		consult: &demoConsult{with: ConsultColleague, mode: ConsultAnonymous, adviser: "hanne.styrer", days: 5,
			advice: "Følg med og noter det dere ser. Ta det opp i TST Nord anonymt."}},
	{user: "anne.ppt", person: "lukas", situation: pathway.SituationAsksForHelp, days: 45,
		text:  "Foreldrene ber om hjelp til å samordne oppfølgingen av Lukas.",
		steps: []demoStep{{"consult", "", 44}, {"conversation", "", 38}, {"document", "given", 33}, {"apply", "", 30}}},
	{user: "silje.laerer", person: "marte", situation: pathway.SituationPregnant, days: 3,
		text: "Marte er gravid og har fortalt om angst og depresjon."},
}

// seedDemoConcerns registers demoConcerns inside the demo transaction.
func (a *App) seedDemoConcerns(s *demoSeeder) error {
	teams, err := store.ListTeams(s.tx)
	if err != nil {
		return err
	}
	d := &demoConcernSeeder{s: s, now: a.now(), actors: map[string]*samordna.Actor{}, teams: map[string]string{}}
	for _, t := range teams {
		d.teams[t.Name] = t.ID
	}
	cases := make([]*samordna.Case, len(demoConcerns))
	for i, dc := range demoConcerns {
		c, err := d.seedOne(dc, cases)
		if err != nil {
			return fmt.Errorf("demo concern %d: %w", i+1, err)
		}
		cases[i] = c
	}
	return nil
}

// demoConcernSeeder holds what seeding the concerns needs.
type demoConcernSeeder struct {
	s      *demoSeeder
	now    time.Time
	actors map[string]*samordna.Actor
	teams  map[string]string // team name → id
}

// ago is the time days before now.
func (d *demoConcernSeeder) ago(days float64) time.Time {
	return d.now.Add(-time.Duration(days * float64(24*time.Hour)))
}

// actor returns the demo user as an actor, with services loaded.
func (d *demoConcernSeeder) actor(username string) (*samordna.Actor, error) {
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

// seedOne registers one case and takes it as far as dc says.
func (d *demoConcernSeeder) seedOne(dc demoConcern, earlier []*samordna.Case) (*samordna.Case, error) {
	a := d.s.a
	actor, err := d.actor(dc.user)
	if err != nil {
		return nil, err
	}
	in := NewConcern{Situation: dc.situation, Routine: dc.routine, Description: dc.text, Anonymous: dc.person == "",
		Problems: dc.problems}
	if dc.person != "" {
		p := d.s.persons[dc.person]
		in.Subject = &ConcernSubject{IDNumber: p.IDNumber, Name: p.Name}
		if p.Expected() {
			in.Subject = &ConcernSubject{ExpectedDueDate: p.DueDate, MotherIDNumber: d.s.persons["maria"].IDNumber}
		}
	}
	if dc.follows > 0 {
		in.Follows = earlier[dc.follows-1].ID
	}
	if err := validateConcern(&in); err != nil {
		return nil, err
	}
	con, err := a.registerConcernTx(d.s.tx, actor, in, d.ago(dc.days), true)
	if err != nil {
		return nil, err
	}
	c := con.Case
	if dc.consult != nil {
		if err := d.consult(actor, c, dc.consult); err != nil {
			return nil, err
		}
	}
	for _, st := range dc.steps {
		if err := d.complete(actor, c, st); err != nil {
			return nil, err
		}
	}
	if dc.report != nil {
		if err := d.report(actor, c, dc.report); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// consult records a consultation.
func (d *demoConcernSeeder) consult(actor *samordna.Actor, c *samordna.Case, k *demoConsult) error {
	in := NewConsultation{With: k.with, Mode: k.mode, Adviser: k.adviser, TeamID: d.teams[k.team], Advice: k.advice,
		HeldAt: d.ago(k.days)}
	if err := validateConsultation(&in, d.now); err != nil {
		return err
	}
	_, _, err := d.s.a.recordConsultation(d.s.tx, actor, c, in, in)
	return err
}

// complete completes the open task of a step at its time.
func (d *demoConcernSeeder) complete(actor *samordna.Actor, c *samordna.Case, st demoStep) error {
	a := d.s.a
	tasks, err := store.TasksOfCase(d.s.tx, c.ID)
	if err != nil {
		return err
	}
	r, err := a.caseRoutine(d.s.tx, c)
	if err != nil {
		return err
	}
	for _, t := range tasks {
		if t.StepID == st.step && t.Status == store.TaskOpen {
			if st.outcome == outcomeConsentGiven { // "consent given" means a consent exists
				if err := demoConsent(d.s.tx, a, actor, c, d.ago(st.days+0.01), samordna.PurposeRegisterWithUnit,
					samordna.PurposeIndividualPlan); err != nil {
					return err
				}
			}
			_, err := a.finishTaskAt(d.s.tx, actor, c, r, t, st.outcome, assignHint{}, d.ago(st.days))
			return err
		}
	}
	return fmt.Errorf("no open task for step %s", st.step)
}

// report sends a report and, when receivedBy is set, acknowledges it.
func (d *demoConcernSeeder) report(actor *samordna.Actor, c *samordna.Case, rp *demoReport) error {
	a := d.s.a
	v, err := a.sendReport(d.s.tx, actor, c, NewReport{Kind: rp.kind, Description: rp.text, Acute: rp.acute}, d.ago(rp.days))
	if err != nil {
		return err
	}
	if rp.receivedBy == "" {
		return nil
	}
	at := d.ago(rp.receivedDays)
	by := d.s.employees[rp.receivedBy].ID
	if err := store.ReceiveReport(d.s.tx, v.ID, by, at); err != nil {
		return err
	}
	if err := store.AddCaseEvent(d.s.tx, &samordna.CaseEvent{CaseID: c.ID, At: at, ActorID: by, Kind: "report_received",
		RefType: "child_welfare_report", RefID: v.ID}); err != nil {
		return err
	}
	if rp.kind != ReportChildWelfare {
		return nil
	}
	_, err = a.routineEventAt(d.s.tx, c, pathway.EventChildWelfareReportReceived, assignHint{}, at)
	return err
}
