package samordna_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/samordna/samordna"
)

// CheckText refuses what no text field may hold and names the field; tabs,
// line breaks and Norwegian letters pass; an id never holds a fødselsnummer
// while a name field may hold digits.
func TestCheckText(t *testing.T) {
	for _, c := range []struct {
		kind  samordna.TextKind
		max   int
		value string
		code  string // "" = accepted
	}{
		{samordna.TextName, 0, "Åse Ødegård-Bø", ""},
		{samordna.TextLong, 0, "Linje 1\r\n\tLinje 2", ""},
		{samordna.TextName, 0, "Ola\x00", samordna.CodeControlCharacter},
		{samordna.TextName, 0, "\x7f", samordna.CodeControlCharacter},
		{samordna.TextName, 0, "a\u009bb", samordna.CodeControlCharacter},
		{samordna.TextName, 0, "a\xffb", samordna.CodeInvalidUTF8},
		{samordna.TextName, 0, strings.Repeat("ø", 200), ""},
		{samordna.TextName, 0, strings.Repeat("ø", 201), samordna.CodeTextTooLong},
		{samordna.TextLong, 5000, strings.Repeat("a", 5001), samordna.CodeTextTooLong},
		{samordna.TextID, 0, "12091750129", samordna.CodeIdentifyingDataInID},
		{samordna.TextID, 0, "sak-120917-50129", samordna.CodeIdentifyingDataInID},
		{samordna.TextID, 0, "kari.ke", ""},
		{samordna.TextID, 0, "12345678901", ""}, // not a valid number: an id may look like this
		{samordna.TextShort, 0, "født 12091750129", ""},
	} {
		err := samordna.CheckText("subject.name", c.kind, c.max, c.value)
		if got := samordna.ErrorCode(err); (c.code == "" && err != nil) || (c.code != "" && got != c.code) {
			t.Errorf("%s %q: %v, want %q", c.kind, c.value, err, c.code)
			continue
		}
		if err == nil {
			continue
		}
		var te *samordna.TextError
		if !errors.As(err, &te) || samordna.TextField(err) != "subject.name" || samordna.HTTPStatus(err) != 400 ||
			!strings.Contains(err.Error(), "subject.name") || strings.Contains(err.Error(), c.value) {
			t.Errorf("%q: the error %v does not name the field, is not 400 or echoes the value", c.value, err)
		}
	}
	for spec, ok := range map[string]bool{"name": true, "long,5000": true, "long,20000": false, "nope": false, "id,0": false} {
		if _, _, got := samordna.ParseTextSpec(spec); got != ok {
			t.Errorf("ParseTextSpec(%q) ok = %v", spec, got)
		}
	}
}
