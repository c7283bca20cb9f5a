package web

import (
	"net/http"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/reqctx"
)

// teamKindCodes are the kinds of team in the order the form offers them.
var teamKindCodes = []string{string(samordna.TeamInterdisciplinary), string(samordna.TeamOverarching),
	string(samordna.TeamResourceGroup), string(samordna.TeamOther)}

// teamRow is a team in the list, everything by name.
type teamRow struct {
	ID, Name, Kind, District, MeetingRule, Leader string
	Members                                       []string
}

func (s *Server) adminTeams(w http.ResponseWriter, r *http.Request) {
	n := s.loadOrg(w, r)
	if n == nil {
		return
	}
	p := s.page(r, "org.teams_title")
	s.orgFlash(r, p)
	var rows []teamRow
	for _, x := range n.org.Teams {
		row := teamRow{ID: x.ID, Name: x.Name, Kind: s.catalog.T(p.Lang, "org.team_kind."+string(x.Kind), nil),
			District: n.districts[x.DistrictID], Leader: n.employees[x.LeaderID], Members: nameList(n.employees, x.MemberIDs)}
		if x.MeetingRule != "" {
			row.MeetingRule = s.catalog.T(p.Lang, "org.rule."+x.MeetingRule, nil)
		}
		rows = append(rows, row)
	}
	sortRows(rows, func(x teamRow) string { return x.Name })
	p.Data = rows
	s.render(w, r, http.StatusOK, "admin_teams", p)
}

// teamFormData is the new or edit form of a team.
type teamFormData struct {
	ID, Name, Purpose string
	Kinds, Districts  []option
	Rules, Leaders    []option
	Members           []option
	Submitters        []option
}

func (s *Server) renderTeamForm(w http.ResponseWriter, r *http.Request, p *Page, status int, id string, in app.NewTeam) {
	n := s.loadOrg(w, r)
	if n == nil {
		return
	}
	p.Title = "org.team_new"
	if id != "" {
		p.Title = "org.team_edit"
	}
	p.Data = teamFormData{ID: id, Name: in.Name, Purpose: in.Purpose,
		Kinds:      s.codeOptions(p.Lang, "org.team_kind.", teamKindCodes, string(in.Kind)),
		Districts:  options(n.districts, []string{in.DistrictID}),
		Rules:      s.codeOptions(p.Lang, "org.rule.", app.MeetingRules, in.MeetingRule),
		Leaders:    options(n.employees, []string{in.LeaderID}),
		Members:    options(n.employees, in.MemberIDs),
		Submitters: options(n.services, in.SubmitterIDs)}
	s.render(w, r, status, "admin_team_form", p)
}

func (s *Server) adminTeamNew(w http.ResponseWriter, r *http.Request) {
	s.renderTeamForm(w, r, s.page(r, "org.team_new"), http.StatusOK, "", app.NewTeam{})
}

func (s *Server) adminTeamEdit(w http.ResponseWriter, r *http.Request) {
	n := s.loadOrg(w, r)
	if n == nil {
		return
	}
	for _, x := range n.org.Teams {
		if x.ID == r.PathValue("id") {
			in := app.NewTeam{Name: x.Name, Kind: x.Kind, Purpose: x.Purpose, DistrictID: x.DistrictID,
				MeetingRule: x.MeetingRule, LeaderID: x.LeaderID, MemberIDs: x.MemberIDs, SubmitterIDs: x.SubmitterIDs}
			s.renderTeamForm(w, r, s.page(r, "org.team_edit"), http.StatusOK, x.ID, in)
			return
		}
	}
	s.errorPage(w, r, http.StatusNotFound, "error.not_found")
}

// teamInput reads the team form.
func teamInput(r *http.Request) app.NewTeam {
	f := r.PostForm
	return app.NewTeam{Name: refillable(f.Get("name")), Kind: samordna.TeamKind(f.Get("kind")),
		Purpose: refillable(f.Get("purpose")), DistrictID: f.Get("district"), MeetingRule: f.Get("meeting_rule"),
		LeaderID: f.Get("leader"), MemberIDs: f["members"], SubmitterIDs: f["submitters"]}
}

func (s *Server) adminTeamCreate(w http.ResponseWriter, r *http.Request) {
	if err := parseSpineForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	in := teamInput(r)
	if _, err := s.app.CreateTeam(r.Context(), reqctx.Actor(r.Context()), in); err != nil {
		s.orgFail(w, r, err, func(p *Page, status int) { s.renderTeamForm(w, r, p, status, "", in) })
		return
	}
	http.Redirect(w, r, "/admin/teams?done=team_saved", http.StatusSeeOther)
}

func (s *Server) adminTeamUpdate(w http.ResponseWriter, r *http.Request) {
	if err := parseSpineForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	in, id := teamInput(r), r.PathValue("id")
	if err := s.app.UpdateTeam(r.Context(), reqctx.Actor(r.Context()), id, in); err != nil {
		s.orgFail(w, r, err, func(p *Page, status int) { s.renderTeamForm(w, r, p, status, id, in) })
		return
	}
	http.Redirect(w, r, "/admin/teams?done=team_saved", http.StatusSeeOther)
}
