package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/internal/browsertest"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// journey is one walk through issue 13's journey in a browser, by the demo
// municipality's own users: a teacher registers a concern, consults and
// applies; the coordinating unit decides; the nurse accepts to coordinate,
// sets up the group, holds the meeting, writes the minutes and the plan,
// and records the withdrawal of the consent. Nobody types a username or
// an id: people are chosen by name, cases and pages reached by links.
type journey struct {
	t      *testing.T
	site   *demoSite
	ctx    context.Context
	pages  *browsertest.HTMLPages
	width  int64
	child  string // the child's name
	born   time.Time
	serial int // for the child's synthetic fødselsnummer
}

// The whole journey (issue 13, "Done when"), at 1280 px and at 390 px, on
// both databases: every page visited passes axe and the Nu checker (one run
// at the end), and at 390 px none scrolls sideways.
func TestBrowserJourney(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		site := startDemoSiteOn(t, db, newTestClock())
		ctx := browsertest.New(t)
		pages := browsertest.NewHTMLPages(t)
		for i, w := range []struct {
			width, height int64
			child         string
		}{{1280, 900, "Mira Solvang"}, {390, 844, "Jonas Solvang"}} {
			browsertest.SetViewport(t, ctx, w.width, w.height, w.width < 500)
			j := &journey{t: t, site: site, ctx: ctx, pages: pages, width: w.width, child: w.child,
				born: time.Date(2017, 2, 14+i, 0, 0, 0, 0, time.UTC), serial: 3 + i}
			j.walk()
		}
		pages.Check(t)
	})
}

// walk is the users' story, step by step.
func (j *journey) walk() {
	j.signIn("ola.laerer")
	j.teacherRegistersConcern()
	j.teacherConsults()
	j.teacherRecordsConsent()
	j.teacherApplies()
	j.signOut()

	j.signIn("kari.ke")
	j.unitDecides()
	j.signOut()

	j.signIn("ingrid.hs")
	j.coordinatorAccepts()
	j.coordinatorSetsUpGroup()
	j.coordinatorPlansMeeting()
	j.site.clock.Advance(22 * 24 * time.Hour) // the meeting is held
	j.signIn("ingrid.hs")                     // the session expired meanwhile
	j.coordinatorFinalisesMinutes()
	j.coordinatorWritesPlan()
	j.coordinatorRecordsWithdrawal()
	j.signOut()
}

// journeyUsers are the usernames of the walk's people, which no page shows.
var journeyUsers = []string{"ola.laerer", "kari.ke", "ingrid.hs", "anne.ppt"}

// label names a page for the checks' messages.
func (j *journey) label(what string) string {
	return fmt.Sprintf("%s (%s, %d px)", what, j.child, j.width)
}

// visit checks the page the browser shows: axe, the Nu checker (added to
// the one run at the end), and at phone width no sideways scrolling.
func (j *journey) visit(what string) {
	j.t.Helper()
	l := j.label(what)
	browsertest.CheckAxe(j.t, j.ctx, l)
	j.pages.Add(j.t, j.ctx, l)
	body := browsertest.BodyText(j.t, j.ctx)
	for _, u := range journeyUsers {
		if strings.Contains(body, u) {
			j.t.Errorf("%s: the username %s is on the page; people are shown by name", l, u)
		}
	}
	if j.width < 500 {
		browsertest.RequireNoHorizontalScroll(j.t, j.ctx, l)
	}
}

// signIn signs in through the login form and checks the start page.
func (j *journey) signIn(username string) {
	j.t.Helper()
	browsertest.Login(j.t, j.ctx, j.site.url, username, designDemoPassword)
	j.visit("start page of " + username)
}

// signOut signs out with the header's button.
func (j *journey) signOut() {
	j.t.Helper()
	browsertest.Navigation(j.t, j.ctx, "sign out", chromedp.Click(chromedp.CSS(`form[action="/logout"] button[type="submit"]`)))
	if p := browsertest.Path(j.t, j.ctx); p != "/login" {
		j.t.Fatalf("after signing out the browser is on %s", p)
	}
}

// follow clicks the first link inside scope (a CSS selector) whose text
// holds text, as a user would, and checks the page it leads to.
func (j *journey) follow(scope, text, what string) {
	j.t.Helper()
	find := fmt.Sprintf(`[...document.querySelectorAll(%q)].find(a => a.textContent.includes(%q) && a.getClientRects().length > 0)`,
		scope+" a", text)
	if !browsertest.Eval[bool](j.t, j.ctx, "!!"+find) {
		j.t.Fatalf("%s: no link %q in %s on %s; the page shows:\n%s", j.label(what), text, scope,
			browsertest.Location(j.t, j.ctx), browsertest.BodyText(j.t, j.ctx))
	}
	browsertest.Navigation(j.t, j.ctx, "follow "+text, chromedp.Evaluate[chromedp.Void](find+".click()"))
	j.visit(what)
}

// send clicks the submit button matching selector, requires the status
// and the texts on the page it leads to, and checks that page.
func (j *journey) send(selector string, status int64, what string, texts ...string) {
	j.t.Helper()
	if got := browsertest.Navigation(j.t, j.ctx, what, chromedp.Click(chromedp.CSS(selector))); got != status {
		j.t.Fatalf("%s: status %d, want %d; the page shows:\n%s", j.label(what), got, status, browsertest.BodyText(j.t, j.ctx))
	}
	browsertest.RequireText(j.t, j.ctx, texts...)
	j.visit(what)
}

// fill runs the steps that fill in a form.
func (j *journey) fill(what string, steps ...chromedp.Action[chromedp.Void]) {
	j.t.Helper()
	browsertest.Do(j.t, j.ctx, what, steps...)
}

// toCase goes from the start page's case list to the child's case hub.
func (j *journey) toCase() {
	j.t.Helper()
	browsertest.Open(j.t, j.ctx, j.site.url+"/cases")
	j.visit("case list")
	j.follow("main", j.child, "case hub")
	browsertest.RequireText(j.t, j.ctx, j.child, "Neste steg")
}

// teacherRegistersConcern: the teacher opens the concern form from the
// start page and registers an unclear concern for the child by number and
// name; the routine for the child's age is chosen and shown.
func (j *journey) teacherRegistersConcern() {
	j.t.Helper()
	j.follow("main", "Meld bekymring", "concern form")
	j.fill("fill in the concern",
		chromedp.Click(chromedp.ID("situation-unclear_concern")),
		chromedp.SendKeys(chromedp.ID("fnr"), samordna.SyntheticIDNumber(j.born, j.serial)),
		chromedp.SendKeys(chromedp.ID("name"), j.child),
		chromedp.SendKeys(chromedp.ID("description"), "Eleven er stille, ofte borte og sier lite om hjemmet."))
	j.send(`form[action="/concerns"] button[type="submit"]`, 200, "routine view",
		"Saken er registrert. Her er rutinen.", j.child, "Hva du skal gjøre nå")
}

// teacherConsults records a consultation with the adviser chosen by name.
func (j *journey) teacherConsults() {
	j.t.Helper()
	j.fill("fill in the consultation",
		chromedp.Click(chromedp.ID("mode-open")),
		chromedp.Click(chromedp.ID("consent-given")),
		chromedp.SendKeys(chromedp.ID("consult-summary"), "Drøftet fravær og stillhet."),
		chromedp.SendKeys(chromedp.ID("consult-advice"), "Snakk med foreldrene og søk om koordinator."))
	browsertest.ChoosePerson(j.t, j.ctx, "consult-adviser", "Anne Lunde")
	j.send(`form[action$="/consultations"] button[type="submit"]`, 200, "routine view after the consultation",
		"Snakk med foreldrene og søk om koordinator.", "Anne Lunde")
}

// teacherRecordsConsent records the guardian's written consent from the
// case hub.
func (j *journey) teacherRecordsConsent() {
	j.t.Helper()
	j.toCase()
	j.follow("#consents", "", "consents page")
	j.fill("fill in the consent",
		chromedp.SendKeys(chromedp.ID("given_by"), "Mor til "+j.child),
		chromedp.Click(chromedp.ID("rel-guardian")),
		chromedp.Click(chromedp.ID("purpose-register_with_coordinating_unit")),
		chromedp.Click(chromedp.ID("purpose-responsibility_group")),
		chromedp.Click(chromedp.ID("purpose-share_with_members")),
		chromedp.Click(chromedp.ID("purpose-individual_plan")))
	j.send(`form[action$="/consents"] button[type="submit"]`, 200, "consents page with the consent", "Mor til "+j.child)
}

// teacherApplies applies to the coordinating unit for a coordinator and a
// plan from the case hub, wishing the nurse as coordinator.
func (j *journey) teacherApplies() {
	j.t.Helper()
	j.toCase()
	j.follow("#application", "", "application form")
	j.fill("fill in the application",
		chromedp.Click(chromedp.ID("apply-coordinator")),
		chromedp.Click(chromedp.ID("apply-plan")))
	browsertest.ChoosePerson(j.t, j.ctx, "wished_coordinator", "Ingrid Moe")
	j.send(`form[action$="/application"] button[type="submit"]`, 200, "application sent", j.child)
}

// unitDecides: the coordinating unit finds the application in its queue
// on the start page, grants it through the review and appoints the wished
// coordinator.
func (j *journey) unitDecides() {
	j.t.Helper()
	browsertest.RequireText(j.t, j.ctx, "Søknader som venter på vedtak")
	j.follow(`section[aria-labelledby="queue-applications-heading"]`, j.child, "application with the decision form")
	j.fill("grant", chromedp.Click(chromedp.ID("outcome-granted")))
	j.send(`form[action$="/decision/review"] button[type="submit"]`, 200, "decision review",
		"Se over vedtaket", "Innvilget", "Ingrid Moe")
	j.send(`form[action$="/decision"] button[type="submit"]`, 200, "decided application", "Vedtaket er fattet.")
}

// coordinatorAccepts: the nurse finds the appointment on her start page
// and accepts it.
func (j *journey) coordinatorAccepts() {
	j.t.Helper()
	browsertest.RequireText(j.t, j.ctx, "Oppnevninger å godta")
	j.follow(`section[aria-labelledby="queue-appointments-heading"]`, j.child, "appointment to accept")
	j.send(`form[action$="/coordinator/accept"] button[type="submit"]`, 200, "appointment accepted",
		"Du har godtatt koordinatorrollen.")
}

// coordinatorSetsUpGroup sets up the responsibility group from the case
// hub, choosing the PPT adviser by name.
func (j *journey) coordinatorSetsUpGroup() {
	j.t.Helper()
	j.toCase()
	j.follow("#group", "", "group page")
	browsertest.ChoosePerson(j.t, j.ctx, "username-1", "Anne Lunde")
	j.fill("fill in the members", chromedp.SendKeys(chromedp.ID("role-1"), "PP-rådgiver"),
		chromedp.SendKeys(chromedp.ID("name-1"), j.child))
	j.send(`form[action$="/group"] button[type="submit"]`, 200, "group page with members",
		"Ansvarsgruppa er opprettet.", "Anne Lunde")
}

// coordinatorPlansMeeting plans the first meeting three weeks ahead.
func (j *journey) coordinatorPlansMeeting() {
	j.t.Helper()
	day := j.site.clock.Now().AddDate(0, 0, 21).In(pathway.Oslo()).Format("2006-01-02")
	j.fill("fill in the meeting",
		chromedp.SetValue(chromedp.ID("meeting-date"), day),
		chromedp.SetValue(chromedp.ID("meeting-time"), "10:00"),
		chromedp.SendKeys(chromedp.ID("meeting-place"), "Nordby skole, møterom 1"),
		chromedp.SendKeys(chromedp.ID("meeting-agenda"), "Skolehverdagen"))
	j.send(`form[action$="/meetings"] button[type="submit"]`, 200, "meeting page", "Møtet er planlagt.", "Skolehverdagen")
}

// coordinatorFinalisesMinutes reaches the meeting from the case hub, writes
// the minutes and finalises them through the review.
func (j *journey) coordinatorFinalisesMinutes() {
	j.t.Helper()
	j.toCase()
	j.follow("#meetings", "", "group page with the meeting")
	j.follow("main", "Møte nr. 1", "meeting page for the minutes")
	ids := browsertest.Eval[[]string](j.t, j.ctx,
		`[...document.querySelectorAll('input[type=radio][value=yes][name^="present-"]')].map(e => e.id)`)
	var steps []chromedp.Action[chromedp.Void]
	for _, id := range ids {
		steps = append(steps, chromedp.Click(chromedp.ID(id)))
	}
	now := j.site.clock.Now()
	steps = append(steps,
		chromedp.SendKeys(chromedp.ID("person-account"), j.child+" forteller at skolen går bedre."),
		chromedp.SendKeys(chromedp.ID("item-0"), "Retningslinjene ble gjennomgått."),
		chromedp.SendKeys(chromedp.ID("item-1"), "Skolen melder om bedre oppmøte."),
		chromedp.SendKeys(chromedp.ID("measure-text-0"), "Samtaler med helsesykepleier"),
		chromedp.SetValue(chromedp.ID("measure-due-0"), now.AddDate(0, 1, 0).Format("2006-01-02")),
		chromedp.SendKeys(chromedp.ID("conclusions"), "Tiltakene videreføres."),
		chromedp.SetValue(chromedp.ID("next-date"), now.AddDate(0, 3, 0).Format("2006-01-02")),
		chromedp.SetValue(chromedp.ID("next-time"), "10:00"))
	j.fill("write the minutes", steps...)
	browsertest.ChoosePerson(j.t, j.ctx, "measure-resp-0", "Ingrid Moe")
	j.send(`button[value="finalise"]`, 200, "minutes review", "Se over referatet før det ferdigstilles", "Anne Lunde")
	j.send(`button[value="confirm_finalise"]`, 200, "finalised minutes", "Referatet er ferdigstilt og låst.")
}

// coordinatorWritesPlan starts the individual plan from the case hub.
func (j *journey) coordinatorWritesPlan() {
	j.t.Helper()
	j.toCase()
	j.follow("#plans", "", "plans page")
	j.follow("main", "Lag ny plan: Individuell plan", "new plan form")
	j.fill("write the plan",
		chromedp.SendKeys(chromedp.ID("what-matters"), "Å ha venner på skolen."),
		chromedp.SendKeys(chromedp.ID("goal-text-0"), "Trives på skolen"),
		chromedp.SendKeys(chromedp.ID("measure-text-0"), "Fast samtale hver uke"),
		chromedp.SetValue(chromedp.ID("measure-due-0"), j.site.clock.Now().AddDate(0, 2, 0).Format("2006-01-02")))
	browsertest.ChoosePerson(j.t, j.ctx, "measure-responsible-0", "Ingrid Moe")
	j.send(`form.plan-form button[type="submit"]`, 200, "individual plan", "Å ha venner på skolen.", "Trives på skolen")
}

// coordinatorRecordsWithdrawal records that the guardian withdrew the
// consent, through the review of who loses access.
func (j *journey) coordinatorRecordsWithdrawal() {
	j.t.Helper()
	j.toCase()
	j.follow("#consents", "", "consents page before the withdrawal")
	j.follow("main", "Trekk tilbake", "withdrawal review")
	browsertest.RequireText(j.t, j.ctx, "Mister tilgang til saken", "Anne Lunde")
	j.send(`form[action$="/withdraw"] button[type="submit"]`, 200, "after the withdrawal", "Samtykket er trukket tilbake.")
}
