package web_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/internal/matrixtest"
	"github.com/samordna/samordna/store"
)

// spineCase makes a case the test employee coordinates, and a second
// employee to bar; it returns the case id.
func spineCase(t *testing.T, e *env) string {
	t.Helper()
	var id string
	err := e.db.Write(context.Background(), func(tx *store.Tx) error {
		other := &samordna.Employee{ID: samordna.NewID(), MunicipalityID: e.emp.MunicipalityID, Username: "ola.laerer",
			Name: "Ola Brekke", Roles: []samordna.Role{samordna.RoleEmployee}}
		if err := store.CreateEmployee(tx, other, "", e.clock.Now()); err != nil {
			return err
		}
		var err error
		if id, err = matrixtest.NewCase(tx, e.emp.MunicipalityID, other.ID, "", e.clock.Now()); err != nil {
			return err
		}
		return matrixtest.AddCoordinator(tx, id, e.emp.ID, e.emp.ID, e.clock.Now(), false)
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// upload posts a file as the consent form upload does.
func (e *env) upload(path string, data []byte, c *http.Cookie) *response {
	e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	part, _ := mw.CreateFormFile("form", "skjema.pdf")
	part.Write(data)
	mw.Close()
	return e.do(req{method: http.MethodPost, path: path, body: buf.String(), cookies: []*http.Cookie{c},
		header: map[string]string{"Content-Type": mw.FormDataContentType(), "Sec-Fetch-Site": "same-origin", "Origin": e.srv.URL}})
}

// The case page's forms work without JavaScript: each post answers with a
// redirect back to the case, or the page again with the error and its
// status; a refused or unknown object gives the 404 page.
func TestCasePageForms(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		c := e.login()
		id := spineCase(t, e)
		base := "/cases/" + id

		r := e.post(base+"/blocks", url.Values{"username": {"ola.laerer"}, "reason": {"Personens ønske"}}, c)
		if r.status != http.StatusSeeOther || !strings.HasPrefix(r.location(), base+"?done=blocked") {
			t.Fatalf("block: %d %q", r.status, r.location())
		}
		page := e.get(base+"?done=blocked", c)
		if page.status != http.StatusOK || !strings.Contains(page.body, "Den ansatte er sperret fra saken.") ||
			!strings.Contains(page.body, "1 sperringer") {
			t.Errorf("case page after blocking: %d", page.status)
		}
		if page := e.get(base+"/blocks", c); page.status != http.StatusOK || !strings.Contains(page.body, "Opphev sperringen") {
			t.Errorf("the blocks page after blocking: %d", page.status)
		}
		r = e.post(base+"/blocks", url.Values{"username": {"ola.laerer"}}, c)
		if r.status != http.StatusConflict || !strings.Contains(r.body, "Den ansatte er allerede sperret.") ||
			!strings.Contains(r.body, `value="ola.laerer"`) {
			t.Errorf("second block: %d, want 409 with the message and the field refilled", r.status)
		}

		pdf := []byte("%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n")
		if r := e.upload(base+"/consent-forms", pdf, c); r.status != http.StatusSeeOther {
			t.Errorf("upload a PDF: %d", r.status)
		}
		if r := e.upload(base+"/consent-forms", []byte("<html>not a form</html>"), c); r.status != http.StatusUnsupportedMediaType ||
			!strings.Contains(r.body, "Filen må være en PDF, PNG eller JPEG.") {
			t.Errorf("upload HTML: %d", r.status)
		}
		if n := e.count("consent_forms"); n != 1 {
			t.Errorf("%d forms stored, want 1", n)
		}

		r = e.post(base+"/consents", url.Values{"given_by": {"Kristin Hansen"}, "purposes": {"share_with_members", "individual_plan"}}, c)
		if r.status != http.StatusSeeOther {
			t.Fatalf("record consent: %d", r.status)
		}
		var consentID string
		err := db.Read(context.Background(), func(tx *store.Tx) error {
			return tx.QueryRow(`SELECT id FROM consents WHERE case_id = $1`, id).Scan(&consentID)
		})
		if err != nil {
			t.Fatal(err)
		}
		if r := e.post("/consents/"+consentID+"/withdraw", url.Values{}, c); r.status != http.StatusSeeOther ||
			!strings.HasPrefix(r.location(), base+"?done=consent_withdrawn") {
			t.Errorf("withdraw: %d %q", r.status, r.location())
		}
		if r := e.post("/consents/"+consentID+"/withdraw", url.Values{}, c); r.status != http.StatusConflict {
			t.Errorf("withdraw again: %d", r.status)
		}

		unknown := "/cases/" + samordna.NewID()
		for _, p := range []string{unknown + "/blocks", unknown + "/consents", unknown + "/links", "/consents/" + samordna.NewID() + "/withdraw"} {
			if r := e.post(p, url.Values{"username": {"ola.laerer"}, "given_by": {"X"}, "purposes": {"individual_plan"},
				"case_id": {id}}, c); r.status != http.StatusNotFound {
				t.Errorf("POST %s: %d, want 404", p, r.status)
			}
		}
		if r := e.get("/emergency-access", c); r.status != http.StatusNotFound {
			t.Errorf("the emergency form without the role: %d", r.status)
		}
		if r := e.get("/emergency-access/reviews", c); r.status != http.StatusNotFound {
			t.Errorf("the review list for a non-leader: %d", r.status)
		}
		if r := e.get(base+"/access-log", c); r.status != http.StatusOK || !strings.Contains(r.body, "Sperret en ansatt") {
			t.Errorf("access log: %d", r.status)
		}
	})
}
