// Package api is the JSON API v1 (the contract is docs/API.md): thin
// handlers that authenticate the bearer token, decode strict JSON, call one
// app method and encode the answer. Every route is listed in Routes, so that the access
// matrix test covers each one.
package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"
	"unicode/utf8"

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
	// Request is a zero value of the JSON body's type for a route that
	// decodes one (nil otherwise): the OpenAPI document describes its
	// fields and their limits from it, and the input tests send every one
	// of its text fields bad values.
	Request any
	// FeedSecret lets a calendar app call the route with a personal feed
	// secret in ?feed= instead of a bearer token (the yearly cycle only).
	FeedSecret bool
	Handler    http.HandlerFunc
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
	routes = append(routes, h.mailRoutes()...)
	routes = append(routes, h.spineRoutes()...)
	routes = append(routes, h.routineRoutes()...)
	routes = append(routes, h.planRoutes()...)
	routes = append(routes, h.coordinationRoutes()...)
	routes = append(routes, h.personRoutes()...)
	routes = append(routes, h.leaveRoutes()...)
	routes = append(routes, h.teamRoutes()...)
	routes = append(routes, h.seed002Routes()...)
	routes = append(routes, h.goalRoutes()...)
	routes = append(routes, h.solaRoutes()...)
	return routes
}

// Handler returns the API's handler with every route registered.
func (h *API) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, r := range h.Routes() {
		handler := r.Handler
		switch {
		case r.FeedSecret:
			handler = h.authenticateFeed(handler)
		case !r.Public:
			handler = h.authenticate(handler)
		}
		mux.Handle(r.Method+" "+r.Path, handler)
	}
	mux.HandleFunc("GET /api/openapi.json", h.openAPI)
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		WriteError(w, samordna.ErrNotFound)
	})
	return h.logInternalErrors(mux)
}

// errorNote carries the cause of a 500 from WriteError, which has only the
// ResponseWriter, to logInternalErrors, which has the logger and request.
type errorNote struct {
	http.ResponseWriter
	err error
}

// Unwrap lets http.ResponseController and WriteError see through the note.
func (n *errorNote) Unwrap() http.ResponseWriter { return n.ResponseWriter }

// logInternalErrors logs the cause of every 500 the API answers (the client
// only hears "something went wrong"): the route pattern, the request id
// and the error with any fødselsnummer or D-nummer masked; never the path
// or the body.
func (h *API) logInternalErrors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		note := &errorNote{ResponseWriter: w}
		next.ServeHTTP(note, r)
		if note.err != nil {
			h.app.Log.Error("internal error", "route", r.Pattern, "request_id", reqctx.From(r.Context()).RequestID,
				"err", samordna.MaskIDNumbers(note.err.Error()))
		}
	})
}

// noteInternalError hands err to the errorNote in w's chain, if any.
func noteInternalError(w http.ResponseWriter, err error) {
	for {
		if n, ok := w.(*errorNote); ok {
			n.err = err
			return
		}
		u, ok := w.(interface{ Unwrap() http.ResponseWriter })
		if !ok {
			return
		}
		w = u.Unwrap()
	}
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

// authenticateFeed accepts a personal calendar feed secret in ?feed= when
// the request has no Authorization header, and a bearer token otherwise.
func (h *API) authenticateFeed(next http.HandlerFunc) http.HandlerFunc {
	withToken := h.authenticate(next)
	return func(w http.ResponseWriter, r *http.Request) {
		secret := feedSecret(r)
		if r.Header.Get("Authorization") != "" || secret == "" {
			withToken(w, r)
			return
		}
		emp, err := h.app.CalendarFeedEmployee(r.Context(), secret)
		if err != nil {
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
		Field   string `json:"field,omitempty"` // the refused text field, e.g. "subject.name"
	} `json:"error"`
}

// WriteError writes err in the API's error shape. Internal errors are not
// described to the client; their cause goes to the log (logInternalErrors).
func WriteError(w http.ResponseWriter, err error) {
	var body errorBody
	status := samordna.HTTPStatus(err)
	var e *samordna.Error
	if errors.As(err, &e) {
		body.Error.Code, body.Error.Message = e.Code, e.Message
		body.Error.Field = samordna.TextField(err)
	} else {
		body.Error.Code, body.Error.Message = "internal", "something went wrong"
	}
	if status == http.StatusInternalServerError {
		noteInternalError(w, err)
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

// DecodeReader decodes one strict JSON value from body into v: valid UTF-8
// (400 invalid_utf8), valid JSON whose fields v knows (400 malformed_json),
// no key twice in an object (400 duplicate_key: encoding/json would keep the
// last one silently, and matches keys case-insensitively) and every text
// field within its kind's limits (see CheckFields). Nothing is changed
// before all of this holds.
func DecodeReader(body io.Reader, v any) error {
	raw, err := io.ReadAll(body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return samordna.Errorf(samordna.KindTooLarge, "body_too_large", "the body is larger than %d bytes", MaxBodyBytes)
		}
		return samordna.Errorf(samordna.KindInvalid, "malformed_json", "the body could not be read")
	}
	if !utf8.Valid(raw) {
		return samordna.Errorf(samordna.KindInvalid, samordna.CodeInvalidUTF8, "the body is not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return samordna.Errorf(samordna.KindInvalid, "malformed_json", "%s", cleanJSONError(err))
	}
	if dec.More() {
		return samordna.Errorf(samordna.KindInvalid, "malformed_json", "only one JSON value is allowed")
	}
	if _, err := dec.Token(); err != io.EOF {
		return samordna.Errorf(samordna.KindInvalid, "malformed_json", "unexpected data after the JSON value")
	}
	if err := checkDuplicateKeys(raw); err != nil {
		return err
	}
	return CheckFields(v)
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
