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
// Who may call: the administrator (admin pages), the command line and the
// demo seeder (actors without an employee). Anyone else is refused as if the
// object did not exist: samordna.ErrNotFound, with a denied audit row.

// serviceKinds lists every service kind the root package defines.
var serviceKinds = []samordna.ServiceKind{
	samordna.ServiceKindergarten, samordna.ServiceSchool, samordna.ServiceHealthStation, samordna.ServicePPT,
	samordna.ServiceChildWelfare, samordna.ServiceNAV, samordna.ServiceMentalHealth, samordna.ServiceGP,
	samordna.ServiceCoordinatingUnit, samordna.ServiceHomeCare, samordna.ServiceOther,
}

// teamKinds lists every team kind the root package defines.
var teamKinds = []samordna.TeamKind{samordna.TeamInterdisciplinary, samordna.TeamOverarching, samordna.TeamResourceGroup,
	samordna.TeamOther}

// NewService is the input for CreateService and UpdateService.
type NewService struct {
	Name       string
	Kind       samordna.ServiceKind
	DistrictID string   // the district it belongs to; optional (schools and kindergartens usually have one)
	LeaderIDs  []string // employee ids of the leaders; optional
}

// CreateService adds a service to the installation's municipality (the
// actor's, when the actor has one). The leaders, when given, are also made
// members. One audit row (object_type "service").
//
// Who may call: the administrator, the command line and the demo seeder;
// anyone else gets samordna.ErrNotFound (and a denied audit row).
//
// Errors: name_required, invalid_service_kind, unknown_employee (a leader),
// unknown_district — KindInvalid; service_exists (KindConflict) when a
// service of that name (ignoring case) exists.
func (a *App) CreateService(ctx context.Context, actor *samordna.Actor, in NewService) (*samordna.Service, error) {
	if !isAdminOrCLI(actor) {
		return nil, a.refuse(ctx, actor, "service", "create")
	}
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

// createService is CreateService inside tx, without the access check.
func (a *App) createService(tx *store.Tx, actor *samordna.Actor, in NewService) (*samordna.Service, error) {
	mid, err := a.municipalityID(tx, actor)
	if err != nil {
		return nil, err
	}
	s := &samordna.Service{ID: samordna.NewID(), MunicipalityID: mid}
	if err := a.validateService(tx, s, in); err != nil {
		return nil, err
	}
	if err := store.CreateService(tx, s, a.now()); err != nil {
		return nil, err
	}
	for _, id := range s.LeaderIDs {
		if err := store.AddServiceMember(tx, s.ID, id); err != nil {
			return nil, err
		}
	}
	return s, a.audit(tx, actor, samordna.AuditEvent{ObjectType: "service", ObjectID: s.ID, Action: "create"})
}

// UpdateService changes a service's name, kind, district and leaders (the
// leaders are also made members; former leaders stay members). One audit
// row (object_type "service", action "update").
//
// Who may call: as CreateService. Errors: as CreateService, and
// samordna.ErrNotFound when there is no such service in the actor's
// municipality.
func (a *App) UpdateService(ctx context.Context, actor *samordna.Actor, id string, in NewService) error {
	if !isAdminOrCLI(actor) {
		return a.refuse(ctx, actor, "service", "update")
	}
	return a.DB.Write(ctx, func(tx *store.Tx) error {
		return a.updateService(tx, actor, id, in)
	})
}

// updateService is UpdateService inside tx, without the access check.
func (a *App) updateService(tx *store.Tx, actor *samordna.Actor, id string, in NewService) error {
	s, err := a.ownService(tx, actor, id)
	if err != nil {
		return err
	}
	if err := a.validateService(tx, s, in); err != nil {
		return err
	}
	if err := store.UpdateService(tx, s); err != nil {
		return err
	}
	if err := store.SetServiceLeaders(tx, s.ID, s.LeaderIDs); err != nil {
		return err
	}
	for _, l := range s.LeaderIDs {
		if err := store.AddServiceMember(tx, s.ID, l); err != nil {
			return err
		}
	}
	return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "service", ObjectID: s.ID, Action: "update"})
}

// ownService returns the service when it belongs to the actor's
// municipality, samordna.ErrNotFound otherwise.
func (a *App) ownService(tx *store.Tx, actor *samordna.Actor, id string) (*samordna.Service, error) {
	s, err := store.ServiceByID(tx, id)
	if err != nil {
		return nil, err
	}
	mid, err := a.municipalityID(tx, actor)
	if err != nil {
		return nil, err
	}
	if s.MunicipalityID != mid {
		return nil, samordna.ErrNotFound
	}
	return s, nil
}

// validateService checks in and copies it, cleaned, into s (whose ID and
// MunicipalityID are set).
func (a *App) validateService(tx *store.Tx, s *samordna.Service, in NewService) error {
	name := strings.TrimSpace(in.Name)
	if name == "" {
		return samordna.Errorf(samordna.KindInvalid, "name_required", "a name is required")
	}
	if !slices.Contains(serviceKinds, in.Kind) {
		return samordna.Errorf(samordna.KindInvalid, "invalid_service_kind", "unknown kind of service %q", in.Kind)
	}
	if err := serviceNameFree(tx, name, s.ID); err != nil {
		return err
	}
	if err := districtExists(tx, s.MunicipalityID, in.DistrictID); err != nil {
		return err
	}
	leaders := dedupe(in.LeaderIDs)
	for _, id := range leaders {
		if err := employeeExists(tx, id); err != nil {
			return err
		}
	}
	slices.Sort(leaders)
	s.Name, s.Kind, s.DistrictID, s.LeaderIDs = name, in.Kind, in.DistrictID, leaders
	return nil
}

// districtExists returns unknown_district unless id is "" or a district of
// the municipality.
func districtExists(tx *store.Tx, municipalityID, id string) error {
	if id == "" {
		return nil
	}
	d, err := store.DistrictByID(tx, id)
	if errors.Is(err, samordna.ErrNotFound) || err == nil && d.MunicipalityID != municipalityID {
		return samordna.Errorf(samordna.KindInvalid, "unknown_district", "no such district")
	}
	return err
}

// serviceNameFree returns service_exists when a service other than self is
// named name, ignoring case.
func serviceNameFree(tx *store.Tx, name, self string) error {
	all, err := store.ListServices(tx)
	if err != nil {
		return err
	}
	for _, s := range all {
		if s.ID != self && strings.EqualFold(s.Name, name) {
			return samordna.Errorf(samordna.KindConflict, "service_exists", "a service named %q exists", name)
		}
	}
	return nil
}

// AddServiceMember makes an employee a member of a service (idempotent).
// One audit row (object_type "service", action "add_member").
//
// Who may call: as CreateService. Errors: samordna.ErrNotFound when the
// service does not exist; unknown_employee (KindInvalid).
func (a *App) AddServiceMember(ctx context.Context, actor *samordna.Actor, serviceID, employeeID string) error {
	if !isAdminOrCLI(actor) {
		return a.refuse(ctx, actor, "service", "add_member")
	}
	return a.DB.Write(ctx, func(tx *store.Tx) error {
		return a.addServiceMember(tx, actor, serviceID, employeeID)
	})
}

// addServiceMember is AddServiceMember inside tx.
func (a *App) addServiceMember(tx *store.Tx, actor *samordna.Actor, serviceID, employeeID string) error {
	if _, err := a.ownService(tx, actor, serviceID); err != nil {
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

// SetServiceLeader makes an employee the only leader of a service and a
// member of it; an empty employeeID removes every leader (the memberships
// stay). UpdateService sets several. One audit row (object_type "service",
// action "set_leader").
//
// Who may call: as CreateService. Errors: samordna.ErrNotFound when the
// service does not exist; unknown_employee (KindInvalid).
func (a *App) SetServiceLeader(ctx context.Context, actor *samordna.Actor, serviceID, employeeID string) error {
	if !isAdminOrCLI(actor) {
		return a.refuse(ctx, actor, "service", "set_leader")
	}
	return a.DB.Write(ctx, func(tx *store.Tx) error {
		if _, err := a.ownService(tx, actor, serviceID); err != nil {
			return err
		}
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
	})
}

// employeeExists returns unknown_employee when there is no such employee.
func employeeExists(tx *store.Tx, employeeID string) error {
	_, err := store.EmployeeByID(tx, employeeID)
	if errors.Is(err, samordna.ErrNotFound) {
		return samordna.Errorf(samordna.KindInvalid, "unknown_employee", "no such employee")
	}
	return err
}

// MeetingRules lists the meeting frequencies a team can have, in the order
// the administration pages offer them. "" (not set) is also accepted.
var MeetingRules = []string{"weekly", "biweekly", "monthly", "every_6_weeks", "twice_per_half_year", "as_needed"}

// NewTeam is the input for CreateTeam and UpdateTeam.
type NewTeam struct {
	Name         string
	Kind         samordna.TeamKind
	Purpose      string
	DistrictID   string   // the district a TST serves; optional
	MeetingRule  string   // one of MeetingRules, or ""
	LeaderID     string   // employee id of the team's leader; optional, made a member
	MemberIDs    []string // employee ids of the fixed members
	SubmitterIDs []string // service ids that submit cases to the team
}

// CreateTeam adds a cross-service team (TST, OST or ressursgruppe) with its
// fixed members and submitting services. One audit row (object_type "team").
//
// Who may call: as CreateService. Errors: name_required, invalid_team_kind,
// invalid_meeting_rule, members_required, unknown_employee,
// unknown_service, unknown_district — KindInvalid; team_exists
// (KindConflict) when a team of that name (ignoring case) exists.
func (a *App) CreateTeam(ctx context.Context, actor *samordna.Actor, in NewTeam) (*samordna.Team, error) {
	if !isAdminOrCLI(actor) {
		return nil, a.refuse(ctx, actor, "team", "create")
	}
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

// createTeam is CreateTeam inside tx, without the access check.
func (a *App) createTeam(tx *store.Tx, actor *samordna.Actor, in NewTeam) (*samordna.Team, error) {
	mid, err := a.municipalityID(tx, actor)
	if err != nil {
		return nil, err
	}
	t := &samordna.Team{ID: samordna.NewID(), MunicipalityID: mid}
	if err := validateTeam(tx, t, in); err != nil {
		return nil, err
	}
	if err := store.CreateTeam(tx, t, a.now()); err != nil {
		return nil, err
	}
	return t, a.audit(tx, actor, samordna.AuditEvent{ObjectType: "team", ObjectID: t.ID, Action: "create"})
}

// UpdateTeam changes every field of a team, its members and submitting
// services included. One audit row (object_type "team", action "update").
//
// Who may call: as CreateService. Errors: as CreateTeam, and
// samordna.ErrNotFound when there is no such team in the actor's
// municipality.
func (a *App) UpdateTeam(ctx context.Context, actor *samordna.Actor, id string, in NewTeam) error {
	if !isAdminOrCLI(actor) {
		return a.refuse(ctx, actor, "team", "update")
	}
	return a.DB.Write(ctx, func(tx *store.Tx) error {
		t, err := store.TeamByID(tx, id)
		if err != nil {
			return err
		}
		mid, err := a.municipalityID(tx, actor)
		if err != nil {
			return err
		}
		if t.MunicipalityID != mid {
			return samordna.ErrNotFound
		}
		if err := validateTeam(tx, t, in); err != nil {
			return err
		}
		if err := store.UpdateTeam(tx, t); err != nil {
			return err
		}
		return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "team", ObjectID: t.ID, Action: "update"})
	})
}

// validateTeam checks in and copies it, cleaned, into t (whose ID and
// MunicipalityID are set): the name and kind, the meeting rule, and that
// the district, leader, members and submitting services exist.
func validateTeam(tx *store.Tx, t *samordna.Team, in NewTeam) error {
	name := strings.TrimSpace(in.Name)
	members := dedupe(append(slices.Clone(in.MemberIDs), in.LeaderID))
	switch {
	case name == "":
		return samordna.Errorf(samordna.KindInvalid, "name_required", "a name is required")
	case !slices.Contains(teamKinds, in.Kind):
		return samordna.Errorf(samordna.KindInvalid, "invalid_team_kind", "unknown kind of team %q", in.Kind)
	case in.MeetingRule != "" && !slices.Contains(MeetingRules, in.MeetingRule):
		return samordna.Errorf(samordna.KindInvalid, "invalid_meeting_rule", "unknown meeting rule %q", in.MeetingRule)
	case len(members) == 0:
		return samordna.Errorf(samordna.KindInvalid, "members_required", "a team needs at least one member")
	}
	if err := teamNameFree(tx, name, t.ID); err != nil {
		return err
	}
	if err := districtExists(tx, t.MunicipalityID, in.DistrictID); err != nil {
		return err
	}
	for _, id := range members {
		if err := employeeExists(tx, id); err != nil {
			return err
		}
	}
	submitters := dedupe(in.SubmitterIDs)
	for _, id := range submitters {
		if _, err := store.ServiceByID(tx, id); errors.Is(err, samordna.ErrNotFound) {
			return samordna.Errorf(samordna.KindInvalid, "unknown_service", "no such service")
		} else if err != nil {
			return err
		}
	}
	t.Name, t.Kind, t.Purpose, t.DistrictID = name, in.Kind, strings.TrimSpace(in.Purpose), in.DistrictID
	t.MeetingRule, t.LeaderID, t.MemberIDs, t.SubmitterIDs = in.MeetingRule, in.LeaderID, members, submitters
	return nil
}

// teamNameFree returns team_exists when a team other than self is named
// name, ignoring case.
func teamNameFree(tx *store.Tx, name, self string) error {
	all, err := store.ListTeams(tx)
	if err != nil {
		return err
	}
	for _, t := range all {
		if t.ID != self && strings.EqualFold(t.Name, name) {
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
