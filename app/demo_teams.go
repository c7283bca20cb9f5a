package app

import (
	"fmt"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/store"
)

// This file seeds a year of team work into the demo (issue 15; seed 002
// §4.1–4.2): the three TSTs meet every six weeks and the OST monthly,
// from ten months back to six months ahead, each series set up and each
// past meeting's minutes finalised through the same code the pages use.
// Schools and kindergartens brought anonymous matters to their district's
// TST; each past meeting advised on them (some with an onward referral),
// and the next meeting of each TST already holds a matter.

// demoTeamSeries is one team's series in the demo: the team, the weekday
// and Oslo clock time of its meetings, and its place.
type demoTeamSeries struct {
	team    string
	weekday time.Weekday
	hour    int
	place   string
}

var demoSeries = []demoTeamSeries{
	{"TST Nord", time.Tuesday, 12, "Nordby skole, møterommet"},
	{"TST Sentrum", time.Wednesday, 12, "Rådhuset, møterom 2"},
	{"TST Sør", time.Thursday, 12, "Sørli skole, personalrommet"},
	{"OST", time.Monday, 9, "Rådhuset, formannskapssalen"},
}

// demoMatters are the questions schools and kindergartens bring (no
// person named: anonymous matters), with the advice given and the onward
// referral, used in turn.
var demoMatters = []struct{ question, advice, referral string }{
	{"En elev på 5. trinn er ofte sliten og sulten om morgenen. Hvordan tar vi det opp med foreldrene?",
		"Kontaktlærer tar en samtale med foreldrene sammen med helsesykepleier; følg opp om fire uker.", ""},
	{"Et barn på fire år snakker lite og leker mest alene. Bør vi be om en vurdering?",
		"Observer i tre uker med TRAS; be om samtykke til å melde til PPT.", "ppt"},
	{"En elev har mye fravær etter jul og sier hun har vondt i magen.",
		"Helsesykepleier inviterer eleven til samtale; skolen kartlegger fraværet.", ""},
	{"En elev på 7. trinn har endret seg mye, trekker seg unna venner og har sinneutbrudd.",
		"Foreldresamtale; foreslå henvisning til BUP via fastlegen dersom det ikke bedrer seg.", "bup"},
	{"Foreldrene til en elev har en høy konflikt etter samlivsbrudd, og eleven er preget.",
		"Tilby foreldrene kontakt med familievernkontoret; skolen gir eleven en fast voksen.", "family_counselling"},
	{"Vi er bekymret for omsorgen hjemme for et barn i 3. klasse.",
		"Drøftet anonymt: vilkårene for opplysningsplikt er til stede; send bekymringsmelding til barneverntjenesten.", "child_welfare"},
}

// demoSubmitters are who brings matters to each TST: employees of the
// district's schools and kindergartens, in turn.
var demoSubmitters = map[string][]string{
	"TST Nord":    {"ola.laerer", "lise.barnehage"},
	"TST Sentrum": {"silje.laerer"},
	"TST Sør":     {"espen.laerer"},
}

// seedDemoTeams plans the series, brings matters to past and coming
// meetings and finalises the past meetings' minutes.
func (a *App) seedDemoTeams(s *demoSeeder) error {
	teams, err := store.ListTeams(s.tx)
	if err != nil {
		return err
	}
	byName := map[string]*samordna.Team{}
	for _, t := range teams {
		byName[t.Name] = t
	}
	n := 0
	for _, d := range demoSeries {
		t := byName[d.team]
		if t == nil {
			return fmt.Errorf("demo team %s missing", d.team)
		}
		first := demoSeriesStart(s.ref.AddDate(0, -10, 0), d.weekday, d.hour)
		res, err := a.planTeamSeries(s.tx, seedActor, t, NewTeamSeries{FirstStartsAt: first,
			Until: s.ref.AddDate(0, 6, 0), Place: d.place, DurationMinutes: 120})
		if err != nil {
			return fmt.Errorf("demo series %s: %w", d.team, err)
		}
		if t.Kind != samordna.TeamInterdisciplinary {
			continue
		}
		if n, err = a.seedDemoTeamMeetings(s, t, res.Meetings, n); err != nil {
			return fmt.Errorf("demo meetings %s: %w", d.team, err)
		}
	}
	return nil
}

// demoSeriesStart is the first weekday wd on or after from, at hour in Oslo.
func demoSeriesStart(from time.Time, wd time.Weekday, hour int) time.Time {
	l := from.In(osloZone())
	d := time.Date(l.Year(), l.Month(), l.Day(), hour, 0, 0, 0, osloZone())
	for d.Weekday() != wd {
		d = d.AddDate(0, 0, 1)
	}
	return d.UTC()
}

// seedDemoTeamMeetings gives each past meeting of the TST two matters with
// advice and finalised minutes, and the next coming meeting one matter; n
// counts the matters so far (to take demoMatters in turn).
func (a *App) seedDemoTeamMeetings(s *demoSeeder, t *samordna.Team, meetings []*store.TeamMeeting, n int) (int, error) {
	comingDone := false
	for _, m := range meetings {
		past := m.StartsAt.Before(a.now())
		if !past && comingDone {
			break
		}
		var outcomes []MatterOutcome
		count := 2
		if !past {
			count, comingDone = 1, true
		}
		for i := 0; i < count; i++ {
			d := demoMatters[n%len(demoMatters)]
			n++
			who := demoSubmitters[t.Name]
			x, err := a.seedDemoMatter(s, t, m, who[n%len(who)], d.question)
			if err != nil {
				return n, err
			}
			outcomes = append(outcomes, MatterOutcome{MatterID: x.ID, Advice: d.advice, Referral: d.referral})
		}
		if !past {
			continue
		}
		leader := s.employees["anne.ppt"]
		actor := &samordna.Actor{Employee: leader}
		in := TeamMinutes{Summary: "Sakene ble drøftet anonymt. Ingen systemsaker til OST denne gangen.",
			Outcomes: outcomes, Present: t.MemberIDs}
		checked, err := a.checkMinutes(s.tx, m, in)
		if err != nil {
			return n, err
		}
		if err := a.finaliseTeamMinutes(s.tx, actor, t, m, in, checked); err != nil {
			return n, err
		}
	}
	return n, nil
}

// seedDemoMatter brings an anonymous matter from the submitter to the
// meeting, submitted ten days before it.
func (a *App) seedDemoMatter(s *demoSeeder, t *samordna.Team, m *store.TeamMeeting, username, question string) (*store.TeamMatter, error) {
	e, err := store.EmployeeByID(s.tx, s.employees[username].ID)
	if err != nil {
		return nil, err
	}
	actor := &samordna.Actor{Employee: e}
	x := &store.TeamMatter{MunicipalityID: t.MunicipalityID, TeamID: t.ID, Anonymous: true, Question: question,
		Status: store.MatterOnAgenda, MeetingID: m.ID, SubmittedBy: e.ID, SubmittedAt: m.StartsAt.AddDate(0, 0, -10),
		ServiceID: submittingService(actor, t)}
	if !ownDistrict(actor, t) {
		x.Reason = "Eleven bor i distriktet, men går på vår skole"
	}
	if err := a.anonymousMatter(s.tx, actor, t, x, NewTeamMatter{Anonymous: true, Question: question}); err != nil {
		return nil, err
	}
	return x, store.CreateTeamMatter(s.tx, x)
}
