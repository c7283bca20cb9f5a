package web_test

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// Seed 001 (Sola), individual level, structure: "Utarbeide en felles mal
// for oppstartsamtaler og foreldresamtaler i barnehagene, som inkluderer
// psykisk helse og rus" (row 1.44). A kindergarten employee opens the
// template from the methods catalogue (the catalogue entry links to it),
// reads its topics in bokmål, nynorsk and English, and downloads it as a
// PDF with a Norwegian file name that qpdf accepts and whose text covers
// mental health and substance use.
func TestSeed001KindergartenConversationTemplate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		kg, err := e.app.CreateService(ctx, nil, app.NewService{Name: "Solsikken barnehage", Kind: samordna.ServiceKindergarten})
		if err != nil {
			t.Fatal(err)
		}
		teacher := e.otherUser("lise", samordna.RoleEmployee)
		err = db.Write(ctx, func(tx *store.Tx) error {
			emp, _, err := store.EmployeeByUsername(tx, "lise")
			if err != nil {
				return err
			}
			m, err := store.FirstMunicipality(tx)
			if err != nil {
				return err
			}
			return store.CreateMethod(tx, &store.Method{MunicipalityID: m.ID, Kind: store.MethodScreening,
				Name: "Oppstartssamtale og foreldresamtale i barnehagen", Template: store.MethodTemplateKindergarten,
				AdoptedAt: time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC), AdoptedBy: emp.ID})
		})
		if err != nil {
			t.Fatal(err)
		}
		ids := e.orgIDs()
		if err := e.app.AddServiceMember(ctx, nil, kg.ID, ids["Annen Bruker"]); err != nil {
			t.Fatal(err)
		}

		r := e.get("/methods", teacher)
		if r.status != http.StatusOK ||
			!strings.Contains(r.body, `<a href="/methods/kindergarten-conversation">Oppstartssamtale og foreldresamtale i barnehagen</a>`) {
			t.Fatalf("the catalogue entry does not link the template: %d\n%s", r.status, r.body)
		}
		r = e.get("/methods/kindergarten-conversation", teacher)
		for _, want := range []string{"Mal for oppstartssamtale og foreldresamtale i barnehagen", "Psykisk helse i familien",
			"Alkohol og andre rusmidler", "Hvordan merker barnet det når en voksen i familien ikke har det bra?",
			`href="/methods/kindergarten-conversation.pdf"`} {
			if r.status != http.StatusOK || !strings.Contains(r.body, want) {
				t.Errorf("template page (%d) lacks %q", r.status, want)
			}
		}
		for lang, want := range map[string]string{"nn": "Alkohol og andre rusmiddel", "en": "Mental health in the family"} {
			r := e.get("/methods/kindergarten-conversation", teacher, &http.Cookie{Name: "samordna_lang", Value: lang})
			if !strings.Contains(r.body, want) || len(missingID.FindAllString(r.body, -1)) > 0 {
				t.Errorf("template page in %s lacks %q or shows untranslated ids", lang, want)
			}
		}

		r = e.get("/methods/kindergarten-conversation.pdf", teacher)
		if r.status != http.StatusOK || r.header.Get("Content-Type") != "application/pdf" ||
			!strings.Contains(r.header.Get("Content-Disposition"), `filename="mal-oppstartssamtale-og-foreldresamtale-barnehage.pdf"`) {
			t.Fatalf("PDF: %d %q %q", r.status, r.header.Get("Content-Type"), r.header.Get("Content-Disposition"))
		}
		f := filepath.Join(t.TempDir(), "mal.pdf")
		if err := os.WriteFile(f, []byte(r.body), 0o600); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command("qpdf", "--check", f).CombinedOutput(); err != nil {
			t.Fatalf("qpdf: %v\n%s", err, out)
		}
		out, err := exec.Command("pdftotext", "-enc", "UTF-8", f, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext: %v", err)
		}
		text := strings.Join(strings.Fields(string(out)), " ")
		for _, want := range []string{"Mal for oppstartssamtale og foreldresamtale i barnehagen", "Psykisk helse i familien",
			"Alkohol og andre rusmidler", "Barnets navn", "Foreldre eller foresatte"} {
			if !strings.Contains(text, want) {
				t.Errorf("the PDF lacks %q:\n%s", want, text)
			}
		}
		if r := e.get("/methods/kindergarten-conversation"); r.status == http.StatusOK {
			t.Error("the template opens without signing in")
		}
	})
}
