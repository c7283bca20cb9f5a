package app

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/access"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// This file registers concerns (bekymringer) and inquiries (henvendelser):
// the start of the discoverer's routine. A concern opens a case that
// records the routine id and version it starts under, and the steps its
// situation starts become the discoverer's first tasks.
//
// Which routine: the concern may name one (NewConcern.Routine); it must
// start the situation. Otherwise the municipality's default routine (set by
// the administrator, `samordna routine default`), else
// lillehammer-oppdager, which starts every situation. The demo municipality
// follows Lillehammer's discoverer routine by default and Ulstein's action
// plan for substance abuse in families with infants when the concern names
// "ulstein-rus-sped-smabarn" (it has no step for "pregnant").

// MaxDescriptionLength bounds a concern's description.
const MaxDescriptionLength = 10000

// NewConcern is the input for RegisterConcern.
type NewConcern struct {
	Situation   pathway.Situation
	Anonymous   bool
	Subject     *ConcernSubject // required when named, forbidden when anonymous
	Description string
	Routine     string // optional routine id; see the comment at the top of this file
	Follows     string // optional: the anonymous case this named case follows up
	// Problems records what the person struggles with: substance use
	// and/or mental illness (optional). Steps limited to a problem start only
	// when it is recorded: the health personnel's duty to inform needs a
	// pregnant woman's substance use, not mental illness alone (seed 000,
	// helsepersonelloven § 32).
	Problems []pathway.Problem
}

// ConcernSubject is whom a named concern is about: a person with a
// fødselsnummer or D-nummer (found if registered, else registered), or an
// expected child with its due date and the pregnant woman.
type ConcernSubject struct {
	IDNumber        string // fødselsnummer or D-nummer; spaces and hyphens are ignored
	Name            string // required when the person is not registered yet
	ExpectedDueDate string // YYYY-MM-DD, for an expected child (then no IDNumber)
	MotherIDNumber  string // the pregnant woman's number, for an expected child
	MotherName      string // her name, when she is not registered yet
}

// Concern is a registered concern with its case and first tasks.
type Concern struct {
	Concern *store.Concern
	Case    *samordna.Case
	Tasks   []*TaskView
}

// RegisterConcern registers a concern or inquiry (asks_for_help) and starts
// the routine: a new case (origin concern or inquiry) that records the
// routine id and version, and a task for each step the situation starts.
//
// Anonymous means anonymous: no subject may be given, and no text may hold a
// valid fødselsnummer or D-nummer (*IdentifyingDataError, code
// identifying_data, pointing at the field and characters; nothing is
// stored and the refusal is audited without content). The registering
// employee is recorded and audited all the same. A named concern may follow
// an anonymous case the actor registered (Follows): the cases are linked
// (follows_anonymous) and no text is copied.
//
// Who may call: an employee (role employee; not the administrator, who
// sees no case content). Errors: invalid_situation, description_required,
// description_too_long, subject_required, invalid_id_number (and the other
// RegisterPerson errors), invalid_follows — KindInvalid or KindRule;
// subject_not_allowed, identifying_data, unknown_routine,
// situation_not_in_routine, no_routine (KindRule); samordna.ErrNotFound for
// the administrator.
func (a *App) RegisterConcern(ctx context.Context, actor *samordna.Actor, in NewConcern) (*Concern, error) {
	return a.registerConcern(ctx, actor, in, time.Time{})
}

// MayRegisterConcern is nil when the actor may register a concern (an
// employee who is not the administrator); otherwise it audits the refusal
// and answers not found. The form calls it first, so that someone who may not
// register learns nothing from the form's own checks.
func (a *App) MayRegisterConcern(ctx context.Context, actor *samordna.Actor) error {
	if actor == nil || actor.Employee == nil || !actor.Employee.HasRole(samordna.RoleEmployee) ||
		actor.Employee.HasRole(samordna.RoleAdmin) {
		return a.refuse(ctx, actor, "concern", "create")
	}
	return nil
}

// registerConcern is RegisterConcern; a non-zero at backdates the concern
// (the demo uses it).
func (a *App) registerConcern(ctx context.Context, actor *samordna.Actor, in NewConcern, at time.Time) (*Concern, error) {
	if err := a.MayRegisterConcern(ctx, actor); err != nil {
		return nil, err
	}
	if err := validateConcern(&in); err != nil {
		if samordna.ErrorCode(err) == "identifying_data" {
			_ = a.refuseQuietly(ctx, actor, "concern", "create", "identifying_data")
		}
		return nil, err
	}
	var out *Concern
	// Group commit: concerns registered at the same moment share one
	// durable commit; each still answers only once its own rows are durable.
	err := a.DB.WriteGrouped(ctx, func(tx *store.Tx) error {
		var err error
		out, err = a.registerConcernTx(tx, actor, in, at, a.AllowSynthetic)
		return err
	})
	return out, err
}

// validateConcern checks the input that needs no database.
func validateConcern(in *NewConcern) error {
	raw := in.Description // offsets of identifying data point into the text as sent
	in.Description = strings.TrimSpace(in.Description)
	switch {
	case !in.Situation.Valid():
		return samordna.Errorf(samordna.KindInvalid, "invalid_situation",
			"situation is one of unclear_concern, asks_for_help, known_family, pregnant, acute")
	case in.Description == "":
		return samordna.Errorf(samordna.KindInvalid, "description_required", "describe the concern")
	case utf8.RuneCountInString(in.Description) > MaxDescriptionLength:
		return samordna.Errorf(samordna.KindInvalid, "description_too_long",
			"the description may be at most %d characters", MaxDescriptionLength)
	case in.Anonymous && in.Subject != nil:
		return samordna.Errorf(samordna.KindRule, "subject_not_allowed",
			"an anonymous concern names nobody: leave out the subject")
	case in.Anonymous && in.Follows != "":
		return samordna.Errorf(samordna.KindRule, "invalid_follows", "only a named case can follow an anonymous one")
	case !validProblems(in.Problems):
		return samordna.Errorf(samordna.KindInvalid, "invalid_problem",
			"problems are any of substance_use, mental_illness, each once")
	case in.Anonymous:
		return checkAnonymousText("description", raw)
	case in.Subject == nil:
		return samordna.Errorf(samordna.KindInvalid, "subject_required",
			"a named concern needs a subject: a fødselsnummer or D-nummer and a name, or an expected child's due date")
	}
	return nil
}

// registerConcernTx does the work of registerConcern inside tx; the demo
// passes allowSynthetic true whatever the App's setting.
func (a *App) registerConcernTx(tx *store.Tx, actor *samordna.Actor, in NewConcern, at time.Time, allowSynthetic bool) (*Concern, error) {
	now := a.now()
	if at.IsZero() {
		at = now
	}
	e := actor.Employee
	r, err := a.chooseRoutine(tx, e.MunicipalityID, in.Routine, in.Situation, concernAge(in, a.now()))
	if err != nil {
		return nil, err
	}
	c := &samordna.Case{ID: samordna.NewID(), MunicipalityID: e.MunicipalityID, Anonymous: in.Anonymous,
		Origin: samordna.OriginConcern, Situation: string(in.Situation), Status: samordna.CaseOpen,
		Title: concernTitle(in), RegisteredBy: e.ID, RoutineID: r.ID, RoutineVersion: r.Version, CreatedAt: at.UTC()}
	if in.Situation == pathway.SituationAsksForHelp {
		c.Origin = samordna.OriginInquiry
	}
	if len(e.Services) > 0 {
		c.RegisteredServiceID = e.Services[0].ID
	}
	if !in.Anonymous {
		p, err := a.concernSubject(tx, actor, in.Subject, allowSynthetic)
		if err != nil {
			return nil, err
		}
		c.SubjectPersonID = p.ID
	}
	if err := store.CreateCase(tx, c); err != nil {
		return nil, err
	}
	con := &store.Concern{ID: samordna.NewID(), CaseID: c.ID, MunicipalityID: c.MunicipalityID,
		Situation: string(in.Situation), Anonymous: in.Anonymous, Description: in.Description,
		Problems: problemStrings(in.Problems), RegisteredBy: e.ID, CreatedAt: at.UTC()}
	if err := store.CreateConcern(tx, con); err != nil {
		return nil, err
	}
	if err := store.AddCaseEvent(tx, &samordna.CaseEvent{CaseID: c.ID, At: at.UTC(), ActorID: e.ID,
		Kind: "concern_registered", RefType: "concern", RefID: con.ID}); err != nil {
		return nil, err
	}
	if in.Follows != "" {
		if err := a.linkFollowUp(tx, actor, c, in.Follows); err != nil {
			return nil, err
		}
	}
	var steps []pathway.Step
	for _, s := range r.StartSteps(in.Situation) {
		if s.AppliesTo(in.Problems) {
			steps = append(steps, s)
		}
	}
	tasks, err := a.startSteps(tx, c, r, steps, at, assignHint{}, "")
	if err != nil {
		return nil, err
	}
	out := &Concern{Concern: con, Case: c}
	for _, t := range tasks {
		out.Tasks = append(out.Tasks, a.taskView(r, t, actor, true))
	}
	return out, a.audit(tx, actor, samordna.AuditEvent{CaseID: c.ID, PersonID: c.SubjectPersonID,
		ObjectType: "concern", ObjectID: con.ID, Action: "create", Purpose: string(access.ReasonRegistered)})
}

// validProblems reports whether every problem is known and given once.
func validProblems(ps []pathway.Problem) bool {
	for i, p := range ps {
		if !p.Valid() || slices.Contains(ps[:i], p) {
			return false
		}
	}
	return true
}

// problemStrings returns the problems as stored.
func problemStrings(ps []pathway.Problem) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = string(p)
	}
	return out
}

// concernTitle is the case's short, non-identifying label (bokmål, as
// stored): the situation, marked when anonymous.
func concernTitle(in NewConcern) string {
	if in.Anonymous {
		return "Anonym drøfting: " + in.Situation.Label()
	}
	return in.Situation.Label()
}

// concernSubject finds or registers whom a named concern is about.
func (a *App) concernSubject(tx *store.Tx, actor *samordna.Actor, s *ConcernSubject, allowSynthetic bool) (*samordna.Person, error) {
	if s.ExpectedDueDate != "" && s.IDNumber != "" {
		return nil, samordna.Errorf(samordna.KindInvalid, "id_number_or_due_date",
			"give either a fødselsnummer/D-nummer or, for an expected child, a due date")
	}
	if s.ExpectedDueDate == "" {
		if s.MotherIDNumber != "" || s.MotherName != "" {
			return nil, samordna.Errorf(samordna.KindInvalid, "mother_only_for_expected",
				"a mother is given only for an expected child")
		}
		return a.findOrRegister(tx, actor, s.IDNumber, s.Name, allowSynthetic)
	}
	if s.MotherIDNumber == "" {
		return nil, samordna.Errorf(samordna.KindInvalid, "mother_required",
			"an expected child is registered with the pregnant woman's fødselsnummer or D-nummer")
	}
	mother, err := a.findOrRegister(tx, actor, s.MotherIDNumber, s.MotherName, allowSynthetic)
	if err != nil {
		return nil, err
	}
	if p, err := expectedChildOf(tx, mother.ID, s.ExpectedDueDate); p != nil || err != nil {
		return p, err
	}
	return a.registerPerson(tx, actor, NewPerson{Name: strings.TrimSpace(s.Name), DueDate: s.ExpectedDueDate,
		MotherID: mother.ID}, allowSynthetic)
}

// expectedChildOf returns the mother's expected child with the due date,
// nil when she has none registered.
func expectedChildOf(tx *store.Tx, motherID, dueDate string) (*samordna.Person, error) {
	rels, err := store.RelationsOf(tx, motherID)
	if err != nil {
		return nil, err
	}
	for _, r := range rels {
		if r.Kind != samordna.RelationExpecting || r.PersonID != motherID {
			continue
		}
		p, err := store.PersonByID(tx, r.RelatedID)
		if err != nil {
			return nil, err
		}
		if p.Expected() && p.DueDate == dueDate {
			return p, nil
		}
	}
	return nil, nil
}

// findOrRegister returns the person with the number, registering them
// (with name) when they are not registered yet.
func (a *App) findOrRegister(tx *store.Tx, actor *samordna.Actor, number, name string, allowSynthetic bool) (*samordna.Person, error) {
	number = strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(number))
	if number == "" {
		return nil, samordna.Errorf(samordna.KindInvalid, "subject_required",
			"give the fødselsnummer or D-nummer of whom the concern is about")
	}
	if _, err := samordna.ParseIDNumber(number, allowSynthetic); err != nil {
		return nil, samordna.Errorf(samordna.KindInvalid, "invalid_id_number", "%s", idNumberMessage(err))
	}
	p, err := store.PersonByIDNumber(tx, number)
	switch {
	case err == nil && p.MunicipalityID == actor.Employee.MunicipalityID:
		return p, nil
	case err == nil:
		return nil, samordna.Errorf(samordna.KindRule, "person_elsewhere", "the person is registered in another municipality")
	case samordna.ErrorKind(err) != samordna.KindNotFound:
		return nil, err
	}
	return a.registerPerson(tx, actor, NewPerson{IDNumber: number, Name: name}, allowSynthetic)
}

// linkFollowUp links a named case to the anonymous case it follows up. The
// anonymous case must be one the actor may read.
func (a *App) linkFollowUp(tx *store.Tx, actor *samordna.Actor, c *samordna.Case, anonymousID string) error {
	g, ok, err := a.authorizeCase(tx, actor, anonymousID, access.Read)
	if err != nil {
		return err
	}
	if !ok || !g.Case.Anonymous {
		return samordna.Errorf(samordna.KindRule, "invalid_follows",
			"follows must name an anonymous consultation you may read")
	}
	if err := store.LinkCases(tx, c.ID, g.Case.ID, samordna.LinkFollowsAnonymous, actor.Employee.ID, a.now()); err != nil {
		return err
	}
	return store.AddCaseEvent(tx, &samordna.CaseEvent{CaseID: g.Case.ID, At: a.now(), ActorID: actor.Employee.ID,
		Kind: "followed_by_named_case", RefType: "case", RefID: c.ID})
}

// refuseQuietly writes a denied audit row without content (why names the
// rule) and returns the error of writing it.
func (a *App) refuseQuietly(ctx context.Context, actor *samordna.Actor, objectType, action, why string) error {
	return a.DB.Write(ctx, func(tx *store.Tx) error {
		return a.audit(tx, actor, samordna.AuditEvent{ObjectType: objectType, Action: action,
			Outcome: samordna.OutcomeDenied, Purpose: why})
	})
}

// ConcernCase is the routine view of a case: the case, its concerns, the
// routine version it follows, its tasks (open first), what comes next, its
// consultations and reports.
type ConcernCase struct {
	Case          *samordna.Case
	Subject       *samordna.Person
	Routine       *pathway.Routine // nil when the case follows no routine
	Concerns      []*store.Concern
	Tasks         []*TaskView
	Next          []pathway.Step // the steps that follow the open tasks
	Consultations []*store.Consultation
	Reports       []*store.Report // only those the reader may see
	Teams         []*samordna.Team
	CanWrite      bool
	CanInform     bool // the reader is health personnel who may write to the case (access.Inform)
	// CanTakeCoordination: the routine lets the reader take the
	// coordinator role (TakeCoordinationByRoutine, Ulstein row 6).
	CanTakeCoordination bool
	Deviations          []*store.Deviation          // registered by the sweep or by hand
	DrugTests           []*store.DrugTestAssessment // assessments of a drug test (Ulstein row 6)
	AcuteContacts       []*store.AcuteContact       // whom was contacted in an acute situation, and when
}

// CaseRoutine returns the routine view of a case for a reader of the case;
// anyone else gets samordna.ErrNotFound. One audit row either way.
func (a *App) CaseRoutine(ctx context.Context, actor *samordna.Actor, caseID string) (*ConcernCase, error) {
	var v *ConcernCase
	err := a.withCase(ctx, actor, caseID, access.Read, "read_routine", func(tx *store.Tx, g *caseGrant) error {
		var err error
		if v, err = a.concernCase(tx, actor, g); err != nil {
			return err
		}
		return a.auditCase(tx, actor, g, "read_routine", "case", g.Case.ID)
	})
	return v, err
}

func (a *App) concernCase(tx *store.Tx, actor *samordna.Actor, g *caseGrant) (*ConcernCase, error) {
	c := g.Case
	s := access.SubjectOf(actor.Employee)
	v := &ConcernCase{Case: c, CanWrite: access.Can(s, access.Write, g.Facts), CanInform: access.Can(s, access.Inform, g.Facts)}
	var err error
	if c.SubjectPersonID != "" {
		if v.Subject, err = store.PersonByID(tx, c.SubjectPersonID); err != nil {
			return nil, err
		}
	}
	if v.Routine, err = a.caseRoutine(tx, c); err != nil {
		return nil, err
	}
	if v.Concerns, err = store.ConcernsOfCase(tx, c.ID); err != nil {
		return nil, err
	}
	if v.Tasks, err = a.caseTaskViews(tx, actor, c, v.Routine); err != nil {
		return nil, err
	}
	v.Next = nextSteps(v.Routine, v.Tasks)
	if v.Consultations, err = store.ConsultationsOfCase(tx, c.ID); err != nil {
		return nil, err
	}
	if v.Reports, err = a.visibleReports(tx, actor, c.ID); err != nil {
		return nil, err
	}
	if v.Teams, err = store.TeamsOfMunicipality(tx, c.MunicipalityID); err != nil {
		return nil, err
	}
	if v.CanTakeCoordination, err = a.MayTakeCoordinationByRoutine(tx, actor.Employee, c.ID); err != nil {
		return nil, err
	}
	if v.CanTakeCoordination {
		if cur, err := store.CurrentAssignment(tx, c.ID); err != nil {
			return nil, err
		} else if cur != nil {
			v.CanTakeCoordination = false
		}
	}
	if v.Deviations, err = store.DeviationsOfCase(tx, c.ID); err != nil {
		return nil, err
	}
	if v.DrugTests, err = store.DrugTestAssessmentsOfCase(tx, c.ID); err != nil {
		return nil, err
	}
	if v.AcuteContacts, err = store.AcuteContactsOfCase(tx, c.ID); err != nil {
		return nil, err
	}
	return v, nil
}

// nextSteps lists the steps that follow the open tasks (every branch of a
// step with outcomes), each once, in routine order.
func nextSteps(r *pathway.Routine, tasks []*TaskView) []pathway.Step {
	if r == nil {
		return nil
	}
	want := map[string]bool{}
	for _, t := range tasks {
		if t.Status != store.TaskOpen || t.Step == nil {
			continue
		}
		for _, id := range t.Step.Next {
			want[id] = true
		}
		for _, ids := range t.Step.Outcomes {
			for _, id := range ids {
				want[id] = true
			}
		}
	}
	var out []pathway.Step
	for _, s := range r.Steps {
		if want[s.ID] {
			out = append(out, s)
		}
	}
	return out
}

// IdentifyingDataError refuses free text on an anonymous case that holds a
// valid fødselsnummer or D-nummer. It points at the offending part by field
// name and character offsets (Start inclusive, End exclusive, counted in
// Unicode characters from 0) and never repeats the number.
// samordna.ErrorKind sees KindRule and code identifying_data through Unwrap.
type IdentifyingDataError struct {
	Err        *samordna.Error
	Field      string
	Start, End int
}

func (e *IdentifyingDataError) Error() string { return e.Err.Error() }

// Unwrap gives the *samordna.Error.
func (e *IdentifyingDataError) Unwrap() error { return e.Err }

// checkAnonymousText returns an *IdentifyingDataError for the first valid
// fødselsnummer, D-nummer or H-number (synthetic test numbers included, in
// any of the spellings FindIDNumbers reads) in text, and
// nil when there is none. An 11-digit number that fails the check digits
// or the date is not identifying.
func checkAnonymousText(field, text string) error {
	m := samordna.FindIDNumbers(text)
	if len(m) == 0 {
		return nil
	}
	start := utf8.RuneCountInString(text[:m[0].Start])
	end := start + utf8.RuneCountInString(text[m[0].Start:m[0].End])
	kind := "fødselsnummer"
	switch m[0].Kind {
	case samordna.IDKindDNR:
		kind = "D-nummer"
	case samordna.IDKindHNR:
		kind = "H-nummer"
	}
	return &IdentifyingDataError{Field: field, Start: start, End: end,
		Err: samordna.Errorf(samordna.KindRule, "identifying_data",
			"%s contains a %s at characters %d–%d; an anonymous consultation must not identify anyone, so nothing was stored",
			field, kind, start, end)}
}

// checkAnonymousFields checks each named text in order.
func checkAnonymousFields(fields ...[2]string) error {
	for _, f := range fields {
		if err := checkAnonymousText(f[0], f[1]); err != nil {
			return err
		}
	}
	return nil
}

// concernAge is the age in whole years of the person a concern is about,
// from the fødselsnummer (0 for an expected child), or -1 when it cannot
// be told (anonymous, or a number that does not parse; registering checks
// the number itself).
func concernAge(in NewConcern, now time.Time) int {
	switch {
	case in.Subject == nil:
		return -1
	case in.Subject.IDNumber == "" && in.Subject.ExpectedDueDate != "":
		return 0
	}
	n, err := samordna.ParseIDNumber(strings.TrimSpace(in.Subject.IDNumber), true)
	if err != nil {
		return -1
	}
	now = now.In(pathway.Oslo())
	b := n.BirthDate
	age := now.Year() - b.Year()
	if now.Month() < b.Month() || now.Month() == b.Month() && now.Day() < b.Day() {
		age--
	}
	return age
}
