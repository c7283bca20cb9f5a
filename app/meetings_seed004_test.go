package app_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// This file checks meetings as seed 004 (Salangen) describes them: each
// test names the passage it proves.

// audits counts the case's allowed audit rows of the action.
func (w *coordWorld) audits(caseID, action string) int {
	w.t.Helper()
	var n int
	w.must(w.db.Read(context.Background(), func(tx *store.Tx) error {
		return tx.QueryRow(`SELECT COUNT(*) FROM audit_events WHERE case_id = $1 AND action = $2 AND outcome = 'allowed'`,
			caseID, action).Scan(&n)
	}))
	return n
}

// unreadKinds lists the kinds of the employee's unread notifications.
func (w *coordWorld) unreadKinds(username string) string {
	w.t.Helper()
	notes, err := w.app.Notifications(context.Background(), w.as(username), true)
	w.must(err)
	var kinds []string
	for _, n := range notes {
		kinds = append(kinds, n.Kind)
	}
	return strings.Join(kinds, ",")
}

// Seed 004, Etablering: "Tjenesteytere som ikke sitter i ansvarsgruppen
// kan innkalles dersom det er saker det er ønskelig at de deltar på"
// (FIDELITY 4.15). A provider who is not a member is invited to one
// meeting for a matter: listed with the matter, optional in the calendar,
// invited by the outbox, and given no access to the case.
func TestGuestsCalledInForOneMatter(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newCoordWorld(t, db)
		ctx := context.Background()
		caseID := w.groupCase()
		at := w.clock.Now().AddDate(0, 0, 20)
		in := app.NewMeeting{StartsAt: at, Place: "Rådhuset", Guests: []app.NewGuest{{Username: "anne", Matter: "Skolestart"}}}
		_, err := w.app.PlanMeeting(ctx, w.as("ingrid"), caseID, in)
		coordWantCode(t, err, "invalid_guest") // anne is a member already
		in.Guests = []app.NewGuest{{Username: "per"}}
		_, err = w.app.PlanMeeting(ctx, w.as("ingrid"), caseID, in)
		coordWantCode(t, err, "invalid_guest") // no matter
		in.Guests = []app.NewGuest{{Username: "nobody", Matter: "Skolestart"}}
		_, err = w.app.PlanMeeting(ctx, w.as("ingrid"), caseID, in)
		coordWantCode(t, err, "unknown_employee")

		in.Guests = []app.NewGuest{{Username: "per", Matter: "Avlastning i helgene"}}
		v, err := w.app.PlanMeeting(ctx, w.as("ingrid"), caseID, in)
		w.must(err)
		var guest *store.Attendee
		for _, a := range v.Attendees {
			if a.Role == "guest" {
				guest = a
			}
		}
		if guest == nil || guest.Name != "Per Strand" || guest.Matter != "Avlastning i helgene" || guest.Part != "matter" {
			t.Fatalf("the guest is not invited for the matter: %+v", v.Attendees)
		}
		ics, err := w.app.MeetingInvite(ctx, w.as("ingrid"), v.Meeting.ID)
		w.must(err)
		if !strings.Contains(string(ics), "ATTENDEE;CN=Per Strand;ROLE=OPT-PARTICIPANT") {
			t.Errorf("the guest is not an optional attendee:\n%s", ics)
		}
		w.must(w.app.SendInvitation(ctx, w.as("ingrid"), v.Meeting.ID))
		if !strings.Contains(w.unreadKinds("per"), app.NoticeMeetingInvitation) {
			t.Errorf("the guest got no invitation: %q", w.unreadKinds("per"))
		}
		// The guest is called in for a matter, not made a member: the
		// consent covers the group's members only.
		if _, err := w.app.GetMeeting(ctx, w.as("per"), v.Meeting.ID); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("the guest reads the meeting: %v", err)
		}
		if n := w.audits(caseID, "plan_meeting"); n != 1 {
			t.Errorf("plan_meeting audit rows = %d, want 1 (refused attempts change nothing)", n)
		}
	})
}

// Seed 004, Etablering: "Det vurderes i hvert enkelt tilfelle om brukeren
// skal være til stede i hele eller deler av møtene i ansvarsgruppa. Dersom
// brukeren ikke selv deltar i møtet, har koordinator ansvar for å innhente
// dennes synspunkter i forkant" (FIDELITY 4.17, 4.18).
func TestPersonAttendsAllPartOrNoneAndViewsGatheredBeforehand(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newCoordWorld(t, db)
		ctx := context.Background()
		caseID := w.groupCase()
		at := w.clock.Now().AddDate(0, 0, 20)
		_, err := w.app.PlanMeeting(ctx, w.as("ingrid"), caseID, app.NewMeeting{StartsAt: at, Place: "Skolen",
			PersonAttendance: "part"})
		coordWantCode(t, err, "person_part_required")
		_, err = w.app.PlanMeeting(ctx, w.as("ingrid"), caseID, app.NewMeeting{StartsAt: at, Place: "Skolen",
			PersonAttendance: "sometimes"})
		coordWantCode(t, err, "invalid_person_attendance")

		// Part of the meeting: Åse is invited for the part agreed.
		v, err := w.app.PlanMeeting(ctx, w.as("ingrid"), caseID, app.NewMeeting{StartsAt: at, Place: "Skolen",
			PersonAttendance: "part", PersonPart: "Sak 1 og 2, ikke gjennomgangen av tiltakene"})
		w.must(err)
		if v.Meeting.PersonAttendance != "part" || v.Meeting.PersonPart != "Sak 1 og 2, ikke gjennomgangen av tiltakene" {
			t.Errorf("meeting = %+v", v.Meeting)
		}
		for _, a := range v.Attendees {
			if a.Name == "Åse Ødegård" && a.Part != "part" {
				t.Errorf("Åse attends %q, want part", a.Part)
			}
		}
		_, err = w.app.RecordPersonViews(ctx, w.as("ingrid"), v.Meeting.ID, "Vil ha mer fri")
		coordWantCode(t, err, "person_attends")
		w.must(w.app.CancelMeeting(ctx, w.as("ingrid"), v.Meeting.ID))

		// Not at all: Åse is not invited, the coordinator must gather her
		// views before the meeting, and the minutes cannot be finalised
		// without them.
		v, err = w.app.PlanMeeting(ctx, w.as("ingrid"), caseID, app.NewMeeting{StartsAt: at, Place: "Skolen",
			PersonAttendance: "none", Agenda: []string{"Skolen"}})
		w.must(err)
		for _, a := range v.Attendees {
			if a.Name == "Åse Ødegård" {
				t.Errorf("Åse is invited to a meeting she does not attend: %+v", a)
			}
		}
		meetingID := v.Meeting.ID
		if !strings.Contains(w.openTaskTitles(caseID), "Innhent brukerens synspunkter før møtet") {
			t.Fatalf("no task to gather the views:\n%s", w.openTaskTitles(caseID))
		}
		w.clock.Advance(20*24*time.Hour + time.Hour)
		v, err = w.app.GetMeeting(ctx, w.as("ingrid"), meetingID)
		w.must(err)
		full := fullMinutes(v, w.clock.Now().AddDate(0, 5, 0))
		_, err = w.app.SaveMinutes(ctx, w.as("ingrid"), meetingID, full)
		w.must(err)
		_, err = w.app.FinaliseMinutes(ctx, w.as("ingrid"), meetingID)
		var inc *app.MinutesIncomplete
		if !errors.As(err, &inc) || strings.Join(inc.Missing, ",") != app.PartPersonViews {
			t.Fatalf("minutes without the person's views: %v", err)
		}
		// Only the coordinator (or the unit) records them; views are required.
		if _, err := w.app.RecordPersonViews(ctx, w.as("anne"), meetingID, "x"); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("a member recorded the views: %v", err)
		}
		_, err = w.app.RecordPersonViews(ctx, w.as("ingrid"), meetingID, "  ")
		coordWantCode(t, err, "views_required")
		v, err = w.app.RecordPersonViews(ctx, w.as("ingrid"), meetingID, "Åse ønsker å begynne på fotball.")
		w.must(err)
		if v.Meeting.PersonViews != "Åse ønsker å begynne på fotball." || v.Meeting.PersonViewsAt == nil {
			t.Errorf("views = %q at %v", v.Meeting.PersonViews, v.Meeting.PersonViewsAt)
		}
		if strings.Contains(w.openTaskTitles(caseID), "Innhent brukerens synspunkter") {
			t.Error("recording the views leaves the task open")
		}
		if n := w.audits(caseID, "record_person_views"); n != 1 {
			t.Errorf("record_person_views audit rows = %d", n)
		}
		_, err = w.app.FinaliseMinutes(ctx, w.as("ingrid"), meetingID)
		w.must(err)
		_, err = w.app.RecordPersonViews(ctx, w.as("ingrid"), meetingID, "Endret")
		coordWantCode(t, err, "minutes_finalised")
	})
}

// An unsaved draft opens the person's account with the views gathered.
func TestMinutesTemplateStartsFromTheViews(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newCoordWorld(t, db)
		ctx := context.Background()
		caseID := w.groupCase()
		v, err := w.app.PlanMeeting(ctx, w.as("ingrid"), caseID, app.NewMeeting{StartsAt: w.clock.Now().AddDate(0, 0, 20),
			Place: "Skolen", PersonAttendance: "none"})
		w.must(err)
		v, err = w.app.RecordPersonViews(ctx, w.as("ingrid"), v.Meeting.ID, "Vil være med i speideren.")
		w.must(err)
		if v.Minutes.PersonAccount != app.PersonViewsPrefix+"Vil være med i speideren." {
			t.Errorf("the template's account = %q", v.Minutes.PersonAccount)
		}
	})
}

// Seed 004, Sjekkliste, etter møtet: "Koordinator sender ut referat", and
// the minutes say "Hvem som skal motta referatet, evt. hvordan det skal
// sendes ut" (FIDELITY 4.80). Recipients the system does not reach get a
// delivery the coordinator records (how and when); the minutes stay locked.
func TestMinutesSentToRecipientsOutsideTheSystem(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newCoordWorld(t, db)
		ctx := context.Background()
		caseID := w.groupCase()
		v, err := w.app.PlanMeeting(ctx, w.as("ingrid"), caseID, app.NewMeeting{StartsAt: w.clock.Now().AddDate(0, 0, 20),
			Place: "Rådhuset"})
		w.must(err)
		meetingID := v.Meeting.ID
		w.clock.Advance(20*24*time.Hour + time.Hour)
		v, err = w.app.GetMeeting(ctx, w.as("ingrid"), meetingID)
		w.must(err)
		full := fullMinutes(v, w.clock.Now().AddDate(0, 5, 0))
		full.Recipients = []string{"Anne Lunde", "Åse Ødegård", "Mor og far"}
		_, err = w.app.SaveMinutes(ctx, w.as("ingrid"), meetingID, full)
		w.must(err)
		v, err = w.app.FinaliseMinutes(ctx, w.as("ingrid"), meetingID)
		w.must(err)
		hash := v.MinutesHash
		// Anne reads them in the system; Åse and her parents are sent them.
		if !strings.Contains(w.unreadKinds("anne"), app.NoticeMinutes) {
			t.Errorf("anne was not notified: %q", w.unreadKinds("anne"))
		}
		if len(v.Deliveries) != 2 || v.Deliveries[0].Recipient != "Åse Ødegård" || v.Deliveries[1].Recipient != "Mor og far" ||
			v.Deliveries[0].Status != store.DeliveryPending {
			t.Fatalf("deliveries = %+v", v.Deliveries)
		}
		if !strings.Contains(w.openTaskTitles(caseID), "Send referatet til mottakere utenfor systemet") {
			t.Fatalf("no task to send the minutes:\n%s", w.openTaskTitles(caseID))
		}
		today := w.clock.Now().Format(time.DateOnly)
		first := app.MinutesSent{DeliveryID: v.Deliveries[0].ID, Method: "handed_over", SentOn: today}
		bad := first
		bad.Method = "pigeon"
		_, err = w.app.MarkMinutesSent(ctx, w.as("ingrid"), meetingID, bad)
		coordWantCode(t, err, "invalid_method")
		bad = first
		bad.SentOn = w.clock.Now().AddDate(0, 0, 2).Format(time.DateOnly)
		_, err = w.app.MarkMinutesSent(ctx, w.as("ingrid"), meetingID, bad)
		coordWantCode(t, err, "invalid_date")
		bad = first
		bad.DeliveryID = "nosuch"
		_, err = w.app.MarkMinutesSent(ctx, w.as("ingrid"), meetingID, bad)
		coordWantCode(t, err, "invalid_delivery")
		if _, err := w.app.MarkMinutesSent(ctx, w.as("anne"), meetingID, first); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("a member marked the minutes sent: %v", err)
		}
		v, err = w.app.MarkMinutesSent(ctx, w.as("ingrid"), meetingID, first)
		w.must(err)
		if d := v.Deliveries[0]; d.Status != store.DeliverySent || d.Method != "handed_over" || d.SentOn != today {
			t.Errorf("delivery = %+v", d)
		}
		_, err = w.app.MarkMinutesSent(ctx, w.as("ingrid"), meetingID, first)
		coordWantCode(t, err, "delivery_already_marked")
		if !strings.Contains(w.openTaskTitles(caseID), "Send referatet") {
			t.Error("the task closed while the parents still wait for the minutes")
		}
		_, err = w.app.MarkMinutesSent(ctx, w.as("ingrid"), meetingID,
			app.MinutesSent{DeliveryID: v.Deliveries[1].ID, Method: "post", SentOn: today})
		w.must(err)
		if strings.Contains(w.openTaskTitles(caseID), "Send referatet") {
			t.Error("the task stays open when every recipient has the minutes")
		}
		if n := w.audits(caseID, "mark_minutes_sent"); n != 2 {
			t.Errorf("mark_minutes_sent audit rows = %d, want 2", n)
		}
		// The minutes stay locked and unchanged.
		v, err = w.app.GetMeeting(ctx, w.as("ingrid"), meetingID)
		w.must(err)
		if v.MinutesHash != hash {
			t.Error("recording the sending changed the minutes")
		}
		_, err = w.app.SaveMinutes(ctx, w.as("ingrid"), meetingID, full)
		coordWantCode(t, err, "minutes_finalised")
	})
}

// Seed 004, Sjekkliste, i møtet: "Gå gjennom saksliste. Ved mange saker
// under eventuelt, gjøres en prioritering i forhold til tidsramme"
// (FIDELITY 4.73).
func TestPrioritise(t *testing.T) {
	got := app.Prioritise([]store.OtherMatter{{Text: "a", Minutes: 10}, {Text: "b", Minutes: 5}, {Text: "c", Minutes: 3},
		{Text: "d", Minutes: 1}}, 15)
	var fits []string
	for _, x := range got {
		if x.Fits {
			fits = append(fits, x.Text)
		}
	}
	if strings.Join(fits, "") != "ab" {
		t.Errorf("fits %v, want a and b (15 minutes)", fits)
	}
	got = app.Prioritise([]store.OtherMatter{{Text: "long", Minutes: 20}, {Text: "short", Minutes: 5}}, 15)
	if got[0].Fits || !got[1].Fits {
		t.Errorf("a later, shorter matter should fit when a long one does not: %+v", got)
	}
}

// The "eventuelt" matters that fit go into the minutes; those that do not
// go on the next meeting's agenda (FIDELITY 4.73).
func TestOtherBusinessWithinTheTimeFrame(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newCoordWorld(t, db)
		ctx := context.Background()
		caseID := w.groupCase()
		at := w.clock.Now().AddDate(0, 0, 20)
		_, err := w.app.PlanMeeting(ctx, w.as("ingrid"), caseID, app.NewMeeting{StartsAt: at, Place: "Skolen",
			OtherBusiness: []store.OtherMatter{{Text: "Ferie", Minutes: 0}}})
		coordWantCode(t, err, "invalid_other_business")
		_, err = w.app.PlanMeeting(ctx, w.as("ingrid"), caseID, app.NewMeeting{StartsAt: at, Place: "Skolen",
			OtherBusinessMinutes: 200})
		coordWantCode(t, err, "invalid_other_business")

		v, err := w.app.PlanMeeting(ctx, w.as("ingrid"), caseID, app.NewMeeting{StartsAt: at, Place: "Skolen",
			OtherBusiness: []store.OtherMatter{{Text: "Skyss", Minutes: 10}, {Text: "Ferie", Minutes: 10},
				{Text: "Bursdag", Minutes: 5}}})
		w.must(err)
		if v.Meeting.OtherMinutes != app.DefaultOtherBusinessMinutes || len(v.OtherBusiness) != 3 ||
			!v.OtherBusiness[0].Fits || v.OtherBusiness[1].Fits || !v.OtherBusiness[2].Fits {
			t.Fatalf("prioritised = %+v (%d minutes)", v.OtherBusiness, v.Meeting.OtherMinutes)
		}
		w.clock.Advance(20*24*time.Hour + time.Hour)
		v, err = w.app.GetMeeting(ctx, w.as("ingrid"), v.Meeting.ID)
		w.must(err)
		var items []string
		for _, it := range v.Minutes.Items {
			items = append(items, it.Item)
		}
		if got := strings.Join(items, "|"); !strings.HasSuffix(got, "|Eventuelt: Skyss|Eventuelt: Bursdag") {
			t.Errorf("minutes items = %s", got)
		}
		full := fullMinutes(v, w.clock.Now().AddDate(0, 5, 0))
		_, err = w.app.SaveMinutes(ctx, w.as("ingrid"), v.Meeting.ID, full)
		w.must(err)
		_, err = w.app.FinaliseMinutes(ctx, w.as("ingrid"), v.Meeting.ID)
		w.must(err)
		gv, err := w.app.GetGroup(ctx, w.as("ingrid"), caseID)
		w.must(err)
		next := gv.Meetings[len(gv.Meetings)-1]
		if got := strings.Join(next.Agenda, "|"); got != "Overgang til ungdomsskolen|Utsatt fra eventuelt i møte nr. 1: Ferie" {
			t.Errorf("next meeting's agenda = %s", got)
		}
	})
}

// Seed 004: "Det kan også være behov for å samarbeide i saker der det ikke
// foreligger rett til koordinator / barnekoordinator / ansvarsgruppe. I
// slike saker kan det avholdes samarbeidsmøter eller arbeidsgruppemøter"
// (FIDELITY 4.28; seed 000's "ansvarsgruppe eller annet samarbeidsforum",
// 0.35). A case with no coordinator and no group gets a cooperation
// meeting from the teacher who registered it, with minutes.
func TestCooperationMeetingWithoutGroup(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newCoordWorld(t, db)
		ctx := context.Background()
		caseID := w.newCase(w.child)
		in := app.NewMeeting{StartsAt: w.clock.Now().AddDate(0, 0, 3), Place: "Nordby skole", Agenda: []string{"Trivsel"},
			PersonAttendance: "none"}
		who := []app.NewGroupMember{{Username: "anne"}, {Name: "Eva Ødegård", Relation: "guardian"}}
		if _, err := w.app.PlanCooperationMeeting(ctx, w.as("per"), caseID, in, who); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("an outsider called a cooperation meeting: %v", err)
		}
		_, err := w.app.PlanCooperationMeeting(ctx, w.as("ola"), caseID, in, who)
		coordWantCode(t, err, "consent_required")
		_, err = w.app.RecordConsent(ctx, w.as("ola"), caseID, app.NewConsent{GivenBy: "Eva Ødegård",
			GivenByRelation: "guardian", Purposes: []samordna.ConsentPurpose{samordna.PurposeShareWithMembers}})
		w.must(err)
		_, err = w.app.PlanCooperationMeeting(ctx, w.as("ola"), caseID, in, nil)
		coordWantCode(t, err, "participants_required")
		_, err = w.app.PlanCooperationMeeting(ctx, w.as("ola"), caseID, app.NewMeeting{StartsAt: in.StartsAt,
			Place: "Skolen", Guests: []app.NewGuest{{Username: "anne", Matter: "x"}}}, who)
		coordWantCode(t, err, "invalid_guest")

		// Three days ahead: the group's 14-day notice does not apply.
		v, err := w.app.PlanCooperationMeeting(ctx, w.as("ola"), caseID, in, who)
		w.must(err)
		m := v.Meeting
		if m.Kind != store.MeetingKindCooperation || m.GroupID != "" || m.Number != 1 || !v.CanManage {
			t.Fatalf("cooperation meeting = %+v", m)
		}
		var names []string
		for _, a := range v.Attendees {
			names = append(names, a.Name+"/"+a.Role)
		}
		if got := strings.Join(names, ","); got != "Anne Lunde/participant,Eva Ødegård/participant,Ola Brekke/participant" {
			t.Errorf("participants = %s", got)
		}
		if n := w.audits(caseID, "plan_cooperation_meeting"); n != 1 {
			t.Errorf("plan_cooperation_meeting audit rows = %d", n)
		}
		gv, err := w.app.GetGroup(ctx, w.as("ola"), caseID)
		w.must(err)
		if gv.Group != nil || len(gv.Cooperation) != 1 {
			t.Errorf("group %v, cooperation meetings %d", gv.Group, len(gv.Cooperation))
		}
		// The organiser gathers the views of the child who does not attend.
		if !strings.Contains(w.openTaskTitles(caseID), "Innhent brukerens synspunkter") {
			t.Errorf("no task for the organiser to gather the views:\n%s", w.openTaskTitles(caseID))
		}
		_, err = w.app.RecordPersonViews(ctx, w.as("ola"), m.ID, "Åse sier hun gruer seg til friminuttene.")
		w.must(err)
		// A participant gets the invitation, not the case.
		w.must(w.app.SendInvitation(ctx, w.as("ola"), m.ID))
		if !strings.Contains(w.unreadKinds("anne"), app.NoticeMeetingInvitation) {
			t.Errorf("anne was not invited: %q", w.unreadKinds("anne"))
		}
		if _, err := w.app.GetMeeting(ctx, w.as("anne"), m.ID); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("a participant reads the case's meeting: %v", err)
		}
		// Minutes by the organiser; no next meeting needed; a measure for
		// anne becomes her task; the mother is sent the minutes.
		w.clock.Advance(3*24*time.Hour + time.Hour)
		v, err = w.app.GetMeeting(ctx, w.as("ola"), m.ID)
		w.must(err)
		mins := *v.Minutes
		yes := true
		for i := range mins.Attendance {
			mins.Attendance[i].Present = &yes
		}
		mins.Items[0].Notes = "Drøftet trivsel i friminuttene."
		mins.NewMeasures = []app.NewMeasure{{Text: "Observere friminutt", Responsible: "anne", Due: "2026-04-01"}}
		mins.Conclusions = "Skolen og PPT følger opp."
		mins.Recipients = []string{"Eva Ødegård"}
		_, err = w.app.SaveMinutes(ctx, w.as("ola"), m.ID, mins)
		w.must(err)
		v, err = w.app.FinaliseMinutes(ctx, w.as("ola"), m.ID)
		w.must(err)
		if !v.MinutesFinal || len(v.Deliveries) != 1 || v.Deliveries[0].Recipient != "Eva Ødegård" {
			t.Fatalf("finalised %v, deliveries %+v", v.MinutesFinal, v.Deliveries)
		}
		var anneTask bool
		w.must(db.Read(ctx, func(tx *store.Tx) error {
			ts, err := store.TasksOfCase(tx, caseID)
			for _, x := range ts {
				anneTask = anneTask || (x.Title == "Tiltak fra samarbeidsmøte: Observere friminutt" &&
					x.EmployeeID == w.as("anne").Employee.ID)
			}
			return err
		}))
		if !anneTask {
			t.Errorf("the measure is not anne's task:\n%s", w.openTaskTitles(caseID))
		}
		_, err = w.app.MarkMinutesSent(ctx, w.as("ola"), m.ID, app.MinutesSent{DeliveryID: v.Deliveries[0].ID,
			Method: "handed_over", SentOn: w.clock.Now().Format(time.DateOnly)})
		w.must(err)
		pdf, err := w.app.MinutesPDF(ctx, w.as("ola"), m.ID)
		w.must(err)
		checkPDFText(t, pdf, "Referat fra samarbeidsmøte", "Drøftet trivsel i friminuttene.")
	})
}

// Seed 004, Koordinatorens arbeidsoppgaver: "vurdere behov for
// samarbeidsmøter i forkant av ansvarsgruppemøter" (FIDELITY 4.37). The
// coordinator of a group calls one before the group's meeting; an
// anonymous case's cooperation meeting names no one.
func TestCooperationMeetingBeforeGroupMeeting(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newCoordWorld(t, db)
		ctx := context.Background()
		caseID := w.groupCase()
		v, err := w.app.PlanCooperationMeeting(ctx, w.as("ingrid"), caseID, app.NewMeeting{
			StartsAt: w.clock.Now().AddDate(0, 0, 7), Place: "Helsestasjonen", Agenda: []string{"Forberede ansvarsgruppemøtet"}},
			[]app.NewGroupMember{{Username: "per"}})
		w.must(err)
		gv, err := w.app.GetGroup(ctx, w.as("ingrid"), caseID)
		w.must(err)
		if gv.Group == nil || len(gv.Meetings) != 0 || len(gv.Cooperation) != 1 || gv.Cooperation[0].ID != v.Meeting.ID {
			t.Errorf("group meetings %d, cooperation %d", len(gv.Meetings), len(gv.Cooperation))
		}
		// The group's first meeting is still number 1.
		gm, err := w.app.PlanMeeting(ctx, w.as("ingrid"), caseID, app.NewMeeting{StartsAt: w.clock.Now().AddDate(0, 0, 20),
			Place: "Rådhuset"})
		w.must(err)
		if gm.Meeting.Number != 1 || gm.Meeting.Agenda[0] != app.FirstMeetingItem {
			t.Errorf("group meeting after a cooperation meeting: %+v", gm.Meeting)
		}

		anon := w.newCase(w.adult)
		w.must(db.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.Exec(`UPDATE cases SET subject_person_id = NULL, anonymous = TRUE WHERE id = $1`, anon)
			return err
		}))
		in := app.NewMeeting{StartsAt: w.clock.Now().AddDate(0, 0, 7), Place: "Skolen"}
		_, err = w.app.PlanCooperationMeeting(ctx, w.as("ola"), anon, in, []app.NewGroupMember{{Name: "Mor", Relation: "guardian"}})
		coordWantCode(t, err, "identifying_data")
		in.Agenda = []string{"Eleven " + childFNR + " trives ikke"}
		_, err = w.app.PlanCooperationMeeting(ctx, w.as("ola"), anon, in, []app.NewGroupMember{{Username: "anne"}})
		coordWantCode(t, err, "identifying_data")
		in.Agenda = []string{"Trivsel"}
		_, err = w.app.PlanCooperationMeeting(ctx, w.as("ola"), anon, in, []app.NewGroupMember{{Username: "anne"}})
		w.must(err)
	})
}

// Seed 004, Etablering: "Koordinator og brukeren/foresatte/pårørende bør i
// fellesskap finne frem til hvem det er hensiktsmessig å ha med" (FIDELITY
// 4.14), and Ansvarsgruppen skal sikre "Brukermedvirkning ved utforming,
// gjennomføring og evaluering av tjenestetilbud" (FIDELITY 4.3).
func TestUserChoosesMembersAndEvaluates(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newCoordWorld(t, db)
		ctx := context.Background()
		caseID, _ := w.grantedCase(w.child)
		w.consent(caseID, samordna.PurposeResponsibilityGroup, samordna.PurposeShareWithMembers)
		_, err := w.app.SetUpGroup(ctx, w.as("ingrid"), caseID, app.GroupSetup{Members: []app.NewGroupMember{{Username: "anne"}},
			ChosenWith: strings.Repeat("x", 201)})
		coordWantCode(t, err, "invalid_chosen_with")
		v, err := w.app.SetUpGroup(ctx, w.as("ingrid"), caseID, app.GroupSetup{
			Members: []app.NewGroupMember{{Username: "anne"}, {Name: "Åse Ødegård", Relation: "self"}}, ChosenWith: "Åse og moren Eva"})
		w.must(err)
		if v.Group.MembersChosenWith != "Åse og moren Eva" || len(v.Warnings) != 0 {
			t.Errorf("chosen with %q, warnings %+v", v.Group.MembersChosenWith, v.Warnings)
		}
		// Without the user's part, the group carries a warning.
		other, _ := w.grantedCase(w.adult)
		w.consent(other, samordna.PurposeResponsibilityGroup)
		ov, err := w.app.CreateGroup(ctx, w.as("ingrid"), other, []app.NewGroupMember{{Username: "anne"}})
		w.must(err)
		if len(ov.Warnings) != 1 || ov.Warnings[0].Code != "members_not_chosen_with_user" {
			t.Errorf("warnings = %+v", ov.Warnings)
		}

		// The evaluation needs the person's own view, and keeps it.
		err = w.app.EvaluateGroup(ctx, w.as("ingrid"), caseID, app.Evaluation{Continue: true, Note: "Gruppa fungerer"})
		coordWantCode(t, err, "user_view_required")
		if !strings.Contains(w.openTaskTitles(caseID), "Årlig evaluering") || w.audits(caseID, "evaluate_group") != 0 {
			t.Error("a refused evaluation changed something")
		}
		w.must(w.app.EvaluateGroup(ctx, w.as("ingrid"), caseID, app.Evaluation{Continue: true, Note: "Gruppa fungerer",
			UserView: "Jeg liker at alle møtes samtidig", UserViewBy: "Åse Ødegård"}))
		gv, err := w.app.GetGroup(ctx, w.as("anne"), caseID)
		w.must(err)
		if len(gv.Evaluations) != 1 || gv.Evaluations[0].UserView != "Jeg liker at alle møtes samtidig" ||
			gv.Evaluations[0].UserViewBy != "Åse Ødegård" || !gv.Evaluations[0].Continued {
			t.Errorf("evaluations = %+v", gv.Evaluations)
		}
		if w.audits(caseID, "evaluate_group") != 1 {
			t.Error("no audit row for the evaluation")
		}
	})
}
