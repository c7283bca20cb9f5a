package app_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime/quotedprintable"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	smtpmock "github.com/mocktools/go-smtp-mock/v2"

	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/internal/mailer"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// mailServer starts an SMTP server in the test's process and returns it
// with a sender to it.
func mailServer(t *testing.T) (*smtpmock.Server, mailer.Sender) {
	t.Helper()
	srv := smtpmock.New(smtpmock.ConfigurationAttr{HostAddress: "127.0.0.1", MultipleMessageReceiving: true})
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Stop() })
	s, err := mailer.NewSMTP(fmt.Sprintf("smtp://127.0.0.1:%d", srv.PortNumber()), false, "samordna@testvik.kommune.no")
	if err != nil {
		t.Fatal(err)
	}
	return srv, s
}

// giveAddresses gives every employee of the world an e-mail address.
func giveAddresses(t *testing.T, db *store.DB) {
	t.Helper()
	err := db.Write(context.Background(), func(tx *store.Tx) error {
		_, err := tx.Exec(`UPDATE employees SET email = username || '@testvik.kommune.no'`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

var messageID = regexp.MustCompile(`(?m)^Message-ID: <([^>]+)>`)

// received returns the raw messages the server got, and how many times
// each Message-ID arrived.
func received(t *testing.T, srv *smtpmock.Server) ([]string, map[string]int) {
	t.Helper()
	var raw []string
	ids := map[string]int{}
	for _, m := range srv.Messages() {
		if !m.Msg() {
			continue
		}
		raw = append(raw, decoded(t, m.MsgRequest()))
		id := messageID.FindStringSubmatch(m.MsgRequest())
		if id == nil {
			t.Fatalf("a message without Message-ID:\n%s", m.MsgRequest())
		}
		ids[id[1]]++
	}
	return raw, ids
}

// decoded returns the raw message with its body decoded from
// quoted-printable, so that the test reads what the recipient reads; the
// raw form is checked as well.
func decoded(t *testing.T, raw string) string {
	t.Helper()
	head, body, _ := strings.Cut(raw, "\r\n\r\n")
	b, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(body)))
	if err != nil {
		t.Fatal(err)
	}
	return raw + "\r\n----decoded----\r\n" + head + "\r\n\r\n" + string(b)
}

// An acute report to child welfare mails its recipients at once (also the
// leader who chose the daily digest); the raw message, headers and body,
// holds no name, fødselsnummer or case text, only a link to the report.
func TestAcuteReportMailKeepsConfidentiality(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		now := at(2026, 3, 2, 10, 0)
		w := newWorld(t, db, now)
		ctx := context.Background()
		giveAddresses(t, db)
		srv, sender := mailServer(t)
		worker := &app.MailWorker{App: w.app, Sender: sender, BaseURL: "https://samordna.testvik.no"}
		if _, err := w.app.SetMailMode(ctx, w.as("berit"), "digest"); err != nil {
			t.Fatal(err)
		}
		c := w.concern("ola", named(pathway.SituationAcute, ""))
		description := "Eleven fortalte om vold hjemme i går kveld. Både mor og far var ruset."
		rep, err := w.app.SendReport(ctx, w.as("ola"), c.Case.ID, app.NewReport{Kind: app.ReportChildWelfare,
			Description: description, Acute: true})
		if err != nil {
			t.Fatal(err)
		}
		res, err := worker.Deliver(ctx, now.Add(30*time.Second))
		if err != nil || res.Sent != 2 {
			t.Fatalf("within a minute of the report: %+v, %v", res, err)
		}
		raw, ids := received(t, srv)
		if len(raw) != 2 || len(ids) != 2 {
			t.Fatalf("received %d messages, %d ids", len(raw), len(ids))
		}
		forbidden := []string{"Emil", "Testesen", childFNR, childFNR[:6], "vold", "ruset", "sliten", "Ola", "Lærer",
			"Per Barnevern", "Berit", "Nordby"}
		to := map[string]bool{}
		for _, m := range raw {
			for _, f := range forbidden {
				if strings.Contains(m, f) {
					t.Errorf("the mail contains %q:\n%s", f, m)
				}
			}
			if !strings.Contains(m, "https://samordna.testvik.no/reports/"+rep.ID) || !strings.Contains(m, "AKUTT") {
				t.Errorf("the mail does not link to the report or say it is acute:\n%s", m)
			}
			for _, u := range []string{"per", "berit"} {
				to[u] = to[u] || strings.Contains(m, "To: <"+u+"@testvik.kommune.no>")
			}
		}
		if !to["per"] || !to["berit"] {
			t.Errorf("recipients: %v", to)
		}
		if res, _ := worker.Deliver(ctx, now.Add(time.Hour)); res != (app.MailResult{}) {
			t.Errorf("sent again: %+v", res)
		}
	})
}

// A non-acute notice to an employee who chose the digest waits for the
// next morning's digest, which counts it and links to the notification
// list; it is sent once.
func TestMailDigest(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		now := at(2026, 3, 2, 10, 0)
		w := newWorld(t, db, now)
		ctx := context.Background()
		giveAddresses(t, db)
		srv, sender := mailServer(t)
		worker := &app.MailWorker{App: w.app, Sender: sender, BaseURL: "https://samordna.testvik.no"}
		if _, err := w.app.SetMailMode(ctx, w.as("ola"), "digest"); err != nil {
			t.Fatal(err)
		}
		if p, _ := w.app.MailPreferences(ctx, w.as("ola")); p.Mode != "digest" {
			t.Errorf("preferences: %+v", p)
		}
		_, err := w.app.SetMailMode(ctx, w.as("ola"), "weekly")
		wantErrCode(t, err, "invalid_mode")
		c := w.concern("ola", named(pathway.SituationAcute, ""))
		rep, err := w.app.SendReport(ctx, w.as("ola"), c.Case.ID, app.NewReport{Kind: app.ReportChildWelfare,
			Description: "Akutt.", Acute: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.app.ReceiveReport(ctx, w.as("per"), rep.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := worker.Deliver(ctx, now.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		raw, _ := received(t, srv)
		for _, m := range raw {
			if strings.Contains(m, "ola@") {
				t.Errorf("ola got mail before the digest:\n%s", m)
			}
		}
		before := len(raw)
		next := time.Date(2026, 3, 3, 7, 30, 0, 0, pathway.Oslo())
		res, err := worker.Deliver(ctx, next)
		if err != nil || res.Sent != 1 {
			t.Fatalf("the digest: %+v, %v", res, err)
		}
		raw, _ = received(t, srv)
		if len(raw) != before+1 {
			t.Fatalf("messages: %d, want %d", len(raw), before+1)
		}
		d := raw[len(raw)-1]
		for _, want := range []string{"To: <ola@testvik.kommune.no>", "1 × en melding er bekreftet mottatt",
			"https://samordna.testvik.no/notifications", "03.03.2026"} {
			if !strings.Contains(d, want) {
				t.Errorf("the digest lacks %q:\n%s", want, d)
			}
		}
		if res, _ := worker.Deliver(ctx, next.Add(time.Hour)); res.Sent != 0 {
			t.Errorf("the digest went twice: %+v", res)
		}
	})
}

// crashSender sends through next and then reports the server killed
// (its context cancelled) on the crashAt'th message, before the outbox
// records it as sent.
type crashSender struct {
	next    mailer.Sender
	cancel  context.CancelFunc
	crashAt int
	n       int
	sent    string // the Message-ID in flight at the crash
}

func (s *crashSender) Where() string { return "crash" }

func (s *crashSender) Send(ctx context.Context, m *mailer.Message) error {
	s.n++
	if err := s.next.Send(ctx, m); err != nil {
		return err
	}
	if s.n == s.crashAt {
		s.sent = m.ID
		s.cancel()
		return ctx.Err()
	}
	return nil
}

// notifyEach writes one task_overdue notification (with its outbox row)
// for each of the world's employees but admin, and returns how many.
func notifyEach(t *testing.T, w *world, caseID string, times int) int {
	t.Helper()
	n := 0
	err := w.db.Write(context.Background(), func(tx *store.Tx) error {
		for i := range times {
			for _, u := range []string{"ola", "nils", "ingrid", "per", "berit", "siv", "tor", "kari", "lise"} {
				n++
				err := store.CreateNotification(tx, &store.Notification{EmployeeID: w.id(u), Kind: app.NoticeTaskOverdue,
					CaseID: caseID, CreatedAt: w.clock.Now().Add(time.Duration(i) * time.Second)})
				if err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// Killing the server while the outbox sends, and starting it again, sends
// each mail once: those not yet sent go once, and the one accepted by the
// SMTP server just before the kill, not yet recorded, goes again with the
// same Message-ID (at-least-once delivery, made idempotent for the
// recipient by the Message-ID).
func TestMailOnceAcrossRestart(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		now := at(2026, 3, 2, 10, 0)
		w := newWorld(t, db, now)
		giveAddresses(t, db)
		c := w.concern("ola", named(pathway.SituationAcute, ""))
		total := notifyEach(t, w, c.Case.ID, 1)
		srv, sender := mailServer(t)

		ctx, cancel := context.WithCancel(context.Background())
		crash := &crashSender{next: sender, cancel: cancel, crashAt: 3}
		first := &app.MailWorker{App: w.app, Sender: crash, BaseURL: "https://samordna.testvik.no"}
		if _, err := first.Deliver(ctx, now); !errors.Is(err, context.Canceled) {
			t.Fatalf("the killed worker: %v", err)
		}
		// Started again at once: the in-flight row is still leased.
		second := &app.MailWorker{App: w.app, Sender: sender, BaseURL: "https://samordna.testvik.no"}
		res, err := second.Deliver(context.Background(), now.Add(time.Minute))
		if err != nil || res.Sent != total-3 {
			t.Fatalf("after the restart: %+v, %v (want %d sent)", res, err, total-3)
		}
		// The lease runs out: the row in flight at the kill goes again.
		res, err = second.Deliver(context.Background(), now.Add(11*time.Minute))
		if err != nil || res.Sent != 1 {
			t.Fatalf("after the lease: %+v, %v", res, err)
		}
		if res, _ := second.Deliver(context.Background(), now.Add(time.Hour)); res != (app.MailResult{}) {
			t.Errorf("more sent: %+v", res)
		}
		_, ids := received(t, srv)
		if len(ids) != total {
			t.Errorf("%d distinct messages, want %d", len(ids), total)
		}
		for id, n := range ids {
			want := 1
			if id == crash.sent {
				want = 2
			}
			if n != want {
				t.Errorf("%s arrived %d times, want %d", id, n, want)
			}
		}
	})
}

// Two servers delivering one outbox at the same moment send each mail
// exactly once.
func TestMailTwoServersSendOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		now := at(2026, 3, 2, 10, 0)
		w := newWorld(t, db, now)
		giveAddresses(t, db)
		c := w.concern("ola", named(pathway.SituationAcute, ""))
		total := notifyEach(t, w, c.Case.ID, 3)
		srv, sender := mailServer(t)
		var wg sync.WaitGroup
		results := make([]app.MailResult, 2)
		for i := range results {
			wg.Add(1)
			go func() {
				defer wg.Done()
				worker := &app.MailWorker{App: w.app, Sender: sender, BaseURL: "https://x"}
				var err error
				if results[i], err = worker.Deliver(context.Background(), now); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if results[0].Sent+results[1].Sent != total {
			t.Errorf("sent %d + %d, want %d", results[0].Sent, results[1].Sent, total)
		}
		raw, ids := received(t, srv)
		if len(raw) != total || len(ids) != total {
			t.Errorf("received %d messages with %d ids, want %d", len(raw), len(ids), total)
		}
	})
}

// failSender refuses every message, as an SMTP server that is down.
type failSender struct{ n int }

func (s *failSender) Where() string { return "down" }
func (s *failSender) Send(context.Context, *mailer.Message) error {
	s.n++
	return errors.New("connection refused")
}

// A failed send is tried again after a growing wait and given up after the
// last attempt; an employee without an address is skipped, not retried.
func TestMailRetryAndSkip(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		now := at(2026, 3, 2, 10, 0)
		w := newWorld(t, db, now)
		ctx := context.Background()
		c := w.concern("ola", named(pathway.SituationAcute, ""))
		err := db.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.Exec(`UPDATE employees SET email = 'nils@testvik.kommune.no' WHERE username = 'nils'`)
			if err != nil {
				return err
			}
			for _, u := range []string{"nils", "lise"} {
				if err := store.CreateNotification(tx, &store.Notification{ID: "n-" + u, EmployeeID: w.id(u),
					Kind: app.NoticeTaskOverdue, CaseID: c.Case.ID, CreatedAt: now}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		down := &failSender{}
		worker := &app.MailWorker{App: w.app, Sender: down, BaseURL: "https://x"}
		res, err := worker.Deliver(ctx, now)
		if err != nil || res.Retried != 1 || res.Skipped != 1 {
			t.Fatalf("first round: %+v, %v", res, err)
		}
		if res, _ := worker.Deliver(ctx, now.Add(30*time.Second)); res != (app.MailResult{}) {
			t.Errorf("retried before the back-off: %+v", res)
		}
		at := now
		for i := 2; i <= 10; i++ {
			at = at.Add(3 * time.Hour) // past the longest wait
			if _, err := worker.Deliver(ctx, at); err != nil {
				t.Fatal(err)
			}
		}
		if down.n != 10 {
			t.Errorf("%d attempts, want 10", down.n)
		}
		if res, _ := worker.Deliver(ctx, at.Add(3*time.Hour)); res != (app.MailResult{}) {
			t.Errorf("tried after giving up: %+v", res)
		}
		err = db.Read(ctx, func(tx *store.Tx) error {
			s, err := store.MailStateOf(tx, "n-nils")
			if err != nil {
				return err
			}
			if s.FailedAt == nil || s.SentAt != nil || s.Attempts != 10 || s.LastError != "connection refused" {
				t.Errorf("nils's mail: %+v", s)
			}
			s, err = store.MailStateOf(tx, "n-lise")
			if err != nil {
				return err
			}
			if s.SkippedAt == nil || s.Attempts != 1 {
				t.Errorf("lise's mail (no address): %+v", s)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
