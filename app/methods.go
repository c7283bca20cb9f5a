package app

import (
	"context"
	"strings"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/store"
)

// This file is the municipality's catalogue of recognised methods. Seed
// 001, individual level: "Sikre at det er anerkjente metoder og prosedyrer
// for screening av barn i målgruppa som brukes" and "Sikre at anerkjente
// metoder/prosedyrer for oppfølging av barn i målgruppa benyttes
// (tiltak)"; service level: "Sikre at tiltak som benyttes er effektive
// (virker) og er fundert på kunnskapsbaserte metoder". The administrator
// adopts methods (screening tools and follow-up measures); a plan's
// measure can name one (MeasureInput.Method); MethodUse counts which are
// used.

// NewMethod is the input of AdoptMethod.
type NewMethod struct {
	Kind        string // screening or follow_up
	Name        string
	Description string
	Source      string // where it is described
}

// AdoptMethod adds a method to the catalogue. Who may call: the
// administrator; anyone else gets samordna.ErrNotFound. Errors:
// invalid_kind, name_required, name_too_long, text_too_long (400);
// method_exists (409) for a name already adopted. One audit row.
func (a *App) AdoptMethod(ctx context.Context, actor *samordna.Actor, in NewMethod) (*store.Method, error) {
	if !isAdminOrCLI(actor) {
		return nil, a.refuse(ctx, actor, "method", "adopt")
	}
	m := &store.Method{Kind: in.Kind, AdoptedAt: a.now()}
	if m.Kind != store.MethodScreening && m.Kind != store.MethodFollowUp {
		return nil, samordna.Errorf(samordna.KindInvalid, "invalid_kind", "kind is screening or follow_up")
	}
	var err error
	if m.Name, err = cleanText(in.Name, 200, "name_too_long", "the name"); err != nil {
		return nil, err
	}
	if m.Name == "" {
		return nil, samordna.Errorf(samordna.KindInvalid, "name_required", "name the method")
	}
	if m.Description, err = cleanText(in.Description, 2000, "text_too_long", "the description"); err != nil {
		return nil, err
	}
	if m.Source, err = cleanText(in.Source, 500, "text_too_long", "the source"); err != nil {
		return nil, err
	}
	err = a.DB.Write(ctx, func(tx *store.Tx) error {
		mid, err := a.municipalityID(tx, actor)
		if err != nil {
			return err
		}
		existing, err := store.MethodsOf(tx, mid)
		if err != nil {
			return err
		}
		for _, e := range existing {
			if e.RetiredAt == nil && strings.EqualFold(e.Name, m.Name) {
				return samordna.Errorf(samordna.KindConflict, "method_exists", "a method of that name is adopted")
			}
		}
		m.MunicipalityID = mid
		if actor != nil && actor.Employee != nil {
			m.AdoptedBy = actor.Employee.ID // "" for the command line and the demo seeder
		}
		if err := store.CreateMethod(tx, m); err != nil {
			return err
		}
		return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "method", ObjectID: m.ID, Action: "adopt"})
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// RetireMethod takes a method out of the catalogue; measures that name it
// keep it. Who may call: the administrator; anyone else gets
// samordna.ErrNotFound. One audit row.
func (a *App) RetireMethod(ctx context.Context, actor *samordna.Actor, id string) error {
	if !isAdminOrCLI(actor) {
		return a.refuse(ctx, actor, "method", "retire")
	}
	return a.DB.Write(ctx, func(tx *store.Tx) error {
		m, err := store.MethodByID(tx, id)
		if err != nil {
			return err
		}
		mid, err := a.municipalityID(tx, actor)
		if err != nil {
			return err
		}
		if m.MunicipalityID != mid {
			return samordna.ErrNotFound
		}
		if err := store.RetireMethod(tx, id, a.now()); err != nil {
			return err
		}
		return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "method", ObjectID: id, Action: "retire"})
	})
}

// Methods returns the municipality's catalogue (retired methods too) with
// how many plan measures name each. Who may call: any signed-in employee
// (the catalogue is the municipality's, the counts are anonymous).
func (a *App) Methods(ctx context.Context, actor *samordna.Actor) ([]*store.Method, map[string]store.MethodUseCount, error) {
	var out []*store.Method
	use := map[string]store.MethodUseCount{}
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		mid, err := a.municipalityID(tx, actor)
		if err != nil {
			return err
		}
		if out, err = store.MethodsOf(tx, mid); err != nil {
			return err
		}
		counts, err := store.MethodUse(tx, mid)
		for _, c := range counts {
			use[c.MethodID] = c
		}
		return err
	})
	return out, use, err
}
