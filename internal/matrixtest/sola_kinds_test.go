package matrixtest_test

import (
	"github.com/samordna/samordna"
	"github.com/samordna/samordna/store"
)

// Seed 001's part of the matrix: a child as next of kin
// ("child_next_of_kin:write") is decided on the parent's case (the
// fixture's), so an allowed caller updates it and anyone else gets 404.
func init() {
	objectKinds["child_next_of_kin"] = objectKind{
		make: func(fx *fixture) (string, error) { return fx.objects["child_next_of_kin"], nil },
		expect: func(tx *store.Tx, fx *fixture, actor *samordna.Employee, action string) (bool, error) {
			return caseAction(tx, fx.caseID, actor, action)
		},
	}
	for k, v := range map[string]string{
		"POST /api/v1/cases/{id}/next-of-kin":          `{"answer": "children"}`,
		"POST /api/v1/cases/{id}/next-of-kin/children": `{"name": "Emil Testesen", "birth_date": "2018-05-04", "situation": "Vet at mor er syk"}`,
		"POST /api/v1/next-of-kin-children/{id}":       `{"outcome": "no_case", "no_case_reason": "Far følger opp"}`,
		"PUT /api/v1/services/{id}/barneansvarlig":     `{"username": "kari.ke"}`,
		"POST /api/v1/surveys":                         `{"title": "Brukerundersøkelse", "questions": ["Jeg ble tatt på alvor."]}`,
		"POST /api/v1/surveys/{id}/links":              `{"count": 1}`,
		"POST /api/v1/surveys/{id}/close":              "",
		"POST /api/v1/methods":                         `{"kind": "screening", "name": "Kartlegging"}`,
		"POST /api/v1/methods/{id}/retire":             "",
	} {
		apiBodies[k] = v
	}
	for k, v := range map[string]map[string]string{
		"POST /cases/{id}/next-of-kin":          {"answer": "children"},
		"POST /cases/{id}/next-of-kin/children": {"name": "Emil Testesen", "birth_date": "2018-05-04"},
		"POST /next-of-kin-children/{id}":       {"outcome": "no_case", "reason": "Far følger opp"},
		"POST /cases/{id}/feedback":             {"date": "2026-03-01"},
	} {
		pageForms[k] = v
	}
}

// makeSolaObject records a child as next of kin on the fixture's case.
func (w *world) makeSolaObject(tx *store.Tx, fx *fixture) error {
	c := &store.ChildNextOfKin{ID: samordna.NewID(), CaseID: fx.caseID, MunicipalityID: w.muni, Name: "Lisa Testesen",
		BirthDate: "2014-02-01", RecordedBy: w.emp[registrar].ID, RecordedAt: fixedNow, UpdatedAt: fixedNow}
	if err := store.CreateChildNextOfKin(tx, c); err != nil {
		return err
	}
	fx.objects["child_next_of_kin"] = c.ID
	return nil
}
