package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/reqctx"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

func (s *Server) groupRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/cases/{id}/group", Access: "case:read", Handler: s.groupPage},
		{Method: "POST", Path: "/cases/{id}/group", Access: "case:coordinate", Handler: s.createGroup},
		{Method: "POST", Path: "/cases/{id}/group/members", Access: "case:coordinate", Handler: s.addGroupMembers},
		{Method: "POST", Path: "/cases/{id}/group/members/{member}/remove", Access: "case:coordinate", Handler: s.removeGroupMember},
		{Method: "POST", Path: "/cases/{id}/group/close", Access: "case:coordinate", Handler: s.closeGroup},
		{Method: "POST", Path: "/cases/{id}/group/evaluation", Access: "case:coordinate", Handler: s.evaluateGroup},
		{Method: "POST", Path: "/cases/{id}/group/escalations", Access: "case:write", Handler: s.raiseToLeaders},
		{Method: "POST", Path: "/cases/{id}/meetings", Access: "case:coordinate", Handler: s.planMeeting},
	}
}

// Empty rows the group forms offer for new members (the forms work
// without JavaScript, so the rows are there from the start).
const (
	employeeRows = 5
	personRows   = 3
)

// memberRow is a member as the group page shows it.
type memberRow struct {
	M           *store.Member
	Relation    string
	Coordinator bool
}

// meetingRow is a meeting in the group page's list.
type meetingRow struct {
	M      *store.Meeting
	When   string
	Status string
}

// meetingInput is what the plan-meeting form held.
type meetingInput struct {
	Date, Time, Duration, Place, Agenda, Reason, Chair, Taker string
}

// groupData is the responsibility group page.
type groupData struct {
	V               *app.GroupView
	Members         []memberRow
	Meetings        []meetingRow
	Reviews         []reviewRow
	Escalations     []escalationRow
	NotForGroup     []string
	Categories      []string
	Relations       []string
	EmployeeRows    []int
	PersonRows      []int
	NextChair       string
	NextTaker       string
	Meeting         meetingInput
	Evaluated       string
	Handover        string
	CoordinatorName string
}

type reviewRow struct{ Label, On, By string }

type escalationRow struct{ Category, Matter, At, By string }

func (s *Server) groupPage(w http.ResponseWriter, r *http.Request) {
	p := s.page(r, "coord.group_title")
	s.coordFlash(r, p)
	s.renderGroup(w, r, p, http.StatusOK, nil)
}

// renderGroup reads the group (an audited read) and renders its page;
// refill, when not nil, fills the forms again after an error.
func (s *Server) renderGroup(w http.ResponseWriter, r *http.Request, p *Page, status int, refill func(*groupData)) {
	v, err := s.app.GetGroup(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		s.coordFail(w, r, err, nil)
		return
	}
	p.Title = "coord.group_title"
	d := s.groupData(r, v)
	if refill != nil {
		refill(d)
	}
	p.Data = d
	s.render(w, r, status, "coord_group", p)
}

func (s *Server) groupData(r *http.Request, v *app.GroupView) *groupData {
	d := &groupData{V: v, NotForGroup: app.NotForGroup, Categories: append(append([]string{}, app.NotForGroup...), "unresolved"),
		Relations: []string{"self", "guardian", "next_of_kin", "other"}}
	for i := 1; i <= employeeRows; i++ {
		d.EmployeeRows = append(d.EmployeeRows, i)
	}
	for i := 1; i <= personRows; i++ {
		d.PersonRows = append(d.PersonRows, i)
	}
	if k := v.Coordinator; k != nil {
		d.CoordinatorName = k.Name
		if k.HandoverTo != "" {
			d.Handover = k.HandoverName
		}
	}
	for _, m := range v.Members {
		row := memberRow{M: m, Relation: s.coordLabel(r, "coord.relation.", m.Relation),
			Coordinator: v.Coordinator != nil && m.EmployeeID == v.Coordinator.EmployeeID}
		d.Members = append(d.Members, row)
		if m.ID == v.NextChair {
			d.NextChair = m.Name
		}
		if m.ID == v.NextMinuteTaker {
			d.NextTaker = m.Name
		}
	}
	for _, m := range v.Meetings {
		d.Meetings = append(d.Meetings, meetingRow{M: m, When: coordTime(m.StartsAt),
			Status: s.coordLabel(r, "coord.meeting_status.", m.Status)})
	}
	for _, t := range v.Reviews {
		d.Reviews = append(d.Reviews, reviewRow{Label: s.coordLabel(r, "coord.transition.", t.Kind), On: t.At.Format("02.01.2006"),
			By: t.ReviewBy(time.Time{}).Format("02.01.2006")})
	}
	for _, e := range v.Escalations {
		d.Escalations = append(d.Escalations, escalationRow{Category: s.coordLabel(r, "coord.not_for_group.", e.Category),
			Matter: e.Matter, At: coordTime(e.RaisedAt), By: e.RaiserNam})
	}
	if v.Group != nil && v.Group.EvaluatedAt != nil {
		d.Evaluated = coordTime(*v.Group.EvaluatedAt)
	}
	d.Meeting = meetingInput{Duration: strconv.Itoa(app.DefaultMeetingMinutes), Chair: v.NextChair, Taker: v.NextMinuteTaker,
		Time: "09:00"}
	return d
}

// membersFromForm reads the member rows of a group form.
func membersFromForm(f map[string][]string) []app.NewGroupMember {
	get := func(k string, i int) string {
		if vs := f[k]; i < len(vs) {
			return strings.TrimSpace(vs[i])
		}
		return ""
	}
	var out []app.NewGroupMember
	for i := range f["username"] {
		if u := get("username", i); u != "" {
			out = append(out, app.NewGroupMember{Username: u, Role: get("role", i)})
		}
	}
	for i := range f["name"] {
		if n := get("name", i); n != "" {
			out = append(out, app.NewGroupMember{Name: n, Relation: get("relation", i)})
		}
	}
	return out
}

func (s *Server) createGroup(w http.ResponseWriter, r *http.Request) {
	if err := coordParseForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	v, err := s.app.CreateGroup(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), membersFromForm(r.PostForm))
	if err != nil {
		s.coordFail(w, r, err, func(p *Page, status int) { s.renderGroup(w, r, p, status, nil) })
		return
	}
	done := "group_created"
	if len(v.Warnings) > 0 {
		done = "group_created_many"
	}
	seeOther(w, r, casePath(r.PathValue("id"), "/group"), done, "members")
}

func (s *Server) addGroupMembers(w http.ResponseWriter, r *http.Request) {
	if err := coordParseForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	v, err := s.app.AddGroupMembers(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), membersFromForm(r.PostForm))
	if err != nil {
		s.coordFail(w, r, err, func(p *Page, status int) { s.renderGroup(w, r, p, status, nil) })
		return
	}
	done := "members_added"
	if len(v.Warnings) > 0 {
		done = "group_created_many"
	}
	seeOther(w, r, casePath(r.PathValue("id"), "/group"), done, "members")
}

func (s *Server) removeGroupMember(w http.ResponseWriter, r *http.Request) {
	if err := coordParseForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	err := s.app.RemoveGroupMember(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), r.PathValue("member"))
	if err != nil {
		s.coordFail(w, r, err, func(p *Page, status int) { s.renderGroup(w, r, p, status, nil) })
		return
	}
	seeOther(w, r, casePath(r.PathValue("id"), "/group"), "member_removed", "members")
}

func (s *Server) closeGroup(w http.ResponseWriter, r *http.Request) {
	if err := coordParseForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	if err := s.app.CloseGroup(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), r.PostForm.Get("reason")); err != nil {
		s.coordFail(w, r, err, func(p *Page, status int) { s.renderGroup(w, r, p, status, nil) })
		return
	}
	seeOther(w, r, casePath(r.PathValue("id"), "/group"), "group_closed", "")
}

func (s *Server) evaluateGroup(w http.ResponseWriter, r *http.Request) {
	if err := coordParseForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	in := app.Evaluation{Continue: r.PostForm.Get("continue") != "no", Note: r.PostForm.Get("note")}
	if err := s.app.EvaluateGroup(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), in); err != nil {
		s.coordFail(w, r, err, func(p *Page, status int) { s.renderGroup(w, r, p, status, nil) })
		return
	}
	seeOther(w, r, casePath(r.PathValue("id"), "/group"), "group_evaluated", "evaluation")
}

func (s *Server) raiseToLeaders(w http.ResponseWriter, r *http.Request) {
	if err := coordParseForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	_, err := s.app.RaiseToLeaders(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), r.PostForm.Get("category"),
		r.PostForm.Get("matter"))
	if err != nil {
		s.coordFail(w, r, err, func(p *Page, status int) { s.renderGroup(w, r, p, status, nil) })
		return
	}
	seeOther(w, r, casePath(r.PathValue("id"), "/group"), "raised", "escalations")
}

// planMeeting plans a meeting from the group page's form: date and time
// are Oslo time.
func (s *Server) planMeeting(w http.ResponseWriter, r *http.Request) {
	if err := coordParseForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	f := r.PostForm
	in := meetingInput{Date: f.Get("date"), Time: f.Get("time"), Duration: f.Get("duration"), Place: f.Get("place"),
		Agenda: f.Get("agenda"), Reason: f.Get("reason_short_notice"), Chair: f.Get("chair"), Taker: f.Get("minute_taker")}
	refill := func(d *groupData) { d.Meeting = in }
	// An unreadable date or time is passed on as zero: the app refuses it
	// with invalid_start after checking access, so a caller who may not
	// plan meetings for the case gets 404 whatever the form holds.
	start, err := time.ParseInLocation("2006-01-02 15:04", in.Date+" "+in.Time, pathway.Oslo())
	if err != nil {
		start = time.Time{}
	}
	minutes, _ := strconv.Atoi(in.Duration)
	v, err := s.app.PlanMeeting(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), app.NewMeeting{StartsAt: start,
		DurationMinutes: minutes, Place: in.Place, Agenda: strings.Split(in.Agenda, "\n"), ReasonShortNotice: in.Reason,
		ChairMemberID: in.Chair, MinuteTakerID: in.Taker})
	if err != nil {
		s.coordFail(w, r, err, func(p *Page, status int) { s.renderGroup(w, r, p, status, refill) })
		return
	}
	seeOther(w, r, "/meetings/"+v.Meeting.ID, "meeting_planned", "")
}
