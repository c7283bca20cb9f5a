package app

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/access"
	"github.com/samordna/samordna/store"
)

// MaxConsentFormBytes bounds a scanned consent form: 5 MiB.
const MaxConsentFormBytes = 5 << 20

// The content types a consent form may have; the type is decided from the
// content, never from what the client claims.
const (
	FormPDF  = "application/pdf"
	FormPNG  = "image/png"
	FormJPEG = "image/jpeg"
)

// ErrFormTooLarge and ErrFormType answer a form over the size limit (413)
// or of another kind than PDF, PNG or JPEG (415).
var (
	ErrFormTooLarge = samordna.Errorf(samordna.KindTooLarge, "form_too_large",
		"the form is larger than %d bytes", MaxConsentFormBytes)
	ErrFormType = samordna.Errorf(samordna.KindUnsupportedMedia, "unsupported_form_type",
		"the form must be a PDF, PNG or JPEG file")
)

// ConsentFormData is an uploaded form (with its data when read by
// ConsentForm).
type ConsentFormData = store.ConsentForm

// SniffConsentForm returns the content type of a scanned form judged by
// its content alone: a PDF starts with "%PDF-" and has "%%EOF" within its
// last 1024 bytes; a PNG starts with the PNG signature; a JPEG starts with
// the SOI marker and ends with the EOI marker. Anything else gives
// ErrFormType.
func SniffConsentForm(data []byte) (string, error) {
	switch {
	case bytes.HasPrefix(data, []byte("%PDF-")):
		tail := data[max(0, len(data)-1024):]
		if bytes.Contains(tail, []byte("%%EOF")) {
			return FormPDF, nil
		}
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")) && len(data) > 8+8:
		return FormPNG, nil
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}) && bytes.HasSuffix(bytes.TrimRight(data, "\x00\r\n"), []byte{0xFF, 0xD9}):
		return FormJPEG, nil
	}
	return "", ErrFormType
}

// UploadConsentForm stores a scanned, signed consent form on a case, to be
// attached to a consent (RecordConsent's FormID, or AttachConsentForm). The
// claimed content type is ignored: the content decides (SniffConsentForm).
// Callers: as for RecordConsent (access.ManageConsent). Errors: not_found,
// form_too_large (413), unsupported_form_type (415).
func (a *App) UploadConsentForm(ctx context.Context, actor *samordna.Actor, caseID, claimedType string,
	data []byte) (*store.ConsentForm, error) {
	_ = claimedType // never trusted
	var f *store.ConsentForm
	err := a.withCase(ctx, actor, caseID, access.ManageConsent, "upload_consent_form", func(tx *store.Tx, g *caseGrant) error {
		if len(data) > MaxConsentFormBytes {
			return ErrFormTooLarge
		}
		ct, err := SniffConsentForm(data)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		f = &store.ConsentForm{ID: samordna.NewID(), CaseID: g.Case.ID, ContentType: ct, Size: int64(len(data)),
			SHA256: hex.EncodeToString(sum[:]), Data: data, UploadedBy: actor.Employee.ID, UploadedAt: a.now()}
		if err := store.CreateConsentForm(tx, f); err != nil {
			return err
		}
		if err := a.caseEvent(tx, actor, g.Case.ID, "consent_form_uploaded", "consent_form", f.ID); err != nil {
			return err
		}
		return a.auditCase(tx, actor, g, "upload_consent_form", "consent_form", f.ID)
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

// AttachConsentForm attaches an uploaded form of the same case to a
// consent, as a new version of the consent. Callers: as for RecordConsent.
// Errors: not_found, unknown_form (400), consent_withdrawn (409).
func (a *App) AttachConsentForm(ctx context.Context, actor *samordna.Actor, consentID, formID string) (*samordna.Consent, error) {
	caseID, err := a.consentCase(ctx, consentID)
	if err != nil {
		return nil, err
	}
	var c *samordna.Consent
	err = a.withCase(ctx, actor, caseID, access.ManageConsent, "attach_consent_form", func(tx *store.Tx, g *caseGrant) error {
		var err error
		if c, err = store.ConsentByID(tx, consentID); err != nil {
			return err
		}
		if c.Status == samordna.ConsentWithdrawn {
			return samordna.Errorf(samordna.KindConflict, "consent_withdrawn", "the consent is withdrawn")
		}
		if err := formBelongsTo(tx, formID, g.Case.ID); err != nil {
			return err
		}
		c.FormID = formID
		if err := store.UpdateConsent(tx, c, actor.Employee.ID, a.now(), "form_attached"); err != nil {
			return err
		}
		if err := a.caseEvent(tx, actor, g.Case.ID, "consent_form_attached", "consent", c.ID); err != nil {
			return err
		}
		return a.auditCase(tx, actor, g, "attach_consent_form", "consent", c.ID)
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// ScannedConsentForm returns an uploaded form with its data, for a reader of its
// case. Errors: not_found (also for a form of another case).
func (a *App) ScannedConsentForm(ctx context.Context, actor *samordna.Actor, caseID, formID string) (*store.ConsentForm, error) {
	var f *store.ConsentForm
	err := a.withCase(ctx, actor, caseID, access.Read, "read_consent_form", func(tx *store.Tx, g *caseGrant) error {
		var err error
		if f, err = store.ConsentFormByID(tx, formID); err != nil {
			return err
		}
		if f.CaseID != g.Case.ID {
			return samordna.ErrNotFound
		}
		return a.auditCase(tx, actor, g, "read", "consent_form", f.ID)
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

// ConsentVersion is one version of a consent as the history shows it.
type ConsentVersion = store.ConsentVersion

// ConsentVersions returns every version of a consent, oldest first, for a
// reader of its case. Nothing is ever deleted: recording, attaching a form
// and withdrawing each add a version. Errors: not_found.
func (a *App) ConsentVersions(ctx context.Context, actor *samordna.Actor, consentID string) ([]ConsentVersion, error) {
	caseID, err := a.consentCase(ctx, consentID)
	if err != nil {
		return nil, err
	}
	var out []ConsentVersion
	err = a.withCase(ctx, actor, caseID, access.Read, "read_consent_versions", func(tx *store.Tx, g *caseGrant) error {
		if out, err = store.ConsentVersions(tx, consentID); err != nil {
			return err
		}
		if len(out) == 0 {
			return samordna.ErrNotFound
		}
		return a.auditCase(tx, actor, g, "read_versions", "consent", consentID)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
