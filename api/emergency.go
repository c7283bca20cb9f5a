package api

import (
	"net/http"

	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/reqctx"
)

func (h *API) emergencyRoutes() []Route {
	return []Route{
		{Method: "POST", Path: "/api/v1/cases/{id}/emergency-access", Access: "case:break_glass", Handler: h.breakGlass, Request: emergencyRequest{},
			Summary: "Emergency access (break the glass) for two hours: {\"reason_code\": life_or_health | " +
				"acute_child_welfare | other, \"reason\": at least 10 characters}. Needs the emergency_access role."},
		{Method: "GET", Path: "/api/v1/emergency-access/reviews", Access: "role:service_leader", Handler: h.emergencyReviews,
			Summary: "The emergency accesses the calling service leader reviews: who, which case, why, when."},
		{Method: "POST", Path: "/api/v1/emergency-access/{id}/review", Access: "emergency_access:review", Handler: h.reviewEmergency, Request: reviewRequest{},
			Summary: "Mark an emergency access reviewed: {\"note\"}."},
	}
}

// emergencyRequest is POST /api/v1/cases/{id}/emergency-access.
type emergencyRequest struct {
	ReasonCode string `json:"reason_code" text:"code"`
	Reason     string `json:"reason" text:"short,1000"`
}

func (h *API) breakGlass(w http.ResponseWriter, r *http.Request) {
	var in emergencyRequest
	if err := Decode(w, r, &in); err != nil {
		WriteError(w, err)
		return
	}
	x, err := h.app.BreakGlass(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), in.ReasonCode, in.Reason)
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusCreated, map[string]any{"id": x.ID, "case_id": x.CaseID,
		"granted_at": timeJSON(x.GrantedAt), "expires_at": timeJSON(x.ExpiresAt)})
}

type emergencyJSON struct {
	ID         string  `json:"id"`
	CaseID     string  `json:"case_id"`
	Username   string  `json:"username"`
	Name       string  `json:"name"`
	ReasonCode string  `json:"reason_code"`
	Reason     string  `json:"reason"`
	GrantedAt  string  `json:"granted_at"`
	ExpiresAt  string  `json:"expires_at"`
	Reviewed   bool    `json:"reviewed"`
	ReviewedAt *string `json:"reviewed_at"`
	ReviewedBy string  `json:"reviewed_by,omitempty"` // username
	ReviewNote string  `json:"review_note,omitempty"`
}

func emergencyToJSON(x *app.EmergencyAccess) emergencyJSON {
	return emergencyJSON{ID: x.ID, CaseID: x.CaseID, Username: x.Username, Name: x.Name, ReasonCode: x.ReasonCode,
		Reason: x.ReasonText, GrantedAt: timeJSON(x.GrantedAt), ExpiresAt: timeJSON(x.ExpiresAt),
		Reviewed: x.ReviewedAt != nil, ReviewedAt: optTime(x.ReviewedAt), ReviewedBy: x.ReviewerUsername,
		ReviewNote: x.ReviewNote}
}

func (h *API) emergencyReviews(w http.ResponseWriter, r *http.Request) {
	xs, err := h.app.EmergencyReviews(r.Context(), reqctx.Actor(r.Context()))
	if err != nil {
		WriteError(w, err)
		return
	}
	out := listJSON[emergencyJSON]{Items: []emergencyJSON{}}
	for _, x := range xs {
		out.Items = append(out.Items, emergencyToJSON(x))
	}
	WriteJSON(w, http.StatusOK, out)
}

// reviewRequest is POST /api/v1/emergency-access/{id}/review.
type reviewRequest struct {
	Note string `json:"note" text:"short,1000"`
}

func (h *API) reviewEmergency(w http.ResponseWriter, r *http.Request) {
	var in reviewRequest
	if err := Decode(w, r, &in); err != nil {
		WriteError(w, err)
		return
	}
	x, err := h.app.ReviewEmergencyAccess(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), in.Note)
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusOK, emergencyToJSON(x))
}
