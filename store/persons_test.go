package store_test

import (
	"errors"
	"testing"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// orgPerson returns a person with a synthetic fødselsnummer for the date.
func orgPerson(mid, name string, y int, m time.Month, d, seq int) *samordna.Person {
	birth := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return &samordna.Person{MunicipalityID: mid, Name: name, IDNumber: samordna.SyntheticIDNumber(birth, seq),
		IDKind: samordna.IDKindFNR, BirthDate: birth.Format(time.DateOnly), Synthetic: true}
}

func TestPersonsRoundTrip(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		mid, _ := orgSeed(t, db)
		mother := orgPerson(mid, "Åse Moe", 1994, time.May, 17, 1)
		child := orgPerson(mid, "Emil Moe", 2021, time.January, 3, 2)
		expected := &samordna.Person{MunicipalityID: mid, Name: "Ufødt barn", DueDate: "2026-07-01"}
		expected2 := &samordna.Person{MunicipalityID: mid, Name: "Ufødt barn 2", DueDate: "2026-08-01"}
		orgWrite(t, db, func(tx *store.Tx) error {
			for _, p := range []*samordna.Person{mother, child, expected, expected2} {
				if err := store.CreatePerson(tx, p, orgTestNow); err != nil {
					return err
				}
			}
			return nil
		})
		orgRead(t, db, func(tx *store.Tx) error {
			for _, want := range []*samordna.Person{mother, child, expected} {
				got, err := store.PersonByID(tx, want.ID)
				if err != nil {
					return err
				}
				if *got != *want {
					t.Errorf("PersonByID = %+v, want %+v", *got, *want)
				}
			}
			got, err := store.PersonByIDNumber(tx, child.IDNumber)
			if err != nil {
				return err
			}
			if got.ID != child.ID {
				t.Errorf("PersonByIDNumber = %s, want %s", got.ID, child.ID)
			}
			if _, err := store.PersonByIDNumber(tx, ""); !errors.Is(err, samordna.ErrNotFound) {
				t.Errorf("PersonByIDNumber(\"\") = %v, want not found", err)
			}
			if _, err := store.PersonByID(tx, "missing"); !errors.Is(err, samordna.ErrNotFound) {
				t.Errorf("PersonByID(missing) = %v, want not found", err)
			}
			byID, err := store.PersonsByIDs(tx, []string{mother.ID, "missing", expected.ID})
			if err != nil {
				return err
			}
			if len(byID) != 2 || *byID[mother.ID] != *mother || *byID[expected.ID] != *expected {
				t.Errorf("PersonsByIDs = %v, want the mother and the expected child only", byID)
			}
			list, err := store.ListPersons(tx, 3)
			if err != nil {
				return err
			}
			var names []string
			for _, p := range list {
				names = append(names, p.Name)
			}
			if len(names) != 3 || names[0] != "Emil Moe" || names[1] != "Ufødt barn" || names[2] != "Ufødt barn 2" {
				t.Errorf("ListPersons(3) = %q", names)
			}
			return nil
		})
	})
}

func TestPersonNumberIsUnique(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		mid, _ := orgSeed(t, db)
		first := orgPerson(mid, "Kari Lie", 1990, time.March, 1, 7)
		orgWrite(t, db, func(tx *store.Tx) error { return store.CreatePerson(tx, first, orgTestNow) })
		again := orgPerson(mid, "Kari Lie Berg", 1990, time.March, 1, 7)
		err := db.Write(t.Context(), func(tx *store.Tx) error { return store.CreatePerson(tx, again, orgTestNow) })
		if samordna.ErrorKind(err) != samordna.KindConflict || samordna.ErrorCode(err) != "person_exists" {
			t.Fatalf("second person with the same number: err = %v, want conflict person_exists", err)
		}
		orgRead(t, db, func(tx *store.Tx) error {
			list, err := store.ListPersons(tx, 10)
			if len(list) != 1 {
				t.Errorf("%d persons stored, want 1", len(list))
			}
			return err
		})
	})
}

func TestRelationsBothDirections(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		mid, _ := orgSeed(t, db)
		mother := orgPerson(mid, "Hege Olsen", 1985, time.June, 2, 1)
		father := orgPerson(mid, "Rune Olsen", 1983, time.July, 9, 2)
		child := orgPerson(mid, "Mia Olsen", 2015, time.August, 30, 3)
		other := orgPerson(mid, "Per Hansen", 1970, time.April, 4, 4)
		var rels []*samordna.Relation
		orgWrite(t, db, func(tx *store.Tx) error {
			for _, p := range []*samordna.Person{mother, father, child, other} {
				if err := store.CreatePerson(tx, p, orgTestNow); err != nil {
					return err
				}
			}
			for _, parent := range []*samordna.Person{mother, father} {
				for _, k := range []samordna.RelationKind{samordna.RelationParentOf, samordna.RelationGuardianOf} {
					r := &samordna.Relation{PersonID: parent.ID, Kind: k, RelatedID: child.ID}
					if err := store.CreateRelation(tx, r, orgTestNow); err != nil {
						return err
					}
					rels = append(rels, r)
				}
			}
			return nil
		})
		orgRead(t, db, func(tx *store.Tx) error {
			ofChild, err := store.RelationsOf(tx, child.ID)
			if err != nil {
				return err
			}
			if len(ofChild) != 4 {
				t.Errorf("child's relations = %+v, want 4", ofChild)
			}
			guardians := map[string]bool{}
			for _, r := range ofChild {
				if r.RelatedID != child.ID {
					t.Errorf("child relation %+v does not point at the child", r)
				}
				if r.Kind == samordna.RelationGuardianOf {
					guardians[r.PersonID] = true
				}
			}
			if !guardians[mother.ID] || !guardians[father.ID] || len(guardians) != 2 {
				t.Errorf("guardians = %v", guardians)
			}
			ofMother, err := store.RelationsOf(tx, mother.ID)
			if err != nil {
				return err
			}
			var got []string
			for _, r := range ofMother {
				got = append(got, r.ID+" "+r.PersonID+" "+string(r.Kind)+" "+r.RelatedID)
			}
			var want []string
			for _, r := range rels[:2] {
				want = append(want, r.ID+" "+r.PersonID+" "+string(r.Kind)+" "+r.RelatedID)
			}
			if !orgSameSet(got, want) {
				t.Errorf("mother's relations = %q, want %q", got, want)
			}
			none, err := store.RelationsOf(tx, other.ID)
			if len(none) != 0 {
				t.Errorf("unrelated person has relations %+v", none)
			}
			return err
		})
	})
}
