package pathway_test

import (
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/samordna/samordna/pathway"
	"pgregory.net/rapid"
)

func TestParseDeadline(t *testing.T) {
	for _, c := range []struct {
		in   string
		kind pathway.DeadlineKind
		out  string // String() of the result
	}{
		{"immediately", pathway.DeadlineImmediately, "immediately"},
		{"per_plan", pathway.DeadlinePerPlan, "per_plan"},
		{"P1W", pathway.DeadlineDuration, "P1W"},
		{"P2W", pathway.DeadlineDuration, "P2W"},
		{"P1M", pathway.DeadlineDuration, "P1M"},
		{"P3D", pathway.DeadlineDuration, "P3D"},
		{"PT24H", pathway.DeadlineDuration, "PT24H"},
		{"P0D", pathway.DeadlineDuration, "P0D"},
		{"P1Y2M3DT4H5M6S", pathway.DeadlineDuration, "P1Y2M3DT4H5M6S"},
		{"P3M/P6M", pathway.DeadlineRange, "P3M/P6M"},
		{"P1W/P2W", pathway.DeadlineRange, "P1W/P2W"},
	} {
		d, err := pathway.ParseDeadline(c.in)
		if err != nil {
			t.Errorf("ParseDeadline(%q): %v", c.in, err)
			continue
		}
		if d.Kind != c.kind || d.String() != c.out {
			t.Errorf("ParseDeadline(%q) = kind %d %q, want kind %d %q", c.in, d.Kind, d, c.kind, c.out)
		}
	}
	for _, in := range []string{
		"", "immediate", "Umiddelbart", "1W", "p1w", "P", "PT", "P1", "P1X", "P1.5D", "P-1D",
		"P1W2D", "P1D1D", "P1D2M", "PT1D", "P1H", " P1W", "P1W ", "P6M/P3M", "P3M/", "/P3M",
		"P3M/P6M/P9M", "P10000D", "P99999999999999999999D", "per_plan/P1M",
	} {
		if d, err := pathway.ParseDeadline(in); err == nil {
			t.Errorf("ParseDeadline(%q) = %v, want an error", in, d)
		}
	}
}

func TestDeadlineText(t *testing.T) {
	var v struct{ Deadline pathway.Deadline }
	if err := json.Unmarshal([]byte(`{"Deadline":"P3M/P6M"}`), &v); err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(v)
	if err != nil || string(out) != `{"Deadline":"P3M/P6M"}` {
		t.Errorf("JSON round trip = %s, %v", out, err)
	}
	if err := json.Unmarshal([]byte(`{"Deadline":"P3X"}`), &v); err == nil {
		t.Error("bad deadline decoded without error")
	}
}

// oslo parses a wall-clock time in Europe/Oslo.
func oslo(t testing.TB, s string) time.Time {
	t.Helper()
	d, err := time.ParseInLocation("2006-01-02 15:04", s, pathway.Oslo())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestDeadlineDue(t *testing.T) {
	const layout = "2006-01-02 15:04 MST"
	for _, c := range []struct {
		name        string
		deadline    string
		workingDays bool
		start       string // Europe/Oslo wall clock
		due, over   string // layout, in Europe/Oslo
	}{
		{"immediately", "immediately", false, "2026-03-04 13:37", "2026-03-04 13:37 CET", "2026-03-04 13:37 CET"},
		{"immediately on a Sunday stays", "immediately", true, "2026-04-05 08:00", "2026-04-05 08:00 CEST", "2026-04-05 08:00 CEST"},
		{"P1W plain", "P1W", false, "2026-03-02 09:00", "2026-03-09 09:00 CET", "2026-03-09 09:00 CET"},

		// Summer time starts 2026-03-29 02:00 (CET -> CEST): calendar units keep the wall clock.
		{"P1W across spring forward", "P1W", false, "2026-03-25 10:00", "2026-04-01 10:00 CEST", "2026-04-01 10:00 CEST"},
		{"P1D across spring forward", "P1D", false, "2026-03-28 10:00", "2026-03-29 10:00 CEST", "2026-03-29 10:00 CEST"},
		{"PT24H across spring forward is elapsed time", "PT24H", false, "2026-03-28 10:00", "2026-03-29 11:00 CEST", "2026-03-29 11:00 CEST"},
		{"P1W into the skipped hour moves forward", "P1W", false, "2026-03-22 02:30", "2026-03-29 03:30 CEST", "2026-03-29 03:30 CEST"},
		// Summer time ends 2026-10-25 03:00 (CEST -> CET).
		{"P1W across fall back", "P1W", false, "2026-10-21 10:00", "2026-10-28 10:00 CET", "2026-10-28 10:00 CET"},
		{"P1D across fall back", "P1D", false, "2026-10-24 10:00", "2026-10-25 10:00 CET", "2026-10-25 10:00 CET"},
		{"PT24H across fall back is elapsed time", "PT24H", false, "2026-10-24 10:00", "2026-10-25 09:00 CET", "2026-10-25 09:00 CET"},
		{"P1W into the repeated hour", "P1W", false, "2026-10-18 02:30", "2026-10-25 02:30 CET", "2026-10-25 02:30 CET"},

		// Months clamp to the end of a shorter month.
		{"P1M from 31 January", "P1M", false, "2026-01-31 09:00", "2026-02-28 09:00 CET", "2026-02-28 09:00 CET"},
		{"P1M from 31 January, leap year", "P1M", false, "2028-01-31 09:00", "2028-02-29 09:00 CET", "2028-02-29 09:00 CET"},
		{"P1M from 31 March", "P1M", false, "2026-03-31 09:00", "2026-04-30 09:00 CEST", "2026-04-30 09:00 CEST"},
		{"P1M from 15 January", "P1M", false, "2026-01-15 09:00", "2026-02-15 09:00 CET", "2026-02-15 09:00 CET"},
		{"P1M from 31 December", "P1M", false, "2026-12-31 09:00", "2027-01-31 09:00 CET", "2027-01-31 09:00 CET"},
		{"P1Y from 29 February", "P1Y", false, "2028-02-29 09:00", "2029-02-28 09:00 CET", "2029-02-28 09:00 CET"},

		// Ranges: due after the first period, overdue after the second.
		{"P3M/P6M", "P3M/P6M", false, "2026-01-15 10:00", "2026-04-15 10:00 CEST", "2026-07-15 10:00 CEST"},
		{"P3M/P6M from 31 August", "P3M/P6M", false, "2026-08-31 10:00", "2026-11-30 10:00 CET", "2027-02-28 10:00 CET"},

		// Working days.
		{"P1D working across Easter 2026", "P1D", true, "2026-04-01 09:00", "2026-04-07 09:00 CEST", "2026-04-07 09:00 CEST"},
		{"P1W working across Easter 2026", "P1W", true, "2026-04-01 09:00", "2026-04-13 09:00 CEST", "2026-04-13 09:00 CEST"},
		{"P1W calendar across Easter 2026", "P1W", false, "2026-04-01 09:00", "2026-04-08 09:00 CEST", "2026-04-08 09:00 CEST"},
		{"P3D working across Easter 2027", "P3D", true, "2027-03-24 09:00", "2027-04-01 09:00 CEST", "2027-04-01 09:00 CEST"},
		{"P1D working across 17 May 2027", "P1D", true, "2027-05-14 10:00", "2027-05-18 10:00 CEST", "2027-05-18 10:00 CEST"},
		{"P2D working across 17 May 2028", "P2D", true, "2028-05-16 10:00", "2028-05-19 10:00 CEST", "2028-05-19 10:00 CEST"},
		{"P1D working across Christmas 2025", "P1D", true, "2025-12-24 12:00", "2025-12-29 12:00 CET", "2025-12-29 12:00 CET"},
		{"P1W calendar lands on Christmas Day", "P1W", false, "2025-12-18 12:00", "2025-12-25 12:00 CET", "2025-12-25 12:00 CET"},
		{"P1M working from 31 January: Saturday 28 Feb -> Monday", "P1M", true, "2026-01-31 09:00", "2026-03-02 09:00 CET", "2026-03-02 09:00 CET"},
		{"P0D working on a Saturday -> Monday", "P0D", true, "2026-03-07 09:00", "2026-03-09 09:00 CET", "2026-03-09 09:00 CET"},
		{"PT24H working onto a Saturday -> Monday", "PT24H", true, "2026-03-06 09:00", "2026-03-09 09:00 CET", "2026-03-09 09:00 CET"},
		{"P3M/P6M working", "P3M/P6M", true, "2026-02-28 10:00", "2026-05-28 10:00 CEST", "2026-08-28 10:00 CEST"},
		{"P1M/P2M working: due on Whit Monday -> Tuesday", "P1M/P2M", true, "2026-04-25 10:00", "2026-05-26 10:00 CEST", "2026-06-25 10:00 CEST"},
	} {
		t.Run(c.name, func(t *testing.T) {
			d, err := pathway.ParseDeadline(c.deadline)
			if err != nil {
				t.Fatal(err)
			}
			due, over, ok := d.Due(oslo(t, c.start), c.workingDays)
			if !ok {
				t.Fatal("ok = false")
			}
			if got := due.Format(layout); got != c.due {
				t.Errorf("due = %s, want %s", got, c.due)
			}
			if got := over.Format(layout); got != c.over {
				t.Errorf("overdue after = %s, want %s", got, c.over)
			}
		})
	}
}

func TestDeadlineDueElapsed(t *testing.T) {
	d, _ := pathway.ParseDeadline("P1W")
	// A week across the spring change is 167 hours, across the autumn change 169.
	due, _, _ := d.Due(oslo(t, "2026-03-25 10:00"), false)
	if h := due.Sub(oslo(t, "2026-03-25 10:00")).Hours(); h != 167 {
		t.Errorf("P1W across spring forward = %v hours, want 167", h)
	}
	due, _, _ = d.Due(oslo(t, "2026-10-21 10:00"), false)
	if h := due.Sub(oslo(t, "2026-10-21 10:00")).Hours(); h != 169 {
		t.Errorf("P1W across fall back = %v hours, want 169", h)
	}
	// The start may be in any location; the result is in Oslo.
	due, _, _ = d.Due(time.Date(2026, 3, 25, 9, 0, 0, 0, time.UTC), false)
	if want := time.Date(2026, 4, 1, 8, 0, 0, 0, time.UTC); !due.Equal(want) || due.Location() != pathway.Oslo() {
		t.Errorf("P1W from 09:00 UTC = %v, want %v in Oslo", due, want)
	}
}

func TestDeadlinePerPlan(t *testing.T) {
	for _, d := range []pathway.Deadline{{Kind: pathway.DeadlinePerPlan}, {}} {
		if due, over, ok := d.Due(oslo(t, "2026-03-02 09:00"), false); ok || !due.IsZero() || !over.IsZero() {
			t.Errorf("%q: Due = %v, %v, %v; want zero times and ok false", d, due, over, ok)
		}
	}
}

// TestDueProperties: for any start and any day or week duration, the due
// time is not before the start, the overdue time equals it, the calendar
// result keeps the wall clock, and a working-day result is a working day.
func TestDueProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		start := drawTime(t)
		n := rapid.IntRange(0, 60).Draw(t, "n")
		unit := rapid.SampledFrom([]string{"D", "W"}).Draw(t, "unit")
		workingDays := rapid.Bool().Draw(t, "workingDays")
		d, err := pathway.ParseDeadline("P" + strconv.Itoa(n) + unit)
		if err != nil {
			t.Fatal(err)
		}
		due, over, ok := d.Due(start, workingDays)
		if !ok || !over.Equal(due) {
			t.Fatalf("Due = %v, %v, %v", due, over, ok)
		}
		if due.Before(start) {
			t.Fatalf("%s from %v is due %v, before the start", d, start, due)
		}
		if workingDays {
			if !pathway.IsWorkingDay(due) || pathway.IsPublicHoliday(due) {
				t.Fatalf("%s working days from %v is due %v, a day off", d, start, due)
			}
			if wd := due.Weekday(); wd == time.Saturday || wd == time.Sunday {
				t.Fatalf("%s working days from %v is due on a %s", d, start, wd)
			}
			return
		}
		s := start.In(pathway.Oslo())
		if s.Hour() != 2 && (due.Hour() != s.Hour() || due.Minute() != s.Minute()) {
			t.Fatalf("%s from %v is due %v: wall clock changed", d, s, due)
		}
		days := n
		if unit == "W" {
			days = 7 * n
		}
		sy, sm, sd := s.Date()
		if want := time.Date(sy, sm, sd+days, 12, 0, 0, 0, time.UTC).Format("2006-01-02"); due.Format("2006-01-02") != want {
			t.Fatalf("%s from %v is due %v, want date %s", d, s, due, want)
		}
	})
}

// TestMonthProperties: P1M lands in the next month, on the same day or the
// last day of a shorter month.
func TestMonthProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		start := drawTime(t).In(pathway.Oslo())
		d, _ := pathway.ParseDeadline("P1M")
		due, _, _ := d.Due(start, false)
		wantMonth := start.Month()%12 + 1
		if due.Month() != wantMonth {
			t.Fatalf("P1M from %v = %v, want month %s", start, due, wantMonth)
		}
		last := time.Date(due.Year(), due.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
		if want := min(start.Day(), last); due.Day() != want {
			t.Fatalf("P1M from %v = %v, want day %d", start, due, want)
		}
	})
}

// TestPeriodRoundTrip: what String writes, ParseDeadline reads back.
func TestPeriodRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var p pathway.Period
		if rapid.Bool().Draw(t, "weeks") {
			p.Weeks = rapid.IntRange(1, 9999).Draw(t, "w")
		} else {
			n := func(name string) int { return rapid.IntRange(0, 9999).Draw(t, name) }
			p = pathway.Period{Years: n("y"), Months: n("m"), Days: n("d"), Hours: n("h"), Minutes: n("min"), Seconds: n("s")}
		}
		d, err := pathway.ParseDeadline(p.String())
		if err != nil {
			t.Fatalf("ParseDeadline(%q): %v", p.String(), err)
		}
		if d.First != p {
			t.Fatalf("round trip %+v -> %q -> %+v", p, p.String(), d.First)
		}
	})
}
