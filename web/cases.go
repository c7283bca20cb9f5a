package web

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/api"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/reqctx"
	"github.com/samordna/samordna/pathway"
)

// caseRoutes lists the pages of the security spine: the case list, the
// case page with its consent, block and link forms, the consent forms and
// the access log. Emergency access is in emergency.go.
func (s *Server) caseRoutes() []Route {
	routes := []Route{
		{Method: "GET", Path: "/cases", Access: "authenticated", Handler: s.caseListPage},
		{Method: "GET", Path: "/cases/{id}", Access: "case:read", Handler: s.casePage},
		{Method: "GET", Path: "/cases/{id}/access-log", Access: "case:view_access_log", Handler: s.accessLogPage},
		{Method: "POST", Path: "/cases/{id}/consents", Access: "case:manage_consent", Handler: s.recordConsent},
		{Method: "POST", Path: "/consents/{id}/withdraw", Access: "consent:manage_consent", Handler: s.withdrawConsent},
		{Method: "POST", Path: "/consents/{id}/form", Access: "consent:manage_consent", Handler: s.attachConsentForm},
		{Method: "POST", Path: "/cases/{id}/consent-forms", Access: "case:manage_consent", Handler: s.uploadConsentForm},
		{Method: "GET", Path: "/cases/{id}/consent-forms/{formId}", Access: "case:read", Handler: s.downloadConsentForm},
		{Method: "POST", Path: "/cases/{id}/blocks", Access: "case:block", Handler: s.blockEmployee},
		{Method: "POST", Path: "/cases/{id}/blocks/{blockId}/lift", Access: "case:block", Handler: s.liftBlock},
		{Method: "POST", Path: "/cases/{id}/links", Access: "case:write", Handler: s.linkCase},
	}
	return append(routes, s.emergencyRoutes()...)
}

// startCaseCount is how many cases the start page shows.
const startCaseCount = 10

// displayTime formats an instant for people: Oslo time, day first.
func displayTime(t time.Time) string {
	return t.In(pathway.Oslo()).Format("02.01.2006 15:04")
}

// displayDate writes a calendar date kept as YYYY-MM-DD (a birth date, a due
// date) the way the pages write dates: dd.mm.åååå. Anything else is shown
// as it is.
func displayDate(iso string) string {
	d, err := time.Parse("2006-01-02", iso)
	if err != nil {
		return iso
	}
	return d.Format("02.01.2006")
}

// spineDay formats the last day an exclusive end instant covers.
func spineDay(end *time.Time) string {
	if end == nil {
		return ""
	}
	return end.Add(-time.Nanosecond).In(pathway.Oslo()).Format("02.01.2006")
}

// spineLabel translates the message prefix+value (prefix ends with a
// dot), or shows the value itself when the catalog has no text for it (e.g.
// a timeline entry of a newer feature).
func (s *Server) spineLabel(r *http.Request, prefix, value string) string {
	if value == "" {
		return ""
	}
	id := prefix + value
	if t := s.catalog.T(s.lang(r), id, nil); t != "["+id+"]" {
		return t
	}
	return value
}

// spineCaseRow is a case in a list.
type spineCaseRow struct {
	ID, Name, BirthDate, Status, Origin, Situation, Title, Updated string
	Anonymous                                                      bool
}

func (s *Server) spineCaseRows(r *http.Request, list *app.CaseList) []spineCaseRow {
	rows := []spineCaseRow{}
	for _, it := range list.Items {
		c := it.Case
		row := spineCaseRow{ID: c.ID, Status: s.spineLabel(r, "case.status.", string(c.Status)),
			Origin: s.spineLabel(r, "case.origin.", string(c.Origin)), Situation: s.spineLabel(r, "case.situation.", c.Situation),
			Title: c.Title, Updated: displayTime(c.UpdatedAt), Anonymous: c.Anonymous}
		if it.Subject != nil {
			row.Name, row.BirthDate = it.Subject.Name, displayDate(it.Subject.BirthDate)
		}
		rows = append(rows, row)
	}
	return rows
}

// caseListData is the case list page.
type caseListData struct {
	Rows []spineCaseRow
	Next string // the next page's address, "" at the end
}

// caseListPage shows the cases the employee may read, 25 a page.
func (s *Server) caseListPage(w http.ResponseWriter, r *http.Request) {
	list, err := s.app.ListCases(r.Context(), reqctx.Actor(r.Context()), r.URL.Query().Get("cursor"), 25)
	if samordna.ErrorKind(err) == samordna.KindInvalid {
		s.errorPage(w, r, http.StatusBadRequest, "error.forbidden")
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	p := s.page(r, "case.list_title")
	d := caseListData{Rows: s.spineCaseRows(r, list)}
	if list.Next != "" {
		d.Next = "/cases?" + url.Values{"cursor": {list.Next}}.Encode()
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "case_list", p)
}

// startCases returns the first cases for the start page and whether there
// are more.
func (s *Server) startCases(r *http.Request) ([]spineCaseRow, bool, error) {
	list, err := s.app.ListCases(r.Context(), reqctx.Actor(r.Context()), "", startCaseCount)
	if err != nil {
		return nil, false, err
	}
	return s.spineCaseRows(r, list), list.Next != "", nil
}

// The rows of the case page's tables, ready to show.
type (
	caseConsentRow struct {
		ID, Status, StatusLabel, GivenBy, Relation, Recorded, ValidUntil, FormID string
		Purposes                                                                 []string
		Active                                                                   bool
	}
	caseBlockRow struct {
		ID, Username, Name, Reason, Created, Lifted string
		Active                                      bool
	}
	caseEventRow   struct{ At, What, Who string }
	consentFormRow struct{ ID, Type, Uploaded, Size string }
)

// caseConsentInput is what the consent form held, to show it again after an
// error.
type caseConsentInput struct {
	GivenBy, Relation, ValidUntil, FormID, TeamID string
	Purposes                                      map[string]bool
	OnPaper                                       bool // given on the signed paper form
}

// casePageData is the case page.
type casePageData struct {
	V                 *app.CaseView
	Heading           string
	FNR, BirthDate    string
	Status, Origin    string
	Situation         string
	Created, Updated  string
	Registered        string
	RegisteredService string
	Reason            string
	Coordinator       string
	RoutineName       string // the name of the case's routine, in the routine's own words
	Consents          []caseConsentRow
	Blocks            []caseBlockRow
	Events            []caseEventRow
	Forms             []consentFormRow
	Links             []caseLinkRow
	Purposes          []string
	Teams             []routineOption // the teams a consent for share_with_team can name
	Consent           caseConsentInput
	BlockUsername     string
	BlockReason       string
	LinkCaseID        string
	LinkQuery         string       // the search for a case to link, sent back in the POST body only
	LinkSearched      bool         // a search was made: show its result
	LinkMatches       []caseChoice // the cases found, to choose from

	// The hub (hub.go): the age (-1 unknown), whether the person has a
	// number and whether it is shown (FNR holds it only then), the open
	// tasks, the active consents and the next step's message id.
	Age            int
	HasFNR         bool
	FNRShown       bool
	OpenTasks      []hubTask
	ActiveConsents int
	Next           string
	TargetGroups   targetGroupChoices // seed 002 §2.3 (seed002.go)
}

type caseLinkRow struct{ ID, Kind string }

// casePage shows one case to a reader with a relation to it; anyone else
// gets the same 404 page as for a case that does not exist.
func (s *Server) casePage(w http.ResponseWriter, r *http.Request) {
	p := s.page(r, "case.title")
	if done := r.URL.Query().Get("done"); done != "" {
		if id := "case.done." + done; s.catalog.T(p.Lang, id, nil) != "["+id+"]" {
			p.Flash = id
		}
	}
	s.renderCase(w, r, p, "case", http.StatusOK, nil)
}

// renderCase reads the case (an audited read) and renders the case page,
// or one of its form pages (tmpl), with status; in, when not nil, refills
// the forms after an error. A form page the reader may not use answers
// 404, as for a case that does not exist.
func (s *Server) renderCase(w http.ResponseWriter, r *http.Request, p *Page, tmpl string, status int, in func(*casePageData)) {
	v, err := s.app.GetCase(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if samordna.ErrorKind(err) == samordna.KindNotFound {
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if !caseFormAllowed(v, tmpl) {
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	d := s.casePageData(r, v)
	d.TargetGroups = targetGroupChoicesFor(p.Lang, v.TargetGroups)
	if in != nil {
		in(d)
	}
	p.Data = d
	s.render(w, r, status, tmpl, p)
}

func (s *Server) casePageData(r *http.Request, v *app.CaseView) *casePageData {
	c := v.Case
	d := &casePageData{V: v, Status: s.spineLabel(r, "case.status.", string(c.Status)),
		Origin: s.spineLabel(r, "case.origin.", string(c.Origin)), Situation: s.spineLabel(r, "case.situation.", c.Situation),
		Created: displayTime(c.CreatedAt), Updated: displayTime(c.UpdatedAt),
		Registered: v.RegisteredBy.Name, RegisteredService: v.RegisteredService,
		Reason: s.spineLabel(r, "case.reason.", string(v.Reason)), Consent: caseConsentInput{Purposes: map[string]bool{}}}
	if v.Subject != nil {
		d.Heading, d.FNR, d.BirthDate = v.Subject.Name, v.Subject.IDNumber, displayDate(v.Subject.BirthDate)
	}
	if k := v.Coordinator; k != nil {
		d.Coordinator = k.Name + " (" + s.spineLabel(r, "case.coordinator_kind.", k.Kind) + ", " +
			s.spineLabel(r, "case.coordinator_status.", k.Status) + ")"
	}
	if c.RoutineID != "" {
		d.RoutineName = c.RoutineID
		if rt, ok := s.app.Routines().Get(c.RoutineID, c.RoutineVersion); ok {
			d.RoutineName = rt.Name
		}
	}
	for _, p := range samordna.ConsentPurposes {
		d.Purposes = append(d.Purposes, string(p))
	}
	for _, t := range v.Teams {
		d.Teams = append(d.Teams, routineOption{ID: t.ID, Name: t.Name})
	}
	for _, cs := range v.Consents {
		row := caseConsentRow{ID: cs.ID, Status: cs.Status, StatusLabel: s.spineLabel(r, "case.consent_status.", cs.Status),
			GivenBy: cs.GivenByName, Relation: s.spineLabel(r, "case.relation.", cs.GivenByRelation),
			Recorded: displayTime(cs.RecordedAt), ValidUntil: spineDay(cs.ValidUntil), FormID: cs.FormID,
			Active: cs.Status == samordna.ConsentActive}
		for _, pp := range cs.Purposes {
			label := s.spineLabel(r, "case.purpose.", string(pp))
			for _, t := range v.Teams {
				if pp == samordna.PurposeShareWithTeam && t.ID == cs.TeamID {
					label += ": " + t.Name
				}
			}
			row.Purposes = append(row.Purposes, label)
		}
		d.Consents = append(d.Consents, row)
	}
	for _, b := range v.Blocks {
		row := caseBlockRow{ID: b.ID, Username: b.Username, Name: b.Name, Reason: b.Reason,
			Created: displayTime(b.CreatedAt), Active: b.Active()}
		if b.LiftedAt != nil {
			row.Lifted = displayTime(*b.LiftedAt)
		}
		d.Blocks = append(d.Blocks, row)
	}
	for _, f := range v.Forms {
		d.Forms = append(d.Forms, consentFormRow{ID: f.ID, Type: s.spineLabel(r, "case.form_type.", consentFormKind(f.ContentType)),
			Uploaded: displayTime(f.UploadedAt), Size: spineByteSize(f.Size)})
	}
	for i := len(v.Events) - 1; i >= 0; i-- { // newest first
		ev := v.Events[i]
		d.Events = append(d.Events, caseEventRow{At: displayTime(ev.At), What: s.spineLabel(r, "case.event.", ev.Kind),
			Who: v.People[ev.ActorID].Name})
	}
	for _, l := range v.Links {
		d.Links = append(d.Links, caseLinkRow{ID: l.CaseID, Kind: s.spineLabel(r, "case.link_kind.", string(l.Kind))})
	}
	s.fillHub(d, v, s.app.Clock.Now())
	return d
}

// consentFormKind names a form's content type for the catalog (pdf, png, jpeg).
func consentFormKind(ct string) string {
	_, kind, _ := strings.Cut(ct, "/")
	return kind
}

// spineByteSize shows a size in kB or MB, with one decimal.
func spineByteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
	case n >= 1<<10:
		return strconv.FormatFloat(float64(n)/(1<<10), 'f', 1, 64) + " kB"
	}
	return strconv.FormatInt(n, 10) + " B"
}

// caseFormError answers a failed form post of one of the case's form
// pages (tmpl): a missing or refused object gives the 404 page; a problem
// with the input shows the form page again with the message, the fields
// refilled by in.
func (s *Server) caseFormError(w http.ResponseWriter, r *http.Request, tmpl string, err error, in func(*casePageData)) {
	kind := samordna.ErrorKind(err)
	switch kind {
	case samordna.KindNotFound:
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
		return
	case samordna.KindInternal:
		s.serverError(w, r, err)
		return
	}
	p := s.page(r, "case.title")
	p.Error = s.spineErrorMessage(p.Lang, err)
	s.renderCase(w, r, p, tmpl, samordna.HTTPStatus(err), in)
}

// spineErrorMessage returns the message id for an application error: its own
// text when the catalog has one (case.err.<code>), a general one otherwise.
func (s *Server) spineErrorMessage(lang string, err error) string {
	id := "case.err." + samordna.ErrorCode(err)
	if s.catalog.T(lang, id, nil) != "["+id+"]" {
		return id
	}
	return "case.err.invalid"
}

// parseSpineForm reads a small form post and checks its texts
// (checkFormText).
func parseSpineForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		return samordna.Errorf(samordna.KindInvalid, "bad_form", "the form could not be read")
	}
	return checkFormText(r.PostForm)
}

// caseDoneRedirect sends the browser back to the case page with a notice.
func caseDoneRedirect(w http.ResponseWriter, r *http.Request, caseID, done, anchor string) {
	http.Redirect(w, r, "/cases/"+url.PathEscape(caseID)+"?done="+done+"#"+anchor, http.StatusSeeOther)
}

func (s *Server) recordConsent(w http.ResponseWriter, r *http.Request) {
	if err := parseSpineForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	f := r.PostForm
	in := app.NewConsent{GivenBy: f.Get("given_by"), GivenByRelation: f.Get("given_by_relation"),
		ValidUntil: f.Get("valid_until"), FormID: f.Get("form_id"), OnPaper: f.Get("on_paper") == "yes"}
	refill := caseConsentInput{GivenBy: in.GivenBy, Relation: in.GivenByRelation, ValidUntil: in.ValidUntil,
		FormID: in.FormID, TeamID: f.Get("team_id"), Purposes: map[string]bool{}, OnPaper: in.OnPaper}
	for _, p := range f["purposes"] {
		in.Purposes = append(in.Purposes, samordna.ConsentPurpose(p))
		refill.Purposes[p] = true
	}
	if refill.Purposes[string(samordna.PurposeShareWithTeam)] {
		in.TeamID = refill.TeamID // the team is named only with its purpose
	}
	_, err := s.app.RecordConsent(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), in)
	if err != nil {
		s.caseFormError(w, r, "case_consents", err, func(d *casePageData) { d.Consent = refill })
		return
	}
	caseDoneRedirect(w, r, r.PathValue("id"), "consent_recorded", "consents")
}

func (s *Server) withdrawConsent(w http.ResponseWriter, r *http.Request) {
	if err := parseSpineForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	c, err := s.app.WithdrawConsent(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		s.spineAppError(w, r, err)
		return
	}
	caseDoneRedirect(w, r, c.CaseID, "consent_withdrawn", "consents")
}

func (s *Server) attachConsentForm(w http.ResponseWriter, r *http.Request) {
	if err := parseSpineForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	c, err := s.app.AttachConsentForm(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), r.PostForm.Get("form_id"))
	if err != nil {
		s.spineAppError(w, r, err)
		return
	}
	caseDoneRedirect(w, r, c.CaseID, "form_attached", "consents")
}

// uploadConsentForm takes a multipart upload (field "form") of a scanned
// consent form; the content decides its type.
func (s *Server) uploadConsentForm(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, app.MaxConsentFormBytes+maxFormBytes)
	data, err := readConsentUpload(r, "form")
	if err != nil {
		s.caseFormError(w, r, "case_consents", err, nil)
		return
	}
	_, err = s.app.UploadConsentForm(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), "", data)
	if err != nil {
		s.caseFormError(w, r, "case_consents", err, nil)
		return
	}
	caseDoneRedirect(w, r, r.PathValue("id"), "form_uploaded", "consents")
}

// readConsentUpload reads one uploaded file of the multipart form.
func readConsentUpload(r *http.Request, field string) ([]byte, error) {
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, app.ErrFormTooLarge
		}
		return nil, samordna.Errorf(samordna.KindInvalid, "file_required", "choose a file")
	}
	defer r.MultipartForm.RemoveAll()
	file, hdr, err := r.FormFile(field)
	if err != nil {
		return nil, samordna.Errorf(samordna.KindInvalid, "file_required", "choose a file")
	}
	defer file.Close()
	if hdr.Size > app.MaxConsentFormBytes {
		return nil, app.ErrFormTooLarge
	}
	data := make([]byte, hdr.Size)
	if _, err := io.ReadFull(file, data); err != nil {
		return nil, samordna.Errorf(samordna.KindInvalid, "file_required", "the file could not be read")
	}
	return data, nil
}

func (s *Server) downloadConsentForm(w http.ResponseWriter, r *http.Request) {
	f, err := s.app.ScannedConsentForm(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), r.PathValue("formId"))
	if samordna.ErrorKind(err) == samordna.KindNotFound {
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	api.WriteForm(w, f)
}

func (s *Server) blockEmployee(w http.ResponseWriter, r *http.Request) {
	if err := parseSpineForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	username, reason := r.PostForm.Get("username"), r.PostForm.Get("reason")
	_, err := s.app.BlockEmployee(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), username, reason)
	if err != nil {
		s.caseFormError(w, r, "case_blocks", err, func(d *casePageData) { d.BlockUsername, d.BlockReason = username, reason })
		return
	}
	caseDoneRedirect(w, r, r.PathValue("id"), "blocked", "blocks")
}

func (s *Server) liftBlock(w http.ResponseWriter, r *http.Request) {
	if err := parseSpineForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	_, err := s.app.LiftBlock(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), r.PathValue("blockId"))
	if err != nil {
		s.caseFormError(w, r, "case_blocks", err, nil)
		return
	}
	caseDoneRedirect(w, r, r.PathValue("id"), "block_lifted", "blocks")
}

func (s *Server) linkCase(w http.ResponseWriter, r *http.Request) {
	if err := parseSpineForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	if r.PostForm.Has("search") {
		s.searchLinkCases(w, r)
		return
	}
	other := strings.TrimSpace(r.PostForm.Get("case_id"))
	err := s.app.LinkFamilyCases(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), other)
	if err != nil {
		s.caseFormError(w, r, "case_links", err, func(d *casePageData) { d.LinkCaseID = other })
		return
	}
	caseDoneRedirect(w, r, r.PathValue("id"), "linked", "links")
}

// searchLinkCases shows the links page with the cases, other than this
// one, that the user may link to and whose person matches the name or
// fødselsnummer searched for, each with a button to link it. The search
// runs only once the user may change this case (renderCase).
func (s *Server) searchLinkCases(w http.ResponseWriter, r *http.Request) {
	q := strings.TrimSpace(r.PostForm.Get("case_query"))
	p := s.page(r, "hub.title.case_links")
	status := http.StatusOK
	if q == "" {
		status = http.StatusBadRequest
	}
	s.renderCase(w, r, p, "case_links", status, func(d *casePageData) {
		d.LinkQuery, d.LinkSearched = q, true
		ms, err := s.app.SearchCases(r.Context(), reqctx.Actor(r.Context()), app.SearchForLink, q)
		if err != nil {
			p.Error = s.spineErrorMessage(p.Lang, err)
			return
		}
		for _, c := range caseChoices(ms) {
			if c.CaseID != d.V.Case.ID {
				d.LinkMatches = append(d.LinkMatches, c)
			}
		}
	})
}

// accessLogRow is one line of the access log page.
type accessLogRow struct {
	At, Name, Username, Role, Service, Action, Outcome, Purpose string
	Denied                                                      bool
}

type accessLogData struct {
	CaseID string
	Rows   []accessLogRow
	Next   string
}

// accessLogPage shows who looked at, changed or was refused the case.
func (s *Server) accessLogPage(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	page, err := s.app.CaseAccessLog(r.Context(), reqctx.Actor(r.Context()), id, r.URL.Query().Get("cursor"), 50)
	switch samordna.ErrorKind(err) {
	case samordna.KindNotFound:
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
		return
	case samordna.KindInvalid:
		s.errorPage(w, r, http.StatusBadRequest, "error.forbidden")
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	d := accessLogData{CaseID: id}
	for _, x := range page.Items {
		d.Rows = append(d.Rows, accessLogRow{At: displayTime(x.At), Name: x.Name, Username: x.Username,
			Role: s.spineLabel(r, "case.role.", x.Role), Service: x.Service, Action: s.spineLabel(r, "case.action.", x.Action),
			Outcome: s.spineLabel(r, "case.outcome.", x.Outcome), Purpose: s.spineLabel(r, "case.reason.", x.Purpose),
			Denied: x.Outcome == samordna.OutcomeDenied})
	}
	if page.Next != "" {
		d.Next = "/cases/" + url.PathEscape(id) + "/access-log?" + url.Values{"cursor": {page.Next}}.Encode()
	}
	p := s.page(r, "case.log_title")
	p.Data = d
	s.render(w, r, http.StatusOK, "access_log", p)
}
