package web

import (
	"net/http"
	"strings"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/reqctx"
)

// emergencyRoutes are the pages of emergency access: the break-glass form
// (the case is named in its case_id field, hence "case:break_glass") and
// the service leader's review list.
func (s *Server) emergencyRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/emergency-access", Access: "role:emergency_access", Handler: s.emergencyPage},
		{Method: "POST", Path: "/emergency-access", Access: "case:break_glass", Handler: s.breakGlass},
		{Method: "GET", Path: "/emergency-access/reviews", Access: "role:service_leader", Handler: s.reviewsPage},
		{Method: "POST", Path: "/emergency-access/{id}/review", Access: "emergency_access:review", Handler: s.reviewEmergency},
	}
}

// emergencyData is the break-glass form with what was typed: first a
// search for the case by the person's name or fødselsnummer, then the
// cases found, to choose one of, with the reason.
type emergencyData struct {
	CaseID, ReasonCode, Reason string
	Codes                      []string
	Hours                      int
	Query                      string // the search, sent back in the POST body only
	Searched                   bool   // a search was made: show its result
	Matches                    []caseChoice
}

// caseChoice is a case found by a search: the person's name and birth date.
type caseChoice struct {
	CaseID, Name, Born string
}

// caseChoices turns the app's matches into what the page shows.
func caseChoices(ms []app.CaseMatch) []caseChoice {
	out := make([]caseChoice, 0, len(ms))
	for _, m := range ms {
		out = append(out, caseChoice{CaseID: m.CaseID, Name: m.Name, Born: displayDate(m.BirthDate)})
	}
	return out
}

func newEmergencyData() emergencyData {
	return emergencyData{Codes: app.EmergencyReasons, Hours: int(app.EmergencyAccessDuration.Hours())}
}

// emergencyPage shows the break-glass form to employees with the
// emergency_access role; anyone else gets the 404 page.
func (s *Server) emergencyPage(w http.ResponseWriter, r *http.Request) {
	if err := s.app.CheckEmergencyRole(r.Context(), reqctx.Actor(r.Context())); err != nil {
		s.spineAppError(w, r, err)
		return
	}
	p := s.page(r, "emergency.title")
	p.Data = newEmergencyData()
	s.render(w, r, http.StatusOK, "emergency", p)
}

// breakGlass grants emergency access and opens the case. A case that does
// not exist and one that may not be opened give the same answer.
func (s *Server) breakGlass(w http.ResponseWriter, r *http.Request) {
	if err := parseSpineForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	d := newEmergencyData()
	d.CaseID = strings.TrimSpace(r.PostForm.Get("case_id"))
	d.ReasonCode, d.Reason = r.PostForm.Get("reason_code"), r.PostForm.Get("reason")
	d.Query = strings.TrimSpace(r.PostForm.Get("case_query"))
	if r.PostForm.Has("search") {
		s.emergencySearch(w, r, d)
		return
	}
	x, err := s.app.BreakGlass(r.Context(), reqctx.Actor(r.Context()), d.CaseID, d.ReasonCode, d.Reason)
	if err == nil {
		caseDoneRedirect(w, r, x.CaseID, "emergency", "main")
		return
	}
	kind := samordna.ErrorKind(err)
	if kind == samordna.KindInternal {
		s.serverError(w, r, err)
		return
	}
	if kind == samordna.KindNotFound && !app.MayBreakGlass(reqctx.Actor(r.Context())) {
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	p := s.page(r, "emergency.title")
	p.Error = s.spineErrorMessage(p.Lang, err)
	if kind == samordna.KindNotFound {
		p.Error = "emergency.not_found"
	}
	if d.Query != "" {
		if ms, serr := s.app.SearchCases(r.Context(), reqctx.Actor(r.Context()), app.SearchForEmergency, d.Query); serr == nil {
			d.Searched, d.Matches = true, caseChoices(ms)
		}
	}
	p.Data = d
	s.render(w, r, samordna.HTTPStatus(err), "emergency", p)
}

// emergencySearch lists the cases the employee may break the glass into
// whose person has exactly the name or fødselsnummer searched for (the app
// decides and audits); the page then offers them to choose from.
func (s *Server) emergencySearch(w http.ResponseWriter, r *http.Request, d emergencyData) {
	ms, err := s.app.SearchCases(r.Context(), reqctx.Actor(r.Context()), app.SearchForEmergency, d.Query)
	p := s.page(r, "emergency.title")
	switch kind := samordna.ErrorKind(err); {
	case err == nil:
		d.Searched, d.Matches = true, caseChoices(ms)
	case kind == samordna.KindNotFound:
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
		return
	case kind == samordna.KindInternal:
		s.serverError(w, r, err)
		return
	default:
		p.Error = s.spineErrorMessage(p.Lang, err)
	}
	p.Data = d
	status := http.StatusOK
	if err != nil {
		status = samordna.HTTPStatus(err)
	}
	s.render(w, r, status, "emergency", p)
}

// emergencyReviewRow is one emergency access in the leader's list.
type emergencyReviewRow struct {
	ID, Who, Username, CaseID, Code, Reason, Granted, Expires string
	Reviewed                                                  bool
	ReviewedBy, ReviewedAt, Note                              string
}

// reviewsPage lists the emergency accesses the service leader reviews:
// who, which case (by id), why and when — never the case's content.
func (s *Server) reviewsPage(w http.ResponseWriter, r *http.Request) {
	p := s.page(r, "emergency.reviews_title")
	if r.URL.Query().Get("done") == "reviewed" {
		p.Flash = "emergency.reviewed"
	}
	s.renderReviews(w, r, p, http.StatusOK)
}

func (s *Server) renderReviews(w http.ResponseWriter, r *http.Request, p *Page, status int) {
	xs, err := s.app.EmergencyReviews(r.Context(), reqctx.Actor(r.Context()))
	if err != nil {
		s.spineAppError(w, r, err)
		return
	}
	rows := []emergencyReviewRow{}
	for _, x := range xs {
		row := emergencyReviewRow{ID: x.ID, Who: x.Name, Username: x.Username, CaseID: x.CaseID,
			Code: s.spineLabel(r, "emergency.code.", x.ReasonCode), Reason: x.ReasonText,
			Granted: displayTime(x.GrantedAt), Expires: displayTime(x.ExpiresAt), Reviewed: x.ReviewedAt != nil,
			ReviewedBy: x.ReviewerName, Note: x.ReviewNote}
		if x.ReviewedAt != nil {
			row.ReviewedAt = displayTime(*x.ReviewedAt)
		}
		rows = append(rows, row)
	}
	p.Data = rows
	s.render(w, r, status, "emergency_reviews", p)
}

// reviewEmergency marks an emergency access reviewed with a note.
func (s *Server) reviewEmergency(w http.ResponseWriter, r *http.Request) {
	if err := parseSpineForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	_, err := s.app.ReviewEmergencyAccess(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), r.PostForm.Get("note"))
	if err == nil {
		http.Redirect(w, r, "/emergency-access/reviews?done=reviewed", http.StatusSeeOther)
		return
	}
	switch samordna.ErrorKind(err) {
	case samordna.KindNotFound, samordna.KindInternal:
		s.spineAppError(w, r, err)
		return
	}
	p := s.page(r, "emergency.reviews_title")
	p.Error = s.spineErrorMessage(p.Lang, err)
	s.renderReviews(w, r, p, samordna.HTTPStatus(err))
}

// spineAppError shows the 404 page for not found (and refused), a plain 500 for
// internal errors and the error page with the message otherwise.
func (s *Server) spineAppError(w http.ResponseWriter, r *http.Request, err error) {
	switch samordna.ErrorKind(err) {
	case samordna.KindNotFound:
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
	case samordna.KindInternal:
		s.serverError(w, r, err)
	default:
		s.errorPage(w, r, samordna.HTTPStatus(err), s.spineErrorMessage(s.lang(r), err))
	}
}
