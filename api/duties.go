package api

import (
	"net/http"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/reqctx"
	"github.com/samordna/samordna/store"
)

// dutyRoutes are the endpoints that let whoever a routine makes
// responsible do the step (issue 11): the coordinator role taken by the
// routine (Ulstein row 6), deviations registered by hand (row 9) and the
// assessment of a drug test (row 6).
func (h *API) dutyRoutes() []Route {
	return []Route{
		{Method: "POST", Path: "/api/v1/cases/{id}/coordinator/by-routine", Access: "case:coordinate_by_routine",
			Handler: h.takeCoordinationByRoutine, Request: emptyRequest{},
			Summary: "Take the coordinator role because the case's routine makes the caller's service responsible for " +
				"setting up the responsibility group (Ulstein row 6: child welfare, with the case and the step open). " +
				"→ 201 {\"username\", \"name\", \"kind\", \"status\": \"accepted\", \"basis\"}. Anyone else: 404. " +
				"A case with a coordinator: 409 coordinator_exists. The group still needs written consent."},
		{Method: "GET", Path: "/api/v1/cases/{id}/deviations", Access: "case:read", Handler: h.listDeviations,
			Summary: "The case's deviations (avvik), oldest first: {\"items\": [{\"id\", \"kind\" (plan_deadline_missed " +
				"or manual), \"task_id\", \"description\", \"reported_by\", \"detected_at\", \"revision_task_id\"}], \"next\"}."},
		{Method: "POST", Path: "/api/v1/cases/{id}/deviations", Access: "case:write", Handler: h.registerDeviation, Request: deviationRequest{},
			Summary: "Register a deviation by hand (Ulstein row 9, \"manglende oppfølging\"): {\"description\", " +
				"\"task_id\"? (default: the open follow-up of the plan)} → 201 with the revision task the routine " +
				"starts. 400 description_required; 422 unknown_task, task_required."},
		{Method: "POST", Path: "/api/v1/cases/{id}/drug-test-assessments", Access: "case:write", Handler: h.assessDrugTest, Request: drugTestRequest{},
			Summary: "Record the assessment of a drug test on the step that asks for it (Ulstein row 6, \"Vurdere " +
				"rustesting\"): {\"decision\": \"test\" or \"no_test\", \"reason\"} → 201. 400 invalid_decision, " +
				"reason_required; 422 no_drug_test_step, not_assignee."},
		{Method: "GET", Path: "/api/v1/cases/{id}/acute-contacts", Access: "case:read", Handler: h.listAcuteContacts,
			Summary: "Whom was contacted in an acute situation, and when, in that order: {\"items\": [{\"id\", " +
				"\"contacted\", \"contacted_at\", \"note\", \"recorded_by\", \"recorded_at\"}]}."},
		{Method: "POST", Path: "/api/v1/cases/{id}/acute-contacts", Access: "case:write", Handler: h.recordAcuteContact, Request: acuteContactRequest{},
			Summary: "Record a contact made in a serious, acute situation (seed 000 situation 5: \"barnevern, politi, " +
				"tjenesteområde psykisk helsearbeid og rusomsorg eller andre ansvarlige instanser/personer kontaktes\"; " +
				"seed 003 row 10): {\"contacted\": police, emergency_room, child_welfare_on_duty, child_welfare, " +
				"mental_health_substance or other, \"contacted_at\"? (RFC 3339, default now), \"note\"? (required " +
				"for other)} → 201. 400 invalid_contacted, note_required, contacted_in_future, invalid_time."},
	}
}

type acuteContactRequest struct {
	Contacted   string `json:"contacted" text:"code"`
	ContactedAt string `json:"contacted_at" text:"code"`
	Note        string `json:"note" text:"long,2000"`
}

func acuteContactToJSON(k *store.AcuteContact) map[string]any {
	return map[string]any{"id": k.ID, "contacted": k.Contacted, "contacted_at": rfc3339(k.ContactedAt), "note": k.Note,
		"recorded_by": k.RecorderName, "recorded_at": rfc3339(k.RecordedAt)}
}

func (h *API) recordAcuteContact(w http.ResponseWriter, r *http.Request) {
	var in acuteContactRequest
	if err := Decode(w, r, &in); err != nil {
		WriteError(w, err)
		return
	}
	var at time.Time
	if in.ContactedAt != "" {
		var err error
		if at, err = time.Parse(time.RFC3339, in.ContactedAt); err != nil {
			WriteError(w, samordna.Errorf(samordna.KindInvalid, "invalid_time", "contacted_at is an RFC 3339 time"))
			return
		}
	}
	k, err := h.app.RecordAcuteContact(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"),
		app.NewAcuteContact{Contacted: in.Contacted, ContactedAt: at, Note: in.Note})
	if err != nil {
		writeDetailedError(w, err)
		return
	}
	WriteJSON(w, http.StatusCreated, acuteContactToJSON(k))
}

func (h *API) listAcuteContacts(w http.ResponseWriter, r *http.Request) {
	ks, err := h.app.AcuteContacts(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		WriteError(w, err)
		return
	}
	items := []map[string]any{}
	for _, k := range ks {
		items = append(items, acuteContactToJSON(k))
	}
	WriteJSON(w, http.StatusOK, map[string]any{"items": items})
}

func (h *API) takeCoordinationByRoutine(w http.ResponseWriter, r *http.Request) {
	if err := decodeOptional(w, r, &emptyRequest{}); err != nil {
		WriteError(w, err)
		return
	}
	k, err := h.app.TakeCoordinationByRoutine(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusCreated, map[string]any{"username": k.Username, "name": k.Name, "kind": k.Kind,
		"status": k.Status, "basis": "routine"})
}

type deviationJSON struct {
	ID             string `json:"id"`
	Kind           string `json:"kind"`
	TaskID         string `json:"task_id"`
	Description    string `json:"description"`
	ReportedBy     string `json:"reported_by"`
	DetectedAt     string `json:"detected_at"`
	RevisionTaskID string `json:"revision_task_id"`
}

func deviationToJSON(d *store.Deviation) deviationJSON {
	return deviationJSON{ID: d.ID, Kind: d.Kind, TaskID: d.TaskID, Description: d.Description,
		ReportedBy: d.ReportedBy, DetectedAt: rfc3339(d.DetectedAt), RevisionTaskID: d.RevisionTaskID}
}

func (h *API) listDeviations(w http.ResponseWriter, r *http.Request) {
	ds, err := h.app.Deviations(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		WriteError(w, err)
		return
	}
	out := struct {
		Items []deviationJSON `json:"items"`
		Next  string          `json:"next"`
	}{Items: []deviationJSON{}}
	for _, d := range ds {
		if len(out.Items) == 100 {
			break
		}
		out.Items = append(out.Items, deviationToJSON(d))
	}
	WriteJSON(w, http.StatusOK, out)
}

type deviationRequest struct {
	Description string `json:"description" text:"long"`
	TaskID      string `json:"task_id" text:"id"`
}

func (h *API) registerDeviation(w http.ResponseWriter, r *http.Request) {
	var in deviationRequest
	if err := Decode(w, r, &in); err != nil {
		WriteError(w, err)
		return
	}
	d, err := h.app.RegisterDeviation(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"),
		app.NewDeviation{Description: in.Description, TaskID: in.TaskID})
	if err != nil {
		writeDetailedError(w, err)
		return
	}
	WriteJSON(w, http.StatusCreated, deviationToJSON(d))
}

type drugTestRequest struct {
	Decision string `json:"decision" text:"code"`
	Reason   string `json:"reason" text:"short"`
}

func (h *API) assessDrugTest(w http.ResponseWriter, r *http.Request) {
	var in drugTestRequest
	if err := Decode(w, r, &in); err != nil {
		WriteError(w, err)
		return
	}
	d, err := h.app.RecordDrugTestAssessment(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), in.Decision, in.Reason)
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusCreated, map[string]any{"id": d.ID, "task_id": d.TaskID, "decision": d.Decision,
		"reason": d.Reason, "assessed_by": d.AssessorName, "assessed_at": rfc3339(d.AssessedAt)})
}

type adoptionJSON struct {
	Version     int    `json:"version"`
	Deadline    string `json:"deadline"`
	WorkingDays bool   `json:"working_days"`
	Note        string `json:"note"`
	AdoptedAt   string `json:"adopted_at"`
	AdoptedBy   string `json:"adopted_by"` // the administrator's name; "" from the command line
}

func adoptionToJSON(d *store.DeadlineAdoption) *adoptionJSON {
	if d == nil {
		return nil
	}
	return &adoptionJSON{Version: d.Version, Deadline: d.Deadline, WorkingDays: d.WorkingDays, Note: d.Note,
		AdoptedAt: rfc3339(d.AdoptedAt), AdoptedBy: d.AdoptedByName}
}

type deadlineRowJSON struct {
	RoutineID    string          `json:"routine_id"`
	StepID       string          `json:"step_id"`
	Title        string          `json:"title"`
	Proposed     string          `json:"proposed"`
	ProposedText string          `json:"proposed_text"`
	WorkingDays  bool            `json:"working_days"`
	Source       string          `json:"source"`
	Current      *adoptionJSON   `json:"current"`
	History      []*adoptionJSON `json:"history"`
}

// deadlineRoutes are the municipality's adopted deadlines (issue 11, rule 9).
func (h *API) deadlineRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/api/v1/deadlines", Access: "authenticated", Handler: h.listDeadlines,
			Summary: "The deadlines the municipality adopts: each routine step whose deadline the routine does not give " +
				"(\"Lokal frist\") and the limits immediate_grace and acute_acknowledge (routine_id \"\"): {\"items\": " +
				"[{\"routine_id\", \"step_id\", \"title\", \"proposed\", \"proposed_text\", \"working_days\", \"source\": " +
				"\"municipality\" or \"proposed\", \"current\": {\"version\", \"deadline\", \"working_days\", \"note\", " +
				"\"adopted_at\", \"adopted_by\"} or null, \"history\": [...]}], \"next\"}."},
		{Method: "POST", Path: "/api/v1/deadlines", Access: "role:admin", Handler: h.adoptDeadline, Request: deadlineRequest{},
			Summary: "The administrator adopts or changes a deadline as a new version: {\"routine_id\", \"step_id\", " +
				"\"deadline\" (P5D, P1W, P1M, P3M/P6M, immediately; a limit PT1H or PT30M), \"working_days\", \"note\"} → 201 " +
				"the version. New tasks follow it. 400 unknown_routine, unknown_step, invalid_deadline; 422 deadline_not_local."},
	}
}

func (h *API) listDeadlines(w http.ResponseWriter, r *http.Request) {
	rows, err := h.app.MunicipalDeadlines(r.Context(), reqctx.Actor(r.Context()))
	if err != nil {
		WriteError(w, err)
		return
	}
	out := struct {
		Items []deadlineRowJSON `json:"items"`
		Next  string            `json:"next"`
	}{Items: []deadlineRowJSON{}}
	for _, x := range rows {
		j := deadlineRowJSON{RoutineID: x.RoutineID, StepID: x.StepID, Title: x.Title, Proposed: x.Proposed,
			ProposedText: x.ProposedText, WorkingDays: x.WorkingDays, Source: store.DeadlineProposed,
			Current: adoptionToJSON(x.Current), History: []*adoptionJSON{}}
		if x.Current != nil {
			j.Source = store.DeadlineMunicipality
		}
		for _, d := range x.History {
			j.History = append(j.History, adoptionToJSON(d))
		}
		out.Items = append(out.Items, j)
	}
	WriteJSON(w, http.StatusOK, out)
}

type deadlineRequest struct {
	RoutineID   string `json:"routine_id" text:"id"`
	StepID      string `json:"step_id" text:"id"`
	Deadline    string `json:"deadline" text:"code"`
	WorkingDays bool   `json:"working_days"`
	Note        string `json:"note" text:"short"`
}

func (h *API) adoptDeadline(w http.ResponseWriter, r *http.Request) {
	var in deadlineRequest
	if err := Decode(w, r, &in); err != nil {
		WriteError(w, err)
		return
	}
	d, err := h.app.AdoptDeadline(r.Context(), reqctx.Actor(r.Context()), app.DeadlineChange{RoutineID: in.RoutineID,
		StepID: in.StepID, Deadline: in.Deadline, WorkingDays: in.WorkingDays, Note: in.Note})
	if err != nil {
		WriteError(w, err)
		return
	}
	out := adoptionToJSON(d)
	WriteJSON(w, http.StatusCreated, map[string]any{"routine_id": d.RoutineID, "step_id": d.StepID,
		"version": out.Version, "deadline": out.Deadline, "working_days": out.WorkingDays, "note": out.Note,
		"adopted_at": out.AdoptedAt, "adopted_by": out.AdoptedBy})
}
