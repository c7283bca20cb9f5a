package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"
)

// meetingLead is how far ahead the scenario plans a meeting: minutes can
// only be finalised once the meeting has begun, and a meeting can only be
// planned for a time to come.
const meetingLead = time.Second

// meetingsAhead is how many meetings each user has planned before the run.
const meetingsAhead = 6

// pendingMeeting is a planned meeting whose minutes wait for it to begin.
type pendingMeeting struct {
	id, caseID string
	starts     time.Time
}

// completeMeeting is a responsibility group's meeting from start to end, as
// its coordinator does it through the API: plan it (short notice, with the
// reason), read the minutes template, write the minutes (attendance, each
// agenda item, the person's own account, a new measure, conclusions, next
// meeting, recipients) and finalise them, which makes the new measure a
// task. Because minutes are finalised only after the meeting began, each
// operation plans a new meeting and completes the oldest planned one, which
// has begun by then (the users plan a few ahead before the run; should the
// oldest not have begun, the wait is not counted as latency).
func completeMeeting(ctx context.Context, t *target, c *client, vus int) (Op, error) {
	users, err := t.pickUsersWith(ctx, empCoordinator, vus, false, 17, true)
	if err != nil {
		return nil, err
	}
	for _, u := range users {
		if len(u.groupCases) == 0 {
			return nil, errors.New("a coordinator without a responsibility group")
		}
	}
	var groupLocks sync.Map // case id → *sync.Mutex
	plan := func(ctx context.Context, u *vuser) error {
		caseID := u.groupCases[u.next%len(u.groupCases)]
		u.next++
		starts := time.Now().Add(meetingLead).UTC().Truncate(time.Second).Add(time.Second)
		var m struct{ ID string }
		err := c.do(ctx, "POST", "/api/v1/cases/"+caseID+"/meetings", auth{bearer: u.token}, map[string]any{
			"starts_at": starts.Format(time.RFC3339), "duration_minutes": 90, "place": "Rådhuset, møterom 2",
			"agenda":              []string{"Gjennomgang av tiltak", "Hva er viktig for deg nå?", "Neste møte"},
			"reason_short_notice": "Ekstraordinært møte etter ønske fra familien"}, 201, &m)
		if err == nil {
			u.pending = append(u.pending, pendingMeeting{id: m.ID, caseID: caseID, starts: starts})
		}
		return err
	}
	// Plan a few meetings per user ahead (not timed), so that in the run
	// the oldest has begun by the time its minutes are written.
	for _, u := range users {
		for range meetingsAhead {
			if err := plan(ctx, u); err != nil {
				return nil, err
			}
		}
	}
	time.Sleep(meetingLead + time.Second)
	return func(ctx context.Context, vu int) error {
		u := users[vu]
		a := auth{bearer: u.token}
		if err := plan(ctx, u); err != nil {
			return err
		}
		next := u.pending[0]
		if wait := time.Until(next.starts); wait > 0 {
			time.Sleep(wait + 10*time.Millisecond)
			idle(ctx, wait+10*time.Millisecond)
		}
		u.pending = u.pending[1:]
		// Two users may share a group (when there are fewer coordinators
		// than users): the minutes review the measures of the group's last
		// finalised minutes, so one group's minutes are written one at a
		// time.
		mu, _ := groupLocks.LoadOrStore(next.caseID, &sync.Mutex{})
		mu.(*sync.Mutex).Lock()
		defer mu.(*sync.Mutex).Unlock()
		return writeMinutes(ctx, c, a, next, t.w.employees[u.emp].username)
	}, nil
}

// writeMinutes fills the minutes of meeting m from its template and
// finalises them.
func writeMinutes(ctx context.Context, c *client, a auth, m pendingMeeting, coordinator string) error {
	var tpl struct {
		Minutes map[string]json.RawMessage `json:"minutes"`
	}
	if err := c.do(ctx, "GET", "/api/v1/meetings/"+m.id+"/minutes", a, nil, 200, &tpl); err != nil {
		return err
	}
	var attendance []map[string]any
	_ = json.Unmarshal(tpl.Minutes["attendance"], &attendance)
	for _, at := range attendance {
		at["present"] = true
	}
	var items []map[string]any
	_ = json.Unmarshal(tpl.Minutes["items"], &items)
	for _, it := range items {
		it["notes"] = "Drøftet; enighet om veien videre."
	}
	body := map[string]any{}
	for k, v := range tpl.Minutes {
		body[k] = v
	}
	body["started_at"] = m.starts.Format(time.RFC3339)
	body["place"] = "Rådhuset, møterom 2"
	body["attendance"] = attendance
	body["items"] = items
	body["previous_minutes"] = map[string]any{"approved": true}
	body["person_account"] = "Familien forteller at det går bedre hjemme."
	// The measures agreed last time (the template lists them) are reviewed:
	// done.
	var reviews []map[string]any
	_ = json.Unmarshal(tpl.Minutes["measures_reviewed"], &reviews)
	for _, r := range reviews {
		r["done"] = true
	}
	if reviews == nil {
		reviews = []map[string]any{}
	}
	body["measures_reviewed"] = reviews
	body["new_measures"] = []map[string]string{{"text": "Kartlegge behov for avlastning", "responsible": coordinator,
		"due": time.Now().AddDate(0, 1, 0).Format("2006-01-02")}}
	body["conclusions"] = "Tiltakene videreføres; avlastning kartlegges."
	body["next_meeting"] = map[string]string{"starts_at": m.starts.AddDate(0, 6, 0).Format(time.RFC3339),
		"topic": "Evaluering"}
	if r, ok := tpl.Minutes["recipients"]; !ok || string(r) == "null" || string(r) == "[]" {
		body["recipients"] = []string{coordinator}
	}
	if err := c.do(ctx, "PUT", "/api/v1/meetings/"+m.id+"/minutes", a, body, 200, nil); err != nil {
		return err
	}
	if err := c.do(ctx, "POST", "/api/v1/meetings/"+m.id+"/minutes/finalise", a, nil, 200, nil); err != nil {
		return fmt.Errorf("finalise: %w", err)
	}
	return nil
}
