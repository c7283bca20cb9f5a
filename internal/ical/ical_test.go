package ical

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestFoldKeepsLinesShortAndCharactersWhole(t *testing.T) {
	line := "DESCRIPTION:" + strings.Repeat("Ærlig og åpen ødegård ", 20)
	folded := Fold(line)
	if !strings.HasSuffix(folded, "\r\n") {
		t.Fatal("no CRLF at the end")
	}
	parts := strings.Split(strings.TrimSuffix(folded, "\r\n"), "\r\n")
	if len(parts) < 2 {
		t.Fatalf("a %d-octet line was not folded", len(line))
	}
	var back strings.Builder
	for i, p := range parts {
		if len(p) > 75 {
			t.Errorf("line %d has %d octets", i, len(p))
		}
		if !utf8.ValidString(p) {
			t.Errorf("line %d splits a character: %q", i, p)
		}
		if i > 0 {
			if !strings.HasPrefix(p, " ") {
				t.Errorf("continuation %d does not start with a space", i)
			}
			p = p[1:]
		}
		back.WriteString(p)
	}
	if back.String() != line {
		t.Error("unfolding does not give the line back")
	}
	if Fold("SHORT") != "SHORT\r\n" {
		t.Error("a short line changed")
	}
}

func TestEscaping(t *testing.T) {
	if got := Text("Møte; rom 2, 3. etg\nHusk\\papirer"); got != `Møte\; rom 2\, 3. etg\nHusk\\papirer` {
		t.Errorf("Text = %q", got)
	}
	if got := Param(`Kari "K" Solheim`); got != "Kari K Solheim" {
		t.Errorf("Param = %q", got)
	}
	if got := Param("Solheim, Kari"); got != `"Solheim, Kari"` {
		t.Errorf("Param = %q", got)
	}
}

func TestInviteInOsloTime(t *testing.T) {
	start := time.Date(2026, 6, 15, 7, 0, 0, 0, time.UTC) // 09:00 in Oslo (summer time)
	b := string(Invite(Event{UID: "abc@samordna", Start: start, End: start.Add(90 * time.Minute),
		Summary: "Ansvarsgruppemøte", Location: "Rådhuset, møterom 2",
		Organizer: Person{Name: "Kari Solheim", Email: "kari@example.invalid"},
		Attendees: []Attendee{{Person: Person{Name: "Åse Ødegård", URI: "urn:samordna:member:1"}},
			{Person: Person{Name: "Per", Email: "per@example.invalid"}, Optional: true}}},
		time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)))
	for _, want := range []string{"BEGIN:VCALENDAR\r\n", "VERSION:2.0\r\n", "PRODID:", "BEGIN:VTIMEZONE\r\nTZID:Europe/Oslo\r\n",
		"DTSTART;TZID=Europe/Oslo:20260615T090000\r\n", "DTEND;TZID=Europe/Oslo:20260615T103000\r\n",
		"DTSTAMP:20260501T100000Z\r\n", "UID:abc@samordna\r\n", "LOCATION:Rådhuset\\, møterom 2\r\n",
		"ORGANIZER;CN=Kari Solheim:mailto:kari@example.invalid\r\n", "CN=Åse Ødegård;ROLE=REQ-PARTICIPANT",
		"ROLE=OPT-PARTICIPANT", "END:VCALENDAR\r\n"} {
		if !strings.Contains(b, want) {
			t.Errorf("invite lacks %q:\n%s", want, b)
		}
	}
	if strings.Contains(strings.ReplaceAll(b, "\r\n", ""), "\n") {
		t.Error("a bare LF in the invite")
	}
	winter := time.Date(2026, 1, 15, 8, 0, 0, 0, time.UTC)
	if w := string(Invite(Event{UID: "x", Start: winter, End: winter}, winter)); !strings.Contains(w, ":20260115T090000\r\n") {
		t.Errorf("winter time is not UTC+1:\n%s", w)
	}
}
