package routines_test

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/routines"
)

// The seeds sit in shared/ beside the repository; the tests below compare
// with them when they are there, and rely on the tables copied from them
// otherwise.
const (
	ulsteinSeed     = "../../shared/seeds/003_1498f9332e414d71.txt"
	lillehammerSeed = "../../shared/seeds/000_424dc567a9f392b9.txt"
)

func load(t *testing.T) *pathway.Registry {
	t.Helper()
	reg := pathway.NewRegistry()
	if err := reg.LoadFS(routines.FS); err != nil {
		t.Fatalf("shipped routines do not load:\n%v", err)
	}
	return reg
}

func latest(t *testing.T, id string) *pathway.Routine {
	t.Helper()
	r, ok := load(t).Latest(id)
	if !ok {
		t.Fatalf("routine %s not shipped", id)
	}
	return r
}

func TestShippedRoutinesLoad(t *testing.T) {
	reg := load(t)
	var ids []string
	for _, r := range reg.All() {
		ids = append(ids, r.ID)
	}
	want := []string{"lillehammer-oppdager", "ulstein-rus-sped-smabarn"}
	for _, id := range want {
		if !slices.Contains(ids, id) {
			t.Errorf("routine %s missing; have %v", id, ids)
		}
	}
}

// ulsteinRow is one row of Ulstein's action plan, copied from the seed.
type ulsteinRow struct {
	situation, action, responsible, deadline, references string // the seed's cells, verbatim
	// machine values
	responsibleRole pathway.Responsible
	deadlineValue   string
}

// ulsteinRows are the ten rows of seed 003, cell for cell.
var ulsteinRows = []ulsteinRow{
	{
		"Første kontakt med sped- eller småbarnsfamilie der det er bekymring for bruk av alkohol og/eller andre rusmidler som innebærer belastning for barn.",
		"Kontakt med ressursgruppa for råd/rettleiing ope (med samtykkje) eller anonym drøfting.",
		"Den som fyrst får mistanke/ er bekymra.", "Innan 1 veke", "Ressursgruppa",
		pathway.ResponsibleDiscoverer, "P1W",
	},
	{
		"Medlem av ressursgruppa har fått henvendelse ope (med samtykkje) eller anonymt om bekymringsfull bruk av alkohol og/eller andre rusmidler i ei familie.",
		"Gjev råd til meldaren. Melde sak til koordinator av ressursgruppa. Drøfte sak på neste møte i ressursgruppa.",
		"Medlem av ressursgruppa som har fått henvendelsen.", "Innan 2 veker", "Ressursgruppa",
		pathway.ResponsibleResourceGroupMember, "P2W",
	},
	{
		"Første kontakt med småbarnsfamilie der det foreligg erkjent problematisk bruk av alkohol og/eller andre rusmidler.",
		"Motivere for skrifteleg samtykke til samarbeid utan hinder av taushetsplikta. Vurdere meldeplikt til barnevernet.",
		"Den som har fyrste kontakt med familien.", "Innan 1 veke", "Skrifteleg samtykkeerklæring Meldeplikt til b.vernet",
		pathway.ResponsibleFamilyContact, "P1W",
	},
	{
		"Familien ynskjer hjelp for rusrelaterte problem",
		"Drøfte vidare tiltak i lag med familien.",
		"Den som har kontakt med familien", "Innan 2 veker", "Ressursgruppa",
		pathway.ResponsibleFamilyContact, "P2W",
	},
	{
		"Småbarnsfamilie som nektar å samarbeide/skrive under samtykkeerklæring",
		"Skrifteleg melding til barnevernet",
		"Den som har kontakt med familien", "Innan 1 veke", "Meldeskjema til barnevernet Helsepersonell lova",
		pathway.ResponsibleFamilyContact, "P1W",
	},
	{
		"Småbarnsfamilie med bekymringsfull bruk av alkohol og/eller andre rusmidler, der barneverntenesta har fått melding.",
		"Etablere ansvarsgruppe rundt familien. Vurdere rustesting",
		"Barnevernet", "3-6 mnd", "Ansvarsgruppa",
		pathway.ResponsibleChildWelfare, "P3M/P6M",
	},
	{
		"Småbarnsfamilie med rusproblem der ansvarsgruppe er etablert",
		"Lage ein tiltaksplan for oppfylgjing av familien",
		"Ansvarsgruppa", "Oppstart innan 1 mnd", "Ansvarsgruppe",
		pathway.ResponsibleResponsibilityGroup, "P1M",
	},
	{
		"Tiltaksplan for oppfølging av sped-/ og småbarnsfamilie er laga",
		"Oppfølging og revurdering undervegs",
		"Ansvarsgruppa", "Halde fristar på tiltaksplanen", "Ansvarsgruppe",
		pathway.ResponsibleResponsibilityGroup, "per_plan",
	},
	{
		"Avvik, manglende oppfølging av tiltaksplan for sped-/småbarnsfamilie med rusproblem",
		"Revurdering av tiltaksplanen, og evt gjere endringar",
		"Ansvarsgruppa", "Innan 1 mnd", "Ansvarsgruppe",
		pathway.ResponsibleResponsibilityGroup, "P1M",
	},
	{
		"Akuttsituasjon – rusa foreldre med barn tilstades. Kontaktar ressursgruppa og ber om råd anonymt eller åpent.",
		"Melding direkte til bamevernet",
		"Den som kjem bort i akuttsituasjonen", "Umiddelbart", "Meldeskjema til barnevernet. Lov om barnev.t. Helsepersonellova",
		pathway.ResponsibleDiscoverer, "immediately",
	},
}

// scanErrors are the seed's scanning errors the routines correct: row 10 of
// seed 003 reads "bamevernet" where the document means "barnevernet".
var scanErrors = strings.NewReplacer("bamevernet", "barnevernet")

// scanFixed is a seed passage with its scanning errors corrected.
func scanFixed(s string) string { return scanErrors.Replace(s) }

// TestRoutinesSayBarnevernet: seed 003 row 10 "Melding direkte til
// bamevernet" is a scanning error; no shipped routine text repeats it.
func TestRoutinesSayBarnevernet(t *testing.T) {
	reg := load(t)
	for _, id := range []string{"ulstein-rus-sped-smabarn", "lillehammer-oppdager"} {
		r, _ := reg.Latest(id)
		for _, st := range r.Steps {
			for _, text := range append([]string{st.Action, st.SituationText, st.ResponsibleText}, st.References...) {
				if strings.Contains(text, "bamevernet") {
					t.Errorf("%s %s: %q keeps the scanning error", id, st.ID, text)
				}
			}
		}
	}
	if s, _ := reg.Latest("ulstein-rus-sped-smabarn"); s != nil {
		if st, _ := s.Step("row-10"); st.Action != "Melding direkte til barnevernet" {
			t.Errorf("row-10 action %q", st.Action)
		}
	}
}

// TestLillehammerRoutineMetadata: seed 000 "Om rutinen" — "Gjeldende fra:
// 01.01.2014", "Revurdert oktober 2016", "Ansvarlig for rutinen:
// Tildelingsenheten for helse og sosialtjenester" — are fields of the routine.
func TestLillehammerRoutineMetadata(t *testing.T) {
	r := latest(t, "lillehammer-oppdager")
	if r.ValidFrom != "2014-01-01" || r.Revised != "2016-10" || r.Owner != "Tildelingsenheten for helse og sosialtjenester" {
		t.Errorf("metadata: valid_from %q revised %q owner %q", r.ValidFrom, r.Revised, r.Owner)
	}
}

// TestUlsteinTableMatchesSeed guards the table itself: if the seed is there,
// every cell must be exactly the seed's.
func TestUlsteinTableMatchesSeed(t *testing.T) {
	data, err := os.ReadFile(ulsteinSeed)
	if err != nil {
		t.Skipf("seed not available (%v); the table holds the values", err)
	}
	row := regexp.MustCompile(`^(\d+)\.\t`)
	var n int
	for _, line := range strings.Split(string(data), "\n") {
		m := row.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		n++
		cells := strings.Split(line, "\t")
		if len(cells) != 6 {
			t.Fatalf("seed row %s has %d cells, want 6", m[1], len(cells))
		}
		if m[1] != strconv.Itoa(n) {
			t.Fatalf("seed row %s out of order (want %d)", m[1], n)
		}
		if n > len(ulsteinRows) {
			t.Fatalf("seed has more rows than the table")
		}
		w := ulsteinRows[n-1]
		got := ulsteinRow{situation: cells[1], action: cells[2], responsible: cells[3], deadline: cells[4], references: cells[5]}
		for _, c := range []struct{ field, table, seed string }{
			{"situation", w.situation, got.situation},
			{"action", w.action, got.action},
			{"responsible", w.responsible, got.responsible},
			{"deadline", w.deadline, got.deadline},
			{"references", w.references, got.references},
		} {
			if c.table != c.seed {
				t.Errorf("row %d %s: table %q, seed %q", n, c.field, c.table, c.seed)
			}
		}
	}
	if n != len(ulsteinRows) {
		t.Errorf("seed has %d rows, table %d", n, len(ulsteinRows))
	}
}

func TestUlsteinRowsVerbatim(t *testing.T) {
	r := latest(t, "ulstein-rus-sped-smabarn")
	if len(r.Steps) != len(ulsteinRows) {
		t.Fatalf("routine has %d steps, seed has %d rows", len(r.Steps), len(ulsteinRows))
	}
	for i, w := range ulsteinRows {
		id := fmt.Sprintf("row-%02d", i+1)
		s, ok := r.Step(id)
		if !ok {
			t.Errorf("step %s missing", id)
			continue
		}
		if r.Steps[i].ID != id {
			t.Errorf("step %d is %s, want %s (rows in order)", i, r.Steps[i].ID, id)
		}
		check := func(field, got, want string) {
			t.Helper()
			if got != want {
				t.Errorf("%s %s:\n got %q\nwant %q", id, field, got, want)
			}
		}
		check("situation_text", s.SituationText, w.situation)
		check("action", s.Action, scanFixed(w.action))
		check("responsible_text", s.ResponsibleText, w.responsible)
		check("deadline_text", s.DeadlineText, w.deadline)
		check("references", strings.Join(s.References, " "), w.references)
		check("deadline", s.Deadline.String(), w.deadlineValue)
		check("responsible", string(s.Responsible), string(w.responsibleRole))
		if s.WorkingDays {
			t.Errorf("%s counts working days; the seed's deadlines are calendar time", id)
		}
	}
}

func TestUlsteinLinks(t *testing.T) {
	r := latest(t, "ulstein-rus-sped-smabarn")
	ids := func(steps []pathway.Step) []string {
		var out []string
		for _, s := range steps {
			out = append(out, s.ID)
		}
		return out
	}
	follow := func(step, outcome string) []string {
		t.Helper()
		steps, err := r.Following(step, outcome)
		if err != nil {
			t.Fatalf("Following(%s, %q): %v", step, outcome, err)
		}
		return ids(steps)
	}
	for _, c := range []struct {
		step, outcome string
		want          []string
	}{
		{"row-01", "", []string{"row-02"}},
		{"row-03", "given", []string{"row-04"}},
		{"row-03", "refused", []string{"row-05"}},
		{"row-05", "", []string{"row-06"}},
		{"row-06", "", []string{"row-07"}},
		{"row-07", "", []string{"row-08"}},
		{"row-09", "", []string{"row-08"}},
		{"row-10", "", []string{"row-06"}},
	} {
		if got := follow(c.step, c.outcome); !slices.Equal(got, c.want) {
			t.Errorf("Following(%s, %q) = %v, want %v", c.step, c.outcome, got, c.want)
		}
	}
	if _, err := r.Following("row-03", ""); err == nil {
		t.Error("row-03 completed without a consent outcome: want an error")
	}
	if _, err := r.Following("row-03", "maybe"); err == nil {
		t.Error("row-03 with unknown outcome: want an error")
	}
	for _, c := range []struct {
		event pathway.Event
		want  []string
	}{
		{pathway.EventDeviation, []string{"row-09"}},
		{pathway.EventConsentRefused, []string{"row-05"}},
		{pathway.EventChildWelfareReportReceived, []string{"row-06"}},
		{pathway.EventResponsibilityGroupEstablished, []string{"row-07"}},
		{pathway.EventActionPlanCreated, []string{"row-08"}},
	} {
		if got := ids(r.StepsForEvent(c.event)); !slices.Equal(got, c.want) {
			t.Errorf("StepsForEvent(%s) = %v, want %v", c.event, got, c.want)
		}
	}
	for _, c := range []struct {
		situation pathway.Situation
		want      []string
	}{
		{pathway.SituationUnclearConcern, []string{"row-01"}},
		{pathway.SituationKnownFamily, []string{"row-03"}},
		{pathway.SituationAsksForHelp, []string{"row-04"}},
		{pathway.SituationAcute, []string{"row-10"}},
	} {
		if got := ids(r.StartSteps(c.situation)); !slices.Equal(got, c.want) {
			t.Errorf("StartSteps(%s) = %v, want %v", c.situation, got, c.want)
		}
	}
	acute, _ := r.Step("row-10")
	if !slices.Contains(acute.Offers, pathway.OfferChildWelfareReport) {
		t.Errorf("row-10 offers %v, want the child-welfare report", acute.Offers)
	}
}

// normalise drops bullets and collapses white space, so that a passage
// copied from the seed can be found in it whatever its line breaks.
func normalise(s string) string {
	s = strings.ReplaceAll(s, "·", " ")
	return strings.Join(strings.Fields(s), " ")
}

func TestLillehammer(t *testing.T) {
	r := latest(t, "lillehammer-oppdager")

	// The five situations, worded as in the seed.
	wantSituations := []struct {
		id    pathway.Situation
		label string
	}{
		{pathway.SituationUnclearConcern, "Bekymringer rundt barn/familie/gravide hvor utfordringene er uklare og ikke har kommet fram gjennom at de det gjelder har bedt om bistand."},
		{pathway.SituationAsksForHelp, "De det gjelder henvender seg med spørsmål om bistand."},
		{pathway.SituationKnownFamily, "Oppdagelse av graviditet eller utfordringer hos barn/familier vi er i kontakt med på bakgrunn av rus eller psykiske vansker."},
		{pathway.SituationPregnant, "Oppdagelse av utfordringer knyttet til rus eller psykiske vansker hos gravide."},
		{pathway.SituationAcute, "Alvorlige og akutte situasjoner som utløser meldeplikt"},
	}
	if len(r.Situations) != len(wantSituations) {
		t.Fatalf("routine has %d situations, want 5", len(r.Situations))
	}
	for i, w := range wantSituations {
		if r.Situations[i].ID != w.id || r.Situations[i].Label != w.label {
			t.Errorf("situation %d = %+v, want %s %q", i+1, r.Situations[i], w.id, w.label)
		}
		if len(r.StartSteps(w.id)) == 0 {
			t.Errorf("situation %s starts no step", w.id)
		}
	}

	// Acute branch: report to child welfare directly and at once.
	acute := r.StartSteps(pathway.SituationAcute)
	if len(acute) != 1 || acute[0].Deadline.Kind != pathway.DeadlineImmediately ||
		!slices.Contains(acute[0].Offers, pathway.OfferChildWelfareReport) ||
		!slices.Contains(acute[0].References, "Barnevernsloven § 6-4 (nå § 13-2)") {
		t.Errorf("acute start steps = %+v, want one immediate child-welfare report under barnevernsloven", acute)
	}
	// A pregnant woman also starts the health personnel's duty to inform.
	var inform *pathway.Step
	for _, s := range r.StartSteps(pathway.SituationPregnant) {
		if slices.Contains(s.Offers, pathway.OfferDutyToInform) {
			inform = &s
		}
	}
	if inform == nil || inform.Deadline.Kind != pathway.DeadlineImmediately || !slices.Contains(inform.References, "Helsepersonelloven § 32") {
		t.Errorf("pregnant: want an immediate duty-to-inform step under Helsepersonelloven § 32, got %+v", inform)
	}

	// Framgangsmåte: consult -> conversation -> document -(consent)-> apply.
	path := []struct{ step, outcome, next string }{
		{"consult", "", "conversation"},
		{"conversation", "", "document"},
		{"document", "given", "apply"},
	}
	for _, p := range path {
		next, err := r.Following(p.step, p.outcome)
		if err != nil || len(next) != 1 || next[0].ID != p.next {
			t.Errorf("Following(%s, %q) = %v, %v; want %s", p.step, p.outcome, next, err, p.next)
		}
	}
	if next, err := r.Following("document", "refused"); err != nil || len(next) != 0 {
		t.Errorf("no consent should end the pathway, got %v, %v", next, err)
	}
	apply, _ := r.Step("apply")
	if !slices.Contains(apply.Offers, pathway.OfferApplication) {
		t.Errorf("apply offers %v, want application", apply.Offers)
	}
	conversation, _ := r.Step("conversation")
	if !slices.Contains(conversation.References, "Veileder Fra bekymring til handling, s. 41") {
		t.Errorf("conversation references %v", conversation.References)
	}
	document, _ := r.Step("document")
	if !slices.Contains(document.References, "Prosedyre Husk barnet") {
		t.Errorf("document references %v", document.References)
	}

	// The coordinating unit's three duties.
	var ke []string
	for _, s := range r.Steps {
		if s.Responsible == pathway.ResponsibleCoordinatingUnit {
			ke = append(ke, s.Action)
		}
	}
	for _, duty := range []string{
		"Ta kontakt med bruker for en samtale når henvendelsen kommer",
		"Fatte vedtak om koordinator og eller individuell plan",
		"Delta på første del av første ansvarsgruppemøte",
	} {
		if !slices.ContainsFunc(ke, func(a string) bool { return strings.HasPrefix(a, duty) }) {
			t.Errorf("coordinating unit duty %q missing", duty)
		}
	}
	received := r.StepsForEvent(pathway.EventApplicationReceived)
	if len(received) == 0 || received[0].Responsible != pathway.ResponsibleCoordinatingUnit {
		t.Errorf("application_received starts %+v, want the coordinating unit", received)
	}

	// The seed gives no deadlines: every non-immediate one says it is local.
	for _, s := range r.Steps {
		if len(s.References) == 0 {
			t.Errorf("step %s has no references", s.ID)
		}
		if s.Deadline.Kind == pathway.DeadlineImmediately {
			if s.DeadlineText != "Umiddelbart" {
				t.Errorf("step %s: immediate deadline worded %q", s.ID, s.DeadlineText)
			}
			continue
		}
		if !strings.HasPrefix(s.DeadlineText, "Lokal frist: ") {
			t.Errorf("step %s: deadline_text %q does not say it is a local choice", s.ID, s.DeadlineText)
		}
	}
}

// TestLillehammerActionsVerbatim checks that every line of every action is
// a passage of the seed.
func TestLillehammerActionsVerbatim(t *testing.T) {
	data, err := os.ReadFile(lillehammerSeed)
	if err != nil {
		t.Skipf("seed not available: %v", err)
	}
	seed := normalise(string(data))
	r := latest(t, "lillehammer-oppdager")
	for _, s := range r.Steps {
		for _, line := range strings.Split(s.Action, "\n") {
			if !strings.Contains(seed, normalise(line)) {
				t.Errorf("step %s: %q is not in the seed", s.ID, line)
			}
		}
	}
	for _, sit := range r.Situations {
		if !strings.Contains(seed, normalise(sit.Label)) {
			t.Errorf("situation %s: %q is not in the seed", sit.ID, sit.Label)
		}
	}
}
