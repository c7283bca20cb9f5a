package web

import (
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/reqctx"
	"github.com/samordna/samordna/pathway"
)

// This file holds the pages of seed 002 (Hammerfest) besides the team
// meetings: the target groups on the case page (§2.3), the system issues a
// team sends to the OST and the OST decides (§4.2, §4.1), and the team
// report (issue 15 point 7).

// seed002Routes lists the pages.
func (s *Server) seed002Routes() []Route {
	return []Route{
		{Method: "POST", Path: "/cases/{id}/target-groups", Access: "case:write", Handler: s.setCaseTargetGroups},
		{Method: "GET", Path: "/my-teams", Access: "authenticated", Handler: s.myTeamsPage},
		{Method: "GET", Path: "/teams/{id}/system-issues", Access: "team_issues:read", Handler: s.teamIssuesPage},
		{Method: "POST", Path: "/teams/{id}/system-issues", Access: "team_issues:send", Handler: s.sendIssue},
		{Method: "GET", Path: "/system-issues/{id}", Access: "system_issue:read", Handler: s.issuePage},
		{Method: "POST", Path: "/system-issues/{id}/decision", Access: "system_issue:decide", Handler: s.decideIssue},
		{Method: "POST", Path: "/system-issues/{id}/follow-up", Access: "system_issue:follow_up", Handler: s.followUpIssue},
		{Method: "GET", Path: "/teams/{id}/report", Access: "team_report:read", Handler: s.teamReportPage},
		{Method: "GET", Path: "/teams/{id}/report.csv", Access: "team_report:read", Handler: s.teamReportCSV},
		{Method: "GET", Path: "/teams/{id}/report.pdf", Access: "team_report:read", Handler: s.teamReportPDF},
	}
}

// targetGroupChoice is one checkbox of the target group form.
type targetGroupChoice struct {
	Code, Label string
	Checked     bool
}

// targetGroupChoices are the form's two fieldsets: children, then adults.
type targetGroupChoices struct {
	Children, Adults []targetGroupChoice
	Chosen           []string // the labels of the chosen groups
}

// targetGroupChoicesFor builds the form with the chosen codes checked.
func targetGroupChoicesFor(lang string, chosen []string) targetGroupChoices {
	var out targetGroupChoices
	for _, g := range samordna.TargetGroups {
		c := targetGroupChoice{Code: g.Code, Label: g.Name(lang)}
		for _, x := range chosen {
			if x == g.Code {
				c.Checked = true
				out.Chosen = append(out.Chosen, c.Label)
			}
		}
		if g.Age == samordna.TargetChildren {
			out.Children = append(out.Children, c)
		} else {
			out.Adults = append(out.Adults, c)
		}
	}
	return out
}

// setCaseTargetGroups saves the case page's target group form.
func (s *Server) setCaseTargetGroups(w http.ResponseWriter, r *http.Request) {
	if err := parseSpineForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	codes := r.PostForm["groups"]
	if _, err := s.app.SetCaseTargetGroups(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), codes); err != nil {
		s.caseFormError(w, r, "case_target_groups", err, func(d *casePageData) { d.TargetGroups = targetGroupChoicesFor(s.lang(r), codes) })
		return
	}
	caseDoneRedirect(w, r, r.PathValue("id"), "target_groups_set", "target-groups")
}

// teamLink is a team the employee is in, with what they may open.
type teamLink struct {
	ID, Name, Kind string
	Issues, Report bool
}

// myTeamsPage lists the teams the employee is a member or leader of, with
// their system issues and, for those who may, the team report.
func (s *Server) myTeamsPage(w http.ResponseWriter, r *http.Request) {
	teams, err := s.app.MyTeams(r.Context(), reqctx.Actor(r.Context()))
	if err != nil {
		s.spineAppError(w, r, err)
		return
	}
	p := s.page(r, "issue.my_teams_title")
	var rows []teamLink
	for _, t := range teams {
		rows = append(rows, teamLink{ID: t.Team.ID, Name: t.Team.Name,
			Kind: s.catalog.T(p.Lang, "org.team_kind."+string(t.Team.Kind), nil), Issues: t.Issues, Report: t.Report})
	}
	p.Data = rows
	s.render(w, r, http.StatusOK, "my_teams", p)
}

// issueRow is a system issue as the pages show it: dates dd.mm.åååå,
// people by name.
type issueRow struct {
	ID, Title, Description, Status, FromTeam, ToTeam, SentBy, Sent string
	Meeting, Decision, Owner, Due, DecidedBy, FollowUpNote         string
	FollowedUpBy, FollowedUp                                       string
	CanDecide, CanFollowUp                                         bool
}

// day formats an instant as dd.mm.åååå in Oslo.
func day(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.In(pathway.Oslo()).Format("02.01.2006")
}

func (s *Server) issueRow(lang string, v *app.SystemIssueView) issueRow {
	x := issueRow{ID: v.ID, Title: v.Title, Description: v.Description, FromTeam: v.FromTeam, ToTeam: v.ToTeam,
		Status: s.catalog.T(lang, "issue.status."+v.Status, nil), SentBy: v.SentByName, Sent: day(&v.SentAt),
		Decision: v.Decision, Owner: v.OwnerName, Due: spineDay(v.FollowUpDue), DecidedBy: v.DecidedByName,
		FollowUpNote: v.FollowUpNote, FollowedUpBy: v.FollowedUpByName, FollowedUp: day(v.FollowedUpAt),
		CanDecide: v.CanDecide, CanFollowUp: v.CanFollowUp}
	if v.Meeting != nil {
		x.Meeting = day(&v.Meeting.StartsAt)
	}
	return x
}

// teamIssuesData is the team's system issue page.
type teamIssuesData struct {
	TeamID, TeamName string
	OST              bool // the team is the OST: it receives, it does not send
	Rows             []issueRow
	Review           bool // the send form's review step
	Title, Text      string
}

func (s *Server) teamIssuesPage(w http.ResponseWriter, r *http.Request) {
	p := s.page(r, "issue.team_title")
	if r.URL.Query().Get("done") == "sent" {
		p.Flash = "issue.done_sent"
	}
	s.renderTeamIssues(w, r, p, http.StatusOK, &teamIssuesData{})
}

// renderTeamIssues reads the team's issues (audited) and renders the page.
func (s *Server) renderTeamIssues(w http.ResponseWriter, r *http.Request, p *Page, status int, d *teamIssuesData) {
	t, list, err := s.app.TeamSystemIssues(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		s.spineAppError(w, r, err)
		return
	}
	d.TeamID, d.TeamName, d.OST = t.ID, t.Name, t.Kind == samordna.TeamOverarching
	for _, v := range list {
		d.Rows = append(d.Rows, s.issueRow(p.Lang, v))
	}
	p.Data = d
	s.render(w, r, status, "team_issues", p)
}

// sendIssue is the send form: step "review" shows what will be sent to
// the OST (sending cannot be undone); step "send" sends.
func (s *Server) sendIssue(w http.ResponseWriter, r *http.Request) {
	if err := parseSpineForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	d := &teamIssuesData{Title: strings.TrimSpace(r.PostForm.Get("title")), Text: strings.TrimSpace(r.PostForm.Get("description"))}
	p := s.page(r, "issue.team_title")
	if r.PostForm.Get("step") != "send" {
		if d.Title == "" || d.Text == "" {
			p.Error = "issue.err.required"
			s.renderTeamIssues(w, r, p, http.StatusBadRequest, d)
			return
		}
		d.Review = true
		s.renderTeamIssues(w, r, p, http.StatusOK, d)
		return
	}
	_, err := s.app.SendSystemIssue(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"),
		app.NewSystemIssue{Title: d.Title, Description: d.Text})
	if err == nil {
		seeOther(w, r, "/teams/"+r.PathValue("id")+"/system-issues", "sent", "issues")
		return
	}
	switch samordna.ErrorKind(err) {
	case samordna.KindNotFound, samordna.KindInternal:
		s.spineAppError(w, r, err)
		return
	}
	p.Error = s.issueError(p.Lang, err)
	s.renderTeamIssues(w, r, p, samordna.HTTPStatus(err), d)
}

// issueError is the message id of an error: issue.err.<code> when the
// catalog has it, a general one otherwise.
func (s *Server) issueError(lang string, err error) string {
	id := "issue.err." + samordna.ErrorCode(err)
	if s.catalog.T(lang, id, nil) != "["+id+"]" {
		return id
	}
	return "case.err.invalid"
}

// issuePageData is one issue with the OST's decision form and the
// owner's follow-up form.
type issuePageData struct {
	Issue    issueRow
	FromID   string
	Owners   []option
	Decision string
	Due      string
	Note     string
}

func (s *Server) issuePage(w http.ResponseWriter, r *http.Request) {
	p := s.page(r, "issue.title")
	switch r.URL.Query().Get("done") {
	case "decided":
		p.Flash = "issue.done_decided"
	case "followed_up":
		p.Flash = "issue.done_followed_up"
	}
	s.renderIssue(w, r, p, http.StatusOK, &issuePageData{})
}

func (s *Server) renderIssue(w http.ResponseWriter, r *http.Request, p *Page, status int, d *issuePageData) {
	v, err := s.app.GetSystemIssue(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		s.spineAppError(w, r, err)
		return
	}
	d.Issue, d.FromID = s.issueRow(p.Lang, v), v.FromTeamID
	if d.Decision == "" {
		d.Decision = v.Decision
	}
	if v.CanDecide {
		owners, err := s.app.IssueOwnerChoices(r.Context(), reqctx.Actor(r.Context()), v.ID)
		if err != nil {
			s.spineAppError(w, r, err)
			return
		}
		for _, o := range owners {
			d.Owners = append(d.Owners, option{Value: o.ID, Label: o.Name, Selected: o.ID == v.OwnerID})
		}
	}
	p.Data = d
	s.render(w, r, status, "system_issue", p)
}

func (s *Server) decideIssue(w http.ResponseWriter, r *http.Request) {
	if err := parseSpineForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	f := r.PostForm
	d := &issuePageData{Decision: f.Get("decision"), Due: f.Get("due")}
	_, err := s.app.DecideSystemIssue(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"),
		app.IssueDecision{Decision: d.Decision, OwnerID: f.Get("owner"), FollowUpDue: d.Due})
	s.afterIssueChange(w, r, err, "decided", d)
}

func (s *Server) followUpIssue(w http.ResponseWriter, r *http.Request) {
	if err := parseSpineForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	d := &issuePageData{Note: r.PostForm.Get("note")}
	_, err := s.app.FollowUpSystemIssue(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), d.Note)
	s.afterIssueChange(w, r, err, "followed_up", d)
}

// afterIssueChange redirects after a change, or shows the page again with
// the error and the form as sent.
func (s *Server) afterIssueChange(w http.ResponseWriter, r *http.Request, err error, done string, d *issuePageData) {
	if err == nil {
		seeOther(w, r, "/system-issues/"+r.PathValue("id"), done, "")
		return
	}
	switch samordna.ErrorKind(err) {
	case samordna.KindNotFound, samordna.KindInternal:
		s.spineAppError(w, r, err)
		return
	}
	p := s.page(r, "issue.title")
	p.Error = s.issueError(p.Lang, err)
	s.renderIssue(w, r, p, samordna.HTTPStatus(err), d)
}

// reportLine is one row of the report page.
type reportLine struct{ Label, Count string }

// reportSection is one table of the report page.
type reportSection struct {
	ID, Title string
	Rows      []reportLine
}

// teamReportData is the team report page.
type teamReportData struct {
	TeamID, TeamName    string
	Year                int
	Years               []option
	Matters             int
	Totals              []reportLine
	Sections            []reportSection
	MedianDays, MaxDays string
	SystemIssues        int
}

// reportYear reads ?year= (default this year).
func reportYear(r *http.Request) int {
	if y, err := strconv.Atoi(r.URL.Query().Get("year")); err == nil {
		return y
	}
	return time.Now().In(pathway.Oslo()).Year()
}

// countLabel shows a count, "under 5" for a hidden one.
func (s *Server) countLabel(lang string, c app.Count) string {
	if c.Hidden {
		return s.catalog.T(lang, "teamreport.under_5", nil)
	}
	return strconv.Itoa(c.N)
}

func (s *Server) teamReportPage(w http.ResponseWriter, r *http.Request) {
	year := reportYear(r)
	rep, err := s.app.TeamReportFor(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), year)
	if err != nil {
		s.spineAppError(w, r, err)
		return
	}
	p := s.page(r, "teamreport.title")
	d := teamReportData{TeamID: rep.Team.ID, TeamName: rep.Team.Name, Year: rep.Year, Matters: rep.Matters,
		SystemIssues: rep.SystemIssues}
	now := time.Now().In(pathway.Oslo()).Year()
	for y := now; y >= now-5; y-- {
		d.Years = append(d.Years, option{Value: strconv.Itoa(y), Label: strconv.Itoa(y), Selected: y == rep.Year})
	}
	c := func(c app.Count) string { return s.countLabel(p.Lang, c) }
	d.Totals = []reportLine{{s.catalog.T(p.Lang, "teamreport.anonymous", nil), c(rep.Anonymous)},
		{s.catalog.T(p.Lang, "teamreport.named", nil), c(rep.Named)},
		{s.catalog.T(p.Lang, "team.report_for_parents", nil), c(rep.ForParents)},
		{s.catalog.T(p.Lang, "teamreport.discussed", nil), c(rep.Discussed)},
		{s.catalog.T(p.Lang, "teamreport.with_advice", nil), c(rep.WithAdvice)}}
	groups := reportSection{ID: "groups", Title: s.catalog.T(p.Lang, "teamreport.by_group", nil)}
	for _, l := range rep.ByTargetGroup {
		g, _ := samordna.TargetGroupByCode(l.Code)
		groups.Rows = append(groups.Rows, reportLine{g.Name(p.Lang), c(l.Count)})
	}
	groups.Rows = append(groups.Rows, reportLine{s.catalog.T(p.Lang, "teamreport.unclassified", nil), c(rep.Unclassified)})
	districts := reportSection{ID: "districts", Title: s.catalog.T(p.Lang, "teamreport.by_district", nil)}
	for _, l := range rep.ByDistrict {
		label := l.Label
		if l.Code == "" {
			label = s.catalog.T(p.Lang, "teamreport.no_district", nil)
		}
		districts.Rows = append(districts.Rows, reportLine{label, c(l.Count)})
	}
	referrals := reportSection{ID: "referrals", Title: s.catalog.T(p.Lang, "teamreport.referrals", nil)}
	for _, l := range rep.Referrals {
		code := l.Code
		if code == "" {
			code = "none"
		}
		referrals.Rows = append(referrals.Rows, reportLine{s.catalog.T(p.Lang, "teamreport.referral."+code, nil), c(l.Count)})
	}
	d.Sections = []reportSection{groups, districts, referrals}
	d.MedianDays, d.MaxDays = s.catalog.T(p.Lang, "teamreport.too_few", nil), s.catalog.T(p.Lang, "teamreport.too_few", nil)
	if rep.MedianDays != nil {
		d.MedianDays, d.MaxDays = strconv.Itoa(*rep.MedianDays), strconv.Itoa(*rep.MaxDays)
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "team_report", p)
}

func (s *Server) teamReportCSV(w http.ResponseWriter, r *http.Request) {
	rep, err := s.app.TeamReportFor(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), reportYear(r))
	if err != nil {
		s.spineAppError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="teamrapport-`+strconv.Itoa(rep.Year)+`.csv"`)
	cw := csv.NewWriter(w)
	cw.Comma = ';' // as Excel in Norway reads it
	_ = cw.WriteAll(app.TeamReportCSV(rep))
}

func (s *Server) teamReportPDF(w http.ResponseWriter, r *http.Request) {
	year := reportYear(r)
	b, err := s.app.TeamReportPDF(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), year)
	if err != nil {
		s.spineAppError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="teamrapport-`+strconv.Itoa(year)+`.pdf"`)
	_, _ = w.Write(b)
}
