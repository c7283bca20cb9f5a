package web

import (
	"net/http"
	"slices"
	"strings"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/reqctx"
)

// This file is the administrator's organisation pages (issue 12): an index
// with counts, and lists, new and edit forms for districts, services
// (kind, district, leaders), teams (kind, district, meeting rule, leader,
// members, submitting services) and employees (services, roles). Every
// change goes through the app's organisation use cases, which refuse
// anyone but the administrator as if the page did not exist. Message ids
// are in web/locales/org.*.yaml under "org.".

// adminRoutes lists the organisation pages.
func (s *Server) adminRoutes() []Route {
	a := func(method, path string, h http.HandlerFunc) Route {
		return Route{Method: method, Path: path, Access: "role:admin", Handler: h}
	}
	return []Route{
		a("GET", "/admin", s.adminIndex),
		a("GET", "/admin/districts", s.adminDistricts),
		a("POST", "/admin/districts", s.adminDistrictCreate),
		a("POST", "/admin/districts/{id}", s.adminDistrictRename),
		a("GET", "/admin/services", s.adminServices),
		a("GET", "/admin/services/new", s.adminServiceNew),
		a("POST", "/admin/services", s.adminServiceCreate),
		a("GET", "/admin/services/{id}", s.adminServiceEdit),
		a("POST", "/admin/services/{id}", s.adminServiceUpdate),
		a("GET", "/admin/teams", s.adminTeams),
		a("GET", "/admin/teams/new", s.adminTeamNew),
		a("POST", "/admin/teams", s.adminTeamCreate),
		a("GET", "/admin/teams/{id}", s.adminTeamEdit),
		a("POST", "/admin/teams/{id}", s.adminTeamUpdate),
		a("GET", "/admin/employees", s.adminEmployees),
		a("GET", "/admin/employees/new", s.adminEmployeeNew),
		a("POST", "/admin/employees", s.adminEmployeeCreate),
		a("GET", "/admin/employees/{id}", s.adminEmployeeEdit),
		a("POST", "/admin/employees/{id}", s.adminEmployeeUpdate),
	}
}

// orgNames looks up the names of the organisation's districts, services and
// employees by id, so that pages show names, never ids.
type orgNames struct {
	org       *app.Organisation
	districts map[string]string
	services  map[string]string
	employees map[string]string
}

// loadOrg reads the organisation for the signed-in administrator; a refusal
// or failure is answered (404 or 500) and nil returned.
func (s *Server) loadOrg(w http.ResponseWriter, r *http.Request) *orgNames {
	o, err := s.app.Organisation(r.Context(), reqctx.Actor(r.Context()))
	if err != nil {
		s.spineAppError(w, r, err)
		return nil
	}
	n := &orgNames{org: o, districts: map[string]string{}, services: map[string]string{}, employees: map[string]string{}}
	for _, d := range o.Districts {
		n.districts[d.ID] = d.Name
	}
	for _, x := range o.Services {
		n.services[x.ID] = x.Name
	}
	for _, e := range o.Employees {
		n.employees[e.ID] = e.Name
	}
	return n
}

// nameList returns the names of ids, sorted the Norwegian way.
func nameList(names map[string]string, ids []string) []string {
	var out []string
	for _, id := range ids {
		if n, ok := names[id]; ok {
			out = append(out, n)
		}
	}
	sortNames(out)
	return out
}

// sortNames sorts names in Norwegian alphabetical order (æ, ø, å last).
func sortNames(names []string) {
	collate.New(language.Norwegian).SortStrings(names)
}

// option is one choice in a select or a group of checkboxes.
type option struct {
	Value, Label string
	Selected     bool
}

// options returns a choice per id with its name, sorted by name, selected
// when in chosen.
func options(names map[string]string, chosen []string) []option {
	var out []option
	for id, n := range names {
		out = append(out, option{Value: id, Label: n, Selected: slices.Contains(chosen, id)})
	}
	c := collate.New(language.Norwegian)
	slices.SortFunc(out, func(a, b option) int {
		if x := c.CompareString(a.Label, b.Label); x != 0 {
			return x
		}
		return strings.Compare(a.Value, b.Value)
	})
	return out
}

// codeOptions returns a choice per code with its label from the catalog
// (prefix + code), in the given order.
func (s *Server) codeOptions(lang, prefix string, codes []string, chosen ...string) []option {
	var out []option
	for _, c := range codes {
		out = append(out, option{Value: c, Label: s.catalog.T(lang, prefix+c, nil), Selected: slices.Contains(chosen, c)})
	}
	return out
}

// orgFail answers a refused or failed change: not found and internal
// errors as everywhere, anything else by showing the form again (again)
// with the error in the page's summary.
func (s *Server) orgFail(w http.ResponseWriter, r *http.Request, err error, again func(p *Page, status int)) {
	switch samordna.ErrorKind(err) {
	case samordna.KindNotFound, samordna.KindInternal:
		s.spineAppError(w, r, err)
		return
	}
	p := s.page(r, "org.title")
	id := "org.error." + samordna.ErrorCode(err)
	if s.catalog.T(p.Lang, id, nil) == "["+id+"]" {
		id = "org.error.other"
	}
	p.Error = id
	again(p, samordna.HTTPStatus(err))
}

// orgFlash sets the page's notice from ?done=.
func (s *Server) orgFlash(r *http.Request, p *Page) {
	if done := r.URL.Query().Get("done"); done != "" {
		if id := "org.done." + done; s.catalog.T(p.Lang, id, nil) != "["+id+"]" {
			p.Flash = id
		}
	}
}

// adminIndexData is the index: how many of each there are.
type adminIndexData struct {
	Districts, Services, Teams, Employees int
}

func (s *Server) adminIndex(w http.ResponseWriter, r *http.Request) {
	n := s.loadOrg(w, r)
	if n == nil {
		return
	}
	p := s.page(r, "org.title")
	p.Data = adminIndexData{Districts: len(n.org.Districts), Services: len(n.org.Services), Teams: len(n.org.Teams),
		Employees: len(n.org.Employees)}
	s.render(w, r, http.StatusOK, "admin_index", p)
}

// sortRows sorts rows by the Norwegian order of key.
func sortRows[T any](rows []T, key func(T) string) {
	c := collate.New(language.Norwegian)
	slices.SortStableFunc(rows, func(a, b T) int { return c.CompareString(key(a), key(b)) })
}
