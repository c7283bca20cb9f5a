package web

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/reqctx"
	"github.com/samordna/samordna/pathway"
)

// This file is the pages of teams that meet (issue 15, seed 002 §4.2):
// the teams and the matters the employee brought to them (where each
// stands), bringing a matter to a team, a team's own page with its
// meetings and calendar feed, and a meeting's agenda with the minutes —
// advice, who follows up and onward referral per matter — finalised after
// a review page. The texts are in web/locales/team.*.yaml under "team.".

// teamRoutes are the team pages.
func (s *Server) teamRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/teams", Access: "authenticated", Handler: s.teamsPage},
		{Method: "GET", Path: "/teams/{id}/matters/new", Access: "team:submit", Handler: s.matterForm},
		{Method: "POST", Path: "/teams/{id}/matters", Access: "team:submit", Handler: s.matterSubmit},
		{Method: "GET", Path: "/teams/{id}", Access: "team:arrange", Handler: s.teamPage},
		{Method: "GET", Path: "/teams/{id}/calendar.ics", Access: "team:arrange", Handler: s.teamCalendar},
		{Method: "GET", Path: "/team-meetings/{id}", Access: "team_meeting:read", Handler: s.teamMeetingPage},
		{Method: "POST", Path: "/team-meetings/{id}/review", Access: "team_meeting:write", Handler: s.teamMeetingReview},
		{Method: "POST", Path: "/team-meetings/{id}/finalise", Access: "team_meeting:write", Handler: s.teamMeetingFinalise},
	}
}

// osloDate formats t as dd.mm.åååå in Oslo.
func osloDate(t time.Time) string { return t.In(pathway.Oslo()).Format("02.01.2006") }

// osloDateTime formats t as dd.mm.åååå kl. HH:MM in Oslo.
func osloDateTime(t time.Time) string { return t.In(pathway.Oslo()).Format("02.01.2006 15:04") }

// teamRowView is a team in the list.
type teamRowView struct {
	ID, Name, Kind, District, Rule, Next string
	Own, Member                          bool
}

// matterRowView is one of the employee's matters.
type matterRowView struct {
	ID, Team, Question, Status, Advice, Referral, Person, Submitted string
}

type teamsData struct {
	Teams   []teamRowView
	Matters []matterRowView
}

func (s *Server) teamsPage(w http.ResponseWriter, r *http.Request) {
	actor := reqctx.Actor(r.Context())
	p := s.page(r, "team.title")
	if r.URL.Query().Get("submitted") != "" {
		p.Flash = "team.submitted"
	}
	teams, err := s.app.Teams(r.Context(), actor)
	if err != nil {
		s.spineAppError(w, r, err)
		return
	}
	d := &teamsData{}
	for _, t := range teams {
		row := teamRowView{ID: t.Team.ID, Name: t.Team.Name, Kind: s.catalog.T(p.Lang, "org.team_kind."+string(t.Team.Kind), nil),
			District: t.District, Own: t.OwnDistrict, Member: t.Member}
		if t.Team.MeetingRule != "" {
			row.Rule = s.catalog.T(p.Lang, "org.rule."+t.Team.MeetingRule, nil)
		}
		if t.NextMeeting != nil {
			row.Next = osloDate(*t.NextMeeting)
		}
		d.Teams = append(d.Teams, row)
	}
	sortRows(d.Teams, func(x teamRowView) string { return x.Name })
	mine, err := s.app.MyTeamMatters(r.Context(), actor)
	if err != nil {
		s.spineAppError(w, r, err)
		return
	}
	for _, v := range mine {
		d.Matters = append(d.Matters, s.matterRow(p.Lang, v))
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "team_list", p)
}

// matterRow is a matter as the submitter's list shows it: where it stands
// in words ("on the agenda for 12.03.2027", "discussed — advice").
func (s *Server) matterRow(lang string, v *app.MatterView) matterRowView {
	x := v.Matter
	row := matterRowView{ID: x.ID, Team: v.TeamName, Question: x.Question, Advice: x.Advice, Person: v.PersonName,
		Submitted: osloDate(x.SubmittedAt)}
	switch {
	case x.Status == "discussed" && v.Meeting != nil:
		row.Status = s.catalog.T(lang, "team.status.discussed", map[string]any{"Date": osloDate(v.Meeting.StartsAt)})
	case x.Status == "on_agenda" && v.Meeting != nil:
		row.Status = s.catalog.T(lang, "team.status.on_agenda", map[string]any{"Date": osloDate(v.Meeting.StartsAt)})
	default:
		row.Status = s.catalog.T(lang, "team.status.waiting", nil)
	}
	if x.Referral != "" {
		row.Referral = s.catalog.T(lang, "team.referral."+x.Referral, nil)
	}
	return row
}

// matterFormData is the form bringing a matter to a team.
type matterFormData struct {
	TeamID, TeamName, Anonymous, Question, FNR, Name, Reason string
	Own, ForParents                                          bool
	Error                                                    string
}

func (s *Server) matterForm(w http.ResponseWriter, r *http.Request) {
	s.renderMatterForm(w, r, s.page(r, "team.matter_title"), http.StatusOK, &matterFormData{Anonymous: "yes"})
}

// renderMatterForm shows the form for the team in the path; a team the
// employee cannot bring matters to is not found.
func (s *Server) renderMatterForm(w http.ResponseWriter, r *http.Request, p *Page, status int, d *matterFormData) {
	teams, err := s.app.Teams(r.Context(), reqctx.Actor(r.Context()))
	if err != nil {
		s.spineAppError(w, r, err)
		return
	}
	for _, t := range teams {
		if t.Team.ID == r.PathValue("id") {
			d.TeamID, d.TeamName, d.Own = t.Team.ID, t.Team.Name, t.OwnDistrict
		}
	}
	if d.TeamID == "" || reqctx.Actor(r.Context()).Employee.HasRole(samordna.RoleAdmin) {
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	p.Title = "team.matter_title"
	d.Error, p.Error = p.Error, ""
	p.Data = d
	s.render(w, r, status, "team_matter_new", p)
}

func (s *Server) matterSubmit(w http.ResponseWriter, r *http.Request) {
	if err := parseSpineForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	f := r.PostForm
	d := &matterFormData{Anonymous: f.Get("anonymous"), Question: f.Get("question"), FNR: f.Get("fnr"),
		Name: f.Get("name"), Reason: f.Get("reason"), ForParents: f.Get("for_parents") == "yes"}
	in := app.NewTeamMatter{Anonymous: d.Anonymous != "no", Question: d.Question, Reason: d.Reason, ForParents: d.ForParents}
	if !in.Anonymous {
		in.Subject = &app.ConcernSubject{IDNumber: d.FNR, Name: d.Name}
	} else if strings.TrimSpace(d.FNR) != "" || strings.TrimSpace(d.Name) != "" {
		in.Subject = &app.ConcernSubject{IDNumber: d.FNR, Name: d.Name}
	}
	_, err := s.app.SubmitTeamMatter(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), in)
	if err != nil {
		if k := samordna.ErrorKind(err); k == samordna.KindNotFound || k == samordna.KindInternal {
			s.spineAppError(w, r, err)
			return
		}
		p := s.page(r, "team.matter_title")
		p.Error = s.teamErrorMessage(p.Lang, err)
		s.renderMatterForm(w, r, p, samordna.HTTPStatus(err), d)
		return
	}
	http.Redirect(w, r, "/teams?submitted=1", http.StatusSeeOther)
}

// teamErrorMessage is the message id for an error of the team pages.
func (s *Server) teamErrorMessage(lang string, err error) string {
	id := "team.err." + samordna.ErrorCode(err)
	if s.catalog.T(lang, id, nil) != "["+id+"]" {
		return id
	}
	return s.spineErrorMessage(lang, err)
}

// teamMeetingRow is a meeting in the team's list.
type teamMeetingRow struct {
	ID, When, Place, Status, Reason string
	Matters                         int
	Planned                         bool // may still be moved or cancelled
}

type teamPageData struct {
	*app.TeamPageView
	Rule     string
	Meetings []teamMeetingRow
}

func (s *Server) teamPage(w http.ResponseWriter, r *http.Request) {
	v, err := s.app.TeamPage(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		s.spineAppError(w, r, err)
		return
	}
	p := s.page(r, "team.page_title")
	if r.URL.Query().Get("planned") != "" {
		p.Flash = "team.planned"
	}
	d := &teamPageData{TeamPageView: v}
	if v.Team.MeetingRule != "" {
		d.Rule = s.catalog.T(p.Lang, "org.rule."+v.Team.MeetingRule, nil)
	}
	for _, m := range v.Meetings {
		d.Meetings = append(d.Meetings, teamMeetingRow{ID: m.ID, When: osloDateTime(m.StartsAt), Place: m.Place,
			Status: s.catalog.T(p.Lang, "team.meeting_status."+m.Status, nil), Matters: v.Counts[m.ID],
			Reason: m.ChangeReason, Planned: m.Status == "planned" && !m.Finalised()})
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "team_page", p)
}

func (s *Server) teamCalendar(w http.ResponseWriter, r *http.Request) {
	b, err := s.app.TeamFeed(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		s.spineAppError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="teammoter.ics"`)
	_, _ = w.Write(b)
}

// agendaItem is a matter on the meeting page, with the minutes' fields.
type agendaItem struct {
	ID, Question, Person, Submitter, Service, Reason, Advice, Referral, ReferralText, Status string
	Anonymous, Hidden                                                                        bool
	Number                                                                                   int // 1, 2, … on the agenda
}

// attendee is a participant with the box for attendance.
type attendee struct {
	ID, Name string
	AdHoc    bool
	Present  bool
}

type teamMeetingData struct {
	ID, Team, TeamID, When, Place, Status, Summary string
	Chair, ChairID, Reason                         string
	Members                                        []option // for the leader's choice of chair
	Finalised, MayWrite, Review, MayChair, Planned bool
	Items                                          []agendaItem
	Attendees                                      []attendee
	Referrals                                      []option
	Error                                          string
}

func (s *Server) teamMeetingPage(w http.ResponseWriter, r *http.Request) {
	s.renderTeamMeeting(w, r, s.page(r, "team.meeting_title"), http.StatusOK, nil, false)
}

// renderTeamMeeting shows the meeting; in (the posted minutes) refills the
// form, review shows the review page before finalising.
func (s *Server) renderTeamMeeting(w http.ResponseWriter, r *http.Request, p *Page, status int, in *app.TeamMinutes, review bool) {
	v, err := s.app.TeamMeetingAgenda(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		s.spineAppError(w, r, err)
		return
	}
	m := v.Meeting
	d := &teamMeetingData{ID: m.ID, Team: v.Team.Name, TeamID: v.Team.ID, When: osloDateTime(m.StartsAt), Place: m.Place,
		Status: s.catalog.T(p.Lang, "team.meeting_status."+m.Status, nil), Summary: m.Minutes, Finalised: m.Finalised(),
		MayWrite: v.MayWrite && !m.Finalised() && m.Status != "cancelled", Review: review,
		Chair: v.Chair, ChairID: m.ChairID, Reason: m.ChangeReason, Planned: m.Status == "planned" && !m.Finalised(),
		MayChair: v.MayChair && !review}
	if r.URL.Query().Get("chair") != "" {
		p.Flash = "team.chair_set"
	}
	for _, e := range v.Members {
		d.Members = append(d.Members, option{Value: e.ID, Label: e.Name})
	}
	outcomes := map[string]app.MatterOutcome{}
	present := map[string]bool{}
	if in != nil {
		d.Summary = in.Summary
		for _, o := range in.Outcomes {
			outcomes[o.MatterID] = o
		}
		for _, id := range in.Present {
			present[id] = true
		}
	}
	for _, pt := range v.Participants {
		a := attendee{ID: pt.EmployeeID, Name: pt.Name, AdHoc: pt.AdHoc, Present: present[pt.EmployeeID]}
		if pt.Present != nil {
			a.Present = *pt.Present
		}
		d.Attendees = append(d.Attendees, a)
	}
	for _, mv := range v.Matters {
		x := mv.Matter
		it := agendaItem{ID: x.ID, Question: x.Question, Person: mv.PersonName, Submitter: mv.Submitter, Service: mv.Service,
			Reason: x.Reason, Advice: x.Advice, Referral: x.Referral, Anonymous: x.Anonymous, Hidden: mv.Hidden,
			Status: x.Status, Number: len(d.Items) + 1}
		if o, ok := outcomes[x.ID]; ok {
			it.Advice, it.Referral = o.Advice, o.Referral
		}
		if it.Referral != "" {
			it.ReferralText = s.catalog.T(p.Lang, "team.referral."+it.Referral, nil)
		}
		d.Items = append(d.Items, it)
	}
	d.Referrals = s.codeOptions(p.Lang, "team.referral.", app.Referrals)
	d.Error, p.Error = p.Error, ""
	p.Data = d
	s.render(w, r, status, "team_meeting", p)
}

// teamMinutesFromForm reads the minutes' form: present (employee ids),
// summary, and advice_<matter>/referral_<matter> per matter.
func teamMinutesFromForm(r *http.Request) app.TeamMinutes {
	f := r.PostForm
	in := app.TeamMinutes{Present: f["present"], Summary: f.Get("summary")}
	for _, id := range f["matter"] {
		in.Outcomes = append(in.Outcomes, app.MatterOutcome{MatterID: id, Advice: f.Get("advice_" + id),
			Referral: f.Get("referral_" + id)})
	}
	return in
}

// teamMeetingReview checks the minutes and shows them for review before
// they are locked.
func (s *Server) teamMeetingReview(w http.ResponseWriter, r *http.Request) {
	s.teamMinutesPost(w, r, false)
}

// teamMeetingFinalise locks the minutes.
func (s *Server) teamMeetingFinalise(w http.ResponseWriter, r *http.Request) {
	s.teamMinutesPost(w, r, true)
}

// teamMinutesPost checks (review) or finalises the posted minutes.
func (s *Server) teamMinutesPost(w http.ResponseWriter, r *http.Request, finalise bool) {
	if err := parseSpineForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	in := teamMinutesFromForm(r)
	actor := reqctx.Actor(r.Context())
	var err error
	if finalise {
		err = s.app.FinaliseTeamMinutes(r.Context(), actor, r.PathValue("id"), in)
	} else {
		err = s.app.CheckTeamMinutes(r.Context(), actor, r.PathValue("id"), in)
	}
	if err != nil {
		var notFound bool
		if k := samordna.ErrorKind(err); k == samordna.KindNotFound || k == samordna.KindInternal {
			notFound = true
		}
		if notFound || errors.Is(err, samordna.ErrNotFound) {
			s.spineAppError(w, r, err)
			return
		}
		p := s.page(r, "team.meeting_title")
		p.Error = s.teamErrorMessage(p.Lang, err)
		s.renderTeamMeeting(w, r, p, samordna.HTTPStatus(err), &in, false)
		return
	}
	if !finalise {
		s.renderTeamMeeting(w, r, s.page(r, "team.review_title"), http.StatusOK, &in, true)
		return
	}
	http.Redirect(w, r, "/team-meetings/"+r.PathValue("id"), http.StatusSeeOther)
}
