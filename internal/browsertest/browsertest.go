// Package browsertest drives the real Samordna server in headless Chromium
// (through chromedp) and checks every page it visits with axe-core, so that
// each page's browser test is a few lines:
//
//	site := browsertest.StartSite(t, dbtest.Open(t, store.SQLite), nil,
//		func(a *app.App) (http.Handler, error) { return web.New(a, web.Config{}) })
//	ctx := browsertest.New(t)
//	browsertest.Login(t, ctx, site.URL, site.Username, site.Password)
//	browsertest.CheckAxe(t, ctx, "start page")
//
// Chromium comes from SAMORDNA_CHROMIUM (default /usr/bin/chromium) and the
// axe-core script from SAMORDNA_AXE (scripts/test.sh installs it). When
// either is missing the test fails: a browser test never skips.
//
// Use it from external test packages (package web_test), because it starts
// the server through a func the test passes in and web's own tests would
// otherwise import it in a cycle. Name the tests TestBrowser... so that the
// test report counts them.
package browsertest

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// Environment variables the harness reads.
const (
	EnvChromium    = "SAMORDNA_CHROMIUM"    // path of the Chromium binary
	EnvAxe         = "SAMORDNA_AXE"         // path of axe.min.js
	EnvScreenshots = "SAMORDNA_SCREENSHOTS" // folder for screenshots; none when unset
)

// DefaultChromium is used when SAMORDNA_CHROMIUM is unset.
const DefaultChromium = "/usr/bin/chromium"

// Timeouts. A browser test should finish in a few seconds; these only stop
// a hung browser from hanging the test run.
var (
	StartTimeout = 30 * time.Second // starting Chromium
	StepTimeout  = 15 * time.Second // one step: a navigation, a click, an axe run
)

// AcceptLanguage is what the browser asks for; bokmål first, like a
// Norwegian employee's browser.
const AcceptLanguage = "nb-NO,nb,no,nn,en"

// ChromiumPath returns the Chromium to use.
func ChromiumPath() string {
	if p := os.Getenv(EnvChromium); p != "" {
		return p
	}
	return DefaultChromium
}

// requireFiles fails the test when Chromium or axe-core is missing.
func requireFiles(t testing.TB) {
	t.Helper()
	p := ChromiumPath()
	if fi, err := os.Stat(p); err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 {
		t.Fatalf("browser test: no Chromium executable at %s (set %s, or install Debian's chromium; scripts/test.sh does): %v",
			p, EnvChromium, err)
	}
	axeSource(t)
}

var (
	axeMu    sync.Mutex
	axeCache = map[string]string{} // path → script
)

// axeSource returns the axe-core script named by SAMORDNA_AXE (read once
// per path), or fails the test.
func axeSource(t testing.TB) string {
	t.Helper()
	p := os.Getenv(EnvAxe)
	if p == "" {
		t.Fatalf("browser test: %s is not set: point it at axe.min.js (scripts/test.sh installs axe-core with npm into .cache/npm)", EnvAxe)
	}
	axeMu.Lock()
	defer axeMu.Unlock()
	if src, ok := axeCache[p]; ok {
		return src
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("browser test: read axe-core from %s=%s: %v (scripts/test.sh installs it)", EnvAxe, p, err)
	}
	if !strings.Contains(string(b), "axe") {
		t.Fatalf("browser test: %s=%s does not look like axe-core", EnvAxe, p)
	}
	axeCache[p] = string(b)
	return axeCache[p]
}

// New starts a fresh headless Chromium for the test (its own profile, so no
// cookies from elsewhere) and returns the context of its first tab. The
// browser stops when the test ends.
func New(t testing.TB) context.Context {
	t.Helper()
	requireFiles(t)
	profile := t.TempDir()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(ChromiumPath()),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("accept-lang", AcceptLanguage),
		chromedp.Flag("lang", "nb-NO"),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1280, 900),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	log := &testLog{t: t}
	ctx, cancelCtx := chromedp.NewContext(allocCtx, chromedp.WithLogf(log.logf), chromedp.WithErrorf(log.logf))
	// Registered after t.TempDir, so it runs before the profile is removed.
	t.Cleanup(func() {
		cancelCtx()
		cancelAlloc()
		log.stop()
		removeAllRetry(profile)
	})

	firstRun(t, ctx, cancelCtx, "start Chromium")
	setAcceptLanguage(t, ctx)
	return ctx
}

// NewTab opens a new tab in the browser of ctx with a browser context of its
// own: it shares no cookies with the other tabs, like a second device.
func NewTab(t testing.TB, ctx context.Context) context.Context {
	t.Helper()
	tab, cancel := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	firstRun(t, tab, cancel, "open a new tab")
	setAcceptLanguage(t, tab)
	return tab
}

// firstRun opens the browser or tab of ctx. The first run binds the
// browser or tab to the context it is given, so it cannot have a timeout
// of its own: it is watched from here instead, and cancel stops it.
func firstRun(t testing.TB, ctx context.Context, cancel context.CancelFunc, what string) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- chromedp.Do(ctx) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("browser test: %s (Chromium %s): %v", what, ChromiumPath(), err)
		}
	case <-time.After(StartTimeout):
		cancel()
		t.Fatalf("browser test: %s (Chromium %s): no answer within %s", what, ChromiumPath(), StartTimeout)
	}
}

// setAcceptLanguage makes the tab ask for AcceptLanguage, whatever the
// system locale says.
func setAcceptLanguage(t testing.TB, ctx context.Context) {
	t.Helper()
	Do(t, ctx, "set Accept-Language", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		ua, err := chromedp.Evaluate[string](`navigator.userAgent`)(ctx, tg)
		if err != nil {
			return err
		}
		// Headless Chromium says so in its user agent; a real browser does not.
		ua = strings.Replace(ua, "HeadlessChrome", "Chrome", 1)
		_, err = cdp.Call(ctx, tg, emulation.SetUserAgentOverride, emulation.SetUserAgentOverrideParams{
			UserAgent: ua, AcceptLanguage: AcceptLanguage,
		})
		return err
	}))
}

// Run runs one action with StepTimeout and fails the test (naming what)
// when it fails.
func Run[T any](t testing.TB, ctx context.Context, what string, a chromedp.Action[T]) T {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, StepTimeout)
	defer cancel()
	v, err := chromedp.Run(sctx, a)
	if err != nil {
		t.Fatalf("browser: %s: %v", what, err)
	}
	return v
}

// Do runs actions in order with StepTimeout for them all, and fails the test
// when one fails.
func Do(t testing.TB, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	Run(t, ctx, what, chromedp.Steps(steps...))
}

// Eval evaluates a JavaScript expression in the page and returns its value.
func Eval[T any](t testing.TB, ctx context.Context, expr string) T {
	t.Helper()
	return Run(t, ctx, "evaluate "+expr, chromedp.Evaluate[T](expr))
}

// Open navigates to url, waits for the page to load and returns the HTTP
// status of the document.
func Open(t testing.TB, ctx context.Context, url string) int64 {
	t.Helper()
	resp := Run(t, ctx, "open "+url, chromedp.NavigateResponse(url))
	return resp.Status
}

// Navigation runs steps that make the page navigate (a click on a submit
// button, a changed select) and waits until the new page has loaded. It
// returns the HTTP status of the new document (after redirects).
func Navigation(t testing.TB, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) int64 {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, StepTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(sctx, steps...)
	if err != nil {
		t.Fatalf("browser: %s: %v", what, err)
	}
	return resp.Status
}

// Location returns the page's address without scheme and host: path, query
// and fragment.
func Location(t testing.TB, ctx context.Context) string {
	t.Helper()
	loc := Run(t, ctx, "read the location", chromedp.Location())
	u, err := url.Parse(loc)
	if err != nil {
		t.Fatalf("browser: parse location %q: %v", loc, err)
	}
	u.Scheme, u.Host, u.User = "", "", nil
	return u.String()
}

// Path returns the path of the page's address.
func Path(t testing.TB, ctx context.Context) string {
	t.Helper()
	return Eval[string](t, ctx, `location.pathname`)
}

// BodyText returns the text of the page as the user sees it (hidden
// elements left out).
func BodyText(t testing.TB, ctx context.Context) string {
	t.Helper()
	return Eval[string](t, ctx, `document.body.innerText`)
}

// RequireText fails the test unless every text is visible on the page.
func RequireText(t testing.TB, ctx context.Context, texts ...string) {
	t.Helper()
	body := BodyText(t, ctx)
	for _, s := range texts {
		if !strings.Contains(body, s) {
			t.Errorf("browser: %q is not on the page %s; it shows:\n%s", s, Location(t, ctx), body)
		}
	}
}

// Lang returns the lang attribute of the page's html element.
func Lang(t testing.TB, ctx context.Context) string {
	t.Helper()
	return Eval[string](t, ctx, `document.documentElement.lang`)
}

// Visible reports whether the first element matching the CSS selector
// exists and is rendered (not display:none or visibility:hidden).
func Visible(t testing.TB, ctx context.Context, selector string) bool {
	t.Helper()
	return Eval[bool](t, ctx, fmt.Sprintf(`(() => {
		const el = document.querySelector(%q);
		if (!el) return false;
		const s = getComputedStyle(el);
		return s.display !== 'none' && s.visibility !== 'hidden' && el.getClientRects().length > 0;
	})()`, selector))
}

// ContrastRatio returns the WCAG contrast ratio between the text colour of
// the first element matching selector and the first opaque background
// behind it. axe leaves some form controls (a select's own text) out of its
// colour-contrast rule; this covers them.
func ContrastRatio(t testing.TB, ctx context.Context, selector string) float64 {
	t.Helper()
	return Eval[float64](t, ctx, fmt.Sprintf(`(() => {
		const el = document.querySelector(%q);
		if (!el) return -1;
		const parse = c => {
			const p = (c.match(/rgba?\(([^)]+)\)/) || [, '0 0 0 0'])[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
			return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
		};
		let bg = {r: 255, g: 255, b: 255, a: 1};
		for (let n = el; n; n = n.parentElement) {
			const c = parse(getComputedStyle(n).backgroundColor);
			if (c.a > 0) { bg = c; break; }
		}
		const fg = parse(getComputedStyle(el).color);
		const lum = c => {
			const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
			return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
		};
		const a = lum(fg), b = lum(bg);
		return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
	})()`, selector))
}

// RequireContrast fails the test when the text of the element matching
// selector has less than 4.5:1 contrast (WCAG 1.4.3), or is missing.
func RequireContrast(t testing.TB, ctx context.Context, selectors ...string) {
	t.Helper()
	for _, sel := range selectors {
		switch r := ContrastRatio(t, ctx, sel); {
		case r < 0:
			t.Errorf("contrast: no element %s on the page", sel)
		case r < 4.5:
			t.Errorf("contrast: %s has text contrast %.2f:1, want at least 4.5:1", sel, r)
		}
	}
}

// Login signs in through the login form like a user: it opens /login,
// types the username and password into the fields and clicks the button.
// It fails the test unless the browser leaves the login page.
func Login(t testing.TB, ctx context.Context, baseURL, username, password string) {
	t.Helper()
	if status := Open(t, ctx, strings.TrimSuffix(baseURL, "/")+"/login"); status != 200 {
		t.Fatalf("browser: GET /login: status %d", status)
	}
	Do(t, ctx, "fill in the login form",
		chromedp.SendKeys(chromedp.ID("username"), username),
		chromedp.SendKeys(chromedp.ID("password"), password),
	)
	status := Navigation(t, ctx, "click the sign-in button",
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type="submit"]`)))
	if p := Path(t, ctx); p == "/login" {
		t.Fatalf("browser: sign-in as %q failed (status %d); the page says:\n%s", username, status, BodyText(t, ctx))
	}
}

// SetViewport makes the page width × height CSS pixels; mobile emulates a
// phone (touch, mobile meta viewport).
func SetViewport(t testing.TB, ctx context.Context, width, height int64, mobile bool) {
	t.Helper()
	var opts []chromedp.EmulateViewportOption
	if mobile {
		opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait, chromedp.EmulateScale(2))
	}
	Do(t, ctx, fmt.Sprintf("set the viewport to %d×%d", width, height), chromedp.EmulateViewport(width, height, opts...))
}

// RequireNoHorizontalScroll fails the test when the page is wider than the
// viewport (WCAG 1.4.10 Reflow: no scrolling in two directions).
func RequireNoHorizontalScroll(t testing.TB, ctx context.Context, label string) {
	t.Helper()
	type widths struct{ Scroll, Client int }
	w := Eval[widths](t, ctx, `({Scroll: document.documentElement.scrollWidth, Client: document.documentElement.clientWidth})`)
	if w.Scroll > w.Client {
		wide := Eval[[]string](t, ctx, `(() => {
			const cw = document.documentElement.clientWidth, out = [];
			for (const el of document.body.querySelectorAll("*")) {
				const r = el.getBoundingClientRect();
				if (r.right <= cw + 0.5 || [...el.children].some(c => c.getBoundingClientRect().right > cw + 0.5)) continue;
				out.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : "") + " (" + Math.round(r.right) + " px)");
				if (out.length === 5) break;
			}
			return out;
		})()`)
		t.Errorf("%s: the page is %d px wide in a %d px viewport: it scrolls sideways; too wide: %v", label, w.Scroll, w.Client, wide)
	}
}

// Screenshot saves a PNG of the whole page as <name>.png in the folder
// named by SAMORDNA_SCREENSHOTS; without it, it does nothing.
func Screenshot(t testing.TB, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv(EnvScreenshots)
	if dir == "" {
		return
	}
	png := Run(t, ctx, "screenshot "+name, chromedp.FullScreenshot(100))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	p := filepath.Join(dir, name+".png")
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	t.Logf("screenshot %s", p)
}

// testLog passes chromedp's log lines to the test until the browser stops
// (logging after the test has ended would panic).
type testLog struct {
	mu      sync.Mutex
	t       testing.TB
	stopped bool
}

func (l *testLog) logf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.stopped {
		l.t.Logf("chromedp: "+format, args...)
	}
}

func (l *testLog) stop() {
	l.mu.Lock()
	l.stopped = true
	l.mu.Unlock()
}

// removeAllRetry removes dir, trying again for a while: Chromium's child
// processes can still write into the profile just after the browser stops.
func removeAllRetry(dir string) {
	var err error
	for range 50 {
		if err = os.RemoveAll(dir); err == nil || errors.Is(err, os.ErrNotExist) {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// ChoosePerson chooses a colleague by visible name in a people picker, as
// a keyboard user would: it types the name into the combobox app.js makes
// of the select with the given id, presses Enter on the first match, and
// fails the test unless the select then holds a person whose label starts
// with the name. No username or id is typed.
func ChoosePerson(t testing.TB, ctx context.Context, selectID, name string) {
	t.Helper()
	combo := selectID + "-combo"
	Do(t, ctx, "choose "+name+" in "+selectID,
		chromedp.SendKeys(chromedp.ID(combo), name),
		chromedp.SendKeys(chromedp.ID(combo), kb.Enter))
	got := Eval[string](t, ctx, fmt.Sprintf(`(s => s.value === "" ? "" : s.options[s.selectedIndex].text)(document.getElementById(%q))`, selectID))
	if !strings.HasPrefix(got, name) {
		t.Errorf("browser: after choosing %q in %s the field holds %q", name, selectID, got)
	}
}
