package app

import (
	"context"
	"strings"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/store"
)

// This file holds the districts (for example Nord, Sentrum, Sør) that
// schools and kindergartens belong to and that a TST serves, and the
// administrator's view of the whole organisation.

// CreateDistrict adds a district to the actor's municipality. One audit row
// (object_type "district", action "create").
//
// Who may call: the administrator, the command line and the demo seeder;
// anyone else gets samordna.ErrNotFound (and a denied audit row).
// Errors: name_required (KindInvalid); district_exists (KindConflict).
func (a *App) CreateDistrict(ctx context.Context, actor *samordna.Actor, name string) (*samordna.District, error) {
	if !isAdminOrCLI(actor) {
		return nil, a.refuse(ctx, actor, "district", "create")
	}
	var d *samordna.District
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		d, err = a.createDistrict(tx, actor, name)
		return err
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// createDistrict is CreateDistrict inside tx, without the access check.
func (a *App) createDistrict(tx *store.Tx, actor *samordna.Actor, name string) (*samordna.District, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, samordna.Errorf(samordna.KindInvalid, "name_required", "a name is required")
	}
	mid, err := a.municipalityID(tx, actor)
	if err != nil {
		return nil, err
	}
	if err := districtNameFree(tx, mid, name, ""); err != nil {
		return nil, err
	}
	d := &samordna.District{ID: samordna.NewID(), MunicipalityID: mid, Name: name}
	if err := store.CreateDistrict(tx, d, a.now()); err != nil {
		return nil, err
	}
	return d, a.audit(tx, actor, samordna.AuditEvent{ObjectType: "district", ObjectID: d.ID, Action: "create"})
}

// RenameDistrict gives a district a new name. One audit row (object_type
// "district", action "rename").
//
// Who may call: as CreateDistrict. Errors: as CreateDistrict, and
// samordna.ErrNotFound when there is no such district in the actor's
// municipality.
func (a *App) RenameDistrict(ctx context.Context, actor *samordna.Actor, id, name string) error {
	if !isAdminOrCLI(actor) {
		return a.refuse(ctx, actor, "district", "rename")
	}
	return a.DB.Write(ctx, func(tx *store.Tx) error {
		d, err := store.DistrictByID(tx, id)
		if err != nil {
			return err
		}
		if err := a.ownedBy(tx, actor, d.MunicipalityID); err != nil {
			return err
		}
		name = strings.TrimSpace(name)
		if name == "" {
			return samordna.Errorf(samordna.KindInvalid, "name_required", "a name is required")
		}
		if err := districtNameFree(tx, d.MunicipalityID, name, id); err != nil {
			return err
		}
		if err := store.RenameDistrict(tx, id, name); err != nil {
			return err
		}
		return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "district", ObjectID: id, Action: "rename"})
	})
}

// districtNameFree returns district_exists when a district of the
// municipality other than self is named name, ignoring case.
func districtNameFree(tx *store.Tx, municipalityID, name, self string) error {
	all, err := store.ListDistricts(tx, municipalityID)
	if err != nil {
		return err
	}
	for _, d := range all {
		if d.ID != self && strings.EqualFold(d.Name, name) {
			return samordna.Errorf(samordna.KindConflict, "district_exists", "a district named %q exists", name)
		}
	}
	return nil
}

// Organisation is the whole organisation of the municipality as the
// administrator sees it: every district, service, team and employee, each
// ordered by name (byte order; pages sort for display).
type Organisation struct {
	Districts []*samordna.District
	Services  []*samordna.Service
	Teams     []*samordna.Team
	Employees []*samordna.Employee
}

// Organisation returns the actor's municipality's organisation. Who may
// call: the administrator and the command line; anyone else gets
// samordna.ErrNotFound (and a denied audit row). The organisation is not
// personal data about the persons helped, so reading it is not audited.
func (a *App) Organisation(ctx context.Context, actor *samordna.Actor) (*Organisation, error) {
	if !isAdminOrCLI(actor) {
		return nil, a.refuse(ctx, actor, "organisation", "read")
	}
	o := &Organisation{}
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		mid, err := a.municipalityID(tx, actor)
		if err != nil {
			return err
		}
		if o.Districts, err = store.ListDistricts(tx, mid); err != nil {
			return err
		}
		if o.Services, err = store.ServicesOfMunicipality(tx, mid); err != nil {
			return err
		}
		if o.Teams, err = store.TeamsOfMunicipality(tx, mid); err != nil {
			return err
		}
		o.Employees, err = store.EmployeesOfMunicipality(tx, mid)
		return err
	})
	if err != nil {
		return nil, err
	}
	return o, nil
}
