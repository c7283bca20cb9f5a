package app

import (
	"context"
	"encoding/json"
	"slices"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/access"
	"github.com/samordna/samordna/store"
)

// This file makes the effects of a step visible (issue 13, point 5): what
// withdrawing a consent takes away, who is told, and where each notice
// leads. A withdrawal that ends members' access hands their open tasks on
// the case back to the coordinator (none is left orphaned), flags the
// planned meetings to the coordinator and tells each member that the
// access ended.

// Notification kinds of this file.
const (
	NoticeAccessEnded          = "access_ended"          // a consent was withdrawn: the member no longer has access to the case
	NoticeMeetingAffected      = "meeting_affected"      // a planned meeting has members who lost access (to the coordinator)
	NoticeTasksHandedBack      = "tasks_handed_back"     // members' open tasks came back to the coordinator
	NoticeCoordinatorAppointed = "coordinator_appointed" // the employee was appointed coordinator; accept or decline
	NoticeApplicationDecided   = "application_decided"   // the application the employee submitted was decided
)

// NoticeDetail is what a notification refers to besides its case, task and
// report (store.Notification.Detail, as JSON): ids and counts, never
// content.
type NoticeDetail struct {
	MeetingID     string `json:"meeting,omitempty"`
	ApplicationID string `json:"application,omitempty"`
	Outcome       string `json:"outcome,omitempty"` // an application's decision: granted or refused
	Tasks         int    `json:"tasks,omitempty"`   // how many tasks were handed back
}

// ParseNoticeDetail reads a notification's detail; a missing or other
// detail gives the zero value.
func ParseNoticeDetail(detail string) NoticeDetail {
	var d NoticeDetail
	_ = json.Unmarshal([]byte(detail), &d) // written by this package; anything else reads as empty
	return d
}

// notifyDetail is notify with a detail: one notification (and outbox row)
// for each employee, each once.
func (a *App) notifyDetail(tx *store.Tx, employeeIDs []string, kind, caseID string, d NoticeDetail) error {
	js, err := json.Marshal(d)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, id := range employeeIDs {
		if id == "" || seen[id] {
			continue
		}
		seen[id] = true
		n := &store.Notification{EmployeeID: id, Kind: kind, CaseID: caseID, CreatedAt: a.now(), Detail: string(js)}
		if err := store.CreateNotification(tx, n); err != nil {
			return err
		}
	}
	return nil
}

// WithdrawalEffects is what withdrawing a consent does besides ending the
// consent: the members who lose access, their open tasks on the case and
// where those go, and the planned meetings that are flagged.
type WithdrawalEffects struct {
	Consent     *samordna.Consent
	LoseAccess  []*samordna.Employee // group members whose access rested on this consent
	Tasks       []*store.Task        // open tasks handed back to the coordinator (or ended, without one)
	Meetings    []*store.Meeting     // planned meetings flagged to the coordinator
	Coordinator *store.Assignment    // the case's current coordinator, nil when none
}

// WithdrawalPreview shows what withdrawing the consent would do, for the
// review page before the withdrawal. Who may call: as for WithdrawConsent;
// the read is audited (preview_withdrawal). Errors: not_found,
// already_withdrawn (409).
func (a *App) WithdrawalPreview(ctx context.Context, actor *samordna.Actor, consentID string) (*WithdrawalEffects, error) {
	caseID, err := a.consentCase(ctx, consentID)
	if err != nil {
		return nil, err
	}
	var eff *WithdrawalEffects
	err = a.readCase(ctx, actor, caseID, access.ManageConsent, "preview_withdrawal",
		func(tx *store.Tx, g *caseGrant) (samordna.AuditEvent, error) {
			c, err := store.ConsentByID(tx, consentID)
			if err != nil {
				return samordna.AuditEvent{}, err
			}
			if c.Status == samordna.ConsentWithdrawn {
				return samordna.AuditEvent{}, samordna.Errorf(samordna.KindConflict, "already_withdrawn",
					"the consent is already withdrawn")
			}
			if eff, err = a.withdrawalEffects(tx, g, c); err != nil {
				return samordna.AuditEvent{}, err
			}
			return caseEvent(g, "preview_withdrawal", "consent", c.ID), nil
		})
	return eff, err
}

// withdrawalEffects computes what withdrawing consent c (still recorded as
// it is) takes away. Only the purpose share_with_members gives access
// (access.Facts.ShareConsent); when another active consent still covers
// it, nobody loses access.
func (a *App) withdrawalEffects(tx *store.Tx, g *caseGrant, c *samordna.Consent) (*WithdrawalEffects, error) {
	eff := &WithdrawalEffects{Consent: c}
	k, err := store.CurrentAssignment(tx, g.Case.ID)
	if err != nil {
		return nil, err
	}
	eff.Coordinator = k
	now := a.now()
	if !c.Active(now) || !slices.Contains(c.Purposes, samordna.PurposeShareWithMembers) {
		return eff, nil
	}
	others, err := caseConsents(tx, g.Case.ID, now)
	if err != nil {
		return nil, err
	}
	for _, o := range others {
		if o.ID != c.ID && o.Status == samordna.ConsentActive && slices.Contains(o.Purposes, samordna.PurposeShareWithMembers) {
			return eff, nil
		}
	}
	grp, err := store.OpenGroupOfCase(tx, g.Case.ID)
	if err != nil || grp == nil {
		return eff, err
	}
	members, err := store.Members(tx, grp.ID)
	if err != nil {
		return nil, err
	}
	for _, m := range members {
		lost, e, err := a.losesAccess(tx, g.Case.ID, m.EmployeeID)
		if err != nil {
			return nil, err
		}
		if lost {
			eff.LoseAccess = append(eff.LoseAccess, e)
		}
	}
	if len(eff.LoseAccess) == 0 {
		return eff, nil
	}
	if eff.Tasks, err = a.tasksOfLosers(tx, g.Case.ID, eff.LoseAccess); err != nil {
		return nil, err
	}
	meetings, err := store.MeetingsOfCase(tx, g.Case.ID)
	if err != nil {
		return nil, err
	}
	for _, m := range meetings {
		if m.Status == store.MeetingPlanned {
			eff.Meetings = append(eff.Meetings, m)
		}
	}
	return eff, nil
}

// losesAccess reports whether the employee may read the case now and could
// not without the consent to share with the members.
func (a *App) losesAccess(tx *store.Tx, caseID, employeeID string) (bool, *samordna.Employee, error) {
	if employeeID == "" {
		return false, nil, nil
	}
	e, err := store.EmployeeByID(tx, employeeID)
	if err != nil {
		return false, nil, err
	}
	s := access.SubjectOf(e)
	f, _, err := store.CaseFacts(tx, caseID, s, a.now())
	if err != nil {
		return false, nil, err
	}
	before := access.ReadReason(s, f)
	f.ShareConsent = false
	return before != "" && access.ReadReason(s, f) == "", e, nil
}

// tasksOfLosers returns the case's open tasks that the members who lose
// access could still see: those named to one of them, and those of the
// responsibility group (which every member sees).
func (a *App) tasksOfLosers(tx *store.Tx, caseID string, losers []*samordna.Employee) ([]*store.Task, error) {
	tasks, err := store.TasksOfCase(tx, caseID)
	if err != nil {
		return nil, err
	}
	var out []*store.Task
	for _, t := range tasks {
		if t.Status != store.TaskOpen {
			continue
		}
		named := t.AssigneeKind == store.AssignEmployee && slices.ContainsFunc(losers, func(e *samordna.Employee) bool {
			return e.ID == t.EmployeeID
		})
		if named || t.AssigneeKind == store.AssignGroup {
			out = append(out, t)
		}
	}
	return out, nil
}

// applyWithdrawalEffects carries out eff after the consent was withdrawn:
// the tasks go to the coordinator (or end, without one), the coordinator
// is told of the handed-back tasks and of each planned meeting, and each
// member who lost access is told so.
func (a *App) applyWithdrawalEffects(tx *store.Tx, actor *samordna.Actor, g *caseGrant, eff *WithdrawalEffects) error {
	now := a.now()
	for _, t := range eff.Tasks {
		if eff.Coordinator == nil {
			if err := store.CancelTask(tx, t.ID, actor.Employee.ID, now); err != nil {
				return err
			}
			if err := a.auditCase(tx, actor, g, "end_task", "task", t.ID); err != nil {
				return err
			}
			continue
		}
		if err := store.HandTaskTo(tx, t.ID, eff.Coordinator.EmployeeID); err != nil {
			return err
		}
		if err := a.auditCase(tx, actor, g, "hand_back_task", "task", t.ID); err != nil {
			return err
		}
	}
	var losers []string
	for _, e := range eff.LoseAccess {
		losers = append(losers, e.ID)
	}
	if len(losers) > 0 {
		if err := a.notifyDetail(tx, without(losers, actor.Employee.ID), NoticeAccessEnded, g.Case.ID,
			NoticeDetail{Tasks: len(eff.Tasks)}); err != nil {
			return err
		}
		if err := a.caseEvent(tx, actor, g.Case.ID, "members_access_ended", "consent", eff.Consent.ID); err != nil {
			return err
		}
	}
	if eff.Coordinator == nil {
		return nil
	}
	coord := []string{eff.Coordinator.EmployeeID}
	if len(eff.Tasks) > 0 {
		if err := a.notifyDetail(tx, coord, NoticeTasksHandedBack, g.Case.ID, NoticeDetail{Tasks: len(eff.Tasks)}); err != nil {
			return err
		}
	}
	for _, m := range eff.Meetings {
		if err := a.notifyDetail(tx, coord, NoticeMeetingAffected, g.Case.ID, NoticeDetail{MeetingID: m.ID}); err != nil {
			return err
		}
	}
	return nil
}
