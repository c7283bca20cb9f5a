package web

import (
	"encoding/csv"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/pdf"
	"github.com/samordna/samordna/internal/reqctx"
	"github.com/samordna/samordna/pathway"
)

// This file is the leadership's pages for seed 001: the municipality's
// goals on three levels and the report of targets against results (page,
// PDF, CSV), with a chart per goal drawn as SVG on the server beside a
// table of the same figures.

func (s *Server) goalRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/leadership/goals", Access: "role:service_leader", Handler: s.goalReportPage},
		{Method: "GET", Path: "/leadership/goals.csv", Access: "role:service_leader", Handler: s.goalReportCSV},
		{Method: "GET", Path: "/leadership/goals.pdf", Access: "role:service_leader", Handler: s.goalReportPDF},
		{Method: "GET", Path: "/leadership/goals/new", Access: "role:service_leader", Handler: s.goalNewPage},
		{Method: "POST", Path: "/leadership/goals", Access: "role:service_leader", Handler: s.goalCreate},
		{Method: "GET", Path: "/leadership/goals/{id}/edit", Access: "role:service_leader", Handler: s.goalEditPage},
		{Method: "POST", Path: "/leadership/goals/{id}", Access: "role:service_leader", Handler: s.goalUpdate},
		{Method: "POST", Path: "/leadership/goals/{id}/results", Access: "role:service_leader", Handler: s.goalResult},
	}
}

// goalYear reads ?year= (this year in Oslo by default; 0 when not a number,
// which the app refuses as invalid_year).
func (s *Server) goalYear(r *http.Request) int {
	v := r.FormValue("year")
	if v == "" {
		return s.app.Clock.Now().In(pathway.Oslo()).Year()
	}
	y, err := strconv.Atoi(v)
	if err != nil {
		return 0
	}
	return y
}

// fmtNumber writes a figure the reader's way: a decimal comma in
// Norwegian, at most one decimal.
func fmtNumber(lang string, v float64) string {
	s := strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64)
	if lang != "en" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// fmtValue writes a figure with its unit; suppressed figures read
// "under 5" and unknown ones a dash.
func (s *Server) fmtValue(lang string, v *float64, suppressed bool, unit string) string {
	switch {
	case suppressed:
		return s.catalog.T(lang, "goals.under_five", nil)
	case v == nil:
		return s.catalog.T(lang, "goals.unknown", nil)
	}
	return s.catalog.T(lang, "goals.unit."+unit, map[string]any{"N": fmtNumber(lang, *v)})
}

// chartBar is one quarter's bar in a goal's chart.
type chartBar struct {
	X, Y, H   int
	LabelX    int
	Quarter   string
	ValueText string
	Known     bool
}

// goalRow is one goal on the report page.
type goalRow struct {
	G          *app.GoalResult
	Dimension  string
	Owner      string
	Indicator  string
	TargetText string
	ResultText string
	Status     string // message id: met, not met, unknown
	Bars       []chartBar
	TargetY    int  // the target line's height in the chart
	HasTarget  bool // draw the target line
	Entered    bool // the owner enters the figures
	ChartTitle string
	ChartDesc  string
}

// levelSection is one level of the report.
type levelSection struct {
	Level string
	Title string
	Rows  []goalRow
}

// goalReportData is the report page.
type goalReportData struct {
	Year      int
	Levels    []levelSection
	Quarters  []int
	Generated string
}

// chart geometry: a 320×160 view box, bars on a base line at y=130.
const (
	chartBase   = 130
	chartHeight = 110
)

// goalRows turns the report into rows for the page and the PDF.
func (s *Server) goalRows(lang string, rep *app.GoalReport) []levelSection {
	var out []levelSection
	for _, level := range app.GoalLevels {
		sec := levelSection{Level: level, Title: s.catalog.T(lang, "goals.level."+level, nil)}
		for _, g := range rep.Level(level) {
			sec.Rows = append(sec.Rows, s.goalRow(lang, g))
		}
		out = append(out, sec)
	}
	return out
}

func (s *Server) goalRow(lang string, g *app.GoalResult) goalRow {
	unit := g.Indicator.Unit
	row := goalRow{G: g, Dimension: s.catalog.T(lang, "goals.dimension."+g.Goal.Dimension, nil),
		Owner:     s.catalog.T(lang, "goals.owner_kind."+g.Goal.OwnerKind, nil),
		Indicator: s.catalog.T(lang, "goals.indicator."+g.Goal.Indicator, nil), Entered: !g.Indicator.Computed,
		ResultText: s.fmtValue(lang, g.Result, g.Suppressed, unit), Status: "goals.status.unknown"}
	if g.Goal.OwnerName != "" {
		row.Owner += ": " + g.Goal.OwnerName
	}
	if g.Goal.IndicatorText != "" {
		row.Indicator = g.Goal.IndicatorText
	}
	if g.Goal.ServiceName != "" {
		row.Indicator += " (" + g.Goal.ServiceName + ")"
	}
	row.TargetText = s.fmtValue(lang, g.Target, false, unit)
	if g.Met != nil {
		row.Status = "goals.status.not_met"
		if *g.Met {
			row.Status = "goals.status.met"
		}
	}
	// Scale: the largest of the figures and the target (100 for a share).
	top := 0.0
	if unit == app.UnitPercent {
		top = 100
	}
	for _, q := range g.Trend {
		if q.Value != nil && *q.Value > top {
			top = *q.Value
		}
	}
	if g.Target != nil && *g.Target > top {
		top = *g.Target
	}
	if top == 0 {
		top = 1
	}
	for i := 1; i <= 4; i++ {
		b := chartBar{X: 30 + (i-1)*70, LabelX: 30 + (i-1)*70 + 25, Quarter: s.catalog.T(lang, "goals.quarter_short",
			map[string]any{"Q": i}), ValueText: s.catalog.T(lang, "goals.not_begun", nil)}
		if i <= len(g.Trend) {
			q := g.Trend[i-1]
			b.ValueText = s.fmtValue(lang, q.Value, q.Suppressed, unit)
			if q.Value != nil {
				b.Known = true
				b.H = int(math.Round(*q.Value / top * chartHeight))
				b.Y = chartBase - b.H
			}
		}
		row.Bars = append(row.Bars, b)
	}
	if g.Target != nil {
		row.HasTarget = true
		row.TargetY = chartBase - int(math.Round(*g.Target/top*chartHeight))
	}
	row.ChartTitle = s.catalog.T(lang, "goals.chart_title", map[string]any{"Goal": g.Goal.Text})
	var parts []string
	for _, b := range row.Bars {
		parts = append(parts, b.Quarter+": "+b.ValueText)
	}
	row.ChartDesc = s.catalog.T(lang, "goals.chart_desc", map[string]any{"Target": row.TargetText,
		"Values": strings.Join(parts, "; ")})
	return row
}

// goalReportPage shows the report for ?year=.
func (s *Server) goalReportPage(w http.ResponseWriter, r *http.Request) {
	year := s.goalYear(r)
	rep, err := s.app.GoalReportFor(r.Context(), reqctx.Actor(r.Context()), year)
	p := s.page(r, "goals.title")
	if err != nil {
		if samordna.ErrorKind(err) != samordna.KindInvalid {
			s.coordFail(w, r, err, nil)
			return
		}
		p.Error = "goals.err." + samordna.ErrorCode(err)
		p.Data = goalReportData{Year: s.app.Clock.Now().In(pathway.Oslo()).Year(), Quarters: []int{1, 2, 3, 4}}
		s.render(w, r, http.StatusBadRequest, "goals", p)
		return
	}
	if done := r.URL.Query().Get("done"); done == "saved" || done == "result" {
		p.Flash = "goals.done." + done
	}
	p.Data = goalReportData{Year: rep.Year, Levels: s.goalRows(p.Lang, rep), Quarters: []int{1, 2, 3, 4},
		Generated: coordTime(rep.Now)}
	s.render(w, r, http.StatusOK, "goals", p)
}

// goalReportCSV downloads the report for ?year= as CSV (semicolons, as
// Excel in Norway reads them): one row per goal and quarter.
func (s *Server) goalReportCSV(w http.ResponseWriter, r *http.Request) {
	year := s.goalYear(r)
	rep, err := s.app.GoalReportFor(r.Context(), reqctx.Actor(r.Context()), year)
	if err != nil {
		s.coordFail(w, r, err, nil)
		return
	}
	lang := s.lang(r)
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="maal-%d.csv"`, year))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte("\ufeff"))
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	t := func(id string) string { return s.catalog.T(lang, id, nil) }
	_ = cw.Write([]string{t("goals.col.year"), t("goals.col.level"), t("goals.col.dimension"), t("goals.col.goal"),
		t("goals.col.owner"), t("goals.col.indicator"), t("goals.col.target"), t("goals.col.period"), t("goals.col.result")})
	for _, sec := range s.goalRows(lang, rep) {
		for _, row := range sec.Rows {
			base := []string{strconv.Itoa(year), sec.Title, row.Dimension, csvSafe(row.G.Goal.Text), csvSafe(row.Owner),
				csvSafe(row.Indicator), row.TargetText}
			for _, b := range row.Bars {
				_ = cw.Write(append(append([]string{}, base...), b.Quarter, b.ValueText))
			}
			_ = cw.Write(append(append([]string{}, base...), t("goals.col.year_so_far"), row.ResultText))
		}
	}
	cw.Flush()
}

// csvSafe keeps a spreadsheet from reading a text as a formula.
func csvSafe(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}

// goalReportPDF downloads the report for ?year= as a PDF with a table per
// level.
func (s *Server) goalReportPDF(w http.ResponseWriter, r *http.Request) {
	year := s.goalYear(r)
	rep, err := s.app.GoalReportFor(r.Context(), reqctx.Actor(r.Context()), year)
	if err != nil {
		s.coordFail(w, r, err, nil)
		return
	}
	lang := s.lang(r)
	t := func(id string, args map[string]any) string { return s.catalog.T(lang, id, args) }
	doc := pdf.New(pdf.Options{Title: t("goals.pdf_title", map[string]any{"Year": year}), Lang: lang,
		Subject: t("goals.title", nil), Author: "Samordna", Created: rep.Now,
		Footer: t("goals.pdf_footer", map[string]any{"At": coordTime(rep.Now)})})
	doc.Paragraph(t("goals.intro", nil))
	for _, sec := range s.goalRows(lang, rep) {
		doc.Heading(sec.Title)
		if len(sec.Rows) == 0 {
			doc.Paragraph(t("goals.none_at_level", nil))
			continue
		}
		for _, row := range sec.Rows {
			doc.Paragraph(row.G.Goal.Text)
			doc.Fields(pdf.Field{Label: t("goals.col.dimension", nil), Value: row.Dimension},
				pdf.Field{Label: t("goals.col.owner", nil), Value: row.Owner},
				pdf.Field{Label: t("goals.col.indicator", nil), Value: row.Indicator},
				pdf.Field{Label: t("goals.col.target", nil), Value: row.TargetText},
				pdf.Field{Label: t("goals.col.result", nil), Value: row.ResultText + " – " + t(row.Status, nil)})
			var trend [][]string
			for _, b := range row.Bars {
				trend = append(trend, []string{b.Quarter, b.ValueText})
			}
			doc.Table([]string{t("goals.col.period", nil), t("goals.col.result", nil)}, trend)
		}
	}
	doc.Note(t("goals.under_five_note", nil))
	b, err := doc.Bytes()
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="maal-%d.pdf"`, year))
	_, _ = w.Write(b)
}

// goalFormData is the form to create or change a goal.
type goalFormData struct {
	ID         string
	Year       int
	In         app.MunicipalGoalInput
	TargetText string
	Choices    *app.LeadershipChoices
	Levels     []string
	Dimensions []string
	OwnerKinds []string
	Indicators []app.Indicator
}

func (s *Server) renderGoalForm(w http.ResponseWriter, r *http.Request, p *Page, status int, d goalFormData) {
	choices, err := s.app.LeadershipFormChoices(r.Context(), reqctx.Actor(r.Context()))
	if err != nil {
		s.coordFail(w, r, err, nil)
		return
	}
	d.Choices, d.Levels, d.Dimensions, d.OwnerKinds, d.Indicators = choices, app.GoalLevels, app.GoalDimensions,
		app.GoalOwnerKinds, app.Indicators
	p.Data = d
	s.render(w, r, status, "goal_form", p)
}

func (s *Server) goalNewPage(w http.ResponseWriter, r *http.Request) {
	p := s.page(r, "goals.new_title")
	level := r.URL.Query().Get("level")
	if level == "" {
		level = "municipality"
	}
	s.renderGoalForm(w, r, p, http.StatusOK, goalFormData{Year: s.goalYear(r),
		In: app.MunicipalGoalInput{Level: level, Dimension: "structure", OwnerKind: "service_leader",
			Indicator: "concerns_first_step_on_time"}})
}

func (s *Server) goalEditPage(w http.ResponseWriter, r *http.Request) {
	year := s.goalYear(r)
	g, target, err := s.app.GetGoal(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), year)
	if err != nil {
		s.coordFail(w, r, err, nil)
		return
	}
	d := goalFormData{ID: g.ID, Year: year, In: app.MunicipalGoalInput{Level: g.Level, Dimension: g.Dimension, Text: g.Text,
		OwnerKind: g.OwnerKind, ServiceID: g.ServiceID, Indicator: g.Indicator, IndicatorText: g.IndicatorText}}
	if g.OwnerID != "" {
		choices, err := s.app.LeadershipFormChoices(r.Context(), reqctx.Actor(r.Context()))
		if err != nil {
			s.coordFail(w, r, err, nil)
			return
		}
		for _, e := range choices.Employees {
			if e.ID == g.OwnerID {
				d.In.Owner = e.Username
			}
		}
	}
	if target != nil {
		d.TargetText = fmtNumber(s.lang(r), *target)
	}
	s.renderGoalForm(w, r, s.page(r, "goals.edit_title"), http.StatusOK, d)
}

// parseNumber reads a figure written with a decimal comma or point.
func parseNumber(v string) (float64, bool) {
	v = strings.ReplaceAll(strings.TrimSpace(v), " ", "")
	f, err := strconv.ParseFloat(strings.Replace(v, ",", ".", 1), 64)
	return f, err == nil
}

// goalInput reads the goal form.
func (s *Server) goalInput(r *http.Request) (app.MunicipalGoalInput, string, error) {
	in := app.MunicipalGoalInput{Level: r.PostFormValue("level"), Dimension: r.PostFormValue("dimension"),
		Text: r.PostFormValue("text"), OwnerKind: r.PostFormValue("owner_kind"), Owner: r.PostFormValue("owner"),
		ServiceID: r.PostFormValue("service"), Indicator: r.PostFormValue("indicator"),
		IndicatorText: r.PostFormValue("indicator_text"), Year: s.goalYear(r)}
	text := r.PostFormValue("target")
	if strings.TrimSpace(text) != "" {
		v, ok := parseNumber(text)
		if !ok {
			return in, text, samordna.Errorf(samordna.KindInvalid, "invalid_target", "the target is a number")
		}
		in.Target = &v
	}
	return in, text, nil
}

func (s *Server) goalCreate(w http.ResponseWriter, r *http.Request) { s.goalSave(w, r, "") }

func (s *Server) goalUpdate(w http.ResponseWriter, r *http.Request) {
	s.goalSave(w, r, r.PathValue("id"))
}

// goalSave creates or changes a goal and goes back to the report, or
// shows the form again with the error.
func (s *Server) goalSave(w http.ResponseWriter, r *http.Request, id string) {
	if err := coordParseForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	in, targetText, err := s.goalInput(r)
	if err == nil {
		_, err = s.app.SaveGoal(r.Context(), reqctx.Actor(r.Context()), id, in)
	}
	if err != nil {
		if k := samordna.ErrorKind(err); k == samordna.KindNotFound || k == samordna.KindInternal {
			s.coordFail(w, r, err, nil)
			return
		}
		title := "goals.new_title"
		if id != "" {
			title = "goals.edit_title"
		}
		p := s.page(r, title)
		p.Error = s.goalMessage(p.Lang, err)
		s.renderGoalForm(w, r, p, samordna.HTTPStatus(err), goalFormData{ID: id, Year: in.Year, In: in, TargetText: targetText})
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/leadership/goals?year=%d&done=saved", in.Year), http.StatusSeeOther)
}

// goalMessage is the message id for an error on the goal pages.
func (s *Server) goalMessage(lang string, err error) string {
	id := "goals.err." + samordna.ErrorCode(err)
	if s.catalog.T(lang, id, nil) != "["+id+"]" {
		return id
	}
	return "goals.err.invalid"
}

// goalResult records an entered result for a quarter.
func (s *Server) goalResult(w http.ResponseWriter, r *http.Request) {
	if err := coordParseForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	year := s.goalYear(r)
	quarter, _ := strconv.Atoi(r.PostFormValue("quarter"))
	value, ok := parseNumber(r.PostFormValue("value"))
	var err error
	if !ok {
		err = samordna.Errorf(samordna.KindInvalid, "invalid_value", "the result is a number")
	} else {
		err = s.app.EnterGoalResult(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), year, quarter, value)
	}
	if err != nil {
		if k := samordna.ErrorKind(err); k == samordna.KindNotFound || k == samordna.KindInternal {
			s.coordFail(w, r, err, nil)
			return
		}
		p := s.page(r, "goals.title")
		p.Error = s.goalMessage(p.Lang, err)
		rep, rerr := s.app.GoalReportFor(r.Context(), reqctx.Actor(r.Context()), year)
		if rerr != nil {
			s.coordFail(w, r, rerr, nil)
			return
		}
		p.Data = goalReportData{Year: rep.Year, Levels: s.goalRows(p.Lang, rep), Quarters: []int{1, 2, 3, 4},
			Generated: coordTime(rep.Now)}
		s.render(w, r, samordna.HTTPStatus(err), "goals", p)
		return
	}
	http.Redirect(w, r, "/leadership/goals?year="+url.QueryEscape(strconv.Itoa(year))+"&done=result#goal-"+
		url.PathEscape(r.PathValue("id")), http.StatusSeeOther)
}
