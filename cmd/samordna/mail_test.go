package main

import (
	"flag"
	"io"
	"path/filepath"
	"testing"
)

// Mail flags fall back to SAMORDNA_* variables; a folder makes a folder
// sender, a bad SMTP URL is refused, and the demo's folder lies beside its
// database.
func TestMailFlags(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "mail")
	env := map[string]string{"SAMORDNA_MAIL_DIR": dir, "SAMORDNA_MAIL_FROM": "samordna@demo.kommune.no"}
	m := &Main{Stdout: io.Discard, Stderr: io.Discard, Getenv: func(k string) string { return env[k] }}
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	f := m.addMailFlags(fs)
	if err := fs.Parse(nil); err != nil {
		t.Fatal(err)
	}
	s, err := f.sender()
	if err != nil || s == nil || s.Where() != dir {
		t.Fatalf("sender %v, %v; want the folder %s", s, err, dir)
	}
	fs = flag.NewFlagSet("t", flag.ContinueOnError)
	f = m.addMailFlags(fs)
	if err := fs.Parse([]string{"--smtp-url", "http://mail.example"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.sender(); err == nil {
		t.Error("an http:// SMTP URL was accepted")
	}
	if got := demoMailDir("/srv/demo/samordna.db"); got != "/srv/demo/samordna-demo-mail" {
		t.Errorf("demo mail folder %s", got)
	}
}
