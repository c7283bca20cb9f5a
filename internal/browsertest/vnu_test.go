package browsertest

import (
	"fmt"
	"strings"
	"testing"
)

// errorsTB records Errorf instead of failing the real test.
type errorsTB struct {
	testing.TB
	errors []string
}

func (e *errorsTB) Helper() {}
func (e *errorsTB) Errorf(format string, args ...any) {
	e.errors = append(e.errors, fmt.Sprintf(format, args...))
}

// The Nu Html Checker passes a valid page and names the page and the
// problem of an invalid one, so a page that breaks HTML fails its test.
func TestVNUFindsInvalidHTML(t *testing.T) {
	p := &HTMLPages{dir: t.TempDir()}
	p.AddHTML(t, "good page", `<!DOCTYPE html><html lang="nb"><head><title>God</title></head><body><main><h1>Hei</h1></main></body></html>`)
	p.AddHTML(t, "bad page", `<!DOCTYPE html><html lang="nb"><head><title>Dårlig</title></head><body><p>Hei<div><span></body></html>`)
	rec := &errorsTB{TB: t}
	p.Check(rec)
	if len(rec.errors) == 0 {
		t.Fatal("vnu found nothing wrong with an unclosed div")
	}
	for _, e := range rec.errors {
		if !strings.Contains(e, "02-bad-page.html") {
			t.Errorf("an error not about the bad page: %s", e)
		}
	}
}

// Without the checker the test fails with a clear message; it never skips.
func TestMissingVNUFails(t *testing.T) {
	t.Setenv(EnvVNU, "")
	p := &HTMLPages{dir: t.TempDir()}
	p.AddHTML(t, "page", "<!DOCTYPE html>")
	msg := runFatal(func(tb testing.TB) { p.Check(tb) })
	if !strings.Contains(msg, EnvVNU) {
		t.Errorf("message %q does not name %s", msg, EnvVNU)
	}
}
