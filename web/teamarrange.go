package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/reqctx"
	"github.com/samordna/samordna/pathway"
)

// This file is arranging a team's meetings in the browser (issue 15, seed
// 002 §4.1.3 and §4.2), with the app functions the API calls: planning the
// series from the team's rule (or one meeting, for a team that meets as
// needed), moving one meeting with a reason, cancelling one after a review
// of who is told, inviting someone to one meeting (for the whole meeting or
// one matter) by choosing them by name from the municipality's employees
// grouped by service, and, for the team's leader, who chairs the meeting.
// Each form is a small page of its own; errors sit next to their fields.

// teamArrangeRoutes are the pages that arrange meetings.
func (s *Server) teamArrangeRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/teams/{id}/series", Access: "team:arrange", Handler: s.seriesForm},
		{Method: "POST", Path: "/teams/{id}/series", Access: "team:arrange", Handler: s.seriesSubmit},
		{Method: "GET", Path: "/team-meetings/{id}/move", Access: "team_meeting:arrange", Handler: s.moveForm},
		{Method: "POST", Path: "/team-meetings/{id}/move", Access: "team_meeting:arrange", Handler: s.moveSubmit},
		{Method: "GET", Path: "/team-meetings/{id}/cancel", Access: "team_meeting:arrange", Handler: s.cancelForm},
		{Method: "POST", Path: "/team-meetings/{id}/cancel", Access: "team_meeting:arrange", Handler: s.cancelSubmit},
		{Method: "GET", Path: "/team-meetings/{id}/invite", Access: "team_meeting:write", Handler: s.inviteForm},
		{Method: "POST", Path: "/team-meetings/{id}/invite", Access: "team_meeting:write", Handler: s.inviteSubmit},
		{Method: "POST", Path: "/team-meetings/{id}/chair", Access: "team_meeting:chair", Handler: s.chairSubmit},
	}
}

// meetingForm is what the series, move and cancel forms were sent with.
type meetingForm struct {
	Date, Time, Duration, Place, Reason string
}

// meetingFormOf reads the posted fields.
func meetingFormOf(r *http.Request) meetingForm {
	f := r.PostForm
	return meetingForm{Date: strings.TrimSpace(f.Get("date")), Time: strings.TrimSpace(f.Get("time")),
		Duration: strings.TrimSpace(f.Get("duration")), Place: f.Get("place"), Reason: f.Get("reason")}
}

// start is the form's date and time in Oslo; ok is false when either is
// missing or not a date (YYYY-MM-DD) and time (HH:MM).
func (m meetingForm) start() (time.Time, bool) {
	t, err := time.ParseInLocation("2006-01-02 15:04", m.Date+" "+m.Time, pathway.Oslo())
	return t, err == nil
}

// seriesData is the page planning a team's meetings.
type seriesData struct {
	Team, TeamID, Rule string
	Series             bool // the rule gives a series; otherwise one meeting is planned
	Form               meetingForm
}

func (s *Server) seriesForm(w http.ResponseWriter, r *http.Request) {
	s.renderSeries(w, r, s.page(r, "team.series_title"), http.StatusOK, meetingForm{Time: "09:00", Duration: "120"})
}

// renderSeries shows the form for the team in the path (its fixed members
// and the administrator; others get 404).
func (s *Server) renderSeries(w http.ResponseWriter, r *http.Request, p *Page, status int, f meetingForm) {
	v, err := s.app.TeamPage(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		s.spineAppError(w, r, err)
		return
	}
	d := &seriesData{Team: v.Team.Name, TeamID: v.Team.ID, Series: app.RuleMakesSeries(v.Team.MeetingRule), Form: f}
	if v.Team.MeetingRule != "" {
		d.Rule = s.catalog.T(p.Lang, "org.rule."+v.Team.MeetingRule, nil)
	}
	p.Data = d
	s.render(w, r, status, "team_series", p)
}

func (s *Server) seriesSubmit(w http.ResponseWriter, r *http.Request) {
	if err := parseSpineForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	f := meetingFormOf(r)
	p := s.page(r, "team.series_title")
	start, ok := f.start()
	if !ok {
		s.teamFieldErrors(p, f, samordna.Errorf(samordna.KindInvalid, "invalid_time", "date and time"))
		s.renderSeries(w, r, p, http.StatusBadRequest, f)
		return
	}
	minutes := 120
	if n, ok := minutesOf(f.Duration); ok {
		minutes = n
	} else if f.Duration != "" {
		minutes = -1 // refused by the app as invalid_duration
	}
	actor, id := reqctx.Actor(r.Context()), r.PathValue("id")
	v, err := s.app.TeamPage(r.Context(), actor, id)
	if err != nil {
		s.spineAppError(w, r, err)
		return
	}
	if app.RuleMakesSeries(v.Team.MeetingRule) {
		_, err = s.app.PlanTeamSeries(r.Context(), actor, id, app.NewTeamSeries{FirstStartsAt: start,
			DurationMinutes: minutes, Place: f.Place})
	} else {
		_, err = s.app.PlanTeamMeeting(r.Context(), actor, id, start, minutes, f.Place)
	}
	if err != nil {
		if k := samordna.ErrorKind(err); k == samordna.KindNotFound || k == samordna.KindInternal {
			s.spineAppError(w, r, err)
			return
		}
		s.teamFieldErrors(p, f, err)
		s.renderSeries(w, r, p, samordna.HTTPStatus(err), f)
		return
	}
	http.Redirect(w, r, "/teams/"+id+"?planned=1", http.StatusSeeOther)
}

// minutesOf reads a duration in minutes.
func minutesOf(s string) (int, bool) {
	if s == "" || len(s) > 3 {
		return 0, false
	}
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// teamFieldErrors puts the error of a meeting form next to its field.
func (s *Server) teamFieldErrors(p *Page, f meetingForm, err error) {
	field := "date"
	switch samordna.ErrorCode(err) {
	case "invalid_duration":
		field = "duration"
	case "text_too_long":
		field = "place"
		if len([]rune(strings.TrimSpace(f.Place))) <= 200 {
			field = "reason"
		}
	case "identifying_data":
		field = "reason"
	case "meeting_locked", "no_series_rule":
		field = "date"
	}
	msg := s.teamErrorMessage(p.Lang, err)
	if field == "reason" && samordna.ErrorCode(err) == "identifying_data" {
		msg = "team.err.reason_identifying"
	}
	p.Form.Add(field, s.catalog.T(p.Lang, msg, nil))
}

// arrangeData is the move and cancel pages.
type arrangeData struct {
	ID, Team, TeamID, When, Place string
	Told                          []string
	Matters                       int
	Locked                        bool
	Form                          meetingForm
}

// renderArrange shows the move or cancel page (tmpl) of the meeting in the
// path, for its team's fixed members and the administrator.
func (s *Server) renderArrange(w http.ResponseWriter, r *http.Request, p *Page, status int, tmpl string, f *meetingForm) {
	v, err := s.app.TeamMeetingToArrange(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		s.spineAppError(w, r, err)
		return
	}
	m := v.Meeting
	d := &arrangeData{ID: m.ID, Team: v.Team.Name, TeamID: v.Team.ID, When: osloDateTime(m.StartsAt), Place: m.Place,
		Told: v.Told, Matters: v.Matters, Locked: m.Status != "planned" || m.Finalised()}
	if f != nil {
		d.Form = *f
	} else {
		local := m.StartsAt.In(pathway.Oslo())
		d.Form = meetingForm{Date: local.Format("2006-01-02"), Time: local.Format("15:04"), Place: m.Place}
	}
	p.Data = d
	s.render(w, r, status, tmpl, p)
}

func (s *Server) moveForm(w http.ResponseWriter, r *http.Request) {
	p := s.page(r, "team.move_title")
	if r.URL.Query().Get("moved") != "" {
		p.Flash = "team.moved"
	}
	s.renderArrange(w, r, p, http.StatusOK, "team_move", nil)
}

func (s *Server) moveSubmit(w http.ResponseWriter, r *http.Request) {
	if err := parseSpineForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	f := meetingFormOf(r)
	p := s.page(r, "team.move_title")
	start, ok := f.start()
	var err error
	if !ok {
		err = samordna.Errorf(samordna.KindInvalid, "invalid_time", "date and time")
	} else {
		err = s.app.MoveTeamMeeting(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), start, f.Place, f.Reason)
	}
	if err != nil {
		if k := samordna.ErrorKind(err); k == samordna.KindNotFound || k == samordna.KindInternal {
			s.spineAppError(w, r, err)
			return
		}
		s.teamFieldErrors(p, f, err)
		s.renderArrange(w, r, p, samordna.HTTPStatus(err), "team_move", &f)
		return
	}
	http.Redirect(w, r, "/team-meetings/"+r.PathValue("id")+"/move?moved=1", http.StatusSeeOther)
}

func (s *Server) cancelForm(w http.ResponseWriter, r *http.Request) {
	p := s.page(r, "team.cancel_title")
	if r.URL.Query().Get("cancelled") != "" {
		p.Flash = "team.cancelled"
	}
	s.renderArrange(w, r, p, http.StatusOK, "team_cancel", &meetingForm{})
}

func (s *Server) cancelSubmit(w http.ResponseWriter, r *http.Request) {
	if err := parseSpineForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	f := meetingFormOf(r)
	if err := s.app.CancelTeamMeeting(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), f.Reason); err != nil {
		if k := samordna.ErrorKind(err); k == samordna.KindNotFound || k == samordna.KindInternal {
			s.spineAppError(w, r, err)
			return
		}
		p := s.page(r, "team.cancel_title")
		s.teamFieldErrors(p, f, err)
		if samordna.ErrorCode(err) == "meeting_locked" {
			p.Form = nil
			p.Error = "team.err.meeting_locked"
		}
		s.renderArrange(w, r, p, samordna.HTTPStatus(err), "team_cancel", &f)
		return
	}
	http.Redirect(w, r, "/team-meetings/"+r.PathValue("id")+"/cancel?cancelled=1", http.StatusSeeOther)
}

// inviteGroup is one service's employees in the invite list.
type inviteGroup struct {
	Service string
	People  []option
}

// inviteData is the page inviting someone to one meeting.
type inviteData struct {
	ID, Team, TeamID, When string
	Groups                 []inviteGroup
	Matters                []option
	Employee, Matter       string
	Invited                []string // the invitees so far
}

func (s *Server) inviteForm(w http.ResponseWriter, r *http.Request) {
	p := s.page(r, "team.invite_title")
	if r.URL.Query().Get("invited") != "" {
		p.Flash = "team.invited_done"
	}
	s.renderInvite(w, r, p, http.StatusOK, "", "")
}

// renderInvite shows the invite form of the meeting in the path, for the
// team's fixed members.
func (s *Server) renderInvite(w http.ResponseWriter, r *http.Request, p *Page, status int, employee, matter string) {
	actor, id := reqctx.Actor(r.Context()), r.PathValue("id")
	groups, err := s.app.InviteChoices(r.Context(), actor, id)
	if err != nil {
		s.spineAppError(w, r, err)
		return
	}
	v, err := s.app.TeamMeetingAgenda(r.Context(), actor, id)
	if err != nil {
		s.spineAppError(w, r, err)
		return
	}
	d := &inviteData{ID: id, Team: v.Team.Name, TeamID: v.Team.ID, When: osloDateTime(v.Meeting.StartsAt),
		Employee: employee, Matter: matter}
	for _, g := range groups {
		ig := inviteGroup{Service: g.Service}
		if ig.Service == "" {
			ig.Service = s.catalog.T(p.Lang, "team.invite_no_service", nil)
		}
		for _, e := range g.Employees {
			ig.People = append(ig.People, option{Value: e.ID, Label: e.Name})
		}
		d.Groups = append(d.Groups, ig)
	}
	for i, mv := range v.Matters {
		label := s.catalog.T(p.Lang, "team.item", map[string]any{"N": i + 1})
		switch {
		case mv.Hidden:
		case mv.Matter.Anonymous:
			label += ": " + s.catalog.T(p.Lang, "team.item_anonymous", nil)
		default:
			label += ": " + mv.PersonName
		}
		d.Matters = append(d.Matters, option{Value: mv.Matter.ID, Label: label})
	}
	for _, pt := range v.Participants {
		if pt.AdHoc {
			d.Invited = append(d.Invited, pt.Name)
		}
	}
	p.Data = d
	s.render(w, r, status, "team_invite", p)
}

func (s *Server) inviteSubmit(w http.ResponseWriter, r *http.Request) {
	if err := parseSpineForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	employee, matter := r.PostForm.Get("employee"), r.PostForm.Get("matter")
	err := s.app.AddTeamMeetingInvitee(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), employee, matter)
	if err != nil {
		if k := samordna.ErrorKind(err); k == samordna.KindNotFound || k == samordna.KindInternal {
			s.spineAppError(w, r, err)
			return
		}
		p := s.page(r, "team.invite_title")
		field := "employee"
		if samordna.ErrorCode(err) == "unknown_matter" {
			field = "matter"
		}
		p.Form.Add(field, s.catalog.T(p.Lang, s.teamErrorMessage(p.Lang, err), nil))
		s.renderInvite(w, r, p, samordna.HTTPStatus(err), employee, matter)
		return
	}
	http.Redirect(w, r, "/team-meetings/"+r.PathValue("id")+"/invite?invited=1", http.StatusSeeOther)
}

// chairSubmit sets who chairs the meeting (the team's leader only).
func (s *Server) chairSubmit(w http.ResponseWriter, r *http.Request) {
	if err := parseSpineForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	err := s.app.SetTeamMeetingChair(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), r.PostForm.Get("chair"))
	if err != nil {
		if k := samordna.ErrorKind(err); k == samordna.KindNotFound || k == samordna.KindInternal {
			s.spineAppError(w, r, err)
			return
		}
		p := s.page(r, "team.meeting_title")
		p.Error = s.teamErrorMessage(p.Lang, err)
		s.renderTeamMeeting(w, r, p, samordna.HTTPStatus(err), nil, false)
		return
	}
	http.Redirect(w, r, "/team-meetings/"+r.PathValue("id")+"?chair=1", http.StatusSeeOther)
}
