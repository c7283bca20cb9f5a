package web

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/reqctx"
	"github.com/samordna/samordna/pathway"
)

// This file holds the pages of the routines (any employee reads them; the
// administrator uploads new versions) and the helpers the discoverer's
// routine pages share (concerns.go, tasks.go, reports.go). Every message id
// of these pages is in web/locales/routine.*.yaml under "routine.".

// routineRoutes lists the routine pages and those of concerns, tasks and
// reports.
func (s *Server) routineRoutes() []Route {
	routes := []Route{
		{Method: "GET", Path: "/routines", Access: "authenticated", Handler: s.routinesPage},
		{Method: "GET", Path: "/routines/{id}", Access: "authenticated", Handler: s.routinePage},
		{Method: "GET", Path: "/admin/routines", Access: "role:admin", Handler: s.routineAdminPage},
		{Method: "POST", Path: "/admin/routines", Access: "role:admin", Handler: s.routineUpload},
	}
	routes = append(routes, s.concernRoutes()...)
	routes = append(routes, s.deadlineRoutes()...)
	routes = append(routes, s.taskRoutes()...)
	return append(routes, s.reportRoutes()...)
}

// routineTime formats an instant for people: Oslo time, day first.
func routineTime(t time.Time) string { return t.In(pathway.Oslo()).Format("02.01.2006 15:04") }

// routineTimePtr formats an optional instant ("" for none).
func routineTimePtr(t *time.Time) string {
	if t == nil {
		return ""
	}
	return routineTime(*t)
}

// routineLabel translates routine.<group>.<value>, or shows the value
// itself when the catalog has no text for it.
func (s *Server) routineLabel(lang, group, value string) string {
	if value == "" {
		return ""
	}
	id := "routine." + group + "." + value
	if t := s.catalog.T(lang, id, nil); t != "["+id+"]" {
		return t
	}
	return value
}

// routineErr returns the message id for an application error:
// routine.err.<code> when the catalog has it, a general one otherwise.
func (s *Server) routineErr(lang string, err error) string {
	id := "routine.err." + samordna.ErrorCode(err)
	if s.catalog.T(lang, id, nil) != "["+id+"]" {
		return id
	}
	return "routine.err.invalid"
}

// routineFail answers a failed request: a missing or refused object gives
// the 404 page, an internal error the 500 page; otherwise again renders the
// form with the error's message (again nil: a plain error page).
func (s *Server) routineFail(w http.ResponseWriter, r *http.Request, err error, again func(p *Page, status int)) {
	switch {
	case samordna.ErrorKind(err) == samordna.KindNotFound:
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
	case samordna.ErrorKind(err) == samordna.KindInternal:
		s.serverError(w, r, err)
	case again == nil:
		s.errorPage(w, r, samordna.HTTPStatus(err), s.routineErr(s.lang(r), err))
	default:
		p := s.page(r, "routine.title")
		p.Error = s.routineErr(p.Lang, err)
		again(p, samordna.HTTPStatus(err))
	}
}

// routineFlash sets the page's notice from ?done= and its error from
// ?error= (an error code, after a form that redirected back) when the
// catalog has them.
func (s *Server) routineFlash(r *http.Request, p *Page) {
	if done := r.URL.Query().Get("done"); done != "" {
		if id := "routine.done." + done; s.catalog.T(p.Lang, id, nil) != "["+id+"]" {
			p.Flash = id
		}
	}
	if code := r.URL.Query().Get("error"); code != "" {
		p.Error = s.routineErr(p.Lang, samordna.Errorf(samordna.KindInvalid, code, ""))
	}
}

// routineRedirect sends the browser to path with ?done= and an anchor.
func routineRedirect(w http.ResponseWriter, r *http.Request, path, done, anchor string) {
	u := path
	if done != "" {
		u += "?done=" + url.QueryEscape(done)
	}
	if anchor != "" {
		u += "#" + anchor
	}
	http.Redirect(w, r, u, http.StatusSeeOther)
}

// routineForm reads a small form post and checks its texts
// (checkFormText).
func routineForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		return samordna.Errorf(samordna.KindInvalid, "bad_form", "the form could not be read")
	}
	return checkFormText(r.PostForm)
}

// stepView is a routine step as the pages show it.
type stepView struct {
	ID, Situation, Event, SituationText, Action, Responsible, ResponsibleText string
	Deadline, DeadlineText                                                    string
	// DeadlineSource says whose the deadline is: the routine's, the
	// municipality's (adopted, with version and date) or Samordna's
	// proposal; filled on the routine pages (markDeadlines).
	DeadlineSource     string
	References, Offers []string
	ActionLines        []string
}

// stepViews describes a routine's steps in the reader's language (the
// routine's own wording stays Norwegian, as the municipality wrote it).
func (s *Server) stepView(lang string, st pathway.Step) stepView {
	v := stepView{ID: st.ID, Event: s.routineLabel(lang, "event", string(st.Event)), SituationText: st.SituationText,
		Action: st.Action, Responsible: s.routineLabel(lang, "responsible", string(st.Responsible)),
		ResponsibleText: st.ResponsibleText, Deadline: s.deadlineLabel(lang, st), DeadlineText: st.DeadlineText,
		References: st.References, ActionLines: strings.Split(st.Action, "\n")}
	var sits []string
	for _, sit := range st.Situations {
		sits = append(sits, s.routineLabel(lang, "situation", string(sit)))
	}
	v.Situation = strings.Join(sits, ", ")
	for _, o := range st.Offers {
		v.Offers = append(v.Offers, s.routineLabel(lang, "offer", string(o)))
	}
	return v
}

// deadlineLabel words a step's deadline in the reader's language.
func (s *Server) deadlineLabel(lang string, st pathway.Step) string {
	d := st.Deadline
	switch d.Kind {
	case pathway.DeadlineImmediately:
		return s.catalog.T(lang, "routine.deadline.immediately", nil)
	case pathway.DeadlinePerPlan:
		return s.catalog.T(lang, "routine.deadline.per_plan", nil)
	case pathway.DeadlineRange:
		return s.catalog.T(lang, "routine.deadline.range", map[string]any{
			"First": s.periodText(lang, d.First, st.WorkingDays), "Last": s.periodText(lang, d.Last, st.WorkingDays)})
	}
	return s.catalog.T(lang, "routine.deadline.duration", map[string]any{"Period": s.periodText(lang, d.First, st.WorkingDays)})
}

// periodText words a period ("1 uke", "5 virkedager", "3 måneder").
func (s *Server) periodText(lang string, p pathway.Period, workingDays bool) string {
	day := "day"
	if workingDays {
		day = "working_day"
	}
	var parts []string
	for _, u := range []struct {
		n    int
		unit string
	}{{p.Years, "year"}, {p.Months, "month"}, {p.Weeks, "week"}, {p.Days, day}, {p.Hours, "hour"}, {p.Minutes, "minute"}} {
		switch {
		case u.n == 1:
			parts = append(parts, s.catalog.T(lang, "routine.period."+u.unit+"_one", nil))
		case u.n > 1:
			parts = append(parts, s.catalog.T(lang, "routine.period."+u.unit+"s", map[string]any{"N": u.n}))
		}
	}
	if len(parts) == 0 {
		return p.String()
	}
	return strings.Join(parts, " ")
}

type routinesData struct {
	Routines []routineData
}

type routineData struct {
	ID, Name, Municipality, Source string
	ValidFrom, Revised, Owner      string // the routine's metadata, dates as dd.mm.åååå (mm.åååå for a month)
	Version                        int
	Versions                       []int
	Situations                     []situationView
	Steps                          []stepView
}

type situationView struct{ ID, Label, Wording string }

// routineMetaDate shows a routine's metadata date: YYYY-MM-DD as
// dd.mm.åååå, YYYY-MM as mm.åååå.
func routineMetaDate(v string) string {
	if t, err := time.Parse(time.DateOnly, v); err == nil {
		return t.Format("02.01.2006")
	}
	if t, err := time.Parse("2006-01", v); err == nil {
		return t.Format("01.2006")
	}
	return v
}

// routineData describes one routine version.
func (s *Server) routineData(lang string, rt *pathway.Routine) routineData {
	d := routineData{ID: rt.ID, Name: rt.Name, Municipality: rt.Municipality, Source: rt.Source, Version: rt.Version,
		Versions: s.app.RoutineVersions(rt.ID), ValidFrom: routineMetaDate(rt.ValidFrom),
		Revised: routineMetaDate(rt.Revised), Owner: rt.Owner}
	for _, sit := range rt.Situations {
		d.Situations = append(d.Situations, situationView{ID: string(sit.ID),
			Label: s.routineLabel(lang, "situation", string(sit.ID)), Wording: sit.Label})
	}
	for _, st := range rt.Steps {
		d.Steps = append(d.Steps, s.stepView(lang, st))
	}
	return d
}

// routinesPage lists the routines with every step.
func (s *Server) routinesPage(w http.ResponseWriter, r *http.Request) {
	all, err := s.app.ListRoutines(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	p := s.page(r, "routine.routines_title")
	d := &routinesData{}
	for _, rt := range all {
		rd := s.routineData(p.Lang, rt)
		if err := s.markDeadlines(r, p.Lang, rt, &rd); err != nil {
			s.serverError(w, r, err)
			return
		}
		d.Routines = append(d.Routines, rd)
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "routine_list", p)
}

// markDeadlines says for each step whose deadline it is: the routine's own,
// the municipality's (the adopted version in force replaces the shown
// deadline) or Samordna's proposal that the municipality has not adopted.
func (s *Server) markDeadlines(r *http.Request, lang string, rt *pathway.Routine, d *routineData) error {
	adopted, err := s.app.StepDeadlineSources(r.Context(), reqctx.Actor(r.Context()), rt)
	if err != nil {
		return err
	}
	for i, st := range rt.Steps {
		v := &d.Steps[i]
		x, local := adopted[st.ID]
		switch {
		case !local:
			v.DeadlineSource = s.catalog.T(lang, "routine.deadline_source.routine", nil)
		case x == nil:
			v.DeadlineSource = s.catalog.T(lang, "routine.deadline_source.proposed", nil)
		default:
			if dl, err := pathway.ParseDeadline(x.Deadline); err == nil {
				st.Deadline, st.WorkingDays = dl, x.WorkingDays
				v.Deadline = s.deadlineLabel(lang, st)
				v.DeadlineText = "" // the routine's "Lokal frist" wording is the proposal, not the deadline in force
			}
			v.DeadlineSource = s.catalog.T(lang, "routine.deadline_source.adopted", map[string]any{
				"Version": x.Version, "Date": x.AdoptedAt.In(pathway.Oslo()).Format("02.01.2006")})
		}
	}
	return nil
}

// routinePage shows one routine (?version=N for an older one).
func (s *Server) routinePage(w http.ResponseWriter, r *http.Request) {
	version, _ := strconv.Atoi(r.URL.Query().Get("version"))
	rt, err := s.app.GetRoutine(r.Context(), r.PathValue("id"), max(version, 0))
	if err != nil {
		s.routineFail(w, r, err, nil)
		return
	}
	p := s.page(r, "routine.routines_title")
	rd := s.routineData(p.Lang, rt)
	if err := s.markDeadlines(r, p.Lang, rt, &rd); err != nil {
		s.serverError(w, r, err)
		return
	}
	p.Data = &routinesData{Routines: []routineData{rd}}
	s.render(w, r, http.StatusOK, "routine_list", p)
}

type routineAdminData struct {
	Uploads  []uploadRow
	Problems []app.RoutineProblem
	FileName string
	Document string
	Stored   string
}

type uploadRow struct {
	RoutineID, Name, FileName, UploadedAt string
	Version                               int
}

// routineAdminPage is the administrator's upload page.
func (s *Server) routineAdminPage(w http.ResponseWriter, r *http.Request) {
	p := s.page(r, "routine.admin_title")
	s.routineFlash(r, p)
	s.renderRoutineAdmin(w, r, p, http.StatusOK, &routineAdminData{Stored: r.URL.Query().Get("stored")})
}

func (s *Server) renderRoutineAdmin(w http.ResponseWriter, r *http.Request, p *Page, status int, d *routineAdminData) {
	uploads, err := s.app.ListRoutineUploads(r.Context(), reqctx.Actor(r.Context()))
	if err != nil {
		s.routineFail(w, r, err, nil)
		return
	}
	for _, u := range uploads {
		d.Uploads = append(d.Uploads, uploadRow{RoutineID: u.RoutineID, Name: u.Name, FileName: u.FileName,
			UploadedAt: routineTime(u.UploadedAt), Version: u.Version})
	}
	p.Data = d
	s.render(w, r, status, "routine_admin", p)
}

// routineUpload takes a routine document from the textarea or an uploaded
// file and stores it as a new version, or shows its problems by line.
func (s *Server) routineUpload(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, app.MaxRoutineBytes+64<<10)
	doc, name, err := readRoutineUpload(r)
	if samordna.TextField(err) != "" {
		s.formError(w, r, err)
		return
	}
	if err != nil {
		s.routineFail(w, r, err, func(p *Page, status int) {
			s.renderRoutineAdmin(w, r, p, status, &routineAdminData{})
		})
		return
	}
	rt, err := s.app.UploadRoutine(r.Context(), reqctx.Actor(r.Context()), name, doc)
	if err != nil {
		var rerr *app.RoutineError
		s.routineFail(w, r, err, func(p *Page, status int) {
			d := &routineAdminData{FileName: name, Document: string(doc)}
			if errors.As(err, &rerr) {
				d.Problems = rerr.Problems
			}
			s.renderRoutineAdmin(w, r, p, status, d)
		})
		return
	}
	routineRedirect(w, r, "/admin/routines?stored="+url.QueryEscape(rt.ID+" "+strconv.Itoa(rt.Version)), "", "")
}

// readRoutineUpload reads the document from a multipart file field
// ("file") or the textarea ("document").
func readRoutineUpload(r *http.Request) ([]byte, string, error) {
	bad := samordna.Errorf(samordna.KindInvalid, "bad_form", "the form could not be read")
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		if err := r.ParseMultipartForm(app.MaxRoutineBytes + 64<<10); err != nil {
			return nil, "", bad
		}
		if f, h, err := r.FormFile("file"); err == nil {
			defer f.Close()
			b, err := io.ReadAll(io.LimitReader(f, app.MaxRoutineBytes+1))
			if err != nil {
				return nil, "", bad
			}
			if len(b) > 0 {
				if err := samordna.CheckText("document", samordna.TextDocument, 0, string(b)); err != nil {
					return nil, "", err
				}
				if err := samordna.CheckText("file_name", samordna.TextName, 0, h.Filename); err != nil {
					return nil, "", err
				}
				return b, h.Filename, nil
			}
		}
	} else if err := r.ParseForm(); err != nil {
		return nil, "", bad
	}
	if err := checkFormText(r.PostForm); err != nil {
		return nil, "", err
	}
	doc := r.FormValue("document")
	if strings.TrimSpace(doc) == "" {
		return nil, "", samordna.Errorf(samordna.KindInvalid, "document_required", "choose a file or paste the document")
	}
	name := r.FormValue("file_name")
	if name == "" {
		name = "routine-upload.yaml"
	}
	return []byte(strings.ReplaceAll(doc, "\r\n", "\n")), name, nil
}
