package app_test

import (
	"regexp"
	"testing"
)

// isoDate finds a date written as 2026-03-02, which a user reads as
// dd.mm.åååå instead.
var isoDate = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}\b`)

// snakeKey finds an internal key such as coordinating_unit.
var snakeKey = regexp.MustCompile(`\b[a-z]+_[a-z_]+\b`)

// wantUsersLanguage checks a PDF's text (issue 13, point 7): no date in
// ISO form and none of the usernames as a word; people are named.
func wantUsersLanguage(t *testing.T, text string, usernames ...string) {
	t.Helper()
	if d := isoDate.FindString(text); d != "" {
		t.Errorf("the PDF writes the date %s in ISO form:\n%s", d, text)
	}
	for _, u := range usernames {
		if regexp.MustCompile(`(^|[^\pL.])` + regexp.QuoteMeta(u) + `($|[^\pL.])`).MatchString(text) {
			t.Errorf("the PDF names someone by the username %q:\n%s", u, text)
		}
	}
	if k := snakeKey.FindString(text); k != "" {
		t.Errorf("the PDF holds the raw key %q:\n%s", k, text)
	}
}
