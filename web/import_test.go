package web_test

import (
	"bytes"
	"html"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// postImport posts the import form as the browser does (multipart), with
// the file as an upload when file is set and the other fields as given.
func (e *env) postImport(cookie *http.Cookie, fields map[string]string, file string) *response {
	e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	if file != "" {
		part, _ := mw.CreateFormFile("file", "import.csv")
		_, _ = part.Write([]byte(file))
	}
	_ = mw.Close()
	return e.do(req{method: http.MethodPost, path: "/admin/import", body: buf.String(),
		header: map[string]string{"Content-Type": mw.FormDataContentType()}, cookies: []*http.Cookie{cookie}})
}

var hiddenDocument = regexp.MustCompile(`name="document" value="([^"]*)"`)

// The administrator uploads a services file with BOM, sees the dry run
// line by line (nothing saved), and imports it with the review page's own
// form; an employees file with a bad line shows the line and its reason and
// imports nothing; anyone else gets the 404 page.
func TestImportPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		admin := e.otherUser("admin", samordna.RoleAdmin)
		if r := e.get("/admin/import", admin); r.status != http.StatusOK || !strings.Contains(r.body, "Prøv (tørrkjøring)") {
			t.Fatalf("import page: %d", r.status)
		}
		services := "\xEF\xBB\xBFekstern_id;navn;type;krets;leder\r\nT1;Nordby skole;skole;;\r\nT2;Helsestasjonen på Ås;helsestasjon;;admin\r\n"
		r := e.postImport(admin, map[string]string{"kind": "services", "step": "dry"}, services)
		if r.status != http.StatusOK || !strings.Contains(r.body, "2 opprettes, 0 endres") ||
			!strings.Contains(r.body, "Helsestasjonen på Ås") || e.count("services") != 0 {
			t.Fatalf("dry run: %d %s", r.status, r.body)
		}
		m := hiddenDocument.FindStringSubmatch(r.body)
		if m == nil {
			t.Fatalf("no apply form: %s", r.body)
		}
		r = e.postImport(admin, map[string]string{"kind": "services", "step": "apply", "document": html.UnescapeString(m[1])}, "")
		if r.status != http.StatusOK || !strings.Contains(r.body, "Importen er lagret.") || e.count("services") != 2 {
			t.Fatalf("apply: %d, %d services: %s", r.status, e.count("services"), r.body)
		}
		if last := e.lastAudit(); last.Action != "apply" || last.Purpose != "services created=2 updated=0 unchanged=0 refused=0" {
			t.Errorf("audit = %+v", last)
		}
		employees := "ekstern_id;navn;brukernavn;epost;tjeneste;roller\nA1;Per Ås;per.aas;;T1;ansatt\nA2;Pål Ås;paal.aas;;Ukjent skole;ansatt\n"
		r = e.postImport(admin, map[string]string{"kind": "employees", "step": "dry"}, employees)
		if r.status != http.StatusOK || !strings.Contains(r.body, `href="#line-3">Linje 3</a>: Tjenesten «Ukjent skole» finnes ikke.`) ||
			strings.Contains(r.body, `name="step" value="apply"`) {
			t.Fatalf("dry run with a bad line: %d %s", r.status, r.body)
		}
		before := e.count("employees")
		r = e.postImport(admin, map[string]string{"kind": "employees", "step": "apply", "document": employees}, "")
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Ingenting er importert") ||
			e.count("employees") != before {
			t.Fatalf("apply with a bad line: %d, %d employees", r.status, e.count("employees"))
		}
		// A refusal about someone registered names them, not their username.
		head := "ekstern_id;navn;brukernavn;epost;tjeneste;roller\n"
		r = e.postImport(admin, map[string]string{"kind": "employees", "step": "apply",
			"document": head + "A1;Per Ås;per.aas;;T1;ansatt\n"}, "")
		if r.status != http.StatusOK {
			t.Fatalf("apply Per Ås: %d %s", r.status, r.body)
		}
		r = e.postImport(admin, map[string]string{"kind": "employees", "step": "dry"},
			head+"A9;Nora Ny;per.aas;;T1;ansatt\nA1;Per Ås;per.ny;;T1;ansatt\n")
		if !strings.Contains(r.body, `Linje 2</a>: Brukernavnet «per.aas» er tatt av Per Ås.`) ||
			!strings.Contains(r.body, `Linje 3</a>: Per Ås har allerede denne eksterne id-en, med et annet brukernavn enn «per.ny».`) {
			t.Errorf("refusals about Per Ås: %d %s", r.status, r.body)
		}
		r = e.postImport(admin, map[string]string{"kind": "employees", "step": "dry"}, "ekstern_id,navn\nA1,Per\n")
		if r.status != http.StatusBadRequest || !strings.Contains(r.body, "semikolon mellom kolonnene") {
			t.Errorf("comma file: %d", r.status)
		}
		unit := e.login()
		if r := e.get("/admin/import", unit); r.status != http.StatusNotFound {
			t.Errorf("unit GET: %d", r.status)
		}
		if r := e.postImport(unit, map[string]string{"kind": "services", "step": "apply"}, services); r.status != http.StatusNotFound {
			t.Errorf("unit POST: %d", r.status)
		}
	})
}
