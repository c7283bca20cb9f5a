package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strings"

	"github.com/samordna/samordna"
)

//go:embed templates/*.html
var templateFS embed.FS

// Page is what every template receives: the language, the signed-in
// employee, the page's own data and T for translated text.
type Page struct {
	Lang  string
	Title string // message id of the page title
	User  *samordna.Employee
	Path  string // the current path, to come back to after a language switch
	Flash string // message id of a notice to show
	Error string // message id of an error to show
	// Form holds every error of a submitted form; the layout shows them in
	// an error summary that takes focus (see formerrors.go).
	Form FormErrors
	Data any
	cat  *Catalog
	// people loads, once and only if a template asks (Page.Picker), the
	// colleagues the user may choose.
	people *peopleLoader
}

// T translates a message id; args are name/value pairs for the message's
// template, e.g. {{.T "start.greeting" "Name" .User.Name}}.
func (p *Page) T(id string, args ...any) string {
	var data map[string]any
	if len(args) > 1 {
		data = map[string]any{}
		for i := 0; i+1 < len(args); i += 2 {
			data[fmt.Sprint(args[i])] = args[i+1]
		}
	}
	return p.cat.T(p.Lang, id, data)
}

// Languages lists the languages to offer in the switch.
func (p *Page) Languages() []string { return Languages }

// templates holds one parsed template set per page (the layout plus the
// page), so pages can each define their own "content".
type templates map[string]*template.Template

func parseTemplates() (templates, error) {
	layout, err := fs.ReadFile(templateFS, "templates/layout.html")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	out := templates{}
	for _, name := range names {
		if strings.HasSuffix(name, "/layout.html") {
			continue
		}
		body, err := fs.ReadFile(templateFS, name)
		if err != nil {
			return nil, err
		}
		t, err := template.New("layout").Parse(string(layout))
		if err != nil {
			return nil, fmt.Errorf("parse layout: %w", err)
		}
		if _, err := t.Parse(string(body)); err != nil {
			return nil, fmt.Errorf("parse %s: %w", name, err)
		}
		key := strings.TrimSuffix(strings.TrimPrefix(name, "templates/"), ".html")
		out[key] = t
	}
	return out, nil
}

// render writes the named page with status. The page is rendered into a
// buffer first so that a template error becomes a clean 500.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p *Page) {
	t, ok := s.templates[name]
	if !ok {
		s.serverError(w, r, fmt.Errorf("no template %q", name))
		return
	}
	p.cat = s.catalog
	p.people = s.peopleFor(r)
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}
