package app_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// Seed 000, situation 5: "Dersom bekymringen er så alvorlig og akutt at det
// utløser melde- eller opplysningsplikt skal barnevern, politi,
// tjenesteområde psykisk helsearbeid og rusomsorg eller andre ansvarlige
// instanser/personer kontaktes." The discoverer records whom they
// contacted (police, legevakt, child welfare on duty) and when; the case
// shows it in that order; someone without the case gets 404; "other"
// needs a name; each contact is audited; the retention purge empties the
// notes.
func TestSeed000Situation5AcuteContactsAreRecorded(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		now := time.Date(2026, 3, 2, 22, 30, 0, 0, time.UTC)
		w := newWorld(t, db, now)
		ctx := context.Background()
		c := w.concern("ola", named(pathway.SituationAcute, ""))
		audits := func() int {
			return countRows(t, db, `SELECT COUNT(*) FROM audit_events WHERE action = 'record_acute_contact' AND outcome = 'allowed'`)
		}

		police, err := w.app.RecordAcuteContact(ctx, w.as("ola"), c.Case.ID, app.NewAcuteContact{Contacted: "police",
			ContactedAt: now.Add(-20 * time.Minute), Note: "Operasjonssentralen, patrulje sendt"})
		w.must(err)
		_, err = w.app.RecordAcuteContact(ctx, w.as("ola"), c.Case.ID, app.NewAcuteContact{Contacted: "child_welfare_on_duty"})
		w.must(err)
		_, err = w.app.RecordAcuteContact(ctx, w.as("ola"), c.Case.ID, app.NewAcuteContact{Contacted: "emergency_room",
			ContactedAt: now.Add(-10 * time.Minute)})
		w.must(err)

		for _, tc := range []struct {
			in   app.NewAcuteContact
			code string
		}{
			{app.NewAcuteContact{Contacted: "neighbour"}, "invalid_contacted"},
			{app.NewAcuteContact{Contacted: "other"}, "note_required"},
			{app.NewAcuteContact{Contacted: "police", ContactedAt: now.Add(time.Hour)}, "contacted_in_future"},
		} {
			if _, err := w.app.RecordAcuteContact(ctx, w.as("ola"), c.Case.ID, tc.in); samordna.ErrorCode(err) != tc.code {
				t.Errorf("%+v: %v, want %s", tc.in, err, tc.code)
			}
		}
		// Child welfare has not received anything on this case: refused ≡ missing.
		if _, err := w.app.RecordAcuteContact(ctx, w.as("per"), c.Case.ID, app.NewAcuteContact{Contacted: "police"}); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("an employee without the case: %v, want not found", err)
		}
		if _, err := w.app.AcuteContacts(ctx, w.as("per"), c.Case.ID); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("an employee without the case reads the contacts: %v", err)
		}

		v, err := w.app.CaseRoutine(ctx, w.as("ola"), c.Case.ID)
		w.must(err)
		var got []string
		for _, k := range v.AcuteContacts {
			got = append(got, k.Contacted)
		}
		if len(got) != 3 || got[0] != "police" || got[1] != "emergency_room" || got[2] != "child_welfare_on_duty" ||
			v.AcuteContacts[0].RecorderName != "Ola Lærer" || !v.AcuteContacts[2].ContactedAt.Equal(now) {
			t.Errorf("contacts on the case: %v (%+v)", got, v.AcuteContacts[0])
		}
		if n := audits(); n != 3 {
			t.Errorf("%d audit rows, want 3", n)
		}

		w.must(db.Write(ctx, func(tx *store.Tx) error {
			return store.PurgeCaseContent(tx, c.Case.ID, store.PurgedContent{})
		}))
		if n := countRows(t, db, `SELECT COUNT(*) FROM acute_contacts WHERE id = $1 AND note <> ''`, police.ID); n != 0 {
			t.Error("the note survives the retention purge")
		}
	})
}
