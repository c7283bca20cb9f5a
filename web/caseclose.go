package web

import (
	"net/http"
	"strings"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/reqctx"
	"github.com/samordna/samordna/pathway"
)

// This file holds the pages that close and reopen a case. Closing is a
// review step: the page shows what closing will do (tasks ended, the group
// closed, meetings cancelled, when retention deletes the content) next to
// the reason, and only the confirm button changes anything.

// closeRoutes lists the close and reopen pages.
func (s *Server) closeRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/cases/{id}/close", Access: "case:close", Handler: s.closePage},
		{Method: "POST", Path: "/cases/{id}/close", Access: "case:close", Handler: s.closeSubmit},
		{Method: "GET", Path: "/cases/{id}/reopen", Access: "case:reopen", Handler: s.reopenPage},
		{Method: "POST", Path: "/cases/{id}/reopen", Access: "case:reopen", Handler: s.reopenSubmit},
	}
}

// closePageData is the close page (Reopen false) or the reopen page.
type closePageData struct {
	CaseID, Heading string
	Reopen          bool
	Preview         *app.ClosePreview
	Reasons         []string
	PurgeAfter      string // dd.mm.åååå, "" without a retention period
	// The reopen page: the closing's reason, note and date.
	ClosedReason, ClosedNote, ClosedAt string
	// The form as sent, refilled after an error.
	Reason, Note string
}

func (s *Server) closePage(w http.ResponseWriter, r *http.Request) {
	s.renderClose(w, r, s.page(r, "close.title"), http.StatusOK, &closePageData{})
}

// renderClose reads what closing would do (an audited read) and renders
// the close page with the form d.
func (s *Server) renderClose(w http.ResponseWriter, r *http.Request, p *Page, status int, d *closePageData) {
	pv, err := s.app.PreviewClose(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		s.spineAppError(w, r, err)
		return
	}
	d.CaseID, d.Preview, d.Reasons = pv.Case.ID, pv, app.CloseReasons
	if pv.PurgeAfter != nil {
		d.PurgeAfter = pv.PurgeAfter.In(pathway.Oslo()).Format("02.01.2006")
	}
	p.Data = d
	s.render(w, r, status, "case_close", p)
}

func (s *Server) closeSubmit(w http.ResponseWriter, r *http.Request) {
	if err := coordParseForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	d := &closePageData{Reason: strings.TrimSpace(r.PostForm.Get("reason")), Note: r.PostForm.Get("note")}
	_, err := s.app.CloseCase(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), d.Reason, d.Note)
	if err == nil {
		seeOther(w, r, casePath(r.PathValue("id"), ""), "closed", "")
		return
	}
	if samordna.ErrorKind(err) != samordna.KindInvalid {
		s.spineAppError(w, r, err)
		return
	}
	p := s.page(r, "close.title")
	p.Error = s.spineErrorMessage(p.Lang, err)
	s.renderClose(w, r, p, http.StatusBadRequest, d)
}

func (s *Server) reopenPage(w http.ResponseWriter, r *http.Request) {
	s.renderReopen(w, r, s.page(r, "reopen.title"), http.StatusOK, &closePageData{})
}

// renderReopen reads the closing (an audited read) and renders the reopen
// page with the form d.
func (s *Server) renderReopen(w http.ResponseWriter, r *http.Request, p *Page, status int, d *closePageData) {
	pv, err := s.app.PreviewReopen(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		s.spineAppError(w, r, err)
		return
	}
	d.CaseID, d.Reopen, d.ClosedReason, d.ClosedNote = pv.Case.ID, true, pv.Reason, pv.Note
	if pv.Case.ClosedAt != nil {
		d.ClosedAt = pv.Case.ClosedAt.In(pathway.Oslo()).Format("02.01.2006")
	}
	if pv.PurgeAfter != nil {
		d.PurgeAfter = pv.PurgeAfter.In(pathway.Oslo()).Format("02.01.2006")
	}
	p.Data = d
	s.render(w, r, status, "case_close", p)
}

func (s *Server) reopenSubmit(w http.ResponseWriter, r *http.Request) {
	if err := coordParseForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	d := &closePageData{Note: r.PostForm.Get("note")}
	_, err := s.app.ReopenCase(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), d.Note)
	if err == nil {
		seeOther(w, r, casePath(r.PathValue("id"), ""), "reopened", "")
		return
	}
	if samordna.ErrorKind(err) != samordna.KindInvalid {
		s.spineAppError(w, r, err)
		return
	}
	p := s.page(r, "reopen.title")
	p.Error = s.spineErrorMessage(p.Lang, err)
	s.renderReopen(w, r, p, http.StatusBadRequest, d)
}
