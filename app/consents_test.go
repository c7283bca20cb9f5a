package app_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/internal/matrixtest"
	"github.com/samordna/samordna/store"
)

// Small valid files of each accepted kind.
var (
	testPDF  = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
	testPNG  = append([]byte("\x89PNG\r\n\x1a\n"), []byte("\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00")...)
	testJPEG = append(append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, bytes.Repeat([]byte{0x11}, 32)...), 0xFF, 0xD9)
)

// A group member reads the case while consent to share holds; after the
// withdrawal the very next read is refused, and the case leaves the list.
func TestWithdrawalCutsAccessOnTheNextRequest(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newSpineWorld(t, db)
		ctx := context.Background()
		caseID, _ := w.namedCase("ola.laerer")
		w.write(func(tx *store.Tx) error {
			now := w.clock.Now()
			if err := matrixtest.AddCoordinator(tx, caseID, w.emp["kari.ke"].ID, w.emp["kari.ke"].ID, now, false); err != nil {
				return err
			}
			return matrixtest.AddGroupMember(tx, caseID, w.emp["anne.ppt"].ID, w.emp["kari.ke"].ID, now, false, false)
		})
		if w.readable("anne.ppt", caseID) {
			t.Fatal("a group member reads the case without consent")
		}
		var c *samordna.Consent
		row := w.oneAudit("recording consent", func() {
			var err error
			c, err = w.a.RecordConsent(ctx, w.actor("kari.ke"), caseID, app.NewConsent{GivenBy: "Kristin Hansen",
				GivenByRelation: "guardian", Purposes: []samordna.ConsentPurpose{samordna.PurposeShareWithMembers,
					samordna.PurposeResponsibilityGroup}})
			if err != nil {
				t.Fatal(err)
			}
		})
		if row.Action != "record_consent" || row.ObjectID != c.ID || c.Status != samordna.ConsentActive || c.Version != 1 {
			t.Errorf("consent %+v, audit %+v", c, row)
		}
		if !w.readable("anne.ppt", caseID) || !w.listed("anne.ppt", caseID) {
			t.Fatal("a group member cannot read the case with consent to share")
		}
		// Anne is only a member: she may not withdraw it.
		if _, err := w.a.WithdrawConsent(ctx, w.actor("anne.ppt"), c.ID); err != samordna.ErrNotFound {
			t.Errorf("a member withdraws the consent: %v", err)
		}
		if _, err := w.a.WithdrawConsent(ctx, w.actor("kari.ke"), c.ID); err != nil {
			t.Fatal(err)
		}
		if w.readable("anne.ppt", caseID) || w.listed("anne.ppt", caseID) {
			t.Error("the member still sees the case after the withdrawal")
		}
		_, err := w.a.WithdrawConsent(ctx, w.actor("kari.ke"), c.ID)
		wantSpineCode(t, err, samordna.KindConflict, "already_withdrawn")
	})
}

// A consent valid through a day holds all that day (Oslo time) and not
// after; expiry cuts access like a withdrawal.
func TestConsentExpiry(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newSpineWorld(t, db)
		ctx := context.Background()
		caseID, _ := w.namedCase("ola.laerer")
		w.write(func(tx *store.Tx) error {
			return matrixtest.AddGroupMember(tx, caseID, w.emp["anne.ppt"].ID, w.emp["kari.ke"].ID, w.clock.Now(), false, false)
		})
		if _, err := w.a.RecordConsent(ctx, w.actor("ola.laerer"), caseID, app.NewConsent{GivenBy: "Emma",
			Purposes: []samordna.ConsentPurpose{samordna.PurposeShareWithMembers}, ValidUntil: "2026-03-03"}); err != nil {
			t.Fatal(err)
		}
		_, err := w.a.RecordConsent(ctx, w.actor("ola.laerer"), caseID, app.NewConsent{GivenBy: "Emma",
			Purposes: []samordna.ConsentPurpose{samordna.PurposeShareWithMembers}, ValidUntil: "2026-03-01"})
		wantSpineCode(t, err, samordna.KindInvalid, "invalid_date")
		if !w.readable("anne.ppt", caseID) {
			t.Fatal("consent valid through tomorrow does not give access")
		}
		// 3 March 22:59 UTC is 23:59 in Oslo: still the last day.
		w.clock.Advance(time.Date(2026, 3, 3, 22, 59, 0, 0, time.UTC).Sub(w.clock.Now()))
		if !w.readable("anne.ppt", caseID) {
			t.Error("the consent ended before its last day was over")
		}
		w.clock.Advance(2 * time.Minute)
		if w.readable("anne.ppt", caseID) {
			t.Error("the consent still holds after its last day")
		}
		v, err := w.a.GetCase(ctx, w.actor("ola.laerer"), caseID)
		if err != nil {
			t.Fatal(err)
		}
		if len(v.Consents) != 1 || v.Consents[0].Status != "expired" {
			t.Errorf("consents after expiry: %+v", v.Consents)
		}
	})
}

// Every change of a consent is a new version; nothing is deleted, and the
// versions can be read by readers of the case.
func TestConsentVersionsAndForms(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newSpineWorld(t, db)
		ctx := context.Background()
		caseID, _ := w.namedCase("ola.laerer")
		otherCase, _ := w.namedCase("ola.laerer")
		teacher := w.actor("ola.laerer")

		for name, data := range map[string][]byte{"pdf": testPDF, "png": testPNG, "jpeg": testJPEG} {
			f, err := w.a.UploadConsentForm(ctx, teacher, caseID, "text/plain", data)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if f.ContentType != "application/pdf" && f.ContentType != "image/"+name || f.Size != int64(len(data)) {
				t.Errorf("%s: stored as %s, %d bytes", name, f.ContentType, f.Size)
			}
		}
		form, err := w.a.UploadConsentForm(ctx, teacher, caseID, "image/png", testPDF)
		if err != nil || form.ContentType != app.FormPDF {
			t.Fatalf("a PDF claimed as PNG: %+v, %v", form, err)
		}
		bad := map[string][]byte{
			"text":              []byte("hello, this is not a form"),
			"PDF without %%EOF": []byte("%PDF-1.4\n1 0 obj << >> endobj\n"),
			"HTML":              []byte("<html><script>alert(1)</script></html>"),
			"empty":             nil,
			"truncated JPEG":    []byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00},
		}
		for name, data := range bad {
			_, err := w.a.UploadConsentForm(ctx, teacher, caseID, "application/pdf", data)
			wantSpineCode(t, err, samordna.KindUnsupportedMedia, "unsupported_form_type")
			_ = name
		}
		big := append(append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("0"), app.MaxConsentFormBytes)...), "%%EOF"...)
		_, err = w.a.UploadConsentForm(ctx, teacher, caseID, "application/pdf", big)
		wantSpineCode(t, err, samordna.KindTooLarge, "form_too_large")
		if _, err := w.a.UploadConsentForm(ctx, w.actor("per.bv"), caseID, "", testPDF); err != samordna.ErrNotFound {
			t.Errorf("an unrelated employee uploads a form: %v", err)
		}

		c, err := w.a.RecordConsent(ctx, teacher, caseID, app.NewConsent{GivenBy: "Emma Hansen",
			Purposes: []samordna.ConsentPurpose{samordna.PurposeIndividualPlan}})
		if err != nil {
			t.Fatal(err)
		}
		// A form of another case cannot be attached.
		foreign, err := w.a.UploadConsentForm(ctx, teacher, otherCase, "", testPNG)
		if err != nil {
			t.Fatal(err)
		}
		_, err = w.a.AttachConsentForm(ctx, teacher, c.ID, foreign.ID)
		wantSpineCode(t, err, samordna.KindInvalid, "unknown_form")
		if c, err = w.a.AttachConsentForm(ctx, teacher, c.ID, form.ID); err != nil || c.Version != 2 || c.FormID != form.ID {
			t.Fatalf("attach: %+v, %v", c, err)
		}
		if _, err := w.a.WithdrawConsent(ctx, teacher, c.ID); err != nil {
			t.Fatal(err)
		}
		_, err = w.a.AttachConsentForm(ctx, teacher, c.ID, form.ID)
		wantSpineCode(t, err, samordna.KindConflict, "consent_withdrawn")

		vs, err := w.a.ConsentVersions(ctx, teacher, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(vs) != 3 {
			t.Fatalf("%d versions, want 3: %+v", len(vs), vs)
		}
		for i, want := range []struct{ change, status, form string }{
			{"recorded", "active", ""}, {"form_attached", "active", form.ID}, {"withdrawn", "withdrawn", form.ID}} {
			v := vs[i]
			if v.Version != i+1 || v.Change != want.change || v.Status != want.status || v.FormID != want.form ||
				v.ChangedByUsername != "ola.laerer" || v.Purposes != "individual_plan" || v.GivenByName != "Emma Hansen" {
				t.Errorf("version %d: %+v, want %+v", i+1, v, want)
			}
		}
		if _, err := w.a.ConsentVersions(ctx, w.actor("anne.ppt"), c.ID); err != samordna.ErrNotFound {
			t.Errorf("an unrelated employee reads the versions: %v", err)
		}
		if _, err := w.a.ConsentVersions(ctx, teacher, samordna.NewID()); err != samordna.ErrNotFound {
			t.Errorf("versions of an unknown consent: %v", err)
		}
		got, err := w.a.ScannedConsentForm(ctx, teacher, caseID, form.ID)
		if err != nil || !bytes.Equal(got.Data, testPDF) {
			t.Errorf("download: %v", err)
		}
		if _, err := w.a.ScannedConsentForm(ctx, teacher, otherCase, form.ID); err != samordna.ErrNotFound {
			t.Errorf("a form read through another case: %v", err)
		}
	})
}

func TestSniffConsentForm(t *testing.T) {
	for _, c := range []struct {
		data []byte
		want string
	}{
		{testPDF, app.FormPDF}, {testPNG, app.FormPNG}, {testJPEG, app.FormJPEG},
		{append(testJPEG, '\n'), app.FormJPEG},
		{[]byte("%PDF-"), ""}, {[]byte("\x89PNG\r\n\x1a\n"), ""}, {[]byte("GIF89a......"), ""},
		{append([]byte("%PDF-1.7\n"), append(bytes.Repeat([]byte("x"), 2000), "%%EOF"...)...), app.FormPDF},
		{append([]byte("%PDF-1.7\n%%EOF\n"), bytes.Repeat([]byte("x"), 2000)...), ""},
	} {
		got, err := app.SniffConsentForm(c.data)
		if got != c.want || (c.want == "") != (err != nil) {
			t.Errorf("%q...: %q, %v; want %q", c.data[:min(len(c.data), 12)], got, err, c.want)
		}
	}
}
