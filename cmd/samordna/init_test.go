package main

import (
	"context"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

var linkLine = regexp.MustCompile(`(?m)^https://samordna\.oslo\.kommune\.no/login/link/([A-Za-z0-9_-]{43})$`)

// countTable counts a table's rows on the database at dsn.
func countTable(t *testing.T, dsn, table string) int {
	t.Helper()
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.Read(context.Background(), func(tx *store.Tx) error {
		return tx.QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n)
	}); err != nil {
		t.Fatal(err)
	}
	return n
}

// useLink signs in with a printed link's secret, as the page's button does.
func useLink(t *testing.T, env map[string]string, dsn, secret string) (*samordna.Employee, error) {
	t.Helper()
	m := &Main{Stdout: io.Discard, Stderr: io.Discard, Getenv: func(k string) string { return env[k] }}
	a, done, err := m.openApp(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	in, err := a.UseSignInLink(context.Background(), &samordna.Actor{Client: "test"}, secret, "nb")
	if err != nil {
		return nil, err
	}
	return in.Employee, nil
}

// `samordna init` on an empty database sets up the municipality and prints
// the administrator's link; a bad kommunenummer and a second init are
// refused and change nothing; afterwards users can be created and given
// links of their own.
func TestInitStartsAMunicipalityFromNothing(t *testing.T) {
	for _, d := range dbtest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			dsn := dbtest.DSN(t, d)
			env := map[string]string{envAuditKey: testKeyFile(), "SAMORDNA_BASE_URL": "https://samordna.oslo.kommune.no"}

			if _, err := runCLI(t, env, "init", "--db", dsn, "--municipality", "Oslo", "--admin", "ada"); exitCode(err) != 2 {
				t.Errorf("init without --number: %v, want a usage error", err)
			}
			out, err := runCLI(t, env, "init", "--db", dsn, "--municipality", "Oslo", "--number", "0302", "--admin", "ada")
			if err == nil || !strings.Contains(err.Error(), `"0302" is not a kommunenummer`) {
				t.Errorf("init with a bad number: %v\n%s", err, out)
			}
			if n := countTable(t, dsn, "municipalities"); n != 0 {
				t.Fatalf("a refused init left %d municipalities", n)
			}

			out, err = runCLI(t, env, "init", "--db", dsn, "--municipality", "oslo", "--number", "0301",
				"--admin", "ada.admin", "--admin-name", "Ada Admin", "--valid", "2h")
			if err != nil {
				t.Fatalf("init: %v\n%s", err, out)
			}
			m := linkLine.FindStringSubmatch(out)
			if m == nil || !strings.Contains(out, "initialised Oslo (0301) with the administrator ada.admin (Ada Admin)") ||
				!regexp.MustCompile(`until \d\d\.\d\d\.\d{4} \d\d:\d\d UTC`).MatchString(out) {
				t.Fatalf("init printed no link and expiry:\n%s", out)
			}

			out, err = runCLI(t, env, "init", "--db", dsn, "--municipality", "Bergen", "--number", "4601", "--admin", "other")
			if exitCode(err) == 0 || !strings.Contains(err.Error(), "already initialised: Oslo") {
				t.Errorf("second init: %v\n%s", err, out)
			}
			if mu, e, l := countTable(t, dsn, "municipalities"), countTable(t, dsn, "employees"), countTable(t, dsn, "signin_links"); mu != 1 || e != 1 || l != 1 {
				t.Errorf("after the second init: %d municipalities, %d employees, %d links; want 1 each", mu, e, l)
			}

			admin, err := useLink(t, env, dsn, m[1])
			if err != nil || admin.Username != "ada.admin" || !admin.HasRole(samordna.RoleAdmin) {
				t.Fatalf("the printed link: %v, %v", admin, err)
			}
			if _, err := useLink(t, env, dsn, m[1]); err != app.ErrSignInLinkGone {
				t.Errorf("the printed link a second time: %v", err)
			}

			out, err = runCLI(t, env, "user", "create", "--db", dsn, "--username", "kari", "--name", "Kari Nordmann",
				"--password-stdin=false")
			if err != nil {
				t.Fatalf("user create after init: %v\n%s", err, out)
			}
			out, err = runCLI(t, env, "user", "link", "--db", dsn, "--user", "kari")
			if err != nil {
				t.Fatalf("user link: %v\n%s", err, out)
			}
			m = linkLine.FindStringSubmatch(out)
			if m == nil {
				t.Fatalf("user link printed no link:\n%s", out)
			}
			if kari, err := useLink(t, env, dsn, m[1]); err != nil || kari.Username != "kari" {
				t.Errorf("kari's link: %v, %v", kari, err)
			}
			if _, err := runCLI(t, env, "user", "link", "--db", dsn, "--user", "nobody"); err == nil {
				t.Error("a link for an unknown user")
			}
			if out, err := runCLI(t, env, "audit", "verify", "--db", dsn); err != nil {
				t.Errorf("audit verify after init: %v\n%s", err, out)
			}
		})
	}
}
