package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/browsertest"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
	"github.com/samordna/samordna/web"
)

// startBrowserSite runs the real server on SQLite for a browser test.
func startBrowserSite(t *testing.T) *browsertest.Site {
	t.Helper()
	return browsertest.StartSite(t, dbtest.Open(t, store.SQLite), nil, func(a *app.App) (http.Handler, error) {
		return web.New(a, web.Config{})
	})
}

// chooseLanguage picks a language in the header's select the way a mouse
// user does (the option changes, a change event fires), which submits the
// form through app.js, and waits for the new page.
func chooseLanguage(t *testing.T, ctx context.Context, lang string) {
	t.Helper()
	browsertest.Navigation(t, ctx, "choose language "+lang,
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
			const s = document.getElementById('lang-select');
			s.value = %q;
			s.dispatchEvent(new Event('input', {bubbles: true}));
			s.dispatchEvent(new Event('change', {bubbles: true}));
		})()`, lang)))
}

// The whole sign-in round in a real browser: every page it sees is checked
// with axe-core in bokmål, nynorsk and English.
func TestBrowserLoginLanguageLogout(t *testing.T) {
	site := startBrowserSite(t)
	ctx := browsertest.New(t)

	// The login page, in bokmål (the browser asks for nb).
	if status := browsertest.Open(t, ctx, site.URL+"/login"); status != http.StatusOK {
		t.Fatalf("GET /login: %d", status)
	}
	if lang := browsertest.Lang(t, ctx); lang != "nb" {
		t.Errorf("login page lang = %q, want nb", lang)
	}
	browsertest.RequireText(t, ctx, "Logg inn", "Brukernavn", "Passord")
	browsertest.CheckAxe(t, ctx, "login page, bokmål")
	browsertest.Screenshot(t, ctx, "login-desktop")

	// A wrong password shows the error on the page, and axe is happy with it.
	browsertest.Do(t, ctx, "type a wrong password",
		chromedp.SendKeys(chromedp.ID("username"), site.Username),
		chromedp.SendKeys(chromedp.ID("password"), "feil-passord-123"))
	if status := browsertest.Navigation(t, ctx, "submit a wrong password",
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type="submit"]`))); status != http.StatusUnauthorized {
		t.Errorf("wrong password: status %d, want 401", status)
	}
	browsertest.RequireText(t, ctx, "Feil brukernavn eller passord.")
	if v := browsertest.Eval[string](t, ctx, `document.getElementById('password').value`); v != "" {
		t.Error("the password field is filled in again after a failed login")
	}
	browsertest.CheckAxe(t, ctx, "login page with an error, bokmål")
	browsertest.Screenshot(t, ctx, "login-error-desktop")

	// Sign in through the form.
	browsertest.Login(t, ctx, site.URL, site.Username, site.Password)
	if p := browsertest.Path(t, ctx); p != "/" {
		t.Fatalf("after login the browser is at %q, want /", p)
	}
	browsertest.RequireText(t, ctx, "Mine oppgaver", "Mine saker", "Innlogget som "+site.Employee.Name)
	if cookies := browsertest.Eval[string](t, ctx, `document.cookie`); strings.Contains(cookies, "session") {
		t.Errorf("the session cookie is readable from JavaScript (not HttpOnly): %q", cookies)
	}
	if lang := browsertest.Lang(t, ctx); lang != "nb" {
		t.Errorf("start page lang = %q, want nb", lang)
	}
	// app.js runs, so the language form's button is hidden.
	if browsertest.Visible(t, ctx, ".lang-form button") {
		t.Error("the language form's button shows although JavaScript runs")
	}
	browsertest.CheckAxe(t, ctx, "start page, bokmål")
	browsertest.RequireContrast(t, ctx, "#lang-select", `label[for="lang-select"]`, ".whoami",
		`form[action="/logout"] button`, ".brand", ".main-nav a", ".site-footer p")
	browsertest.Screenshot(t, ctx, "start-desktop")

	// The first Tab shows the skip link; following it moves focus to the content.
	browsertest.Do(t, ctx, "press Tab", chromedp.KeyEvent(kb.Tab))
	if cls := browsertest.Eval[string](t, ctx, `document.activeElement.className`); cls != "skip-link" {
		t.Errorf("the first Tab focuses %q, want the skip link", cls)
	}
	if !browsertest.Eval[bool](t, ctx, `(() => { const r = document.activeElement.getBoundingClientRect();
		return r.left >= 0 && r.top >= 0 && r.width > 0 && r.right <= innerWidth; })()`) {
		t.Error("the focused skip link is not on screen")
	}
	browsertest.RequireContrast(t, ctx, ".skip-link")
	browsertest.Screenshot(t, ctx, "start-skip-link-focus")
	browsertest.Do(t, ctx, "press Enter on the skip link", chromedp.KeyEvent(kb.Enter))
	if id := browsertest.Eval[string](t, ctx, `document.activeElement.id`); id != "main" {
		t.Errorf("after the skip link the focus is on %q, want main", id)
	}

	// Nynorsk.
	chooseLanguage(t, ctx, "nn")
	if p := browsertest.Path(t, ctx); p != "/" {
		t.Errorf("after the language switch the browser is at %q, want /", p)
	}
	if lang := browsertest.Lang(t, ctx); lang != "nn" {
		t.Errorf("lang = %q after choosing nynorsk", lang)
	}
	browsertest.RequireText(t, ctx, "Mine oppgåver", "Innlogga som")
	if sel := browsertest.Eval[string](t, ctx, `document.getElementById('lang-select').value`); sel != "nn" {
		t.Errorf("the select shows %q, want nn", sel)
	}
	browsertest.CheckAxe(t, ctx, "start page, nynorsk")

	// English.
	chooseLanguage(t, ctx, "en")
	if lang := browsertest.Lang(t, ctx); lang != "en" {
		t.Errorf("lang = %q after choosing English", lang)
	}
	browsertest.RequireText(t, ctx, "My tasks", "My cases", "Signed in as")
	browsertest.CheckAxe(t, ctx, "start page, English")

	// Sign out with the button.
	browsertest.Navigation(t, ctx, "click sign out",
		chromedp.Click(chromedp.CSS(`form[action="/logout"] button[type="submit"]`)))
	if loc := browsertest.Location(t, ctx); loc != "/login?bye=1" {
		t.Errorf("after logout the browser is at %q, want /login?bye=1", loc)
	}
	browsertest.RequireText(t, ctx, "You are signed out.", "Sign in")
	if !browsertest.Visible(t, ctx, `[role="status"]`) {
		t.Error("the signed-out notice is not shown as a status message")
	}
	browsertest.CheckAxe(t, ctx, "login page, English, signed out")
	browsertest.Screenshot(t, ctx, "login-signed-out-desktop")

	// The login page in nynorsk, switched while signed out.
	chooseLanguage(t, ctx, "nn")
	if lang := browsertest.Lang(t, ctx); lang != "nn" {
		t.Errorf("login page lang = %q, want nn", lang)
	}
	browsertest.RequireText(t, ctx, "Brukarnamn")
	browsertest.CheckAxe(t, ctx, "login page, nynorsk")

	// The session is gone: the start page sends the browser to sign in.
	browsertest.Open(t, ctx, site.URL+"/")
	if p := browsertest.Path(t, ctx); p != "/login" {
		t.Errorf("after logout / shows %q, want the login page", p)
	}

	// A page that does not exist.
	if status := browsertest.Open(t, ctx, site.URL+"/finnes-ikke"); status != http.StatusNotFound {
		t.Errorf("GET /finnes-ikke: %d", status)
	}
	browsertest.CheckAxe(t, ctx, "not found page, nynorsk")
}

// scripts turns the page's JavaScript on or off.
func scripts(t *testing.T, ctx context.Context, on bool) {
	t.Helper()
	browsertest.Do(t, ctx, fmt.Sprintf("JavaScript on: %v", on), chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on})
		return err
	}))
}

// checkAxeWithoutJS runs axe on a page rendered without JavaScript: axe
// itself needs scripts (its promise never settles without them), so they
// are on while it runs; the page's own app.js has not run and does not.
func checkAxeWithoutJS(t *testing.T, ctx context.Context, label string) {
	t.Helper()
	scripts(t, ctx, true)
	browsertest.CheckAxe(t, ctx, label)
	if browsertest.Eval[bool](t, ctx, `document.documentElement.classList.contains('js')`) {
		t.Errorf("%s: app.js ran while axe did", label)
	}
	scripts(t, ctx, false)
}

// The language switch works without JavaScript: the button shows and
// submits the form.
func TestBrowserLanguageSwitchWithoutJavaScript(t *testing.T) {
	site := startBrowserSite(t)
	ctx := browsertest.New(t)
	scripts(t, ctx, false)
	browsertest.Open(t, ctx, site.URL+"/login")
	if js := browsertest.Eval[bool](t, ctx, `document.documentElement.classList.contains('js')`); js {
		t.Fatal("app.js ran although JavaScript is off: the test proves nothing")
	}
	if !browsertest.Visible(t, ctx, ".lang-form button") {
		t.Fatal("without JavaScript the language form has no visible button")
	}
	// Choose nynorsk (this fires no script: scripts are off) and press the button.
	browsertest.Do(t, ctx, "choose nynorsk", chromedp.SetValue(chromedp.ID("lang-select"), "nn"))
	browsertest.Navigation(t, ctx, "press the language button",
		chromedp.Click(chromedp.CSS(".lang-form button")))
	if lang := browsertest.Lang(t, ctx); lang != "nn" {
		t.Errorf("lang = %q after the language button, want nn", lang)
	}
	browsertest.RequireText(t, ctx, "Brukarnamn")
	checkAxeWithoutJS(t, ctx, "login page without JavaScript, nynorsk")

	// Signing in and out work without JavaScript too.
	browsertest.Login(t, ctx, site.URL, site.Username, site.Password)
	browsertest.RequireText(t, ctx, "Mine oppgåver")
	checkAxeWithoutJS(t, ctx, "start page without JavaScript, nynorsk")
	browsertest.Navigation(t, ctx, "click sign out",
		chromedp.Click(chromedp.CSS(`form[action="/logout"] button[type="submit"]`)))
	browsertest.RequireText(t, ctx, "Du er logga ut.")
}

// On a phone the pages fit the screen and pass axe.
func TestBrowserPhone(t *testing.T) {
	site := startBrowserSite(t)
	ctx := browsertest.New(t)
	browsertest.SetViewport(t, ctx, 375, 667, true)

	browsertest.Open(t, ctx, site.URL+"/login")
	browsertest.RequireNoHorizontalScroll(t, ctx, "login page on a phone")
	browsertest.RequireContrast(t, ctx, "#lang-select", "#username", `form[action="/login"] button`)
	browsertest.CheckAxe(t, ctx, "login page on a phone")
	browsertest.Screenshot(t, ctx, "login-phone")

	browsertest.Login(t, ctx, site.URL, site.Username, site.Password)
	browsertest.RequireText(t, ctx, "Mine oppgaver", "Mine saker")
	browsertest.RequireNoHorizontalScroll(t, ctx, "start page on a phone")
	browsertest.CheckAxe(t, ctx, "start page on a phone")
	browsertest.Screenshot(t, ctx, "start-phone")

	// The sign-out button can be reached and is big enough to tap (WCAG
	// 2.5.5's 44 px is AAA; 24 px is the 2.2 AA minimum).
	size := browsertest.Eval[[]float64](t, ctx, `(() => {
		const r = document.querySelector('form[action="/logout"] button').getBoundingClientRect();
		return [r.width, r.height, r.right];
	})()`)
	if size[0] < 24 || size[1] < 24 || size[2] > 375 {
		t.Errorf("the sign-out button is %v×%v px and ends at x=%v on a 375 px screen", size[0], size[1], size[2])
	}

	// Reflow down to 320 CSS pixels (WCAG 1.4.10).
	browsertest.SetViewport(t, ctx, 320, 640, true)
	browsertest.Open(t, ctx, site.URL+"/")
	browsertest.RequireNoHorizontalScroll(t, ctx, "start page at 320 px")
	browsertest.Open(t, ctx, site.URL+"/login?bye=1")
	browsertest.RequireNoHorizontalScroll(t, ctx, "login page at 320 px")
}

// A keyboard user can step through the languages with the arrow keys
// without the page reloading at each step (WCAG 3.2.2 On Input): the
// button shows, and Enter chooses.
func TestBrowserLanguageSwitchByKeyboard(t *testing.T) {
	site := startBrowserSite(t)
	ctx := browsertest.New(t)
	browsertest.Open(t, ctx, site.URL+"/login")
	// Tab from the top of the page until the select has the focus.
	for i := 0; i < 10 && browsertest.Eval[string](t, ctx, `document.activeElement.id`) != "lang-select"; i++ {
		browsertest.Do(t, ctx, "press Tab", chromedp.KeyEvent(kb.Tab))
	}
	if id := browsertest.Eval[string](t, ctx, `document.activeElement.id`); id != "lang-select" {
		t.Fatalf("Tab does not reach the language select (focus on %q)", id)
	}
	browsertest.Eval[bool](t, ctx, `window.samePage = true`)
	browsertest.Do(t, ctx, "press ArrowDown", chromedp.KeyEvent(kb.ArrowDown), chromedp.Sleep(300*time.Millisecond))
	if !browsertest.Eval[bool](t, ctx, `window.samePage === true`) {
		t.Fatal("one arrow key press on the language select reloaded the page")
	}
	if v := browsertest.Eval[string](t, ctx, `document.getElementById('lang-select').value`); v != "nn" {
		t.Errorf("after ArrowDown the select shows %q, want nn", v)
	}
	if !browsertest.Visible(t, ctx, ".lang-form button") {
		t.Error("after a key press the language button does not show")
	}
	browsertest.CheckAxe(t, ctx, "login page with the language button shown")
	browsertest.Do(t, ctx, "press ArrowDown", chromedp.KeyEvent(kb.ArrowDown), chromedp.Sleep(300*time.Millisecond))
	if !browsertest.Eval[bool](t, ctx, `window.samePage === true`) {
		t.Fatal("the second arrow key press reloaded the page")
	}
	browsertest.Navigation(t, ctx, "press Enter on the select", chromedp.KeyEvent(kb.Enter))
	if lang := browsertest.Lang(t, ctx); lang != "en" {
		t.Errorf("after Enter the page is in %q, want en", lang)
	}
	browsertest.RequireText(t, ctx, "Username")
}
