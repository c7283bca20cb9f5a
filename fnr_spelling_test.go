package samordna_test

import (
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/samordna/samordna"
	"pgregory.net/rapid"
)

// This file checks FindIDNumbers against the ways people write a number in
// free text (issue 14.6) and against ordinary text it must leave alone.

// drawFindable draws a number FindIDNumbers must find: a fødselsnummer or
// D-nummer (real or synthetic, from drawIDNumber) or an H-number (month + 40).
func drawFindable(t *rapid.T) (string, samordna.IDKind) {
	if !rapid.Bool().Draw(t, "hnr") {
		c := drawIDNumber(t)
		return c.value, c.kind
	}
	year := rapid.IntRange(1900, 1999).Draw(t, "year")
	month := rapid.IntRange(1, 12).Draw(t, "month")
	day := rapid.IntRange(1, date(year, time.Month(month)+1, 0).Day()).Draw(t, "day")
	start := rapid.IntRange(0, 499).Draw(t, "individual")
	m := month + 40
	// Some individual numbers have no check digit (it would be 10); the
	// next one that has both is taken, so every drawn date gives a number.
	var d []int
	for i := 0; i < 500 && d == nil; i++ {
		d = hnrDigits(day, m, year, (start+i)%500)
	}
	if d == nil {
		t.Fatalf("no H-number with check digits for %02d.%02d.%d", day, month, year)
	}
	var b strings.Builder
	for _, v := range d {
		b.WriteByte(byte('0' + v))
	}
	return b.String(), samordna.IDKindHNR
}

// hnrDigits returns the eleven digits of the H-number for the date (m is
// the month + 40) and the individual number, or nil when a check digit
// would be 10.
func hnrDigits(day, m, year, individual int) []int {
	d := []int{day / 10, day % 10, m / 10, m % 10, year % 100 / 10, year % 10,
		individual / 100, individual / 10 % 10, individual % 10}
	k1 := (11 - sum(d, []int{3, 7, 6, 1, 8, 9, 4, 5, 2})%11) % 11
	d = append(d, k1)
	k2 := (11 - sum(d, []int{5, 4, 3, 2, 7, 6, 5, 4, 3, 2})%11) % 11
	d = append(d, k2)
	if k1 == 10 || k2 == 10 {
		return nil
	}
	return d
}

// digitZeros are the zeros of digit sets people paste from other programs:
// ASCII, full-width, Arabic-Indic, extended Arabic-Indic, Devanagari and
// mathematical bold.
var digitZeros = []rune{'0', '０', '٠', '۰', '०', '𝟎'}

// visibleSeparators and invisibleSeparators may stand between the parts.
var (
	visibleSeparators   = []string{" ", "\u00a0", "\u202f", "\t", "\n", ".", "/", "-", "–", "\u2212", "．", "／"}
	invisibleSeparators = []string{"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"}
)

// drawGap draws what stands between two parts: up to three visible
// separators (a line break as \r\n counts two) with invisible ones around
// them, or only invisible ones.
func drawGap(t *rapid.T) string {
	var b strings.Builder
	visible := rapid.IntRange(0, 3).Draw(t, "visible")
	for left := visible; ; {
		for range rapid.IntRange(0, 2).Draw(t, "invisible") {
			b.WriteString(rapid.SampledFrom(invisibleSeparators).Draw(t, "zw"))
		}
		if left == 0 {
			break
		}
		sep := rapid.SampledFrom(visibleSeparators).Draw(t, "sep")
		left--
		if sep == "\n" && left > 0 && rapid.Bool().Draw(t, "crlf") {
			sep = "\r\n"
			left--
		}
		b.WriteString(sep)
	}
	if b.Len() == 0 {
		b.WriteString("\u200b")
	}
	return b.String()
}

// drawCuts draws where the number is cut into parts: the common layouts
// (DDMMYY NNNNN, DD.MM.YY NNNNN) or anywhere, down to single digits.
func drawCuts(t *rapid.T) map[int]bool {
	switch rapid.IntRange(0, 3).Draw(t, "layout") {
	case 0:
		return map[int]bool{6: true}
	case 1:
		return map[int]bool{2: true, 4: true, 6: true}
	case 2:
		cuts := map[int]bool{}
		for i := 1; i < 11; i++ {
			cuts[i] = true
		}
		return cuts
	}
	cuts := map[int]bool{}
	for i := 1; i < 11; i++ {
		cuts[i] = rapid.Bool().Draw(t, "cut")
	}
	return cuts
}

// TestFindIDNumbersSpellings writes a valid number the ways people do, in
// a sentence, and checks that FindIDNumbers finds it with the offsets of its
// first and last digit in the original text.
func TestFindIDNumbersSpellings(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		number, kind := drawFindable(t)
		zero := rapid.SampledFrom(digitZeros).Draw(t, "script")
		digit := func(b byte) string { return string(zero + rune(b-'0')) }
		var text strings.Builder
		text.WriteString(rapid.SampledFrom([]string{"", "Fnr: ", "Barnet (f.nr ", "født og med nr. ", "Gutten har nr\n"}).Draw(t, "before"))
		inRun := rapid.Bool().Draw(t, "inRun")
		if inRun { // the number inside a longer digit run
			for range rapid.IntRange(0, 4).Draw(t, "lead") {
				text.WriteString(digit(byte('0' + rapid.IntRange(0, 9).Draw(t, "d"))))
			}
		}
		start := text.Len()
		cuts := map[int]bool{}
		if !inRun {
			cuts = drawCuts(t)
		}
		for i := range len(number) {
			if cuts[i] {
				text.WriteString(drawGap(t))
			}
			text.WriteString(digit(number[i]))
		}
		end := text.Len()
		if inRun {
			for range rapid.IntRange(0, 4).Draw(t, "trail") {
				text.WriteString(digit(byte('0' + rapid.IntRange(0, 9).Draw(t, "d"))))
			}
		}
		text.WriteString(rapid.SampledFrom([]string{"", ".", ") bor hos mor.", " og går på skolen", ", se vedtak"}).Draw(t, "after"))
		s := text.String()
		want := samordna.IDMatch{Start: start, End: end, Kind: kind}
		got := samordna.FindIDNumbers(s)
		for _, m := range got {
			if m == want {
				return
			}
		}
		t.Fatalf("FindIDNumbers(%q) = %v, want among them %v (%q)", s, got, want, s[start:end])
	})
}

// TestFindIDNumbersLeavesOrdinaryText writes case notes with phone numbers,
// dates, times, amounts and case numbers, and checks that none of it is
// taken for an identifying number.
func TestFindIDNumbersLeavesOrdinaryText(t *testing.T) {
	digits := func(t *rapid.T, n int) string {
		var b strings.Builder
		b.WriteByte(byte('0' + rapid.IntRange(1, 9).Draw(t, "first")))
		for range n - 1 {
			b.WriteByte(byte('0' + rapid.IntRange(0, 9).Draw(t, "d")))
		}
		return b.String()
	}
	items := []func(t *rapid.T) string{
		func(t *rapid.T) string { // phone numbers, 8 digits in the usual layouts
			p := digits(t, 8)
			return rapid.SampledFrom([]string{"tlf. " + p, "ring " + p[:3] + " " + p[3:5] + " " + p[5:],
				"mobil " + p[:2] + " " + p[2:4] + " " + p[4:6] + " " + p[6:], "+47 " + p, "+47 " + p[:3] + " " + p[3:5] + " " + p[5:]}).Draw(t, "phone")
		},
		func(t *rapid.T) string { // dates, times and date-time
			d := date(rapid.IntRange(1990, 2035).Draw(t, "y"), 1, 1).AddDate(0, 0, rapid.IntRange(0, 365).Draw(t, "doy"))
			h, m := rapid.IntRange(7, 20).Draw(t, "h"), rapid.SampledFrom([]int{0, 15, 30, 45}).Draw(t, "m")
			tm := d.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
			return tm.Format(rapid.SampledFrom([]string{"02.01.2006", "2.1.06", "02.01.", "2006-01-02",
				"02.01.2006 15.04", "02.01.2006 kl. 15.04–16.04", "kl. 15:04", "02/01-2006"}).Draw(t, "layout"))
		},
		func(t *rapid.T) string { // amounts
			a := digits(t, rapid.IntRange(1, 9).Draw(t, "len"))
			spaced := ""
			for i, c := range a {
				if i > 0 && (len(a)-i)%3 == 0 {
					spaced += " "
				}
				spaced += string(c)
			}
			return rapid.SampledFrom([]string{"kr " + a, "kr " + spaced, spaced + ",50 kr", a + ",-"}).Draw(t, "amount")
		},
		func(t *rapid.T) string { // case and archive numbers
			return rapid.SampledFrom([]string{"sak " + digits(t, 4) + "/" + digits(t, 5), "arkiv " + digits(t, 4) + "-" + digits(t, 6)}).Draw(t, "case")
		},
	}
	joins := []string{" og ", ", ", ". Neste: ", "; se ", "\nNotat: "}
	rapid.Check(t, func(t *rapid.T) {
		var b strings.Builder
		b.WriteString("Bekymring: ")
		for i := range rapid.IntRange(1, 8).Draw(t, "items") {
			if i > 0 {
				b.WriteString(rapid.SampledFrom(joins).Draw(t, "join"))
			}
			b.WriteString(rapid.SampledFrom(items).Draw(t, "item")(t))
		}
		b.WriteString(".")
		if got := samordna.FindIDNumbers(b.String()); got != nil {
			t.Fatalf("FindIDNumbers(%q) = %v, want none", b.String(), got)
		}
	})
}

// TestDigitValueAllScripts checks every Unicode decimal digit against the
// reference's value: FindIDNumbers must read "٥" as 5 and "５" as 5.
func TestDigitValueAllScripts(t *testing.T) {
	for r := rune(0); r <= utf8.MaxRune; r++ {
		if !unicode.IsDigit(r) {
			continue
		}
		// Eleven copies of one digit are a number only if that digit gives
		// valid check digits; compare with the ASCII spelling instead.
		ascii := strings.Repeat(string(rune('0'+refDigitValue(r))), 11)
		text := strings.Repeat(string(r), 11)
		if got, want := len(samordna.FindIDNumbers(text)), len(samordna.FindIDNumbers(ascii)); got != want {
			t.Fatalf("%U: %d matches, the ASCII digit %s gives %d", r, got, ascii[:1], want)
		}
	}
}

// TestFindIDNumbersLongInput checks that the work grows with the length of
// the text, not its square: a megabyte of single digits with separators (a
// group of half a million parts, as a crafted URL could be) is read in well
// under the time a quadratic scan would take (minutes).
func TestFindIDNumbersLongInput(t *testing.T) {
	text := strings.Repeat("1 2/3.4-", 1<<17)
	start := time.Now()
	samordna.FindIDNumbers(text)
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("FindIDNumbers on %d bytes took %s", len(text), d)
	}
}
