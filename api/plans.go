package api

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/reqctx"
	"github.com/samordna/samordna/store"
)

func (h *API) planRoutes() []Route {
	return []Route{
		{Method: "POST", Path: "/api/v1/cases/{id}/plans", Access: "case:write", Handler: h.createPlan, Request: planRequest{},
			Summary: "Make a plan (individual_plan, action_plan or relay_log): {\"kind\", \"what_matters\", \"resources\"?, " +
				"\"goals\": [{\"text\", \"term\"}], \"measures\": [{\"text\", \"responsible\", \"responsible_service\"?, \"due\", " +
				"\"goal_index\"?, \"evaluation_date\"?}], \"services\"?, \"evaluation_dates\"?, \"references\"?, \"holder\"?}. " +
				"201 with an ETag; each measure becomes a task for its responsible."},
		{Method: "GET", Path: "/api/v1/cases/{id}/plans", Access: "case:read", Handler: h.listCasePlans,
			Summary: "The case's plans, newest first."},
		{Method: "GET", Path: "/api/v1/plans/{id}", Access: "plan:read", Handler: h.getPlan,
			Summary: "A plan's current version, with its ETag."},
		{Method: "PUT", Path: "/api/v1/plans/{id}", Access: "plan:change", Handler: h.updatePlan, Request: planRequest{},
			Summary: "A new version of the plan (the whole content, as for creation; goals and measures keep their id). " +
				"Needs If-Match with the current ETag: missing 428, stale 412."},
		{Method: "GET", Path: "/api/v1/plans/{id}/versions", Access: "plan:read", Handler: h.planVersions,
			Summary: "Every version of the plan, oldest first."},
		{Method: "GET", Path: "/api/v1/plans/{id}/diff", Access: "plan:read", Handler: h.planDiff,
			Summary: "What changed between two versions, ?from=1&to=2 (default: the current version and the one before): " +
				"fields, and goals and measures added, removed and changed."},
		{Method: "GET", Path: "/api/v1/plans/{id}/pdf", Access: "plan:read", Handler: h.planPDF,
			Summary: "The plan as a PDF (application/pdf) with selectable text; the person's own words first."},
		{Method: "POST", Path: "/api/v1/plans/{id}/holder/handover", Access: "plan:write", Handler: h.handOverPlan, Request: handoverRequest{},
			Summary: "Relay log: hand it over to another employee on the case, {\"username\"}; they must accept."},
		{Method: "POST", Path: "/api/v1/plans/{id}/holder/accept", Access: "plan:write", Handler: h.acceptPlanHandover, Request: emptyRequest{},
			Summary: "Relay log: accept a handover and become its holder."},
		{Method: "POST", Path: "/api/v1/plans/{id}/measures-from-minutes", Access: "plan:change", Handler: h.addMinutesToPlan, Request: minutesRequest{},
			Summary: "Add the new measures of a meeting's finalised minutes to the plan in one step, {\"meeting_id\"}; " +
				"a new version, needs If-Match like PUT."},
		{Method: "POST", Path: "/api/v1/plans/{id}/close", Access: "plan:write", Handler: h.closePlan, Request: closePlanRequest{},
			Summary: "Close the plan at someone's request, {\"requested_by\", \"reason\"?}; a closed plan is read-only."},
	}
}

// planJSON is a plan as the API shows it.
type planJSON struct {
	ID               string          `json:"id"`
	CaseID           string          `json:"case_id"`
	Kind             string          `json:"kind"`
	Status           string          `json:"status"`
	Version          int             `json:"version"`
	ETag             string          `json:"etag"`
	WhatMatters      string          `json:"what_matters"`
	Resources        string          `json:"resources"`
	Goals            []goalJSON      `json:"goals"`
	Measures         []measureJSON   `json:"measures"`
	Services         []string        `json:"services"`
	EvaluationDates  []string        `json:"evaluation_dates"`
	References       []referenceJSON `json:"references"`
	Overdue          int             `json:"overdue_measures"`
	Holder           string          `json:"holder,omitempty"`
	HolderName       string          `json:"holder_name,omitempty"`
	HandoverTo       string          `json:"handover_to,omitempty"`
	HandoverToName   string          `json:"handover_to_name,omitempty"`
	ActionPlanDue    string          `json:"action_plan_due,omitempty"`
	CloseRequestedBy string          `json:"close_requested_by,omitempty"`
	CloseReason      string          `json:"close_reason,omitempty"`
	ClosedAt         *string         `json:"closed_at"`
	CreatedBy        string          `json:"created_by"`
	CreatedAt        string          `json:"created_at"`
	UpdatedAt        string          `json:"updated_at"`
}

type goalJSON struct {
	ID            string `json:"id"`
	Text          string `json:"text"`
	Term          string `json:"term"`
	MeasuresDone  int    `json:"measures_done"`
	MeasuresTotal int    `json:"measures_total"`
}

type measureJSON struct {
	ID                 string `json:"id"`
	Text               string `json:"text"`
	GoalID             string `json:"goal_id"`
	Responsible        string `json:"responsible"`
	ResponsibleName    string `json:"responsible_name"`
	ResponsibleService string `json:"responsible_service"`
	Due                string `json:"due"`
	Status             string `json:"status"`
	Overdue            bool   `json:"overdue"`
	Evaluation         string `json:"evaluation"`
	EvaluationDate     string `json:"evaluation_date"`
	MeetingID          string `json:"meeting_id"`
	TaskID             string `json:"task_id"`
	Method             string `json:"method,omitempty"` // id of the adopted method the measure uses
}

type referenceJSON struct {
	Title  string `json:"title" text:"name"`
	Holder string `json:"holder" text:"name"`
	Note   string `json:"note" text:"short"`
}

func planToJSON(v *app.PlanView) planJSON {
	p := v.Plan
	out := planJSON{ID: p.ID, CaseID: p.CaseID, Kind: p.Kind, Status: p.Status, Version: p.Version, ETag: v.ETag,
		Overdue: v.Overdue, ActionPlanDue: v.ActionPlanDue, CloseRequestedBy: p.CloseRequestedBy,
		CloseReason: p.CloseReason, ClosedAt: optTime(p.ClosedAt), CreatedAt: timeJSON(p.CreatedAt),
		UpdatedAt: timeJSON(p.UpdatedAt)}
	out.contentFrom(v.Content, v.Measures)
	for _, g := range v.Goals {
		out.Goals = append(out.Goals, goalJSON{ID: g.ID, Text: g.Text, Term: g.Term, MeasuresDone: g.Done, MeasuresTotal: g.Total})
	}
	if v.Holder != nil {
		out.Holder, out.HolderName = v.Holder.Username, v.Holder.Name
	}
	if v.HandoverTo != nil {
		out.HandoverTo, out.HandoverToName = v.HandoverTo.Username, v.HandoverTo.Name
	}
	if v.CreatedBy != nil {
		out.CreatedBy = v.CreatedBy.Username
	}
	return out
}

// contentFrom fills the content fields; views gives the measures' live
// state (nil for a stored version, shown as stored).
func (out *planJSON) contentFrom(c store.PlanContent, views []app.MeasureView) {
	out.WhatMatters, out.Resources = c.WhatMatters, c.Resources
	out.Services, out.EvaluationDates = nonNilStrings(c.Services), nonNilStrings(c.EvaluationDates)
	out.Goals, out.Measures, out.References = []goalJSON{}, []measureJSON{}, []referenceJSON{}
	for _, g := range c.Goals {
		if views == nil {
			out.Goals = append(out.Goals, goalJSON{ID: g.ID, Text: g.Text, Term: g.Term})
		}
	}
	for _, m := range c.Measures { // the author's order
		mj := measureJSON{ID: m.ID, Text: m.Text, GoalID: m.GoalID, ResponsibleService: m.ResponsibleService,
			Due: m.Due, Status: m.Status, Evaluation: m.Evaluation, EvaluationDate: m.EvaluationDate,
			MeetingID: m.MeetingID, TaskID: m.TaskID, Method: m.MethodID}
		for _, mv := range views {
			if mv.ID == m.ID {
				mj.Status, mj.Overdue = mv.Status, mv.Overdue
				if mv.Responsible != nil {
					mj.Responsible, mj.ResponsibleName = mv.Responsible.Username, mv.Responsible.Name
				}
			}
		}
		out.Measures = append(out.Measures, mj)
	}
	for _, r := range c.References {
		out.References = append(out.References, referenceJSON(r))
	}
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// planRequest is the body of POST /api/v1/cases/{id}/plans and PUT
// /api/v1/plans/{id}. The read-only fields of a plan as GET shows it are
// accepted and ignored, so a client can send back what it read with its
// changes.
type planRequest struct {
	Kind            string           `json:"kind" text:"code"`
	WhatMatters     string           `json:"what_matters" text:"long"`
	Resources       string           `json:"resources" text:"long"`
	Goals           []goalRequest    `json:"goals"`
	Measures        []measureRequest `json:"measures"`
	Services        []string         `json:"services" text:"name"`
	EvaluationDates []string         `json:"evaluation_dates" text:"code"`
	References      []referenceJSON  `json:"references"`
	Holder          string           `json:"holder" text:"id"`
	planReadOnly
}

// planReadOnly are the fields of planJSON a request may carry but cannot
// change.
type planReadOnly struct {
	ID               json.RawMessage `json:"id"`
	CaseID           json.RawMessage `json:"case_id"`
	Status           json.RawMessage `json:"status"`
	Version          json.RawMessage `json:"version"`
	ETag             json.RawMessage `json:"etag"`
	Overdue          json.RawMessage `json:"overdue_measures"`
	HolderName       json.RawMessage `json:"holder_name"`
	HandoverTo       json.RawMessage `json:"handover_to"`
	HandoverToName   json.RawMessage `json:"handover_to_name"`
	ActionPlanDue    json.RawMessage `json:"action_plan_due"`
	CloseRequestedBy json.RawMessage `json:"close_requested_by"`
	CloseReason      json.RawMessage `json:"close_reason"`
	ClosedAt         json.RawMessage `json:"closed_at"`
	CreatedBy        json.RawMessage `json:"created_by"`
	CreatedAt        json.RawMessage `json:"created_at"`
	UpdatedAt        json.RawMessage `json:"updated_at"`
}

type goalRequest struct {
	ID            string          `json:"id" text:"id"`
	Text          string          `json:"text" text:"short"`
	Term          string          `json:"term" text:"code"`
	MeasuresDone  json.RawMessage `json:"measures_done"`
	MeasuresTotal json.RawMessage `json:"measures_total"`
}

type measureRequest struct {
	ID                 string          `json:"id" text:"id"`
	Text               string          `json:"text" text:"short"`
	Responsible        string          `json:"responsible" text:"id"`
	ResponsibleService string          `json:"responsible_service" text:"name"`
	Due                string          `json:"due" text:"code"`
	GoalID             string          `json:"goal_id" text:"id"`
	GoalIndex          *int            `json:"goal_index"`
	Status             string          `json:"status" text:"code"`
	Evaluation         string          `json:"evaluation" text:"short"`
	EvaluationDate     string          `json:"evaluation_date" text:"code"`
	MeetingID          string          `json:"meeting_id" text:"id"`
	Method             string          `json:"method" text:"id"`
	ResponsibleName    json.RawMessage `json:"responsible_name"`
	Overdue            json.RawMessage `json:"overdue"`
	TaskID             json.RawMessage `json:"task_id"`
}

func (in planRequest) input() app.PlanInput {
	out := app.PlanInput{Kind: in.Kind, WhatMatters: in.WhatMatters, Resources: in.Resources, Services: in.Services,
		EvaluationDates: in.EvaluationDates, Holder: in.Holder}
	for _, g := range in.Goals {
		out.Goals = append(out.Goals, app.GoalInput{ID: g.ID, Text: g.Text, Term: g.Term})
	}
	for _, m := range in.Measures {
		out.Measures = append(out.Measures, app.MeasureInput{ID: m.ID, Text: m.Text, Responsible: m.Responsible,
			ResponsibleService: m.ResponsibleService, Due: m.Due, GoalID: m.GoalID, GoalIndex: m.GoalIndex,
			Status: m.Status, Evaluation: m.Evaluation, EvaluationDate: m.EvaluationDate, MeetingID: m.MeetingID, Method: m.Method})
	}
	for _, r := range in.References {
		out.References = append(out.References, store.PlanReference(r))
	}
	return out
}

// writePlan answers with the plan and its ETag.
func writePlan(w http.ResponseWriter, status int, v *app.PlanView) {
	w.Header().Set("ETag", v.ETag)
	WriteJSON(w, status, planToJSON(v))
}

// createPlan answers 201 with the plan (id, version 1, ...) and its ETag.
func (h *API) createPlan(w http.ResponseWriter, r *http.Request) {
	var in planRequest
	if err := Decode(w, r, &in); err != nil {
		WriteError(w, err)
		return
	}
	v, err := h.app.CreatePlan(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), in.input())
	if err != nil {
		WriteError(w, err)
		return
	}
	w.Header().Set("Location", "/api/v1/plans/"+v.Plan.ID)
	writePlan(w, http.StatusCreated, v)
}

func (h *API) listCasePlans(w http.ResponseWriter, r *http.Request) {
	vs, err := h.app.ListCasePlans(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		WriteError(w, err)
		return
	}
	items := make([]planJSON, 0, len(vs))
	for _, v := range vs {
		items = append(items, planToJSON(v))
	}
	WriteJSON(w, http.StatusOK, map[string]any{"items": items, "next": ""})
}

func (h *API) getPlan(w http.ResponseWriter, r *http.Request) {
	v, err := h.app.GetPlan(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		WriteError(w, err)
		return
	}
	writePlan(w, http.StatusOK, v)
}

// updatePlan needs If-Match; the app answers 428 without it and 412 when
// it is stale.
func (h *API) updatePlan(w http.ResponseWriter, r *http.Request) {
	var in planRequest
	if err := Decode(w, r, &in); err != nil {
		WriteError(w, err)
		return
	}
	v, err := h.app.UpdatePlan(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), r.Header.Get("If-Match"), in.input())
	if err != nil {
		WriteError(w, err)
		return
	}
	writePlan(w, http.StatusOK, v)
}

// versionItemJSON is one version: who changed what, and the content then.
type versionItemJSON struct {
	Version         int             `json:"version"`
	ETag            string          `json:"etag"`
	Change          string          `json:"change"`
	ChangedAt       string          `json:"changed_at"`
	ChangedBy       string          `json:"changed_by"`
	ChangedByName   string          `json:"changed_by_name"`
	WhatMatters     string          `json:"what_matters"`
	Resources       string          `json:"resources"`
	Goals           []goalJSON      `json:"goals"`
	Measures        []measureJSON   `json:"measures"`
	Services        []string        `json:"services"`
	EvaluationDates []string        `json:"evaluation_dates"`
	References      []referenceJSON `json:"references"`
}

func versionItem(v app.PlanVersionView) versionItemJSON {
	var c planJSON
	c.contentFrom(v.Content, nil)
	out := versionItemJSON{Version: v.Version, ETag: app.PlanETag(v.Version), Change: v.Change,
		ChangedAt: timeJSON(v.ChangedAt), WhatMatters: c.WhatMatters, Resources: c.Resources, Goals: c.Goals,
		Measures: c.Measures, Services: c.Services, EvaluationDates: c.EvaluationDates, References: c.References}
	if v.ChangedBy != nil {
		out.ChangedBy, out.ChangedByName = v.ChangedBy.Username, v.ChangedBy.Name
	}
	return out
}

// planVersions answers {"items": [...], "next"}, oldest first.
func (h *API) planVersions(w http.ResponseWriter, r *http.Request) {
	cursor, limit, err := pageParams(r)
	if err != nil {
		WriteError(w, err)
		return
	}
	page, err := h.app.ListPlanVersions(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), cursor, limit)
	if err != nil {
		WriteError(w, err)
		return
	}
	items := make([]versionItemJSON, 0, len(page.Versions))
	for _, v := range page.Versions {
		items = append(items, versionItem(v))
	}
	WriteJSON(w, http.StatusOK, map[string]any{"items": items, "next": page.Next})
}

type fieldChangeJSON struct {
	Field string `json:"field"`
	From  string `json:"from"`
	To    string `json:"to"`
}

type itemChangeJSON struct {
	ID     string            `json:"id"`
	Text   string            `json:"text"`
	Fields []fieldChangeJSON `json:"fields,omitempty"`
}

type itemChangesJSON struct {
	Added   []itemChangeJSON `json:"added"`
	Removed []itemChangeJSON `json:"removed"`
	Changed []itemChangeJSON `json:"changed"`
}

func fieldsJSON(fs []app.FieldChange) []fieldChangeJSON {
	out := []fieldChangeJSON{}
	for _, f := range fs {
		out = append(out, fieldChangeJSON(f))
	}
	return out
}

func itemsJSON(c app.ItemChanges) itemChangesJSON {
	conv := func(items []app.ItemChange) []itemChangeJSON {
		out := []itemChangeJSON{}
		for _, it := range items {
			out = append(out, itemChangeJSON{ID: it.ID, Text: it.Text, Fields: fieldsJSON(it.Fields)})
		}
		return out
	}
	return itemChangesJSON{Added: conv(c.Added), Removed: conv(c.Removed), Changed: conv(c.Changed)}
}

// planDiff answers what changed from version ?from= to version ?to=.
func (h *API) planDiff(w http.ResponseWriter, r *http.Request) {
	from, err1 := versionParam(r, "from")
	to, err2 := versionParam(r, "to")
	if err1 != nil || err2 != nil {
		WriteError(w, samordna.Errorf(samordna.KindInvalid, "invalid_version", "from and to are version numbers"))
		return
	}
	d, err := h.app.DiffPlanVersions(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), from, to)
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusOK, map[string]any{
		"plan_id": d.PlanID, "from": d.From.Version, "to": d.To.Version,
		"fields": fieldsJSON(d.Fields), "goals": itemsJSON(d.Goals), "measures": itemsJSON(d.Measures),
	})
}

// planPDF answers the plan as application/pdf.
func (h *API) planPDF(w http.ResponseWriter, r *http.Request) {
	b, name, err := h.app.PlanPDF(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		WriteError(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `inline; filename="`+name+`"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
}

// versionParam reads an optional version number from the query (0 when
// absent).
func versionParam(r *http.Request, name string) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err == nil && n < 1 {
		err = strconv.ErrRange
	}
	return n, err
}

type handoverRequest struct {
	Username string `json:"username" text:"id"`
}

func (h *API) handOverPlan(w http.ResponseWriter, r *http.Request) {
	var in handoverRequest
	if err := Decode(w, r, &in); err != nil {
		WriteError(w, err)
		return
	}
	v, err := h.app.HandOverPlan(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), in.Username)
	if err != nil {
		WriteError(w, err)
		return
	}
	writePlan(w, http.StatusOK, v)
}

// acceptPlanHandover takes no body (an empty JSON object is accepted).
func (h *API) acceptPlanHandover(w http.ResponseWriter, r *http.Request) {
	if err := decodeOptional(w, r, &emptyRequest{}); err != nil {
		WriteError(w, err)
		return
	}
	v, err := h.app.AcceptPlanHandover(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		WriteError(w, err)
		return
	}
	writePlan(w, http.StatusOK, v)
}

type closePlanRequest struct {
	RequestedBy string `json:"requested_by" text:"name"`
	Reason      string `json:"reason" text:"short"`
}

func (h *API) closePlan(w http.ResponseWriter, r *http.Request) {
	var in closePlanRequest
	if err := Decode(w, r, &in); err != nil {
		WriteError(w, err)
		return
	}
	v, err := h.app.ClosePlan(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), in.RequestedBy, in.Reason)
	if err != nil {
		WriteError(w, err)
		return
	}
	writePlan(w, http.StatusOK, v)
}

type minutesRequest struct {
	MeetingID string `json:"meeting_id" text:"id"`
}

// addMinutesToPlan needs If-Match, as an update does.
func (h *API) addMinutesToPlan(w http.ResponseWriter, r *http.Request) {
	var in minutesRequest
	if err := Decode(w, r, &in); err != nil {
		WriteError(w, err)
		return
	}
	v, err := h.app.AddMinutesToPlan(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), in.MeetingID,
		r.Header.Get("If-Match"))
	if err != nil {
		WriteError(w, err)
		return
	}
	writePlan(w, http.StatusOK, v)
}
