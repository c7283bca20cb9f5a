package web_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// After a successful sign-in the browser holds a device cookie, and with it
// the employee still signs in while guesses from browsers without it have
// locked the username out (OWASP's device cookies, issue 14.3).
func TestLoginDeviceCookieKeepsEmployeeIn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		r := e.tryLogin(testUsername, testPassword)
		device := r.cookie("samordna_device")
		if r.status != http.StatusSeeOther || device == nil || device.Value == "" {
			t.Fatalf("sign-in: %d, Set-Cookie %q: want 303 with a device cookie", r.status, r.header.Values("Set-Cookie"))
		}
		if !device.HttpOnly || device.SameSite != http.SameSiteStrictMode || device.Path != "/" || device.Domain != "" ||
			device.Secure || device.MaxAge != int(app.DeviceCookieLifetime.Seconds()) {
			t.Errorf("device cookie attributes: %q", r.header.Values("Set-Cookie"))
		}
		for i := range app.MaxFailuresPerUser {
			if r := e.tryLogin(testUsername, fmt.Sprintf("gjetning-%d", i)); r.status != http.StatusUnauthorized {
				t.Fatalf("guess %d: %d, want 401", i+1, r.status)
			}
		}
		if r := e.tryLogin(testUsername, testPassword); r.status != http.StatusTooManyRequests {
			t.Fatalf("without the device cookie after %d guesses: %d, want 429", app.MaxFailuresPerUser, r.status)
		}
		r = e.tryLogin(testUsername, testPassword, device)
		if r.status != http.StatusSeeOther || r.cookie("samordna_session") == nil {
			t.Fatalf("with the device cookie: %d, want 303 with a session", r.status)
		}
		if again := r.cookie("samordna_device"); again == nil || again.Value == device.Value {
			t.Error("the sign-in did not renew the device cookie")
		}
		// A cookie with a broken signature is no device cookie.
		forged := &http.Cookie{Name: "samordna_device", Value: device.Value + "x"}
		if r := e.tryLogin(testUsername, testPassword, forged); r.status != http.StatusTooManyRequests {
			t.Errorf("with a forged device cookie: %d, want 429", r.status)
		}
	})
}

// Over TLS the device cookie is Secure and carries the __Host- prefix, and
// only that name counts.
func TestLoginDeviceCookieOverTLS(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, withTLS())
		r := e.tryLogin(testUsername, testPassword)
		device := r.cookie("__Host-samordna_device")
		if device == nil || !device.Secure || !device.HttpOnly || device.Path != "/" || r.cookie("samordna_device") != nil {
			t.Fatalf("device cookie over TLS: %q", r.header.Values("Set-Cookie"))
		}
		for i := range app.MaxFailuresPerUser {
			e.tryLogin(testUsername, fmt.Sprintf("gjetning-%d", i))
		}
		plain := &http.Cookie{Name: "samordna_device", Value: device.Value}
		if r := e.tryLogin(testUsername, testPassword, plain); r.status != http.StatusTooManyRequests {
			t.Errorf("plain-named device cookie over TLS: %d, want 429", r.status)
		}
		if r := e.tryLogin(testUsername, testPassword, device); r.status != http.StatusSeeOther {
			t.Errorf("__Host- device cookie over TLS: %d, want 303", r.status)
		}
	})
}
