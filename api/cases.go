package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/reqctx"
	"github.com/samordna/samordna/pathway"
)

// spineRoutes lists the security spine's endpoints: cases, consents and
// their forms, blocks, emergency access and the access log.
func (h *API) spineRoutes() []Route {
	var routes []Route
	routes = append(routes, h.caseRoutes()...)
	routes = append(routes, h.consentRoutes()...)
	routes = append(routes, h.blockRoutes()...)
	routes = append(routes, h.emergencyRoutes()...)
	return routes
}

func (h *API) caseRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/api/v1/cases", Access: "authenticated", Handler: h.listCases,
			Summary: "The cases the caller may read, most recently changed first (?cursor=&limit=)."},
		{Method: "GET", Path: "/api/v1/cases/{id}", Access: "case:read", Handler: h.getCase,
			Summary: "One case: subject, coordinator, tasks, consents, links and timeline."},
		{Method: "GET", Path: "/api/v1/cases/{id}/access-log", Access: "case:view_access_log", Handler: h.accessLog,
			Summary: "Who looked at, changed or was refused the case, newest first (?cursor=&limit=)."},
		{Method: "POST", Path: "/api/v1/cases/{id}/links", Access: "case:write", Handler: h.linkCases, Request: linkRequest{},
			Summary: "Link a case of the same family: {\"case_id\"}; needs write access to both cases."},
		{Method: "POST", Path: "/api/v1/cases/{id}/close", Access: "case:close", Handler: h.closeCase, Request: closeCaseRequest{},
			Summary: "Close the case: {\"reason\": follow_up_ended|moved|declined|died|other, \"note\"? (required for other)} → " +
				"{\"status\": \"closed\", \"closed_at\"}; open tasks end, the open group closes, planned meetings are cancelled; " +
				"the retention period counts from closed_at. 400 invalid_reason, close_note_required; 409 case_closed."},
		{Method: "POST", Path: "/api/v1/cases/{id}/reopen", Access: "case:reopen", Handler: h.reopenCase, Request: reopenCaseRequest{},
			Summary: "Reopen a closed case (the coordinating unit): {\"note\"} → {\"status\": \"open\"}. 400 reopen_note_required; " +
				"409 case_not_closed, retention_passed (the retention period has passed or the content was deleted)."},
	}
}

// closeCaseRequest is POST /api/v1/cases/{id}/close.
type closeCaseRequest struct {
	Reason string `json:"reason" text:"code"`
	Note   string `json:"note" text:"short"`
}

func (h *API) closeCase(w http.ResponseWriter, r *http.Request) {
	var in closeCaseRequest
	if err := Decode(w, r, &in); err != nil {
		WriteError(w, err)
		return
	}
	c, err := h.app.CloseCase(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), in.Reason, in.Note)
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusOK, map[string]any{"status": string(c.Status), "closed_at": optTime(c.ClosedAt)})
}

// reopenCaseRequest is POST /api/v1/cases/{id}/reopen.
type reopenCaseRequest struct {
	Note string `json:"note" text:"short"`
}

func (h *API) reopenCase(w http.ResponseWriter, r *http.Request) {
	var in reopenCaseRequest
	if err := Decode(w, r, &in); err != nil {
		WriteError(w, err)
		return
	}
	c, err := h.app.ReopenCase(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), in.Note)
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusOK, map[string]any{"status": string(c.Status)})
}

// timeJSON formats a time as RFC 3339 in UTC, to the second.
func timeJSON(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// optTime formats an optional time; nil stays nil (JSON null).
func optTime(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := timeJSON(*t)
	return &s
}

// lastDay turns an exclusive end instant (the first instant of the next
// day in Oslo) back into the last day it covers, YYYY-MM-DD.
func lastDay(end *time.Time) *string {
	if end == nil {
		return nil
	}
	s := end.Add(-time.Nanosecond).In(pathway.Oslo()).Format(time.DateOnly)
	return &s
}

// pageParams reads ?cursor= and ?limit= (1-100, default 100).
func pageParams(r *http.Request) (string, int, error) {
	limit := 100
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			return "", 0, samordna.Errorf(samordna.KindInvalid, "bad_limit", "limit is a number from 1 to 100")
		}
		limit = n
	}
	return r.URL.Query().Get("cursor"), limit, nil
}

type listSubjectJSON struct {
	Name      string `json:"name"`
	BirthDate string `json:"birth_date,omitempty"`
	DueDate   string `json:"due_date,omitempty"`
}

type caseItemJSON struct {
	ID        string           `json:"id"`
	Status    string           `json:"status"`
	Anonymous bool             `json:"anonymous"`
	Origin    string           `json:"origin"`
	Situation string           `json:"situation"`
	Title     string           `json:"title"`
	CreatedAt string           `json:"created_at"`
	UpdatedAt string           `json:"updated_at"`
	Subject   *listSubjectJSON `json:"subject,omitempty"`
}

type listJSON[T any] struct {
	Items []T    `json:"items"`
	Next  string `json:"next"`
}

// listCases answers GET /api/v1/cases: never the fødselsnummer in a list.
func (h *API) listCases(w http.ResponseWriter, r *http.Request) {
	cursor, limit, err := pageParams(r)
	if err != nil {
		WriteError(w, err)
		return
	}
	list, err := h.app.ListCases(r.Context(), reqctx.Actor(r.Context()), cursor, limit)
	if err != nil {
		WriteError(w, err)
		return
	}
	out := listJSON[caseItemJSON]{Items: []caseItemJSON{}, Next: list.Next}
	for _, it := range list.Items {
		c := it.Case
		j := caseItemJSON{ID: c.ID, Status: string(c.Status), Anonymous: c.Anonymous, Origin: string(c.Origin),
			Situation: c.Situation, Title: c.Title, CreatedAt: timeJSON(c.CreatedAt), UpdatedAt: timeJSON(c.UpdatedAt)}
		if p := it.Subject; p != nil {
			j.Subject = &listSubjectJSON{Name: p.Name, BirthDate: p.BirthDate, DueDate: p.DueDate}
		}
		out.Items = append(out.Items, j)
	}
	WriteJSON(w, http.StatusOK, out)
}

type subjectJSON struct {
	ID        string `json:"id"`
	FNR       string `json:"fnr"`
	Name      string `json:"name"`
	BirthDate string `json:"birth_date,omitempty"`
	DueDate   string `json:"due_date,omitempty"`
}

type employeeRefJSON struct {
	Username string `json:"username"`
	Name     string `json:"name"`
}

type coordinatorJSON struct {
	Username string `json:"username"`
	Name     string `json:"name"`
	Kind     string `json:"kind"`
	Status   string `json:"status"`
}

type taskJSON struct {
	ID          string  `json:"id"`
	Title       string  `json:"title"`
	DueAt       *string `json:"due_at"`
	Status      string  `json:"status"`
	Responsible string  `json:"responsible"`
}

type linkJSON struct {
	CaseID string `json:"case_id"`
	Kind   string `json:"kind"`
}

type eventJSON struct {
	At      string `json:"at"`
	Kind    string `json:"kind"`
	Actor   string `json:"actor"` // username
	RefType string `json:"ref_type,omitempty"`
	RefID   string `json:"ref_id,omitempty"`
}

type routineJSON struct {
	ID      string `json:"id"`
	Version int    `json:"version"`
}

type caseJSON struct {
	ID                string           `json:"id"`
	Status            string           `json:"status"`
	Anonymous         bool             `json:"anonymous"`
	Origin            string           `json:"origin"`
	Situation         string           `json:"situation"`
	Title             string           `json:"title"`
	CreatedAt         string           `json:"created_at"`
	UpdatedAt         string           `json:"updated_at"`
	ClosedAt          *string          `json:"closed_at"`
	RegisteredBy      employeeRefJSON  `json:"registered_by"`
	RegisteredService string           `json:"registered_service"`
	Routine           *routineJSON     `json:"routine"`
	Subject           *subjectJSON     `json:"subject,omitempty"`
	Coordinator       *coordinatorJSON `json:"coordinator"`
	Tasks             []taskJSON       `json:"tasks"`
	Consents          []consentJSON    `json:"consents"`
	Links             []linkJSON       `json:"links"`
	Timeline          []eventJSON      `json:"timeline"`
	AccessReason      string           `json:"access_reason"`
	// TargetGroups: the case's target groups (seed 002 §2.3).
	TargetGroups []caseTargetGroupJSON `json:"target_groups"`
}

// getCase answers GET /api/v1/cases/{id}.
func (h *API) getCase(w http.ResponseWriter, r *http.Request) {
	v, err := h.app.GetCase(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusOK, caseToJSON(v))
}

func caseToJSON(v *app.CaseView) caseJSON {
	c := v.Case
	out := caseJSON{ID: c.ID, Status: string(c.Status), Anonymous: c.Anonymous, Origin: string(c.Origin),
		Situation: c.Situation, Title: c.Title, CreatedAt: timeJSON(c.CreatedAt), UpdatedAt: timeJSON(c.UpdatedAt),
		ClosedAt:          optTime(c.ClosedAt),
		RegisteredBy:      employeeRefJSON{Username: v.RegisteredBy.Username, Name: v.RegisteredBy.Name},
		RegisteredService: v.RegisteredService, AccessReason: string(v.Reason),
		Tasks: []taskJSON{}, Consents: []consentJSON{}, Links: []linkJSON{}, Timeline: []eventJSON{},
		TargetGroups: targetGroupsJSON(v.TargetGroups)}
	if c.RoutineID != "" {
		out.Routine = &routineJSON{ID: c.RoutineID, Version: c.RoutineVersion}
	}
	if p := v.Subject; p != nil {
		out.Subject = &subjectJSON{ID: p.ID, FNR: p.IDNumber, Name: p.Name, BirthDate: p.BirthDate, DueDate: p.DueDate}
	}
	if k := v.Coordinator; k != nil {
		out.Coordinator = &coordinatorJSON{Username: k.Username, Name: k.Name, Kind: k.Kind, Status: k.Status}
	}
	for _, t := range v.Tasks {
		out.Tasks = append(out.Tasks, taskJSON{ID: t.ID, Title: t.Title, DueAt: optTime(t.DueAt), Status: t.Status,
			Responsible: t.Responsible})
	}
	for _, cs := range v.Consents {
		out.Consents = append(out.Consents, consentToJSON(cs))
	}
	for _, l := range v.Links {
		out.Links = append(out.Links, linkJSON{CaseID: l.CaseID, Kind: string(l.Kind)})
	}
	for _, ev := range v.Events {
		out.Timeline = append(out.Timeline, eventJSON{At: timeJSON(ev.At), Kind: ev.Kind,
			Actor: v.People[ev.ActorID].Username, RefType: ev.RefType, RefID: ev.RefID})
	}
	return out
}

type accessLogItemJSON struct {
	At       string `json:"at"`
	Username string `json:"username"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	Service  string `json:"service"`
	Action   string `json:"action"`
	Outcome  string `json:"outcome"`
	Purpose  string `json:"purpose"`
}

// accessLog answers GET /api/v1/cases/{id}/access-log.
func (h *API) accessLog(w http.ResponseWriter, r *http.Request) {
	cursor, limit, err := pageParams(r)
	if err != nil {
		WriteError(w, err)
		return
	}
	page, err := h.app.CaseAccessLog(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), cursor, limit)
	if err != nil {
		WriteError(w, err)
		return
	}
	out := listJSON[accessLogItemJSON]{Items: []accessLogItemJSON{}, Next: page.Next}
	for _, x := range page.Items {
		out.Items = append(out.Items, accessLogItemJSON{At: timeJSON(x.At), Username: x.Username, Name: x.Name,
			Role: x.Role, Service: x.Service, Action: x.Action, Outcome: x.Outcome, Purpose: x.Purpose})
	}
	WriteJSON(w, http.StatusOK, out)
}

// linkRequest is POST /api/v1/cases/{id}/links.
type linkRequest struct {
	CaseID string `json:"case_id" text:"id"`
}

// linkCases links two cases of one family.
func (h *API) linkCases(w http.ResponseWriter, r *http.Request) {
	var in linkRequest
	if err := Decode(w, r, &in); err != nil {
		WriteError(w, err)
		return
	}
	if err := h.app.LinkFamilyCases(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), in.CaseID); err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusCreated, linkJSON{CaseID: in.CaseID, Kind: string(samordna.LinkFamily)})
}
