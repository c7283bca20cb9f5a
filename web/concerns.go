package web

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/reqctx"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// This file holds the concern form (a new concern or inquiry starts the
// routine) and the routine view of a case: what to do now, what comes
// next, who is responsible, the deadlines and the references, with the
// forms for the offered actions (consultation, report, completing a task).

func (s *Server) concernRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/concerns/new", Access: "authenticated", Handler: s.concernForm},
		{Method: "POST", Path: "/concerns", Access: "role:employee", Handler: s.concernSubmit},
		{Method: "GET", Path: "/cases/{id}/routine", Access: "case:read", Handler: s.caseRoutinePage},
		{Method: "POST", Path: "/cases/{id}/consultations", Access: "case:write", Handler: s.consultationSubmit},
		{Method: "POST", Path: "/cases/{id}/child-welfare-reports", Access: "case:write", Handler: s.childWelfareReportSubmit},
		{Method: "POST", Path: "/cases/{id}/duty-to-inform", Access: "case:inform", Handler: s.dutyToInformSubmit},
		{Method: "POST", Path: "/cases/{id}/coordinator/by-routine", Access: "case:coordinate_by_routine", Handler: s.takeCoordinationSubmit},
		{Method: "POST", Path: "/cases/{id}/deviations", Access: "case:write", Handler: s.deviationSubmit},
		{Method: "POST", Path: "/cases/{id}/drug-test-assessments", Access: "case:write", Handler: s.drugTestSubmit},
		{Method: "POST", Path: "/cases/{id}/acute-contacts", Access: "case:write", Handler: s.acuteContactSubmit},
	}
}

// concernInput is the concern form's fields, to fill the form again.
type concernInput struct {
	Situation, Anonymous, FNR, Name, DueDate, MotherFNR, MotherName, Description, Routine, Follows string
	Problems                                                                                       []string
}

// problemView is one problem checkbox of the concern form.
type problemView struct {
	ID, Label string
	Checked   bool
}

// concernFormData is the concern form; its errors are in Page.Form.
type concernFormData struct {
	In         concernInput
	Situations []situationView
	Problems   []problemView
	Routines   []routineOption
	// OpenCases are the open cases about the named person the employee may
	// already read, offered instead of a second case (hub.go).
	OpenCases []openCaseRow
}

type routineOption struct {
	ID, Name string
}

// concernForm shows the form for a new concern.
func (s *Server) concernForm(w http.ResponseWriter, r *http.Request) {
	in := concernInput{Anonymous: "no", Follows: r.URL.Query().Get("follows")}
	if in.Follows != "" {
		in.Anonymous = "no"
	}
	s.renderConcernForm(w, r, s.page(r, "routine.concern.title"), http.StatusOK, &concernFormData{In: in})
}

func (s *Server) renderConcernForm(w http.ResponseWriter, r *http.Request, p *Page, status int, d *concernFormData) {
	p.Title = "routine.concern.title"
	for _, sit := range pathway.Situations() {
		d.Situations = append(d.Situations, situationView{ID: string(sit), Label: s.routineLabel(p.Lang, "situation", string(sit)),
			Wording: s.catalog.T(p.Lang, "routine.situation_hint."+string(sit), nil)})
	}
	for _, pr := range pathway.Problems() {
		d.Problems = append(d.Problems, problemView{ID: string(pr), Checked: slices.Contains(d.In.Problems, string(pr)),
			Label: s.catalog.T(p.Lang, "routine.concern.problem."+string(pr), nil)})
	}
	all, err := s.app.ListRoutines(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	for _, rt := range all {
		d.Routines = append(d.Routines, routineOption{ID: rt.ID, Name: rt.Name})
	}
	p.Data = d
	s.render(w, r, status, "routine_concern_new", p)
}

// concernSubmit registers the concern and shows the case's routine.
func (s *Server) concernSubmit(w http.ResponseWriter, r *http.Request) {
	err := routineForm(w, r)
	var textErr *samordna.TextError
	if err != nil && !errors.As(err, &textErr) {
		s.formError(w, r, err)
		return
	}
	f := r.PostForm
	if textErr != nil {
		for _, vs := range f {
			for i, v := range vs {
				vs[i] = refillable(v)
			}
		}
	}
	in := concernInput{Situation: f.Get("situation"), Anonymous: f.Get("anonymous"), FNR: f.Get("fnr"), Name: f.Get("name"),
		DueDate: f.Get("expected_due_date"), MotherFNR: f.Get("mother_fnr"), MotherName: f.Get("mother_name"),
		Description: f.Get("description"), Routine: f.Get("routine"), Follows: f.Get("follows"), Problems: f["problems"]}
	if textErr != nil {
		// The refused text is shown again without what made it unstorable,
		// with the message next to its field.
		p := s.page(r, "routine.title")
		p.Form.Add(textErr.Field, s.textErrorMessage(p.Lang, err))
		s.renderConcernForm(w, r, p, http.StatusBadRequest, &concernFormData{In: in})
		return
	}
	// Someone who may not register a concern learns nothing from the
	// form's own checks (the refusal is audited).
	if err := s.app.MayRegisterConcern(r.Context(), reqctx.Actor(r.Context())); err != nil {
		s.spineAppError(w, r, err)
		return
	}
	// Everything that can be checked without the database is checked at
	// once, so the user sees every mistake in one go.
	if fe := s.concernFormErrors(s.lang(r), in); len(fe) > 0 {
		p := s.page(r, "routine.title")
		p.Form = fe
		s.renderConcernForm(w, r, p, http.StatusBadRequest, &concernFormData{In: in})
		return
	}
	nc := app.NewConcern{Situation: pathway.Situation(in.Situation), Anonymous: in.Anonymous == "yes",
		Description: in.Description, Routine: in.Routine, Follows: in.Follows}
	for _, pr := range in.Problems {
		nc.Problems = append(nc.Problems, pathway.Problem(pr))
	}
	if strings.TrimSpace(in.FNR+in.Name+in.DueDate+in.MotherFNR+in.MotherName) != "" {
		nc.Subject = &app.ConcernSubject{IDNumber: in.FNR, Name: in.Name, ExpectedDueDate: in.DueDate,
			MotherIDNumber: in.MotherFNR, MotherName: in.MotherName}
	}
	if in.Anonymous != "yes" && in.FNR != "" && f.Get("new_anyway") != "yes" {
		if s.offerOpenCases(w, r, in) {
			return
		}
	}
	c, err := s.app.RegisterConcern(r.Context(), reqctx.Actor(r.Context()), nc)
	if err != nil {
		if samordna.ErrorKind(err) == samordna.KindNotFound {
			s.errorPage(w, r, http.StatusNotFound, "error.not_found")
			return
		}
		s.routineFail(w, r, err, func(p *Page, status int) {
			msg := s.catalog.T(p.Lang, p.Error, nil)
			var idErr *app.IdentifyingDataError
			if errors.As(err, &idErr) {
				msg += " " + s.catalog.T(p.Lang, "routine.concern.identifying_at",
					map[string]any{"Start": idErr.Start + 1, "End": idErr.End})
			}
			p.Error = ""
			p.Form.Add(concernErrorField(err), msg)
			s.renderConcernForm(w, r, p, status, &concernFormData{In: in})
		})
		return
	}
	routineRedirect(w, r, casePathRoutine(c.Case.ID), "registered", "")
}

// concernFormErrors checks the concern form the way the application will,
// as far as that needs no database, and returns every problem found, in
// the order of the form's fields.
func (s *Server) concernFormErrors(lang string, in concernInput) FormErrors {
	var fe FormErrors
	add := func(code string) {
		err := samordna.Errorf(samordna.KindInvalid, code, "")
		fe.Add(concernErrorField(err), s.catalog.T(lang, s.routineErr(lang, err), nil))
	}
	if !pathway.Situation(in.Situation).Valid() {
		add("invalid_situation")
	}
	anonymous := in.Anonymous == "yes"
	named := strings.TrimSpace(in.FNR+in.Name+in.DueDate+in.MotherFNR+in.MotherName) != ""
	switch {
	case anonymous && named:
		add("subject_not_allowed")
	case !anonymous && !named:
		add("subject_required")
	case !anonymous && in.FNR != "" && in.DueDate != "":
		add("id_number_or_due_date")
	case !anonymous && in.DueDate == "" && strings.TrimSpace(in.FNR) == "":
		add("subject_required")
	case !anonymous && in.DueDate == "" && !samordna.ValidIDNumber(strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(in.FNR)), s.app.AllowSynthetic):
		add("invalid_id_number")
	case !anonymous && in.DueDate != "" && strings.TrimSpace(in.MotherFNR) == "":
		add("mother_required")
	}
	if strings.TrimSpace(in.Description) == "" {
		add("description_required")
	}
	return fe
}

// concernErrorField names the form field an error is about.
func concernErrorField(err error) string {
	switch samordna.ErrorCode(err) {
	case "invalid_situation":
		return "situation-unclear_concern"
	case "invalid_problem":
		return "problem-substance_use"
	case "description_required", "description_too_long", "identifying_data":
		return "description"
	case "subject_required", "invalid_id_number", "name_required", "person_exists", "person_elsewhere":
		return "fnr"
	case "subject_not_allowed", "invalid_follows":
		return "anonymous-yes"
	case "due_date_required", "invalid_due_date", "due_date_out_of_range", "id_number_or_due_date":
		return "expected_due_date"
	case "mother_required", "mother_only_for_expected":
		return "mother_fnr"
	case "unknown_routine", "situation_not_in_routine", "no_routine":
		return "routine"
	}
	return ""
}

// casePathRoutine is the routine view of a case.
func casePathRoutine(caseID string) string { return "/cases/" + caseID + "/routine" }

// caseRoutineData is the routine view of a case.
type caseRoutineData struct {
	V              *app.ConcernCase
	Heading        string
	Routine        *routineData
	Situation      string
	Now, Done      []*taskRow
	Next           []stepView
	Consultations  []consultationRow
	Reports        []reportRow
	CanReport      bool // a named case the reader may write to
	CanConsult     bool
	OffersReport   bool // an open task offers the report to child welfare
	OffersInform   bool // an open task offers the duty to inform
	OffersDrugTest bool // an open task offers the drug test assessment
	Deviations     []deviationRow
	DrugTests      []drugTestRow
	AcuteContacts  []acuteContactRow
	AcuteOptions   []offerView // whom an acute contact can be made with
	Acute          acuteContactInput
	AcuteOpen      bool            // the form is shown open: an acute case, or contacts recorded
	TaskOptions    []routineOption // the case's tasks, for the deviation form
	Deviation      deviationInput
	DrugTest       drugTestInput
	Teams          []routineOption
	Consult        consultInput
	Report         reportInput
	WithOptions    []offerView
}

type deviationInput struct{ Description, TaskID string }

type drugTestInput struct{ Decision, Reason string }

type deviationRow struct{ Kind, Task, Description, DetectedAt string }

type drugTestRow struct{ Decision, Reason, By, At string }

type acuteContactRow struct{ Contacted, At, Note, By string }

type acuteContactInput struct{ Contacted, Date, Time, Note string }

type consultInput struct {
	With, Mode, Consent, TeamID, Adviser, AdviserName, Participants, Summary, Advice string
}

type reportInput struct{ Kind, Description, Acute string }

type consultationRow struct {
	With, Mode, Adviser, Participants, Summary, Advice, HeldAt string
}

// caseRoutinePage shows the routine view of a case.
func (s *Server) caseRoutinePage(w http.ResponseWriter, r *http.Request) {
	p := s.page(r, "routine.case.title")
	s.routineFlash(r, p)
	s.renderCaseRoutine(w, r, p, http.StatusOK, nil)
}

func (s *Server) renderCaseRoutine(w http.ResponseWriter, r *http.Request, p *Page, status int, fill func(*caseRoutineData)) {
	p.Title = "routine.case.title"
	v, err := s.app.CaseRoutine(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		s.routineFail(w, r, err, nil)
		return
	}
	d := &caseRoutineData{V: v, Situation: s.routineLabel(p.Lang, "situation", v.Case.Situation),
		CanReport: v.CanWrite && !v.Case.Anonymous && !p.User.HasRole(samordna.RoleChildWelfare), CanConsult: v.CanWrite,
		Consult: consultInput{With: app.ConsultColleague, Mode: app.ConsultAnonymous}}
	d.Heading = s.catalog.T(p.Lang, "routine.case.anonymous", nil)
	if v.Subject != nil {
		d.Heading = subjectName(p, s, v.Subject)
	}
	if v.Routine != nil {
		rd := s.routineData(p.Lang, v.Routine)
		d.Routine = &rd
	}
	for _, t := range v.Tasks {
		row := s.taskRow(p.Lang, t)
		if t.Status == store.TaskOpen {
			d.Now = append(d.Now, row)
			for _, o := range t.Offers {
				d.OffersReport = d.OffersReport || o == pathway.OfferChildWelfareReport
				d.OffersInform = d.OffersInform || (o == pathway.OfferDutyToInform && v.CanInform)
				d.OffersDrugTest = d.OffersDrugTest || (o == pathway.OfferDrugTestAssessment && v.CanWrite)
			}
		} else {
			d.Done = append(d.Done, row)
		}
	}
	for _, st := range v.Next {
		d.Next = append(d.Next, s.stepView(p.Lang, st))
	}
	titles := map[string]string{}
	for _, t := range v.Tasks {
		titles[t.ID] = t.Title
		d.TaskOptions = append(d.TaskOptions, routineOption{ID: t.ID, Name: t.Title})
	}
	for _, x := range v.Deviations {
		d.Deviations = append(d.Deviations, deviationRow{Kind: s.routineLabel(p.Lang, "deviation", x.Kind),
			Task: titles[x.TaskID], Description: x.Description, DetectedAt: routineTime(x.DetectedAt)})
	}
	for _, x := range v.DrugTests {
		d.DrugTests = append(d.DrugTests, drugTestRow{Decision: s.routineLabel(p.Lang, "drug_test", x.Decision),
			Reason: x.Reason, By: x.AssessorName, At: routineTime(x.AssessedAt)})
	}
	for _, x := range v.AcuteContacts {
		d.AcuteContacts = append(d.AcuteContacts, acuteContactRow{Contacted: s.routineLabel(p.Lang, "acute_contact", x.Contacted),
			At: routineTime(x.ContactedAt), Note: x.Note, By: x.RecorderName})
	}
	for _, k := range app.AcuteContactKinds {
		d.AcuteOptions = append(d.AcuteOptions, offerView{ID: k, Label: s.routineLabel(p.Lang, "acute_contact", k)})
	}
	d.AcuteOpen = v.Case.Situation == string(pathway.SituationAcute) || len(v.AcuteContacts) > 0
	for _, k := range v.Consultations {
		d.Consultations = append(d.Consultations, consultationRow{With: s.routineLabel(p.Lang, "with", k.WithKind),
			Mode: s.routineLabel(p.Lang, "mode", k.Mode), Adviser: k.AdviserName, Participants: k.Participants, Summary: k.Summary,
			Advice: k.Advice, HeldAt: routineTime(k.HeldAt)})
	}
	for _, rp := range v.Reports {
		d.Reports = append(d.Reports, s.reportRow(p.Lang, rp))
	}
	for _, t := range v.Teams {
		d.Teams = append(d.Teams, routineOption{ID: t.ID, Name: t.Name})
	}
	for _, with := range app.ConsultWith {
		d.WithOptions = append(d.WithOptions, offerView{ID: with, Label: s.routineLabel(p.Lang, "with", with)})
	}
	if fill != nil {
		fill(d)
	}
	p.Data = d
	s.render(w, r, status, "routine_case", p)
}

// subjectName names whom a case is about, an expected child by its due date.
func subjectName(p *Page, s *Server, person *samordna.Person) string {
	if person.Expected() && person.Name == "" {
		return s.catalog.T(p.Lang, "routine.case.expected", map[string]any{"Due": person.DueDate})
	}
	return person.Name
}

// consultationSubmit records a consultation from the routine view.
func (s *Server) consultationSubmit(w http.ResponseWriter, r *http.Request) {
	if err := routineForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	f := r.PostForm
	in := consultInput{With: f.Get("with"), Mode: f.Get("mode"), Consent: f.Get("consent_given"), TeamID: f.Get("team_id"),
		Adviser: f.Get("adviser"), AdviserName: f.Get("adviser_name"), Participants: f.Get("participants"), Summary: f.Get("summary"),
		Advice: f.Get("advice")}
	nc := app.NewConsultation{With: in.With, Mode: in.Mode, ConsentGiven: in.Consent == "yes", TeamID: in.TeamID,
		Adviser: strings.ToLower(strings.TrimSpace(in.Adviser)), AdviserName: in.AdviserName, Participants: in.Participants,
		Summary: in.Summary, Advice: in.Advice}
	if in.With != app.ConsultTeam && in.With != app.ConsultResourceGroup {
		nc.TeamID = ""
	}
	_, _, err := s.app.RecordConsultation(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), nc)
	if err != nil {
		s.routineFail(w, r, err, func(p *Page, status int) {
			s.renderCaseRoutine(w, r, p, status, func(d *caseRoutineData) { d.Consult = in })
		})
		return
	}
	routineRedirect(w, r, casePathRoutine(r.PathValue("id")), "consulted", "consultations")
}

func (s *Server) childWelfareReportSubmit(w http.ResponseWriter, r *http.Request) {
	s.reportSubmit(w, r, app.ReportChildWelfare)
}

func (s *Server) dutyToInformSubmit(w http.ResponseWriter, r *http.Request) {
	s.reportSubmit(w, r, app.ReportDutyToInform)
}

// takeCoordinationSubmit takes the coordinator role by the routine
// (Ulstein row 6) and shows the responsibility group.
func (s *Server) takeCoordinationSubmit(w http.ResponseWriter, r *http.Request) {
	if err := routineForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	if _, err := s.app.TakeCoordinationByRoutine(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id")); err != nil {
		s.routineFail(w, r, err, func(p *Page, status int) { s.renderCaseRoutine(w, r, p, status, nil) })
		return
	}
	routineRedirect(w, r, casePathRoutine(r.PathValue("id")), "coordinating", "now")
}

// deviationSubmit registers a deviation by hand (Ulstein row 9).
func (s *Server) deviationSubmit(w http.ResponseWriter, r *http.Request) {
	if err := routineForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	in := deviationInput{Description: r.PostForm.Get("description"), TaskID: r.PostForm.Get("task_id")}
	_, err := s.app.RegisterDeviation(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"),
		app.NewDeviation{Description: in.Description, TaskID: in.TaskID})
	if err != nil {
		s.routineFail(w, r, err, func(p *Page, status int) {
			s.renderCaseRoutine(w, r, p, status, func(d *caseRoutineData) { d.Deviation = in })
		})
		return
	}
	routineRedirect(w, r, casePathRoutine(r.PathValue("id")), "deviation", "deviations")
}

// drugTestSubmit records the assessment of a drug test (Ulstein row 6).
func (s *Server) drugTestSubmit(w http.ResponseWriter, r *http.Request) {
	if err := routineForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	in := drugTestInput{Decision: r.PostForm.Get("decision"), Reason: r.PostForm.Get("reason")}
	_, err := s.app.RecordDrugTestAssessment(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"), in.Decision, in.Reason)
	if err != nil {
		s.routineFail(w, r, err, func(p *Page, status int) {
			s.renderCaseRoutine(w, r, p, status, func(d *caseRoutineData) { d.DrugTest = in })
		})
		return
	}
	routineRedirect(w, r, casePathRoutine(r.PathValue("id")), "drug_test", "drug_test")
}

// acuteContactSubmit records whom the employee contacted in an acute
// situation, and when (seed 000 situation 5). The time is given as a date
// (dd.mm.åååå) and a time (tt:mm) in Oslo; both empty means now.
func (s *Server) acuteContactSubmit(w http.ResponseWriter, r *http.Request) {
	if err := routineForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	in := acuteContactInput{Contacted: r.PostForm.Get("contacted"), Date: strings.TrimSpace(r.PostForm.Get("date")),
		Time: strings.TrimSpace(r.PostForm.Get("time")), Note: r.PostForm.Get("note")}
	at, err := acuteContactTime(in.Date, in.Time)
	if err == nil {
		_, err = s.app.RecordAcuteContact(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"),
			app.NewAcuteContact{Contacted: in.Contacted, ContactedAt: at, Note: in.Note})
	}
	if err != nil {
		s.routineFail(w, r, err, func(p *Page, status int) {
			s.renderCaseRoutine(w, r, p, status, func(d *caseRoutineData) { d.Acute, d.AcuteOpen = in, true })
		})
		return
	}
	routineRedirect(w, r, casePathRoutine(r.PathValue("id")), "acute_contact", "acute_contacts")
}

// acuteContactTime reads the form's date (dd.mm.åååå) and time (tt:mm) in
// Oslo; both empty is the zero time (now).
func acuteContactTime(date, clock string) (time.Time, error) {
	if date == "" && clock == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation("02.01.2006 15:04", date+" "+clock, pathway.Oslo())
	if err != nil {
		return time.Time{}, samordna.Errorf(samordna.KindInvalid, "invalid_time",
			"give the date as dd.mm.åååå and the time as tt:mm")
	}
	return t, nil
}

// reportSubmit sends a report from the routine view and shows it.
func (s *Server) reportSubmit(w http.ResponseWriter, r *http.Request, kind string) {
	if err := routineForm(w, r); err != nil {
		s.formError(w, r, err)
		return
	}
	in := reportInput{Kind: kind, Description: r.PostForm.Get("description"), Acute: r.PostForm.Get("acute")}
	v, err := s.app.SendReport(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"),
		app.NewReport{Kind: kind, Description: in.Description, Acute: in.Acute == "yes"})
	if err != nil {
		s.routineFail(w, r, err, func(p *Page, status int) {
			s.renderCaseRoutine(w, r, p, status, func(d *caseRoutineData) { d.Report = in })
		})
		return
	}
	routineRedirect(w, r, "/reports/"+v.ID, "sent", "")
}

// routineDate formats a date-only value for people (YYYY-MM-DD stays as
// is when it does not parse).
func routineDate(d string) string {
	t, err := time.Parse(time.DateOnly, d)
	if err != nil {
		return d
	}
	return t.Format("02.01.2006")
}
