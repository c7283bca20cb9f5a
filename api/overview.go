package api

import (
	"encoding/csv"
	"net/http"
	"strconv"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/reqctx"
	"github.com/samordna/samordna/pathway"
)

func (h *API) overviewRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/api/v1/coordinating-unit/overview", Access: "role:coordinating_unit", Handler: h.unitOverview,
			Summary: "The coordinating unit's overview: applications by status, coordinators and caseloads, registered groups, this year's counts."},
		{Method: "GET", Path: "/api/v1/coordinating-unit/yearly-counts", Access: "role:coordinating_unit", Handler: h.yearlyCounts,
			Summary: "The yearly counts of responsibility groups, individual plans and coordinators (?year=YYYY, default this year)."},
		{Method: "GET", Path: "/api/v1/coordinating-unit/yearly-counts.csv", Access: "role:coordinating_unit", Handler: h.yearlyCountsCSV,
			Summary: "The yearly counts as CSV (?year=YYYY)."},
	}
}

type yearlyCountsJSON struct {
	Year                 int `json:"year"`
	ResponsibilityGroups int `json:"responsibility_groups"`
	GroupsEstablished    int `json:"groups_established"`
	GroupsClosed         int `json:"groups_closed"`
	IndividualPlans      int `json:"individual_plans"`
	Coordinators         int `json:"coordinators"`
	CoordinatorEmployees int `json:"coordinator_employees"`
	// TargetGroups: cases open in the year by target group (seed 002 §2.3);
	// "" is the unclassified ones.
	TargetGroups map[string]int `json:"target_groups"`
}

func countsToJSON(c *app.YearlyCounts) yearlyCountsJSON {
	return yearlyCountsJSON{Year: c.Year, ResponsibilityGroups: c.ResponsibilityGroups, GroupsEstablished: c.GroupsEstablished,
		GroupsClosed: c.GroupsClosed, IndividualPlans: c.IndividualPlans, Coordinators: c.Coordinators,
		CoordinatorEmployees: c.CoordinatorEmployees, TargetGroups: c.TargetGroups}
}

func (h *API) unitOverview(w http.ResponseWriter, r *http.Request) {
	o, err := h.app.CoordinatingUnitOverview(r.Context(), reqctx.Actor(r.Context()))
	if err != nil {
		WriteError(w, err)
		return
	}
	inbox := []applicationJSON{}
	for _, a := range o.Inbox {
		inbox = append(inbox, applicationToJSON(a))
	}
	loads := []map[string]any{}
	for _, c := range o.Caseloads {
		loads = append(loads, map[string]any{"username": c.Username, "name": c.Name, "service": c.Service,
			"cases": c.Cases, "not_accepted": c.Pending})
	}
	groups := []map[string]any{}
	for _, g := range o.Groups {
		groups = append(groups, map[string]any{"id": g.GroupID, "case_id": g.CaseID, "subject_name": g.SubjectName,
			"coordinator": g.Coordinator, "members": g.Members, "created_at": timeJSON(g.CreatedAt),
			"closed_at": optTime(g.ClosedAt), "last_meeting": optTime(g.LastMeeting), "next_meeting": optTime(g.NextMeeting)})
	}
	WriteJSON(w, http.StatusOK, map[string]any{"applications": o.Applications, "inbox": inbox, "coordinators": loads,
		"responsibility_groups": groups, "unregistered_groups": o.Unregistered, "yearly_counts": countsToJSON(o.Counts)})
}

// countsYear reads ?year= (default: this year in Oslo).
func countsYear(r *http.Request) (int, error) {
	v := r.URL.Query().Get("year")
	if v == "" {
		return time.Now().In(pathway.Oslo()).Year(), nil
	}
	y, err := strconv.Atoi(v)
	if err != nil {
		return 0, samordna.Errorf(samordna.KindInvalid, "invalid_year", "year is a number such as 2026")
	}
	return y, nil
}

func (h *API) yearlyCounts(w http.ResponseWriter, r *http.Request) {
	y, err := countsYear(r)
	if err != nil {
		WriteError(w, err)
		return
	}
	c, err := h.app.YearlyCountsFor(r.Context(), reqctx.Actor(r.Context()), y)
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusOK, countsToJSON(c))
}

// yearlyCountsCSV answers one header row and one row of counts.
func (h *API) yearlyCountsCSV(w http.ResponseWriter, r *http.Request) {
	y, err := countsYear(r)
	if err != nil {
		WriteError(w, err)
		return
	}
	c, err := h.app.YearlyCountsFor(r.Context(), reqctx.Actor(r.Context()), y)
	if err != nil {
		WriteError(w, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="koordinerende-enhet-`+strconv.Itoa(y)+`.csv"`)
	w.WriteHeader(http.StatusOK)
	WriteCountsCSV(w, c)
}

// WriteCountsCSV writes the counts as CSV (the pages offer the same file).
func WriteCountsCSV(w http.ResponseWriter, c *app.YearlyCounts) {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"year", "responsibility_groups", "groups_established", "groups_closed", "individual_plans",
		"coordinators", "coordinator_employees"})
	_ = cw.Write([]string{strconv.Itoa(c.Year), strconv.Itoa(c.ResponsibilityGroups), strconv.Itoa(c.GroupsEstablished),
		strconv.Itoa(c.GroupsClosed), strconv.Itoa(c.IndividualPlans), strconv.Itoa(c.Coordinators),
		strconv.Itoa(c.CoordinatorEmployees)})
	cw.Flush()
}
