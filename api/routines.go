package api

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/reqctx"
	"github.com/samordna/samordna/pathway"
)

// routineRoutes lists the discoverer's routine: routines, concerns,
// consultations, tasks, reports and notifications.
func (h *API) routineRoutes() []Route {
	var routes []Route
	routes = append(routes,
		Route{Method: "GET", Path: "/api/v1/routines", Access: "authenticated", Handler: h.listRoutines,
			Summary: "The municipality's routines, latest version of each, with every step. A step started by " +
				"several situations has them comma-joined in \"situation\" and listed in \"situations\"; a step " +
				"started by an event has \"situation\": \"\" and \"event\"."},
		Route{Method: "GET", Path: "/api/v1/routines/{id}", Access: "authenticated", Handler: h.getRoutine,
			Summary: "One routine (?version=N for an older version) with its versions."},
		Route{Method: "POST", Path: "/api/v1/routines", Access: "role:admin", Handler: h.uploadRoutine, Request: uploadRoutineRequest{},
			Summary: "Upload a new routine version: {\"file_name\", \"document\": \"<YAML>\"}. Problems give 422 " +
				"invalid_routine with each problem's line."},
	)
	routes = append(routes, h.concernRoutes()...)
	routes = append(routes, h.taskRoutes()...)
	routes = append(routes, h.reportRoutes()...)
	routes = append(routes, h.dutyRoutes()...)
	routes = append(routes, h.deadlineRoutes()...)
	return routes
}

// rfc3339 formats a time as RFC 3339 in UTC, to the second.
func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// rfc3339Ptr formats an optional time; nil stays nil (JSON null).
func rfc3339Ptr(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := rfc3339(*t)
	return &s
}

type routineDocJSON struct {
	ID           string     `json:"id"`
	Version      int        `json:"version"`
	Name         string     `json:"name"`
	Municipality string     `json:"municipality"`
	Source       string     `json:"source,omitempty"`
	ValidFrom    string     `json:"valid_from,omitempty"` // YYYY-MM-DD
	Revised      string     `json:"revised,omitempty"`    // YYYY-MM or YYYY-MM-DD
	Owner        string     `json:"owner,omitempty"`      // the unit responsible for the routine
	Versions     []int      `json:"versions,omitempty"`
	Steps        []stepJSON `json:"steps"`
}

type stepJSON struct {
	ID              string              `json:"id"`
	Situation       string              `json:"situation"`
	Situations      []string            `json:"situations"`
	Event           string              `json:"event,omitempty"`
	SituationText   string              `json:"situation_text,omitempty"`
	Action          string              `json:"action"`
	Responsible     string              `json:"responsible"`
	ResponsibleText string              `json:"responsible_text,omitempty"`
	Deadline        string              `json:"deadline"`
	DeadlineText    string              `json:"deadline_text,omitempty"`
	WorkingDays     bool                `json:"working_days"`
	References      []string            `json:"references"`
	Next            []string            `json:"next"`
	Outcomes        map[string][]string `json:"outcomes,omitempty"`
	Offers          []string            `json:"offers"`
	// Title is Samordna's short title for the step's task, when the
	// action's first line makes none.
	Title string `json:"title,omitempty"`
	// DoneWhen are the events that end the step's task because its work is
	// done; Problems limit the step to concerns that record one of them.
	DoneWhen []string `json:"done_when"`
	Problems []string `json:"problems"`
}

// routineToJSON describes a routine. Deadlines are "immediately", an ISO
// 8601 duration ("P1W"), a range "P3M/P6M" (due at the first, overdue after
// the second) or "per_plan".
func routineToJSON(r *pathway.Routine) routineDocJSON {
	out := routineDocJSON{ID: r.ID, Version: r.Version, Name: r.Name, Municipality: r.Municipality, Source: r.Source,
		ValidFrom: r.ValidFrom, Revised: r.Revised, Owner: r.Owner, Steps: []stepJSON{}}
	for _, s := range r.Steps {
		sj := stepJSON{ID: s.ID, Situations: []string{}, Event: string(s.Event), SituationText: s.SituationText,
			Action: s.Action, Responsible: string(s.Responsible), ResponsibleText: s.ResponsibleText,
			Deadline: s.Deadline.String(), DeadlineText: s.DeadlineText, WorkingDays: s.WorkingDays,
			References: append([]string{}, s.References...), Next: append([]string{}, s.Next...),
			Outcomes: s.Outcomes, Offers: []string{}, Title: s.Title, DoneWhen: []string{}, Problems: []string{}}
		for _, e := range s.DoneWhen {
			sj.DoneWhen = append(sj.DoneWhen, string(e))
		}
		for _, p := range s.Problems {
			sj.Problems = append(sj.Problems, string(p))
		}
		for _, sit := range s.Situations {
			sj.Situations = append(sj.Situations, string(sit))
		}
		sj.Situation = strings.Join(sj.Situations, ",")
		for _, o := range s.Offers {
			sj.Offers = append(sj.Offers, string(o))
		}
		out.Steps = append(out.Steps, sj)
	}
	return out
}

// listRoutines answers GET /api/v1/routines with a JSON array (docs/API.md).
func (h *API) listRoutines(w http.ResponseWriter, r *http.Request) {
	all, err := h.app.ListRoutines(r.Context())
	if err != nil {
		WriteError(w, err)
		return
	}
	out := make([]routineDocJSON, 0, len(all))
	for _, rt := range all {
		out = append(out, routineToJSON(rt))
	}
	WriteJSON(w, http.StatusOK, out)
}

// getRoutine answers GET /api/v1/routines/{id}?version=N.
func (h *API) getRoutine(w http.ResponseWriter, r *http.Request) {
	version := 0
	if v := r.URL.Query().Get("version"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			WriteError(w, samordna.Errorf(samordna.KindInvalid, "bad_version", "version is a whole number from 1"))
			return
		}
		version = n
	}
	rt, err := h.app.GetRoutine(r.Context(), r.PathValue("id"), version)
	if err != nil {
		WriteError(w, err)
		return
	}
	out := routineToJSON(rt)
	out.Versions = h.app.RoutineVersions(rt.ID)
	WriteJSON(w, http.StatusOK, out)
}

type uploadRoutineRequest struct {
	FileName string `json:"file_name" text:"name"`
	Document string `json:"document" text:"document"`
}

// uploadRoutine answers POST /api/v1/routines (administrator).
func (h *API) uploadRoutine(w http.ResponseWriter, r *http.Request) {
	var in uploadRoutineRequest
	if err := Decode(w, r, &in); err != nil {
		WriteError(w, err)
		return
	}
	rt, err := h.app.UploadRoutine(r.Context(), reqctx.Actor(r.Context()), in.FileName, []byte(in.Document))
	if err != nil {
		writeDetailedError(w, err)
		return
	}
	WriteJSON(w, http.StatusCreated, routineToJSON(rt))
}

// detailedError is the error shape with the details some rules give: the
// field and characters of identifying data, or a routine's problems with
// their lines. It adds to the common {"error": {"code", "message"}}.
type detailedError struct {
	Error struct {
		Code     string        `json:"code"`
		Message  string        `json:"message"`
		Field    string        `json:"field,omitempty"`
		Start    *int          `json:"start,omitempty"`
		End      *int          `json:"end,omitempty"`
		Problems []problemJSON `json:"problems,omitempty"`
	} `json:"error"`
}

type problemJSON struct {
	Line    int    `json:"line"`
	Message string `json:"message"`
}

// writeDetailedError writes err with its details when it has any.
func writeDetailedError(w http.ResponseWriter, err error) {
	var idErr *app.IdentifyingDataError
	var rtErr *app.RoutineError
	var body detailedError
	switch {
	case errors.As(err, &idErr):
		body.Error.Field, body.Error.Start, body.Error.End = idErr.Field, &idErr.Start, &idErr.End
	case errors.As(err, &rtErr):
		for _, p := range rtErr.Problems {
			body.Error.Problems = append(body.Error.Problems, problemJSON{Line: p.Line, Message: p.Message})
		}
	default:
		WriteError(w, err)
		return
	}
	body.Error.Code, body.Error.Message = samordna.ErrorCode(err), err.Error()
	var se *samordna.Error
	if errors.As(err, &se) {
		body.Error.Message = se.Message
	}
	WriteJSON(w, samordna.HTTPStatus(err), body)
}
