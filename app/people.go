package app

import (
	"context"
	"strings"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/store"
)

// ChoosablePeople returns the employees the actor may choose when a form
// asks for a colleague (an adviser, a coordinator, a group member, a
// measure's responsible, who takes over): the active employees of the
// actor's municipality who can take part in a case, that is everyone
// eligibleEmployee accepts, ordered by name. The functions that receive
// the choice check it again; this list only spares the user from typing
// usernames. Colleagues' names, titles and services are the
// municipality's staff directory, not personal data of a case, so the
// list is not audited. For any signed-in employee; others get an empty
// list.
func (a *App) ChoosablePeople(ctx context.Context, actor *samordna.Actor) ([]*samordna.Employee, error) {
	if actor == nil || actor.Employee == nil {
		return nil, nil
	}
	var out []*samordna.Employee
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		all, err := store.EmployeesOfMunicipality(tx, actor.Employee.MunicipalityID)
		if err != nil {
			return err
		}
		for _, e := range all {
			if choosable(e, actor.Employee.MunicipalityID) {
				out = append(out, e)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sortByName(out)
	return out, nil
}

// choosable mirrors eligibleEmployee (same municipality, not disabled, not
// only an administrator) and asks for a name to be chosen by.
func choosable(e *samordna.Employee, municipalityID string) bool {
	return e.MunicipalityID == municipalityID && !e.Disabled &&
		!(e.HasRole(samordna.RoleAdmin) && len(e.Roles) == 1) && strings.TrimSpace(e.Name) != ""
}
