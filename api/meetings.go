package api

import (
	"errors"
	"net/http"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/reqctx"
	"github.com/samordna/samordna/store"
)

func (h *API) meetingRoutes() []Route {
	return []Route{
		{Method: "POST", Path: "/api/v1/cases/{id}/meetings", Access: "case:coordinate", Handler: h.planMeeting, Request: meetingRequest{},
			Summary: "Plan a group meeting (the coordinator or the coordinating unit): {\"starts_at\", \"duration_minutes\" (default 90), \"place\", \"agenda\": [..], \"reason_short_notice\"?, \"chair\"?, \"minute_taker\"?, \"person_attendance\"?: whole (default), part (with \"person_part\") or none (the coordinator gets the task of gathering the person's views beforehand), \"guests\"?: [{\"username\", \"matter\"}] providers who are not members called in for one matter, \"other_business\"?: [{\"text\", \"minutes\"}] in priority order, \"other_business_minutes\"? (default 15): those that do not fit are put off to the next meeting} → 201; less than 14 days ahead needs the reason (422 short_notice_reason_required)."},
		{Method: "GET", Path: "/api/v1/cases/{id}/meetings", Access: "case:read", Handler: h.caseMeetings,
			Summary: "The meetings of the case's open responsibility group, oldest first."},
		{Method: "GET", Path: "/api/v1/meetings/{id}", Access: "meeting:read", Handler: h.getMeeting,
			Summary: "One meeting: agenda, attendees, chair, minute-taker and the minutes."},
		{Method: "GET", Path: "/api/v1/meetings/{id}/invite.ics", Access: "meeting:read", Handler: h.meetingInvite,
			Summary: "The invitation as iCalendar (text/calendar), Europe/Oslo time, organiser and attendees."},
		{Method: "POST", Path: "/api/v1/meetings/{id}/invitation", Access: "meeting:coordinate", Handler: h.sendInvitation, Request: emptyRequest{},
			Summary: "Record that the agenda agreed with the person was sent, and send the invitation to the attendees (outbox)."},
		{Method: "POST", Path: "/api/v1/meetings/{id}/cancel", Access: "meeting:coordinate", Handler: h.cancelMeeting, Request: emptyRequest{},
			Summary: "Cancel a planned meeting."},
		{Method: "GET", Path: "/api/v1/meetings/{id}/minutes", Access: "meeting:read", Handler: h.getMinutes,
			Summary: "The minutes (draft, or finalised with their SHA-256) and the parts still missing."},
		{Method: "PUT", Path: "/api/v1/meetings/{id}/minutes", Access: "meeting:write_minutes", Handler: h.saveMinutes, Request: app.Minutes{},
			Summary: "Save the draft minutes (the coordinator, the coordinating unit or the minute-taker); 409 once finalised."},
		{Method: "POST", Path: "/api/v1/meetings/{id}/minutes/finalise", Access: "meeting:write_minutes", Handler: h.finaliseMinutes, Request: emptyRequest{},
			Summary: "Finalise and lock the minutes; 422 minutes_incomplete with \"missing\" naming the parts."},
		{Method: "GET", Path: "/api/v1/meetings/{id}/minutes.pdf", Access: "meeting:read", Handler: h.minutesPDF,
			Summary: "The finalised minutes as a PDF."},
		{Method: "POST", Path: "/api/v1/cases/{id}/cooperation-meetings", Access: "case:write", Handler: h.planCooperationMeeting, Request: cooperationMeetingRequest{},
			Summary: "Plan a cooperation meeting (samarbeidsmøte) without a responsibility group (anyone who may write to the case): the body of a meeting plus \"participants\": [{\"username\"} or {\"name\", \"relation\"}]; 422 consent_required on a named case without consent to share_with_members; 422 identifying_data on an anonymous case that names anyone → 201."},
		{Method: "POST", Path: "/api/v1/meetings/{id}/person-views", Access: "meeting:coordinate", Handler: h.recordPersonViews, Request: personViewsRequest{},
			Summary: "Record the person's views gathered before a meeting they do not attend: {\"views\"}; completes the task; 422 person_attends when the person attends."},
		{Method: "POST", Path: "/api/v1/meetings/{id}/minutes/deliveries", Access: "meeting:coordinate", Handler: h.markMinutesSent, Request: minutesSentRequest{},
			Summary: "Record how and when the finalised minutes were sent to a recipient the system does not reach: {\"delivery_id\", \"method\": handed_over, post, digital_mailbox or secure_email, \"sent_on\": YYYY-MM-DD}; 409 delivery_already_marked."},
	}
}

type meetingRequest struct {
	StartsAt          string   `json:"starts_at" text:"code"`
	DurationMinutes   int      `json:"duration_minutes"`
	Place             string   `json:"place" text:"name"`
	Agenda            []string `json:"agenda" text:"short"`
	ReasonShortNotice string   `json:"reason_short_notice" text:"short"`
	Chair             string   `json:"chair" text:"id"`
	MinuteTaker       string   `json:"minute_taker" text:"id"`
	// Seed 004: guests called in for one matter; whether the person attends
	// the whole meeting, part of it or none; "eventuelt" in priority order.
	Guests               []guestRequest      `json:"guests"`
	PersonAttendance     string              `json:"person_attendance" text:"code"`
	PersonPart           string              `json:"person_part" text:"short"`
	OtherBusiness        []store.OtherMatter `json:"other_business"`
	OtherBusinessMinutes int                 `json:"other_business_minutes"`
}

type guestRequest struct {
	Username string `json:"username" text:"id"`
	Matter   string `json:"matter" text:"short"`
}

// newMeeting is the request as the app's input; an unreadable start is
// passed on as zero: the app refuses it with invalid_start after checking
// access, so a caller who may not plan meetings for the case gets 404
// whatever the body.
func (in meetingRequest) newMeeting() app.NewMeeting {
	start, err := time.Parse(time.RFC3339, in.StartsAt)
	if err != nil {
		start = time.Time{}
	}
	out := app.NewMeeting{StartsAt: start, DurationMinutes: in.DurationMinutes, Place: in.Place, Agenda: in.Agenda,
		ReasonShortNotice: in.ReasonShortNotice, ChairMemberID: in.Chair, MinuteTakerID: in.MinuteTaker,
		PersonAttendance: in.PersonAttendance, PersonPart: in.PersonPart, OtherBusiness: in.OtherBusiness,
		OtherBusinessMinutes: in.OtherBusinessMinutes}
	for _, g := range in.Guests {
		out.Guests = append(out.Guests, app.NewGuest{Username: g.Username, Matter: g.Matter})
	}
	return out
}

type attendeeJSON struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	Part     string `json:"part"`
	Matter   string `json:"matter,omitempty"` // a guest's matter
	Username string `json:"-"`
}

type otherMatterJSON struct {
	Text    string `json:"text"`
	Minutes int    `json:"minutes"`
	Fits    bool   `json:"fits"` // false: put off to the next meeting
}

type deliveryJSON struct {
	ID        string `json:"id"`
	Recipient string `json:"recipient"`
	Status    string `json:"status"` // pending or sent
	Method    string `json:"method,omitempty"`
	SentOn    string `json:"sent_on,omitempty"`
}

type meetingJSON struct {
	ID                string         `json:"id"`
	CaseID            string         `json:"case_id"`
	GroupID           string         `json:"group_id"`
	Number            int            `json:"number"`
	StartsAt          string         `json:"starts_at"`
	EndsAt            string         `json:"ends_at"`
	DurationMinutes   int            `json:"duration_minutes"`
	Place             string         `json:"place"`
	Status            string         `json:"status"`
	Agenda            []string       `json:"agenda"`
	ReasonShortNotice string         `json:"reason_short_notice,omitempty"`
	AgendaSentAt      *string        `json:"agenda_sent_at"`
	Chair             *memberJSON    `json:"chair"`
	MinuteTaker       *memberJSON    `json:"minute_taker"`
	Attendees         []attendeeJSON `json:"attendees"`
	NotForGroup       []string       `json:"not_for_group"`
	MinutesStatus     string         `json:"minutes_status"` // none, draft, finalised
	Warnings          []warningJSON  `json:"warnings"`
	// Kind is responsibility_group or cooperation (no group_id then).
	Kind                 string            `json:"kind"`
	PersonAttendance     string            `json:"person_attendance"` // whole, part or none
	PersonPart           string            `json:"person_part,omitempty"`
	PersonViews          string            `json:"person_views,omitempty"`
	PersonViewsAt        *string           `json:"person_views_at"`
	OtherBusiness        []otherMatterJSON `json:"other_business"`
	OtherBusinessMinutes int               `json:"other_business_minutes"`
	MinutesDeliveries    []deliveryJSON    `json:"minutes_deliveries"`
}

func meetingToJSON(v *app.MeetingView) meetingJSON {
	m := v.Meeting
	out := meetingJSON{ID: m.ID, CaseID: m.CaseID, GroupID: m.GroupID, Number: m.Number, StartsAt: timeJSON(m.StartsAt),
		EndsAt: timeJSON(m.EndsAt()), DurationMinutes: m.DurationMinutes, Place: m.Place, Status: m.Status,
		Agenda: append([]string{}, m.Agenda...), ReasonShortNotice: m.ShortNoticeReason,
		AgendaSentAt: optTime(m.AgendaSentAt), Attendees: []attendeeJSON{}, NotForGroup: app.NotForGroup,
		MinutesStatus: "none", Warnings: warningsJSON(v.Warnings), Kind: m.Kind, PersonAttendance: m.PersonAttendance,
		PersonPart: m.PersonPart, PersonViews: m.PersonViews, PersonViewsAt: optTime(m.PersonViewsAt),
		OtherBusiness: []otherMatterJSON{}, OtherBusinessMinutes: m.OtherMinutes, MinutesDeliveries: []deliveryJSON{}}
	for _, x := range v.OtherBusiness {
		out.OtherBusiness = append(out.OtherBusiness, otherMatterJSON{Text: x.Text, Minutes: x.Minutes, Fits: x.Fits})
	}
	for _, d := range v.Deliveries {
		out.MinutesDeliveries = append(out.MinutesDeliveries, deliveryJSON{ID: d.ID, Recipient: d.Recipient,
			Status: d.Status, Method: d.Method, SentOn: d.SentOn})
	}
	if v.Chair != nil {
		out.Chair = &memberJSON{ID: v.Chair.ID, Username: v.Chair.Username, Name: v.Chair.Name, Relation: v.Chair.Relation}
	}
	if v.MinuteTaker != nil {
		out.MinuteTaker = &memberJSON{ID: v.MinuteTaker.ID, Username: v.MinuteTaker.Username, Name: v.MinuteTaker.Name,
			Relation: v.MinuteTaker.Relation}
	}
	for _, a := range v.Attendees {
		out.Attendees = append(out.Attendees, attendeeJSON{ID: a.ID, Name: a.Name, Role: a.Role, Part: a.Part,
			Matter: a.Matter})
	}
	switch {
	case v.MinutesFinal:
		out.MinutesStatus = "finalised"
	case v.Minutes != nil && v.MinutesSaved:
		out.MinutesStatus = "draft"
	}
	return out
}

// planMeeting answers 201 with the meeting.
func (h *API) planMeeting(w http.ResponseWriter, r *http.Request) {
	var in meetingRequest
	if err := Decode(w, r, &in); err != nil {
		WriteError(w, err)
		return
	}
	v, err := h.app.PlanMeeting(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), in.newMeeting())
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusCreated, meetingToJSON(v))
}

func (h *API) caseMeetings(w http.ResponseWriter, r *http.Request) {
	v, err := h.app.GetGroup(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		WriteError(w, err)
		return
	}
	items := []meetingItem{}
	for _, m := range v.Meetings {
		items = append(items, meetingItem{ID: m.ID, Number: m.Number, StartsAt: timeJSON(m.StartsAt), Place: m.Place,
			Status: m.Status})
	}
	WriteJSON(w, http.StatusOK, map[string]any{"items": items, "next": ""})
}

func (h *API) getMeeting(w http.ResponseWriter, r *http.Request) {
	v, err := h.app.GetMeeting(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusOK, meetingToJSON(v))
}

func (h *API) meetingInvite(w http.ResponseWriter, r *http.Request) {
	b, err := h.app.MeetingInvite(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		WriteError(w, err)
		return
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8; method=REQUEST")
	w.Header().Set("Content-Disposition", `attachment; filename="ansvarsgruppemote.ics"`)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
}

func (h *API) sendInvitation(w http.ResponseWriter, r *http.Request) {
	if err := decodeOptional(w, r, &emptyRequest{}); err != nil {
		WriteError(w, err)
		return
	}
	if err := h.app.SendInvitation(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id")); err != nil {
		WriteError(w, err)
		return
	}
	h.getMeeting(w, r)
}

func (h *API) cancelMeeting(w http.ResponseWriter, r *http.Request) {
	if err := decodeOptional(w, r, &emptyRequest{}); err != nil {
		WriteError(w, err)
		return
	}
	if err := h.app.CancelMeeting(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id")); err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusOK, map[string]any{"status": "cancelled"})
}

type minutesJSON struct {
	MeetingID string       `json:"meeting_id"`
	Status    string       `json:"status"` // draft or finalised ("draft" for an unsaved template)
	SHA256    string       `json:"sha256,omitempty"`
	Missing   []string     `json:"missing"`
	Minutes   *app.Minutes `json:"minutes"`
}

func minutesToJSON(v *app.MeetingView) minutesJSON {
	out := minutesJSON{MeetingID: v.Meeting.ID, Status: "draft", Minutes: v.Minutes, Missing: []string{}}
	if v.MinutesFinal {
		out.Status, out.SHA256 = "finalised", v.MinutesHash
	} else if missing := v.Missing(); missing != nil {
		out.Missing = missing
	}
	return out
}

func (h *API) getMinutes(w http.ResponseWriter, r *http.Request) {
	v, err := h.app.GetMeeting(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusOK, minutesToJSON(v))
}

func (h *API) saveMinutes(w http.ResponseWriter, r *http.Request) {
	var in app.Minutes
	if err := Decode(w, r, &in); err != nil {
		WriteError(w, err)
		return
	}
	v, err := h.app.SaveMinutes(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), in)
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusOK, minutesToJSON(v))
}

// finaliseMinutes answers 200 with the locked minutes, or 422
// minutes_incomplete whose error names the missing parts in "missing".
func (h *API) finaliseMinutes(w http.ResponseWriter, r *http.Request) {
	if err := decodeOptional(w, r, &emptyRequest{}); err != nil {
		WriteError(w, err)
		return
	}
	v, err := h.app.FinaliseMinutes(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	var inc *app.MinutesIncomplete
	var se *samordna.Error
	if errors.As(err, &inc) && errors.As(err, &se) {
		WriteJSON(w, http.StatusUnprocessableEntity, map[string]any{"error": map[string]any{
			"code": se.Code, "message": se.Message, "missing": inc.Missing}})
		return
	}
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusOK, minutesToJSON(v))
}

func (h *API) minutesPDF(w http.ResponseWriter, r *http.Request) {
	b, err := h.app.MinutesPDF(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		WriteError(w, err)
		return
	}
	writeCoordPDF(w, "referat-ansvarsgruppemote.pdf", b)
}

// planCooperationMeeting answers 201 with the cooperation meeting.
func (h *API) planCooperationMeeting(w http.ResponseWriter, r *http.Request) {
	var in cooperationMeetingRequest
	if err := Decode(w, r, &in); err != nil {
		WriteError(w, err)
		return
	}
	v, err := h.app.PlanCooperationMeeting(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"),
		in.newMeeting(), membersRequest{Members: in.Participants}.members())
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusCreated, meetingToJSON(v))
}

func (h *API) cooperationMeetings(w http.ResponseWriter, r *http.Request) {
	v, err := h.app.GetGroup(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		WriteError(w, err)
		return
	}
	items := []meetingItem{}
	for _, m := range v.Cooperation {
		items = append(items, meetingItem{ID: m.ID, Number: m.Number, StartsAt: timeJSON(m.StartsAt), Place: m.Place,
			Status: m.Status})
	}
	WriteJSON(w, http.StatusOK, map[string]any{"items": items, "next": ""})
}

// cooperationMeetingRequest is a meeting with its participants (there is
// no group to take them from).
type cooperationMeetingRequest struct {
	meetingRequest
	Participants []memberRequest `json:"participants"`
}

type personViewsRequest struct {
	Views string `json:"views" text:"long"`
}

func (h *API) recordPersonViews(w http.ResponseWriter, r *http.Request) {
	var in personViewsRequest
	if err := Decode(w, r, &in); err != nil {
		WriteError(w, err)
		return
	}
	v, err := h.app.RecordPersonViews(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), in.Views)
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusOK, meetingToJSON(v))
}

type minutesSentRequest struct {
	DeliveryID string `json:"delivery_id" text:"id"`
	Method     string `json:"method" text:"code"`
	SentOn     string `json:"sent_on" text:"code"`
}

func (h *API) markMinutesSent(w http.ResponseWriter, r *http.Request) {
	var in minutesSentRequest
	if err := Decode(w, r, &in); err != nil {
		WriteError(w, err)
		return
	}
	v, err := h.app.MarkMinutesSent(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"),
		app.MinutesSent{DeliveryID: in.DeliveryID, Method: in.Method, SentOn: in.SentOn})
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusOK, meetingToJSON(v))
}
