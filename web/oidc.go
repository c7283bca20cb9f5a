package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/reqctx"
)

// Sign-in with the municipality's identity provider (OpenID Connect,
// authorization code flow with PKCE, state and nonce). The routes exist
// always and answer 404 when OIDC is not configured.

// Cookie that binds a sign-in under way to the browser that started it
// (see app.BeginExternalLogin). SameSite=Lax: the provider sends the
// browser back with a top-level GET from its own site.
const (
	oidcCookiePlain  = "samordna_oidc"
	oidcCookieSecure = "__Host-samordna_oidc"
)

func (s *Server) oidcRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/login/oidc", Public: true, Access: "public", Handler: s.oidcStart},
		{Method: "GET", Path: "/login/oidc/callback", Public: true, Access: "public", Handler: s.oidcCallback},
	}
}

func (s *Server) oidcCookieName(r *http.Request) string {
	if s.secure(r) {
		return oidcCookieSecure
	}
	return oidcCookiePlain
}

// oidcStart begins a sign-in: it stores a fresh state, nonce and PKCE
// verifier and sends the browser to the provider.
func (s *Server) oidcStart(w http.ResponseWriter, r *http.Request) {
	if s.cfg.OIDC == nil {
		s.notFound(w, r)
		return
	}
	l, err := s.app.BeginExternalLogin(r.Context(), safeReturn(r.URL.Query().Get("return")))
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: s.oidcCookieName(r), Value: l.Binding, Path: "/",
		MaxAge: int(app.ExternalLoginLifetime.Seconds()), HttpOnly: true, Secure: s.secure(r), SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, s.cfg.OIDC.AuthURL(l.State, l.Nonce, l.Verifier), http.StatusFound)
}

// oidcCallback finishes a sign-in: the answer must belong to the sign-in
// this browser started (state), the code is traded for tokens with the
// PKCE verifier, the ID token must hold (signature, issuer, audience,
// expiry, nonce), and the employee it names must be registered and enabled.
// Each refusal gets its own clear page; nobody is created.
func (s *Server) oidcCallback(w http.ResponseWriter, r *http.Request) {
	if s.cfg.OIDC == nil {
		s.notFound(w, r)
		return
	}
	binding := ""
	if c, err := r.Cookie(s.oidcCookieName(r)); err == nil {
		binding = c.Value
		http.SetCookie(w, &http.Cookie{Name: s.oidcCookieName(r), Value: "", Path: "/", MaxAge: -1,
			HttpOnly: true, Secure: s.secure(r), SameSite: http.SameSiteLaxMode})
	}
	q := r.URL.Query()
	l, err := s.app.TakeExternalLogin(r.Context(), binding, q.Get("state"))
	if errors.Is(err, app.ErrExternalLoginUnknown) {
		s.loginRefused(w, r, http.StatusBadRequest, "login.oidc_unknown")
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if q.Get("error") != "" || q.Get("code") == "" { // cancelled or refused at the provider
		s.log.Warn("oidc: the provider answered without a code", "request_id", requestID(r), "error", q.Get("error"))
		s.loginRefused(w, r, http.StatusUnauthorized, "login.oidc_failed")
		return
	}
	id, err := s.cfg.OIDC.Finish(r.Context(), q.Get("code"), l.Verifier, l.Nonce)
	if err != nil {
		s.log.Warn("oidc: sign-in refused", "request_id", requestID(r), "err", err.Error())
		s.loginRefused(w, r, http.StatusUnauthorized, "login.oidc_failed")
		return
	}
	in, err := s.app.SignInExternal(r.Context(), reqctx.Actor(r.Context()), id.Claim, id.IDToken, s.lang(r))
	if errors.Is(err, app.ErrNotRegistered) {
		s.loginRefused(w, r, http.StatusForbidden, "login.not_registered")
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.setSessionCookie(w, r, in.Secret)
	http.Redirect(w, r, l.ReturnPath, http.StatusSeeOther)
}

// loginRefused shows why signing in did not work, with a way back to the
// sign-in page.
func (s *Server) loginRefused(w http.ResponseWriter, r *http.Request, status int, msgID string) {
	p := s.page(r, "login.title")
	p.Data = struct{ Message string }{msgID}
	s.render(w, r, status, "login_refused", p)
}

// providerLogoutURL is where signing out goes after the session has ended:
// the provider's end-session endpoint for a session signed in through OIDC
// (when the provider has one), "" otherwise.
func (s *Server) providerLogoutURL(r *http.Request) (string, error) {
	if s.cfg.OIDC == nil || s.cfg.OIDC.EndSessionEndpoint() == "" {
		return "", nil
	}
	tok, err := s.app.SessionIDToken(r.Context(), s.sessionSecret(r))
	if err != nil || tok == "" {
		return "", err
	}
	back := ""
	if s.cfg.BaseURL != "" {
		back = strings.TrimSuffix(s.cfg.BaseURL, "/") + "/login?bye=1"
	}
	return s.cfg.OIDC.LogoutURL(tok, back), nil
}

// csp is the Content-Security-Policy of every answer. Signing out is a form
// that ends at the provider's end-session endpoint, so form-action allows
// the provider's origin when there is one.
func (s *Server) csp() string {
	if s.cfg.OIDC == nil {
		return contentSecurityPolicy
	}
	u, err := url.Parse(s.cfg.OIDC.EndSessionEndpoint())
	if err != nil || u.Scheme == "" || u.Host == "" {
		return contentSecurityPolicy
	}
	return strings.Replace(contentSecurityPolicy, "form-action 'self'", "form-action 'self' "+u.Scheme+"://"+u.Host, 1)
}
