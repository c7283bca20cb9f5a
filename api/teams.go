package api

import (
	"net/http"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/reqctx"
	"github.com/samordna/samordna/store"
)

// This file is the API of teams that meet (issue 15, seed 002 §4.2): the
// teams a matter can be brought to, bringing one, where it stands, a
// team's calendar feed and a meeting's agenda.

func (h *API) teamRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/api/v1/teams", Access: "authenticated", Handler: h.listTeams,
			Summary: "The municipality's teams: {\"items\": [{\"id\", \"name\", \"kind\": tst|ost|resource_group|other, " +
				"\"district\", \"meeting_rule\", \"next_meeting\" (RFC 3339 or null), \"own_district\"}]}."},
		{Method: "POST", Path: "/api/v1/teams/{id}/matters", Access: "team:submit", Handler: h.submitMatter,
			Request: matterRequest{},
			Summary: "Bring a matter to a team: {\"anonymous\", \"question\", \"subject\"?: {\"fnr\", \"name\"}, \"consent_id\"?, " +
				"\"reason\"?, \"for_parents\"? (submitted on behalf of the parents, with their consent)} → 201 {\"id\", " +
				"\"meeting_id\", \"status\": on_agenda|waiting, \"meeting_starts_at\", \"for_parents\"}. " +
				"422 wrong_district (another district's team without a reason), identifying_data (a fødselsnummer or " +
				"D-nummer in an anonymous matter), consent_required (named without a consent in force covering " +
				"share_with_team for this team), named_case_not_allowed (a named matter to the OST), subject_not_allowed; " +
				"400 question_required, subject_required, invalid_id_number. The administrator: 404."},
		{Method: "GET", Path: "/api/v1/team-matters/{id}", Access: "team_matter:submitter", Handler: h.getMatter,
			Summary: "A matter the caller brought: {\"id\", \"team\", \"status\": waiting|on_agenda|discussed, \"meeting_id\", " +
				"\"meeting_starts_at\", \"advice\", \"referral\", \"follow_up_by\", \"task_id\"}. Anyone else: 404."},
		{Method: "GET", Path: "/api/v1/teams/{id}/calendar.ics", Access: "team:arrange", Handler: h.teamCalendar,
			Summary: "The team's meetings as iCalendar (text/calendar): the series with its RRULE in Europe/Oslo, " +
				"cancelled meetings as EXDATE, moved ones with RECURRENCE-ID. For the team's members and the administrator; others 404."},
		{Method: "GET", Path: "/api/v1/team-meetings/{id}", Access: "team_meeting:read", Handler: h.getTeamMeeting,
			Summary: "A team meeting's agenda: {\"id\", \"team\", \"starts_at\", \"status\", \"finalised\", \"matters\": " +
				"[{\"id\", \"anonymous\", \"person\"?, \"question\", \"status\", \"advice\", \"hidden\"}]}. A named matter shows " +
				"the person only while the consent naming them to the team is in force. For the team's members and " +
				"the meeting's invitees; others 404."},
		{Method: "POST", Path: "/api/v1/teams/{id}/series", Access: "team:arrange", Handler: h.planSeries,
			Request: seriesRequest{},
			Summary: "Set up the team's meeting series from its meeting rule: {\"first_starts_at\" (RFC 3339), " +
				"\"until\"? (RFC 3339, default a year on), \"duration_minutes\"? (default 120), \"place\"?, \"capacity\"? " +
				"(matters per meeting, default 6)} → 201 {\"meetings\": [{\"id\", \"starts_at\"}]}; the fixed members are " +
				"invited. 400 no_series_rule (the team meets as needed), invalid_time, invalid_duration. For the team's " +
				"fixed members and the administrator; others 404."},
		{Method: "POST", Path: "/api/v1/team-meetings/{id}/move", Access: "team_meeting:arrange", Handler: h.moveTeamMeeting,
			Request: moveRequest{},
			Summary: "Move one meeting: {\"starts_at\", \"place\"?, \"reason\"? (no fødselsnummer; everyone taking part is told)} → 200; " +
				"the rest of the series stays. 422 identifying_data; 409 meeting_locked. " +
				"For the team's fixed members and the administrator; others 404."},
		{Method: "POST", Path: "/api/v1/team-meetings/{id}/cancel", Access: "team_meeting:arrange", Handler: h.cancelTeamMeeting,
			Request: cancelRequest{},
			Summary: "Cancel one meeting: optional body {\"reason\"} (no fødselsnummer; everyone taking part is told) → 200; " +
				"its matters move to the next meeting with room. 422 identifying_data; 409 meeting_locked. " +
				"For the team's fixed members and the administrator; others 404."},
		{Method: "POST", Path: "/api/v1/team-meetings/{id}/invitees", Access: "team_meeting:write", Handler: h.inviteToTeamMeeting,
			Request: inviteRequest{},
			Summary: "Invite an employee who is not a fixed member to one meeting: {\"username\", \"matter_id\"?} (for one " +
				"matter: they read that matter only) → 204. 400 unknown_employee, unknown_matter; 409 meeting_locked. " +
				"For the team's fixed members; others 404."},
		{Method: "POST", Path: "/api/v1/team-meetings/{id}/minutes", Access: "team_meeting:write", Handler: h.finaliseTeamMinutes,
			Request: teamMinutesRequest{},
			Summary: "Finalise the minutes (locked after): {\"present\": [usernames], \"summary\", \"matters\": " +
				"[{\"id\", \"advice\", \"follow_up_by\"? (username, default the submitter), \"referral\"? " +
				"(coordinating_unit, child_welfare, ppt, bup, family_counselling)}], \"dry_run\"? (check only, the review)} → " +
				"200; each matter with advice gives who follows up a task; matters without advice move to the next meeting. " +
				"400 invalid_referral, unknown_matter, unknown_employee, advice_required; 422 identifying_data, " +
				"meeting_not_started; 409 meeting_locked. For the team's fixed members; others 404."},
	}
}

type seriesRequest struct {
	FirstStartsAt   string `json:"first_starts_at" text:"code"`
	Until           string `json:"until" text:"code"`
	DurationMinutes int    `json:"duration_minutes"`
	Place           string `json:"place" text:"name"`
	Capacity        int    `json:"capacity"`
}

// parseTime reads an RFC 3339 time; "" is the zero time.
func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, samordna.Errorf(samordna.KindInvalid, "invalid_time", "times are RFC 3339, e.g. 2026-09-01T08:00:00Z")
	}
	return t, nil
}

func (h *API) planSeries(w http.ResponseWriter, r *http.Request) {
	var in seriesRequest
	if err := Decode(w, r, &in); err != nil {
		WriteError(w, err)
		return
	}
	first, err := parseTime(in.FirstStartsAt)
	if err != nil {
		WriteError(w, err)
		return
	}
	until, err := parseTime(in.Until)
	if err != nil {
		WriteError(w, err)
		return
	}
	res, err := h.app.PlanTeamSeries(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), app.NewTeamSeries{
		FirstStartsAt: first, Until: until, DurationMinutes: in.DurationMinutes, Place: in.Place, Capacity: in.Capacity})
	if err != nil {
		WriteError(w, err)
		return
	}
	type meeting struct {
		ID       string    `json:"id"`
		StartsAt time.Time `json:"starts_at"`
	}
	out := struct {
		Meetings []meeting `json:"meetings"`
	}{Meetings: []meeting{}}
	for _, m := range res.Meetings {
		out.Meetings = append(out.Meetings, meeting{ID: m.ID, StartsAt: m.StartsAt})
	}
	WriteJSON(w, http.StatusCreated, out)
}

type moveRequest struct {
	StartsAt string `json:"starts_at" text:"code"`
	Place    string `json:"place" text:"name"`
	Reason   string `json:"reason" text:"short"`
}

func (h *API) moveTeamMeeting(w http.ResponseWriter, r *http.Request) {
	var in moveRequest
	if err := Decode(w, r, &in); err != nil {
		WriteError(w, err)
		return
	}
	at, err := parseTime(in.StartsAt)
	if err != nil {
		WriteError(w, err)
		return
	}
	if err := h.app.MoveTeamMeeting(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), at, in.Place, in.Reason); err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusOK, map[string]string{"id": r.PathValue("id"), "status": "planned"})
}

// cancelRequest is the optional body of a cancellation: why, for those
// taking part.
type cancelRequest struct {
	Reason string `json:"reason" text:"short"`
}

func (h *API) cancelTeamMeeting(w http.ResponseWriter, r *http.Request) {
	var in cancelRequest
	if err := decodeOptional(w, r, &in); err != nil {
		WriteError(w, err)
		return
	}
	if err := h.app.CancelTeamMeeting(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), in.Reason); err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusOK, map[string]string{"id": r.PathValue("id"), "status": "cancelled"})
}

type inviteRequest struct {
	Username string `json:"username" text:"id"`
	MatterID string `json:"matter_id" text:"id"`
}

func (h *API) inviteToTeamMeeting(w http.ResponseWriter, r *http.Request) {
	var in inviteRequest
	if err := Decode(w, r, &in); err != nil {
		WriteError(w, err)
		return
	}
	actor := reqctx.Actor(r.Context())
	id, err := h.app.EmployeeIDByUsername(r.Context(), actor, in.Username)
	if err != nil {
		WriteError(w, err)
		return
	}
	if err := h.app.AddTeamMeetingInvitee(r.Context(), actor, r.PathValue("id"), id, in.MatterID); err != nil {
		WriteError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type teamMinutesMatter struct {
	ID         string `json:"id" text:"id"`
	Advice     string `json:"advice" text:"long"`
	FollowUpBy string `json:"follow_up_by" text:"id"`
	Referral   string `json:"referral" text:"code"`
}

type teamMinutesRequest struct {
	Present []string            `json:"present" text:"id"`
	Summary string              `json:"summary" text:"long"`
	Matters []teamMinutesMatter `json:"matters"`
	DryRun  bool                `json:"dry_run"`
}

func (h *API) finaliseTeamMinutes(w http.ResponseWriter, r *http.Request) {
	var in teamMinutesRequest
	if err := Decode(w, r, &in); err != nil {
		WriteError(w, err)
		return
	}
	actor := reqctx.Actor(r.Context())
	m := app.TeamMinutes{Summary: in.Summary}
	for _, u := range in.Present {
		id, err := h.app.EmployeeIDByUsername(r.Context(), actor, u)
		if err != nil {
			WriteError(w, err)
			return
		}
		m.Present = append(m.Present, id)
	}
	for _, x := range in.Matters {
		m.Outcomes = append(m.Outcomes, app.MatterOutcome{MatterID: x.ID, Advice: x.Advice, FollowUpBy: x.FollowUpBy,
			Referral: x.Referral})
	}
	var err error
	if in.DryRun {
		err = h.app.CheckTeamMinutes(r.Context(), actor, r.PathValue("id"), m)
	} else {
		err = h.app.FinaliseTeamMinutes(r.Context(), actor, r.PathValue("id"), m)
	}
	if err != nil {
		writeDetailedError(w, err)
		return
	}
	status := "held"
	if in.DryRun {
		status = "checked"
	}
	WriteJSON(w, http.StatusOK, map[string]string{"id": r.PathValue("id"), "status": status})
}

type teamJSON struct {
	ID          string     `json:"id"`
	Name        string     `json:"name"`
	Kind        string     `json:"kind"`
	District    string     `json:"district"`
	MeetingRule string     `json:"meeting_rule"`
	NextMeeting *time.Time `json:"next_meeting"`
	OwnDistrict bool       `json:"own_district"`
}

func (h *API) listTeams(w http.ResponseWriter, r *http.Request) {
	teams, err := h.app.Teams(r.Context(), reqctx.Actor(r.Context()))
	if err != nil {
		WriteError(w, err)
		return
	}
	out := listJSON[teamJSON]{Items: []teamJSON{}}
	for _, t := range teams {
		out.Items = append(out.Items, teamJSON{ID: t.Team.ID, Name: t.Team.Name, Kind: string(t.Team.Kind),
			District: t.District, MeetingRule: t.Team.MeetingRule, NextMeeting: t.NextMeeting, OwnDistrict: t.OwnDistrict})
	}
	WriteJSON(w, http.StatusOK, out)
}

type matterSubjectRequest struct {
	FNR  string `json:"fnr" text:"code"`
	Name string `json:"name" text:"name"`
}

type matterRequest struct {
	Anonymous bool                  `json:"anonymous"`
	Question  string                `json:"question" text:"long"`
	Subject   *matterSubjectRequest `json:"subject"`
	ConsentID string                `json:"consent_id" text:"id"`
	Reason    string                `json:"reason" text:"short"`
	// ForParents: submitted on behalf of the parents, with their consent.
	ForParents bool `json:"for_parents"`
}

type matterJSON struct {
	ID              string     `json:"id"`
	Team            string     `json:"team"`
	TeamID          string     `json:"team_id"`
	Anonymous       bool       `json:"anonymous"`
	Status          string     `json:"status"`
	MeetingID       string     `json:"meeting_id"`
	MeetingStartsAt *time.Time `json:"meeting_starts_at"`
	Advice          string     `json:"advice"`
	Referral        string     `json:"referral"`
	FollowUpBy      string     `json:"follow_up_by"`
	TaskID          string     `json:"task_id"`
	ForParents      bool       `json:"for_parents"`
}

// matterToJSON is the submitter's view of a matter.
func matterToJSON(x *store.TeamMatter, team string, m *store.TeamMeeting, followUp string) matterJSON {
	out := matterJSON{ID: x.ID, Team: team, TeamID: x.TeamID, Anonymous: x.Anonymous, Status: x.Status,
		MeetingID: x.MeetingID, Advice: x.Advice, Referral: x.Referral, FollowUpBy: followUp, TaskID: x.AdviceTaskID,
		ForParents: x.ForParents}
	if m != nil {
		s := m.StartsAt
		out.MeetingStartsAt = &s
	}
	return out
}

func (h *API) submitMatter(w http.ResponseWriter, r *http.Request) {
	var in matterRequest
	if err := Decode(w, r, &in); err != nil {
		WriteError(w, err)
		return
	}
	nm := app.NewTeamMatter{Anonymous: in.Anonymous, Question: in.Question, ConsentID: in.ConsentID, Reason: in.Reason,
		ForParents: in.ForParents}
	if in.Subject != nil {
		nm.Subject = &app.ConcernSubject{IDNumber: in.Subject.FNR, Name: in.Subject.Name}
	}
	actor := reqctx.Actor(r.Context())
	x, err := h.app.SubmitTeamMatter(r.Context(), actor, r.PathValue("id"), nm)
	if err != nil {
		writeDetailedError(w, err)
		return
	}
	v, err := h.app.TeamMatter(r.Context(), actor, x.ID)
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusCreated, matterToJSON(v.Matter, v.TeamName, v.Meeting, v.FollowUp))
}

func (h *API) getMatter(w http.ResponseWriter, r *http.Request) {
	v, err := h.app.TeamMatter(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusOK, matterToJSON(v.Matter, v.TeamName, v.Meeting, v.FollowUp))
}

func (h *API) teamCalendar(w http.ResponseWriter, r *http.Request) {
	b, err := h.app.TeamFeed(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		WriteError(w, err)
		return
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
}

type agendaMatterJSON struct {
	ID        string `json:"id"`
	Anonymous bool   `json:"anonymous"`
	Person    string `json:"person,omitempty"`
	Question  string `json:"question"`
	Status    string `json:"status"`
	Advice    string `json:"advice"`
	Referral  string `json:"referral"`
	Hidden    bool   `json:"hidden"`
}

type teamMeetingJSON struct {
	ID        string             `json:"id"`
	Team      string             `json:"team"`
	TeamID    string             `json:"team_id"`
	StartsAt  time.Time          `json:"starts_at"`
	EndsAt    time.Time          `json:"ends_at"`
	Place     string             `json:"place"`
	Status    string             `json:"status"`
	Finalised bool               `json:"finalised"`
	Matters   []agendaMatterJSON `json:"matters"`
}

func (h *API) getTeamMeeting(w http.ResponseWriter, r *http.Request) {
	v, err := h.app.TeamMeetingAgenda(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		WriteError(w, err)
		return
	}
	m := v.Meeting
	out := teamMeetingJSON{ID: m.ID, Team: v.Team.Name, TeamID: v.Team.ID, StartsAt: m.StartsAt, EndsAt: m.EndsAt,
		Place: m.Place, Status: m.Status, Finalised: m.Finalised(), Matters: []agendaMatterJSON{}}
	for _, mv := range v.Matters {
		x := mv.Matter
		out.Matters = append(out.Matters, agendaMatterJSON{ID: x.ID, Anonymous: x.Anonymous, Person: mv.PersonName,
			Question: x.Question, Status: x.Status, Advice: x.Advice, Referral: x.Referral, Hidden: mv.Hidden})
	}
	WriteJSON(w, http.StatusOK, out)
}
