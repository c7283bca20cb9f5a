package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// This file sends finalised minutes to their recipients (seed 004:
// "Koordinator sender ut referat"; the minutes say "Hvem som skal motta
// referatet, evt. hvordan det skal sendes ut"). Members who are employees
// and the coordinating unit read them in the system and are notified
// through the outbox. Every other recipient — the person, guardians, a
// guest — gets a delivery the coordinator carries out and records: how
// (handed over, by post, in the digital mailbox, by secure e-mail) and on
// which day. The minutes themselves stay locked.

// Ways the minutes are sent to a recipient the system does not reach.
var DeliveryMethods = []string{"handed_over", "post", "digital_mailbox", "secure_email"}

// taskSendMinutes is the title of the coordinator's task of sending the
// minutes to the recipients the system does not reach.
const taskSendMinutes = "Send referatet til mottakere utenfor systemet og registrer hvordan det ble sendt"

// sendMinutesDays is the local deadline for sending the minutes (the seed
// gives none: "Lokal frist").
const sendMinutesDays = 7

// sendMinutes notifies the recipients who read the minutes in the system
// and records a pending delivery, with a task for whoever manages the
// meeting, for each of the others.
func (a *App) sendMinutes(tx *store.Tx, actor *samordna.Actor, g *caseGrant, m *store.Meeting, recipients []string,
	att []*store.Attendee) error {
	ids, others := recipientIDs(recipients, att)
	if err := a.notifyDetail(tx, ids, NoticeMinutes, g.Case.ID, NoticeDetail{MeetingID: m.ID}); err != nil {
		return err
	}
	if len(others) == 0 {
		return nil
	}
	now := a.now()
	for _, r := range others {
		if err := store.AddDelivery(tx, &store.Delivery{MeetingID: m.ID, Recipient: r, CreatedAt: now}); err != nil {
			return err
		}
	}
	owner, err := a.meetingOwner(tx, g.Case, m)
	if err != nil {
		return err
	}
	return a.addTask(tx, actor, g.Case, coordTask{Title: sendMinutesTitle(m), EmployeeID: owner,
		Due: now.AddDate(0, 0, sendMinutesDays)})
}

// meetingOwner is who manages the meeting: the coordinator of a group
// meeting, the organiser of a cooperation meeting.
func (a *App) meetingOwner(tx *store.Tx, c *samordna.Case, m *store.Meeting) (string, error) {
	if m.Kind == store.MeetingKindCooperation {
		return m.CreatedBy, nil
	}
	k, err := a.RequireCoordinator(tx, c.ID)
	if err != nil {
		return "", err
	}
	return k.EmployeeID, nil
}

func sendMinutesTitle(m *store.Meeting) string {
	return fmt.Sprintf("%s: møte nr. %d %s", taskSendMinutes, m.Number, m.StartsAt.In(pathway.Oslo()).Format("02.01.2006"))
}

// MinutesSent is the input for MarkMinutesSent.
type MinutesSent struct {
	DeliveryID string
	Method     string // one of DeliveryMethods
	SentOn     string // YYYY-MM-DD, not in the future
}

// MarkMinutesSent records how and when the finalised minutes were sent to
// a recipient the system does not reach; when every recipient has them,
// the task of sending them is done. The minutes do not change. Who may
// call: the coordinator or the coordinating unit (a cooperation meeting:
// also its organiser). Errors: not_found; invalid_delivery, invalid_method,
// invalid_date (400); delivery_already_marked (409).
func (a *App) MarkMinutesSent(ctx context.Context, actor *samordna.Actor, meetingID string, in MinutesSent) (*MeetingView, error) {
	var v *MeetingView
	err := a.withMeeting(ctx, actor, meetingID, "mark_minutes_sent", true, func(tx *store.Tx, g *caseGrant, m *store.Meeting) error {
		if err := a.validateSent(&in); err != nil {
			return err
		}
		ds, err := store.Deliveries(tx, m.ID)
		if err != nil {
			return err
		}
		pending, found := 0, false
		for _, d := range ds {
			found = found || d.ID == in.DeliveryID
			if d.Status == store.DeliveryPending && d.ID != in.DeliveryID {
				pending++
			}
		}
		if !found {
			return samordna.Errorf(samordna.KindInvalid, "invalid_delivery", "the minutes of this meeting have no such recipient")
		}
		if err := store.MarkDelivery(tx, in.DeliveryID, m.ID, in.Method, in.SentOn, actor.Employee.ID, a.now()); err != nil {
			return err
		}
		if pending == 0 {
			if err := a.completeOwnTasks(tx, actor, g.Case, sendMinutesTitle(m)); err != nil {
				return err
			}
		}
		if err := a.caseEvent(tx, actor, g.Case.ID, "minutes_sent", "meeting", m.ID); err != nil {
			return err
		}
		if v, err = a.meetingView(tx, actor, g, m); err != nil {
			return err
		}
		return a.auditCase(tx, actor, g, "mark_minutes_sent", "minutes_delivery", in.DeliveryID)
	})
	return v, err
}

func (a *App) validateSent(in *MinutesSent) error {
	in.DeliveryID, in.Method, in.SentOn = strings.TrimSpace(in.DeliveryID), strings.TrimSpace(in.Method),
		strings.TrimSpace(in.SentOn)
	if in.DeliveryID == "" {
		return samordna.Errorf(samordna.KindInvalid, "invalid_delivery", "name the delivery (delivery_id)")
	}
	ok := false
	for _, x := range DeliveryMethods {
		ok = ok || x == in.Method
	}
	if !ok {
		return samordna.Errorf(samordna.KindInvalid, "invalid_method", "method is one of %s", strings.Join(DeliveryMethods, ", "))
	}
	day, err := time.ParseInLocation(time.DateOnly, in.SentOn, osloLoc())
	if err != nil || day.After(a.now()) || day.Before(a.now().AddDate(-1, 0, 0)) {
		return samordna.Errorf(samordna.KindInvalid, "invalid_date", "sent_on is the day it was sent (YYYY-MM-DD, not in the future)")
	}
	return nil
}
