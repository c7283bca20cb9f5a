package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/browsertest"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
	"github.com/samordna/samordna/web"
)

// coordBrowserPassword is the password of the employees the coordination
// browser test adds.
const coordBrowserPassword = "riktig-hest-batteri-stift"

// coordSite is a running server with a case that has applied to the
// coordinating unit (the site's own user, kari.nordmann) and wishes Ingrid
// as coordinator.
type coordSite struct {
	*browsertest.Site
	clock  *testClock
	caseID string
	appID  string
	actors map[string]*samordna.Actor
}

func startCoordSite(t *testing.T) *coordSite {
	t.Helper()
	clock := newTestClock()
	site := browsertest.StartSite(t, dbtest.Open(t, store.SQLite), clock, func(a *app.App) (http.Handler, error) {
		return web.New(a, web.Config{})
	})
	cs := &coordSite{Site: site, clock: clock, actors: map[string]*samordna.Actor{}}
	ctx := context.Background()
	a := site.App
	for _, u := range []struct{ username, name string }{{"ola.laerer", "Ola Brekke"}, {"ingrid.hs", "Ingrid Moe"},
		{"anne.ppt", "Anne Lunde"}, {"tor.slutter", "Tor Slutter"}} {
		e, err := a.CreateUser(ctx, &samordna.Actor{}, app.NewUser{Username: u.username, Name: u.name,
			Email: u.username + "@test.invalid", Password: coordBrowserPassword, Roles: []samordna.Role{samordna.RoleEmployee}})
		if err != nil {
			t.Fatal(err)
		}
		cs.actors[u.username] = &samordna.Actor{Employee: e}
	}
	cs.actors["kari"] = &samordna.Actor{Employee: site.Employee}
	cs.caseID = samordna.NewID()
	err := site.DB.Write(ctx, func(tx *store.Tx) error {
		p := &samordna.Person{MunicipalityID: site.Employee.MunicipalityID, Name: "Åse Ødegård", BirthDate: "2016-05-10"}
		if err := store.CreatePerson(tx, p, clock.Now()); err != nil {
			return err
		}
		return store.CreateCase(tx, &samordna.Case{ID: cs.caseID, MunicipalityID: p.MunicipalityID, SubjectPersonID: p.ID,
			Origin: samordna.OriginConcern, Status: samordna.CaseOpen, Title: "Bekymring",
			RegisteredBy: cs.actors["ola.laerer"].Employee.ID, CreatedAt: clock.Now()})
	})
	if err != nil {
		t.Fatal(err)
	}
	// The mother's consent to register with the coordinating unit carries the application.
	if _, err := a.RecordConsent(ctx, cs.actors["ola.laerer"], cs.caseID, app.NewConsent{GivenBy: "Mor til Åse",
		GivenByRelation: "guardian", Purposes: []samordna.ConsentPurpose{samordna.PurposeRegisterWithUnit}}); err != nil {
		t.Fatal(err)
	}
	ap, err := a.SubmitApplication(ctx, cs.actors["ola.laerer"], cs.caseID, app.NewApplication{Coordinator: true,
		IndividualPlan: true, WishedCoordinator: "ingrid.hs"})
	if err != nil {
		t.Fatal(err)
	}
	cs.appID = ap.ID
	return cs
}

// submit clicks a form's submit button and waits for the next page.
func submit(t *testing.T, ctx context.Context, what, selector string) int64 {
	t.Helper()
	return browsertest.Navigation(t, ctx, what, chromedp.Click(chromedp.CSS(selector)))
}

// The coordinating unit's, the coordinator's, the group's and a meeting's
// pages in Chromium, each checked with axe: the unit decides, the
// coordinator accepts, sets up the group, plans a meeting and writes the
// minutes, which are refused until complete and then locked.
func TestBrowserCoordination(t *testing.T) {
	cs := startCoordSite(t)
	pages := browsertest.NewHTMLPages(t) // every form with a people picker, for the Nu checker
	unit := browsertest.New(t)
	browsertest.Login(t, unit, cs.URL, cs.Username, cs.Password)

	// The inbox shows the wish prominently.
	browsertest.Open(t, unit, cs.URL+"/coordination")
	browsertest.RequireText(t, unit, "Innboks for koordinerende enhet", "Åse Ødegård", "Ingrid Moe")
	if !browsertest.Visible(t, unit, "strong.wish") {
		t.Error("the wished coordinator is not emphasised in the inbox")
	}
	browsertest.CheckAxe(t, unit, "coordinating unit inbox")
	submit(t, unit, "open the application", `a[href="/applications/`+cs.appID+`"]`)
	browsertest.RequireText(t, unit, "Brukerens ønske om koordinator", "Fatt vedtak")
	browsertest.CheckAxe(t, unit, "application with the decision form")
	pages.Add(t, unit, "application with the decision form")
	browsertest.Screenshot(t, unit, "coord-application")
	// A refusal without a reason is refused, on the page.
	if browsertest.Eval[bool](t, unit, `document.querySelector('input[name="outcome"]:checked') !== null`) {
		t.Error("an outcome is chosen before the unit chose one")
	}
	browsertest.Do(t, unit, "choose refused", chromedp.Click(chromedp.ID("outcome-refused")))
	if status := submit(t, unit, "decide without reason", `form[action$="/decision/review"] button[type="submit"]`); status != 422 {
		t.Errorf("refusal without reason: status %d, want 422", status)
	}
	browsertest.RequireText(t, unit, "Skriv en begrunnelse.")
	browsertest.CheckAxe(t, unit, "decision form with an error")
	browsertest.Do(t, unit, "choose granted", chromedp.Click(chromedp.ID("outcome-granted")))
	if v := browsertest.Eval[string](t, unit, `document.getElementById('coordinator').value`); v != "ingrid.hs" {
		t.Errorf("the coordinator field holds %q, want the wish", v)
	}
	submit(t, unit, "review the decision", `form[action$="/decision/review"] button[type="submit"]`)
	// Issue 13 point 4: the review shows the decision and what follows before anything is recorded.
	browsertest.RequireText(t, unit, "Se over vedtaket", "Innvilget", "Ingrid Moe blir oppnevnt som koordinator og får varsel.",
		"Dette skjer når vedtaket er fattet")
	browsertest.CheckAxe(t, unit, "decision review")
	browsertest.Screenshot(t, unit, "decision-review")
	submit(t, unit, "decide", `form[action$="/decision"] button[type="submit"]`)
	browsertest.RequireText(t, unit, "Vedtaket er fattet.", "Innvilget")

	// The overview counts the coordinator.
	browsertest.Open(t, unit, cs.URL+"/coordinating-unit")
	browsertest.RequireText(t, unit, "Oversikt for koordinerende enhet", "Koordinatorer og antall saker", "Ingrid Moe")
	browsertest.CheckAxe(t, unit, "coordinating unit overview")
	browsertest.Screenshot(t, unit, "coord-overview")

	// The coordinator accepts.
	coord := browsertest.NewTab(t, unit)
	browsertest.Login(t, coord, cs.URL, "ingrid.hs", coordBrowserPassword)
	browsertest.Open(t, coord, cs.URL+"/coordinator")
	browsertest.RequireText(t, coord, "Mine saker som koordinator", "Åse Ødegård", "Oppnevnt, ikke godtatt")
	browsertest.CheckAxe(t, coord, "coordinator page")
	submit(t, coord, "accept the role", `form[action$="/coordinator/accept"] button`)
	browsertest.RequireText(t, coord, "Du har godtatt koordinatorrollen.")

	// Without consent the group cannot be set up.
	groupURL := cs.URL + "/cases/" + cs.caseID + "/group"
	browsertest.Open(t, coord, groupURL)
	browsertest.RequireText(t, coord, "Opprett ansvarsgruppe", "Mangler:")
	browsertest.CheckAxe(t, coord, "group page before the group")
	pages.Add(t, coord, "group page before the group")
	browsertest.ChoosePerson(t, coord, "username-1", "Anne Lunde")
	browsertest.Do(t, coord, "fill in members",
		chromedp.SendKeys(chromedp.ID("role-1"), "PP-rådgiver"),
		chromedp.SendKeys(chromedp.ID("name-1"), "Åse Ødegård"))
	if status := submit(t, coord, "create without consent", `form[action$="/group"] button[type="submit"]`); status != 422 {
		t.Errorf("group without consent: status %d", status)
	}
	browsertest.RequireText(t, coord, "Det finnes ikke noe gyldig skriftlig samtykke")

	// The consent form page, then consent recorded.
	browsertest.Open(t, coord, cs.URL+"/cases/"+cs.caseID+"/consent-form")
	browsertest.RequireText(t, coord, "Gjelder ansvarsgruppe for: Åse Ødegård", app.ConsentStatements[2],
		"Skriv ut samtykkeerklæringen (PDF)")
	browsertest.CheckAxe(t, coord, "consent form page")
	_, err := cs.App.RecordConsent(context.Background(), cs.actors["ingrid.hs"], cs.caseID, app.NewConsent{
		GivenBy: "Mor", GivenByRelation: "guardian", Purposes: []samordna.ConsentPurpose{samordna.PurposeResponsibilityGroup,
			samordna.PurposeShareWithMembers, samordna.PurposeRegisterWithUnit}})
	if err != nil {
		t.Fatal(err)
	}
	// One wrong row: Tor is chosen by name but leaves (is disabled) before
	// the form is sent. The form keeps every other row and names the wrong
	// one (issue 13, point 8), in the error summary, which has the focus
	// and leads to the row's combobox.
	browsertest.Open(t, coord, groupURL)
	browsertest.ChoosePerson(t, coord, "username-1", "Anne Lunde")
	browsertest.ChoosePerson(t, coord, "username-2", "Tor Slutter")
	browsertest.Do(t, coord, "fill in members",
		chromedp.SendKeys(chromedp.ID("role-1"), "PP-rådgiver"),
		chromedp.SendKeys(chromedp.ID("name-1"), "Åse Ødegård"))
	if err := cs.DB.Write(context.Background(), func(tx *store.Tx) error {
		return store.SetDisabled(tx, cs.actors["tor.slutter"].Employee.ID, true, cs.clock.Now())
	}); err != nil {
		t.Fatal(err)
	}
	if status := submit(t, coord, "create with a person who left", `form[action$="/group"] button[type="submit"]`); status != 422 {
		t.Errorf("group with a person who left: status %d, want 422", status)
	}
	browsertest.RequireText(t, coord, "Rad 2: Den valgte ansatte finnes ikke eller kan ikke velges lenger. Velg en annen.")
	kept := browsertest.Eval[[]string](t, coord, `["username-1","username-1-combo","role-1","username-2","name-1"].map(id => document.getElementById(id).value)
		.concat([document.getElementById("username-2-combo").getAttribute("aria-invalid") || "", document.activeElement.id,
		document.querySelector("#error-summary a").getAttribute("href")])`)
	if strings.Join(kept, "|") != "anne.ppt|Anne Lunde (Ansatt)|PP-rådgiver||Åse Ødegård|true|error-summary|#username-2-combo" {
		t.Errorf("after a wrong row the form shows %q", kept)
	}
	if strings.Contains(browsertest.BodyText(t, coord), "Tor Slutter") {
		t.Error("an employee who left can still be chosen")
	}
	browsertest.CheckAxe(t, coord, "group form with a wrong row")
	pages.Add(t, coord, "group form with a wrong row")
	browsertest.Open(t, coord, groupURL)
	browsertest.ChoosePerson(t, coord, "username-1", "Anne")
	browsertest.Do(t, coord, "fill in members",
		chromedp.SendKeys(chromedp.ID("role-1"), "PP-rådgiver"),
		chromedp.SendKeys(chromedp.ID("name-1"), "Åse Ødegård"))
	browsertest.Do(t, coord, "chosen together with", chromedp.SendKeys(chromedp.ID("chosen-with"), "Åse og mor"))
	submit(t, coord, "create the group", `form[action$="/group"] button[type="submit"]`)
	browsertest.RequireText(t, coord, "Ansvarsgruppa er opprettet.", "Anne Lunde", "PP-rådgiver",
		"Medlemmene er valgt sammen med Åse og mor.",
		"Saker som ikke behandles i ansvarsgruppa")
	browsertest.CheckAxe(t, coord, "group page with members")
	browsertest.Screenshot(t, coord, "coord-group")

	// Plan a meeting three weeks ahead.
	day := cs.clock.Now().AddDate(0, 0, 21).In(pathway.Oslo()).Format("2006-01-02")
	browsertest.Do(t, coord, "fill in the meeting",
		chromedp.SetValue(chromedp.ID("meeting-date"), day),
		chromedp.SetValue(chromedp.ID("meeting-time"), "10:00"),
		chromedp.SendKeys(chromedp.ID("meeting-place"), "Rådhuset, møterom 2"),
		chromedp.SendKeys(chromedp.ID("meeting-agenda"), "Skolehverdagen"),
		// Seed 004: the person attends part of it, a provider who is not a
		// member is called in for one matter, and "eventuelt" is
		// prioritised within the time set aside (15 minutes).
		chromedp.Click(chromedp.ID("meeting-person-part")),
		chromedp.SendKeys(chromedp.ID("meeting-person-which"), "Sak 2"),
		chromedp.SendKeys(chromedp.ID("guest-matter-1"), "Skolehverdagen"),
		chromedp.SendKeys(chromedp.ID("other-text-1"), "Skyss"),
		chromedp.SendKeys(chromedp.ID("other-minutes-1"), "10"),
		chromedp.SendKeys(chromedp.ID("other-text-2"), "Ferie"),
		chromedp.SendKeys(chromedp.ID("other-minutes-2"), "10"))
	browsertest.ChoosePerson(t, coord, "guest-username-1", "Ola Brekke")
	submit(t, coord, "plan the meeting", `form[action$="/meetings"] button[type="submit"]`)
	browsertest.RequireText(t, coord, "Møtet er planlagt.", "Gjennomgang av kommunens retningslinjer", "Skolehverdagen",
		"Kari Nordmann", "første del av møtet", "Deler av møtet: Sak 2", "Ola Brekke (innkalt til sak): Skolehverdagen",
		"Eventuelt", "Ferie (10 min) – utsatt til neste møte")
	browsertest.CheckAxe(t, coord, "meeting page")
	meetingPath := browsertest.Path(t, coord)

	// After the meeting: finalising half-written minutes names what is missing.
	cs.clock.Advance(22 * 24 * time.Hour)
	browsertest.Login(t, coord, cs.URL, "ingrid.hs", coordBrowserPassword) // the session expired meanwhile
	browsertest.Open(t, coord, cs.URL+meetingPath)
	browsertest.Do(t, coord, "write part of the minutes",
		chromedp.SendKeys(chromedp.ID("person-account"), "Åse forteller at skolen går bedre."))
	if status := submit(t, coord, "finalise too early", `button[value="finalise"]`); status != 422 {
		t.Errorf("incomplete minutes: status %d", status)
	}
	browsertest.RequireText(t, coord, "Dette mangler før referatet kan ferdigstilles", "Hvem er til stede, og hvem har forfall",
		"Viktigste konklusjoner")
	browsertest.CheckAxe(t, coord, "minutes with missing parts")
	pages.Add(t, coord, "minutes with missing parts")
	browsertest.Screenshot(t, coord, "coord-minutes-missing")

	// Fill in the rest and finalise.
	ids := browsertest.Eval[[]string](t, coord,
		`[...document.querySelectorAll('input[type=radio][value=yes][name^="present-"]')].map(e => e.id)`)
	var steps []chromedp.Action[chromedp.Void]
	for _, id := range ids {
		steps = append(steps, chromedp.Click(chromedp.ID(id)))
	}
	steps = append(steps,
		chromedp.SendKeys(chromedp.ID("item-0"), "Retningslinjene ble gjennomgått."),
		chromedp.SendKeys(chromedp.ID("item-1"), "Skolen melder om god utvikling."),
		chromedp.SendKeys(chromedp.ID("measure-text-0"), "Søke om assistent"),
		chromedp.SetValue(chromedp.ID("measure-due-0"), cs.clock.Now().AddDate(0, 1, 0).Format("2006-01-02")),
		chromedp.SendKeys(chromedp.ID("conclusions"), "Tiltakene videreføres."),
		chromedp.SetValue(chromedp.ID("next-date"), cs.clock.Now().AddDate(0, 5, 0).Format("2006-01-02")),
		chromedp.SetValue(chromedp.ID("next-time"), "10:00"))
	browsertest.Do(t, coord, "complete the minutes", steps...)
	browsertest.ChoosePerson(t, coord, "measure-resp-0", "Anne Lunde")
	// Issue 13: finalising first shows who receives the minutes and what
	// becomes locked; nothing is finalised until the review is confirmed.
	submit(t, coord, "finalise", `button[value="finalise"]`)
	browsertest.RequireText(t, coord, "Se over referatet før det ferdigstilles", "Anne Lunde", "Åse Ødegård",
		"Referatet låses og kan ikke endres", "Nye tiltak som blir oppgaver for de ansvarlige (eller føres inn i planen): 1", "Neste møte planlegges")
	browsertest.CheckAxe(t, coord, "minutes review")
	pages.Add(t, coord, "minutes review")
	browsertest.Screenshot(t, coord, "coord-minutes-review")
	browsertest.Open(t, coord, cs.URL+meetingPath)
	if !browsertest.Visible(t, coord, `form[action$="/minutes"] button[value="finalise"]`) {
		t.Error("the review finalised the minutes without the confirm")
	}
	submit(t, coord, "review again", `button[value="finalise"]`)
	submit(t, coord, "confirm", `button[value="confirm_finalise"]`)
	browsertest.RequireText(t, coord, "Referatet er ferdigstilt, låst og sendt til mottakerne.", "Referatet er ferdigstilt og låst.",
		"Søke om assistent", "Last ned referatet (PDF)")
	if browsertest.Visible(t, coord, `form[action$="/minutes"]`) {
		t.Error("finalised minutes still show the form")
	}
	browsertest.CheckAxe(t, coord, "finalised minutes")
	browsertest.Screenshot(t, coord, "coord-minutes-final")
	if !strings.Contains(browsertest.BodyText(t, coord), "Kontrollsum (SHA-256)") {
		t.Error("the checksum is not shown")
	}
	// Seed 004: the coordinator sends the minutes to the recipients the
	// system does not reach (Åse, and the guest) and records how.
	browsertest.RequireText(t, coord, "Utsending av referatet", "Åse Ødegård: ikke sendt ennå")
	browsertest.Do(t, coord, "choose post", chromedp.SetValue(chromedp.CSS(`#deliveries select[name="method"]`), "post"))
	submit(t, coord, "mark as sent", `#deliveries form button[type="submit"]`)
	browsertest.RequireText(t, coord, "Utsendingen er registrert.", "Åse Ødegård: sendt (sendt i posten, "+
		cs.clock.Now().In(pathway.Oslo()).Format("02.01.2006")+")", "Ola Brekke: ikke sendt ennå")
	browsertest.CheckAxe(t, coord, "minutes with their deliveries")

	// The group page lists both meetings; in English too.
	browsertest.Open(t, coord, groupURL)
	browsertest.RequireText(t, coord, "Møte nr. 1", "Møte nr. 2")

	// Seed 004: the evaluation holds the person's own view.
	browsertest.Do(t, coord, "evaluate",
		chromedp.SendKeys(chromedp.ID("eval-note"), "Gruppa fungerer godt."),
		chromedp.SendKeys(chromedp.ID("eval-user-view"), "Åse liker møtene."),
		chromedp.SendKeys(chromedp.ID("eval-user-view-by"), "Åse Ødegård"))
	submit(t, coord, "evaluate", `form[action$="/group/evaluation"] button[type="submit"]`)
	browsertest.RequireText(t, coord, "Vurdering fra Åse Ødegård", "Åse liker møtene.")

	// Seed 004: a cooperation meeting (samarbeidsmøte) the person does not
	// attend; the coordinator records the views gathered beforehand.
	browsertest.Do(t, coord, "fill in the cooperation meeting",
		chromedp.Click(chromedp.CSS(`#cooperation summary`)),
		chromedp.SetValue(chromedp.ID("coop-date"), cs.clock.Now().AddDate(0, 0, 7).In(pathway.Oslo()).Format("2006-01-02")),
		chromedp.SetValue(chromedp.ID("coop-time"), "13:00"),
		chromedp.SendKeys(chromedp.ID("coop-place"), "Helsestasjonen"),
		chromedp.SendKeys(chromedp.ID("coop-agenda"), "Forberede neste ansvarsgruppemøte"),
		chromedp.Click(chromedp.ID("coop-person-none")))
	browsertest.ChoosePerson(t, coord, "coop-username-1", "Ola Brekke")
	submit(t, coord, "plan the cooperation meeting", `form[action$="/cooperation-meetings"] button[type="submit"]`)
	browsertest.RequireText(t, coord, "Samarbeidsmøtet er planlagt.", "Samarbeidsmøte nr. 1 for Åse Ødegård",
		"Brukerens synspunkter før møtet", "Synspunktene er ikke innhentet ennå.")
	browsertest.CheckAxe(t, coord, "cooperation meeting page")
	browsertest.Do(t, coord, "write the views", chromedp.SendKeys(chromedp.ID("person-views-text"), "Åse vil helst ha møtene etter skoletid."))
	submit(t, coord, "save the views", `form[action$="/person-views"] button[type="submit"]`)
	browsertest.RequireText(t, coord, "Brukerens synspunkter er lagret.", "Åse vil helst ha møtene etter skoletid.")
	browsertest.CheckAxe(t, coord, "cooperation meeting with the person's views")
	browsertest.Screenshot(t, coord, "coord-cooperation")
	browsertest.Open(t, coord, groupURL)
	browsertest.RequireText(t, coord, "Samarbeidsmøter", "Samarbeidsmøte nr. 1")
	chooseLanguage(t, coord, "en")
	browsertest.RequireText(t, coord, "Responsibility group for Åse Ødegård", "Matters the responsibility group does not handle",
		"Cooperation meetings", "View of Åse Ødegård")
	browsertest.CheckAxe(t, coord, "group page in English")
	chooseLanguage(t, coord, "nn")
	browsertest.RequireText(t, coord, "Saker som ikkje blir handsama i ansvarsgruppa", "Samarbeidsmøte nr. 1", "Vurdering frå Åse Ødegård")
	browsertest.CheckAxe(t, coord, "group page in nynorsk")

	// Issue 13 point 3 on a phone: the group page with its people pickers
	// does not scroll sideways at 390 px, and the combobox, open with the
	// matches of what was typed, passes axe and the Nu checker; Down moves
	// through the matches and Escape closes the list without choosing.
	browsertest.SetViewport(t, coord, 390, 844, true)
	browsertest.Open(t, coord, groupURL)
	browsertest.RequireNoHorizontalScroll(t, coord, "group page at 390 px")
	browsertest.Do(t, coord, "type part of a name", chromedp.SendKeys(chromedp.ID("handover-username-combo"), "lunde"))
	open := browsertest.Eval[[]string](t, coord, `[document.getElementById("handover-username-combo").getAttribute("aria-expanded"),
		...[...document.querySelectorAll("#handover-username-listbox [role=option]")].map(o => o.textContent)]`)
	if strings.Join(open, "|") != "true|Anne Lunde (Tilsett)" {
		t.Errorf("the open combobox shows %q", open)
	}
	browsertest.RequireNoHorizontalScroll(t, coord, "group page at 390 px with the combobox open")
	browsertest.CheckAxe(t, coord, "group page at 390 px with the combobox open")
	pages.Add(t, coord, "group page with the combobox open")
	browsertest.Do(t, coord, "Escape", chromedp.SendKeys(chromedp.ID("handover-username-combo"), kb.Escape))
	closed := browsertest.Eval[[]string](t, coord, `[document.getElementById("handover-username-combo").getAttribute("aria-expanded"),
		document.getElementById("handover-username").value]`)
	if strings.Join(closed, "|") != "false|" {
		t.Errorf("after Escape the combobox and its select are %q", closed)
	}
	pages.Check(t)
}
