package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/reqctx"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

func (s *Server) meetingRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/meetings/{id}", Access: "meeting:read", Handler: s.meetingPage},
		{Method: "POST", Path: "/meetings/{id}/invitation", Access: "meeting:coordinate", Handler: s.sendInvitation},
		{Method: "POST", Path: "/meetings/{id}/cancel", Access: "meeting:coordinate", Handler: s.cancelMeeting},
		{Method: "POST", Path: "/meetings/{id}/minutes", Access: "meeting:write_minutes", Handler: s.saveMinutes},
		{Method: "GET", Path: "/meetings/{id}/invite.ics", Access: "meeting:read", Handler: s.meetingInvite},
		{Method: "GET", Path: "/meetings/{id}/minutes.pdf", Access: "meeting:read", Handler: s.minutesPDF},
		{Method: "POST", Path: "/meetings/{id}/person-views", Access: "meeting:coordinate", Handler: s.recordPersonViews},
		{Method: "POST", Path: "/meetings/{id}/minutes/deliveries", Access: "meeting:coordinate", Handler: s.markMinutesSent},
	}
}

// newMeasureRows is how many rows the minutes form offers for new measures.
const newMeasureRows = 5

// The rows of the meeting page's minutes form.
type (
	attendeeRow struct {
		A       *store.Attendee
		Role    string
		Present string // "yes", "no" or ""
		Reason  string
	}
	itemRow struct {
		Item, Notes string
	}
	reviewFormRow struct {
		Index                        int
		Measure, Responsible, WhyNot string
		Done                         bool
	}
	measureRow struct {
		Index, Number          int
		Text, Responsible, Due string
	}
)

// meetingData is the meeting page.
type meetingData struct {
	V            *app.MeetingView
	When, Ends   string
	Status       string
	AgendaSent   string
	Planned      bool
	NotForGroup  []string
	Attendees    []attendeeRow
	Items        []itemRow
	Reviews      []reviewFormRow
	Measures     []measureRow
	Missing      []string // message ids of the parts still missing
	StartDate    string
	StartTime    string
	Place        string
	Account      string
	Conclusions  string
	PrevApproved string // "yes", "no" or ""
	PrevComments string
	NextDate     string
	NextTime     string
	NextTopic    string
	Recipients   string
	Chair, Taker string
	Started      string // the minutes' time, for the final view
	// Seed 004.
	Cooperation   bool
	Person        string // the person's attendance, in words
	Guests        []attendeeRow
	PersonViewsAt string
	Deliveries    []deliveryRow
	Methods       []string
	Today         string
}

// deliveryRow is the minutes on their way to one recipient.
type deliveryRow struct {
	D      *store.Delivery
	Method string
	SentOn string
}

func (s *Server) meetingPage(w http.ResponseWriter, r *http.Request) {
	p := s.page(r, "coord.meeting_title")
	s.coordFlash(r, p)
	s.renderMeeting(w, r, p, http.StatusOK, nil, nil)
}

// renderMeeting reads the meeting (an audited read) and renders its page;
// draft, when not nil, shows minutes as the form held them, and missing
// names the parts finalising found missing.
func (s *Server) renderMeeting(w http.ResponseWriter, r *http.Request, p *Page, status int, draft *app.Minutes, missing []string) {
	v, err := s.app.GetMeeting(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		s.coordFail(w, r, err, nil)
		return
	}
	p.Title = "coord.meeting_title"
	if draft != nil {
		v.Minutes = draft
	}
	d := s.meetingData(r, v)
	for _, part := range missing {
		d.Missing = append(d.Missing, "coord.part."+part)
	}
	p.Data = d
	s.render(w, r, status, "coord_meeting", p)
}

func (s *Server) meetingData(r *http.Request, v *app.MeetingView) *meetingData {
	m := v.Meeting
	d := &meetingData{V: v, When: coordTime(m.StartsAt), Ends: m.EndsAt().In(pathway.Oslo()).Format("15:04"),
		Status: s.coordLabel(r, "coord.meeting_status.", m.Status), Planned: m.Status == store.MeetingPlanned,
		NotForGroup: app.NotForGroup}
	if m.AgendaSentAt != nil {
		d.AgendaSent = coordTime(*m.AgendaSentAt)
	}
	s.seed004Data(r, v, d)
	if v.Chair != nil {
		d.Chair = v.Chair.Name
	}
	if v.MinuteTaker != nil {
		d.Taker = v.MinuteTaker.Name
	}
	in := v.Minutes
	if in == nil {
		return d
	}
	marks := map[string]app.Attendance{}
	for _, a := range in.Attendance {
		marks[a.AttendeeID] = a
	}
	for _, a := range v.Attendees {
		row := attendeeRow{A: a, Role: s.coordLabel(r, "coord.attendee_role.", a.Role)}
		switch a.Part {
		case "first_part":
			row.Role += " – " + s.catalog.T(s.lang(r), "coord.first_part", nil)
		case store.PersonPart:
			row.Role += " – " + s.catalog.T(s.lang(r), "coord.person_attendance.part", nil)
		}
		if mk, ok := marks[a.ID]; ok && mk.Present != nil {
			row.Present, row.Reason = "no", mk.AbsenceReason
			if *mk.Present {
				row.Present = "yes"
			}
		}
		d.Attendees = append(d.Attendees, row)
	}
	notes := map[string]string{}
	for _, it := range in.Items {
		notes[it.Item] = it.Notes
	}
	for _, item := range m.Agenda {
		d.Items = append(d.Items, itemRow{Item: item, Notes: notes[item]})
	}
	for i, rv := range in.MeasuresReviewed {
		d.Reviews = append(d.Reviews, reviewFormRow{Index: i, Measure: rv.Measure, Responsible: rv.Responsible,
			Done: rv.Done, WhyNot: rv.WhyNot})
	}
	for i, x := range in.NewMeasures {
		d.Measures = append(d.Measures, measureRow{Index: i, Number: i + 1, Text: x.Text, Responsible: x.Responsible, Due: x.Due})
	}
	if !v.MinutesFinal {
		blank := max(newMeasureRows-len(d.Measures), 2)
		for i := 0; i < blank; i++ {
			d.Measures = append(d.Measures, measureRow{Index: len(d.Measures), Number: len(d.Measures) + 1})
		}
	}
	if t, err := time.Parse(time.RFC3339, in.StartedAt); err == nil {
		local := t.In(pathway.Oslo())
		d.StartDate, d.StartTime, d.Started = local.Format("2006-01-02"), local.Format("15:04"), coordTime(t)
	}
	d.Place, d.Account, d.Conclusions = in.Place, in.PersonAccount, in.Conclusions
	if pm := in.PreviousMinutes; pm != nil {
		d.PrevApproved, d.PrevComments = "no", pm.Comments
		if pm.Approved {
			d.PrevApproved = "yes"
		}
	}
	if nm := in.NextMeeting; nm != nil {
		if t, err := time.Parse(time.RFC3339, nm.StartsAt); err == nil {
			local := t.In(pathway.Oslo())
			d.NextDate, d.NextTime = local.Format("2006-01-02"), local.Format("15:04")
		}
		d.NextTopic = nm.Topic
	}
	d.Recipients = strings.Join(in.Recipients, "\n")
	if !v.MinutesSaved && len(in.Recipients) == 0 {
		var names []string
		for _, a := range v.Attendees {
			names = append(names, a.Name)
		}
		d.Recipients = strings.Join(names, "\n")
	}
	return d
}

// seed004Data fills the meeting page's parts from seed 004: the kind, the
// person's attendance and views, guests and the minutes' deliveries.
func (s *Server) seed004Data(r *http.Request, v *app.MeetingView, d *meetingData) {
	m := v.Meeting
	d.Cooperation = m.Kind == store.MeetingKindCooperation
	d.Person = s.coordLabel(r, "coord.person_attendance.", m.PersonAttendance)
	if m.PersonAttendance == store.PersonPart {
		d.Person += ": " + m.PersonPart
	}
	if m.PersonViewsAt != nil {
		d.PersonViewsAt = coordTime(*m.PersonViewsAt)
	}
	for _, a := range v.Attendees {
		if a.Role == "guest" {
			d.Guests = append(d.Guests, attendeeRow{A: a})
		}
	}
	for _, x := range v.Deliveries {
		row := deliveryRow{D: x, Method: s.coordLabel(r, "coord.delivery_method.", x.Method)}
		if t, err := time.Parse(time.DateOnly, x.SentOn); err == nil {
			row.SentOn = t.Format("02.01.2006")
		}
		d.Deliveries = append(d.Deliveries, row)
	}
	d.Methods = app.DeliveryMethods
	d.Today = s.app.Clock.Now().In(pathway.Oslo()).Format(time.DateOnly)
}

// minutesFromForm reads the minutes form. Dates and times are Oslo time.
func minutesFromForm(f url.Values, v *app.MeetingView) app.Minutes {
	in := app.Minutes{Place: f.Get("place"), PersonAccount: f.Get("person_account"), Conclusions: f.Get("conclusions")}
	if v.Chair != nil {
		in.Chair = v.Chair.Name
	}
	if v.MinuteTaker != nil {
		in.MinuteTaker = v.MinuteTaker.Name
	}
	if t, err := time.ParseInLocation("2006-01-02 15:04", f.Get("start_date")+" "+f.Get("start_time"), pathway.Oslo()); err == nil {
		in.StartedAt = t.UTC().Format(time.RFC3339)
	}
	for _, a := range v.Attendees {
		mark := app.Attendance{AttendeeID: a.ID, AbsenceReason: f.Get("absence-" + a.ID)}
		switch f.Get("present-" + a.ID) {
		case "yes":
			yes := true
			mark.Present = &yes
		case "no":
			no := false
			mark.Present = &no
		}
		in.Attendance = append(in.Attendance, mark)
	}
	switch f.Get("previous_approved") {
	case "yes":
		in.PreviousMinutes = &app.PreviousMinutes{Approved: true, Comments: f.Get("previous_comments")}
	case "no":
		in.PreviousMinutes = &app.PreviousMinutes{Comments: f.Get("previous_comments")}
	}
	for i, item := range v.Meeting.Agenda {
		in.Items = append(in.Items, app.ItemNote{Item: item, Notes: formAt(f, "item_notes", i)})
	}
	for i, measure := range f["review_measure"] {
		in.MeasuresReviewed = append(in.MeasuresReviewed, app.MeasureReview{Measure: measure,
			Responsible: formAt(f, "review_responsible", i), Done: f.Get("review_done-"+strconv.Itoa(i)) == "yes",
			WhyNot: formAt(f, "review_why", i)})
	}
	for i := range f["measure_text"] {
		in.NewMeasures = append(in.NewMeasures, app.NewMeasure{Text: formAt(f, "measure_text", i),
			Responsible: formAt(f, "measure_responsible", i), Due: formAt(f, "measure_due", i)})
	}
	if f.Get("next_date") != "" {
		next := app.NextMeeting{Topic: f.Get("next_topic")}
		clock := f.Get("next_time")
		if clock == "" {
			clock = "09:00"
		}
		if t, err := time.ParseInLocation("2006-01-02 15:04", f.Get("next_date")+" "+clock, pathway.Oslo()); err == nil {
			next.StartsAt = t.UTC().Format(time.RFC3339)
		}
		in.NextMeeting = &next
	}
	for _, line := range strings.Split(f.Get("recipients"), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			in.Recipients = append(in.Recipients, line)
		}
	}
	return in
}

// formAt returns the i-th value of a repeated form field, or "".
func formAt(f url.Values, key string, i int) string {
	if vs := f[key]; i < len(vs) {
		return vs[i]
	}
	return ""
}

// saveMinutes saves the draft; with action=finalise it then shows the
// review of what finalising will do (or the parts still missing), and only
// action=confirm_finalise, the review's button, finalises the minutes as
// saved.
func (s *Server) saveMinutes(w http.ResponseWriter, r *http.Request) {
	if err := coordParseForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	actor := reqctx.Actor(r.Context())
	if r.PostForm.Get("action") == "confirm_finalise" {
		s.finaliseMinutes(w, r)
		return
	}
	v, err := s.app.GetMeeting(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		s.coordFail(w, r, err, nil)
		return
	}
	in := minutesFromForm(r.PostForm, v)
	if v, err = s.app.SaveMinutes(r.Context(), actor, r.PathValue("id"), in); err != nil {
		s.coordFail(w, r, err, func(p *Page, status int) { s.renderMeeting(w, r, p, status, &in, nil) })
		return
	}
	if r.PostForm.Get("action") != "finalise" {
		seeOther(w, r, "/meetings/"+url.PathEscape(r.PathValue("id")), "minutes_saved", "minutes")
		return
	}
	rv, err := s.app.ReviewFinalise(v)
	if s.minutesRefused(w, r, err) {
		return
	}
	s.renderMinutesReview(w, r, v, rv)
}

// finaliseMinutes finalises the saved minutes once the review is
// confirmed.
func (s *Server) finaliseMinutes(w http.ResponseWriter, r *http.Request) {
	_, err := s.app.FinaliseMinutes(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if s.minutesRefused(w, r, err) {
		return
	}
	seeOther(w, r, "/meetings/"+url.PathEscape(r.PathValue("id")), "minutes_finalised", "minutes")
}

// minutesRefused shows the meeting page with the parts still missing or
// the error finalising gave, and reports whether there was one.
func (s *Server) minutesRefused(w http.ResponseWriter, r *http.Request, err error) bool {
	var inc *app.MinutesIncomplete
	if errors.As(err, &inc) {
		p := s.page(r, "coord.meeting_title")
		p.Error = "coord.err.minutes_incomplete"
		s.renderMeeting(w, r, p, http.StatusUnprocessableEntity, nil, inc.Missing)
		return true
	}
	if err != nil {
		s.coordFail(w, r, err, func(p *Page, status int) { s.renderMeeting(w, r, p, status, nil, nil) })
		return true
	}
	return false
}

// minutesReviewData is the review before finalising minutes.
type minutesReviewData struct {
	MeetingID, Subject, When string
	Number                   int
	InSamordna, SendBy       []string
	NewMeasures              int
	NextMeeting              string
}

// renderMinutesReview shows who receives the minutes and what becomes
// locked, with the button that finalises them.
func (s *Server) renderMinutesReview(w http.ResponseWriter, r *http.Request, v *app.MeetingView, rv *app.MinutesReview) {
	p := s.page(r, "minutes_review.title")
	d := minutesReviewData{MeetingID: v.Meeting.ID, Subject: v.SubjectName, When: coordTime(v.Meeting.StartsAt),
		Number: v.Meeting.Number, InSamordna: rv.InSamordna, SendBy: rv.SendBy, NewMeasures: rv.NewMeasures}
	if !rv.NextMeeting.IsZero() {
		d.NextMeeting = coordTime(rv.NextMeeting)
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "minutes_review", p)
}

func (s *Server) sendInvitation(w http.ResponseWriter, r *http.Request) {
	if err := coordParseForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	if err := s.app.SendInvitation(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id")); err != nil {
		s.coordFail(w, r, err, func(p *Page, status int) { s.renderMeeting(w, r, p, status, nil, nil) })
		return
	}
	seeOther(w, r, "/meetings/"+url.PathEscape(r.PathValue("id")), "invitation_sent", "")
}

func (s *Server) cancelMeeting(w http.ResponseWriter, r *http.Request) {
	if err := coordParseForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	if err := s.app.CancelMeeting(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id")); err != nil {
		s.coordFail(w, r, err, func(p *Page, status int) { s.renderMeeting(w, r, p, status, nil, nil) })
		return
	}
	seeOther(w, r, "/meetings/"+url.PathEscape(r.PathValue("id")), "meeting_cancelled", "")
}

func (s *Server) meetingInvite(w http.ResponseWriter, r *http.Request) {
	b, err := s.app.MeetingInvite(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		s.coordFail(w, r, err, nil)
		return
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8; method=REQUEST")
	w.Header().Set("Content-Disposition", `attachment; filename="ansvarsgruppemote.ics"`)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
}

func (s *Server) minutesPDF(w http.ResponseWriter, r *http.Request) {
	b, err := s.app.MinutesPDF(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		s.coordFail(w, r, err, nil)
		return
	}
	sendPDF(w, "referat-ansvarsgruppemote.pdf", b)
}

// recordPersonViews records the person's views gathered before a meeting
// they do not attend.
func (s *Server) recordPersonViews(w http.ResponseWriter, r *http.Request) {
	if err := coordParseForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	_, err := s.app.RecordPersonViews(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), r.PostForm.Get("views"))
	if err != nil {
		s.coordFail(w, r, err, func(p *Page, status int) { s.renderMeeting(w, r, p, status, nil, nil) })
		return
	}
	seeOther(w, r, "/meetings/"+url.PathEscape(r.PathValue("id")), "person_views_recorded", "person-views")
}

// markMinutesSent records how and when the minutes were sent to one
// recipient.
func (s *Server) markMinutesSent(w http.ResponseWriter, r *http.Request) {
	if err := coordParseForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	f := r.PostForm
	_, err := s.app.MarkMinutesSent(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"),
		app.MinutesSent{DeliveryID: f.Get("delivery_id"), Method: f.Get("method"), SentOn: f.Get("sent_on")})
	if err != nil {
		s.coordFail(w, r, err, func(p *Page, status int) { s.renderMeeting(w, r, p, status, nil, nil) })
		return
	}
	seeOther(w, r, "/meetings/"+url.PathEscape(r.PathValue("id")), "minutes_sent", "deliveries")
}
