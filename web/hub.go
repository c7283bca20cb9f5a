package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/reqctx"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// This file makes the case page a hub (issue 13, point 2): the page says
// who the person is and what to do next, and each part of the case is a
// summary linking to its own page. The forms that were stacked on the case
// page live on their own pages (consents, blocks, family links); their
// posts still go to the same routes and come back to the case. It also
// holds the review before a consent is withdrawn (point 4) and where a
// notification leads (point 5).

// hubRoutes are the case's form pages, the audited reveal of the
// fødselsnummer and the withdrawal review.
func (s *Server) hubRoutes() []Route {
	return []Route{
		{Method: "POST", Path: "/cases/{id}/fnr", Access: "case:read", Handler: s.revealIDNumber},
		{Method: "GET", Path: "/cases/{id}/consents", Access: "case:manage_consent", Handler: s.caseFormPage("case_consents")},
		{Method: "GET", Path: "/cases/{id}/blocks", Access: "case:block", Handler: s.caseFormPage("case_blocks")},
		{Method: "GET", Path: "/cases/{id}/links", Access: "case:write", Handler: s.caseFormPage("case_links")},
		{Method: "GET", Path: "/cases/{id}/target-groups", Access: "case:write", Handler: s.caseFormPage("case_target_groups")},
		{Method: "GET", Path: "/consents/{id}/withdraw", Access: "consent:manage_consent", Handler: s.withdrawReviewPage},
		{Method: "POST", Path: "/cases/{id}/child-welfare-reports/review", Access: "case:write", Handler: s.reviewReport},
	}
}

// caseFormAllowed reports whether the reader may use the case page or
// form page tmpl; the routes' Access says the same.
func caseFormAllowed(v *app.CaseView, tmpl string) bool {
	switch tmpl {
	case "case_consents":
		return v.CanManageConsent
	case "case_blocks":
		return v.CanBlock
	case "case_links", "case_target_groups":
		return v.CanWrite
	}
	return true
}

// caseFormPage shows one of the case's form pages.
func (s *Server) caseFormPage(tmpl string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.renderCase(w, r, s.page(r, "hub.title."+tmpl), tmpl, http.StatusOK, nil)
	}
}

// revealIDNumber shows the case page with the fødselsnummer, which the
// page otherwise masks; the reveal is audited on its own
// (reveal_id_number).
func (s *Server) revealIDNumber(w http.ResponseWriter, r *http.Request) {
	if err := parseSpineForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	number, err := s.app.RevealIDNumber(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		s.spineAppError(w, r, err)
		return
	}
	s.renderCase(w, r, s.page(r, "case.title"), "case", http.StatusOK, func(d *casePageData) {
		d.FNR, d.FNRShown = number, true
	})
}

// ageYears is the person's age in whole years at now, or -1 when the
// birth date is unknown or in the future.
func ageYears(birthDate string, now time.Time) int {
	b, err := time.Parse(time.DateOnly, birthDate)
	if err != nil {
		return -1
	}
	now = now.In(pathway.Oslo())
	age := now.Year() - b.Year()
	if now.Month() < b.Month() || now.Month() == b.Month() && now.Day() < b.Day() {
		age--
	}
	if age < 0 {
		return -1
	}
	return age
}

// hubTask is an open task of the case, for the summary and the next step.
type hubTask struct {
	Title, Due string
	Overdue    bool
}

// fillHub adds what the hub shows beyond the case view's own fields: the
// age, the masked number, the open tasks and the next step.
func (s *Server) fillHub(d *casePageData, v *app.CaseView, now time.Time) {
	if v.Subject != nil {
		d.Age = ageYears(v.Subject.BirthDate, now)
		d.BirthDate = displayDate(v.Subject.BirthDate)
		d.HasFNR, d.FNR = v.Subject.IDNumber != "", ""
	}
	for _, t := range v.Tasks {
		if t.Status != store.TaskOpen {
			continue
		}
		ht := hubTask{Title: t.Title}
		if t.DueAt != nil {
			ht.Due = t.DueAt.In(pathway.Oslo()).Format("02.01.2006")
			ht.Overdue = now.After(*t.DueAt)
		}
		d.OpenTasks = append(d.OpenTasks, ht)
	}
	for _, c := range d.Consents {
		if c.Active {
			d.ActiveConsents++
		}
	}
	switch {
	case v.Case.Status == samordna.CaseClosed:
		d.Next = "hub.next.closed"
	case len(d.OpenTasks) > 0:
		d.Next = "hub.next.task"
	case v.CanManageConsent && d.ActiveConsents == 0:
		d.Next = "hub.next.consent"
	default:
		d.Next = "hub.next.none"
	}
}

// withdrawReview is the review page before a consent is withdrawn.
type withdrawReview struct {
	ConsentID, CaseID string
	GivenBy, Recorded string
	Purposes          []string
	LoseAccess        []string // names
	Tasks             []hubTask
	Meetings          []string // when and where
	Coordinator       string   // name, "" when none
}

// withdrawReviewPage shows what withdrawing the consent does before it is
// done: who loses access, which tasks go back to the coordinator, which
// planned meetings are flagged. Confirming posts to the withdrawal.
func (s *Server) withdrawReviewPage(w http.ResponseWriter, r *http.Request) {
	eff, err := s.app.WithdrawalPreview(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		s.spineAppError(w, r, err)
		return
	}
	c := eff.Consent
	d := withdrawReview{ConsentID: c.ID, CaseID: c.CaseID, GivenBy: c.GivenByName, Recorded: displayTime(c.RecordedAt)}
	for _, p := range c.Purposes {
		d.Purposes = append(d.Purposes, s.spineLabel(r, "case.purpose.", string(p)))
	}
	for _, e := range eff.LoseAccess {
		d.LoseAccess = append(d.LoseAccess, e.Name)
	}
	for _, t := range eff.Tasks {
		ht := hubTask{Title: t.Title}
		if t.DueAt != nil {
			ht.Due = t.DueAt.In(pathway.Oslo()).Format("02.01.2006")
		}
		d.Tasks = append(d.Tasks, ht)
	}
	for _, m := range eff.Meetings {
		d.Meetings = append(d.Meetings, displayTime(m.StartsAt)+", "+m.Place)
	}
	if eff.Coordinator != nil {
		d.Coordinator = eff.Coordinator.Name
	}
	p := s.page(r, "hub.withdraw.title")
	p.Data = d
	s.render(w, r, http.StatusOK, "consent_withdraw", p)
}

// noticeLink is where a notification of issue 13's kinds leads: the
// meeting, the application or the appointments; "" for the others (and
// for access_ended, whose case the reader may no longer open).
func noticeLink(n *store.Notification) string {
	d := app.ParseNoticeDetail(n.Detail)
	switch {
	case n.Kind == app.NoticeAccessEnded:
		return ""
	case d.MeetingID != "":
		return "/meetings/" + d.MeetingID
	case d.ApplicationID != "":
		return "/applications/" + d.ApplicationID
	case n.Kind == app.NoticeCoordinatorAppointed:
		return "/coordinator"
	case n.Kind == app.NoticeTasksHandedBack:
		return "/tasks"
	}
	return ""
}

// queueSection is one queue of the start page (issue 13, point 6).
type queueSection struct {
	ID, Title      string // the heading's id and message id
	Items          []queueItem
	More, MoreText string // the page with the whole list and its message id, "" for none
}

// queueItem is one line of a queue: what, for whom, since or until when.
type queueItem struct {
	Link, Label, Detail string
	Urgent              bool // acute, or past due
}

// startQueues reads and words the queues of the employee's roles.
func (s *Server) startQueues(r *http.Request, p *Page) ([]queueSection, error) {
	p.cat = s.catalog // p.T before rendering
	q, err := s.app.StartQueues(r.Context(), reqctx.Actor(r.Context()))
	if err != nil {
		return nil, err
	}
	out := &struct{ Applications, Reports, Appointments, MeetingsToPlan, ServiceOverdue []queueItem }{}
	for _, a := range q.Applications {
		out.Applications = append(out.Applications, queueItem{Link: "/applications/" + a.ID, Label: a.SubjectName,
			Detail: p.T("hub.queue.waiting_since", "Date", displayTime(a.SubmittedAt))})
	}
	for _, v := range q.Reports {
		it := queueItem{Link: "/reports/" + v.ID, Label: s.routineLabel(p.Lang, "report_kind", v.Kind), Urgent: v.Acute}
		if v.Subject != nil {
			it.Label += ": " + subjectName(p, s, v.Subject)
		}
		if v.Acute {
			it.Label = p.T("hub.queue.acute") + " – " + it.Label
		}
		if v.AckDueAt != nil {
			it.Detail = p.T("hub.queue.acknowledge_by", "Date", displayTime(*v.AckDueAt))
		} else {
			it.Detail = p.T("hub.queue.sent", "Date", displayTime(v.SentAt))
		}
		out.Reports = append(out.Reports, it)
	}
	for _, k := range q.Appointments {
		out.Appointments = append(out.Appointments, queueItem{Link: "/coordinator", Label: k.SubjectName,
			Detail: s.spineLabel(r, "case.coordinator_kind.", k.Kind)})
	}
	for _, k := range q.MeetingsToPlan {
		out.MeetingsToPlan = append(out.MeetingsToPlan, queueItem{Link: "/cases/" + k.CaseID + "/group", Label: k.SubjectName,
			Detail: p.T("hub.queue.no_meeting")})
	}
	for _, t := range q.ServiceOverdue {
		out.ServiceOverdue = append(out.ServiceOverdue, queueItem{Label: t.Title, Urgent: true,
			Detail: t.AssigneeName + " – " + p.T("hub.overdue_since", "Due", displayDay(*t.DueAt))})
	}
	var sections []queueSection
	add := func(id, title string, items []queueItem, more, moreText string) {
		if len(items) > 0 {
			sections = append(sections, queueSection{ID: id, Title: title, Items: items, More: more, MoreText: moreText})
		}
	}
	add("queue-overdue", "hub.queue.service_overdue", out.ServiceOverdue, "", "")
	add("queue-reports", "hub.queue.reports", out.Reports, "/reports", "hub.queue.reports_all")
	add("queue-applications", "hub.queue.applications", out.Applications, "/coordination", "hub.queue.applications_all")
	add("queue-appointments", "hub.queue.appointments", out.Appointments, "/coordinator", "hub.queue.coordinator_all")
	add("queue-meetings", "hub.queue.meetings", out.MeetingsToPlan, "/coordinator", "hub.queue.coordinator_all")
	return sections, nil
}

// displayDay shows an instant's day as dd.mm.åååå (Oslo time).
func displayDay(t time.Time) string {
	return t.In(pathway.Oslo()).Format("02.01.2006")
}

// decisionReview is the review page of a decision: the decision as it
// will be recorded, what follows, and the confirming form that carries it.
type decisionReview struct {
	AppID, CaseID   string
	In              decisionInput
	Outcome         string // label
	Granted         bool
	Subject         string
	Coordinator     string // name
	Kind, PlanWhen  string // labels
	Ground          string // label, "" when none
	Applicant       string // who submitted the application (told of the decision)
	Wished          string // the person's wished coordinator, when not followed
	WishNotFollowed bool
}

// reviewDecision checks the decision form and shows what the decision
// will do before it is made (issue 13, point 4); an error shows the
// application page again with the message, as the decision itself does.
func (s *Server) reviewDecision(w http.ResponseWriter, r *http.Request) {
	if err := coordParseForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	f := r.PostForm
	in := decisionInput{Outcome: f.Get("outcome"), Coordinator: f.Get("coordinator"), Kind: f.Get("coordinator_kind"),
		PlanWhen: f.Get("individual_plan_when"), Reason: f.Get("reason"), Ground: f.Get("child_coordinator_ground")}
	pv, err := s.app.PreviewDecision(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), app.Decision{
		Outcome: in.Outcome, Coordinator: in.Coordinator, CoordinatorKind: in.Kind,
		IndividualPlan: in.PlanWhen == "now", IndividualPlanWhen: in.PlanWhen, Reason: in.Reason,
		ChildCoordinatorGround: in.Ground})
	if err != nil {
		s.coordFail(w, r, err, func(p *Page, status int) { s.renderApplication(w, r, p, status, &in) })
		return
	}
	p := s.page(r, "hub.decision.title")
	p.cat = s.catalog // p.T before rendering
	dec, ap := pv.Decision, pv.Application
	d := decisionReview{AppID: ap.ID, CaseID: ap.CaseID, Granted: dec.Outcome == "granted",
		Outcome: p.T("coord.app_status." + dec.Outcome), Subject: ap.SubjectName, Applicant: ap.SubmittedByName,
		PlanWhen: p.T("coord.plan_when." + dec.IndividualPlanWhen), WishNotFollowed: pv.WishNotFollowed, Wished: ap.WishedName,
		In: decisionInput{Outcome: dec.Outcome, Coordinator: dec.Coordinator, Kind: dec.CoordinatorKind,
			PlanWhen: dec.IndividualPlanWhen, Reason: dec.Reason, Ground: dec.ChildCoordinatorGround}}
	if pv.Coordinator != nil {
		d.Coordinator, d.Kind = pv.Coordinator.Name, p.T("coord.kind."+dec.CoordinatorKind)
	}
	if dec.ChildCoordinatorGround != "" {
		d.Ground = p.T("coord.ground." + dec.ChildCoordinatorGround)
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "decision_review", p)
}

// openCaseRow is an open case the concern form offers.
type openCaseRow struct{ ID, Name, Situation, Created string }

// offerOpenCases shows the concern form again, with what was typed, when
// the named person already has open cases the employee may read (issue
// 13, point 8): the form names them and links to them, and a second
// submit with "new_anyway" registers the concern all the same. It reports
// whether it answered. Cases the employee may not read are never hinted at.
func (s *Server) offerOpenCases(w http.ResponseWriter, r *http.Request, in concernInput) bool {
	hints, err := s.app.OpenCasesFor(r.Context(), reqctx.Actor(r.Context()), in.FNR)
	if err != nil {
		s.serverError(w, r, err)
		return true
	}
	if len(hints) == 0 {
		return false
	}
	p := s.page(r, "routine.concern.title")
	d := &concernFormData{In: in}
	for _, h := range hints {
		d.OpenCases = append(d.OpenCases, openCaseRow{ID: h.CaseID, Name: h.Name,
			Situation: s.spineLabel(r, "case.situation.", h.Situation), Created: displayDay(h.CreatedAt)})
	}
	s.renderConcernForm(w, r, p, http.StatusOK, d)
	return true
}

// reportReview is the review of a report to child welfare before it is
// sent: what child welfare receives and whose signature it carries.
type reportReview struct {
	CaseID, Description, Acute string // Acute "yes" or ""
	Name, BirthDate            string // whom the report is about ("" when anonymous)
	Signer, SignerTitle        string
	SignerService, Date        string
}

// reviewReport shows the report to child welfare as child welfare will
// receive it, with the signature it will carry, before it is sent, signed
// and locked (issue 13, point 4). Confirming posts the same text to the
// report route. A description that would be refused shows the routine
// page again with the message, as sending does.
func (s *Server) reviewReport(w http.ResponseWriter, r *http.Request) {
	if err := routineForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	in := reportInput{Kind: app.ReportChildWelfare, Description: r.PostForm.Get("description"), Acute: r.PostForm.Get("acute")}
	v, err := s.app.GetCase(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err == nil && !v.CanWrite {
		err = samordna.ErrNotFound
	}
	if err == nil {
		err = app.CheckReportText(in.Description)
	}
	if err != nil {
		s.routineFail(w, r, err, func(p *Page, status int) {
			s.renderCaseRoutine(w, r, p, status, func(d *caseRoutineData) { d.Report = in })
		})
		return
	}
	p := s.page(r, "hub.report.title")
	e := p.User
	d := reportReview{CaseID: v.Case.ID, Description: strings.TrimSpace(in.Description), Signer: e.Name, SignerTitle: e.Title,
		Date: displayDay(s.app.Clock.Now())}
	if in.Acute == "yes" {
		d.Acute = "yes"
	}
	if len(e.Services) > 0 {
		d.SignerService = e.Services[0].Name
	}
	if v.Subject != nil {
		d.Name, d.BirthDate = v.Subject.Name, displayDate(v.Subject.BirthDate)
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "report_review", p)
}
