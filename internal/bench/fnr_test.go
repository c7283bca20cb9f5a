package bench

import (
	"testing"
	"time"

	"github.com/samordna/samordna"
)

// TestNumbersMatchSyntheticIDNumber: the generator's numbers are exactly
// samordna.SyntheticIDNumber's, valid (synthetic allowed) and unique over
// the persons of several days.
func TestNumbersMatchSyntheticIDNumber(t *testing.T) {
	var n numbers
	w := &world{now: time.Now()}
	seen := map[string]bool{}
	for i := range 20 * personsPerDay {
		birth, seq := w.personBirth(i * 37 % (20 * personsPerDay))
		got, want := n.get(birth, seq), samordna.SyntheticIDNumber(birth, seq)
		if got != want {
			t.Fatalf("person %d: %s, SyntheticIDNumber gives %s", i, got, want)
		}
		if !samordna.ValidIDNumber(got, true) || samordna.ValidIDNumber(got, false) {
			t.Fatalf("%s: not a valid synthetic number", got)
		}
		if seen[got] {
			t.Fatalf("%s twice", got)
		}
		seen[got] = true
	}
	for _, birth := range []time.Time{time.Date(1975, 3, 1, 12, 0, 0, 0, time.UTC), time.Date(1899, 12, 31, 12, 0, 0, 0, time.UTC)} {
		for seq := range 300 {
			if got, want := n.get(birth, seq), samordna.SyntheticIDNumber(birth, seq); got != want {
				t.Fatalf("%s seq %d: %s, want %s", birth.Format("2006-01-02"), seq, got, want)
			}
		}
	}
}
