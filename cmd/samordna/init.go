package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/samordna/samordna/app"
)

const initUsage = `Usage: samordna init --municipality NAME --number NNNN --admin USERNAME [flags]

Sets up an empty database for a municipality: the municipality (its
kommunenummer and name are checked against Norway's list of municipalities,
SSB 2024), its first administrator (role admin, no password) and a one-time
sign-in link for them, all or nothing. It prints the link and when it
expires; the administrator opens it, presses the button and is signed in.
On a database that already has a municipality it refuses and changes
nothing.

New staff: "samordna user create" (without a password, --password-stdin=false),
then "samordna user link" prints a link to give them.`

func (m *Main) runInit(ctx context.Context, args []string) error {
	fs := m.newFlagSet("init", initUsage)
	dsn := m.dbFlag(fs)
	name := fs.String("municipality", "", `the municipality's name, e.g. "Oslo"`)
	number := fs.String("number", "", "its four-digit kommunenummer, e.g. 0301")
	admin := fs.String("admin", "", "the first administrator's username")
	adminName := fs.String("admin-name", "Administrator", "the first administrator's full name")
	baseURL := m.baseURLFlag(fs)
	valid := fs.Duration("valid", app.DefaultSignInLinkValidity, "how long the sign-in link works (at most 168h)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *name == "" || *number == "" || *admin == "" {
		return usageError("init: --municipality, --number and --admin are required")
	}
	a, done, err := m.openApp(ctx, *dsn)
	if err != nil {
		return err
	}
	defer done()
	got, err := a.InitMunicipality(ctx, cliActor(), app.InitInput{Name: *name, Number: *number,
		AdminUsername: *admin, AdminName: *adminName, LinkValidity: *valid})
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "initialised %s (%s) with the administrator %s (%s)\n", got.Municipality.Name,
		got.Municipality.Number, got.Link.Employee.Username, got.Link.Employee.Name)
	m.printLink(*baseURL, got.Link)
	return nil
}

// baseURLFlag adds --base-url, the address sign-in links start with.
func (m *Main) baseURLFlag(fs *flag.FlagSet) *string {
	return fs.String("base-url", m.env("SAMORDNA_BASE_URL", "http://127.0.0.1:8080"),
		"the public address the printed link starts with (env SAMORDNA_BASE_URL)")
}

// printLink prints a sign-in link, alone on its line, and when it expires.
func (m *Main) printLink(baseURL string, l *app.SignInLink) {
	fmt.Fprintf(m.Stdout, "sign-in link for %s, works once, until %s UTC:\n%s/login/link/%s\n",
		l.Employee.Username, l.ExpiresAt.UTC().Format("02.01.2006 15:04"), strings.TrimRight(baseURL, "/"), l.Secret)
}

// runUserLink prints a new one-time sign-in link for an existing user.
func (m *Main) runUserLink(ctx context.Context, a *app.App, username, baseURL string, valid time.Duration) error {
	l, err := a.CreateSignInLink(ctx, cliActor(), username, valid)
	if err != nil {
		return err
	}
	m.printLink(baseURL, l)
	return nil
}
