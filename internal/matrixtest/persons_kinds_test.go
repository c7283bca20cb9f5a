package matrixtest_test

import (
	"fmt"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/access"
	"github.com/samordna/samordna/store"
)

// The person export's part of the matrix: a person ("person:export") is
// exported by the coordinating unit of the person's municipality, unless
// the employee is barred from one of the person's cases
// (access.CanExportPerson). Each fixture gets a person who is the subject
// of a case of their own in the fixture's state, so the block of the state
// "blocked" bars the actor from the person's case.
func init() {
	objectKinds["person"] = objectKind{
		make: func(fx *fixture) (string, error) { return fx.objects["person"], nil },
		expect: func(tx *store.Tx, fx *fixture, actor *samordna.Employee, action string) (bool, error) {
			if action != "export" {
				return false, fmt.Errorf("unknown person action %q", action)
			}
			p, err := store.PersonByID(tx, fx.objects["person"])
			if err != nil {
				return false, err
			}
			blocked, err := store.BlockedFromPersonCases(tx, p.ID, actor.ID)
			if err != nil {
				return false, err
			}
			s := access.SubjectOf(actor)
			return access.CanExportPerson(s, p.MunicipalityID == s.MunicipalityID, blocked), nil
		},
	}
	apiBodies["POST /api/v1/persons/lookup"] = `{"id_number": "12345678901"}`
	apiBodies["PUT /api/v1/retention"] = `{"months": 0}`
	pageForms["POST /persons/export"] = map[string]string{"id_number": "12345678901"}
	pageForms["POST /admin/retention"] = map[string]string{"months": "24", "step": "review"}
}

// makePersonObject stores the fixture's person, the subject of a named
// case in the fixture's state.
func (w *world) makePersonObject(tx *store.Tx, fx *fixture) error {
	caseID, err := w.stateCase(tx, fx)
	if err != nil {
		return err
	}
	p := &samordna.Person{MunicipalityID: w.muni, Name: "Eksport Testesen", DueDate: "2026-09-01", Synthetic: true}
	if err := store.CreatePerson(tx, p, fixedNow); err != nil {
		return err
	}
	if _, err := tx.Exec(`UPDATE cases SET subject_person_id = $1, anonymous = FALSE WHERE id = $2`, p.ID, caseID); err != nil {
		return err
	}
	fx.objects["person"] = p.ID
	return nil
}
