package api

import (
	"net/http"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/reqctx"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

func (h *API) concernRoutes() []Route {
	return []Route{
		{Method: "POST", Path: "/api/v1/concerns", Access: "role:employee", Handler: h.createConcern, Request: concernRequest{},
			Summary: "Register a concern or inquiry and start the routine: {\"situation\", \"anonymous\", \"subject\": " +
				"{\"fnr\", \"name\"} or {\"expected_due_date\", \"mother_fnr\", \"mother_name\"?}, \"description\", " +
				"\"routine\"? (default: the municipality's; lillehammer-oppdager), \"follows\"? (an anonymous case id), " +
				"\"problems\"? (any of substance_use, mental_illness: the duty to inform starts only for a pregnant " +
				"woman's substance use, and goes to a discoverer who is health personnel; anyone else gets the task " +
				"of involving health personnel)}. Unknown problem: 400 invalid_problem. " +
				"Anonymous with a valid fødselsnummer or D-nummer in the text: 422 identifying_data with field, start, end."},
		{Method: "GET", Path: "/api/v1/cases/{id}/routine", Access: "case:read", Handler: h.caseRoutine,
			Summary: "The case's routine: the version it follows, its tasks, what comes next, consultations, reports."},
		{Method: "GET", Path: "/api/v1/cases/{id}/consultations", Access: "case:read", Handler: h.listConsultations,
			Summary: "The case's consultations (drøftinger), oldest first."},
		{Method: "POST", Path: "/api/v1/cases/{id}/consultations", Access: "case:write", Handler: h.createConsultation, Request: consultationRequest{},
			Summary: "Record a consultation: {\"with\": colleague|leader|resource_group|team|coordinating_unit|specialist_department (the coordinating unit, KE, or the specialist department, fagavdeling, help find where to turn), \"mode\": anonymous|open, " +
				"\"consent_given\", \"team_id\"?, \"consent_id\"? (open with a team: a consent covering share_with_team for that team, else 422 consent_required), \"adviser\"? (username), \"adviser_name\"?, \"participants\"? (who took part besides the discoverer, seed 000: the discoverer should not be alone in the conversation), \"summary\"?, \"advice\", \"held_at\"?}."},
	}
}

type concernSubjectRequest struct {
	FNR             string `json:"fnr" text:"code"`
	Name            string `json:"name" text:"name"`
	ExpectedDueDate string `json:"expected_due_date" text:"code"`
	MotherFNR       string `json:"mother_fnr" text:"code"`
	MotherName      string `json:"mother_name" text:"name"`
}

type concernRequest struct {
	Situation   string                 `json:"situation" text:"code"`
	Anonymous   bool                   `json:"anonymous"`
	Subject     *concernSubjectRequest `json:"subject"`
	Description string                 `json:"description" text:"long"`
	Routine     string                 `json:"routine" text:"id"`
	Follows     string                 `json:"follows" text:"id"`
	Problems    []string               `json:"problems" text:"code"`
}

type concernResponse struct {
	ID             string         `json:"id"`
	CaseID         string         `json:"case_id"`
	Situation      string         `json:"situation"`
	Anonymous      bool           `json:"anonymous"`
	Origin         string         `json:"origin"`
	RoutineID      string         `json:"routine_id"`
	RoutineVersion int            `json:"routine_version"`
	Problems       []string       `json:"problems"`
	Tasks          []taskItemJSON `json:"tasks"`
}

// createConcern answers POST /api/v1/concerns.
func (h *API) createConcern(w http.ResponseWriter, r *http.Request) {
	var in concernRequest
	if err := Decode(w, r, &in); err != nil {
		WriteError(w, err)
		return
	}
	nc := app.NewConcern{Situation: pathway.Situation(in.Situation), Anonymous: in.Anonymous,
		Description: in.Description, Routine: in.Routine, Follows: in.Follows}
	for _, p := range in.Problems {
		nc.Problems = append(nc.Problems, pathway.Problem(p))
	}
	if in.Subject != nil {
		nc.Subject = &app.ConcernSubject{IDNumber: in.Subject.FNR, Name: in.Subject.Name,
			ExpectedDueDate: in.Subject.ExpectedDueDate, MotherIDNumber: in.Subject.MotherFNR, MotherName: in.Subject.MotherName}
	}
	c, err := h.app.RegisterConcern(r.Context(), reqctx.Actor(r.Context()), nc)
	if err != nil {
		writeDetailedError(w, err)
		return
	}
	out := concernResponse{ID: c.Concern.ID, CaseID: c.Case.ID, Situation: c.Concern.Situation, Anonymous: c.Case.Anonymous,
		Origin: string(c.Case.Origin), RoutineID: c.Case.RoutineID, RoutineVersion: c.Case.RoutineVersion,
		Problems: append([]string{}, c.Concern.Problems...), Tasks: []taskItemJSON{}}
	for _, t := range c.Tasks {
		out.Tasks = append(out.Tasks, taskItem(t))
	}
	WriteJSON(w, http.StatusCreated, out)
}

type caseRoutineJSON struct {
	CaseID        string             `json:"case_id"`
	Routine       *routineRefJSON    `json:"routine"`
	Tasks         []taskItemJSON     `json:"tasks"`
	Next          []stepJSON         `json:"next"`
	Consultations []consultationJSON `json:"consultations"`
	Reports       []reportJSON       `json:"reports"`
}

type routineRefJSON struct {
	ID      string `json:"id"`
	Version int    `json:"version"`
	Name    string `json:"name"`
}

// caseRoutine answers GET /api/v1/cases/{id}/routine.
func (h *API) caseRoutine(w http.ResponseWriter, r *http.Request) {
	v, err := h.app.CaseRoutine(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		WriteError(w, err)
		return
	}
	out := caseRoutineJSON{CaseID: v.Case.ID, Tasks: []taskItemJSON{}, Next: []stepJSON{},
		Consultations: []consultationJSON{}, Reports: []reportJSON{}}
	if v.Routine != nil {
		out.Routine = &routineRefJSON{ID: v.Routine.ID, Version: v.Routine.Version, Name: v.Routine.Name}
		full := routineToJSON(v.Routine)
		for _, s := range v.Next {
			for _, sj := range full.Steps {
				if sj.ID == s.ID {
					out.Next = append(out.Next, sj)
				}
			}
		}
	}
	for _, t := range v.Tasks {
		out.Tasks = append(out.Tasks, taskItem(t))
	}
	for _, k := range v.Consultations {
		out.Consultations = append(out.Consultations, consultationToJSON(k))
	}
	for _, rp := range v.Reports {
		out.Reports = append(out.Reports, reportToJSON(rp))
	}
	WriteJSON(w, http.StatusOK, out)
}

type consultationRequest struct {
	With         string `json:"with" text:"code"`
	Mode         string `json:"mode" text:"code"`
	ConsentGiven bool   `json:"consent_given"`
	TeamID       string `json:"team_id" text:"id"`
	ConsentID    string `json:"consent_id" text:"id"`
	Adviser      string `json:"adviser" text:"id"`
	AdviserName  string `json:"adviser_name" text:"name"`
	Participants string `json:"participants" text:"long,5000"`
	Summary      string `json:"summary" text:"long,5000"`
	Advice       string `json:"advice" text:"long,5000"`
	HeldAt       string `json:"held_at" text:"code"`
}

type consultationJSON struct {
	ID           string `json:"id"`
	CaseID       string `json:"case_id"`
	With         string `json:"with"`
	Mode         string `json:"mode"`
	ConsentGiven bool   `json:"consent_given"`
	TeamID       string `json:"team_id,omitempty"`
	AdviserName  string `json:"adviser_name"`
	Participants string `json:"participants"`
	Summary      string `json:"summary"`
	Advice       string `json:"advice"`
	HeldAt       string `json:"held_at"`
	RecordedAt   string `json:"recorded_at"`
}

func consultationToJSON(k *store.Consultation) consultationJSON {
	return consultationJSON{ID: k.ID, CaseID: k.CaseID, With: k.WithKind, Mode: k.Mode, ConsentGiven: k.ConsentGiven,
		TeamID: k.TeamID, AdviserName: k.AdviserName, Participants: k.Participants, Summary: k.Summary, Advice: k.Advice, HeldAt: rfc3339(k.HeldAt),
		RecordedAt: rfc3339(k.RecordedAt)}
}

type consultationResponse struct {
	consultationJSON
	Tasks []taskItemJSON `json:"tasks"`
}

// createConsultation answers POST /api/v1/cases/{id}/consultations.
func (h *API) createConsultation(w http.ResponseWriter, r *http.Request) {
	var in consultationRequest
	if err := Decode(w, r, &in); err != nil {
		WriteError(w, err)
		return
	}
	nc := app.NewConsultation{With: in.With, Mode: in.Mode, ConsentGiven: in.ConsentGiven, TeamID: in.TeamID,
		ConsentID: in.ConsentID, Adviser: in.Adviser, AdviserName: in.AdviserName, Participants: in.Participants, Summary: in.Summary, Advice: in.Advice}
	if in.HeldAt != "" {
		t, err := time.Parse(time.RFC3339, in.HeldAt)
		if err != nil {
			WriteError(w, samordna.Errorf(samordna.KindInvalid, "invalid_time", "held_at is an RFC 3339 time"))
			return
		}
		nc.HeldAt = t
	}
	k, started, err := h.app.RecordConsultation(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), nc)
	if err != nil {
		writeDetailedError(w, err)
		return
	}
	out := consultationResponse{consultationJSON: consultationToJSON(k), Tasks: []taskItemJSON{}}
	for _, t := range started {
		out.Tasks = append(out.Tasks, taskItem(t))
	}
	WriteJSON(w, http.StatusCreated, out)
}

// listConsultations answers GET /api/v1/cases/{id}/consultations.
func (h *API) listConsultations(w http.ResponseWriter, r *http.Request) {
	ks, err := h.app.Consultations(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		WriteError(w, err)
		return
	}
	out := struct {
		Items []consultationJSON `json:"items"`
		Next  string             `json:"next"`
	}{Items: []consultationJSON{}}
	for _, k := range ks {
		out.Items = append(out.Items, consultationToJSON(k))
	}
	WriteJSON(w, http.StatusOK, out)
}
