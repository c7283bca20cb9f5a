package app_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// The transitions at which a group's composition is reviewed, from the
// child's birth date.
func TestTransitions(t *testing.T) {
	for _, c := range []struct {
		birth string
		want  []string // school, lower secondary, upper secondary, adulthood
	}{
		{"2016-05-10", []string{"2022-08-01", "2029-08-01", "2032-08-01", "2034-05-10"}},
		// Born in December: starts school the August of the year it turns 6,
		// aged 5 at the start.
		{"2019-12-31", []string{"2025-08-01", "2032-08-01", "2035-08-01", "2037-12-31"}},
		{"2020-01-01", []string{"2026-08-01", "2033-08-01", "2036-08-01", "2038-01-01"}},
		// A leap-day child turns 18 on 1 March in a common year.
		{"2008-02-29", []string{"2014-08-01", "2021-08-01", "2024-08-01", "2026-03-01"}},
	} {
		got := app.Transitions(date(c.birth))
		kinds := []string{"school", "lower_secondary", "upper_secondary", "adulthood"}
		for i, tr := range got {
			if tr.Kind != kinds[i] || tr.At.Format(time.DateOnly) != c.want[i] {
				t.Errorf("born %s: transition %d = %s %s, want %s %s", c.birth, i, tr.Kind,
					tr.At.Format(time.DateOnly), kinds[i], c.want[i])
			}
		}
	}
	up := app.UpcomingTransitions(date("2016-05-10"), date("2030-01-01"))
	if len(up) != 2 || up[0].Kind != "upper_secondary" {
		t.Errorf("upcoming in 2030 = %+v", up)
	}
	if due := up[0].ReviewBy(date("2030-01-01")); due.Format(time.DateOnly) != "2032-05-01" {
		t.Errorf("review by %s, want three months before", due)
	}
	if due := up[0].ReviewBy(date("2032-07-01")); due.Format(time.DateOnly) != "2032-07-01" {
		t.Errorf("a late review is due %s, want now", due)
	}
}

func members(ids ...string) []*store.Member {
	var out []*store.Member
	for _, id := range ids {
		m := &store.Member{ID: id, EmployeeID: "e" + id}
		if strings.HasPrefix(id, "p") {
			m.EmployeeID = "" // the person or family: not in the rotation
		}
		out = append(out, m)
	}
	return out
}

func TestSuggestRotation(t *testing.T) {
	for _, c := range []struct {
		members              []*store.Member
		lastChair, lastTaker string
		wantChair, wantTaker string
	}{
		{members("a", "p1", "b", "c"), "", "", "a", "b"},
		{members("a", "p1", "b", "c"), "a", "b", "b", "c"},
		{members("a", "p1", "b", "c"), "b", "c", "c", "a"},
		{members("a", "p1", "b", "c"), "c", "a", "a", "b"},
		// The minute-taker is never the chair when there are two or more.
		{members("a", "b"), "a", "a", "b", "a"},
		{members("a"), "a", "a", "a", "a"},
		{members("p1", "p2"), "", "", "", ""},
		// A last chair who has left the group: start from the first.
		{members("a", "b", "c"), "gone", "b", "a", "c"},
	} {
		chair, taker := app.SuggestRotation(c.members, c.lastChair, c.lastTaker)
		if chair != c.wantChair || taker != c.wantTaker {
			t.Errorf("after %q/%q: %q/%q, want %q/%q", c.lastChair, c.lastTaker, chair, taker, c.wantChair, c.wantTaker)
		}
	}
}

func TestGroupSizeWarningMembersAndClosing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newCoordWorld(t, db)
		ctx := context.Background()
		caseID, _ := w.grantedCase(w.child)
		w.consent(caseID, samordna.PurposeResponsibilityGroup, samordna.PurposeShareWithMembers)
		_, err := w.app.CreateGroup(ctx, w.as("ingrid"), caseID, []app.NewGroupMember{{Username: "anne", Name: "Anne"}})
		coordWantCode(t, err, "invalid_member")
		_, err = w.app.CreateGroup(ctx, w.as("ingrid"), caseID, []app.NewGroupMember{{Name: "Mor", Relation: "aunt"}})
		coordWantCode(t, err, "invalid_member")
		_, err = w.app.CreateGroup(ctx, w.as("ingrid"), caseID, []app.NewGroupMember{{Username: "admin"}})
		coordWantCode(t, err, "unknown_employee")

		var ms []app.NewGroupMember
		for i := 0; i < 8; i++ {
			ms = append(ms, app.NewGroupMember{Name: fmt.Sprintf("Pårørende %d", i), Relation: "next_of_kin"})
		}
		v, err := w.app.SetUpGroup(ctx, w.as("ingrid"), caseID, app.GroupSetup{Members: ms, ChosenWith: "Åse og mor"})
		w.must(err)
		if len(v.Members) != 9 || len(v.Warnings) != 1 || v.Warnings[0].Code != "many_members" {
			t.Errorf("9 members: %d, warnings %+v", len(v.Members), v.Warnings)
		}
		_, err = w.app.CreateGroup(ctx, w.as("ingrid"), caseID, ms)
		coordWantCode(t, err, "group_exists")
		// The coordinator gets the annual evaluation and the transitions of
		// a child born 2016 still to come (lower and upper secondary, 18).
		titles := w.openTaskTitles(caseID)
		for _, want := range []string{"Årlig evaluering", "barneskole til ungdomsskole", "ungdomsskole til videregående", "voksenlivet"} {
			if !strings.Contains(titles, want) {
				t.Errorf("no task with %q in:\n%s", want, titles)
			}
		}
		if strings.Contains(titles, "barnehage til skole") {
			t.Errorf("a past transition became a task:\n%s", titles)
		}
		// Adding an existing member again changes nothing; removing the
		// coordinator is refused.
		v, err = w.app.AddGroupMembers(ctx, w.as("ingrid"), caseID, []app.NewGroupMember{{Username: "ingrid"}, {Username: "anne"}})
		w.must(err)
		if len(v.Members) != 10 {
			t.Errorf("members after adding = %d", len(v.Members))
		}
		err = w.app.RemoveGroupMember(ctx, w.as("ingrid"), caseID, v.Members[0].ID)
		coordWantCode(t, err, "coordinator_member")
		w.must(w.app.RemoveGroupMember(ctx, w.as("ingrid"), caseID, v.Members[1].ID))

		// A matter for the leaders gives the coordinator a task.
		_, err = w.app.RaiseToLeaders(ctx, w.as("anne"), caseID, "complaint_allocation", "Klage på vedtak om avlastning")
		w.must(err)
		if !strings.Contains(w.openTaskTitles(caseID), "Løft saken videre") {
			t.Error("no task for raising to the leaders")
		}
		_, err = w.app.RaiseToLeaders(ctx, w.as("anne"), caseID, "weather", "x")
		coordWantCode(t, err, "invalid_category")

		// The evaluation closes the group; the closing is a case event.
		w.must(w.app.EvaluateGroup(ctx, w.as("ingrid"), caseID, app.Evaluation{Continue: false, Note: "Ikke lenger behov",
			UserView: "Åse klarer seg fint nå", UserViewBy: "Åse Ødegård"}))
		gv, err := w.app.GetGroup(ctx, w.as("ingrid"), caseID)
		w.must(err)
		if gv.Group != nil {
			t.Errorf("the group is still open")
		}
		cv, err := w.app.GetCase(ctx, w.as("ingrid"), caseID)
		w.must(err)
		closed := false
		for _, ev := range cv.Events {
			closed = closed || ev.Kind == "responsibility_group_closed"
		}
		if !closed {
			t.Error("the closing is not in the case's timeline")
		}
	})
}
