package app_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// A report to child welfare is readable by its sender and child welfare
// only; child welfare acknowledges it and the sender sees that. It is
// locked, never anonymous, and its PDF copy holds the text.
func TestChildWelfareReport(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		now := at(2026, 3, 2, 10, 0)
		w := newWorld(t, db, now)
		ctx := context.Background()
		c := w.concern("ola", named(pathway.SituationAcute, ""))
		rep, err := w.app.SendReport(ctx, w.as("ola"), c.Case.ID, app.NewReport{Kind: app.ReportChildWelfare,
			Description: "Eleven fortalte om vold hjemme i går kveld. Både mor og far var ruset.", Acute: true})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Status != "sent" || rep.LockedAt == nil || rep.SenderName != "Ola Lærer" || rep.Signature == "" {
			t.Errorf("report = %+v", rep.Report)
		}
		if rep.AckDueAt == nil || !rep.AckDueAt.Equal(now.Add(app.AcuteAcknowledgeLimit)) {
			t.Errorf("acknowledge by %v", rep.AckDueAt)
		}
		// The acute task is done; nothing is left for ola.
		if open := w.openTasks(c.Case.ID); len(open) != 0 {
			t.Errorf("open tasks after the report: %v", keys(open))
		}
		// Sender and child welfare read it; others get not found.
		for _, u := range []string{"ola", "per", "berit"} {
			if _, err := w.app.GetReport(ctx, w.as(u), rep.ID); err != nil {
				t.Errorf("%s: %v", u, err)
			}
		}
		for _, u := range []string{"lise", "nils", "ingrid", "kari", "admin", "siv"} {
			_, err := w.app.GetReport(ctx, w.as(u), rep.ID)
			wantErrCode(t, err, "not_found")
			_, _, err = w.app.ReportPDF(ctx, w.as(u), rep.ID)
			wantErrCode(t, err, "not_found")
		}
		// Locked: any change is a conflict for its readers.
		wantErrCode(t, w.app.ChangeReport(ctx, w.as("ola"), rep.ID), "report_locked")
		wantErrCode(t, w.app.ChangeReport(ctx, w.as("lise"), rep.ID), "not_found")
		// The sender cannot acknowledge it.
		_, err = w.app.ReceiveReport(ctx, w.as("ola"), rep.ID)
		wantErrCode(t, err, "not_recipient")
		// It is in child welfare's inbox, and child welfare now sees the case.
		inbox, err := w.app.ReportInbox(ctx, w.as("per"))
		if err != nil || len(inbox) != 1 || !inbox[0].CanReceive {
			t.Fatalf("inbox = %v, %v", inbox, err)
		}
		if _, err := w.app.GetCase(ctx, w.as("per"), c.Case.ID); err != nil {
			t.Errorf("child welfare reads the case: %v", err)
		}
		w.clock.Advance(20 * time.Minute)
		got, err := w.app.ReceiveReport(ctx, w.as("per"), rep.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != "received" || got.ReceivedByUsername != "per" {
			t.Errorf("received = %+v", got.Report)
		}
		_, err = w.app.ReceiveReport(ctx, w.as("berit"), rep.ID)
		wantErrCode(t, err, "already_received")
		seen, err := w.app.GetReport(ctx, w.as("ola"), rep.ID)
		if err != nil || seen.Status != "received" || seen.ReceivedByName != "Per Barnevern" ||
			!seen.ReceivedAt.Equal(now.Add(20*time.Minute)) {
			t.Errorf("the sender sees %+v, %v", seen, err)
		}
		notes, _ := w.app.Notifications(ctx, w.as("ola"), true)
		if len(notes) != 1 || notes[0].Kind != app.NoticeReportAcknowledged {
			t.Errorf("ola's notifications: %+v", notes)
		}
		// Acknowledged in time: the sweep does not escalate it.
		if res, _ := w.app.SweepOverdue(ctx, now.Add(3*time.Hour)); res.Reports != 0 {
			t.Errorf("an acknowledged report escalated: %+v", res)
		}

		b, name, err := w.app.ReportPDF(ctx, w.as("ola"), rep.ID)
		if err != nil {
			t.Fatal(err)
		}
		text := pdfText(t, b)
		for _, want := range []string{"Melding til barnevernet", "Ola Lærer", "Emil Testesen", childFNR,
			"Både mor og far var ruset", "barnevernsloven § 13-2", rep.Signature[:16], "04.05.2018"} {
			if !strings.Contains(text, want) {
				t.Errorf("the PDF lacks %q:\n%s", want, text)
			}
		}
		// Issue 13: dates dd.mm.åååå, no usernames, a Norwegian file name without the report's id.
		wantUsersLanguage(t, text, "ola", "per")
		if name != "melding-til-barnevernet-02.03.2026.pdf" {
			t.Errorf("the PDF is named %q", name)
		}
	})
}

// No report from an anonymous case; the duty to inform goes to the mental
// health and substance service the same way.
func TestAnonymousReportRefusedAndDutyToInform(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db, at(2026, 3, 2, 10, 0))
		ctx := context.Background()
		anon := w.concern("ola", app.NewConcern{Situation: pathway.SituationAcute, Anonymous: true, Description: "Akutt, anonymt."})
		_, err := w.app.SendReport(ctx, w.as("ola"), anon.Case.ID, app.NewReport{Kind: app.ReportChildWelfare, Description: "x"})
		wantErrCode(t, err, "anonymous_report_not_allowed")
		if w.count("child_welfare_reports") != 0 {
			t.Error("a report was stored")
		}
		// Someone without access to the case gets not found, not the rule.
		_, err = w.app.SendReport(ctx, w.as("lise"), anon.Case.ID, app.NewReport{Kind: app.ReportChildWelfare, Description: "x"})
		wantErrCode(t, err, "not_found")

		preg := w.concern("ingrid", app.NewConcern{Situation: pathway.SituationPregnant, Description: "Rus i svangerskapet.",
			Subject:  &app.ConcernSubject{IDNumber: motherFNR, Name: "Mona Mor"},
			Problems: []pathway.Problem{pathway.ProblemSubstanceUse}})
		rep, err := w.app.SendReport(ctx, w.as("ingrid"), preg.Case.ID, app.NewReport{Kind: app.ReportDutyToInform,
			Description: "Grunn til å tro at barnet blir født med skade."})
		if err != nil {
			t.Fatal(err)
		}
		if open := w.openTasks(preg.Case.ID); open["duty-to-inform"] != nil || open["consult"] == nil {
			t.Errorf("open after the duty to inform: %v", keys(open))
		}
		// The mental health and substance service reads and acknowledges it; child welfare does not see it.
		if _, err := w.app.GetReport(ctx, w.as("per"), rep.ID); err == nil {
			t.Error("child welfare reads a duty to inform")
		}
		if _, err := w.app.ReceiveReport(ctx, w.as("siv"), rep.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := w.app.GetCase(ctx, w.as("tor"), preg.Case.ID); err != nil {
			t.Errorf("the service's leader (a member) reads the case: %v", err)
		}
	})
}

// pdfText extracts a PDF's text with poppler's pdftotext and checks it
// with qpdf.
func pdfText(t *testing.T, b []byte) string {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatal("not a PDF")
	}
	f := filepath.Join(t.TempDir(), "r.pdf")
	if err := os.WriteFile(f, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("qpdf", "--check", f).CombinedOutput(); err != nil {
		t.Fatalf("qpdf: %v\n%s", err, out)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", f, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}
