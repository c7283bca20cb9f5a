package store_test

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// No statement of the store binds its LIMIT: SQLite reads a bound LIMIT
// while planning and marks the statement to be re-prepared whenever it is
// bound again, so the statement cache would save nothing and every run
// would parse and plan the statement anew (over a third of Mine oppgaver's
// time, before the limits were written into the text; docs/PERFORMANCE.md).
func TestNoStatementBindsItsLimit(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	bound := regexp.MustCompile(`(?i)\b(LIMIT|OFFSET)\s+\$[0-9]`)
	checked := 0
	for _, f := range files {
		if filepath.Ext(f) != ".go" || regexp.MustCompile(`_test\.go$`).MatchString(f) {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		for _, m := range bound.FindAllIndex(src, -1) {
			t.Errorf("%s: %q binds its limit; write it into the statement (strconv.Itoa)", f, src[m[0]:m[1]])
		}
	}
	if checked < 20 {
		t.Fatalf("checked only %d files of the store", checked)
	}
}
