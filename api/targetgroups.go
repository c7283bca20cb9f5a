package api

import (
	"net/http"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/internal/reqctx"
)

// seed002Routes gathers the routes of seed 002's target groups, system
// issues and team report.
func (h *API) seed002Routes() []Route {
	return append(h.targetGroupRoutes(), h.systemIssueRoutes()...)
}

// targetGroupRoutes lists the target groups of seed 002 §2.3 and the
// classification of a case by them.
func (h *API) targetGroupRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/api/v1/target-groups", Access: "authenticated", Handler: h.listTargetGroups,
			Summary: "The target groups of seed 002 §2.3 (13 for children and youth, 10 for adults): " +
				"[{\"code\", \"age\": children|adults, \"name\": {\"nb\", \"nn\", \"en\"}, \"team\" (one of the nine " +
				"OST/TST groups, §4.1–4.2), \"services\": [service kinds that serve it, §3.1]}]."},
		{Method: "PUT", Path: "/api/v1/cases/{id}/target-groups", Access: "case:write", Handler: h.setCaseTargetGroups,
			Request: targetGroupsRequest{},
			Summary: "Classify the case: {\"codes\": [target group codes]} (at most 5; [] clears) → " +
				"{\"target_groups\": [{\"code\", \"name\"}]}. 400 invalid_target_group, too_many_target_groups; 409 case_closed."},
	}
}

// targetGroupNameJSON is a target group's name in the three languages.
type targetGroupNameJSON struct {
	NB string `json:"nb"`
	NN string `json:"nn"`
	EN string `json:"en"`
}

type targetGroupJSON struct {
	Code     string              `json:"code"`
	Age      string              `json:"age"`
	Name     targetGroupNameJSON `json:"name"`
	Team     bool                `json:"team"`
	Services []string            `json:"services"`
}

func (h *API) listTargetGroups(w http.ResponseWriter, r *http.Request) {
	out := []targetGroupJSON{}
	for _, g := range samordna.TargetGroups {
		x := targetGroupJSON{Code: g.Code, Age: string(g.Age), Name: targetGroupNameJSON{g.NB, g.NN, g.EN},
			Team: g.Team, Services: []string{}}
		for _, k := range g.Services {
			x.Services = append(x.Services, string(k))
		}
		out = append(out, x)
	}
	WriteJSON(w, http.StatusOK, out)
}

// targetGroupsRequest is PUT /api/v1/cases/{id}/target-groups.
type targetGroupsRequest struct {
	Codes []string `json:"codes" text:"code"`
}

// caseTargetGroupJSON is a target group on a case (bokmål name).
type caseTargetGroupJSON struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// targetGroupsJSON names the codes (bokmål).
func targetGroupsJSON(codes []string) []caseTargetGroupJSON {
	out := []caseTargetGroupJSON{}
	for _, c := range codes {
		g, _ := samordna.TargetGroupByCode(c)
		out = append(out, caseTargetGroupJSON{Code: c, Name: g.NB})
	}
	return out
}

func (h *API) setCaseTargetGroups(w http.ResponseWriter, r *http.Request) {
	var in targetGroupsRequest
	if err := Decode(w, r, &in); err != nil {
		WriteError(w, err)
		return
	}
	codes, err := h.app.SetCaseTargetGroups(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), in.Codes)
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusOK, map[string]any{"target_groups": targetGroupsJSON(codes)})
}
