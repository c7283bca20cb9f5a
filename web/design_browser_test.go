package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"regexp"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/browsertest"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
	"github.com/samordna/samordna/web"
)

const designDemoPassword = "demo-passord-som-er-langt"

// startDemoSite serves a freshly seeded demo municipality (app.SeedDemo)
// on SQLite.
func startDemoSite(t *testing.T) string {
	t.Helper()
	return startDemoSiteOn(t, dbtest.Open(t, store.SQLite), newTestClock()).url
}

// demoSite is a running server on a seeded demo municipality: its address,
// its application and the clock the test moves.
type demoSite struct {
	url   string
	app   *app.App
	clock *testClock
}

// startDemoSiteOn seeds the demo municipality (app.SeedDemo: its services,
// employees with their roles, teams and families) into db and serves it;
// every demo user's password is designDemoPassword.
func startDemoSiteOn(t *testing.T, db *store.DB, clock *testClock) *demoSite {
	t.Helper()
	a := app.New(db, clock, slog.New(slog.NewJSONHandler(io.Discard, nil)))
	a.AllowSynthetic = true
	if _, err := a.SeedDemo(context.Background(), designDemoPassword); err != nil {
		t.Fatal(err)
	}
	s, err := web.New(a, web.Config{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return &demoSite{url: srv.URL, app: a, clock: clock}
}

// shown reports whether the element is rendered for the user: not hidden by
// display, visibility or a closed <details> (checkVisibility counts
// content-visibility, which a closed <details> uses for its content).
func shown(t *testing.T, ctx context.Context, selector string) bool {
	t.Helper()
	return browsertest.Eval[bool](t, ctx, fmt.Sprintf(`(() => {
		const el = document.querySelector(%q);
		return !!el && el.checkVisibility({visibilityProperty: true});
	})()`, selector))
}

// The pages on Designsystemet, with the demo's data, at 1280 px and at
// 390 px (issue 13, points 1 and 9): no sideways scrolling, axe finds
// nothing, the Nu checker finds no error. On the phone the menu is a
// button that opens without JavaScript's help (a <details>); on a wide
// screen the links are in a row. An empty concern form puts the error
// summary first, with the focus.
func TestBrowserDesignsystemetPages(t *testing.T) {
	base := startDemoSite(t)
	ctx := browsertest.New(t)
	pages := browsertest.NewHTMLPages(t)
	browsertest.Login(t, ctx, base, "kari.ke", designDemoPassword)

	browsertest.Open(t, ctx, base+"/cases")
	caseHref := regexp.MustCompile(`^/cases/[a-z0-9]{20}$`)
	first := browsertest.Eval[string](t, ctx, `[...document.querySelectorAll('main a')].map(a => a.getAttribute('href')).find(h => /^\/cases\/[a-z0-9]{20}$/.test(h)) || ""`)
	if !caseHref.MatchString(first) {
		t.Fatalf("no case on the case list: %q", first)
	}
	paths := []string{"/", "/concerns/new", "/cases", first, first + "/routine", first + "/access-log", "/coordination",
		"/coordinating-unit", "/tasks", "/routines"}

	for _, width := range []int64{1280, 390} {
		browsertest.SetViewport(t, ctx, width, 800, width < 600)
		for _, p := range paths {
			label := fmt.Sprintf("%s at %d px", p, width)
			browsertest.Open(t, ctx, base+p)
			browsertest.RequireNoHorizontalScroll(t, ctx, label)
			browsertest.CheckAxe(t, ctx, label)
			pages.Add(t, ctx, label)
		}

		// The menu.
		browsertest.Open(t, ctx, base+"/")
		summary, link := shown(t, ctx, ".site-menu > summary"), shown(t, ctx, `.main-nav a[href="/cases"]`)
		if width >= 1024 && (summary || !link) {
			t.Errorf("at %d px the menu button shows (%v) or the links do not (%v)", width, summary, link)
		}
		if width < 600 {
			if !summary || link {
				t.Errorf("at %d px the menu button is hidden (%v) or the links show before it is opened (%v)", width, summary, link)
			}
			browsertest.Do(t, ctx, "open the menu", chromedp.Click(chromedp.CSS(".site-menu > summary")))
			if !shown(t, ctx, `.main-nav a[href="/cases"]`) {
				t.Error("the opened menu does not show the links")
			}
			browsertest.RequireNoHorizontalScroll(t, ctx, "the open menu on a phone")
			browsertest.CheckAxe(t, ctx, "the open menu on a phone")
			browsertest.Screenshot(t, ctx, "menu-phone")
			// The header is compact: at most two rows of controls.
			if h := browsertest.Eval[float64](t, ctx, `document.querySelector('.site-header').getBoundingClientRect().height`); h > 140 {
				t.Errorf("the header is %v px high on a phone", h)
			}
		}

		// An empty concern form: every error at once, the summary first,
		// with the focus.
		browsertest.Open(t, ctx, base+"/concerns/new")
		browsertest.Navigation(t, ctx, "send the empty concern form", chromedp.Click(chromedp.CSS(`form[action="/concerns"] button[type="submit"]`)))
		// The browser applies autofocus after the page has loaded, at its
		// next rendering: wait up to a second for it.
		for i := 0; i < 10 && browsertest.Eval[string](t, ctx, `document.activeElement.id`) != "error-summary"; i++ {
			time.Sleep(100 * time.Millisecond)
		}
		got := browsertest.Eval[[]string](t, ctx, `[document.activeElement.id].concat([...document.querySelectorAll('#error-summary a')].map(a => a.getAttribute('href')))`)
		if fmt.Sprint(got) != "[error-summary #situation-unclear_concern #fnr #description]" {
			t.Errorf("at %d px the empty concern form shows %v", width, got)
		}
		browsertest.RequireNoHorizontalScroll(t, ctx, fmt.Sprintf("concern form with errors at %d px", width))
		browsertest.CheckAxe(t, ctx, fmt.Sprintf("concern form with errors at %d px", width))
		pages.Add(t, ctx, fmt.Sprintf("concern form with errors at %d px", width))
		if width == 1280 {
			browsertest.Screenshot(t, ctx, "concern-errors-desktop")
			browsertest.Open(t, ctx, base+first)
			browsertest.Screenshot(t, ctx, "case-desktop")
		} else {
			browsertest.Screenshot(t, ctx, "concern-errors-phone")
			browsertest.Open(t, ctx, base+"/coordination")
			browsertest.Screenshot(t, ctx, "coordination-phone")
		}
	}
	pages.Check(t)
}
