package pathway

import (
	"sort"
	"time"
)

// Holiday is a Norwegian public holiday (helligdag or høytidsdag).
type Holiday struct {
	Date time.Time // midnight in Europe/Oslo
	Name string    // Norwegian (bokmål)
}

// holidayRule is a holiday either on a fixed date (month and day) or a
// number of days after Easter Sunday.
type holidayRule struct {
	name        string
	month       time.Month // 0 for a holiday that moves with Easter
	day         int
	afterEaster int
}

// holidayRules are the Norwegian public holidays (helligdagsloven and
// the law on 1 and 17 May). 24 and 31 December are not among them.
var holidayRules = []holidayRule{
	{name: "Første nyttårsdag", month: time.January, day: 1},
	{name: "Skjærtorsdag", afterEaster: -3},
	{name: "Langfredag", afterEaster: -2},
	{name: "Første påskedag", afterEaster: 0},
	{name: "Andre påskedag", afterEaster: 1},
	{name: "Arbeidernes dag", month: time.May, day: 1},
	{name: "Kristi himmelfartsdag", afterEaster: 39},
	{name: "Grunnlovsdagen", month: time.May, day: 17},
	{name: "Første pinsedag", afterEaster: 49},
	{name: "Andre pinsedag", afterEaster: 50},
	{name: "Første juledag", month: time.December, day: 25},
	{name: "Andre juledag", month: time.December, day: 26},
}

// EasterSunday returns Easter Sunday of the year (Gregorian calendar) at
// midnight in Europe/Oslo, by the anonymous Gregorian algorithm
// (Meeus/Jones/Butcher).
func EasterSunday(year int) time.Time {
	month, day := easter(year)
	return time.Date(year, month, day, 0, 0, 0, 0, oslo)
}

// easter returns the month and day of Easter Sunday.
func easter(year int) (time.Month, int) {
	a := year % 19
	b := year / 100
	c := year % 100
	d := b / 4
	e := b % 4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i := c / 4
	k := c % 4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	n := h + l - 7*m + 114
	return time.Month(n / 31), n%31 + 1
}

// date returns the rule's date in the year, as a civil date (noon UTC, so
// that day arithmetic never meets a change of summer time).
func (r holidayRule) date(year int, easterMonth time.Month, easterDay int) time.Time {
	if r.month != 0 {
		return time.Date(year, r.month, r.day, 12, 0, 0, 0, time.UTC)
	}
	return time.Date(year, easterMonth, easterDay+r.afterEaster, 12, 0, 0, 0, time.UTC)
}

// PublicHolidays returns the Norwegian public holidays of the year, sorted by
// date. When two fall on the same day (17 May and Whit Monday in 2027) both
// are listed.
func PublicHolidays(year int) []Holiday {
	em, ed := easter(year)
	out := make([]Holiday, 0, len(holidayRules))
	for _, r := range holidayRules {
		y, m, d := r.date(year, em, ed).Date()
		out = append(out, Holiday{Date: time.Date(y, m, d, 0, 0, 0, 0, oslo), Name: r.name})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Date.Before(out[j].Date) })
	return out
}

// IsPublicHoliday reports whether t's date in Europe/Oslo is a Norwegian
// public holiday. Sundays as such are not public holidays here (Easter
// Sunday and Whit Sunday are).
func IsPublicHoliday(t time.Time) bool {
	y, m, d := t.In(oslo).Date()
	return isHolidayDate(y, m, d)
}

func isHolidayDate(year int, month time.Month, day int) bool {
	em, ed := easter(year)
	want := time.Date(year, month, day, 12, 0, 0, 0, time.UTC)
	for _, r := range holidayRules {
		if r.date(year, em, ed).Equal(want) {
			return true
		}
	}
	return false
}

// IsWorkingDay reports whether t's date in Europe/Oslo is a working day:
// Monday to Friday and not a public holiday.
func IsWorkingDay(t time.Time) bool {
	y, m, d := t.In(oslo).Date()
	return isWorkingDate(y, m, d)
}

func isWorkingDate(year int, month time.Month, day int) bool {
	switch time.Date(year, month, day, 12, 0, 0, 0, time.UTC).Weekday() {
	case time.Saturday, time.Sunday:
		return false
	}
	return !isHolidayDate(year, month, day)
}

// AddWorkingDays moves t by n working days in Europe/Oslo (backwards when n
// is negative), keeping the wall-clock time. The day of t itself is not
// counted: Friday + 1 is Monday, Saturday + 1 is Monday, and n = 0 returns t
// unchanged (in Europe/Oslo) even on a day off.
func AddWorkingDays(t time.Time, n int) time.Time {
	t = t.In(oslo)
	if n == 0 {
		return t
	}
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	y, m, d := t.Date()
	day := time.Date(y, m, d, 12, 0, 0, 0, time.UTC) // civil date
	for n > 0 {
		day = day.AddDate(0, 0, step)
		if isWorkingDate(day.Date()) {
			n--
		}
	}
	return withDate(t, day)
}

// nextWorkingDay returns t if its date is a working day, otherwise the same
// wall-clock time on the next working day.
func nextWorkingDay(t time.Time) time.Time {
	t = t.In(oslo)
	if IsWorkingDay(t) {
		return t
	}
	return AddWorkingDays(t, 1)
}

// withDate returns t's wall-clock time on the civil date of day, in
// Europe/Oslo. Building the result once from the wall clock, rather than
// adding a day at a time, keeps the time of day across summer-time changes.
func withDate(t time.Time, day time.Time) time.Time {
	y, m, d := day.Date()
	hh, mm, ss := t.Clock()
	return time.Date(y, m, d, hh, mm, ss, t.Nanosecond(), oslo)
}
