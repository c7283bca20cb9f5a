package web

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/api"
	"github.com/samordna/samordna/internal/reqctx"
)

// maxFormBytes bounds a form post.
const maxFormBytes = 64 << 10

// contentSecurityPolicy allows only our own scripts and styles: no inline
// script, no framing.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// middleware wraps h with everything every request passes through,
// outermost first.
func (s *Server) middleware(h http.Handler) http.Handler {
	csrf := http.NewCrossOriginProtection()
	h = csrf.Handler(h)
	h = s.rejectIDNumbersInURL(h)
	h = securityHeaders(s.csp(), h)
	h = s.observe(h)
	h = s.recoverPanics(h)
	return withRequestInfo(h)
}

// withRequestInfo gives each request an id and notes the client address.
func withRequestInfo(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := make([]byte, 8)
		_, _ = rand.Read(b)
		id := hex.EncodeToString(b)
		client, _, err := net.SplitHostPort(r.RemoteAddr)
		if err != nil {
			client = r.RemoteAddr
		}
		w.Header().Set("X-Request-Id", id)
		info := &reqctx.Info{RequestID: id, Client: client}
		next.ServeHTTP(w, r.WithContext(reqctx.With(r.Context(), info)))
	})
}

func requestID(r *http.Request) string { return reqctx.From(r.Context()).RequestID }

// securityHeaders sets the headers every answer carries. Everything except
// our static files may hold personal data, so nothing is cached.
func securityHeaders(csp string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		h.Set("Cache-Control", "no-store")
		if r.TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

// rejectIDNumbersInURL refuses a request with a fødselsnummer or D-nummer in
// its path or query: personal data must not end up in URLs, logs or
// browser history.
func (s *Server) rejectIDNumbersInURL(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		target := r.URL.EscapedPath() + "?" + r.URL.RawQuery
		if len(samordna.FindIDNumbers(strings.NewReplacer("%20", " ", "+", " ").Replace(target))) > 0 {
			if !strings.HasPrefix(r.URL.Path, "/api/") {
				// The page must not echo the path (it holds the number).
				r.URL.Path, r.URL.RawQuery = "/", ""
				s.errorPage(w, r, http.StatusBadRequest, "error.id_in_url")
				return
			}
			err := samordna.Errorf(samordna.KindInvalid, "identifying_data_in_url",
				"a fødselsnummer or D-nummer must not be sent in the URL")
			api.WriteError(w, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// recoverPanics turns a panic into a 500 and a log line.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.serverError(w, r, fmt.Errorf("panic: %v", v))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// statusRecorder remembers the status written.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// observe logs one structured line per request and records metrics. The
// log holds the route pattern, never the path (which could hold ids) nor
// any personal data.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		route := r.Pattern
		if route == "" {
			route = "unmatched"
		}
		elapsed := time.Since(start)
		s.metrics.observe(route, r.Method, rec.status, elapsed)
		s.log.Info("request", "method", r.Method, "route", route, "status", rec.status,
			"duration_ms", float64(elapsed.Microseconds())/1000, "request_id", requestID(r))
	})
}
