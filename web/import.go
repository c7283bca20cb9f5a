package web

import (
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/reqctx"
)

// This file holds the administrator's bulk import page (/admin/import):
// choose what the file holds and upload it; the dry run shows line by line
// what would be created, changed or refused; "Importer" sends the same text
// again (a hidden field of the review page) and imports it, all or nothing.
// Every message id is in web/locales/import.*.yaml under "import.".

// importRoutes lists the import page and its form.
func (s *Server) importRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/admin/import", Access: "role:admin", Handler: s.importPage},
		{Method: "POST", Path: "/admin/import", Access: "role:admin", Handler: s.importSubmit},
	}
}

// importLineView is one line of the plan as the page shows it.
type importLineView struct {
	Line               int
	Action, What, Note string
	Refused            bool
}

// importData is the import page: the form, and after a dry run or an
// import the plan.
type importData struct {
	Kind                                 string // services or employees
	Document                             string // the file's text, sent again by the apply form
	Plan                                 bool   // a plan is shown
	Applied                              bool   // the plan was carried out
	OK                                   bool   // no line is refused
	Created, Updated, Unchanged, Refused int
	Lines, RefusedLines                  []importLineView
}

// importPage shows the upload form.
func (s *Server) importPage(w http.ResponseWriter, r *http.Request) {
	if err := s.app.CheckImportRole(r.Context(), reqctx.Actor(r.Context())); err != nil {
		s.spineAppError(w, r, err)
		return
	}
	s.renderImport(w, r, s.page(r, "import.title"), http.StatusOK, &importData{Kind: string(app.ImportEmployees)})
}

func (s *Server) renderImport(w http.ResponseWriter, r *http.Request, p *Page, status int, d *importData) {
	p.Data = d
	s.render(w, r, status, "admin_import", p)
}

// importSubmit runs the dry run (step "dry", from an uploaded file) or the
// import (step "apply", from the review page's hidden text).
func (s *Server) importSubmit(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4*app.MaxImportBytes)
	file, err := readImportForm(r)
	if samordna.TextField(err) != "" { // like every form: text no field may hold is refused first
		s.formError(w, r, err)
		return
	}
	actor := reqctx.Actor(r.Context())
	if err := s.app.CheckImportRole(r.Context(), actor); err != nil {
		s.spineAppError(w, r, err)
		return
	}
	p := s.page(r, "import.title")
	d := &importData{Kind: r.PostForm.Get("kind")}
	if d.Kind != string(app.ImportServices) {
		d.Kind = string(app.ImportEmployees)
	}
	if err != nil {
		p.Error = s.importErr(p.Lang, err)
		s.renderImport(w, r, p, samordna.HTTPStatus(err), d)
		return
	}
	kind := app.ImportKind(d.Kind)
	apply := r.PostForm.Get("step") == "apply"
	var plan *app.ImportPlan
	if apply {
		plan, err = s.app.ApplyImport(r.Context(), actor, kind, file)
	} else {
		plan, err = s.app.PlanImport(r.Context(), actor, kind, file)
	}
	status := http.StatusOK
	switch {
	case errors.Is(err, app.ErrImportRefused):
		p.Error, status = "import.nothing_done", http.StatusUnprocessableEntity
	case samordna.ErrorKind(err) == samordna.KindInvalid:
		p.Error = s.importErr(p.Lang, err)
		s.renderImport(w, r, p, samordna.HTTPStatus(err), d)
		return
	case err != nil:
		s.spineAppError(w, r, err)
		return
	case apply:
		p.Flash, d.Applied = "import.applied", true
	}
	if text, derr := app.DecodeImportFile(file); derr == nil {
		d.Document = text
	}
	s.fillImportPlan(p.Lang, d, plan)
	s.renderImport(w, r, p, status, d)
}

// readImportForm reads the form (multipart, or URL-encoded from a script)
// and returns the file: the uploaded one ("file") or the text of the field
// "document".
func readImportForm(r *http.Request) ([]byte, error) {
	bad := samordna.Errorf(samordna.KindInvalid, "bad_form", "the form could not be read")
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		if err := r.ParseMultipartForm(app.MaxImportBytes + 64<<10); err != nil {
			return nil, bad
		}
		if f, _, err := r.FormFile("file"); err == nil {
			defer f.Close()
			b, err := io.ReadAll(io.LimitReader(f, app.MaxImportBytes+1))
			if err != nil {
				return nil, bad
			}
			if len(b) > 0 {
				return b, checkFormText(r.PostForm)
			}
		}
	} else if err := r.ParseForm(); err != nil {
		return nil, bad
	}
	if err := checkFormText(r.PostForm); err != nil {
		return nil, err
	}
	doc := r.PostForm.Get("document")
	if strings.TrimSpace(doc) == "" {
		return nil, samordna.Errorf(samordna.KindInvalid, "file_required", "choose a file")
	}
	return []byte(doc), nil
}

// importErr is the message id for an error of the file as a whole.
func (s *Server) importErr(lang string, err error) string {
	if samordna.TextField(err) != "" {
		return "import.err.bad_text"
	}
	id := "import.err." + samordna.ErrorCode(err)
	if s.catalog.T(lang, id, nil) != "["+id+"]" {
		return id
	}
	return "import.err.invalid"
}

// fillImportPlan puts the plan's lines and counts on the page.
func (s *Server) fillImportPlan(lang string, d *importData, plan *app.ImportPlan) {
	if plan == nil {
		return
	}
	d.Plan, d.OK = true, plan.OK()
	d.Created, d.Updated, d.Unchanged, d.Refused = plan.Created, plan.Updated, plan.Unchanged, plan.Refused
	for _, l := range plan.Lines {
		v := importLineView{Line: l.Line, What: l.What, Refused: l.Action == app.ImportRefused,
			Action: s.catalog.T(lang, "import.action."+l.Action, nil)}
		switch {
		case v.Refused:
			id := "import.reason." + l.Reason
			if s.catalog.T(lang, id, nil) == "["+id+"]" {
				id = "import.reason.invalid"
			}
			v.Note = s.catalog.T(lang, id, map[string]any{"Value": l.Value, "Person": l.Person})
			d.RefusedLines = append(d.RefusedLines, v)
		case len(l.Changes) > 0:
			var fields []string
			for _, f := range l.Changes {
				fields = append(fields, s.catalog.T(lang, "import.field."+f, nil))
			}
			v.Note = s.catalog.T(lang, "import.changes", map[string]any{"Fields": strings.Join(fields, ", ")})
		}
		d.Lines = append(d.Lines, v)
	}
}
