package app

import (
	"context"
	"strings"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/store"
)

// This file holds the person's views gathered before a meeting the person
// does not attend (seed 004: "Dersom brukeren ikke selv deltar i møtet, har
// koordinator ansvar for å innhente dennes synspunkter i forkant"). The
// views open the minutes' account of the person's situation, and minutes
// of such a meeting cannot be finalised until they are recorded.

// maxViewsLen bounds the person's views.
const maxViewsLen = 10000

// RecordPersonViews records the views the coordinator gathered from the
// person before a meeting they do not attend, and completes the task of
// gathering them. Recording again replaces them until the minutes are
// finalised. Who may call: the coordinator or the coordinating unit (a
// cooperation meeting: also its organiser). Errors: not_found;
// views_required (400); person_attends (422, the person attends the
// meeting); minutes_finalised (409).
func (a *App) RecordPersonViews(ctx context.Context, actor *samordna.Actor, meetingID, views string) (*MeetingView, error) {
	views = strings.TrimSpace(views)
	var v *MeetingView
	err := a.withMeeting(ctx, actor, meetingID, "record_person_views", true, func(tx *store.Tx, g *caseGrant, m *store.Meeting) error {
		if views == "" || len(views) > maxViewsLen {
			return samordna.Errorf(samordna.KindInvalid, "views_required",
				"write down the person's views (at most %d characters)", maxViewsLen)
		}
		if m.PersonAttendance != store.PersonNone {
			return samordna.Errorf(samordna.KindRule, "person_attends",
				"the person attends this meeting and gives their own account there")
		}
		cur, err := store.MinutesOf(tx, m.ID)
		if err != nil {
			return err
		}
		if cur != nil && cur.Status == store.MinutesFinalised {
			return store.ErrMinutesFinalised
		}
		now := a.now()
		if err := store.SetPersonViews(tx, m.ID, views, actor.Employee.ID, now); err != nil {
			return err
		}
		m.PersonViews, m.PersonViewsBy, m.PersonViewsAt = views, actor.Employee.ID, &now
		if err := a.completeOwnTasks(tx, actor, g.Case, personViewsTitle(m)); err != nil {
			return err
		}
		if err := a.caseEvent(tx, actor, g.Case.ID, "person_views_recorded", "meeting", m.ID); err != nil {
			return err
		}
		if v, err = a.meetingView(tx, actor, g, m); err != nil {
			return err
		}
		return a.auditCase(tx, actor, g, "record_person_views", "meeting", m.ID)
	})
	return v, err
}
