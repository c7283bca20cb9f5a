package web

import (
	"errors"
	"net/http"

	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/reqctx"
)

// signInLinkRoutes are the one-time sign-in links that "samordna init" and
// "samordna user link" print. Opening a link (GET) only shows a button; the
// button (POST) signs in, so that a mail scanner fetching the link does not
// use it up.
func (s *Server) signInLinkRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/login/link/{secret}", Public: true, Access: "public", Handler: s.signInLinkPage},
		{Method: "POST", Path: "/login/link/{secret}", Public: true, Access: "public", Handler: s.signInLinkSubmit},
	}
}

// signInLinkData is what the link's page shows: the button's address, or
// that the link is gone.
type signInLinkData struct {
	Action string
	Gone   bool
}

// signInLinkPage shows the button that signs in with the link, or 410 Gone
// when the link is used, expired or unknown.
func (s *Server) signInLinkPage(w http.ResponseWriter, r *http.Request) {
	secret := r.PathValue("secret")
	if err := s.app.CheckSignInLink(r.Context(), secret); err != nil {
		s.signInLinkFailed(w, r, err)
		return
	}
	p := s.page(r, "signinlink.title")
	p.Data = signInLinkData{Action: "/login/link/" + secret}
	s.render(w, r, http.StatusOK, "signinlink", p)
}

// signInLinkSubmit uses the link up and starts a session with a new id, as
// the password sign-in does, then goes to the start page.
func (s *Server) signInLinkSubmit(w http.ResponseWriter, r *http.Request) {
	in, err := s.app.UseSignInLink(r.Context(), reqctx.Actor(r.Context()), r.PathValue("secret"), s.lang(r))
	if err != nil {
		s.signInLinkFailed(w, r, err)
		return
	}
	s.setSessionCookie(w, r, in.Secret)
	s.setDeviceCookie(w, r, in.Device)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// signInLinkFailed answers a link that no longer signs in with 410 Gone and
// what to do about it.
func (s *Server) signInLinkFailed(w http.ResponseWriter, r *http.Request, err error) {
	if !errors.Is(err, app.ErrSignInLinkGone) {
		s.serverError(w, r, err)
		return
	}
	p := s.page(r, "signinlink.gone_title")
	p.Data = signInLinkData{Gone: true}
	s.render(w, r, http.StatusGone, "signinlink", p)
}
