package app

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/store"
)

// This file is what happens when people leave (issue 12): disabling an
// employee ends their sessions and tokens at once and, in the same
// transaction, hands every open task, coordinator role, relay log, group
// place, team membership and leadership to a successor the administrator
// picks, who is told. Nothing is left without someone responsible.

// NoticeHandover tells the successor what they took over (counts in the
// notification's detail).
const NoticeHandover = "handover"

// LeaveReview is what the review page shows before an employee is
// disabled: who, what will be handed over, and who may take it over.
type LeaveReview struct {
	Employee   *samordna.Employee
	Handover   *store.Handover
	Successor  string               // the default successor's id: a leader of the employee's service, or ""
	Candidates []*samordna.Employee // active employees of the municipality other than the employee, by name
}

// LeaveSummary is what a disable did.
type LeaveSummary struct {
	Employee  *samordna.Employee
	Successor *samordna.Employee // nil when nothing was handed over and none was named
	Handover  *store.Handover
	Sessions  int64 // sessions ended
	Tokens    int64 // access tokens revoked
}

// mayAdminister reports whether the actor may disable employees of the
// municipality: an administrator of it, or a system actor (the command
// line, the directory over SCIM) that authenticated otherwise.
func mayAdminister(actor *samordna.Actor, municipalityID string) bool {
	if actor == nil {
		return false
	}
	if actor.Employee == nil {
		return true
	}
	return actor.Employee.HasRole(samordna.RoleAdmin) && actor.Employee.MunicipalityID == municipalityID
}

// employeeForAdmin loads the employee an administrator acts on; refused is
// reported as missing.
func employeeForAdmin(tx *store.Tx, actor *samordna.Actor, id string) (*samordna.Employee, error) {
	e, err := store.EmployeeByID(tx, id)
	if err != nil {
		return nil, err
	}
	if !mayAdminister(actor, e.MunicipalityID) {
		return nil, samordna.ErrNotFound
	}
	return e, nil
}

// ReviewLeave returns what disabling the employee would hand over. For
// administrators.
func (a *App) ReviewLeave(ctx context.Context, actor *samordna.Actor, employeeID string) (*LeaveReview, error) {
	r := &LeaveReview{}
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		if r.Employee, err = employeeForAdmin(tx, actor, employeeID); err != nil {
			return err
		}
		if r.Handover, err = store.HandoverOf(tx, employeeID); err != nil {
			return err
		}
		if r.Successor, err = store.DefaultSuccessor(tx, employeeID); err != nil {
			return err
		}
		all, err := store.EmployeesOfMunicipality(tx, r.Employee.MunicipalityID)
		if err != nil {
			return err
		}
		for _, e := range all {
			if e.ID != employeeID && !e.Disabled && e.MunicipalityID == r.Employee.MunicipalityID {
				r.Candidates = append(r.Candidates, e)
			}
		}
		sortByName(r.Candidates)
		return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "employee", ObjectID: employeeID,
			Action: "review_disable"})
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// sortByName orders employees by name, then id.
func sortByName(es []*samordna.Employee) {
	for i := 1; i < len(es); i++ {
		for j := i; j > 0 && (es[j].Name < es[j-1].Name || es[j].Name == es[j-1].Name && es[j].ID < es[j-1].ID); j-- {
			es[j], es[j-1] = es[j-1], es[j]
		}
	}
}

// DisableEmployee disables the employee, ends their sessions and access
// tokens, and hands everything they hold to successorID, all in one
// transaction. successorID "" means the default: a leader of the
// employee's service. The successor must be active, of the same
// municipality and not the employee. For administrators (and the command
// line and the directory). Errors: not_found, successor_required,
// invalid_successor, already_disabled.
func (a *App) DisableEmployee(ctx context.Context, actor *samordna.Actor, employeeID, successorID string) (*LeaveSummary, error) {
	var sum *LeaveSummary
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		sum, err = a.disableInTx(tx, actor, employeeID, successorID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return sum, nil
}

// disableInTx is DisableEmployee inside the caller's transaction.
func (a *App) disableInTx(tx *store.Tx, actor *samordna.Actor, employeeID, successorID string) (*LeaveSummary, error) {
	sum := &LeaveSummary{}
	var err error
	if sum.Employee, err = employeeForAdmin(tx, actor, employeeID); err != nil {
		return nil, err
	}
	if sum.Employee.Disabled {
		return nil, samordna.Errorf(samordna.KindConflict, "already_disabled", "the employee is already disabled")
	}
	if sum.Handover, err = store.HandoverOf(tx, employeeID); err != nil {
		return nil, err
	}
	if successorID == "" {
		if successorID, err = store.DefaultSuccessor(tx, employeeID); err != nil {
			return nil, err
		}
	}
	if successorID == "" && sum.Handover.Total() > 0 {
		return nil, samordna.Errorf(samordna.KindInvalid, "successor_required",
			"the employee holds tasks or roles and their service has no leader to take them over: name a successor")
	}
	if successorID != "" {
		if sum.Successor, err = a.checkSuccessor(tx, sum.Employee, successorID); err != nil {
			return nil, err
		}
	}
	return sum, a.disable(tx, actor, sum)
}

// checkSuccessor loads the successor and refuses one who is disabled, of
// another municipality, or the leaving employee.
func (a *App) checkSuccessor(tx *store.Tx, leaver *samordna.Employee, successorID string) (*samordna.Employee, error) {
	s, err := store.EmployeeByID(tx, successorID)
	if err != nil || s.Disabled || s.MunicipalityID != leaver.MunicipalityID || s.ID == leaver.ID {
		return nil, samordna.Errorf(samordna.KindInvalid, "invalid_successor",
			"the successor must be another active employee of the municipality")
	}
	return s, nil
}

// disable does the change of DisableEmployee in tx: the flag, the sessions
// and tokens, the handover, the successor's notice and the audit rows.
func (a *App) disable(tx *store.Tx, actor *samordna.Actor, sum *LeaveSummary) error {
	now := a.now()
	emp := sum.Employee
	if err := store.SetDisabled(tx, emp.ID, true, now); err != nil {
		return err
	}
	var err error
	if sum.Sessions, err = store.DeleteEmployeeSessionsCount(tx, emp.ID); err != nil {
		return err
	}
	if sum.Tokens, err = store.RevokeAccessToken(tx, emp.ID, "", now); err != nil {
		return err
	}
	h := sum.Handover
	if sum.Successor != nil && h.Total() > 0 {
		if err := store.HandOver(tx, emp.ID, sum.Successor.ID, actorRef(actor), now); err != nil {
			return err
		}
		for _, t := range h.Tasks {
			if err := a.audit(tx, actor, samordna.AuditEvent{ObjectType: "task", ObjectID: t.ID, CaseID: t.CaseID,
				Action: "hand_over", Purpose: "employee_left"}); err != nil {
				return err
			}
		}
		detail, _ := json.Marshal(CountsOf(h))
		n := &store.Notification{EmployeeID: sum.Successor.ID, Kind: NoticeHandover, CreatedAt: now,
			Detail: string(detail)}
		if err := store.CreateNotification(tx, n); err != nil {
			return err
		}
	}
	successor := ""
	if sum.Successor != nil {
		successor = sum.Successor.ID
	}
	return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "employee", ObjectID: emp.ID, Action: "disable",
		Purpose: handoverPurpose(successor, h, sum.Sessions, sum.Tokens)})
}

// HandoverCounts are the counts of a handover by kind, as the API and the
// successor's notification give them.
type HandoverCounts struct {
	Tasks       int `json:"tasks"`
	Coordinator int `json:"coordinator_roles"`
	LogHolder   int `json:"relay_logs"`
	Groups      int `json:"group_memberships"`
	Teams       int `json:"team_memberships"`
	TeamsLed    int `json:"teams_led"`
	ServicesLed int `json:"services_led"`
}

// CountsOf returns the counts of a handover by kind.
func CountsOf(h *store.Handover) HandoverCounts {
	return HandoverCounts{Tasks: len(h.Tasks), Coordinator: h.Coordinator, LogHolder: h.LogHolder, Groups: h.Groups,
		Teams: h.Teams, TeamsLed: h.TeamsLed, ServicesLed: h.ServicesLed}
}

// handoverPurpose is the disable's audit row text: the successor and the
// counts handed over (ids and numbers only).
func handoverPurpose(successor string, h *store.Handover, sessions, tokens int64) string {
	c := CountsOf(h)
	return fmt.Sprintf("successor=%s tasks=%d coordinator_roles=%d relay_logs=%d group_memberships=%d "+
		"team_memberships=%d teams_led=%d services_led=%d sessions=%d tokens=%d", successor, c.Tasks, c.Coordinator,
		c.LogHolder, c.Groups, c.Teams, c.TeamsLed, c.ServicesLed, sessions, tokens)
}

// actorRef is who made a change, for columns that record it: the
// employee's id, or the system actor's name.
func actorRef(actor *samordna.Actor) string {
	switch {
	case actor == nil:
		return ""
	case actor.Employee != nil:
		return actor.Employee.ID
	case actor.System != "":
		return actor.System
	}
	return actor.Client
}

// EnableEmployee lets a disabled employee sign in again. Nothing handed
// over comes back. For administrators.
func (a *App) EnableEmployee(ctx context.Context, actor *samordna.Actor, employeeID string) error {
	return a.DB.Write(ctx, func(tx *store.Tx) error {
		e, err := employeeForAdmin(tx, actor, employeeID)
		if err != nil {
			return err
		}
		if err := store.SetDisabled(tx, e.ID, false, a.now()); err != nil {
			return err
		}
		return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "employee", ObjectID: e.ID, Action: "enable"})
	})
}

// EnableUser is EnableEmployee by username, for the command line.
func (a *App) EnableUser(ctx context.Context, actor *samordna.Actor, username string) error {
	id, err := a.employeeIDByUsername(ctx, username, "unknown_user")
	if err != nil {
		return err
	}
	return a.EnableEmployee(ctx, actor, id)
}

// employeeIDByUsername returns the id of the employee with the username
// (any case), or the error code when there is none.
func (a *App) employeeIDByUsername(ctx context.Context, username, code string) (string, error) {
	var id string
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		e, _, err := store.EmployeeByUsername(tx, strings.ToLower(username))
		if err != nil {
			return samordna.Errorf(samordna.KindInvalid, code, "no such user")
		}
		id = e.ID
		return nil
	})
	return id, err
}

// DisableUser is DisableEmployee by usernames, for the command line.
// successor "" means the default successor.
func (a *App) DisableUser(ctx context.Context, actor *samordna.Actor, username, successor string) (*LeaveSummary, error) {
	empID, err := a.employeeIDByUsername(ctx, username, "unknown_user")
	if err != nil {
		return nil, err
	}
	succID := ""
	if successor != "" {
		if succID, err = a.employeeIDByUsername(ctx, successor, "invalid_successor"); err != nil {
			return nil, err
		}
	}
	return a.DisableEmployee(ctx, actor, empID, succID)
}
