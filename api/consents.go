package api

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/reqctx"
	"github.com/samordna/samordna/pathway"
)

func (h *API) consentRoutes() []Route {
	return []Route{
		{Method: "POST", Path: "/api/v1/cases/{id}/consents", Access: "case:manage_consent", Handler: h.recordConsent, Request: consentRequest{},
			Summary: "Record a written consent: {\"given_by\", \"purposes\", \"valid_until\"?, \"given_by_relation\"?, \"form_id\"?, " +
				"\"team_id\"? (required with the purpose share_with_team: the named team)}."},
		{Method: "POST", Path: "/api/v1/consents/{id}/withdraw", Access: "consent:manage_consent", Handler: h.withdrawConsent, Request: emptyRequest{},
			Summary: "Withdraw a consent; access that rested on it ends with the next request."},
		{Method: "GET", Path: "/api/v1/consents/{id}/versions", Access: "consent:read", Handler: h.consentVersions,
			Summary: "Every version of a consent, oldest first."},
		{Method: "POST", Path: "/api/v1/consents/{id}/form", Access: "consent:manage_consent", Handler: h.attachForm, Request: attachFormRequest{},
			Summary: "Attach an uploaded signed form of the same case to the consent (a new version): {\"form_id\"}."},
		{Method: "POST", Path: "/api/v1/cases/{id}/consent-forms", Access: "case:manage_consent", Handler: h.uploadForm,
			Summary: "Upload a scanned signed consent form as the raw body (PDF, PNG or JPEG by content; at most 5 MiB)."},
		{Method: "GET", Path: "/api/v1/cases/{id}/consent-forms/{formId}", Access: "case:read", Handler: h.downloadForm,
			Summary: "Download an uploaded consent form."},
	}
}

type consentJSON struct {
	ID              string   `json:"id"`
	Version         int      `json:"version"`
	Status          string   `json:"status"` // active, withdrawn or expired
	Purposes        []string `json:"purposes"`
	GivenBy         string   `json:"given_by"`
	GivenByRelation string   `json:"given_by_relation"`
	RecordedAt      string   `json:"recorded_at"`
	ValidUntil      *string  `json:"valid_until"` // the last day it holds, YYYY-MM-DD
	WithdrawnAt     *string  `json:"withdrawn_at"`
	FormID          string   `json:"form_id,omitempty"`
	TeamID          string   `json:"team_id,omitempty"`
}

func consentToJSON(c *samordna.Consent) consentJSON {
	out := consentJSON{ID: c.ID, Version: c.Version, Status: c.Status, Purposes: []string{}, GivenBy: c.GivenByName,
		GivenByRelation: c.GivenByRelation, RecordedAt: timeJSON(c.RecordedAt), ValidUntil: lastDay(c.ValidUntil),
		WithdrawnAt: optTime(c.WithdrawnAt), FormID: c.FormID, TeamID: c.TeamID}
	for _, p := range c.Purposes {
		out.Purposes = append(out.Purposes, string(p))
	}
	return out
}

// consentRequest is POST /api/v1/cases/{id}/consents.
type consentRequest struct {
	GivenBy         string   `json:"given_by" text:"name"`
	GivenByRelation string   `json:"given_by_relation" text:"name"`
	Purposes        []string `json:"purposes" text:"code"`
	ValidUntil      string   `json:"valid_until" text:"code"`
	FormID          string   `json:"form_id" text:"id"`
	TeamID          string   `json:"team_id" text:"id"`
	// OnPaper: given on the signed paper form, whose scan form_id must name.
	OnPaper bool `json:"on_paper"`
}

// recordConsent answers 201 {"id", "status": "active", "version"}.
func (h *API) recordConsent(w http.ResponseWriter, r *http.Request) {
	var in consentRequest
	if err := Decode(w, r, &in); err != nil {
		WriteError(w, err)
		return
	}
	nc := app.NewConsent{GivenBy: in.GivenBy, GivenByRelation: in.GivenByRelation, ValidUntil: in.ValidUntil,
		FormID: in.FormID, TeamID: in.TeamID, OnPaper: in.OnPaper}
	for _, p := range in.Purposes {
		nc.Purposes = append(nc.Purposes, samordna.ConsentPurpose(p))
	}
	c, err := h.app.RecordConsent(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), nc)
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusCreated, map[string]any{"id": c.ID, "status": c.Status, "version": c.Version})
}

// emptyRequest is the body of an action that takes none: no body, or {}.
type emptyRequest struct{}

// decodeOptional accepts an empty body or a strict JSON value into v.
func decodeOptional(w http.ResponseWriter, r *http.Request, v any) error {
	if r.Body == nil || r.ContentLength == 0 {
		return nil
	}
	if r.ContentLength < 0 { // unknown length: look at the first byte
		var b [1]byte
		n, err := r.Body.Read(b[:])
		if n == 0 && (err == io.EOF || err == nil) {
			return nil
		}
		r.Body = struct {
			io.Reader
			io.Closer
		}{io.MultiReader(bytes.NewReader(b[:n]), r.Body), r.Body}
	}
	return Decode(w, r, v)
}

// withdrawConsent answers 200 {"id", "status": "withdrawn", "version"}.
func (h *API) withdrawConsent(w http.ResponseWriter, r *http.Request) {
	if err := decodeOptional(w, r, &emptyRequest{}); err != nil {
		WriteError(w, err)
		return
	}
	c, err := h.app.WithdrawConsent(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusOK, map[string]any{"id": c.ID, "status": c.Status, "version": c.Version})
}

type consentVersionJSON struct {
	Version         int      `json:"version"`
	Status          string   `json:"status"`
	Purposes        []string `json:"purposes"`
	GivenBy         string   `json:"given_by"`
	GivenByRelation string   `json:"given_by_relation"`
	ValidUntil      *string  `json:"valid_until"`
	FormID          string   `json:"form_id,omitempty"`
	Change          string   `json:"change"`
	ChangedBy       string   `json:"changed_by"` // username
	ChangedAt       string   `json:"changed_at"`
}

// consentVersions answers {"items": [...], "next": ""}, oldest first.
func (h *API) consentVersions(w http.ResponseWriter, r *http.Request) {
	vs, err := h.app.ConsentVersions(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		WriteError(w, err)
		return
	}
	out := listJSON[consentVersionJSON]{Items: []consentVersionJSON{}}
	for _, v := range vs {
		j := consentVersionJSON{Version: v.Version, Status: v.Status, Purposes: []string{}, GivenBy: v.GivenByName,
			GivenByRelation: v.GivenByRelation, ValidUntil: lastDay(v.ValidUntil), FormID: v.FormID, Change: v.Change,
			ChangedBy: v.ChangedByUsername, ChangedAt: timeJSON(v.ChangedAt)}
		if v.Purposes != "" {
			j.Purposes = strings.Split(v.Purposes, ",")
		}
		out.Items = append(out.Items, j)
	}
	WriteJSON(w, http.StatusOK, out)
}

// attachFormRequest is POST /api/v1/consents/{id}/form.
type attachFormRequest struct {
	FormID string `json:"form_id" text:"id"`
}

// attachForm answers 200 {"id", "status", "version", "form_id"}.
func (h *API) attachForm(w http.ResponseWriter, r *http.Request) {
	var in attachFormRequest
	if err := Decode(w, r, &in); err != nil {
		WriteError(w, err)
		return
	}
	c, err := h.app.AttachConsentForm(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), in.FormID)
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusOK, map[string]any{"id": c.ID, "status": c.Status, "version": c.Version, "form_id": c.FormID})
}

// uploadForm takes the raw body whatever its Content-Type says; the
// content decides. Over app.MaxConsentFormBytes → 413.
func (h *API) uploadForm(w http.ResponseWriter, r *http.Request) {
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, app.MaxConsentFormBytes))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		WriteError(w, app.ErrFormTooLarge)
		return
	}
	if err != nil {
		WriteError(w, samordna.Errorf(samordna.KindInvalid, "bad_body", "the body could not be read"))
		return
	}
	f, err := h.app.UploadConsentForm(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"),
		r.Header.Get("Content-Type"), data)
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusCreated, map[string]any{"id": f.ID, "content_type": f.ContentType, "size": f.Size})
}

// downloadForm sends the stored form as an attachment, never rendered
// inline.
func (h *API) downloadForm(w http.ResponseWriter, r *http.Request) {
	f, err := h.app.ScannedConsentForm(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), r.PathValue("formId"))
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteForm(w, f)
}

// WriteForm writes a stored consent form as a download (also used by the
// pages).
func WriteForm(w http.ResponseWriter, f *app.ConsentFormData) {
	ext := map[string]string{app.FormPDF: "pdf", app.FormPNG: "png", app.FormJPEG: "jpg"}[f.ContentType]
	w.Header().Set("Content-Type", f.ContentType)
	w.Header().Set("Content-Disposition", `attachment; filename="samtykkeskjema-`+f.UploadedAt.In(pathway.Oslo()).Format("02.01.2006")+`.`+ext+`"`)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(f.Data)
}
