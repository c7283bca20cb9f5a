package app

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/store"
)

// This file holds the use cases that shape the municipality's organisation:
// services with leaders and members, and the cross-service teams. They are
// used by the demo seeding and by the administration pages.
//
// Who may call: administrators (command line and admin pages). The access
// policy is not enforced here yet; it comes with a later issue.

// serviceKinds lists every service kind the root package defines.
var serviceKinds = []samordna.ServiceKind{
	samordna.ServiceKindergarten, samordna.ServiceSchool, samordna.ServiceHealthStation, samordna.ServicePPT,
	samordna.ServiceChildWelfare, samordna.ServiceNAV, samordna.ServiceMentalHealth, samordna.ServiceGP,
	samordna.ServiceCoordinatingUnit, samordna.ServiceOther,
}

// teamKinds lists every team kind the root package defines.
var teamKinds = []samordna.TeamKind{samordna.TeamInterdisciplinary, samordna.TeamOverarching, samordna.TeamResourceGroup,
	samordna.TeamOther}

// NewService is the input for CreateService.
type NewService struct {
	Name     string
	Kind     samordna.ServiceKind
	LeaderID string // employee id of the leader; optional
}

// CreateService adds a service to the installation's municipality (the
// actor's, when the actor has one). A leader, when given, is also made a
// member. One audit row (object_type "service"), and one more for the leader.
//
// Errors: name_required, invalid_service_kind, unknown_employee (the leader)
// — KindInvalid; service_exists (KindConflict) when a service of that name
// (ignoring case) exists.
func (a *App) CreateService(ctx context.Context, actor *samordna.Actor, in NewService) (*samordna.Service, error) {
	var s *samordna.Service
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		s, err = a.createService(tx, actor, in)
		return err
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// createService is CreateService inside tx.
func (a *App) createService(tx *store.Tx, actor *samordna.Actor, in NewService) (*samordna.Service, error) {
	name := strings.TrimSpace(in.Name)
	if name == "" {
		return nil, samordna.Errorf(samordna.KindInvalid, "name_required", "a name is required")
	}
	if !slices.Contains(serviceKinds, in.Kind) {
		return nil, samordna.Errorf(samordna.KindInvalid, "invalid_service_kind", "unknown kind of service %q", in.Kind)
	}
	if err := serviceNameFree(tx, name); err != nil {
		return nil, err
	}
	mid, err := a.municipalityID(tx, actor)
	if err != nil {
		return nil, err
	}
	s := &samordna.Service{ID: samordna.NewID(), MunicipalityID: mid, Name: name, Kind: in.Kind}
	if err := store.CreateService(tx, s, a.now()); err != nil {
		return nil, err
	}
	if err := a.audit(tx, actor, samordna.AuditEvent{ObjectType: "service", ObjectID: s.ID, Action: "create"}); err != nil {
		return nil, err
	}
	if in.LeaderID != "" {
		if err := a.setServiceLeader(tx, actor, s.ID, in.LeaderID); err != nil {
			return nil, err
		}
		s.LeaderEmployeeID = in.LeaderID
	}
	return s, nil
}

// serviceNameFree returns service_exists when a service is named name,
// ignoring case.
func serviceNameFree(tx *store.Tx, name string) error {
	all, err := store.ListServices(tx)
	if err != nil {
		return err
	}
	for _, s := range all {
		if strings.EqualFold(s.Name, name) {
			return samordna.Errorf(samordna.KindConflict, "service_exists", "a service named %q exists", name)
		}
	}
	return nil
}

// AddServiceMember makes an employee a member of a service (idempotent).
// One audit row (object_type "service", action "add_member").
//
// Errors: samordna.ErrNotFound when the service does not exist;
// unknown_employee (KindInvalid).
func (a *App) AddServiceMember(ctx context.Context, actor *samordna.Actor, serviceID, employeeID string) error {
	return a.DB.Write(ctx, func(tx *store.Tx) error {
		return a.addServiceMember(tx, actor, serviceID, employeeID)
	})
}

// addServiceMember is AddServiceMember inside tx.
func (a *App) addServiceMember(tx *store.Tx, actor *samordna.Actor, serviceID, employeeID string) error {
	if _, err := store.ServiceByID(tx, serviceID); err != nil {
		return err
	}
	if err := employeeExists(tx, employeeID); err != nil {
		return err
	}
	if err := store.AddServiceMember(tx, serviceID, employeeID); err != nil {
		return err
	}
	return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "service", ObjectID: serviceID, Action: "add_member"})
}

// SetServiceLeader makes an employee the leader of a service and a member of
// it; an empty employeeID removes the leader (the membership stays). One
// audit row (object_type "service", action "set_leader").
//
// Errors: samordna.ErrNotFound when the service does not exist;
// unknown_employee (KindInvalid).
func (a *App) SetServiceLeader(ctx context.Context, actor *samordna.Actor, serviceID, employeeID string) error {
	return a.DB.Write(ctx, func(tx *store.Tx) error {
		return a.setServiceLeader(tx, actor, serviceID, employeeID)
	})
}

// setServiceLeader is SetServiceLeader inside tx.
func (a *App) setServiceLeader(tx *store.Tx, actor *samordna.Actor, serviceID, employeeID string) error {
	if employeeID != "" {
		if err := employeeExists(tx, employeeID); err != nil {
			return err
		}
	}
	if err := store.SetServiceLeader(tx, serviceID, employeeID); err != nil {
		return err
	}
	if employeeID != "" {
		if err := store.AddServiceMember(tx, serviceID, employeeID); err != nil {
			return err
		}
	}
	return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "service", ObjectID: serviceID, Action: "set_leader"})
}

// employeeExists returns unknown_employee when there is no such employee.
func employeeExists(tx *store.Tx, employeeID string) error {
	_, err := store.EmployeeByID(tx, employeeID)
	if errors.Is(err, samordna.ErrNotFound) {
		return samordna.Errorf(samordna.KindInvalid, "unknown_employee", "no such employee")
	}
	return err
}

// NewTeam is the input for CreateTeam.
type NewTeam struct {
	Name         string
	Kind         samordna.TeamKind
	Purpose      string
	MemberIDs    []string // employee ids of the fixed members
	SubmitterIDs []string // service ids that submit cases to the team
}

// CreateTeam adds a cross-service team (TST, OST or ressursgruppe) with its
// fixed members and submitting services. One audit row (object_type "team").
//
// Errors: name_required, invalid_team_kind, members_required,
// unknown_employee, unknown_service — KindInvalid; team_exists
// (KindConflict) when a team of that name (ignoring case) exists.
func (a *App) CreateTeam(ctx context.Context, actor *samordna.Actor, in NewTeam) (*samordna.Team, error) {
	var t *samordna.Team
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		t, err = a.createTeam(tx, actor, in)
		return err
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// createTeam is CreateTeam inside tx.
func (a *App) createTeam(tx *store.Tx, actor *samordna.Actor, in NewTeam) (*samordna.Team, error) {
	t := &samordna.Team{ID: samordna.NewID(), Name: strings.TrimSpace(in.Name), Kind: in.Kind,
		Purpose: strings.TrimSpace(in.Purpose), MemberIDs: dedupe(in.MemberIDs), SubmitterIDs: dedupe(in.SubmitterIDs)}
	if err := validateTeam(tx, t); err != nil {
		return nil, err
	}
	var err error
	if t.MunicipalityID, err = a.municipalityID(tx, actor); err != nil {
		return nil, err
	}
	if err := store.CreateTeam(tx, t, a.now()); err != nil {
		return nil, err
	}
	return t, a.audit(tx, actor, samordna.AuditEvent{ObjectType: "team", ObjectID: t.ID, Action: "create"})
}

// validateTeam checks the team's name, kind, and that its members and
// submitting services exist.
func validateTeam(tx *store.Tx, t *samordna.Team) error {
	switch {
	case t.Name == "":
		return samordna.Errorf(samordna.KindInvalid, "name_required", "a name is required")
	case !slices.Contains(teamKinds, t.Kind):
		return samordna.Errorf(samordna.KindInvalid, "invalid_team_kind", "unknown kind of team %q", t.Kind)
	case len(t.MemberIDs) == 0:
		return samordna.Errorf(samordna.KindInvalid, "members_required", "a team needs at least one member")
	}
	if err := teamNameFree(tx, t.Name); err != nil {
		return err
	}
	for _, id := range t.MemberIDs {
		if err := employeeExists(tx, id); err != nil {
			return err
		}
	}
	for _, id := range t.SubmitterIDs {
		if _, err := store.ServiceByID(tx, id); errors.Is(err, samordna.ErrNotFound) {
			return samordna.Errorf(samordna.KindInvalid, "unknown_service", "no such service")
		} else if err != nil {
			return err
		}
	}
	return nil
}

// teamNameFree returns team_exists when a team is named name, ignoring case.
func teamNameFree(tx *store.Tx, name string) error {
	all, err := store.ListTeams(tx)
	if err != nil {
		return err
	}
	for _, t := range all {
		if strings.EqualFold(t.Name, name) {
			return samordna.Errorf(samordna.KindConflict, "team_exists", "a team named %q exists", name)
		}
	}
	return nil
}

// dedupe returns ids without empty strings and repeats, in first-seen order.
func dedupe(ids []string) []string {
	var out []string
	for _, id := range ids {
		if id != "" && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}
