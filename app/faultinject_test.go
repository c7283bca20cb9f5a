package app_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/samordna/samordna/api"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/internal/matrixtest"
	"github.com/samordna/samordna/internal/reqctx"
	"github.com/samordna/samordna/store"
)

// faultAPI serves the JSON API of the world's app, with the request info
// the web middleware would add.
func faultAPI(w *spineWorld) http.Handler {
	h := api.New(w.a).Handler()
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(rw, r.WithContext(reqctx.With(r.Context(), &reqctx.Info{RequestID: "fault", Client: "127.0.0.1"})))
	})
}

// call sends one API request as the user and returns the status.
func (w *spineWorld) call(h http.Handler, token, method, path, body string) int {
	w.t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code
}

func (w *spineWorld) token(username string) string {
	w.t.Helper()
	tok, err := w.a.CreateToken(context.Background(), nil, username, "test")
	if err != nil {
		w.t.Fatal(err)
	}
	return tok
}

// count returns a number from a query.
func (w *spineWorld) count(q string, args ...any) int {
	w.t.Helper()
	var n int
	w.read(func(tx *store.Tx) error { return tx.QueryRow(q, args...).Scan(&n) })
	return n
}

// breakAudit makes every audit append fail (the chain's head is renamed),
// and returns a func that repairs it.
func (w *spineWorld) breakAudit() func() {
	w.t.Helper()
	w.write(func(tx *store.Tx) error {
		_, err := tx.Exec(`ALTER TABLE audit_head RENAME TO audit_head_broken`)
		return err
	})
	return func() {
		w.write(func(tx *store.Tx) error {
			_, err := tx.Exec(`ALTER TABLE audit_head_broken RENAME TO audit_head`)
			return err
		})
	}
}

// If the audit row cannot be written, the request fails (500) and nothing
// changes: no consent, no withdrawal, no emergency access, no read.
func TestAuditFailureFailsTheRequest(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newSpineWorld(t, db)
		h := faultAPI(w)
		teacher, coordinator, stig := w.token("ola.laerer"), w.token("anne.ppt"), w.token("stig.nod")
		caseID, _ := w.namedCase("ola.laerer")
		w.write(func(tx *store.Tx) error {
			return matrixtest.AddCoordinator(tx, caseID, w.emp["anne.ppt"].ID, w.emp["kari.ke"].ID, w.clock.Now(), false)
		})
		consent := `{"given_by": "Kristin Hansen", "purposes": ["share_with_members"]}`
		if code := w.call(h, teacher, "POST", "/api/v1/cases/"+caseID+"/consents", consent); code != http.StatusCreated {
			t.Fatalf("record consent: %d", code)
		}
		consentID := ""
		w.read(func(tx *store.Tx) error {
			return tx.QueryRow(`SELECT id FROM consents WHERE case_id = $1`, caseID).Scan(&consentID)
		})
		auditBefore := w.auditRows()
		repair := w.breakAudit()

		for _, c := range []struct{ what, token, method, path, body string }{
			{"a read", teacher, "GET", "/api/v1/cases/" + caseID, ""},
			{"a list", teacher, "GET", "/api/v1/cases", ""},
			{"a refused read", w.token2(repair, "per.bv"), "GET", "/api/v1/cases/" + caseID, ""},
			{"recording consent", teacher, "POST", "/api/v1/cases/" + caseID + "/consents", consent},
			{"withdrawing consent", teacher, "POST", "/api/v1/consents/" + consentID + "/withdraw", ""},
			{"breaking the glass", stig, "POST", "/api/v1/cases/" + caseID + "/emergency-access",
				`{"reason_code": "other", "reason": "Akutt situasjon på skolen"}`},
			{"blocking", coordinator, "POST", "/api/v1/cases/" + caseID + "/blocks", `{"username": "ola.laerer"}`},
			{"reading the access log", coordinator, "GET", "/api/v1/cases/" + caseID + "/access-log", ""},
		} {
			if code := w.call(h, c.token, c.method, c.path, c.body); code != http.StatusInternalServerError {
				t.Errorf("%s with the audit trail broken: %d, want 500", c.what, code)
			}
		}
		repair()
		if n := w.count(`SELECT COUNT(*) FROM consents WHERE case_id = $1`, caseID); n != 1 {
			t.Errorf("%d consents after the failed request, want 1", n)
		}
		if n := w.count(`SELECT COUNT(*) FROM consents WHERE id = $1 AND status = 'active' AND version = 1`, consentID); n != 1 {
			t.Error("the failed withdrawal changed the consent")
		}
		for _, table := range []string{"emergency_accesses", "case_blocks"} {
			if n := w.count(`SELECT COUNT(*) FROM ` + table); n != 0 {
				t.Errorf("%s has %d rows after failed requests", table, n)
			}
		}
		if got := w.auditRows(); got != auditBefore+1 { // +1: per.bv's token, made while repaired
			t.Errorf("audit rows %d, want %d", got, auditBefore+1)
		}
		if _, err := w.a.VerifyAudit(context.Background()); err != nil {
			t.Errorf("audit chain after the failures: %v", err)
		}
		// Repaired, the same request works.
		if code := w.call(h, teacher, "POST", "/api/v1/consents/"+consentID+"/withdraw", ""); code != http.StatusOK {
			t.Errorf("withdraw after repair: %d", code)
		}
	})
}

// token2 makes a token while the audit trail is repaired, then breaks it
// again (making a token is audited too).
func (w *spineWorld) token2(repair func(), username string) string {
	w.t.Helper()
	repair()
	tok := w.token(username)
	w.breakAudit()
	return tok
}

// A failure at commit (after the audit row was written) leaves nothing
// behind either: neither the change nor its audit row.
func TestCommitFailureLeavesNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newSpineWorld(t, db)
		h := faultAPI(w)
		teacher := w.token("ola.laerer")
		caseID, _ := w.namedCase("ola.laerer")
		before := w.auditRows()
		db.SetBeforeCommit(func(*store.Tx) error { return errors.New("injected fault") })
		code := w.call(h, teacher, "POST", "/api/v1/cases/"+caseID+"/consents",
			`{"given_by": "Kristin Hansen", "purposes": ["individual_plan"]}`)
		db.SetBeforeCommit(nil)
		if code != http.StatusInternalServerError {
			t.Errorf("record consent with a failing commit: %d, want 500", code)
		}
		if n := w.count(`SELECT COUNT(*) FROM consents`); n != 0 {
			t.Errorf("%d consents after the failed commit", n)
		}
		if got := w.auditRows(); got != before {
			t.Errorf("audit rows %d → %d after the failed commit", before, got)
		}
	})
}
