package samordna

import (
	"strings"
	"testing"
)

// The list holds the 357 municipalities of 2024, county by county.
func TestKommunerList(t *testing.T) {
	all := Kommuner()
	if len(all) != 357 {
		t.Fatalf("%d municipalities, want 357", len(all))
	}
	perCounty := map[string]int{}
	seen := map[string]bool{}
	for _, k := range all {
		if seen[k.Number] {
			t.Errorf("kommunenummer %s twice", k.Number)
		}
		seen[k.Number] = true
		perCounty[k.Number[:2]]++
	}
	want := map[string]int{"03": 1, "11": 23, "15": 27, "18": 41, "31": 12, "32": 21, "33": 18, "34": 46,
		"39": 6, "40": 17, "42": 25, "46": 43, "50": 38, "55": 21, "56": 18}
	sum := 0
	for county, n := range want {
		sum += n
		if perCounty[county] != n {
			t.Errorf("county %s: %d municipalities, want %d", county, perCounty[county], n)
		}
	}
	if sum != 357 || len(perCounty) != len(want) {
		t.Errorf("counties %v do not add up to the 2024 list", perCounty)
	}
	for number, name := range map[string]string{"0301": "Oslo", "1124": "Sola", "5603": "Hammerfest - Hámmárfeasta",
		"3405": "Lillehammer", "1516": "Ulstein", "5522": "Salangen", "1508": "Ålesund", "1580": "Haram",
		"5612": "Guovdageaidnu - Kautokeino"} {
		if k, ok := KommuneByNumber(number); !ok || k.Name != name {
			t.Errorf("%s: %+v, want %s", number, k, name)
		}
	}
}

func TestCheckKommune(t *testing.T) {
	for _, c := range []struct{ number, name, code string }{
		{"0301", "Oslo", ""},
		{"0301", "OSLO", ""},
		{" 1124 ", "sola", ""},
		{"5612", "Kautokeino", ""},
		{"5612", "Guovdageaidnu", ""},
		{"5612", "guovdageaidnu - kautokeino", ""},
		{"1508", "ålesund", ""},
		{"9999", "Demo kommune", "unknown_kommunenummer"},
		{"0101", "Halden", "unknown_kommunenummer"}, // Halden before 2020
		{"301", "Oslo", "unknown_kommunenummer"},
		{"0301", "Bergen", "kommune_name_mismatch"},
		{"1124", "", "kommune_name_mismatch"},
	} {
		err := CheckKommune(c.number, c.name)
		if ErrorCode(err) != c.code && !(c.code == "" && err == nil) {
			t.Errorf("CheckKommune(%q, %q) = %v, want %q", c.number, c.name, err, c.code)
		}
		if c.code != "" && (err == nil || !strings.Contains(err.Error(), strings.TrimSpace(c.number))) {
			t.Errorf("CheckKommune(%q, %q): the message %v does not name the number", c.number, c.name, err)
		}
	}
}
