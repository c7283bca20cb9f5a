package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/access"
	"github.com/samordna/samordna/internal/pdf"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// This file holds the minutes of a responsibility-group meeting (seed 004's
// checklist): time and place, present and absent, approval of the last
// minutes, each agenda item, the person's own account first, the measures
// reviewed (done, or why not), new measures with responsible and deadline
// (they become tasks), the main conclusions, the next meeting and who
// receives the minutes. A draft can be saved at any time; finalising is
// refused until every part is there, and then the minutes are locked and
// stored with their SHA-256, which every read checks.

// Minutes is the content of a meeting's minutes. It is stored as JSON; the
// field order is fixed, so the same minutes always give the same bytes.
type Minutes struct {
	StartedAt        string           `json:"started_at" text:"code"` // RFC 3339
	Place            string           `json:"place" text:"name"`
	Chair            string           `json:"chair" text:"name"`
	MinuteTaker      string           `json:"minute_taker" text:"name"`
	Attendance       []Attendance     `json:"attendance"`
	PreviousMinutes  *PreviousMinutes `json:"previous_minutes,omitempty"`
	PersonAccount    string           `json:"person_account" text:"long"`
	Items            []ItemNote       `json:"items"`
	MeasuresReviewed []MeasureReview  `json:"measures_reviewed"`
	NewMeasures      []NewMeasure     `json:"new_measures"`
	Conclusions      string           `json:"conclusions" text:"long"`
	NextMeeting      *NextMeeting     `json:"next_meeting,omitempty"`
	Recipients       []string         `json:"recipients" text:"name"`
}

// Attendance says whether one invited attendee was there; Present nil means
// not yet recorded.
type Attendance struct {
	AttendeeID    string `json:"attendee_id" text:"id"`
	Name          string `json:"name" text:"name"`
	Present       *bool  `json:"present"`
	AbsenceReason string `json:"absence_reason,omitempty" text:"short"`
}

// PreviousMinutes is the approval of the last meeting's minutes.
type PreviousMinutes struct {
	Approved bool   `json:"approved"`
	Comments string `json:"comments,omitempty" text:"long"`
}

// ItemNote is what was said on one agenda item.
type ItemNote struct {
	Item  string `json:"item" text:"short"`
	Notes string `json:"notes" text:"long"`
}

// MeasureReview says whether a measure agreed last time was done, and why
// not when it was not.
type MeasureReview struct {
	Measure     string `json:"measure" text:"short"`
	Responsible string `json:"responsible,omitempty" text:"name"`
	Done        bool   `json:"done"`
	WhyNot      string `json:"why_not,omitempty" text:"short"`
}

// NewMeasure is a measure agreed at the meeting: who is responsible (a
// username, or the name of a member) and the deadline (YYYY-MM-DD).
type NewMeasure struct {
	Text        string `json:"text" text:"short"`
	Responsible string `json:"responsible" text:"name"`
	Due         string `json:"due" text:"code"`
}

// NextMeeting is the date set for the next meeting, and its theme.
type NextMeeting struct {
	StartsAt string `json:"starts_at" text:"code"` // RFC 3339
	Topic    string `json:"topic,omitempty" text:"short"`
}

// The parts of the minutes, as finalising names what is missing.
const (
	PartTimeAndPlace    = "time_and_place"
	PartAttendance      = "attendance"
	PartPreviousMinutes = "previous_minutes"
	PartAgendaItems     = "agenda_items"
	PartPersonViews     = "person_views" // gathered beforehand when the person does not attend
	PartPersonAccount   = "person_account"
	PartMeasuresReview  = "measures_reviewed"
	PartNewMeasures     = "new_measures"
	PartConclusions     = "conclusions"
	PartNextMeeting     = "next_meeting"
	PartRecipients      = "recipients"
)

// MinutesIncomplete is the error minutes_incomplete (422): it names the
// missing parts (Part* constants), in the order of the minutes.
type MinutesIncomplete struct {
	Missing []string
	err     *samordna.Error
}

func (e *MinutesIncomplete) Error() string { return e.err.Error() }

// Unwrap gives the *samordna.Error, so the error maps to 422 like any rule.
func (e *MinutesIncomplete) Unwrap() error { return e.err }

func incomplete(missing []string) error {
	return &MinutesIncomplete{Missing: missing, err: samordna.Errorf(samordna.KindRule, "minutes_incomplete",
		"the minutes lack: %s", strings.Join(missing, ", "))}
}

// maxTextLen bounds each free-text part of the minutes.
const maxTextLen = 20000

// SaveMinutes stores the draft minutes of a meeting; attendance is matched
// to the meeting's attendees and the names filled in. Finalised minutes
// cannot change. Who may call: the coordinator, the coordinating unit and
// the meeting's minute-taker. Errors: not_found; invalid_minutes (400);
// minutes_finalised (409).
func (a *App) SaveMinutes(ctx context.Context, actor *samordna.Actor, meetingID string, in Minutes) (*MeetingView, error) {
	var v *MeetingView
	err := a.withMinuteTaker(ctx, actor, meetingID, "save_minutes", func(tx *store.Tx, g *caseGrant, m *store.Meeting) error {
		if err := checkMinutesSize(in); err != nil {
			return err
		}
		cur, err := store.MinutesOf(tx, m.ID)
		if err != nil {
			return err
		}
		if cur != nil && cur.Status == store.MinutesFinalised {
			return store.ErrMinutesFinalised
		}
		att, err := store.Attendees(tx, m.ID)
		if err != nil {
			return err
		}
		if err := normaliseMinutes(&in, att); err != nil {
			return err
		}
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		if err := store.SaveMinutesDraft(tx, m.ID, string(b), actor.Employee.ID, a.now()); err != nil {
			return err
		}
		if v, err = a.meetingView(tx, actor, g, m); err != nil {
			return err
		}
		return a.auditCase(tx, actor, g, "save_minutes", "minutes", m.ID)
	})
	return v, err
}

// withMinuteTaker is withMeeting for the coordinator, the coordinating
// unit and the meeting's minute-taker.
func (a *App) withMinuteTaker(ctx context.Context, actor *samordna.Actor, meetingID, auditAction string,
	fn func(tx *store.Tx, g *caseGrant, m *store.Meeting) error) error {
	caseID, _, err := a.meetingCase(ctx, meetingID)
	if err != nil {
		return err
	}
	var m *store.Meeting
	return a.withCaseRule(ctx, actor, caseID, auditAction, func(tx *store.Tx, g *caseGrant) (bool, error) {
		var err error
		if m, err = store.MeetingByID(tx, meetingID); err != nil || m.CaseID != g.Case.ID {
			return false, nil
		}
		v := &MeetingView{Meeting: m}
		if v.Members, err = store.Members(tx, m.GroupID); err != nil {
			return false, err
		}
		taker := false
		for _, mem := range v.Members {
			taker = taker || (mem.ID == m.MinuteTakerID && mem.EmployeeID == actor.Employee.ID)
		}
		return (taker && g.Reason != "") || canCoordinate(accessSubject(actor), g.Facts) || organises(actor, g, m), nil
	}, func(tx *store.Tx, g *caseGrant) error { return fn(tx, g, m) })
}

func checkMinutesSize(in Minutes) error {
	bad := samordna.Errorf(samordna.KindInvalid, "invalid_minutes", "the minutes are too long")
	texts := []string{in.StartedAt, in.Place, in.Chair, in.MinuteTaker, in.PersonAccount, in.Conclusions}
	for _, x := range in.Items {
		texts = append(texts, x.Item, x.Notes)
	}
	for _, x := range in.MeasuresReviewed {
		texts = append(texts, x.Measure, x.Responsible, x.WhyNot)
	}
	for _, x := range in.NewMeasures {
		texts = append(texts, x.Text, x.Responsible, x.Due)
	}
	for _, x := range in.Attendance {
		texts = append(texts, x.AttendeeID, x.AbsenceReason)
	}
	texts = append(texts, in.Recipients...)
	if len(in.Items)+len(in.MeasuresReviewed)+len(in.NewMeasures)+len(in.Attendance)+len(in.Recipients) > 400 {
		return bad
	}
	for _, t := range texts {
		if len(t) > maxTextLen {
			return bad
		}
	}
	return nil
}

// normaliseMinutes trims the text, keeps only attendance for the meeting's
// attendees (with their names) and drops empty rows.
func normaliseMinutes(in *Minutes, att []*store.Attendee) error {
	byID := map[string]*store.Attendee{}
	for _, x := range att {
		byID[x.ID] = x
	}
	var attendance []Attendance
	for _, x := range in.Attendance {
		who, ok := byID[x.AttendeeID]
		if !ok {
			return samordna.Errorf(samordna.KindInvalid, "invalid_minutes", "attendance names someone not invited")
		}
		x.Name, x.AbsenceReason = who.Name, strings.TrimSpace(x.AbsenceReason)
		if x.Present != nil && *x.Present {
			x.AbsenceReason = ""
		}
		attendance = append(attendance, x)
	}
	in.Attendance = attendance
	in.Place, in.PersonAccount, in.Conclusions = strings.TrimSpace(in.Place), strings.TrimSpace(in.PersonAccount),
		strings.TrimSpace(in.Conclusions)
	var items []ItemNote
	for _, x := range in.Items {
		x.Item, x.Notes = strings.TrimSpace(x.Item), strings.TrimSpace(x.Notes)
		if x.Item != "" {
			items = append(items, x)
		}
	}
	in.Items = items
	var measures []NewMeasure
	for _, x := range in.NewMeasures {
		x.Text, x.Responsible, x.Due = strings.TrimSpace(x.Text), strings.TrimSpace(x.Responsible), strings.TrimSpace(x.Due)
		if x.Text != "" || x.Responsible != "" || x.Due != "" {
			measures = append(measures, x)
		}
	}
	in.NewMeasures = measures
	var recipients []string
	for _, r := range in.Recipients {
		if r = strings.TrimSpace(r); r != "" {
			recipients = append(recipients, r)
		}
	}
	in.Recipients = recipients
	return nil
}

// MissingParts returns the parts the minutes still lack (Part* constants)
// for a meeting with its attendees, agenda, and the measures the previous
// meeting agreed (hasPrevious: there were previous minutes to approve).
func MissingParts(in *Minutes, m *store.Meeting, att []*store.Attendee, hasPrevious bool, previous []NewMeasure) []string {
	var missing []string
	add := func(ok bool, part string) {
		if !ok {
			missing = append(missing, part)
		}
	}
	started, err := time.Parse(time.RFC3339, in.StartedAt)
	add(err == nil && !started.IsZero() && in.Place != "", PartTimeAndPlace)
	add(attendanceComplete(in.Attendance, att), PartAttendance)
	if hasPrevious {
		add(in.PreviousMinutes != nil && (in.PreviousMinutes.Approved || strings.TrimSpace(in.PreviousMinutes.Comments) != ""),
			PartPreviousMinutes)
	}
	add(agendaCovered(in.Items, m.Agenda), PartAgendaItems)
	add(m.PersonAttendance != store.PersonNone || m.PersonViews != "", PartPersonViews)
	add(in.PersonAccount != "", PartPersonAccount)
	add(measuresReviewed(in.MeasuresReviewed, previous), PartMeasuresReview)
	measuresOK := true
	for _, x := range in.NewMeasures {
		_, err := time.Parse(time.DateOnly, x.Due)
		measuresOK = measuresOK && x.Text != "" && x.Responsible != "" && err == nil
	}
	add(measuresOK, PartNewMeasures)
	add(in.Conclusions != "", PartConclusions)
	nextOK := m.Kind == store.MeetingKindCooperation && in.NextMeeting == nil // a cooperation meeting may be the last
	if in.NextMeeting != nil {
		next, err := time.Parse(time.RFC3339, in.NextMeeting.StartsAt)
		nextOK = err == nil && next.After(m.StartsAt)
	}
	add(nextOK, PartNextMeeting)
	add(len(in.Recipients) > 0, PartRecipients)
	return missing
}

// attendanceComplete: every attendee is marked present or absent, and
// someone was there.
func attendanceComplete(marks []Attendance, att []*store.Attendee) bool {
	marked := map[string]bool{}
	present := false
	for _, x := range marks {
		if x.Present != nil {
			marked[x.AttendeeID] = true
			present = present || *x.Present
		}
	}
	for _, x := range att {
		if !marked[x.ID] {
			return false
		}
	}
	return present
}

// agendaCovered: each agenda item has notes.
func agendaCovered(items []ItemNote, agenda []string) bool {
	notes := map[string]bool{}
	for _, x := range items {
		if x.Notes != "" {
			notes[x.Item] = true
		}
	}
	for _, item := range agenda {
		if !notes[item] {
			return false
		}
	}
	return true
}

// measuresReviewed: each measure of last time is marked done or says why
// not.
func measuresReviewed(reviews []MeasureReview, previous []NewMeasure) bool {
	ok := map[string]bool{}
	for _, r := range reviews {
		if r.Done || strings.TrimSpace(r.WhyNot) != "" {
			ok[r.Measure] = true
		}
	}
	for _, p := range previous {
		if !ok[p.Text] {
			return false
		}
	}
	return true
}

// FinaliseMinutes locks the minutes once every part is there: they are
// stored with their SHA-256 and can no longer change; the meeting is held;
// each new measure becomes a task for its responsible (the coordinator's
// when the responsible is not an employee); the next meeting is planned
// (and the coordinator gets a task if it is not within six months); the
// minutes go to the recipients who are employees through the outbox.
// Who may call: the coordinator, the coordinating unit and the minute-taker.
// Errors: not_found; minutes_incomplete (422, a *MinutesIncomplete naming
// the missing parts); meeting_not_held (422, the meeting has not begun);
// minutes_finalised (409).
func (a *App) FinaliseMinutes(ctx context.Context, actor *samordna.Actor, meetingID string) (*MeetingView, error) {
	var v *MeetingView
	err := a.withMinuteTaker(ctx, actor, meetingID, "finalise_minutes", func(tx *store.Tx, g *caseGrant, m *store.Meeting) error {
		if err := a.finaliseMinutes(tx, actor, g, m); err != nil {
			return err
		}
		var err error
		if v, err = a.meetingView(tx, actor, g, m); err != nil {
			return err
		}
		return a.auditCase(tx, actor, g, "finalise_minutes", "minutes", m.ID)
	})
	return v, err
}

func (a *App) finaliseMinutes(tx *store.Tx, actor *samordna.Actor, g *caseGrant, m *store.Meeting) error {
	cur, err := store.MinutesOf(tx, m.ID)
	if err != nil {
		return err
	}
	if cur != nil && cur.Status == store.MinutesFinalised {
		return store.ErrMinutesFinalised
	}
	if m.Status != store.MeetingPlanned || a.now().Before(m.StartsAt) {
		return samordna.Errorf(samordna.KindRule, "meeting_not_held", "minutes are finalised after the meeting has begun")
	}
	in := Minutes{}
	if cur != nil {
		if err := json.Unmarshal([]byte(cur.Content), &in); err != nil {
			return err
		}
	}
	att, err := store.Attendees(tx, m.ID)
	if err != nil {
		return err
	}
	hasPrevious, previous, err := previousMeasures(tx, m)
	if err != nil {
		return err
	}
	if missing := MissingParts(&in, m, att, hasPrevious, previous); len(missing) > 0 {
		return incomplete(missing)
	}
	b, err := json.Marshal(in)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(b)
	now := a.now()
	if err := store.FinaliseMinutes(tx, m.ID, string(b), hex.EncodeToString(sum[:]), actor.Employee.ID, now); err != nil {
		return err
	}
	if err := store.SetMeetingStatus(tx, m.ID, store.MeetingHeld, now); err != nil {
		return err
	}
	m.Status = store.MeetingHeld
	if err := a.caseEvent(tx, actor, g.Case.ID, "minutes_finalised", "meeting", m.ID); err != nil {
		return err
	}
	if m.Kind == store.MeetingKindCooperation {
		if err := a.measureTasks(tx, actor, g, m, m.CreatedBy, in.NewMeasures); err != nil {
			return err
		}
		return a.sendMinutes(tx, actor, g, m, in.Recipients, att)
	}
	// Where the case has an open plan, the new measures go into it (and
	// become tasks there); otherwise they become tasks here.
	if p, err := a.AddMeasuresFromMinutes(tx, actor, g, m.ID, in.NewMeasures); err != nil {
		return err
	} else if p == nil {
		k, err := a.RequireCoordinator(tx, g.Case.ID)
		if err != nil {
			return err
		}
		if err := a.measureTasks(tx, actor, g, m, k.EmployeeID, in.NewMeasures); err != nil {
			return err
		}
	}
	// Measures done are done: their tasks end (and never escalate).
	if err := a.closeReviewedMeasures(tx, actor, g.Case, m, in.MeasuresReviewed); err != nil {
		return err
	}
	// The meeting held starts what follows it (and ends what waited for
	// it) before the next meeting is planned, which ends the task of
	// agreeing on it.
	if _, err := a.routineStep(tx, actor, g.Case, "", pathway.EventMeetingHeld, ""); err != nil {
		return err
	}
	if err := a.nextMeeting(tx, actor, g, m, in.NextMeeting); err != nil {
		return err
	}
	return a.sendMinutes(tx, actor, g, m, in.Recipients, att)
}

// recipientIDs returns the employees among the attendees whom the
// recipients name (by name, case-insensitive) and who read the minutes in
// the system: the group's members and the coordinating unit. The rest are
// the recipients the coordinator sends the minutes to (deliveries).
func recipientIDs(recipients []string, att []*store.Attendee) (ids []string, others []string) {
	for _, r := range recipients {
		reached := false
		for _, x := range att {
			if x.EmployeeID != "" && (x.Role == "member" || x.Role == "coordinating_unit") &&
				strings.EqualFold(strings.TrimSpace(r), x.Name) {
				ids, reached = append(ids, x.EmployeeID), true
				break
			}
		}
		if !reached {
			others = append(others, r)
		}
	}
	return ids, others
}

// measureTasks turns each new measure into a task for its responsible: an
// employee named by username or name, else fallback (the coordinator, or
// a cooperation meeting's organiser; the title then names the responsible).
func (a *App) measureTasks(tx *store.Tx, actor *samordna.Actor, g *caseGrant, m *store.Meeting, fallback string,
	measures []NewMeasure) error {
	for _, x := range measures {
		due, err := time.ParseInLocation(time.DateOnly, x.Due, osloLoc())
		if err != nil {
			return err
		}
		prefix := minutesMeasurePrefix // how closeReviewedMeasures finds the task again
		if m.Kind == store.MeetingKindCooperation {
			prefix = "Tiltak fra samarbeidsmøte: "
		}
		t := coordTask{Title: prefix + x.Text, EmployeeID: fallback, Due: due.AddDate(0, 0, 1).UTC()}
		if e, err := eligibleEmployee(tx, g.Case.MunicipalityID, x.Responsible, "unknown_employee"); err == nil {
			t.EmployeeID = e.ID
		} else if samordna.ErrorKind(err) != samordna.KindRule {
			return err
		} else {
			t.Title += " (ansvarlig: " + x.Responsible + ")"
		}
		if err := a.addTask(tx, actor, g.Case, t); err != nil {
			return err
		}
	}
	return nil
}

// SixMonths is the longest gap between meetings before the coordinator
// gets a task (seed 004: meetings as a rule every six months).
const SixMonths = 6

// nextMeeting plans the meeting the minutes set, and gives the coordinator
// a task when no meeting is planned within six months of this one.
func (a *App) nextMeeting(tx *store.Tx, actor *samordna.Actor, g *caseGrant, m *store.Meeting, next *NextMeeting) error {
	limit := m.StartsAt.AddDate(0, SixMonths, 0)
	if next != nil {
		at, err := time.Parse(time.RFC3339, next.StartsAt)
		if err == nil && at.After(a.now()) {
			in := NewMeeting{StartsAt: at, DurationMinutes: m.DurationMinutes, Place: m.Place}
			if strings.TrimSpace(next.Topic) != "" {
				in.Agenda = []string{strings.TrimSpace(next.Topic)}
			}
			in.Agenda = append(in.Agenda, postponed(m)...)
			if ShortNotice(a.now(), at) {
				in.ReasonShortNotice = fmt.Sprintf("Avtalt i ansvarsgruppemøte nr. %d", m.Number)
			}
			if _, err := a.planMeeting(tx, actor, g, in); err != nil {
				return err
			}
		}
	}
	planned, err := store.PlannedMeetingsBetween(tx, m.GroupID, m.StartsAt, limit)
	if err != nil || len(planned) > 0 {
		return err
	}
	k, err := a.RequireCoordinator(tx, g.Case.ID)
	if err != nil {
		return err
	}
	due := limit
	if due.Before(a.now()) {
		due = a.now()
	}
	return a.addTask(tx, actor, g.Case, coordTask{Title: taskNoMeetingPlanned, EmployeeID: k.EmployeeID, Due: due})
}

// postponed returns the "eventuelt" matters of the meeting that did not
// fit its time, as agenda items of the next meeting.
func postponed(m *store.Meeting) []string {
	var out []string
	for _, x := range Prioritise(m.OtherBusiness, m.OtherMinutes) {
		if !x.Fits {
			out = append(out, fmt.Sprintf("Utsatt fra eventuelt i møte nr. %d: %s", m.Number, x.Text))
		}
	}
	return out
}

// previousMeasures returns whether the meeting has a previous held meeting
// of the group and the measures its minutes agreed.
func previousMeasures(tx *store.Tx, m *store.Meeting) (bool, []NewMeasure, error) {
	prev, err := previousHeldMeeting(tx, m)
	if err != nil || prev == nil {
		return false, nil, err
	}
	row, err := store.MinutesOf(tx, prev.ID)
	if err != nil || row == nil {
		return true, nil, err
	}
	var pm Minutes
	if err := json.Unmarshal([]byte(row.Content), &pm); err != nil {
		return true, nil, err
	}
	return true, pm.NewMeasures, nil
}

// previousHeldMeeting returns the group's last held meeting before m, or
// nil.
func previousHeldMeeting(tx *store.Tx, m *store.Meeting) (*store.Meeting, error) {
	ms, err := store.MeetingsOfGroup(tx, m.GroupID)
	if err != nil {
		return nil, err
	}
	var prev *store.Meeting
	for _, x := range ms {
		if x.ID != m.ID && x.Status == store.MeetingHeld && x.StartsAt.Before(m.StartsAt) {
			prev = x
		}
	}
	return prev, nil
}

// ErrMinutesTampered is returned when finalised minutes no longer match
// their SHA-256: they are never shown.
var ErrMinutesTampered = samordna.Errorf(samordna.KindInternal, "minutes_tampered",
	"the stored minutes do not match their checksum")

// loadMinutes fills the view's minutes: the finalised ones (checked
// against their digest), the draft, or a template from the meeting.
func (a *App) loadMinutes(tx *store.Tx, v *MeetingView) error {
	m := v.Meeting
	var err error
	if v.HasPrevious, v.PreviousMeasures, err = previousMeasures(tx, m); err != nil {
		return err
	}
	row, err := store.MinutesOf(tx, m.ID)
	if err != nil {
		return err
	}
	if row == nil {
		v.Minutes = minutesTemplate(v)
		return nil
	}
	v.MinutesSaved = true
	if row.Status == store.MinutesFinalised {
		sum := sha256.Sum256([]byte(row.Content))
		if hex.EncodeToString(sum[:]) != row.SHA256 {
			a.Log.Error("finalised minutes do not match their checksum", "meeting", m.ID)
			return ErrMinutesTampered
		}
		v.MinutesFinal, v.MinutesHash = true, row.SHA256
	}
	var in Minutes
	if err := json.Unmarshal([]byte(row.Content), &in); err != nil {
		return err
	}
	v.Minutes = &in
	return nil
}

// minutesTemplate starts the minutes from the meeting: time, place, chair,
// minute-taker, everyone invited, the agenda and last time's measures.
func minutesTemplate(v *MeetingView) *Minutes {
	m := v.Meeting
	t := &Minutes{StartedAt: m.StartsAt.UTC().Format(time.RFC3339), Place: m.Place}
	if v.Chair != nil {
		t.Chair = v.Chair.Name
	}
	if v.MinuteTaker != nil {
		t.MinuteTaker = v.MinuteTaker.Name
	}
	for _, x := range v.Attendees {
		t.Attendance = append(t.Attendance, Attendance{AttendeeID: x.ID, Name: x.Name})
	}
	for _, item := range m.Agenda {
		t.Items = append(t.Items, ItemNote{Item: item})
	}
	for _, x := range v.OtherBusiness {
		if x.Fits {
			t.Items = append(t.Items, ItemNote{Item: OtherBusinessPrefix + x.Text})
		}
	}
	if m.PersonViews != "" {
		t.PersonAccount = PersonViewsPrefix + m.PersonViews
	}
	for _, p := range v.PreviousMeasures {
		t.MeasuresReviewed = append(t.MeasuresReviewed, MeasureReview{Measure: p.Text, Responsible: p.Responsible})
	}
	return t
}

// The minutes' template marks the "eventuelt" matters that fit the time,
// and opens the person's account with the views gathered beforehand.
const (
	OtherBusinessPrefix = "Eventuelt: "
	PersonViewsPrefix   = "Synspunkter innhentet før møtet: "
)

// Missing returns the parts the view's minutes still lack.
func (v *MeetingView) Missing() []string {
	if v.Minutes == nil {
		return nil
	}
	return MissingParts(v.Minutes, v.Meeting, v.Attendees, v.HasPrevious, v.PreviousMeasures)
}

func accessSubject(actor *samordna.Actor) access.Subject { return access.SubjectOf(actor.Employee) }

func osloLoc() *time.Location { return pathway.Oslo() }

// MinutesPDF returns finalised minutes as a PDF with their SHA-256 in the
// footer. One audit row. Who may call: readers of the case. Errors:
// not_found, minutes_not_finalised (409), minutes_tampered (500).
func (a *App) MinutesPDF(ctx context.Context, actor *samordna.Actor, meetingID string) ([]byte, error) {
	var out []byte
	err := a.withMeeting(ctx, actor, meetingID, "print_minutes", false, func(tx *store.Tx, g *caseGrant, m *store.Meeting) error {
		v, err := a.meetingView(tx, actor, g, m)
		if err != nil {
			return err
		}
		if !v.MinutesFinal {
			return samordna.Errorf(samordna.KindConflict, "minutes_not_finalised", "only finalised minutes are printed")
		}
		printed := *v
		printed.Minutes = responsibleNames(tx, g.Case.MunicipalityID, v.Minutes)
		if out, err = minutesDocument(&printed, a.now()); err != nil {
			return err
		}
		return a.auditCase(tx, actor, g, "print_minutes", "minutes", m.ID)
	})
	return out, err
}

// responsibleNames returns a copy of the minutes where each responsible
// given as a username or an employee id (as a people picker sends) is the
// employee's name, so that the printed minutes name people (issue 13). A
// responsible who is not an employee of the municipality (a parent, say)
// stays as written.
func responsibleNames(tx *store.Tx, municipalityID string, in *Minutes) *Minutes {
	out := *in
	out.NewMeasures = append([]NewMeasure(nil), in.NewMeasures...)
	out.MeasuresReviewed = append([]MeasureReview(nil), in.MeasuresReviewed...)
	for i := range out.NewMeasures {
		out.NewMeasures[i].Responsible = employeeName(tx, municipalityID, out.NewMeasures[i].Responsible)
	}
	for i := range out.MeasuresReviewed {
		out.MeasuresReviewed[i].Responsible = employeeName(tx, municipalityID, out.MeasuresReviewed[i].Responsible)
	}
	return &out
}

// employeeName is the name of the municipality's employee whose username
// or id s is, or s itself.
func employeeName(tx *store.Tx, municipalityID, s string) string {
	if s == "" || len(s) > 100 {
		return s
	}
	if e, _, err := store.EmployeeByUsername(tx, s); err == nil && e.MunicipalityID == municipalityID {
		return e.Name
	}
	if e, err := store.EmployeeByID(tx, s); err == nil && e.MunicipalityID == municipalityID {
		return e.Name
	}
	return s
}

// minutesTime formats an RFC 3339 time as a Norwegian date and time.
func minutesTime(s string) string {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return s
	}
	return t.In(osloLoc()).Format("02.01.2006 kl. 15.04")
}

func minutesDocument(v *MeetingView, now time.Time) ([]byte, error) {
	in, m := v.Minutes, v.Meeting
	doc := pdf.New(pdf.Options{Title: "Referat fra " + strings.ToLower(meetingNoun(m)), Subject: fmt.Sprintf("Møte nr. %d", m.Number),
		Lang: "nb", Created: now, Footer: "SHA-256 " + v.MinutesHash})
	doc.Fields(
		pdf.Field{Label: "Gjelder", Value: v.SubjectName},
		pdf.Field{Label: "Tid", Value: minutesTime(in.StartedAt)},
		pdf.Field{Label: "Sted", Value: in.Place},
		pdf.Field{Label: "Møteleder", Value: in.Chair},
		pdf.Field{Label: "Referent", Value: in.MinuteTaker},
	)
	doc.Heading("Til stede og forfall")
	var rows [][]string
	for _, x := range in.Attendance {
		status := "Til stede"
		if x.Present != nil && !*x.Present {
			status = strings.TrimSpace("Forfall " + x.AbsenceReason)
		}
		rows = append(rows, []string{x.Name, status})
	}
	doc.Table([]string{"Navn", "Oppmøte"}, rows)
	if in.PreviousMinutes != nil {
		doc.Heading("Godkjenning av forrige referat")
		text := "Godkjent."
		if !in.PreviousMinutes.Approved {
			text = "Ikke godkjent."
		}
		doc.Paragraph(strings.TrimSpace(text + " " + in.PreviousMinutes.Comments))
	}
	doc.Heading("Brukerens egen beskrivelse")
	doc.Paragraph(in.PersonAccount)
	doc.Heading("Saker")
	for i, x := range in.Items {
		doc.Paragraph(fmt.Sprintf("%d. %s\n%s", i+1, x.Item, x.Notes))
	}
	if len(in.MeasuresReviewed) > 0 {
		doc.Heading("Gjennomgang av tiltak fra forrige møte")
		rows = nil
		for _, x := range in.MeasuresReviewed {
			status := "Gjennomført"
			if !x.Done {
				status = "Ikke gjennomført: " + x.WhyNot
			}
			rows = append(rows, []string{x.Measure, status})
		}
		doc.Table([]string{"Tiltak", "Status"}, rows)
	}
	doc.Heading("Nye tiltak")
	if len(in.NewMeasures) == 0 {
		doc.Paragraph("Ingen nye tiltak.")
	} else {
		rows = nil
		for _, x := range in.NewMeasures {
			rows = append(rows, []string{x.Text, x.Responsible, planDate(x.Due)})
		}
		doc.Table([]string{"Tiltak", "Ansvarlig", "Frist"}, rows)
	}
	doc.Heading("Viktigste konklusjoner")
	doc.Paragraph(in.Conclusions)
	doc.Heading("Neste møte")
	if in.NextMeeting != nil {
		doc.Paragraph(strings.TrimSpace(minutesTime(in.NextMeeting.StartsAt) + " " + in.NextMeeting.Topic))
	}
	doc.Heading("Referatet sendes til")
	doc.Paragraph(strings.Join(in.Recipients, ", "))
	return doc.Bytes()
}

// MinutesReview is what finalising the minutes will do, shown before the
// coordinator confirms it (issue 13, point 4): who reads them in Samordna,
// who must be sent them, how many measures become tasks and when the next
// meeting is planned.
type MinutesReview struct {
	InSamordna  []string  // names of the members and the coordinating unit, who read them here
	SendBy      []string  // the other recipients, whom the coordinator sends them to
	NewMeasures int       // measures that become tasks (or go into the plan)
	NextMeeting time.Time // zero when none is set
}

// ReviewFinalise returns what finalising the view's minutes (as saved)
// will do, or the error finalising would give now: minutes_finalised
// (409), meeting_not_held (422), or minutes_incomplete (a
// *MinutesIncomplete). It changes nothing; the view was read with its
// audit row.
func (a *App) ReviewFinalise(v *MeetingView) (*MinutesReview, error) {
	m := v.Meeting
	if v.MinutesFinal {
		return nil, store.ErrMinutesFinalised
	}
	if m.Status != store.MeetingPlanned || a.now().Before(m.StartsAt) {
		return nil, samordna.Errorf(samordna.KindRule, "meeting_not_held", "minutes are finalised after the meeting has begun")
	}
	if missing := v.Missing(); len(missing) > 0 || v.Minutes == nil {
		return nil, incomplete(missing)
	}
	in := v.Minutes
	out := &MinutesReview{NewMeasures: len(in.NewMeasures)}
	ids, others := recipientIDs(in.Recipients, v.Attendees)
	reached := map[string]bool{}
	for _, id := range ids {
		reached[id] = true
	}
	for _, x := range v.Attendees {
		if reached[x.EmployeeID] {
			out.InSamordna = append(out.InSamordna, x.Name)
			delete(reached, x.EmployeeID)
		}
	}
	out.SendBy = others
	if in.NextMeeting != nil {
		out.NextMeeting, _ = time.Parse(time.RFC3339, in.NextMeeting.StartsAt)
	}
	return out, nil
}
