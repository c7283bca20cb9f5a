package app_test

import (
	"context"
	"testing"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// The demo has families at each stage: an application waiting, a decided
// one with an accepted coordinator, a refusal, and a group with two held
// meetings with finalised minutes and one coming up.
func TestDemoCoordinationStages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		a, _ := seedDemo(t, db)
		ctx := context.Background()
		actor := func(username string) *samordna.Actor {
			var e *samordna.Employee
			if err := db.Read(ctx, func(tx *store.Tx) error {
				var err error
				e, _, err = store.EmployeeByUsername(tx, username)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			return &samordna.Actor{Employee: e}
		}
		o, err := a.CoordinatingUnitOverview(ctx, actor("kari.ke"))
		if err != nil {
			t.Fatal(err)
		}
		if o.Applications["submitted"] < 1 || o.Applications["granted"] < 2 || o.Applications["refused"] < 1 {
			t.Errorf("applications = %v", o.Applications)
		}
		if len(o.Inbox) < 1 || o.Inbox[0].WishedName != "Siv Thorsen" {
			t.Errorf("inbox = %+v", o.Inbox)
		}
		// Every demo group came through an application on the person's
		// consent to register with the unit, so the unit lists them all
		// (seed 004 consent statement 3); Oliver's has held meetings.
		oliver := -1
		for i, g := range o.Groups {
			if g.SubjectName == "Oliver Berg" {
				oliver = i
			}
		}
		if len(o.Groups) != 5 || o.Unregistered != 0 || oliver < 0 || o.Groups[oliver].LastMeeting == nil ||
			o.Groups[oliver].NextMeeting == nil || !o.Groups[oliver].NextMeeting.After(demoToday) {
			t.Fatalf("groups = %+v, unregistered %d", o.Groups, o.Unregistered)
		}
		listings := func() int {
			var n int
			if err := db.Read(ctx, func(tx *store.Tx) error {
				return tx.QueryRow(`SELECT COUNT(*) FROM audit_events WHERE object_type = 'coordinator' AND action = 'list'
					AND actor_id = $1`, actor("ingrid.hs").Employee.ID).Scan(&n)
			}); err != nil {
				t.Fatal(err)
			}
			return n
		}
		before := listings()
		mine, err := a.MyCoordinatorCases(ctx, actor("ingrid.hs"))
		if err != nil {
			t.Fatal(err)
		}
		// The listing is logged: one audit row, durable before the list returns.
		if after := listings(); after != before+1 {
			t.Errorf("coordinator list audit rows: %d before, %d after; want one more", before, after)
		}
		var caseID string
		for _, c := range mine {
			if c.SubjectName == "Oliver Berg" {
				caseID = c.CaseID
				// Oliver's group has met twice and has one meeting planned:
				// the list shows that one.
				if !c.HasGroup || c.NextMeeting == nil || c.MeetingID == "" || !c.NextMeeting.After(demoToday) {
					t.Errorf("Oliver's line in the coordinator's list = %+v", c)
				}
			}
		}
		g, err := a.GetGroup(ctx, actor("ingrid.hs"), caseID)
		if err != nil {
			t.Fatal(err)
		}
		held, planned := 0, 0
		for _, m := range g.Meetings {
			switch m.Status {
			case "held":
				held++
				v, err := a.GetMeeting(ctx, actor("per.bv"), m.ID) // a member reads it
				if err != nil || !v.MinutesFinal {
					t.Errorf("meeting %d: final %v, %v", m.Number, v != nil && v.MinutesFinal, err)
				}
			case "planned":
				planned++
			}
		}
		if held != 2 || planned != 1 || len(g.Members) != 5 {
			t.Errorf("held %d, planned %d, members %d", held, planned, len(g.Members))
		}
		mathias, err := a.MyCoordinatorCases(ctx, actor("anne.ppt"))
		if err != nil || len(mathias) != 1 || mathias[0].Status != "accepted" || mathias[0].HasGroup {
			t.Errorf("anne's cases = %+v, %v", mathias, err)
		}
	})
}
