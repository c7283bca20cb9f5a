package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/reqctx"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// This file holds the pages of seed 001 (Sola, "Når barn er pårørende"):
// children as next of kin on an adult service's case (hlspl § 10a), the
// case's FIT feedback with its chart, user surveys (the leaders' pages and
// the public answer page) and the methods catalogue.

func (s *Server) solaRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/cases/{id}/next-of-kin", Access: "case:read", Handler: s.nextOfKinPage},
		{Method: "POST", Path: "/cases/{id}/next-of-kin", Access: "case:write", Handler: s.nextOfKinAnswer},
		{Method: "POST", Path: "/cases/{id}/next-of-kin/children", Access: "case:write", Handler: s.nextOfKinAddChild},
		{Method: "POST", Path: "/next-of-kin-children/{id}", Access: "child_next_of_kin:write", Handler: s.nextOfKinUpdateChild},
		{Method: "GET", Path: "/cases/{id}/feedback", Access: "case:read", Handler: s.feedbackPage},
		{Method: "POST", Path: "/cases/{id}/feedback", Access: "case:write", Handler: s.feedbackSubmit},
		{Method: "GET", Path: "/surveys", Access: "role:service_leader", Handler: s.surveysPage},
		{Method: "POST", Path: "/surveys", Access: "role:service_leader", Handler: s.surveyCreate},
		{Method: "GET", Path: "/surveys/{id}", Access: "role:service_leader", Handler: s.surveyPage},
		{Method: "POST", Path: "/surveys/{id}/links", Access: "role:service_leader", Handler: s.surveyLinks},
		{Method: "GET", Path: "/survey/{secret}", Public: true, Access: "public", Handler: s.surveyAnswerPage},
		{Method: "POST", Path: "/survey/{secret}", Public: true, Access: "public", Handler: s.surveyAnswerSubmit},
		{Method: "GET", Path: "/methods", Access: "authenticated", Handler: s.methodsPage},
		{Method: "GET", Path: kgTemplatePath, Access: "authenticated", Handler: s.kgTemplatePage},
		{Method: "GET", Path: kgTemplatePath + ".pdf", Access: "authenticated", Handler: s.kgTemplatePDF},
	}
}

// norwegianDate shows YYYY-MM-DD as dd.mm.åååå ("" stays "").
func norwegianDate(iso string) string {
	t, err := time.Parse(time.DateOnly, iso)
	if err != nil {
		return iso
	}
	return t.Format("02.01.2006")
}

// isoDate reads dd.mm.åååå (or YYYY-MM-DD) as YYYY-MM-DD; "" stays "".
func isoDate(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	if t, err := time.Parse("02.01.2006", s); err == nil {
		return t.Format(time.DateOnly), nil
	}
	if _, err := time.Parse(time.DateOnly, s); err == nil {
		return s, nil
	}
	return "", samordna.Errorf(samordna.KindInvalid, "invalid_date", "give the date as dd.mm.åååå")
}

// solaFail re-renders a page with the error for invalid input and answers
// anything else (not found, a rule) as the error page.
func (s *Server) solaFail(w http.ResponseWriter, r *http.Request, err error, rerender func(p *Page)) {
	switch samordna.ErrorKind(err) {
	case samordna.KindInvalid, samordna.KindConflict, samordna.KindRule:
		p := s.page(r, "sola.error_title")
		p.Error = s.solaError(p.Lang, err)
		rerender(p)
	default:
		s.spineAppError(w, r, err)
	}
}

// solaError is the message id of an error: sola.err.<code>, else the
// case's messages, else a general one.
func (s *Server) solaError(lang string, err error) string {
	id := "sola.err." + samordna.ErrorCode(err)
	if s.catalog.T(lang, id, nil) != "["+id+"]" {
		return id
	}
	return s.spineErrorMessage(lang, err)
}

// nextOfKinData is the next-of-kin page.
type nextOfKinData struct {
	CaseID   string
	V        *app.NextOfKinView
	Answered string // dd.mm.åååå
	Children []childRow
	Add      app.NewChildNextOfKin
}

type childRow struct {
	C                   *store.ChildNextOfKin
	Birth, Recorded, ID string
}

func (s *Server) nextOfKinPage(w http.ResponseWriter, r *http.Request) {
	p := s.page(r, "sola.nok.title")
	if done := r.URL.Query().Get("done"); done == "saved" {
		p.Flash = "sola.saved"
	}
	s.renderNextOfKin(w, r, p, http.StatusOK, r.PathValue("id"), app.NewChildNextOfKin{})
}

// renderNextOfKin shows the next-of-kin page of caseID; the app checks that
// the actor may read it, so a case id from a form is safe here.
func (s *Server) renderNextOfKin(w http.ResponseWriter, r *http.Request, p *Page, status int, caseID string, add app.NewChildNextOfKin) {
	v, err := s.app.NextOfKin(r.Context(), reqctx.Actor(r.Context()), caseID)
	if err != nil {
		s.spineAppError(w, r, err)
		return
	}
	d := &nextOfKinData{CaseID: caseID, V: v, Add: add}
	if v.Answer != nil {
		d.Answered = v.Answer.AnsweredAt.In(pathway.Oslo()).Format("02.01.2006")
	}
	for _, c := range v.Children {
		d.Children = append(d.Children, childRow{C: c, ID: c.ID, Birth: norwegianDate(c.BirthDate),
			Recorded: c.RecordedAt.In(pathway.Oslo()).Format("02.01.2006")})
	}
	p.Data = d
	s.render(w, r, status, "sola_next_of_kin", p)
}

func (s *Server) nextOfKinAnswer(w http.ResponseWriter, r *http.Request) {
	if err := coordParseForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	err := s.app.AnswerNextOfKin(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), r.PostForm.Get("answer"))
	if err != nil {
		s.solaFail(w, r, err, func(p *Page) {
			s.renderNextOfKin(w, r, p, samordna.HTTPStatus(err), r.PathValue("id"), app.NewChildNextOfKin{})
		})
		return
	}
	seeOther(w, r, casePath(r.PathValue("id"), "/next-of-kin"), "saved", "")
}

func (s *Server) nextOfKinAddChild(w http.ResponseWriter, r *http.Request) {
	if err := coordParseForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	f := r.PostForm
	in := app.NewChildNextOfKin{Name: f.Get("name"), IDNumber: f.Get("child_fnr"), BirthDate: f.Get("birth_date"),
		Situation: f.Get("child_situation"), Information: f.Get("information"), FollowUp: f.Get("follow_up")}
	shown := in
	var err error
	if in.BirthDate, err = isoDate(in.BirthDate); err == nil {
		_, err = s.app.AddChildNextOfKin(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), in)
	}
	if err != nil {
		s.solaFail(w, r, err, func(p *Page) { s.renderNextOfKin(w, r, p, samordna.HTTPStatus(err), r.PathValue("id"), shown) })
		return
	}
	seeOther(w, r, casePath(r.PathValue("id"), "/next-of-kin"), "saved", "children")
}

func (s *Server) nextOfKinUpdateChild(w http.ResponseWriter, r *http.Request) {
	if err := coordParseForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	f := r.PostForm
	in := app.ChildFollowUp{Situation: f.Get("child_situation"), Information: f.Get("information"),
		FollowUp: f.Get("follow_up"), Outcome: f.Get("outcome"), LinkedCaseID: f.Get("case_id"), Basis: f.Get("basis"),
		NoCaseReason: f.Get("reason")}
	c, err := s.app.UpdateChildNextOfKin(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), in)
	if err != nil {
		// The form names the case of the page it was on, so that a mistake
		// is shown on that page again.
		s.solaFail(w, r, err, func(p *Page) {
			s.renderNextOfKin(w, r, p, samordna.HTTPStatus(err), f.Get("case"), app.NewChildNextOfKin{})
		})
		return
	}
	seeOther(w, r, casePath(c.CaseID, "/next-of-kin"), "saved", "child-"+c.ID)
}

// feedbackData is the FIT page: the chart, the table and the form.
type feedbackData struct {
	CaseID string
	V      *app.FeedbackView
	Rows   []feedbackRow
	Chart  *svgChart
	Date   string
	Values map[string]string
	// Respondents are who can give the ratings (app.FeedbackRespondents).
	Respondents []string
}

type feedbackRow struct {
	Date, By, Respondent string
	Outcome, Session     string // one decimal, "–" when none
}

func (s *Server) feedbackPage(w http.ResponseWriter, r *http.Request) {
	p := s.page(r, "sola.fit.title")
	if r.URL.Query().Get("done") == "saved" {
		p.Flash = "sola.saved"
	}
	s.renderFeedback(w, r, p, http.StatusOK, "", nil)
}

func oneDecimal(has bool, v float64) string {
	if !has {
		return "–"
	}
	return strings.Replace(strconv.FormatFloat(v, 'f', 1, 64), ".", ",", 1)
}

func (s *Server) renderFeedback(w http.ResponseWriter, r *http.Request, p *Page, status int, date string, values map[string]string) {
	v, err := s.app.CaseFeedback(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		s.spineAppError(w, r, err)
		return
	}
	d := &feedbackData{CaseID: r.PathValue("id"), V: v, Date: date, Values: values, Respondents: app.FeedbackRespondents}
	var outcome, session []chartPoint
	for _, pt := range v.Points {
		date := norwegianDate(pt.Session.Date)
		d.Rows = append(d.Rows, feedbackRow{Date: date, By: pt.Session.RecorderName,
			Respondent: s.catalog.T(p.Lang, "sola.fit.respondent."+pt.Session.Respondent, nil),
			Outcome:    oneDecimal(pt.HasOutcome, pt.Outcome), Session: oneDecimal(pt.HasSession, pt.SessionRating)})
		outcome = append(outcome, chartPoint{Label: date, Value: pt.Outcome, Has: pt.HasOutcome})
		session = append(session, chartPoint{Label: date, Value: pt.SessionRating, Has: pt.HasSession})
	}
	if len(v.Points) > 0 {
		d.Chart = newChart([]chartSeries{{Name: s.catalog.T(p.Lang, "sola.fit.outcome", nil), Points: outcome, Class: "series-a"},
			{Name: s.catalog.T(p.Lang, "sola.fit.session", nil), Points: session, Class: "series-b"}})
	}
	p.Data = d
	s.render(w, r, status, "sola_feedback", p)
}

func (s *Server) feedbackSubmit(w http.ResponseWriter, r *http.Request) {
	if err := coordParseForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	values := map[string]string{}
	ratings := map[string]int{}
	var err error
	for k, vs := range r.PostForm {
		id, ok := strings.CutPrefix(k, "rating_")
		if !ok || len(vs) == 0 || strings.TrimSpace(vs[0]) == "" {
			continue
		}
		values[id] = vs[0]
		n, convErr := strconv.Atoi(strings.TrimSpace(vs[0]))
		if convErr != nil {
			err = samordna.Errorf(samordna.KindInvalid, "invalid_rating", "a rating is a whole number from 0 to 10")
		}
		ratings[id] = n
	}
	shownDate := r.PostForm.Get("date")
	date, dateErr := isoDate(shownDate)
	if err == nil {
		err = dateErr
	}
	if err == nil {
		_, err = s.app.RecordFeedback(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"),
			app.FeedbackInput{Date: date, Respondent: r.PostForm.Get("respondent"), Ratings: ratings})
	}
	if err != nil {
		s.solaFail(w, r, err, func(p *Page) { s.renderFeedback(w, r, p, samordna.HTTPStatus(err), shownDate, values) })
		return
	}
	seeOther(w, r, casePath(r.PathValue("id"), "/feedback"), "saved", "")
}

// chartPoint is one value of a series; Has false leaves a gap.
type chartPoint struct {
	Label string
	Value float64
	Has   bool
}

type chartSeries struct {
	Name   string
	Class  string
	Points []chartPoint
}

// svgChart is a line chart of 0-10 values drawn on the server: the page
// shows it as an image with a text alternative, next to the data table.
type svgChart struct {
	Width, Height int
	Lines         []svgLine
	YTicks        []svgTick
	XTicks        []svgTick
	Series        []chartSeries
}

type svgLine struct {
	Class, Points string
	Dots          []svgDot
}

type svgDot struct{ X, Y float64 }

type svgTick struct {
	Pos   float64
	Label string
}

// newChart lays out the series on a 0-10 scale.
func newChart(series []chartSeries) *svgChart {
	const w, h, left, right, top, bottom = 640, 260, 40, 20, 10, 40
	c := &svgChart{Width: w, Height: h, Series: series}
	n := 0
	for _, s := range series {
		n = max(n, len(s.Points))
	}
	x := func(i int) float64 {
		if n <= 1 {
			return float64(left + (w-left-right)/2)
		}
		return float64(left) + float64(i)*float64(w-left-right)/float64(n-1)
	}
	y := func(v float64) float64 { return float64(top) + (10-v)*float64(h-top-bottom)/10 }
	for v := 0; v <= 10; v += 2 {
		c.YTicks = append(c.YTicks, svgTick{Pos: y(float64(v)), Label: strconv.Itoa(v)})
	}
	if len(series) > 0 {
		for i, p := range series[0].Points {
			c.XTicks = append(c.XTicks, svgTick{Pos: x(i), Label: p.Label})
		}
	}
	for _, s := range series {
		l := svgLine{Class: s.Class}
		var pts []string
		for i, p := range s.Points {
			if !p.Has {
				continue
			}
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(i), y(p.Value)))
			l.Dots = append(l.Dots, svgDot{X: x(i), Y: y(p.Value)})
		}
		l.Points = strings.Join(pts, " ")
		c.Lines = append(c.Lines, l)
	}
	return c
}

// surveysData is the leaders' survey list and the form for a new one.
type surveysData struct {
	Surveys  []surveyRow
	Title    string
	Intro    string
	Question string
}

type surveyRow struct {
	S       *store.Survey
	Created string
}

func (s *Server) surveysPage(w http.ResponseWriter, r *http.Request) {
	s.renderSurveys(w, r, s.page(r, "sola.surveys.title"), http.StatusOK, &surveysData{})
}

func (s *Server) renderSurveys(w http.ResponseWriter, r *http.Request, p *Page, status int, d *surveysData) {
	ss, err := s.app.Surveys(r.Context(), reqctx.Actor(r.Context()))
	if err != nil {
		s.spineAppError(w, r, err)
		return
	}
	for _, x := range ss {
		d.Surveys = append(d.Surveys, surveyRow{S: x, Created: x.CreatedAt.In(pathway.Oslo()).Format("02.01.2006")})
	}
	p.Data = d
	s.render(w, r, status, "sola_surveys", p)
}

func (s *Server) surveyCreate(w http.ResponseWriter, r *http.Request) {
	if err := coordParseForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	d := &surveysData{Title: r.PostForm.Get("title"), Intro: r.PostForm.Get("intro"), Question: r.PostForm.Get("questions")}
	sv, err := s.app.CreateSurvey(r.Context(), reqctx.Actor(r.Context()), app.NewSurvey{Title: d.Title, Intro: d.Intro,
		Questions: strings.Split(strings.ReplaceAll(d.Question, "\r\n", "\n"), "\n")})
	if err != nil {
		s.solaFail(w, r, err, func(p *Page) { s.renderSurveys(w, r, p, samordna.HTTPStatus(err), d) })
		return
	}
	http.Redirect(w, r, "/surveys/"+sv.ID, http.StatusSeeOther)
}

// surveyData is one survey's page: results per group, and links.
type surveyData struct {
	S        *store.Survey
	Groups   []surveyGroupRow
	Services []*samordna.Service
	Links    []string // just made: shown once
}

type surveyGroupRow struct {
	Name      string
	Hidden    bool
	Responses int
	Questions []surveyQuestionRow
}

type surveyQuestionRow struct {
	Text, Mean string
	Answered   int
	Values     [5]int
}

func (s *Server) surveyPage(w http.ResponseWriter, r *http.Request) {
	s.renderSurvey(w, r, s.page(r, "sola.survey.title"), http.StatusOK, nil)
}

func (s *Server) renderSurvey(w http.ResponseWriter, r *http.Request, p *Page, status int, links []string) {
	actor := reqctx.Actor(r.Context())
	sv, groups, err := s.app.SurveyResults(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		s.spineAppError(w, r, err)
		return
	}
	d := &surveyData{S: sv, Links: links}
	for _, g := range groups {
		row := surveyGroupRow{Name: g.ServiceName, Hidden: g.Hidden, Responses: g.Responses}
		if row.Name == "" {
			row.Name = s.catalog.T(p.Lang, "sola.survey.all", nil)
		}
		for _, q := range g.Questions {
			row.Questions = append(row.Questions, surveyQuestionRow{Text: q.Text, Answered: q.Answered, Values: q.Values,
				Mean: oneDecimal(q.Answered > 0, q.Mean)})
		}
		d.Groups = append(d.Groups, row)
	}
	services, err := s.app.ListServicesForForms(r.Context(), actor)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	d.Services = services
	p.Data = d
	s.render(w, r, status, "sola_survey", p)
}

func (s *Server) surveyLinks(w http.ResponseWriter, r *http.Request) {
	if err := coordParseForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	n, _ := strconv.Atoi(strings.TrimSpace(r.PostForm.Get("count")))
	tokens, err := s.app.CreateSurveyLinks(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"),
		r.PostForm.Get("service"), n)
	if err != nil {
		s.solaFail(w, r, err, func(p *Page) { s.renderSurvey(w, r, p, samordna.HTTPStatus(err), nil) })
		return
	}
	var links []string
	for _, t := range tokens {
		links = append(links, s.absolute(r, "/survey/"+t))
	}
	s.renderSurvey(w, r, s.page(r, "sola.survey.title"), http.StatusCreated, links)
}

// absolute makes a link a person can be sent: this server's address and
// the path.
func (s *Server) absolute(r *http.Request, path string) string {
	scheme := "https"
	if r.TLS == nil && !strings.HasPrefix(r.Header.Get("X-Forwarded-Proto"), "https") {
		scheme = "http"
	}
	return scheme + "://" + r.Host + path
}

// surveyAnswerData is the public answer page.
type surveyAnswerData struct {
	S      *store.Survey
	Action string
	Done   bool // answered: thank you
	Gone   bool // used or closed
}

// Scale is the answer scale, 1 (strongly disagree) to 5 (strongly agree).
func (surveyAnswerData) Scale() []int { return []int{1, 2, 3, 4, 5} }

func (s *Server) surveyAnswerPage(w http.ResponseWriter, r *http.Request) {
	p := s.page(r, "sola.answer.title")
	sv, err := s.app.SurveyToAnswer(r.Context(), r.PathValue("secret"))
	s.renderAnswer(w, r, p, sv, err)
}

func (s *Server) renderAnswer(w http.ResponseWriter, r *http.Request, p *Page, sv *store.Survey, err error) {
	switch {
	case err == nil:
		p.Data = &surveyAnswerData{S: sv, Action: "/survey/" + r.PathValue("secret")}
		s.render(w, r, http.StatusOK, "sola_answer", p)
	case samordna.ErrorKind(err) == samordna.KindNotFound || samordna.ErrorCode(err) == "link_used":
		p.Data = &surveyAnswerData{Gone: true}
		s.render(w, r, http.StatusGone, "sola_answer", p)
	default:
		s.serverError(w, r, err)
	}
}

func (s *Server) surveyAnswerSubmit(w http.ResponseWriter, r *http.Request) {
	if err := coordParseForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	answers := map[int]int{}
	for k, vs := range r.PostForm {
		pos, ok := strings.CutPrefix(k, "q")
		if !ok || len(vs) == 0 {
			continue
		}
		i, err1 := strconv.Atoi(pos)
		v, err2 := strconv.Atoi(vs[0])
		if err1 == nil && err2 == nil {
			answers[i] = v
		}
	}
	err := s.app.AnswerSurvey(r.Context(), r.PathValue("secret"), answers)
	p := s.page(r, "sola.answer.title")
	if err == nil {
		p.Data = &surveyAnswerData{Done: true}
		s.render(w, r, http.StatusOK, "sola_answer", p)
		return
	}
	if samordna.ErrorKind(err) == samordna.KindInvalid {
		sv, err2 := s.app.SurveyToAnswer(r.Context(), r.PathValue("secret"))
		p.Error = s.solaError(p.Lang, err)
		if err2 == nil {
			p.Data = &surveyAnswerData{S: sv, Action: "/survey/" + r.PathValue("secret")}
			s.render(w, r, http.StatusBadRequest, "sola_answer", p)
			return
		}
		err = err2
	}
	s.renderAnswer(w, r, p, nil, err)
}

// methodsData is the catalogue page.
type methodsData struct {
	Methods []methodRow
}

type methodRow struct {
	M              *store.Method
	Adopted        string
	Measures, Case int
	Template       string // the path of the method's shipped template, "" for none
}

func (s *Server) methodsPage(w http.ResponseWriter, r *http.Request) {
	ms, use, err := s.app.Methods(r.Context(), reqctx.Actor(r.Context()))
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	d := &methodsData{}
	for _, m := range ms {
		row := methodRow{M: m, Adopted: m.AdoptedAt.In(pathway.Oslo()).Format("02.01.2006"),
			Measures: use[m.ID].Measures, Case: use[m.ID].Cases}
		if m.Template == store.MethodTemplateKindergarten {
			row.Template = kgTemplatePath
		}
		d.Methods = append(d.Methods, row)
	}
	p := s.page(r, "sola.methods.title")
	p.Data = d
	s.render(w, r, http.StatusOK, "sola_methods", p)
}
