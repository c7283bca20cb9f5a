package app_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// rate gives every outcome item o and every session item s.
func rate(items []*store.FeedbackItem, o, s int) map[string]int {
	out := map[string]int{}
	for _, it := range items {
		if it.Scale == store.ScaleOutcome {
			out[it.ID] = o
		} else {
			out[it.ID] = s
		}
	}
	return out
}

// Seed 001, individual level (structure): "Sikre at ansatte aktivt og
// systematisk anvender tilbakemeldingsverktøy i møte med det enkelte
// barn/familie"; tool column "FIT". Each session records the person's own
// ratings 0-10 on the municipality's neutral default items; the case shows
// the sessions in order with their means; no progress after three sessions
// and a weak alliance are flagged and the employee notified; an outsider
// gets 404; bad ratings change nothing.
func TestSeed001FITFeedbackFlagsNoProgressAndWeakAlliance(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		w := newWorld(t, db, now)
		ctx := context.Background()
		c := adultConcern(w)
		items, err := w.app.FeedbackItems(ctx, w.as("siv"))
		w.must(err)
		if len(items) != 4 || items[0].Label == "" {
			t.Fatalf("default items: %+v", items)
		}
		for _, it := range items {
			if it.Label == "Individually" || it.Label == "Individuelt" {
				t.Error("a default item copies the ORS wording")
			}
		}
		for _, tc := range []struct {
			in   app.FeedbackInput
			code string
		}{
			{app.FeedbackInput{Date: "2026-02-01", Ratings: map[string]int{items[0].ID: 5}}, "rating_required"},
			{app.FeedbackInput{Date: "2026-02-01", Ratings: rate(items, 11, 5)}, "invalid_rating"},
			{app.FeedbackInput{Date: "2026-04-01", Ratings: rate(items, 5, 5)}, "date_in_future"},
			{app.FeedbackInput{Date: "2026-02-01", Respondent: "neighbour", Ratings: rate(items, 5, 5)}, "invalid_respondent"},
		} {
			_, err := w.app.RecordFeedback(ctx, w.as("siv"), c.Case.ID, tc.in)
			wantErrCode(t, err, tc.code)
		}
		if _, err := w.app.RecordFeedback(ctx, w.as("ola"), c.Case.ID, app.FeedbackInput{Ratings: rate(items, 5, 9)}); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("an outsider records feedback: %v", err)
		}
		if n := w.count("feedback_sessions"); n != 0 {
			t.Fatalf("%d sessions after refused input", n)
		}
		v, err := w.app.RecordFeedback(ctx, w.as("siv"), c.Case.ID, app.FeedbackInput{Date: "2026-02-02", Ratings: rate(items, 4, 9)})
		w.must(err)
		if v.NoProgress || v.WeakAlly || len(v.Points) != 1 || v.Points[0].Outcome != 4 {
			t.Errorf("after one session: %+v", v)
		}
		v, err = w.app.RecordFeedback(ctx, w.as("siv"), c.Case.ID, app.FeedbackInput{Date: "2026-02-16", Ratings: rate(items, 5, 9)})
		w.must(err)
		v, err = w.app.RecordFeedback(ctx, w.as("siv"), c.Case.ID, app.FeedbackInput{Date: "2026-03-01", Ratings: rate(items, 4, 5)})
		w.must(err)
		if !v.NoProgress || !v.WeakAlly || len(v.Points) != 3 || v.Points[1].Outcome != 5 {
			t.Errorf("after three sessions without progress and a weak alliance: no progress %v, weak %v", v.NoProgress, v.WeakAlly)
		}
		if n := countRows(t, db, `SELECT COUNT(*) FROM notifications WHERE kind = 'feedback_flag' AND employee_id = $1`, w.id("siv")); n != 1 {
			t.Errorf("%d flag notifications to the employee, want 1", n)
		}
		v, err = w.app.CaseFeedback(ctx, w.as("siv"), c.Case.ID)
		w.must(err)
		if len(v.Points) != 3 || v.Points[0].Session.Date != "2026-02-02" || v.Points[0].Session.RecorderName != "Siv Rus" {
			t.Errorf("case feedback: %+v", v.Points)
		}
		if _, err := w.app.CaseFeedback(ctx, w.as("ola"), c.Case.ID); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("an outsider reads the feedback: %v", err)
		}
		// The administrator renames an item; old ratings keep it.
		_, err = w.app.SaveFeedbackItem(ctx, w.as("admin"), store.FeedbackItem{ID: items[0].ID, Label: "Livet mitt nå", Active: true})
		w.must(err)
		if _, err := w.app.SaveFeedbackItem(ctx, w.as("siv"), store.FeedbackItem{Label: "X", Scale: "outcome"}); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("an employee adds an item: %v", err)
		}
	})
}

// Seed 001: "Sikre at tilbakemelding innhentes fra alle barn/familier i
// målgruppa"; the aggregated figures are anonymous: a hand count of five
// families equals FeedbackCounts, and four families show nothing.
func TestSeed001FeedbackFiguresAreAnonymousUnderFive(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		now := time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC)
		w := newWorld(t, db, now)
		ctx := context.Background()
		items, err := w.app.FeedbackItems(ctx, w.as("siv"))
		w.must(err)
		families := func(n int) {
			for i := range n {
				num := samordna.SyntheticIDNumber(time.Date(1980+i, 3, 4, 0, 0, 0, 0, time.UTC), 11+i)
				c := w.concern("siv", app.NewConcern{Situation: "asks_for_help", Description: "x",
					Subject: &app.ConcernSubject{IDNumber: num, Name: "Forelder"}})
				for j, o := range []int{3, 3 + i%2*3} { // odd families improve
					_, err := w.app.RecordFeedback(ctx, w.as("siv"), c.Case.ID, app.FeedbackInput{
						Date: time.Date(2026, 5, 1+j*7, 0, 0, 0, 0, time.UTC).Format(time.DateOnly), Ratings: rate(items, o, 8)})
					w.must(err)
				}
			}
		}
		families(4)
		sum, err := w.app.FeedbackYear(ctx, w.as("tor"), 2026)
		w.must(err)
		if !sum.All.Hidden || sum.All.Cases != 0 || len(sum.Services) != 1 || !sum.Services[0].Hidden {
			t.Errorf("four families: %+v", sum)
		}
		families(1)
		sum, err = w.app.FeedbackYear(ctx, w.as("tor"), 2026)
		w.must(err)
		if sum.All.Hidden || sum.All.Cases != 5 || sum.All.Sessions != 10 || sum.All.CasesWithTwo != 5 ||
			sum.All.CasesImproved != 2 || sum.All.MeanSession != 8 {
			t.Errorf("five families: %+v", sum.All)
		}
		if _, err := w.app.FeedbackYear(ctx, w.as("siv"), 2026); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("an employee reads the figures: %v", err)
		}
	})
}
