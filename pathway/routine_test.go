package pathway_test

import (
	"slices"
	"testing"
	"time"

	"github.com/samordna/samordna/pathway"
)

func mustParse(t testing.TB, name, doc string) *pathway.Routine {
	t.Helper()
	r, err := pathway.Parse(name, []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func stepIDs(steps []pathway.Step) []string {
	out := []string{}
	for _, s := range steps {
		out = append(out, s.ID)
	}
	return out
}

func TestEngine(t *testing.T) {
	r := mustParse(t, "valid.yaml", validDoc)

	for _, c := range []struct {
		situation pathway.Situation
		want      []string
	}{
		{pathway.SituationUnclearConcern, []string{"first"}},
		{pathway.SituationAcute, []string{"report"}},
		{pathway.SituationPregnant, []string{}},
		{"nonsense", []string{}},
	} {
		if got := stepIDs(r.StartSteps(c.situation)); !slices.Equal(got, c.want) {
			t.Errorf("StartSteps(%s) = %v, want %v", c.situation, got, c.want)
		}
	}
	for _, c := range []struct {
		event pathway.Event
		want  []string
	}{
		{pathway.EventConsultationHeld, []string{"consent"}},
		{pathway.EventActionPlanCreated, []string{"plan"}},
		{pathway.EventDeviation, []string{}},
	} {
		if got := stepIDs(r.StepsForEvent(c.event)); !slices.Equal(got, c.want) {
			t.Errorf("StepsForEvent(%s) = %v, want %v", c.event, got, c.want)
		}
	}

	for _, c := range []struct {
		step, outcome string
		want          []string
		wantErr       bool
	}{
		{step: "first", want: []string{"consent"}},
		{step: "consent", outcome: "given", want: []string{"plan"}},
		{step: "consent", outcome: "refused", want: []string{"report"}},
		{step: "consent", outcome: "withdrawn", want: []string{}}, // ends the pathway
		{step: "consent", outcome: "", wantErr: true},             // has outcomes, no next: must say which
		{step: "consent", outcome: "maybe", wantErr: true},        // unknown outcome
		{step: "first", outcome: "given", wantErr: true},          // no outcomes at all
		{step: "plan", want: []string{}},                          // last step
		{step: "nowhere", wantErr: true},                          // unknown step
	} {
		got, err := r.Following(c.step, c.outcome)
		if c.wantErr {
			if err == nil {
				t.Errorf("Following(%s, %q) = %v, want an error", c.step, c.outcome, stepIDs(got))
			}
			continue
		}
		if err != nil || !slices.Equal(stepIDs(got), c.want) {
			t.Errorf("Following(%s, %q) = %v, %v; want %v", c.step, c.outcome, stepIDs(got), err, c.want)
		}
	}

	if s, ok := r.Step("plan"); !ok || s.Deadline.Kind != pathway.DeadlinePerPlan {
		t.Errorf("Step(plan) = %+v, %v", s, ok)
	}
	if _, ok := r.Step("nowhere"); ok {
		t.Error("Step(nowhere) found")
	}

	// Step.Due uses the step's own working-day setting: "first" counts P1W
	// as five working days, so from the Wednesday before Easter 2026 it is
	// due on Monday 13 April rather than Wednesday 8 April.
	first, _ := r.Step("first")
	due, _, ok := first.Due(time.Date(2026, 4, 1, 9, 0, 0, 0, pathway.Oslo()))
	if !ok || due.Format("2006-01-02") != "2026-04-13" {
		t.Errorf("first.Due = %v, %v", due, ok)
	}
}

// TestFollowingBrokenLink: a routine built by hand (not through Parse) with
// a dangling link gives an error rather than a half list.
func TestFollowingBrokenLink(t *testing.T) {
	r := &pathway.Routine{ID: "x", Version: 1, Steps: []pathway.Step{{ID: "a", Next: []string{"b"}}}}
	if got, err := r.Following("a", ""); err == nil {
		t.Errorf("Following = %v, want an error", got)
	}
}

// TestClosedSets: every member is valid and has a Norwegian label, and
// nothing else is valid.
func TestClosedSets(t *testing.T) {
	check := func(kind string, values []string, valid func(string) bool, label func(string) string) {
		t.Helper()
		seen := map[string]bool{}
		for _, v := range values {
			if seen[v] {
				t.Errorf("%s %q listed twice", kind, v)
			}
			seen[v] = true
			if !valid(v) || label(v) == "" {
				t.Errorf("%s %q: valid %v, label %q", kind, v, valid(v), label(v))
			}
		}
		for _, bad := range []string{"", "Acute", "unknown", " discoverer"} {
			if valid(bad) {
				t.Errorf("%s %q is valid", kind, bad)
			}
		}
	}
	check("situation", strs(pathway.Situations()),
		func(s string) bool { return pathway.Situation(s).Valid() }, func(s string) string { return pathway.Situation(s).Label() })
	check("event", strs(pathway.Events()),
		func(s string) bool { return pathway.Event(s).Valid() }, func(s string) string { return pathway.Event(s).Label() })
	check("responsible", strs(pathway.Responsibles()),
		func(s string) bool { return pathway.Responsible(s).Valid() }, func(s string) string { return pathway.Responsible(s).Label() })
	check("problem", strs(pathway.Problems()),
		func(s string) bool { return pathway.Problem(s).Valid() }, func(s string) string { return pathway.Problem(s).Label() })
	check("offer", strs(pathway.Offers()),
		func(s string) bool { return pathway.Offer(s).Valid() }, func(s string) string { return pathway.Offer(s).Label() })
	if n := len(pathway.Situations()); n != 5 {
		t.Errorf("%d situations, want the five of the discoverer routine", n)
	}
	if n := len(pathway.Responsibles()); n != 11 {
		t.Errorf("%d responsibles, want 11 (health_personnel: the duty to inform, seed 000; child_responsible: barneansvarlig, seed 001)", n)
	}
}

func strs[T ~string](values []T) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}

// BenchmarkDeadlineDue computes a two-week deadline in calendar days and in
// working days (which walks the days and checks each for a holiday).
func BenchmarkDeadlineDue(b *testing.B) {
	start := time.Date(2026, 3, 31, 9, 0, 0, 0, pathway.Oslo())
	for _, bc := range []struct {
		name        string
		deadline    string
		workingDays bool
	}{
		{"calendar/P2W", "P2W", false},
		{"calendar/P1M", "P1M", false},
		{"calendar/P3M-P6M", "P3M/P6M", false},
		{"working_days/P2W", "P2W", true},
		{"working_days/P5D", "P5D", true},
	} {
		d, err := pathway.ParseDeadline(bc.deadline)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, ok := d.Due(start, bc.workingDays); !ok {
					b.Fatal("not ok")
				}
			}
		})
	}
}
