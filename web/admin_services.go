package web

import (
	"net/http"
	"slices"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/reqctx"
)

// optionGroup is a labelled group of a select's options (<optgroup>).
type optionGroup struct {
	Label   string
	Options []option
}

// serviceKindGroups offers the kinds of service grouped by sector (seed
// 002 §3), each kind labelled with its confidentiality regime.
func (s *Server) serviceKindGroups(lang string, chosen samordna.ServiceKind) []optionGroup {
	var out []optionGroup
	for _, sec := range samordna.Sectors {
		g := optionGroup{Label: s.catalog.T(lang, "org.sector."+string(sec), nil)}
		for _, k := range samordna.ServiceKinds {
			if k.Sector == sec {
				g.Options = append(g.Options, option{Value: string(k.Kind), Selected: k.Kind == chosen,
					Label: s.catalog.T(lang, "org.kind."+string(k.Kind), nil) + " (" +
						s.catalog.T(lang, "org.regime."+string(k.Regime), nil) + ")"})
			}
		}
		out = append(out, g)
	}
	return out
}

// serviceRow is a service in the list, everything by name.
type serviceRow struct {
	ID, Name, Kind, Sector, District string
	Leaders                          []string
}

func (s *Server) adminServices(w http.ResponseWriter, r *http.Request) {
	n := s.loadOrg(w, r)
	if n == nil {
		return
	}
	p := s.page(r, "org.services_title")
	s.orgFlash(r, p)
	var rows []serviceRow
	for _, x := range n.org.Services {
		rows = append(rows, serviceRow{ID: x.ID, Name: x.Name, Kind: s.catalog.T(p.Lang, "org.kind."+string(x.Kind), nil),
			Sector:   s.catalog.T(p.Lang, "org.sector."+string(x.Kind.Info().Sector), nil),
			District: n.districts[x.DistrictID], Leaders: nameList(n.employees, x.LeaderIDs)})
	}
	sortRows(rows, func(x serviceRow) string { return x.Name })
	p.Data = rows
	s.render(w, r, http.StatusOK, "admin_services", p)
}

// serviceFormData is the new or edit form of a service, filled with the
// service or with what was typed.
type serviceFormData struct {
	ID        string // "" for a new service
	Name      string
	Kinds     []optionGroup
	Districts []option
	Leaders   []option
	// ChildResponsibles offers the service's employees, by name, as its
	// barneansvarlig (seed 001); only on the edit form.
	ChildResponsibles []option
}

func (s *Server) renderServiceForm(w http.ResponseWriter, r *http.Request, p *Page, status int, id string, in app.NewService, child string) {
	n := s.loadOrg(w, r)
	if n == nil {
		return
	}
	p.Title = "org.service_new"
	if id != "" {
		p.Title = "org.service_edit"
	}
	p.Data = serviceFormData{ID: id, Name: in.Name,
		Kinds:             s.serviceKindGroups(p.Lang, in.Kind),
		Districts:         options(n.districts, []string{in.DistrictID}),
		Leaders:           options(n.employees, in.LeaderIDs),
		ChildResponsibles: options(serviceEmployees(n.org, id), []string{child})}
	s.render(w, r, status, "admin_service_form", p)
}

// serviceEmployees returns the names of the service's members and leaders
// by id ("" id: none).
func serviceEmployees(o *app.Organisation, id string) map[string]string {
	out := map[string]string{}
	if id == "" {
		return out
	}
	for _, e := range o.Employees {
		for _, x := range e.Services {
			if x.ID == id && !e.Disabled {
				out[e.ID] = e.Name
			}
		}
	}
	for _, x := range o.Services {
		if x.ID != id {
			continue
		}
		for _, e := range o.Employees {
			if slices.Contains(x.LeaderIDs, e.ID) && !e.Disabled {
				out[e.ID] = e.Name
			}
		}
	}
	return out
}

// childResponsibleID returns the employee id of the service's
// barneansvarlig, "" for none.
func (s *Server) childResponsibleID(r *http.Request, serviceID string) (string, error) {
	e, err := s.app.ChildResponsible(r.Context(), reqctx.Actor(r.Context()), serviceID)
	if err != nil || e == nil {
		return "", err
	}
	return e.ID, nil
}

func (s *Server) adminServiceNew(w http.ResponseWriter, r *http.Request) {
	s.renderServiceForm(w, r, s.page(r, "org.service_new"), http.StatusOK, "", app.NewService{}, "")
}

func (s *Server) adminServiceEdit(w http.ResponseWriter, r *http.Request) {
	n := s.loadOrg(w, r)
	if n == nil {
		return
	}
	for _, x := range n.org.Services {
		if x.ID == r.PathValue("id") {
			in := app.NewService{Name: x.Name, Kind: x.Kind, DistrictID: x.DistrictID, LeaderIDs: x.LeaderIDs}
			child, err := s.childResponsibleID(r, x.ID)
			if err != nil {
				s.spineAppError(w, r, err)
				return
			}
			s.renderServiceForm(w, r, s.page(r, "org.service_edit"), http.StatusOK, x.ID, in, child)
			return
		}
	}
	s.errorPage(w, r, http.StatusNotFound, "error.not_found")
}

// serviceInput reads the service form.
func serviceInput(r *http.Request) app.NewService {
	f := r.PostForm
	return app.NewService{Name: refillable(f.Get("name")), Kind: samordna.ServiceKind(f.Get("kind")),
		DistrictID: f.Get("district"), LeaderIDs: f["leaders"]}
}

func (s *Server) adminServiceCreate(w http.ResponseWriter, r *http.Request) {
	if err := parseSpineForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	in := serviceInput(r)
	if _, err := s.app.CreateService(r.Context(), reqctx.Actor(r.Context()), in); err != nil {
		s.orgFail(w, r, err, func(p *Page, status int) { s.renderServiceForm(w, r, p, status, "", in, "") })
		return
	}
	http.Redirect(w, r, "/admin/services?done=service_saved", http.StatusSeeOther)
}

func (s *Server) adminServiceUpdate(w http.ResponseWriter, r *http.Request) {
	if err := parseSpineForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	in, id := serviceInput(r), r.PathValue("id")
	child := r.PostForm.Get("child_responsible")
	again := func(p *Page, status int) { s.renderServiceForm(w, r, p, status, id, in, child) }
	if err := s.app.UpdateService(r.Context(), reqctx.Actor(r.Context()), id, in); err != nil {
		s.orgFail(w, r, err, again)
		return
	}
	if _, sent := r.PostForm["child_responsible"]; sent {
		if err := s.updateChildResponsible(r, id, child); err != nil {
			s.orgFail(w, r, err, again)
			return
		}
	}
	http.Redirect(w, r, "/admin/services?done=service_saved", http.StatusSeeOther)
}

// updateChildResponsible names the service's barneansvarlig from the form
// when the choice changed (so that saving the form unchanged writes no
// audit row for it).
func (s *Server) updateChildResponsible(r *http.Request, serviceID, child string) error {
	current, err := s.childResponsibleID(r, serviceID)
	if err != nil || current == child {
		return err
	}
	return s.app.SetChildResponsibleEmployee(r.Context(), reqctx.Actor(r.Context()), serviceID, child)
}
