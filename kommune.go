package samordna

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"
)

// kommunerCSV is Norway's list of municipalities (SSB Klass 131, valid from
// 2024-01-01); its header comment says where it comes from and how it was
// made.
//
//go:embed kommuner.csv
var kommunerCSV string

// Kommune is one of Norway's municipalities as SSB lists them.
type Kommune struct {
	Number string // the four-digit kommunenummer
	// Name as SSB writes it; a Sami or Kven parallel name is part of it,
	// separated by " - " (e.g. "Guovdageaidnu - Kautokeino").
	Name string
}

// Names returns the kommune's name and each of its parallel names.
func (k Kommune) Names() []string {
	names := []string{k.Name}
	if parts := strings.Split(k.Name, " - "); len(parts) > 1 {
		names = append(names, parts...)
	}
	return names
}

var kommuner = sync.OnceValue(func() []Kommune {
	var out []Kommune
	for i, line := range strings.Split(kommunerCSV, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "kommunenummer;") {
			continue
		}
		number, name, ok := strings.Cut(line, ";")
		if !ok || len(number) != 4 || name == "" {
			panic(fmt.Sprintf("kommuner.csv line %d: %q is not kommunenummer;navn", i+1, line))
		}
		out = append(out, Kommune{Number: number, Name: name})
	}
	return out
})

// Kommuner returns every municipality on the list, in kommunenummer order.
func Kommuner() []Kommune { return append([]Kommune(nil), kommuner()...) }

// KommuneByNumber returns the municipality with the kommunenummer.
func KommuneByNumber(number string) (Kommune, bool) {
	for _, k := range kommuner() {
		if k.Number == number {
			return k, true
		}
	}
	return Kommune{}, false
}

// CheckKommune checks a kommunenummer and a municipality's name against the
// list: the number must be on it and the name must be its name or one of
// its parallel names, in any case. It is how a new installation is tied to
// a real municipality (samordna init); the demo municipality is not on the
// list and does not pass through here.
func CheckKommune(number, name string) error {
	number, name = strings.TrimSpace(number), strings.TrimSpace(name)
	k, ok := KommuneByNumber(number)
	if !ok {
		return Errorf(KindInvalid, "unknown_kommunenummer",
			"%q is not a kommunenummer on the list of Norway's municipalities (SSB, from 2024)", number)
	}
	for _, n := range k.Names() {
		if strings.EqualFold(n, name) {
			return nil
		}
	}
	return Errorf(KindInvalid, "kommune_name_mismatch", "kommunenummer %s is %s, not %q", k.Number, k.Name, name)
}
