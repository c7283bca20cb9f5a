package samordna

import (
	"errors"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// TextKind says what a text field holds, and so how long it may be and
// whether it may hold a fødselsnummer. Every text field the API and the
// pages accept has one, so that the limits are the same everywhere and
// documented (the OpenAPI document's maxLength comes from them).
type TextKind string

// The kinds of text field.
const (
	// TextID is an identifier, a username or a key of a routine: one of
	// ours, never a fødselsnummer or D-nummer (ids end up in the audit
	// trail, which must not hold identifying numbers).
	TextID TextKind = "id"
	// TextCode is a value from a fixed list, a date, a time or a
	// fødselsnummer field.
	TextCode TextKind = "code"
	// TextName is a person's name, a relation, a place or a title.
	TextName TextKind = "name"
	// TextShort is a reason, a note, an agenda item or one goal.
	TextShort TextKind = "short"
	// TextLong is free text: a description, what matters, minutes.
	TextLong TextKind = "long"
	// TextDocument is a whole document sent as text (a routine's YAML).
	TextDocument TextKind = "document"
)

// textMax is each kind's maximum length in characters (Unicode code points,
// as JSON Schema's maxLength counts).
var textMax = map[TextKind]int{
	TextID:       64,
	TextCode:     64,
	TextName:     200,
	TextShort:    2000,
	TextLong:     10000,
	TextDocument: 256 << 10,
}

// MaxChars is the kind's maximum length in characters; 0 for an unknown kind.
func (k TextKind) MaxChars() int { return textMax[k] }

// ParseTextSpec reads a field's text specification, "kind" or
// "kind,max" (a lower maximum than the kind's own, where a rule of the
// domain is stricter). ok is false when spec names no known kind or the
// maximum is not a number from 1 to the kind's own.
func ParseTextSpec(spec string) (kind TextKind, max int, ok bool) {
	name, limit, hasLimit := strings.Cut(spec, ",")
	kind = TextKind(name)
	max = kind.MaxChars()
	if max == 0 {
		return "", 0, false
	}
	if hasLimit {
		n, err := strconv.Atoi(limit)
		if err != nil || n < 1 || n > max {
			return "", 0, false
		}
		max = n
	}
	return kind, max, true
}

// TextError is a text field refused by CheckText. It unwraps to a
// *samordna.Error (400), and names the field so that a form can show the
// message next to it.
type TextError struct {
	Field string // the field as the caller named it, e.g. "subject.name"
	Max   int    // the field's maximum, for text_too_long
	err   *Error
}

func (e *TextError) Error() string { return e.err.Error() }

// Unwrap gives the *samordna.Error, so the error maps to 400.
func (e *TextError) Unwrap() error { return e.err }

// The codes of TextError, all 400.
const (
	CodeInvalidUTF8         = "invalid_utf8"           // not valid UTF-8
	CodeControlCharacter    = "control_character"      // a control character other than tab and line breaks
	CodeTextTooLong         = "text_too_long"          // longer than the field's maximum
	CodeIdentifyingDataInID = "identifying_data_in_id" // a fødselsnummer or D-nummer in an id field
)

// CheckText refuses a value of a text field that no field may hold:
// invalid UTF-8 (PostgreSQL refuses it), a control character other than
// tab, line feed and carriage return (NUL breaks PostgreSQL, the others
// break display and export), more than max characters (max <= 0 means the
// kind's own), and in an id field a fødselsnummer or D-nummer. field names
// the field in the message; the value is never echoed.
func CheckText(field string, kind TextKind, max int, s string) error {
	if max <= 0 {
		max = kind.MaxChars()
	}
	fail := func(code, format string, args ...any) error {
		return &TextError{Field: field, Max: max, err: Errorf(KindInvalid, code, format, args...)}
	}
	if !utf8.ValidString(s) {
		return fail(CodeInvalidUTF8, "%s is not valid UTF-8", field)
	}
	n := 0
	for _, r := range s {
		if unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r' {
			return fail(CodeControlCharacter, "%s contains a control character (only tabs and line breaks are allowed)", field)
		}
		n++
	}
	if n > max {
		return fail(CodeTextTooLong, "%s is longer than %d characters", field, max)
	}
	if kind == TextID && len(FindIDNumbers(s)) > 0 {
		return fail(CodeIdentifyingDataInID, "%s is an id, and an id is never a fødselsnummer or D-nummer", field)
	}
	return nil
}

// TextField returns the field a TextError in err's chain names, "" when
// err is no TextError.
func TextField(err error) string {
	var te *TextError
	if errors.As(err, &te) {
		return te.Field
	}
	return ""
}

// MaskIDNumbers replaces the digits of every fødselsnummer or D-nummer in s
// with x's, so that an error message that quotes a value cannot put one in
// a log.
func MaskIDNumbers(s string) string {
	matches := FindIDNumbers(s)
	if len(matches) == 0 {
		return s
	}
	b := []byte(s)
	for _, m := range matches {
		for i := m.Start; i < m.End; i++ {
			if isDigit(b[i]) {
				b[i] = 'x'
			}
		}
	}
	return string(b)
}
