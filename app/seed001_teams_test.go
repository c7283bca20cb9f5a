package app_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// Seed 001, individ/kultur: "tverrfaglige konsultasjonsteam for
// saksdrøfting" (row 1.36) and "hjelpe familier å knytte kontakt med andre
// instanser" (row 1.34). A teacher at Sørli skole brings two matters to the
// district's team; both are on the next meeting's agenda, the team advises
// referral to BUP and to the family counselling office, and the teacher gets
// a task for each: make the referral together with the family.
func TestSeed001Section34And36TeamAdviceRefersFamiliesOnward(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newTeamWorld(t, db)
		ctx := context.Background()
		espen, anne := w.as("espen.laerer"), w.as("anne.ppt")
		sor := w.team("TST Sør")
		var ids []string
		for _, q := range []string{"Et barn virker engstelig og trekker seg unna etter at mor ble innlagt.",
			"Foreldrene krangler mye og barnet forteller om det på skolen."} {
			x, err := w.app.SubmitTeamMatter(ctx, espen, sor, app.NewTeamMatter{Anonymous: true, Question: q})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, x.ID)
		}
		m := w.nextMeeting(sor)
		// Both matters wait on the same meeting's agenda: the team's queue.
		if n := w.count("SELECT COUNT(*) FROM team_matters WHERE meeting_id = $1 AND id IN ($2, $3)", m.ID, ids[0],
			ids[1]); n != 2 {
			t.Fatalf("%d of the two matters on the next meeting's agenda", n)
		}
		w.clock.set(m.StartsAt.Add(2 * time.Hour))
		minutes := app.TeamMinutes{Present: []string{anne.Employee.ID}, Summary: "To saker drøftet.",
			Outcomes: []app.MatterOutcome{
				{MatterID: ids[0], Advice: "Samtale med far om henvisning til BUP.", Referral: "bup"},
				{MatterID: ids[1], Advice: "Foreslå familievernkontoret for foreldrene.", Referral: "family_counselling"},
			}}
		if err := w.app.FinaliseTeamMinutes(ctx, anne, m.ID, minutes); err != nil {
			t.Fatal(err)
		}
		tasks, err := w.app.ListTasks(ctx, espen, app.TaskQuery{AssignedToMe: true, Status: "open", Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		var titles []string
		for _, tv := range tasks.Tasks {
			titles = append(titles, tv.Title)
		}
		for _, want := range []string{"Henvis videre til BUP sammen med familien",
			"Henvis videre til familievernkontoret sammen med familien"} {
			if !slices.ContainsFunc(titles, func(s string) bool { return strings.HasPrefix(s, want) }) {
				t.Errorf("no task %q for the teacher among %q", want, titles)
			}
		}
	})
}
