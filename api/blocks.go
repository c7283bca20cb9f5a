package api

import (
	"net/http"

	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/reqctx"
)

func (h *API) blockRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/api/v1/cases/{id}/blocks", Access: "case:block", Handler: h.listBlocks,
			Summary: "The case's bars (sperring) on named employees, active first."},
		{Method: "POST", Path: "/api/v1/cases/{id}/blocks", Access: "case:block", Handler: h.createBlock, Request: blockRequest{},
			Summary: "Bar a named employee from the case at the person's request: {\"username\", \"reason\"}."},
		{Method: "DELETE", Path: "/api/v1/cases/{id}/blocks/{blockId}", Access: "case:block", Handler: h.liftBlock, Request: emptyRequest{},
			Summary: "Lift a bar."},
		{Method: "POST", Path: "/api/v1/cases/{id}/blocks/{blockId}/lift", Access: "case:block", Handler: h.liftBlock, Request: emptyRequest{},
			Summary: "Lift a bar (the same as DELETE, for clients without DELETE)."},
	}
}

type blockJSON struct {
	ID        string  `json:"id"`
	Username  string  `json:"username"`
	Name      string  `json:"name"`
	Reason    string  `json:"reason"`
	Status    string  `json:"status"` // active or lifted
	CreatedAt string  `json:"created_at"`
	LiftedAt  *string `json:"lifted_at"`
}

func blockToJSON(b *app.Block) blockJSON {
	status := "active"
	if !b.Active() {
		status = "lifted"
	}
	return blockJSON{ID: b.ID, Username: b.Username, Name: b.Name, Reason: b.Reason, Status: status,
		CreatedAt: timeJSON(b.CreatedAt), LiftedAt: optTime(b.LiftedAt)}
}

func (h *API) listBlocks(w http.ResponseWriter, r *http.Request) {
	bs, err := h.app.CaseBlocks(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		WriteError(w, err)
		return
	}
	out := listJSON[blockJSON]{Items: []blockJSON{}}
	for _, b := range bs {
		out.Items = append(out.Items, blockToJSON(b))
	}
	WriteJSON(w, http.StatusOK, out)
}

// blockRequest is POST /api/v1/cases/{id}/blocks.
type blockRequest struct {
	Username string `json:"username" text:"id"`
	Reason   string `json:"reason" text:"short"`
}

func (h *API) createBlock(w http.ResponseWriter, r *http.Request) {
	var in blockRequest
	if err := Decode(w, r, &in); err != nil {
		WriteError(w, err)
		return
	}
	b, err := h.app.BlockEmployee(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), in.Username, in.Reason)
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusCreated, blockToJSON(b))
}

func (h *API) liftBlock(w http.ResponseWriter, r *http.Request) {
	if err := decodeOptional(w, r, &emptyRequest{}); err != nil {
		WriteError(w, err)
		return
	}
	b, err := h.app.LiftBlock(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), r.PathValue("blockId"))
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusOK, blockToJSON(b))
}
