package web

import (
	"net/http"
	"slices"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/reqctx"
)

// employeeRow is an employee in the list: services and roles by name.
type employeeRow struct {
	ID, Name, Title string
	Disabled        bool
	Services, Roles []string
}

// roleLabels returns the roles' labels in the order of samordna.Roles.
func (s *Server) roleLabels(lang string, roles []samordna.Role) []string {
	var out []string
	for _, r := range samordna.Roles {
		if slices.Contains(roles, r) {
			out = append(out, s.catalog.T(lang, "org.role."+string(r), nil))
		}
	}
	return out
}

func (s *Server) adminEmployees(w http.ResponseWriter, r *http.Request) {
	n := s.loadOrg(w, r)
	if n == nil {
		return
	}
	p := s.page(r, "org.employees_title")
	s.orgFlash(r, p)
	var rows []employeeRow
	for _, e := range n.org.Employees {
		row := employeeRow{ID: e.ID, Name: e.Name, Title: e.Title, Disabled: e.Disabled, Roles: s.roleLabels(p.Lang, e.Roles)}
		for _, x := range e.Services {
			row.Services = append(row.Services, x.Name)
		}
		sortNames(row.Services)
		rows = append(rows, row)
	}
	sortRows(rows, func(x employeeRow) string { return x.Name })
	p.Data = rows
	s.render(w, r, http.StatusOK, "admin_employees", p)
}

// employeeFormData is the new or edit form of an employee.
type employeeFormData struct {
	ID, Username, Name, Title, Email string
	Services, Roles                  []option
}

// roleCodes are the roles in the order the form offers them.
func roleCodes() []string {
	var out []string
	for _, r := range samordna.Roles {
		out = append(out, string(r))
	}
	return out
}

func (s *Server) renderEmployeeForm(w http.ResponseWriter, r *http.Request, p *Page, status int, id string, in app.NewUser) {
	n := s.loadOrg(w, r)
	if n == nil {
		return
	}
	p.Title = "org.employee_new"
	if id != "" {
		p.Title = "org.employee_edit"
		for _, e := range n.org.Employees {
			if e.ID == id {
				in.Username = e.Username // shown, not changed
			}
		}
	}
	var roles []string
	for _, x := range in.Roles {
		roles = append(roles, string(x))
	}
	p.Data = employeeFormData{ID: id, Username: in.Username, Name: in.Name, Title: in.Title, Email: in.Email,
		Services: options(n.services, in.ServiceIDs), Roles: s.codeOptions(p.Lang, "org.role.", roleCodes(), roles...)}
	s.render(w, r, status, "admin_employee_form", p)
}

func (s *Server) adminEmployeeNew(w http.ResponseWriter, r *http.Request) {
	in := app.NewUser{Roles: []samordna.Role{samordna.RoleEmployee}}
	s.renderEmployeeForm(w, r, s.page(r, "org.employee_new"), http.StatusOK, "", in)
}

func (s *Server) adminEmployeeEdit(w http.ResponseWriter, r *http.Request) {
	n := s.loadOrg(w, r)
	if n == nil {
		return
	}
	for _, e := range n.org.Employees {
		if e.ID == r.PathValue("id") {
			in := app.NewUser{Username: e.Username, Name: e.Name, Title: e.Title, Email: e.Email, Roles: e.Roles}
			for _, x := range e.Services {
				in.ServiceIDs = append(in.ServiceIDs, x.ID)
			}
			s.renderEmployeeForm(w, r, s.page(r, "org.employee_edit"), http.StatusOK, e.ID, in)
			return
		}
	}
	s.errorPage(w, r, http.StatusNotFound, "error.not_found")
}

// employeeInput reads the employee form (the username only on a new one).
func employeeInput(r *http.Request) app.NewUser {
	f := r.PostForm
	in := app.NewUser{Username: refillable(f.Get("username")), Name: refillable(f.Get("name")),
		Title: refillable(f.Get("title")), Email: refillable(f.Get("email")), Password: f.Get("password"),
		ServiceIDs: f["services"]}
	for _, x := range f["roles"] {
		in.Roles = append(in.Roles, samordna.Role(x))
	}
	return in
}

func (s *Server) adminEmployeeCreate(w http.ResponseWriter, r *http.Request) {
	if err := parseSpineForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	in := employeeInput(r)
	if _, err := s.app.CreateUser(r.Context(), reqctx.Actor(r.Context()), in); err != nil {
		s.orgFail(w, r, err, func(p *Page, status int) { s.renderEmployeeForm(w, r, p, status, "", in) })
		return
	}
	http.Redirect(w, r, "/admin/employees?done=employee_saved", http.StatusSeeOther)
}

func (s *Server) adminEmployeeUpdate(w http.ResponseWriter, r *http.Request) {
	if err := parseSpineForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	in, id := employeeInput(r), r.PathValue("id")
	change := app.EmployeeChange{Name: in.Name, Title: in.Title, Email: in.Email, Roles: in.Roles, ServiceIDs: in.ServiceIDs}
	if err := s.app.UpdateEmployee(r.Context(), reqctx.Actor(r.Context()), id, change); err != nil {
		s.orgFail(w, r, err, func(p *Page, status int) { s.renderEmployeeForm(w, r, p, status, id, in) })
		return
	}
	http.Redirect(w, r, "/admin/employees?done=employee_saved", http.StatusSeeOther)
}
