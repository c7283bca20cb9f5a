package web

import (
	"net/http"
	"net/url"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/internal/reqctx"
)

// districtsData is the districts page: each district with the schools and
// kindergartens in it (its intake list), and the new-district form.
type districtsData struct {
	Rows    []districtRow
	NewName string // the new district's name as typed, after an error
	ErrorID string // the district whose rename was refused; "new" for the new one
	Name    string // the refused rename as typed
}

type districtRow struct {
	ID, Name string
	Intake   []string // schools and kindergartens in the district, by name
	Others   []string // other services in the district, by name
}

func (s *Server) adminDistricts(w http.ResponseWriter, r *http.Request) {
	p := s.page(r, "org.districts_title")
	s.orgFlash(r, p)
	s.renderDistricts(w, r, p, http.StatusOK, &districtsData{})
}

func (s *Server) renderDistricts(w http.ResponseWriter, r *http.Request, p *Page, status int, d *districtsData) {
	n := s.loadOrg(w, r)
	if n == nil {
		return
	}
	p.Title = "org.districts_title"
	for _, x := range n.org.Districts {
		row := districtRow{ID: x.ID, Name: x.Name}
		for _, svc := range n.org.Services {
			if svc.DistrictID != x.ID {
				continue
			}
			if svc.Kind == samordna.ServiceSchool || svc.Kind == samordna.ServiceKindergarten {
				row.Intake = append(row.Intake, svc.Name)
			} else {
				row.Others = append(row.Others, svc.Name)
			}
		}
		sortNames(row.Intake)
		sortNames(row.Others)
		if d.ErrorID == x.ID {
			row.Name = d.Name
		}
		d.Rows = append(d.Rows, row)
	}
	p.Data = d
	s.render(w, r, status, "admin_districts", p)
}

func (s *Server) adminDistrictCreate(w http.ResponseWriter, r *http.Request) {
	if err := parseSpineForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	name := r.PostForm.Get("name")
	if _, err := s.app.CreateDistrict(r.Context(), reqctx.Actor(r.Context()), name); err != nil {
		s.orgFail(w, r, err, func(p *Page, status int) {
			s.renderDistricts(w, r, p, status, &districtsData{NewName: refillable(name), ErrorID: "new"})
		})
		return
	}
	http.Redirect(w, r, "/admin/districts?done=district_created", http.StatusSeeOther)
}

func (s *Server) adminDistrictRename(w http.ResponseWriter, r *http.Request) {
	if err := parseSpineForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	id, name := r.PathValue("id"), r.PostForm.Get("name")
	if err := s.app.RenameDistrict(r.Context(), reqctx.Actor(r.Context()), id, name); err != nil {
		s.orgFail(w, r, err, func(p *Page, status int) {
			s.renderDistricts(w, r, p, status, &districtsData{ErrorID: id, Name: refillable(name)})
		})
		return
	}
	http.Redirect(w, r, "/admin/districts?done=district_renamed#district-"+url.PathEscape(id), http.StatusSeeOther)
}
