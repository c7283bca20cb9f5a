package app

import (
	"context"
	"strings"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/access"
	"github.com/samordna/samordna/store"
)

// This file closes and reopens a case (issue 14, point 11). Closing ends
// the follow-up: open tasks end, an open responsibility group is closed,
// planned meetings are cancelled and their attendees told, and from the
// closing the municipality's retention period counts (retention.go). A
// closed case is read-only (closedGuard) until the coordinating unit
// reopens it, which is possible until the sweep purges its content.

// Reasons for closing a case.
const (
	CloseFollowUpEnded = "follow_up_ended" // the coordination's work is done
	CloseMoved         = "moved"           // the person moved out of the municipality
	CloseDeclined      = "declined"        // the person declined further help
	CloseDied          = "died"            // the person died
	CloseOther         = "other"           // another reason, told in the note
)

// CloseReasons are the reason codes, in the order a form offers them.
var CloseReasons = []string{CloseFollowUpEnded, CloseMoved, CloseDeclined, CloseDied, CloseOther}

// Notification kinds of closing and reopening a case.
const (
	NoticeCaseClosed       = "case_closed"       // the case was closed (to the coordinator and group members)
	NoticeCaseReopened     = "case_reopened"     // the case was reopened (to the coordinator)
	NoticeMeetingCancelled = "meeting_cancelled" // a planned meeting was cancelled with the case (to its attendees)
)

// ClosePreview is what closing the case would do, shown on the review
// step before the confirm.
type ClosePreview struct {
	Case            *samordna.Case
	OpenTasks       int  // open tasks that end
	GroupOpen       bool // the open responsibility group is closed
	PlannedMeetings int  // planned meetings that are cancelled, their attendees told
	// RetentionMonths is the municipality's retention period (0: none is
	// set, nothing is deleted); PurgeAfter when the content would be
	// deleted if the case closed now (nil without a period).
	RetentionMonths int
	PurgeAfter      *time.Time
}

// PreviewClose returns what closing the case would do. One audit row. Who
// may call: whoever may close the case (access.Close). Errors: not_found,
// case_closed (409).
func (a *App) PreviewClose(ctx context.Context, actor *samordna.Actor, caseID string) (*ClosePreview, error) {
	var p *ClosePreview
	err := a.readCase(ctx, actor, caseID, access.Close, "preview_close_case", func(tx *store.Tx, g *caseGrant) (samordna.AuditEvent, error) {
		if err := closedGuard(g, access.Close); err != nil {
			return samordna.AuditEvent{}, err
		}
		var err error
		p, err = a.closePreview(tx, g.Case)
		return caseEvent(g, "preview_close_case", "case", g.Case.ID), err
	})
	return p, err
}

func (a *App) closePreview(tx *store.Tx, c *samordna.Case) (*ClosePreview, error) {
	p := &ClosePreview{Case: c}
	var err error
	if p.OpenTasks, err = store.OpenTasksOfCase(tx, c.ID); err != nil {
		return nil, err
	}
	grp, err := store.OpenGroupOfCase(tx, c.ID)
	if err != nil {
		return nil, err
	}
	p.GroupOpen = grp != nil
	planned, err := plannedMeetings(tx, c.ID)
	if err != nil {
		return nil, err
	}
	p.PlannedMeetings = len(planned)
	r, err := store.MunicipalityRetention(tx, c.MunicipalityID)
	if err != nil {
		return nil, err
	}
	if p.RetentionMonths = r.Months; r.Months > 0 {
		t := a.now().AddDate(0, r.Months, 0)
		p.PurgeAfter = &t
	}
	return p, nil
}

// plannedMeetings returns the case's planned meetings (of the group and
// cooperation meetings).
func plannedMeetings(tx *store.Tx, caseID string) ([]*store.Meeting, error) {
	all, err := store.MeetingsOfCase(tx, caseID)
	if err != nil {
		return nil, err
	}
	var out []*store.Meeting
	for _, m := range all {
		if m.Status == store.MeetingPlanned {
			out = append(out, m)
		}
	}
	return out, nil
}

// checkCloseInput validates a closing's reason code and note: the reason
// from CloseReasons, the note at most 2000 characters and required for
// "other" (someone reading the case later must see why).
func checkCloseInput(reason, note string) error {
	if err := samordna.CheckText("reason", samordna.TextCode, 0, reason); err != nil {
		return err
	}
	if err := samordna.CheckText("note", samordna.TextShort, 0, note); err != nil {
		return err
	}
	known := false
	for _, r := range CloseReasons {
		known = known || r == reason
	}
	if !known {
		return samordna.Errorf(samordna.KindInvalid, "invalid_reason",
			"reason must be one of %s", strings.Join(CloseReasons, ", "))
	}
	if reason == CloseOther && note == "" {
		return samordna.Errorf(samordna.KindInvalid, "close_note_required", "say why the case is closed")
	}
	return nil
}

// CloseCase closes the case with a reason code and an optional note: open
// tasks are cancelled, the open responsibility group is closed, planned
// meetings are cancelled and their attendees told, and the coordinator and
// the group's members are told the case is closed. From closed_at the
// municipality's retention period counts. Audited (close_case) with a
// timeline event. Who may call: see access.Close (the coordinator, the
// coordinating unit, or the discoverer of a case nobody took over).
// Errors: not_found; invalid_reason, close_note_required and text errors (400);
// case_closed (409).
func (a *App) CloseCase(ctx context.Context, actor *samordna.Actor, caseID, reason, note string) (*samordna.Case, error) {
	reason, note = strings.TrimSpace(reason), strings.TrimSpace(note)
	var out *samordna.Case
	err := a.withCase(ctx, actor, caseID, access.Close, "close_case", func(tx *store.Tx, g *caseGrant) error {
		if err := checkCloseInput(reason, note); err != nil {
			return err
		}
		now := a.now()
		told, err := a.endFollowUp(tx, actor, g, reason)
		if err != nil {
			return err
		}
		if ok, err := store.CloseCase(tx, g.Case.ID, now); err != nil || !ok {
			if err == nil {
				err = errCaseClosed
			}
			return err
		}
		if err := store.AddClosing(tx, &store.Closing{ID: samordna.NewID(), CaseID: g.Case.ID, Kind: store.ClosingClose,
			Reason: reason, Note: note, ByID: actor.Employee.ID, At: now}); err != nil {
			return err
		}
		if err := a.caseEvent(tx, actor, g.Case.ID, "case_closed", "case", g.Case.ID); err != nil {
			return err
		}
		if err := a.notify(tx, without(told, actor.Employee.ID), NoticeCaseClosed, g.Case.ID, "", ""); err != nil {
			return err
		}
		if out, err = store.CaseByID(tx, g.Case.ID); err != nil {
			return err
		}
		return a.auditCase(tx, actor, g, "close_case", "case", g.Case.ID)
	})
	return out, err
}

// endFollowUp does what closing ends: planned meetings cancelled (their
// employee attendees told), the open group closed, open tasks cancelled.
// It returns whom to tell the case is closed: the coordinator and the
// group's employee members.
func (a *App) endFollowUp(tx *store.Tx, actor *samordna.Actor, g *caseGrant, reason string) ([]string, error) {
	now := a.now()
	planned, err := plannedMeetings(tx, g.Case.ID)
	if err != nil {
		return nil, err
	}
	for _, m := range planned {
		if err := store.SetMeetingStatus(tx, m.ID, store.MeetingCancelled, now); err != nil {
			return nil, err
		}
		if err := a.caseEvent(tx, actor, g.Case.ID, "meeting_cancelled", "meeting", m.ID); err != nil {
			return nil, err
		}
		att, err := store.Attendees(tx, m.ID)
		if err != nil {
			return nil, err
		}
		if err := a.notify(tx, without(employeeIDs(att), actor.Employee.ID), NoticeMeetingCancelled, g.Case.ID, "", ""); err != nil {
			return nil, err
		}
	}
	var told []string
	if k, err := store.CurrentAssignment(tx, g.Case.ID); err != nil {
		return nil, err
	} else if k != nil {
		told = append(told, k.EmployeeID)
	}
	grp, err := store.OpenGroupOfCase(tx, g.Case.ID)
	if err != nil {
		return nil, err
	}
	if grp != nil {
		members, err := store.Members(tx, grp.ID)
		if err != nil {
			return nil, err
		}
		for _, m := range members {
			told = append(told, m.EmployeeID)
		}
		if _, err := a.closeGroup(tx, actor, g, "case_closed: "+reason); err != nil {
			return nil, err
		}
	}
	tasks, err := store.TasksOfCase(tx, g.Case.ID)
	if err != nil {
		return nil, err
	}
	for _, t := range tasks {
		if t.Status == store.TaskOpen {
			if err := store.CancelTask(tx, t.ID, actor.Employee.ID, now); err != nil {
				return nil, err
			}
		}
	}
	return told, nil
}

// without returns ids without id (the actor is not told of their own act).
func without(ids []string, id string) []string {
	var out []string
	for _, x := range ids {
		if x != id {
			out = append(out, x)
		}
	}
	return out
}

// ReopenCase opens a closed case again, with a note saying why; the
// retention period stops counting. It is possible only within the
// retention period: once the period has passed the content is due for
// deletion (or deleted), and a case whose content was purged can never be
// reopened. Audited (reopen_case) with a timeline event; the coordinator
// is told. Who may call: see access.Reopen (the coordinating unit, or the
// discoverer of a case nobody took over). Errors: not_found; reopen_note_required
// and text errors (400); case_not_closed, retention_passed (409).
func (a *App) ReopenCase(ctx context.Context, actor *samordna.Actor, caseID, note string) (*samordna.Case, error) {
	note = strings.TrimSpace(note)
	var out *samordna.Case
	err := a.withCase(ctx, actor, caseID, access.Reopen, "reopen_case", func(tx *store.Tx, g *caseGrant) error {
		if err := samordna.CheckText("note", samordna.TextShort, 0, note); err != nil {
			return err
		}
		if note == "" {
			return samordna.Errorf(samordna.KindInvalid, "reopen_note_required", "say why the case is reopened")
		}
		now := a.now()
		if g.Case.Status != samordna.CaseClosed {
			return samordna.Errorf(samordna.KindConflict, "case_not_closed", "the case is not closed")
		}
		if err := a.withinRetention(tx, g.Case); err != nil {
			return err
		}
		if ok, err := store.ReopenCase(tx, g.Case.ID, now); err != nil || !ok {
			if err == nil {
				err = errRetentionPassed
			}
			return err
		}
		if err := store.AddClosing(tx, &store.Closing{ID: samordna.NewID(), CaseID: g.Case.ID, Kind: store.ClosingReopen,
			Note: note, ByID: actor.Employee.ID, At: now}); err != nil {
			return err
		}
		if err := a.caseEvent(tx, actor, g.Case.ID, "case_reopened", "case", g.Case.ID); err != nil {
			return err
		}
		if k, err := store.CurrentAssignment(tx, g.Case.ID); err != nil {
			return err
		} else if k != nil {
			if err := a.notify(tx, without([]string{k.EmployeeID}, actor.Employee.ID), NoticeCaseReopened, g.Case.ID, "", ""); err != nil {
				return err
			}
		}
		var err error
		if out, err = store.CaseByID(tx, g.Case.ID); err != nil {
			return err
		}
		return a.auditCase(tx, actor, g, "reopen_case", "case", g.Case.ID)
	})
	return out, err
}

var errRetentionPassed = samordna.Errorf(samordna.KindConflict, "retention_passed",
	"the retention period has passed: the case's content is deleted or due for deletion and it can no longer be reopened")

// withinRetention refuses reopening a case that was purged or whose
// retention period has passed (the sweep is about to purge it).
func (a *App) withinRetention(tx *store.Tx, c *samordna.Case) error {
	at, err := store.CasePurgedAt(tx, c.ID)
	if err != nil {
		return err
	}
	if at != nil {
		return errRetentionPassed
	}
	r, err := store.MunicipalityRetention(tx, c.MunicipalityID)
	if err != nil {
		return err
	}
	if r.Months > 0 && c.ClosedAt != nil && c.ClosedAt.Before(retentionCutoff(a.now(), r.Months)) {
		return errRetentionPassed
	}
	return nil
}

// ReopenPreview is what the reopen page shows: the case, its latest
// closing and when its content is due for deletion (nil without a
// retention period).
type ReopenPreview struct {
	Case       *samordna.Case
	Reason     string // the closing's reason code
	Note       string // the closing's note
	PurgeAfter *time.Time
}

// PreviewReopen returns the closed case's closing for the reopen page. One
// audit row. Who may call: see access.Reopen. Errors: not_found;
// case_not_closed, retention_passed (409).
func (a *App) PreviewReopen(ctx context.Context, actor *samordna.Actor, caseID string) (*ReopenPreview, error) {
	var p *ReopenPreview
	err := a.readCase(ctx, actor, caseID, access.Reopen, "preview_reopen_case", func(tx *store.Tx, g *caseGrant) (samordna.AuditEvent, error) {
		ev := caseEvent(g, "preview_reopen_case", "case", g.Case.ID)
		if g.Case.Status != samordna.CaseClosed {
			return ev, samordna.Errorf(samordna.KindConflict, "case_not_closed", "the case is not closed")
		}
		if err := a.withinRetention(tx, g.Case); err != nil {
			return ev, err
		}
		p = &ReopenPreview{Case: g.Case}
		last, err := store.LastClosing(tx, g.Case.ID)
		if err != nil {
			return ev, err
		}
		if last != nil && last.Kind == store.ClosingClose {
			p.Reason, p.Note = last.Reason, last.Note
		}
		r, err := store.MunicipalityRetention(tx, g.Case.MunicipalityID)
		if err != nil {
			return ev, err
		}
		if r.Months > 0 && g.Case.ClosedAt != nil {
			t := g.Case.ClosedAt.AddDate(0, r.Months, 0)
			p.PurgeAfter = &t
		}
		return ev, nil
	})
	return p, err
}
