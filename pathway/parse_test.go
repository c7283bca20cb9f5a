package pathway_test

import (
	"errors"
	"io/fs"
	"slices"
	"strings"
	"testing"

	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/routines"
	"pgregory.net/rapid"
)

// validDoc is a small routine that uses every field.
const validDoc = `# A test routine.
id: test-routine
version: 2
name: Testrutine
municipality: Testkommune
source: test
situations:
  - id: unclear_concern
    label: Uklar bekymring
  - id: acute
    label: Akutt
steps:
  - id: first
    situation: unclear_concern
    situation_text: Første kontakt.
    action: Drøft med kollega.
    responsible: discoverer
    responsible_text: Den som er bekymra.
    deadline: P1W
    deadline_text: Innan 1 veke
    working_days: true
    references: [Ressursgruppa]
    next: [consent]
    offers: [consultation]
  - id: consent
    event: consultation_held
    action: Be om samtykke.
    responsible: family_contact
    deadline: P2W
    outcomes:
      given: [plan]
      refused: [report]
      withdrawn: []
    offers: [consent]
  - id: report
    situation: [acute]
    event:
    action: Meld til barnevernet.
    responsible: discoverer
    deadline: immediately
    offers: [child_welfare_report]
  - id: plan
    event: action_plan_created
    action: Følg opp planen.
    responsible: responsibility_group
    deadline: per_plan
  - id: wait
    event: child_welfare_report_received
    action: Etabler ansvarsgruppe.
    responsible: child_welfare
    deadline: P3M/P6M
`

func TestParseValid(t *testing.T) {
	r, err := pathway.Parse("valid.yaml", []byte(validDoc))
	if err != nil {
		t.Fatal(err)
	}
	if r.ID != "test-routine" || r.Version != 2 || r.Name != "Testrutine" || r.Municipality != "Testkommune" || r.Source != "test" || r.File != "valid.yaml" {
		t.Errorf("header = %+v", r)
	}
	if len(r.Situations) != 2 || r.Situations[1] != (pathway.RoutineSituation{ID: pathway.SituationAcute, Label: "Akutt"}) {
		t.Errorf("situations = %+v", r.Situations)
	}
	if len(r.Steps) != 5 {
		t.Fatalf("%d steps", len(r.Steps))
	}
	first := r.Steps[0]
	want := pathway.Step{
		ID: "first", Situations: []pathway.Situation{pathway.SituationUnclearConcern},
		SituationText: "Første kontakt.", Action: "Drøft med kollega.",
		Responsible: pathway.ResponsibleDiscoverer, ResponsibleText: "Den som er bekymra.",
		DeadlineText: "Innan 1 veke", WorkingDays: true,
		References: []string{"Ressursgruppa"}, Next: []string{"consent"},
		Offers: []pathway.Offer{pathway.OfferConsultation},
	}
	if first.Deadline.String() != "P1W" {
		t.Errorf("deadline = %s", first.Deadline)
	}
	first.Deadline = pathway.Deadline{}
	if !stepEqual(first, want) {
		t.Errorf("first step =\n%+v\nwant\n%+v", first, want)
	}
	consent := r.Steps[1]
	if consent.Event != pathway.EventConsultationHeld || len(consent.Situations) != 0 {
		t.Errorf("consent trigger = %q %v", consent.Event, consent.Situations)
	}
	if !slices.Equal(consent.OutcomeNames(), []string{"given", "refused", "withdrawn"}) {
		t.Errorf("outcomes = %v", consent.Outcomes)
	}
	if r.Steps[2].Event != "" || !slices.Equal(r.Steps[2].Situations, []pathway.Situation{pathway.SituationAcute}) {
		t.Errorf("an empty event next to a situation list: %+v", r.Steps[2])
	}
}

func stepEqual(a, b pathway.Step) bool {
	return a.ID == b.ID && slices.Equal(a.Situations, b.Situations) && a.Event == b.Event &&
		a.SituationText == b.SituationText && a.Action == b.Action && a.Responsible == b.Responsible &&
		a.ResponsibleText == b.ResponsibleText && a.Deadline == b.Deadline && a.DeadlineText == b.DeadlineText &&
		a.WorkingDays == b.WorkingDays && slices.Equal(a.References, b.References) &&
		slices.Equal(a.Next, b.Next) && slices.Equal(a.Offers, b.Offers) && len(a.Outcomes) == len(b.Outcomes)
}

// header is the start of the broken documents below (lines 1-5).
const header = "id: broken\nversion: 1\nname: Brukket\nmunicipality: Testkommune\nsteps:\n"

// step is a valid step to build broken documents from.
const step = "  - id: a\n    situation: unclear_concern\n    action: Gjer noko.\n    responsible: discoverer\n    deadline: P1W\n"

// TestParseErrors: each broken document marks the lines where the errors
// are with "# <-"; every marked line must have an error and every error
// must be on a marked line, and one error must contain want.
func TestParseErrors(t *testing.T) {
	for _, c := range []struct {
		name, doc, want string
		line            int // for documents that cannot carry a marker
	}{
		{name: "empty", doc: "", want: "empty document", line: 1},
		{name: "only a comment", doc: "# nothing\n", want: "empty document", line: 1},
		{name: "not a mapping", doc: "- id: a # <-\n", want: "routine must be a mapping"},
		{name: "unknown top-level field", doc: header[:len(header)-7] + "colour: blue # <-\nsteps:\n" + step, want: `unknown field "colour"`},
		{name: "missing id", doc: "version: 1 # <-\nname: X\nmunicipality: Y\nsteps:\n" + step, want: "missing id"},
		{name: "missing version", doc: "id: x # <-\nname: X\nmunicipality: Y\nsteps:\n" + step, want: "missing version"},
		{name: "missing name", doc: "id: x # <-\nversion: 1\nmunicipality: Y\nsteps:\n" + step, want: "missing name"},
		{name: "empty name", doc: "id: x\nversion: 1\nname: '' # <-\nmunicipality: Y\nsteps:\n" + step, want: "name must not be empty"},
		{name: "missing steps", doc: "id: x # <-\nversion: 1\nname: X\nmunicipality: Y\n", want: "missing steps"},
		{name: "no steps", doc: "id: x\nversion: 1\nname: X\nmunicipality: Y\nsteps: [] # <-\n", want: "non-empty list"},
		{name: "version zero", doc: "id: x\nversion: 0 # <-\nname: X\nmunicipality: Y\nsteps:\n" + step, want: "version must be 1 or more"},
		{name: "version a string", doc: "id: x\nversion: \"1\" # <-\nname: X\nmunicipality: Y\nsteps:\n" + step, want: "version must be an integer"},
		{name: "version a float", doc: "id: x\nversion: 1.5 # <-\nname: X\nmunicipality: Y\nsteps:\n" + step, want: "version must be an integer"},
		{name: "bad routine id", doc: "id: Broken_Routine # <-\nversion: 1\nname: X\nmunicipality: Y\nsteps:\n" + step, want: "lowercase"},
		{name: "duplicate key", doc: "id: x\nversion: 1\nname: X\nname: Y # <-\nmunicipality: Y\nsteps:\n" + step, want: `field "name" given twice`},
		{name: "duplicate step id", doc: header + step + step[:len("  - id: a")] + " # <-" + step[len("  - id: a"):], want: `duplicate step id "a" (first on line 6)`},
		{name: "bad step id", doc: header + "  - id: Row 1 # <-\n    situation: acute\n    action: x\n    responsible: discoverer\n    deadline: P1W\n", want: "lowercase"},
		{name: "unknown step field", doc: header + step + "    colour: red # <-\n", want: `unknown field "colour" in step`},
		{name: "unknown responsible", doc: header + "  - id: a\n    situation: acute\n    action: x\n    responsible: boss # <-\n    deadline: P1W\n", want: `unknown responsible "boss"`},
		{name: "missing responsible", doc: header + "  - id: a # <-\n    situation: acute\n    action: x\n    deadline: P1W\n", want: "missing responsible"},
		{name: "missing action", doc: header + "  - id: a # <-\n    situation: acute\n    responsible: discoverer\n    deadline: P1W\n", want: "missing action"},
		{name: "action not a string", doc: header + "  - id: a\n    situation: acute\n    action: 42 # <-\n    responsible: discoverer\n    deadline: P1W\n", want: "action must be a string"},
		{name: "malformed deadline", doc: header + "  - id: a\n    situation: acute\n    action: x\n    responsible: discoverer\n    deadline: P1X # <-\n", want: `deadline "P1X"`},
		{name: "deadline in words", doc: header + "  - id: a\n    situation: acute\n    action: x\n    responsible: discoverer\n    deadline: 1 uke # <-\n", want: `deadline "1 uke"`},
		{name: "range the wrong way", doc: header + "  - id: a\n    situation: acute\n    action: x\n    responsible: discoverer\n    deadline: P6M/P3M # <-\n", want: "shorter"},
		{name: "missing deadline", doc: header + "  - id: a # <-\n    situation: acute\n    action: x\n    responsible: discoverer\n", want: "missing deadline"},
		{name: "working_days not a bool", doc: header + step + "    working_days: yes # <-\n", want: "working_days must be true or false"},
		{name: "next to unknown step (flow)", doc: header + step + "    next: [a, nowhere] # <-\n", want: `unknown step "nowhere"`},
		{name: "next to unknown step (block)", doc: header + step + "    next:\n      - a\n      - nowhere # <-\n", want: `unknown step "nowhere"`},
		{name: "next not a list", doc: header + step + "    next: a # <-\n", want: "next must be a list"},
		{name: "outcome to unknown step", doc: header + step + "    outcomes:\n      given: [a]\n      refused: [nowhere] # <-\n", want: `unknown step "nowhere"`},
		{name: "bad outcome name", doc: header + step + "    outcomes:\n      Given: [a] # <-\n", want: "outcome name"},
		{name: "outcomes not a mapping", doc: header + step + "    outcomes: [a] # <-\n", want: "outcomes must be a mapping"},
		{name: "neither situation nor event", doc: header + "  - id: a # <-\n    action: x\n    responsible: discoverer\n    deadline: P1W\n", want: "neither situation nor event"},
		{name: "both situation and event", doc: header + "  - id: a\n    situation: acute\n    event: deviation # <-\n    action: x\n    responsible: discoverer\n    deadline: P1W\n", want: "both situation and event"},
		{name: "unknown situation", doc: header + "  - id: a\n    situation: worried # <-\n    action: x\n    responsible: discoverer\n    deadline: P1W\n", want: `unknown situation "worried"`},
		{name: "unknown situation in a list", doc: header + "  - id: a\n    situation:\n      - acute\n      - worried # <-\n    action: x\n    responsible: discoverer\n    deadline: P1W\n", want: `unknown situation "worried"`},
		{name: "unknown event", doc: header + "  - id: a\n    event: party # <-\n    action: x\n    responsible: discoverer\n    deadline: P1W\n", want: `unknown event "party"`},
		{name: "unknown offer", doc: header + step + "    offers: [consultation, cake] # <-\n", want: `unknown offer "cake"`},
		{name: "situation not declared", doc: "id: x\nversion: 1\nname: X\nmunicipality: Y\nsituations:\n  - id: acute\n    label: Akutt\nsteps:\n  - id: a\n    situation: acute\n    action: x\n    responsible: discoverer\n    deadline: P1W\n  - id: b\n    situation: pregnant # <-\n    action: x\n    responsible: discoverer\n    deadline: P1W\n", want: "not in the routine's situations list"},
		{name: "declared situation starts nothing", doc: "id: x\nversion: 1\nname: X\nmunicipality: Y\nsituations:\n  - id: acute\n    label: Akutt\n  - id: pregnant # <-\n    label: Gravid\nsteps:\n  - id: a\n    situation: acute\n    action: x\n    responsible: discoverer\n    deadline: P1W\n", want: `situation "pregnant" starts no step`},
		{name: "declared situation unknown", doc: "id: x\nversion: 1\nname: X\nmunicipality: Y\nsituations:\n  - id: unclear_concern\n    label: Uklar\n  - id: sad # <-\n    label: Trist\nsteps:\n" + step, want: `unknown situation "sad"`},
		{name: "declared situation without label", doc: "id: x\nversion: 1\nname: X\nmunicipality: Y\nsituations:\n  - id: unclear_concern # <-\nsteps:\n" + step, want: "missing label"},
		{name: "aliases", doc: header + step + "    deadline_text: &t Innan 1 veke # <-\n" + "  - id: b\n    event: deviation\n    action: x\n    responsible: discoverer\n    deadline: P1W\n    deadline_text: *t # <-\n", want: "anchors and aliases"},
		{name: "two documents", doc: header + step + "--- # <-\n" + header + step, want: "more than one YAML document"},
		{name: "bad indentation", doc: header + "  - id: a\n     action: x # <-\n", want: "mapping values are not allowed"},
		{name: "tab indentation", doc: header + "  - id: a\n\taction: x # <-\n", want: "tab in indentation"},
		{
			name: "several errors at once",
			doc:  "id: x\nversion: -1 # <-\nname: X\nmunicipality: Y\nsteps:\n  - id: a\n    situation: acute\n    action: x\n    responsible: nobody # <-\n    deadline: soon # <-\n    next: [zzz] # <-\n",
			want: `unknown responsible "nobody"`,
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			var marked []int
			for i, line := range strings.Split(c.doc, "\n") {
				if strings.HasSuffix(line, "# <-") {
					marked = append(marked, i+1)
				}
			}
			if c.line != 0 {
				marked = append(marked, c.line)
			}
			if len(marked) == 0 {
				t.Fatal("test case marks no line")
			}
			r, err := pathway.Parse("broken.yaml", []byte(c.doc))
			if err == nil {
				t.Fatalf("parsed without error: %+v", r)
			}
			if r != nil {
				t.Error("a routine came back with the error")
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not mention %q", err, c.want)
			}
			var lines []int
			for _, e := range unjoin(err) {
				var pe *pathway.Error
				if !errors.As(e, &pe) {
					t.Fatalf("error %v (%T) is not a *pathway.Error", e, e)
				}
				if pe.File != "broken.yaml" {
					t.Errorf("error names file %q", pe.File)
				}
				if !strings.HasPrefix(pe.Error(), "broken.yaml:") {
					t.Errorf("Error() = %q, want file:line: msg", pe.Error())
				}
				if !slices.Contains(marked, pe.Line) {
					t.Errorf("error on line %d, want one of %v: %v", pe.Line, marked, pe)
				}
				lines = append(lines, pe.Line)
			}
			for _, m := range marked {
				if !slices.Contains(lines, m) {
					t.Errorf("no error on marked line %d; errors:\n%v", m, err)
				}
			}
		})
	}
}

// unjoin returns the errors joined by errors.Join, or err itself.
func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

func TestErrorFormat(t *testing.T) {
	e := &pathway.Error{File: "routines/x.yaml", Line: 7, Msg: "unknown responsible \"boss\""}
	if got := e.Error(); got != `routines/x.yaml:7: unknown responsible "boss"` {
		t.Errorf("Error() = %q", got)
	}
	if got := (&pathway.Error{File: "x.yaml", Msg: "unreadable"}).Error(); got != "x.yaml: unreadable" {
		t.Errorf("Error() without line = %q", got)
	}
}

// TestParseNeverPanics feeds Parse mangled versions of a valid document.
func TestParseNeverPanics(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		doc := []byte(validDoc)
		edits := rapid.IntRange(1, 5).Draw(t, "edits")
		for range edits {
			i := rapid.IntRange(0, len(doc)-1).Draw(t, "at")
			switch rapid.IntRange(0, 2).Draw(t, "op") {
			case 0: // delete a byte
				doc = append(doc[:i:i], doc[i+1:]...)
			case 1: // insert a YAML-significant byte
				b := rapid.SampledFrom([]byte(":-[]{}#&*!|>'\"\t\n %@`,?")).Draw(t, "byte")
				doc = append(doc[:i:i], append([]byte{b}, doc[i:]...)...)
			case 2: // cut the document short
				doc = doc[:i]
			}
			if len(doc) == 0 {
				break
			}
		}
		r, err := pathway.Parse("fuzz.yaml", doc)
		if (r == nil) == (err == nil) {
			t.Fatalf("Parse returned routine %v and error %v", r != nil, err)
		}
		for _, e := range unjoin(err) {
			var pe *pathway.Error
			if err != nil && !errors.As(e, &pe) {
				t.Fatalf("error %v is not a *pathway.Error", e)
			}
		}
	})
}

// BenchmarkParseRoutine parses the shipped Ulstein routine (ten steps).
func BenchmarkParseRoutine(b *testing.B) {
	const name = "ulstein-rus-sped-smabarn.yaml"
	data, err := fs.ReadFile(routines.FS, name)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := pathway.Parse(name, data); err != nil {
			b.Fatal(err)
		}
	}
}

// done_when, problems and title: a task ends when its work is done (seed
// 004 "Avtale tid for neste møte" ends when the next meeting is planned),
// and the duty to inform applies to substance use only (seed 000,
// helsepersonelloven § 32).
func TestParseDoneWhenProblemsTitle(t *testing.T) {
	doc := `id: t
version: 1
name: T
municipality: M
steps:
  - id: a
    situation: pregnant
    problems: [substance_use]
    title: "Kort tittel"
    action: "Gjør noe"
    responsible: health_personnel
    deadline: immediately
  - id: b
    event: meeting_held
    action: "Avtal neste møte"
    responsible: coordinator
    deadline: P1W
    done_when: [meeting_planned]
`
	r, err := pathway.Parse("t.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	a, _ := r.Step("a")
	b, _ := r.Step("b")
	if a.Title != "Kort tittel" || a.AppliesTo([]pathway.Problem{pathway.ProblemMentalIllness}) ||
		!a.AppliesTo([]pathway.Problem{pathway.ProblemMentalIllness, pathway.ProblemSubstanceUse}) || a.AppliesTo(nil) {
		t.Errorf("step a = %+v", a)
	}
	if !b.DoneBy(pathway.EventMeetingPlanned) || b.DoneBy(pathway.EventMeetingHeld) || !b.AppliesTo(nil) {
		t.Errorf("step b = %+v", b)
	}
	bad := strings.Replace(doc, "done_when: [meeting_planned]", "done_when: [meeting_planed]\n    problems: [rus]", 1)
	_, err = pathway.Parse("t.yaml", []byte(bad))
	if err == nil || !strings.Contains(err.Error(), `unknown event "meeting_planed" in done_when`) ||
		!strings.Contains(err.Error(), `unknown problem "rus"`) {
		t.Errorf("bad done_when/problems: %v", err)
	}
}

// A step's records (seed 000: what the conversation is to record) are read
// from the closed set; an unknown or repeated record is refused with its
// line.
func TestParseRecords(t *testing.T) {
	doc := `id: t
version: 1
name: T
municipality: M
steps:
  - id: a
    situation: unclear_concern
    action: "Ta en samtale"
    responsible: discoverer
    deadline: P2W
    records: [conversation, children, advice]
`
	r, err := pathway.Parse("t.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	a, _ := r.Step("a")
	if len(a.Records) != 3 || a.Records[0] != pathway.RecordConversation || a.Records[2] != pathway.RecordAdvice {
		t.Errorf("records = %v", a.Records)
	}
	bad := strings.Replace(doc, "records: [conversation, children, advice]", "records: [samtale, advice, advice]", 1)
	_, err = pathway.Parse("t.yaml", []byte(bad))
	if err == nil || !strings.Contains(err.Error(), `unknown record "samtale"`) || !strings.Contains(err.Error(), `record "advice" given twice`) ||
		!strings.Contains(err.Error(), "t.yaml:11") {
		t.Errorf("bad records: %v", err)
	}
}
