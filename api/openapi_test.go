package api_test

import (
	"encoding/json"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/api"
	"github.com/samordna/samordna/app"
)

// TestOpenAPIDescribesEveryRoute: the served document lists every route
// with its method, and is reachable without a token.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	h := api.New(app.New(nil, nil, nil))
	rec := httptest.NewRecorder()
	h.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/api/openapi.json", nil))
	if rec.Code != 200 {
		t.Fatalf("status %d", rec.Code)
	}
	var doc struct {
		OpenAPI string                            `json:"openapi"`
		Paths   map[string]map[string]interface{} `json:"paths"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("openapi version %q", doc.OpenAPI)
	}
	for _, rt := range h.Routes() {
		if _, ok := doc.Paths[rt.Path][strings.ToLower(rt.Method)]; !ok {
			t.Errorf("%s %s is not in the OpenAPI document", rt.Method, rt.Path)
		}
	}
}

// The codes a body can be refused with are snake_case and listed in the
// document, the new input codes among them.
func TestOpenAPIListsTheInputErrorCodes(t *testing.T) {
	h := api.New(app.New(nil, nil, nil))
	rec := httptest.NewRecorder()
	h.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/api/openapi.json", nil))
	var doc struct {
		Codes map[string]string `json:"x-error-codes"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	snake := regexp.MustCompile(`^[a-z]+(_[a-z0-9]+)*$`)
	for _, code := range []string{"malformed_json", "duplicate_key", samordna.CodeInvalidUTF8, samordna.CodeControlCharacter,
		samordna.CodeTextTooLong, samordna.CodeIdentifyingDataInID, "body_too_large", "unsupported_media_type"} {
		if doc.Codes[code] == "" {
			t.Errorf("%s is not described", code)
		}
	}
	for code := range doc.Codes {
		if !snake.MatchString(code) {
			t.Errorf("%s is not snake_case", code)
		}
	}
}
