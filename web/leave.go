package web

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/reqctx"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// This file is the page where the administrator disables an employee who
// leaves (issue 12): a review of what a successor takes over, the choice of
// successor by name, and the summary of what was handed over. The texts are
// in web/locales/leave.*.yaml under "leave.".

// leaveRoutes are the pages of disabling an employee.
func (s *Server) leaveRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/admin/employees/{id}/disable", Access: "role:admin", Handler: s.leavePage},
		{Method: "POST", Path: "/admin/employees/{id}/disable", Access: "role:admin", Handler: s.leaveSubmit},
	}
}

// leaveTask is an open task on the review page: its title, its case's
// label and its due date (dd.mm.åååå).
type leaveTask struct {
	Title, Case, Due string
}

// leavePageData is the review page, or the summary after the disable (Done).
type leavePageData struct {
	EmployeeID, Name string
	Disabled         bool
	Counts           app.HandoverCounts
	Tasks            []leaveTask
	Candidates       []*samordna.Employee
	Successor        string // the chosen successor's id
	Done             bool
	SuccessorName    string // after the disable
}

func (s *Server) leavePage(w http.ResponseWriter, r *http.Request) {
	s.renderLeave(w, r, s.page(r, "leave.title"), http.StatusOK, "")
}

// renderLeave reads the review (an audited read) and renders the page;
// successor "" selects the default successor.
func (s *Server) renderLeave(w http.ResponseWriter, r *http.Request, p *Page, status int, successor string) {
	rv, err := s.app.ReviewLeave(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		s.spineAppError(w, r, err)
		return
	}
	if successor == "" {
		successor = rv.Successor
	}
	d := &leavePageData{EmployeeID: rv.Employee.ID, Name: rv.Employee.Name, Disabled: rv.Employee.Disabled,
		Counts: app.CountsOf(rv.Handover), Tasks: leaveTasks(rv.Handover), Candidates: rv.Candidates,
		Successor: successor}
	p.Data = d
	s.render(w, r, status, "admin_leave", p)
}

// leaveTasks are the handover's tasks as the page shows them.
func leaveTasks(h *store.Handover) []leaveTask {
	var out []leaveTask
	for _, t := range h.Tasks {
		lt := leaveTask{Title: t.Title, Case: t.CaseTitle}
		if t.DueAt != nil {
			lt.Due = t.DueAt.In(pathway.Oslo()).Format("02.01.2006")
		}
		out = append(out, lt)
	}
	return out
}

func (s *Server) leaveSubmit(w http.ResponseWriter, r *http.Request) {
	if err := coordParseForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	successor := strings.TrimSpace(r.PostForm.Get("successor"))
	sum, err := s.app.DisableEmployee(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), successor)
	if err != nil {
		if k := samordna.ErrorKind(err); k != samordna.KindInvalid && k != samordna.KindConflict {
			s.spineAppError(w, r, err)
			return
		}
		p := s.page(r, "leave.title")
		p.Error = s.spineErrorMessage(p.Lang, err)
		s.renderLeave(w, r, p, samordna.HTTPStatus(err), successor)
		return
	}
	p := s.page(r, "leave.done_title")
	d := &leavePageData{EmployeeID: sum.Employee.ID, Name: sum.Employee.Name, Disabled: true, Done: true,
		Counts: app.CountsOf(sum.Handover), Tasks: leaveTasks(sum.Handover)}
	if sum.Successor != nil {
		d.SuccessorName = sum.Successor.Name
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "admin_leave", p)
}

// noticeArgs are a notification's values for its text: the task's title,
// and for a handover the counts from its detail.
func noticeArgs(n *store.Notification) map[string]any {
	args := map[string]any{"Task": n.TaskTitle}
	if n.Kind == app.NoticeHandover {
		var c app.HandoverCounts
		_ = json.Unmarshal([]byte(n.Detail), &c) // written by app; a bad one shows zeros
		args["Tasks"], args["Coordinator"], args["Logs"] = c.Tasks, c.Coordinator, c.LogHolder
		args["Groups"], args["Teams"] = c.Groups, c.Teams
	} else {
		args["Tasks"] = app.ParseNoticeDetail(n.Detail).Tasks
	}
	return args
}
