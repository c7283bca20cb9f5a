package web_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/samordna/samordna/internal/browsertest"
)

// screenshotRoles are the demo's users whose start pages the screenshots
// show, one per role, with the file name of each.
var screenshotRoles = []struct{ username, file string }{
	{"kari.ke", "start-koordinerende-enhet"},
	{"ola.laerer", "start-laerer"},
	{"per.bv", "start-barnevern"},
	{"ingrid.hs", "start-koordinator"},
	{"nils.leder", "start-leder"},
	{"admin", "start-administrator"},
}

// Issue 13, the start page and the screenshots in docs/screenshots: each
// role's start page at 1280 px and 390 px says "Innlogget som …" exactly
// once, visibly, with the header compact on the phone; the case page and
// the decision review are shown to the coordinating unit. With
// SAMORDNA_SCREENSHOTS set, each is saved as a viewport PNG there
// (scripts: SAMORDNA_SCREENSHOTS=docs/screenshots, run from the repo).
func TestBrowserStartPagesAndScreenshots(t *testing.T) {
	base := startDemoSite(t)
	ctx := browsertest.New(t)
	for _, width := range []int64{1280, 390} {
		browsertest.SetViewport(t, ctx, width, 900, width < 600)
		for _, r := range screenshotRoles {
			browsertest.Login(t, ctx, base, r.username, designDemoPassword)
			label := fmt.Sprintf("%s's start page at %d px", r.username, width)
			whoami(t, ctx, label)
			browsertest.RequireNoHorizontalScroll(t, ctx, label)
			if width < 600 {
				if h := browsertest.Eval[float64](t, ctx, `document.querySelector('.site-header').getBoundingClientRect().height`); h > 140 {
					t.Errorf("%s: the header is %v px high", label, h)
				}
			}
			if width == 1280 {
				viewportShot(t, ctx, r.file)
			} else if r.username == "kari.ke" || r.username == "ola.laerer" {
				viewportShot(t, ctx, r.file+"-mobil")
			}
			browsertest.Navigation(t, ctx, "sign out "+r.username,
				chromedp.Click(chromedp.CSS(`form[action="/logout"] button[type="submit"]`)))
		}
	}

	// The case page and the decision review, for the coordinating unit.
	browsertest.SetViewport(t, ctx, 1280, 900, false)
	browsertest.Login(t, ctx, base, "kari.ke", designDemoPassword)
	browsertest.Open(t, ctx, base+"/cases")
	first := browsertest.Eval[string](t, ctx, `[...document.querySelectorAll('main a')].map(a => a.getAttribute('href')).find(h => /^\/cases\/[a-z0-9]{20}$/.test(h)) || ""`)
	if first == "" {
		t.Fatal("no case on the case list")
	}
	browsertest.Open(t, ctx, base+first)
	viewportShot(t, ctx, "sak")
	browsertest.Open(t, ctx, base+"/coordination")
	application := browsertest.Eval[string](t, ctx, `[...document.querySelectorAll('main a')].map(a => a.getAttribute('href')).find(h => /^\/applications\/[a-z0-9]{20}$/.test(h)) || ""`)
	if application == "" {
		t.Fatal("no application waiting for the coordinating unit")
	}
	browsertest.Open(t, ctx, base+application)
	browsertest.Do(t, ctx, "refuse, with a reason",
		chromedp.Click(chromedp.ID("outcome-refused")),
		chromedp.SendKeys(chromedp.ID("reason"), "Behovet dekkes av tjenestene som allerede er i gang."))
	browsertest.Navigation(t, ctx, "review the decision",
		chromedp.Click(chromedp.CSS(`form[action$="/decision/review"] button[type="submit"]`)))
	browsertest.RequireText(t, ctx, "Se over vedtaket")
	viewportShot(t, ctx, "vedtak-se-over")
}

// whoami checks that the page says who is signed in exactly once, and
// that the user sees it.
func whoami(t *testing.T, ctx context.Context, label string) {
	t.Helper()
	n := browsertest.Eval[int](t, ctx, `document.body.textContent.split('Innlogget som').length - 1`)
	if n != 1 {
		t.Errorf("%s: \"Innlogget som\" is on the page %d times", label, n)
	}
	if !shown(t, ctx, ".whoami") {
		t.Errorf("%s: \"Innlogget som\" is not shown", label)
	}
}

// viewportShot saves what the viewport shows as <name>.png in the folder
// SAMORDNA_SCREENSHOTS names (a viewport, not the whole page, to keep the
// committed pictures small); without it, it does nothing.
func viewportShot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv(browsertest.EnvScreenshots)
	if dir == "" {
		return
	}
	png := browsertest.Run(t, ctx, "screenshot "+name, chromedp.CaptureScreenshot())
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot %s", strings.TrimSuffix(name, ".png"))
}
