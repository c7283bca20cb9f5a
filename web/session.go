package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/internal/reqctx"
)

// Cookie names. Over TLS the session cookie carries the __Host- prefix,
// which browsers accept only when Secure, host-only and for path /.
const (
	sessionCookiePlain  = "samordna_session"
	sessionCookieSecure = "__Host-samordna_session"
	langCookie          = "samordna_lang"
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

// safeReturn accepts only a local path to come back to, never another site.
func safeReturn(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") {
		return "/"
	}
	return p
}
