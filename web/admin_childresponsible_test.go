package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// Seed 001 (Sola): each service names its barneansvarlig (helsepersonelloven
// § 10a). The administrator chooses one of the service's employees by name
// on the service form; someone outside the service is refused on the form;
// a change writes one audit row, saving unchanged writes none.
func TestSeed001AdminNamesBarneansvarligOnServiceForm(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		admin := e.otherUser("admin", samordna.RoleAdmin)
		svc, err := e.app.CreateService(ctx, nil, app.NewService{Name: "Psykisk helse og rus", Kind: samordna.ServiceMentalHealth})
		if err != nil {
			t.Fatal(err)
		}
		if err := e.app.AddServiceMember(ctx, nil, svc.ID, e.emp.ID); err != nil {
			t.Fatal(err)
		}
		outsider, err := e.app.CreateUser(ctx, nil, app.NewUser{Username: "ute", Name: "Ulla Utenfor", Roles: []samordna.Role{samordna.RoleEmployee}})
		if err != nil {
			t.Fatal(err)
		}
		path := "/admin/services/" + svc.ID
		r := e.get(path, admin)
		if r.status != http.StatusOK || !strings.Contains(r.body, `<select class="ds-input" id="child_responsible"`) ||
			!strings.Contains(r.body, ">"+testName+"</option>") || strings.Contains(r.body, "Ulla Utenfor</option>") {
			t.Fatalf("service form: %d, want a select of the service's employees by name:\n%s", r.status, r.body)
		}
		form := func(child string) url.Values {
			return url.Values{"name": {"Psykisk helse og rus"}, "kind": {string(samordna.ServiceMentalHealth)}, "child_responsible": {child}}
		}
		r = e.post(path, form(outsider.ID), admin)
		if r.status != http.StatusBadRequest || !strings.Contains(r.body, "Barneansvarlig må være ansatt i tjenesten.") {
			t.Errorf("outsider as barneansvarlig: %d", r.status)
		}
		if r := e.post(path, form(e.emp.ID), admin); r.status != http.StatusSeeOther {
			t.Fatalf("save: %d %s", r.status, r.body)
		}
		got, err := e.app.ChildResponsible(ctx, nil, svc.ID)
		if err != nil || got == nil || got.Name != testName {
			t.Fatalf("barneansvarlig after save: %+v, %v", got, err)
		}
		if r := e.get(path, admin); !strings.Contains(r.body, `" selected>`+testName+`</option>`) {
			t.Error("the form does not show the chosen barneansvarlig")
		}
		count := func() int {
			n := 0
			for _, a := range e.audit() {
				if a.Action == "set_child_responsible" && a.Outcome != "denied" {
					n++
				}
			}
			return n
		}
		if n := count(); n != 1 {
			t.Errorf("%d audit rows for the change, want 1", n)
		}
		e.post(path, form(e.emp.ID), admin)
		if n := count(); n != 1 {
			t.Errorf("saving unchanged wrote audit rows: %d", n)
		}
		if r := e.post(path, form(""), admin); r.status != http.StatusSeeOther {
			t.Fatalf("remove: %d", r.status)
		}
		if got, _ := e.app.ChildResponsible(ctx, nil, svc.ID); got != nil {
			t.Errorf("barneansvarlig after removing: %+v", got)
		}
	})
}
