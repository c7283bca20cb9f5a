package web

import (
	"net/http"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/reqctx"
)

// serviceKindCodes are the kinds of service in the order the form offers
// them.
var serviceKindCodes = []string{string(samordna.ServiceSchool), string(samordna.ServiceKindergarten),
	string(samordna.ServiceHealthStation), string(samordna.ServiceChildWelfare), string(samordna.ServicePPT),
	string(samordna.ServiceNAV), string(samordna.ServiceMentalHealth), string(samordna.ServiceGP),
	string(samordna.ServiceCoordinatingUnit), string(samordna.ServiceHomeCare), string(samordna.ServiceOther)}

// serviceRow is a service in the list, everything by name.
type serviceRow struct {
	ID, Name, Kind, District string
	Leaders                  []string
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
	Kinds     []option
	Districts []option
	Leaders   []option
}

func (s *Server) renderServiceForm(w http.ResponseWriter, r *http.Request, p *Page, status int, id string, in app.NewService) {
	n := s.loadOrg(w, r)
	if n == nil {
		return
	}
	p.Title = "org.service_new"
	if id != "" {
		p.Title = "org.service_edit"
	}
	p.Data = serviceFormData{ID: id, Name: in.Name,
		Kinds:     s.codeOptions(p.Lang, "org.kind.", serviceKindCodes, string(in.Kind)),
		Districts: options(n.districts, []string{in.DistrictID}),
		Leaders:   options(n.employees, in.LeaderIDs)}
	s.render(w, r, status, "admin_service_form", p)
}

func (s *Server) adminServiceNew(w http.ResponseWriter, r *http.Request) {
	s.renderServiceForm(w, r, s.page(r, "org.service_new"), http.StatusOK, "", app.NewService{})
}

func (s *Server) adminServiceEdit(w http.ResponseWriter, r *http.Request) {
	n := s.loadOrg(w, r)
	if n == nil {
		return
	}
	for _, x := range n.org.Services {
		if x.ID == r.PathValue("id") {
			in := app.NewService{Name: x.Name, Kind: x.Kind, DistrictID: x.DistrictID, LeaderIDs: x.LeaderIDs}
			s.renderServiceForm(w, r, s.page(r, "org.service_edit"), http.StatusOK, x.ID, in)
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
		s.orgFail(w, r, err, func(p *Page, status int) { s.renderServiceForm(w, r, p, status, "", in) })
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
	if err := s.app.UpdateService(r.Context(), reqctx.Actor(r.Context()), id, in); err != nil {
		s.orgFail(w, r, err, func(p *Page, status int) { s.renderServiceForm(w, r, p, status, id, in) })
		return
	}
	http.Redirect(w, r, "/admin/services?done=service_saved", http.StatusSeeOther)
}
