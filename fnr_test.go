package samordna_test

import (
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/samordna/samordna"
	"pgregory.net/rapid"
)

// date returns a UTC midnight date, the form IDNumber.BirthDate has.
func date(year int, month time.Month, day int) time.Time {
	return time.Date(year, month, day, 0, 0, 0, 0, time.UTC)
}

// The expected answers in this table agree with the oracles: every number was
// checked with the npm packages @navikt/fnrvalidator 2.2.1, stdnum and
// norsk-validator before it was written here. Where the oracles disagree we follow navikt, and the comment
// says what stdnum answered.
func TestParseIDNumber(t *testing.T) {
	tests := []struct {
		name           string
		in             string
		allowSynthetic bool
		wantErr        error
		wantKind       samordna.IDKind
		wantBirth      time.Time
		wantSynthetic  bool
	}{
		// Valid under the classic rule: navikt, stdnum valid.
		{name: "fnr", in: "15076500565", wantKind: samordna.IDKindFNR, wantBirth: date(1965, 7, 15)},
		{name: "D-nummer day+40", in: "55076500397", wantKind: samordna.IDKindDNR, wantBirth: date(1965, 7, 15)},
		{name: "leap day 1996", in: "29029648784", wantKind: samordna.IDKindFNR, wantBirth: date(1996, 2, 29)},
		{name: "leap day 2000, individual 505", in: "29020050592", wantKind: samordna.IDKindFNR, wantBirth: date(2000, 2, 29)},
		{name: "individual 519, year 19 is 2019", in: "15021951940", wantKind: samordna.IDKindFNR, wantBirth: date(2019, 2, 15)},

		// Valid only under the 2032 rule (K1 rest 1–3): navikt valid, stdnum invalid checksum.
		{name: "2032 rule rest 1", in: "15076500573", wantKind: samordna.IDKindFNR, wantBirth: date(1965, 7, 15)},
		{name: "2032 rule rest 2", in: "15076500581", wantKind: samordna.IDKindFNR, wantBirth: date(1965, 7, 15)},
		{name: "2032 rule, classic K1 would be 10", in: "15076500301", wantKind: samordna.IDKindFNR, wantBirth: date(1965, 7, 15)},
		{name: "2032 rule, Skatteetaten example", in: "30108299939", wantKind: samordna.IDKindFNR, wantBirth: date(1982, 10, 30)},
		// navikt valid; stdnum invalid (it refuses future birth dates).
		{name: "born 2032", in: "02013299997", wantKind: samordna.IDKindFNR, wantBirth: date(2032, 1, 2)},

		// Outside the century rule: navikt valid (it ignores the century), stdnum invalid.
		{name: "unassigned individual 800 in 1945", in: "01014580049", wantKind: samordna.IDKindFNR, wantBirth: date(1945, 1, 1)},
		{name: "individual 600, year 54 is 1854", in: "01015460020", wantKind: samordna.IDKindFNR, wantBirth: date(1854, 1, 1)},
		{name: "29.02.00 individual 005 (no 29.02.1900)", in: "29020000579", wantKind: samordna.IDKindFNR, wantBirth: date(2000, 2, 29)},

		// Synthetic (Tenor, month+80): navikt valid tnr / dnr-and-tnr; stdnum invalid.
		{name: "synthetic fnr allowed", in: "15876500520", allowSynthetic: true, wantKind: samordna.IDKindFNR, wantBirth: date(1965, 7, 15), wantSynthetic: true},
		{name: "synthetic fnr refused", in: "15876500520", wantErr: samordna.ErrIDSynthetic},
		{name: "synthetic D-nummer allowed", in: "55876500514", allowSynthetic: true, wantKind: samordna.IDKindDNR, wantBirth: date(1965, 7, 15), wantSynthetic: true},
		{name: "synthetic D-nummer refused", in: "55876500514", wantErr: samordna.ErrIDSynthetic},

		// Check digits: navikt and stdnum invalid.
		{name: "wrong K2", in: "15076500566", wantErr: samordna.ErrIDChecksum},
		{name: "K1 rest 4", in: "15076500689", wantErr: samordna.ErrIDChecksum},

		// Dates (check digits fine): navikt and stdnum invalid.
		{name: "31 February", in: "31026500349", wantErr: samordna.ErrIDDate},
		{name: "29 February 1997", in: "29029700549", wantErr: samordna.ErrIDDate},
		{name: "29 February 1899 (individual 506)", in: "29029950685", wantErr: samordna.ErrIDDate},
		{name: "day 00", in: "00016500569", wantErr: samordna.ErrIDDate},
		{name: "month 00", in: "15006500525", wantErr: samordna.ErrIDDate},
		{name: "month 13", in: "15136500543", wantErr: samordna.ErrIDDate},
		{name: "D-nummer day 32", in: "72016500543", wantErr: samordna.ErrIDDate},
		// H-nummer (month+40): navikt and stdnum valid, but it is neither
		// fødselsnummer nor D-nummer, so we refuse it on purpose.
		{name: "H-nummer refused", in: "15476500548", wantErr: samordna.ErrIDDate},

		// Shape: navikt invalid length. (stdnum strips spaces and folds
		// Arabic-Indic digits and calls those two valid; navikt does not.)
		{name: "10 digits", in: "1507650056", wantErr: samordna.ErrIDLength},
		{name: "12 digits", in: "150765005650", wantErr: samordna.ErrIDLength},
		{name: "letter", in: "1507650056a", wantErr: samordna.ErrIDLength},
		{name: "letters only", in: "abcdefghijk", wantErr: samordna.ErrIDLength},
		{name: "space inside", in: "150765 00565", wantErr: samordna.ErrIDLength},
		{name: "Arabic-Indic digits", in: "١٥٠٧٦٥٠٠٥٦٥", wantErr: samordna.ErrIDLength},
		{name: "empty", in: "", wantErr: samordna.ErrIDLength},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := samordna.ParseIDNumber(tt.in, tt.allowSynthetic)
			if valid := samordna.ValidIDNumber(tt.in, tt.allowSynthetic); valid != (err == nil) {
				t.Errorf("ValidIDNumber = %v, ParseIDNumber error = %v", valid, err)
			}
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("error = %v, want %v", err, tt.wantErr)
				}
				if got != (samordna.IDNumber{}) {
					t.Errorf("got %+v with the error, want the zero IDNumber", got)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error %v", err)
			}
			want := samordna.IDNumber{Value: tt.in, Kind: tt.wantKind, BirthDate: tt.wantBirth, Synthetic: tt.wantSynthetic}
			if got != want {
				t.Errorf("got %+v, want %+v", got, want)
			}
		})
	}
}

// TestIDErrors checks that the sentinels are invalid-input errors (HTTP 400)
// with stable codes, and that a refusal never echoes the number.
func TestIDErrors(t *testing.T) {
	for _, err := range []error{samordna.ErrIDLength, samordna.ErrIDChecksum, samordna.ErrIDDate, samordna.ErrIDSynthetic} {
		if samordna.HTTPStatus(err) != 400 {
			t.Errorf("%v: status %d, want 400", err, samordna.HTTPStatus(err))
		}
	}
	_, err := samordna.ParseIDNumber("15076500566", false)
	if strings.Contains(err.Error(), "1507650") {
		t.Errorf("error %q contains the number", err)
	}
}

// idCase is a generated number and what it must decode to.
type idCase struct {
	value     string
	birth     time.Time
	kind      samordna.IDKind
	synthetic bool
}

// drawIDNumber draws a birth date 1854–2039, an individual number the century
// rule gives that year, D-nummer and synthetic flags, and a K1 rest (0 is the
// classic rule, 1–3 only the 2032 rule). It builds the check digits directly
// from the definition, independently of the package.
func drawIDNumber(t *rapid.T) idCase {
	year := rapid.IntRange(1854, 2039).Draw(t, "year")
	month := rapid.IntRange(1, 12).Draw(t, "month")
	lastDay := date(year, time.Month(month)+1, 0).Day()
	day := rapid.IntRange(1, lastDay).Draw(t, "day")
	individual := drawIndividual(t, year)
	c := idCase{birth: date(year, time.Month(month), day), kind: samordna.IDKindFNR}
	if rapid.Bool().Draw(t, "dnr") {
		c.kind = samordna.IDKindDNR
		day += 40
	}
	if c.synthetic = rapid.Bool().Draw(t, "synthetic"); c.synthetic {
		month += 80
	}
	d := []int{day / 10, day % 10, month / 10, month % 10, year % 100 / 10, year % 10,
		individual / 100, individual / 10 % 10, individual % 10}
	rest := rapid.IntRange(0, 3).Draw(t, "k1rest")
	// K1: weighted sum of the first ten digits ≡ rest (mod 11).
	k1 := ((rest-sum(d, []int{3, 7, 6, 1, 8, 9, 4, 5, 2}))%11 + 11) % 11
	d = append(d, k1)
	// K2: weighted sum of all eleven digits ≡ 0 (mod 11).
	k2 := (11 - sum(d, []int{5, 4, 3, 2, 7, 6, 5, 4, 3, 2})%11) % 11
	d = append(d, k2)
	if k1 == 10 || k2 == 10 {
		t.Skip("no check digit for this individual number")
	}
	for _, v := range d {
		c.value += string(rune('0' + v))
	}
	return c
}

// drawIndividual draws an individual number that the century rule maps to year.
func drawIndividual(t *rapid.T, year int) int {
	switch {
	case year < 1900:
		return rapid.IntRange(500, 749).Draw(t, "individual")
	case year >= 2000:
		return rapid.IntRange(500, 999).Draw(t, "individual")
	case year >= 1940 && rapid.Bool().Draw(t, "reserve900"):
		return rapid.IntRange(900, 999).Draw(t, "individual")
	}
	return rapid.IntRange(0, 499).Draw(t, "individual")
}

// sum returns the weighted digit sum.
func sum(digits, weights []int) int {
	s := 0
	for i, w := range weights {
		s += digits[i] * w
	}
	return s
}

func TestParseIDNumberAcceptsGenerated(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := drawIDNumber(t)
		got, err := samordna.ParseIDNumber(c.value, true)
		if err != nil {
			t.Fatalf("ParseIDNumber(%s, true): %v", c.value, err)
		}
		want := samordna.IDNumber{Value: c.value, Kind: c.kind, BirthDate: c.birth, Synthetic: c.synthetic}
		if got != want {
			t.Fatalf("got %+v, want %+v", got, want)
		}
		_, err = samordna.ParseIDNumber(c.value, false)
		if c.synthetic && !errors.Is(err, samordna.ErrIDSynthetic) {
			t.Fatalf("synthetic %s without allowSynthetic: error %v, want ErrIDSynthetic", c.value, err)
		}
		if !c.synthetic && err != nil {
			t.Fatalf("real %s without allowSynthetic: %v", c.value, err)
		}
	})
}

// TestParseIDNumberRejectsSingleDigitChange changes one digit of a valid
// number. It can never become another valid number, so the test demands a
// checksum error every time: K2 requires the weighted sum of all eleven
// digits (weights 5,4,3,2,7,6,5,4,3,2,1, none divisible by 11) to be 0 mod 11,
// and changing one digit by δ (1 ≤ |δ| ≤ 9) changes that sum by weight·δ,
// which 11 (a prime) cannot divide. The 2032 rule only relaxes K1, so this
// holds for it too.
func TestParseIDNumberRejectsSingleDigitChange(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := drawIDNumber(t)
		pos := rapid.IntRange(0, 10).Draw(t, "pos")
		delta := rapid.IntRange(1, 9).Draw(t, "delta")
		b := []byte(c.value)
		b[pos] = '0' + (b[pos]-'0'+byte(delta))%10
		changed := string(b)
		if _, err := samordna.ParseIDNumber(changed, true); !errors.Is(err, samordna.ErrIDChecksum) {
			t.Fatalf("%s changed to %s: error %v, want ErrIDChecksum", c.value, changed, err)
		}
	})
}

func TestSyntheticIDNumber(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		year := rapid.IntRange(1854, 2039).Draw(t, "year")
		birth := date(year, 1, 1).AddDate(0, 0, rapid.IntRange(0, 365).Draw(t, "dayOfYear"))
		if birth.Year() != year {
			birth = date(year, 12, 31)
		}
		seq := rapid.IntRange(-1000, 1000).Draw(t, "seq")
		for kind, build := range map[samordna.IDKind]func(time.Time, int) string{
			samordna.IDKindFNR: samordna.SyntheticIDNumber,
			samordna.IDKindDNR: samordna.SyntheticDNumber,
		} {
			s := build(birth, seq)
			if again := build(birth, seq); again != s {
				t.Fatalf("not deterministic: %s then %s", s, again)
			}
			got, err := samordna.ParseIDNumber(s, true)
			if err != nil {
				t.Fatalf("%s for %s seq %d: %v", s, birth.Format(time.DateOnly), seq, err)
			}
			want := samordna.IDNumber{Value: s, Kind: kind, BirthDate: birth, Synthetic: true}
			if got != want {
				t.Fatalf("got %+v, want %+v", got, want)
			}
			if _, err := samordna.ParseIDNumber(s, false); !errors.Is(err, samordna.ErrIDSynthetic) {
				t.Fatalf("%s without allowSynthetic: error %v, want ErrIDSynthetic", s, err)
			}
		}
	})
}

// TestSyntheticIDNumberDistinct checks the documented promise that seq
// 0–199 gives distinct numbers for one date, on the date with the fewest
// valid individual numbers (9 January 1854, found by enumeration) and others.
func TestSyntheticIDNumberDistinct(t *testing.T) {
	for _, birth := range []time.Time{date(1854, 1, 9), date(1965, 7, 15), date(2000, 2, 29), date(2039, 12, 31)} {
		for _, build := range []func(time.Time, int) string{samordna.SyntheticIDNumber, samordna.SyntheticDNumber} {
			seen := map[string]int{}
			for seq := range 200 {
				s := build(birth, seq)
				if prev, dup := seen[s]; dup {
					t.Fatalf("%s: seq %d and %d both give %s", birth.Format(time.DateOnly), prev, seq, s)
				}
				seen[s] = seq
			}
		}
	}
}

func TestSyntheticIDNumberPanicsOutsideRange(t *testing.T) {
	for _, birth := range []time.Time{date(1853, 12, 31), date(2040, 1, 1)} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("no panic for %s", birth.Format(time.DateOnly))
				}
			}()
			samordna.SyntheticIDNumber(birth, 0)
		}()
	}
}

func TestFindIDNumbers(t *testing.T) {
	fnr, dnr, hnr := samordna.IDKindFNR, samordna.IDKindDNR, samordna.IDKindHNR
	tests := []struct {
		name string
		text string
		want []samordna.IDMatch
	}{
		{"in a sentence", "Barnet har fnr 15076500565 og bor hos mor.", []samordna.IDMatch{{15, 26, fnr}}},
		{"whole text", "15076500565", []samordna.IDMatch{{0, 11, fnr}}},
		{"space form", "Fnr: 150765 00565.", []samordna.IDMatch{{5, 17, fnr}}},
		{"hyphen form", "fnr 150765-00565", []samordna.IDMatch{{4, 16, fnr}}},
		{"D-nummer", "D-nr. 55076500397, se vedtak.", []samordna.IDMatch{{6, 17, dnr}}},
		{"synthetic still identifying", "test 15876500520", []samordna.IDMatch{{5, 16, fnr}}},
		{"2032 rule", "(15076500573)", []samordna.IDMatch{{1, 12, fnr}}},
		{"letters around", "fnr15076500565x", []samordna.IDMatch{{3, 14, fnr}}},
		{"byte offsets after æøå", "Søsken på Ås: 15076500565", []samordna.IDMatch{{17, 28, fnr}}},
		{"two numbers", "15076500565 og 150765-00565", []samordna.IDMatch{{0, 11, fnr}, {15, 27, fnr}}},
		{"after a 6-digit run", "123456 150765 00565", []samordna.IDMatch{{7, 19, fnr}}},
		// The spellings of issue 14.6.
		{"dotted date", "fnr 15.07.65 00565", []samordna.IDMatch{{4, 18, fnr}}},
		{"slash", "150765/00565", []samordna.IDMatch{{0, 12, fnr}}},
		{"two spaces", "150765  00565", []samordna.IDMatch{{0, 13, fnr}}},
		{"non-breaking space", "150765\u00a000565", []samordna.IDMatch{{0, 13, fnr}}},
		{"zero-width space", "150765\u200b00565", []samordna.IDMatch{{0, 14, fnr}}},
		{"line break", "fnr 150765\n00565", []samordna.IDMatch{{4, 16, fnr}}},
		{"CRLF", "150765\r\n00565", []samordna.IDMatch{{0, 13, fnr}}},
		{"full-width digits", "fnr １５０７６５００５６５.", []samordna.IDMatch{{4, 37, fnr}}},
		{"digits spaced", "1 5 0 7 6 5 0 0 5 6 5", []samordna.IDMatch{{0, 21, fnr}}},
		{"split 7+4", "1507650-0565", []samordna.IDMatch{{0, 12, fnr}}},
		{"digit before", "915076500565", []samordna.IDMatch{{1, 12, fnr}}},
		{"digit after", "150765005651", []samordna.IDMatch{{0, 11, fnr}}},
		{"inside a long run", "Kontonr 9915076500565123", []samordna.IDMatch{{10, 21, fnr}}},
		{"H-nummer", "15476500548", []samordna.IDMatch{{0, 11, hnr}}},
		{"H-nummer in parts", "H-nr 15.47.65 00548", []samordna.IDMatch{{5, 19, hnr}}},

		{"empty", "", nil},
		{"invalid checksum", "Fnr 15076500566 er feil.", nil},
		{"invalid date", "31026500349", nil},
		{"part cut before", "1150765 00565", nil},
		{"part cut after", "150765 005651", nil},
		{"four separators", "150765 -- 00565", nil},
		{"word between", "150765 og 00565", nil},
		{"comma between", "150765,00565", nil},
		{"phone numbers", "Ring 12345678 eller +47 912 34 567, tlf. 22 33 44 55.", nil},
		{"phone list", "22 33 44 55 / 91 23 45 67 / 48 12 34 56", nil},
		{"date and case number", "Møte 15.07.2025, sak 2025/00565.", nil},
		{"date and time", "Møte 14.04.2025 13.00–14.30 i rådhuset", nil},
		{"amounts", "Tilskudd kr 1 250 000 og 2 500 000, egenandel 12 500,50.", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := samordna.FindIDNumbers(tt.text)
			if !slices.Equal(got, tt.want) {
				t.Fatalf("FindIDNumbers(%q) = %v, want %v", tt.text, got, tt.want)
			}
			if ref := referenceFindIDNumbers(tt.text); !slices.Equal(got, ref) {
				t.Fatalf("FindIDNumbers(%q) = %v, reference finds %v", tt.text, got, ref)
			}
		})
	}
}

// referenceFindIDNumbers is a second, independently written FindIDNumbers:
// it lists the runs of digits with a regexp, joins neighbouring runs whose
// gap is only separators (at most three visible ones), and checks every 11
// digits that lie inside one run or consist of whole runs.
func referenceFindIDNumbers(text string) []samordna.IDMatch {
	var out []samordna.IDMatch
	runs := digitRuns.FindAllStringIndex(text, -1)
	for first := 0; first < len(runs); {
		last := first
		for last+1 < len(runs) && joinable(text[runs[last][1]:runs[last+1][0]]) {
			last++
		}
		out = append(out, referenceGroupMatches(text, runs[first:last+1])...)
		first = last + 1
	}
	return out
}

// digitRuns finds maximal runs of decimal digits of any script.
var digitRuns = regexp.MustCompile(`\p{Nd}+`)

// joinable reports whether gap may stand between two parts of a number.
func joinable(gap string) bool {
	visible := 0
	for _, r := range gap {
		switch {
		case unicode.In(r, unicode.Cf):
		case unicode.In(r, unicode.White_Space, unicode.Pd) || strings.ContainsRune("./\u2212．／", r):
			visible++
		default:
			return false
		}
	}
	return visible <= 3
}

// refDigit is a digit's value and byte span in the reference.
type refDigit struct{ value, start, end int }

// referenceGroupMatches checks the windows of one group of runs.
func referenceGroupMatches(text string, runs [][]int) []samordna.IDMatch {
	var digits []refDigit
	runOf := map[int]int{}     // digit index → run index
	boundary := map[int]bool{} // digit indices where a run starts (and the end)
	for k, r := range runs {
		boundary[len(digits)] = true
		for i, c := range text[r[0]:r[1]] {
			runOf[len(digits)] = k
			digits = append(digits, refDigit{refDigitValue(c), r[0] + i, r[0] + i + len(string(c))})
		}
	}
	boundary[len(digits)] = true
	var out []samordna.IDMatch
	for i := 0; i+11 <= len(digits); i++ {
		if runOf[i] != runOf[i+10] && !(boundary[i] && boundary[i+11]) {
			continue
		}
		var b strings.Builder
		for _, d := range digits[i : i+11] {
			b.WriteByte(byte('0' + d.value))
		}
		if kind, ok := referenceKind(b.String()); ok {
			out = append(out, samordna.IDMatch{Start: digits[i].start, End: digits[i+10].end, Kind: kind})
		}
	}
	return out
}

// refDigitValue finds the zero of c's script by walking down the digits
// before it; scripts whose digit sets follow each other directly (the
// mathematical digits) are told apart by taking the distance modulo 10.
func refDigitValue(c rune) int {
	zero := c
	for unicode.IsDigit(zero - 1) {
		zero--
	}
	return int(c-zero) % 10
}

// referenceKind says whether 11 ASCII digits are a fødselsnummer, D-nummer
// or H-number (month + 40, which ParseIDNumber refuses as a wrong date).
func referenceKind(s string) (samordna.IDKind, bool) {
	n, err := samordna.ParseIDNumber(s, true)
	if err == nil {
		return n.Kind, true
	}
	if !errors.Is(err, samordna.ErrIDDate) {
		return "", false
	}
	day, _ := strconv.Atoi(s[0:2])
	month, _ := strconv.Atoi(s[2:4])
	yy, _ := strconv.Atoi(s[4:6])
	year := 1900 + yy
	if yy == 0 {
		year = 2000
	}
	month -= 40
	if month < 1 || month > 12 || time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC).Day() != day {
		return "", false
	}
	return samordna.IDKindHNR, true
}

// benchmarkText is about 2 KB of realistic case notes with one number among
// dates, phone, case and account numbers.
const benchmarkText = `Bekymringsmelding mottatt 12.03.2025 fra helsesykepleier ved Solbakken skole.
Eleven (10. trinn) har hatt høyt fravær siden januar, 34 timer udokumentert, og virker
sliten og innesluttet i timene. Kontaktlærer opplyser at foreldrene er vanskelige å nå på
telefon 912 34 567 og at de ikke har møtt til utviklingssamtale i høst. Helsesykepleier har
hatt tre samtaler med eleven (14.01., 28.01. og 11.02.2025). Eleven forteller om mye
konflikt hjemme og lite søvn, og sier at mor har vært syk en lang periode.

Barnets fødselsnummer er 15076500565. Mor er registrert med adresse Storgata 12, 0155 Oslo.
Saken er registrert med saksnummer 2025/01234 og arkivreferanse 2025-000417-3. Tidligere
kontakt med barneverntjenesten: ingen registrert. Fastlege er orientert etter samtykke fra
mor, gitt muntlig 11.02.2025 og bekreftet skriftlig dagen etter.

Vurdering: Koordinerende enhet vurderer at barnet har behov for langvarige og koordinerte
tjenester. Saken drøftes i tverrfaglig team 14.04.2025 kl. 13.00, med PPT, skolehelsetjenesten,
NAV-veileder og barneverntjenesten til stede. Koordinator vurderer om individuell plan er
aktuelt; samtykke til deling av opplysninger innhentes før neste møte. Frist for
tilbakemelding til skolen er satt til 30.04.2025.

Tiltak så langt: ukentlige samtaler med helsesykepleier, tilrettelagt timeplan i to uker,
kontakt med fritidsklubb. Foreldrene får tilbud om veiledning fra familiesenteret, telefon
22 33 44 55, og om dekning av utgifter til aktivitet (konto 1234.56.78901 hos kommunen).
Neste evaluering gjøres etter møtet i ansvarsgruppen, senest 15.05.2025.

Referat fra telefonsamtale med mor 03.03.2025: Mor ønsker hjelp, men er bekymret for hva
det betyr å ha en sak hos kommunen. Hun ble informert om retten til innsyn, om at
opplysninger bare deles med hennes samtykke, og om at hun kan trekke samtykket når som
helst. Hun ønsker at også mormor (tlf. 48 12 34 56) kan delta i ansvarsgruppen.
`

func BenchmarkFindIDNumbers(b *testing.B) {
	if n := len(samordna.FindIDNumbers(benchmarkText)); n != 1 {
		b.Fatalf("benchmark text has %d numbers, want 1", n)
	}
	b.SetBytes(int64(len(benchmarkText)))
	for b.Loop() {
		samordna.FindIDNumbers(benchmarkText)
	}
}

func BenchmarkParseIDNumber(b *testing.B) {
	for b.Loop() {
		if _, err := samordna.ParseIDNumber("15076500565", false); err != nil {
			b.Fatal(err)
		}
	}
}
