package app

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/store"
)

// The window a due date must fall in, measured from today: an expected child
// is registered during pregnancy (at most about ten months ahead) or just
// after a birth that is not yet in the register (at most a month past).
const (
	dueDateMaxMonthsAhead = 10
	dueDateMaxMonthsPast  = 1
)

// NewPerson is the input for RegisterPerson: either a person with a
// fødselsnummer or D-nummer, or an expected child with a due date and the
// pregnant woman it is expected by.
type NewPerson struct {
	// IDNumber is the fødselsnummer or D-nummer; spaces and hyphens are
	// ignored. Empty for an expected child.
	IDNumber string
	// Name is required, except for an expected child, which may not have
	// one yet.
	Name string
	// DueDate (YYYY-MM-DD) is the expected child's due date; only without
	// an IDNumber.
	DueDate string
	// MotherID is the pregnant woman's person id; required for an expected
	// child, not allowed otherwise (use RelatePersons).
	MotherID string
}

// RegisterPerson registers a person the services are about and writes one
// audit row (object_type "person").
//
// With an IDNumber it validates the number (synthetic test numbers only when
// a.AllowSynthetic is set, i.e. in demo and test mode) and derives the birth
// date and the kind (fødselsnummer or D-nummer) from it. Without one it
// registers an expected child: DueDate is required and MotherID must name
// the pregnant woman, who is linked to the child with RelationExpecting.
//
// Who may call: employees. The access policy for persons comes with a later
// issue; until then any actor is accepted, nil included (command line).
//
// Errors (all *samordna.Error): invalid_id_number (KindInvalid, with the
// reason), name_required, due_date_required, invalid_due_date,
// due_date_out_of_range, id_number_or_due_date, mother_required,
// mother_only_for_expected, relation_mismatch (the mother is herself an
// expected child) — KindInvalid; samordna.ErrNotFound when the mother does
// not exist; person_exists (KindConflict) when the number is already
// registered.
func (a *App) RegisterPerson(ctx context.Context, actor *samordna.Actor, in NewPerson) (*samordna.Person, error) {
	var p *samordna.Person
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		p, err = a.registerPerson(tx, actor, in, a.AllowSynthetic)
		return err
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// registerPerson is RegisterPerson inside tx; the demo passes
// allowSynthetic true whatever the App's setting.
func (a *App) registerPerson(tx *store.Tx, actor *samordna.Actor, in NewPerson, allowSynthetic bool) (*samordna.Person, error) {
	p, err := a.newPerson(in, allowSynthetic)
	if err != nil {
		return nil, err
	}
	var mother *samordna.Person
	if p.Expected() {
		if mother, err = store.PersonByID(tx, in.MotherID); err != nil {
			return nil, err
		}
		if mother.Expected() {
			return nil, errMotherExpected
		}
		p.MunicipalityID = mother.MunicipalityID
	} else if p.MunicipalityID, err = a.municipalityID(tx, actor); err != nil {
		return nil, err
	}
	if err := store.CreatePerson(tx, p, a.now()); err != nil {
		return nil, err
	}
	if mother != nil {
		r := &samordna.Relation{PersonID: mother.ID, Kind: samordna.RelationExpecting, RelatedID: p.ID}
		if err := store.CreateRelation(tx, r, a.now()); err != nil {
			return nil, err
		}
	}
	return p, a.audit(tx, actor, samordna.AuditEvent{ObjectType: "person", ObjectID: p.ID, PersonID: p.ID,
		Action: "create"})
}

// errMotherExpected refuses an expected child as the pregnant woman.
var errMotherExpected = samordna.Errorf(samordna.KindInvalid, "relation_mismatch",
	"the mother of an expected child must be a born person")

// newPerson validates the input and builds the person (without ids).
func (a *App) newPerson(in NewPerson, allowSynthetic bool) (*samordna.Person, error) {
	number := strings.NewReplacer(" ", "", "-", "").Replace(in.IDNumber)
	name := strings.TrimSpace(in.Name)
	if number == "" {
		return a.expectedChild(name, strings.TrimSpace(in.DueDate), in.MotherID)
	}
	switch {
	case in.DueDate != "":
		return nil, samordna.Errorf(samordna.KindInvalid, "id_number_or_due_date",
			"give either a fødselsnummer/D-nummer or, for an expected child, a due date")
	case in.MotherID != "":
		return nil, samordna.Errorf(samordna.KindInvalid, "mother_only_for_expected",
			"a mother is given only for an expected child; relate born persons instead")
	case name == "":
		return nil, samordna.Errorf(samordna.KindInvalid, "name_required", "a name is required")
	}
	n, err := samordna.ParseIDNumber(number, allowSynthetic)
	if err != nil {
		return nil, samordna.Errorf(samordna.KindInvalid, "invalid_id_number", "%s", idNumberMessage(err))
	}
	return &samordna.Person{ID: samordna.NewID(), IDNumber: n.Value, IDKind: n.Kind, Name: name,
		BirthDate: n.BirthDate.Format(time.DateOnly), Synthetic: n.Synthetic}, nil
}

// idNumberMessage returns the parse error's message (never the number).
func idNumberMessage(err error) string {
	var e *samordna.Error
	if errors.As(err, &e) {
		return e.Message
	}
	return err.Error()
}

// expectedChild validates and builds an expected child: a due date within
// the window around today and the pregnant woman's id.
func (a *App) expectedChild(name, dueDate, motherID string) (*samordna.Person, error) {
	if dueDate == "" {
		return nil, samordna.Errorf(samordna.KindInvalid, "due_date_required",
			"an expected child needs a due date (or give a fødselsnummer/D-nummer)")
	}
	due, err := time.Parse(time.DateOnly, dueDate)
	if err != nil {
		return nil, samordna.Errorf(samordna.KindInvalid, "invalid_due_date", "the due date must be YYYY-MM-DD")
	}
	today := dateOf(a.now())
	if due.After(today.AddDate(0, dueDateMaxMonthsAhead, 0)) || due.Before(today.AddDate(0, -dueDateMaxMonthsPast, 0)) {
		return nil, samordna.Errorf(samordna.KindInvalid, "due_date_out_of_range",
			"the due date must be at most %d months ahead and %d month past", dueDateMaxMonthsAhead, dueDateMaxMonthsPast)
	}
	if motherID == "" {
		return nil, samordna.Errorf(samordna.KindInvalid, "mother_required",
			"an expected child is registered with the pregnant woman's person id")
	}
	return &samordna.Person{ID: samordna.NewID(), Name: name, DueDate: due.Format(time.DateOnly)}, nil
}

// dateOf returns t's calendar date (in UTC) at midnight UTC.
func dateOf(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// municipalityID returns the actor's municipality, or the installation's
// municipality for an actor without one (command line, demo seeding).
func (a *App) municipalityID(tx *store.Tx, actor *samordna.Actor) (string, error) {
	if actor != nil && actor.Employee != nil && actor.Employee.MunicipalityID != "" {
		return actor.Employee.MunicipalityID, nil
	}
	m, err := store.FirstMunicipality(tx)
	if err != nil {
		return "", samordna.Errorf(samordna.KindInvalid, "no_municipality", "the database has no municipality yet: set it up with samordna init first")
	}
	return m.ID, nil
}

// ownedBy returns samordna.ErrNotFound unless municipalityID is the
// actor's municipality (see municipalityID): the organisation pages treat
// another municipality's district, service, team or employee as missing.
func (a *App) ownedBy(tx *store.Tx, actor *samordna.Actor, municipalityID string) error {
	mid, err := a.municipalityID(tx, actor)
	if err != nil {
		return err
	}
	if municipalityID != mid {
		return samordna.ErrNotFound
	}
	return nil
}

// RelatePersons records that personID is kind of relatedID (for example a
// mother parent_of her child) and writes one audit row (object_type
// "person", person_id personID, object_id relatedID).
//
// Who may call: employees. The access policy for persons comes with a later
// issue; until then any actor is accepted, nil included (command line).
//
// Errors: invalid_relation (unknown kind), self_relation, relation_mismatch
// (the person must be born; RelationExpecting only towards an expected
// child, RelationGuardianOf only towards a born one) — KindInvalid;
// samordna.ErrNotFound when either person does not exist; relation_exists
// (KindConflict) when the same relation is already recorded.
func (a *App) RelatePersons(ctx context.Context, actor *samordna.Actor, personID string, kind samordna.RelationKind, relatedID string) (*samordna.Relation, error) {
	var r *samordna.Relation
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		r, err = a.relatePersons(tx, actor, personID, kind, relatedID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// relatePersons is RelatePersons inside tx.
func (a *App) relatePersons(tx *store.Tx, actor *samordna.Actor, personID string, kind samordna.RelationKind, relatedID string) (*samordna.Relation, error) {
	if !kind.Valid() {
		return nil, samordna.Errorf(samordna.KindInvalid, "invalid_relation", "unknown relation %q", kind)
	}
	if personID == relatedID {
		return nil, samordna.Errorf(samordna.KindInvalid, "self_relation", "a person cannot be related to themself")
	}
	if err := checkRelationKind(tx, personID, kind, relatedID); err != nil {
		return nil, err
	}
	existing, err := store.RelationsOf(tx, personID)
	if err != nil {
		return nil, err
	}
	for _, r := range existing {
		if r.PersonID == personID && r.Kind == kind && r.RelatedID == relatedID {
			return nil, samordna.Errorf(samordna.KindConflict, "relation_exists", "this relation is already recorded")
		}
	}
	r := &samordna.Relation{ID: samordna.NewID(), PersonID: personID, Kind: kind, RelatedID: relatedID}
	if err := store.CreateRelation(tx, r, a.now()); err != nil {
		return nil, err
	}
	return r, a.audit(tx, actor, samordna.AuditEvent{ObjectType: "person", ObjectID: relatedID, PersonID: personID,
		Action: "relate"})
}

// checkRelationKind loads both persons and checks that the relation fits
// them: the person is born; only an expected child is expected; a guardian
// is guardian of a born child; a parent may be a parent of an expected child
// (paternity can be acknowledged during pregnancy).
func checkRelationKind(tx *store.Tx, personID string, kind samordna.RelationKind, relatedID string) error {
	p, err := store.PersonByID(tx, personID)
	if err != nil {
		return err
	}
	q, err := store.PersonByID(tx, relatedID)
	if err != nil {
		return err
	}
	fits := !p.Expected()
	switch kind {
	case samordna.RelationExpecting:
		fits = fits && q.Expected()
	case samordna.RelationGuardianOf:
		fits = fits && !q.Expected()
	}
	if !fits {
		return samordna.Errorf(samordna.KindInvalid, "relation_mismatch",
			"this relation does not fit these persons (an expected child is only expected, or has a parent)")
	}
	return nil
}
