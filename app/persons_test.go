package app_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// demoClock is a fixed clock for the tests in this package's person and
// demo tests.
type demoClock struct{ t time.Time }

func (c demoClock) Now() time.Time { return c.t }

// demoToday is the fixed "now" of these tests.
var demoToday = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

// newPersonsApp returns an App on db with the fixed clock and a municipality.
func newPersonsApp(t *testing.T, db *store.DB) *app.App {
	t.Helper()
	a := app.New(db, demoClock{demoToday}, nil)
	err := db.Write(context.Background(), func(tx *store.Tx) error {
		return store.CreateMunicipality(tx, &samordna.Municipality{ID: samordna.NewID(), Name: "Testvik", Number: "9998"},
			demoToday)
	})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// wantCode fails the test unless err is a *samordna.Error with the code and kind.
func wantCode(t *testing.T, err error, kind samordna.Kind, code string) {
	t.Helper()
	if samordna.ErrorCode(err) != code || samordna.ErrorKind(err) != kind {
		t.Fatalf("err = %v (kind %d), want %s (kind %d)", err, samordna.ErrorKind(err), code, kind)
	}
}

// personAudits counts the audit rows of object_type "person" about personID.
func personAudits(t *testing.T, db *store.DB, personID string) int {
	t.Helper()
	var n int
	err := db.Read(context.Background(), func(tx *store.Tx) error {
		return tx.QueryRow(`SELECT COUNT(*) FROM audit_events WHERE object_type = 'person' AND person_id = $1`,
			personID).Scan(&n)
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestRegisterPersonSyntheticOnlyWhenAllowed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newPersonsApp(t, db)
		birth := time.Date(2014, time.May, 17, 0, 0, 0, 0, time.UTC)
		number := samordna.SyntheticIDNumber(birth, 3)

		_, err := a.RegisterPerson(ctx, nil, app.NewPerson{IDNumber: number, Name: "Emil Moe"})
		wantCode(t, err, samordna.KindInvalid, "invalid_id_number")
		if !strings.Contains(err.Error(), samordna.ErrIDSynthetic.Message) || strings.Contains(err.Error(), number) {
			t.Errorf("message %q should give the reason and not the number", err)
		}

		a.AllowSynthetic = true
		// Written with a space, as people do.
		p, err := a.RegisterPerson(ctx, nil, app.NewPerson{IDNumber: number[:6] + " " + number[6:], Name: " Emil Moe "})
		if err != nil {
			t.Fatal(err)
		}
		if p.IDNumber != number || p.IDKind != samordna.IDKindFNR || p.BirthDate != "2014-05-17" || !p.Synthetic ||
			p.Name != "Emil Moe" || p.MunicipalityID == "" {
			t.Errorf("registered %+v", p)
		}
		if n := personAudits(t, db, p.ID); n != 1 {
			t.Errorf("%d audit rows for the new person, want 1", n)
		}
		err = db.Read(ctx, func(tx *store.Tx) error {
			got, err := store.PersonByIDNumber(tx, number)
			if err == nil && *got != *p {
				t.Errorf("stored %+v, want %+v", *got, *p)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}

		_, err = a.RegisterPerson(ctx, nil, app.NewPerson{IDNumber: number, Name: "Emil Moe"})
		wantCode(t, err, samordna.KindConflict, "person_exists")

		dnr := samordna.SyntheticDNumber(time.Date(1990, 1, 31, 0, 0, 0, 0, time.UTC), 0)
		d, err := a.RegisterPerson(ctx, nil, app.NewPerson{IDNumber: dnr, Name: "Aleksandra Nowak"})
		if err != nil {
			t.Fatal(err)
		}
		if d.IDKind != samordna.IDKindDNR || d.BirthDate != "1990-01-31" {
			t.Errorf("D-nummer person %+v", d)
		}
	})
}

func TestRegisterPersonRefusesBadInput(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newPersonsApp(t, db)
		a.AllowSynthetic = true
		number := samordna.SyntheticIDNumber(time.Date(2014, time.May, 17, 0, 0, 0, 0, time.UTC), 3)
		bad := number[:10] + string('0'+(number[10]-'0'+1)%10)
		for name, in := range map[string]app.NewPerson{
			"bad checksum": {IDNumber: bad, Name: "Emil Moe"},
			"too short":    {IDNumber: number[:10], Name: "Emil Moe"},
		} {
			_, err := a.RegisterPerson(ctx, nil, in)
			if samordna.ErrorCode(err) != "invalid_id_number" || samordna.ErrorKind(err) != samordna.KindInvalid {
				t.Errorf("%s: err = %v, want invalid_id_number", name, err)
			}
		}
		_, err := a.RegisterPerson(ctx, nil, app.NewPerson{IDNumber: number})
		wantCode(t, err, samordna.KindInvalid, "name_required")
		_, err = a.RegisterPerson(ctx, nil, app.NewPerson{IDNumber: number, Name: "X", DueDate: "2026-07-01"})
		wantCode(t, err, samordna.KindInvalid, "id_number_or_due_date")
		err = db.Read(ctx, func(tx *store.Tx) error {
			list, err := store.ListPersons(tx, 10)
			if len(list) != 0 {
				t.Errorf("refused input stored %d persons", len(list))
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

func TestRegisterExpectedChild(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newPersonsApp(t, db)
		a.AllowSynthetic = true
		mother, err := a.RegisterPerson(ctx, nil, app.NewPerson{
			IDNumber: samordna.SyntheticIDNumber(time.Date(1997, 6, 14, 0, 0, 0, 0, time.UTC), 1), Name: "Maria Johansen"})
		if err != nil {
			t.Fatal(err)
		}
		refusals := []struct {
			in   app.NewPerson
			kind samordna.Kind
			code string
		}{
			{app.NewPerson{MotherID: mother.ID}, samordna.KindInvalid, "due_date_required"},
			{app.NewPerson{MotherID: mother.ID, DueDate: "01.07.2026"}, samordna.KindInvalid, "invalid_due_date"},
			{app.NewPerson{MotherID: mother.ID, DueDate: "2027-01-03"}, samordna.KindInvalid, "due_date_out_of_range"},
			{app.NewPerson{MotherID: mother.ID, DueDate: "2026-01-31"}, samordna.KindInvalid, "due_date_out_of_range"},
			{app.NewPerson{DueDate: "2026-07-01"}, samordna.KindInvalid, "mother_required"},
			{app.NewPerson{MotherID: "missing", DueDate: "2026-07-01"}, samordna.KindNotFound, "not_found"},
		}
		for _, r := range refusals {
			_, err := a.RegisterPerson(ctx, nil, r.in)
			if samordna.ErrorCode(err) != r.code || samordna.ErrorKind(err) != r.kind {
				t.Errorf("RegisterPerson(%+v) = %v, want %s", r.in, err, r.code)
			}
		}
		// The window's edges are accepted.
		for _, due := range []string{"2026-02-02", "2027-01-02"} {
			if _, err := a.RegisterPerson(ctx, nil, app.NewPerson{MotherID: mother.ID, DueDate: due}); err != nil {
				t.Errorf("due %s: %v", due, err)
			}
		}
		child, err := a.RegisterPerson(ctx, nil, app.NewPerson{MotherID: mother.ID, DueDate: "2026-07-01"})
		if err != nil {
			t.Fatal(err)
		}
		if !child.Expected() || child.DueDate != "2026-07-01" || child.BirthDate != "" || child.MunicipalityID != mother.MunicipalityID {
			t.Errorf("expected child %+v", child)
		}
		_, err = a.RegisterPerson(ctx, nil, app.NewPerson{MotherID: child.ID, DueDate: "2026-07-01"})
		wantCode(t, err, samordna.KindInvalid, "relation_mismatch")
		if n := personAudits(t, db, child.ID); n != 1 {
			t.Errorf("%d audit rows for the expected child, want 1", n)
		}
		err = db.Read(ctx, func(tx *store.Tx) error {
			rels, err := store.RelationsOf(tx, child.ID)
			if len(rels) != 1 || rels[0].PersonID != mother.ID || rels[0].Kind != samordna.RelationExpecting {
				t.Errorf("expected child's relations = %+v", rels)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

func TestRelatePersons(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newPersonsApp(t, db)
		a.AllowSynthetic = true
		reg := func(name string, y int, seq int) *samordna.Person {
			t.Helper()
			p, err := a.RegisterPerson(ctx, nil, app.NewPerson{Name: name,
				IDNumber: samordna.SyntheticIDNumber(time.Date(y, 3, 1, 0, 0, 0, 0, time.UTC), seq)})
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		mother, father, child := reg("Hege Olsen", 1981, 1), reg("Rune Olsen", 1979, 2), reg("Mathias Olsen", 2011, 3)
		for _, parent := range []*samordna.Person{mother, father} {
			for _, k := range []samordna.RelationKind{samordna.RelationParentOf, samordna.RelationGuardianOf} {
				r, err := a.RelatePersons(ctx, nil, parent.ID, k, child.ID)
				if err != nil {
					t.Fatal(err)
				}
				if r.ID == "" || r.PersonID != parent.ID || r.Kind != k || r.RelatedID != child.ID {
					t.Errorf("relation %+v", r)
				}
			}
		}
		if n := personAudits(t, db, mother.ID); n != 3 { // created, parent_of, guardian_of
			t.Errorf("%d audit rows about the mother, want 3", n)
		}
		_, err := a.RelatePersons(ctx, nil, mother.ID, samordna.RelationGuardianOf, child.ID)
		wantCode(t, err, samordna.KindConflict, "relation_exists")
		_, err = a.RelatePersons(ctx, nil, mother.ID, samordna.RelationParentOf, mother.ID)
		wantCode(t, err, samordna.KindInvalid, "self_relation")
		_, err = a.RelatePersons(ctx, nil, mother.ID, "aunt_of", child.ID)
		wantCode(t, err, samordna.KindInvalid, "invalid_relation")
		_, err = a.RelatePersons(ctx, nil, mother.ID, samordna.RelationExpecting, child.ID)
		wantCode(t, err, samordna.KindInvalid, "relation_mismatch")
		_, err = a.RelatePersons(ctx, nil, mother.ID, samordna.RelationParentOf, "missing")
		if !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("relating to a missing person: %v, want not found", err)
		}
		// A father may be related to an expected child, but no one is its guardian yet.
		expected, err := a.RegisterPerson(ctx, nil, app.NewPerson{MotherID: mother.ID, DueDate: "2026-08-15"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.RelatePersons(ctx, nil, father.ID, samordna.RelationParentOf, expected.ID); err != nil {
			t.Errorf("father parent_of expected child: %v", err)
		}
		_, err = a.RelatePersons(ctx, nil, father.ID, samordna.RelationGuardianOf, expected.ID)
		wantCode(t, err, samordna.KindInvalid, "relation_mismatch")

		err = db.Read(ctx, func(tx *store.Tx) error {
			ofChild, err := store.RelationsOf(tx, child.ID)
			if err != nil {
				return err
			}
			guardians := map[string]bool{}
			for _, r := range ofChild {
				if r.Kind == samordna.RelationGuardianOf {
					guardians[r.PersonID] = true
				}
			}
			if len(ofChild) != 4 || !guardians[mother.ID] || !guardians[father.ID] {
				t.Errorf("child's relations = %+v", ofChild)
			}
			ofFather, err := store.RelationsOf(tx, father.ID)
			if len(ofFather) != 3 {
				t.Errorf("father's relations = %+v, want 3", ofFather)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
