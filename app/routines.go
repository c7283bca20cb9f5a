package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"path"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/routines"
	"github.com/samordna/samordna/store"
)

// This file holds the municipality's routines: the ones shipped in
// package routines, loaded when first needed, and the versions the
// administrator uploads, which are stored in the database and picked up by
// every server sharing it (each looks for new versions before it starts a
// case or lists the routines). A case records the routine id and version it
// started under and keeps following that version.

// DefaultRoutineID is the routine a concern follows when it names none and
// the municipality has set no default: Lillehammer's discoverer routine,
// which covers all five situations.
const DefaultRoutineID = "lillehammer-oppdager"

// MaxRoutineBytes bounds an uploaded routine document.
const MaxRoutineBytes = 256 << 10

// routineBook is the App's routine registry. The zero value is ready: the
// shipped routines load on first use.
type routineBook struct {
	once  sync.Once
	mu    sync.Mutex // serialises adding uploaded versions
	reg   *pathway.Registry
	err   error
	extra map[string]*pathway.Routine // uploaded versions older than the latest loaded, by id@version
}

// load loads the shipped routines once.
func (b *routineBook) load() {
	b.once.Do(func() {
		b.reg = pathway.NewRegistry()
		b.extra = map[string]*pathway.Routine{}
		b.err = b.reg.LoadFS(routines.FS)
	})
}

// Routines returns the routine registry: the shipped routines and the
// uploaded versions seen so far. Callers must not modify the routines.
func (a *App) Routines() *pathway.Registry {
	a.routines.load()
	return a.routines.reg
}

// LoadRoutines loads the shipped routines and every uploaded version in
// the database. The server calls it at start, so that a broken routine
// stops it with the file and line of the problem.
func (a *App) LoadRoutines(ctx context.Context) error {
	a.routines.load()
	if a.routines.err != nil {
		return fmt.Errorf("routines: %w", a.routines.err)
	}
	return a.DB.Read(ctx, func(tx *store.Tx) error { return a.syncRoutines(tx) })
}

// syncRoutines adds the uploaded versions the registry does not have yet.
// A stored version older than the latest loaded one (possible when the
// shipped routines gained a version after an upload) is kept aside for the
// cases that recorded it.
func (a *App) syncRoutines(tx *store.Tx) error {
	reg := a.Routines()
	keys, err := store.StoredRoutineVersions(tx)
	if err != nil {
		return err
	}
	b := &a.routines
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, k := range keys {
		if _, ok := reg.Get(k.RoutineID, k.Version); ok || b.extra[routineKey(k.RoutineID, k.Version)] != nil {
			continue
		}
		r, err := a.parseStored(tx, k.RoutineID, k.Version)
		if err != nil {
			return err
		}
		if err := reg.Add(r); err != nil {
			b.extra[routineKey(k.RoutineID, k.Version)] = r
			a.Log.Warn("routine version kept aside", "routine", k.RoutineID, "version", k.Version, "err", err)
		}
	}
	return nil
}

func routineKey(id string, version int) string { return fmt.Sprintf("%s@%d", id, version) }

// parseStored parses an uploaded version from the database.
func (a *App) parseStored(tx *store.Tx, id string, version int) (*pathway.Routine, error) {
	d, err := store.RoutineDocumentByVersion(tx, id, version)
	if err != nil {
		return nil, err
	}
	r, err := pathway.Parse(d.FileName, []byte(d.Document))
	if err != nil {
		return nil, fmt.Errorf("stored routine %s version %d no longer parses: %w", id, version, err)
	}
	return r, nil
}

// routineVersion returns the version of the routine a case recorded.
func (a *App) routineVersion(tx *store.Tx, id string, version int) (*pathway.Routine, error) {
	if r, ok := a.Routines().Get(id, version); ok {
		return r, nil
	}
	a.routines.mu.Lock()
	r := a.routines.extra[routineKey(id, version)]
	a.routines.mu.Unlock()
	if r != nil {
		return r, nil
	}
	if err := a.syncRoutines(tx); err != nil {
		return nil, err
	}
	if r, ok := a.Routines().Get(id, version); ok {
		return r, nil
	}
	a.routines.mu.Lock()
	defer a.routines.mu.Unlock()
	if r := a.routines.extra[routineKey(id, version)]; r != nil {
		return r, nil
	}
	return nil, fmt.Errorf("routine %s version %d is not loaded", id, version)
}

// caseRoutine returns the routine version the case follows, or nil when
// the case follows none.
func (a *App) caseRoutine(tx *store.Tx, c *samordna.Case) (*pathway.Routine, error) {
	if c.RoutineID == "" {
		return nil, nil
	}
	return a.routineVersion(tx, c.RoutineID, c.RoutineVersion)
}

// ListRoutines returns the latest version of every routine, sorted by id,
// after picking up versions uploaded through other servers. Routines are
// the municipality's published procedures, not personal data: any employee
// may read them, and reading them is not audited.
func (a *App) ListRoutines(ctx context.Context) ([]*pathway.Routine, error) {
	err := a.DB.Read(ctx, func(tx *store.Tx) error { return a.syncRoutines(tx) })
	if err != nil {
		return nil, err
	}
	return a.Routines().All(), nil
}

// GetRoutine returns one version of a routine (0: the latest). Errors:
// samordna.ErrNotFound.
func (a *App) GetRoutine(ctx context.Context, id string, version int) (*pathway.Routine, error) {
	var r *pathway.Routine
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		if err := a.syncRoutines(tx); err != nil {
			return err
		}
		if version == 0 {
			var ok bool
			if r, ok = a.Routines().Latest(id); !ok {
				return samordna.ErrNotFound
			}
			return nil
		}
		var err error
		if r, err = a.routineVersion(tx, id, version); err != nil {
			return samordna.ErrNotFound
		}
		return nil
	})
	return r, err
}

// RoutineVersions returns the versions of a routine, ascending.
func (a *App) RoutineVersions(id string) []int { return a.Routines().Versions(id) }

// RoutineProblem is one problem in a routine document, with its line (0
// when the line is not known).
type RoutineProblem struct {
	Line    int
	Message string
}

// RoutineError is the answer to a routine document that cannot be used:
// KindRule, code invalid_routine, with each problem and its line.
type RoutineError struct {
	Err      *samordna.Error
	Problems []RoutineProblem
}

func (e *RoutineError) Error() string { return e.Err.Error() }

// Unwrap lets samordna.ErrorKind and ErrorCode see the *samordna.Error.
func (e *RoutineError) Unwrap() error { return e.Err }

// routineError turns pathway's problems into a RoutineError.
func routineError(err error) *RoutineError {
	out := &RoutineError{Err: samordna.Errorf(samordna.KindRule, "invalid_routine",
		"the routine document has problems; each names its line")}
	var errs []error
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		errs = joined.Unwrap()
	} else {
		errs = []error{err}
	}
	for _, e := range errs {
		var pe *pathway.Error
		if errors.As(e, &pe) {
			out.Problems = append(out.Problems, RoutineProblem{Line: pe.Line, Message: pe.Msg})
		} else {
			out.Problems = append(out.Problems, RoutineProblem{Message: e.Error()})
		}
	}
	if len(out.Problems) > 0 {
		first := out.Problems[0]
		out.Err.Message = fmt.Sprintf("the routine document has %d problem(s); the first is on line %d: %s",
			len(out.Problems), first.Line, first.Message)
	}
	return out
}

// UploadRoutine validates a routine document (YAML, see pathway.Parse) and
// stores it as a new version: its version must be higher than every
// version of that routine already loaded. Cases already started keep the
// version they recorded; new cases follow the new one. One audit row
// (object_type "routine").
//
// Who may call: the administrator (role admin), or the command line (an
// actor without an employee). Anyone else gets samordna.ErrNotFound.
//
// Errors: invalid_routine (*RoutineError, KindRule) naming each problem's
// line; routine_too_large (KindTooLarge); routine_version_exists and
// routine_version_not_newer (KindConflict).
func (a *App) UploadRoutine(ctx context.Context, actor *samordna.Actor, fileName string, doc []byte) (*pathway.Routine, error) {
	if !isAdminOrCLI(actor) {
		return nil, a.refuse(ctx, actor, "routine", "upload")
	}
	if len(doc) > MaxRoutineBytes {
		return nil, samordna.Errorf(samordna.KindTooLarge, "routine_too_large", "a routine document may be at most %d bytes", MaxRoutineBytes)
	}
	fileName = cleanFileName(fileName)
	if !utf8.Valid(doc) {
		return nil, routineError(&pathway.Error{File: fileName, Line: 0, Msg: "the document is not UTF-8 text"})
	}
	r, err := pathway.Parse(fileName, doc)
	if err != nil {
		return nil, routineError(err)
	}
	err = a.DB.Write(ctx, func(tx *store.Tx) error {
		if err := a.syncRoutines(tx); err != nil {
			return err
		}
		if err := a.checkNewVersion(r); err != nil {
			return err
		}
		sum := sha256.Sum256(doc)
		d := &store.RoutineDocument{RoutineID: r.ID, Version: r.Version, Name: r.Name, FileName: fileName,
			Document: string(doc), SHA256: hex.EncodeToString(sum[:]), UploadedAt: a.now()}
		if actor != nil && actor.Employee != nil {
			d.UploadedBy = actor.Employee.ID
		}
		if err := store.CreateRoutineDocument(tx, d); err != nil {
			return err
		}
		return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "routine", ObjectID: routineKey(r.ID, r.Version),
			Action: "upload"})
	})
	if err != nil {
		return nil, err
	}
	a.routines.mu.Lock()
	addErr := a.Routines().Add(r)
	a.routines.mu.Unlock()
	if addErr != nil { // another request added the same version meanwhile; the database refused ours
		a.Log.Warn("uploaded routine not added", "routine", r.ID, "version", r.Version, "err", addErr)
	}
	return r, nil
}

// checkNewVersion refuses a version that is loaded or not newer than the
// latest.
func (a *App) checkNewVersion(r *pathway.Routine) error {
	latest, ok := a.Routines().Latest(r.ID)
	switch {
	case !ok:
		return nil
	case r.Version == latest.Version:
		return store.ErrRoutineVersionExists
	case r.Version < latest.Version:
		return samordna.Errorf(samordna.KindConflict, "routine_version_not_newer",
			"version %d of %s is not newer than the latest, version %d", r.Version, r.ID, latest.Version)
	}
	return nil
}

// cleanFileName keeps only the base name of an uploaded file, for messages.
func cleanFileName(name string) string {
	name = path.Base(strings.ReplaceAll(strings.TrimSpace(name), `\`, "/"))
	if name == "." || name == "/" || name == "" {
		return "routine.yaml"
	}
	return truncate(name, 100)
}

// isAdminOrCLI reports whether the actor is the administrator or the
// command line.
func isAdminOrCLI(actor *samordna.Actor) bool {
	return actor == nil || actor.Employee == nil || actor.Employee.HasRole(samordna.RoleAdmin)
}

// refuse writes a denied audit row and returns samordna.ErrNotFound.
func (a *App) refuse(ctx context.Context, actor *samordna.Actor, objectType, action string) error {
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		return a.audit(tx, actor, samordna.AuditEvent{ObjectType: objectType, Action: action,
			Outcome: samordna.OutcomeDenied})
	})
	if err != nil {
		return err
	}
	return samordna.ErrNotFound
}

// RoutineUpload is an uploaded routine version as the administrator's list
// shows it.
type RoutineUpload = store.RoutineDocument

// ListRoutineUploads returns the uploaded routine versions (without their
// text), newest first. Who may call: the administrator or the command line;
// anyone else gets samordna.ErrNotFound.
func (a *App) ListRoutineUploads(ctx context.Context, actor *samordna.Actor) ([]*RoutineUpload, error) {
	if !isAdminOrCLI(actor) {
		return nil, a.refuse(ctx, actor, "routine", "list_uploads")
	}
	var out []*RoutineUpload
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		var err error
		out, err = store.ListRoutineDocuments(tx)
		return err
	})
	return out, err
}

// SetDefaultRoutine sets the routine new concerns in the actor's
// municipality follow when they name none. Who may call: the
// administrator or the command line. Errors: samordna.ErrNotFound (not
// allowed), unknown_routine (KindInvalid).
func (a *App) SetDefaultRoutine(ctx context.Context, actor *samordna.Actor, routineID string) error {
	if !isAdminOrCLI(actor) {
		return a.refuse(ctx, actor, "routine", "set_default")
	}
	return a.DB.Write(ctx, func(tx *store.Tx) error {
		if err := a.syncRoutines(tx); err != nil {
			return err
		}
		if _, ok := a.Routines().Latest(routineID); !ok {
			return samordna.Errorf(samordna.KindInvalid, "unknown_routine", "no routine %q", truncate(routineID, 60))
		}
		mid, err := a.municipalityID(tx, actor)
		if err != nil {
			return err
		}
		if err := store.SetDefaultRoutineID(tx, mid, routineID); err != nil {
			return err
		}
		return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "routine", ObjectID: routineID, Action: "set_default"})
	})
}

// chooseRoutine picks the routine a new case in the situation follows:
// the one the concern names (which must start the situation), else the
// municipality's default if it starts the situation, else DefaultRoutineID,
// else the first routine (by id) that starts it; by default only a routine
// written for the person's age (Routine.MaxAge; age -1 when unknown), so a
// schoolchild does not get the infants' routine. It syncs uploaded
// versions first, so the case records the newest version.
//
// Errors: unknown_routine (KindInvalid), situation_not_in_routine
// (KindRule), no_routine (KindRule) when no routine starts the situation.
func (a *App) chooseRoutine(tx *store.Tx, municipalityID, requested string, situation pathway.Situation, age int) (*pathway.Routine, error) {
	if err := a.syncRoutines(tx); err != nil {
		return nil, err
	}
	reg := a.Routines()
	if requested != "" {
		r, ok := reg.Latest(requested)
		if !ok {
			return nil, samordna.Errorf(samordna.KindInvalid, "unknown_routine", "no routine %q", truncate(requested, 60))
		}
		if len(r.StartSteps(situation)) == 0 {
			return nil, samordna.Errorf(samordna.KindRule, "situation_not_in_routine",
				"routine %s has no step for the situation %s", r.ID, situation)
		}
		return r, nil
	}
	def, err := store.DefaultRoutineID(tx, municipalityID)
	if err != nil {
		return nil, err
	}
	candidates := []string{def, DefaultRoutineID}
	for _, r := range reg.All() {
		candidates = append(candidates, r.ID)
	}
	for _, id := range candidates {
		if r, ok := reg.Latest(id); ok && len(r.StartSteps(situation)) > 0 && forAge(r, age) {
			return r, nil
		}
	}
	return nil, samordna.Errorf(samordna.KindRule, "no_routine", "no routine starts the situation %s", situation)
}

// forAge reports whether the routine is written for a person of age
// (whole years; -1 when not known, e.g. an anonymous concern): a routine
// without max_age is for any age, and an unknown age does not rule a
// routine out.
func forAge(r *pathway.Routine, age int) bool {
	return r.MaxAge == nil || age < 0 || age <= *r.MaxAge
}
