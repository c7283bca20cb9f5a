package api

import (
	"net/http"

	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/reqctx"
)

// mailRoutes are the caller's own e-mail choice: each notice at once or a
// daily digest (acute notices always at once).
func (h *API) mailRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/api/v1/me/mail-preferences", Access: "authenticated", Handler: h.mailPreferences,
			Summary: "The caller's e-mail choice: {\"mode\": \"immediate\"|\"digest\", \"email\"}."},
		{Method: "PUT", Path: "/api/v1/me/mail-preferences", Access: "authenticated", Handler: h.setMailPreferences,
			Request: mailPreferencesRequest{}, Summary: "Choose immediate mail or a daily digest: {\"mode\"}."},
	}
}

type mailPreferencesRequest struct {
	Mode string `json:"mode" text:"code"`
}

type mailPreferencesJSON struct {
	Mode  string `json:"mode"`
	Email string `json:"email"`
}

func mailPreferencesToJSON(p *app.MailPreferences) mailPreferencesJSON {
	return mailPreferencesJSON{Mode: p.Mode, Email: p.Email}
}

// mailPreferences answers the caller's own choice. Any authenticated employee.
func (h *API) mailPreferences(w http.ResponseWriter, r *http.Request) {
	p, err := h.app.MailPreferences(r.Context(), reqctx.Actor(r.Context()))
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusOK, mailPreferencesToJSON(p))
}

// setMailPreferences stores the caller's own choice. Any authenticated
// employee; invalid_mode (400).
func (h *API) setMailPreferences(w http.ResponseWriter, r *http.Request) {
	var in mailPreferencesRequest
	if err := Decode(w, r, &in); err != nil {
		WriteError(w, err)
		return
	}
	p, err := h.app.SetMailMode(r.Context(), reqctx.Actor(r.Context()), in.Mode)
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusOK, mailPreferencesToJSON(p))
}
