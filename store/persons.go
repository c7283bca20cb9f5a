package store

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/samordna/samordna"
)

// This file persists persons (the children, parents, pregnant women and
// adults the services are about) and the relations between them. It checks
// nothing about the identity number: package app validates it.

// ErrPersonExists is returned by CreatePerson when a person with the same
// fødselsnummer or D-nummer is already registered. The message does not
// repeat the number: it is personal data.
var ErrPersonExists = samordna.Errorf(samordna.KindConflict, "person_exists",
	"a person with this fødselsnummer or D-nummer is already registered")

// CreatePerson inserts a person. An empty p.ID is filled with a new id. An
// empty IDNumber (an expected child), BirthDate or DueDate is stored as NULL,
// so any number of expected children can exist. A second person with the
// same IDNumber gives ErrPersonExists (KindConflict, code person_exists).
func CreatePerson(tx *Tx, p *samordna.Person, now time.Time) error {
	if p.ID == "" {
		p.ID = samordna.NewID()
	}
	_, err := tx.Exec(`INSERT INTO persons (id, municipality_id, id_number, id_kind, name, birth_date, due_date,
		synthetic, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		p.ID, p.MunicipalityID, nullString(p.IDNumber), string(p.IDKind), p.Name,
		nullString(p.BirthDate), nullString(p.DueDate), p.Synthetic, now)
	if isUniqueViolation(err) {
		return ErrPersonExists
	}
	return wrap(err, "create person")
}

const personColumns = `id, municipality_id, COALESCE(id_number, ''), id_kind, name,
	COALESCE(birth_date, ''), COALESCE(due_date, ''), synthetic`

func scanPerson(row interface{ Scan(...any) error }) (*samordna.Person, error) {
	var p samordna.Person
	err := row.Scan(&p.ID, &p.MunicipalityID, &p.IDNumber, &p.IDKind, &p.Name, &p.BirthDate, &p.DueDate, &p.Synthetic)
	return &p, err
}

// PersonByID returns the person or samordna.ErrNotFound.
func PersonByID(tx *Tx, id string) (*samordna.Person, error) {
	p, err := scanPerson(tx.QueryRow(`SELECT `+personColumns+` FROM persons WHERE id = $1`, id))
	if err != nil {
		return nil, wrap(err, "person")
	}
	return p, nil
}

// PersonsByIDs returns the persons with the given ids, by id, in one query
// (for lists, which would otherwise ask once per row). Unknown ids are left
// out of the map.
func PersonsByIDs(tx *Tx, ids []string) (map[string]*samordna.Person, error) {
	out := make(map[string]*samordna.Person, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	list, args := inList(nil, ids)
	rows, err := tx.Query(`SELECT `+personColumns+` FROM persons WHERE id IN (`+list+`)`, args...)
	if err != nil {
		return nil, wrap(err, "persons")
	}
	defer rows.Close()
	for rows.Next() {
		p, err := scanPerson(rows)
		if err != nil {
			return nil, wrap(err, "persons")
		}
		out[p.ID] = p
	}
	return out, wrap(rows.Err(), "persons")
}

// inList appends the values to args and returns the numbered parameters
// for them ("$3, $4, …"), for an IN (…) list.
func inList(args []any, values []string) (string, []any) {
	marks := make([]string, len(values))
	for i, v := range values {
		args = append(args, v)
		marks[i] = fmt.Sprintf("$%d", len(args))
	}
	return strings.Join(marks, ", "), args
}

// PersonByIDNumber returns the person with the fødselsnummer or D-nummer, or
// samordna.ErrNotFound (also for "", which no stored person has).
func PersonByIDNumber(tx *Tx, idNumber string) (*samordna.Person, error) {
	if idNumber == "" {
		return nil, samordna.ErrNotFound
	}
	p, err := scanPerson(tx.QueryRow(`SELECT `+personColumns+` FROM persons WHERE id_number = $1`, idNumber))
	if err != nil {
		return nil, wrap(err, "person by number")
	}
	return p, nil
}

// ListPersons returns at most limit persons ordered by name (byte order, the
// same on both databases; see byName), then id. A limit below 1 returns none.
func ListPersons(tx *Tx, limit int) ([]*samordna.Person, error) {
	if limit < 1 {
		return nil, nil
	}
	rows, err := tx.Query(`SELECT ` + personColumns + ` FROM persons ORDER BY ` + byName(tx, "name") + `, id LIMIT ` + strconv.Itoa(limit))
	if err != nil {
		return nil, wrap(err, "list persons")
	}
	defer rows.Close()
	var out []*samordna.Person
	for rows.Next() {
		p, err := scanPerson(rows)
		if err != nil {
			return nil, wrap(err, "list persons")
		}
		out = append(out, p)
	}
	return out, wrap(rows.Err(), "list persons")
}

// CreateRelation inserts a relation: r.PersonID is r.Kind of r.RelatedID
// (for example a parent, guardian_of, a child). An empty r.ID is filled with
// a new id. Both persons must exist; the kind is not checked here.
func CreateRelation(tx *Tx, r *samordna.Relation, now time.Time) error {
	if r.ID == "" {
		r.ID = samordna.NewID()
	}
	_, err := tx.Exec(`INSERT INTO person_relations (id, person_id, kind, related_id, created_at)
		VALUES ($1, $2, $3, $4, $5)`, r.ID, r.PersonID, string(r.Kind), r.RelatedID, now)
	return wrap(err, "create relation")
}

// RelationsOf returns every relation the person takes part in, in either
// direction, oldest first: a child's guardians and parents (where the child
// is RelatedID) as well as a parent's children (where the parent is
// PersonID). Callers tell the direction by comparing PersonID.
func RelationsOf(tx *Tx, personID string) ([]samordna.Relation, error) {
	rows, err := tx.Query(`SELECT id, person_id, kind, related_id FROM person_relations
		WHERE person_id = $1 OR related_id = $1 ORDER BY created_at, id`, personID)
	if err != nil {
		return nil, wrap(err, "relations")
	}
	defer rows.Close()
	var out []samordna.Relation
	for rows.Next() {
		var r samordna.Relation
		if err := rows.Scan(&r.ID, &r.PersonID, &r.Kind, &r.RelatedID); err != nil {
			return nil, wrap(err, "relations")
		}
		out = append(out, r)
	}
	return out, wrap(rows.Err(), "relations")
}
