package app_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// movingClock is a clock the test moves forward.
type movingClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *movingClock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *movingClock) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// teamWorld is the demo municipality with a clock the test moves.
type teamWorld struct {
	t     *testing.T
	db    *store.DB
	app   *app.App
	clock *movingClock
	teams map[string]*app.TeamInfo // by name
}

func newTeamWorld(t *testing.T, db *store.DB) *teamWorld {
	t.Helper()
	w := &teamWorld{t: t, db: db, clock: &movingClock{t: demoToday}}
	w.app = app.New(db, w.clock, nil)
	w.app.AllowSynthetic = true
	if _, err := w.app.SeedDemo(context.Background(), demoPassword); err != nil {
		t.Fatal(err)
	}
	infos, err := w.app.Teams(context.Background(), w.as("espen.laerer"))
	if err != nil {
		t.Fatal(err)
	}
	w.teams = map[string]*app.TeamInfo{}
	for _, i := range infos {
		w.teams[i.Team.Name] = i
	}
	return w
}

func (w *teamWorld) as(username string) *samordna.Actor {
	w.t.Helper()
	var e *samordna.Employee
	if err := w.db.Read(context.Background(), func(tx *store.Tx) error {
		var err error
		e, _, err = store.EmployeeByUsername(tx, username)
		return err
	}); err != nil {
		w.t.Fatal(err)
	}
	return &samordna.Actor{Employee: e}
}

func (w *teamWorld) team(name string) string {
	w.t.Helper()
	i, ok := w.teams[name]
	if !ok {
		w.t.Fatalf("no team %q", name)
	}
	return i.Team.ID
}

// nextMeeting returns the team's next planned meeting with room.
func (w *teamWorld) nextMeeting(teamID string) *store.TeamMeeting {
	w.t.Helper()
	var m *store.TeamMeeting
	if err := w.db.Read(context.Background(), func(tx *store.Tx) error {
		var err error
		m, err = store.NextTeamMeetingWithRoom(tx, teamID, w.clock.Now())
		return err
	}); err != nil {
		w.t.Fatal(err)
	}
	return m
}

func (w *teamWorld) count(q string, args ...any) int {
	w.t.Helper()
	var n int
	if err := w.db.Read(context.Background(), func(tx *store.Tx) error { return tx.QueryRow(q, args...).Scan(&n) }); err != nil {
		w.t.Fatal(err)
	}
	return n
}

// person returns a demo person by name.
func (w *teamWorld) person(name string) *samordna.Person {
	w.t.Helper()
	var out *samordna.Person
	_ = w.db.Read(context.Background(), func(tx *store.Tx) error {
		ps, err := store.ListPersons(tx, 1000)
		for _, p := range ps {
			if p.Name == name {
				out = p
			}
		}
		return err
	})
	if out == nil {
		w.t.Fatalf("no person %q", name)
	}
	return out
}

func wantTeamCode(t *testing.T, err error, code string) {
	t.Helper()
	if samordna.ErrorCode(err) != code {
		t.Errorf("error = %v, want %s", err, code)
	}
}

// Seed 002 §4.2: "Skoler og barnehager melder inn saker til TST i sitt
// distrikt" — a school in Sør brings a matter to TST Sør and it is on the
// next meeting's agenda; TST Nord needs a reason; an anonymous matter with
// a fødselsnummer is refused and nothing is stored; the OST takes no named
// matters.
func TestTeamMatterIntakeSeed002(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newTeamWorld(t, db)
		ctx := context.Background()
		espen := w.as("espen.laerer")
		sor, nord, ost := w.team("TST Sør"), w.team("TST Nord"), w.team("OST")
		if !w.teams["TST Sør"].OwnDistrict || w.teams["TST Nord"].OwnDistrict || w.teams["TST Sør"].NextMeeting == nil {
			t.Fatalf("espen's teams: Sør own %v next %v, Nord own %v", w.teams["TST Sør"].OwnDistrict,
				w.teams["TST Sør"].NextMeeting, w.teams["TST Nord"].OwnDistrict)
		}
		next := w.nextMeeting(sor)
		x, err := w.app.SubmitTeamMatter(ctx, espen, sor, app.NewTeamMatter{Anonymous: true,
			Question: "Elev på 6. trinn trekker seg unna og er mye borte. Hvordan kan vi følge opp?"})
		if err != nil {
			t.Fatal(err)
		}
		if x.MeetingID != next.ID || x.Status != store.MatterOnAgenda || x.ServiceID == "" {
			t.Errorf("matter on meeting %s (%s), want next meeting %s", x.MeetingID, x.Status, next.ID)
		}
		mine, err := w.app.MyTeamMatters(ctx, espen)
		if err != nil || len(mine) == 0 || mine[0].Meeting == nil || !mine[0].Meeting.StartsAt.Equal(next.StartsAt) {
			t.Fatalf("espen's matters: %v %+v", err, mine)
		}

		before := w.count(`SELECT COUNT(*) FROM team_matters`)
		_, err = w.app.SubmitTeamMatter(ctx, espen, nord, app.NewTeamMatter{Anonymous: true, Question: "Et spørsmål"})
		wantTeamCode(t, err, "wrong_district")
		_, err = w.app.SubmitTeamMatter(ctx, espen, sor, app.NewTeamMatter{Anonymous: true,
			Question: "Gjelder eleven med fnr " + w.person("Jakob Haugen").IDNumber})
		wantTeamCode(t, err, "identifying_data")
		_, err = w.app.SubmitTeamMatter(ctx, espen, ost, app.NewTeamMatter{Anonymous: false, Question: "Navngitt",
			Subject: &app.ConcernSubject{IDNumber: w.person("Jakob Haugen").IDNumber, Name: "Jakob Haugen"}})
		wantTeamCode(t, err, "named_case_not_allowed")
		if n := w.count(`SELECT COUNT(*) FROM team_matters`); n != before {
			t.Errorf("refused matters were stored: %d → %d", before, n)
		}
		y, err := w.app.SubmitTeamMatter(ctx, espen, nord, app.NewTeamMatter{Anonymous: true, Question: "Et spørsmål",
			Reason: "Eleven flytter til Nordby skole neste måned"})
		if err != nil || y.Reason == "" {
			t.Fatalf("with a reason: %v", err)
		}
		if _, err := w.app.SubmitTeamMatter(ctx, w.as("admin"), sor, app.NewTeamMatter{Anonymous: true, Question: "x"}); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("admin submitted: %v", err)
		}
	})
}

// Seed 002 §4 and issue 11 rule 4: a team member reads a named matter's
// case only while it is on the agenda with consent naming it to that team,
// and cannot change the case; the advice reaches the submitter as a task
// when the minutes are finalised, and access ends then.
func TestTeamMemberReadsNamedMatterOnlyOnAgendaSeed002(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newTeamWorld(t, db)
		ctx := context.Background()
		espen, anne, ola := w.as("espen.laerer"), w.as("anne.ppt"), w.as("ola.laerer")
		sor := w.team("TST Sør")
		jakob := w.person("Jakob Haugen")
		concern, err := w.app.RegisterConcern(ctx, espen, app.NewConcern{Situation: "unclear_concern",
			Subject: &app.ConcernSubject{IDNumber: jakob.IDNumber, Name: jakob.Name}, Description: "Bekymring for Jakob"})
		if err != nil {
			t.Fatal(err)
		}
		caseID := concern.Case.ID
		named := app.NewTeamMatter{Question: "Hvordan kan skolen og hjemmet samarbeide bedre?",
			Subject: &app.ConcernSubject{IDNumber: jakob.IDNumber, Name: jakob.Name}}
		_, err = w.app.SubmitTeamMatter(ctx, espen, sor, named)
		wantTeamCode(t, err, "consent_required")
		// A consent naming another team does not cover TST Sør.
		if _, err := w.app.RecordConsent(ctx, espen, caseID, app.NewConsent{GivenBy: "Linn Haugen", GivenByRelation: "guardian",
			Purposes: []samordna.ConsentPurpose{samordna.PurposeShareWithTeam}, TeamID: w.team("TST Nord")}); err != nil {
			t.Fatal(err)
		}
		_, err = w.app.SubmitTeamMatter(ctx, espen, sor, named)
		wantTeamCode(t, err, "consent_required")
		if _, err := w.app.GetCase(ctx, anne, caseID); !errors.Is(err, samordna.ErrNotFound) {
			t.Fatalf("anne read the case before it was on the agenda: %v", err)
		}
		consent, err := w.app.RecordConsent(ctx, espen, caseID, app.NewConsent{GivenBy: "Linn Haugen", GivenByRelation: "guardian",
			Purposes: []samordna.ConsentPurpose{samordna.PurposeShareWithTeam}, TeamID: sor})
		if err != nil {
			t.Fatal(err)
		}
		x, err := w.app.SubmitTeamMatter(ctx, espen, sor, named)
		if err != nil || x.ConsentID != consent.ID || x.CaseID != caseID || x.Status != store.MatterOnAgenda {
			t.Fatalf("named matter: %v %+v", err, x)
		}
		// On the agenda with consent: the member reads, and only reads.
		if _, err := w.app.GetCase(ctx, anne, caseID); err != nil {
			t.Errorf("anne cannot read the case on the agenda: %v", err)
		}
		if _, err := w.app.RecordAcuteContact(ctx, anne, caseID, app.NewAcuteContact{Contacted: "police"}); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("anne changed the case as a team member: %v", err)
		}
		if _, err := w.app.RecordConsent(ctx, anne, caseID, app.NewConsent{GivenBy: "X",
			Purposes: []samordna.ConsentPurpose{samordna.PurposeShareWithMembers}}); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("anne recorded a consent as a team member: %v", err)
		}
		if _, err := w.app.GetCase(ctx, ola, caseID); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("ola (not a member) read the case: %v", err)
		}
		if _, err := w.app.TeamMeetingAgenda(ctx, ola, x.MeetingID); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("ola read the agenda: %v", err)
		}
		v, err := w.app.TeamMeetingAgenda(ctx, anne, x.MeetingID)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, mv := range v.Matters {
			if mv.Matter.ID == x.ID {
				found = mv.PersonName == "Jakob Haugen" && !mv.Hidden && mv.Matter.Question != ""
			}
		}
		if !found {
			t.Errorf("the agenda does not show Jakob's matter: %+v", v.Matters)
		}
		// An ad hoc invitee for this matter reads it too, and only it.
		if err := w.app.AddTeamMeetingInvitee(ctx, anne, x.MeetingID, w.as("siv.rus").Employee.ID, x.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := w.app.GetCase(ctx, w.as("siv.rus"), caseID); err != nil {
			t.Errorf("the invitee cannot read the matter's case: %v", err)
		}
		// Withdrawn consent: the next request is refused, the agenda hides it.
		other, err := w.app.RecordConsent(ctx, espen, caseID, app.NewConsent{GivenBy: "Linn Haugen", GivenByRelation: "guardian",
			Purposes: []samordna.ConsentPurpose{samordna.PurposeShareWithMembers}})
		if err != nil {
			t.Fatal(err)
		}
		_ = other
		if _, err := w.app.WithdrawConsent(ctx, espen, consent.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := w.app.GetCase(ctx, anne, caseID); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("anne still reads the case after the consent was withdrawn: %v", err)
		}
		v, err = w.app.TeamMeetingAgenda(ctx, anne, x.MeetingID)
		if err != nil {
			t.Fatal(err)
		}
		for _, mv := range v.Matters {
			if mv.Matter.ID == x.ID && (!mv.Hidden || mv.PersonName != "" || mv.Matter.Question != "") {
				t.Errorf("the agenda shows a matter whose consent was withdrawn: %+v", mv)
			}
		}
	})
}

// The meeting gives advice and an onward referral; finalising (after a
// review) locks the minutes and the advice reaches the submitter as a task.
func TestTeamMinutesAdviceReachesSubmitterSeed002(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newTeamWorld(t, db)
		ctx := context.Background()
		espen, anne := w.as("espen.laerer"), w.as("anne.ppt")
		sor := w.team("TST Sør")
		x, err := w.app.SubmitTeamMatter(ctx, espen, sor, app.NewTeamMatter{Anonymous: true,
			Question: "Et barn i 2. klasse strever med lesing og konsentrasjon."})
		if err != nil {
			t.Fatal(err)
		}
		m := w.nextMeeting(sor)
		minutes := app.TeamMinutes{Present: []string{anne.Employee.ID}, Summary: "Tre saker drøftet.",
			Outcomes: []app.MatterOutcome{{MatterID: x.ID, Advice: "Kartlegg lesing; meld til PPT med samtykke.", Referral: "ppt"}}}
		wantTeamCode(t, w.app.FinaliseTeamMinutes(ctx, anne, x.MeetingID, minutes), "meeting_not_started")
		w.clock.set(m.StartsAt.Add(3 * time.Hour))
		if err := w.app.FinaliseTeamMinutes(ctx, espen, x.MeetingID, minutes); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("the submitter (not a member) finalised the minutes: %v", err)
		}
		bad := minutes
		bad.Outcomes = []app.MatterOutcome{{MatterID: x.ID, Advice: "Ring 12345", Referral: "police"}}
		wantTeamCode(t, w.app.CheckTeamMinutes(ctx, anne, x.MeetingID, bad), "invalid_referral")
		if err := w.app.CheckTeamMinutes(ctx, anne, x.MeetingID, minutes); err != nil {
			t.Fatal(err)
		}
		if err := w.app.FinaliseTeamMinutes(ctx, anne, x.MeetingID, minutes); err != nil {
			t.Fatal(err)
		}
		wantTeamCode(t, w.app.FinaliseTeamMinutes(ctx, anne, x.MeetingID, minutes), "meeting_locked")
		wantTeamCode(t, w.app.CancelTeamMeeting(ctx, anne, x.MeetingID, ""), "meeting_locked")
		got, err := w.app.TeamMatter(ctx, espen, x.ID)
		if err != nil || got.Matter.Status != store.MatterDiscussed || got.Matter.Advice == "" || got.Matter.Referral != "ppt" {
			t.Fatalf("the submitter sees %v %+v", err, got)
		}
		tasks, err := w.app.ListTasks(ctx, espen, app.TaskQuery{AssignedToMe: true, Status: "open", Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, tv := range tasks.Tasks {
			if tv.ID == got.Matter.AdviceTaskID && strings.Contains(tv.Title, "PPT") && strings.Contains(tv.Title, "TST Sør") {
				found = true
			}
		}
		if !found {
			t.Errorf("no advice task for espen among %d tasks", len(tasks.Tasks))
		}
		if _, err := w.app.TeamMatter(ctx, anne, x.ID); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("another employee read the submitter's matter: %v", err)
		}
	})
}

// Seed 002 §3.3/§4.1.3: the series from the team's rule (OST monthly) as
// an iCalendar feed with RRULE and Europe/Oslo; one meeting moved and one
// cancelled show as RECURRENCE-ID and EXDATE; the feed passes ical.js and
// python icalendar when installed (ICS_CHECK_JS, ICS_CHECK_PY).
func TestTeamSeriesFeedSeed002(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newTeamWorld(t, db)
		ctx := context.Background()
		gro := w.as("gro.hsleder") // OST member
		ost := w.team("OST")
		first := time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC) // Tuesday 1 September, 10:00 in Oslo
		res, err := w.app.PlanTeamSeries(ctx, gro, ost, app.NewTeamSeries{FirstStartsAt: first,
			Until: time.Date(2027, 6, 30, 0, 0, 0, 0, time.UTC), Place: "Rådhuset, møterom 3", DurationMinutes: 120})
		if err != nil {
			t.Fatal(err)
		}
		var sept *store.TeamMeeting
		var planned []*store.TeamMeeting
		for _, m := range res.Meetings {
			if m.SeriesStart != nil && m.SeriesStart.Equal(first) {
				sept = m
			}
			planned = append(planned, m)
		}
		if sept == nil || len(planned) < 10 {
			t.Fatalf("series: %d new meetings, first %v", len(planned), sept)
		}
		// Every meeting is the first Tuesday at 10:00 Oslo time (winter and summer).
		oslo, _ := time.LoadLocation("Europe/Oslo")
		for _, m := range planned {
			l := m.StartsAt.In(oslo)
			if l.Weekday() != time.Tuesday || l.Day() > 7 || l.Hour() != 10 {
				t.Errorf("meeting at %v is not the first Tuesday 10:00", l)
			}
		}
		if err := w.app.MoveTeamMeeting(ctx, gro, planned[1].ID, planned[1].StartsAt.Add(24*time.Hour), "", ""); err != nil {
			t.Fatal(err)
		}
		if err := w.app.CancelTeamMeeting(ctx, gro, planned[2].ID, ""); err != nil {
			t.Fatal(err)
		}
		if err := w.app.MoveTeamMeeting(ctx, w.as("ola.laerer"), planned[3].ID, planned[3].StartsAt, "", ""); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("a non-member moved a meeting: %v", err)
		}
		ics, err := w.app.TeamFeed(ctx, gro, ost)
		if err != nil {
			t.Fatal(err)
		}
		s := string(ics)
		for _, want := range []string{"BEGIN:VTIMEZONE\r\nTZID:Europe/Oslo", "RRULE:FREQ=MONTHLY;INTERVAL=1;BYDAY=1TU;UNTIL=",
			"DTSTART;TZID=Europe/Oslo:20260901T100000", "EXDATE;TZID=Europe/Oslo:" + planned[2].StartsAt.In(oslo).Format("20060102T150405"),
			"RECURRENCE-ID;TZID=Europe/Oslo:" + planned[1].StartsAt.In(oslo).Format("20060102T150405"),
			"ATTENDEE;CN=Gro Nyland", "METHOD:PUBLISH"} {
			if !strings.Contains(s, want) {
				t.Errorf("feed lacks %q:\n%s", want, s)
			}
		}
		if _, err := w.app.TeamFeed(ctx, w.as("ola.laerer"), ost); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("a non-member read the feed: %v", err)
		}
		runICSCheckers(t, ics)
	})
}

// Seed 003 (Ulstein) row 2: "Gjev råd til meldaren. Melde sak til
// koordinator av ressursgruppa. Drøfte sak på neste møte i
// ressursgruppa." When the member who was contacted completes the step,
// the case is a matter of the resource group on its next meeting's agenda
// (anonymous without a consent naming it to the group; named with one),
// and the group's members hear of it.
func TestSeed003Row2ReportsToTheResourceGroupsNextMeeting(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		now := at(2026, 3, 2, 10, 0)
		w := newWorld(t, db, now)
		ctx := context.Background()
		rg := w.teams["rg"]
		meeting, err := w.app.PlanTeamMeeting(ctx, w.as("ingrid"), rg.ID, now.AddDate(0, 0, 10), 90, "Helsestasjonen")
		if err != nil {
			t.Fatal(err)
		}
		row2 := func(c *app.Concern) *store.Task {
			t.Helper()
			in := app.NewConsultation{With: app.ConsultResourceGroup, Mode: app.ConsultAnonymous, Adviser: "ingrid",
				Advice: "Snakk med foreldrene."}
			if _, _, err := w.app.RecordConsultation(ctx, w.as("ola"), c.Case.ID, in); err != nil {
				t.Fatal(err)
			}
			task := w.openTasks(c.Case.ID)["row-02"]
			if task == nil {
				t.Fatal("no row 2 task")
			}
			return task
		}
		// A named case without a consent naming it to the group: an anonymous matter.
		c := w.concern("ola", named(pathway.SituationUnclearConcern, "ulstein-rus-sped-smabarn"))
		task := row2(c)
		if _, _, _, err := w.app.CompleteTaskWithRecords(ctx, w.as("ingrid"), task.ID, "",
			map[string]string{"advice": "Snakk med foreldrene."}); err != nil {
			t.Fatal(err)
		}
		var matters []*store.TeamMatter
		_ = db.Read(ctx, func(tx *store.Tx) error {
			var err error
			matters, err = store.TeamMattersOfMeeting(tx, meeting.ID)
			return err
		})
		if len(matters) != 1 || !matters[0].Anonymous || matters[0].PersonID != "" || matters[0].CaseID == c.Case.ID ||
			matters[0].SubmittedBy != w.id("ingrid") {
			t.Fatalf("the resource group's agenda: %+v", matters)
		}
		if _, err := w.app.GetCase(ctx, w.as("siv"), c.Case.ID); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("a group member reads the named case without consent: %v", err)
		}
		// With a consent naming the group: a named matter, read by the members while on the agenda.
		c2 := w.concern("ola", named(pathway.SituationUnclearConcern, "ulstein-rus-sped-smabarn"))
		if _, err := w.app.RecordConsent(ctx, w.as("ola"), c2.Case.ID, app.NewConsent{GivenBy: "Kari Foreldre",
			GivenByRelation: "guardian", Purposes: []samordna.ConsentPurpose{samordna.PurposeShareWithTeam}, TeamID: rg.ID}); err != nil {
			t.Fatal(err)
		}
		task = row2(c2)
		if _, _, err := w.app.CompleteTask(ctx, w.as("ingrid"), task.ID, ""); err != nil {
			t.Fatal(err)
		}
		v, err := w.app.TeamMeetingAgenda(ctx, w.as("siv"), meeting.ID)
		if err != nil {
			t.Fatal(err)
		}
		var named *app.MatterView
		for _, mv := range v.Matters {
			if mv.Matter.CaseID == c2.Case.ID {
				named = mv
			}
		}
		if len(v.Matters) != 2 || named == nil || named.Matter.Anonymous || named.PersonName == "" || named.Hidden {
			for _, mv := range v.Matters {
				t.Logf("matter %+v person %q hidden %v", mv.Matter, mv.PersonName, mv.Hidden)
			}
			t.Fatal("the named matter is not on the agenda")
		}
		if _, err := w.app.GetCase(ctx, w.as("siv"), c2.Case.ID); err != nil {
			t.Errorf("a group member cannot read the named matter's case on the agenda: %v", err)
		}
		if n := w.countNotifications("siv", "team_matter_reported"); n != 2 {
			t.Errorf("siv heard of %d matters, want 2", n)
		}
	})
}

func (w *world) countNotifications(username, kind string) int {
	w.t.Helper()
	var n int
	if err := w.db.Read(context.Background(), func(tx *store.Tx) error {
		return tx.QueryRow(`SELECT COUNT(*) FROM notifications WHERE employee_id = $1 AND kind = $2`, w.id(username), kind).Scan(&n)
	}); err != nil {
		w.t.Fatal(err)
	}
	return n
}

// The team list says when each team next meets (one statement for all the
// teams): the start of its first planned meeting ahead, the same as asking
// team by team; when that meeting is cancelled, the next one after it.
func TestTeamListNextMeetingIsEachTeamsFirstPlannedSeed002(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newTeamWorld(t, db)
		ctx := context.Background()
		for name, info := range w.teams {
			var want *time.Time
			_ = w.db.Read(ctx, func(tx *store.Tx) error {
				if m, err := store.NextTeamMeeting(tx, info.Team.ID, w.clock.Now()); err == nil {
					want = &m.StartsAt
				}
				return nil
			})
			if (want == nil) != (info.NextMeeting == nil) || (want != nil && !want.Equal(*info.NextMeeting)) {
				t.Errorf("%s: next meeting %v, want %v", name, info.NextMeeting, want)
			}
		}
		sor := w.teams["TST Sør"]
		first := w.nextMeeting(sor.Team.ID)
		if err := w.app.CancelTeamMeeting(ctx, w.as("anne.ppt"), first.ID, "Sykdom"); err != nil {
			t.Fatal(err)
		}
		infos, err := w.app.Teams(ctx, w.as("espen.laerer"))
		if err != nil {
			t.Fatal(err)
		}
		for _, i := range infos {
			if i.Team.ID == sor.Team.ID && (i.NextMeeting == nil || !i.NextMeeting.After(first.StartsAt)) {
				t.Errorf("after cancelling the meeting of %s, TST Sør's next meeting is %v", first.StartsAt, i.NextMeeting)
			}
		}
	})
}
