package app

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/store"
)

// EmployeeChange is the input for UpdateEmployee: the employee's name,
// title, email, roles and service memberships as they should be.
type EmployeeChange struct {
	Name       string
	Title      string
	Email      string
	Roles      []samordna.Role
	ServiceIDs []string
}

// UpdateEmployee changes an employee's name, title and email, grants and
// revokes roles, and adds and ends service memberships, so that the
// employee ends up as in describes. One audit row (object_type "employee",
// action "update"), and one per role granted ("grant_role") or revoked
// ("revoke_role") and per membership added ("service" "add_member") or
// ended ("service" "remove_member").
//
// Who may call: the administrator and the command line; anyone else gets
// samordna.ErrNotFound (and a denied audit row).
//
// Errors: samordna.ErrNotFound when there is no such employee in the
// actor's municipality; name_required, roles_required, invalid_role,
// unknown_service, leader_must_be_member (a membership of a service they
// lead cannot end: choose another leader first), own_admin_role (the
// administrator cannot take their own admin role) — KindInvalid.
func (a *App) UpdateEmployee(ctx context.Context, actor *samordna.Actor, id string, in EmployeeChange) error {
	if !isAdminOrCLI(actor) {
		return a.refuse(ctx, actor, "employee", "update")
	}
	return a.DB.Write(ctx, func(tx *store.Tx) error {
		e, err := store.EmployeeByID(tx, id)
		if err != nil {
			return err
		}
		if err := a.ownedBy(tx, actor, e.MunicipalityID); err != nil {
			return err
		}
		e.Name, e.Title, e.Email = strings.TrimSpace(in.Name), strings.TrimSpace(in.Title), strings.TrimSpace(in.Email)
		if e.Name == "" {
			return samordna.Errorf(samordna.KindInvalid, "name_required", "a name is required")
		}
		if err := a.changeRoles(tx, actor, e, in.Roles); err != nil {
			return err
		}
		if err := a.changeMemberships(tx, actor, e, dedupe(in.ServiceIDs)); err != nil {
			return err
		}
		if err := store.UpdateEmployee(tx, e, a.now()); err != nil {
			return err
		}
		return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "employee", ObjectID: e.ID, Action: "update"})
	})
}

// changeRoles grants and revokes roles so that e holds exactly roles.
func (a *App) changeRoles(tx *store.Tx, actor *samordna.Actor, e *samordna.Employee, roles []samordna.Role) error {
	if len(roles) == 0 {
		return samordna.Errorf(samordna.KindInvalid, "roles_required", "an employee needs at least one role")
	}
	for _, r := range roles {
		if !r.Valid() {
			return samordna.Errorf(samordna.KindInvalid, "invalid_role", "unknown role %q", r)
		}
	}
	self := actor != nil && actor.Employee != nil && actor.Employee.ID == e.ID
	if self && e.HasRole(samordna.RoleAdmin) && !slices.Contains(roles, samordna.RoleAdmin) {
		return samordna.Errorf(samordna.KindInvalid, "own_admin_role", "you cannot take your own admin role")
	}
	for _, r := range roles {
		if e.HasRole(r) {
			continue
		}
		if err := store.GrantRole(tx, e.ID, r); err != nil {
			return err
		}
		if err := a.audit(tx, actor, samordna.AuditEvent{ObjectType: "employee", ObjectID: e.ID, Action: "grant_role"}); err != nil {
			return err
		}
	}
	for _, r := range e.Roles {
		if slices.Contains(roles, r) {
			continue
		}
		if err := store.RevokeRole(tx, e.ID, r); err != nil {
			return err
		}
		if err := a.audit(tx, actor, samordna.AuditEvent{ObjectType: "employee", ObjectID: e.ID, Action: "revoke_role"}); err != nil {
			return err
		}
	}
	e.Roles = roles
	return nil
}

// changeMemberships adds and ends service memberships so that e is a member
// of exactly serviceIDs.
func (a *App) changeMemberships(tx *store.Tx, actor *samordna.Actor, e *samordna.Employee, serviceIDs []string) error {
	var current []string
	for _, s := range e.Services {
		current = append(current, s.ID)
		if !slices.Contains(serviceIDs, s.ID) && slices.Contains(s.LeaderIDs, e.ID) {
			return samordna.Errorf(samordna.KindInvalid, "leader_must_be_member",
				"%s leads %s: choose another leader there first", e.Name, s.Name)
		}
	}
	for _, id := range serviceIDs {
		if slices.Contains(current, id) {
			continue
		}
		if err := a.addServiceMember(tx, actor, id, e.ID); errors.Is(err, samordna.ErrNotFound) {
			return samordna.Errorf(samordna.KindInvalid, "unknown_service", "no such service")
		} else if err != nil {
			return err
		}
	}
	for _, id := range current {
		if slices.Contains(serviceIDs, id) {
			continue
		}
		if err := store.RemoveServiceMember(tx, id, e.ID); err != nil {
			return err
		}
		if err := a.audit(tx, actor, samordna.AuditEvent{ObjectType: "service", ObjectID: id, Action: "remove_member"}); err != nil {
			return err
		}
	}
	return nil
}
