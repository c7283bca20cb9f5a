package app

import (
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// This file seeds seed 001's plan (Sola, "Når barn er pårørende") into the
// demo: the model's table as goals on three levels with this year's
// targets, a year of anonymous concerns whose first steps were done on
// time or late (so the computed indicator has figures), the owners'
// quarterly figures for the entered indicators, and the yearly cycle.

// demoGoal is one goal of the demo plan with its target and, for an
// entered indicator, the figure at the end of each quarter.
type demoGoal struct {
	level, dimension, text, ownerKind, owner, indicator, indicatorText string
	target                                                             float64
	quarters                                                           [4]float64
}

// demoGoals is seed 001's table, row by row, as goals.
var demoGoals = []demoGoal{
	{"municipality", "culture", "Rapportere og informere jevnlig til politisk og administrativ ledelse (politisk utvalg, ledermøter)",
		"chief_executive", "", "entered_count", "Rapporter til politisk utvalg og ledermøter", 4, [4]float64{1, 2, 3, 4}},
	{"municipality", "culture", "Benytte lokalpresse og kommunale informasjonskanaler om arbeidet og måloppnåelsen",
		"chief_executive", "", "entered_count", "Saker i lokalpresse og kommunale kanaler", 6, [4]float64{1, 2, 4, 5}},
	{"municipality", "structure", "Tidlig intervensjon: bekymringer følges opp innen fristen (mål vedtatt i HØP)",
		"chief_executive", "", "concerns_first_step_on_time", "", 90, [4]float64{}},
	{"municipality", "structure", "Helhetlig, systematisk oppfølging: kort tid fra bekymring til koordinator",
		"chief_executive", "", "days_concern_to_coordinator", "", 30, [4]float64{}},
	{"service", "culture", "Gjennomføre felles opplæring for alle virksomheter som arbeider med målgruppa",
		"service_leader", "hilde.keleder", "entered_count", "Fellesopplæringer holdt", 2, [4]float64{0, 1, 1, 2}},
	{"service", "culture", "Etablere faste fagsamlinger for ansatte på tvers av virksomheter",
		"service_leader", "gro.hsleder", "entered_count", "Fagsamlinger holdt", 4, [4]float64{1, 2, 3, 3}},
	{"service", "structure", "Voksentjenestene spør alltid om barn og identifiserer barn som pårørende (hpl. § 10a)",
		"service_leader", "tor.rusleder", "children_next_of_kin_identified", "", 20, [4]float64{}},
	{"service", "structure", "Ledere følger opp vedtatte mål: ingen planer med tiltak over fristen",
		"service_leader", "nils.leder", "plans_with_overdue_measures", "", 0, [4]float64{}},
	{"service", "structure", "Gjennomføre brukerundersøkelser",
		"service_leader", "hilde.keleder", "entered_count", "Brukerundersøkelser gjennomført", 1, [4]float64{0, 0, 1, 1}},
	{"individual", "culture", "Sikre aktiv og kompetent bruk av metoder for screening og identifisering av barn i målgruppa",
		"employee", "ingrid.hs", "entered_percent", "Andel ansatte i målgruppetjenestene som bruker screeningverktøy", 80,
		[4]float64{35, 50, 62, 71}},
	{"individual", "culture", "Alle ansatte som møter barn og familier kjenner sitt ansvar og vet hva de skal gjøre ved bekymring",
		"employee", "siv.rus", "entered_percent", "Andel ansatte som har gjennomført opplæring om barn som pårørende", 90,
		[4]float64{40, 61, 77, 88}},
	{"individual", "structure", "Tilbakemelding innhentes fra alle barn og familier som får oppfølging (FIT)",
		"employee", "siv.rus", "families_giving_feedback", "", 15, [4]float64{}},
}

// demoActivity is one activity of the demo's yearly cycle.
type demoActivity struct {
	level, kind, title, owner string
	interval, month, day      int // day 0: week and weekday
	week, weekday, minute     int
	minutes, lead             int
}

// demoActivities is the demo's yearly cycle (seed 001's fixed meeting
// places, "årshjul").
var demoActivities = []demoActivity{
	{"service", "joint_training", "Felles opplæring: barn som pårørende", "hilde.keleder", 6, 3, 0, 2, 2, 9 * 60, 180, 21},
	{"service", "fagsamling", "Fagsamling på tvers av virksomhetene", "gro.hsleder", 3, 2, 0, 1, 4, 12 * 60, 120, 14},
	{"service", "user_survey", "Brukerundersøkelse blant familiene", "hilde.keleder", 12, 10, 1, 0, 0, 9 * 60, 60, 30},
	{"municipality", "council_report", "Rapport til hovedutvalg for oppvekst og helse og velferd", "hilde.keleder", 12, 11, 20, 0, 0, 10 * 60, 60, 30},
	{"service", "routine_revision", "Revisjon av samhandlingsrutinene", "tor.rusleder", 12, 1, 0, 3, 3, 13 * 60, 120, 14},
	{"municipality", "leader_meeting", "Ledermøte: innsats og framdrift for barn som pårørende", "nils.leder", 1, 1, 0, 1, 1, 8*60 + 30, 60, 7},
	// Seed 001: "Skape arenaer for hvor etiske dilemma og faglige
	// problemstillinger tas opp": every other month, last Wednesday.
	{"individual", "ethics_reflection", "Etisk refleksjon: dilemmaer i arbeidet med barn som pårørende", "tor.rusleder", 2, 1, 0, -1, 3, 14 * 60, 90, 14},
}

// seedDemoGoals seeds the plan, a year of data and the yearly cycle.
func (a *App) seedDemoGoals(s *demoSeeder) error {
	now := a.now()
	year := now.In(pathway.Oslo()).Year()
	mid := s.employees["nils.leder"].MunicipalityID
	by := s.employees["hilde.keleder"].ID
	for _, d := range demoGoals {
		g := &store.Goal{MunicipalityID: mid, Level: d.level, Dimension: d.dimension, Text: d.text, OwnerKind: d.ownerKind,
			Indicator: d.indicator, IndicatorText: d.indicatorText, CreatedBy: by, CreatedAt: now, UpdatedAt: now}
		if d.owner != "" {
			g.OwnerID = s.employees[d.owner].ID
		}
		if err := store.CreateGoal(s.tx, g); err != nil {
			return err
		}
		for _, y := range []int{year - 1, year} {
			if err := store.SetGoalTarget(s.tx, g.ID, y, d.target, by, now); err != nil {
				return err
			}
		}
		if d.indicatorText == "" {
			continue
		}
		for q := 1; q <= 4; q++ {
			// Last year in full; this year up to the quarter begun.
			if err := store.SetGoalResult(s.tx, g.ID, year-1, q, d.quarters[q-1], g.OwnerID, now); err != nil {
				return err
			}
			if !quarterStart(year, q).After(now) {
				if err := store.SetGoalResult(s.tx, g.ID, year, q, d.quarters[q-1], g.OwnerID, now); err != nil {
					return err
				}
			}
		}
	}
	if err := a.seedDemoIndicatorCases(s); err != nil {
		return err
	}
	for _, d := range demoActivities {
		act := &store.Activity{MunicipalityID: mid, Level: d.level, Kind: d.kind, Title: d.title,
			OwnerID: s.employees[d.owner].ID, IntervalMonths: d.interval, StartYear: year - 1, StartMonth: d.month,
			MonthDay: d.day, Week: d.week, Weekday: d.weekday, StartMinute: d.minute, DurationMinutes: d.minutes,
			LeadDays: d.lead, CreatedBy: by, CreatedAt: now}
		if err := store.CreateActivity(s.tx, act); err != nil {
			return err
		}
	}
	return nil
}

// seedDemoIndicatorCases registers a year of anonymous concerns (one every
// 12 days back from today, by services in turn), each with its routine's
// first step done on time, done late or, for the last, still open; about
// one in six was late.
func (a *App) seedDemoIndicatorCases(s *demoSeeder) error {
	discoverers := []string{"espen.laerer", "kjersti.styrer", "eirik.lege", "siv.rus", "tone.rektor", "hanne.styrer"}
	for k := 1; k <= 30; k++ {
		created := s.ref.Add(9*time.Hour).AddDate(0, 0, -12*k)
		emp := s.employees[discoverers[k%len(discoverers)]]
		c := &samordna.Case{ID: samordna.NewID(), MunicipalityID: emp.MunicipalityID, Anonymous: true,
			Origin: samordna.OriginConcern, Situation: "unclear_concern", Status: samordna.CaseOpen,
			Title: "Anonym drøfting", RegisteredBy: emp.ID, CreatedAt: created}
		if len(emp.Services) > 0 {
			c.RegisteredServiceID = emp.Services[0].ID
		}
		if err := store.CreateCase(s.tx, c); err != nil {
			return err
		}
		due := created.AddDate(0, 0, 7)
		t := &store.Task{CaseID: c.ID, MunicipalityID: c.MunicipalityID, Kind: store.TaskKindStep, StepID: "drofting",
			Title: "Drøft saken anonymt med kollega eller leder", Responsible: "discoverer",
			AssigneeKind: store.AssignEmployee, EmployeeID: emp.ID, Status: store.TaskOpen, StartedAt: created,
			DueAt: &due, OverdueAfter: &due, CreatedAt: created}
		if err := store.CreateTask(s.tx, t); err != nil {
			return err
		}
		doneAfter := 2 + k%5 // on time
		if k%6 == 0 {
			doneAfter = 10 // late
		}
		if err := store.CompleteTask(s.tx, t.ID, emp.ID, "done", created.AddDate(0, 0, doneAfter)); err != nil {
			return err
		}
	}
	return nil
}
