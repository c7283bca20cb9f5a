package api

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/reqctx"
	"github.com/samordna/samordna/store"
)

// coordinationRoutes lists the coordination endpoints: applications and
// decisions, the coordinator, the responsibility group, its meetings and
// minutes, the consent form and the coordinating unit's overview.
func (h *API) coordinationRoutes() []Route {
	var routes []Route
	routes = append(routes, h.applicationRoutes()...)
	routes = append(routes, h.groupRoutes()...)
	routes = append(routes, h.meetingRoutes()...)
	routes = append(routes, h.overviewRoutes()...)
	return routes
}

func (h *API) applicationRoutes() []Route {
	return []Route{
		{Method: "POST", Path: "/api/v1/cases/{id}/applications", Access: "case:write", Handler: h.submitApplication, Request: applicationRequest{},
			Summary: "Apply to the coordinating unit: {\"coordinator\", \"individual_plan\", \"wished_coordinator\"?, " +
				"\"responsibility_group\"?, \"wished_by\"?, \"wished_by_relation\"? (self, guardian, next_of_kin), " +
				"\"signed_application_form_id\"?} → 201 {\"id\", \"status\": \"submitted\"}. Needs the person's will: an " +
				"active consent covering register_with_coordinating_unit or the person's own signed application " +
				"(an uploaded form of the case) attached, else 422 consent_required."},
		{Method: "GET", Path: "/api/v1/cases/{id}/applications", Access: "case:read", Handler: h.caseApplications,
			Summary: "The case's applications and their decisions, newest first."},
		{Method: "GET", Path: "/api/v1/applications", Access: "role:coordinating_unit", Handler: h.applicationInbox,
			Summary: "The coordinating unit's inbox (?status=submitted|granted|refused&cursor=&limit=), oldest first."},
		{Method: "GET", Path: "/api/v1/applications/{id}", Access: "application:read", Handler: h.getApplication,
			Summary: "One application with its decision."},
		{Method: "POST", Path: "/api/v1/applications/{id}/decision", Access: "application:decide", Handler: h.decideApplication, Request: decisionRequest{},
			Summary: "The coordinating unit's decision: {\"outcome\": \"granted\"|\"refused\", \"coordinator\", \"coordinator_kind\", \"individual_plan\", \"individual_plan_when\"?, \"reason\", " +
				"\"child_coordinator_ground\"? (serious_illness, injury, disability, expected; required for a child_coordinator, else 422 child_coordinator_ground_required)}."},
		{Method: "POST", Path: "/api/v1/cases/{id}/coordinator/accept", Access: "case:accept_coordinator", Handler: h.acceptCoordinator, Request: emptyRequest{},
			Summary: "The appointed coordinator, or a handover's recipient, accepts the role."},
		{Method: "POST", Path: "/api/v1/cases/{id}/coordinator/handover", Access: "case:coordinate", Handler: h.handoverCoordinator, Request: coordinatorHandoverRequest{},
			Summary: "The coordinator or the coordinating unit offers the role to another employee: {\"username\"}; the old one stays until it is accepted."},
		{Method: "GET", Path: "/api/v1/coordinator/cases", Access: "authenticated", Handler: h.myCoordinatorCases,
			Summary: "The caller's own cases as coordinator, and roles offered to them."},
	}
}

type applicationRequest struct {
	Coordinator         bool   `json:"coordinator"`
	IndividualPlan      bool   `json:"individual_plan"`
	WishedCoordinator   string `json:"wished_coordinator" text:"id"`
	ResponsibilityGroup bool   `json:"responsibility_group"`
	WishedBy            string `json:"wished_by" text:"name"`
	WishedByRelation    string `json:"wished_by_relation" text:"code"`
	SignedFormID        string `json:"signed_application_form_id" text:"id"`
}

// wishJSON is the person's wish an application records.
type wishJSON struct {
	By                  string `json:"by"`
	Relation            string `json:"relation"` // self, guardian or next_of_kin
	ResponsibilityGroup bool   `json:"responsibility_group"`
	ConsentID           string `json:"consent_id,omitempty"`
	SignedFormID        string `json:"signed_application_form_id,omitempty"`
}

type personRefJSON struct {
	Username string `json:"username"`
	Name     string `json:"name"`
}

type applicationJSON struct {
	ID                 string         `json:"id"`
	CaseID             string         `json:"case_id"`
	Status             string         `json:"status"`
	Coordinator        bool           `json:"coordinator"`
	IndividualPlan     bool           `json:"individual_plan"`
	WishedCoordinator  *personRefJSON `json:"wished_coordinator"`
	Subject            string         `json:"subject_name,omitempty"`
	SubmittedBy        personRefJSON  `json:"submitted_by"`
	SubmittedAt        string         `json:"submitted_at"`
	DecidedAt          *string        `json:"decided_at"`
	DecidedBy          *personRefJSON `json:"decided_by"`
	DecidedCoordinator *personRefJSON `json:"decided_coordinator"`
	CoordinatorKind    string         `json:"coordinator_kind,omitempty"`
	IndividualPlanWhen string         `json:"individual_plan_when,omitempty"`
	Reason             string         `json:"reason,omitempty"`
	Wish               *wishJSON      `json:"wish,omitempty"`
	ChildCoordGround   string         `json:"child_coordinator_ground,omitempty"`
}

func applicationToJSON(a *store.Application) applicationJSON {
	out := applicationJSON{ID: a.ID, CaseID: a.CaseID, Status: a.Status, Coordinator: a.WantsCoordinator,
		IndividualPlan: a.WantsPlan, Subject: a.SubjectName,
		SubmittedBy: personRefJSON{Username: a.SubmittedByUsername, Name: a.SubmittedByName},
		SubmittedAt: timeJSON(a.SubmittedAt), DecidedAt: optTime(a.DecidedAt), CoordinatorKind: a.CoordinatorKind,
		IndividualPlanWhen: a.PlanDecision, Reason: a.Reason, ChildCoordGround: a.ChildCoordinatorGround}
	if a.WishedBy != "" {
		out.Wish = &wishJSON{By: a.WishedBy, Relation: a.WishedByRelation, ResponsibilityGroup: a.WantsGroup,
			ConsentID: a.ConsentID, SignedFormID: a.SignedFormID}
	}
	if a.WishedCoordinator != "" {
		out.WishedCoordinator = &personRefJSON{Username: a.WishedCoordinator, Name: a.WishedName}
	}
	if a.DecidedBy != "" {
		out.DecidedBy = &personRefJSON{Name: a.DecidedByName}
	}
	if a.DecidedCoordinator != "" {
		out.DecidedCoordinator = &personRefJSON{Username: a.DecidedCoordinator, Name: a.DecidedCoordName}
	}
	return out
}

// submitApplication answers 201 {"id", "status": "submitted", ...}.
func (h *API) submitApplication(w http.ResponseWriter, r *http.Request) {
	var in applicationRequest
	if err := Decode(w, r, &in); err != nil {
		WriteError(w, err)
		return
	}
	a, err := h.app.SubmitApplication(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"),
		app.NewApplication{Coordinator: in.Coordinator, IndividualPlan: in.IndividualPlan, WishedCoordinator: in.WishedCoordinator,
			ResponsibilityGroup: in.ResponsibilityGroup, WishedBy: in.WishedBy, WishedByRelation: in.WishedByRelation,
			SignedFormID: in.SignedFormID})
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusCreated, map[string]any{"id": a.ID, "status": a.Status, "case_id": a.CaseID,
		"submitted_at": timeJSON(a.SubmittedAt)})
}

// caseApplications answers {"items": [...], "next": ""}.
func (h *API) caseApplications(w http.ResponseWriter, r *http.Request) {
	as, err := h.app.ApplicationsOfCase(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		WriteError(w, err)
		return
	}
	items := []applicationJSON{}
	for _, a := range as {
		items = append(items, applicationToJSON(a))
	}
	WriteJSON(w, http.StatusOK, map[string]any{"items": items, "next": ""})
}

// applicationInbox answers {"items": [...], "next": "<cursor>"}.
func (h *API) applicationInbox(w http.ResponseWriter, r *http.Request) {
	cursor, limit, err := pageParams(r)
	if err != nil {
		WriteError(w, err)
		return
	}
	page, err := h.app.ApplicationInbox(r.Context(), reqctx.Actor(r.Context()), r.URL.Query().Get("status"), cursor, limit)
	if err != nil {
		WriteError(w, err)
		return
	}
	items := []applicationJSON{}
	for _, a := range page.Items {
		items = append(items, applicationToJSON(a))
	}
	WriteJSON(w, http.StatusOK, map[string]any{"items": items, "next": page.Next})
}

func (h *API) getApplication(w http.ResponseWriter, r *http.Request) {
	a, _, err := h.app.GetApplication(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusOK, applicationToJSON(a))
}

// decisionRequest is POST /api/v1/applications/{id}/decision. individual_plan
// is a boolean (docs/API.md); "now", "later" or "no" are accepted too.
type decisionRequest struct {
	Outcome            string          `json:"outcome" text:"code"`
	Coordinator        string          `json:"coordinator" text:"id"`
	CoordinatorKind    string          `json:"coordinator_kind" text:"code"`
	IndividualPlan     json.RawMessage `json:"individual_plan"`
	IndividualPlanWhen string          `json:"individual_plan_when" text:"code"`
	Reason             string          `json:"reason" text:"long,4000"`
	ChildCoordGround   string          `json:"child_coordinator_ground" text:"code"`
}

func (in decisionRequest) decision() (app.Decision, error) {
	d := app.Decision{Outcome: in.Outcome, Coordinator: in.Coordinator, CoordinatorKind: in.CoordinatorKind,
		IndividualPlanWhen: in.IndividualPlanWhen, Reason: in.Reason, ChildCoordinatorGround: in.ChildCoordGround}
	raw := strings.TrimSpace(string(in.IndividualPlan))
	switch raw {
	case "", "null", "false":
	case "true":
		d.IndividualPlan = true
	case `"now"`, `"later"`, `"no"`:
		when := strings.Trim(raw, `"`)
		if d.IndividualPlanWhen != "" && d.IndividualPlanWhen != when {
			return d, samordna.Errorf(samordna.KindInvalid, "invalid_plan_when", "individual_plan and individual_plan_when disagree")
		}
		d.IndividualPlan, d.IndividualPlanWhen = when == "now", when
	default:
		return d, samordna.Errorf(samordna.KindInvalid, "malformed_json", "individual_plan is true, false, \"now\", \"later\" or \"no\"")
	}
	return d, nil
}

type warningJSON struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func warningsJSON(ws []app.Warning) []warningJSON {
	out := []warningJSON{}
	for _, w := range ws {
		out = append(out, warningJSON{Code: w.Code, Message: w.Message})
	}
	return out
}

type assignmentJSON struct {
	Username string         `json:"username"`
	Name     string         `json:"name"`
	Kind     string         `json:"kind"`
	Status   string         `json:"status"`
	Handover *personRefJSON `json:"handover_to"`
}

func assignmentToJSON(k *store.Assignment) *assignmentJSON {
	if k == nil {
		return nil
	}
	out := &assignmentJSON{Username: k.Username, Name: k.Name, Kind: k.Kind, Status: k.Status}
	if k.HandoverTo != "" {
		out.Handover = &personRefJSON{Username: k.HandoverUser, Name: k.HandoverName}
	}
	return out
}

// decideApplication answers 200 with the decided application, the
// appointed coordinator and any warnings.
func (h *API) decideApplication(w http.ResponseWriter, r *http.Request) {
	var in decisionRequest
	if err := Decode(w, r, &in); err != nil {
		WriteError(w, err)
		return
	}
	d, err := in.decision()
	if err != nil {
		WriteError(w, err)
		return
	}
	res, err := h.app.DecideApplication(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), d)
	if err != nil {
		WriteError(w, err)
		return
	}
	out := applicationToJSON(res.Application)
	WriteJSON(w, http.StatusOK, map[string]any{"id": out.ID, "status": out.Status, "application": out,
		"coordinator": assignmentToJSON(res.Coordinator), "warnings": warningsJSON(res.Warnings)})
}

func (h *API) acceptCoordinator(w http.ResponseWriter, r *http.Request) {
	if err := decodeOptional(w, r, &emptyRequest{}); err != nil {
		WriteError(w, err)
		return
	}
	k, err := h.app.AcceptCoordinator(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusOK, map[string]any{"username": k.Username, "name": k.Name, "kind": k.Kind, "status": k.Status})
}

// coordinatorHandoverRequest is POST /api/v1/cases/{id}/coordinator/handover.
type coordinatorHandoverRequest struct {
	Username string `json:"username" text:"id"`
}

func (h *API) handoverCoordinator(w http.ResponseWriter, r *http.Request) {
	var in coordinatorHandoverRequest
	if err := Decode(w, r, &in); err != nil {
		WriteError(w, err)
		return
	}
	k, err := h.app.HandoverCoordinator(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), in.Username)
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusOK, assignmentToJSON(k))
}

func (h *API) myCoordinatorCases(w http.ResponseWriter, r *http.Request) {
	cs, err := h.app.MyCoordinatorCases(r.Context(), reqctx.Actor(r.Context()))
	if err != nil {
		WriteError(w, err)
		return
	}
	items := []map[string]any{}
	for _, c := range cs {
		items = append(items, map[string]any{"case_id": c.CaseID, "title": c.CaseTitle, "subject_name": c.SubjectName,
			"kind": c.Kind, "status": c.Status, "has_group": c.HasGroup, "next_meeting": optTime(c.NextMeeting),
			"next_meeting_id": c.MeetingID})
	}
	WriteJSON(w, http.StatusOK, map[string]any{"items": items, "next": ""})
}
