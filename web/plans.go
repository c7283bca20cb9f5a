package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/reqctx"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// planRoutes lists the plan pages: a case's plans, the plan itself (the
// person's own words first, progress per goal, overdue measures first), the
// form that makes or changes it, its versions and their differences, the
// PDF, and the relay log's handover and closing.
func (s *Server) planRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/cases/{id}/plans", Access: "case:read", Handler: s.casePlansPage},
		{Method: "GET", Path: "/cases/{id}/plans/new", Access: "case:write", Handler: s.newPlanPage},
		{Method: "POST", Path: "/cases/{id}/plans", Access: "case:write", Handler: s.createPlanSubmit},
		{Method: "GET", Path: "/plans/{id}", Access: "plan:read", Handler: s.planPage},
		{Method: "GET", Path: "/plans/{id}/edit", Access: "plan:change", Handler: s.editPlanPage},
		{Method: "POST", Path: "/plans/{id}", Access: "plan:change", Handler: s.updatePlanSubmit},
		{Method: "GET", Path: "/plans/{id}/versions", Access: "plan:read", Handler: s.planVersionsPage},
		{Method: "GET", Path: "/plans/{id}/diff", Access: "plan:read", Handler: s.planDiffPage},
		{Method: "GET", Path: "/plans/{id}/pdf", Access: "plan:read", Handler: s.planPDF},
		{Method: "POST", Path: "/plans/{id}/handover", Access: "plan:write", Handler: s.planHandoverSubmit},
		{Method: "POST", Path: "/plans/{id}/accept", Access: "plan:write", Handler: s.planAcceptSubmit},
		{Method: "POST", Path: "/plans/{id}/close", Access: "plan:write", Handler: s.planCloseSubmit},
		{Method: "GET", Path: "/plans/print.js", Public: true, Access: "public", Handler: s.planPrintScript},
	}
}

// planError shows an application error from a plan page: not found as the
// 404 page, anything unexpected as a server error. It reports whether err
// was handled (true also for nil: nothing to do).
func (s *Server) planError(w http.ResponseWriter, r *http.Request, err error) bool {
	switch {
	case err == nil:
		return false
	case samordna.ErrorKind(err) == samordna.KindNotFound:
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
	default:
		s.serverError(w, r, err)
	}
	return true
}

// planErrorID is the catalog id of the message for an error code of the
// plan rules and validation, or a general one.
func (s *Server) planErrorID(lang, code string) string {
	id := "plans.error." + code
	if s.catalog.T(lang, id, nil) == "["+id+"]" {
		return "plans.error.invalid"
	}
	return id
}

// planUserError reports whether err is the user's to fix (bad input or a rule
// of the domain), which the form shows again with a message.
func planUserError(err error) bool {
	switch samordna.ErrorKind(err) {
	case samordna.KindInvalid, samordna.KindRule, samordna.KindConflict, samordna.KindPreconditionFailed,
		samordna.KindPreconditionRequired:
		return true
	}
	return false
}

// planLabel translates the message prefix+value (prefix ends in a dot),
// or shows the value itself when the catalog has no text for it.
func (s *Server) planLabel(r *http.Request, prefix, value string) string {
	if value == "" {
		return ""
	}
	id := prefix + value
	if t := s.catalog.T(s.lang(r), id, nil); t != "["+id+"]" {
		return t
	}
	return value
}

// planTime shows an instant in Oslo time, day first.
func planTime(t time.Time) string {
	return t.In(pathway.Oslo()).Format("02.01.2006 15:04")
}

// planDay shows a YYYY-MM-DD date the Norwegian way.
func planDay(d string) string {
	t, err := time.Parse(time.DateOnly, d)
	if err != nil {
		return d
	}
	return t.Format("02.01.2006")
}

// planTitle is "Individuell plan for Emma Hansen".
func (s *Server) planTitle(lang, kind string, subject *samordna.Person) string {
	kindLabel := s.catalog.T(lang, "plans.kind."+kind, nil)
	if subject == nil {
		return kindLabel
	}
	return s.catalog.T(lang, "plans.title_for", map[string]any{"Kind": kindLabel, "Name": subject.Name})
}

// planRow is a plan in the case's list.
type planRow struct {
	ID, Title, Status, Updated string
	Version, Overdue           int
}

// kindOption is a kind of plan on the case's plan page: a link to make one,
// or why it cannot be made yet.
type kindOption struct {
	Kind, Label, Missing string
}

// casePlansData is the case's plan page.
type casePlansData struct {
	CaseID, Heading string
	Rows            []planRow
	Kinds           []kindOption
	CanCreate       bool
}

// casePlansPage lists the case's plans and offers to make a new one.
func (s *Server) casePlansPage(w http.ResponseWriter, r *http.Request) {
	pc, err := s.app.GetPlanCase(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if s.planError(w, r, err) {
		return
	}
	p := s.page(r, "plans.case_title")
	d := casePlansData{CaseID: pc.Case.ID, CanCreate: pc.CanCreate, Heading: s.catalog.T(p.Lang, "plans.case_heading", nil)}
	if pc.Subject != nil {
		d.Heading = s.catalog.T(p.Lang, "plans.case_heading_for", map[string]any{"Name": pc.Subject.Name})
	}
	for _, v := range pc.Plans {
		d.Rows = append(d.Rows, planRow{ID: v.Plan.ID, Title: s.planTitle(p.Lang, v.Plan.Kind, nil),
			Status: s.planLabel(r, "plans.status.", v.Plan.Status), Updated: planTime(v.Plan.UpdatedAt),
			Version: v.Plan.Version, Overdue: v.Overdue})
	}
	for _, kind := range app.PlanKinds {
		opt := kindOption{Kind: kind, Label: s.catalog.T(p.Lang, "plans.kind."+kind, nil)}
		if code := pc.Missing[kind]; code != "" {
			opt.Missing = s.planErrorID(p.Lang, code)
		}
		d.Kinds = append(d.Kinds, opt)
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "plans", p)
}

// planGoalView, planMeasureView: a plan's goals and measures, ready to show.
type (
	planGoalView struct {
		ID, Text, Term       string
		Done, Total, Percent int
	}
	// planTransitionView is an expected transition on the plan page.
	planTransitionView struct {
		Label, Expected, Note, ReviewBy string
		Reviewed                        bool
	}
	planMeasureView struct {
		Text, Goal, Responsible, Due, Status, Evaluation, EvaluationDate string
		Overdue, Done                                                    bool
	}
)

// planPageData is the plan page.
type planPageData struct {
	V                 *app.PlanView
	Title, Status     string
	Subject           string
	Version, Changed  string
	Goals             []planGoalView
	Measures          []planMeasureView
	Services          []string
	EvaluationDates   []string
	Holder, Handover  string
	ActionPlanDue     string
	Transitions       []planTransitionView
	Closed            string // who asked to close it, and why
	People            []app.EmployeeRef
	HandoverUser      string
	CloseBy, CloseWhy string
}

// planPage shows the plan: the person's own words first, then the goals
// with their progress and the measures, overdue first.
func (s *Server) planPage(w http.ResponseWriter, r *http.Request) {
	p := s.page(r, "plans.title")
	if done := r.URL.Query().Get("done"); done != "" {
		if id := "plans.done." + done; s.catalog.T(p.Lang, id, nil) != "["+id+"]" {
			p.Flash = id
		}
	}
	s.renderPlan(w, r, p, http.StatusOK, nil)
}

// renderPlan reads the plan (an audited read) and renders its page with
// status; refill, when not nil, puts back what a refused form held.
func (s *Server) renderPlan(w http.ResponseWriter, r *http.Request, p *Page, status int, refill func(*planPageData)) {
	v, err := s.app.GetPlan(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if s.planError(w, r, err) {
		return
	}
	d := s.planPageData(p.Lang, r, v)
	if refill != nil {
		refill(d)
	}
	p.Data = d
	s.render(w, r, status, "plan", p)
}

func (s *Server) planPageData(lang string, r *http.Request, v *app.PlanView) *planPageData {
	d := &planPageData{V: v, Title: s.planTitle(lang, v.Plan.Kind, v.Subject),
		Status: s.planLabel(r, "plans.status.", v.Plan.Status), People: v.People,
		Version: strconv.Itoa(v.Plan.Version), Changed: planTime(v.Plan.UpdatedAt),
		Services: v.Content.Services}
	if v.ChangedBy != nil {
		d.Changed += " – " + v.ChangedBy.Name
	}
	if v.Subject != nil {
		d.Subject = v.Subject.Name
	}
	for _, g := range v.Goals {
		d.Goals = append(d.Goals, planGoalView{ID: g.ID, Text: g.Text, Term: s.planLabel(r, "plans.term.", g.Term),
			Done: g.Done, Total: g.Total, Percent: g.Percent})
	}
	for _, m := range v.Measures {
		d.Measures = append(d.Measures, s.measureView(r, m))
	}
	for _, day := range v.Content.EvaluationDates {
		d.EvaluationDates = append(d.EvaluationDates, planDay(day))
	}
	if v.Holder != nil {
		d.Holder = v.Holder.Name
	}
	if v.ActionPlanDue != "" {
		d.ActionPlanDue = planDay(v.ActionPlanDue)
	}
	for _, t := range v.Transitions {
		d.Transitions = append(d.Transitions, planTransitionView{Label: s.planLabel(r, "plans.transition.", t.Kind),
			Expected: planDay(t.Expected), Note: t.Note, ReviewBy: planDay(t.ReviewBy), Reviewed: t.ReviewDone})
	}
	if v.HandoverTo != nil {
		d.Handover = v.HandoverTo.Name
	}
	if v.Plan.Status == app.PlanClosed && v.Plan.ClosedAt != nil {
		d.Closed = s.catalog.T(lang, "plans.closed_at", map[string]any{"At": planTime(*v.Plan.ClosedAt),
			"By": v.Plan.CloseRequestedBy})
	}
	return d
}

func (s *Server) measureView(r *http.Request, m app.MeasureView) planMeasureView {
	mv := planMeasureView{Text: m.Text, Goal: m.GoalText, Due: planDay(m.Due), Status: s.planLabel(r, "plans.measure_status.", m.Status),
		Evaluation: m.Evaluation, EvaluationDate: planDay(m.EvaluationDate), Overdue: m.Overdue,
		Done: m.Status == app.MeasureDone}
	var who []string
	if m.Responsible != nil {
		who = append(who, m.Responsible.Name)
	}
	if m.ResponsibleService != "" {
		who = append(who, m.ResponsibleService)
	}
	mv.Responsible = strings.Join(who, ", ")
	if m.Overdue {
		mv.Status = s.catalog.T(s.lang(r), "plans.measure_overdue", nil)
	}
	return mv
}

// planPDF sends the plan as a PDF.
func (s *Server) planPDF(w http.ResponseWriter, r *http.Request) {
	b, name, err := s.app.PlanPDF(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if s.planError(w, r, err) {
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `inline; filename="`+name+`"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	_, _ = w.Write(b)
}

// planPrintScript shows the plan page's print button and prints the page
// when it is pressed. Without scripts the button stays hidden; the PDF
// link and the browser's own print (with the print styles) remain.
func (s *Server) planPrintScript(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, _ = w.Write([]byte(planPrintJS))
}

const planPrintJS = `// Samordna: the plan page's print button.
(function () {
  "use strict";
  var items = document.querySelectorAll("[data-plan-print]");
  for (var i = 0; i < items.length; i++) {
    var button = items[i].querySelector("button");
    if (button) {
      items[i].hidden = false;
      button.addEventListener("click", function () { window.print(); });
    }
  }
})();
`

// parsePlanForm reads a posted form (bounded) and checks its texts
// (checkFormText), or answers 400.
func (s *Server) parsePlanForm(w http.ResponseWriter, r *http.Request) bool {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, r, http.StatusBadRequest, "error.forbidden")
		return false
	}
	if err := checkFormText(r.PostForm); err != nil {
		s.formError(w, r, err)
		return false
	}
	return true
}

// planHandoverSubmit hands the relay log over to another employee.
func (s *Server) planHandoverSubmit(w http.ResponseWriter, r *http.Request) {
	if !s.parsePlanForm(w, r) {
		return
	}
	username := strings.TrimSpace(r.PostForm.Get("username"))
	_, err := s.app.HandOverPlan(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), username)
	s.afterPlanAction(w, r, err, "handover", func(d *planPageData) { d.HandoverUser = username })
}

// planAcceptSubmit takes over the relay log.
func (s *Server) planAcceptSubmit(w http.ResponseWriter, r *http.Request) {
	if !s.parsePlanForm(w, r) {
		return
	}
	_, err := s.app.AcceptPlanHandover(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	s.afterPlanAction(w, r, err, "accepted", nil)
}

// planCloseSubmit closes the plan at someone's request.
func (s *Server) planCloseSubmit(w http.ResponseWriter, r *http.Request) {
	if !s.parsePlanForm(w, r) {
		return
	}
	by, why := r.PostForm.Get("requested_by"), r.PostForm.Get("reason")
	_, err := s.app.ClosePlan(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), by, why)
	s.afterPlanAction(w, r, err, "closed", func(d *planPageData) { d.CloseBy, d.CloseWhy = by, why })
}

// afterPlanAction goes back to the plan page: with a notice when the
// action worked, or showing the error and the form's values again.
func (s *Server) afterPlanAction(w http.ResponseWriter, r *http.Request, err error, done string, refill func(*planPageData)) {
	if err == nil {
		http.Redirect(w, r, "/plans/"+url.PathEscape(r.PathValue("id"))+"?done="+done, http.StatusSeeOther)
		return
	}
	if !planUserError(err) {
		s.planError(w, r, err)
		return
	}
	p := s.page(r, "plans.title")
	p.Error = s.planErrorID(p.Lang, samordna.ErrorCode(err))
	s.renderPlan(w, r, p, samordna.HTTPStatus(err), refill)
}

// planVersionRow is a version in the list.
type planVersionRow struct {
	Version  int
	Change   string
	At, By   string
	Previous int // the version before, 0 for the first
}

type planVersionsData struct {
	PlanID, Title string
	Rows          []planVersionRow
}

// planVersionsPage lists every version, newest first, each with a link to
// what changed from the one before.
func (s *Server) planVersionsPage(w http.ResponseWriter, r *http.Request) {
	ctx, actor := r.Context(), reqctx.Actor(r.Context())
	v, err := s.app.GetPlan(ctx, actor, r.PathValue("id"))
	if s.planError(w, r, err) {
		return
	}
	p := s.page(r, "plans.versions_title")
	d := planVersionsData{PlanID: v.Plan.ID, Title: s.planTitle(p.Lang, v.Plan.Kind, v.Subject)}
	for cursor := ""; ; {
		page, err := s.app.ListPlanVersions(ctx, actor, v.Plan.ID, cursor, 100)
		if s.planError(w, r, err) {
			return
		}
		for _, pv := range page.Versions {
			row := planVersionRow{Version: pv.Version, Change: s.planLabel(r, "plans.change.", pv.Change),
				At: planTime(pv.ChangedAt), Previous: pv.Version - 1}
			if pv.ChangedBy != nil {
				row.By = pv.ChangedBy.Name
			}
			d.Rows = append([]planVersionRow{row}, d.Rows...)
		}
		if cursor = page.Next; cursor == "" {
			break
		}
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "plan_versions", p)
}

// planDiffRow is one changed field, or one goal or measure added, removed or
// changed.
type planDiffRow struct {
	What, From, To string
}

// planDiffSection is one part of a diff: the fields, the goals or the
// measures.
type planDiffSection struct {
	ID, Heading    string
	Added, Removed []string
	Changed        []planDiffRow
}

type planDiffData struct {
	PlanID, Title    string
	From, To         int
	FromAt, ToAt     string
	Sections         []planDiffSection
	NothingInContent bool
}

// planDiffPage shows what changed between two versions (?from=&to=; by
// default the current version and the one before).
func (s *Server) planDiffPage(w http.ResponseWriter, r *http.Request) {
	from, err1 := strconv.Atoi(r.URL.Query().Get("from"))
	to, err2 := strconv.Atoi(r.URL.Query().Get("to"))
	if (err1 != nil && r.URL.Query().Get("from") != "") || (err2 != nil && r.URL.Query().Get("to") != "") || from < 0 || to < 0 {
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	diff, err := s.app.DiffPlanVersions(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), from, to)
	if s.planError(w, r, err) {
		return
	}
	p := s.page(r, "plans.diff_title")
	from, to = diff.From.Version, diff.To.Version
	d := planDiffData{PlanID: diff.PlanID, From: from, To: to, FromAt: planTime(diff.From.ChangedAt),
		ToAt: planTime(diff.To.ChangedAt), Title: s.catalog.T(p.Lang, "plans.diff_heading",
			map[string]any{"From": from, "To": to})}
	fields := planDiffSection{ID: "fields", Heading: "plans.diff_fields"}
	for _, f := range diff.Fields {
		fields.Changed = append(fields.Changed, planDiffRow{What: s.planLabel(r, "plans.field.", f.Field), From: f.From, To: f.To})
	}
	goals := planDiffSection{ID: "goals", Heading: "plans.goals"}
	goals.Added, goals.Removed, goals.Changed = s.itemRows(r, diff.Goals)
	measures := planDiffSection{ID: "measures", Heading: "plans.measures"}
	measures.Added, measures.Removed, measures.Changed = s.itemRows(r, diff.Measures)
	for _, sec := range []planDiffSection{fields, goals, measures} {
		if len(sec.Added)+len(sec.Removed)+len(sec.Changed) > 0 {
			d.Sections = append(d.Sections, sec)
		}
	}
	d.NothingInContent = len(d.Sections) == 0
	p.Data = d
	s.render(w, r, http.StatusOK, "plan_diff", p)
}

func (s *Server) itemRows(r *http.Request, c app.ItemChanges) (added, removed []string, changed []planDiffRow) {
	for _, it := range c.Added {
		added = append(added, it.Text)
	}
	for _, it := range c.Removed {
		removed = append(removed, it.Text)
	}
	for _, it := range c.Changed {
		for _, f := range it.Fields {
			from, to := f.From, f.To
			switch f.Field {
			case "due", "evaluation_date":
				from, to = planDay(from), planDay(to)
			case "status":
				from, to = s.planLabel(r, "plans.measure_status.", from), s.planLabel(r, "plans.measure_status.", to)
			case "term":
				from, to = s.planLabel(r, "plans.term.", from), s.planLabel(r, "plans.term.", to)
			}
			changed = append(changed, planDiffRow{What: it.Text + " – " + s.planLabel(r, "plans.field.", f.Field), From: from, To: to})
		}
	}
	return added, removed, changed
}

// referenceRows turns posted reference rows into references.
func referenceRows(f url.Values) []store.PlanReference {
	titles, holders, notes := f["ref_title"], f["ref_holder"], f["ref_note"]
	var out []store.PlanReference
	for i := range titles {
		out = append(out, store.PlanReference{Title: titles[i], Holder: planFormAt(holders, i), Note: planFormAt(notes, i)})
	}
	return out
}

// planFormAt returns s[i], or "" when s is shorter.
func planFormAt(s []string, i int) string {
	if i < len(s) {
		return s[i]
	}
	return ""
}

// How many empty rows the plan form offers for new goals, measures,
// evaluation dates and references (the form works without JavaScript).
const (
	blankGoals      = 2
	blankMeasures   = 3
	blankEvalDates  = 2
	blankReferences = 1
)

// planFormData is the form that makes or changes a plan.
type planFormData struct {
	Action, Title, Back string
	IsNew, IsRelay      bool
	Kind                string
	Version             int // the version the change starts from
	Stale               bool
	WhatMatters         string
	Resources           string
	Services            string // one per line
	Holder              string
	Goals               []planGoalRow
	Measures            []planMeasureRow
	EvaluationDates     []planDateRow
	References          []store.PlanReference
	Transitions         []planTransitionRow // individual plan: one row per kind
	People              []app.EmployeeRef
}

// planTransitionRow is the form's row for one kind of transition.
type planTransitionRow struct {
	Kind, Expected, Note string
}

// IsIndividual reports whether the form is an individual plan's, which
// records the transitions.
func (d *planFormData) IsIndividual() bool { return d.Kind == app.PlanIndividual }

// setTransitions fills the form's transition rows, one per kind, from the
// rows given (the plan's, or what was posted).
func (d *planFormData) setTransitions(rows []planTransitionRow) {
	d.Transitions = nil
	for _, kind := range app.PlanTransitionKinds {
		row := planTransitionRow{Kind: kind}
		for _, x := range rows {
			if x.Kind == kind {
				row = x
			}
		}
		d.Transitions = append(d.Transitions, row)
	}
}

// planDateRow is an evaluation date field of the form.
type planDateRow struct {
	N     int
	Value string
}

// planGoalRow and planMeasureRow are rows of the form; Index numbers the
// goal rows so a measure can name its goal (Goal is that index).
type (
	planGoalRow struct {
		Index, N       int // N = Index + 1, for people
		ID, Text, Term string
	}
	planMeasureRow struct {
		Index, N                                                                int
		ID, Text, Responsible, Service, Due, Goal, Status, Evaluation, EvalDate string
	}
)

// addBlankRows adds the empty rows for new entries.
func (d *planFormData) addBlankRows() {
	for range blankGoals {
		d.Goals = append(d.Goals, planGoalRow{Term: "short"})
	}
	for range blankMeasures {
		d.Measures = append(d.Measures, planMeasureRow{Status: app.MeasureOpen})
	}
	for range blankEvalDates {
		d.EvaluationDates = append(d.EvaluationDates, planDateRow{})
	}
	for range blankReferences {
		d.References = append(d.References, store.PlanReference{})
	}
	if d.Transitions == nil {
		d.setTransitions(nil)
	}
	d.number()
}

func (d *planFormData) number() {
	for i := range d.Goals {
		d.Goals[i].Index, d.Goals[i].N = i, i+1
	}
	for i := range d.Measures {
		d.Measures[i].Index, d.Measures[i].N = i, i+1
	}
	for i := range d.EvaluationDates {
		d.EvaluationDates[i].N = i + 1
	}
}

// GoalLabel names goal row i in a measure's goal list.
func (d *planFormData) GoalLabel(i int) string {
	if i < len(d.Goals) && strings.TrimSpace(d.Goals[i].Text) != "" {
		return d.Goals[i].Text
	}
	return ""
}

// newPlanPage shows the form for a new plan of the kind asked for.
func (s *Server) newPlanPage(w http.ResponseWriter, r *http.Request) {
	kind := r.URL.Query().Get("kind")
	pc, err := s.app.GetPlanCase(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if s.planError(w, r, err) {
		return
	}
	if !pc.CanCreate {
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	if !validKind(kind) { // choose the kind on the case's plan page
		http.Redirect(w, r, "/cases/"+url.PathEscape(pc.Case.ID)+"/plans", http.StatusSeeOther)
		return
	}
	p := s.page(r, "plans.new_title")
	d := s.newPlanForm(p.Lang, pc, kind)
	if code := pc.Missing[kind]; code != "" {
		p.Error = s.planErrorID(p.Lang, code)
	}
	d.addBlankRows()
	p.Data = d
	s.render(w, r, http.StatusOK, "plan_form", p)
}

func validKind(kind string) bool {
	for _, k := range app.PlanKinds {
		if k == kind {
			return true
		}
	}
	return false
}

func (s *Server) newPlanForm(lang string, pc *app.PlanCase, kind string) *planFormData {
	return &planFormData{Action: "/cases/" + pc.Case.ID + "/plans", Back: "/cases/" + pc.Case.ID + "/plans",
		Title: s.planTitle(lang, kind, pc.Subject), IsNew: true, IsRelay: kind == app.PlanRelayLog, Kind: kind,
		People: pc.People}
}

// createPlanSubmit makes the plan, or shows the form again with the error.
func (s *Server) createPlanSubmit(w http.ResponseWriter, r *http.Request) {
	if !s.parsePlanForm(w, r) {
		return
	}
	in := planInputFrom(r.PostForm)
	ctx, actor := r.Context(), reqctx.Actor(r.Context())
	v, err := s.app.CreatePlan(ctx, actor, r.PathValue("id"), in)
	if err == nil {
		http.Redirect(w, r, "/plans/"+v.Plan.ID+"?done=created", http.StatusSeeOther)
		return
	}
	if !planUserError(err) || !validKind(in.Kind) {
		if samordna.ErrorKind(err) == samordna.KindInvalid {
			s.errorPage(w, r, http.StatusBadRequest, "error.forbidden")
			return
		}
		s.planError(w, r, err)
		return
	}
	pc, perr := s.app.GetPlanCase(ctx, actor, r.PathValue("id"))
	if s.planError(w, r, perr) {
		return
	}
	p := s.page(r, "plans.new_title")
	p.Error = s.planErrorID(p.Lang, samordna.ErrorCode(err))
	d := s.newPlanForm(p.Lang, pc, in.Kind)
	refillForm(d, r.PostForm)
	p.Data = d
	s.render(w, r, samordna.HTTPStatus(err), "plan_form", p)
}

// editPlanPage shows the form for a new version of the plan.
func (s *Server) editPlanPage(w http.ResponseWriter, r *http.Request) {
	v, err := s.app.GetPlan(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if s.planError(w, r, err) {
		return
	}
	switch {
	case v.Plan.Status == app.PlanClosed:
		s.errorPage(w, r, http.StatusConflict, "plans.error.plan_closed")
		return
	case !v.CanWrite: // may read the plan but not change it (an individual plan or relay log: the coordinator's)
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	p := s.page(r, "plans.edit_title")
	d := s.editPlanForm(p.Lang, v)
	formFromPlan(d, v)
	d.addBlankRows()
	p.Data = d
	s.render(w, r, http.StatusOK, "plan_form", p)
}

func (s *Server) editPlanForm(lang string, v *app.PlanView) *planFormData {
	return &planFormData{Action: "/plans/" + v.Plan.ID, Back: "/plans/" + v.Plan.ID,
		Title: s.planTitle(lang, v.Plan.Kind, v.Subject), IsRelay: v.Plan.Kind == app.PlanRelayLog, Kind: v.Plan.Kind,
		Version: v.Plan.Version, People: v.People}
}

// formFromPlan fills the form with the plan's current content.
func formFromPlan(d *planFormData, v *app.PlanView) {
	c := v.Content
	d.WhatMatters, d.Resources, d.Services = c.WhatMatters, c.Resources, strings.Join(c.Services, "\n")
	for _, day := range c.EvaluationDates {
		d.EvaluationDates = append(d.EvaluationDates, planDateRow{Value: day})
	}
	d.References = append(d.References, c.References...)
	var rows []planTransitionRow
	for _, t := range c.Transitions {
		rows = append(rows, planTransitionRow{Kind: t.Kind, Expected: t.Expected, Note: t.Note})
	}
	d.setTransitions(rows)
	for _, g := range c.Goals {
		d.Goals = append(d.Goals, planGoalRow{ID: g.ID, Text: g.Text, Term: g.Term})
	}
	for _, m := range c.Measures {
		row := planMeasureRow{ID: m.ID, Text: m.Text, Service: m.ResponsibleService, Due: m.Due, Status: m.Status,
			Evaluation: m.Evaluation, EvalDate: m.EvaluationDate}
		for i, g := range c.Goals {
			if g.ID == m.GoalID {
				row.Goal = strconv.Itoa(i)
			}
		}
		for _, mv := range v.Measures {
			if mv.ID == m.ID && mv.Responsible != nil {
				row.Responsible, row.Status = mv.Responsible.Username, mv.Status
			}
		}
		d.Measures = append(d.Measures, row)
	}
}

// updatePlanSubmit writes a new version from the form. The form carries
// the version it was made from; when someone else saved in between, the
// form comes back with this user's changes and a warning (412), and
// nothing is overwritten.
func (s *Server) updatePlanSubmit(w http.ResponseWriter, r *http.Request) {
	if !s.parsePlanForm(w, r) {
		return
	}
	in := planInputFrom(r.PostForm)
	in.Kind = ""
	ifMatch := ""
	if n, err := strconv.Atoi(r.PostForm.Get("version")); err == nil {
		ifMatch = app.PlanETag(n)
	}
	ctx, actor := r.Context(), reqctx.Actor(r.Context())
	_, err := s.app.UpdatePlan(ctx, actor, r.PathValue("id"), ifMatch, in)
	if err == nil {
		http.Redirect(w, r, "/plans/"+url.PathEscape(r.PathValue("id"))+"?done=saved", http.StatusSeeOther)
		return
	}
	if !planUserError(err) {
		s.planError(w, r, err)
		return
	}
	v, verr := s.app.GetPlan(ctx, actor, r.PathValue("id"))
	if s.planError(w, r, verr) {
		return
	}
	p := s.page(r, "plans.edit_title")
	p.Error = s.planErrorID(p.Lang, samordna.ErrorCode(err))
	d := s.editPlanForm(p.Lang, v)
	d.Version, _ = strconv.Atoi(r.PostForm.Get("version"))
	d.Stale = samordna.ErrorKind(err) == samordna.KindPreconditionFailed
	refillForm(d, r.PostForm)
	p.Data = d
	s.render(w, r, samordna.HTTPStatus(err), "plan_form", p)
}

// refillForm puts the posted rows back into the form (blank rows too).
func refillForm(d *planFormData, f url.Values) {
	d.WhatMatters, d.Resources, d.Services, d.Holder = f.Get("what_matters"), f.Get("resources"), f.Get("services"), f.Get("holder")
	for i, text := range f["goal_text"] {
		d.Goals = append(d.Goals, planGoalRow{ID: planFormAt(f["goal_id"], i), Text: text, Term: planFormAt(f["goal_term"], i)})
	}
	for i, text := range f["measure_text"] {
		d.Measures = append(d.Measures, planMeasureRow{ID: planFormAt(f["measure_id"], i), Text: text,
			Responsible: planFormAt(f["measure_responsible"], i), Service: planFormAt(f["measure_service"], i),
			Due: planFormAt(f["measure_due"], i), Goal: planFormAt(f["measure_goal"], i), Status: planFormAt(f["measure_status"], i),
			Evaluation: planFormAt(f["measure_evaluation"], i), EvalDate: planFormAt(f["measure_evaluation_date"], i)})
	}
	for _, day := range f["evaluation_date"] {
		d.EvaluationDates = append(d.EvaluationDates, planDateRow{Value: day})
	}
	d.References = referenceRows(f)
	d.setTransitions(transitionRows(f))
	d.number()
}

// planInputFrom reads the plan form: empty rows are left out; a measure
// names its goal by the goal's row.
func planInputFrom(f url.Values) app.PlanInput {
	in := app.PlanInput{Kind: f.Get("kind"), WhatMatters: f.Get("what_matters"), Resources: f.Get("resources"),
		Holder: strings.TrimSpace(f.Get("holder"))}
	for _, line := range strings.Split(f.Get("services"), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			in.Services = append(in.Services, line)
		}
	}
	for _, day := range f["evaluation_date"] {
		if day = strings.TrimSpace(day); day != "" {
			in.EvaluationDates = append(in.EvaluationDates, day)
		}
	}
	goalIndex := map[string]int{} // goal row → index among the goals kept
	for i, text := range f["goal_text"] {
		if strings.TrimSpace(text) == "" {
			continue
		}
		goalIndex[strconv.Itoa(i)] = len(in.Goals)
		in.Goals = append(in.Goals, app.GoalInput{ID: planFormAt(f["goal_id"], i), Text: text, Term: planFormAt(f["goal_term"], i)})
	}
	for i, text := range f["measure_text"] {
		if strings.TrimSpace(text) == "" {
			continue // an empty row, or a measure whose text was cleared: removed
		}
		m := app.MeasureInput{ID: planFormAt(f["measure_id"], i), Text: text, Responsible: planFormAt(f["measure_responsible"], i),
			ResponsibleService: planFormAt(f["measure_service"], i), Due: planFormAt(f["measure_due"], i),
			Status: planFormAt(f["measure_status"], i), Evaluation: planFormAt(f["measure_evaluation"], i),
			EvaluationDate: planFormAt(f["measure_evaluation_date"], i)}
		if g, ok := goalIndex[planFormAt(f["measure_goal"], i)]; ok {
			m.GoalIndex = &g
		}
		in.Measures = append(in.Measures, m)
	}
	for _, ref := range referenceRows(f) {
		if strings.TrimSpace(ref.Title+ref.Holder+ref.Note) != "" {
			in.References = append(in.References, ref)
		}
	}
	for _, t := range transitionRows(f) {
		in.Transitions = append(in.Transitions, app.TransitionInput{Kind: t.Kind, Expected: strings.TrimSpace(t.Expected),
			Note: t.Note})
	}
	return in
}

// transitionRows reads the form's transition rows (an empty row is left
// out by the plan engine).
func transitionRows(f url.Values) []planTransitionRow {
	var out []planTransitionRow
	for i, kind := range f["transition_kind"] {
		out = append(out, planTransitionRow{Kind: kind, Expected: planFormAt(f["transition_expected"], i),
			Note: planFormAt(f["transition_note"], i)})
	}
	return out
}
