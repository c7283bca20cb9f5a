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

// addLeader adds a service leader, nils, to the coordination world.
func (w *coordWorld) addLeader() {
	w.t.Helper()
	mid := w.as("ola").Employee.MunicipalityID
	w.must(w.db.Write(context.Background(), func(tx *store.Tx) error {
		e := &samordna.Employee{ID: samordna.NewID(), MunicipalityID: mid, Username: "nils", Name: "Nils Haugen",
			Email: "nils@test.invalid", Roles: []samordna.Role{samordna.RoleEmployee, samordna.RoleServiceLeader}}
		return store.CreateEmployee(tx, e, "", coordStart)
	}))
	w.must(w.db.Read(context.Background(), func(tx *store.Tx) error {
		e, _, err := store.EmployeeByUsername(tx, "nils")
		w.actors["nils"] = &samordna.Actor{Employee: e, RequestID: "test-nils"}
		return err
	}))
}

// concernWithFirstStep registers a concern at created whose first routine
// step is due days later and was done after done days (done < 0: still
// open); a second step, open and long overdue, must not count.
func (w *coordWorld) concernWithFirstStep(created time.Time, dueDays, doneDays int) {
	w.t.Helper()
	w.clock.mu.Lock()
	w.clock.now = created
	w.clock.mu.Unlock()
	caseID := w.bareCase(w.child)
	ola := w.as("ola").Employee
	w.must(w.db.Write(context.Background(), func(tx *store.Tx) error {
		due := created.AddDate(0, 0, dueDays)
		first := &store.Task{CaseID: caseID, MunicipalityID: ola.MunicipalityID, Kind: store.TaskKindStep, StepID: "s1",
			Title: "Drøft med leder", Responsible: "discoverer", AssigneeKind: store.AssignEmployee, EmployeeID: ola.ID,
			Status: store.TaskOpen, StartedAt: created, DueAt: &due, OverdueAfter: &due, CreatedAt: created}
		if err := store.CreateTask(tx, first); err != nil {
			return err
		}
		late := created.AddDate(0, 0, 1)
		second := &store.Task{CaseID: caseID, MunicipalityID: ola.MunicipalityID, Kind: store.TaskKindStep, StepID: "s2",
			Title: "Samtale", Responsible: "discoverer", AssigneeKind: store.AssignEmployee, EmployeeID: ola.ID,
			Status: store.TaskOpen, StartedAt: created.Add(time.Hour), DueAt: &late, OverdueAfter: &late,
			CreatedAt: created.Add(time.Hour)}
		if err := store.CreateTask(tx, second); err != nil {
			return err
		}
		if doneDays >= 0 {
			return store.CompleteTask(tx, first.ID, ola.ID, "done", created.AddDate(0, 0, doneDays))
		}
		return nil
	}))
}

// Seed 001, municipality level / structure ("Sikre at resultatene måles og
// rapporteres på"): the share of concerns whose first step was done within
// its deadline, computed from the cases, equals a hand count; a quarter
// counting fewer than five concerns is shown as "under 5", never as a
// figure; an entered indicator reports its latest quarter.
func TestGoalIndicatorMatchesHandCount(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newCoordWorld(t, db)
		w.addLeader()
		ctx := context.Background()
		day := func(s string) time.Time { return date(s).Add(9 * time.Hour) }
		// Q1 2026: three concerns, first step on time.
		w.concernWithFirstStep(day("2026-01-12"), 7, 2)
		w.concernWithFirstStep(day("2026-02-03"), 7, 7)
		w.concernWithFirstStep(day("2026-03-10"), 14, 0)
		// Q2-Q3: two on time, one done late, one open past its deadline,
		// one open and not yet due (not counted).
		w.concernWithFirstStep(day("2026-05-04"), 7, 1)
		w.concernWithFirstStep(day("2026-06-01"), 7, 3)
		w.concernWithFirstStep(day("2026-06-15"), 7, 9)
		w.concernWithFirstStep(day("2026-08-03"), 7, -1)
		w.concernWithFirstStep(day("2026-09-14"), 14, -1)
		// 2025: not this year's.
		w.concernWithFirstStep(day("2025-11-03"), 7, 1)
		w.clock.mu.Lock()
		w.clock.now = day("2026-09-15")
		w.clock.mu.Unlock()

		target := 90.0
		g, err := w.app.SaveGoal(ctx, w.as("nils"), "", app.MunicipalGoalInput{Level: "municipality",
			Dimension: "structure", Text: "Bekymringer følges opp innen fristen", OwnerKind: "chief_executive",
			Indicator: "concerns_first_step_on_time", Target: &target, Year: 2026})
		w.must(err)
		training := 4.0
		tg, err := w.app.SaveGoal(ctx, w.as("nils"), "", app.MunicipalGoalInput{Level: "service", Dimension: "culture",
			Text: "Felles opplæring for alle virksomheter", OwnerKind: "service_leader", Owner: "nils",
			Indicator: "entered_count", IndicatorText: "Fellesopplæringer holdt", Target: &training, Year: 2026})
		w.must(err)
		w.must(w.app.EnterGoalResult(ctx, w.as("nils"), tg.ID, 2026, 1, 1))
		w.must(w.app.EnterGoalResult(ctx, w.as("nils"), tg.ID, 2026, 3, 3))
		err = w.app.EnterGoalResult(ctx, w.as("nils"), g.ID, 2026, 1, 50)
		coordWantCode(t, err, "indicator_computed")

		rep, err := w.app.GoalReportFor(ctx, w.as("nils"), 2026)
		w.must(err)
		if len(rep.Goals) != 2 {
			t.Fatalf("%d goals", len(rep.Goals))
		}
		got := rep.Goals[0]
		// By hand: on time 3 + 2 = 5 of 5 + 1 late + 1 overdue = 7.
		want := 71.4
		if got.Result == nil || *got.Result != want || got.Suppressed {
			t.Errorf("result = %v (suppressed %v), want %v", ptr(got.Result), got.Suppressed, want)
		}
		if got.Met == nil || *got.Met {
			t.Errorf("met = %v, want false (target 90)", got.Met)
		}
		if len(got.Trend) != 3 {
			t.Fatalf("trend has %d quarters, want 3 (Q4 has not begun)", len(got.Trend))
		}
		if q1 := got.Trend[0]; q1.Value != nil || !q1.Suppressed {
			t.Errorf("Q1 counts three concerns: want under 5, got %v suppressed=%v", ptr(q1.Value), q1.Suppressed)
		}
		// Q2 by hand: Q1's three, May's and June 1st's on time, June 15th's
		// late (done the 24th, inside Q2) = 5 of 6.
		if q2 := got.Trend[1]; q2.Value == nil || *q2.Value != 83.3 {
			t.Errorf("Q2 = %v, want 83.3", ptr(q2.Value))
		}
		entered := rep.Goals[1]
		if entered.Result == nil || *entered.Result != 3 || entered.Trend[1].Value == nil || *entered.Trend[1].Value != 1 {
			t.Errorf("entered result = %v, trend %+v", ptr(entered.Result), entered.Trend)
		}
		if entered.Met == nil || *entered.Met {
			t.Errorf("3 of 4 training sessions is not met: %v", entered.Met)
		}
		// Other years: no result; bad years refused.
		old, err := w.app.GoalReportFor(ctx, w.as("nils"), 2024)
		w.must(err)
		if old.Goals[0].Result != nil || old.Goals[0].Target != nil {
			t.Errorf("2024 has figures: %+v", old.Goals[0])
		}
		_, err = w.app.GoalReportFor(ctx, w.as("nils"), 1900)
		coordWantCode(t, err, "invalid_year")
		// Only leaders; refusal looks like not found.
		for _, who := range []string{"ola", "kari", "admin"} {
			if _, err := w.app.GoalReportFor(ctx, w.as(who), 2026); !errors.Is(err, samordna.ErrNotFound) {
				t.Errorf("%s read the goal report: %v", who, err)
			}
			if _, err := w.app.SaveGoal(ctx, w.as(who), g.ID, app.MunicipalGoalInput{}); !errors.Is(err, samordna.ErrNotFound) {
				t.Errorf("%s changed a goal: %v", who, err)
			}
		}
	})
}

func ptr(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

// Bad input gets a clear error and changes nothing.
func TestGoalInputRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newCoordWorld(t, db)
		w.addLeader()
		ctx := context.Background()
		ok := app.MunicipalGoalInput{Level: "individual", Dimension: "culture", Text: "Screening brukes",
			OwnerKind: "employee", Indicator: "entered_percent", IndicatorText: "Andel ansatte som bruker screening"}
		hundredOne := 101.0
		for code, change := range map[string]func(*app.MunicipalGoalInput){
			"invalid_level":           func(in *app.MunicipalGoalInput) { in.Level = "county" },
			"invalid_dimension":       func(in *app.MunicipalGoalInput) { in.Dimension = "money" },
			"invalid_owner_kind":      func(in *app.MunicipalGoalInput) { in.OwnerKind = "mayor" },
			"invalid_indicator":       func(in *app.MunicipalGoalInput) { in.Indicator = "happiness" },
			"text_required":           func(in *app.MunicipalGoalInput) { in.Text = "  " },
			"indicator_text_required": func(in *app.MunicipalGoalInput) { in.IndicatorText = "" },
			"unknown_owner":           func(in *app.MunicipalGoalInput) { in.Owner = "nobody" },
			"invalid_target":          func(in *app.MunicipalGoalInput) { in.Target, in.Year = &hundredOne, 2026 },
			"text_too_long":           func(in *app.MunicipalGoalInput) { in.Text = strings.Repeat("x", 501) },
		} {
			in := ok
			change(&in)
			_, err := w.app.SaveGoal(ctx, w.as("nils"), "", in)
			if samordna.ErrorCode(err) != code {
				t.Errorf("%s: got %v", code, err)
			}
		}
		goals, err := w.app.ListGoals(ctx, w.as("nils"))
		w.must(err)
		if len(goals) != 0 {
			t.Errorf("refused input made %d goals", len(goals))
		}
	})
}

// Seed 001, service level / structure ("Etablere faste møtearenaer for
// samarbeid og informasjonsutveksling om målgruppa (årshjul)"): the yearly
// cycle's activities become their owner's tasks lead days before, once,
// and the feed with RRULEs passes ical.js and python icalendar. A
// training's task is closed with how many took part ("Gjennomføre felles
// opplæring"), which the computed indicators trainings_held and
// training_participants report.
func TestAnnualCycleTasksAndFeed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newCoordWorld(t, db)
		w.addLeader()
		ctx := context.Background()
		training, err := w.app.CreateActivity(ctx, w.as("nils"), app.ActivityInput{Level: "service",
			Kind: "joint_training", Title: "Felles opplæring: barn som pårørende", Owner: "anne", IntervalMonths: 6,
			StartYear: 2026, StartMonth: 3, Week: 2, Weekday: 2, StartTime: "09:00", DurationMinutes: 180, LeadDays: 14})
		w.must(err)
		_, err = w.app.CreateActivity(ctx, w.as("nils"), app.ActivityInput{Level: "municipality", Kind: "council_report",
			Title: "Rapport til hovedutvalg; mål og resultater", Owner: "nils", IntervalMonths: 12, StartYear: 2026,
			StartMonth: 11, MonthDay: 20, StartTime: "10:00", DurationMinutes: 60, LeadDays: 21})
		w.must(err)
		_, err = w.app.CreateActivity(ctx, w.as("nils"), app.ActivityInput{Level: "service", Kind: "leader_meeting",
			Title: "Ledermøte", Owner: "nils", IntervalMonths: 1, StartMonth: 13, MonthDay: 1, StartTime: "09:00",
			DurationMinutes: 60})
		coordWantCode(t, err, "invalid_start")
		if _, err := w.app.CreateActivity(ctx, w.as("ola"), app.ActivityInput{}); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("a teacher added to the cycle: %v", err)
		}

		// 2nd Tuesday of March 2026 is the 10th; of September the 8th.
		occ := app.Occurrences(training, date("2026-01-01"), date("2027-01-01"))
		if len(occ) != 2 || occ[0].Format("2006-01-02 15:04") != "2026-03-10 09:00" ||
			occ[1].Format("2006-01-02") != "2026-09-08" {
			t.Errorf("occurrences = %v", occ)
		}
		if got := app.RRule(training); got != "FREQ=MONTHLY;INTERVAL=6;BYDAY=2TU" {
			t.Errorf("RRULE = %s", got)
		}

		// The clock starts 2 March: the training of 10 March is within 14
		// days and becomes anne's task, once even when swept twice.
		for range 2 {
			_, err := w.app.SweepOverdue(ctx, w.clock.Now())
			w.must(err)
		}
		mine, err := w.app.MyActivityTasks(ctx, w.as("anne"))
		w.must(err)
		if len(mine) != 1 || mine[0].OccursOn != "2026-03-10" || mine[0].Status != "open" {
			t.Fatalf("anne's tasks = %+v", mine)
		}
		if kinds := w.unreadKinds("anne"); !strings.Contains(kinds, app.NoticeActivityDue) {
			t.Errorf("anne was not told: %s", kinds)
		}
		if err := w.app.CompleteActivityTask(ctx, w.as("ola"), mine[0].ID, 0); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("ola completed anne's task: %v", err)
		}
		// A training asks how many took part (seed 001 rows 1.38/1.45:
		// training records); the computed indicators count it.
		coordWantCode(t, w.app.CompleteActivityTask(ctx, w.as("anne"), mine[0].ID, 0), "participant_count_required")
		w.must(w.app.CompleteActivityTask(ctx, w.as("anne"), mine[0].ID, 14))
		cycle, err := w.app.AnnualCycleFor(ctx, w.as("nils"))
		w.must(err)
		if len(cycle.Activities) != 2 || len(cycle.Tasks) != 1 || cycle.Tasks[0].Status != "done" ||
			cycle.Tasks[0].Participants == nil || *cycle.Tasks[0].Participants != 14 {
			t.Errorf("cycle = %d activities, tasks %+v", len(cycle.Activities), cycle.Tasks)
		}
		w.clock.mu.Lock()
		w.clock.now = w.clock.now.Add(time.Hour)
		w.clock.mu.Unlock()
		for key, want := range map[string]float64{"trainings_held": 1, "training_participants": 14} {
			target := 2.0
			_, err := w.app.SaveGoal(ctx, w.as("nils"), "", app.MunicipalGoalInput{Level: "service", Dimension: "culture",
				Text: "Opplæring: " + key, OwnerKind: "service_leader", Owner: "nils", Indicator: key, Target: &target, Year: 2026})
			w.must(err)
			rep, err := w.app.GoalReportFor(ctx, w.as("nils"), 2026)
			w.must(err)
			for _, g := range rep.Goals {
				if g.Goal.Indicator == key && (g.Result == nil || *g.Result != want) {
					t.Errorf("%s = %v, want %v", key, ptr(g.Result), want)
				}
			}
		}

		ics, err := w.app.AnnualCycleICS(ctx, w.as("nils"))
		w.must(err)
		s := string(ics)
		for _, want := range []string{"METHOD:PUBLISH", "RRULE:FREQ=MONTHLY;INTERVAL=6;BYDAY=2TU\r\n",
			"RRULE:FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=20\r\n", "DTSTART;TZID=Europe/Oslo:20260310T090000\r\n",
			"DTEND;TZID=Europe/Oslo:20260310T120000\r\n", "DTSTART;TZID=Europe/Oslo:20261120T100000\r\n",
			`SUMMARY:Rapport til hovedutvalg\; mål og resultater`, "DESCRIPTION:Ansvarlig: Anne Lunde"} {
			if !strings.Contains(s, want) {
				t.Errorf("feed lacks %q:\n%s", want, s)
			}
		}
		runICSCheckers(t, ics)

		// The personal feed link reads as its leader; a new one revokes it.
		secret, err := w.app.NewCalendarFeed(ctx, w.as("nils"))
		w.must(err)
		emp, err := w.app.CalendarFeedEmployee(ctx, secret)
		if err != nil || emp.Username != "nils" {
			t.Fatalf("feed employee = %v, %v", emp, err)
		}
		_, err = w.app.NewCalendarFeed(ctx, w.as("nils"))
		w.must(err)
		if _, err := w.app.CalendarFeedEmployee(ctx, secret); err == nil {
			t.Error("a replaced feed link still works")
		}
		if _, err := w.app.NewCalendarFeed(ctx, w.as("ola")); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("a teacher got a feed link: %v", err)
		}
	})
}

// runICSCheckers runs the independent iCalendar checkers the test script
// installs (ICS_CHECK_JS: Mozilla's ical.js, ICS_CHECK_PY: python
// icalendar) on the feed; it says so in the log when one is missing.
func runICSCheckers(t *testing.T, ics []byte) {
	t.Helper()
	f := filepath.Join(t.TempDir(), "arshjul.ics")
	if err := os.WriteFile(f, ics, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, env := range []string{"ICS_CHECK_JS", "ICS_CHECK_PY"} {
		cmd := os.Getenv(env)
		if cmd == "" {
			t.Logf("%s not set: the checker did not run (scripts/test.sh sets it)", env)
			continue
		}
		fields := strings.Fields(cmd)
		out, err := exec.Command(fields[0], append(fields[1:], f)...).CombinedOutput()
		if err != nil {
			t.Errorf("%s rejects the feed: %v\n%s", env, err, out)
		}
	}
}
