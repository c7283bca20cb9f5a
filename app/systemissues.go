package app

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// This file holds the system issues of seed 002 §4.2 ("Temaet skal i
// tillegg arbeide systemisk med samordning av tjenester. Temaet skal melde
// systemsaker videre til OST") and §4.1 (the OST works at system level:
// "systemisk arbeid, rutinebeskrivelser og kontinuerlig kontroll"). A team
// (a TST, or another standing team) sends an issue about how the services
// work together — naming no person: checked like anonymous text, no
// fødselsnummer and no name of a person registered in Samordna — to the
// municipality's OST. The issue goes on the agenda of the OST's next
// planned meeting; the OST records its decision, who owns the follow-up
// and by when; the owner marks it followed up. The sending team sees the
// outcome.

// The team actions of this file and of the team report (teamreport.go), as
// the routes' Access names them ("team_issues:send", "team_issues:read",
// "team_report:read").
const (
	TeamSendIssue   = "send"
	TeamReadIssues  = "read"
	TeamReadReport  = "report"
	IssueRead       = "read"
	IssueDecide     = "decide"
	IssueFollowUp   = "follow_up"
	MaxIssueTitle   = 200
	maxIssueOwnerID = 64
)

// NewSystemIssue is the input of SendSystemIssue.
type NewSystemIssue struct {
	Title       string
	Description string
	MatterID    string // the team's matter it came from; optional
}

// IssueDecision is the input of DecideSystemIssue.
type IssueDecision struct {
	Decision    string
	OwnerID     string // employee id of who follows up (the pages)
	OwnerName   string // or their username (the API)
	FollowUpDue string // YYYY-MM-DD, the last day of the follow-up
}

// SystemIssueView is an issue with everything named.
type SystemIssueView struct {
	*store.SystemIssue
	FromTeam, ToTeam      string // team names
	SentByName, OwnerName string
	DecidedByName         string
	FollowedUpByName      string
	Meeting               *store.TeamMeeting // the OST meeting whose agenda holds it; nil when none
	CanDecide             bool               // the reader is in the OST and the issue is not followed up
	CanFollowUp           bool               // the reader owns it or is in the OST, and it is decided
}

// teamRelation is how an employee stands to a team.
type teamRelation struct{ member, leader bool }

// relationTo tells whether the employee is a member or the leader of t.
func relationTo(e *samordna.Employee, t *samordna.Team) teamRelation {
	if e == nil || t == nil || e.MunicipalityID != t.MunicipalityID || e.Disabled {
		return teamRelation{}
	}
	r := teamRelation{leader: t.LeaderID == e.ID}
	for _, id := range t.MemberIDs {
		if id == e.ID {
			r.member = true
		}
	}
	return r
}

// MayTeam decides the team actions of system issues and the team report:
//
//   - TeamSendIssue: a member or the leader of the team, which is not the
//     OST (the OST receives system issues; it does not send them to itself);
//   - TeamReadIssues: a member or the leader of the team;
//   - TeamArrange (teams.go): the team's fixed members and the
//     administrator arrange its meetings;
//   - TeamSubmit (teammatters.go): any employee but the administrator
//     brings a matter;
//   - TeamReadReport: the team's leader, the members of the municipality's
//     OST (seed 002 §4.1: "kontinuerlig kontroll"), the municipality's
//     service leaders and the administrator (counts only; never the
//     matters).
//
// Anyone in another municipality is refused. The access matrix calls it.
func (a *App) MayTeam(tx *store.Tx, e *samordna.Employee, teamID, action string) (bool, error) {
	t, err := store.TeamByID(tx, teamID)
	if errors.Is(err, samordna.ErrNotFound) || e == nil {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if e.MunicipalityID != t.MunicipalityID || e.Disabled {
		return false, nil
	}
	rel := relationTo(e, t)
	switch action {
	case TeamArrange:
		return mayArrange(&samordna.Actor{Employee: e}, t), nil
	case TeamSubmit:
		return !e.HasRole(samordna.RoleAdmin), nil
	case TeamSendIssue:
		return (rel.member || rel.leader) && t.Kind != samordna.TeamOverarching, nil
	case TeamReadIssues:
		return rel.member || rel.leader, nil
	case TeamReadReport:
		if rel.leader || e.HasRole(samordna.RoleAdmin) || e.HasRole(samordna.RoleServiceLeader) {
			return true, nil
		}
		ost, err := store.FirstTeamOfKind(tx, t.MunicipalityID, samordna.TeamOverarching)
		if errors.Is(err, samordna.ErrNotFound) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		r := relationTo(e, ost)
		return r.member || r.leader, nil
	}
	return false, nil
}

// MayIssue decides the actions on a system issue: IssueRead for members
// and leaders of the sending team and of the OST; IssueDecide for the
// OST's; IssueFollowUp for the OST's and the issue's owner. The
// administrator is never in a team and never reads an issue. The access
// matrix calls it.
func (a *App) MayIssue(tx *store.Tx, e *samordna.Employee, issueID, action string) (bool, error) {
	x, err := store.SystemIssueByID(tx, issueID)
	if errors.Is(err, samordna.ErrNotFound) || e == nil {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if e.MunicipalityID != x.MunicipalityID || e.Disabled {
		return false, nil
	}
	from, err := store.TeamByID(tx, x.FromTeamID)
	if err != nil {
		return false, err
	}
	to, err := store.TeamByID(tx, x.ToTeamID)
	if err != nil {
		return false, err
	}
	f, o := relationTo(e, from), relationTo(e, to)
	inOST := o.member || o.leader
	switch action {
	case IssueRead:
		return inOST || f.member || f.leader || x.OwnerID == e.ID, nil
	case IssueDecide:
		return inOST, nil
	case IssueFollowUp:
		return inOST || (x.OwnerID != "" && x.OwnerID == e.ID), nil
	}
	return false, nil
}

// withTeamAction runs fn in a write transaction when MayTeam allows the
// action; otherwise it writes a denied audit row and returns
// samordna.ErrNotFound, as for a team that does not exist.
func (a *App) withTeamAction(ctx context.Context, actor *samordna.Actor, teamID, action, auditAction string,
	fn func(tx *store.Tx, t *samordna.Team) error) error {
	denied := false
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		var e *samordna.Employee
		if actor != nil {
			e = actor.Employee
		}
		ok, err := a.MayTeam(tx, e, teamID, action)
		if err != nil {
			return err
		}
		if !ok {
			denied = true
			return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "team", ObjectID: truncate(teamID, 64),
				Action: auditAction, Outcome: samordna.OutcomeDenied})
		}
		t, err := store.TeamByID(tx, teamID)
		if err != nil {
			return err
		}
		return fn(tx, t)
	})
	if err != nil {
		return err
	}
	if denied {
		return samordna.ErrNotFound
	}
	return nil
}

// withIssueAction is withTeamAction for an issue and MayIssue.
func (a *App) withIssueAction(ctx context.Context, actor *samordna.Actor, issueID, action string,
	fn func(tx *store.Tx, x *store.SystemIssue) error) error {
	denied := false
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		var e *samordna.Employee
		if actor != nil {
			e = actor.Employee
		}
		ok, err := a.MayIssue(tx, e, issueID, action)
		if err != nil {
			return err
		}
		if !ok {
			denied = true
			return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "system_issue", ObjectID: truncate(issueID, 64),
				Action: action, Outcome: samordna.OutcomeDenied})
		}
		x, err := store.SystemIssueByID(tx, issueID)
		if err != nil {
			return err
		}
		return fn(tx, x)
	})
	if err != nil {
		return err
	}
	if denied {
		return samordna.ErrNotFound
	}
	return nil
}

// SendSystemIssue sends a system issue from the team to the municipality's
// OST and puts it on the agenda of the OST's next planned meeting (status
// on_agenda), or leaves it waiting for one (status sent). One audit row
// (object_type "system_issue", action "create").
//
// Who may call: MayTeam(TeamSendIssue); anyone else gets
// samordna.ErrNotFound (audited). Errors: title_required, title_too_long,
// description_required, description_too_long, invalid_matter
// (KindInvalid); identifying_data (KindRule: a fødselsnummer, D-nummer or
// the name of a person registered in the municipality — a system issue
// names nobody; the refusal is audited, nothing is stored); no_ost
// (KindRule: the municipality has no OST).
func (a *App) SendSystemIssue(ctx context.Context, actor *samordna.Actor, teamID string, in NewSystemIssue) (*SystemIssueView, error) {
	var v *SystemIssueView
	identifying := false
	err := a.withTeamAction(ctx, actor, teamID, TeamSendIssue, "send_system_issue", func(tx *store.Tx, t *samordna.Team) error {
		if err := validateIssue(&in); err != nil {
			return err
		}
		if err := checkNoPerson(tx, t.MunicipalityID, [2]string{"title", in.Title},
			[2]string{"description", in.Description}); err != nil {
			identifying = true
			return err
		}
		if in.MatterID != "" {
			m, err := store.TeamMatterByID(tx, in.MatterID)
			if errors.Is(err, samordna.ErrNotFound) || err == nil && m.TeamID != t.ID {
				return samordna.Errorf(samordna.KindInvalid, "invalid_matter", "the matter is not one of this team's")
			}
			if err != nil {
				return err
			}
		}
		ost, err := store.FirstTeamOfKind(tx, t.MunicipalityID, samordna.TeamOverarching)
		if errors.Is(err, samordna.ErrNotFound) {
			return samordna.Errorf(samordna.KindRule, "no_ost",
				"the municipality has no overarching team (OST) to send system issues to; the administrator sets one up")
		}
		if err != nil {
			return err
		}
		now := a.now()
		x := &store.SystemIssue{MunicipalityID: t.MunicipalityID, FromTeamID: t.ID, ToTeamID: ost.ID,
			MatterID: in.MatterID, Title: in.Title, Description: in.Description, Status: store.IssueSent,
			SentBy: actor.Employee.ID, SentAt: now}
		m, err := store.NextTeamMeeting(tx, ost.ID, now)
		switch {
		case err == nil:
			x.MeetingID, x.Status = m.ID, store.IssueOnAgenda
		case !errors.Is(err, samordna.ErrNotFound):
			return err
		}
		if err := store.CreateSystemIssue(tx, x); err != nil {
			return err
		}
		if err := a.audit(tx, actor, samordna.AuditEvent{ObjectType: "system_issue", ObjectID: x.ID, Action: "create"}); err != nil {
			return err
		}
		v, err = a.issueView(tx, actor, x)
		return err
	})
	if identifying {
		_ = a.refuseQuietly(ctx, actor, "system_issue", "create", "identifying_data")
	}
	return v, err
}

// validateIssue trims and checks the input that needs no database.
func validateIssue(in *NewSystemIssue) error {
	in.Title, in.Description = strings.TrimSpace(in.Title), strings.TrimSpace(in.Description)
	switch {
	case in.Title == "":
		return samordna.Errorf(samordna.KindInvalid, "title_required", "give the system issue a short title")
	case utf8.RuneCountInString(in.Title) > MaxIssueTitle:
		return samordna.Errorf(samordna.KindInvalid, "title_too_long", "the title may be at most %d characters", MaxIssueTitle)
	case in.Description == "":
		return samordna.Errorf(samordna.KindInvalid, "description_required",
			"describe the system issue: what does not work between the services")
	case utf8.RuneCountInString(in.Description) > MaxDescriptionLength:
		return samordna.Errorf(samordna.KindInvalid, "description_too_long",
			"the description may be at most %d characters", MaxDescriptionLength)
	}
	return nil
}

// checkNoPerson refuses text that identifies a person: a fødselsnummer,
// D-nummer or H-number (as checkAnonymousText), or the name of a person
// registered in the municipality (the full name, or first and last name,
// as whole words, ignoring case). Names of one word are not checked (they
// are too common to tell a person).
func checkNoPerson(tx *store.Tx, municipalityID string, fields ...[2]string) error {
	if err := checkAnonymousFields(fields...); err != nil {
		return err
	}
	names, err := store.PersonNames(tx, municipalityID)
	if err != nil {
		return err
	}
	for _, f := range fields {
		text := " " + foldWords(f[1]) + " "
		for _, n := range names {
			words := strings.Fields(foldWords(n))
			if len(words) < 2 {
				continue
			}
			full := " " + strings.Join(words, " ") + " "
			short := " " + words[0] + " " + words[len(words)-1] + " "
			if strings.Contains(text, full) || strings.Contains(text, short) {
				return samordna.Errorf(samordna.KindRule, "identifying_data",
					"%s names a person registered in Samordna; a system issue is about how the services work "+
						"together and must not identify anyone, so nothing was stored", f[0])
			}
		}
	}
	return nil
}

// foldWords lowercases s and turns everything but letters and digits into
// single spaces, so that names match as whole words.
func foldWords(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " ")
}

// TeamSystemIssues returns the issues the team sent (with the OST's
// outcome) or, for the OST, received, newest first. One audit row.
//
// Who may call: MayTeam(TeamReadIssues); anyone else gets
// samordna.ErrNotFound (audited).
func (a *App) TeamSystemIssues(ctx context.Context, actor *samordna.Actor, teamID string) (*samordna.Team, []*SystemIssueView, error) {
	var team *samordna.Team
	var out []*SystemIssueView
	err := a.withTeamAction(ctx, actor, teamID, TeamReadIssues, "read_system_issues", func(tx *store.Tx, t *samordna.Team) error {
		team = t
		xs, err := store.SystemIssuesOfTeam(tx, t.ID)
		if err != nil {
			return err
		}
		for _, x := range xs {
			v, err := a.issueView(tx, actor, x)
			if err != nil {
				return err
			}
			out = append(out, v)
		}
		return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "team", ObjectID: t.ID, Action: "read_system_issues"})
	})
	return team, out, err
}

// GetSystemIssue returns one issue. One audit row. Who may call:
// MayIssue(IssueRead); anyone else gets samordna.ErrNotFound (audited).
func (a *App) GetSystemIssue(ctx context.Context, actor *samordna.Actor, id string) (*SystemIssueView, error) {
	var v *SystemIssueView
	err := a.withIssueAction(ctx, actor, id, IssueRead, func(tx *store.Tx, x *store.SystemIssue) error {
		var err error
		if v, err = a.issueView(tx, actor, x); err != nil {
			return err
		}
		return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "system_issue", ObjectID: x.ID, Action: "read"})
	})
	return v, err
}

// DecideSystemIssue records the OST's decision on the issue, who owns the
// follow-up (an employee of the municipality) and the last day of the
// follow-up; the issue's status becomes decided. A decision may be
// changed until the issue is followed up. One audit row.
//
// Who may call: MayIssue(IssueDecide) — the OST's members and leader;
// anyone else gets samordna.ErrNotFound (audited). Errors:
// decision_required, decision_too_long, owner_required, unknown_employee,
// invalid_date (KindInvalid); identifying_data (KindRule);
// already_followed_up (KindConflict).
func (a *App) DecideSystemIssue(ctx context.Context, actor *samordna.Actor, id string, in IssueDecision) (*SystemIssueView, error) {
	var v *SystemIssueView
	err := a.withIssueAction(ctx, actor, id, IssueDecide, func(tx *store.Tx, x *store.SystemIssue) error {
		if x.Status == store.IssueFollowedUp {
			return samordna.Errorf(samordna.KindConflict, "already_followed_up", "the issue is followed up; its decision stands")
		}
		in.Decision = strings.TrimSpace(in.Decision)
		switch {
		case in.Decision == "":
			return samordna.Errorf(samordna.KindInvalid, "decision_required", "write what the OST decided")
		case utf8.RuneCountInString(in.Decision) > MaxDescriptionLength:
			return samordna.Errorf(samordna.KindInvalid, "decision_too_long",
				"the decision may be at most %d characters", MaxDescriptionLength)
		case in.OwnerID == "" && in.OwnerName == "":
			return samordna.Errorf(samordna.KindInvalid, "owner_required", "name who follows the decision up")
		}
		owner, err := issueOwner(tx, in)
		if errors.Is(err, samordna.ErrNotFound) || err == nil && (owner.MunicipalityID != x.MunicipalityID || owner.Disabled) {
			return samordna.Errorf(samordna.KindInvalid, "unknown_employee", "the owner is not an employee of the municipality")
		}
		if err != nil {
			return err
		}
		due, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(in.FollowUpDue), pathway.Oslo())
		if err != nil {
			return samordna.Errorf(samordna.KindInvalid, "invalid_date", "the follow-up deadline is a date, YYYY-MM-DD")
		}
		if err := checkNoPerson(tx, x.MunicipalityID, [2]string{"decision", in.Decision}); err != nil {
			return err
		}
		now := a.now()
		end := due.AddDate(0, 0, 1).UTC() // exclusive: the whole last day counts
		x.Decision, x.OwnerID, x.FollowUpDue = in.Decision, owner.ID, &end
		x.DecidedBy, x.DecidedAt, x.Status = actor.Employee.ID, &now, store.IssueDecided
		if err := store.DecideSystemIssue(tx, x); err != nil {
			return err
		}
		if err := a.audit(tx, actor, samordna.AuditEvent{ObjectType: "system_issue", ObjectID: x.ID, Action: "decide"}); err != nil {
			return err
		}
		v, err = a.issueView(tx, actor, x)
		return err
	})
	return v, err
}

// issueOwner finds the decision's owner by id or by username.
func issueOwner(tx *store.Tx, in IssueDecision) (*samordna.Employee, error) {
	if in.OwnerID != "" {
		return store.EmployeeByID(tx, truncate(in.OwnerID, maxIssueOwnerID))
	}
	e, _, err := store.EmployeeByUsername(tx, strings.ToLower(strings.TrimSpace(truncate(in.OwnerName, maxIssueOwnerID))))
	return e, err
}

// FollowUpSystemIssue records that the decision was followed up, with a
// note of what was done; the status becomes followed_up. One audit row.
//
// Who may call: MayIssue(IssueFollowUp) — the owner and the OST; anyone
// else gets samordna.ErrNotFound (audited). Errors: note_required,
// note_too_long (KindInvalid); identifying_data (KindRule); not_decided,
// already_followed_up (KindConflict).
func (a *App) FollowUpSystemIssue(ctx context.Context, actor *samordna.Actor, id, note string) (*SystemIssueView, error) {
	var v *SystemIssueView
	err := a.withIssueAction(ctx, actor, id, IssueFollowUp, func(tx *store.Tx, x *store.SystemIssue) error {
		switch x.Status {
		case store.IssueFollowedUp:
			return samordna.Errorf(samordna.KindConflict, "already_followed_up", "the issue is already followed up")
		case store.IssueSent, store.IssueOnAgenda:
			return samordna.Errorf(samordna.KindConflict, "not_decided", "the OST has not decided on the issue yet")
		}
		note = strings.TrimSpace(note)
		switch {
		case note == "":
			return samordna.Errorf(samordna.KindInvalid, "note_required", "write what was done")
		case utf8.RuneCountInString(note) > MaxDescriptionLength:
			return samordna.Errorf(samordna.KindInvalid, "note_too_long", "the note may be at most %d characters",
				MaxDescriptionLength)
		}
		if err := checkNoPerson(tx, x.MunicipalityID, [2]string{"note", note}); err != nil {
			return err
		}
		now := a.now()
		if err := store.FollowUpSystemIssue(tx, x.ID, note, actor.Employee.ID, now); err != nil {
			return err
		}
		x.Status, x.FollowUpNote, x.FollowedUpBy, x.FollowedUpAt = store.IssueFollowedUp, note, actor.Employee.ID, &now
		if err := a.audit(tx, actor, samordna.AuditEvent{ObjectType: "system_issue", ObjectID: x.ID, Action: "follow_up"}); err != nil {
			return err
		}
		var err error
		v, err = a.issueView(tx, actor, x)
		return err
	})
	return v, err
}

// SystemIssuesOnAgenda returns the system issues on an OST meeting's
// agenda, for the meeting page. The caller has checked that the actor may
// read the meeting; it writes no audit row of its own (issues name no
// person).
func SystemIssuesOnAgenda(tx *store.Tx, meetingID string) ([]*store.SystemIssue, error) {
	return store.SystemIssuesOfMeeting(tx, meetingID)
}

// issueView names the issue's teams and people and says what the actor
// may do.
func (a *App) issueView(tx *store.Tx, actor *samordna.Actor, x *store.SystemIssue) (*SystemIssueView, error) {
	v := &SystemIssueView{SystemIssue: x}
	from, err := store.TeamByID(tx, x.FromTeamID)
	if err != nil {
		return nil, err
	}
	to, err := store.TeamByID(tx, x.ToTeamID)
	if err != nil {
		return nil, err
	}
	v.FromTeam, v.ToTeam = from.Name, to.Name
	for _, p := range []struct {
		id  string
		out *string
	}{{x.SentBy, &v.SentByName}, {x.OwnerID, &v.OwnerName}, {x.DecidedBy, &v.DecidedByName},
		{x.FollowedUpBy, &v.FollowedUpByName}} {
		if p.id == "" {
			continue
		}
		e, err := store.EmployeeByID(tx, p.id)
		if err != nil {
			return nil, err
		}
		*p.out = e.Name
	}
	if x.MeetingID != "" {
		if v.Meeting, err = store.TeamMeetingByID(tx, x.MeetingID); err != nil {
			return nil, err
		}
	}
	if actor != nil && actor.Employee != nil {
		o := relationTo(actor.Employee, to)
		inOST := o.member || o.leader
		v.CanDecide = inOST && x.Status != store.IssueFollowedUp
		v.CanFollowUp = (inOST || x.OwnerID == actor.Employee.ID) && x.Status == store.IssueDecided
	}
	return v, nil
}

// TeamOfEmployee is a team the employee is in, and whether they may read
// its report.
type TeamOfEmployee struct {
	Team   *samordna.Team
	Issues bool // may read and send its system issues
	Report bool // may read its report
}

// MyTeams returns the teams the actor is a member or leader of (for the
// administrator: every team of the municipality, for the report).
// No audit row: it lists the actor's own memberships. Who may call: any
// employee; the administrator and actors without an employee get none.
func (a *App) MyTeams(ctx context.Context, actor *samordna.Actor) ([]TeamOfEmployee, error) {
	var out []TeamOfEmployee
	if actor == nil || actor.Employee == nil {
		return nil, nil
	}
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		teams, err := store.TeamsOfEmployee(tx, actor.Employee.ID)
		if err != nil {
			return err
		}
		all, err := store.TeamsOfMunicipality(tx, actor.Employee.MunicipalityID)
		if err != nil {
			return err
		}
		seen := map[string]bool{}
		for _, t := range teams {
			seen[t.ID] = true
		}
		for _, t := range all {
			if (t.LeaderID == actor.Employee.ID || actor.Employee.HasRole(samordna.RoleAdmin)) && !seen[t.ID] {
				teams = append(teams, t)
			}
		}
		for _, t := range teams {
			x := TeamOfEmployee{Team: t}
			if x.Issues, err = a.MayTeam(tx, actor.Employee, t.ID, TeamReadIssues); err != nil {
				return err
			}
			if x.Report, err = a.MayTeam(tx, actor.Employee, t.ID, TeamReadReport); err != nil {
				return err
			}
			out = append(out, x)
		}
		return nil
	})
	return out, err
}

// IssueOwnerChoices returns the employees the OST may name as the owner of
// the issue's follow-up: the active employees of the municipality, by
// name. Who may call: MayIssue(IssueDecide); anyone else gets
// samordna.ErrNotFound. No audit row (a list of colleagues).
func (a *App) IssueOwnerChoices(ctx context.Context, actor *samordna.Actor, issueID string) ([]*samordna.Employee, error) {
	var out []*samordna.Employee
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		var e *samordna.Employee
		if actor != nil {
			e = actor.Employee
		}
		ok, err := a.MayIssue(tx, e, issueID, IssueDecide)
		if err != nil {
			return err
		}
		if !ok {
			return samordna.ErrNotFound
		}
		all, err := store.EmployeesOfMunicipality(tx, e.MunicipalityID)
		if err != nil {
			return err
		}
		for _, x := range all {
			if x.MunicipalityID == e.MunicipalityID && !x.Disabled && !x.HasRole(samordna.RoleAdmin) {
				out = append(out, x)
			}
		}
		return nil
	})
	return out, err
}
