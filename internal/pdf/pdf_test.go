package pdf_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/samordna/samordna/internal/pdf"
)

// sample builds a document with every kind of content, long enough to take
// two pages.
func sample(t *testing.T) []byte {
	t.Helper()
	doc := pdf.New(pdf.Options{Title: "Melding til barnevernet", Subject: "Bekymringsmelding", Author: "Ola Brekke",
		Footer: "Samordna – Demo kommune", Created: time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)})
	doc.Fields(pdf.Field{Label: "Avsender", Value: "Ola Brekke, kontaktlærer, Nordby skole"},
		pdf.Field{Label: "Gjelder", Value: "Sønnen til Åse Ærlig, født på Øya"})
	doc.Heading("Bekymringen")
	doc.Paragraph(strings.Repeat("Gutten kommer ofte sulten på skolen og sier at det er bråk hjemme. ", 90))
	doc.Table([]string{"Nr", "Handling", "Frist"}, [][]string{
		{"1", "Kontakt med ressursgruppa for råd/rettleiing", "Innan 1 veke"},
		{"2", "Skrifteleg melding til barnevernet", "Umiddelbart"},
	})
	doc.Note("Meldeplikt etter barnevernsloven § 13-2.")
	doc.Signature("Underskrift", "Ola Brekke")
	b, err := doc.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestPDFIsValidAndTextExtractable(t *testing.T) {
	b := sample(t)
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", b[:min(len(b), 16)])
	}
	f := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(f, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("qpdf", "--check", f).CombinedOutput(); err != nil {
		t.Fatalf("qpdf --check: %v\n%s", err, out)
	}
	info, err := exec.Command("pdfinfo", f).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo: %v\n%s", err, info)
	}
	if !regexp.MustCompile(`Pages:\s+2\n`).Match(info) || !strings.Contains(string(info), "Melding til barnevernet") {
		t.Errorf("pdfinfo: want 2 pages and the title:\n%s", info)
	}
	text, err := exec.Command("pdftotext", "-enc", "UTF-8", f, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	for _, want := range []string{"Melding til barnevernet", "Sønnen til Åse Ærlig, født på Øya", "råd/rettleiing",
		"Innan 1 veke", "§ 13-2", "Underskrift", "Samordna – Demo kommune", "2/2"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("extracted text lacks %q:\n%s", want, text)
		}
	}
}

// The same content and creation date give the same bytes, so a stored copy
// can be compared with a fresh one.
func TestPDFIsDeterministic(t *testing.T) {
	if a, b := sample(t), sample(t); !bytes.Equal(a, b) {
		t.Error("two renderings of the same document differ")
	}
}
