package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/reqctx"
	"github.com/samordna/samordna/pathway"
)

// This file holds the pages of a person's own data and of retention: the
// coordinating unit finds a person by number, reviews what the export
// holds and downloads it as JSON or PDF; the administrator reviews and sets
// how long closed cases are kept. Every message id is in
// web/locales/privacy.*.yaml under "privacy.".

// personRoutes lists the export and retention pages.
func (s *Server) personRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/persons/export", Access: "role:coordinating_unit", Handler: s.personSearchPage},
		{Method: "POST", Path: "/persons/export", Access: "role:coordinating_unit", Handler: s.personSearch},
		{Method: "GET", Path: "/persons/{id}/export", Access: "person:export", Handler: s.personExportPage},
		{Method: "GET", Path: "/persons/{id}/export.json", Access: "person:export", Handler: s.personExportJSON},
		{Method: "GET", Path: "/persons/{id}/export.pdf", Access: "person:export", Handler: s.personExportPDF},
		{Method: "GET", Path: "/admin/retention", Access: "role:admin", Handler: s.retentionPage},
		{Method: "POST", Path: "/admin/retention", Access: "role:admin", Handler: s.retentionSubmit},
	}
}

// personSearchData is the search form with what was typed.
type personSearchData struct {
	IDNumber string
}

// personSearchPage shows the search for the coordinating unit; anyone
// else gets the 404 page.
func (s *Server) personSearchPage(w http.ResponseWriter, r *http.Request) {
	if err := s.app.CheckExportRole(r.Context(), reqctx.Actor(r.Context())); err != nil {
		s.spineAppError(w, r, err)
		return
	}
	p := s.page(r, "privacy.search_title")
	p.Data = personSearchData{}
	s.render(w, r, http.StatusOK, "person_search", p)
}

// personSearch finds the person by number (sent in the body, never in an
// address) and goes on to the review of the export.
func (s *Server) personSearch(w http.ResponseWriter, r *http.Request) {
	if err := parseSpineForm(w, r); err != nil { // like every form: text no field may hold is refused first
		s.formError(w, r, err)
		return
	}
	actor := reqctx.Actor(r.Context())
	if err := s.app.CheckExportRole(r.Context(), actor); err != nil {
		s.spineAppError(w, r, err)
		return
	}
	d := personSearchData{IDNumber: strings.TrimSpace(r.PostForm.Get("id_number"))}
	person, err := s.app.FindPersonForExport(r.Context(), actor, d.IDNumber)
	if err == nil {
		http.Redirect(w, r, "/persons/"+url.PathEscape(person.ID)+"/export", http.StatusSeeOther)
		return
	}
	status := samordna.HTTPStatus(err)
	p := s.page(r, "privacy.search_title")
	switch samordna.ErrorKind(err) {
	case samordna.KindInternal:
		s.serverError(w, r, err)
		return
	case samordna.KindNotFound:
		p.Error = "privacy.search_none"
	default:
		p.Error = "privacy.search_invalid"
	}
	p.Data = d
	s.render(w, r, status, "person_search", p)
}

// exportCaseRow is one case in the review of the export.
type exportCaseRow struct {
	Number                                           int
	Status, Created, Closed, Purged, RegisteredBy    string
	Concerns, Consents, Plans, Minutes, Reports, Log int
}

// personExportData is the review of the export: who, and how much of each
// kind it holds.
type personExportData struct {
	ID, Name, IDNumber, BirthDate, Anonymised string
	Cases                                     []exportCaseRow
	ConsentsGiven, Log                        int
}

// personExportPage shows what the export of the person holds, with the
// downloads. Reading it is audited (the preview).
func (s *Server) personExportPage(w http.ResponseWriter, r *http.Request) {
	x, err := s.app.ExportPersonData(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), app.ExportActionPreview)
	if err != nil {
		s.spineAppError(w, r, err)
		return
	}
	p := s.page(r, "privacy.export_title")
	d := personExportData{ID: x.Person.ID, Name: x.Person.Name, IDNumber: x.Person.IDNumber,
		BirthDate: dayOf(x.Person.BirthDate), ConsentsGiven: len(x.ConsentsGiven), Log: len(x.AccessLog)}
	if x.Person.AnonymisedAt != nil {
		d.Anonymised = instantDay(*x.Person.AnonymisedAt)
	}
	for i, c := range x.Cases {
		row := exportCaseRow{Number: i + 1, Status: s.catalog.T(p.Lang, "privacy.status."+c.Status, nil),
			Created: instantDay(c.CreatedAt), RegisteredBy: c.RegisteredBy, Concerns: len(c.Concerns),
			Consents: len(c.Consents), Plans: len(c.Plans), Reports: len(c.Reports), Log: len(c.AccessLog)}
		if c.ClosedAt != nil {
			row.Closed = instantDay(*c.ClosedAt)
		}
		if c.PurgedAt != nil {
			row.Purged = instantDay(*c.PurgedAt)
		}
		for _, m := range c.Meetings {
			if m.Minutes != nil {
				row.Minutes++
			}
		}
		d.Cases = append(d.Cases, row)
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "person_export", p)
}

// personExportJSON downloads the export as JSON.
func (s *Server) personExportJSON(w http.ResponseWriter, r *http.Request) {
	x, err := s.app.ExportPersonData(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), app.ExportActionJSON)
	if err != nil {
		s.spineAppError(w, r, err)
		return
	}
	b, err := json.MarshalIndent(x, "", "  ")
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="innsyn.json"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	_, _ = w.Write(b)
}

// personExportPDF downloads the export as PDF.
func (s *Server) personExportPDF(w http.ResponseWriter, r *http.Request) {
	b, name, err := s.app.ExportPersonPDF(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		s.spineAppError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	_, _ = w.Write(b)
}

// retentionData is the retention page: the setting now and, while the
// administrator reviews a change, the new period and what it would delete.
type retentionData struct {
	Months         int
	SetBy, SetAt   string
	Expired        int
	Input          string // the months field as typed
	Review         bool   // the review of Input before saving
	ReviewMonths   int
	ReviewAffected int
	MaxMonths      int
}

// retentionPage shows the setting and the form to change it.
func (s *Server) retentionPage(w http.ResponseWriter, r *http.Request) {
	p := s.page(r, "privacy.retention_title")
	if r.URL.Query().Get("done") == "saved" {
		p.Flash = "privacy.retention_saved"
	}
	s.renderRetention(w, r, p, http.StatusOK, retentionData{})
}

// renderRetention fills d with the current setting and renders the page.
func (s *Server) renderRetention(w http.ResponseWriter, r *http.Request, p *Page, status int, d retentionData) {
	v, err := s.app.Retention(r.Context(), reqctx.Actor(r.Context()))
	if err != nil {
		s.spineAppError(w, r, err)
		return
	}
	d.Months, d.SetBy, d.Expired, d.MaxMonths = v.Months, v.SetByName, v.Expired, app.RetentionMaxMonths
	if v.SetAt != nil {
		d.SetAt = displayTime(*v.SetAt)
	}
	if d.Input == "" && v.Months > 0 {
		d.Input = strconv.Itoa(v.Months)
	}
	p.Data = d
	s.render(w, r, status, "admin_retention", p)
}

// retentionSubmit reviews a new period (step "review": how many closed
// cases it would delete now) or saves it (step "save", after the review).
func (s *Server) retentionSubmit(w http.ResponseWriter, r *http.Request) {
	if err := parseSpineForm(w, r); err != nil { // like every form: text no field may hold is refused first
		s.formError(w, r, err)
		return
	}
	actor := reqctx.Actor(r.Context())
	if err := s.app.CheckRetentionRole(r.Context(), actor); err != nil {
		s.spineAppError(w, r, err)
		return
	}
	d := retentionData{Input: strings.TrimSpace(r.PostForm.Get("months"))}
	p := s.page(r, "privacy.retention_title")
	months, err := strconv.Atoi(d.Input)
	if err != nil {
		months = -1 // refused below as invalid_retention
	}
	if r.PostForm.Get("step") == "save" {
		if _, err = s.app.SetRetention(r.Context(), actor, months); err == nil {
			http.Redirect(w, r, "/admin/retention?done=saved", http.StatusSeeOther)
			return
		}
	} else {
		var n int
		if n, err = s.app.RetentionPreview(r.Context(), actor, months); err == nil {
			d.Review, d.ReviewMonths, d.ReviewAffected = true, months, n
			s.renderRetention(w, r, p, http.StatusOK, d)
			return
		}
	}
	if samordna.ErrorKind(err) != samordna.KindInvalid {
		s.spineAppError(w, r, err)
		return
	}
	p.Error = "privacy.retention_invalid"
	s.renderRetention(w, r, p, http.StatusBadRequest, d)
}

// dayOf writes a YYYY-MM-DD date as dd.mm.åååå ("" stays "").
func dayOf(d string) string {
	t, err := time.Parse(time.DateOnly, d)
	if err != nil {
		return d
	}
	return t.Format("02.01.2006")
}

// instantDay writes an RFC 3339 instant as its Oslo date, dd.mm.åååå.
func instantDay(s string) string {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return s
	}
	return t.In(pathway.Oslo()).Format("02.01.2006")
}
