package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/reqctx"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// This file is the yearly cycle's pages (årshjul, seed 001): leaders see
// and plan the recurring activities, get a personal calendar feed link,
// and every owner sees and closes their own activity tasks.

func (s *Server) annualCycleRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/annual-cycle", Access: "role:service_leader", Handler: s.annualCyclePage},
		{Method: "POST", Path: "/annual-cycle/activities", Access: "role:service_leader", Handler: s.activityCreate},
		{Method: "POST", Path: "/annual-cycle/feed", Access: "role:service_leader", Handler: s.feedCreate},
		{Method: "GET", Path: "/annual-cycle/tasks", Access: "authenticated", Handler: s.myActivityTasksPage},
		{Method: "POST", Path: "/annual-cycle/tasks/{id}/done", Access: "authenticated", Handler: s.activityTaskDone},
	}
}

// activityRow is an activity on the page.
type activityRow struct {
	A      *app.CycleActivity
	Level  string
	Kind   string
	Rule   string
	Next   string
	Owner  string
	Length string
}

// activityTaskRow is an activity task on the pages.
type activityTaskRow struct {
	T       *store.ActivityTask
	Kind    string
	Due     string
	Overdue bool
	Done    string
	// Training: marking it done asks how many took part (seed 001).
	Training     bool
	Participants int // recorded participants of a done training, 0 for none
}

// cycleData is the yearly cycle page.
type cycleData struct {
	Rows      []activityRow
	Tasks     []activityTaskRow
	HasFeed   bool
	FeedURL   string // shown once, right after it is made
	Form      app.ActivityInput
	Choices   *app.LeadershipChoices
	Levels    []string
	Kinds     []string
	Months    []int
	Intervals []int
	Weeks     []int
	Weekdays  []int
}

// ruleText says an activity's date rule in words.
func (s *Server) ruleText(lang string, a *store.Activity) string {
	t := func(id string, args map[string]any) string { return s.catalog.T(lang, id, args) }
	day := t("cycle.rule.month_day", map[string]any{"Day": a.MonthDay})
	if a.MonthDay == 0 {
		day = t("cycle.rule.weekday", map[string]any{"Week": t("cycle.week."+strconv.Itoa(a.Week), nil),
			"Weekday": t("cycle.weekday."+strconv.Itoa(a.Weekday), nil)})
	}
	return t("cycle.rule.every."+strconv.Itoa(a.IntervalMonths), map[string]any{
		"Month": t("cycle.month."+strconv.Itoa(a.StartMonth), nil), "Day": day,
		"Time": time.Date(2000, 1, 1, a.StartMinute/60, a.StartMinute%60, 0, 0, time.UTC).Format("15.04")})
}

func (s *Server) taskRows(lang string, tasks []*store.ActivityTask, now time.Time) []activityTaskRow {
	var out []activityTaskRow
	for _, t := range tasks {
		row := activityTaskRow{T: t, Kind: s.catalog.T(lang, "cycle.kind."+t.Kind, nil), Due: coordTime(t.DueAt),
			Overdue: t.Status == "open" && now.After(t.DueAt), Training: slices.Contains(app.TrainingKinds, t.Kind)}
		if t.CompletedAt != nil {
			row.Done = coordTime(*t.CompletedAt)
		}
		if t.Participants != nil {
			row.Participants = *t.Participants
		}
		out = append(out, row)
	}
	return out
}

// renderCycle shows the yearly cycle page with d's form and feed link.
func (s *Server) renderCycle(w http.ResponseWriter, r *http.Request, p *Page, status int, d cycleData) {
	actor := reqctx.Actor(r.Context())
	c, err := s.app.AnnualCycleFor(r.Context(), actor)
	if err != nil {
		s.coordFail(w, r, err, nil)
		return
	}
	choices, err := s.app.LeadershipFormChoices(r.Context(), actor)
	if err != nil {
		s.coordFail(w, r, err, nil)
		return
	}
	for _, a := range c.Activities {
		row := activityRow{A: a, Level: s.catalog.T(p.Lang, "goals.level."+a.Level, nil),
			Kind: s.catalog.T(p.Lang, "cycle.kind."+a.Kind, nil), Rule: s.ruleText(p.Lang, a.Activity), Owner: a.OwnerName,
			Length: s.catalog.T(p.Lang, "cycle.minutes", map[string]any{"N": a.DurationMinutes})}
		if len(a.Next) > 0 {
			row.Next = coordTime(a.Next[0])
		}
		d.Rows = append(d.Rows, row)
	}
	d.Tasks, d.HasFeed, d.Choices = s.taskRows(p.Lang, c.Tasks, c.Now), c.HasFeed, choices
	d.Levels, d.Kinds = app.GoalLevels, app.ActivityKinds
	d.Intervals = []int{1, 2, 3, 4, 6, 12}
	d.Months, d.Weeks, d.Weekdays = []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, []int{1, 2, 3, 4, -1}, []int{1, 2, 3, 4, 5, 6, 0}
	if d.Form.StartTime == "" {
		d.Form = app.ActivityInput{Level: "service", Kind: "fagsamling", IntervalMonths: 3, StartMonth: 1, Week: 1,
			Weekday: 2, StartTime: "09:00", DurationMinutes: 120, LeadDays: 14}
	}
	p.Data = d
	s.render(w, r, status, "annual_cycle", p)
}

func (s *Server) annualCyclePage(w http.ResponseWriter, r *http.Request) {
	p := s.page(r, "cycle.title")
	if r.URL.Query().Get("done") == "created" {
		p.Flash = "cycle.done.created"
	}
	s.renderCycle(w, r, p, http.StatusOK, cycleData{})
}

// atoi reads a form number (0 when it is none).
func atoi(v string) int {
	n, _ := strconv.Atoi(strings.TrimSpace(v))
	return n
}

// activityCreate adds an activity from the form.
func (s *Server) activityCreate(w http.ResponseWriter, r *http.Request) {
	if err := coordParseForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	in := app.ActivityInput{Level: r.PostFormValue("level"), Kind: r.PostFormValue("kind"), Title: r.PostFormValue("title"),
		Owner: r.PostFormValue("owner"), IntervalMonths: atoi(r.PostFormValue("interval")),
		StartYear: s.app.Clock.Now().In(pathway.Oslo()).Year(), StartMonth: atoi(r.PostFormValue("start_month")),
		StartTime: r.PostFormValue("time"), DurationMinutes: atoi(r.PostFormValue("duration")),
		LeadDays: atoi(r.PostFormValue("lead_days"))}
	if r.PostFormValue("day_kind") == "weekday" {
		in.Week, in.Weekday = atoi(r.PostFormValue("week")), atoi(r.PostFormValue("weekday"))
	} else {
		in.MonthDay = atoi(r.PostFormValue("month_day"))
	}
	_, err := s.app.CreateActivity(r.Context(), reqctx.Actor(r.Context()), in)
	if err != nil {
		if k := samordna.ErrorKind(err); k == samordna.KindNotFound || k == samordna.KindInternal {
			s.coordFail(w, r, err, nil)
			return
		}
		p := s.page(r, "cycle.title")
		p.Error = "cycle.err.invalid"
		if id := "cycle.err." + samordna.ErrorCode(err); s.catalog.T(p.Lang, id, nil) != "["+id+"]" {
			p.Error = id
		}
		s.renderCycle(w, r, p, samordna.HTTPStatus(err), cycleData{Form: in})
		return
	}
	http.Redirect(w, r, "/annual-cycle?done=created", http.StatusSeeOther)
}

// feedCreate makes a new personal feed link and shows it once.
func (s *Server) feedCreate(w http.ResponseWriter, r *http.Request) {
	secret, err := s.app.NewCalendarFeed(r.Context(), reqctx.Actor(r.Context()))
	if err != nil {
		s.coordFail(w, r, err, nil)
		return
	}
	base := strings.TrimSuffix(s.cfg.BaseURL, "/")
	if base == "" {
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		base = scheme + "://" + r.Host
	}
	p := s.page(r, "cycle.title")
	p.Flash = "cycle.done.feed"
	s.renderCycle(w, r, p, http.StatusOK, cycleData{FeedURL: base + "/api/v1/annual-cycle.ics?feed=" + secret})
}

// myActivityTasksPage lists the signed-in employee's own tasks on the
// yearly cycle.
func (s *Server) myActivityTasksPage(w http.ResponseWriter, r *http.Request) {
	tasks, err := s.app.MyActivityTasks(r.Context(), reqctx.Actor(r.Context()))
	if err != nil {
		s.coordFail(w, r, err, nil)
		return
	}
	p := s.page(r, "cycle.my_tasks")
	if r.URL.Query().Get("done") == "task" {
		p.Flash = "cycle.done.task"
	}
	s.renderMyTasks(w, r, p, http.StatusOK, tasks)
}

// renderMyTasks shows the employee's tasks of the yearly cycle.
func (s *Server) renderMyTasks(w http.ResponseWriter, r *http.Request, p *Page, status int, tasks []*store.ActivityTask) {
	p.Title = "cycle.my_tasks"
	p.Data = struct{ Tasks []activityTaskRow }{s.taskRows(p.Lang, tasks, s.app.Clock.Now())}
	s.render(w, r, status, "annual_cycle_tasks", p)
}

// activityTaskDone closes an activity task: the owner's, or any for a
// leader (back to the page it came from).
func (s *Server) activityTaskDone(w http.ResponseWriter, r *http.Request) {
	if err := coordParseForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	participants := 0
	if v := strings.TrimSpace(r.PostForm.Get("participants")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			n = -1 // not a number: refused as participants_required
		}
		participants = n
	}
	if err := s.app.CompleteActivityTask(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), participants); err != nil {
		s.coordFail(w, r, err, func(p *Page, status int) {
			tasks, err := s.app.MyActivityTasks(r.Context(), reqctx.Actor(r.Context()))
			if err != nil {
				s.serverError(w, r, err)
				return
			}
			s.renderMyTasks(w, r, p, status, tasks)
		})
		return
	}
	back := "/annual-cycle/tasks?done=task"
	if r.PostFormValue("back") == "cycle" {
		back = "/annual-cycle#tasks"
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}
