package web_test

import (
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
	"github.com/samordna/samordna/web"
)

// loadCatalogFile reads every catalog file of a language
// (locales/<feature>.<lang>.yaml) as id → text; an id defined in two
// files is an error.
func loadCatalogFile(t *testing.T, lang string) map[string]string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("locales", "*."+lang+".yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no catalog files for %s", lang)
	}
	out := map[string]string{}
	from := map[string]string{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := yaml.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for k, v := range m {
			s, ok := v.(string)
			if !ok {
				t.Errorf("%s: %s is a %T, want a plain string", f, k, v)
			}
			if prev, dup := from[k]; dup {
				t.Errorf("%s is defined in both %s and %s", k, prev, f)
			}
			out[k], from[k] = s, f
		}
	}
	return out
}

// Every catalog has the same ids, and none is empty.
func TestCatalogsHaveTheSameKeys(t *testing.T) {
	cats := map[string]map[string]string{}
	for _, lang := range web.Languages {
		cats[lang] = loadCatalogFile(t, lang)
	}
	for _, a := range web.Languages {
		for id, text := range cats[a] {
			if strings.TrimSpace(text) == "" {
				t.Errorf("%s.yaml: %s is empty", a, id)
			}
			for _, b := range web.Languages {
				if _, ok := cats[b][id]; !ok {
					t.Errorf("%s is in %s.yaml but not in %s.yaml", id, a, b)
				}
			}
		}
	}
	// The catalogs load into the server's bundle.
	if _, err := web.LoadCatalog(); err != nil {
		t.Fatal(err)
	}
}

// templateKey matches a literal message id in a template: {{.T "id"}},
// {{$.T "id"}}.
var templateKey = regexp.MustCompile(`\bT "([^"]+)"`)

// goKey matches a quoted message id in the server's Go code, such as
// p.Flash = "logout.done".
var goKey = regexp.MustCompile(`"([a-z]+\.[a-z_]+(?:\.[a-z_]+)*)"`)

// Every message id the templates and handlers use is in every catalog.
func TestUsedKeysExist(t *testing.T) {
	cats := map[string]map[string]string{}
	namespaces := map[string]bool{}
	for _, lang := range web.Languages {
		cats[lang] = loadCatalogFile(t, lang)
		for id := range cats[lang] {
			namespaces[strings.SplitN(id, ".", 2)[0]] = true
		}
	}
	used := map[string][]string{} // id → where
	files, _ := filepath.Glob("templates/*.html")
	if len(files) == 0 {
		t.Fatal("no templates found")
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range templateKey.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = append(used[m[1]], f)
		}
	}
	// The language switch builds lang.<code> for each language.
	for _, lang := range web.Languages {
		used["lang."+lang] = append(used["lang."+lang], "templates/layout.html (printf)")
	}
	goFiles, _ := filepath.Glob("*.go")
	for _, f := range goFiles {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range goKey.FindAllStringSubmatch(string(b), -1) {
			if namespaces[strings.SplitN(m[1], ".", 2)[0]] {
				used[m[1]] = append(used[m[1]], f)
			}
		}
	}
	if len(used) < 20 {
		t.Fatalf("found only %d message ids in use: the scan is broken", len(used))
	}
	for id := range cats[web.DefaultLang] {
		if _, ok := used[id]; !ok {
			t.Logf("%s is in the catalogs but no template or handler uses it", id)
		}
	}
	ids := make([]string, 0, len(used))
	for id := range used {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		for _, lang := range web.Languages {
			if _, ok := cats[lang][id]; !ok {
				t.Errorf("%s (used in %s) is missing from %s.yaml", id, strings.Join(used[id], ", "), lang)
			}
		}
	}
}

// missingID is how the catalog shows a message id it does not have.
var missingID = regexp.MustCompile(`\[[a-z]+\.[a-z_.]+\]`)

// Every page renders in each language, says so in <html lang>, and shows
// no untranslated ids.
func TestPagesRenderInEveryLanguage(t *testing.T) {
	e := newEnv(t, dbtest.Open(t, store.SQLite))
	session := e.login()
	want := map[string]map[string]string{ // lang → page → a text it must show
		"nb": {"login": "Brukernavn", "start": "Mine oppgaver", "bye": "Du er logget ut.", "failed": "Feil brukernavn eller passord.", "404": "Siden finnes ikke"},
		"nn": {"login": "Brukarnamn", "start": "Mine oppgåver", "bye": "Du er logga ut.", "failed": "Feil brukarnamn eller passord.", "404": "Sida finst ikkje"},
		"en": {"login": "Username", "start": "My tasks", "bye": "You are signed out.", "failed": "Wrong username or password.", "404": "The page does not exist"},
	}
	for _, lang := range web.Languages {
		lc := &http.Cookie{Name: "samordna_lang", Value: lang}
		pages := map[string]*response{
			"login":  e.get("/login", lc),
			"start":  e.get("/", lc, session),
			"bye":    e.get("/login?bye=1", lc),
			"failed": e.post("/login", map[string][]string{"username": {"ingen"}, "password": {"feil-passord-123"}}, lc),
			"404":    e.get("/finnes-ikke", lc),
		}
		for name, r := range pages {
			if !strings.Contains(r.body, `<html lang="`+lang+`">`) {
				t.Errorf("%s page in %s: no <html lang=%q>", name, lang, lang)
			}
			if m := missingID.FindAllString(r.body, -1); len(m) > 0 {
				t.Errorf("%s page in %s shows untranslated ids %v", name, lang, m)
			}
			if !strings.Contains(r.body, want[lang][name]) {
				t.Errorf("%s page in %s lacks %q:\n%s", name, lang, want[lang][name], r.body)
			}
			for _, other := range web.Languages {
				if other != lang && strings.Contains(r.body, want[other][name]) {
					t.Errorf("%s page in %s shows the %s text %q", name, lang, other, want[other][name])
				}
			}
		}
	}
}

// The catalog marks a missing message instead of showing nothing.
func TestCatalogMarksMissingIDs(t *testing.T) {
	cat, err := web.LoadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	if got := cat.T("nn", "no.such_message", nil); got != "[no.such_message]" {
		t.Errorf("missing id shows %q", got)
	}
	if got := cat.T("xx", "start.tasks", nil); got != "Mine oppgaver" {
		t.Errorf("unknown language falls back to %q, want bokmål", got)
	}
	if got := cat.T("nn", "user.signed_in_as", map[string]any{"Name": "Per"}); got != "Innlogga som Per" {
		t.Errorf("template data: %q", got)
	}
}
