package web_test

import (
	"context"
	"encoding/base64"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/browsertest"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
	"github.com/samordna/samordna/web"
)

type fixedGoalClock struct{ now time.Time }

func (c fixedGoalClock) Now() time.Time { return c.now }

// goalsDemoSite serves the demo municipality (seed 001's plan included) on
// 10 November 2026.
func goalsDemoSite(t *testing.T) (string, *app.App) {
	t.Helper()
	db := dbtest.Open(t, store.SQLite)
	a := app.New(db, fixedGoalClock{time.Date(2026, 11, 10, 8, 0, 0, 0, time.UTC)}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	a.AllowSynthetic = true
	if _, err := a.SeedDemo(context.Background(), "demo-passord-for-maal"); err != nil {
		t.Fatal(err)
	}
	s, err := web.New(a, web.Config{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return srv.URL, a
}

// fetchBytes fetches a path with the browser's session and returns the body.
func fetchBytes(t *testing.T, ctx context.Context, path string) []byte {
	t.Helper()
	expr := `fetch(` + "`" + path + "`" + `).then(r => r.arrayBuffer()).then(b => {
		let s = ''; const u = new Uint8Array(b); for (let i = 0; i < u.length; i++) s += String.fromCharCode(u[i]); return btoa(s); })`
	b64 := browsertest.Run(t, ctx, "fetch "+path, chromedp.Evaluate[string](expr, chromedp.EvalAwaitPromise))
	b, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Seed 001 ("Rapportere og informere jevnlig til politisk og adm. ledelse";
// "Sikre at resultatene måles og rapporteres på"; årshjul): a leader sees
// the demo plan's targets against results on all three levels, with a
// chart and its data table, downloads the PDF (qpdf and pdftotext accept
// it) and the CSV, and opens the yearly cycle; the pages pass axe and the
// Nu checker, and work at 390 px (refusals: the access matrix).
func TestBrowserLeadershipGoalsReport(t *testing.T) {
	url, _ := goalsDemoSite(t)
	ctx := browsertest.New(t)
	pages := browsertest.NewHTMLPages(t)
	browsertest.Login(t, ctx, url, "nils.leder", "demo-passord-for-maal")

	browsertest.Open(t, ctx, url+"/leadership/goals")
	browsertest.RequireText(t, ctx, "Mål og resultater 2026", "Kommunenivå", "Virksomhetsnivå", "Individnivå",
		"Gjennomføre felles opplæring for alle virksomheter", "Fellesopplæringer holdt", "Mål for året",
		"Andel bekymringer der første steg ble gjort innen fristen", "Kommunedirektør (rådmann)", "Hilde Bakke",
		"4. kvartal", "ikke nådd")
	text := browsertest.BodyText(t, ctx)
	// The demo's concerns give the computed share a figure, judged
	// against the target of 90 %.
	if !regexp.MustCompile(`\n\d+(,\d)? % – (ikke )?nådd\n`).MatchString(text) {
		t.Errorf("the computed share is missing:\n%s", text)
	}
	if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll('svg.goal-chart[role="img"] title').length`); n != 12 {
		t.Errorf("%d charts, want one per goal (12)", n)
	}
	if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll('table.chart-table').length`); n != 12 {
		t.Errorf("%d data tables, want 12", n)
	}
	browsertest.CheckAxe(t, ctx, "goals report")
	pages.Add(t, ctx, "goals report")
	browsertest.SetViewport(t, ctx, 390, 844, true)
	browsertest.RequireNoHorizontalScroll(t, ctx, "goals report at 390 px")
	browsertest.SetViewport(t, ctx, 1280, 900, false)

	// An entered figure for a quarter.
	browsertest.Do(t, ctx, "enter a figure", chromedp.SetValue(chromedp.CSS(`form[action$="/results"] input[name="value"]`), "5"))
	browsertest.Navigation(t, ctx, "submit the figure", chromedp.Click(chromedp.CSS(`form[action$="/results"] button`)))
	browsertest.RequireText(t, ctx, "Tallet er ført inn.")

	pdf := fetchBytes(t, ctx, "/leadership/goals.pdf?year=2026")
	f := filepath.Join(t.TempDir(), "maal.pdf")
	if err := os.WriteFile(f, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("qpdf", "--check", f).CombinedOutput(); err != nil {
		t.Fatalf("qpdf: %v\n%s", err, out)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", f, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	for _, want := range []string{"Mål og resultater 2026", "Kommunenivå", "Virksomhetsnivå", "Individnivå", "Fagsamlinger",
		"under 5"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the PDF lacks %q:\n%s", want, out)
		}
	}
	csv := string(fetchBytes(t, ctx, "/leadership/goals.csv?year=2026"))
	if !strings.Contains(csv, "Mål for året") || !strings.Contains(csv, "Fagsamlinger holdt;3;4. kvartal") &&
		!strings.Contains(csv, "Fagsamlinger holdt;4;") {
		t.Errorf("CSV:\n%s", csv)
	}

	browsertest.Open(t, ctx, url+"/leadership/goals/new")
	browsertest.RequireText(t, ctx, "Nytt mål", "Eier (person)")
	browsertest.CheckAxe(t, ctx, "new goal")
	pages.Add(t, ctx, "new goal")
	browsertest.Navigation(t, ctx, "save an empty goal", chromedp.Click(chromedp.CSS(`form.stack button[type="submit"]`)))
	browsertest.RequireText(t, ctx, "Skriv målet.")
	browsertest.CheckAxe(t, ctx, "new goal with an error")

	browsertest.Open(t, ctx, url+"/annual-cycle")
	browsertest.RequireText(t, ctx, "Årshjul", "Felles opplæring: barn som pårørende", "Hvert halvår fra mars, andre tirsdag",
		"Rapport til hovedutvalg for oppvekst og helse og velferd", "Hilde Bakke")
	browsertest.Navigation(t, ctx, "make a feed link", chromedp.Click(chromedp.CSS(`form[action="/annual-cycle/feed"] button`)))
	link := browsertest.Eval[string](t, ctx, `document.getElementById('feed-url').value`)
	if !strings.Contains(link, "/api/v1/annual-cycle.ics?feed=samordna_cal_") {
		t.Errorf("feed link = %q", link)
	}
	browsertest.CheckAxe(t, ctx, "yearly cycle")
	pages.Add(t, ctx, "yearly cycle")
	browsertest.SetViewport(t, ctx, 390, 844, true)
	browsertest.RequireNoHorizontalScroll(t, ctx, "yearly cycle at 390 px")
	browsertest.SetViewport(t, ctx, 1280, 900, false)

	browsertest.Open(t, ctx, url+"/annual-cycle/tasks")
	browsertest.CheckAxe(t, ctx, "my yearly-cycle tasks")
	pages.Add(t, ctx, "my yearly-cycle tasks")

	// Nynorsk and English.
	browsertest.Open(t, ctx, url+"/leadership/goals")
	chooseLanguage(t, ctx, "nn")
	browsertest.Open(t, ctx, url+"/leadership/goals")
	browsertest.RequireText(t, ctx, "Mål og resultat 2026", "Verksemdsnivå", "Kommunedirektør (rådmann)", "Mål for året")
	browsertest.CheckAxe(t, ctx, "goals report, nynorsk")
	pages.Add(t, ctx, "goals report nynorsk")
	browsertest.Open(t, ctx, url+"/annual-cycle")
	browsertest.RequireText(t, ctx, "Kvart halvår frå mars, andre tysdag")
	browsertest.CheckAxe(t, ctx, "yearly cycle, nynorsk")
	chooseLanguage(t, ctx, "en")
	browsertest.Open(t, ctx, url+"/leadership/goals")
	browsertest.RequireText(t, ctx, "Goals and results 2026", "Service level", "Individual level", "Target for the year")
	browsertest.CheckAxe(t, ctx, "goals report, English")
	pages.Add(t, ctx, "goals report English")
	browsertest.Open(t, ctx, url+"/annual-cycle")
	browsertest.RequireText(t, ctx, "Every six months from March, the second Tuesday")
	browsertest.CheckAxe(t, ctx, "yearly cycle, English")
	pages.Add(t, ctx, "yearly cycle English")
	pages.Check(t)
}
