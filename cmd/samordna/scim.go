package main

import (
	"context"
	"fmt"
)

const scimUsage = `Usage: samordna scim token [flags]

  token   prints a new bearer secret for SCIM 2.0 provisioning alone on stdout
          (only its hash is kept; earlier secrets keep working)

The municipality's directory (Microsoft Entra ID) provisions employees at
https://<host>/scim/v2 with "Authorization: Bearer <secret>"; see docs/SCIM.md.`

// scimSubcommands are the subcommands of "samordna scim".
var scimSubcommands = []string{"token"}

func (m *Main) runSCIM(ctx context.Context, args []string) error {
	fs := m.newFlagSet("scim", scimUsage)
	dsn := m.dbFlag(fs)
	if _, err := m.subcommand(fs, scimSubcommands, args); err != nil {
		return err
	}
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	a, done, err := m.openApp(ctx, *dsn)
	if err != nil {
		return err
	}
	defer done()
	t, err := a.CreateSCIMToken(ctx, cliActor())
	if err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, t)
	return nil
}
