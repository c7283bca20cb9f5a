package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/oauth2-proxy/mockoidc"

	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// TestServeSignsInWithOIDC: serve configured only from SAMORDNA_OIDC_*
// (the secret from a file) and with password sign-in off; an employee
// signs in through an OpenID provider running in the test.
func TestServeSignsInWithOIDC(t *testing.T) {
	idp, err := mockoidc.Run()
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = idp.Shutdown() }()
	secretFile := filepath.Join(t.TempDir(), "oidc-secret")
	if err := os.WriteFile(secretFile, []byte(idp.ClientSecret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	dsn := dbtest.DSN(t, store.SQLite)
	seed := &Main{Stdout: io.Discard, Stderr: io.Discard, Getenv: testEnv}
	if err := seed.Run(context.Background(), []string{"migrate", "--db", dsn}); err != nil {
		t.Fatal(err)
	}
	seedMunicipalityAndUser(t, dsn)

	ln, err := listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	ln.Close()
	env := map[string]string{"SAMORDNA_OIDC_ISSUER": idp.Issuer(), "SAMORDNA_OIDC_CLIENT_ID": idp.ClientID,
		"SAMORDNA_OIDC_CLIENT_SECRET_FILE": secretFile, "SAMORDNA_BASE_URL": base, "SAMORDNA_PASSWORD_LOGIN": "false"}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan string, 1)
	errs := make(chan error, 1)
	m := &Main{Stdout: io.Discard, Stderr: io.Discard, Ready: func(a string) { ready <- a },
		Getenv: func(k string) string {
			if v, ok := env[k]; ok {
				return v
			}
			return testEnv(k)
		}}
	go func() { errs <- m.Run(ctx, []string{"serve", "--db", dsn, "--addr", ln.Addr().String()}) }()
	select {
	case <-ready:
	case err := <-errs:
		t.Fatalf("serve: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not start")
	}

	client := &http.Client{Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(u string, cookies ...*http.Cookie) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, u, nil)
		for _, c := range cookies {
			req.AddCookie(c)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	if _, page := get(base + "/login"); !strings.Contains(page, `href="/login/oidc"`) || strings.Contains(page, `name="password"`) {
		t.Fatalf("login page with OIDC only:\n%s", page)
	}
	start, _ := get(base + "/login/oidc")
	idp.QueueUser(&mockoidc.MockUser{Subject: "s1", PreferredUsername: "kari.ke"})
	auth, _ := get(start.Header.Get("Location"))
	var binding *http.Cookie
	for _, c := range start.Cookies() {
		if c.Name == "samordna_oidc" {
			binding = c
		}
	}
	if binding == nil {
		t.Fatalf("no binding cookie from /login/oidc: %d", start.StatusCode)
	}
	back, body := get(auth.Header.Get("Location"), binding)
	var session *http.Cookie
	for _, c := range back.Cookies() {
		if c.Name == "samordna_session" {
			session = c
		}
	}
	if back.StatusCode != http.StatusSeeOther || session == nil {
		t.Fatalf("callback: %d:\n%s", back.StatusCode, body)
	}
	if resp, page := get(base+"/", session); resp.StatusCode != http.StatusOK || !strings.Contains(page, "Kari Test") {
		t.Fatalf("start page after signing in: %d", resp.StatusCode)
	}
	cancel()
	if err := <-errs; err != nil {
		t.Fatal(err)
	}
}

// TestPasswordLoginOffNeedsOIDC: switching password sign-in off without
// OpenID Connect would lock everyone out, so serve refuses to start.
func TestPasswordLoginOffNeedsOIDC(t *testing.T) {
	dsn := dbtest.DSN(t, store.SQLite)
	m := &Main{Stdout: io.Discard, Stderr: io.Discard, Getenv: testEnv}
	err := m.Run(context.Background(), []string{"serve", "--db", dsn, "--addr", "127.0.0.1:0", "--password-login=false"})
	if err == nil || !strings.Contains(err.Error(), "--oidc-issuer") {
		t.Fatalf("serve --password-login=false without an issuer: %v, want an error naming --oidc-issuer", err)
	}
}
