package samordna_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/samordna/samordna"
)

// FuzzFindIDNumbers checks that FindIDNumbers never panics, that every match
// is a well-formed, valid number at its offsets, and that it finds exactly
// what the independently written reference finds (so nothing is missed).
func FuzzFindIDNumbers(f *testing.F) {
	for _, seed := range []string{
		"", "15076500565", "Fnr: 150765 00565.", "fnr 150765-00565", "55076500397",
		"15876500520", "15076500566", "915076500565", "150765 005651", "1150765 00565",
		"Søsken på Ås: 15076500565", "123456 150765 00565-00565", "150765-",
		"Ring 12345678 eller +47 912 34 567", "\xff15076500565\xfe", benchmarkText,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		matches := samordna.FindIDNumbers(text)
		prevEnd := 0
		for _, m := range matches {
			if m.Start < prevEnd || m.End > len(text) || m.End-m.Start < 11 {
				t.Fatalf("match %+v out of order or bounds in %q (len %d)", m, text, len(text))
			}
			prevEnd = m.End
			digits := matchDigits(t, text[m.Start:m.End])
			n, err := samordna.ParseIDNumber(digits, true)
			if err != nil || !samordna.ValidIDNumber(digits, true) {
				t.Fatalf("match %q is not valid: %v", text[m.Start:m.End], err)
			}
			if n.Kind != m.Kind {
				t.Fatalf("match %q has kind %s, ParseIDNumber says %s", digits, m.Kind, n.Kind)
			}
		}
		if ref := referenceFindIDNumbers(text); !slices.Equal(matches, ref) {
			t.Fatalf("FindIDNumbers(%q) = %v, reference finds %v", text, matches, ref)
		}
	})
}

// matchDigits returns the 11 digits of a match: either the match itself or
// the written form with one space or hyphen after the sixth digit.
func matchDigits(t *testing.T, s string) string {
	t.Helper()
	switch {
	case len(s) == 11:
		return s
	case len(s) == 12 && strings.ContainsRune(" -", rune(s[6])):
		return s[:6] + s[7:]
	}
	t.Fatalf("match %q is neither 11 digits nor DDMMYY NNNNN", s)
	return ""
}
