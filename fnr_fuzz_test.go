package samordna_test

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/samordna/samordna"
)

// FuzzFindIDNumbers checks that FindIDNumbers never panics, that every match
// is a well-formed, valid number at its offsets (11 digits from its first
// byte to its last), and that it finds exactly what the independently
// written reference finds (so nothing is missed).
func FuzzFindIDNumbers(f *testing.F) {
	for _, seed := range []string{
		"", "15076500565", "Fnr: 150765 00565.", "fnr 150765-00565", "55076500397",
		"15876500520", "15076500566", "915076500565", "150765 005651", "1150765 00565",
		"Søsken på Ås: 15076500565", "123456 150765 00565-00565", "150765-",
		"Ring 12345678 eller +47 912 34 567", "\xff15076500565\xfe", benchmarkText,
		"15.07.65 00565", "150765/00565", "150765\u200b\u00a000565", "１５０７６５００５６５",
		"1 5 0 7 6 5 0 0 5 6 5", "9915076500565123", "15476500548", "14.04.2025 13.00–14.30",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		matches := samordna.FindIDNumbers(text)
		prevStart := -1
		for _, m := range matches {
			if m.Start <= prevStart || m.Start < 0 || m.End > len(text) || m.End <= m.Start {
				t.Fatalf("match %+v out of order or bounds in %q (len %d)", m, text, len(text))
			}
			prevStart = m.Start
			digits := matchDigits(t, text[m.Start:m.End])
			kind, ok := referenceKind(digits)
			if !ok || kind != m.Kind {
				t.Fatalf("match %q (digits %s) has kind %s, the reference says %q", text[m.Start:m.End], digits, m.Kind, kind)
			}
		}
		if ref := referenceFindIDNumbers(text); !slices.Equal(matches, ref) {
			t.Fatalf("FindIDNumbers(%q) = %v, reference finds %v", text, matches, ref)
		}
	})
}

// matchDigits returns the digits of a match as ASCII: it must start and end
// with a digit and hold exactly 11.
func matchDigits(t *testing.T, s string) string {
	t.Helper()
	var b strings.Builder
	for _, r := range s {
		if unicode.IsDigit(r) {
			b.WriteByte(byte('0' + refDigitValue(r)))
		}
	}
	first, _ := utf8.DecodeRuneInString(s)
	last, _ := utf8.DecodeLastRuneInString(s)
	if b.Len() != 11 || !unicode.IsDigit(first) || !unicode.IsDigit(last) {
		t.Fatalf("match %q is not 11 digits from its first byte to its last", s)
	}
	return b.String()
}
