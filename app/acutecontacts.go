package app

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/access"
	"github.com/samordna/samordna/store"
)

// This file records the contacts made in a serious, acute situation. Seed
// 000, situation 5: "Dersom bekymringen er så alvorlig og akutt at det
// utløser melde- eller opplysningsplikt skal barnevern, politi,
// tjenesteområde psykisk helsearbeid og rusomsorg eller andre ansvarlige
// instanser/personer kontaktes"; seed 003 row 10 (intoxicated parents with
// children present: report directly to child welfare at once). The report
// to child welfare is its own document (SendReport); these rows say whom
// else the employee reached, and when, so that the case shows that the
// acute duty was acted on.

// AcuteContactKinds are whom an acute contact can be made with: the
// police, the emergency room (legevakt), child welfare on duty
// (barnevernvakt), the child welfare service, the municipal mental health
// and substance abuse service, or another responsible body or person
// (named in the note).
var AcuteContactKinds = []string{"police", "emergency_room", "child_welfare_on_duty", "child_welfare",
	"mental_health_substance", "other"}

// MaxAcuteNoteLength bounds the note of an acute contact.
const MaxAcuteNoteLength = 2000

// NewAcuteContact is the input of RecordAcuteContact.
type NewAcuteContact struct {
	Contacted   string    // one of AcuteContactKinds
	ContactedAt time.Time // zero: now
	Note        string    // whom they spoke to, what was agreed; required for "other"
}

// RecordAcuteContact records that the employee contacted the police, the
// emergency room, child welfare on duty or another responsible body in an
// acute situation, and when. One audit row and a case event.
//
// Who may call: an employee who may write to the case (access.Write);
// anyone else gets samordna.ErrNotFound. Errors: invalid_contacted,
// note_required (for "other"), note_too_long, contacted_in_future (400);
// identifying_data (422, anonymous case).
func (a *App) RecordAcuteContact(ctx context.Context, actor *samordna.Actor, caseID string, in NewAcuteContact) (*store.AcuteContact, error) {
	var out *store.AcuteContact
	err := a.withCase(ctx, actor, caseID, access.Write, "record_acute_contact", func(tx *store.Tx, g *caseGrant) error {
		in.Note = strings.TrimSpace(in.Note)
		now := a.now()
		if in.ContactedAt.IsZero() {
			in.ContactedAt = now
		}
		switch {
		case !slices.Contains(AcuteContactKinds, in.Contacted):
			return samordna.Errorf(samordna.KindInvalid, "invalid_contacted",
				"contacted is one of %s", strings.Join(AcuteContactKinds, ", "))
		case in.Contacted == "other" && in.Note == "":
			return samordna.Errorf(samordna.KindInvalid, "note_required", "say whom you contacted")
		case utf8.RuneCountInString(in.Note) > MaxAcuteNoteLength:
			return samordna.Errorf(samordna.KindInvalid, "note_too_long", "the note may be at most %d characters",
				MaxAcuteNoteLength)
		case in.ContactedAt.After(now.Add(5 * time.Minute)):
			return samordna.Errorf(samordna.KindInvalid, "contacted_in_future", "the contact cannot be later than now")
		}
		if g.Case.Anonymous {
			if err := checkAnonymousText("note", in.Note); err != nil {
				return err
			}
		}
		out = &store.AcuteContact{CaseID: g.Case.ID, Contacted: in.Contacted, ContactedAt: in.ContactedAt,
			Note: in.Note, RecordedBy: actor.Employee.ID, RecordedAt: now, RecorderName: actor.Employee.Name}
		if err := store.CreateAcuteContact(tx, out); err != nil {
			return err
		}
		if err := a.caseEvent(tx, actor, g.Case.ID, "acute_contact_recorded", "acute_contact", out.ID); err != nil {
			return err
		}
		return a.auditCase(tx, actor, g, "record_acute_contact", "acute_contact", out.ID)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// AcuteContacts returns the case's acute contacts for a reader of the
// case; anyone else gets samordna.ErrNotFound. One audit row.
func (a *App) AcuteContacts(ctx context.Context, actor *samordna.Actor, caseID string) ([]*store.AcuteContact, error) {
	var out []*store.AcuteContact
	err := a.withCase(ctx, actor, caseID, access.Read, "read_acute_contacts", func(tx *store.Tx, g *caseGrant) error {
		var err error
		if out, err = store.AcuteContactsOfCase(tx, g.Case.ID); err != nil {
			return err
		}
		return a.auditCase(tx, actor, g, "read_acute_contacts", "case", g.Case.ID)
	})
	return out, err
}
