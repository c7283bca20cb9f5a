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

// This file holds the tasks: "Mine oppgaver" on the start page (overdue
// first, then due this week, grouped by case), the page of all the
// employee's tasks, completing a task, and the notifications.

func (s *Server) taskRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/tasks", Access: "authenticated", Handler: s.tasksPage},
		{Method: "POST", Path: "/tasks/{id}/complete", Access: "task:complete", Handler: s.completeTaskSubmit},
		{Method: "GET", Path: "/notifications", Access: "authenticated", Handler: s.notificationsPage},
		{Method: "POST", Path: "/notifications/{id}/read", Access: "notification:own", Handler: s.readNotificationSubmit},
	}
}

// taskRow is a task as the pages show it.
type taskRow struct {
	ID, CaseID, Title, Responsible, ResponsibleText, Assignee, Due, Deadline, DeadlineText string
	Status, Outcome, CompletedAt                                                           string
	ActionLines, References                                                                []string
	Offers                                                                                 []offerView
	Outcomes                                                                               []offerView
	DeadlineSource                                                                         string
	Overdue, CanComplete, Open                                                             bool
	CaseLabel                                                                              string
	CaseReadable                                                                           bool
	// Records are what the step asks the assignee to write down (seed 000:
	// the conversation, children, advice), with what was written once done.
	Records []recordField
}

// recordField is one step record on the page.
type recordField struct{ ID, Label, Value string }

type offerView struct{ ID, Label, Href string }

// offerHref is where the page for an offered action is: on the routine view
// for consultations and reports, elsewhere for the other features.
func offerHref(caseID string, o pathway.Offer) string {
	c := "/cases/" + caseID
	switch o {
	case pathway.OfferConsultation:
		return c + "/routine#consultation"
	case pathway.OfferChildWelfareReport:
		return c + "/routine#child_welfare_report"
	case pathway.OfferDutyToInform:
		return c + "/routine#duty_to_inform"
	case pathway.OfferConsent:
		return c + "#consents"
	case pathway.OfferApplication:
		return c + "/application"
	case pathway.OfferResponsibilityGroup:
		return c + "/group"
	case pathway.OfferDrugTestAssessment:
		return c + "/routine#drug_test"
	case pathway.OfferActionPlan:
		return c + "/plans"
	}
	return c
}

// taskRow describes a task in the reader's language.
func (s *Server) taskRow(lang string, t *app.TaskView) *taskRow {
	row := &taskRow{ID: t.ID, CaseID: t.CaseID, Title: t.Title, Responsible: s.routineLabel(lang, "responsible", t.Responsible),
		Assignee: s.assigneeLabel(lang, t), Due: routineTimePtr(t.DueAt), Status: s.routineLabel(lang, "task_status", t.Status),
		Outcome: s.routineLabel(lang, "outcome", t.Outcome), CompletedAt: routineTimePtr(t.CompletedAt),
		Overdue: t.Overdue, CanComplete: t.CanComplete, Open: t.Status == store.TaskOpen, CaseReadable: t.CaseReadable}
	if t.Step != nil {
		row.ActionLines = strings.Split(t.Step.Action, "\n")
		row.References, row.ResponsibleText = t.Step.References, t.Step.ResponsibleText
		row.Deadline, row.DeadlineText = s.deadlineLabel(lang, *t.Step), t.Step.DeadlineText
	}
	if t.DeadlineSource != "" {
		row.DeadlineSource = s.catalog.T(lang, "routine.task_deadline_source."+t.DeadlineSource, nil)
		if t.DeadlineSource == store.DeadlineMunicipality {
			row.Deadline, row.DeadlineText = "", "" // the routine's proposal is not the deadline in force
		}
	}
	if row.Due == "" && t.Step != nil && t.Step.Deadline.Kind == pathway.DeadlinePerPlan {
		row.Due = s.catalog.T(lang, "routine.deadline.per_plan", nil)
	}
	for _, o := range t.Offers {
		row.Offers = append(row.Offers, offerView{ID: string(o), Label: s.routineLabel(lang, "offer", string(o)),
			Href: offerHref(t.CaseID, o)})
	}
	for _, o := range t.Outcomes {
		row.Outcomes = append(row.Outcomes, offerView{ID: o, Label: s.routineLabel(lang, "outcome", o)})
	}
	if t.Step != nil && t.Kind == store.TaskKindStep {
		for _, rec := range t.Step.Records {
			row.Records = append(row.Records, recordField{ID: string(rec), Label: s.routineLabel(lang, "record", string(rec)),
				Value: t.Records[string(rec)]})
		}
	}
	sit := s.routineLabel(lang, "situation", t.CaseSituation)
	switch {
	case t.CaseSubject != "":
		row.CaseLabel = t.CaseSubject
	case t.CaseAnonymous:
		row.CaseLabel = s.catalog.T(lang, "routine.case.anonymous_label", map[string]any{"Situation": sit})
	default:
		row.CaseLabel = s.catalog.T(lang, "routine.case.other_label", map[string]any{"Situation": sit})
	}
	return row
}

// assigneeLabel says who must do the task.
func (s *Server) assigneeLabel(lang string, t *app.TaskView) string {
	switch t.AssigneeKind {
	case store.AssignRole:
		return s.routineLabel(lang, "role", t.Role)
	case store.AssignGroup:
		return s.catalog.T(lang, "routine.assignee.group", nil)
	}
	return t.AssigneeName
}

// taskGroup is the tasks of one case.
type taskGroup struct {
	CaseID, Label string
	Readable      bool
	Tasks         []*taskRow
}

// groupByCase groups rows by case, keeping the order of first appearance.
func groupByCase(rows []*taskRow) []*taskGroup {
	var out []*taskGroup
	byCase := map[string]*taskGroup{}
	for _, r := range rows {
		g, ok := byCase[r.CaseID]
		if !ok {
			g = &taskGroup{CaseID: r.CaseID, Label: r.CaseLabel, Readable: r.CaseReadable}
			byCase[r.CaseID] = g
			out = append(out, g)
		}
		g.Tasks = append(g.Tasks, r)
	}
	return out
}

// startTasks is the start page's "Mine oppgaver": overdue tasks, then those
// due this week, each grouped by case.
type startTasks struct {
	Overdue, ThisWeek []*taskGroup
	Unread            int
	IsAdmin           bool
}

// endOfWeek is the start of next Monday in Oslo.
func endOfWeek(now time.Time) time.Time {
	t := now.In(pathway.Oslo())
	days := (8 - int(t.Weekday())) % 7
	if days == 0 {
		days = 7
	}
	y, m, d := t.AddDate(0, 0, days).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, pathway.Oslo())
}

// pastDue reports whether a task is past its deadline on the start page:
// its overdue time has passed, or its due date in Europe/Oslo is before
// today there. A deadline is a date, so a task due later today is not
// past due (issue 13).
func pastDue(overdue bool, due *time.Time, now time.Time) bool {
	if overdue {
		return true
	}
	if due == nil {
		return false
	}
	dy, dm, dd := due.In(pathway.Oslo()).Date()
	ny, nm, nd := now.In(pathway.Oslo()).Date()
	return time.Date(dy, dm, dd, 0, 0, 0, 0, time.UTC).Before(time.Date(ny, nm, nd, 0, 0, 0, 0, time.UTC))
}

// myStartTasks reads the start page's tasks for the signed-in employee.
func (s *Server) myStartTasks(r *http.Request, lang string) (*startTasks, error) {
	actor := reqctx.Actor(r.Context())
	out := &startTasks{IsAdmin: actor.Employee != nil && actor.Employee.HasRole(samordna.RoleAdmin)}
	list, err := s.app.ListTasks(r.Context(), actor, app.TaskQuery{AssignedToMe: true, Status: store.TaskOpen,
		DueBefore: endOfWeek(s.app.Clock.Now()), Limit: 100})
	if err != nil {
		return nil, err
	}
	var overdue, week []*taskRow
	now := s.app.Clock.Now()
	for _, t := range list.Tasks {
		if pastDue(t.Overdue, t.DueAt, now) { // past due is "Forfalt", not "this week"
			overdue = append(overdue, s.taskRow(lang, t))
		} else {
			week = append(week, s.taskRow(lang, t))
		}
	}
	out.Overdue, out.ThisWeek = groupByCase(overdue), groupByCase(week)
	if out.Unread, err = s.app.UnreadNotifications(r.Context(), actor); err != nil {
		return nil, err
	}
	return out, nil
}

type tasksPageData struct {
	Groups []*taskGroup
	Filter string // "open", "overdue", "done"
	Next   string
}

// tasksPage lists all the employee's own tasks: ?show=open (default),
// overdue or done.
func (s *Server) tasksPage(w http.ResponseWriter, r *http.Request) {
	p := s.page(r, "routine.tasks.title")
	s.routineFlash(r, p)
	q := app.TaskQuery{AssignedToMe: true, Status: store.TaskOpen, Cursor: r.URL.Query().Get("cursor"), Limit: 100}
	d := &tasksPageData{Filter: r.URL.Query().Get("show")}
	switch d.Filter {
	case "overdue":
		q.Overdue = true
	case "done":
		q.Status = store.TaskDone
	default:
		d.Filter = "open"
	}
	list, err := s.app.ListTasks(r.Context(), reqctx.Actor(r.Context()), q)
	if err != nil {
		s.routineFail(w, r, err, nil)
		return
	}
	var rows []*taskRow
	for _, t := range list.Tasks {
		rows = append(rows, s.taskRow(p.Lang, t))
	}
	d.Groups, d.Next = groupByCase(rows), list.Next
	p.Data = d
	s.render(w, r, http.StatusOK, "routine_tasks", p)
}

// completeTaskSubmit completes a task and goes back where the form was
// (the routine view of the case by default).
func (s *Server) completeTaskSubmit(w http.ResponseWriter, r *http.Request) {
	if err := routineForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	records := map[string]string{}
	for _, rec := range pathway.Records() {
		if v := strings.TrimSpace(r.PostForm.Get("record_" + string(rec))); v != "" {
			records[string(rec)] = v
		}
	}
	_, _, warnings, err := s.app.CompleteTaskWithRecords(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"),
		r.PostForm.Get("outcome"), records)
	back := safeReturn(r.PostForm.Get("return"))
	if err != nil {
		if samordna.ErrorKind(err) == samordna.KindNotFound || samordna.ErrorKind(err) == samordna.KindInternal {
			s.routineFail(w, r, err, nil)
			return
		}
		code := samordna.ErrorCode(err)
		if code == "consent_required" { // "consent given" without a recorded consent: guide to record it first
			code = "consent_not_recorded"
		}
		http.Redirect(w, r, back+routineQuerySep(back)+"error="+code, http.StatusSeeOther)
		return
	}
	done := "task_completed"
	if len(warnings) > 0 { // an asked-for record was left empty: say so
		done = "task_completed_records_missing"
	}
	routineRedirect(w, r, back+routineQuerySep(back)+"done="+done, "", "")
}

// routineQuerySep is "?" or "&" to add a query parameter to path.
func routineQuerySep(path string) string {
	if strings.Contains(path, "?") {
		return "&"
	}
	return "?"
}

type notificationRow struct {
	ID, Text, At, Link string
	Unread             bool
}

// notificationsPage lists the employee's notifications.
func (s *Server) notificationsPage(w http.ResponseWriter, r *http.Request) {
	p := s.page(r, "routine.notifications.title")
	s.routineFlash(r, p)
	ns, err := s.app.Notifications(r.Context(), reqctx.Actor(r.Context()), false)
	if err != nil {
		s.routineFail(w, r, err, nil)
		return
	}
	var rows []notificationRow
	for _, n := range ns {
		id := "routine.notice." + n.Kind
		if s.catalog.T(p.Lang, id, nil) == "["+id+"]" {
			id = "routine.notice.other" // a kind another feature added
		}
		row := notificationRow{ID: n.ID, At: routineTime(n.CreatedAt), Unread: n.ReadAt == nil,
			Text: s.catalog.T(p.Lang, id, noticeArgs(n))}
		switch {
		case noticeLink(n) != "":
			row.Link = noticeLink(n)
		case n.Kind == app.NoticeAccessEnded:
			// no link: the case is no longer the reader's to open
		case n.Kind == app.NoticeEmergencyReview:
			row.Link = "/emergency-access/reviews"
		case n.ReportID != "":
			row.Link = "/reports/" + n.ReportID
		case n.TaskID != "":
			row.Link = "/tasks?show=overdue"
		case n.CaseID != "":
			row.Link = "/cases/" + n.CaseID
		case n.Kind == app.NoticeHandover:
			row.Link = "/tasks" // what was handed over is among the successor's tasks
		}
		rows = append(rows, row)
	}
	p.Data = rows
	s.render(w, r, http.StatusOK, "routine_notifications", p)
}

// readNotificationSubmit marks a notification read.
func (s *Server) readNotificationSubmit(w http.ResponseWriter, r *http.Request) {
	if err := s.app.MarkNotificationRead(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id")); err != nil {
		s.routineFail(w, r, err, nil)
		return
	}
	routineRedirect(w, r, "/notifications", "read", "")
}
