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

const employeeColumns = `id, municipality_id, username, name, title, email, COALESCE(external_id, ''),
	disabled, created_at`

// employeeFields are the scan targets of employeeColumns.
func employeeFields(e *samordna.Employee) []any {
	return []any{&e.ID, &e.MunicipalityID, &e.Username, &e.Name, &e.Title, &e.Email, &e.ExternalID, &e.Disabled,
		&e.CreatedAt}
}

func scanEmployee(row interface{ Scan(...any) error }) (*samordna.Employee, error) {
	var e samordna.Employee
	err := row.Scan(employeeFields(&e)...)
	return &e, err
}

// EmployeeByUsername returns the employee with roles and services, and the
// password hash, or samordna.ErrNotFound.
func EmployeeByUsername(tx *Tx, username string) (*samordna.Employee, string, error) {
	var hash string
	var e samordna.Employee
	err := tx.QueryRow(`SELECT `+employeeColumns+`, password_hash FROM employees WHERE username = $1`, username).
		Scan(append(employeeFields(&e), &hash)...)
	if err != nil {
		return nil, "", wrap(err, "employee")
	}
	if err := loadEmployeeDetails(tx, &e); err != nil {
		return nil, "", err
	}
	return &e, hash, nil
}

// EmployeeByID returns the employee with roles and services.
func EmployeeByID(tx *Tx, id string) (*samordna.Employee, error) {
	e, err := scanEmployee(tx.QueryRow(`SELECT `+employeeColumns+` FROM employees WHERE id = $1`, id))
	if err != nil {
		return nil, wrap(err, "employee")
	}
	return e, loadEmployeeDetails(tx, e)
}

// ListEmployees returns every employee ordered by username, with roles and services.
func ListEmployees(tx *Tx) ([]*samordna.Employee, error) {
	rows, err := tx.Query(`SELECT ` + employeeColumns + ` FROM employees ORDER BY username`)
	if err != nil {
		return nil, wrap(err, "list employees")
	}
	var out []*samordna.Employee
	for rows.Next() {
		e, err := scanEmployee(rows)
		if err != nil {
			rows.Close()
			return nil, wrap(err, "list employees")
		}
		out = append(out, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, wrap(err, "list employees")
	}
	for _, e := range out {
		if err := loadEmployeeDetails(tx, e); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func loadEmployeeDetails(tx *Tx, e *samordna.Employee) error {
	rows, err := tx.Query(`SELECT role FROM employee_roles WHERE employee_id = $1 ORDER BY role`, e.ID)
	if err != nil {
		return wrap(err, "employee roles")
	}
	e.Roles = nil
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			rows.Close()
			return wrap(err, "employee roles")
		}
		e.Roles = append(e.Roles, samordna.Role(r))
	}
	rows.Close()
	rows, err = tx.Query(`SELECT `+serviceColumns(tx)+`
		FROM services s JOIN service_members m ON m.service_id = s.id
		WHERE m.employee_id = $1 ORDER BY s.name`, e.ID)
	if err != nil {
		return wrap(err, "employee services")
	}
	defer rows.Close()
	e.Services = nil
	for rows.Next() {
		s, err := scanService(rows)
		if err != nil {
			return wrap(err, "employee services")
		}
		e.Services = append(e.Services, *s)
	}
	return wrap(rows.Err(), "employee services")
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
