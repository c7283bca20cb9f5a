package app

import (
	"context"
	"errors"
	"regexp"
	"strings"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/store"
)

var usernamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,62}$`)

// NewUser is the input for CreateUser.
type NewUser struct {
	Username   string
	Name       string
	Title      string
	Email      string
	Password   string // empty: no local password
	Roles      []samordna.Role
	ServiceIDs []string // the services they are a member of; optional
}

// CreateUser adds an employee to the installation's municipality, a member
// of in.ServiceIDs. Without roles they get RoleEmployee. One audit row
// (object_type "employee", action "create") and one per membership.
//
// Who may call: the administrator (admin pages) and the command line;
// anyone else gets samordna.ErrNotFound (and a denied audit row).
//
// Errors: invalid_username, name_required, invalid_role, weak_password,
// unknown_service — KindInvalid; username_taken (KindConflict).
func (a *App) CreateUser(ctx context.Context, actor *samordna.Actor, in NewUser) (*samordna.Employee, error) {
	if !isAdminOrCLI(actor) {
		return nil, a.refuse(ctx, actor, "employee", "create")
	}
	hash := ""
	if in.Password != "" {
		var err error
		if hash, err = HashPassword(in.Password); err != nil {
			return nil, samordna.Errorf(samordna.KindInvalid, "weak_password", "%s", err.Error())
		}
	}
	var e *samordna.Employee
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		e, err = a.createEmployee(tx, actor, in, hash)
		return err
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// createEmployee is CreateUser inside tx with an already hashed password
// (so that the demo's many users can share one costly hash), without the
// access check.
func (a *App) createEmployee(tx *store.Tx, actor *samordna.Actor, in NewUser, hash string) (*samordna.Employee, error) {
	username := strings.ToLower(strings.TrimSpace(in.Username))
	if !usernamePattern.MatchString(username) {
		return nil, samordna.Errorf(samordna.KindInvalid, "invalid_username",
			"a username is 2-63 characters: a-z, 0-9, dot, dash, underscore")
	}
	name := strings.TrimSpace(in.Name)
	if name == "" {
		return nil, samordna.Errorf(samordna.KindInvalid, "name_required", "a name is required")
	}
	roles := in.Roles
	if len(roles) == 0 {
		roles = []samordna.Role{samordna.RoleEmployee}
	}
	for _, r := range roles {
		if !r.Valid() {
			return nil, samordna.Errorf(samordna.KindInvalid, "invalid_role", "unknown role %q", r)
		}
	}
	mid, err := a.municipalityID(tx, actor)
	if err != nil {
		return nil, err
	}
	e := &samordna.Employee{ID: samordna.NewID(), MunicipalityID: mid, Username: username, Name: name,
		Title: strings.TrimSpace(in.Title), Email: strings.TrimSpace(in.Email), Roles: roles}
	if err := store.CreateEmployee(tx, e, hash, a.now()); err != nil {
		return nil, err
	}
	if err := a.audit(tx, actor, samordna.AuditEvent{ObjectType: "employee", ObjectID: e.ID, Action: "create"}); err != nil {
		return nil, err
	}
	for _, sid := range dedupe(in.ServiceIDs) {
		if err := a.addServiceMember(tx, actor, sid, e.ID); errors.Is(err, samordna.ErrNotFound) {
			return nil, samordna.Errorf(samordna.KindInvalid, "unknown_service", "no such service")
		} else if err != nil {
			return nil, err
		}
	}
	return e, nil
}

// newEmployee checks a new user and returns the employee to create (with a
// new id, no municipality yet) and the hash of their password ("" for none).
func newEmployee(in NewUser) (*samordna.Employee, string, error) {
	in.Username = strings.ToLower(strings.TrimSpace(in.Username))
	if !usernamePattern.MatchString(in.Username) {
		return nil, "", samordna.Errorf(samordna.KindInvalid, "invalid_username",
			"a username is 2-63 characters: a-z, 0-9, dot, dash, underscore")
	}
	if strings.TrimSpace(in.Name) == "" {
		return nil, "", samordna.Errorf(samordna.KindInvalid, "name_required", "a name is required")
	}
	roles := in.Roles
	if len(roles) == 0 {
		roles = []samordna.Role{samordna.RoleEmployee}
	}
	for _, r := range roles {
		if !r.Valid() {
			return nil, "", samordna.Errorf(samordna.KindInvalid, "invalid_role", "unknown role %q", r)
		}
	}
	hash := ""
	if in.Password != "" {
		var err error
		if hash, err = HashPassword(in.Password); err != nil {
			return nil, "", samordna.Errorf(samordna.KindInvalid, "weak_password", "%s", err.Error())
		}
	}
	return &samordna.Employee{ID: samordna.NewID(), Username: in.Username, Name: strings.TrimSpace(in.Name),
		Title: in.Title, Email: in.Email, Roles: roles}, hash, nil
}

// ListUsers returns every employee. For administrators.
func (a *App) ListUsers(ctx context.Context, actor *samordna.Actor) ([]*samordna.Employee, error) {
	var out []*samordna.Employee
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		if out, err = store.ListEmployees(tx); err != nil {
			return err
		}
		return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "employee", Action: "list"})
	})
	return out, err
}

// SetUserPassword sets a new local password and ends the user's sessions.
func (a *App) SetUserPassword(ctx context.Context, actor *samordna.Actor, username, password string) error {
	hash, err := HashPassword(password)
	if err != nil {
		return samordna.Errorf(samordna.KindInvalid, "weak_password", "%s", err.Error())
	}
	return a.changeUser(ctx, actor, username, "set_password", func(tx *store.Tx, e *samordna.Employee) error {
		if err := store.SetPassword(tx, e.ID, hash, a.now()); err != nil {
			return err
		}
		return store.DeleteEmployeeSessions(tx, e.ID)
	})
}

// GrantUserRole gives a user a role.
func (a *App) GrantUserRole(ctx context.Context, actor *samordna.Actor, username string, role samordna.Role) error {
	if !role.Valid() {
		return samordna.Errorf(samordna.KindInvalid, "invalid_role", "unknown role %q", role)
	}
	return a.changeUser(ctx, actor, username, "grant_role", func(tx *store.Tx, e *samordna.Employee) error {
		return store.GrantRole(tx, e.ID, role)
	})
}

func (a *App) changeUser(ctx context.Context, actor *samordna.Actor, username, action string, change func(*store.Tx, *samordna.Employee) error) error {
	return a.DB.Write(ctx, func(tx *store.Tx) error {
		e, _, err := store.EmployeeByUsername(tx, strings.ToLower(username))
		if err != nil {
			return samordna.Errorf(samordna.KindInvalid, "unknown_user", "no such user")
		}
		if err := change(tx, e); err != nil {
			return err
		}
		return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "employee", ObjectID: e.ID, Action: action})
	})
}

// VerifyAudit walks the audit chain; see store.VerifyAudit.
func (a *App) VerifyAudit(ctx context.Context) (int64, error) {
	var n int64
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		var err error
		n, err = store.VerifyAudit(tx)
		return err
	})
	return n, err
}
