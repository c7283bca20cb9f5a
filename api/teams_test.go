package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// Seed 002 §4.2 over HTTP (issue 15's API): espen.laerer (Sørli skole, Sør)
// lists the teams, brings a matter to TST Sør and finds it on the next
// meeting's agenda; TST Nord without a reason is 422 wrong_district; an
// anonymous matter with a fødselsnummer is 422 identifying_data; a named
// matter to the OST is 422 named_case_not_allowed and without consent 422
// consent_required; the team's calendar is text/calendar for members only.
func TestTeamMattersOverHTTPSeed002(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		c := newCoordAPI(t, db)
		st, b := c.call("espen.laerer", "GET", "/api/v1/teams", nil)
		if st != http.StatusOK {
			t.Fatalf("teams: %d %s", st, b)
		}
		var list struct {
			Items []struct {
				ID, Name, Kind, District, MeetingRule string
				NextMeeting                           *string `json:"next_meeting"`
			} `json:"items"`
		}
		if err := json.Unmarshal(b, &list); err != nil {
			t.Fatal(err)
		}
		ids := map[string]string{}
		for _, it := range list.Items {
			ids[it.Name] = it.ID
			if it.Name == "TST Sør" && (it.Kind != "tst" || it.District != "Sør" || it.NextMeeting == nil) {
				t.Errorf("TST Sør: %+v", it)
			}
			if it.Name == "OST" && it.Kind != "ost" {
				t.Errorf("OST: %+v", it)
			}
		}
		st, b = c.call("espen.laerer", "POST", "/api/v1/teams/"+ids["TST Sør"]+"/matters",
			map[string]any{"anonymous": true, "question": "Hvordan hjelper vi en elev som er mye borte?"})
		var m struct {
			ID        string `json:"id"`
			MeetingID string `json:"meeting_id"`
			Status    string `json:"status"`
		}
		if st != http.StatusCreated || json.Unmarshal(b, &m) != nil || m.MeetingID == "" || m.Status != "on_agenda" {
			t.Fatalf("submit: %d %s", st, b)
		}
		st, b = c.call("anne.ppt", "GET", "/api/v1/team-meetings/"+m.MeetingID, nil)
		if st != http.StatusOK || !strings.Contains(string(b), m.ID) {
			t.Errorf("anne (member) reads the agenda: %d %s", st, b)
		}
		if st, _ := c.call("ola.laerer", "GET", "/api/v1/team-meetings/"+m.MeetingID, nil); st != http.StatusNotFound {
			t.Errorf("ola (not a member) reads the agenda: %d", st)
		}
		if st, _ := c.call("ola.laerer", "GET", "/api/v1/team-matters/"+m.ID, nil); st != http.StatusNotFound {
			t.Errorf("ola reads espen's matter: %d", st)
		}
		for _, tc := range []struct {
			team string
			body map[string]any
			code string
		}{
			{"TST Nord", map[string]any{"anonymous": true, "question": "Et spørsmål"}, "wrong_district"},
			{"TST Sør", map[string]any{"anonymous": true, "question": "Eleven 01017012345 og 15076500565"}, "identifying_data"},
			{"OST", map[string]any{"anonymous": false, "question": "Navngitt",
				"subject": map[string]string{"fnr": "15076500565", "name": "Test Testesen"}}, "named_case_not_allowed"},
			{"TST Sør", map[string]any{"anonymous": false, "question": "Navngitt",
				"subject": map[string]string{"fnr": "15076500565", "name": "Test Testesen"}}, "consent_required"},
		} {
			st, b := c.call("espen.laerer", "POST", "/api/v1/teams/"+ids[tc.team]+"/matters", tc.body)
			if st != http.StatusUnprocessableEntity || !strings.Contains(string(b), `"`+tc.code+`"`) {
				t.Errorf("%s %v: %d %s, want 422 %s", tc.team, tc.body, st, b, tc.code)
			}
		}
		if st, _ := c.call("espen.laerer", "POST", "/api/v1/teams/"+ids["TST Nord"]+"/matters",
			map[string]any{"anonymous": true, "question": "Et spørsmål", "reason": "Eleven flytter til Nord"}); st != http.StatusCreated {
			t.Errorf("with a reason: %d", st)
		}
		// The minutes wait for the meeting; a non-member cannot cancel it;
		// a member cancels it and the matter moves to the next meeting.
		st, b = c.call("anne.ppt", "POST", "/api/v1/team-meetings/"+m.MeetingID+"/minutes",
			map[string]any{"matters": []map[string]string{{"id": m.ID, "advice": "Ta kontakt med helsesykepleier."}}, "dry_run": true})
		if st != http.StatusUnprocessableEntity || !strings.Contains(string(b), "meeting_not_started") {
			t.Errorf("minutes before the meeting: %d %s", st, b)
		}
		if st, _ := c.call("ola.laerer", "POST", "/api/v1/team-meetings/"+m.MeetingID+"/cancel", nil); st != http.StatusNotFound {
			t.Errorf("ola cancelled the meeting: %d", st)
		}
		// A reason with a fødselsnummer is refused and the meeting stays.
		st, b = c.call("anne.ppt", "POST", "/api/v1/team-meetings/"+m.MeetingID+"/cancel",
			map[string]string{"reason": "Syk: se 15076500565"})
		if st != http.StatusUnprocessableEntity || !strings.Contains(string(b), "identifying_data") {
			t.Errorf("a cancellation reason with a fødselsnummer: %d %s", st, b)
		}
		if st, b := c.call("anne.ppt", "POST", "/api/v1/team-meetings/"+m.MeetingID+"/cancel",
			map[string]string{"reason": "Halve teamet er på kurs"}); st != http.StatusOK {
			t.Fatalf("anne cancels: %d %s", st, b)
		}
		st, b = c.call("espen.laerer", "GET", "/api/v1/team-matters/"+m.ID, nil)
		var moved struct {
			MeetingID string `json:"meeting_id"`
			Status    string `json:"status"`
		}
		if st != http.StatusOK || json.Unmarshal(b, &moved) != nil || moved.MeetingID == m.MeetingID || moved.Status != "on_agenda" {
			t.Errorf("after the cancellation the matter is %d %s", st, b)
		}
		st, b = c.call("anne.ppt", "GET", "/api/v1/teams/"+ids["TST Sør"]+"/calendar.ics", nil)
		if st != http.StatusOK || !strings.Contains(string(b), "RRULE:FREQ=WEEKLY;INTERVAL=6") || !strings.Contains(string(b), "EXDATE;TZID=Europe/Oslo:") {
			t.Errorf("calendar: %d %.200s", st, b)
		}
		if st, _ := c.call("espen.laerer", "GET", "/api/v1/teams/"+ids["TST Sør"]+"/calendar.ics", nil); st != http.StatusNotFound {
			t.Errorf("espen (not a member) read the calendar: %d", st)
		}
	})
}
