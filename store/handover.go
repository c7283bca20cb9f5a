package store

import (
	"time"

	"github.com/samordna/samordna"
)

// This file persists the handover when an employee leaves (issue 12): every
// open task named to them, their current coordinator roles, the relay logs
// they hold, their places in open responsibility groups, their team
// memberships and the teams and services they lead pass to one successor,
// so that nothing is left without someone responsible.

// HandoverTask is an open task named to the leaving employee, shown on the
// review page by its title and its case's label (never a fødselsnummer).
type HandoverTask struct {
	ID        string
	CaseID    string
	Title     string
	CaseTitle string
	DueAt     *time.Time
}

// Handover is what an employee holds that a successor takes over.
type Handover struct {
	Tasks       []HandoverTask
	Coordinator int // current coordinator roles, and pending handovers offered to the employee
	LogHolder   int // relay logs held or offered to the employee
	Groups      int // places in open responsibility groups
	Teams       int // team memberships
	TeamsLed    int
	ServicesLed int
}

// Total is the number of handed-over items.
func (h *Handover) Total() int {
	return len(h.Tasks) + h.Coordinator + h.LogHolder + h.Groups + h.Teams + h.TeamsLed + h.ServicesLed
}

// HandoverOf returns what the employee holds that would be handed over.
func HandoverOf(tx *Tx, employeeID string) (*Handover, error) {
	h := &Handover{}
	rows, err := tx.Query(`SELECT t.id, t.case_id, t.title, COALESCE(c.title, ''), t.due_at
		FROM tasks t LEFT JOIN cases c ON c.id = t.case_id
		WHERE t.assignee_kind = 'employee' AND t.assignee_employee_id = $1 AND t.status = 'open'
		ORDER BY CASE WHEN t.due_at IS NULL THEN 1 ELSE 0 END, t.due_at, t.id`, employeeID)
	if err != nil {
		return nil, wrap(err, "handover tasks")
	}
	for rows.Next() {
		var t HandoverTask
		if err := rows.Scan(&t.ID, &t.CaseID, &t.Title, &t.CaseTitle, &t.DueAt); err != nil {
			rows.Close()
			return nil, wrap(err, "handover tasks")
		}
		h.Tasks = append(h.Tasks, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, wrap(err, "handover tasks")
	}
	counts := []struct {
		dst *int
		q   string
	}{
		{&h.Coordinator, `SELECT COUNT(*) FROM case_coordinators WHERE ended_at IS NULL
			AND (employee_id = $1 OR handover_to = $1)`},
		{&h.LogHolder, `SELECT COUNT(*) FROM plans WHERE kind = 'relay_log' AND status <> 'closed'
			AND (holder_id = $1 OR handover_to = $1)`},
		{&h.Groups, `SELECT COUNT(*) FROM group_members gm JOIN responsibility_groups g ON g.id = gm.group_id
			WHERE gm.employee_id = $1 AND gm.removed_at IS NULL AND g.closed_at IS NULL`},
		{&h.Teams, `SELECT COUNT(*) FROM team_members WHERE employee_id = $1`},
		{&h.TeamsLed, `SELECT COUNT(*) FROM teams WHERE leader_employee_id = $1`},
		{&h.ServicesLed, `SELECT COUNT(*) FROM service_leaders WHERE employee_id = $1`},
	}
	for _, c := range counts {
		if err := tx.QueryRow(c.q, employeeID).Scan(c.dst); err != nil {
			return nil, wrap(err, "handover counts")
		}
	}
	return h, nil
}

// HandOver moves everything HandoverOf lists from one employee to another.
// A coordinator role is ended (reason "employee_left") and a new
// assignment, waiting for the successor's acceptance, is made unless the
// successor already coordinates the case; a group place is ended and the
// successor takes it with the same service, role and position unless they
// are already a member. by is who did it (an employee id, or "cli"/"scim").
func HandOver(tx *Tx, from, to, by string, at time.Time) error {
	steps := []struct {
		what, q string
	}{
		{"hand over tasks", `UPDATE tasks SET assignee_employee_id = $1
			WHERE assignee_kind = 'employee' AND assignee_employee_id = $2 AND status = 'open'`},
		// Pending coordinator handovers offered to the leaver go to the
		// successor, or lapse when the successor already holds the role.
		{"hand over coordinator offers", `UPDATE case_coordinators SET handover_to = NULL, handover_by = NULL,
			handover_at = NULL WHERE handover_to = $2 AND ended_at IS NULL AND employee_id = $1`},
		{"hand over coordinator offers", `UPDATE case_coordinators SET handover_to = $1
			WHERE handover_to = $2 AND ended_at IS NULL`},
		{"hand over relay logs", `UPDATE plans SET holder_id = $1, handover_to = NULL, handover_by = NULL,
			handover_at = NULL WHERE holder_id = $2 AND kind = 'relay_log' AND status <> 'closed'`},
		{"hand over relay log offers", `UPDATE plans SET handover_to = NULL, handover_by = NULL, handover_at = NULL
			WHERE handover_to = $2 AND holder_id = $1 AND kind = 'relay_log' AND status <> 'closed'`},
		{"hand over relay log offers", `UPDATE plans SET handover_to = $1
			WHERE handover_to = $2 AND kind = 'relay_log' AND status <> 'closed'`},
		{"hand over teams", `INSERT INTO team_members (team_id, employee_id)
			SELECT team_id, CAST($1 AS TEXT) FROM team_members WHERE employee_id = $2 ON CONFLICT DO NOTHING`},
		{"hand over teams", `DELETE FROM team_members WHERE employee_id = $2 AND employee_id <> $1`},
		{"hand over team leader", `UPDATE teams SET leader_employee_id = $1 WHERE leader_employee_id = $2`},
		{"hand over service leader", `INSERT INTO service_leaders (service_id, employee_id)
			SELECT service_id, CAST($1 AS TEXT) FROM service_leaders WHERE employee_id = $2 ON CONFLICT DO NOTHING`},
		{"hand over service leader", `DELETE FROM service_leaders WHERE employee_id = $2 AND employee_id <> $1`},
	}
	for _, s := range steps {
		if _, err := tx.Exec(s.q, to, from); err != nil {
			return wrap(err, s.what)
		}
	}
	if err := handOverCoordinators(tx, from, to, by, at); err != nil {
		return err
	}
	return handOverGroups(tx, from, to, at)
}

// handOverCoordinators ends the leaver's current coordinator roles and
// appoints the successor in each.
func handOverCoordinators(tx *Tx, from, to, by string, at time.Time) error {
	current, err := queryAssignments(tx, assignmentSelect+` WHERE k.employee_id = $1 AND k.ended_at IS NULL
		ORDER BY k.appointed_at, k.id`, from)
	if err != nil {
		return err
	}
	for _, k := range current {
		if err := EndAssignment(tx, k.ID, at, "employee_left"); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRow(`SELECT COUNT(*) FROM case_coordinators WHERE case_id = $1 AND employee_id = $2
			AND ended_at IS NULL`, k.CaseID, to).Scan(&n); err != nil {
			return wrap(err, "hand over coordinator")
		}
		if n > 0 {
			continue
		}
		next := &Assignment{ID: samordna.NewID(), CaseID: k.CaseID, EmployeeID: to, Kind: k.Kind,
			Status: CoordinatorAppointed, AppointedBy: by, AppointedAt: at, Basis: k.Basis}
		if err := AppointCoordinator(tx, next); err != nil {
			return err
		}
	}
	return nil
}

// handOverGroups ends the leaver's places in open responsibility groups and
// gives each to the successor unless they are already a member.
func handOverGroups(tx *Tx, from, to string, at time.Time) error {
	rows, err := tx.Query(`SELECT gm.id, gm.group_id, COALESCE(gm.service_id, ''), gm.role, gm.position, gm.name
		FROM group_members gm JOIN responsibility_groups g ON g.id = gm.group_id
		WHERE gm.employee_id = $1 AND gm.removed_at IS NULL AND g.closed_at IS NULL ORDER BY gm.id`, from)
	if err != nil {
		return wrap(err, "hand over groups")
	}
	var places []Member
	for rows.Next() {
		var m Member
		if err := rows.Scan(&m.ID, &m.GroupID, &m.ServiceID, &m.Role, &m.Position, &m.Name); err != nil {
			rows.Close()
			return wrap(err, "hand over groups")
		}
		places = append(places, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return wrap(err, "hand over groups")
	}
	for _, m := range places {
		if err := RemoveMember(tx, m.GroupID, m.ID, at); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRow(`SELECT COUNT(*) FROM group_members WHERE group_id = $1 AND employee_id = $2
			AND removed_at IS NULL`, m.GroupID, to).Scan(&n); err != nil {
			return wrap(err, "hand over groups")
		}
		if n > 0 {
			continue
		}
		var name string
		if err := tx.QueryRow(`SELECT name FROM employees WHERE id = $1`, to).Scan(&name); err != nil {
			return wrap(err, "hand over groups")
		}
		_, err := tx.Exec(`INSERT INTO group_members (id, group_id, employee_id, name, relation, added_at, service_id,
			role, position) VALUES ($1, $2, $3, $4, 'employee', $5, $6, $7, $8)`,
			samordna.NewID(), m.GroupID, to, name, at, nullable(m.ServiceID), m.Role, m.Position)
		if err != nil {
			return wrap(err, "hand over groups")
		}
	}
	return nil
}

// DefaultSuccessor returns the leader of a service the employee belongs to
// (an active employee other than themselves), or "" when there is none.
func DefaultSuccessor(tx *Tx, employeeID string) (string, error) {
	ids, err := queryIDs(tx, "default successor", `SELECT sl.employee_id FROM service_members sm
		JOIN services s ON s.id = sm.service_id
		JOIN service_leaders sl ON sl.service_id = s.id JOIN employees e ON e.id = sl.employee_id
		WHERE sm.employee_id = $1 AND sl.employee_id <> $1 AND NOT e.disabled
		ORDER BY s.name, s.id, e.name, e.id`, employeeID)
	if err != nil || len(ids) == 0 {
		return "", err
	}
	return ids[0], nil
}

// DeleteEmployeeSessionsCount ends every session of an employee and
// returns how many there were.
func DeleteEmployeeSessionsCount(tx *Tx, employeeID string) (int64, error) {
	res, err := tx.Exec(`DELETE FROM sessions WHERE employee_id = $1`, employeeID)
	if err != nil {
		return 0, wrap(err, "delete sessions")
	}
	n, _ := res.RowsAffected()
	return n, nil
}
