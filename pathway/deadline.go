package pathway

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Europe/Oslo must resolve on machines without zoneinfo
)

// oslo is the time zone every deadline is computed in: the municipalities'
// working days and office hours are Norwegian wall-clock time.
var oslo = mustLoadOslo()

func mustLoadOslo() *time.Location {
	loc, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		// Cannot happen: time/tzdata embeds the zone database.
		panic("pathway: cannot load Europe/Oslo: " + err.Error())
	}
	return loc
}

// Oslo returns the Europe/Oslo location deadlines are computed in.
func Oslo() *time.Location { return oslo }

// DeadlineKind tells the four forms a deadline can take.
type DeadlineKind int

// The kinds of deadline. The zero value DeadlineNone is "no deadline
// parsed" and never comes out of ParseDeadline.
const (
	DeadlineNone        DeadlineKind = iota
	DeadlineImmediately              // "immediately": due at the start
	DeadlineDuration                 // an ISO 8601 duration such as "P1W"
	DeadlineRange                    // "P3M/P6M": due after the first, overdue after the second
	DeadlinePerPlan                  // "per_plan": the plan's own deadlines apply
)

// Period is an ISO 8601 duration: PnYnMnDTnHnMnS, or PnW. Years, months,
// weeks and days are calendar units (counted on the Oslo wall clock); hours,
// minutes and seconds are elapsed time.
type Period struct {
	Years, Months, Weeks, Days, Hours, Minutes, Seconds int
}

// Deadline is a step's deadline in machine form; Step.DeadlineText keeps the
// routine's own wording.
type Deadline struct {
	Kind  DeadlineKind
	First Period // Duration and Range: due after this
	Last  Period // Range only: overdue after this
}

// maxPeriodNumber bounds each number in a duration, so that arithmetic
// cannot overflow and a typo such as P10000D is caught.
const maxPeriodNumber = 9999

// ParseDeadline parses "immediately", "per_plan", an ISO 8601 duration
// ("P1W", "P2W", "P1M", "P3D", "PT24H", "P1Y2M3DT4H") or a range of two
// durations "P3M/P6M". Numbers are non-negative integers; a week may not be
// combined with other units (as in ISO 8601).
func ParseDeadline(s string) (Deadline, error) {
	switch s {
	case "immediately":
		return Deadline{Kind: DeadlineImmediately}, nil
	case "per_plan":
		return Deadline{Kind: DeadlinePerPlan}, nil
	}
	if first, last, isRange := strings.Cut(s, "/"); isRange {
		a, err := parsePeriod(first)
		if err != nil {
			return Deadline{}, fmt.Errorf("deadline %q: %v", s, err)
		}
		b, err := parsePeriod(last)
		if err != nil {
			return Deadline{}, fmt.Errorf("deadline %q: %v", s, err)
		}
		if b.approxSeconds() < a.approxSeconds() {
			return Deadline{}, fmt.Errorf("deadline %q: the overdue period is shorter than the due period", s)
		}
		return Deadline{Kind: DeadlineRange, First: a, Last: b}, nil
	}
	p, err := parsePeriod(s)
	if err != nil {
		return Deadline{}, fmt.Errorf("deadline %q: %v", s, err)
	}
	return Deadline{Kind: DeadlineDuration, First: p}, nil
}

// parsePeriod parses one ISO 8601 duration.
func parsePeriod(s string) (Period, error) {
	rest, ok := strings.CutPrefix(s, "P")
	if !ok {
		return Period{}, fmt.Errorf("want immediately, per_plan, an ISO 8601 duration such as P1W, or a range such as P3M/P6M")
	}
	datePart, timePart, hasTime := strings.Cut(rest, "T")
	if hasTime && timePart == "" {
		return Period{}, fmt.Errorf("nothing after T")
	}
	var p Period
	n := 0
	if err := parseUnits(datePart, "YMWD", []*int{&p.Years, &p.Months, &p.Weeks, &p.Days}, &n); err != nil {
		return Period{}, err
	}
	if err := parseUnits(timePart, "HMS", []*int{&p.Hours, &p.Minutes, &p.Seconds}, &n); err != nil {
		return Period{}, err
	}
	if n == 0 {
		return Period{}, fmt.Errorf("a duration needs at least one number and unit")
	}
	if p.Weeks != 0 && n > 1 {
		return Period{}, fmt.Errorf("weeks cannot be combined with other units")
	}
	return p, nil
}

// parseUnits reads "<digits><unit>" pairs from s, where the units must come
// in the order given by units, each at most once. count is increased by the
// number of pairs read.
func parseUnits(s, units string, fields []*int, count *int) error {
	next := 0 // index in units of the first unit still allowed
	for s != "" {
		i := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == 0 || i == len(s) {
			return fmt.Errorf("want a number followed by one of %s", units)
		}
		k := strings.IndexByte(units[next:], s[i])
		if k < 0 {
			return fmt.Errorf("unexpected %q (units go in the order %s, each once)", s[i], units)
		}
		v, err := strconv.Atoi(s[:i])
		if err != nil || v > maxPeriodNumber {
			return fmt.Errorf("number %s is too large (at most %d)", s[:i], maxPeriodNumber)
		}
		*fields[next+k] = v
		next += k + 1
		*count++
		s = s[i+1:]
	}
	return nil
}

// approxSeconds is only used to refuse a range whose overdue period is
// obviously shorter than its due period (months counted as 30 days).
func (p Period) approxSeconds() int64 {
	days := int64(p.Years)*365 + int64(p.Months)*30 + int64(p.Weeks)*7 + int64(p.Days)
	return days*86400 + int64(p.Hours)*3600 + int64(p.Minutes)*60 + int64(p.Seconds)
}

// String formats the period in ISO 8601 ("P0D" when empty).
func (p Period) String() string {
	var b strings.Builder
	b.WriteString("P")
	for _, u := range []struct {
		n    int
		unit string
	}{{p.Years, "Y"}, {p.Months, "M"}, {p.Weeks, "W"}, {p.Days, "D"}} {
		if u.n != 0 {
			b.WriteString(strconv.Itoa(u.n) + u.unit)
		}
	}
	if p.Hours != 0 || p.Minutes != 0 || p.Seconds != 0 {
		b.WriteString("T")
		for _, u := range []struct {
			n    int
			unit string
		}{{p.Hours, "H"}, {p.Minutes, "M"}, {p.Seconds, "S"}} {
			if u.n != 0 {
				b.WriteString(strconv.Itoa(u.n) + u.unit)
			}
		}
	}
	if b.Len() == 1 {
		return "P0D"
	}
	return b.String()
}

// String gives the deadline in the form ParseDeadline reads.
func (d Deadline) String() string {
	switch d.Kind {
	case DeadlineImmediately:
		return "immediately"
	case DeadlinePerPlan:
		return "per_plan"
	case DeadlineDuration:
		return d.First.String()
	case DeadlineRange:
		return d.First.String() + "/" + d.Last.String()
	}
	return ""
}

// MarshalText writes the deadline as ParseDeadline reads it, so that JSON
// shows "P1W" rather than a structure.
func (d Deadline) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText parses the deadline with ParseDeadline.
func (d *Deadline) UnmarshalText(b []byte) error {
	v, err := ParseDeadline(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Due computes when a step that started at start is due, and after which
// moment it is overdue. Everything is computed on the Europe/Oslo wall clock
// and returned in that location (call UTC() before storing):
//
//   - immediately: due and overdue at start.
//   - a duration: due = overdueAfter = start + duration.
//   - a range "A/B": due = start + A, overdueAfter = start + B (never before due).
//   - per_plan: ok is false; the plan's own measures carry the deadlines.
//
// Adding a duration: years and months first, clamping the day to the end of
// a shorter month (31 January + P1M = 28 or 29 February, 29 February + P1Y =
// 28 February); then weeks and days as calendar days, which keeps the wall
// clock across the change to and from summer time (a Monday 10:00 + P1W is
// the next Monday 10:00); then hours, minutes and seconds as elapsed time
// (PT24H across the spring change ends at 11:00 on the wall clock, not 10:00).
// A wall-clock time that does not exist (02:30 on the last Sunday of March)
// moves forward by the hour skipped; an ambiguous one (02:30 on the last
// Sunday of October) is whichever Go's time.Date picks, the second one today.
//
// With workingDays, weeks and days are counted in working days (a week is
// five working days), skipping Saturdays, Sundays and Norwegian public
// holidays; months and years are still calendar months. Whatever the units,
// a result that falls on a day off is then moved forward to the next working
// day at the same wall-clock time, so a working-day deadline is never due on
// a day off. "immediately" stays at start even on a day off.
func (d Deadline) Due(start time.Time, workingDays bool) (due, overdueAfter time.Time, ok bool) {
	start = start.In(oslo)
	switch d.Kind {
	case DeadlineImmediately:
		return start, start, true
	case DeadlineDuration:
		due = d.First.AddTo(start, workingDays)
		return due, due, true
	case DeadlineRange:
		due = d.First.AddTo(start, workingDays)
		overdueAfter = d.Last.AddTo(start, workingDays)
		if overdueAfter.Before(due) {
			overdueAfter = due
		}
		return due, overdueAfter, true
	}
	return time.Time{}, time.Time{}, false
}

// AddTo adds the period to t as Deadline.Due describes, in Europe/Oslo.
func (p Period) AddTo(t time.Time, workingDays bool) time.Time {
	t = t.In(oslo)
	if months := 12*p.Years + p.Months; months != 0 {
		t = addMonthsClamped(t, months)
	}
	if workingDays {
		t = AddWorkingDays(t, 5*p.Weeks+p.Days)
	} else if days := 7*p.Weeks + p.Days; days != 0 {
		t = t.AddDate(0, 0, days)
	}
	t = t.Add(time.Duration(p.Hours)*time.Hour + time.Duration(p.Minutes)*time.Minute + time.Duration(p.Seconds)*time.Second)
	if workingDays {
		t = nextWorkingDay(t)
	}
	return t
}

// addMonthsClamped adds months to t, keeping the wall clock and clamping the
// day of month to the last day of the target month (time.AddDate would
// instead roll 31 January + 1 month over into March).
func addMonthsClamped(t time.Time, months int) time.Time {
	y, m, d := t.Date()
	target := time.Date(y, m+time.Month(months), 1, 0, 0, 0, 0, time.UTC) // normalises year and month
	ty, tm, _ := target.Date()
	if last := daysIn(ty, tm); d > last {
		d = last
	}
	hh, mm, ss := t.Clock()
	return time.Date(ty, tm, d, hh, mm, ss, t.Nanosecond(), t.Location())
}

// daysIn returns the number of days in the month.
func daysIn(year int, month time.Month) int {
	return time.Date(year, month+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
