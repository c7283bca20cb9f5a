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

// Seed 001, service level: "Gjennomføre brukerundersøkelser" and
// "Brukermedvirkning som fast praksis". A leader writes a survey and makes
// answer links; each link answers once, without signing in; an answer
// keeps no trace of its link; results show only for groups of five or more
// (a group of four shows no result).
func TestSeed001UserSurveyOneAnswerPerLinkAndNoResultUnderFive(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db, time.Date(2026, 9, 1, 9, 0, 0, 0, time.UTC))
		ctx := context.Background()
		if _, err := w.app.CreateSurvey(ctx, w.as("siv"), app.NewSurvey{Title: "X", Questions: []string{"Y"}}); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("an employee writes a survey: %v", err)
		}
		_, err := w.app.CreateSurvey(ctx, w.as("tor"), app.NewSurvey{Title: "Tom"})
		wantErrCode(t, err, "questions_required")
		s, err := w.app.CreateSurvey(ctx, w.as("tor"), app.NewSurvey{Title: "Brukerundersøkelse 2026",
			Questions: []string{"Jeg ble tatt på alvor.", "Barna mine fikk god informasjon."}})
		w.must(err)
		rus := w.as("siv").Employee.Services[0].ID
		school := w.as("ola").Employee.Services[0].ID
		rusLinks, err := w.app.CreateSurveyLinks(ctx, w.as("tor"), s.ID, rus, 5)
		w.must(err)
		schoolLinks, err := w.app.CreateSurveyLinks(ctx, w.as("tor"), s.ID, school, 4)
		w.must(err)
		got, err := w.app.SurveyToAnswer(ctx, rusLinks[0])
		w.must(err)
		if got.Title != s.Title || len(got.Questions) != 2 {
			t.Errorf("survey to answer: %+v", got)
		}
		if _, err := w.app.SurveyToAnswer(ctx, "not-a-link"); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("an unknown link: %v", err)
		}
		wantErrCode(t, w.app.AnswerSurvey(ctx, rusLinks[0], map[int]int{0: 6}), "invalid_answer")
		wantErrCode(t, w.app.AnswerSurvey(ctx, rusLinks[0], map[int]int{}), "answer_required")
		for i, l := range rusLinks {
			w.must(w.app.AnswerSurvey(ctx, l, map[int]int{0: 4 + i%2, 1: 3}))
		}
		wantErrCode(t, w.app.AnswerSurvey(ctx, rusLinks[0], map[int]int{0: 1}), "link_used")
		for _, l := range schoolLinks {
			w.must(w.app.AnswerSurvey(ctx, l, map[int]int{0: 2}))
		}
		_, res, err := w.app.SurveyResults(ctx, w.as("tor"), s.ID)
		w.must(err)
		if len(res) != 3 {
			t.Fatalf("groups: %+v", res)
		}
		all, school4, rus5 := res[0], res[2], res[1]
		if res[1].ServiceName == "Nordby skole" {
			school4, rus5 = res[1], res[2]
		}
		if all.Hidden || all.Responses != 9 || all.Questions[0].Answered != 9 {
			t.Errorf("whole survey: %+v", all)
		}
		if rus5.Hidden || rus5.Responses != 5 || rus5.Questions[0].Mean != 4.4 || rus5.Questions[1].Values[2] != 5 {
			t.Errorf("group of five: %+v", rus5)
		}
		if !school4.Hidden || school4.Responses != 0 || len(school4.Questions) != 0 {
			t.Errorf("a group of four shows a result: %+v", school4)
		}
		// Nothing ties an answer to its link.
		if n := countRows(t, db, `SELECT COUNT(*) FROM survey_links WHERE used`); n != 9 {
			t.Errorf("%d used links, want 9", n)
		}
		if _, _, err := w.app.SurveyResults(ctx, w.as("siv"), s.ID); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("an employee reads the results: %v", err)
		}
		w.must(w.app.CloseSurvey(ctx, w.as("tor"), s.ID))
		more, err := w.app.CreateSurveyLinks(ctx, w.as("berit"), s.ID, "", 1)
		if samordna.ErrorCode(err) != "survey_closed" || more != nil {
			t.Errorf("links for a closed survey: %v", err)
		}
	})
}

// Seed 001, individual level: recognised screening and follow-up methods
// adopted by the municipality ("anerkjente metoder og prosedyrer for
// screening" / "for oppfølging av barn i målgruppa"); a plan's measure names
// one; the count shows which are used.
func TestSeed001MethodsCatalogueCountsUse(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newPlanWorld(t, db)
		cli := &samordna.Actor{RequestID: "cli"}
		if _, err := w.a.AdoptMethod(ctx, planActor(w.coord), app.NewMethod{Kind: "screening", Name: "X"}); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("an employee adopts a method: %v", err)
		}
		_, err := w.a.AdoptMethod(ctx, cli, app.NewMethod{Kind: "magic", Name: "X"})
		wantErrCode(t, err, "invalid_kind")
		talk, err := w.a.AdoptMethod(ctx, cli, app.NewMethod{Kind: "follow_up", Name: "Barnesamtale",
			Description: "Samtale med barnet om foreldrenes sykdom."})
		if err != nil {
			t.Fatal(err)
		}
		_, err = w.a.AdoptMethod(ctx, cli, app.NewMethod{Kind: "follow_up", Name: "barnesamtale"})
		wantErrCode(t, err, "method_exists")
		screen, err := w.a.AdoptMethod(ctx, cli, app.NewMethod{Kind: "screening", Name: "Kartleggingssamtale"})
		if err != nil {
			t.Fatal(err)
		}
		w.appoint(w.caseID)
		bad := relayInput()
		bad.Measures[0].Method = "nope"
		_, err = w.a.CreatePlan(ctx, planActor(w.coord), w.caseID, bad)
		wantErrCode(t, err, "unknown_method")
		in := relayInput()
		in.Measures[0].Method = talk.ID
		if _, err = w.a.CreatePlan(ctx, planActor(w.coord), w.caseID, in); err != nil {
			t.Fatal(err)
		}
		methods, use, err := w.a.Methods(ctx, planActor(w.teacher))
		if err != nil {
			t.Fatal(err)
		}
		if len(methods) != 2 || use[talk.ID].Measures != 1 || use[talk.ID].Cases != 1 || use[screen.ID].Measures != 0 {
			t.Errorf("methods %d, use %+v", len(methods), use)
		}
		if err := w.a.RetireMethod(ctx, cli, screen.ID); err != nil {
			t.Fatal(err)
		}
		methods, _, _ = w.a.Methods(ctx, planActor(w.teacher))
		if methods[1].RetiredAt == nil && methods[0].RetiredAt == nil {
			t.Error("the retired method is not marked retired")
		}
	})
}
