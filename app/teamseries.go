package app

import (
	"fmt"
	"time"
)

// This file turns a team's meeting rule into a series of meetings and the
// matching iCalendar RRULE (seed 002 §3.3 and §4.1.3: the OST meets once a
// month; the existing teams every 5 or 6 weeks, six times a year or two to
// three times each half-year). The dates Go generates and the dates a
// calendar expands from the RRULE are the same: a weekly rule keeps the
// weekday, a monthly rule keeps "the n-th weekday of the month" (for
// example the first Tuesday), so that no meeting falls on a weekend.

// seriesStep is how a rule advances: every Weeks weeks, or every Months
// months on the same n-th weekday.
type seriesStep struct {
	Weeks, Months int
}

// seriesSteps gives the step of each rule that makes a series; "as_needed"
// has none (meetings are planned one by one).
var seriesSteps = map[string]seriesStep{
	"weekly":              {Weeks: 1},
	"biweekly":            {Weeks: 2},
	"every_5_weeks":       {Weeks: 5},
	"every_6_weeks":       {Weeks: 6},
	"monthly":             {Months: 1},
	"six_per_year":        {Months: 2},
	"twice_per_half_year": {Months: 3},
}

// RuleMakesSeries reports whether the meeting rule gives a regular series.
func RuleMakesSeries(rule string) bool {
	_, ok := seriesSteps[rule]
	return ok
}

// osloZone is Europe/Oslo; the Go time zone database is embedded in the
// binary (time/tzdata is imported by cmd/samordna), so this never fails
// there; tests run with the system's database.
func osloZone() *time.Location {
	loc, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		return time.FixedZone("CET", 3600)
	}
	return loc
}

// nthWeekday returns which occurrence of its weekday in the month the day
// is (1–4; a fifth occurrence counts as the fourth, so that every month has
// one).
func nthWeekday(t time.Time) int {
	n := (t.Day()-1)/7 + 1
	if n > 4 {
		n = 4
	}
	return n
}

// nthWeekdayOf returns the n-th weekday wd of the month of (year, month) at
// the clock time of like, in Oslo.
func nthWeekdayOf(year int, month time.Month, n int, wd time.Weekday, like time.Time) time.Time {
	loc := like.Location()
	first := time.Date(year, month, 1, like.Hour(), like.Minute(), 0, 0, loc)
	shift := (int(wd) - int(first.Weekday()) + 7) % 7
	return first.AddDate(0, 0, shift+7*(n-1))
}

// SeriesStarts returns the starts of the series' meetings from first up to
// and including until, in UTC: the wall-clock time of first in Oslo is
// kept across summer and winter time. A rule without a series gives none.
func SeriesStarts(rule string, first, until time.Time) []time.Time {
	step, ok := seriesSteps[rule]
	if !ok {
		return nil
	}
	local := first.In(osloZone())
	n, wd := nthWeekday(local), local.Weekday()
	var out []time.Time
	for i := 0; i < 1000; i++ {
		var t time.Time
		if step.Weeks > 0 {
			t = local.AddDate(0, 0, 7*step.Weeks*i)
		} else {
			m := time.Date(local.Year(), local.Month()+time.Month(step.Months*i), 1, 0, 0, 0, 0, local.Location())
			t = nthWeekdayOf(m.Year(), m.Month(), n, wd, local)
		}
		if t.After(until) {
			break
		}
		out = append(out, t.UTC())
	}
	return out
}

// weekdayCodes are iCalendar's weekday names (RFC 5545 §3.3.10).
var weekdayCodes = [...]string{"SU", "MO", "TU", "WE", "TH", "FR", "SA"}

// SeriesRRule returns the iCalendar RRULE value of the series (without
// "RRULE:"), ending at until (UTC), or "" for a rule without a series.
func SeriesRRule(rule string, first, until time.Time) string {
	step, ok := seriesSteps[rule]
	if !ok {
		return ""
	}
	end := ";UNTIL=" + until.UTC().Format("20060102T150405Z")
	if step.Weeks > 0 {
		return fmt.Sprintf("FREQ=WEEKLY;INTERVAL=%d%s", step.Weeks, end)
	}
	local := first.In(osloZone())
	return fmt.Sprintf("FREQ=MONTHLY;INTERVAL=%d;BYDAY=%d%s%s", step.Months, nthWeekday(local),
		weekdayCodes[local.Weekday()], end)
}
