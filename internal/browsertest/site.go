package browsertest

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/store"
)

// The employee StartSite creates.
const (
	SiteUsername = "kari.nordmann"
	SiteName     = "Kari Nordmann"
	SitePassword = "riktig-hest-batteri-stift"
)

// Site is a running Samordna server for a browser test: a real database, the
// application, one municipality and one employee who can sign in.
type Site struct {
	URL      string // e.g. http://127.0.0.1:41234, no trailing slash
	App      *app.App
	DB       *store.DB
	Employee *samordna.Employee
	Username string
	Password string
	Server   *httptest.Server
}

// StartSite serves the handler that newHandler builds for an application
// on db (for example dbtest.Open(t, store.SQLite)), after creating the
// municipality Testvik and the employee SiteUsername with SitePassword. The
// server stops when the test ends. clock may be nil for the real clock.
func StartSite(t testing.TB, db *store.DB, clock samordna.Clock, newHandler func(*app.App) (http.Handler, error)) *Site {
	t.Helper()
	ctx := context.Background()
	a := app.New(db, clock, slog.New(slog.NewJSONHandler(io.Discard, nil)))
	err := db.Write(ctx, func(tx *store.Tx) error {
		return store.CreateMunicipality(tx, &samordna.Municipality{ID: samordna.NewID(), Name: "Testvik", Number: "9999"},
			a.Clock.Now().UTC())
	})
	if err != nil {
		t.Fatalf("site: create municipality: %v", err)
	}
	emp, err := a.CreateUser(ctx, &samordna.Actor{}, app.NewUser{Username: SiteUsername, Name: SiteName,
		Password: SitePassword, Roles: []samordna.Role{samordna.RoleCoordinatingUnit}})
	if err != nil {
		t.Fatalf("site: create user: %v", err)
	}
	h, err := newHandler(a)
	if err != nil {
		t.Fatalf("site: build the server: %v", err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &Site{URL: srv.URL, App: a, DB: db, Employee: emp, Username: SiteUsername, Password: SitePassword, Server: srv}
}
