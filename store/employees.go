package store

import (
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/samordna/samordna"
)

// CreateMunicipality inserts a municipality.
func CreateMunicipality(tx *Tx, m *samordna.Municipality, now time.Time) error {
	_, err := tx.Exec(`INSERT INTO municipalities (id, name, number, created_at) VALUES ($1, $2, $3, $4)`,
		m.ID, m.Name, m.Number, now)
	return wrap(err, "create municipality")
}

// FirstMunicipality returns the installation's municipality (the first one).
func FirstMunicipality(tx *Tx) (*samordna.Municipality, error) {
	var m samordna.Municipality
	err := tx.QueryRow(`SELECT id, name, number FROM municipalities ORDER BY created_at, id LIMIT 1`).
		Scan(&m.ID, &m.Name, &m.Number)
	if err != nil {
		return nil, wrap(err, "municipality")
	}
	return &m, nil
}

// CreateEmployee inserts an employee with their roles. passwordHash may be
// empty (no local password: sign-in by token or, later, OpenID Connect).
func CreateEmployee(tx *Tx, e *samordna.Employee, passwordHash string, now time.Time) error {
	_, err := tx.Exec(`INSERT INTO employees (id, municipality_id, username, name, title, email, external_id,
		password_hash, disabled, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)`,
		e.ID, e.MunicipalityID, e.Username, e.Name, e.Title, e.Email, nullString(e.ExternalID), passwordHash,
		e.Disabled, now)
	if err != nil {
		if isUniqueViolation(err) {
			return samordna.Errorf(samordna.KindConflict, "username_taken", "the username is taken")
		}
		return wrap(err, "create employee")
	}
	for _, r := range e.Roles {
		if err := GrantRole(tx, e.ID, r); err != nil {
			return err
		}
	}
	return nil
}

// GrantRole gives the employee a role (idempotent).
func GrantRole(tx *Tx, employeeID string, r samordna.Role) error {
	_, err := tx.Exec(`INSERT INTO employee_roles (employee_id, role) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
		employeeID, string(r))
	return wrap(err, "grant role")
}

// SetPassword replaces the employee's password hash.
func SetPassword(tx *Tx, employeeID, hash string, now time.Time) error {
	return execOne(tx, "set password", `UPDATE employees SET password_hash = $1, updated_at = $2 WHERE id = $3`,
		hash, now, employeeID)
}

// SetDisabled disables or enables an employee.
func SetDisabled(tx *Tx, employeeID string, disabled bool, now time.Time) error {
	return execOne(tx, "disable employee", `UPDATE employees SET disabled = $1, updated_at = $2 WHERE id = $3`,
		disabled, now, employeeID)
}

const employeeColumns = `e.id, e.municipality_id, e.username, e.name, e.title, e.email, COALESCE(e.external_id, ''),
	e.disabled, e.created_at`

// employeeFields are the scan targets of employeeColumns.
func employeeFields(e *samordna.Employee) []any {
	return []any{&e.ID, &e.MunicipalityID, &e.Username, &e.Name, &e.Title, &e.Email, &e.ExternalID, &e.Disabled,
		&e.CreatedAt}
}

// queryEmployees selects employees with their roles and services in ONE
// statement, whatever their number (issue 17's statement budgets: a bearer
// token or a session authenticates in one). from joins "employees e" and
// whatever extra's columns and where need; the query returns one row per
// employee and service (the roles in one column), ordered by order and then
// the services' names. extra are more columns, scanned into dest(e) for
// each employee.
func queryEmployees(tx *Tx, what, extra, from, where, order string, dest func(*samordna.Employee) []any,
	args ...any) ([]*samordna.Employee, error) {
	cols := employeeColumns + `, ` + idList(tx, "role", "employee_roles", "employee_id = e.id") + `,
		s.id, s.municipality_id, s.name, s.kind, ` + serviceLeaders(tx) + `,
		COALESCE(s.district_id, ''), COALESCE(s.external_id, '')`
	if extra != "" {
		cols += `, ` + extra
	}
	rows, err := tx.Query(`SELECT `+cols+` FROM `+from+`
		LEFT JOIN service_members m ON m.employee_id = e.id LEFT JOIN services s ON s.id = m.service_id
		WHERE `+where+` ORDER BY `+order+`, e.id, s.name, s.id`, args...)
	if err != nil {
		return nil, wrap(err, what)
	}
	defer rows.Close()
	var out []*samordna.Employee
	for rows.Next() {
		e := &samordna.Employee{}
		var roles, leaders string
		var svcID, svcMuni, svcName, svcKind sql.NullString
		var svc samordna.Service
		targets := append(employeeFields(e), &roles, &svcID, &svcMuni, &svcName, &svcKind, &leaders,
			&svc.DistrictID, &svc.ExternalID)
		if dest != nil {
			targets = append(targets, dest(e)...)
		}
		if err := rows.Scan(targets...); err != nil {
			return nil, wrap(err, what)
		}
		if n := len(out); n > 0 && out[n-1].ID == e.ID {
			e = out[n-1] // a further service of the same employee
		} else {
			for _, r := range splitIDs(roles) {
				e.Roles = append(e.Roles, samordna.Role(r))
			}
			out = append(out, e)
		}
		if svcID.Valid {
			svc.ID, svc.MunicipalityID, svc.Name = svcID.String, svcMuni.String, svcName.String
			svc.Kind = samordna.ServiceKind(svcKind.String)
			svc.LeaderIDs = splitIDs(leaders)
			e.Services = append(e.Services, svc)
		}
	}
	return out, wrap(rows.Err(), what)
}

// oneEmployee returns the only employee of a queryEmployees result, or
// samordna.ErrNotFound.
func oneEmployee(emps []*samordna.Employee, err error) (*samordna.Employee, error) {
	if err != nil {
		return nil, err
	}
	if len(emps) == 0 {
		return nil, samordna.ErrNotFound
	}
	return emps[0], nil
}

// EmployeeByUsername returns the employee with roles and services, and the
// password hash, or samordna.ErrNotFound.
func EmployeeByUsername(tx *Tx, username string) (*samordna.Employee, string, error) {
	var hash string
	e, err := oneEmployee(queryEmployees(tx, "employee", "e.password_hash", "employees e", "e.username = $1",
		"e.username", func(*samordna.Employee) []any { return []any{&hash} }, username))
	if err != nil {
		return nil, "", err
	}
	return e, hash, nil
}

// EmployeeByID returns the employee with roles and services.
func EmployeeByID(tx *Tx, id string) (*samordna.Employee, error) {
	return oneEmployee(queryEmployees(tx, "employee", "", "employees e", "e.id = $1", "e.id", nil, id))
}

// EmployeesByIDs returns the employees with the ids (unknown ids are left
// out), with roles and services, in one statement.
func EmployeesByIDs(tx *Tx, ids []string) (map[string]*samordna.Employee, error) {
	out := make(map[string]*samordna.Employee, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	list, args := inList(nil, ids)
	emps, err := queryEmployees(tx, "employees", "", "employees e", "e.id IN ("+list+")", "e.id", nil, args...)
	for _, e := range emps {
		out[e.ID] = e
	}
	return out, err
}

// EmployeesOfMunicipality returns the municipality's employees ordered by
// username, with roles and services.
func EmployeesOfMunicipality(tx *Tx, municipalityID string) ([]*samordna.Employee, error) {
	return queryEmployees(tx, "employees of municipality", "", "employees e", "e.municipality_id = $1", "e.username",
		nil, municipalityID)
}

// ListEmployees returns every employee ordered by username, with roles and services.
func ListEmployees(tx *Tx) ([]*samordna.Employee, error) {
	return queryEmployees(tx, "list employees", "", "employees e", "TRUE", "e.username", nil)
}

// wrap turns sql.ErrNoRows into samordna.ErrNotFound and adds context to
// other errors; nil stays nil.
func wrap(err error, what string) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return samordna.ErrNotFound
	}
	var se *samordna.Error
	if errors.As(err, &se) {
		return err
	}
	return fmt.Errorf("%s: %w", what, err)
}

// execOne runs an UPDATE or DELETE that must touch exactly one row.
func execOne(tx *Tx, what, query string, args ...any) error {
	res, err := tx.Exec(query, args...)
	if err != nil {
		return wrap(err, what)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return samordna.ErrNotFound
	}
	return nil
}

// UpdateEmployee stores the employee's name, title and email. It returns
// samordna.ErrNotFound when the employee does not exist.
func UpdateEmployee(tx *Tx, e *samordna.Employee, now time.Time) error {
	return execOne(tx, "update employee", `UPDATE employees SET name = $1, title = $2, email = $3, updated_at = $4
		WHERE id = $5`, e.Name, e.Title, e.Email, now, e.ID)
}

// RevokeRole takes a role from the employee (nothing happens when they do
// not hold it).
func RevokeRole(tx *Tx, employeeID string, r samordna.Role) error {
	_, err := tx.Exec(`DELETE FROM employee_roles WHERE employee_id = $1 AND role = $2`, employeeID, string(r))
	return wrap(err, "revoke role")
}

// RemoveServiceMember ends the employee's membership of the service (nothing
// happens when there is none).
func RemoveServiceMember(tx *Tx, serviceID, employeeID string) error {
	_, err := tx.Exec(`DELETE FROM service_members WHERE service_id = $1 AND employee_id = $2`, serviceID, employeeID)
	return wrap(err, "remove service member")
}
