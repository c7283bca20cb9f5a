package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// A sign-in link: opening it only shows a button; the button signs in once
// and goes to the start page; afterwards, or once expired, the link answers
// 410 with what to do, in the reader's language.
func TestSignInLinkPage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		cli := &samordna.Actor{Client: "cli"}
		link, err := e.app.CreateSignInLink(ctx, cli, testUsername, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		path := "/login/link/" + link.Secret

		// Opening the link twice (a mail scanner, then the employee) uses nothing up.
		for range 2 {
			r := e.do(req{path: path, header: map[string]string{"Accept-Language": "nn"}})
			if r.status != http.StatusOK || !strings.Contains(r.body, `action="`+path+`"`) ||
				!strings.Contains(r.body, "Logg inn med lenkje") {
				t.Fatalf("GET link: %d\n%s", r.status, r.body)
			}
		}
		if r := e.post(path, nil); r.status != http.StatusSeeOther || r.location() != "/" {
			t.Fatalf("POST link: %d, Location %q\n%s", r.status, r.location(), r.body)
		} else if c := r.cookie(e.sessionCookieName()); c == nil || c.Value == "" {
			t.Fatal("no session cookie after the link")
		} else if start := e.get("/", c); start.status != http.StatusOK || !strings.Contains(start.body, testName) {
			t.Errorf("start page after the link: %d", start.status)
		}
		signedIn := 0
		for _, a := range e.audit() {
			if a.ActorUsername == testUsername && a.Action == "login" && a.Purpose == "signin_link" && a.Outcome == samordna.OutcomeAllowed {
				signedIn++
			}
		}
		if signedIn != 1 {
			t.Errorf("%d audited sign-ins by link, want 1", signedIn)
		}

		used := e.do(req{method: http.MethodPost, path: path, header: map[string]string{"Sec-Fetch-Site": "same-origin",
			"Origin": e.srv.URL, "Accept-Language": "en"}})
		if used.status != http.StatusGone || !strings.Contains(used.body, "already been used") || used.cookie(e.sessionCookieName()) != nil {
			t.Errorf("second POST: %d\n%s", used.status, used.body)
		}
		if r := e.do(req{path: path, header: map[string]string{"Accept-Language": "nb"}}); r.status != http.StatusGone ||
			!strings.Contains(r.body, "allerede brukt") {
			t.Errorf("GET a used link: %d\n%s", r.status, r.body)
		}

		expiring, err := e.app.CreateSignInLink(ctx, cli, testUsername, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(time.Hour)
		if r := e.post("/login/link/"+expiring.Secret, nil); r.status != http.StatusGone {
			t.Errorf("expired link: %d", r.status)
		}
		if r := e.get("/login/link/no-such-link"); r.status != http.StatusGone {
			t.Errorf("unknown link: %d", r.status)
		}
	})
}
