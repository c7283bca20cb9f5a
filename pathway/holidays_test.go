package pathway_test

import (
	"testing"
	"time"

	"github.com/samordna/samordna/pathway"
	"pgregory.net/rapid"
)

// oracleHolidays are the Norwegian public holidays 2024-2030 as listed by
// an independent oracle, the npm package date-holidays 3.37.0 (country NO,
// type "public"), asked for each year on 2026-11-25. Our computed list agrees
// with it date for date and name for name, including 2027 when 17 May and
// Whit Monday fall on the same day and both are listed. 24 and 31 December
// are not public holidays and are not in the list.
var oracleHolidays = map[int][]string{
	2024: {"2024-01-01 Første nyttårsdag", "2024-03-28 Skjærtorsdag", "2024-03-29 Langfredag", "2024-03-31 Første påskedag", "2024-04-01 Andre påskedag", "2024-05-01 Arbeidernes dag", "2024-05-09 Kristi himmelfartsdag", "2024-05-17 Grunnlovsdagen", "2024-05-19 Første pinsedag", "2024-05-20 Andre pinsedag", "2024-12-25 Første juledag", "2024-12-26 Andre juledag"},
	2025: {"2025-01-01 Første nyttårsdag", "2025-04-17 Skjærtorsdag", "2025-04-18 Langfredag", "2025-04-20 Første påskedag", "2025-04-21 Andre påskedag", "2025-05-01 Arbeidernes dag", "2025-05-17 Grunnlovsdagen", "2025-05-29 Kristi himmelfartsdag", "2025-06-08 Første pinsedag", "2025-06-09 Andre pinsedag", "2025-12-25 Første juledag", "2025-12-26 Andre juledag"},
	2026: {"2026-01-01 Første nyttårsdag", "2026-04-02 Skjærtorsdag", "2026-04-03 Langfredag", "2026-04-05 Første påskedag", "2026-04-06 Andre påskedag", "2026-05-01 Arbeidernes dag", "2026-05-14 Kristi himmelfartsdag", "2026-05-17 Grunnlovsdagen", "2026-05-24 Første pinsedag", "2026-05-25 Andre pinsedag", "2026-12-25 Første juledag", "2026-12-26 Andre juledag"},
	2027: {"2027-01-01 Første nyttårsdag", "2027-03-25 Skjærtorsdag", "2027-03-26 Langfredag", "2027-03-28 Første påskedag", "2027-03-29 Andre påskedag", "2027-05-01 Arbeidernes dag", "2027-05-06 Kristi himmelfartsdag", "2027-05-16 Første pinsedag", "2027-05-17 Grunnlovsdagen", "2027-05-17 Andre pinsedag", "2027-12-25 Første juledag", "2027-12-26 Andre juledag"},
	2028: {"2028-01-01 Første nyttårsdag", "2028-04-13 Skjærtorsdag", "2028-04-14 Langfredag", "2028-04-16 Første påskedag", "2028-04-17 Andre påskedag", "2028-05-01 Arbeidernes dag", "2028-05-17 Grunnlovsdagen", "2028-05-25 Kristi himmelfartsdag", "2028-06-04 Første pinsedag", "2028-06-05 Andre pinsedag", "2028-12-25 Første juledag", "2028-12-26 Andre juledag"},
	2029: {"2029-01-01 Første nyttårsdag", "2029-03-29 Skjærtorsdag", "2029-03-30 Langfredag", "2029-04-01 Første påskedag", "2029-04-02 Andre påskedag", "2029-05-01 Arbeidernes dag", "2029-05-10 Kristi himmelfartsdag", "2029-05-17 Grunnlovsdagen", "2029-05-20 Første pinsedag", "2029-05-21 Andre pinsedag", "2029-12-25 Første juledag", "2029-12-26 Andre juledag"},
	2030: {"2030-01-01 Første nyttårsdag", "2030-04-18 Skjærtorsdag", "2030-04-19 Langfredag", "2030-04-21 Første påskedag", "2030-04-22 Andre påskedag", "2030-05-01 Arbeidernes dag", "2030-05-17 Grunnlovsdagen", "2030-05-30 Kristi himmelfartsdag", "2030-06-09 Første pinsedag", "2030-06-10 Andre pinsedag", "2030-12-25 Første juledag", "2030-12-26 Andre juledag"},
}

func TestPublicHolidaysAgreeWithOracle(t *testing.T) {
	for year := 2024; year <= 2030; year++ {
		want := oracleHolidays[year]
		got := pathway.PublicHolidays(year)
		if len(got) != len(want) {
			t.Errorf("%d: %d holidays, oracle has %d", year, len(got), len(want))
			continue
		}
		for i, h := range got {
			line := h.Date.Format("2006-01-02") + " " + h.Name
			if line != want[i] {
				t.Errorf("%d #%d: got %q, oracle %q", year, i, line, want[i])
			}
			if h.Date.Location() != pathway.Oslo() || h.Date.Hour() != 0 {
				t.Errorf("%s: date %v, want midnight in Europe/Oslo", h.Name, h.Date)
			}
			if !pathway.IsPublicHoliday(h.Date) {
				t.Errorf("IsPublicHoliday(%s) = false", line)
			}
		}
	}
}

func TestEasterSunday(t *testing.T) {
	for year, want := range map[int]string{
		1961: "1961-04-02",
		2000: "2000-04-23",
		2008: "2008-03-23", // early
		2011: "2011-04-24",
		2024: "2024-03-31",
		2025: "2025-04-20",
		2026: "2026-04-05",
		2027: "2027-03-28",
		2038: "2038-04-25", // latest possible
		2285: "2285-03-22", // earliest possible
	} {
		if got := pathway.EasterSunday(year).Format("2006-01-02"); got != want {
			t.Errorf("Easter %d = %s, want %s", year, got, want)
		}
	}
}

func TestIsPublicHoliday(t *testing.T) {
	day := func(s string) time.Time {
		d, err := time.ParseInLocation("2006-01-02 15:04", s, pathway.Oslo())
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	for _, c := range []struct {
		when    string
		holiday bool
		working bool
	}{
		{"2026-04-02 12:00", true, false},  // Maundy Thursday
		{"2026-04-03 12:00", true, false},  // Good Friday
		{"2026-04-04 12:00", false, false}, // Easter Saturday: not a holiday, but Saturday
		{"2026-04-05 12:00", true, false},  // Easter Sunday
		{"2026-04-06 12:00", true, false},  // Easter Monday
		{"2026-04-07 12:00", false, true},
		{"2027-03-28 00:00", true, false}, // Easter Sunday 2027
		{"2027-03-29 23:59", true, false}, // Easter Monday 2027
		{"2027-03-30 00:00", false, true},
		{"2026-05-17 08:00", true, false}, // Constitution Day (a Sunday in 2026)
		{"2028-05-17 08:00", true, false}, // Constitution Day on a Wednesday
		{"2026-05-14 08:00", true, false}, // Ascension Day
		{"2026-05-25 08:00", true, false}, // Whit Monday
		{"2026-12-24 10:00", false, true}, // Christmas Eve is a working day
		{"2026-12-25 10:00", true, false},
		{"2026-12-26 10:00", true, false},
		{"2026-12-31 10:00", false, true},
		{"2027-01-01 10:00", true, false},
		{"2026-04-12 10:00", false, false}, // an ordinary Sunday
		{"2026-03-02 10:00", false, true},
	} {
		d := day(c.when)
		if got := pathway.IsPublicHoliday(d); got != c.holiday {
			t.Errorf("IsPublicHoliday(%s) = %v, want %v", c.when, got, c.holiday)
		}
		if got := pathway.IsWorkingDay(d); got != c.working {
			t.Errorf("IsWorkingDay(%s) = %v, want %v", c.when, got, c.working)
		}
	}
	// The date counts in Oslo: 22:30 UTC on 16 May is 00:30 on 17 May.
	if !pathway.IsPublicHoliday(time.Date(2026, 5, 16, 22, 30, 0, 0, time.UTC)) {
		t.Error("16 May 22:30 UTC is 17 May in Oslo")
	}
	if pathway.IsPublicHoliday(time.Date(2026, 5, 17, 22, 30, 0, 0, time.UTC)) {
		t.Error("17 May 22:30 UTC is 18 May in Oslo")
	}
}

func TestHolidayProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		year := rapid.IntRange(1900, 2200).Draw(t, "year")
		easter := pathway.EasterSunday(year)
		if easter.Weekday() != time.Sunday {
			t.Fatalf("Easter %d on a %s", year, easter.Weekday())
		}
		earliest := time.Date(year, 3, 22, 0, 0, 0, 0, pathway.Oslo())
		latest := time.Date(year, 4, 25, 0, 0, 0, 0, pathway.Oslo())
		if easter.Before(earliest) || easter.After(latest) {
			t.Fatalf("Easter %d on %s, outside 22 March - 25 April", year, easter.Format("2006-01-02"))
		}
		hs := pathway.PublicHolidays(year)
		if len(hs) != 12 {
			t.Fatalf("%d: %d holidays", year, len(hs))
		}
		for i, h := range hs {
			if !pathway.IsPublicHoliday(h.Date) || pathway.IsWorkingDay(h.Date) {
				t.Fatalf("%s %s not recognised as a holiday", h.Date, h.Name)
			}
			if i > 0 && h.Date.Before(hs[i-1].Date) {
				t.Fatalf("%d: holidays not sorted", year)
			}
		}
		// Exactly the listed dates are holidays.
		listed := map[string]bool{}
		for _, h := range hs {
			listed[h.Date.Format("01-02")] = true
		}
		for d := time.Date(year, 1, 1, 12, 0, 0, 0, pathway.Oslo()); d.Year() == year; d = d.AddDate(0, 0, 1) {
			if pathway.IsPublicHoliday(d) != listed[d.Format("01-02")] {
				t.Fatalf("IsPublicHoliday(%s) disagrees with PublicHolidays", d.Format("2006-01-02"))
			}
		}
	})
}

func TestAddWorkingDays(t *testing.T) {
	at := func(s string) time.Time {
		d, err := time.ParseInLocation("2006-01-02 15:04", s, pathway.Oslo())
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	for _, c := range []struct {
		start string
		n     int
		want  string
	}{
		{"2026-03-02 09:00", 1, "2026-03-03 09:00"},  // Monday -> Tuesday
		{"2026-03-06 09:00", 1, "2026-03-09 09:00"},  // Friday -> Monday
		{"2026-03-07 09:00", 1, "2026-03-09 09:00"},  // Saturday -> Monday
		{"2026-03-27 10:00", 1, "2026-03-30 10:00"},  // across the spring change, same wall clock
		{"2026-04-01 09:00", 1, "2026-04-07 09:00"},  // Easter 2026: Thu, Fri, Sun, Mon off
		{"2026-04-01 09:00", 5, "2026-04-13 09:00"},  // five working days across Easter
		{"2027-03-24 09:00", 1, "2027-03-30 09:00"},  // Easter 2027
		{"2027-05-14 10:00", 1, "2027-05-18 10:00"},  // 17 May 2027 (Monday, also Whit Monday)
		{"2028-05-16 10:00", 2, "2028-05-19 10:00"},  // 17 May 2028 (Wednesday)
		{"2026-05-13 10:00", 1, "2026-05-15 10:00"},  // Ascension Day 2026
		{"2025-12-23 10:00", 1, "2025-12-24 10:00"},  // Christmas Eve is a working day
		{"2025-12-24 10:00", 1, "2025-12-29 10:00"},  // 25, 26 Dec and the weekend
		{"2026-12-31 10:00", 1, "2027-01-04 10:00"},  // New Year's Day (Friday) and the weekend
		{"2026-04-07 09:00", -1, "2026-04-01 09:00"}, // backwards across Easter
		{"2026-04-05 09:00", 0, "2026-04-05 09:00"},  // zero: unchanged, even on a holiday
	} {
		got := pathway.AddWorkingDays(at(c.start), c.n)
		if got.Format("2006-01-02 15:04") != c.want {
			t.Errorf("AddWorkingDays(%s, %d) = %s, want %s", c.start, c.n, got.Format("2006-01-02 15:04 MST"), c.want)
		}
	}
}

// TestAddWorkingDaysZero: n = 0 returns the very same instant, even in the
// hour that occurs twice when summer time ends.
func TestAddWorkingDaysZero(t *testing.T) {
	first := time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC) // 02:30 CEST, the first 02:30
	if got := pathway.AddWorkingDays(first, 0); !got.Equal(first) {
		t.Errorf("AddWorkingDays(%v, 0) = %v", first, got)
	}
}

func TestAddWorkingDaysProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		start := drawTime(t)
		n := rapid.IntRange(1, 60).Draw(t, "n")
		got := pathway.AddWorkingDays(start, n)
		if !got.After(start) {
			t.Fatalf("AddWorkingDays(%v, %d) = %v, not after start", start, n, got)
		}
		if !pathway.IsWorkingDay(got) {
			t.Fatalf("AddWorkingDays(%v, %d) = %v, a day off", start, n, got)
		}
		// Exactly n working days in (start, got].
		count := 0
		sy, sm, sd := start.In(pathway.Oslo()).Date()
		gy, gm, gd := got.Date()
		end := time.Date(gy, gm, gd, 12, 0, 0, 0, pathway.Oslo())
		for d := time.Date(sy, sm, sd+1, 12, 0, 0, 0, pathway.Oslo()); !d.After(end); d = d.AddDate(0, 0, 1) {
			if pathway.IsWorkingDay(d) {
				count++
			}
		}
		if count != n {
			t.Fatalf("AddWorkingDays(%v, %d) = %v, which is %d working days on", start, n, got, count)
		}
		// Going back the same number of working days returns to a working-day
		// start. (Summer time changes on Sundays, so wall clocks are safe.)
		if pathway.IsWorkingDay(start) {
			if back := pathway.AddWorkingDays(got, -n); !back.Equal(start) {
				t.Fatalf("AddWorkingDays(AddWorkingDays(%v, %d), -%d) = %v", start, n, n, back)
			}
		}
	})
}

// drawTime draws a start time between 2000 and 2099, to the minute.
func drawTime(t *rapid.T) time.Time {
	minutes := rapid.Int64Range(0, 100*365*24*60).Draw(t, "minutes since 2000")
	return time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(minutes) * time.Minute)
}
