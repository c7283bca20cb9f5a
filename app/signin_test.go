package app_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

var cli = &samordna.Actor{RequestID: "cli", Client: "cli"}

// tableRows counts the rows of a table (a fixed name from the test).
func tableRows(t *testing.T, db *store.DB, table string) int {
	t.Helper()
	return countRows(t, db, `SELECT COUNT(*) FROM `+table)
}

// auditActions lists the audit trail as "object_type action outcome purpose".
func auditActions(t *testing.T, db *store.DB) []string {
	t.Helper()
	var out []string
	err := db.Read(context.Background(), func(tx *store.Tx) error {
		rows, err := tx.Query(`SELECT object_type, action, outcome, purpose FROM audit_events ORDER BY seq`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var o, a, oc, p string
			if err := rows.Scan(&o, &a, &oc, &p); err != nil {
				return err
			}
			out = append(out, strings.TrimSpace(o+" "+a+" "+oc+" "+p))
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func initApp(t *testing.T, db *store.DB) (*app.App, *fixedClock) {
	clock := &fixedClock{now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	return app.New(db, clock, nil), clock
}

// A municipality starts from nothing: init makes the municipality and its
// administrator, whose link signs in once; a second init changes nothing.
func TestInitMunicipality(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		a, clock := initApp(t, db)
		ctx := context.Background()
		if _, err := a.CreateUser(ctx, cli, app.NewUser{Username: "tidlig", Name: "For Tidlig"}); samordna.ErrorCode(err) != "no_municipality" {
			t.Fatalf("create user before init: %v, want no_municipality", err)
		}
		for _, bad := range []app.InitInput{
			{Name: "Oslo", Number: "0999", AdminUsername: "admin", AdminName: "Ada Admin"},
			{Name: "Bergen", Number: "0301", AdminUsername: "admin", AdminName: "Ada Admin"},
			{Name: "Oslo", Number: "0301", AdminUsername: "X", AdminName: "Ada Admin"},
			{Name: "Oslo", Number: "0301", AdminUsername: "admin", AdminName: "Ada Admin", LinkValidity: 30 * 24 * time.Hour},
		} {
			if _, err := a.InitMunicipality(ctx, cli, bad); samordna.ErrorKind(err) != samordna.KindInvalid {
				t.Errorf("init %+v: %v, want refused as invalid", bad, err)
			}
		}
		if n := tableRows(t, db, "municipalities") + tableRows(t, db, "employees"); n != 0 {
			t.Fatalf("refused inits left %d rows", n)
		}

		got, err := a.InitMunicipality(ctx, cli, app.InitInput{Name: "oslo", Number: "0301",
			AdminUsername: "Ada.Admin", AdminName: "Ada Admin", LinkValidity: 2 * time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		if got.Municipality.Name != "Oslo" || got.Municipality.Number != "0301" {
			t.Errorf("municipality %+v, want Oslo 0301 as on the list", got.Municipality)
		}
		if e := got.Link.Employee; e.Username != "ada.admin" || !e.HasRole(samordna.RoleAdmin) || e.Name != "Ada Admin" {
			t.Errorf("administrator %+v", e)
		}
		if want := clock.Now().Add(2 * time.Hour); !got.Link.ExpiresAt.Equal(want) {
			t.Errorf("link expires %v, want %v", got.Link.ExpiresAt, want)
		}

		_, err = a.InitMunicipality(ctx, cli, app.InitInput{Name: "Bergen", Number: "4601",
			AdminUsername: "other", AdminName: "Other Admin"})
		if samordna.ErrorCode(err) != "already_initialised" || !strings.Contains(err.Error(), "already initialised: Oslo") {
			t.Fatalf("second init: %v, want already initialised: Oslo", err)
		}
		if m, e, l := tableRows(t, db, "municipalities"), tableRows(t, db, "employees"), tableRows(t, db, "signin_links"); m != 1 || e != 1 || l != 1 {
			t.Errorf("after the refused second init: %d municipalities, %d employees, %d links; want 1, 1, 1", m, e, l)
		}

		// The link signs in once.
		in, err := a.UseSignInLink(ctx, &samordna.Actor{RequestID: "r1", Client: "127.0.0.1"}, got.Link.Secret, "nb")
		if err != nil {
			t.Fatal(err)
		}
		if emp, _, err := a.SessionEmployee(ctx, in.Secret); err != nil || emp.Username != "ada.admin" {
			t.Fatalf("session after the link: %v, %v", emp, err)
		}
		if in.Device == "" {
			t.Error("no device cookie after link sign-in")
		}
		if _, err := a.UseSignInLink(ctx, &samordna.Actor{}, got.Link.Secret, "nb"); !errors.Is(err, app.ErrSignInLinkGone) {
			t.Errorf("second use of the link: %v, want gone", err)
		}
		if _, err := a.UseSignInLink(ctx, &samordna.Actor{}, "not-a-link", "nb"); !errors.Is(err, app.ErrSignInLinkGone) {
			t.Errorf("unknown link: %v, want gone", err)
		}

		// After init the municipality takes new users.
		if _, err := a.CreateUser(ctx, cli, app.NewUser{Username: "kari", Name: "Kari Nordmann"}); err != nil {
			t.Fatalf("create user after init: %v", err)
		}

		want := []string{
			"municipality create allowed",
			"employee create allowed",
			"employee create_signin_link allowed",
			"session login allowed signin_link",
			"session login denied signin_link_used",
			"session login denied signin_link_unknown",
			"employee create allowed",
		}
		if got := auditActions(t, db); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("audit trail:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
}

// A link for new staff: expired links and disabled employees' links do not
// sign in, and only the administrator (or the command line) makes links.
func TestSignInLinks(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		a, clock := initApp(t, db)
		ctx := context.Background()
		got, err := a.InitMunicipality(ctx, cli, app.InitInput{Name: "Sola", Number: "1124", AdminUsername: "admin", AdminName: "Ada Admin"})
		if err != nil {
			t.Fatal(err)
		}
		if want := clock.Now().Add(app.DefaultSignInLinkValidity); !got.Link.ExpiresAt.Equal(want) {
			t.Errorf("default expiry %v, want %v", got.Link.ExpiresAt, want)
		}
		kari, err := a.CreateUser(ctx, cli, app.NewUser{Username: "kari", Name: "Kari Nordmann"})
		if err != nil {
			t.Fatal(err)
		}
		admin := &samordna.Actor{Employee: got.Link.Employee}
		worker := &samordna.Actor{Employee: kari}

		if _, err := a.CreateSignInLink(ctx, worker, "admin", time.Hour); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("an employee makes a link: %v, want not found", err)
		}
		if _, err := a.CreateSignInLink(ctx, admin, "nobody", time.Hour); samordna.ErrorCode(err) != "unknown_user" {
			t.Errorf("link for an unknown user: %v", err)
		}

		expiring, err := a.CreateSignInLink(ctx, admin, "kari", time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		clock.Advance(time.Hour)
		if _, err := a.UseSignInLink(ctx, &samordna.Actor{}, expiring.Secret, "nb"); !errors.Is(err, app.ErrSignInLinkGone) {
			t.Errorf("expired link: %v, want gone", err)
		}

		fresh, err := a.CreateSignInLink(ctx, cli, "kari", 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.DisableUser(ctx, cli, "kari", ""); err != nil {
			t.Fatal(err)
		}
		if _, err := a.UseSignInLink(ctx, &samordna.Actor{}, fresh.Secret, "nb"); !errors.Is(err, app.ErrSignInLinkGone) {
			t.Errorf("disabled employee's link: %v, want gone", err)
		}
		if _, err := a.CreateSignInLink(ctx, cli, "kari", 0); samordna.ErrorCode(err) != "user_disabled" {
			t.Errorf("link for a disabled user: %v, want user_disabled", err)
		}
		if err := a.EnableUser(ctx, cli, "kari"); err != nil {
			t.Fatal(err)
		}
		if in, err := a.UseSignInLink(ctx, &samordna.Actor{}, fresh.Secret, "nn"); err != nil || in.Employee.ID != kari.ID {
			t.Errorf("link after enabling again: %v, %v", in, err)
		}

		denied := loginOutcomes(t, db)
		if denied["signin_link_expired"] != 1 || denied["signin_link_disabled"] != 1 {
			t.Errorf("denied sign-ins in the audit trail: %v", denied)
		}
		if n := strings.Count(strings.Join(auditActions(t, db), "\n"), "employee create_signin_link denied"); n != 1 {
			t.Errorf("%d denied link creations audited, want 1", n)
		}
	})
}
