package app

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/access"
	"github.com/samordna/samordna/store"
)

// This file is the export of everything Samordna holds about one person
// (the right of access, GDPR art. 15, and the right to see who looked):
// the person, their relations, every case about them with its concerns,
// consultations, consents, applications and decisions, coordinators,
// responsibility groups, meetings and minutes, plans, reports and tasks,
// the consents they gave on others' cases, and the access log of their
// cases and of the person. The coordinating unit answers such requests
// (access.CanExportPerson); the export is itself audited, on the person and
// on each of their cases, so it shows up in the cases' access logs.
// The document is the same for the JSON and the PDF (personexport_pdf.go).

// The audit actions of the export, one per way it is shown.
const (
	ExportActionJSON    = "export_person"
	ExportActionPDF     = "print_person_export"
	ExportActionPreview = "preview_person_export"
)

// exportPurpose is the audit rows' purpose: answering the person's request.
const exportPurpose = "data_subject_access"

// PersonExport is the whole export. Times are RFC 3339 in UTC, dates
// YYYY-MM-DD; people are named, never by username or internal key (ids of
// cases, consents and plans are kept so the person can refer to them).
type PersonExport struct {
	GeneratedAt   string           `json:"generated_at"`
	GeneratedBy   string           `json:"generated_by"`
	Municipality  string           `json:"municipality"`
	Person        ExportPerson     `json:"person"`
	Relations     []ExportRelation `json:"relations"`
	Cases         []ExportCase     `json:"cases"`
	ConsentsGiven []ExportConsent  `json:"consents_given"` // on cases about someone else
	AccessLog     []ExportLogEntry `json:"access_log"`     // about the person, outside any case
}

// ExportPerson is the person as registered.
type ExportPerson struct {
	ID           string  `json:"id"`
	Name         string  `json:"name"`
	IDNumber     string  `json:"id_number,omitempty"`
	IDKind       string  `json:"id_kind,omitempty"`
	BirthDate    string  `json:"birth_date,omitempty"`
	DueDate      string  `json:"due_date,omitempty"`
	AnonymisedAt *string `json:"anonymised_at,omitempty"`
}

// ExportRelation is "Person Kind Related", e.g. Kari guardian_of Emma.
type ExportRelation struct {
	Person  string `json:"person"`
	Kind    string `json:"kind"`
	Related string `json:"related"`
}

// ExportCase is one case about the person with everything on it.
type ExportCase struct {
	ID                string               `json:"id"`
	Status            string               `json:"status"`
	Origin            string               `json:"origin"`
	Situation         string               `json:"situation"`
	Title             string               `json:"title"`
	RegisteredBy      string               `json:"registered_by"`
	RegisteredService string               `json:"registered_service"`
	CreatedAt         string               `json:"created_at"`
	ClosedAt          *string              `json:"closed_at"`
	PurgedAt          *string              `json:"content_deleted_at"`
	Concerns          []ExportConcern      `json:"concerns"`
	Consultations     []ExportConsultation `json:"consultations"`
	Consents          []ExportConsent      `json:"consents"`
	Applications      []ExportApplication  `json:"applications"`
	Coordinators      []ExportCoordinator  `json:"coordinators"`
	Groups            []ExportGroup        `json:"responsibility_groups"`
	Meetings          []ExportMeeting      `json:"meetings"`
	Plans             []ExportPlan         `json:"plans"`
	Reports           []ExportReport       `json:"reports"`
	Tasks             []ExportTask         `json:"tasks"`
	AcuteContacts     []ExportAcuteContact `json:"acute_contacts"`
	AccessLog         []ExportLogEntry     `json:"access_log"`
}

// ExportConcern is a concern or inquiry that started the case.
type ExportConcern struct {
	Situation    string `json:"situation"`
	Description  string `json:"description"`
	RegisteredBy string `json:"registered_by"`
	CreatedAt    string `json:"created_at"`
}

// ExportConsultation is a consultation held about the case.
type ExportConsultation struct {
	With    string `json:"with"`
	Mode    string `json:"mode"`
	Adviser string `json:"adviser"`
	Summary string `json:"summary"`
	Advice  string `json:"advice"`
	HeldAt  string `json:"held_at"`
}

// ExportConsent is a consent, with the case it was given on.
type ExportConsent struct {
	ID          string   `json:"id"`
	CaseID      string   `json:"case_id"`
	Status      string   `json:"status"`
	GivenBy     string   `json:"given_by"`
	Relation    string   `json:"relation"`
	Purposes    []string `json:"purposes"`
	RecordedBy  string   `json:"recorded_by"`
	RecordedAt  string   `json:"recorded_at"`
	ValidUntil  *string  `json:"valid_until"`
	WithdrawnAt *string  `json:"withdrawn_at"`
	SignedForm  bool     `json:"signed_form"`
}

// ExportApplication is an application to the coordinating unit and its
// decision.
type ExportApplication struct {
	SubmittedBy      string  `json:"submitted_by"`
	SubmittedAt      string  `json:"submitted_at"`
	WantsCoordinator bool    `json:"wants_coordinator"`
	WantsPlan        bool    `json:"wants_individual_plan"`
	Status           string  `json:"status"`
	DecidedBy        string  `json:"decided_by,omitempty"`
	DecidedAt        *string `json:"decided_at"`
	Coordinator      string  `json:"coordinator,omitempty"`
	PlanDecision     string  `json:"individual_plan_when,omitempty"`
	Reason           string  `json:"reason,omitempty"`
}

// ExportCoordinator is one coordinator assignment.
type ExportCoordinator struct {
	Name        string  `json:"name"`
	Kind        string  `json:"kind"`
	Status      string  `json:"status"`
	AppointedAt string  `json:"appointed_at"`
	EndedAt     *string `json:"ended_at"`
}

// ExportGroup is a responsibility group with its members.
type ExportGroup struct {
	CreatedAt   string         `json:"created_at"`
	ClosedAt    *string        `json:"closed_at"`
	CloseReason string         `json:"close_reason,omitempty"`
	Members     []ExportMember `json:"members"`
}

// ExportMember is a member of a responsibility group.
type ExportMember struct {
	Name      string  `json:"name"`
	Relation  string  `json:"relation"`
	Role      string  `json:"role,omitempty"`
	Service   string  `json:"service,omitempty"`
	AddedAt   string  `json:"added_at"`
	RemovedAt *string `json:"removed_at"`
}

// ExportMeeting is a meeting of the responsibility group and its minutes.
type ExportMeeting struct {
	Number   int      `json:"number"`
	StartsAt string   `json:"starts_at"`
	Place    string   `json:"place"`
	Status   string   `json:"status"`
	Agenda   []string `json:"agenda"`
	// MinutesStatus is "draft" or "finalised"; "" when none are written.
	MinutesStatus string   `json:"minutes_status"`
	Minutes       *Minutes `json:"minutes"`
}

// ExportPlan is a plan's current version.
type ExportPlan struct {
	ID              string              `json:"id"`
	Kind            string              `json:"kind"`
	Status          string              `json:"status"`
	Version         int                 `json:"version"`
	UpdatedAt       string              `json:"updated_at"`
	WhatMatters     string              `json:"what_matters"`
	Resources       string              `json:"resources"`
	Goals           []ExportGoal        `json:"goals"`
	Measures        []ExportPlanMeasure `json:"measures"`
	Services        []string            `json:"services"`
	EvaluationDates []string            `json:"evaluation_dates"`
}

// ExportGoal is a goal of a plan.
type ExportGoal struct {
	Text string `json:"text"`
	Term string `json:"term"`
}

// ExportPlanMeasure is a measure of a plan.
type ExportPlanMeasure struct {
	Text        string `json:"text"`
	Responsible string `json:"responsible"`
	Due         string `json:"due"`
	Status      string `json:"status"`
	Evaluation  string `json:"evaluation,omitempty"`
}

// ExportReport is a report to child welfare or a duty to inform.
type ExportReport struct {
	Kind        string  `json:"kind"`
	Acute       bool    `json:"acute"`
	Description string  `json:"description"`
	SentBy      string  `json:"sent_by"`
	SentAt      string  `json:"sent_at"`
	Status      string  `json:"status"`
	ReceivedBy  string  `json:"received_by,omitempty"`
	ReceivedAt  *string `json:"received_at"`
}

// ExportTask is a step of the routine or a plan's measure as a task.
type ExportTask struct {
	Title       string  `json:"title"`
	Responsible string  `json:"responsible"`
	Status      string  `json:"status"`
	DueAt       *string `json:"due_at"`
	CompletedAt *string `json:"completed_at"`
	// Records is what was written down for the step (seed 000: the
	// conversation, children, advice, the need for follow-up).
	Records map[string]string `json:"records,omitempty"`
}

// ExportAcuteContact is whom an employee contacted in an acute situation.
type ExportAcuteContact struct {
	Contacted   string `json:"contacted"`
	ContactedAt string `json:"contacted_at"`
	Note        string `json:"note"`
	RecordedBy  string `json:"recorded_by"`
}

// ExportLogEntry is one line of an access log: who (by name, role and
// service), when, what, and whether it was allowed.
type ExportLogEntry struct {
	At      string `json:"at"`
	Name    string `json:"name"`
	Role    string `json:"role"`
	Service string `json:"service"`
	Action  string `json:"action"`
	Outcome string `json:"outcome"`
	Purpose string `json:"purpose"`
}

// ExportPersonData returns everything Samordna holds about the person and
// writes the audit rows (action names how it is shown: ExportActionJSON,
// ExportActionPDF or ExportActionPreview). Who may call: the coordinating
// unit of the person's municipality, unless barred from one of the
// person's cases (access.CanExportPerson); anyone else, and an unknown
// person, get samordna.ErrNotFound (with a denied audit row).
func (a *App) ExportPersonData(ctx context.Context, actor *samordna.Actor, personID, action string) (*PersonExport, error) {
	switch action {
	case ExportActionJSON, ExportActionPDF, ExportActionPreview:
	default:
		return nil, samordna.Errorf(samordna.KindInvalid, "bad_action", "unknown export action")
	}
	// Read in a read transaction (the export may be long, and must not
	// hold the single writer), then append the audit rows with group
	// commit; the answer leaves only once they are durable.
	var out *PersonExport
	var p *samordna.Person
	allowed := false
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		var err error
		if p, allowed, err = a.authorizeExport(tx, actor, personID); err != nil || !allowed {
			return err
		}
		out, err = a.collectExport(tx, actor, p)
		return err
	})
	if err != nil {
		return nil, err
	}
	err = a.DB.WriteGrouped(ctx, func(tx *store.Tx) error {
		if allowed {
			return a.auditExport(tx, actor, p, out, action)
		}
		ev := samordna.AuditEvent{ObjectType: "person", ObjectID: truncate(personID, 64), Action: action,
			Outcome: samordna.OutcomeDenied}
		if p != nil {
			ev.PersonID = p.ID
		}
		return a.audit(tx, actor, ev)
	})
	if err != nil {
		return nil, err
	}
	if !allowed {
		return nil, samordna.ErrNotFound
	}
	return out, nil
}

// authorizeExport loads the person (nil when unknown) and asks the policy.
func (a *App) authorizeExport(tx *store.Tx, actor *samordna.Actor, personID string) (*samordna.Person, bool, error) {
	if actor == nil || actor.Employee == nil || personID == "" {
		return nil, false, nil
	}
	p, err := store.PersonByID(tx, personID)
	if errors.Is(err, samordna.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	blocked, err := store.BlockedFromPersonCases(tx, p.ID, actor.Employee.ID)
	if err != nil {
		return nil, false, err
	}
	s := access.SubjectOf(actor.Employee)
	return p, access.CanExportPerson(s, p.MunicipalityID == s.MunicipalityID, blocked), nil
}

// auditExport writes the export's audit rows: one on the person and one
// on each of their cases, so each case's access log shows it.
func (a *App) auditExport(tx *store.Tx, actor *samordna.Actor, p *samordna.Person, x *PersonExport, action string) error {
	if err := a.audit(tx, actor, samordna.AuditEvent{PersonID: p.ID, ObjectType: "person", ObjectID: p.ID,
		Action: action, Purpose: exportPurpose}); err != nil {
		return err
	}
	for _, c := range x.Cases {
		if err := a.audit(tx, actor, samordna.AuditEvent{PersonID: p.ID, CaseID: c.ID, ObjectType: "case",
			ObjectID: c.ID, Action: action, Purpose: exportPurpose}); err != nil {
			return err
		}
	}
	return nil
}

// exporter reads the export inside one transaction; it remembers the
// names of employees, services and persons it has looked up.
type exporter struct {
	tx       *store.Tx
	names    map[string]string
	services map[string]string
	persons  map[string]string
	// usernames maps usernames to names (minutes store usernames).
	usernames map[string]string
}

// collectExport reads the whole export of the person.
func (a *App) collectExport(tx *store.Tx, actor *samordna.Actor, p *samordna.Person) (*PersonExport, error) {
	x := &exporter{tx: tx, names: map[string]string{}, services: map[string]string{}, persons: map[string]string{},
		usernames: map[string]string{}}
	out := &PersonExport{GeneratedAt: stamp(a.now()), GeneratedBy: actor.Employee.Name,
		Person: ExportPerson{ID: p.ID, Name: p.Name, IDNumber: p.IDNumber, IDKind: string(p.IDKind),
			BirthDate: p.BirthDate, DueDate: p.DueDate}}
	m, err := store.FirstMunicipality(tx)
	if err != nil {
		return nil, err
	}
	if m.ID == p.MunicipalityID {
		out.Municipality = m.Name
	}
	anon, err := store.PersonAnonymisedAt(tx, p.ID)
	if err != nil {
		return nil, err
	}
	out.Person.AnonymisedAt = stampPtr(anon)
	if out.Relations, err = x.relations(p); err != nil {
		return nil, err
	}
	cases, err := store.CasesOfPerson(tx, p.ID)
	if err != nil {
		return nil, err
	}
	out.Cases = []ExportCase{}
	for _, c := range cases {
		ec, err := x.exportCase(c)
		if err != nil {
			return nil, err
		}
		out.Cases = append(out.Cases, *ec)
	}
	given, err := store.ConsentsGivenBy(tx, p.ID)
	if err != nil {
		return nil, err
	}
	out.ConsentsGiven = []ExportConsent{}
	for _, c := range given {
		out.ConsentsGiven = append(out.ConsentsGiven, x.consent(c))
	}
	out.AccessLog, err = x.accessLog(func(before int64) ([]store.AccessLogEntry, int64, error) {
		rows, err := store.PersonAccessLog(tx, p.ID, before, 100)
		if err != nil || len(rows) < 100 {
			return rows, 0, err
		}
		return rows, rows[len(rows)-1].Seq, nil
	})
	return out, err
}

// name returns the employee's name ("" for none or unknown).
func (x *exporter) name(id string) string {
	if id == "" {
		return ""
	}
	if n, ok := x.names[id]; ok {
		return n
	}
	n := ""
	if e, err := store.EmployeeByID(x.tx, id); err == nil {
		n = e.Name
	}
	x.names[id] = n
	return n
}

// service returns the service's name ("" for none or unknown).
func (x *exporter) service(id string) string {
	if id == "" {
		return ""
	}
	if n, ok := x.services[id]; ok {
		return n
	}
	n := ""
	if s, err := store.ServiceByID(x.tx, id); err == nil {
		n = s.Name
	}
	x.services[id] = n
	return n
}

// person returns the person's name ("" for unknown).
func (x *exporter) person(id string) string {
	if n, ok := x.persons[id]; ok {
		return n
	}
	n := ""
	if p, err := store.PersonByID(x.tx, id); err == nil {
		n = p.Name
	}
	x.persons[id] = n
	return n
}

func (x *exporter) relations(p *samordna.Person) ([]ExportRelation, error) {
	rs, err := store.RelationsOf(x.tx, p.ID)
	if err != nil {
		return nil, err
	}
	out := []ExportRelation{}
	for _, r := range rs {
		out = append(out, ExportRelation{Person: x.person(r.PersonID), Kind: string(r.Kind), Related: x.person(r.RelatedID)})
	}
	return out, nil
}

// exportCase reads one case with everything on it.
func (x *exporter) exportCase(c *samordna.Case) (*ExportCase, error) {
	purged, err := store.CasePurgedAt(x.tx, c.ID)
	if err != nil {
		return nil, err
	}
	ec := &ExportCase{ID: c.ID, Status: string(c.Status), Origin: string(c.Origin), Situation: c.Situation,
		Title: c.Title, RegisteredBy: x.name(c.RegisteredBy), RegisteredService: x.service(c.RegisteredServiceID),
		CreatedAt: stamp(c.CreatedAt), ClosedAt: stampPtr(c.ClosedAt), PurgedAt: stampPtr(purged)}
	for _, read := range []func(*ExportCase) error{x.concerns, x.consents, x.applications, x.coordinators,
		x.groups, x.meetings, x.plans, x.reports, x.tasks} {
		if err := read(ec); err != nil {
			return nil, err
		}
	}
	ec.AccessLog, err = x.accessLog(func(before int64) ([]store.AccessLogEntry, int64, error) {
		return store.CaseAccessLog(x.tx, c.ID, before, 100)
	})
	return ec, err
}

func (x *exporter) concerns(ec *ExportCase) error {
	cs, err := store.ConcernsOfCase(x.tx, ec.ID)
	if err != nil {
		return err
	}
	ec.Concerns = []ExportConcern{}
	for _, c := range cs {
		ec.Concerns = append(ec.Concerns, ExportConcern{Situation: c.Situation, Description: c.Description,
			RegisteredBy: x.name(c.RegisteredBy), CreatedAt: stamp(c.CreatedAt)})
	}
	ks, err := store.ConsultationsOfCase(x.tx, ec.ID)
	if err != nil {
		return err
	}
	ec.Consultations = []ExportConsultation{}
	for _, k := range ks {
		adviser := k.AdviserName
		if k.AdviserID != "" {
			adviser = x.name(k.AdviserID)
		}
		ec.Consultations = append(ec.Consultations, ExportConsultation{With: k.WithKind, Mode: k.Mode,
			Adviser: adviser, Summary: k.Summary, Advice: k.Advice, HeldAt: stamp(k.HeldAt)})
	}
	return nil
}

func (x *exporter) consents(ec *ExportCase) error {
	cs, err := store.ConsentsOfCase(x.tx, ec.ID)
	if err != nil {
		return err
	}
	ec.Consents = []ExportConsent{}
	for _, c := range cs {
		ec.Consents = append(ec.Consents, x.consent(c))
	}
	return nil
}

func (x *exporter) consent(c *samordna.Consent) ExportConsent {
	purposes := make([]string, 0, len(c.Purposes))
	for _, p := range c.Purposes {
		purposes = append(purposes, string(p))
	}
	return ExportConsent{ID: c.ID, CaseID: c.CaseID, Status: c.Status, GivenBy: c.GivenByName,
		Relation: c.GivenByRelation, Purposes: purposes, RecordedBy: x.name(c.RecordedBy),
		RecordedAt: stamp(c.RecordedAt), ValidUntil: stampPtr(c.ValidUntil), WithdrawnAt: stampPtr(c.WithdrawnAt),
		SignedForm: c.FormID != ""}
}

func (x *exporter) applications(ec *ExportCase) error {
	as, err := store.ApplicationsOfCase(x.tx, ec.ID)
	if err != nil {
		return err
	}
	ec.Applications = []ExportApplication{}
	for _, ap := range as {
		ec.Applications = append(ec.Applications, ExportApplication{SubmittedBy: x.name(ap.SubmittedBy),
			SubmittedAt: stamp(ap.SubmittedAt), WantsCoordinator: ap.WantsCoordinator, WantsPlan: ap.WantsPlan,
			Status: ap.Status, DecidedBy: x.name(ap.DecidedBy), DecidedAt: stampPtr(ap.DecidedAt),
			Coordinator: x.name(ap.DecidedCoordinatorID), PlanDecision: ap.PlanDecision, Reason: ap.Reason})
	}
	return nil
}

func (x *exporter) coordinators(ec *ExportCase) error {
	ks, err := store.AssignmentsOfCase(x.tx, ec.ID)
	if err != nil {
		return err
	}
	ec.Coordinators = []ExportCoordinator{}
	for _, k := range ks {
		ec.Coordinators = append(ec.Coordinators, ExportCoordinator{Name: k.Name, Kind: k.Kind, Status: k.Status,
			AppointedAt: stamp(k.AppointedAt), EndedAt: stampPtr(k.EndedAt)})
	}
	return nil
}

func (x *exporter) groups(ec *ExportCase) error {
	gs, err := store.GroupsOfCase(x.tx, ec.ID)
	if err != nil {
		return err
	}
	ec.Groups = []ExportGroup{}
	for _, g := range gs {
		ms, err := store.Members(x.tx, g.ID)
		if err != nil {
			return err
		}
		eg := ExportGroup{CreatedAt: stamp(g.CreatedAt), ClosedAt: stampPtr(g.ClosedAt), CloseReason: g.CloseReason,
			Members: []ExportMember{}}
		for _, m := range ms {
			eg.Members = append(eg.Members, ExportMember{Name: m.Name, Relation: m.Relation, Role: m.Role,
				Service: m.Service, AddedAt: stamp(m.AddedAt), RemovedAt: stampPtr(m.RemovedAt)})
		}
		ec.Groups = append(ec.Groups, eg)
	}
	return nil
}

func (x *exporter) meetings(ec *ExportCase) error {
	ms, err := store.MeetingsOfCase(x.tx, ec.ID)
	if err != nil {
		return err
	}
	ec.Meetings = []ExportMeeting{}
	for _, m := range ms {
		em := ExportMeeting{Number: m.Number, StartsAt: stamp(m.StartsAt), Place: m.Place, Status: m.Status,
			Agenda: m.Agenda}
		if em.Agenda == nil {
			em.Agenda = []string{}
		}
		row, err := store.MinutesOf(x.tx, m.ID)
		if err != nil {
			return err
		}
		if row != nil {
			var in Minutes
			if err := json.Unmarshal([]byte(row.Content), &in); err != nil {
				return err
			}
			x.minutesNames(&in)
			em.MinutesStatus, em.Minutes = row.Status, &in
		}
		ec.Meetings = append(ec.Meetings, em)
	}
	return nil
}

// minutesNames names the measures' responsible employees in the minutes,
// which store their usernames.
func (x *exporter) minutesNames(in *Minutes) {
	for i := range in.NewMeasures {
		in.NewMeasures[i].Responsible = x.byUsername(in.NewMeasures[i].Responsible)
	}
	for i := range in.MeasuresReviewed {
		in.MeasuresReviewed[i].Responsible = x.byUsername(in.MeasuresReviewed[i].Responsible)
	}
}

// byUsername returns the name of the employee with the username, or s
// itself when it names no employee (a member named by name).
func (x *exporter) byUsername(s string) string {
	if s == "" {
		return ""
	}
	if n, ok := x.usernames[s]; ok {
		return n
	}
	n := s
	if e, _, err := store.EmployeeByUsername(x.tx, s); err == nil {
		n = e.Name
	}
	x.usernames[s] = n
	return n
}

func (x *exporter) plans(ec *ExportCase) error {
	ps, err := store.PlansOfCase(x.tx, ec.ID)
	if err != nil {
		return err
	}
	ec.Plans = []ExportPlan{}
	for _, p := range ps {
		v, err := store.PlanVersionAt(x.tx, p.ID, p.Version)
		if err != nil {
			return err
		}
		c := v.Content
		ep := ExportPlan{ID: p.ID, Kind: p.Kind, Status: p.Status, Version: p.Version, UpdatedAt: stamp(p.UpdatedAt),
			WhatMatters: c.WhatMatters, Resources: c.Resources, Goals: []ExportGoal{}, Measures: []ExportPlanMeasure{},
			Services: nonNil(c.Services), EvaluationDates: nonNil(c.EvaluationDates)}
		for _, g := range c.Goals {
			ep.Goals = append(ep.Goals, ExportGoal{Text: g.Text, Term: g.Term})
		}
		for _, m := range c.Measures {
			who := strings.Join(nonEmpty(x.name(m.ResponsibleID), m.ResponsibleService), ", ")
			ep.Measures = append(ep.Measures, ExportPlanMeasure{Text: m.Text, Responsible: who, Due: m.Due,
				Status: m.Status, Evaluation: m.Evaluation})
		}
		ec.Plans = append(ec.Plans, ep)
	}
	return nil
}

func (x *exporter) reports(ec *ExportCase) error {
	rs, err := store.ReportsOfCase(x.tx, ec.ID)
	if err != nil {
		return err
	}
	ec.Reports = []ExportReport{}
	for _, r := range rs {
		sender := r.SenderName
		if sender == "" {
			sender = x.name(r.SentBy)
		}
		ec.Reports = append(ec.Reports, ExportReport{Kind: r.Kind, Acute: r.Acute, Description: r.Description,
			SentBy: sender, SentAt: stamp(r.SentAt), Status: r.Status, ReceivedBy: x.name(r.ReceivedBy),
			ReceivedAt: stampPtr(r.ReceivedAt)})
	}
	return nil
}

func (x *exporter) tasks(ec *ExportCase) error {
	ts, err := store.TasksOfCase(x.tx, ec.ID)
	if err != nil {
		return err
	}
	ec.Tasks = []ExportTask{}
	for _, t := range ts {
		et := ExportTask{Title: t.Title, Responsible: t.AssigneeName, Status: t.Status,
			DueAt: stampPtr(t.DueAt), CompletedAt: stampPtr(t.CompletedAt)}
		rs, err := store.StepRecordsOfTask(x.tx, t.ID)
		if err != nil {
			return err
		}
		for _, r := range rs {
			if et.Records == nil {
				et.Records = map[string]string{}
			}
			et.Records[r.Record] = r.Content
		}
		ec.Tasks = append(ec.Tasks, et)
	}
	acs, err := store.AcuteContactsOfCase(x.tx, ec.ID)
	if err != nil {
		return err
	}
	ec.AcuteContacts = []ExportAcuteContact{}
	for _, k := range acs {
		ec.AcuteContacts = append(ec.AcuteContacts, ExportAcuteContact{Contacted: k.Contacted,
			ContactedAt: stamp(k.ContactedAt), Note: k.Note, RecordedBy: k.RecorderName})
	}
	return nil
}

// accessLog reads a whole access log, page by page, newest first.
func (x *exporter) accessLog(page func(before int64) ([]store.AccessLogEntry, int64, error)) ([]ExportLogEntry, error) {
	out := []ExportLogEntry{}
	var before int64
	for {
		rows, next, err := page(before)
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			out = append(out, ExportLogEntry{At: stamp(r.At), Name: r.Name, Role: r.Role, Service: r.Service,
				Action: r.Action, Outcome: r.Outcome, Purpose: r.Purpose})
		}
		if next == 0 {
			return out, nil
		}
		before = next
	}
}

// stamp writes an instant as RFC 3339 in UTC.
func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// stampPtr writes an optional instant (nil for none).
func stampPtr(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := stamp(*t)
	return &s
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// FindPersonForExport finds the person with the fødselsnummer or D-nummer,
// for the coordinating unit answering the person's request. The number is
// never written to the audit trail; the row names the person found.
// Errors: samordna.ErrNotFound for anyone but the coordinating unit (not
// allowed) and when no person in the actor's municipality has the number;
// invalid_id_number (KindInvalid) for a number that is not valid.
func (a *App) FindPersonForExport(ctx context.Context, actor *samordna.Actor, idNumber string) (*samordna.Person, error) {
	if !MayExportPersons(actor) {
		return nil, a.refuse(ctx, actor, "person", "find_person")
	}
	number := strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(idNumber))
	n, err := samordna.ParseIDNumber(number, a.AllowSynthetic)
	if err != nil {
		return nil, samordna.Errorf(samordna.KindInvalid, "invalid_id_number", "%s", idNumberMessage(err))
	}
	var p *samordna.Person
	err = a.DB.Write(ctx, func(tx *store.Tx) error {
		found, err := store.PersonByIDNumber(tx, n.Value)
		if err != nil && !errors.Is(err, samordna.ErrNotFound) {
			return err
		}
		ev := samordna.AuditEvent{ObjectType: "person", Action: "find_person", Purpose: exportPurpose}
		if found != nil && found.MunicipalityID == actor.Employee.MunicipalityID {
			p = found
			ev.PersonID, ev.ObjectID = p.ID, p.ID
		}
		return a.audit(tx, actor, ev)
	})
	if err != nil {
		return nil, err
	}
	if p == nil {
		return nil, samordna.ErrNotFound
	}
	return p, nil
}

// MayExportPersons reports whether the actor may look up and export
// persons at all (the coordinating unit; the pages show the search by
// it). Whether one person may be exported is ExportPersonData's decision.
func MayExportPersons(actor *samordna.Actor) bool {
	return actor != nil && actor.Employee != nil &&
		access.CanExportPerson(access.SubjectOf(actor.Employee), true, false)
}

// CheckExportRole answers nil when MayExportPersons, and otherwise writes
// a denied audit row and returns not_found, like any refusal: the search
// page and the API call it before reading any input.
func (a *App) CheckExportRole(ctx context.Context, actor *samordna.Actor) error {
	if MayExportPersons(actor) {
		return nil
	}
	return a.refuse(ctx, actor, "person", "find_person")
}
