package web

import (
	"errors"
	"fmt"
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
		{Method: "POST", Path: "/cases/{id}/cooperation-meetings", Access: "case:write", Handler: s.planCooperationMeeting},
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
	// Seed 004: the person's attendance, guests and "eventuelt".
	Person, PersonPart, OtherMinutes string
	Guests                           []guestInput
	Other                            []otherInput
}

type guestInput struct {
	N                int
	Username, Matter string
}

type otherInput struct {
	N             int
	Text, Minutes string
}

// Rows the plan-meeting form offers for guests and "eventuelt" matters.
const (
	guestRows = 2
	otherRows = 4
)

// meetingInputFrom reads the plan-meeting form.
func meetingInputFrom(f url.Values) meetingInput {
	in := meetingInput{Date: f.Get("date"), Time: f.Get("time"), Duration: f.Get("duration"), Place: f.Get("place"),
		Agenda: f.Get("agenda"), Reason: f.Get("reason_short_notice"), Chair: f.Get("chair"), Taker: f.Get("minute_taker"),
		Person: f.Get("person_attendance"), PersonPart: f.Get("person_part"), OtherMinutes: f.Get("other_minutes")}
	for i := range f["guest_username"] {
		in.Guests = append(in.Guests, guestInput{N: i + 1, Username: formAt(f, "guest_username", i), Matter: formAt(f, "guest_matter", i)})
	}
	for i := range f["other_text"] {
		in.Other = append(in.Other, otherInput{N: i + 1, Text: formAt(f, "other_text", i), Minutes: formAt(f, "other_minutes_item", i)})
	}
	return in
}

// newMeeting is the form as the app's input: date and time are Oslo
// time. An unreadable date or time is passed on as zero: the app refuses
// it with invalid_start after checking access, so a caller who may not
// plan meetings for the case gets 404 whatever the form holds.
func (in meetingInput) newMeeting() app.NewMeeting {
	start, err := time.ParseInLocation("2006-01-02 15:04", in.Date+" "+in.Time, pathway.Oslo())
	if err != nil {
		start = time.Time{}
	}
	minutes, _ := strconv.Atoi(in.Duration)
	other, _ := strconv.Atoi(in.OtherMinutes)
	out := app.NewMeeting{StartsAt: start, DurationMinutes: minutes, Place: in.Place, Agenda: strings.Split(in.Agenda, "\n"),
		ReasonShortNotice: in.Reason, ChairMemberID: in.Chair, MinuteTakerID: in.Taker, PersonAttendance: in.Person,
		PersonPart: in.PersonPart, OtherBusinessMinutes: other}
	for _, g := range in.Guests {
		if strings.TrimSpace(g.Username+g.Matter) != "" {
			out.Guests = append(out.Guests, app.NewGuest{Username: g.Username, Matter: g.Matter})
		}
	}
	for _, x := range in.Other {
		n, err := strconv.Atoi(strings.TrimSpace(x.Minutes))
		if err != nil && strings.TrimSpace(x.Minutes) != "" {
			n = -1 // refused by the app as invalid_other_business
		}
		out.OtherBusiness = append(out.OtherBusiness, store.OtherMatter{Text: x.Text, Minutes: n})
	}
	return out
}

// hasWarning reports whether the warnings hold the code.
func hasWarning(ws []app.Warning, code string) bool {
	for _, w := range ws {
		if w.Code == code {
			return true
		}
	}
	return false
}

// personOption is one choice of the person's attendance.
type personOption struct {
	Value   string
	Checked bool
}

// PersonOptions are the choices of the person's attendance, the form's
// choice checked.
func (in meetingInput) PersonOptions() []personOption {
	var out []personOption
	for _, v := range []string{store.PersonWhole, store.PersonPart, store.PersonNone} {
		out = append(out, personOption{Value: v, Checked: in.Person == v})
	}
	return out
}

// withRows fills the form's empty guest and "eventuelt" rows.
func (in meetingInput) withRows() meetingInput {
	for len(in.Guests) < guestRows {
		in.Guests = append(in.Guests, guestInput{N: len(in.Guests) + 1})
	}
	for len(in.Other) < otherRows {
		in.Other = append(in.Other, otherInput{N: len(in.Other) + 1})
	}
	if in.Person == "" {
		in.Person = store.PersonWhole
	}
	return in
}

// groupData is the responsibility group page.
type groupData struct {
	V            *app.GroupView
	Members      []memberRow
	Meetings     []meetingRow
	Reviews      []reviewRow
	Escalations  []escalationRow
	NotForGroup  []string
	Categories   []string
	Relations    []string
	EmployeeRows []int
	PersonRows   []int
	// Refill holds what was typed in the member rows of a refused form,
	// by field id ("username-2", "relation-1"), so no row is lost.
	Refill          map[string]string
	NextChair       string
	NextTaker       string
	Meeting         meetingInput
	Cooperation     meetingInput // the cooperation-meeting form
	CoopMeetings    []meetingRow
	Evaluations     []evaluationRow
	Evaluated       string
	Handover        string
	CoordinatorName string
}

type reviewRow struct{ Label, On, By string }

type evaluationRow struct {
	At, Note, UserView, UserViewBy string
	Continued                      bool
}

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
		Time: "09:00", OtherMinutes: strconv.Itoa(app.DefaultOtherBusinessMinutes)}.withRows()
	d.Cooperation = meetingInput{Duration: "60", Time: "09:00"}.withRows()
	for _, m := range v.Cooperation {
		d.CoopMeetings = append(d.CoopMeetings, meetingRow{M: m, When: coordTime(m.StartsAt),
			Status: s.coordLabel(r, "coord.meeting_status.", m.Status)})
	}
	for _, e := range v.Evaluations {
		d.Evaluations = append(d.Evaluations, evaluationRow{At: coordTime(e.EvaluatedAt), Note: e.Note, UserView: e.UserView,
			UserViewBy: e.UserViewBy, Continued: e.Continued})
	}
	return d
}

// membersFromForm reads the member rows of a group form.
func membersFromForm(f map[string][]string) []app.NewGroupMember {
	members, _ := memberRowsFromForm(f)
	return members
}

// memberRowsFromForm reads the member rows of a group form and, for each
// member, the id of its row's first field ("username-2", "name-1").
func memberRowsFromForm(f map[string][]string) ([]app.NewGroupMember, []string) {
	get := func(k string, i int) string {
		if vs := f[k]; i < len(vs) {
			return strings.TrimSpace(vs[i])
		}
		return ""
	}
	var out []app.NewGroupMember
	var fields []string
	for i := range f["username"] {
		if u := get("username", i); u != "" {
			out = append(out, app.NewGroupMember{Username: u, Role: get("role", i)})
			fields = append(fields, fmt.Sprintf("username-%d", i+1))
		}
	}
	for i := range f["name"] {
		if n := get("name", i); n != "" {
			out = append(out, app.NewGroupMember{Name: n, Relation: get("relation", i)})
			fields = append(fields, fmt.Sprintf("name-%d", i+1))
		}
	}
	return out, fields
}

// refillMembers fills the member rows again after a refused form and,
// when the error is about one member, puts its message on that row (and
// in the page's error summary) instead of at the top alone.
func (s *Server) refillMembers(p *Page, f map[string][]string, fields []string, err error) func(*groupData) {
	var me *app.MemberError
	if errors.As(err, &me) && me.Index >= 0 && me.Index < len(fields) {
		field := fields[me.Index]
		n := strings.TrimPrefix(strings.TrimPrefix(field, "username-"), "name-")
		p.Form.Add(field, s.catalog.T(p.Lang, "coord.member_row_error", map[string]any{"N": n,
			"Message": s.catalog.T(p.Lang, p.Error, nil)}))
		p.Error = ""
	}
	return func(d *groupData) {
		d.Refill = map[string]string{}
		for _, k := range []string{"username", "role", "name", "relation"} {
			for i, v := range f[k] {
				d.Refill[fmt.Sprintf("%s-%d", k, i+1)] = v
			}
		}
	}
}

func (s *Server) createGroup(w http.ResponseWriter, r *http.Request) {
	if err := coordParseForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	members, fields := memberRowsFromForm(r.PostForm)
	v, err := s.app.SetUpGroup(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"),
		app.GroupSetup{Members: members, ChosenWith: r.PostForm.Get("members_chosen_with")})
	if err != nil {
		s.coordFail(w, r, err, func(p *Page, status int) {
			s.renderGroup(w, r, p, status, s.refillMembers(p, r.PostForm, fields, err))
		})
		return
	}
	done := "group_created"
	if hasWarning(v.Warnings, "many_members") {
		done = "group_created_many"
	}
	seeOther(w, r, casePath(r.PathValue("id"), "/group"), done, "members")
}

func (s *Server) addGroupMembers(w http.ResponseWriter, r *http.Request) {
	if err := coordParseForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	members, fields := memberRowsFromForm(r.PostForm)
	v, err := s.app.AddGroupMembers(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), members)
	if err != nil {
		s.coordFail(w, r, err, func(p *Page, status int) {
			s.renderGroup(w, r, p, status, s.refillMembers(p, r.PostForm, fields, err))
		})
		return
	}
	done := "members_added"
	if hasWarning(v.Warnings, "many_members") {
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
	in := app.Evaluation{Continue: r.PostForm.Get("continue") != "no", Note: r.PostForm.Get("note"),
		UserView: r.PostForm.Get("user_view"), UserViewBy: r.PostForm.Get("user_view_by")}
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
	in := meetingInputFrom(r.PostForm)
	refill := func(d *groupData) { d.Meeting = in.withRows() }
	v, err := s.app.PlanMeeting(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), in.newMeeting())
	if err != nil {
		s.coordFail(w, r, err, func(p *Page, status int) { s.renderGroup(w, r, p, status, refill) })
		return
	}
	seeOther(w, r, "/meetings/"+v.Meeting.ID, "meeting_planned", "")
}

// planCooperationMeeting plans a cooperation meeting from the group page's
// form, with its participants (employees by username, the person and
// family by name and relation).
func (s *Server) planCooperationMeeting(w http.ResponseWriter, r *http.Request) {
	if err := coordParseForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	in := meetingInputFrom(r.PostForm)
	refill := func(d *groupData) { d.Cooperation = in.withRows() }
	v, err := s.app.PlanCooperationMeeting(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), in.newMeeting(),
		membersFromForm(r.PostForm))
	if err != nil {
		s.coordFail(w, r, err, func(p *Page, status int) {
			if samordna.ErrorCode(err) == "consent_required" { // the consent to share, not the group's
				p.Error = "coord.err.cooperation_consent_required"
			}
			s.renderGroup(w, r, p, status, refill)
		})
		return
	}
	seeOther(w, r, "/meetings/"+v.Meeting.ID, "cooperation_planned", "")
}
