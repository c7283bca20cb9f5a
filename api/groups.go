package api

import (
	"net/http"
	"time"

	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/reqctx"
	"github.com/samordna/samordna/store"
)

func (h *API) groupRoutes() []Route {
	return []Route{
		{Method: "POST", Path: "/api/v1/cases/{id}/responsibility-group", Access: "case:coordinate", Handler: h.createGroup, Request: createGroupRequest{},
			Summary: "Set up the responsibility group (the coordinator or the coordinating unit): {\"members\": [{\"username\", \"role\"?} or {\"name\", \"relation\"}], \"members_chosen_with\"?: who among the person and family chose the members with the coordinator}; 422 coordinator_required, consent_required; \"warnings\" above eight members, and members_not_chosen_with_user without members_chosen_with."},
		{Method: "GET", Path: "/api/v1/cases/{id}/responsibility-group", Access: "case:read", Handler: h.getGroup,
			Summary: "The case's open responsibility group: members, meetings, next chair and minute-taker, matters not for the group; \"open\": false (and no id) when the case has none."},
		{Method: "POST", Path: "/api/v1/cases/{id}/responsibility-group/members", Access: "case:coordinate", Handler: h.addGroupMembers, Request: membersRequest{},
			Summary: "Add members: {\"members\": [...]} (the coordinator or the coordinating unit)."},
		{Method: "DELETE", Path: "/api/v1/cases/{id}/responsibility-group/members/{member}", Access: "case:coordinate", Handler: h.removeGroupMember,
			Summary: "Remove a member (not the coordinator)."},
		{Method: "POST", Path: "/api/v1/cases/{id}/responsibility-group/close", Access: "case:coordinate", Handler: h.closeGroup, Request: closeGroupRequest{},
			Summary: "Close the group, reported to the coordinating unit: {\"reason\"}."},
		{Method: "POST", Path: "/api/v1/cases/{id}/responsibility-group/evaluation", Access: "case:coordinate", Handler: h.evaluateGroup, Request: evaluationRequest{},
			Summary: "The annual evaluation: {\"continue\": bool, \"note\", \"user_view\": the person's own view of the group's work, \"user_view_by\": who gave it}; 400 user_view_required; not continued closes the group."},
		{Method: "GET", Path: "/api/v1/cases/{id}/cooperation-meetings", Access: "case:read", Handler: h.cooperationMeetings,
			Summary: "The case's cooperation meetings (samarbeidsmøter), oldest first."},
		{Method: "POST", Path: "/api/v1/cases/{id}/responsibility-group/escalations", Access: "case:write", Handler: h.raiseToLeaders, Request: escalationRequest{},
			Summary: "Raise a matter the group cannot handle to the leaders: {\"category\", \"matter\"}; the coordinator gets the task."},
		{Method: "GET", Path: "/api/v1/cases/{id}/consent-form.pdf", Access: "case:manage_consent", Handler: h.consentFormPDF,
			Summary: "The printable consent form for a responsibility group (seed 004's four statements), with the " +
				"confidentiality regime of each service present (seed 002 §5.2); ?team=ID names a team the case may be " +
				"discussed in by name and adds its services. 400 unknown_team."},
	}
}

type memberRequest struct {
	Username string `json:"username" text:"id"`
	Role     string `json:"role" text:"name"`
	Name     string `json:"name" text:"name"`
	Relation string `json:"relation" text:"name"`
}

type membersRequest struct {
	Members []memberRequest `json:"members"`
}

func (in membersRequest) members() []app.NewGroupMember {
	var out []app.NewGroupMember
	for _, m := range in.Members {
		out = append(out, app.NewGroupMember{Username: m.Username, Role: m.Role, Name: m.Name, Relation: m.Relation})
	}
	return out
}

type createGroupRequest struct {
	Members           []memberRequest `json:"members"`
	MembersChosenWith string          `json:"members_chosen_with" text:"short"`
}

type memberJSON struct {
	ID       string `json:"id"`
	Username string `json:"username,omitempty"`
	Name     string `json:"name"`
	Relation string `json:"relation"`
	Role     string `json:"role,omitempty"`
	Service  string `json:"service,omitempty"`
}

type groupJSON struct {
	Open            bool             `json:"open"` // false: the case has no open group (id empty)
	ID              string           `json:"id,omitempty"`
	CaseID          string           `json:"case_id"`
	CreatedAt       string           `json:"created_at"`
	EvaluatedAt     *string          `json:"evaluated_at"`
	Coordinator     *assignmentJSON  `json:"coordinator"`
	Members         []memberJSON     `json:"members"`
	Meetings        []meetingItem    `json:"meetings"`
	NextChair       string           `json:"next_chair,omitempty"`        // member id
	NextMinuteTaker string           `json:"next_minute_taker,omitempty"` // member id
	NotForGroup     []string         `json:"not_for_group"`
	Reviews         []reviewJSON     `json:"composition_reviews"`
	Escalations     []escalationJSON `json:"escalations"`
	Warnings        []warningJSON    `json:"warnings"`
	// MembersChosenWith: who among the person and family chose the members
	// with the coordinator ("" when not recorded).
	MembersChosenWith string           `json:"members_chosen_with"`
	Evaluations       []evaluationJSON `json:"evaluations"`
}

type evaluationJSON struct {
	At         string `json:"evaluated_at"`
	Continued  bool   `json:"continued"`
	Note       string `json:"note"`
	UserView   string `json:"user_view"`
	UserViewBy string `json:"user_view_by"`
}

type reviewJSON struct {
	Kind   string `json:"kind"`
	On     string `json:"on"`
	Review string `json:"review_by"`
}

type escalationJSON struct {
	ID       string `json:"id"`
	Category string `json:"category"`
	Matter   string `json:"matter"`
	RaisedAt string `json:"raised_at"`
	RaisedBy string `json:"raised_by"`
}

type meetingItem struct {
	ID       string `json:"id"`
	Number   int    `json:"number"`
	StartsAt string `json:"starts_at"`
	Place    string `json:"place"`
	Status   string `json:"status"`
}

func membersToJSON(ms []*store.Member) []memberJSON {
	out := []memberJSON{}
	for _, m := range ms {
		out = append(out, memberJSON{ID: m.ID, Username: m.Username, Name: m.Name, Relation: m.Relation, Role: m.Role,
			Service: m.Service})
	}
	return out
}

func groupToJSON(v *app.GroupView) groupJSON {
	g := v.Group
	if g == nil {
		return groupJSON{CaseID: v.Case.ID, Coordinator: assignmentToJSON(v.Coordinator), Members: []memberJSON{},
			Meetings: []meetingItem{}, NotForGroup: app.NotForGroup, Reviews: []reviewJSON{},
			Escalations: []escalationJSON{}, Warnings: []warningJSON{}, Evaluations: []evaluationJSON{}}
	}
	out := groupJSON{Open: true, ID: g.ID, CaseID: g.CaseID, CreatedAt: timeJSON(g.CreatedAt), EvaluatedAt: optTime(g.EvaluatedAt),
		Coordinator: assignmentToJSON(v.Coordinator), Members: membersToJSON(v.Members), Meetings: []meetingItem{},
		NextChair: v.NextChair, NextMinuteTaker: v.NextMinuteTaker, NotForGroup: app.NotForGroup,
		Reviews: []reviewJSON{}, Escalations: []escalationJSON{}, Warnings: warningsJSON(v.Warnings),
		MembersChosenWith: g.MembersChosenWith, Evaluations: []evaluationJSON{}}
	for _, e := range v.Evaluations {
		out.Evaluations = append(out.Evaluations, evaluationJSON{At: timeJSON(e.EvaluatedAt), Continued: e.Continued,
			Note: e.Note, UserView: e.UserView, UserViewBy: e.UserViewBy})
	}
	for _, m := range v.Meetings {
		out.Meetings = append(out.Meetings, meetingItem{ID: m.ID, Number: m.Number, StartsAt: timeJSON(m.StartsAt),
			Place: m.Place, Status: m.Status})
	}
	for _, r := range v.Reviews {
		out.Reviews = append(out.Reviews, reviewJSON{Kind: r.Kind, On: r.At.Format("2006-01-02"),
			Review: r.ReviewBy(time.Time{}).Format("2006-01-02")})
	}
	for _, e := range v.Escalations {
		out.Escalations = append(out.Escalations, escalationJSON{ID: e.ID, Category: e.Category, Matter: e.Matter,
			RaisedAt: timeJSON(e.RaisedAt), RaisedBy: e.RaiserNam})
	}
	return out
}

// createGroup answers 201 with the group and its "warnings".
func (h *API) createGroup(w http.ResponseWriter, r *http.Request) {
	var in createGroupRequest
	if err := Decode(w, r, &in); err != nil {
		WriteError(w, err)
		return
	}
	v, err := h.app.SetUpGroup(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"),
		app.GroupSetup{Members: membersRequest{Members: in.Members}.members(), ChosenWith: in.MembersChosenWith})
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusCreated, groupToJSON(v))
}

// getGroup answers the open group, or, to a reader of a case without one,
// 200 with "open": false: 404 is kept for a case the caller may not read,
// so that a reader is never told "not found" about a case they can see.
func (h *API) getGroup(w http.ResponseWriter, r *http.Request) {
	v, err := h.app.GetGroup(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusOK, groupToJSON(v))
}

func (h *API) addGroupMembers(w http.ResponseWriter, r *http.Request) {
	var in membersRequest
	if err := Decode(w, r, &in); err != nil {
		WriteError(w, err)
		return
	}
	v, err := h.app.AddGroupMembers(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), in.members())
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusOK, groupToJSON(v))
}

func (h *API) removeGroupMember(w http.ResponseWriter, r *http.Request) {
	if err := h.app.RemoveGroupMember(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), r.PathValue("member")); err != nil {
		WriteError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// closeGroupRequest is POST .../responsibility-group/close.
type closeGroupRequest struct {
	Reason string `json:"reason" text:"short"`
}

func (h *API) closeGroup(w http.ResponseWriter, r *http.Request) {
	var in closeGroupRequest
	if err := Decode(w, r, &in); err != nil {
		WriteError(w, err)
		return
	}
	if err := h.app.CloseGroup(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), in.Reason); err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusOK, map[string]any{"status": "closed"})
}

// evaluationRequest is POST .../responsibility-group/evaluation.
type evaluationRequest struct {
	Continue   bool   `json:"continue"`
	Note       string `json:"note" text:"short"`
	UserView   string `json:"user_view" text:"long"`
	UserViewBy string `json:"user_view_by" text:"name"`
}

func (h *API) evaluateGroup(w http.ResponseWriter, r *http.Request) {
	var in evaluationRequest
	if err := Decode(w, r, &in); err != nil {
		WriteError(w, err)
		return
	}
	err := h.app.EvaluateGroup(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"),
		app.Evaluation{Continue: in.Continue, Note: in.Note, UserView: in.UserView, UserViewBy: in.UserViewBy})
	if err != nil {
		WriteError(w, err)
		return
	}
	status := "open"
	if !in.Continue {
		status = "closed"
	}
	WriteJSON(w, http.StatusOK, map[string]any{"status": status})
}

// escalationRequest is POST .../responsibility-group/escalations.
type escalationRequest struct {
	Category string `json:"category" text:"code"`
	Matter   string `json:"matter" text:"short"`
}

func (h *API) raiseToLeaders(w http.ResponseWriter, r *http.Request) {
	var in escalationRequest
	if err := Decode(w, r, &in); err != nil {
		WriteError(w, err)
		return
	}
	e, err := h.app.RaiseToLeaders(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), in.Category, in.Matter)
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusCreated, escalationJSON{ID: e.ID, Category: e.Category, Matter: e.Matter,
		RaisedAt: timeJSON(e.RaisedAt)})
}

func (h *API) consentFormPDF(w http.ResponseWriter, r *http.Request) {
	b, err := h.app.ConsentFormPDFForTeam(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), r.URL.Query().Get("team"))
	if err != nil {
		WriteError(w, err)
		return
	}
	writeCoordPDF(w, "samtykkeerklaering-ansvarsgruppe.pdf", b)
}

// writeCoordPDF sends a PDF for download.
func writeCoordPDF(w http.ResponseWriter, filename string, b []byte) {
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
}
