package api

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/internal/matrixtest"
	"github.com/samordna/samordna/internal/reqctx"
	"github.com/samordna/samordna/store"
)

// fuzzSeeds are bodies every fuzz test starts from: valid ones, near
// misses and plain garbage.
var fuzzSeeds = []string{
	`{"given_by": "Kari", "purposes": ["share_with_members"], "valid_until": "2030-01-01"}`,
	`{"given_by": "Kari", "given_by_relation": "guardian", "purposes": ["individual_plan"], "form_id": "x"}`,
	`{"username": "ola.laerer", "reason": "Personens ønske"}`,
	`{"reason_code": "life_or_health", "reason": "Akutt fare for barnet"}`,
	`{"note": "Gjennomgått"}`, `{"case_id": "abc"}`, `{"form_id": "abc"}`,
	`{}`, `[]`, `null`, `""`, `{"given_by": 1}`, `{"purposes": "share_with_members"}`, `{"purposes": [null]}`,
	`{"given_by": "x", "unknown": true}`, `{"a":` + strings.Repeat(`[`, 200), `{} {}`, "\x00\xff", `{"note": "\ud800"}`,
	`{"valid_until": "2026-02-30"}`, `{"reason": "` + strings.Repeat("å", 3000) + `"}`,
}

// The strict decoder never panics on any body, whatever the target type.
func FuzzDecodeRequests(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		targets := []any{&consentRequest{}, &attachFormRequest{}, &blockRequest{}, &emergencyRequest{},
			&reviewRequest{}, &linkRequest{}, &struct{}{}}
		for _, v := range targets {
			err := DecodeReader(bytes.NewReader(body), v)
			if err != nil && samordna.ErrorKind(err) != samordna.KindInvalid {
				t.Fatalf("decode %T: error of kind %d (%v), want invalid", v, samordna.ErrorKind(err), err)
			}
		}
	})
}

// fuzzClock is a fixed clock.
type fuzzClock struct{}

func (fuzzClock) Now() time.Time { return time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) }

// fuzzServer is the API on a database with one case whose coordinator is
// the token's employee (so every POST reaches its validation).
type fuzzServer struct {
	h              http.Handler
	token          string
	caseID, other  string
	consentID      string
	blockID, reach string
}

func newFuzzServer(tb testing.TB, d store.Dialect) *fuzzServer {
	tb.Helper()
	db := dbtest.Open(tb, d)
	a := app.New(db, fuzzClock{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	now := fuzzClock{}.Now()
	fs := &fuzzServer{}
	err := db.Write(context.Background(), func(tx *store.Tx) error {
		m := &samordna.Municipality{ID: samordna.NewID(), Name: "Fuzzvik", Number: "9996"}
		if err := store.CreateMunicipality(tx, m, now); err != nil {
			return err
		}
		var ids []string
		for _, u := range []string{"fuzz.koord", "ola.laerer"} {
			e := &samordna.Employee{ID: samordna.NewID(), MunicipalityID: m.ID, Username: u, Name: u,
				Roles: []samordna.Role{samordna.RoleEmployee, samordna.RoleServiceLeader, samordna.RoleEmergencyAccess}}
			if err := store.CreateEmployee(tx, e, "", now); err != nil {
				return err
			}
			ids = append(ids, e.ID)
		}
		var err error
		for _, c := range []*string{&fs.caseID, &fs.other} {
			if *c, err = matrixtest.NewCase(tx, m.ID, ids[0], "", now); err != nil {
				return err
			}
			if err := matrixtest.AddCoordinator(tx, *c, ids[0], ids[0], now, false); err != nil {
				return err
			}
		}
		if fs.consentID, err = matrixtest.AddConsent(tx, fs.caseID, ids[0],
			[]samordna.ConsentPurpose{samordna.PurposeIndividualPlan}, nil, false, now); err != nil {
			return err
		}
		if fs.blockID, err = matrixtest.AddBlock(tx, fs.caseID, ids[1], ids[0], now, false); err != nil {
			return err
		}
		fs.reach, err = matrixtest.AddEmergency(tx, fs.caseID, ids[1], "", now, now.Add(time.Hour))
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	if fs.token, err = a.CreateToken(context.Background(), nil, "fuzz.koord", "fuzz"); err != nil {
		tb.Fatal(err)
	}
	api := New(a).Handler()
	fs.h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		api.ServeHTTP(w, r.WithContext(reqctx.With(r.Context(), &reqctx.Info{RequestID: "fuzz"})))
	})
	return fs
}

// post sends body to path and returns the status.
func (fs *fuzzServer) post(path, ctype string, body []byte) (int, string) {
	req := httptest.NewRequest("POST", path, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+fs.token)
	req.Header.Set("Content-Type", ctype)
	rec := httptest.NewRecorder()
	fs.h.ServeHTTP(rec, req)
	return rec.Code, rec.Body.String()
}

// No body sent to a POST endpoint of the spine gives a server error, on
// either database.
func FuzzSpinePOSTBodies(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s), true)
	}
	f.Add([]byte("%PDF-1.4\n%%EOF"), false)
	servers := []*fuzzServer{newFuzzServer(f, store.SQLite), newFuzzServer(f, store.Postgres)}
	f.Fuzz(func(t *testing.T, body []byte, asJSON bool) {
		ctype := "application/json"
		if !asJSON {
			ctype = "application/octet-stream"
		}
		for _, fs := range servers {
			for _, path := range []string{
				"/api/v1/cases/" + fs.caseID + "/consents",
				"/api/v1/consents/" + fs.consentID + "/form",
				"/api/v1/cases/" + fs.caseID + "/consent-forms",
				"/api/v1/cases/" + fs.caseID + "/links",
				"/api/v1/cases/" + fs.caseID + "/blocks",
				"/api/v1/cases/" + fs.caseID + "/blocks/" + fs.blockID + "/lift",
				"/api/v1/cases/" + fs.other + "/emergency-access",
				"/api/v1/emergency-access/" + fs.reach + "/review",
				"/api/v1/consents/" + fs.consentID + "/withdraw",
			} {
				if code, answer := fs.post(path, ctype, body); code >= 500 {
					t.Fatalf("POST %s: %d %s", path, code, answer)
				}
			}
		}
	})
}
