package app

import (
	"context"
	"regexp"
	"strings"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/store"
)

// This file is what the municipality's directory (Microsoft Entra ID or
// another SCIM 2.0 client) may do: create, change and deactivate employees
// and keep service membership, authenticated by a bearer secret that
// `samordna scim token` prints. Its actor is the system actor "scim";
// every change is audited. Deactivating is disabling (leave.go) with the
// service leader as successor.

// SCIMActor is the directory's actor; client is its address.
func SCIMActor(requestID, client string) *samordna.Actor {
	return &samordna.Actor{System: "scim", RequestID: requestID, Client: client}
}

// SCIMTokenPrefix starts every SCIM secret, so a leaked one is recognised.
const SCIMTokenPrefix = "samordna_scim_"

// CreateSCIMToken makes a new SCIM secret for the installation's
// municipality and returns it (shown once; only its hash is kept). Earlier
// secrets keep working until revoked. For the command line.
func (a *App) CreateSCIMToken(ctx context.Context, actor *samordna.Actor) (string, error) {
	token := SCIMTokenPrefix + randomSecret()
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		m, err := store.FirstMunicipality(tx)
		if err != nil {
			return samordna.Errorf(samordna.KindInvalid, "no_municipality", "the database has no municipality yet")
		}
		if err := store.CreateSCIMToken(tx, m.ID, hashSecret(token), a.now()); err != nil {
			return err
		}
		return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "scim_token", Action: "create"})
	})
	return token, err
}

// SCIMMunicipality returns the municipality a SCIM secret belongs to, or an
// unauthenticated error.
func (a *App) SCIMMunicipality(ctx context.Context, token string) (string, error) {
	if !strings.HasPrefix(token, SCIMTokenPrefix) {
		return "", errUnauthenticated
	}
	var id string
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		var err error
		id, err = store.SCIMTokenMunicipality(tx, hashSecret(token))
		return err
	})
	if samordna.ErrorKind(err) == samordna.KindNotFound {
		return "", errUnauthenticated
	}
	return id, err
}

// scimUsernamePattern also allows the '@' of a user principal name, which
// Entra ID sends as userName by default.
var scimUsernamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._@-]{1,126}$`)

// SCIMUser is a user as the directory sends it.
type SCIMUser struct {
	Username   string
	Name       string
	Email      string
	ExternalID string
	Active     bool
}

func (u *SCIMUser) clean() error {
	u.Username = strings.ToLower(strings.TrimSpace(u.Username))
	u.Name = strings.TrimSpace(u.Name)
	if !scimUsernamePattern.MatchString(u.Username) {
		return samordna.Errorf(samordna.KindInvalid, "invalid_username",
			"userName is 2-127 characters: a-z, 0-9, dot, dash, underscore, @")
	}
	if u.Name == "" {
		u.Name = u.Username
	}
	return nil
}

// SCIMUsers returns the municipality's employees by username.
func (a *App) SCIMUsers(ctx context.Context, municipalityID string) ([]*samordna.Employee, error) {
	var out []*samordna.Employee
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		var err error
		out, err = store.EmployeesOfMunicipality(tx, municipalityID)
		return err
	})
	return out, err
}

// SCIMUserByID returns one employee of the municipality, or not found.
func (a *App) SCIMUserByID(ctx context.Context, municipalityID, id string) (*samordna.Employee, error) {
	var e *samordna.Employee
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		var err error
		e, err = scimEmployee(tx, municipalityID, id)
		return err
	})
	return e, err
}

func scimEmployee(tx *store.Tx, municipalityID, id string) (*samordna.Employee, error) {
	e, err := store.EmployeeByID(tx, id)
	if err != nil {
		return nil, err
	}
	if e.MunicipalityID != municipalityID {
		return nil, samordna.ErrNotFound
	}
	return e, nil
}

// SCIMCreateUser creates an employee without a password (they sign in with
// the municipality's identity provider) and the role employee; an
// inactive one is created disabled.
func (a *App) SCIMCreateUser(ctx context.Context, actor *samordna.Actor, municipalityID string, u SCIMUser) (*samordna.Employee, error) {
	if err := u.clean(); err != nil {
		return nil, err
	}
	e := &samordna.Employee{ID: samordna.NewID(), MunicipalityID: municipalityID, Username: u.Username, Name: u.Name,
		Email: u.Email, ExternalID: u.ExternalID, Disabled: !u.Active, Roles: []samordna.Role{samordna.RoleEmployee}}
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		if err := store.CreateEmployee(tx, e, "", a.now()); err != nil {
			return err
		}
		return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "employee", ObjectID: e.ID, Action: "create"})
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// SCIMReplaceUser sets the employee's profile from the directory. Active
// false disables them as DisableEmployee does, with the leader of their
// service as successor (successor_required when there is none and they
// hold something); active true lets a disabled employee sign in again.
// One transaction: nothing changes when the disable is refused.
func (a *App) SCIMReplaceUser(ctx context.Context, actor *samordna.Actor, municipalityID, id string, u SCIMUser) (*samordna.Employee, error) {
	if err := u.clean(); err != nil {
		return nil, err
	}
	var e *samordna.Employee
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		if e, err = scimEmployee(tx, municipalityID, id); err != nil {
			return err
		}
		if e.Username != u.Username || e.Name != u.Name || e.Email != u.Email || e.ExternalID != u.ExternalID {
			e.Username, e.Name, e.Email, e.ExternalID = u.Username, u.Name, u.Email, u.ExternalID
			if err := store.UpdateEmployeeProfile(tx, e, a.now()); err != nil {
				return err
			}
			if err := a.audit(tx, actor, samordna.AuditEvent{ObjectType: "employee", ObjectID: e.ID,
				Action: "update"}); err != nil {
				return err
			}
		}
		switch {
		case !u.Active && !e.Disabled:
			if _, err := a.disableInTx(tx, actor, e.ID, ""); err != nil {
				return err
			}
		case u.Active && e.Disabled:
			if err := store.SetDisabled(tx, e.ID, false, a.now()); err != nil {
				return err
			}
			if err := a.audit(tx, actor, samordna.AuditEvent{ObjectType: "employee", ObjectID: e.ID,
				Action: "enable"}); err != nil {
				return err
			}
		}
		e, err = store.EmployeeByID(tx, e.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// SCIMGroup is a group of the directory: a service of the municipality,
// its members the service's members.
type SCIMGroup struct {
	Service *samordna.Service
	Members []*samordna.Employee
}

// SCIMGroups returns the municipality's services with their members.
func (a *App) SCIMGroups(ctx context.Context, municipalityID string) ([]*SCIMGroup, error) {
	var out []*SCIMGroup
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		all, err := store.ServicesOfMunicipality(tx, municipalityID)
		if err != nil {
			return err
		}
		for _, s := range all {
			g, err := scimGroup(tx, s)
			if err != nil {
				return err
			}
			out = append(out, g)
		}
		return nil
	})
	return out, err
}

// SCIMGroupByID returns one service of the municipality as a group.
func (a *App) SCIMGroupByID(ctx context.Context, municipalityID, id string) (*SCIMGroup, error) {
	var g *SCIMGroup
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		s, err := scimService(tx, municipalityID, id)
		if err != nil {
			return err
		}
		g, err = scimGroup(tx, s)
		return err
	})
	return g, err
}

func scimService(tx *store.Tx, municipalityID, id string) (*samordna.Service, error) {
	s, err := store.ServiceByID(tx, id)
	if err != nil {
		return nil, err
	}
	if s.MunicipalityID != municipalityID {
		return nil, samordna.ErrNotFound
	}
	return s, nil
}

func scimGroup(tx *store.Tx, s *samordna.Service) (*SCIMGroup, error) {
	ids, err := store.ServiceMemberIDs(tx, s.ID)
	if err != nil {
		return nil, err
	}
	g := &SCIMGroup{Service: s}
	for _, id := range ids {
		e, err := store.EmployeeByID(tx, id)
		if err != nil {
			return nil, err
		}
		g.Members = append(g.Members, e)
	}
	return g, nil
}

// SCIMCreateGroup creates a service of kind "other" (the administrator
// sets its kind and leader) with the given members.
func (a *App) SCIMCreateGroup(ctx context.Context, actor *samordna.Actor, municipalityID, name, externalID string, members []string) (*SCIMGroup, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, samordna.Errorf(samordna.KindInvalid, "name_required", "displayName is required")
	}
	var g *SCIMGroup
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		s := &samordna.Service{MunicipalityID: municipalityID, Name: name, Kind: samordna.ServiceOther,
			ExternalID: externalID}
		if err := store.CreateService(tx, s, a.now()); err != nil {
			return err
		}
		if err := a.audit(tx, actor, samordna.AuditEvent{ObjectType: "service", ObjectID: s.ID, Action: "create"}); err != nil {
			return err
		}
		if err := a.changeMembers(tx, actor, s, members, nil); err != nil {
			return err
		}
		var err error
		g, err = scimGroup(tx, s)
		return err
	})
	return g, err
}

// SCIMUpdateGroup renames the service (name "" keeps it), sets its
// external id (nil keeps it), and adds and removes members; replace
// non-nil makes the members exactly those.
func (a *App) SCIMUpdateGroup(ctx context.Context, actor *samordna.Actor, municipalityID, id, name string, externalID *string, add, remove, replace []string) (*SCIMGroup, error) {
	var g *SCIMGroup
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		s, err := scimService(tx, municipalityID, id)
		if err != nil {
			return err
		}
		name = strings.TrimSpace(name)
		if (name != "" && name != s.Name) || (externalID != nil && *externalID != s.ExternalID) {
			if name != "" {
				s.Name = name
			}
			if externalID != nil {
				s.ExternalID = *externalID
			}
			if err := store.UpdateServiceProfile(tx, s); err != nil {
				return err
			}
			if err := a.audit(tx, actor, samordna.AuditEvent{ObjectType: "service", ObjectID: s.ID, Action: "update"}); err != nil {
				return err
			}
		}
		if replace != nil {
			current, err := store.ServiceMemberIDs(tx, s.ID)
			if err != nil {
				return err
			}
			keep := map[string]bool{}
			for _, m := range replace {
				keep[m] = true
			}
			for _, m := range current {
				if !keep[m] {
					remove = append(remove, m)
				}
			}
			add = append(add, replace...)
		}
		if err := a.changeMembers(tx, actor, s, add, remove); err != nil {
			return err
		}
		g, err = scimGroup(tx, s)
		return err
	})
	return g, err
}

// changeMembers adds and removes service members (employees of the
// service's municipality; others are refused), each audited.
func (a *App) changeMembers(tx *store.Tx, actor *samordna.Actor, s *samordna.Service, add, remove []string) error {
	for _, id := range add {
		if _, err := scimEmployee(tx, s.MunicipalityID, id); err != nil {
			return samordna.Errorf(samordna.KindInvalid, "unknown_member", "no such user: %s", id)
		}
		if err := store.AddServiceMember(tx, s.ID, id); err != nil {
			return err
		}
		if err := a.audit(tx, actor, samordna.AuditEvent{ObjectType: "service", ObjectID: s.ID, Action: "add_member",
			Purpose: "employee=" + id}); err != nil {
			return err
		}
	}
	for _, id := range remove {
		if err := store.RemoveServiceMember(tx, s.ID, id); err != nil {
			return err
		}
		if err := a.audit(tx, actor, samordna.AuditEvent{ObjectType: "service", ObjectID: s.ID,
			Action: "remove_member", Purpose: "employee=" + id}); err != nil {
			return err
		}
	}
	return nil
}
