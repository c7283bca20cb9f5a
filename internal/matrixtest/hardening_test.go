package matrixtest_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/internal/matrixtest"
	"github.com/samordna/samordna/store"
)

// answer is a response with its body.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// send makes one request as the user (API with the token, pages with the
// session) and reads the answer.
func (w *world) send(username, method, path, ctype string, body []byte) answer {
	w.t.Helper()
	req, err := http.NewRequest(method, w.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		w.t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if strings.HasPrefix(path, "/api/") {
		req.Header.Set("Authorization", "Bearer "+w.tokens[username])
	} else if c := w.cookie(username); c != nil {
		req.AddCookie(c)
	}
	resp, err := w.client.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{status: resp.StatusCode, header: resp.Header, body: b}
}

// sameAnswer fails unless the two answers have the same status, body and
// headers (but the request id and the date, which differ on every answer).
func sameAnswer(t *testing.T, what string, denied, missing answer) {
	t.Helper()
	if denied.status != missing.status || !bytes.Equal(denied.body, missing.body) {
		t.Errorf("%s: denied %d %q, missing %d %q", what, denied.status, denied.body, missing.status, missing.body)
	}
	keys := func(h http.Header) []string {
		var out []string
		for k := range h {
			if k != "X-Request-Id" && k != "Date" {
				out = append(out, k)
			}
		}
		slices.Sort(out)
		return out
	}
	if !slices.Equal(keys(denied.header), keys(missing.header)) {
		t.Errorf("%s: headers differ: %v vs %v", what, keys(denied.header), keys(missing.header))
	}
	for _, k := range keys(denied.header) {
		if !slices.Equal(denied.header.Values(k), missing.header.Values(k)) {
			t.Errorf("%s: header %s: %q vs %q", what, k, denied.header.Values(k), missing.header.Values(k))
		}
	}
}

// A refusal answers byte for byte like an object that does not exist, on
// every route of the spine, for the API and the pages; answers are never
// cached.
func TestDeniedLooksLikeNotFound(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		var caseID, consentID, blockID, formID string
		err := db.Write(context.Background(), func(tx *store.Tx) error {
			fx, err := w.makeFixture(tx, "discoverer", w.emp["ola.laerer"])
			if err != nil {
				return err
			}
			caseID, consentID, blockID, formID = fx.caseID, fx.consentID, fx.blockID, fx.formID
			// Berit may break the glass, but not on a case she is barred from.
			_, err = matrixtest.AddBlock(tx, caseID, w.emp["berit.bvleder"].ID, w.emp["ola.laerer"].ID, fixedNow, false)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		unknown := samordna.NewID()
		type probe struct{ method, path, ctype, body string }
		probes := []probe{
			{"GET", "/api/v1/cases/{case}", "", ""},
			{"GET", "/api/v1/cases/{case}/access-log", "", ""},
			{"GET", "/api/v1/cases/{case}/blocks", "", ""},
			{"POST", "/api/v1/cases/{case}/consents", "application/json", `{"given_by": "X", "purposes": ["individual_plan"]}`},
			{"POST", "/api/v1/cases/{case}/consent-forms", "application/pdf", string(samplePDF)},
			{"GET", "/api/v1/cases/{case}/consent-forms/" + formID, "", ""},
			{"POST", "/api/v1/cases/{case}/blocks", "application/json", `{"username": "jon.ke"}`},
			{"POST", "/api/v1/cases/{case}/blocks/" + blockID + "/lift", "", ""},
			{"POST", "/api/v1/cases/{case}/links", "application/json", `{"case_id": "` + caseID + `"}`},
			{"POST", "/api/v1/cases/{case}/emergency-access", "application/json", `{"reason_code": "other", "reason": "Akutt fare nå"}`},
			{"POST", "/api/v1/consents/{consent}/withdraw", "", ""},
			{"GET", "/api/v1/consents/{consent}/versions", "", ""},
			{"POST", "/api/v1/consents/{consent}/form", "application/json", `{"form_id": "` + formID + `"}`},
		}
		for _, u := range []string{"per.bv", "anne.ppt", "admin", "kari.ke", "nils.leder", "berit.bvleder"} {
			for _, p := range probes {
				path := func(c, k string) string {
					return strings.NewReplacer("{case}", c, "{consent}", k).Replace(p.path)
				}
				denied := w.send(u, p.method, path(caseID, consentID), p.ctype, []byte(p.body))
				missing := w.send(u, p.method, path(unknown, unknown), p.ctype, []byte(p.body))
				if denied.status != http.StatusNotFound {
					t.Errorf("%s %s as %s: %d, want 404", p.method, p.path, u, denied.status)
				}
				sameAnswer(t, p.method+" "+p.path+" as "+u, denied, missing)
				if cc := denied.header.Get("Cache-Control"); cc != "no-store" {
					t.Errorf("%s %s: Cache-Control %q", p.method, p.path, cc)
				}
			}
			// The pages: the same 404 page, but for the id in the address.
			for _, p := range []string{"/cases/{case}", "/cases/{case}/access-log"} {
				denied := w.send(u, "GET", strings.ReplaceAll(p, "{case}", caseID), "", nil)
				missing := w.send(u, "GET", strings.ReplaceAll(p, "{case}", unknown), "", nil)
				missing.body = bytes.ReplaceAll(missing.body, []byte(unknown), []byte(caseID))
				if denied.status != http.StatusNotFound {
					t.Errorf("GET %s as %s: %d", p, u, denied.status)
				}
				sameAnswer(t, "GET "+p+" as "+u, denied, missing)
			}
		}
		// The allowed answers are not cached either, and lists never hold
		// the fødselsnummer.
		for _, p := range []string{"/api/v1/cases/" + caseID, "/api/v1/cases", "/cases/" + caseID, "/cases"} {
			a := w.send("ola.laerer", "GET", p, "", nil)
			if a.status != http.StatusOK || a.header.Get("Cache-Control") != "no-store" {
				t.Errorf("GET %s: %d, Cache-Control %q", p, a.status, a.header.Get("Cache-Control"))
			}
		}
	})
}

// The API's bodies are strict: unknown fields 400, wrong content type 415,
// too large 413; forms are judged by content and size; identity numbers
// never go in a URL; list answers carry no fødselsnummer.
func TestStrictInput(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		var caseID string
		fnr := ""
		err := db.Write(context.Background(), func(tx *store.Tx) error {
			persons, err := store.ListPersons(tx, 100)
			if err != nil {
				return err
			}
			for _, p := range persons {
				if p.IDNumber != "" {
					fnr = p.IDNumber
					caseID, err = matrixtest.NewCase(tx, w.muni, w.emp["ola.laerer"].ID, p.ID, fixedNow)
					return err
				}
			}
			return nil
		})
		if err != nil || fnr == "" {
			t.Fatalf("setup: %v", err)
		}
		consents := "/api/v1/cases/" + caseID + "/consents"
		for _, c := range []struct {
			what, path, ctype, body string
			status                  int
			code                    string
		}{
			{"unknown field", consents, "application/json", `{"given_by": "X", "purposes": ["individual_plan"], "admin": true}`, 400, "malformed_json"},
			{"wrong content type", consents, "text/plain", `{"given_by": "X", "purposes": ["individual_plan"]}`, 415, "unsupported_media_type"},
			{"two values", consents, "application/json", `{"given_by": "X", "purposes": ["individual_plan"]} {}`, 400, "malformed_json"},
			{"too large", consents, "application/json", `{"given_by": "` + strings.Repeat("x", 1<<20) + `"}`, 413, "body_too_large"},
			{"unknown purpose", consents, "application/json", `{"given_by": "X", "purposes": ["everything"]}`, 400, "invalid_purpose"},
			{"form too large", "/api/v1/cases/" + caseID + "/consent-forms", "application/pdf",
				"%PDF-1.4\n" + strings.Repeat("0", app.MaxConsentFormBytes) + "%%EOF", 413, "form_too_large"},
			{"form not a PDF", "/api/v1/cases/" + caseID + "/consent-forms", "application/pdf", "<html></html>", 415, "unsupported_form_type"},
			{"emergency without role", "/api/v1/cases/" + caseID + "/emergency-access", "application/json", `{"reason_code": "other", "reason": "Akutt fare nå"}`, 404, "not_found"},
		} {
			a := w.send("ola.laerer", "POST", c.path, c.ctype, []byte(c.body))
			if a.status != c.status || !bytes.Contains(a.body, []byte(`"code":"`+c.code+`"`)) {
				t.Errorf("%s: %d %.200s, want %d %s", c.what, a.status, a.body, c.status, c.code)
			}
		}
		if a := w.send("ola.laerer", "GET", "/api/v1/cases?fnr="+fnr, "", nil); a.status != 400 {
			t.Errorf("a fødselsnummer in the URL: %d", a.status)
		}
		list := w.send("ola.laerer", "GET", "/api/v1/cases", "", nil)
		if list.status != 200 || !bytes.Contains(list.body, []byte(caseID)) || bytes.Contains(list.body, []byte(fnr)) {
			t.Errorf("the list: %d, holds the case %v, holds the fødselsnummer %v", list.status,
				bytes.Contains(list.body, []byte(caseID)), bytes.Contains(list.body, []byte(fnr)))
		}
		one := w.send("ola.laerer", "GET", "/api/v1/cases/"+caseID, "", nil)
		if !bytes.Contains(one.body, []byte(`"fnr":"`+fnr+`"`)) {
			t.Errorf("the case has no fnr for its reader: %s", one.body)
		}
	})
}

// Over HTTP: a group member reads the case while the consent to share
// holds; the member's very next request after the withdrawal is a 404.
func TestWithdrawalEndsAccessOnTheNextRequest(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		var caseID string
		err := db.Write(context.Background(), func(tx *store.Tx) (err error) {
			if caseID, err = matrixtest.NewCase(tx, w.muni, w.emp["ola.laerer"].ID, "", fixedNow); err != nil {
				return err
			}
			return matrixtest.AddGroupMember(tx, caseID, w.emp["anne.ppt"].ID, w.emp["ola.laerer"].ID, fixedNow, false, false)
		})
		if err != nil {
			t.Fatal(err)
		}
		path := "/api/v1/cases/" + caseID
		if a := w.send("anne.ppt", "GET", path, "", nil); a.status != http.StatusNotFound {
			t.Fatalf("member before consent: %d", a.status)
		}
		a := w.send("ola.laerer", "POST", path+"/consents", "application/json",
			[]byte(`{"given_by": "Kristin Hansen", "given_by_relation": "guardian", "purposes": ["share_with_members"]}`))
		if a.status != http.StatusCreated || !bytes.Contains(a.body, []byte(`"status":"active"`)) {
			t.Fatalf("record consent: %d %s", a.status, a.body)
		}
		consentID := string(bytes.Split(bytes.Split(a.body, []byte(`"id":"`))[1], []byte(`"`))[0])
		if a := w.send("anne.ppt", "GET", path, "", nil); a.status != http.StatusOK {
			t.Fatalf("member with consent: %d", a.status)
		}
		a = w.send("ola.laerer", "POST", "/api/v1/consents/"+consentID+"/withdraw", "", nil)
		if a.status != http.StatusOK || !bytes.Contains(a.body, []byte(`"status":"withdrawn"`)) {
			t.Fatalf("withdraw: %d %s", a.status, a.body)
		}
		denied := w.send("anne.ppt", "GET", path, "", nil)
		missing := w.send("anne.ppt", "GET", "/api/v1/cases/"+samordna.NewID(), "", nil)
		if denied.status != http.StatusNotFound {
			t.Errorf("member's next request after the withdrawal: %d, want 404", denied.status)
		}
		sameAnswer(t, "after the withdrawal", denied, missing)
		v := w.send("ola.laerer", "GET", "/api/v1/consents/"+consentID+"/versions", "", nil)
		if v.status != http.StatusOK || !bytes.Contains(v.body, []byte(`"change":"recorded"`)) ||
			!bytes.Contains(v.body, []byte(`"change":"withdrawn"`)) {
			t.Errorf("versions: %d %s", v.status, v.body)
		}
	})
}
