package api

import (
	"net/http"

	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/reqctx"
)

// This file is the API of people leaving (issue 12): the administrator
// disables an employee and names who takes over what they held.

// leaveRoutes are the routes of disabling an employee.
func (h *API) leaveRoutes() []Route {
	return []Route{
		{Method: "POST", Path: "/api/v1/admin/employees/{id}/disable", Access: "role:admin", Handler: h.disableEmployee,
			Request: disableRequest{},
			Summary: "Disable an employee who leaves: {\"successor_id\"} (\"\" for the leader of the employee's service) → " +
				"200 {\"employee_id\", \"successor_id\", \"tasks\", \"coordinator_roles\", \"relay_logs\", " +
				"\"group_memberships\", \"team_memberships\", \"teams_led\", \"services_led\", \"sessions_ended\", " +
				"\"tokens_revoked\"}. Their sessions and tokens end at once. 400 successor_required, invalid_successor; " +
				"409 already_disabled."},
	}
}

type disableRequest struct {
	SuccessorID string `json:"successor_id" text:"id"`
}

// disableSummary is the answer of a disable: who, who took over, and the
// counts handed over.
type disableSummary struct {
	EmployeeID  string `json:"employee_id"`
	SuccessorID string `json:"successor_id"`
	app.HandoverCounts
	Sessions int64 `json:"sessions_ended"`
	Tokens   int64 `json:"tokens_revoked"`
}

func (h *API) disableEmployee(w http.ResponseWriter, r *http.Request) {
	var in disableRequest
	if err := Decode(w, r, &in); err != nil {
		WriteError(w, err)
		return
	}
	sum, err := h.app.DisableEmployee(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), in.SuccessorID)
	if err != nil {
		WriteError(w, err)
		return
	}
	out := disableSummary{EmployeeID: sum.Employee.ID, HandoverCounts: app.CountsOf(sum.Handover),
		Sessions: sum.Sessions, Tokens: sum.Tokens}
	if sum.Successor != nil {
		out.SuccessorID = sum.Successor.ID
	}
	WriteJSON(w, http.StatusOK, out)
}
