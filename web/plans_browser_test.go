package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/browsertest"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
	"github.com/samordna/samordna/web"
)

// planSite is a running server with a child's case: the site's employee
// registered it and is its coordinator, the consent covers an individual
// plan and sharing with the group, and a nurse (who can sign in) is a
// member of the responsibility group.
type planSite struct {
	*browsertest.Site
	caseID string
	nurse  *samordna.Employee
}

const planNursePassword = "sykepleier-passord-2026"

func startPlanSite(t *testing.T) *planSite {
	t.Helper()
	site := browsertest.StartSite(t, dbtest.Open(t, store.SQLite), nil, func(a *app.App) (http.Handler, error) {
		return web.New(a, web.Config{})
	})
	ps := &planSite{Site: site}
	ctx := context.Background()
	a, me := site.App, site.Employee
	var err error
	ps.nurse, err = a.CreateUser(ctx, &samordna.Actor{}, app.NewUser{Username: "ingrid.hs", Name: "Ingrid Helsesykepleier",
		Password: planNursePassword, Roles: []samordna.Role{samordna.RoleEmployee}})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	err = site.DB.Write(ctx, func(tx *store.Tx) error {
		birth := time.Date(now.Year()-9, 5, 17, 0, 0, 0, 0, time.UTC)
		child := &samordna.Person{MunicipalityID: me.MunicipalityID, IDNumber: samordna.SyntheticIDNumber(birth, 7),
			IDKind: samordna.IDKindFNR, Name: "Emma Åsheim", BirthDate: birth.Format(time.DateOnly), Synthetic: true}
		if err := store.CreatePerson(tx, child, now); err != nil {
			return err
		}
		c := &samordna.Case{ID: samordna.NewID(), MunicipalityID: me.MunicipalityID, SubjectPersonID: child.ID,
			Origin: samordna.OriginConcern, Status: samordna.CaseOpen, Title: "Sak", RegisteredBy: me.ID, CreatedAt: now}
		if err := store.CreateCase(tx, c); err != nil {
			return err
		}
		ps.caseID = c.ID
		// The coordinating unit granted a coordinator and the individual plan now.
		ap := &store.Application{ID: samordna.NewID(), CaseID: c.ID, MunicipalityID: c.MunicipalityID,
			Status: store.ApplicationSubmitted, WantsCoordinator: true, WantsPlan: true, SubmittedBy: me.ID, SubmittedAt: now}
		if err := store.CreateApplication(tx, ap); err != nil {
			return err
		}
		ap.Status, ap.DecidedBy, ap.DecidedAt, ap.PlanDecision = store.ApplicationGranted, me.ID, &now, "now"
		ap.DecidedCoordinatorID, ap.CoordinatorKind, ap.ChildCoordinatorGround = me.ID, store.KindChildCoordinator, "disability"
		if err := store.DecideApplication(tx, ap); err != nil {
			return err
		}
		if err := store.AppointCoordinator(tx, &store.Assignment{ID: samordna.NewID(), CaseID: c.ID, EmployeeID: me.ID,
			Kind: store.KindChildCoordinator, Status: store.CoordinatorAccepted, AppointedBy: me.ID, AppointedAt: now,
			AcceptedAt: &now}); err != nil {
			return err
		}
		g := &store.Group{ID: samordna.NewID(), CaseID: c.ID, CreatedBy: me.ID, CreatedAt: now}
		if err := store.CreateGroup(tx, g); err != nil {
			return err
		}
		return store.AddMember(tx, &store.Member{ID: samordna.NewID(), GroupID: g.ID, EmployeeID: ps.nurse.ID,
			Name: ps.nurse.Name, Relation: "employee", AddedAt: now})
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = a.RecordConsent(ctx, &samordna.Actor{Employee: me}, ps.caseID, app.NewConsent{GivenBy: "Mor til Emma",
		GivenByRelation: "guardian", Purposes: []samordna.ConsentPurpose{samordna.PurposeIndividualPlan,
			samordna.PurposeShareWithMembers, samordna.PurposeResponsibilityGroup}})
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

// requirePlanTexts fails the test when the page shows a message id the
// catalogs lack (the catalog shows it as [plans.some_id]).
func requirePlanTexts(t *testing.T, ctx context.Context, label string) {
	t.Helper()
	if body := browsertest.BodyText(t, ctx); strings.Contains(body, "[plans.") || strings.Contains(body, "[error.") {
		t.Errorf("%s shows untranslated ids:\n%s", label, body)
	}
}

// planDayFrom is a date days from today, YYYY-MM-DD.
func planDayFrom(days int) string { return time.Now().AddDate(0, 0, days).Format(time.DateOnly) }

// An individual plan made and changed in the browser: the person's own
// words come first, the measures (overdue first) follow, a change made
// from an old version is refused without losing what was typed, and the
// versions and their differences can be read. Every page passes axe.
func TestBrowserIndividualPlan(t *testing.T) {
	ps := startPlanSite(t)
	ctx := browsertest.New(t)
	browsertest.Login(t, ctx, ps.URL, ps.Username, ps.Password)

	browsertest.Open(t, ctx, ps.URL+"/cases/"+ps.caseID+"/plans")
	browsertest.RequireText(t, ctx, "Planer for Emma Åsheim", "Saken har ingen planer ennå.")
	browsertest.CheckAxe(t, ctx, "the case's plans, none yet")
	browsertest.Navigation(t, ctx, "open the form for an individual plan",
		chromedp.Click(chromedp.CSS(`a[href$="kind=individual_plan"]`)))
	browsertest.RequireText(t, ctx, "Individuell plan for Emma Åsheim", "Personens egne ord")
	browsertest.CheckAxe(t, ctx, "new individual plan form")

	// Without the person's words the plan is refused, and what was typed stays.
	browsertest.Do(t, ctx, "fill in a goal and a measure",
		chromedp.SendKeys(chromedp.ID("goal-text-0"), "Trives på skolen"),
		chromedp.SetValue(chromedp.ID("goal-term-0"), "long"),
		chromedp.SendKeys(chromedp.ID("measure-text-0"), "Samtale hver fjortende dag"),
		chromedp.SetValue(chromedp.ID("measure-due-0"), planDayFrom(-2)),
		chromedp.SetValue(chromedp.ID("measure-goal-0"), "0"),
		chromedp.SendKeys(chromedp.ID("measure-text-1"), "Kartlegge behov for tilrettelegging"),
		chromedp.SendKeys(chromedp.ID("measure-service-1"), "PPT"),
		chromedp.SetValue(chromedp.ID("measure-due-1"), planDayFrom(30)))
	browsertest.ChoosePerson(t, ctx, "measure-responsible-0", "Ingrid Helsesykepleier")
	if status := browsertest.Navigation(t, ctx, "submit without the person's words",
		chromedp.Click(chromedp.CSS(`form.plan-form button[type="submit"]`))); status != http.StatusUnprocessableEntity {
		t.Errorf("without words: status %d, want 422", status)
	}
	browsertest.RequireText(t, ctx, "En individuell plan starter med personens egne ord.")
	if v := browsertest.Eval[string](t, ctx, `document.getElementById('measure-text-1').value`); v != "Kartlegge behov for tilrettelegging" {
		t.Errorf("the refused form lost the measure: %q", v)
	}
	browsertest.CheckAxe(t, ctx, "new plan form with an error")

	words := "Jeg vil ha venner på skolen og være med på fotball"
	browsertest.Do(t, ctx, "write the person's words", chromedp.SendKeys(chromedp.ID("what-matters"), words))
	browsertest.Navigation(t, ctx, "make the plan", chromedp.Click(chromedp.CSS(`form.plan-form button[type="submit"]`)))
	browsertest.RequireText(t, ctx, "Planen er laget.", "Hva er viktig for deg?", words, "0 av 1 tiltak gjennomført",
		"Fristen er passert", "Ingrid Helsesykepleier", "PPT")
	// The words come first, then the goals, then the measures; the overdue measure first.
	order := browsertest.Eval[[]string](t, ctx, `[...document.querySelectorAll('main h2')].map(h => h.textContent)`)
	if len(order) < 3 || order[0] != "Hva er viktig for deg?" || order[1] != "Mål" || order[2] != "Tiltak" {
		t.Errorf("the plan's sections come in the order %q", order)
	}
	if first := browsertest.Eval[string](t, ctx, `document.querySelector('.plan-measures tbody tr').className`); first != "measure-overdue" {
		t.Errorf("the first measure row is %q, want the overdue one", first)
	}
	if !browsertest.Visible(t, ctx, "[data-plan-print] button") {
		t.Error("with JavaScript the print button is not shown")
	}
	ctype := browsertest.Run(t, ctx, "fetch the PDF", chromedp.Evaluate[string](
		`fetch(document.querySelector('a[href$="/pdf"]').href).then(r => r.headers.get('content-type'))`, chromedp.EvalAwaitPromise))
	if ctype != "application/pdf" {
		t.Errorf("the PDF link answers %q", ctype)
	}
	browsertest.CheckAxe(t, ctx, "individual plan")
	requirePlanTexts(t, ctx, "individual plan")
	planPath := browsertest.Path(t, ctx)

	// A change saved in the browser is a new version.
	browsertest.Navigation(t, ctx, "open the edit form", chromedp.Click(chromedp.CSS(`a[href$="/edit"]`)))
	browsertest.CheckAxe(t, ctx, "edit form")
	browsertest.Do(t, ctx, "change the words", chromedp.SetValue(chromedp.ID("what-matters"), words+" hver uke"))
	browsertest.Navigation(t, ctx, "save", chromedp.Click(chromedp.CSS(`form.plan-form button[type="submit"]`)))
	browsertest.RequireText(t, ctx, "Ny versjon er lagret.", words+" hver uke")

	// Someone else saves while this form is open: the save is refused (412)
	// and the typed text is still there.
	browsertest.Navigation(t, ctx, "open the edit form again", chromedp.Click(chromedp.CSS(`a[href$="/edit"]`)))
	id := strings.TrimPrefix(planPath, "/plans/")
	saveElsewhere(t, ps, id)
	browsertest.Do(t, ctx, "type a change", chromedp.SetValue(chromedp.ID("resources"), "Glad i å tegne"))
	if status := browsertest.Navigation(t, ctx, "save from the old version",
		chromedp.Click(chromedp.CSS(`form.plan-form button[type="submit"]`))); status != http.StatusPreconditionFailed {
		t.Errorf("stale save: status %d, want 412", status)
	}
	browsertest.RequireText(t, ctx, "Noen andre har lagret planen mens du skrev.")
	if v := browsertest.Eval[string](t, ctx, `document.getElementById('resources').value`); v != "Glad i å tegne" {
		t.Errorf("the refused form lost the change: %q", v)
	}
	browsertest.CheckAxe(t, ctx, "edit form after someone else saved")

	browsertest.Open(t, ctx, ps.URL+planPath+"/versions")
	browsertest.RequireText(t, ctx, "Laget", "Endret", "Endringer fra versjon 1 til 2")
	browsertest.CheckAxe(t, ctx, "versions")
	browsertest.Navigation(t, ctx, "compare 1 and 2", chromedp.Click(chromedp.CSS(`a[href$="/diff?from=1&to=2"]`)))
	browsertest.RequireText(t, ctx, "Endrede felt", words+" hver uke")
	browsertest.CheckAxe(t, ctx, "diff")

	// In nynorsk and English too.
	for _, lang := range []string{"nn", "en"} {
		chooseLanguage(t, ctx, lang)
		browsertest.Open(t, ctx, ps.URL+planPath)
		browsertest.RequireText(t, ctx, map[string]string{"nn": "Kva er viktig for deg?", "en": "What matters to you?"}[lang])
		browsertest.CheckAxe(t, ctx, "individual plan, "+lang)
		requirePlanTexts(t, ctx, "individual plan, "+lang)
		for _, page := range []string{"/versions", "/diff", "/edit"} {
			browsertest.Open(t, ctx, ps.URL+planPath+page)
			requirePlanTexts(t, ctx, page+", "+lang)
			browsertest.CheckAxe(t, ctx, page+", "+lang)
		}
		browsertest.Open(t, ctx, ps.URL+"/cases/"+ps.caseID+"/plans")
		requirePlanTexts(t, ctx, "the case's plans, "+lang)
	}
}

// saveElsewhere saves a new version of the plan as if from another
// browser.
func saveElsewhere(t *testing.T, ps *planSite, planID string) {
	t.Helper()
	ctx := context.Background()
	actor := &samordna.Actor{Employee: ps.Employee}
	v, err := ps.App.GetPlan(ctx, actor, planID)
	if err != nil {
		t.Fatal(err)
	}
	in := app.PlanInput{WhatMatters: v.Content.WhatMatters + "!"}
	for _, g := range v.Content.Goals {
		in.Goals = append(in.Goals, app.GoalInput{ID: g.ID, Text: g.Text, Term: g.Term})
	}
	for _, m := range v.Measures {
		mi := app.MeasureInput{ID: m.ID, Text: m.Text, ResponsibleService: m.ResponsibleService, Due: m.Due, GoalID: m.GoalID}
		if m.Responsible != nil {
			mi.Responsible = m.Responsible.Username
		}
		in.Measures = append(in.Measures, mi)
	}
	if _, err := ps.App.UpdatePlan(ctx, actor, planID, v.ETag, in); err != nil {
		t.Fatal(err)
	}
}

// A relay log changes hands in the browser only when the new holder
// accepts it (in their own browser), and is closed at the guardian's
// request. Every page passes axe, also on a phone.
func TestBrowserRelayLogHandover(t *testing.T) {
	ps := startPlanSite(t)
	v, err := ps.App.CreatePlan(context.Background(), &samordna.Actor{Employee: ps.Employee}, ps.caseID, app.PlanInput{
		Kind: app.PlanRelayLog, WhatMatters: "Emma vil bli trygg i klassen",
		Measures: []app.MeasureInput{{Text: "Fast voksen i friminuttene", Responsible: ps.Username, Due: planDayFrom(14)}}})
	if err != nil {
		t.Fatal(err)
	}
	planURL := ps.URL + "/plans/" + v.Plan.ID
	ctx := browsertest.New(t)
	browsertest.Login(t, ctx, ps.URL, ps.Username, ps.Password)
	browsertest.Open(t, ctx, planURL)
	browsertest.RequireText(t, ctx, "Stafettlogg for Emma Åsheim", ps.Employee.Name+" er loggholder.")
	browsertest.CheckAxe(t, ctx, "relay log")
	browsertest.Do(t, ctx, "choose the nurse", chromedp.SetValue(chromedp.ID("handover-username"), "ingrid.hs"))
	browsertest.Navigation(t, ctx, "hand over", chromedp.Click(chromedp.CSS(`form[action$="/handover"] button`)))
	browsertest.RequireText(t, ctx, "Den nye loggholderen må ta imot den.",
		"Loggen er overlevert til Ingrid Helsesykepleier, som ikke har tatt imot den ennå.", ps.Employee.Name+" er loggholder.")
	browsertest.CheckAxe(t, ctx, "relay log handed over")

	nurse := browsertest.NewTab(t, ctx)
	browsertest.Login(t, nurse, ps.URL, "ingrid.hs", planNursePassword)
	browsertest.Open(t, nurse, planURL)
	browsertest.Navigation(t, nurse, "accept", chromedp.Click(chromedp.CSS(`form[action$="/accept"] button`)))
	browsertest.RequireText(t, nurse, "Du er nå loggholder.", "Ingrid Helsesykepleier er loggholder.")
	browsertest.CheckAxe(t, nurse, "relay log accepted")

	browsertest.SetViewport(t, nurse, 375, 667, true)
	browsertest.Do(t, nurse, "fill in who asks to close it",
		chromedp.SendKeys(chromedp.ID("close-by"), "Mor til Emma"),
		chromedp.SendKeys(chromedp.ID("close-reason"), "Emma har det bra nå"))
	browsertest.Navigation(t, nurse, "close", chromedp.Click(chromedp.CSS(`form[action$="/close"] button`)))
	browsertest.RequireText(t, nurse, "Planen er avsluttet.", "etter ønske fra Mor til Emma", "Emma har det bra nå")
	if browsertest.Eval[bool](t, nurse, `!!document.querySelector('a[href$="/edit"], form[action$="/close"], form[action$="/handover"]')`) {
		t.Error("a closed relay log still offers changes")
	}
	browsertest.RequireNoHorizontalScroll(t, nurse, "closed relay log on a phone")
	browsertest.CheckAxe(t, nurse, "closed relay log on a phone")

	// The edit form of a closed plan is refused.
	if status := browsertest.Open(t, nurse, planURL+"/edit"); status != http.StatusNotFound && status != http.StatusConflict {
		t.Errorf("edit form of a closed plan: %d", status)
	}
	browsertest.Open(t, nurse, ps.URL+"/cases/"+ps.caseID+"/plans/new?kind=individual_plan")
	browsertest.RequireNoHorizontalScroll(t, nurse, "plan form on a phone")
	browsertest.CheckAxe(t, nurse, fmt.Sprintf("plan form on a phone (%s)", "nurse"))
}
