package web_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/browsertest"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
	"github.com/samordna/samordna/web"
)

// The administrator imports 50 employees from a semicolon CSV with a byte
// order mark in a real browser: the form, the dry run (50 to create,
// nothing saved) and the import, each page passing axe; on both databases.
func TestBrowserImportFiftyEmployees(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		site := browsertest.StartSite(t, db, nil, func(a *app.App) (http.Handler, error) { return web.New(a, web.Config{}) })
		ctx0 := context.Background()
		admin, err := site.App.CreateUser(ctx0, &samordna.Actor{}, app.NewUser{Username: "admin", Name: "Anne Admin",
			Password: site.Password, Roles: []samordna.Role{samordna.RoleAdmin}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := site.App.ApplyImport(ctx0, &samordna.Actor{Employee: admin}, app.ImportServices,
			[]byte("ekstern_id;navn;type;krets;leder\nT1;Nordby skole;skole;;\n")); err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		b.WriteString("\xEF\xBB\xBFekstern_id;navn;brukernavn;epost;tjeneste;roller\r\n")
		for i := 1; i <= 50; i++ {
			fmt.Fprintf(&b, "A%03d;Åse Ærlig Øien %d;ansatt%d;;T1;ansatt\r\n", i, i, i)
		}
		file := filepath.Join(t.TempDir(), "ansatte.csv")
		if err := os.WriteFile(file, []byte(b.String()), 0o600); err != nil {
			t.Fatal(err)
		}
		ctx := browsertest.New(t)
		browsertest.Login(t, ctx, site.URL, "admin", site.Password)
		if status := browsertest.Open(t, ctx, site.URL+"/admin/import"); status != http.StatusOK {
			t.Fatalf("GET /admin/import: %d", status)
		}
		browsertest.RequireText(t, ctx, "Import av tjenester og ansatte", "Prøv (tørrkjøring)")
		browsertest.CheckAxe(t, ctx, "import form")
		status := browsertest.Navigation(t, ctx, "dry run",
			chromedp.Click(chromedp.ID("kind-employees")),
			chromedp.SetUploadFiles(chromedp.ID("import-file"), []string{file}),
			chromedp.Click(chromedp.CSS(`input[name="step"][value="dry"] ~ button[type="submit"]`)))
		if status != http.StatusOK {
			t.Fatalf("dry run: %d", status)
		}
		browsertest.RequireText(t, ctx, "50 opprettes, 0 endres, 0 er uendret, 0 avvist.", "Åse Ærlig Øien 50")
		browsertest.CheckAxe(t, ctx, "import dry run")
		status = browsertest.Navigation(t, ctx, "import",
			chromedp.Click(chromedp.CSS(`input[name="step"][value="apply"] ~ button[type="submit"]`)))
		if status != http.StatusOK {
			t.Fatalf("import: %d", status)
		}
		browsertest.RequireText(t, ctx, "Importen er lagret.", "Dette ble importert")
		browsertest.CheckAxe(t, ctx, "import done")
		var n int
		err = db.Read(ctx0, func(tx *store.Tx) error {
			return tx.QueryRow(`SELECT COUNT(*) FROM employees WHERE external_id IS NOT NULL`).Scan(&n)
		})
		if err != nil || n != 50 {
			t.Errorf("%d imported employees: %v", n, err)
		}
	})
}
