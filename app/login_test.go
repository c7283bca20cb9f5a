package app_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// fixedClock is a clock a test sets by hand.
type fixedClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fixedClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fixedClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

const (
	loginUser     = "kari.nordmann"
	loginPassword = "riktig-hest-batteri-stift"
)

// loginApp returns an App on db with one municipality and the employee
// loginUser.
func loginApp(t *testing.T, db *store.DB) (*app.App, *fixedClock) {
	t.Helper()
	clock := &fixedClock{now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	a := app.New(db, clock, nil)
	ctx := context.Background()
	err := db.Write(ctx, func(tx *store.Tx) error {
		return store.CreateMunicipality(tx, &samordna.Municipality{ID: samordna.NewID(), Name: "Testvik", Number: "9996"}, clock.Now())
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.CreateUser(ctx, &samordna.Actor{}, app.NewUser{Username: loginUser, Name: "Kari Nordmann",
		Password: loginPassword, Roles: []samordna.Role{samordna.RoleCoordinatingUnit}}); err != nil {
		t.Fatal(err)
	}
	return a, clock
}

// loginOutcomes counts the audit rows of refused sign-ins by purpose.
func loginOutcomes(t *testing.T, db *store.DB) map[string]int {
	t.Helper()
	out := map[string]int{}
	err := db.Read(context.Background(), func(tx *store.Tx) error {
		rows, err := tx.Query(`SELECT purpose FROM audit_events WHERE action = 'login' AND outcome = $1`, samordna.OutcomeDenied)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var p string
			if err := rows.Scan(&p); err != nil {
				return err
			}
			out[p]++
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Parallel guesses cannot pass the limit: each attempt reserves its place
// before the password is checked, so 60 guesses at once get at most
// MaxFailuresPerUser password checks, and every attempt is audited.
func TestLoginParallelGuessesStayWithinLimit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		a, _ := loginApp(t, db)
		checks := app.CountPasswordChecks(a)
		const guesses = 60
		var wg sync.WaitGroup
		errs := make([]error, guesses)
		for i := range guesses {
			wg.Go(func() {
				_, errs[i] = a.Login(context.Background(), &samordna.Actor{Client: "203.0.113.7"}, loginUser,
					fmt.Sprintf("gjetning-nummer-%d", i), "nb", "")
			})
		}
		wg.Wait()
		var bad, limited int
		for _, err := range errs {
			switch {
			case errors.Is(err, app.ErrBadCredentials):
				bad++
			case errors.Is(err, app.ErrRateLimited):
				limited++
			default:
				t.Fatalf("unexpected result: %v", err)
			}
		}
		if n := checks.Load(); n > app.MaxFailuresPerUser || int(n) != bad {
			t.Errorf("%d password checks for %d parallel guesses (%d refused as wrong), want at most %d",
				n, guesses, bad, app.MaxFailuresPerUser)
		}
		if bad+limited != guesses || limited < guesses-app.MaxFailuresPerUser {
			t.Errorf("%d wrong, %d rate limited of %d guesses", bad, limited, guesses)
		}
		if got := loginOutcomes(t, db); got["bad_credentials"] != bad || got["rate_limited"] != limited {
			t.Errorf("audit rows %v, want %d bad_credentials and %d rate_limited", got, bad, limited)
		}
		// The right password is refused too now, without a check.
		before := checks.Load()
		if _, err := a.Login(context.Background(), &samordna.Actor{Client: "203.0.113.7"}, loginUser, loginPassword, "nb", ""); !errors.Is(err, app.ErrRateLimited) {
			t.Errorf("right password after the guesses: %v, want ErrRateLimited", err)
		}
		if checks.Load() != before {
			t.Error("a rate-limited attempt checked the password")
		}
	})
}

// With the device cookie of an earlier sign-in the employee still signs in
// while an attacker elsewhere has locked the username out; the cookie's own
// failures are counted apart, and a forged or foreign cookie counts for
// nothing.
func TestLoginDeviceCookie(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		a, clock := loginApp(t, db)
		ctx := context.Background()
		office := &samordna.Actor{Client: "198.51.100.10"}
		first, err := a.Login(ctx, office, loginUser, loginPassword, "nb", "")
		if err != nil {
			t.Fatal(err)
		}
		device := first.Device
		if device == "" {
			t.Fatal("no device cookie after a successful sign-in")
		}
		// An attacker elsewhere locks the username out for browsers without the cookie.
		attacker := &samordna.Actor{Client: "203.0.113.66"}
		for i := range app.MaxFailuresPerUser {
			if _, err := a.Login(ctx, attacker, loginUser, fmt.Sprintf("gjetning-%d", i), "nb", ""); !errors.Is(err, app.ErrBadCredentials) {
				t.Fatalf("guess %d: %v", i+1, err)
			}
		}
		if _, err := a.Login(ctx, attacker, loginUser, loginPassword, "nb", ""); !errors.Is(err, app.ErrRateLimited) {
			t.Fatalf("attacker after %d guesses: %v, want ErrRateLimited", app.MaxFailuresPerUser, err)
		}
		// So is the employee in a browser without the cookie...
		if _, err := a.Login(ctx, office, loginUser, loginPassword, "nb", ""); !errors.Is(err, app.ErrRateLimited) {
			t.Fatalf("without the device cookie: %v, want ErrRateLimited", err)
		}
		// ...but not with it: a typo counts against the cookie only.
		if _, err := a.Login(ctx, office, loginUser, "skrivefeil-i-passord", "nb", device); !errors.Is(err, app.ErrBadCredentials) {
			t.Fatalf("typo with the device cookie: %v, want ErrBadCredentials", err)
		}
		in, err := a.Login(ctx, office, loginUser, loginPassword, "nb", device)
		if err != nil {
			t.Fatalf("with the device cookie: %v", err)
		}
		if in.Device == "" || in.Device == device {
			t.Error("a successful sign-in must issue a new device cookie")
		}
		// A tampered cookie, or one issued to someone else, is no cookie.
		forged := device[:len(device)-2] + "xx"
		if _, err := a.Login(ctx, office, loginUser, loginPassword, "nb", forged); !errors.Is(err, app.ErrRateLimited) {
			t.Errorf("forged device cookie: %v, want ErrRateLimited", err)
		}
		other, err := a.CreateUser(ctx, &samordna.Actor{}, app.NewUser{Username: "ola.nordmann", Name: "Ola Nordmann",
			Password: "et-annet-langt-passord", Roles: []samordna.Role{samordna.RoleEmployee}})
		if err != nil {
			t.Fatal(err)
		}
		olas, err := a.Login(ctx, office, other.Username, "et-annet-langt-passord", "nb", "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Login(ctx, office, loginUser, loginPassword, "nb", olas.Device); !errors.Is(err, app.ErrRateLimited) {
			t.Errorf("another employee's device cookie: %v, want ErrRateLimited", err)
		}
		// The cookie has its own limit: guesses with a stolen cookie lock that cookie.
		for i := range app.MaxFailuresPerDevice {
			if _, err := a.Login(ctx, attacker, loginUser, fmt.Sprintf("med-stjålet-%d", i), "nb", in.Device); !errors.Is(err, app.ErrBadCredentials) {
				t.Fatalf("guess %d with the cookie: %v", i+1, err)
			}
		}
		if _, err := a.Login(ctx, office, loginUser, loginPassword, "nb", in.Device); !errors.Is(err, app.ErrRateLimited) {
			t.Errorf("after %d failures with one cookie: %v, want ErrRateLimited", app.MaxFailuresPerDevice, err)
		}
		// An expired cookie is no cookie; once the window has passed, everyone may try again.
		clock.Advance(app.LoginWindow + time.Second)
		if _, err := a.Login(ctx, office, loginUser, loginPassword, "nb", ""); err != nil {
			t.Errorf("after the window: %v", err)
		}
		clock.Advance(app.DeviceCookieLifetime)
		for i := range app.MaxFailuresPerUser {
			if _, err := a.Login(ctx, attacker, loginUser, fmt.Sprintf("senere-%d", i), "nb", ""); !errors.Is(err, app.ErrBadCredentials) {
				t.Fatalf("later guess %d: %v", i+1, err)
			}
		}
		if _, err := a.Login(ctx, office, loginUser, loginPassword, "nb", in.Device); !errors.Is(err, app.ErrRateLimited) {
			t.Errorf("expired device cookie: %v, want ErrRateLimited", err)
		}
	})
}

// A successful sign-in gives its place back, and expired buckets are
// removed: the table holds about the buckets in use.
func TestLoginThrottleBookkeeping(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		a, clock := loginApp(t, db)
		ctx := context.Background()
		actor := &samordna.Actor{Client: "198.51.100.10"}
		for range app.MaxFailuresPerUser + 2 {
			if _, err := a.Login(ctx, actor, loginUser, loginPassword, "nb", ""); err != nil {
				t.Fatalf("successful sign-ins must not use up the limit: %v", err)
			}
		}
		for i := range 6 {
			_, _ = a.Login(ctx, &samordna.Actor{Client: fmt.Sprintf("203.0.113.%d", i)}, fmt.Sprintf("ukjent%d", i), "feil-passord-123", "nb", "")
		}
		count := func() int {
			var n int
			if err := db.Read(ctx, func(tx *store.Tx) error {
				return tx.QueryRow(`SELECT COUNT(*) FROM login_throttle`).Scan(&n)
			}); err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := count(); n != 14 {
			t.Fatalf("%d buckets, want 14 (user and address of each attempt)", n)
		}
		clock.Advance(app.LoginWindow + time.Second)
		for range 5 {
			if _, err := a.Login(ctx, actor, loginUser, loginPassword, "nb", ""); err != nil {
				t.Fatal(err)
			}
		}
		if n := count(); n != 4 {
			t.Errorf("%d buckets after five attempts past the window, want 4 (the two in use and two not yet removed)", n)
		}
	})
}
