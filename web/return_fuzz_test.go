package web

import (
	"net/url"
	"strings"
	"testing"
)

// siteURL is the page a return address is resolved against in the tests.
var siteURL, _ = url.Parse("https://samordna.testvik.kommune.no/login?return=x")

// browserResolve resolves a Location value against base the way a browser
// does (the WHATWG URL parser) where that differs from Go's parser: it drops
// leading and trailing control characters and spaces, removes every tab and
// newline, and reads a backslash as a slash.
func browserResolve(base *url.URL, location string) (*url.URL, error) {
	s := strings.TrimFunc(location, func(r rune) bool { return r <= ' ' })
	s = strings.NewReplacer("\t", "", "\n", "", "\r", "", `\`, "/").Replace(s)
	ref, err := url.Parse(s)
	if err != nil {
		return nil, err
	}
	return base.ResolveReference(ref), nil
}

// checkSameOrigin fails unless got is a path that a browser resolves to this
// site.
func checkSameOrigin(t *testing.T, in, got string) {
	t.Helper()
	if !strings.HasPrefix(got, "/") || strings.HasPrefix(got, "//") {
		t.Fatalf("safeReturn(%q) = %q: not a path", in, got)
	}
	u, err := browserResolve(siteURL, got)
	if err != nil {
		t.Fatalf("safeReturn(%q) = %q, which a browser cannot resolve: %v", in, got, err)
	}
	if u.Scheme != siteURL.Scheme || u.Host != siteURL.Host || u.User != nil {
		t.Fatalf("safeReturn(%q) = %q leads a browser to %s", in, got, u)
	}
}

func TestSafeReturn(t *testing.T) {
	for in, want := range map[string]string{
		"/":                              "/",
		"/cases?page=2":                  "/cases?page=2",
		"/cases/abc/routine#task-1":      "/cases/abc/routine#task-1",
		"/search?q=%2F%2Fx":              "/search?q=%2F%2Fx",
		"/%2F%2Fevil.example":            "/%2F%2Fevil.example", // a path here: browsers keep %2F encoded
		"":                               "/",
		"cases":                          "/",
		"//evil.example/x":               "/",
		"/\\evil.example":                "/",
		"\\\\evil.example":               "/",
		"/\t/evil.example":               "/",
		"/\n/evil.example":               "/",
		"/\r\n/evil.example":             "/",
		"\t//evil.example":               "/",
		" //evil.example":                "/",
		"/ /evil.example":                "/",
		"/\x00/evil.example":             "/",
		"/\x7f/evil.example":             "/",
		"https://evil.example":           "/",
		"https:/evil.example":            "/",
		"javascript:alert(1)":            "/",
		"/%zz":                           "/",
		"/\\/evil.example":               "/",
		"//@evil.example":                "/",
		"/\u00a0/evil.example":           "/\u00a0/evil.example", // not stripped by browsers: a path here
		"/cases\t?return=//evil.example": "/",
	} {
		got := safeReturn(in)
		if got != want {
			t.Errorf("safeReturn(%q) = %q, want %q", in, got, want)
		}
		checkSameOrigin(t, in, got)
	}
}

// FuzzSafeReturn checks that whatever return address comes in, the result
// is a path that a browser resolves to this site, and that a path kept is
// kept unchanged.
func FuzzSafeReturn(f *testing.F) {
	for _, seed := range []string{
		"/", "/cases?page=2", "//evil.example", "/\\evil.example", "/\t/evil.example",
		"/\r\n/evil.example", "https://evil.example", "javascript:alert(1)", "/%2F%2Fevil.example",
		"/%09/evil.example", "\\/evil.example", " /x", "/x#//evil.example", "/.//evil.example",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got := safeReturn(in)
		if got != "/" && got != in {
			t.Fatalf("safeReturn(%q) = %q: a kept path must be kept as it is", in, got)
		}
		checkSameOrigin(t, in, got)
	})
}
