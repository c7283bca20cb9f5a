package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/browsertest"
)

// FIDELITY 4.20, seed 004 Etablering: "Sammensetningen av ansvarsgruppen
// revurderes i forbindelse med overganger ... ved overgangen til
// voksenlivet, flytting til eget hjem og oppstart i arbeidslivet." The
// coordinator records on the individual plan's form when the move to the
// person's own home is expected; the plan page shows the transition with
// the date its review is due, in bokmål, nynorsk and English, at 1280 and
// 390 px, axe clean and valid HTML; a form with a date missing is refused
// with what was typed kept.
func TestBrowserSeed004PlanTransitions(t *testing.T) {
	ps := startPlanSite(t)
	pages := browsertest.NewHTMLPages(t)
	v, err := ps.App.CreatePlan(context.Background(), &samordna.Actor{Employee: ps.Employee}, ps.caseID,
		app.PlanInput{Kind: app.PlanIndividual, WhatMatters: "Jeg vil bo for meg selv"})
	if err != nil {
		t.Fatal(err)
	}
	planPath := "/plans/" + v.Plan.ID
	ctx := browsertest.New(t)
	browsertest.Login(t, ctx, ps.URL, ps.Username, ps.Password)

	browsertest.Open(t, ctx, ps.URL+planPath+"/edit")
	browsertest.RequireText(t, ctx, "Overganger", "Flytting til eget hjem: forventet dato")
	browsertest.CheckAxe(t, ctx, "plan form with transitions")
	pages.Add(t, ctx, "plan form with transitions")
	browsertest.Do(t, ctx, "a note without a date",
		chromedp.SendKeys(chromedp.ID("transition-note-1"), "Omsorgsbolig i Sjøvegan"))
	if status := browsertest.Navigation(t, ctx, "save without the date",
		chromedp.Click(chromedp.CSS(`form.plan-form button[type="submit"]`))); status != http.StatusBadRequest {
		t.Errorf("a transition without a date: status %d, want 400", status)
	}
	browsertest.RequireText(t, ctx, "Skriv når overgangen ventes (dato).")
	if got := browsertest.Eval[string](t, ctx, `document.getElementById('transition-note-1').value`); got != "Omsorgsbolig i Sjøvegan" {
		t.Errorf("the refused form lost the note: %q", got)
	}
	expected := time.Now().AddDate(1, 0, 0)
	browsertest.Do(t, ctx, "the expected date",
		chromedp.SetValue(chromedp.ID("transition-expected-1"), expected.Format(time.DateOnly)))
	browsertest.Navigation(t, ctx, "save", chromedp.Click(chromedp.CSS(`form.plan-form button[type="submit"]`)))
	review := expected.AddDate(0, -3, 0).Format("02.01.2006")
	browsertest.RequireText(t, ctx, "Ny versjon er lagret.", "Overganger", "Flytting til eget hjem: "+expected.Format("02.01.2006")+
		" – Omsorgsbolig i Sjøvegan", "revurderes innen "+review)
	browsertest.CheckAxe(t, ctx, "plan with a transition")
	pages.Add(t, ctx, "plan with a transition")
	browsertest.SetViewport(t, ctx, 390, 844, true)
	browsertest.RequireNoHorizontalScroll(t, ctx, "plan with a transition at 390 px")
	browsertest.SetViewport(t, ctx, 1280, 900, false)

	for lang, want := range map[string]string{"nn": "Flytting til eigen heim", "en": "Moving to one's own home"} {
		chooseLanguage(t, ctx, lang)
		browsertest.Open(t, ctx, ps.URL+planPath)
		browsertest.RequireText(t, ctx, want)
		requirePlanTexts(t, ctx, "plan with a transition, "+lang)
		browsertest.Open(t, ctx, ps.URL+planPath+"/edit")
		requirePlanTexts(t, ctx, "plan form, "+lang)
		if body := browsertest.BodyText(t, ctx); !strings.Contains(body, want) {
			t.Errorf("the %s form lacks %q", lang, want)
		}
	}
	pages.Check(t)
}
