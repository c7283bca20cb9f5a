package api

import (
	"net/http"
	"time"

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
		{Method: "POST", Path: "/api/v1/teams/{id}/matters", Access: "authenticated", Handler: h.submitMatter,
			Request: matterRequest{},
			Summary: "Bring a matter to a team: {\"anonymous\", \"question\", \"subject\"?: {\"fnr\", \"name\"}, \"consent_id\"?, " +
				"\"reason\"?} → 201 {\"id\", \"meeting_id\", \"status\": on_agenda|waiting, \"meeting_starts_at\"}. " +
				"422 wrong_district (another district's team without a reason), identifying_data (a fødselsnummer or " +
				"D-nummer in an anonymous matter), consent_required (named without a consent in force covering " +
				"share_with_team for this team), named_case_not_allowed (a named matter to the OST), subject_not_allowed; " +
				"400 question_required, subject_required, invalid_id_number. The administrator: 404."},
		{Method: "GET", Path: "/api/v1/team-matters/{id}", Access: "authenticated", Handler: h.getMatter,
			Summary: "A matter the caller brought: {\"id\", \"team\", \"status\": waiting|on_agenda|discussed, \"meeting_id\", " +
				"\"meeting_starts_at\", \"advice\", \"referral\", \"follow_up_by\", \"task_id\"}. Anyone else: 404."},
		{Method: "GET", Path: "/api/v1/teams/{id}/calendar.ics", Access: "authenticated", Handler: h.teamCalendar,
			Summary: "The team's meetings as iCalendar (text/calendar): the series with its RRULE in Europe/Oslo, " +
				"cancelled meetings as EXDATE, moved ones with RECURRENCE-ID. For the team's members and the administrator; others 404."},
		{Method: "GET", Path: "/api/v1/team-meetings/{id}", Access: "authenticated", Handler: h.getTeamMeeting,
			Summary: "A team meeting's agenda: {\"id\", \"team\", \"starts_at\", \"status\", \"finalised\", \"matters\": " +
				"[{\"id\", \"anonymous\", \"person\"?, \"question\", \"status\", \"advice\", \"hidden\"}]}. A named matter shows " +
				"the person only while the consent naming them to the team is in force. For the team's members and " +
				"the meeting's invitees; others 404."},
	}
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
}

// matterToJSON is the submitter's view of a matter.
func matterToJSON(x *store.TeamMatter, team string, m *store.TeamMeeting, followUp string) matterJSON {
	out := matterJSON{ID: x.ID, Team: team, TeamID: x.TeamID, Anonymous: x.Anonymous, Status: x.Status,
		MeetingID: x.MeetingID, Advice: x.Advice, Referral: x.Referral, FollowUpBy: followUp, TaskID: x.AdviceTaskID}
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
	nm := app.NewTeamMatter{Anonymous: in.Anonymous, Question: in.Question, ConsentID: in.ConsentID, Reason: in.Reason}
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
