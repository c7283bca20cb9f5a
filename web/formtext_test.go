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
	"github.com/samordna/samordna/web"
)

// The concern form refuses a name of 10,000 characters and a NUL byte in
// the description with 400 and the message next to the field (the page
// used to store both on SQLite and fail with 500 on PostgreSQL), shows the
// text again without the NUL, and writes nothing; on both databases.
func TestConcernFormShowsTextErrorsNextToTheField(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		c := e.employeeLogin()
		fnr := samordna.SyntheticIDNumber(time.Date(2017, 2, 3, 0, 0, 0, 0, time.UTC), 9)
		form := func(name, description string) url.Values {
			return url.Values{"situation": {"unclear_concern"}, "anonymous": {"no"}, "fnr": {fnr}, "name": {name},
				"description": {description}}
		}
		cases, persons, audits := e.count("cases"), e.count("persons"), e.count("audit_events")

		r := e.post("/concerns", form(strings.Repeat("ø", 10000), "Bekymring for eleven."), c)
		if r.status != http.StatusBadRequest ||
			!strings.Contains(r.body, `<p class="ds-validation-message field-error" data-field="validation" id="name-error">Teksten er for lang: feltet tar høyst 200 tegn.</p>`) ||
			!regexp.MustCompile(`<input class="ds-input" id="name" name="name"[^>]*maxlength="200" aria-invalid="true" aria-describedby="name-error">`).MatchString(r.body) ||
			!strings.Contains(r.body, `<a href="#name">`) {
			t.Fatalf("a name of 10,000 characters: %d\n%s", r.status, r.body)
		}

		r = e.post("/concerns", form("Liv Test", "Bekymring\x00 for eleven."), c)
		if r.status != http.StatusBadRequest || !strings.Contains(r.body, `id="description-error"`) ||
			!strings.Contains(r.body, ">Bekymring for eleven.</textarea>") {
			t.Fatalf("a NUL in the description: %d\n%s", r.status, r.body)
		}
		if e.count("cases") != cases || e.count("persons") != persons || e.count("audit_events") != audits {
			t.Fatal("a refused form wrote rows")
		}

		r = e.post("/concerns", form(strings.Repeat("ø", 200), "Bekymring\tfor eleven.\r\nNy linje."), c)
		if r.status != http.StatusSeeOther {
			t.Fatalf("a name of 200 characters and a description with a tab and a line break: %d\n%s", r.status, r.body)
		}
	})
}

// readsNoText are the page routes that read no text from their form (an
// action on the object in the path, or their own checks: login compares
// the password and stores nothing; the language switch takes a listed
// value; uploads are multipart).
var readsNoText = map[string]bool{
	"POST /login": true, "POST /logout": true, "POST /lang": true, "POST /login/link/{secret}": true,
	"POST /consents/{id}/withdraw": true, "POST /cases/{id}/blocks/{blockId}/lift": true,
	"POST /cases/{id}/coordinator/accept": true, "POST /plans/{id}/accept": true,
	"POST /meetings/{id}/invitation": true, "POST /meetings/{id}/cancel": true,
	"POST /reports/{id}/receive": true, "POST /notifications/{id}/read": true,
	"POST /cases/{id}/consent-forms": true, "POST /cases/{id}/group/members/{member}/remove": true,
	"POST /annual-cycle/feed": true, "POST /annual-cycle/tasks/{id}/done": true,
}

// Every page form refuses a text no field may hold (here a NUL, in any
// field) with 400 and a page that says what was wrong, before anything is
// looked up or written; on both databases. The routes come from the
// server's own list, so a new form is covered without being listed here.
func TestEveryFormRefusesControlCharacters(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		c := e.login()
		s, err := web.New(e.app, web.Config{})
		if err != nil {
			t.Fatal(err)
		}
		audits := e.count("audit_events")
		var checked int
		post := func(rt web.Route) *response {
			path := regexp.MustCompile(`\{[a-zA-Z]+\}`).ReplaceAllString(rt.Path, "aaaaaaaaaaaaaaaaaaaa")
			return e.post(path, url.Values{"reason": {"Ola\x00Nordmann"}}, c)
		}
		for _, rt := range s.Routes() {
			if rt.Method != http.MethodPost || readsNoText[rt.Method+" "+rt.Path] {
				continue
			}
			checked++
			if r := post(rt); r.status != http.StatusBadRequest || !strings.Contains(r.body, "inneholder kontrolltegn, som ikke kan lagres") {
				t.Errorf("%s %s with a NUL: %d\n%s", rt.Method, rt.Path, r.status, r.body)
			}
		}
		if checked < 20 {
			t.Fatalf("only %d forms were checked", checked)
		}
		if n := e.count("audit_events"); n != audits {
			t.Fatalf("refused forms wrote %d audit rows", n-audits)
		}
		// The others ignore the text, and never fail with 500 (made-up ids
		// may write a refusal to the audit trail, so they come last; logout
		// would end the session).
		for _, rt := range s.Routes() {
			if rt.Method == http.MethodPost && readsNoText[rt.Method+" "+rt.Path] && rt.Path != "/logout" {
				if r := post(rt); r.status == http.StatusInternalServerError {
					t.Errorf("%s: 500", rt.Path)
				}
			}
		}
	})
}

// The access-log page shows every entry of a long log, a page at a time,
// newest first: following "Eldre oppføringer" from the first page reaches
// each entry once and ends with no link. A cursor that is not one is
// refused with 400.
func TestAccessLogPageReachesEveryEntry(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		c := e.login()
		id := spineCase(t, e)
		base := "/cases/" + id
		for range 120 {
			if r := e.get(base, c); r.status != http.StatusOK {
				t.Fatalf("case page: %d", r.status)
			}
		}
		var want int
		if err := db.Read(context.Background(), func(tx *store.Tx) error {
			return tx.QueryRow(`SELECT COUNT(*) FROM audit_events WHERE case_id = $1`, id).Scan(&want)
		}); err != nil {
			t.Fatal(err)
		}
		older := regexp.MustCompile(`<a href="(/cases/[a-z0-9]+/access-log\?cursor=[0-9]+)">Eldre oppføringer</a>`)
		next, rows, pages := base+"/access-log", 0, 0
		for next != "" {
			r := e.get(next, c)
			if r.status != http.StatusOK {
				t.Fatalf("%s: %d", next, r.status)
			}
			pages++
			body := r.body[strings.Index(r.body, "<tbody>"):]
			rows += strings.Count(body, "<tr>")
			next = ""
			if m := older.FindStringSubmatch(r.body); m != nil {
				next = m[1]
			}
		}
		if rows != want || pages != (want+49)/50 || pages < 3 {
			t.Fatalf("%d entries on %d pages, want %d on pages of 50", rows, pages, want)
		}
		if r := e.get(base+"/access-log?cursor=abc", c); r.status != http.StatusBadRequest {
			t.Errorf("a bad cursor: %d", r.status)
		}
	})
}
