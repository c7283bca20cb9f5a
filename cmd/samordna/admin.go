package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/store"
)

// cliActor is who the audit trail names for command-line administration.
func cliActor() *samordna.Actor {
	return &samordna.Actor{RequestID: "cli", Client: "cli"}
}

// openApp opens and migrates the database named by the --db flag, with its
// audit key (audit.go; from the environment). Its done function writes a
// checkpoint of the audit trail, then closes the database.
func (m *Main) openApp(ctx context.Context, dsn string) (*app.App, func(), error) {
	db, s, err := m.openAudited(ctx, dsn, m.envAuditFlags())
	if err != nil {
		return nil, nil, err
	}
	log := m.logger("warn")
	a := app.New(db, nil, log)
	return a, func() {
		if err := newCheckpointer(db, s, log, false).write(context.Background(), store.CheckpointCommand); err != nil {
			log.Error("audit checkpoint", "err", err)
		}
		db.Close()
	}, nil
}

const migrateUsage = `Usage: samordna migrate [flags]

Brings the database schema up to date and prints its version.`

func (m *Main) runMigrate(ctx context.Context, args []string) error {
	fs := m.newFlagSet("migrate", migrateUsage)
	dsn := m.dbFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	db, err := m.openDB(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	v, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "schema version %d (%s)\n", v, db.Dialect())
	return nil
}

const userUsage = `Usage: samordna user <create|list|disable|enable|set-password|grant-role|link> [flags]

  create        --username U --name "Full Name" [--role R]... [--title T] [--email E]
                (the password is read from standard input, or --password-stdin=false for none)
  list
  disable       --username U [--successor S]
                (ends the user's sessions and tokens and hands their open tasks,
                coordinator roles, relay logs, group places and teams to S;
                default: the leader of the user's service)
  enable        --username U      (nothing handed over comes back)
  set-password  --username U      (the new password is read from standard input)
  grant-role    --username U --role R
  link          --user U [--valid 24h] [--base-url URL]
                prints a one-time sign-in link for the user (also --username U)

Roles: employee, service_leader, coordinating_unit, child_welfare, admin, emergency_access.`

// userSubcommands are the subcommands of "samordna user".
var userSubcommands = []string{"create", "list", "disable", "enable", "set-password", "grant-role", "link"}

type roleList []samordna.Role

func (r *roleList) String() string { return fmt.Sprint(*r) }
func (r *roleList) Set(s string) error {
	*r = append(*r, samordna.Role(s))
	return nil
}

func (m *Main) runUser(ctx context.Context, args []string) error {
	fs := m.newFlagSet("user", userUsage)
	dsn := m.dbFlag(fs)
	username := fs.String("username", "", "the user's username")
	successor := fs.String("successor", "", "who takes over a disabled user's tasks and roles (disable)")
	name := fs.String("name", "", "full name (create)")
	title := fs.String("title", "", "job title (create)")
	email := fs.String("email", "", "e-mail address (create)")
	withPassword := fs.Bool("password-stdin", true, "read a password from standard input (create)")
	var roles roleList
	fs.Var(&roles, "role", "a role; repeat for several (create, grant-role)")
	user := fs.String("user", "", "the user's username (link; the same as --username)")
	valid := fs.Duration("valid", app.DefaultSignInLinkValidity, "how long the sign-in link works, at most 168h (link)")
	baseURL := m.baseURLFlag(fs)
	sub, err := m.subcommand(fs, userSubcommands, args)
	if err != nil {
		return err
	}
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if *username == "" {
		*username = *user
	}
	if sub != "list" && *username == "" {
		return usageError("user %s: --username is required", sub)
	}
	a, done, err := m.openApp(ctx, *dsn)
	if err != nil {
		return err
	}
	defer done()
	switch sub {
	case "create":
		password := ""
		if *withPassword {
			if password, err = m.readSecret(); err != nil {
				return err
			}
		}
		e, err := a.CreateUser(ctx, cliActor(), app.NewUser{Username: *username, Name: *name, Title: *title,
			Email: *email, Password: password, Roles: roles})
		if err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "created %s (%s)\n", e.Username, e.Name)
	case "list":
		return m.listUsers(ctx, a)
	case "link":
		return m.runUserLink(ctx, a, *username, *baseURL, *valid)
	case "disable":
		sum, err := a.DisableUser(ctx, cliActor(), *username, *successor)
		if err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "disabled %s\n", *username)
		if sum.Successor != nil {
			h := sum.Handover
			fmt.Fprintf(m.Stdout, "handed over to %s: %d tasks, %d coordinator roles, %d relay logs, "+
				"%d group memberships, %d team memberships, %d teams led, %d services led\n", sum.Successor.Name,
				len(h.Tasks), h.Coordinator, h.LogHolder, h.Groups, h.Teams, h.TeamsLed, h.ServicesLed)
		}
	case "enable":
		if err := a.EnableUser(ctx, cliActor(), *username); err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "enabled %s\n", *username)
	case "set-password":
		password, err := m.readSecret()
		if err != nil {
			return err
		}
		if err := a.SetUserPassword(ctx, cliActor(), *username, password); err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "password set for %s\n", *username)
	case "grant-role":
		if len(roles) != 1 {
			return usageError("user grant-role: give exactly one --role")
		}
		if err := a.GrantUserRole(ctx, cliActor(), *username, roles[0]); err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "granted %s to %s\n", roles[0], *username)
	}
	return nil
}

func (m *Main) listUsers(ctx context.Context, a *app.App) error {
	users, err := a.ListUsers(ctx, cliActor())
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(m.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "USERNAME\tNAME\tROLES\tSERVICES\tSTATE")
	for _, u := range users {
		var roles, services []string
		for _, r := range u.Roles {
			roles = append(roles, string(r))
		}
		for _, s := range u.Services {
			services = append(services, s.Name)
		}
		state := "active"
		if u.Disabled {
			state = "disabled"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", u.Username, u.Name, strings.Join(roles, ","),
			strings.Join(services, ", "), state)
	}
	return tw.Flush()
}

// stdin is where secrets are read from; tests replace it.
var stdin io.Reader = os.Stdin

// readSecret reads one line (a password) from standard input, so that it
// never appears in the process list or shell history.
func (m *Main) readSecret() (string, error) {
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", usageError("give the password on standard input")
	}
	return line, nil
}

const tokenUsage = `Usage: samordna token <create|revoke> [flags]

  create  --user U [--name N]   prints a new personal access token alone on stdout
  revoke  --user U [--token T]  revokes the token given (read from stdin with --token -),
                                or every token of the user when none is given

API clients send the token as "Authorization: Bearer <token>".`

// tokenSubcommands are the subcommands of "samordna token".
var tokenSubcommands = []string{"create", "revoke"}

func (m *Main) runToken(ctx context.Context, args []string) error {
	fs := m.newFlagSet("token", tokenUsage)
	dsn := m.dbFlag(fs)
	user := fs.String("user", "", "the user the token belongs to")
	name := fs.String("name", "cli", "a name for the token (create)")
	token := fs.String("token", "", "the token to revoke; - reads it from stdin (revoke)")
	sub, err := m.subcommand(fs, tokenSubcommands, args)
	if err != nil {
		return err
	}
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if *user == "" {
		return usageError("token %s: --user is required", sub)
	}
	a, done, err := m.openApp(ctx, *dsn)
	if err != nil {
		return err
	}
	defer done()
	switch sub {
	case "create":
		t, err := a.CreateToken(ctx, cliActor(), *user, *name)
		if err != nil {
			return err
		}
		fmt.Fprintln(m.Stdout, t)
	case "revoke":
		if *token == "-" {
			if *token, err = m.readSecret(); err != nil {
				return err
			}
		}
		n, err := a.RevokeToken(ctx, cliActor(), *user, *token)
		if err != nil {
			return err
		}
		fmt.Fprintf(m.Stderr, "revoked %d token(s)\n", n)
	}
	return nil
}
