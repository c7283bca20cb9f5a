package web

import (
	"net/http"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/reqctx"
)

// This file is the employee's own e-mail page: where Samordna's mail goes
// and whether it comes at once or as a daily digest (acute notices always
// at once).

// mailRoutes lists the e-mail settings page.
func (s *Server) mailRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/settings/mail", Access: "authenticated", Handler: s.mailPage},
		{Method: "POST", Path: "/settings/mail", Access: "authenticated", Handler: s.mailSubmit},
	}
}

// mailData is the page: the address, the choice now, and the choices.
type mailData struct {
	Email string
	Mode  string
	Modes []string
}

// mailPage shows the employee's address and choice.
func (s *Server) mailPage(w http.ResponseWriter, r *http.Request) {
	p := s.page(r, "mail.title")
	if r.URL.Query().Get("done") == "saved" {
		p.Flash = "mail.saved"
	}
	prefs, err := s.app.MailPreferences(r.Context(), reqctx.Actor(r.Context()))
	if err != nil {
		s.spineAppError(w, r, err)
		return
	}
	p.Data = mailData{Email: prefs.Email, Mode: prefs.Mode, Modes: app.MailModes}
	s.render(w, r, http.StatusOK, "settings_mail", p)
}

// mailSubmit stores the choice.
func (s *Server) mailSubmit(w http.ResponseWriter, r *http.Request) {
	if err := parseSpineForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	actor := reqctx.Actor(r.Context())
	_, err := s.app.SetMailMode(r.Context(), actor, r.PostForm.Get("mode"))
	if err == nil {
		http.Redirect(w, r, "/settings/mail?done=saved", http.StatusSeeOther)
		return
	}
	if samordna.ErrorKind(err) != samordna.KindInvalid {
		s.spineAppError(w, r, err)
		return
	}
	p := s.page(r, "mail.title")
	p.Error = "mail.invalid_mode"
	prefs, perr := s.app.MailPreferences(r.Context(), actor)
	if perr != nil {
		s.spineAppError(w, r, perr)
		return
	}
	p.Data = mailData{Email: prefs.Email, Mode: prefs.Mode, Modes: app.MailModes}
	s.render(w, r, http.StatusBadRequest, "settings_mail", p)
}
