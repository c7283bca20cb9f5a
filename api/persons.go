package api

import (
	"net/http"
	"strconv"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/reqctx"
)

// personRoutes lists the endpoints of a person's own data (the export the
// coordinating unit makes when the person asks, GDPR art. 15) and of
// retention (how long the municipality keeps closed cases).
func (h *API) personRoutes() []Route {
	return []Route{
		{Method: "POST", Path: "/api/v1/persons/lookup", Access: "role:coordinating_unit", Handler: h.lookupPerson, Request: lookupRequest{},
			Summary: "Coordinating unit: find a person by fødselsnummer or D-nummer for an export: {\"id_number\"} → {\"id\", \"name\"}; audited (the number is not logged)."},
		{Method: "GET", Path: "/api/v1/persons/{id}/export", Access: "person:export", Handler: h.exportPerson,
			Summary: "Coordinating unit: everything Samordna holds about the person as JSON (cases, consents, applications, coordinators, groups, meetings and minutes, plans, reports, tasks, access logs); audited on the person and each case. ?format=pdf gives the PDF."},
		{Method: "GET", Path: "/api/v1/persons/{id}/export.pdf", Access: "person:export", Handler: h.exportPersonPDF,
			Summary: "Coordinating unit: the person's export as a PDF (application/pdf) with selectable text; audited."},
		{Method: "GET", Path: "/api/v1/retention", Access: "role:admin", Handler: h.getRetention,
			Summary: "Administrator: how long closed cases are kept: {\"months\" (null: not set, nothing is deleted), \"set_by\", \"set_at\", \"expired_cases\"}."},
		{Method: "GET", Path: "/api/v1/retention/preview", Access: "role:admin", Handler: h.previewRetention,
			Summary: "Administrator: how many closed cases would lose their content now with a period of ?months= (changes nothing): {\"months\", \"affected_cases\"}."},
		{Method: "PUT", Path: "/api/v1/retention", Access: "role:admin", Handler: h.setRetention, Request: retentionRequest{},
			Summary: "Administrator: set the period: {\"months\": 1-1200, or 0 to stop deleting}; audited. 400 invalid_retention."},
	}
}

type lookupRequest struct {
	IDNumber string `json:"id_number" text:"code"`
}

// lookupPerson finds a person by number for the coordinating unit.
func (h *API) lookupPerson(w http.ResponseWriter, r *http.Request) {
	actor := reqctx.Actor(r.Context())
	if err := h.app.CheckExportRole(r.Context(), actor); err != nil {
		WriteError(w, err) // refused before the body is read
		return
	}
	var in lookupRequest
	if err := Decode(w, r, &in); err != nil {
		WriteError(w, err)
		return
	}
	p, err := h.app.FindPersonForExport(r.Context(), actor, in.IDNumber)
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusOK, map[string]string{"id": p.ID, "name": p.Name})
}

// exportPerson answers the person's export as JSON, or as PDF with
// ?format=pdf.
func (h *API) exportPerson(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Query().Get("format") {
	case "pdf":
		h.exportPersonPDF(w, r)
		return
	case "", "json":
	default:
		WriteError(w, samordna.Errorf(samordna.KindInvalid, "bad_format", "format is json or pdf"))
		return
	}
	x, err := h.app.ExportPersonData(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), app.ExportActionJSON)
	if err != nil {
		WriteError(w, err)
		return
	}
	w.Header().Set("Content-Disposition", `attachment; filename="innsyn.json"`)
	WriteJSON(w, http.StatusOK, x)
}

// exportPersonPDF answers the person's export as application/pdf.
func (h *API) exportPersonPDF(w http.ResponseWriter, r *http.Request) {
	b, name, err := h.app.ExportPersonPDF(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		WriteError(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
}

type retentionJSON struct {
	Months       *int    `json:"months"`
	SetBy        string  `json:"set_by,omitempty"`
	SetAt        *string `json:"set_at"`
	ExpiredCases int     `json:"expired_cases"`
}

func writeRetention(w http.ResponseWriter, v *app.RetentionView) {
	out := retentionJSON{SetBy: v.SetByName, SetAt: optTime(v.SetAt), ExpiredCases: v.Expired}
	if v.Months > 0 {
		out.Months = &v.Months
	}
	WriteJSON(w, http.StatusOK, out)
}

func (h *API) getRetention(w http.ResponseWriter, r *http.Request) {
	v, err := h.app.Retention(r.Context(), reqctx.Actor(r.Context()))
	if err != nil {
		WriteError(w, err)
		return
	}
	writeRetention(w, v)
}

func (h *API) previewRetention(w http.ResponseWriter, r *http.Request) {
	months, err := strconv.Atoi(r.URL.Query().Get("months"))
	if err != nil {
		months = -1 // the app refuses it as invalid_retention (after the access check)
	}
	n, err := h.app.RetentionPreview(r.Context(), reqctx.Actor(r.Context()), months)
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusOK, map[string]int{"months": months, "affected_cases": n})
}

type retentionRequest struct {
	Months *int `json:"months"`
}

func (h *API) setRetention(w http.ResponseWriter, r *http.Request) {
	actor := reqctx.Actor(r.Context())
	if err := h.app.CheckRetentionRole(r.Context(), actor); err != nil {
		WriteError(w, err) // refused before the body is read
		return
	}
	var in retentionRequest
	if err := Decode(w, r, &in); err != nil {
		WriteError(w, err)
		return
	}
	if in.Months == nil {
		WriteError(w, samordna.Errorf(samordna.KindInvalid, "invalid_retention", "months is required (0 to stop deleting)"))
		return
	}
	v, err := h.app.SetRetention(r.Context(), actor, *in.Months)
	if err != nil {
		WriteError(w, err)
		return
	}
	writeRetention(w, v)
}
