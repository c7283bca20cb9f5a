package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/reqctx"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// coordinationRoutes lists the coordination pages: the coordinating unit's
// inbox and decision, the application form, the coordinator's own page, the
// consent form, the responsibility group, meetings and minutes, and the
// unit's overview.
func (s *Server) coordinationRoutes() []Route {
	routes := []Route{
		{Method: "GET", Path: "/coordination", Access: "role:coordinating_unit", Handler: s.inboxPage},
		{Method: "GET", Path: "/applications/{id}", Access: "application:read", Handler: s.applicationPage},
		{Method: "POST", Path: "/applications/{id}/decision/review", Access: "application:decide", Handler: s.reviewDecision},
		{Method: "POST", Path: "/applications/{id}/decision", Access: "application:decide", Handler: s.decideApplication},
		{Method: "GET", Path: "/cases/{id}/application", Access: "case:write", Handler: s.applyPage},
		{Method: "POST", Path: "/cases/{id}/application", Access: "case:write", Handler: s.submitApplication},
		{Method: "GET", Path: "/coordinator", Access: "authenticated", Handler: s.coordinatorPage},
		{Method: "POST", Path: "/cases/{id}/coordinator/accept", Access: "case:accept_coordinator", Handler: s.acceptCoordinator},
		{Method: "POST", Path: "/cases/{id}/coordinator/handover", Access: "case:coordinate", Handler: s.handoverCoordinator},
		{Method: "GET", Path: "/cases/{id}/consent-form", Access: "case:read", Handler: s.consentFormPage},
		{Method: "GET", Path: "/cases/{id}/consent-form.pdf", Access: "case:manage_consent", Handler: s.consentFormPDF},
	}
	routes = append(routes, s.groupRoutes()...)
	routes = append(routes, s.meetingRoutes()...)
	return append(routes, s.overviewRoutes()...)
}

// coordFail answers a failed coordination request: a missing or refused
// object gives the 404 page, an internal error the 500 page; otherwise
// again renders the page with the error's message (coord.err.<code>).
func (s *Server) coordFail(w http.ResponseWriter, r *http.Request, err error, again func(p *Page, status int)) {
	switch {
	case samordna.ErrorKind(err) == samordna.KindNotFound:
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
		return
	case samordna.ErrorKind(err) == samordna.KindInternal:
		s.serverError(w, r, err)
		return
	case again == nil:
		s.errorPage(w, r, samordna.HTTPStatus(err), "error.forbidden")
		return
	}
	p := s.page(r, "coord.title")
	p.Error = s.coordMessage(p.Lang, err)
	again(p, samordna.HTTPStatus(err))
}

// coordMessage returns the message id for an error: coord.err.<code> when
// the catalog has it, else a general one.
func (s *Server) coordMessage(lang string, err error) string {
	id := "coord.err." + samordna.ErrorCode(err)
	if s.catalog.T(lang, id, nil) != "["+id+"]" {
		return id
	}
	return "coord.err.invalid"
}

// coordFlash sets the page's notice from ?done= when the catalog has it.
func (s *Server) coordFlash(r *http.Request, p *Page) {
	if done := r.URL.Query().Get("done"); done != "" {
		if id := "coord.done." + done; s.catalog.T(p.Lang, id, nil) != "["+id+"]" {
			p.Flash = id
		}
	}
}

// seeOther redirects to path with ?done= and an anchor.
func seeOther(w http.ResponseWriter, r *http.Request, path, done, anchor string) {
	u := path + "?done=" + url.QueryEscape(done)
	if anchor != "" {
		u += "#" + anchor
	}
	http.Redirect(w, r, u, http.StatusSeeOther)
}

// casePath is the address of a case page under it.
func casePath(caseID, rest string) string { return "/cases/" + url.PathEscape(caseID) + rest }

// applicationRow is an application in a list.
type applicationRow struct {
	A         *store.Application
	Submitted string
	Decided   string
	Wish      string
}

func applicationRows(as []*store.Application) []applicationRow {
	var rows []applicationRow
	for _, a := range as {
		row := applicationRow{A: a, Submitted: coordTime(a.SubmittedAt), Wish: a.WishedName}
		if a.DecidedAt != nil {
			row.Decided = coordTime(*a.DecidedAt)
		}
		if row.Wish == "" {
			row.Wish = a.WishedCoordinator
		}
		rows = append(rows, row)
	}
	return rows
}

// inboxData is the coordinating unit's inbox.
type inboxData struct {
	Status   string
	Statuses []string
	Rows     []applicationRow
	Next     string
}

// inboxPage lists the applications by status, oldest first.
func (s *Server) inboxPage(w http.ResponseWriter, r *http.Request) {
	status := r.URL.Query().Get("status")
	if status == "" {
		status = store.ApplicationSubmitted
	}
	if status == "all" {
		status = ""
	}
	page, err := s.app.ApplicationInbox(r.Context(), reqctx.Actor(r.Context()), status, r.URL.Query().Get("cursor"), 50)
	if samordna.ErrorKind(err) == samordna.KindInvalid {
		s.errorPage(w, r, http.StatusBadRequest, "error.forbidden")
		return
	}
	if err != nil {
		s.coordFail(w, r, err, nil)
		return
	}
	p := s.page(r, "coord.inbox_title")
	d := inboxData{Status: status, Statuses: []string{"submitted", "granted", "refused", ""}, Rows: applicationRows(page.Items)}
	if page.Next != "" {
		d.Next = "/coordination?" + url.Values{"status": {r.URL.Query().Get("status")}, "cursor": {page.Next}}.Encode()
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "coord_inbox", p)
}

// applicationData is the application page with the decision form.
type applicationData struct {
	Row       applicationRow
	CanDecide bool
	Child     bool // a child coordinator is possible
	In        decisionInput
	Grounds   []string // the grounds of a child coordinator (hol § 7-2a)
}

type decisionInput struct {
	Outcome, Coordinator, Kind, PlanWhen, Reason, Ground string
}

func (s *Server) applicationPage(w http.ResponseWriter, r *http.Request) {
	p := s.page(r, "coord.application_title")
	s.coordFlash(r, p)
	s.renderApplication(w, r, p, http.StatusOK, nil)
}

func (s *Server) renderApplication(w http.ResponseWriter, r *http.Request, p *Page, status int, in *decisionInput) {
	a, canDecide, err := s.app.GetApplication(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		s.coordFail(w, r, err, nil)
		return
	}
	d := applicationData{Row: applicationRows([]*store.Application{a})[0], CanDecide: canDecide && a.Status == store.ApplicationSubmitted,
		Child: a.SubjectDueDate != "" || s.childBirth(a.SubjectBirthDate), Grounds: app.ChildCoordinatorGrounds}
	// No outcome is chosen in advance: the unit chooses, then reviews (reviewDecision).
	d.In = decisionInput{Coordinator: a.WishedCoordinator, Kind: "coordinator", PlanWhen: "no"}
	if a.WantsPlan {
		d.In.PlanWhen = "now"
	}
	if in != nil {
		d.In = *in
	}
	p.Data = d
	s.render(w, r, status, "coord_application", p)
}

// childBirth reports whether a birth date (YYYY-MM-DD) is less than 18
// years ago, to offer the child coordinator; the app makes the real check.
func (s *Server) childBirth(date string) bool {
	birth, err := time.Parse(time.DateOnly, date)
	return err == nil && s.app.Clock.Now().Before(birth.AddDate(18, 0, 0))
}

func (s *Server) decideApplication(w http.ResponseWriter, r *http.Request) {
	if err := coordParseForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	f := r.PostForm
	in := decisionInput{Outcome: f.Get("outcome"), Coordinator: f.Get("coordinator"), Kind: f.Get("coordinator_kind"),
		PlanWhen: f.Get("individual_plan_when"), Reason: f.Get("reason"), Ground: f.Get("child_coordinator_ground")}
	res, err := s.app.DecideApplication(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), app.Decision{
		Outcome: in.Outcome, Coordinator: in.Coordinator, CoordinatorKind: in.Kind,
		IndividualPlan: in.PlanWhen == "now", IndividualPlanWhen: in.PlanWhen, Reason: in.Reason,
		ChildCoordinatorGround: in.Ground})
	if err != nil {
		s.coordFail(w, r, err, func(p *Page, status int) { s.renderApplication(w, r, p, status, &in) })
		return
	}
	done := "decided"
	if len(res.Warnings) > 0 {
		done = "decided_against_wish"
	}
	seeOther(w, r, "/applications/"+url.PathEscape(res.Application.ID), done, "")
}

// applyData is the application form.
type applyData struct {
	CaseID string
	In     app.NewApplication
	Forms  []consentFormRow // the case's uploaded forms: the person's own signed application can be one
}

func (s *Server) applyPage(w http.ResponseWriter, r *http.Request) {
	p := s.page(r, "coord.apply_title")
	s.renderApply(w, r, p, http.StatusOK, app.NewApplication{Coordinator: true})
}

func (s *Server) renderApply(w http.ResponseWriter, r *http.Request, p *Page, status int, in app.NewApplication) {
	// Reading the case checks access (and audits it); the form needs no more.
	v, err := s.app.GetCase(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		s.coordFail(w, r, err, nil)
		return
	}
	d := applyData{CaseID: r.PathValue("id"), In: in}
	for _, f := range v.Forms {
		d.Forms = append(d.Forms, consentFormRow{ID: f.ID, Type: f.ContentType, Uploaded: displayTime(f.UploadedAt)})
	}
	p.Data = d
	s.render(w, r, status, "coord_apply", p)
}

func (s *Server) submitApplication(w http.ResponseWriter, r *http.Request) {
	if err := coordParseForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	f := r.PostForm
	in := app.NewApplication{Coordinator: f.Get("coordinator") == "yes", IndividualPlan: f.Get("individual_plan") == "yes",
		WishedCoordinator: strings.TrimSpace(f.Get("wished_coordinator")), ResponsibilityGroup: f.Get("responsibility_group") == "yes",
		WishedBy: f.Get("wished_by"), WishedByRelation: f.Get("wished_by_relation"), SignedFormID: f.Get("signed_form_id")}
	_, err := s.app.SubmitApplication(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), in)
	if err != nil {
		s.coordFail(w, r, err, func(p *Page, status int) {
			p.Title = "coord.apply_title"
			switch {
			case errors.Is(err, app.ErrWillRefused): // the refusal's path: a report to child welfare, not the unit
				p.Error = "coord.err.consent_refused"
			case errors.Is(err, app.ErrWillRequired):
				p.Error = "coord.err.will_required"
			}
			s.renderApply(w, r, p, status, in)
		})
		return
	}
	seeOther(w, r, casePath(r.PathValue("id"), ""), "application_submitted", "")
}

// coordinatorRow is a case on the coordinator's page.
type coordinatorRow struct {
	C    app.CoordinatorCase
	Next string
}

func (s *Server) coordinatorPage(w http.ResponseWriter, r *http.Request) {
	cs, err := s.app.MyCoordinatorCases(r.Context(), reqctx.Actor(r.Context()))
	if err != nil {
		s.coordFail(w, r, err, nil)
		return
	}
	p := s.page(r, "coord.coordinator_title")
	s.coordFlash(r, p)
	var rows []coordinatorRow
	for _, c := range cs {
		row := coordinatorRow{C: c}
		if c.NextMeeting != nil {
			row.Next = coordTime(*c.NextMeeting)
		}
		rows = append(rows, row)
	}
	p.Data = rows
	s.render(w, r, http.StatusOK, "coord_coordinator", p)
}

func (s *Server) acceptCoordinator(w http.ResponseWriter, r *http.Request) {
	if err := coordParseForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	if _, err := s.app.AcceptCoordinator(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id")); err != nil {
		s.coordFail(w, r, err, func(p *Page, status int) {
			p.Title = "coord.coordinator_title"
			p.Data = []coordinatorRow(nil)
			s.render(w, r, status, "coord_coordinator", p)
		})
		return
	}
	seeOther(w, r, "/coordinator", "accepted", "")
}

func (s *Server) handoverCoordinator(w http.ResponseWriter, r *http.Request) {
	if err := coordParseForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	_, err := s.app.HandoverCoordinator(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), r.PostForm.Get("username"))
	if err != nil {
		s.coordFail(w, r, err, func(p *Page, status int) { s.renderGroup(w, r, p, status, nil) })
		return
	}
	seeOther(w, r, casePath(r.PathValue("id"), "/group"), "handover_offered", "coordinator")
}

// consentFormData is the consent form page.
type consentFormData struct {
	V          *app.ConsentFormView
	Statements []string
	Active     bool // an active consent covers the group
}

func (s *Server) consentFormPage(w http.ResponseWriter, r *http.Request) {
	v, err := s.app.ConsentForm(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		s.coordFail(w, r, err, nil)
		return
	}
	p := s.page(r, "coord.consent_form_title")
	d := consentFormData{V: v}
	for i := range app.ConsentStatements {
		d.Statements = append(d.Statements, "coord.consent_statement."+string(rune('1'+i)))
	}
	for _, c := range v.Consents {
		d.Active = d.Active || (c.Status == samordna.ConsentActive && c.Covers(samordna.PurposeResponsibilityGroup))
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "coord_consentform", p)
}

func (s *Server) consentFormPDF(w http.ResponseWriter, r *http.Request) {
	b, err := s.app.ConsentFormPDFForTeam(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), r.URL.Query().Get("team"))
	if err != nil {
		s.coordFail(w, r, err, nil)
		return
	}
	sendPDF(w, "samtykkeerklaering-ansvarsgruppe.pdf", b)
}

// sendPDF sends a PDF for download.
func sendPDF(w http.ResponseWriter, name string, b []byte) {
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
}

// coordTime formats an instant for people: Oslo time, day first.
func coordTime(t time.Time) string { return t.In(pathway.Oslo()).Format("02.01.2006 15:04") }

// coordParseForm reads a small form post and checks its texts
// (checkFormText).
func coordParseForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		return samordna.Errorf(samordna.KindInvalid, "bad_form", "the form could not be read")
	}
	return checkFormText(r.PostForm)
}

// coordLabel translates prefix+value (prefix ends with a dot), or shows
// the value itself when the catalog has no text for it.
func (s *Server) coordLabel(r *http.Request, prefix, value string) string {
	if value == "" {
		return ""
	}
	id := prefix + value
	if t := s.catalog.T(s.lang(r), id, nil); t != "["+id+"]" {
		return t
	}
	return value
}
