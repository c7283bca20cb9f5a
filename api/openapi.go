package api

import (
	"net/http"
	"reflect"
	"regexp"
	"strings"

	"github.com/samordna/samordna"
)

var pathParam = regexp.MustCompile(`\{([a-zA-Z]+)\}`)

// openAPI serves the OpenAPI 3.1 document describing every route, made
// from Routes so that it cannot drift from what the server does.
func (h *API) openAPI(w http.ResponseWriter, r *http.Request) {
	WriteJSON(w, http.StatusOK, OpenAPI(h.Routes()))
}

// OpenAPI builds the document for routes.
func OpenAPI(routes []Route) map[string]any {
	paths := map[string]map[string]any{}
	for _, rt := range routes {
		op := map[string]any{
			"summary":     summary(rt),
			"operationId": operationID(rt),
			"responses":   responses(rt),
			"x-access":    rt.Access,
		}
		if rt.Public {
			op["security"] = []any{}
		}
		if params := pathParams(rt.Path); len(params) > 0 {
			op["parameters"] = params
		}
		if rt.Request != nil {
			op["requestBody"] = map[string]any{"content": map[string]any{"application/json": map[string]any{
				"schema": requestSchema(reflect.TypeOf(rt.Request), untaggedText, untaggedText.MaxChars())}}}
		} else if rt.Method == http.MethodPost || rt.Method == http.MethodPut {
			op["requestBody"] = map[string]any{"content": map[string]any{
				"application/json": map[string]any{"schema": map[string]any{"type": "object"}}}}
		}
		if paths[rt.Path] == nil {
			paths[rt.Path] = map[string]any{}
		}
		paths[rt.Path][strings.ToLower(rt.Method)] = op
	}
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{"title": "Samordna API", "version": "1",
			"description": "Coordinated municipal services. Authenticate with a personal access token: " +
				"Authorization: Bearer <token>. Errors are {\"error\": {\"code\", \"message\", \"field\"?}} " +
				"(field names the refused text field; see x-error-codes); " +
				"404 means not found or not allowed."},
		"servers":       []any{map[string]any{"url": "/"}},
		"paths":         paths,
		"security":      []any{map[string]any{"bearer": []any{}}},
		"components":    map[string]any{"securitySchemes": map[string]any{"bearer": map[string]any{"type": "http", "scheme": "bearer"}}},
		"x-error-codes": InputErrorCodes,
	}
}

// InputErrorCodes are the codes any JSON body can be refused with, before
// anything is read or written, with what each means. Route-specific codes
// are in the routes' summaries.
var InputErrorCodes = map[string]string{
	"unsupported_media_type":         "415: the body is not application/json",
	"body_too_large":                 "413: the body is larger than 1 MiB",
	samordna.CodeInvalidUTF8:         "400: the body, or a text field, is not valid UTF-8",
	"malformed_json":                 "400: not one JSON value, an unknown field or a value of the wrong type",
	"duplicate_key":                  "400: an object holds the same key twice (compared case-insensitively); the message names it",
	samordna.CodeControlCharacter:    "400: a text field holds a control character other than tab, line feed and carriage return; the message names the field",
	samordna.CodeTextTooLong:         "400: a text field is longer than its maxLength; the message names the field",
	samordna.CodeIdentifyingDataInID: "400: an id field holds a fødselsnummer or D-nummer (ids never do); the message names the field",
	"internal":                       "500: something went wrong on our side; the cause is logged, never sent",
}

func summary(rt Route) string {
	if rt.Summary != "" {
		return rt.Summary
	}
	return rt.Method + " " + rt.Path
}

func operationID(rt Route) string {
	id := strings.ToLower(rt.Method) + strings.NewReplacer("/api/v1/", "_", "/", "_", "{", "", "}", "", "-", "_", ".", "_").Replace(rt.Path)
	return strings.Trim(id, "_")
}

func pathParams(path string) []any {
	var out []any
	for _, m := range pathParam.FindAllStringSubmatch(path, -1) {
		out = append(out, map[string]any{"name": m[1], "in": "path", "required": true,
			"schema": map[string]any{"type": "string"}})
	}
	return out
}

func responses(rt Route) map[string]any {
	out := map[string]any{
		"200": map[string]any{"description": "OK"},
		"400": map[string]any{"description": "malformed request (see x-error-codes)"},
		"401": map[string]any{"description": "no or invalid token"},
		"404": map[string]any{"description": "not found, or not allowed"},
	}
	if rt.Method == http.MethodPost {
		out["201"] = map[string]any{"description": "created"}
		out["422"] = map[string]any{"description": "a rule of the domain says no"}
	}
	return out
}
