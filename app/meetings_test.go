package app_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// groupCase is a case with a coordinator (ingrid), consent and a group of
// ingrid, anne and the child.
func (w *coordWorld) groupCase() string {
	w.t.Helper()
	caseID, _ := w.grantedCase(w.child)
	w.consent(caseID, samordna.PurposeResponsibilityGroup, samordna.PurposeShareWithMembers)
	_, err := w.app.CreateGroup(context.Background(), w.as("ingrid"), caseID, []app.NewGroupMember{
		{Username: "anne", Role: "PP-rådgiver"}, {Name: "Åse Ødegård", Relation: "self"}})
	w.must(err)
	return caseID
}

func TestMeetingNoticeAndFirstMeeting(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newCoordWorld(t, db)
		ctx := context.Background()
		caseID := w.groupCase()
		soon := w.clock.Now().AddDate(0, 0, 10)
		_, err := w.app.PlanMeeting(ctx, w.as("ingrid"), caseID, app.NewMeeting{StartsAt: soon, Place: "Rådhuset"})
		coordWantCode(t, err, "short_notice_reason_required")
		_, err = w.app.PlanMeeting(ctx, w.as("ingrid"), caseID, app.NewMeeting{StartsAt: w.clock.Now().Add(-time.Hour), Place: "Rådhuset"})
		coordWantCode(t, err, "meeting_in_past")
		_, err = w.app.PlanMeeting(ctx, w.as("ingrid"), caseID, app.NewMeeting{StartsAt: soon.AddDate(0, 0, 30)})
		coordWantCode(t, err, "place_required")
		if _, err := w.app.PlanMeeting(ctx, w.as("anne"), caseID, app.NewMeeting{StartsAt: soon, Place: "X",
			ReasonShortNotice: "y"}); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("a member who is not the coordinator planned a meeting: %v", err)
		}
		v, err := w.app.PlanMeeting(ctx, w.as("ingrid"), caseID, app.NewMeeting{StartsAt: soon, Place: "Rådhuset",
			ReasonShortNotice: "Skolestart nærmer seg", Agenda: []string{"Skolestart", " "}})
		w.must(err)
		m := v.Meeting
		if m.ShortNoticeReason != "Skolestart nærmer seg" || m.Number != 1 ||
			strings.Join(m.Agenda, "|") != app.FirstMeetingItem+"|Skolestart" {
			t.Errorf("meeting = %+v", m)
		}
		// Chair the coordinator, minutes by the next employee in turn.
		if v.Chair == nil || v.Chair.Username != "ingrid" || v.MinuteTaker == nil || v.MinuteTaker.Username != "anne" {
			t.Errorf("chair %+v, minute-taker %+v", v.Chair, v.MinuteTaker)
		}
		var unit *store.Attendee
		for _, a := range v.Attendees {
			if a.Role == "coordinating_unit" {
				unit = a
			}
		}
		if unit == nil || unit.Name != "Kari Solheim" || unit.Part != "first_part" {
			t.Fatalf("the coordinating unit is not invited to the first part: %+v", v.Attendees)
		}
		// The unit's caseworker has the task of attending; the coordinator
		// that of sending the agenda.
		titles := w.openTaskTitles(caseID)
		if !strings.Contains(titles, "Delta på første del av første ansvarsgruppemøte") || !strings.Contains(titles, "Avtal saksliste") {
			t.Errorf("tasks:\n%s", titles)
		}
		if len(v.Warnings) != 1 || v.Warnings[0].Code != "agenda_not_sent" {
			t.Errorf("warnings = %+v", v.Warnings)
		}
		w.must(w.app.SendInvitation(ctx, w.as("ingrid"), m.ID))
		if strings.Contains(w.openTaskTitles(caseID), "Avtal saksliste") {
			t.Error("sending the invitation leaves the agenda task open")
		}
		// The second meeting rotates, and invites the unit no more.
		later := w.clock.Now().AddDate(0, 2, 0)
		v2, err := w.app.PlanMeeting(ctx, w.as("ingrid"), caseID, app.NewMeeting{StartsAt: later, Place: "Skolen"})
		w.must(err)
		if v2.Chair.Username != "anne" || v2.MinuteTaker.Username != "ingrid" || len(v2.Attendees) != 3 ||
			len(v2.Meeting.Agenda) != 0 || v2.Meeting.DurationMinutes != 90 {
			t.Errorf("second meeting: chair %s, taker %s, %d attendees, agenda %q", v2.Chair.Username,
				v2.MinuteTaker.Username, len(v2.Attendees), v2.Meeting.Agenda)
		}
		ics, err := w.app.MeetingInvite(ctx, w.as("ingrid"), v2.Meeting.ID)
		w.must(err)
		checkICS(t, ics)
	})
}

// checkICS runs the independent checkers on an invite when they are
// installed by the test script (ICS_CHECK_JS, ICS_CHECK_PY); the invite's
// own shape is checked always.
func checkICS(t *testing.T, ics []byte) {
	t.Helper()
	s := string(ics)
	for _, want := range []string{"BEGIN:VTIMEZONE", "TZID:Europe/Oslo", "DTSTART;TZID=Europe/Oslo:", "ORGANIZER;CN=Ingrid Moe:mailto:ingrid@test.invalid",
		"ATTENDEE;CN=Anne Lunde", "ATTENDEE;CN=Åse Ødegård", "DTSTAMP:", "UID:"} {
		if !strings.Contains(s, want) {
			t.Errorf("invite lacks %q", want)
		}
	}
	for _, env := range []string{"ICS_CHECK_JS", "ICS_CHECK_PY"} {
		cmd := os.Getenv(env)
		if cmd == "" {
			continue
		}
		f := filepath.Join(t.TempDir(), "invite.ics")
		if err := os.WriteFile(f, ics, 0o600); err != nil {
			t.Fatal(err)
		}
		fields := strings.Fields(cmd)
		if out, err := exec.Command(fields[0], append(fields[1:], f)...).CombinedOutput(); err != nil {
			t.Errorf("%s rejects the invite: %v\n%s", env, err, out)
		}
	}
}

// fullMinutes fills every part of the minutes for the view's meeting.
func fullMinutes(v *app.MeetingView, next time.Time) app.Minutes {
	m := *v.Minutes
	yes, no := true, false
	for i := range m.Attendance {
		if i == len(m.Attendance)-1 {
			m.Attendance[i].Present, m.Attendance[i].AbsenceReason = &no, "Syk"
		} else {
			m.Attendance[i].Present = &yes
		}
	}
	if v.HasPrevious {
		m.PreviousMinutes = &app.PreviousMinutes{Approved: true}
	}
	for i := range m.Items {
		m.Items[i].Notes = "Drøftet."
	}
	for i := range m.MeasuresReviewed {
		m.MeasuresReviewed[i].Done = true
	}
	m.PersonAccount = "Åse forteller at det går bedre på skolen."
	m.NewMeasures = []app.NewMeasure{{Text: "Søke om assistent", Responsible: "anne", Due: "2026-04-30"},
		{Text: "Ukentlig samtale hjemme", Responsible: "Mor", Due: "2026-05-15"}}
	m.Conclusions = "Tiltakene videreføres."
	m.NextMeeting = &app.NextMeeting{StartsAt: next.Format(time.RFC3339), Topic: "Overgang til ungdomsskolen"}
	m.Recipients = []string{"Anne Lunde", "Åse Ødegård"}
	return m
}

func TestMinutesCompleteLockedAndChecked(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newCoordWorld(t, db)
		ctx := context.Background()
		caseID := w.groupCase()
		v, err := w.app.PlanMeeting(ctx, w.as("ingrid"), caseID, app.NewMeeting{StartsAt: w.clock.Now().AddDate(0, 0, 20),
			Place: "Rådhuset", Agenda: []string{"Skolen"}})
		w.must(err)
		meetingID := v.Meeting.ID
		// Not before the meeting.
		_, err = w.app.FinaliseMinutes(ctx, w.as("ingrid"), meetingID)
		coordWantCode(t, err, "meeting_not_held")
		w.clock.Advance(20*24*time.Hour + time.Hour)

		// The template holds what the meeting knows; finalising names the rest.
		v, err = w.app.GetMeeting(ctx, w.as("ingrid"), meetingID)
		w.must(err)
		if v.Minutes.Place != "Rådhuset" || len(v.Minutes.Items) != 2 || len(v.Minutes.Attendance) != 4 {
			t.Fatalf("template = %+v", v.Minutes)
		}
		draft := *v.Minutes
		draft.PersonAccount = "Åse forteller selv."
		_, err = w.app.SaveMinutes(ctx, w.as("anne"), meetingID, draft) // anne takes the minutes
		w.must(err)
		_, err = w.app.FinaliseMinutes(ctx, w.as("ingrid"), meetingID)
		var inc *app.MinutesIncomplete
		if !errors.As(err, &inc) || samordna.ErrorCode(err) != "minutes_incomplete" {
			t.Fatalf("incomplete minutes finalised: %v", err)
		}
		want := "attendance,agenda_items,conclusions,next_meeting,recipients"
		if got := strings.Join(inc.Missing, ","); got != want {
			t.Errorf("missing %s, want %s", got, want)
		}
		if !strings.Contains(err.Error(), "conclusions") {
			t.Errorf("the message does not name the parts: %v", err)
		}
		// A measure without a deadline is a missing part too.
		full := fullMinutes(v, w.clock.Now().AddDate(0, 5, 0))
		bad := full
		bad.NewMeasures = []app.NewMeasure{{Text: "Noe", Responsible: "anne"}}
		_, err = w.app.SaveMinutes(ctx, w.as("ingrid"), meetingID, bad)
		w.must(err)
		_, err = w.app.FinaliseMinutes(ctx, w.as("ingrid"), meetingID)
		if !errors.As(err, &inc) || strings.Join(inc.Missing, ",") != "new_measures" {
			t.Fatalf("a measure without deadline: %v", err)
		}
		_, err = w.app.SaveMinutes(ctx, w.as("per"), meetingID, full)
		if !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("an outsider wrote the minutes: %v", err)
		}
		_, err = w.app.SaveMinutes(ctx, w.as("ingrid"), meetingID, full)
		w.must(err)
		v, err = w.app.FinaliseMinutes(ctx, w.as("ingrid"), meetingID)
		w.must(err)
		if !v.MinutesFinal || len(v.MinutesHash) != 64 || v.Meeting.Status != "held" {
			t.Errorf("finalised = %v %q %s", v.MinutesFinal, v.MinutesHash, v.Meeting.Status)
		}
		// Locked.
		_, err = w.app.SaveMinutes(ctx, w.as("ingrid"), meetingID, full)
		coordWantCode(t, err, "minutes_finalised")
		_, err = w.app.FinaliseMinutes(ctx, w.as("ingrid"), meetingID)
		coordWantCode(t, err, "minutes_finalised")
		// The measures became tasks, the next meeting is planned.
		titles := w.openTaskTitles(caseID)
		if !strings.Contains(titles, "Tiltak fra ansvarsgruppemøte: Søke om assistent") ||
			!strings.Contains(titles, "Ukentlig samtale hjemme (ansvarlig: Mor)") {
			t.Errorf("measure tasks missing:\n%s", titles)
		}
		gv, err := w.app.GetGroup(ctx, w.as("ingrid"), caseID)
		w.must(err)
		if len(gv.Meetings) != 2 || gv.Meetings[1].Status != "planned" || gv.Meetings[1].Agenda[0] != "Overgang til ungdomsskolen" {
			t.Fatalf("meetings after finalising: %+v", gv.Meetings)
		}
		// The PDF has the minutes' text.
		pdf, err := w.app.MinutesPDF(ctx, w.as("anne"), meetingID)
		w.must(err)
		checkPDFText(t, pdf, "Referat fra ansvarsgruppemøte", "Åse forteller at det går bedre på skolen.", "Søke om assistent")
		// Issue 13: the measure's responsible, given as a username, is
		// printed by name and its deadline as dd.mm.åååå.
		text := strings.Join(strings.Fields(pdfText(t, pdf)), " ")
		for _, want := range []string{"Søke om assistent Anne Lunde 30.04.2026", "Ukentlig samtale hjemme Mor 15.05.2026"} {
			if !strings.Contains(text, want) {
				t.Errorf("the minutes PDF lacks %q:\n%s", want, text)
			}
		}
		wantUsersLanguage(t, text, "anne", "ingrid")

		// The next meeting reviews last time's measures and approves the minutes.
		next := gv.Meetings[1].ID
		w.clock.Advance(5 * 31 * 24 * time.Hour)
		v, err = w.app.GetMeeting(ctx, w.as("ingrid"), next)
		w.must(err)
		if !v.HasPrevious || len(v.PreviousMeasures) != 2 || len(v.Minutes.MeasuresReviewed) != 2 {
			t.Fatalf("second meeting: previous %v, measures %+v", v.HasPrevious, v.PreviousMeasures)
		}
		m2 := fullMinutes(v, w.clock.Now().AddDate(1, 0, 0)) // a year ahead: too far
		m2.PreviousMinutes = nil
		m2.MeasuresReviewed[0].Done = false
		_, err = w.app.SaveMinutes(ctx, w.as("ingrid"), next, m2)
		w.must(err)
		_, err = w.app.FinaliseMinutes(ctx, w.as("ingrid"), next)
		if !errors.As(err, &inc) || strings.Join(inc.Missing, ",") != "previous_minutes,measures_reviewed" {
			t.Fatalf("second minutes: %v", err)
		}
		m2.PreviousMinutes = &app.PreviousMinutes{Approved: true}
		m2.MeasuresReviewed[0].WhyNot = "Venter på svar fra NAV"
		_, err = w.app.SaveMinutes(ctx, w.as("ingrid"), next, m2)
		w.must(err)
		_, err = w.app.FinaliseMinutes(ctx, w.as("ingrid"), next)
		w.must(err)
		if !strings.Contains(w.openTaskTitles(caseID), "Ingen ansvarsgruppemøte er planlagt innen seks måneder") {
			t.Error("no task although the next meeting is a year away")
		}

		// Tampered minutes are never shown.
		w.must(db.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.Exec(`UPDATE meeting_minutes SET content = REPLACE(content, 'bedre', 'verre') WHERE meeting_id = $1`, meetingID)
			return err
		}))
		_, err = w.app.GetMeeting(ctx, w.as("ingrid"), meetingID)
		coordWantCode(t, err, "minutes_tampered")
		_, err = w.app.MinutesPDF(ctx, w.as("ingrid"), meetingID)
		coordWantCode(t, err, "minutes_tampered")
	})
}

// checkPDFText checks that the PDF's text can be extracted (pdftotext, as
// the project's PDF tests do) and holds each text.
func checkPDFText(t *testing.T, pdf []byte, texts ...string) {
	t.Helper()
	if !strings.HasPrefix(string(pdf), "%PDF-") {
		t.Fatal("not a PDF")
	}
	f := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(f, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", f, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	text := strings.Join(strings.Fields(string(out)), " ")
	for _, want := range texts {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF's text lacks %q:\n%s", want, text)
		}
	}
}
