package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// An empty concern form shows every error at once (issue 13, point 8):
// the situation, whom it is about and the description, each under its
// field (aria-describedby) and in one error summary at the top that takes
// focus, and nothing is written. A wrong fødselsnummer is named together
// with a missing description. On both databases.
func TestConcernFormShowsAllErrorsAtOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.app.AllowSynthetic = true
		if err := e.app.GrantUserRole(context.Background(), nil, testUsername, samordna.RoleEmployee); err != nil {
			t.Fatal(err)
		}
		c := e.login()
		cases, audits := e.count("cases"), e.count("audit_events")

		r := e.post("/concerns", url.Values{"anonymous": {"no"}}, c)
		if r.status != http.StatusBadRequest {
			t.Fatalf("empty form: %d", r.status)
		}
		summary := regexp.MustCompile(`(?s)<div class="ds-error-summary error-summary" id="error-summary" role="region" tabindex="-1" autofocus[^>]*>.*?</div>`).FindString(r.body)
		if summary == "" {
			t.Fatalf("no error summary that takes focus:\n%s", r.body)
		}
		for _, field := range []string{"situation-unclear_concern", "fnr", "description"} {
			if !strings.Contains(summary, `<a href="#`+field+`">`) {
				t.Errorf("the summary does not link to %s:\n%s", field, summary)
			}
			if !strings.Contains(r.body, `id="`+field+`-error"`) {
				t.Errorf("no message next to %s", field)
			}
		}
		if !strings.Contains(r.body, `aria-invalid="true" aria-describedby="fnr-error"`) ||
			!regexp.MustCompile(`aria-describedby="description-hint description-error" aria-invalid="true"`).MatchString(r.body) {
			t.Errorf("the fields are not marked invalid and tied to their messages:\n%s", r.body)
		}

		r = e.post("/concerns", url.Values{"situation": {"unclear_concern"}, "anonymous": {"no"},
			"fnr": {"12345678901"}, "name": {"Liv Test"}, "description": {" "}}, c)
		if r.status != http.StatusBadRequest || !strings.Contains(r.body, `<a href="#fnr">`) ||
			!strings.Contains(r.body, `<a href="#description">`) || strings.Contains(r.body, `<a href="#situation-unclear_concern">`) {
			t.Errorf("a wrong number and no description: %d\n%s", r.status, r.body)
		}
		if !strings.Contains(r.body, `value="12345678901"`) || !strings.Contains(r.body, `value="Liv Test"`) {
			t.Error("the form does not keep what was typed")
		}
		if e.count("cases") != cases || e.count("audit_events") != audits {
			t.Error("a refused form wrote something")
		}

		// A correct form still registers the concern.
		fnr := samordna.SyntheticIDNumber(time.Date(2017, 2, 3, 0, 0, 0, 0, time.UTC), 9)
		r = e.post("/concerns", url.Values{"situation": {"unclear_concern"}, "anonymous": {"no"},
			"fnr": {fnr}, "name": {"Liv Test"}, "description": {"Bekymring for eleven."}}, c)
		if r.status != http.StatusSeeOther {
			t.Fatalf("a correct form: %d\n%s", r.status, r.body)
		}
	})
}
