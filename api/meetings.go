package api

import (
	"errors"
	"net/http"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/reqctx"
)

func (h *API) meetingRoutes() []Route {
	return []Route{
		{Method: "POST", Path: "/api/v1/cases/{id}/meetings", Access: "case:coordinate", Handler: h.planMeeting, Request: meetingRequest{},
			Summary: "Plan a group meeting (the coordinator or the coordinating unit): {\"starts_at\", \"duration_minutes\" (default 90), \"place\", \"agenda\": [..], \"reason_short_notice\"?, \"chair\"?, \"minute_taker\"?} → 201; less than 14 days ahead needs the reason (422 short_notice_reason_required)."},
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
}

type attendeeJSON struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	Part     string `json:"part"`
	Username string `json:"-"`
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
}

func meetingToJSON(v *app.MeetingView) meetingJSON {
	m := v.Meeting
	out := meetingJSON{ID: m.ID, CaseID: m.CaseID, GroupID: m.GroupID, Number: m.Number, StartsAt: timeJSON(m.StartsAt),
		EndsAt: timeJSON(m.EndsAt()), DurationMinutes: m.DurationMinutes, Place: m.Place, Status: m.Status,
		Agenda: append([]string{}, m.Agenda...), ReasonShortNotice: m.ShortNoticeReason,
		AgendaSentAt: optTime(m.AgendaSentAt), Attendees: []attendeeJSON{}, NotForGroup: app.NotForGroup,
		MinutesStatus: "none", Warnings: warningsJSON(v.Warnings)}
	if v.Chair != nil {
		out.Chair = &memberJSON{ID: v.Chair.ID, Username: v.Chair.Username, Name: v.Chair.Name, Relation: v.Chair.Relation}
	}
	if v.MinuteTaker != nil {
		out.MinuteTaker = &memberJSON{ID: v.MinuteTaker.ID, Username: v.MinuteTaker.Username, Name: v.MinuteTaker.Name,
			Relation: v.MinuteTaker.Relation}
	}
	for _, a := range v.Attendees {
		out.Attendees = append(out.Attendees, attendeeJSON{ID: a.ID, Name: a.Name, Role: a.Role, Part: a.Part})
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
	// An unreadable start is passed on as zero: the app refuses it with
	// invalid_start after checking access, so a caller who may not plan
	// meetings for the case gets 404 whatever the body.
	start, err := time.Parse(time.RFC3339, in.StartsAt)
	if err != nil {
		start = time.Time{}
	}
	v, err := h.app.PlanMeeting(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), app.NewMeeting{StartsAt: start,
		DurationMinutes: in.DurationMinutes, Place: in.Place, Agenda: in.Agenda, ReasonShortNotice: in.ReasonShortNotice,
		ChairMemberID: in.Chair, MinuteTakerID: in.MinuteTaker})
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
