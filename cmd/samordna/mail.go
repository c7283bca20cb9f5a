package main

import (
	"flag"
	"path/filepath"
	"strconv"

	"github.com/samordna/samordna/internal/mailer"
	"github.com/samordna/samordna/store"
)

// mailFlags say where serve and demo send e-mail: through an SMTP server
// (--smtp-url) or into a folder of .eml files (--mail-dir). With neither,
// serve sends none (the outbox keeps the rows); demo writes to a folder
// beside its database.
type mailFlags struct {
	smtpURL, from, dir *string
	startTLS           *bool
}

func (m *Main) addMailFlags(fs *flag.FlagSet) mailFlags {
	startTLS, _ := strconv.ParseBool(m.env("SAMORDNA_SMTP_STARTTLS", "false"))
	return mailFlags{
		smtpURL:  fs.String("smtp-url", m.env("SAMORDNA_SMTP_URL", ""), "send e-mail through this server, smtp://user:password@host:port (env SAMORDNA_SMTP_URL)"),
		startTLS: fs.Bool("smtp-starttls", startTLS, "require STARTTLS with the SMTP server (env SAMORDNA_SMTP_STARTTLS)"),
		from:     fs.String("mail-from", m.env("SAMORDNA_MAIL_FROM", "samordna@localhost.localdomain"), "the sender address of e-mail (env SAMORDNA_MAIL_FROM)"),
		dir:      fs.String("mail-dir", m.env("SAMORDNA_MAIL_DIR", ""), "write e-mail as .eml files into this folder instead of sending it (env SAMORDNA_MAIL_DIR)"),
	}
}

// demoMailDir is the demo's default mail folder: beside a SQLite database,
// or in the working folder for PostgreSQL.
func demoMailDir(dsn string) string {
	if store.IsPostgresDSN(dsn) {
		return "samordna-demo-mail"
	}
	return filepath.Join(filepath.Dir(dsn), "samordna-demo-mail")
}

// sender returns the sender the flags name, nil when mail is off.
func (f mailFlags) sender() (mailer.Sender, error) {
	switch {
	case f.smtpURL != nil && *f.smtpURL != "":
		s, err := mailer.NewSMTP(*f.smtpURL, *f.startTLS, *f.from)
		if err != nil {
			return nil, usageError("--smtp-url: %v", err)
		}
		return s, nil
	case f.dir != nil && *f.dir != "":
		return mailer.NewDir(*f.dir, *f.from)
	}
	return nil, nil
}
