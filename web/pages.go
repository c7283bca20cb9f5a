package web

import (
	"errors"
	"net/http"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/reqctx"
)

func (s *Server) shellRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/login", Public: true, Access: "public", Handler: s.loginPage},
		{Method: "POST", Path: "/login", Public: true, Access: "public", Handler: s.loginSubmit},
		{Method: "POST", Path: "/logout", Access: "authenticated", Handler: s.logout},
		{Method: "POST", Path: "/lang", Public: true, Access: "public", Handler: s.setLanguage},
		{Method: "GET", Path: "/{$}", Access: "authenticated", Handler: s.startPage},
	}
}

type loginData struct {
	Username string
	Return   string
	OIDC     bool // offer sign-in with the municipality's identity provider
	Password bool // offer the password form
}

// newLoginData fills in which ways of signing in the server offers.
func (s *Server) newLoginData(username, ret string) loginData {
	return loginData{Username: username, Return: ret, OIDC: s.cfg.OIDC != nil, Password: !s.cfg.NoPasswordLogin}
}

// loginPage shows the sign-in form; a signed-in user goes to the start page.
func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	if _, _, err := s.app.SessionEmployee(r.Context(), s.sessionSecret(r)); err == nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	p := s.page(r, "login.title")
	p.Data = s.newLoginData("", safeReturn(r.URL.Query().Get("return")))
	switch {
	case r.URL.Query().Get("expired") == "1":
		p.Flash = "login.expired"
	case r.URL.Query().Get("bye") == "1":
		p.Flash = "logout.done"
	}
	s.render(w, r, http.StatusOK, "login", p)
}

// loginSubmit checks the credentials and starts a session with a new id.
// With password sign-in switched off it answers 404.
func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request) {
	if s.cfg.NoPasswordLogin {
		s.notFound(w, r)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, r, http.StatusBadRequest, "error.forbidden")
		return
	}
	username, ret := r.PostForm.Get("username"), safeReturn(r.PostForm.Get("return"))
	in, err := s.app.Login(r.Context(), reqctx.Actor(r.Context()), username, r.PostForm.Get("password"), s.lang(r),
		s.deviceCookie(r))
	if err != nil {
		p := s.page(r, "login.title")
		p.Data = s.newLoginData(username, ret)
		status := samordna.HTTPStatus(err)
		switch {
		case errors.Is(err, app.ErrRateLimited):
			p.Error = "login.rate_limited"
		case errors.Is(err, app.ErrBadCredentials):
			p.Error = "login.failed"
		default:
			s.serverError(w, r, err)
			return
		}
		s.render(w, r, status, "login", p)
		return
	}
	s.setSessionCookie(w, r, in.Secret)
	s.setDeviceCookie(w, r, in.Device)
	http.Redirect(w, r, ret, http.StatusSeeOther)
}

// logout ends the session on the server and in the browser. A session
// signed in through OpenID Connect then goes on to the provider's
// end-session endpoint, when it has one, to sign out there as well.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	next, err := s.providerLogoutURL(r)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if err := s.app.Logout(r.Context(), reqctx.Actor(r.Context()), s.sessionSecret(r)); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.clearSessionCookie(w, r)
	if next == "" {
		next = "/login?bye=1"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// setLanguage stores the chosen language in a cookie (and in the session,
// when signed in) and goes back to the page.
func (s *Server) setLanguage(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil || !isLang(r.PostForm.Get("lang")) {
		s.errorPage(w, r, http.StatusBadRequest, "error.forbidden")
		return
	}
	lang := r.PostForm.Get("lang")
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: int((365 * 24 * time.Hour).Seconds()),
		HttpOnly: true, Secure: s.secure(r), SameSite: http.SameSiteLaxMode})
	if secret := s.sessionSecret(r); secret != "" {
		if _, _, err := s.app.SessionEmployee(r.Context(), secret); err == nil {
			_ = s.app.SetSessionLanguage(r.Context(), secret, lang)
		}
	}
	http.Redirect(w, r, safeReturn(r.PostForm.Get("return")), http.StatusSeeOther)
}

// startData is what the start page shows. Each feature fills its own
// fields.
type startData struct {
	Cases         []spineCaseRow // the first cases the employee may read (cases.go)
	MoreCases     bool
	Tasks         *startTasks    // "Mine oppgaver": overdue, then due this week, by case (tasks.go)
	MayBreakGlass bool           // show the link to emergency access
	IsLeader      bool           // show the link to the emergency access reviews
	Queues        []queueSection // what waits for the employee's roles, most pressing first (hub.go)
	IsAdmin       bool           // the administrator sees no case cards
}

// startPage is "Mine oppgaver / Mine saker".
func (s *Server) startPage(w http.ResponseWriter, r *http.Request) {
	p := s.page(r, "start.title")
	d := &startData{MayBreakGlass: app.MayBreakGlass(reqctx.Actor(r.Context())),
		IsLeader: p.User != nil && p.User.HasRole(samordna.RoleServiceLeader)}
	var err error
	if d.Cases, d.MoreCases, err = s.startCases(r); err != nil {
		s.serverError(w, r, err)
		return
	}
	if d.Tasks, err = s.myStartTasks(r, p.Lang); err != nil {
		s.serverError(w, r, err)
		return
	}
	if d.Queues, err = s.startQueues(r, p); err != nil {
		s.serverError(w, r, err)
		return
	}
	d.IsAdmin = p.User != nil && p.User.HasRole(samordna.RoleAdmin)
	p.Data = d
	s.render(w, r, http.StatusOK, "start", p)
}
