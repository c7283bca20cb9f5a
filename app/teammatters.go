package app

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/access"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// This file is the intake of matters to a team and what the submitter sees
// of them (issue 15 point 3; seed 002 §4.2: "Skoler og barnehager melder
// inn saker til TST i sitt distrikt ... med navn (med samtykke) eller
// anonymt").

// NewTeamMatter is the input for SubmitTeamMatter.
type NewTeamMatter struct {
	Anonymous bool
	Question  string          // what the submitter wants the team's help with
	Subject   *ConcernSubject // named: whom it is about (fødselsnummer and name)
	ConsentID string          // named: the consent naming the person to the team (default: the one in force)
	Reason    string          // why another district's team
	// ForParents: the parents (foresatte) asked for the matter to be
	// brought, and the employee submits it on their behalf with their
	// consent (seed 002 §4.2: "foresatte og andre kan melde inn saker");
	// recorded on the matter and counted in the team report.
	ForParents bool
}

// SubmitTeamMatter brings a matter to a team. It goes on the agenda of the
// team's next planned meeting with room, or waits for one. A named matter
// rests on a consent in force covering share_with_team for that very team,
// on a case about the person the submitter may read; an anonymous matter
// names nobody (its texts are checked for fødselsnumre as anonymous
// concerns are) and gets an anonymous case of its own, registered by the
// submitter, so the advice can reach them as a task. One audit row
// (object_type "team_matter", action "submit"), tied to the case.
//
// Who may call: any employee except the administrator; a team of another
// municipality is samordna.ErrNotFound. Errors: question_required,
// text_too_long, subject_required, invalid_id_number — KindInvalid;
// wrong_district (another district's team without a reason),
// identifying_data (an anonymous matter with a fødselsnummer or D-nummer),
// subject_not_allowed (an anonymous matter naming a subject),
// consent_required (named without a consent in force for this team),
// named_case_not_allowed (a named matter to the OST, which works on system
// issues only) — KindRule.
func (a *App) SubmitTeamMatter(ctx context.Context, actor *samordna.Actor, teamID string, in NewTeamMatter) (*store.TeamMatter, error) {
	if actor == nil || actor.Employee == nil || actor.Employee.HasRole(samordna.RoleAdmin) {
		return nil, a.refuse(ctx, actor, "team", "submit_matter")
	}
	raw := in
	var out *store.TeamMatter
	err := a.withTeam(ctx, actor, teamID, "submit_matter", func(*samordna.Team) bool { return true },
		func(tx *store.Tx, t *samordna.Team) error {
			x, err := a.submitTeamMatter(tx, actor, t, in, raw)
			if err != nil {
				return err
			}
			out = x
			ev := samordna.AuditEvent{ObjectType: "team_matter", ObjectID: x.ID, Action: "submit", CaseID: x.CaseID,
				PersonID: x.PersonID}
			return a.audit(tx, actor, ev)
		})
	return out, err
}

// submitTeamMatter validates and stores the matter inside tx.
func (a *App) submitTeamMatter(tx *store.Tx, actor *samordna.Actor, t *samordna.Team, in, raw NewTeamMatter) (*store.TeamMatter, error) {
	in.Question, in.Reason = strings.TrimSpace(in.Question), strings.TrimSpace(in.Reason)
	switch {
	case in.Question == "":
		return nil, samordna.Errorf(samordna.KindInvalid, "question_required",
			"write the question you want the team's help with")
	case utf8.RuneCountInString(in.Question) > MaxMatterText || utf8.RuneCountInString(in.Reason) > MaxMatterText:
		return nil, samordna.Errorf(samordna.KindInvalid, "text_too_long", "each text is at most %d characters", MaxMatterText)
	case !in.Anonymous && t.Kind == samordna.TeamOverarching:
		return nil, samordna.Errorf(samordna.KindRule, "named_case_not_allowed",
			"the OST works on system issues, not on named persons: bring the matter to your district's TST")
	case !ownDistrict(actor, t) && in.Reason == "":
		return nil, samordna.Errorf(samordna.KindRule, "wrong_district",
			"this team serves another district: bring the matter to your own district's team, or say why this one")
	}
	x := &store.TeamMatter{MunicipalityID: t.MunicipalityID, TeamID: t.ID, Anonymous: in.Anonymous, Question: in.Question,
		Reason: in.Reason, Status: store.MatterWaiting, SubmittedBy: actor.Employee.ID, SubmittedAt: a.now(),
		ServiceID: submittingService(actor, t), ForParents: in.ForParents}
	if in.Anonymous {
		if err := a.anonymousMatter(tx, actor, t, x, raw); err != nil {
			return nil, err
		}
	} else if err := a.namedMatter(tx, actor, t, x, in); err != nil {
		return nil, err
	}
	if m, err := store.NextTeamMeetingWithRoom(tx, t.ID, a.now()); err == nil {
		x.MeetingID, x.Status = m.ID, store.MatterOnAgenda
	} else if !errors.Is(err, samordna.ErrNotFound) {
		return nil, err
	}
	if err := store.CreateTeamMatter(tx, x); err != nil {
		return nil, err
	}
	return x, store.AddCaseEvent(tx, &samordna.CaseEvent{CaseID: x.CaseID, At: x.SubmittedAt, ActorID: actor.Employee.ID,
		Kind: "team_matter_submitted", RefType: "team_matter", RefID: x.ID})
}

// submittingService is the actor's service the matter comes from: one on
// the team's intake list or in its district, else the first.
func submittingService(actor *samordna.Actor, t *samordna.Team) string {
	for _, s := range actor.Employee.Services {
		if slices.Contains(t.SubmitterIDs, s.ID) || (t.DistrictID != "" && s.DistrictID == t.DistrictID) {
			return s.ID
		}
	}
	if len(actor.Employee.Services) > 0 {
		return actor.Employee.Services[0].ID
	}
	return ""
}

// anonymousMatter checks that the matter names nobody and gives it an
// anonymous case of its own.
func (a *App) anonymousMatter(tx *store.Tx, actor *samordna.Actor, t *samordna.Team, x *store.TeamMatter, raw NewTeamMatter) error {
	if raw.Subject != nil || raw.ConsentID != "" {
		return samordna.Errorf(samordna.KindRule, "subject_not_allowed",
			"an anonymous matter names nobody: leave out the subject and the consent")
	}
	if err := checkAnonymousFields([2]string{"question", raw.Question}, [2]string{"reason", raw.Reason}); err != nil {
		return err
	}
	c := &samordna.Case{ID: samordna.NewID(), MunicipalityID: t.MunicipalityID, Anonymous: true,
		Origin: samordna.OriginConcern, Status: samordna.CaseOpen, Title: "Anonym sak til " + t.Name,
		RegisteredBy: actor.Employee.ID, RegisteredServiceID: x.ServiceID, CreatedAt: a.now()}
	if err := store.CreateCase(tx, c); err != nil {
		return err
	}
	x.CaseID = c.ID
	return store.AddCaseEvent(tx, &samordna.CaseEvent{CaseID: c.ID, At: c.CreatedAt, ActorID: actor.Employee.ID,
		Kind: "registered", RefType: "case", RefID: c.ID})
}

// errMatterConsent: naming a person to a team needs the consent form's
// team purpose for that team.
var errMatterConsent = samordna.Errorf(samordna.KindRule, "consent_required",
	"bringing a named matter to a team needs a recorded consent in force for sharing with that team "+
		"(share_with_team); otherwise bring it anonymously")

// namedMatter finds the person and the consent in force that names the
// person to the team, on a case the actor may read.
func (a *App) namedMatter(tx *store.Tx, actor *samordna.Actor, t *samordna.Team, x *store.TeamMatter, in NewTeamMatter) error {
	if in.Subject == nil || strings.TrimSpace(in.Subject.IDNumber) == "" {
		return samordna.Errorf(samordna.KindInvalid, "subject_required",
			"a named matter needs the person's fødselsnummer or D-nummer and name")
	}
	n, err := samordna.ParseIDNumber(strings.NewReplacer(" ", "", "-", "").Replace(in.Subject.IDNumber), a.AllowSynthetic)
	if err != nil {
		return samordna.Errorf(samordna.KindInvalid, "invalid_id_number", "%s", idNumberMessage(err))
	}
	p, err := store.PersonByIDNumber(tx, n.Value)
	if errors.Is(err, samordna.ErrNotFound) || (err == nil && p.MunicipalityID != t.MunicipalityID) {
		return errMatterConsent
	}
	if err != nil {
		return err
	}
	consents, err := store.TeamConsentsOfPerson(tx, p.ID, t.ID)
	if err != nil {
		return err
	}
	for _, c := range consents {
		if (in.ConsentID != "" && c.ID != in.ConsentID) || !c.Active(a.now()) || !c.Covers(samordna.PurposeShareWithTeam) {
			continue
		}
		_, ok, err := a.authorizeCase(tx, actor, c.CaseID, access.Read)
		if err != nil {
			return err
		}
		if ok {
			x.PersonID, x.CaseID, x.ConsentID = p.ID, c.CaseID, c.ID
			return nil
		}
	}
	return errMatterConsent
}

// MatterView is a matter as its submitter or the team sees it.
type MatterView struct {
	Matter      *store.TeamMatter
	TeamName    string
	Meeting     *store.TeamMeeting // nil while waiting
	PersonName  string             // named matters, for readers allowed to see it
	Submitter   string             // the submitter's name
	Service     string             // the submitting service's name
	FollowUp    string             // name of who follows up
	Hidden      bool               // named matter whose consent no longer lets this reader see it
	AdviceTask  string             // the advice task's id
	SubmitterID string
}

// MyTeamMatters returns the matters the actor brought to teams, newest
// first, with where each stands (waiting, on the agenda of a meeting, or
// discussed with the advice). One audit row when any is named (the list
// shows the persons' names to their own submitter).
//
// Who may call: any employee; the administrator gets none.
func (a *App) MyTeamMatters(ctx context.Context, actor *samordna.Actor) ([]*MatterView, error) {
	if actor == nil || actor.Employee == nil || actor.Employee.HasRole(samordna.RoleAdmin) {
		return nil, nil
	}
	var out []*MatterView
	named := false
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		ms, err := store.TeamMattersSubmittedBy(tx, actor.Employee.ID)
		if err != nil {
			return err
		}
		for _, x := range ms {
			v, err := a.matterView(tx, x, true)
			if err != nil {
				return err
			}
			named = named || !x.Anonymous
			out = append(out, v)
		}
		return nil
	})
	if err != nil || !named {
		return out, err
	}
	return out, a.auditGrouped(ctx, actor, samordna.AuditEvent{ObjectType: "team_matter", Action: "list_own"})
}

// matterView fills the names around a matter; showPerson says whether the
// person's name may be shown.
func (a *App) matterView(tx *store.Tx, x *store.TeamMatter, showPerson bool) (*MatterView, error) {
	v := &MatterView{Matter: x, AdviceTask: x.AdviceTaskID, SubmitterID: x.SubmittedBy}
	t, err := store.TeamByID(tx, x.TeamID)
	if err != nil {
		return nil, err
	}
	v.TeamName = t.Name
	if x.MeetingID != "" {
		if v.Meeting, err = store.TeamMeetingByID(tx, x.MeetingID); err != nil {
			return nil, err
		}
	}
	if showPerson && x.PersonID != "" {
		p, err := store.PersonByID(tx, x.PersonID)
		if err != nil {
			return nil, err
		}
		v.PersonName = p.Name
	}
	if e, err := store.EmployeeByID(tx, x.SubmittedBy); err == nil {
		v.Submitter = e.Name
	}
	if x.ServiceID != "" {
		if s, err := store.ServiceByID(tx, x.ServiceID); err == nil {
			v.Service = s.Name
		}
	}
	if x.FollowUpBy != "" {
		if e, err := store.EmployeeByID(tx, x.FollowUpBy); err == nil {
			v.FollowUp = e.Name
		}
	}
	return v, nil
}

// TeamMatter returns one matter for its submitter. Who may call: the
// submitter; others get samordna.ErrNotFound (the team reads matters on
// its meetings' agendas, TeamMeeting).
func (a *App) TeamMatter(ctx context.Context, actor *samordna.Actor, matterID string) (*MatterView, error) {
	var v *MatterView
	denied := false
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		x, err := store.TeamMatterByID(tx, matterID)
		if errors.Is(err, samordna.ErrNotFound) || (err == nil && (actor == nil || actor.Employee == nil ||
			x.SubmittedBy != actor.Employee.ID)) {
			denied = true
			return nil
		}
		if err != nil {
			return err
		}
		v, err = a.matterView(tx, x, true)
		return err
	})
	if err != nil {
		return nil, err
	}
	ev := samordna.AuditEvent{ObjectType: "team_matter", ObjectID: truncate(matterID, 64), Action: "read"}
	if denied {
		ev.Outcome = samordna.OutcomeDenied
	} else {
		ev.CaseID, ev.PersonID = v.Matter.CaseID, v.Matter.PersonID
	}
	if err := a.auditGrouped(ctx, actor, ev); err != nil {
		return nil, err
	}
	if denied {
		return nil, samordna.ErrNotFound
	}
	return v, nil
}

// nextMeetingAfter is a helper for views: the start of the team's next
// planned meeting after now, or nil.
func (a *App) nextMeetingAfter(tx *store.Tx, teamID string) (*time.Time, error) {
	m, err := store.NextTeamMeeting(tx, teamID, a.now())
	if errors.Is(err, samordna.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	s := m.StartsAt
	return &s, nil
}

// reportToResourceGroup carries out Ulstein's row 2 (seed 003: "Melde sak
// til koordinator av ressursgruppa. Drøfte sak på neste møte i
// ressursgruppa."): when the member who was contacted completes the step
// (the event resource_group_contacted), the case becomes a matter of the
// resource group — on the agenda of its next meeting with room, or
// waiting for one — and the group's coordinator (its leader; without one,
// every member) is notified. The matter names the person only when a
// consent in force names the person to the resource group; otherwise it
// is anonymous (an anonymous case keeps its own case; a named one without
// that consent gets an anonymous case of its own, so that nothing links
// the group to the person). A municipality without a resource group gets
// nothing. One audit row.
func (a *App) reportToResourceGroup(tx *store.Tx, actor *samordna.Actor, c *samordna.Case, r *pathway.Routine, t *store.Task) (*store.TeamMatter, error) {
	if r == nil || t.Kind != store.TaskKindStep || actor == nil || actor.Employee == nil {
		return nil, nil
	}
	if step, ok := r.Step(t.StepID); !ok || step.Event != pathway.EventResourceGroupContacted {
		return nil, nil
	}
	team, err := a.resourceGroupOf(tx, actor, c.MunicipalityID)
	if err != nil || team == nil {
		return nil, err
	}
	question := "Sak meldt til koordinator av ressursgruppa etter henvendelse (rad 2): drøftes på neste møte i ressursgruppa."
	x := &store.TeamMatter{MunicipalityID: c.MunicipalityID, TeamID: team.ID, Anonymous: true, Question: question,
		Status: store.MatterWaiting, SubmittedBy: actor.Employee.ID, SubmittedAt: a.now(), ServiceID: submittingService(actor, team)}
	switch {
	case c.Anonymous:
		x.CaseID = c.ID
	default:
		consent, err := a.teamConsentOfCase(tx, c.ID, team.ID)
		if err != nil {
			return nil, err
		}
		if consent != nil {
			x.Anonymous, x.PersonID, x.CaseID, x.ConsentID = false, c.SubjectPersonID, c.ID, consent.ID
		} else if err := a.anonymousMatter(tx, actor, team, x, NewTeamMatter{Anonymous: true, Question: question}); err != nil {
			return nil, err
		}
	}
	if m, err := store.NextTeamMeetingWithRoom(tx, team.ID, a.now()); err == nil {
		x.MeetingID, x.Status = m.ID, store.MatterOnAgenda
	} else if !errors.Is(err, samordna.ErrNotFound) {
		return nil, err
	}
	if err := store.CreateTeamMatter(tx, x); err != nil {
		return nil, err
	}
	coordinators := team.MemberIDs
	if team.LeaderID != "" {
		coordinators = []string{team.LeaderID}
	}
	for _, id := range coordinators {
		if err := store.CreateNotification(tx, &store.Notification{EmployeeID: id, Kind: "team_matter_reported",
			CreatedAt: a.now(), Detail: `{"team_id":"` + team.ID + `"}`}); err != nil {
			return nil, err
		}
	}
	return x, a.audit(tx, actor, samordna.AuditEvent{ObjectType: "team_matter", ObjectID: x.ID, Action: "submit",
		CaseID: x.CaseID, PersonID: x.PersonID, Purpose: "resource_group_row_2"})
}

// resourceGroupOf returns the resource group the actor is a member of, or
// else the municipality's first resource group, or nil when there is none.
func (a *App) resourceGroupOf(tx *store.Tx, actor *samordna.Actor, municipalityID string) (*samordna.Team, error) {
	mine, err := store.TeamsOfEmployee(tx, actor.Employee.ID)
	if err != nil {
		return nil, err
	}
	for _, t := range mine {
		if t.Kind == samordna.TeamResourceGroup {
			return t, nil
		}
	}
	t, err := store.FirstTeamOfKind(tx, municipalityID, samordna.TeamResourceGroup)
	if errors.Is(err, samordna.ErrNotFound) {
		return nil, nil
	}
	return t, err
}

// teamConsentOfCase returns the case's consent in force that names the
// team (share_with_team), or nil.
func (a *App) teamConsentOfCase(tx *store.Tx, caseID, teamID string) (*samordna.Consent, error) {
	cs, err := store.ConsentsOfCase(tx, caseID)
	if err != nil {
		return nil, err
	}
	for _, x := range cs {
		if x.Active(a.now()) && x.Covers(samordna.PurposeShareWithTeam) && x.TeamID == teamID {
			return x, nil
		}
	}
	return nil, nil
}
