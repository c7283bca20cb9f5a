// Package ical writes iCalendar (RFC 5545) invitations: one VEVENT with its
// organiser and attendees, local times in Europe/Oslo with the VTIMEZONE
// that defines it, CRLF line endings and lines folded at 75 octets without
// splitting a UTF-8 character.
//
//	b := ical.Invite(ical.Event{UID: "m1@samordna", Start: start, End: end,
//		Summary: "Ansvarsgruppemøte", Organizer: ical.Person{Name: "Kari", Email: "kari@kommune.no"}},
//		time.Now())
package ical

import (
	"bytes"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// TZID is the time zone every local time is written in.
const TZID = "Europe/Oslo"

// vtimezone defines Europe/Oslo (CET/CEST, EU rules since 1996).
var vtimezone = []string{
	"BEGIN:VTIMEZONE",
	"TZID:" + TZID,
	"BEGIN:DAYLIGHT",
	"TZOFFSETFROM:+0100",
	"TZOFFSETTO:+0200",
	"TZNAME:CEST",
	"DTSTART:19810329T020000",
	"RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
	"END:DAYLIGHT",
	"BEGIN:STANDARD",
	"TZOFFSETFROM:+0200",
	"TZOFFSETTO:+0100",
	"TZNAME:CET",
	"DTSTART:19961027T030000",
	"RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
	"END:STANDARD",
	"END:VTIMEZONE",
}

// Person is an organiser or attendee. Without an e-mail address, URI names
// them (for example urn:samordna:member:<id>); one of the two is needed.
type Person struct {
	Name  string
	Email string
	URI   string
}

func (p Person) address() string {
	if p.Email != "" {
		return "mailto:" + p.Email
	}
	if p.URI != "" {
		return p.URI
	}
	return "urn:samordna:unknown"
}

// Attendee is an invited person; Optional marks someone invited to part of
// the meeting only (OPT-PARTICIPANT).
type Attendee struct {
	Person
	Optional bool
}

// Event is one meeting.
type Event struct {
	UID         string // globally unique and stable across updates
	Sequence    int    // raise it with every change sent out
	Start, End  time.Time
	Summary     string
	Description string
	Location    string
	Organizer   Person
	Attendees   []Attendee
	Cancelled   bool
	// RRule repeats the event (RFC 5545 RRULE value, e.g.
	// "FREQ=YEARLY;BYMONTH=3;BYDAY=2TU"); Start is the first occurrence.
	RRule string
}

// Invite returns the event as an iCalendar request (METHOD:REQUEST), or a
// cancellation (METHOD:CANCEL) for a cancelled event, stamped at now.
func Invite(ev Event, now time.Time) []byte {
	oslo, err := time.LoadLocation(TZID)
	if err != nil {
		oslo = time.FixedZone("CET", 3600) // never: the Go time zone database is embedded in the binary
	}
	method, status := "REQUEST", "CONFIRMED"
	if ev.Cancelled {
		method, status = "CANCEL", "CANCELLED"
	}
	lines := []string{"BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Samordna//Samordna//NB", "CALSCALE:GREGORIAN",
		"METHOD:" + method}
	lines = append(lines, vtimezone...)
	lines = append(lines, "BEGIN:VEVENT",
		"UID:"+Text(ev.UID),
		fmt.Sprintf("SEQUENCE:%d", ev.Sequence),
		"DTSTAMP:"+now.UTC().Format("20060102T150405Z"),
		"DTSTART;TZID="+TZID+":"+ev.Start.In(oslo).Format("20060102T150405"),
		"DTEND;TZID="+TZID+":"+ev.End.In(oslo).Format("20060102T150405"),
		"SUMMARY:"+Text(ev.Summary),
		"STATUS:"+status,
	)
	if ev.Location != "" {
		lines = append(lines, "LOCATION:"+Text(ev.Location))
	}
	if ev.Description != "" {
		lines = append(lines, "DESCRIPTION:"+Text(ev.Description))
	}
	lines = append(lines, "ORGANIZER;CN="+Param(ev.Organizer.Name)+":"+ev.Organizer.address())
	for _, a := range ev.Attendees {
		role := "REQ-PARTICIPANT"
		if a.Optional {
			role = "OPT-PARTICIPANT"
		}
		rsvp := "TRUE"
		if a.Email == "" {
			rsvp = "FALSE"
		}
		lines = append(lines, "ATTENDEE;CN="+Param(a.Name)+";ROLE="+role+";PARTSTAT=NEEDS-ACTION;RSVP="+rsvp+
			":"+a.address())
	}
	lines = append(lines, "END:VEVENT", "END:VCALENDAR")
	var b bytes.Buffer
	for _, l := range lines {
		b.WriteString(Fold(l))
	}
	return b.Bytes()
}

// Text escapes a TEXT value: backslash, semicolon, comma and line breaks.
func Text(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\n", `\n`, "\r", `\n`).Replace(s)
}

// Param makes a parameter value: control characters and double quotes are
// dropped, and the value is quoted when it holds ':', ';' or ','.
func Param(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '"' || r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
	if strings.ContainsAny(s, ":;,") {
		return `"` + s + `"`
	}
	return s
}

// Fold ends the content line with CRLF and folds it into lines of at most
// 75 octets (continuations start with one space), never inside a UTF-8
// character.
func Fold(line string) string {
	var b strings.Builder
	limit := 75
	for len(line) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		b.WriteString(line[:cut])
		b.WriteString("\r\n ")
		line = line[cut:]
		limit = 74 // the leading space counts
	}
	b.WriteString(line)
	b.WriteString("\r\n")
	return b.String()
}
