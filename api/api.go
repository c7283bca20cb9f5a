// Package api is the JSON API v1 (see ../shared/API.md): thin handlers that
// authenticate the bearer token, decode strict JSON, call one app method and
// encode the answer. Every route is listed in Routes, so that the access
// matrix test covers each one.
package api

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/reqctx"
)

// MaxBodyBytes bounds a JSON request body.
const MaxBodyBytes = 1 << 20

// Route is one endpoint of the API.
type Route struct {
	Method string
	Path   string // ServeMux pattern path, e.g. /api/v1/cases/{id}
	Public bool   // true only for routes that need no token
	// Access declares who may call the route, for the access matrix test:
	// "authenticated" (any signed-in employee), "role:<role>", or
	// "<object>:<access.Action>" where the path's {id} names the object
	// (e.g. "case:read", "consent:manage_consent"). A route without it
	// fails the matrix test.
	Access string
	// Summary describes the endpoint in the OpenAPI document.
	Summary string
	Handler http.HandlerFunc
}

// API serves /api/v1.
type API struct {
	app *app.App
}

// New returns the API for a.
func New(a *app.App) *API { return &API{app: a} }

// Routes lists every endpoint. Each feature file contributes its own list.
func (h *API) Routes() []Route {
	var routes []Route
	routes = append(routes, h.meRoutes()...)
	routes = append(routes, h.spineRoutes()...)
	routes = append(routes, h.routineRoutes()...)
	routes = append(routes, h.planRoutes()...)
	routes = append(routes, h.coordinationRoutes()...)
	routes = append(routes, h.personRoutes()...)
	return routes
}

// Handler returns the API's handler with every route registered.
func (h *API) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, r := range h.Routes() {
		handler := r.Handler
		if !r.Public {
			handler = h.authenticate(handler)
		}
		mux.Handle(r.Method+" "+r.Path, handler)
	}
	mux.HandleFunc("GET /api/openapi.json", h.openAPI)
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		WriteError(w, samordna.ErrNotFound)
	})
	return mux
}

// authenticate resolves the bearer token into the request's employee;
// without a valid token the answer is 401.
func (h *API) authenticate(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		token, ok := strings.CutPrefix(auth, "Bearer ")
		if !ok || token == "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="samordna"`)
			WriteError(w, samordna.Errorf(samordna.KindUnauthenticated, "unauthenticated", "a bearer token is required"))
			return
		}
		emp, err := h.app.TokenEmployee(r.Context(), strings.TrimSpace(token))
		if err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="samordna", error="invalid_token"`)
			WriteError(w, err)
			return
		}
		reqctx.From(r.Context()).Employee = emp
		next(w, r)
	}
}

// WriteJSON writes v with the status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(v)
}

// errorBody is the API's error shape.
type errorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// WriteError writes err in the API's error shape. Internal errors are not
// described to the client.
func WriteError(w http.ResponseWriter, err error) {
	var body errorBody
	status := samordna.HTTPStatus(err)
	var e *samordna.Error
	if errors.As(err, &e) {
		body.Error.Code, body.Error.Message = e.Code, e.Message
	} else {
		body.Error.Code, body.Error.Message = "internal", "something went wrong"
	}
	WriteJSON(w, status, body)
}

// Decode reads a strict JSON body into v: the content type must be JSON
// (415), the body at most MaxBodyBytes (413), unknown fields are refused
// (400) and so is trailing data.
func Decode(w http.ResponseWriter, r *http.Request, v any) error {
	ct := r.Header.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || mt != "application/json" {
		return samordna.Errorf(samordna.KindUnsupportedMedia, "unsupported_media_type", "send application/json")
	}
	r.Body = http.MaxBytesReader(w, r.Body, MaxBodyBytes)
	return DecodeReader(r.Body, v)
}

// DecodeReader decodes one strict JSON value from body into v.
func DecodeReader(body io.Reader, v any) error {
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return samordna.Errorf(samordna.KindTooLarge, "body_too_large", "the body is larger than %d bytes", MaxBodyBytes)
		}
		return samordna.Errorf(samordna.KindInvalid, "malformed_json", "%s", cleanJSONError(err))
	}
	if dec.More() {
		return samordna.Errorf(samordna.KindInvalid, "malformed_json", "only one JSON value is allowed")
	}
	if _, err := dec.Token(); err != io.EOF {
		return samordna.Errorf(samordna.KindInvalid, "malformed_json", "unexpected data after the JSON value")
	}
	return nil
}

// cleanJSONError keeps the decoder's description but never echoes values.
func cleanJSONError(err error) string {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		return "wrong type for field " + typeErr.Field
	}
	msg := err.Error()
	if strings.HasPrefix(msg, "json: unknown field") {
		return strings.TrimPrefix(msg, "json: ")
	}
	if errors.Is(err, io.EOF) {
		return "the body is empty"
	}
	return "the body is not valid JSON"
}
