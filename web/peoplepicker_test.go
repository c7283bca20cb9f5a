package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/internal/matrixtest"
	"github.com/samordna/samordna/store"
)

// pickerPeople adds, beside spineCase's Ola Brekke, a colleague in a
// service with a title, a disabled one, an administrator only and an
// employee of another municipality: only the first two may be chosen.
func pickerPeople(t *testing.T, e *env) {
	t.Helper()
	err := e.db.Write(context.Background(), func(tx *store.Tx) error {
		now := e.clock.Now()
		svc := &samordna.Service{MunicipalityID: e.emp.MunicipalityID, Name: "Nordby skole", Kind: samordna.ServiceSchool}
		if err := store.CreateService(tx, svc, now); err != nil {
			return err
		}
		other := &samordna.Municipality{ID: samordna.NewID(), Name: "Nabovik", Number: "9998"}
		if err := store.CreateMunicipality(tx, other, now); err != nil {
			return err
		}
		for _, x := range []struct {
			username, name, title, municipality string
			roles                               []samordna.Role
			disabled, inService                 bool
		}{
			{"anne.ppt", "Anne Lunde", "Lærer", e.emp.MunicipalityID, []samordna.Role{samordna.RoleEmployee}, false, true},
			{"dag.sluttet", "Dag Sluttet", "", e.emp.MunicipalityID, []samordna.Role{samordna.RoleEmployee}, true, false},
			{"ada.admin", "Ada Admin", "", e.emp.MunicipalityID, []samordna.Role{samordna.RoleAdmin}, false, false},
			{"ulf.utenbys", "Ulf Utenbys", "", other.ID, []samordna.Role{samordna.RoleEmployee}, false, false},
		} {
			emp := &samordna.Employee{ID: samordna.NewID(), MunicipalityID: x.municipality, Username: x.username,
				Name: x.name, Title: x.title, Roles: x.roles, Disabled: x.disabled}
			if err := store.CreateEmployee(tx, emp, "", now); err != nil {
				return err
			}
			if x.disabled {
				if err := store.SetDisabled(tx, emp.ID, true, now); err != nil {
					return err
				}
			}
			if x.inService {
				if err := store.AddServiceMember(tx, svc.ID, emp.ID); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Issue 13 point 3: people are chosen by name. Without JavaScript the
// field is a select of the municipality's active employees who can take
// part in a case, grouped by service, each as name (title or role,
// service), the username only as the value; the app still refuses a
// username from another municipality, as if it did not exist.
func TestPeoplePickerChoosesByName(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		c := e.login()
		id := spineCase(t, e)
		pickerPeople(t, e)

		r := e.get("/cases/"+id+"/blocks", c)
		if r.status != http.StatusOK {
			t.Fatalf("blocks page: %d", r.status)
		}
		for _, want := range []string{`<select class="ds-input people-picker" id="block-username" name="username" data-combobox`,
			`<optgroup label="Nordby skole"><option value="anne.ppt">Anne Lunde (Lærer, Nordby skole)</option></optgroup>`,
			`<optgroup label="Uten tjeneste">`, `<option value="ola.laerer">Ola Brekke (Ansatt)</option>`,
			`<option value="kari.nordmann">Kari Nordmann (Koordinerende enhet)</option>`} {
			if !strings.Contains(r.body, want) {
				t.Errorf("the blocks page lacks %s", want)
			}
		}
		for _, never := range []string{"Dag Sluttet", "Ada Admin", "Ulf Utenbys", ">ola.laerer<", "brukernavn"} {
			if strings.Contains(r.body, never) {
				t.Errorf("the blocks page shows %q", never)
			}
		}
		r = e.post("/cases/"+id+"/blocks", url.Values{"username": {"ulf.utenbys"}, "reason": {"Nabo"}}, c)
		if r.status < 400 || !strings.Contains(r.body, "Den valgte ansatte finnes ikke eller kan ikke velges lenger.") {
			t.Errorf("blocking an employee of another municipality: %d", r.status)
		}
		if n := e.count("case_blocks"); n != 0 {
			t.Errorf("%d blocks after a refused choice", n)
		}
		r = e.post("/cases/"+id+"/blocks", url.Values{"username": {"anne.ppt"}, "reason": {"Nabo"}}, c)
		if r.status != http.StatusSeeOther {
			t.Errorf("block the chosen employee: %d", r.status)
		}

		// The same picker on the application form, for the wished coordinator.
		r = e.get("/cases/"+id+"/application", c)
		if r.status != http.StatusOK || !strings.Contains(r.body, `id="wished_coordinator" name="wished_coordinator" data-combobox`) ||
			!strings.Contains(r.body, `<option value="">Ingen</option>`) {
			t.Errorf("the application form has no optional people picker for the wished coordinator: %d", r.status)
		}
	})
}

// Issue 13 point 3: family links find the case by the person's name or
// fødselsnummer (POSTed, never in the address), list only cases the user
// may change besides this one, each with name and birth date and a button
// that links it; no case id is typed.
func TestCaseLinksSearchByName(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		c := e.login()
		id := spineCase(t, e)
		var mine, hidden string
		err := e.db.Write(context.Background(), func(tx *store.Tx) error {
			now := e.clock.Now()
			ola, _, err := store.EmployeeByUsername(tx, "ola.laerer")
			if err != nil {
				return err
			}
			for i, p := range []*samordna.Person{
				{MunicipalityID: e.emp.MunicipalityID, Name: "Eva Sandvik", IDNumber: "01021855128", IDKind: samordna.IDKindFNR, BirthDate: "2018-02-01"},
				{MunicipalityID: e.emp.MunicipalityID, Name: "Eva Sandnes", BirthDate: "2015-07-09"},
			} {
				if err := store.CreatePerson(tx, p, now); err != nil {
					return err
				}
				cid, err := matrixtest.NewCase(tx, e.emp.MunicipalityID, ola.ID, p.ID, now)
				if err != nil {
					return err
				}
				if i == 0 {
					mine = cid
					if err := matrixtest.AddCoordinator(tx, cid, e.emp.ID, e.emp.ID, now, false); err != nil {
						return err
					}
				} else {
					hidden = cid
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		base := "/cases/" + id + "/links"
		for _, q := range []string{"eva", "01021855128", "0102 1855 128"} {
			r := e.post(base, url.Values{"search": {"yes"}, "case_query": {q}}, c)
			if r.status != http.StatusOK || !strings.Contains(r.body, "Eva Sandvik, født 01.02.2018") ||
				!strings.Contains(r.body, `name="case_id" value="`+mine+`"`) {
				t.Errorf("search %q: %d, Eva Sandvik not offered", q, r.status)
			}
			if strings.Contains(r.body, "Eva Sandnes") || strings.Contains(r.body, hidden) {
				t.Errorf("search %q offers a case the user may not change", q)
			}
		}
		if a := e.lastAudit(); a.Action != "search" || a.ObjectType != "case" {
			t.Errorf("the search is audited as %+v", a)
		}
		if r := e.post(base, url.Values{"search": {"yes"}, "case_query": {""}}, c); r.status != http.StatusBadRequest ||
			!strings.Contains(r.body, "Skriv et navn eller et fødselsnummer.") {
			t.Errorf("empty search: %d", r.status)
		}
		if r := e.post(base, url.Values{"case_id": {mine}}, c); r.status != http.StatusSeeOther {
			t.Errorf("link the chosen case: %d", r.status)
		}
		if r := e.post("/cases/"+samordna.NewID()+"/links", url.Values{"search": {"yes"}, "case_query": {"eva"}}, c); r.status != http.StatusNotFound {
			t.Errorf("search from an unknown case: %d, want 404", r.status)
		}
	})
}

// Issue 13 point 3: emergency access finds the case by the person's full
// name or fødselsnummer, never by part of a name, so it reveals no more
// than a case id would; each case found is audited on the case, and
// without the role the search is the 404 page with a denied audit row.
func TestEmergencySearchByName(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		c := e.login()
		var caseID string
		err := e.db.Write(context.Background(), func(tx *store.Tx) error {
			now := e.clock.Now()
			p := &samordna.Person{MunicipalityID: e.emp.MunicipalityID, Name: "Mia Solberg", IDNumber: "04031955155",
				IDKind: samordna.IDKindFNR, BirthDate: "2019-03-04"}
			if err := store.CreatePerson(tx, p, now); err != nil {
				return err
			}
			var err error
			caseID, err = matrixtest.NewCase(tx, e.emp.MunicipalityID, e.emp.ID, p.ID, now)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		search := func(q string) *response {
			return e.post("/emergency-access", url.Values{"search": {"yes"}, "case_query": {q}}, c)
		}
		if r := search("Mia Solberg"); r.status != http.StatusNotFound {
			t.Errorf("search without the role: %d, want 404", r.status)
		}
		if a := e.lastAudit(); a.Outcome != string(samordna.OutcomeDenied) {
			t.Errorf("search without the role is audited as %+v", a)
		}
		if err := e.db.Write(context.Background(), func(tx *store.Tx) error {
			return store.GrantRole(tx, e.emp.ID, samordna.RoleEmergencyAccess)
		}); err != nil {
			t.Fatal(err)
		}
		c = e.login()
		for _, q := range []string{"mia  SOLBERG", "04031955155"} {
			r := search(q)
			if r.status != http.StatusOK || !strings.Contains(r.body, "Mia Solberg, født 04.03.2019") ||
				!strings.Contains(r.body, `value="`+caseID+`"`) {
				t.Errorf("emergency search %q: %d, the case is not offered", q, r.status)
			}
			if a := e.lastAudit(); a.Action != "emergency_search" || a.Purpose != "emergency_access" {
				t.Errorf("emergency search %q is audited as %+v", q, a)
			}
		}
		var onCase int
		if err := e.db.Read(context.Background(), func(tx *store.Tx) error {
			return tx.QueryRow(`SELECT COUNT(*) FROM audit_events WHERE case_id = $1 AND action = 'emergency_search'`, caseID).Scan(&onCase)
		}); err != nil {
			t.Fatal(err)
		}
		if onCase != 2 {
			t.Errorf("%d audit rows on the case for two searches that found it, want 2", onCase)
		}
		for _, q := range []string{"Mia", "Solberg", "0403195515"} {
			if r := search(q); r.status != http.StatusOK || strings.Contains(r.body, "Mia Solberg,") ||
				!strings.Contains(r.body, "Fant ingen sak som passer.") {
				t.Errorf("emergency search %q: %d, finds the case by part of it", q, r.status)
			}
		}
		r := e.post("/emergency-access", url.Values{"case_query": {"Mia Solberg"}, "case_id": {caseID},
			"reason_code": {"life_or_health"}, "reason": {"Barnet er ikke hentet i barnehagen"}}, c)
		if r.status != http.StatusSeeOther || !strings.HasPrefix(r.location(), "/cases/"+caseID) {
			t.Errorf("break the glass on the chosen case: %d %q", r.status, r.location())
		}
	})
}
