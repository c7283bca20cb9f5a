package api

import (
	"encoding/csv"
	"net/http"
	"strconv"

	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/reqctx"
)

// systemIssueRoutes: system issues from a team to the OST (seed 002 §4.2),
// the team report (issue 15 point 7) and the classification of a team
// matter by target group.
func (h *API) systemIssueRoutes() []Route {
	return []Route{
		{Method: "POST", Path: "/api/v1/teams/{id}/system-issues", Access: "team_issues:send", Handler: h.sendSystemIssue,
			Request: systemIssueRequest{},
			Summary: "Send a system issue from the team to the municipality's OST: {\"title\", \"description\", " +
				"\"matter_id\"?} → 201 the issue, on the agenda of the OST's next planned meeting (status on_agenda) " +
				"or waiting (sent). No person in it: 422 identifying_data (fødselsnummer or a registered person's name); " +
				"400 title_required, description_required, invalid_matter; 422 no_ost."},
		{Method: "GET", Path: "/api/v1/teams/{id}/system-issues", Access: "team_issues:read", Handler: h.teamSystemIssues,
			Summary: "The system issues the team sent (with the OST's decision, owner and follow-up) or, for the OST, received."},
		{Method: "GET", Path: "/api/v1/system-issues/{id}", Access: "system_issue:read", Handler: h.getSystemIssue,
			Summary: "One system issue (the sending team, the OST and the owner)."},
		{Method: "POST", Path: "/api/v1/system-issues/{id}/decision", Access: "system_issue:decide", Handler: h.decideSystemIssue,
			Request: issueDecisionRequest{},
			Summary: "The OST decides: {\"decision\", \"owner\" (username), \"follow_up_due\" (YYYY-MM-DD)} → the issue, " +
				"status decided. 400 decision_required, owner_required, unknown_employee, invalid_date; 422 identifying_data; " +
				"409 already_followed_up."},
		{Method: "POST", Path: "/api/v1/system-issues/{id}/follow-up", Access: "system_issue:follow_up", Handler: h.followUpSystemIssue,
			Request: issueFollowUpRequest{},
			Summary: "The owner (or the OST) records the follow-up: {\"note\"} → status followed_up. 400 note_required; " +
				"409 not_decided, already_followed_up."},
		{Method: "GET", Path: "/api/v1/teams/{id}/report", Access: "team_report:read", Handler: h.teamReport,
			Summary: "The team's year (?year=YYYY): matters by target group and district, anonymous and named, days from " +
				"submission to discussion, advice, referrals, system issues; counts 1–4 as {\"under_5\": true}."},
		{Method: "GET", Path: "/api/v1/teams/{id}/report.csv", Access: "team_report:read", Handler: h.teamReportCSV,
			Summary: "The team report as CSV (?year=YYYY); counts 1–4 as <5."},
		{Method: "GET", Path: "/api/v1/teams/{id}/report.pdf", Access: "team_report:read", Handler: h.teamReportPDF,
			Summary: "The team report as PDF (?year=YYYY)."},
		{Method: "PUT", Path: "/api/v1/team-matters/{id}/target-groups", Access: "matter_groups:set", Handler: h.setMatterTargetGroups,
			Request: targetGroupsRequest{},
			Summary: "Classify a team matter by target groups: {\"codes\"} → {\"target_groups\"}; by its submitter or its " +
				"team. 400 invalid_target_group, too_many_target_groups."},
	}
}

type systemIssueRequest struct {
	Title       string `json:"title" text:"short"`
	Description string `json:"description" text:"long"`
	MatterID    string `json:"matter_id" text:"id"`
}

type issueDecisionRequest struct {
	Decision    string `json:"decision" text:"long"`
	Owner       string `json:"owner" text:"code"`
	FollowUpDue string `json:"follow_up_due" text:"code"`
}

type issueFollowUpRequest struct {
	Note string `json:"note" text:"long"`
}

type systemIssueJSON struct {
	ID           string  `json:"id"`
	FromTeam     string  `json:"from_team"`
	ToTeam       string  `json:"to_team"`
	MatterID     string  `json:"matter_id,omitempty"`
	Title        string  `json:"title"`
	Description  string  `json:"description"`
	Status       string  `json:"status"`
	SentBy       string  `json:"sent_by"`
	SentAt       string  `json:"sent_at"`
	Meeting      *string `json:"meeting_starts_at"`
	Decision     string  `json:"decision"`
	Owner        string  `json:"owner"`
	FollowUpDue  *string `json:"follow_up_due"`
	DecidedAt    *string `json:"decided_at"`
	FollowUpNote string  `json:"follow_up_note"`
	FollowedUpAt *string `json:"followed_up_at"`
}

func issueToJSON(v *app.SystemIssueView) systemIssueJSON {
	out := systemIssueJSON{ID: v.ID, FromTeam: v.FromTeam, ToTeam: v.ToTeam, MatterID: v.MatterID, Title: v.Title,
		Description: v.Description, Status: v.Status, SentBy: v.SentByName, SentAt: timeJSON(v.SentAt),
		Decision: v.Decision, Owner: v.OwnerName, FollowUpDue: lastDay(v.FollowUpDue), DecidedAt: optTime(v.DecidedAt),
		FollowUpNote: v.FollowUpNote, FollowedUpAt: optTime(v.FollowedUpAt)}
	if v.Meeting != nil {
		out.Meeting = optTime(&v.Meeting.StartsAt)
	}
	return out
}

func (h *API) sendSystemIssue(w http.ResponseWriter, r *http.Request) {
	var in systemIssueRequest
	if err := Decode(w, r, &in); err != nil {
		WriteError(w, err)
		return
	}
	v, err := h.app.SendSystemIssue(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"),
		app.NewSystemIssue{Title: in.Title, Description: in.Description, MatterID: in.MatterID})
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusCreated, issueToJSON(v))
}

func (h *API) teamSystemIssues(w http.ResponseWriter, r *http.Request) {
	_, list, err := h.app.TeamSystemIssues(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		WriteError(w, err)
		return
	}
	out := []systemIssueJSON{}
	for _, v := range list {
		out = append(out, issueToJSON(v))
	}
	WriteJSON(w, http.StatusOK, map[string]any{"items": out})
}

func (h *API) getSystemIssue(w http.ResponseWriter, r *http.Request) {
	v, err := h.app.GetSystemIssue(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusOK, issueToJSON(v))
}

func (h *API) decideSystemIssue(w http.ResponseWriter, r *http.Request) {
	var in issueDecisionRequest
	if err := Decode(w, r, &in); err != nil {
		WriteError(w, err)
		return
	}
	v, err := h.app.DecideSystemIssue(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"),
		app.IssueDecision{Decision: in.Decision, OwnerName: in.Owner, FollowUpDue: in.FollowUpDue})
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusOK, issueToJSON(v))
}

func (h *API) followUpSystemIssue(w http.ResponseWriter, r *http.Request) {
	var in issueFollowUpRequest
	if err := Decode(w, r, &in); err != nil {
		WriteError(w, err)
		return
	}
	v, err := h.app.FollowUpSystemIssue(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), in.Note)
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusOK, issueToJSON(v))
}

type countJSON struct {
	Count  *int `json:"count"`
	Under5 bool `json:"under_5"`
}

func countToJSON(c app.Count) countJSON {
	if c.Hidden {
		return countJSON{Under5: true}
	}
	n := c.N
	return countJSON{Count: &n}
}

type reportLineJSON struct {
	Code  string    `json:"code"`
	Label string    `json:"label"`
	Count countJSON `json:"count"`
}

func linesToJSON(ls []app.ReportLine) []reportLineJSON {
	out := []reportLineJSON{}
	for _, l := range ls {
		out = append(out, reportLineJSON{Code: l.Code, Label: l.Label, Count: countToJSON(l.Count)})
	}
	return out
}

// reportRequest reads the team and ?year=.
func (h *API) reportRequest(w http.ResponseWriter, r *http.Request) *app.TeamReport {
	y, err := countsYear(r)
	if err != nil {
		WriteError(w, err)
		return nil
	}
	rep, err := h.app.TeamReportFor(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), y)
	if err != nil {
		WriteError(w, err)
		return nil
	}
	return rep
}

func (h *API) teamReport(w http.ResponseWriter, r *http.Request) {
	rep := h.reportRequest(w, r)
	if rep == nil {
		return
	}
	WriteJSON(w, http.StatusOK, map[string]any{"team": rep.Team.Name, "year": rep.Year, "matters": rep.Matters,
		"anonymous": countToJSON(rep.Anonymous), "named": countToJSON(rep.Named),
		"discussed": countToJSON(rep.Discussed), "with_advice": countToJSON(rep.WithAdvice),
		"by_target_group": linesToJSON(rep.ByTargetGroup), "unclassified": countToJSON(rep.Unclassified),
		"by_district": linesToJSON(rep.ByDistrict), "referrals": linesToJSON(rep.Referrals),
		"median_days_to_discussion": rep.MedianDays, "max_days_to_discussion": rep.MaxDays,
		"system_issues": rep.SystemIssues})
}

func (h *API) teamReportCSV(w http.ResponseWriter, r *http.Request) {
	rep := h.reportRequest(w, r)
	if rep == nil {
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="teamrapport-`+strconv.Itoa(rep.Year)+`.csv"`)
	cw := csv.NewWriter(w)
	_ = cw.WriteAll(app.TeamReportCSV(rep))
}

func (h *API) teamReportPDF(w http.ResponseWriter, r *http.Request) {
	y, err := countsYear(r)
	if err != nil {
		WriteError(w, err)
		return
	}
	b, err := h.app.TeamReportPDF(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), y)
	if err != nil {
		WriteError(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="teamrapport-`+strconv.Itoa(y)+`.pdf"`)
	_, _ = w.Write(b)
}

func (h *API) setMatterTargetGroups(w http.ResponseWriter, r *http.Request) {
	var in targetGroupsRequest
	if err := Decode(w, r, &in); err != nil {
		WriteError(w, err)
		return
	}
	codes, err := h.app.SetMatterTargetGroups(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), in.Codes)
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusOK, map[string]any{"target_groups": targetGroupsJSON(codes)})
}
