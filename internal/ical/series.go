package ical

import (
	"bytes"
	"fmt"
	"time"
)

// Series is a recurring meeting (a team's meeting series): the first
// event carries the RRULE; Cancelled lists the occurrences (their original
// starts) that will not take place (EXDATE); Moved holds occurrences that
// take place at another time or place, each with its original start
// (RECURRENCE-ID); Extra holds meetings planned outside the series.
type Series struct {
	Event            // the first occurrence; UID and Sequence are the series'
	RRule     string // the RRULE value, e.g. FREQ=MONTHLY;BYDAY=1TU;UNTIL=...
	Cancelled []time.Time
	Moved     []Occurrence
}

// Occurrence is one changed occurrence of a series.
type Occurrence struct {
	Original time.Time // the start the rule gave it
	Event              // its start, end, place and summary now
}

// Feed returns a published calendar (METHOD:PUBLISH) holding the series
// (when s.RRule is set) and the other events (each repeating by its own
// RRule when it has one), stamped at now, in Europe/Oslo local time.
func Feed(name string, s *Series, extra []Event, now time.Time) []byte {
	oslo := osloLocation()
	lines := []string{"BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Samordna//Samordna//NB", "CALSCALE:GREGORIAN",
		"METHOD:PUBLISH", "X-WR-CALNAME:" + Text(name), "X-WR-TIMEZONE:" + TZID}
	lines = append(lines, vtimezone...)
	stamp := "DTSTAMP:" + now.UTC().Format("20060102T150405Z")
	if s != nil && s.RRule != "" {
		lines = append(lines, eventLines(s.Event, stamp, oslo)...)
		// Insert RRULE and EXDATE before END:VEVENT of the master.
		end := lines[len(lines)-1]
		lines = append(lines[:len(lines)-1], "RRULE:"+s.RRule)
		for _, c := range s.Cancelled {
			lines = append(lines, "EXDATE;TZID="+TZID+":"+c.In(oslo).Format("20060102T150405"))
		}
		lines = append(lines, end)
		for _, o := range s.Moved {
			ev := o.Event
			ev.UID, ev.Sequence = s.UID, s.Sequence
			l := eventLines(ev, stamp, oslo)
			// RECURRENCE-ID goes right after UID.
			rid := "RECURRENCE-ID;TZID=" + TZID + ":" + o.Original.In(oslo).Format("20060102T150405")
			l = append(l[:3], append([]string{rid}, l[3:]...)...)
			lines = append(lines, l...)
		}
	}
	for _, ev := range extra {
		lines = append(lines, eventLines(ev, stamp, oslo)...)
	}
	lines = append(lines, "END:VCALENDAR")
	var b bytes.Buffer
	for _, l := range lines {
		b.WriteString(Fold(l))
	}
	return b.Bytes()
}

// osloLocation loads Europe/Oslo (embedded in the binary).
func osloLocation() *time.Location {
	oslo, err := time.LoadLocation(TZID)
	if err != nil {
		oslo = time.FixedZone("CET", 3600)
	}
	return oslo
}

// eventLines returns one VEVENT; its first three lines are BEGIN, UID and
// SEQUENCE, its last END:VEVENT.
func eventLines(ev Event, stamp string, oslo *time.Location) []string {
	status := "CONFIRMED"
	if ev.Cancelled {
		status = "CANCELLED"
	}
	l := []string{"BEGIN:VEVENT", "UID:" + Text(ev.UID), fmt.Sprintf("SEQUENCE:%d", ev.Sequence), stamp,
		"DTSTART;TZID=" + TZID + ":" + ev.Start.In(oslo).Format("20060102T150405"),
		"DTEND;TZID=" + TZID + ":" + ev.End.In(oslo).Format("20060102T150405"),
		"SUMMARY:" + Text(ev.Summary), "STATUS:" + status}
	if ev.Location != "" {
		l = append(l, "LOCATION:"+Text(ev.Location))
	}
	if ev.Description != "" {
		l = append(l, "DESCRIPTION:"+Text(ev.Description))
	}
	if ev.Organizer.Name != "" || ev.Organizer.Email != "" || ev.Organizer.URI != "" {
		l = append(l, "ORGANIZER;CN="+Param(ev.Organizer.Name)+":"+ev.Organizer.address())
	}
	for _, a := range ev.Attendees {
		role := "REQ-PARTICIPANT"
		if a.Optional {
			role = "OPT-PARTICIPANT"
		}
		l = append(l, "ATTENDEE;CN="+Param(a.Name)+";ROLE="+role+";PARTSTAT=NEEDS-ACTION:"+a.address())
	}
	if ev.RRule != "" {
		l = append(l, "RRULE:"+ev.RRule)
	}
	return append(l, "END:VEVENT")
}
