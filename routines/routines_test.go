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

// The tests below compare the shipped routines with the municipalities' own
// documents (the seeds). testdata/ holds the passages of the seeds they
// compare, copied verbatim; each file names the seed and its lines.

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
	want := []string{"lillehammer-oppdager", "sola-barn-som-parorende", "ulstein-rus-sped-smabarn"}
	for _, id := range want {
		if !slices.Contains(ids, id) {
			t.Errorf("routine %s missing; have %v", id, ids)
		}
	}
}

// ulsteinRow is one row of Ulstein's action plan (seed 003): the seed's
// five cells, verbatim, and the machine values the routine gives them.
type ulsteinRow struct {
	situation, action, responsible, deadline, references string // the seed's cells, verbatim
	// machine values
	responsibleRole pathway.Responsible
	deadlineValue   string
}

// ulsteinMachine holds the machine values of the seed's ten rows, in order.
var ulsteinMachine = []struct {
	responsible pathway.Responsible
	deadline    string
}{
	{pathway.ResponsibleDiscoverer, "P1W"},
	{pathway.ResponsibleResourceGroupMember, "P2W"},
	{pathway.ResponsibleFamilyContact, "P1W"},
	{pathway.ResponsibleFamilyContact, "P2W"},
	{pathway.ResponsibleFamilyContact, "P1W"},
	{pathway.ResponsibleChildWelfare, "P3M/P6M"},
	{pathway.ResponsibleResponsibilityGroup, "P1M"},
	{pathway.ResponsibleResponsibilityGroup, "per_plan"},
	{pathway.ResponsibleResponsibilityGroup, "P1M"},
	{pathway.ResponsibleDiscoverer, "immediately"},
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

// ulsteinRows reads the seed's ten rows, cell for cell, from
// testdata/ulstein-rows.txt (a verbatim copy of the seed's lines) and joins
// each with its machine values.
func ulsteinRows(t *testing.T) []ulsteinRow {
	t.Helper()
	data, err := os.ReadFile("testdata/ulstein-rows.txt")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile(`^(\d+)\.\t`)
	var rows []ulsteinRow
	for _, line := range strings.Split(string(data), "\n") {
		m := row.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		n := len(rows) + 1
		cells := strings.Split(line, "\t")
		if len(cells) != 6 {
			t.Fatalf("seed row %s has %d cells, want 6", m[1], len(cells))
		}
		if m[1] != strconv.Itoa(n) {
			t.Fatalf("seed row %s out of order (want %d)", m[1], n)
		}
		if n > len(ulsteinMachine) {
			t.Fatalf("the seed has more rows than ulsteinMachine")
		}
		rows = append(rows, ulsteinRow{situation: cells[1], action: cells[2], responsible: cells[3],
			deadline: cells[4], references: cells[5],
			responsibleRole: ulsteinMachine[n-1].responsible, deadlineValue: ulsteinMachine[n-1].deadline})
	}
	if len(rows) != len(ulsteinMachine) {
		t.Fatalf("the seed has %d rows, ulsteinMachine %d", len(rows), len(ulsteinMachine))
	}
	return rows
}

// TestUlsteinRowsVerbatim: each step of the shipped routine is one row of
// the seed, in order, with the seed's own words in every cell.
func TestUlsteinRowsVerbatim(t *testing.T) {
	r := latest(t, "ulstein-rus-sped-smabarn")
	rows := ulsteinRows(t)
	if len(r.Steps) != len(rows) {
		t.Fatalf("routine has %d steps, seed has %d rows", len(r.Steps), len(rows))
	}
	for i, w := range rows {
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

// lillehammerPassages reads the blocks of testdata/lillehammer-passages.txt
// (the seed's passages, verbatim), each normalised, and checks that each
// block has as many lines as its "## lines A-B" heading says.
func lillehammerPassages(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile("testdata/lillehammer-passages.txt")
	if err != nil {
		t.Fatal(err)
	}
	heading := regexp.MustCompile(`^## lines (\d+)-(\d+)$`)
	var blocks []string
	var lines []string
	want := 0
	flush := func() {
		if len(lines) != want {
			t.Fatalf("testdata block %d has %d lines, its heading says %d", len(blocks), len(lines), want)
		}
		if want > 0 {
			blocks = append(blocks, normalise(strings.Join(lines, "\n")))
		}
	}
	for _, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		if m := heading.FindStringSubmatch(line); m != nil {
			flush()
			from, _ := strconv.Atoi(m[1])
			to, _ := strconv.Atoi(m[2])
			lines, want = nil, to-from+1
			continue
		}
		if want == 0 && strings.HasPrefix(line, "#") {
			continue // the note before the first block
		}
		lines = append(lines, line)
	}
	flush()
	if len(blocks) == 0 {
		t.Fatal("testdata/lillehammer-passages.txt holds no passages")
	}
	return blocks
}

// TestLillehammerActionsVerbatim checks that every line of every action and
// every situation is a passage of the seed.
func TestLillehammerActionsVerbatim(t *testing.T) {
	blocks := lillehammerPassages(t)
	inSeed := func(s string) bool {
		return slices.ContainsFunc(blocks, func(b string) bool { return strings.Contains(b, normalise(s)) })
	}
	r := latest(t, "lillehammer-oppdager")
	for _, s := range r.Steps {
		for _, line := range strings.Split(s.Action, "\n") {
			if !inSeed(line) {
				t.Errorf("step %s: %q is not in the seed", s.ID, line)
			}
		}
	}
	for _, sit := range r.Situations {
		if !inSeed(sit.Label) {
			t.Errorf("situation %s: %q is not in the seed", sit.ID, sit.Label)
		}
	}
}
