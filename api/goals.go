package api

import (
	"net/http"
	"strings"

	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/reqctx"
)

// This file serves the municipality's goals on three levels and the yearly
// cycle (seed 001) to leaders.

func (h *API) goalRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/api/v1/goals", Access: "role:service_leader", Handler: h.goals,
			Summary: "The municipality's goals on three levels for a year (?year=YYYY, default this year), each with its target and result (computed or entered; null when not known yet or when it counts 1-4 people)."},
		{Method: "GET", Path: "/api/v1/annual-cycle.ics", Access: "role:service_leader", Handler: h.annualCycleICS, FeedSecret: true,
			Summary: "The yearly cycle (årshjul) as iCalendar with RRULEs; a calendar app may read it with the leader's personal feed secret (?feed=) instead of a token."},
	}
}

type goalQuarterJSON struct {
	Quarter    int      `json:"quarter"`
	Result     *float64 `json:"result"`
	Suppressed bool     `json:"suppressed"`
}

type municipalGoalJSON struct {
	ID            string            `json:"id"`
	Level         string            `json:"level"`
	Dimension     string            `json:"dimension"`
	Text          string            `json:"text"`
	Owner         string            `json:"owner"`
	OwnerKind     string            `json:"owner_kind"`
	Service       string            `json:"service,omitempty"`
	Indicator     string            `json:"indicator"`
	IndicatorText string            `json:"indicator_text,omitempty"`
	Source        string            `json:"source"`
	Unit          string            `json:"unit"`
	Target        *float64          `json:"target"`
	Result        *float64          `json:"result"`
	Suppressed    bool              `json:"suppressed"`
	Met           *bool             `json:"met"`
	Trend         []goalQuarterJSON `json:"trend"`
}

// municipalGoalToJSON is a goal of the report; owner is the owner's name, or the
// owner's role when no employee is named.
func municipalGoalToJSON(g *app.GoalResult) municipalGoalJSON {
	out := municipalGoalJSON{ID: g.Goal.ID, Level: g.Goal.Level, Dimension: g.Goal.Dimension, Text: g.Goal.Text,
		Owner: g.Goal.OwnerName, OwnerKind: g.Goal.OwnerKind, Service: g.Goal.ServiceName, Indicator: g.Goal.Indicator,
		IndicatorText: g.Goal.IndicatorText, Source: "entered", Unit: g.Indicator.Unit, Target: g.Target,
		Result: g.Result, Suppressed: g.Suppressed, Met: g.Met, Trend: []goalQuarterJSON{}}
	if out.Owner == "" {
		out.Owner = g.Goal.OwnerKind
	}
	if g.Indicator.Computed {
		out.Source = "computed"
	}
	for _, q := range g.Trend {
		out.Trend = append(out.Trend, goalQuarterJSON{Quarter: q.Quarter, Result: q.Value, Suppressed: q.Suppressed})
	}
	return out
}

func (h *API) goals(w http.ResponseWriter, r *http.Request) {
	year, err := countsYear(r)
	if err != nil {
		WriteError(w, err)
		return
	}
	rep, err := h.app.GoalReportFor(r.Context(), reqctx.Actor(r.Context()), year)
	if err != nil {
		WriteError(w, err)
		return
	}
	items := []municipalGoalJSON{}
	for _, g := range rep.Goals {
		items = append(items, municipalGoalToJSON(g))
	}
	WriteJSON(w, http.StatusOK, map[string]any{"year": rep.Year, "items": items, "next": ""})
}

func (h *API) annualCycleICS(w http.ResponseWriter, r *http.Request) {
	b, err := h.app.AnnualCycleICS(r.Context(), reqctx.Actor(r.Context()))
	if err != nil {
		WriteError(w, err)
		return
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", `inline; filename="arshjul.ics"`)
	w.Header().Set("Cache-Control", "private, no-store")
	_, _ = w.Write(b)
}

// feedSecret reads a calendar feed secret from ?feed= (calendar apps
// cannot send a bearer token).
func feedSecret(r *http.Request) string {
	return strings.TrimSpace(r.URL.Query().Get("feed"))
}
