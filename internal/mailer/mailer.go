// Package mailer sends Samordna's e-mail: over SMTP (github.com/wneessen/go-mail)
// or, for the demo and for a test without a mail server, as .eml files in a
// folder. A message carries its own Message-ID, which the caller keeps
// stable for one outbox row, so that a receiver can drop a copy sent again
// after a crash between sending and recording it.
package mailer

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/wneessen/go-mail"
)

// Message is one e-mail: plain text, to one recipient.
type Message struct {
	ID      string // the Message-ID without angle brackets, e.g. "0a1b@samordna"
	To      string
	Subject string
	Body    string
	Date    time.Time
}

// Sender sends messages.
type Sender interface {
	Send(ctx context.Context, m *Message) error
	// Where says where mail goes (the SMTP host, or the folder), without
	// credentials, for the log.
	Where() string
}

// build makes the go-mail message from m, sent from `from`.
func build(from string, m *Message) (*mail.Msg, error) {
	msg := mail.NewMsg()
	if err := msg.From(from); err != nil {
		return nil, fmt.Errorf("mail from %q: %w", from, err)
	}
	if err := msg.To(m.To); err != nil {
		return nil, fmt.Errorf("mail to: %w", err)
	}
	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(m.ID)
	msg.SetDateWithValue(m.Date)
	msg.SetBodyString(mail.TypeTextPlain, m.Body)
	return msg, nil
}

// SMTP sends through an SMTP server.
type SMTP struct {
	host     string
	opts     []mail.Option
	from     string
	startTLS bool
}

// NewSMTP configures sending through the server of rawURL,
// smtp://user:pass@host:port (port 587 when left out; user and password
// optional). startTLS makes STARTTLS mandatory; without it the connection
// is upgraded when the server offers it. from is the sender address.
func NewSMTP(rawURL string, startTLS bool, from string) (*SMTP, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "smtp" || u.Hostname() == "" {
		return nil, fmt.Errorf("the SMTP URL is smtp://user:password@host:port")
	}
	port := 587
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil {
			return nil, fmt.Errorf("the SMTP URL's port is not a number")
		}
	}
	policy := mail.TLSOpportunistic
	if startTLS {
		policy = mail.TLSMandatory
	}
	opts := []mail.Option{mail.WithPort(port), mail.WithTLSPolicy(policy), mail.WithTimeout(30 * time.Second)}
	if _, domain, ok := strings.Cut(from, "@"); ok {
		// Greet with the sender's domain, not the machine's name: servers
		// refuse a HELO that is no domain.
		opts = append(opts, mail.WithHELO(strings.TrimSuffix(domain, ">")))
	}
	if u.User != nil {
		pass, _ := u.User.Password()
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover), mail.WithUsername(u.User.Username()),
			mail.WithPassword(pass))
	}
	if _, err := mail.NewClient(u.Hostname(), opts...); err != nil {
		return nil, fmt.Errorf("SMTP settings: %w", err)
	}
	return &SMTP{host: u.Host, opts: opts, from: from, startTLS: startTLS}, nil
}

// Where returns the server's host and port.
func (s *SMTP) Where() string { return "smtp://" + s.host }

// Send delivers m over one connection.
func (s *SMTP) Send(ctx context.Context, m *Message) error {
	msg, err := build(s.from, m)
	if err != nil {
		return err
	}
	host, _, _ := strings.Cut(s.host, ":")
	c, err := mail.NewClient(host, s.opts...)
	if err != nil {
		return err
	}
	return c.DialAndSendWithContext(ctx, msg)
}

// Dir writes each message as an .eml file in a folder, named by its
// Message-ID (so a message written again replaces itself).
type Dir struct {
	dir, from string
}

// NewDir writes mail into dir, creating it.
func NewDir(dir, from string) (*Dir, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("mail folder: %w", err)
	}
	return &Dir{dir: dir, from: from}, nil
}

// Where returns the folder.
func (d *Dir) Where() string { return d.dir }

// Send writes m to <folder>/<Message-ID>.eml, through a temporary file so
// that a reader never sees half a message.
func (d *Dir) Send(_ context.Context, m *Message) error {
	msg, err := build(d.from, m)
	if err != nil {
		return err
	}
	name := strings.NewReplacer("/", "_", "@", "_at_").Replace(m.ID) + ".eml"
	tmp, err := os.CreateTemp(d.dir, ".mail-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := msg.WriteTo(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), filepath.Join(d.dir, name))
}
