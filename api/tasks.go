package api

import (
	"net/http"
	"strconv"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/reqctx"
	"github.com/samordna/samordna/store"
)

func (h *API) taskRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/api/v1/tasks", Access: "authenticated", Handler: h.listTasks,
			Summary: "Tasks the caller may see (on cases they may read, or assigned to them): open tasks first by due date, then done and cancelled ones. " +
				"?assigned=me, ?overdue=true, ?status=open|done|cancelled, ?case_id=, ?cursor=&limit=."},
		{Method: "GET", Path: "/api/v1/tasks/{id}", Access: "task:read", Handler: h.getTask,
			Summary: "One task with its routine step."},
		{Method: "POST", Path: "/api/v1/tasks/{id}/complete", Access: "task:complete", Handler: h.completeTask, Request: completeRequest{},
			Summary: "Complete a task as its assignee: optional {\"outcome\"}: one of the step's outcomes (e.g. given, " +
				"refused), or a free-text result for a step without outcomes; optional {\"records\": {\"conversation\", " +
				"\"children\", \"advice\", \"follow_up_need\"}} for the records the step asks for (seed 000). Returns " +
				"the task, the tasks it started and \"warnings\" (record_missing for each asked-for record left empty)."},
		{Method: "GET", Path: "/api/v1/notifications", Access: "authenticated", Handler: h.listNotifications,
			Summary: "The caller's notifications, unread first (?unread=true)."},
		{Method: "POST", Path: "/api/v1/notifications/{id}/read", Access: "notification:own", Handler: h.readNotification,
			Summary: "Mark one of the caller's notifications read."},
	}
}

type assigneeJSON struct {
	Kind     string `json:"kind"` // employee, role, team, service, group
	Username string `json:"username,omitempty"`
	Role     string `json:"role,omitempty"`
	TeamID   string `json:"team_id,omitempty"`
	Service  string `json:"service_id,omitempty"`
	Name     string `json:"name,omitempty"`
}

// taskItemJSON is a task in the API. responsible is the routine's role for
// the step (discoverer, child_welfare, ...); assignee says who exactly.
type taskItemJSON struct {
	ID             string       `json:"id"`
	CaseID         string       `json:"case_id"`
	Title          string       `json:"title"`
	Kind           string       `json:"kind"`
	DueAt          *string      `json:"due_at"`
	OverdueAfter   *string      `json:"overdue_after"`
	Overdue        bool         `json:"overdue"`
	Status         string       `json:"status"`
	Responsible    string       `json:"responsible"`
	Assignee       assigneeJSON `json:"assignee"`
	RoutineID      string       `json:"routine_id,omitempty"`
	RoutineVersion int          `json:"routine_version,omitempty"`
	StepID         string       `json:"step_id,omitempty"`
	Deadline       string       `json:"deadline,omitempty"`
	// DeadlineSource is whose deadline the task has: routine (the
	// routine's own), municipality (adopted by the municipality) or
	// proposed (Samordna's, not adopted); omitted when not recorded.
	DeadlineSource string   `json:"deadline_source,omitempty"`
	References     []string `json:"references,omitempty"`
	Offers         []string `json:"offers"`
	Outcomes       []string `json:"outcomes,omitempty"`
	Outcome        string   `json:"outcome,omitempty"`
	CompletedAt    *string  `json:"completed_at,omitempty"`
	StartedAt      string   `json:"started_at"`
	// Records are the step's records (pathway.Record) the assignee is asked
	// to write down on completion; RecordValues what was written, once done.
	Records      []string          `json:"records,omitempty"`
	RecordValues map[string]string `json:"record_values,omitempty"`
}

func taskItem(t *app.TaskView) taskItemJSON {
	out := taskItemJSON{ID: t.ID, CaseID: t.CaseID, Title: t.Title, Kind: t.Kind, DueAt: rfc3339Ptr(t.DueAt),
		OverdueAfter: rfc3339Ptr(t.OverdueAfter), Overdue: t.Overdue, Status: t.Status, Responsible: t.Responsible,
		RoutineID: t.RoutineID, RoutineVersion: t.RoutineVersion, StepID: t.StepID, Offers: []string{},
		Outcomes: t.Outcomes, Outcome: t.Outcome, CompletedAt: rfc3339Ptr(t.CompletedAt), StartedAt: rfc3339(t.StartedAt),
		Assignee: assigneeJSON{Kind: t.AssigneeKind, Name: t.AssigneeName}, DeadlineSource: t.DeadlineSource,
		RecordValues: t.Records}
	if t.Step != nil && t.Kind == store.TaskKindStep {
		for _, rec := range t.Step.Records {
			out.Records = append(out.Records, string(rec))
		}
	}
	switch t.AssigneeKind {
	case store.AssignEmployee:
		out.Assignee.Username = t.AssigneeUsername
	case store.AssignRole:
		out.Assignee.Role = t.Role
	case store.AssignTeam:
		out.Assignee.TeamID = t.TeamID
	case store.AssignService:
		out.Assignee.Service = t.ServiceID
	}
	if t.Step != nil {
		out.Deadline = t.Step.Deadline.String()
		out.References = t.Step.References
	}
	for _, o := range t.Offers {
		out.Offers = append(out.Offers, string(o))
	}
	return out
}

// boolParam reads a true/false query parameter.
func boolParam(r *http.Request, name string) (bool, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, samordna.Errorf(samordna.KindInvalid, "bad_"+name, "%s is true or false", name)
	}
	return b, nil
}

// listTasks answers GET /api/v1/tasks.
func (h *API) listTasks(w http.ResponseWriter, r *http.Request) {
	q := app.TaskQuery{Status: r.URL.Query().Get("status"), CaseID: r.URL.Query().Get("case_id"),
		Cursor: r.URL.Query().Get("cursor"), Limit: 100}
	switch r.URL.Query().Get("assigned") {
	case "":
	case "me":
		q.AssignedToMe = true
	default:
		WriteError(w, samordna.Errorf(samordna.KindInvalid, "bad_assigned", "assigned is \"me\""))
		return
	}
	var err error
	if q.Overdue, err = boolParam(r, "overdue"); err != nil {
		WriteError(w, err)
		return
	}
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			WriteError(w, samordna.Errorf(samordna.KindInvalid, "bad_limit", "limit is a number from 1 to 100"))
			return
		}
		q.Limit = n
	}
	list, err := h.app.ListTasks(r.Context(), reqctx.Actor(r.Context()), q)
	if err != nil {
		WriteError(w, err)
		return
	}
	out := struct {
		Items []taskItemJSON `json:"items"`
		Next  string         `json:"next"`
	}{Items: []taskItemJSON{}, Next: list.Next}
	for _, t := range list.Tasks {
		out.Items = append(out.Items, taskItem(t))
	}
	WriteJSON(w, http.StatusOK, out)
}

// getTask answers GET /api/v1/tasks/{id}.
func (h *API) getTask(w http.ResponseWriter, r *http.Request) {
	t, err := h.app.GetTask(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusOK, taskItem(t))
}

type completeRequest struct {
	Outcome string `json:"outcome" text:"short"`
	// Records is what the assignee writes down for the step's records
	// (see pathway.Record): only those the step asks for may be given.
	Records *recordsRequest `json:"records"`
}

// recordsRequest holds the step records a routine step can ask for (seed
// 000: the conversation, whether there are children, the advice given, the
// need for follow-up).
type recordsRequest struct {
	Conversation string `json:"conversation" text:"long,10000"`
	Children     string `json:"children" text:"long,10000"`
	Advice       string `json:"advice" text:"long,10000"`
	FollowUpNeed string `json:"follow_up_need" text:"long,10000"`
}

// recordMap returns the records given (non-empty), keyed by record.
func (r *recordsRequest) recordMap() map[string]string {
	if r == nil {
		return nil
	}
	out := map[string]string{}
	for k, v := range map[string]string{"conversation": r.Conversation, "children": r.Children, "advice": r.Advice,
		"follow_up_need": r.FollowUpNeed} {
		if v != "" {
			out[k] = v
		}
	}
	return out
}

// completeTask answers POST /api/v1/tasks/{id}/complete; the body is
// optional.
func (h *API) completeTask(w http.ResponseWriter, r *http.Request) {
	var in completeRequest
	if r.ContentLength != 0 {
		if err := Decode(w, r, &in); err != nil {
			WriteError(w, err)
			return
		}
	}
	done, started, warnings, err := h.app.CompleteTaskWithRecords(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"),
		in.Outcome, in.Records.recordMap())
	if err != nil {
		writeDetailedError(w, err)
		return
	}
	out := struct {
		taskItemJSON
		Started  []taskItemJSON `json:"started"`
		Warnings []warningJSON  `json:"warnings"`
	}{taskItemJSON: taskItem(done), Started: []taskItemJSON{}, Warnings: warningsJSON(warnings)}
	for _, t := range started {
		out.Started = append(out.Started, taskItem(t))
	}
	WriteJSON(w, http.StatusOK, out)
}

type notificationJSON struct {
	ID        string  `json:"id"`
	Kind      string  `json:"kind"`
	CaseID    string  `json:"case_id,omitempty"`
	TaskID    string  `json:"task_id,omitempty"`
	TaskTitle string  `json:"task_title,omitempty"`
	ReportID  string  `json:"report_id,omitempty"`
	CreatedAt string  `json:"created_at"`
	ReadAt    *string `json:"read_at"`
}

// listNotifications answers GET /api/v1/notifications.
func (h *API) listNotifications(w http.ResponseWriter, r *http.Request) {
	unread, err := boolParam(r, "unread")
	if err != nil {
		WriteError(w, err)
		return
	}
	ns, err := h.app.Notifications(r.Context(), reqctx.Actor(r.Context()), unread)
	if err != nil {
		WriteError(w, err)
		return
	}
	out := struct {
		Items []notificationJSON `json:"items"`
		Next  string             `json:"next"`
	}{Items: []notificationJSON{}}
	for _, n := range ns {
		out.Items = append(out.Items, notificationJSON{ID: n.ID, Kind: n.Kind, CaseID: n.CaseID, TaskID: n.TaskID,
			TaskTitle: n.TaskTitle, ReportID: n.ReportID, CreatedAt: rfc3339(n.CreatedAt), ReadAt: rfc3339Ptr(n.ReadAt)})
	}
	WriteJSON(w, http.StatusOK, out)
}

// readNotification answers POST /api/v1/notifications/{id}/read.
func (h *API) readNotification(w http.ResponseWriter, r *http.Request) {
	if err := h.app.MarkNotificationRead(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id")); err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusOK, map[string]string{"status": "read"})
}
