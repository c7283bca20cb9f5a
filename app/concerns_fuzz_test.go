package app

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/pathway"
)

// FuzzAnonymousConcernText fuzzes the path an anonymous concern's text takes
// (validateConcern → checkAnonymousText): a text is refused exactly when it
// holds a valid fødselsnummer, D-nummer or H-number (in any of the ways
// FindIDNumbers reads), the refusal points (in
// characters of the text as sent) at such a number, and it never repeats
// the number.
func FuzzAnonymousConcernText(f *testing.F) {
	fnr := samordna.SyntheticIDNumber(time.Date(2015, 3, 9, 0, 0, 0, 0, time.UTC), 1)
	dnr := samordna.SyntheticDNumber(time.Date(1988, 11, 30, 0, 0, 0, 0, time.UTC), 2)
	for _, s := range []string{
		"", "Ingen tall her.", fnr, "  " + fnr + "  ", "fnr: " + fnr[:6] + " " + fnr[6:], "dnr " + dnr[:6] + "-" + dnr[6:],
		"æøå " + fnr + " ÆØÅ", fnr[:10] + "0", "12345678901", "tlf 12345678, konto 1234.56.78903", "1" + fnr, fnr + "9",
		"\u00a0" + dnr, strings.Repeat("9", 22),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) {
			return
		}
		in := NewConcern{Situation: pathway.SituationUnclearConcern, Anonymous: true, Description: text}
		err := validateConcern(&in)
		found := samordna.FindIDNumbers(text)
		var idErr *IdentifyingDataError
		switch {
		case errors.As(err, &idErr):
			if len(found) == 0 {
				t.Fatalf("refused %q, which holds no number", text)
			}
			runes := []rune(text)
			if idErr.Field != "description" || idErr.Start < 0 || idErr.End > len(runes) || idErr.Start >= idErr.End {
				t.Fatalf("bad pointer %s %d-%d for %q", idErr.Field, idErr.Start, idErr.End, text)
			}
			part := string(runes[idErr.Start:idErr.End])
			if m := samordna.FindIDNumbers(part); len(m) == 0 || m[0].Start != 0 || m[0].End != len(part) {
				t.Fatalf("points at %q in %q, not a valid number from end to end", part, text)
			}
			if strings.Contains(idErr.Error(), part) {
				t.Fatalf("the error repeats the number: %v", idErr)
			}
			if samordna.HTTPStatus(err) != 422 || samordna.ErrorCode(err) != "identifying_data" {
				t.Fatalf("err = %v", err)
			}
		case err == nil:
			if len(found) > 0 {
				t.Fatalf("accepted %q, which holds a number at %v", text, found[0])
			}
		default:
			if strings.TrimSpace(text) != "" && utf8.RuneCountInString(strings.TrimSpace(text)) <= MaxDescriptionLength {
				t.Fatalf("unexpected error for %q: %v", text, err)
			}
		}
	})
}
