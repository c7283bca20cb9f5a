package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/reqctx"
	"github.com/samordna/samordna/pathway"
)

// This file is the administrator's page for the deadlines the municipality
// adopts (issue 11, rule 9): each step whose deadline the routine does not
// give ("Lokal frist") and the one-hour limits, with the version in force
// and its history, and a form to adopt or change each.

func (s *Server) deadlineRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/admin/deadlines", Access: "role:admin", Handler: s.deadlinesPage},
		{Method: "POST", Path: "/admin/deadlines", Access: "role:admin", Handler: s.adoptDeadlineSubmit},
	}
}

type deadlinesData struct {
	Rows  []deadlineRowView
	Error string // message id of a refused change, shown in the form's summary
	Key   string // the row the error is about
}

type deadlineRowView struct {
	Key, RoutineID, RoutineName, StepID, Title string
	Proposed, ProposedText                     string
	InForce, Source, Value                     string
	WorkingDays                                bool
	History                                    []adoptionView
}

type adoptionView struct{ Version, Deadline, Note, At, By string }

func (s *Server) deadlinesPage(w http.ResponseWriter, r *http.Request) {
	p := s.page(r, "deadlines.title")
	s.routineFlash(r, p)
	s.renderDeadlines(w, r, p, http.StatusOK, &deadlinesData{})
}

func (s *Server) renderDeadlines(w http.ResponseWriter, r *http.Request, p *Page, status int, d *deadlinesData) {
	p.Title = "deadlines.title"
	d.Error, p.Error = p.Error, ""
	rows, err := s.app.AdminDeadlines(r.Context(), reqctx.Actor(r.Context()))
	if err != nil {
		s.routineFail(w, r, err, nil)
		return
	}
	for _, x := range rows {
		v := deadlineRowView{Key: x.RoutineID + "/" + x.StepID, RoutineID: x.RoutineID, RoutineName: x.RoutineName,
			StepID: x.StepID, Title: x.Title, Proposed: s.deadlineText(p.Lang, x.Proposed, x.WorkingDays),
			ProposedText: x.ProposedText, Value: x.Proposed, WorkingDays: x.WorkingDays,
			Source: s.catalog.T(p.Lang, "routine.deadline_source.proposed", nil)}
		if x.RoutineID == "" {
			v.Title = s.catalog.T(p.Lang, "deadlines.limit."+x.StepID, nil)
		}
		v.InForce = v.Proposed
		if c := x.Current; c != nil {
			v.InForce, v.Value, v.WorkingDays = s.deadlineText(p.Lang, c.Deadline, c.WorkingDays), c.Deadline, c.WorkingDays
			v.Source = s.catalog.T(p.Lang, "routine.deadline_source.adopted", map[string]any{"Version": c.Version,
				"Date": c.AdoptedAt.In(pathway.Oslo()).Format("02.01.2006")})
		}
		for _, h := range x.History {
			v.History = append(v.History, adoptionView{Version: strconv.Itoa(h.Version), Deadline: s.deadlineText(p.Lang, h.Deadline, h.WorkingDays),
				Note: h.Note, At: routineTime(h.AdoptedAt), By: h.AdoptedByName})
		}
		d.Rows = append(d.Rows, v)
	}
	p.Data = d
	s.render(w, r, status, "deadlines", p)
}

// deadlineText words a stored deadline ("P1W", "PT1H") for people.
func (s *Server) deadlineText(lang, value string, workingDays bool) string {
	if rest, ok := strings.CutPrefix(value, "PT"); ok && len(rest) > 1 {
		unit := "hour"
		if strings.HasSuffix(rest, "M") {
			unit = "minute"
		}
		n := rest[:len(rest)-1]
		if n == "1" {
			return s.catalog.T(lang, "routine.period."+unit+"_one", nil)
		}
		return s.catalog.T(lang, "routine.period."+unit+"s", map[string]any{"N": n})
	}
	d, err := pathway.ParseDeadline(value)
	if err != nil {
		return value
	}
	return s.deadlineLabel(lang, pathway.Step{Deadline: d, WorkingDays: workingDays})
}

func (s *Server) adoptDeadlineSubmit(w http.ResponseWriter, r *http.Request) {
	if err := routineForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	f := r.PostForm
	in := app.DeadlineChange{RoutineID: f.Get("routine_id"), StepID: f.Get("step_id"), Deadline: f.Get("deadline"),
		WorkingDays: f.Get("working_days") == "yes", Note: f.Get("note")}
	if _, err := s.app.AdoptDeadline(r.Context(), reqctx.Actor(r.Context()), in); err != nil {
		s.routineFail(w, r, err, func(p *Page, status int) {
			s.renderDeadlines(w, r, p, status, &deadlinesData{Key: in.RoutineID + "/" + in.StepID})
		})
		return
	}
	routineRedirect(w, r, "/admin/deadlines", "deadline_adopted", "")
}
