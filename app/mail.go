package app

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/internal/mailer"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// This file turns the outbox into e-mail that keeps confidentiality
// (issue 12 point 7). A mail says only that there is something to do in
// Samordna and links to the page: never a name, a fødselsnummer or case
// text. Links carry only the opaque ids the pages already use.
//
// Each employee chooses immediate mail (the default) or a daily digest
// (sent after digestHour, Oslo time, for what came before it); acute items
// always go at once.
//
// Delivery is at least once, and exactly once as the recipient sees it:
// rows are claimed with a lease (store/mail.go), so two servers never send
// one row, and a row is recorded as sent right after the SMTP server
// accepts it. A server that dies between those two steps leaves the row to
// be claimed again when the lease runs out, and it is sent a second time
// with the same Message-ID (<outbox id@samordna>; a digest's is the
// employee's and the day's), which mail systems use to drop the copy.

// NoticeEmergencyReview tells a service leader that an emergency access
// waits for their review (acute: the mail goes at once).
const NoticeEmergencyReview = "emergency_review"

// AcuteNotices are the notification kinds whose mail always goes at once,
// whatever the employee chose.
var AcuteNotices = []string{NoticeAcuteReportArrived, NoticeReportUnacknowledged, NoticeEmergencyReview}

// Mail delivery settings.
const (
	mailRound       = 500             // immediate mails at most in one round
	mailLease       = 2 * time.Minute // how long a claim holds (well above one send's 30 s timeout)
	mailMaxAttempts = 10              // after these, a row is given up (failed_at)
	mailBackoff     = time.Minute     // the first retry's wait, doubled each time
	mailBackoffCap  = 2 * time.Hour   // the longest wait between tries
	digestHour      = 7               // the daily digest goes after 07:00 Oslo time
)

// MailWorker delivers the outbox's e-mail through Sender, with links to
// BaseURL (e.g. https://samordna.kommune.no).
type MailWorker struct {
	App     *App
	Sender  mailer.Sender
	BaseURL string
}

// MailResult counts what one delivery round did.
type MailResult struct {
	Sent    int // mails accepted (a digest counts once)
	Skipped int // rows whose recipient has no address or is disabled
	Retried int // sends that failed and will be tried again
	Failed  int // rows given up
}

// Deliver sends what is due at now: every immediate row, then the daily
// digests once their hour has come. Who may call: the server's loop
// (Start) and tests.
func (w *MailWorker) Deliver(ctx context.Context, now time.Time) (MailResult, error) {
	var res MailResult
	// One row per claim: a server killed while sending holds only the row
	// in flight until its lease runs out.
	for range mailRound {
		var items []*store.MailItem
		token := samordna.NewID()
		err := w.App.DB.Write(ctx, func(tx *store.Tx) error {
			var err error
			items, err = store.ClaimImmediateMail(tx, token, now, now.Add(mailLease), AcuteNotices, 1)
			return err
		})
		if err != nil {
			return res, err
		}
		if len(items) == 0 {
			break
		}
		if err := w.deliver(ctx, token, items, w.single(items[0]), false, now, &res); err != nil {
			return res, err
		}
	}
	cutoff := digestCutoff(now)
	if now.Before(cutoff) {
		return res, nil
	}
	var recipients []string
	err := w.App.DB.Read(ctx, func(tx *store.Tx) error {
		var err error
		recipients, err = store.DigestRecipients(tx, now, cutoff, 500)
		return err
	})
	if err != nil {
		return res, err
	}
	for _, id := range recipients {
		var items []*store.MailItem
		token := samordna.NewID()
		err := w.App.DB.Write(ctx, func(tx *store.Tx) error {
			var err error
			items, err = store.ClaimDigest(tx, token, id, now, now.Add(mailLease), cutoff, AcuteNotices)
			return err
		})
		if err != nil {
			return res, err
		}
		if len(items) == 0 {
			continue // another server has them
		}
		m := w.digest(id, items, cutoff)
		if err := w.deliver(ctx, token, items, m, true, now, &res); err != nil {
			return res, err
		}
	}
	return res, nil
}

// deliver sends m about the claimed items and settles them: sent, skipped
// (no address) or released for a retry with back-off.
func (w *MailWorker) deliver(ctx context.Context, token string, items []*store.MailItem, m *mailer.Message, digest bool,
	now time.Time, res *MailResult) error {
	first := items[0]
	var sendErr error
	skip := ""
	switch {
	case first.Disabled:
		skip = "recipient disabled"
	case first.Email == "":
		skip = "recipient has no e-mail address"
	default:
		m.To = first.Email
		sendErr = w.Sender.Send(ctx, m)
		if sendErr != nil && ctx.Err() != nil {
			return ctx.Err() // shutting down: the lease runs out and the row is sent later
		}
	}
	at := w.App.now()
	return w.App.DB.Write(ctx, func(tx *store.Tx) error {
		for _, it := range items {
			var err error
			switch {
			case skip != "":
				err = store.MarkMailSkipped(tx, it.ID, token, at, skip)
			case sendErr != nil:
				err = store.MarkMailRetry(tx, it.ID, token, at, now.Add(backoff(it.Attempts)), mailMaxAttempts,
					truncate(sendErr.Error(), 300))
				if it.Attempts >= mailMaxAttempts {
					res.Failed++
				} else if it == first {
					res.Retried++
				}
			default:
				err = store.MarkMailSent(tx, it.ID, token, at, digest)
			}
			if err != nil {
				return err
			}
		}
		switch {
		case skip != "":
			res.Skipped += len(items)
		case sendErr == nil:
			res.Sent++
		}
		return nil
	})
}

// backoff is the wait before the next try after the given number of
// attempts: mailBackoff doubled each time, at most mailBackoffCap.
func backoff(attempts int) time.Duration {
	d := mailBackoff
	for i := 1; i < attempts && d < mailBackoffCap; i++ {
		d *= 2
	}
	return min(d, mailBackoffCap)
}

// digestCutoff is today's digest hour in Oslo: rows written before it go
// in today's digest.
func digestCutoff(now time.Time) time.Time {
	t := now.In(pathway.Oslo())
	return time.Date(t.Year(), t.Month(), t.Day(), digestHour, 0, 0, 0, pathway.Oslo()).UTC()
}

// mailText is what a mail says about a notification kind: a phrase that
// names the kind of thing to do, never whom or what it is about.
var mailText = map[string]string{
	// Teams that meet (teams.go, teammeeting.go, teammatters.go).
	"team_series_planned":      "møtene til et team du er med i er satt opp",
	"team_meeting_planned":     "et team du er med i har fått et nytt møte",
	"team_meeting_moved":       "et teammøte er flyttet",
	"team_meeting_cancelled":   "et teammøte er avlyst",
	"team_meeting_invitation":  "du er invitert til et teammøte",
	"team_advice":              "du har fått råd fra et team",
	"team_matter_reported":     "en sak er meldt til ressursgruppa",
	NoticeTaskOverdue:          "en oppgave har passert fristen",
	NoticeDeviation:            "du har en ny oppgave",
	NoticeReportArrived:        "en ny melding har kommet",
	NoticeAcuteReportArrived:   "AKUTT: en akuttmelding har kommet",
	NoticeReportAcknowledged:   "en melding er bekreftet mottatt",
	NoticeReportUnacknowledged: "AKUTT: en akuttmelding er ikke bekreftet mottatt",
	NoticeMeetingInvitation:    "du er invitert til et møte",
	NoticeMinutes:              "et referat er klart",
	NoticeCaseClosed:           "en sak er avsluttet",
	NoticeCaseReopened:         "en sak er gjenåpnet",
	NoticeMeetingCancelled:     "et møte er avlyst",
	NoticeEmergencyReview:      "AKUTT: en nødtilgang venter på din gjennomgang",
	NoticeActivityDue:          "en aktivitet i årshjulet nærmer seg",
	NoticeNextOfKinQuestion:    "du har en ny oppgave",
	NoticeFeedbackFlag:         "en tilbakemelding trenger oppmerksomhet",
}

// mailPhrase is the phrase of a kind ("du har et nytt varsel" for a kind
// without its own).
func mailPhrase(kind string) string {
	if s, ok := mailText[kind]; ok {
		return s
	}
	return "du har et nytt varsel"
}

// mailLink is the page a mail about it links to (the same pages the
// notification list links to).
func mailLink(it *store.MailItem) string {
	switch {
	case it.Topic == NoticeEmergencyReview:
		return "/emergency-access/reviews"
	case it.Topic == NoticeActivityDue:
		return "/annual-cycle/tasks"
	case it.ReportID != "":
		return "/reports/" + it.ReportID
	case it.TaskID != "":
		return "/tasks?show=overdue"
	case it.CaseID != "":
		return "/cases/" + it.CaseID
	}
	return "/notifications"
}

// mailFooter ends every mail: why it says so little, and where to choose.
func (w *MailWorker) mailFooter() string {
	return "\r\nAv hensyn til taushetsplikten står det ingen navn eller andre opplysninger om personer i denne e-posten. " +
		"Logg inn for å se mer.\r\n\r\nDu velger mellom e-post med en gang og en daglig oppsummering her: " +
		w.url("/settings/mail") + "\r\n"
}

func (w *MailWorker) url(path string) string { return strings.TrimRight(w.BaseURL, "/") + path }

// single is the mail about one row.
func (w *MailWorker) single(it *store.MailItem) *mailer.Message {
	phrase := mailPhrase(it.Topic)
	return &mailer.Message{ID: it.ID + "@samordna", Subject: "Samordna: " + phrase, Date: it.CreatedAt,
		Body: "Hei,\r\n\r\nI Samordna: " + phrase + ".\r\n\r\nÅpne: " + w.url(mailLink(it)) + "\r\n" + w.mailFooter()}
}

// digest is the daily mail about an employee's rows: how many of each
// kind, and a link to the notification list.
func (w *MailWorker) digest(employeeID string, items []*store.MailItem, cutoff time.Time) *mailer.Message {
	counts := map[string]int{}
	for _, it := range items {
		counts[mailPhrase(it.Topic)]++
	}
	phrases := make([]string, 0, len(counts))
	for p := range counts {
		phrases = append(phrases, p)
	}
	sort.Strings(phrases)
	var b strings.Builder
	b.WriteString("Hei,\r\n\r\nDette har skjedd i Samordna siden forrige oppsummering:\r\n\r\n")
	for _, p := range phrases {
		fmt.Fprintf(&b, "- %d × %s\r\n", counts[p], p)
	}
	b.WriteString("\r\nÅpne varslene dine: " + w.url("/notifications") + "\r\n" + w.mailFooter())
	day := cutoff.In(pathway.Oslo()).Format("20060102")
	return &mailer.Message{ID: "digest-" + employeeID + "-" + day + "@samordna", Date: cutoff,
		Subject: "Samordna: daglig oppsummering " + cutoff.In(pathway.Oslo()).Format("02.01.2006"), Body: b.String()}
}

// Start runs Deliver every interval (and once at start) until ctx ends or
// stop is called; stop waits for a round in progress. Errors are logged
// without personal data (an SMTP error may name an address, so only
// counts are logged).
func (w *MailWorker) Start(ctx context.Context, every time.Duration) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			res, err := w.Deliver(ctx, w.App.now())
			switch {
			case err != nil && ctx.Err() == nil && !errors.Is(err, context.Canceled):
				w.App.Log.Error("mail delivery failed", "err", err)
			case res != MailResult{}:
				w.App.Log.Info("mail", "sent", res.Sent, "skipped", res.Skipped, "retried", res.Retried, "failed", res.Failed)
			}
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
	}()
	return func() {
		cancel()
		wg.Wait()
	}
}
