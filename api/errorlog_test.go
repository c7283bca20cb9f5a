package api

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/reqctx"
)

// A 500 tells the client nothing, but its cause is logged with the route
// pattern and the request id, with any fødselsnummer in it masked; other
// errors are not logged as internal. (The API used to log no cause.)
func TestInternalErrorsAreLoggedWithTheirCause(t *testing.T) {
	var logged bytes.Buffer
	h := New(app.New(nil, nil, slog.New(slog.NewJSONHandler(&logged, nil))))
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/v1/cases/{id}/links", func(w http.ResponseWriter, r *http.Request) {
		WriteError(w, errors.New("insert link for 12091750129: pq: invalid byte sequence"))
	})
	mux.HandleFunc("GET /api/v1/cases/{id}", func(w http.ResponseWriter, r *http.Request) {
		WriteError(w, CheckFields(&struct {
			Name string `json:"name" text:"name"`
		}{Name: "a\x00b"}))
	})
	srv := h.logInternalErrors(mux)
	call := func(method, path string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		r := httptest.NewRequest(method, path, nil)
		srv.ServeHTTP(rec, r.WithContext(reqctx.With(r.Context(), &reqctx.Info{RequestID: "req-1"})))
		return rec
	}

	rec := call("POST", "/api/v1/cases/abc/links")
	if rec.Code != 500 || strings.Contains(rec.Body.String(), "pq") || !strings.Contains(rec.Body.String(), `"internal"`) {
		t.Fatalf("the client's answer: %d %s", rec.Code, rec.Body)
	}
	line := logged.String()
	for _, want := range []string{`"msg":"internal error"`, `"route":"POST /api/v1/cases/{id}/links"`, `"request_id":"req-1"`,
		"invalid byte sequence", "xxxxxxxxxxx"} {
		if !strings.Contains(line, want) {
			t.Errorf("the log lacks %s: %s", want, line)
		}
	}
	if strings.Contains(line, "12091750129") || strings.Contains(line, "abc") {
		t.Errorf("the log holds the fødselsnummer or the path: %s", line)
	}

	logged.Reset()
	if rec := call("GET", "/api/v1/cases/abc"); rec.Code != 400 || logged.Len() != 0 {
		t.Errorf("a 400 is answered %d and logged as %q", rec.Code, logged.String())
	}
}
