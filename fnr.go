package samordna

import (
	"fmt"
	"time"
	"unicode"
	"unicode/utf8"
)

// This file validates Norwegian national identity numbers: fødselsnummer and
// D-nummer, including the synthetic test numbers of the national test data
// (Tenor). The rules follow @navikt/fnrvalidator (NAV) wherever the written
// rules and NAV disagree; each such place says so in a comment.
//
// Layout of the 11 digits: DDMMYY III K1 K2 — birth date, a three-digit
// individual number and two check digits.
//   - D-nummer: day + 40 (first digit 4–7).
//   - Synthetic (Tenor): month + 80 (third digit 8–9), for fnr and D-nummer.
//   - K1: the weighted sum of the first ten digits with weights
//     3,7,6,1,8,9,4,5,2,1 must be 0, 1, 2 or 3 modulo 11. The classic rule
//     demands 0; the rule for numbers issued from 2032 (Skatteetaten) allows
//     0–3. Every classic number is also valid under the 2032 rule, so checking
//     the 2032 rule accepts a number valid under either rule.
//   - K2: the weighted sum of all eleven digits with weights
//     5,4,3,2,7,6,5,4,3,2,1 must be 0 modulo 11 (unchanged in 2032).
//     Because every weight is non-zero and 11 is prime, K2 alone catches any
//     single changed digit.
//
// H-numbers (month + 40, assigned by hospitals) are refused: NAV accepts them
// but they are neither fødselsnummer nor D-nummer. They still identify a
// person, so FindIDNumbers reports them (IDKindHNR).

// IDKind says which kind of national identity number an IDNumber is.
type IDKind string

// The kinds of national identity number we accept.
const (
	// IDKindFNR is a fødselsnummer, given to people registered as residents.
	IDKindFNR IDKind = "fnr"
	// IDKindDNR is a D-nummer, given to people without residence (day + 40).
	IDKindDNR IDKind = "dnr"
)

// IDNumber is a validated fødselsnummer or D-nummer and what it encodes.
type IDNumber struct {
	// Value is the 11 digits exactly as validated.
	Value string
	// Kind is IDKindFNR or IDKindDNR.
	Kind IDKind
	// BirthDate is the birth date the number encodes, at UTC midnight. It is
	// derived from the number; for numbers issued from 2032 the Folkeregister's
	// own birth date field is the authority, so use this for display and
	// plausibility checks, not as the truth about a person.
	BirthDate time.Time
	// Synthetic is true for Tenor test numbers (month + 80): never a real person.
	Synthetic bool
}

// The errors ParseIDNumber returns. They are *Error of KindInvalid so the web
// and API layers map them to 400 without special cases, and their messages
// never contain the number itself (it is personal data).
var (
	// ErrIDLength: not exactly 11 ASCII digits (a space or hyphen inside fails too).
	ErrIDLength = &Error{Kind: KindInvalid, Code: "id_number_length", Message: "fødselsnummer or D-nummer must be 11 digits"}
	// ErrIDChecksum: a check digit does not match (usually a typing error).
	ErrIDChecksum = &Error{Kind: KindInvalid, Code: "id_number_checksum", Message: "check digit is wrong"}
	// ErrIDDate: the first six digits are not a valid birth date (H-numbers too).
	ErrIDDate = &Error{Kind: KindInvalid, Code: "id_number_date", Message: "not a valid date"}
	// ErrIDSynthetic: a synthetic test number where only real numbers belong.
	ErrIDSynthetic = &Error{Kind: KindInvalid, Code: "id_number_synthetic", Message: "synthetic test numbers are not accepted here"}
)

// Check digit weights; see the comment at the top of this file.
var (
	k1Weights = [10]int{3, 7, 6, 1, 8, 9, 4, 5, 2, 1}
	k2Weights = [11]int{5, 4, 3, 2, 7, 6, 5, 4, 3, 2, 1}
)

// ParseIDNumber validates an 11-digit Norwegian national identity number
// (fødselsnummer) or D-nummer and returns what it encodes.
//
// allowSynthetic: synthetic test numbers (month + 80, as the national test
// data "Tenor" uses) are only accepted when true (demo and test mode), so that
// test data cannot end up in a production register.
//
// s must be exactly 11 ASCII digits: callers strip spaces and hyphens first.
// The checks run in the order length, check digits, date, synthetic, and the
// first failure is returned: ErrIDLength, ErrIDChecksum, ErrIDDate or
// ErrIDSynthetic.
func ParseIDNumber(s string, allowSynthetic bool) (IDNumber, error) {
	d, ok := elevenDigits(s)
	if !ok {
		return IDNumber{}, ErrIDLength
	}
	if !checkDigitsValid(&d) {
		return IDNumber{}, ErrIDChecksum
	}
	n, ok := decodeIDNumber(&d)
	if !ok {
		return IDNumber{}, ErrIDDate
	}
	if n.Synthetic && !allowSynthetic {
		return IDNumber{}, ErrIDSynthetic
	}
	n.Value = s
	return n, nil
}

// ValidIDNumber reports whether s is a valid fødselsnummer or D-nummer;
// synthetic test numbers count as valid only when allowSynthetic is true.
func ValidIDNumber(s string, allowSynthetic bool) bool {
	_, err := ParseIDNumber(s, allowSynthetic)
	return err == nil
}

// elevenDigits returns the digit values of s when s is exactly 11 ASCII
// digits. Other Unicode digits are refused, as NAV does.
func elevenDigits(s string) ([11]int, bool) {
	var d [11]int
	if len(s) != len(d) {
		return d, false
	}
	for i := range len(s) {
		if !isDigit(s[i]) {
			return d, false
		}
		d[i] = int(s[i] - '0')
	}
	return d, true
}

// isDigit reports whether b is an ASCII digit.
func isDigit(b byte) bool { return '0' <= b && b <= '9' }

// checkDigitsValid applies the K1 rule (classic or 2032) and the K2 rule.
func checkDigitsValid(d *[11]int) bool {
	return weightedSum(d[:10], k1Weights[:])%11 <= 3 &&
		weightedSum(d[:], k2Weights[:])%11 == 0
}

// weightedSum returns the sum of digits[i]·weights[i].
func weightedSum(digits, weights []int) int {
	sum := 0
	for i, w := range weights {
		sum += digits[i] * w
	}
	return sum
}

// decodeIDNumber reads kind, synthetic flag and birth date from checked
// digits; ok is false when they do not form a valid date.
func decodeIDNumber(d *[11]int) (n IDNumber, ok bool) {
	day := 10*d[0] + d[1]
	month := 10*d[2] + d[3]
	yy := 10*d[4] + d[5]
	individual := 100*d[6] + 10*d[7] + d[8]
	n.Kind = IDKindFNR
	if d[0] >= 4 {
		n.Kind = IDKindDNR
		day -= 40
	}
	if d[2] >= 8 {
		n.Synthetic = true
		month -= 80
	}
	if !dateExists(navDateYear(yy), month, day) {
		return n, false
	}
	n.BirthDate = time.Date(birthYear(yy, individual, month, day), time.Month(month), day, 0, 0, 0, 0, time.UTC)
	return n, true
}

// navDateYear is the year NAV checks the day and month against: 2000 for
// "00", otherwise 1900 + yy. NAV ignores the century, and so do we when
// deciding validity: the 2032 rules no longer tie the individual number to a
// century. This differs from the century rule (birthYear) only for 29.02.00
// with individual number 000–499, which the century rule would place in 1900
// (not a leap year) and refuse; NAV accepts it, so we accept it.
func navDateYear(yy int) int {
	if yy == 0 {
		return 2000
	}
	return 1900 + yy
}

// birthYear returns the full birth year from the two-digit year and the
// individual number (the century rule):
//
//	000–499            → 1900–1999
//	500–749, yy ≥ 54   → 1854–1899
//	500–999, yy < 40   → 2000–2039
//	900–999, yy ≥ 40   → 1940–1999
//
// Two cases fall outside the rule, and NAV accepts both without looking at
// the century: unassigned ranges (500–749 with yy 40–53, 750–899 with
// yy ≥ 40) are read as 1900s, as NAV reads every year; and 29 February with
// yy 00 and individual number 000–499 is read as 2000, the only century in
// which that date exists.
func birthYear(yy, individual, month, day int) int {
	year := centuryYear(yy, individual)
	if !dateExists(year, month, day) {
		return 2000 + yy
	}
	return year
}

// centuryYear applies the century rule of birthYear, 1900s when none applies.
func centuryYear(yy, individual int) int {
	switch {
	case individual <= 499:
		return 1900 + yy
	case individual <= 749 && yy >= 54:
		return 1800 + yy
	case yy < 40:
		return 2000 + yy
	case individual >= 900: // and yy >= 40
		return 1900 + yy
	}
	// Unassigned: 500–749 with yy 40–53, or 750–899 with yy >= 40.
	return 1900 + yy
}

// dateExists reports whether day.month.year is a date of the calendar
// (so 31 February and 29 February in a common year are not).
func dateExists(year, month, day int) bool {
	if month < 1 || month > 12 || day < 1 {
		return false
	}
	return day <= daysInMonth(year, month)
}

// daysInMonth returns the number of days in month of year, leap years included.
func daysInMonth(year, month int) int {
	// Day 0 of the next month is the last day of this month.
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// IDMatch is one identifying number found in free text: byte offsets
// Start/End into the original text (text[Start:End] is the number as
// written, from its first digit to its last, separators included) and the
// Kind.
type IDMatch struct {
	Start, End int
	Kind       IDKind
}

// IDKindHNR is a hjelpenummer (H-number: month + 40), which hospitals
// assign. ParseIDNumber refuses it (it is neither fødselsnummer nor
// D-nummer), but it identifies a person, so FindIDNumbers reports it.
const IDKindHNR IDKind = "hnr"

// FindIDNumbers returns every valid fødselsnummer, D-nummer or H-number in
// free text, in order of Start, so that anonymous consultations can refuse
// identifying data. Synthetic numbers are found too: a synthetic number is
// still treated as identifying, so demo data behaves like production.
//
// People write a number in many ways, and the guard must see through them:
//   - digits of any script (full-width "１５０７…", Arabic-Indic, …), not only
//     ASCII;
//   - the number inside a longer digit run ("99150765005651"): every 11
//     consecutive digits of a run are checked;
//   - the number in parts ("150765 00565", "15.07.65 00565", "150765/00565",
//     "1 5 0 7 6 5 0 0 5 6 5"), where between two parts there are at most
//     maxVisibleSeparators spaces (any Unicode space, line breaks included),
//     dots, slashes or dashes, and any number of invisible format characters
//     (zero-width space, soft hyphen, …). A number in parts must consist of
//     whole parts: it starts where a part starts and ends where a part ends.
//
// The whole-parts rule keeps ordinary text apart: a date followed by a time
// ("14.04.2025 13.00") or a list of phone numbers or amounts has eleven
// digits in a row only by cutting a part, and a part of such text is short.
// Eleven digits that fail the check digits or the date are not identifying
// (likely an account or case number). Overlapping matches inside one digit
// run are all reported. It returns nil when there is none.
func FindIDNumbers(text string) []IDMatch {
	var matches []IDMatch
	eachDigitGroup(text, func(g *digitGroup) {
		matches = appendGroupMatches(matches, g)
	})
	return matches
}

// maxVisibleSeparators is how many visible separator characters may stand
// between two parts of a number: "150765 - 00565" and "\r\n" fit, a
// sentence does not.
const maxVisibleSeparators = 3

// idDigit is one digit of the text: its value and its byte span.
type idDigit struct {
	value      int
	start, end int
}

// digitGroup is a sequence of digits joined by separators, and where each
// part (a run of digits with nothing between them) starts: partStart[i] is
// the index in digits of part i's first digit.
type digitGroup struct {
	digits    []idDigit
	partStart []int
}

// eachDigitGroup splits text into digit groups and calls f with each group
// of at least 11 digits: a part continues while digits follow each other
// directly, a group while the gap between two digits is only separators (at
// most maxVisibleSeparators visible ones). The group passed to f is reused
// for the next one.
func eachDigitGroup(text string, f func(*digitGroup)) {
	var g digitGroup
	inGroup, gap, visible := false, false, 0
	flush := func() {
		if len(g.digits) >= 11 {
			f(&g)
		}
		g.digits, g.partStart, inGroup = g.digits[:0], g.partStart[:0], false
	}
	for i, r := range text {
		if v, ok := digitValue(r); ok {
			if !inGroup || gap {
				g.partStart = append(g.partStart, len(g.digits))
			}
			g.digits = append(g.digits, idDigit{value: v, start: i, end: i + utf8.RuneLen(r)})
			inGroup, gap, visible = true, false, 0
			continue
		}
		switch {
		case !inGroup:
		case unicode.Is(unicode.Cf, r): // invisible: zero-width space, soft hyphen, word joiner, …
			gap = true
		case isIDSeparator(r) && visible < maxVisibleSeparators:
			gap = true
			visible++
		default:
			flush()
		}
	}
	flush()
}

// isIDSeparator reports whether r may stand between the parts of a number:
// any Unicode space or line break, a dash, a dot or a slash (ASCII or
// full-width).
func isIDSeparator(r rune) bool {
	switch r {
	case '.', '/', '\u2212' /* minus sign */, '\uFF0E' /* full-width full stop */, '\uFF0F' /* full-width solidus */ :
		return true
	}
	return unicode.IsSpace(r) || unicode.Is(unicode.Pd, r)
}

// digitValue returns the value of a decimal digit of any script. Unicode
// encodes every script's digits 0–9 as consecutive code points, and the
// ranges of unicode.Nd are made of such whole sets, so the value is the
// distance from the range's start modulo 10.
func digitValue(r rune) (int, bool) {
	if r < utf8.RuneSelf {
		return int(r - '0'), isDigit(byte(r))
	}
	if !unicode.IsDigit(r) { // most non-ASCII letters (æøå) stop here
		return 0, false
	}
	for _, rg := range unicode.Nd.R16 {
		if rune(rg.Lo) <= r && r <= rune(rg.Hi) {
			return int(r-rune(rg.Lo)) % 10, true
		}
	}
	for _, rg := range unicode.Nd.R32 {
		if rune(rg.Lo) <= r && r <= rune(rg.Hi) {
			return int(r-rune(rg.Lo)) % 10, true
		}
	}
	return 0, false
}

// appendGroupMatches appends the valid numbers of group g: each 11
// consecutive digits inside one part, and each run of whole parts with 11
// digits together.
func appendGroupMatches(matches []IDMatch, g *digitGroup) []IDMatch {
	part := 0    // the part holding digits[i]
	endPart := 0 // the first part starting at or after the window's end
	for i := 0; i+11 <= len(g.digits); i++ {
		end := i + 11 // the window is digits[i:end]
		for part+1 < len(g.partStart) && g.partStart[part+1] <= i {
			part++
		}
		for endPart < len(g.partStart) && g.partStart[endPart] < end {
			endPart++
		}
		insidePart := endPart == part+1 // no part starts inside the window but the first
		endsPart := end == len(g.digits) || (endPart < len(g.partStart) && g.partStart[endPart] == end)
		if !insidePart && !(i == g.partStart[part] && endsPart) {
			continue
		}
		var d [11]int
		for k := range d {
			d[k] = g.digits[i+k].value
		}
		if kind, ok := findKind(&d); ok {
			matches = append(matches, IDMatch{Start: g.digits[i].start, End: g.digits[end-1].end, Kind: kind})
		}
	}
	return matches
}

// findKind returns the kind of a valid number, synthetic numbers and
// H-numbers included, or false.
func findKind(d *[11]int) (IDKind, bool) {
	if !checkDigitsValid(d) {
		return "", false
	}
	if n, ok := decodeIDNumber(d); ok {
		return n.Kind, true
	}
	if isHNumber(d) {
		return IDKindHNR, true
	}
	return "", false
}

// isHNumber reports whether checked digits form an H-number: a real day and
// month + 40 (41–52).
func isHNumber(d *[11]int) bool {
	day, month, yy := 10*d[0]+d[1], 10*d[2]+d[3]-40, 10*d[4]+d[5]
	return dateExists(navDateYear(yy), month, day)
}

// SyntheticIDNumber builds a valid synthetic fødselsnummer (month + 80, like
// Tenor) for a birth date and a sequence number, for demo data and test
// generators. It is deterministic: the same arguments give the same number.
// ParseIDNumber accepts the result only with allowSynthetic.
//
// The calendar date of birth is read in birth's own location; the year must
// be 1854–2039 (the years the century rule can express), otherwise it panics,
// as this is a programming error. seq chooses among the valid individual
// numbers for that date (at least 204 of them) modulo their count, so seq
// values 0–199 give distinct numbers for the same date.
func SyntheticIDNumber(birth time.Time, seq int) string {
	return syntheticNumber(birth, seq, 0)
}

// SyntheticDNumber is SyntheticIDNumber for a D-nummer (day + 40 and
// month + 80), for demo people without residence.
func SyntheticDNumber(birth time.Time, seq int) string {
	return syntheticNumber(birth, seq, 40)
}

// syntheticNumber builds the seq-th valid synthetic number for birth, with
// dayOffset 0 (fnr) or 40 (D-nummer).
func syntheticNumber(birth time.Time, seq, dayOffset int) string {
	year, month, day := birth.Date()
	lo, hi := individualRange(year)
	var valid [][11]int
	for individual := lo; individual <= hi; individual++ {
		d := syntheticDigits(day+dayOffset, int(month)+80, year%100, individual)
		if fillCheckDigits(&d) {
			valid = append(valid, d)
		}
	}
	d := valid[((seq%len(valid))+len(valid))%len(valid)]
	return digitString(&d)
}

// individualRange returns the individual numbers the century rule gives
// people born in year: we generate only unambiguous numbers.
func individualRange(year int) (lo, hi int) {
	switch {
	case year >= 1854 && year <= 1899:
		return 500, 749
	case year >= 1900 && year <= 1999:
		return 0, 499
	case year >= 2000 && year <= 2039:
		return 500, 999
	}
	panic(fmt.Sprintf("samordna: synthetic ID numbers need a birth year in 1854–2039, not %d", year))
}

// syntheticDigits lays out day, month, two-digit year and individual number
// as the first nine digits; the check digits are left zero.
func syntheticDigits(day, month, yy, individual int) [11]int {
	return [11]int{
		day / 10, day % 10,
		month / 10, month % 10,
		yy / 10, yy % 10,
		individual / 100, individual / 10 % 10, individual % 10,
	}
}

// fillCheckDigits sets K1 and K2 by the classic rule (so every validator,
// old or new, accepts them) and reports false when one of them would be 10.
func fillCheckDigits(d *[11]int) bool {
	d[9] = (11 - weightedSum(d[:9], k1Weights[:9])%11) % 11
	if d[9] == 10 {
		return false
	}
	d[10] = (11 - weightedSum(d[:10], k2Weights[:10])%11) % 11
	return d[10] != 10
}

// digitString returns the digits as a string.
func digitString(d *[11]int) string {
	var b [11]byte
	for i, v := range d {
		b[i] = byte('0' + v)
	}
	return string(b[:])
}
