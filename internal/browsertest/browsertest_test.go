package browsertest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// fatalTB records Fatalf and stops the goroutine, like testing.T does.
type fatalTB struct {
	testing.TB
	mu  sync.Mutex
	msg string
}

func (f *fatalTB) Helper() {}
func (f *fatalTB) Fatalf(format string, args ...any) {
	f.mu.Lock()
	f.msg = fmt.Sprintf(format, args...)
	f.mu.Unlock()
	runtime.Goexit()
}

func runFatal(f func(tb testing.TB)) string {
	tb := &fatalTB{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(tb)
	}()
	<-done
	return tb.msg
}

// A missing Chromium fails the test with a clear message; it never skips.
func TestMissingChromiumFails(t *testing.T) {
	t.Setenv(EnvChromium, "/nonexistent/chromium")
	msg := runFatal(func(tb testing.TB) { New(tb) })
	if !strings.Contains(msg, "/nonexistent/chromium") || !strings.Contains(msg, EnvChromium) {
		t.Fatalf("want a failure naming the missing Chromium and %s, got %q", EnvChromium, msg)
	}
}

// A missing axe-core fails the test too.
func TestMissingAxeFails(t *testing.T) {
	t.Setenv(EnvAxe, "/nonexistent/axe.min.js")
	msg := runFatal(func(tb testing.TB) { New(tb) })
	if !strings.Contains(msg, "/nonexistent/axe.min.js") {
		t.Fatalf("want a failure naming the missing axe-core, got %q", msg)
	}
	t.Setenv(EnvAxe, "")
	msg = runFatal(func(tb testing.TB) { New(tb) })
	if !strings.Contains(msg, EnvAxe+" is not set") {
		t.Fatalf("want a failure saying %s is not set, got %q", EnvAxe, msg)
	}
}

const badPage = `<!DOCTYPE html>
<html><head><title>bad</title><style>.pale { color: #bbb; background: #fff; }</style></head><body>
<main><h1>Bad page</h1>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<form><input type="text" name="q"><button type="submit"></button></form>
<p class="pale">Low contrast text</p>
</main></body></html>`

const goodPage = `<!DOCTYPE html>
<html lang="nb"><head><title>Bra side</title></head><body>
<main><h1>Bra side</h1>
<form><label for="q">Søk</label> <input id="q" type="text" name="q"> <button type="submit">Søk</button></form>
</main></body></html>`

// CheckAxe finds violations on a bad page (so the check can fail) and none
// on a good one.
func TestBrowserAxeHarness(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if r.URL.Path == "/bad" {
			fmt.Fprint(w, badPage)
			return
		}
		fmt.Fprint(w, goodPage)
	}))
	defer srv.Close()
	ctx := New(t)

	Open(t, ctx, srv.URL+"/bad")
	res := RunAxe(t, ctx)
	found := map[string]bool{}
	for _, v := range res.Violations {
		found[v.ID] = true
		if len(v.Nodes) == 0 || len(v.Nodes[0].Target) == 0 || v.Help == "" {
			t.Errorf("violation %s lacks help or targets: %+v", v.ID, v)
		}
	}
	for _, id := range []string{"html-has-lang", "image-alt", "label", "button-name", "color-contrast"} {
		if !found[id] {
			t.Errorf("axe did not report %s on the bad page; it reported %v", id, found)
		}
	}

	// The same check, through a recording TB: it must fail and list the ids.
	rec := &recordTB{TB: t}
	CheckAxe(rec, ctx, "bad page")
	if !rec.failed || !strings.Contains(rec.msg, "image-alt") || !strings.Contains(rec.msg, "img") {
		t.Errorf("CheckAxe on the bad page: failed=%v, message:\n%s", rec.failed, rec.msg)
	}

	Open(t, ctx, srv.URL+"/good")
	CheckAxe(t, ctx, "good page")
	if got := Lang(t, ctx); got != "nb" {
		t.Errorf("lang = %q", got)
	}
	if !Visible(t, ctx, "button") || Visible(t, ctx, "#nothing") {
		t.Error("Visible is wrong")
	}
	if r := ContrastRatio(t, ctx, "h1"); r < 15 {
		t.Errorf("contrast of black on white = %.2f", r)
	}

	// A new tab shares no cookies with the first.
	Eval[string](t, ctx, `document.cookie = "probe=1; path=/"`)
	tab := NewTab(t, ctx)
	Open(t, tab, srv.URL+"/good")
	if c := Eval[string](t, tab, `document.cookie`); c != "" {
		t.Errorf("the new tab sees the first tab's cookies: %q", c)
	}
	if c := Eval[string](t, ctx, `document.cookie`); c != "probe=1" {
		t.Errorf("the first tab lost its cookie: %q", c)
	}
}

// recordTB records Error instead of failing the real test.
type recordTB struct {
	testing.TB
	failed bool
	msg    string
}

func (r *recordTB) Error(args ...any)   { r.failed, r.msg = true, fmt.Sprint(args...) }
func (r *recordTB) Logf(string, ...any) {}
