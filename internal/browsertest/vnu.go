package browsertest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// EnvVNU names the Nu Html Checker's jar (vnu.jar from the npm package
// vnu-jar); scripts/test.sh installs it into .cache/npm.
const EnvVNU = "SAMORDNA_VNU"

// HTMLPages collects the HTML of pages as the browser has them, so the Nu
// Html Checker can validate them all in one run (starting Java costs a few
// seconds; one run per page would make the tests slow).
type HTMLPages struct {
	dir   string
	files []string
}

// NewHTMLPages returns an empty collection whose files live in a
// temporary folder of the test.
func NewHTMLPages(t testing.TB) *HTMLPages {
	t.Helper()
	return &HTMLPages{dir: t.TempDir()}
}

// Add saves the current page of the browser under label.
func (p *HTMLPages) Add(t testing.TB, ctx context.Context, label string) {
	t.Helper()
	p.AddHTML(t, label, Eval[string](t, ctx, `'<!DOCTYPE html>\n' + document.documentElement.outerHTML`))
}

// AddHTML adds a page's HTML under label.
func (p *HTMLPages) AddHTML(t testing.TB, label, html string) {
	t.Helper()
	name := fmt.Sprintf("%02d-%s.html", len(p.files)+1, safeName(label))
	path := filepath.Join(p.dir, name)
	if err := os.WriteFile(path, []byte(html), 0o600); err != nil {
		t.Fatal(err)
	}
	p.files = append(p.files, path)
}

// safeName turns a label into a file name.
func safeName(label string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '-'
	}, label)
}

// vnuMessage is one message of the checker's JSON output.
type vnuMessage struct {
	Type     string `json:"type"`
	URL      string `json:"url"`
	LastLine int    `json:"lastLine"`
	Message  string `json:"message"`
	Extract  string `json:"extract"`
}

// Check validates every collected page with the Nu Html Checker and fails
// the test for each error, naming the page, the line and the message. A
// missing checker fails the test: a check that cannot run is no check.
func (p *HTMLPages) Check(t testing.TB) {
	t.Helper()
	if len(p.files) == 0 {
		t.Fatal("vnu: no pages collected")
	}
	jar := os.Getenv(EnvVNU)
	if jar == "" {
		t.Fatalf("vnu: %s is not set: point it at vnu.jar (scripts/test.sh installs vnu-jar with npm into .cache/npm)", EnvVNU)
	}
	if _, err := os.Stat(jar); err != nil {
		t.Fatalf("vnu: %s=%s: %v", EnvVNU, jar, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	args := append([]string{"-jar", jar, "--errors-only", "--format", "json", "--exit-zero-always"}, p.files...)
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, "java", args...)
	cmd.Stderr = &stderr
	if _, err := cmd.Output(); err != nil {
		t.Fatalf("vnu: run java: %v: %s", err, stderr.String())
	}
	var out struct {
		Messages []vnuMessage `json:"messages"`
	}
	if err := json.Unmarshal(stderr.Bytes(), &out); err != nil {
		t.Fatalf("vnu: read its JSON: %v: %s", err, stderr.String())
	}
	for _, m := range out.Messages {
		if m.Type == "error" || m.Type == "non-document-error" {
			t.Errorf("vnu: %s line %d: %s (%q)", filepath.Base(m.URL), m.LastLine, m.Message, m.Extract)
		}
	}
}
