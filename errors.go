package samordna

import (
	"errors"
	"fmt"
	"net/http"
)

// Kind classifies an error for callers: each kind maps to exactly one HTTP
// status (see HTTPStatus), so the web and API layers never decide it themselves.
type Kind int

// The kinds of error the application returns.
const (
	KindInternal             Kind = iota // a bug or an unavailable dependency
	KindInvalid                          // malformed input (400)
	KindUnauthenticated                  // no or bad credentials (401)
	KindNotFound                         // missing OR not allowed (404): the two must look alike
	KindConflict                         // the state forbids it, e.g. a locked report (409)
	KindPreconditionFailed               // stale If-Match (412)
	KindTooLarge                         // body over the limit (413)
	KindUnsupportedMedia                 // wrong content type (415)
	KindRule                             // a rule of the domain says no (422)
	KindPreconditionRequired             // If-Match missing (428)
	KindRateLimited                      // too many attempts (429)
)

// Error is the application's error: a stable snake_case Code for machines and
// a Message for people. Messages never contain personal data.
type Error struct {
	Kind    Kind
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Errorf returns an *Error of the given kind and code.
func Errorf(kind Kind, code, format string, args ...any) *Error {
	return &Error{Kind: kind, Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrNotFound is the single answer for "does not exist" and "not allowed",
// so that a refusal cannot be told apart from a missing object.
var ErrNotFound = &Error{Kind: KindNotFound, Code: "not_found", Message: "not found"}

// ErrorKind returns the kind of err, KindInternal for foreign errors.
func ErrorKind(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}

// ErrorCode returns the code of err, "internal" for foreign errors.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return "internal"
}

// HTTPStatus maps an error to its HTTP status; this is the only such mapping.
func HTTPStatus(err error) int {
	switch ErrorKind(err) {
	case KindInvalid:
		return http.StatusBadRequest
	case KindUnauthenticated:
		return http.StatusUnauthorized
	case KindNotFound:
		return http.StatusNotFound
	case KindConflict:
		return http.StatusConflict
	case KindPreconditionFailed:
		return http.StatusPreconditionFailed
	case KindTooLarge:
		return http.StatusRequestEntityTooLarge
	case KindUnsupportedMedia:
		return http.StatusUnsupportedMediaType
	case KindRule:
		return http.StatusUnprocessableEntity
	case KindPreconditionRequired:
		return http.StatusPreconditionRequired
	case KindRateLimited:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}
