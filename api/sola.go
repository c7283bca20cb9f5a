package api

import (
	"net/http"
	"strconv"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/reqctx"
	"github.com/samordna/samordna/store"
)

// This file is the API of seed 001 (Sola, "Når barn er pårørende"):
// children as next of kin in adult services (hlspl § 10a) with each
// service's barneansvarlig, FIT feedback in a case, user surveys and the
// methods catalogue.

func (h *API) solaRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/api/v1/cases/{id}/next-of-kin", Access: "case:read", Handler: h.getNextOfKin,
			Summary: "Children as next of kin (hlspl § 10a, seed 001): {\"asks\" (the case is an adult service's, about " +
				"an adult), \"answer\" (children, no_children or null), \"answered_by\", \"answered_at\", " +
				"\"barneansvarlig\", \"children\": [{\"id\", \"name\", \"birth_date\", \"situation\", \"information\", " +
				"\"follow_up\", \"informed_by\", \"outcome\" (\"\", case, no_case), \"linked_case_id\", \"basis\", " +
				"\"no_case_reason\"}]}."},
		{Method: "POST", Path: "/api/v1/cases/{id}/next-of-kin", Access: "case:write", Handler: h.answerNextOfKin,
			Request: nextOfKinAnswerRequest{},
			Summary: "Answer whether the person has children under 18: {\"answer\": children or no_children} → 200 " +
				"the view. The next-of-kin task closes when answered and every child has an outcome. 400 " +
				"invalid_answer; 409 children_recorded."},
		{Method: "POST", Path: "/api/v1/cases/{id}/next-of-kin/children", Access: "case:write", Handler: h.addChild,
			Request: childRequest{},
			Summary: "Record a child under 18 of the person: {\"name\", \"id_number\"?, \"birth_date\"?, \"situation\", " +
				"\"information\", \"follow_up\", \"informed_by\"? (username)} → 201. 400 name_required, not_a_minor, " +
				"invalid_id_number, invalid_date, unknown_employee, text_too_long."},
		{Method: "POST", Path: "/api/v1/next-of-kin-children/{id}", Access: "child_next_of_kin:write", Handler: h.updateChild,
			Request: childUpdateRequest{},
			Summary: "Update a child and record what became of them: {\"situation\", \"information\", \"follow_up\", " +
				"\"informed_by\"?, \"outcome\": \"\", case or no_case, \"linked_case_id\" and \"basis\" (consent or " +
				"report_duty) for case, \"no_case_reason\" for no_case} → 200. The child's case is linked to the " +
				"parent's as one family. 400 invalid_outcome, invalid_basis, case_required, reason_required; 404 a " +
				"child's case you may not write to."},
		{Method: "PUT", Path: "/api/v1/services/{id}/barneansvarlig", Access: "role:admin", Handler: h.setChildResponsible,
			Request: childResponsibleRequest{},
			Summary: "Name the service's barneansvarlig: {\"username\"} (\"\" removes) → 204. 400 unknown_employee."},
		{Method: "GET", Path: "/api/v1/feedback-items", Access: "authenticated", Handler: h.listFeedbackItems,
			Summary: "The municipality's FIT items (0-10 scales; neutral defaults the first time): {\"items\": [{\"id\", " +
				"\"scale\" (outcome or session), \"label\", \"position\", \"active\"}]}."},
		{Method: "POST", Path: "/api/v1/feedback-items", Access: "role:admin", Handler: h.saveFeedbackItem,
			Request: feedbackItemRequest{},
			Summary: "Add an item ({\"scale\", \"label\"}) or rename/retire one ({\"id\", \"label\", \"active\"}) → 200. " +
				"400 invalid_scale, label_required."},
		{Method: "GET", Path: "/api/v1/cases/{id}/feedback", Access: "case:read", Handler: h.getFeedback,
			Summary: "The case's FIT sessions, oldest first: {\"items\", \"sessions\": [{\"id\", \"date\", \"respondent\", " +
				"\"ratings\": {item id: 0-10}, \"outcome\", \"session\", \"recorded_by\"}], \"no_progress\", " +
				"\"weak_alliance\"}."},
		{Method: "POST", Path: "/api/v1/cases/{id}/feedback", Access: "case:write", Handler: h.recordFeedback,
			Request: feedbackRequest{},
			Summary: "Record one session's ratings: {\"date\"? (YYYY-MM-DD, default today), \"respondent\"? (person, " +
				"child, parent, family), \"ratings\": [{\"item\", \"value\": 0-10}] for every active item} → 201 the " +
				"case's feedback with its flags (no progress after 3 sessions, weak alliance below 6). 400 " +
				"rating_required, invalid_rating, unknown_item, date_in_future, invalid_respondent."},
		{Method: "GET", Path: "/api/v1/feedback/summary", Access: "role:service_leader", Handler: h.feedbackSummary,
			Summary: "Anonymous FIT figures of a year (?year=YYYY): {\"year\", \"all\", \"services\": [{\"service\", " +
				"\"under_5\", \"families\", \"sessions\", \"with_two\", \"improved\", \"mean_session\"}]}; a group of " +
				"fewer than five families shows only \"under_5\": true."},
		{Method: "GET", Path: "/api/v1/surveys", Access: "role:service_leader", Handler: h.listSurveys,
			Summary: "The municipality's user surveys, newest first: {\"items\": [{\"id\", \"title\", \"status\", " +
				"\"links\", \"responses\", \"created_at\"}]}."},
		{Method: "POST", Path: "/api/v1/surveys", Access: "role:service_leader", Handler: h.createSurvey,
			Request: surveyRequest{},
			Summary: "Write a survey: {\"title\", \"intro\"?, \"questions\": [statements answered 1-5]} → 201. 400 " +
				"title_required, questions_required, too_many_questions."},
		{Method: "POST", Path: "/api/v1/surveys/{id}/links", Access: "role:service_leader", Handler: h.createSurveyLinks,
			Request: surveyLinksRequest{},
			Summary: "Make single-use answer links: {\"count\" (1-500), \"service_id\"? (the group)} → 201 {\"links\": " +
				"[\"/survey/<token>\"]}, shown once (only hashes are kept). 400 invalid_count, unknown_service; 409 " +
				"survey_closed."},
		{Method: "GET", Path: "/api/v1/surveys/{id}/results", Access: "role:service_leader", Handler: h.surveyResults,
			Summary: "Results per group (the whole survey, then each service): {\"groups\": [{\"service\", \"under_5\", " +
				"\"responses\", \"questions\": [{\"text\", \"answered\", \"mean\", \"values\"}]}]}; a group of fewer " +
				"than five responses shows only \"under_5\": true."},
		{Method: "POST", Path: "/api/v1/surveys/{id}/close", Access: "role:service_leader", Handler: h.closeSurvey, Request: emptyRequest{},
			Summary: "Close a survey: unused links stop working → 204."},
		{Method: "GET", Path: "/api/v1/methods", Access: "authenticated", Handler: h.listMethods,
			Summary: "The municipality's adopted methods (seed 001: recognised screening and follow-up methods) with how " +
				"many plan measures name each: {\"items\": [{\"id\", \"kind\", \"name\", \"description\", \"source\", " +
				"\"retired\", \"measures\", \"cases\"}]}."},
		{Method: "POST", Path: "/api/v1/methods", Access: "role:admin", Handler: h.adoptMethod, Request: methodRequest{},
			Summary: "Adopt a method: {\"kind\" (screening or follow_up), \"name\", \"description\"?, \"source\"?} → 201. " +
				"400 invalid_kind, name_required; 409 method_exists."},
		{Method: "POST", Path: "/api/v1/methods/{id}/retire", Access: "role:admin", Handler: h.retireMethod, Request: emptyRequest{},
			Summary: "Take a method out of the catalogue (measures keep it) → 204."},
	}
}

type nextOfKinAnswerRequest struct {
	Answer string `json:"answer" text:"code"`
}

type childRequest struct {
	Name        string `json:"name" text:"name"`
	IDNumber    string `json:"id_number" text:"code"`
	BirthDate   string `json:"birth_date" text:"code"`
	Situation   string `json:"situation" text:"short"`
	Information string `json:"information" text:"short"`
	FollowUp    string `json:"follow_up" text:"short"`
	InformedBy  string `json:"informed_by" text:"id"`
}

type childUpdateRequest struct {
	Situation    string `json:"situation" text:"short"`
	Information  string `json:"information" text:"short"`
	FollowUp     string `json:"follow_up" text:"short"`
	InformedBy   string `json:"informed_by" text:"id"`
	Outcome      string `json:"outcome" text:"code"`
	LinkedCaseID string `json:"linked_case_id" text:"id"`
	Basis        string `json:"basis" text:"code"`
	NoCaseReason string `json:"no_case_reason" text:"short"`
}

type childResponsibleRequest struct {
	Username string `json:"username" text:"id"`
}

func childToJSON(c *store.ChildNextOfKin) map[string]any {
	return map[string]any{"id": c.ID, "name": c.Name, "birth_date": c.BirthDate, "situation": c.Situation,
		"information": c.Information, "follow_up": c.FollowUp, "informed_by": c.InformedByName, "outcome": c.Outcome,
		"linked_case_id": c.LinkedCaseID, "basis": c.Basis, "no_case_reason": c.NoCaseReason,
		"recorded_by": c.RecordedByName, "recorded_at": rfc3339(c.RecordedAt)}
}

func nextOfKinToJSON(v *app.NextOfKinView) map[string]any {
	out := map[string]any{"asks": v.Asks, "answer": nil, "answered_by": nil, "answered_at": nil,
		"barneansvarlig": v.ChildResponsible}
	if v.Answer != nil {
		out["answer"], out["answered_by"], out["answered_at"] = v.Answer.Answer, v.Answer.AnsweredByName, rfc3339(v.Answer.AnsweredAt)
	}
	kids := []map[string]any{}
	for _, c := range v.Children {
		kids = append(kids, childToJSON(c))
	}
	out["children"] = kids
	return out
}

func (h *API) getNextOfKin(w http.ResponseWriter, r *http.Request) {
	v, err := h.app.NextOfKin(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusOK, nextOfKinToJSON(v))
}

func (h *API) answerNextOfKin(w http.ResponseWriter, r *http.Request) {
	var in nextOfKinAnswerRequest
	if err := Decode(w, r, &in); err != nil {
		WriteError(w, err)
		return
	}
	actor := reqctx.Actor(r.Context())
	if err := h.app.AnswerNextOfKin(r.Context(), actor, r.PathValue("id"), in.Answer); err != nil {
		WriteError(w, err)
		return
	}
	h.getNextOfKin(w, r)
}

func (h *API) addChild(w http.ResponseWriter, r *http.Request) {
	var in childRequest
	if err := Decode(w, r, &in); err != nil {
		WriteError(w, err)
		return
	}
	c, err := h.app.AddChildNextOfKin(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), app.NewChildNextOfKin(in))
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusCreated, childToJSON(c))
}

func (h *API) updateChild(w http.ResponseWriter, r *http.Request) {
	var in childUpdateRequest
	if err := Decode(w, r, &in); err != nil {
		WriteError(w, err)
		return
	}
	c, err := h.app.UpdateChildNextOfKin(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), app.ChildFollowUp(in))
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusOK, childToJSON(c))
}

func (h *API) setChildResponsible(w http.ResponseWriter, r *http.Request) {
	var in childResponsibleRequest
	if err := Decode(w, r, &in); err != nil {
		WriteError(w, err)
		return
	}
	if err := h.app.SetChildResponsible(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), in.Username); err != nil {
		WriteError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type feedbackItemRequest struct {
	ID     string `json:"id" text:"id"`
	Scale  string `json:"scale" text:"code"`
	Label  string `json:"label" text:"name"`
	Active *bool  `json:"active"`
}

type ratingRequest struct {
	Item  string `json:"item" text:"id"`
	Value int    `json:"value"`
}

type feedbackRequest struct {
	Date       string          `json:"date" text:"code"`
	Respondent string          `json:"respondent" text:"code"`
	Ratings    []ratingRequest `json:"ratings"`
}

func feedbackItemJSON(it *store.FeedbackItem) map[string]any {
	return map[string]any{"id": it.ID, "scale": it.Scale, "label": it.Label, "position": it.Position, "active": it.Active}
}

func (h *API) listFeedbackItems(w http.ResponseWriter, r *http.Request) {
	items, err := h.app.FeedbackItems(r.Context(), reqctx.Actor(r.Context()))
	if err != nil {
		WriteError(w, err)
		return
	}
	out := []map[string]any{}
	for _, it := range items {
		out = append(out, feedbackItemJSON(it))
	}
	WriteJSON(w, http.StatusOK, map[string]any{"items": out})
}

func (h *API) saveFeedbackItem(w http.ResponseWriter, r *http.Request) {
	var in feedbackItemRequest
	if err := Decode(w, r, &in); err != nil {
		WriteError(w, err)
		return
	}
	it := store.FeedbackItem{ID: in.ID, Scale: in.Scale, Label: in.Label, Active: in.Active == nil || *in.Active}
	out, err := h.app.SaveFeedbackItem(r.Context(), reqctx.Actor(r.Context()), it)
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusOK, feedbackItemJSON(out))
}

func feedbackToJSON(v *app.FeedbackView) map[string]any {
	items := []map[string]any{}
	for _, it := range v.Items {
		items = append(items, feedbackItemJSON(it))
	}
	sessions := []map[string]any{}
	for _, p := range v.Points {
		s := map[string]any{"id": p.Session.ID, "date": p.Session.Date, "respondent": p.Session.Respondent,
			"ratings": p.Session.Ratings, "outcome": nil, "session": nil, "recorded_by": p.Session.RecorderName}
		if p.HasOutcome {
			s["outcome"] = p.Outcome
		}
		if p.HasSession {
			s["session"] = p.SessionRating
		}
		sessions = append(sessions, s)
	}
	return map[string]any{"items": items, "sessions": sessions, "no_progress": v.NoProgress, "weak_alliance": v.WeakAlly}
}

func (h *API) getFeedback(w http.ResponseWriter, r *http.Request) {
	v, err := h.app.CaseFeedback(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusOK, feedbackToJSON(v))
}

func (h *API) recordFeedback(w http.ResponseWriter, r *http.Request) {
	var in feedbackRequest
	if err := Decode(w, r, &in); err != nil {
		WriteError(w, err)
		return
	}
	ratings := map[string]int{}
	for _, x := range in.Ratings {
		ratings[x.Item] = x.Value
	}
	v, err := h.app.RecordFeedback(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"),
		app.FeedbackInput{Date: in.Date, Respondent: in.Respondent, Ratings: ratings})
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusCreated, feedbackToJSON(v))
}

// queryYear reads ?year=, the current year when absent. Error:
// invalid_year (400).
func queryYear(r *http.Request, now int) (int, error) {
	s := r.URL.Query().Get("year")
	if s == "" {
		return now, nil
	}
	y, err := strconv.Atoi(s)
	if err != nil || y < 2000 || y > 2100 {
		return 0, samordna.Errorf(samordna.KindInvalid, "invalid_year", "year is YYYY")
	}
	return y, nil
}

func figuresJSON(f app.FeedbackFigures) map[string]any {
	if f.Hidden {
		return map[string]any{"service": f.ServiceName, "under_5": true}
	}
	return map[string]any{"service": f.ServiceName, "under_5": false, "families": f.Cases, "sessions": f.Sessions,
		"with_two": f.CasesWithTwo, "improved": f.CasesImproved, "mean_session": f.MeanSession}
}

func (h *API) feedbackSummary(w http.ResponseWriter, r *http.Request) {
	year, err := queryYear(r, h.app.Clock.Now().Year())
	if err != nil {
		WriteError(w, err)
		return
	}
	sum, err := h.app.FeedbackYear(r.Context(), reqctx.Actor(r.Context()), year)
	if err != nil {
		WriteError(w, err)
		return
	}
	services := []map[string]any{}
	for _, f := range sum.Services {
		services = append(services, figuresJSON(f))
	}
	WriteJSON(w, http.StatusOK, map[string]any{"year": sum.Year, "all": figuresJSON(sum.All), "services": services})
}

type surveyRequest struct {
	Title     string   `json:"title" text:"name"`
	Intro     string   `json:"intro" text:"short"`
	Questions []string `json:"questions" text:"short"`
}

type surveyLinksRequest struct {
	Count     int    `json:"count"`
	ServiceID string `json:"service_id" text:"id"`
}

func surveyToJSON(s *store.Survey) map[string]any {
	return map[string]any{"id": s.ID, "title": s.Title, "intro": s.Intro, "status": s.Status, "links": s.Links,
		"responses": s.Answered, "questions": s.Questions, "created_at": rfc3339(s.CreatedAt)}
}

func (h *API) listSurveys(w http.ResponseWriter, r *http.Request) {
	ss, err := h.app.Surveys(r.Context(), reqctx.Actor(r.Context()))
	if err != nil {
		WriteError(w, err)
		return
	}
	items := []map[string]any{}
	for _, s := range ss {
		items = append(items, surveyToJSON(s))
	}
	WriteJSON(w, http.StatusOK, map[string]any{"items": items})
}

func (h *API) createSurvey(w http.ResponseWriter, r *http.Request) {
	var in surveyRequest
	if err := Decode(w, r, &in); err != nil {
		WriteError(w, err)
		return
	}
	s, err := h.app.CreateSurvey(r.Context(), reqctx.Actor(r.Context()), app.NewSurvey(in))
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusCreated, surveyToJSON(s))
}

func (h *API) createSurveyLinks(w http.ResponseWriter, r *http.Request) {
	var in surveyLinksRequest
	if err := Decode(w, r, &in); err != nil {
		WriteError(w, err)
		return
	}
	tokens, err := h.app.CreateSurveyLinks(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), in.ServiceID, in.Count)
	if err != nil {
		WriteError(w, err)
		return
	}
	links := []string{}
	for _, t := range tokens {
		links = append(links, "/survey/"+t)
	}
	WriteJSON(w, http.StatusCreated, map[string]any{"links": links})
}

func (h *API) surveyResults(w http.ResponseWriter, r *http.Request) {
	_, groups, err := h.app.SurveyResults(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		WriteError(w, err)
		return
	}
	out := []map[string]any{}
	for _, g := range groups {
		if g.Hidden {
			out = append(out, map[string]any{"service": g.ServiceName, "under_5": true})
			continue
		}
		qs := []map[string]any{}
		for _, q := range g.Questions {
			qs = append(qs, map[string]any{"text": q.Text, "answered": q.Answered, "mean": q.Mean, "values": q.Values})
		}
		out = append(out, map[string]any{"service": g.ServiceName, "under_5": false, "responses": g.Responses, "questions": qs})
	}
	WriteJSON(w, http.StatusOK, map[string]any{"groups": out})
}

func (h *API) closeSurvey(w http.ResponseWriter, r *http.Request) {
	if err := decodeOptional(w, r, &emptyRequest{}); err != nil {
		WriteError(w, err)
		return
	}
	if err := h.app.CloseSurvey(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id")); err != nil {
		WriteError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type methodRequest struct {
	Kind        string `json:"kind" text:"code"`
	Name        string `json:"name" text:"name"`
	Description string `json:"description" text:"short"`
	Source      string `json:"source" text:"short"`
}

func methodToJSON(m *store.Method, use store.MethodUseCount) map[string]any {
	return map[string]any{"id": m.ID, "kind": m.Kind, "name": m.Name, "description": m.Description, "source": m.Source,
		"retired": m.RetiredAt != nil, "measures": use.Measures, "cases": use.Cases}
}

func (h *API) listMethods(w http.ResponseWriter, r *http.Request) {
	ms, use, err := h.app.Methods(r.Context(), reqctx.Actor(r.Context()))
	if err != nil {
		WriteError(w, err)
		return
	}
	items := []map[string]any{}
	for _, m := range ms {
		items = append(items, methodToJSON(m, use[m.ID]))
	}
	WriteJSON(w, http.StatusOK, map[string]any{"items": items})
}

func (h *API) adoptMethod(w http.ResponseWriter, r *http.Request) {
	var in methodRequest
	if err := Decode(w, r, &in); err != nil {
		WriteError(w, err)
		return
	}
	m, err := h.app.AdoptMethod(r.Context(), reqctx.Actor(r.Context()), app.NewMethod(in))
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusCreated, methodToJSON(m, store.MethodUseCount{}))
}

func (h *API) retireMethod(w http.ResponseWriter, r *http.Request) {
	if err := decodeOptional(w, r, &emptyRequest{}); err != nil {
		WriteError(w, err)
		return
	}
	if err := h.app.RetireMethod(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id")); err != nil {
		WriteError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
