package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/reqctx"
)

// Cookie names. Over TLS the session cookie carries the __Host- prefix,
// which browsers accept only when Secure, host-only and for path /.
const (
	sessionCookiePlain  = "samordna_session"
	sessionCookieSecure = "__Host-samordna_session"
	langCookie          = "samordna_lang"
	deviceCookiePlain   = "samordna_device"
	deviceCookieSecure  = "__Host-samordna_device"
)

// secure reports whether the request came over TLS (directly or as the
// configured public https address).
func (s *Server) secure(r *http.Request) bool {
	return r.TLS != nil || strings.HasPrefix(s.cfg.BaseURL, "https://")
}

func (s *Server) sessionCookieName(r *http.Request) string {
	if s.secure(r) {
		return sessionCookieSecure
	}
	return sessionCookiePlain
}

func (s *Server) sessionSecret(r *http.Request) string {
	c, err := r.Cookie(s.sessionCookieName(r))
	if err != nil {
		return ""
	}
	return c.Value
}

// setSessionCookie sets the session cookie: HttpOnly, SameSite=Lax, Secure
// over TLS. It has no Max-Age: the server ends sessions (idle 30 minutes,
// at most 12 hours), and the browser forgets it when closed.
func (s *Server) setSessionCookie(w http.ResponseWriter, r *http.Request, secret string) {
	http.SetCookie(w, &http.Cookie{Name: s.sessionCookieName(r), Value: secret, Path: "/",
		HttpOnly: true, Secure: s.secure(r), SameSite: http.SameSiteLaxMode})
}

func (s *Server) clearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: s.sessionCookieName(r), Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.secure(r), SameSite: http.SameSiteLaxMode})
}

func (s *Server) deviceCookieName(r *http.Request) string {
	if s.secure(r) {
		return deviceCookieSecure
	}
	return deviceCookiePlain
}

// deviceCookie returns the device cookie the browser sent ("" for none):
// it lets the browser an employee usually signs in from keep signing in
// while attackers elsewhere are throttled (see app/loginthrottle.go).
func (s *Server) deviceCookie(r *http.Request) string {
	c, err := r.Cookie(s.deviceCookieName(r))
	if err != nil {
		return ""
	}
	return c.Value
}

// setDeviceCookie stores a new device cookie after a successful sign-in:
// HttpOnly, SameSite=Strict (only the sign-in form, on this site, needs
// it), Secure and __Host- over TLS, kept for app.DeviceCookieLifetime.
func (s *Server) setDeviceCookie(w http.ResponseWriter, r *http.Request, value string) {
	http.SetCookie(w, &http.Cookie{Name: s.deviceCookieName(r), Value: value, Path: "/", MaxAge: int(app.DeviceCookieLifetime.Seconds()),
		HttpOnly: true, Secure: s.secure(r), SameSite: http.SameSiteStrictMode})
}

// requireSession lets the request through only with a live session; it
// puts the employee in the request info. Without one, a GET is sent to the
// login page (coming back afterwards) and anything else gets 401.
func (s *Server) requireSession(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		secret := s.sessionSecret(r)
		emp, _, err := s.app.SessionEmployee(r.Context(), secret)
		if err != nil && samordna.ErrorKind(err) != samordna.KindUnauthenticated {
			s.serverError(w, r, err) // e.g. the database is down: keep the session
			return
		}
		if err != nil {
			if secret != "" {
				s.clearSessionCookie(w, r)
			}
			if r.Method == http.MethodGet {
				q := url.Values{"return": {r.URL.RequestURI()}}
				if secret != "" {
					q.Set("expired", "1")
				}
				http.Redirect(w, r, "/login?"+q.Encode(), http.StatusSeeOther)
				return
			}
			s.errorPage(w, r, http.StatusUnauthorized, "login.expired")
			return
		}
		reqctx.From(r.Context()).Employee = emp
		next(w, r)
	}
}

// lang picks the request's language: the language cookie, then the
// browser's Accept-Language, then bokmål.
func (s *Server) lang(r *http.Request) string {
	choice := ""
	if c, err := r.Cookie(langCookie); err == nil {
		choice = c.Value
	}
	return PickLang(choice, r.Header.Get("Accept-Language"))
}

// page starts a Page for the request.
func (s *Server) page(r *http.Request, title string) *Page {
	return &Page{Lang: s.lang(r), Title: title, User: reqctx.From(r.Context()).Employee, Path: r.URL.Path}
}

// safeReturn returns p when it is a path on this site to come back to after
// a form, and "/" otherwise, so that a crafted return address can never send
// the browser to another site (an open redirect).
//
// Browsers are lenient where Go's URL parser is strict, so anything a
// browser might read as a host is refused outright rather than parsed:
// p must start with exactly one "/" and hold no backslash (browsers read it
// as "/", so "/\evil.example" is "//evil.example"), no control character,
// space or DEL (browsers drop tabs and newlines, so "/\t/evil.example" is
// "//evil.example" too), and it must parse as a URL with neither scheme nor
// host. Percent-encoded characters stay encoded in a path ("/%2F/x" is a
// path on this site), so they need no special case.
func safeReturn(p string) string {
	if len(p) == 0 || p[0] != '/' || (len(p) > 1 && p[1] == '/') {
		return "/"
	}
	for i := range len(p) {
		if c := p[i]; c <= ' ' || c == 0x7f || c == '\\' {
			return "/"
		}
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") {
		return "/"
	}
	return p
}
