package api

import (
	"net/http"

	"github.com/samordna/samordna/internal/reqctx"
)

func (h *API) meRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/api/v1/me", Access: "authenticated", Handler: h.me},
	}
}

// meResponse is GET /api/v1/me.
type meResponse struct {
	Username string        `json:"username"`
	Name     string        `json:"name"`
	Roles    []string      `json:"roles"`
	Services []serviceJSON `json:"services"`
}

type serviceJSON struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Kind string `json:"kind"`
}

// me answers who the token belongs to. Any authenticated employee.
func (h *API) me(w http.ResponseWriter, r *http.Request) {
	e := reqctx.From(r.Context()).Employee
	out := meResponse{Username: e.Username, Name: e.Name, Roles: []string{}, Services: []serviceJSON{}}
	for _, role := range e.Roles {
		out.Roles = append(out.Roles, string(role))
	}
	for _, s := range e.Services {
		out.Services = append(out.Services, serviceJSON{ID: s.ID, Name: s.Name, Kind: string(s.Kind)})
	}
	WriteJSON(w, http.StatusOK, out)
}
