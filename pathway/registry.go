package pathway

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"
)

// Registry holds every version of every loaded routine. A case records the
// routine id and version it follows, so old versions stay available and a
// new version never changes what an old one says. Safe for concurrent use.
//
// The routines it hands out are shared: callers must not modify them.
type Registry struct {
	mu   sync.RWMutex
	byID map[string][]*Routine // sorted by version, ascending
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{byID: map[string][]*Routine{}}
}

// Add adds a routine (normally from Parse). It refuses a version that is
// not greater than the latest version of the same id, which also refuses a
// duplicate. The registry keeps its own copy, so later changes to r do not
// reach it.
func (reg *Registry) Add(r *Routine) error {
	if r == nil {
		return errors.New("pathway: nil routine")
	}
	if r.ID == "" || r.Version < 1 {
		return fmt.Errorf("pathway: routine needs an id and a version of 1 or more (got %q version %d)", r.ID, r.Version)
	}
	reg.mu.Lock()
	defer reg.mu.Unlock()
	versions := reg.byID[r.ID]
	if n := len(versions); n > 0 {
		latest := versions[n-1].Version
		if r.Version == latest {
			return fmt.Errorf("pathway: routine %s version %d is already loaded", r.ID, r.Version)
		}
		if r.Version < latest {
			return fmt.Errorf("pathway: routine %s version %d is not newer than the latest, version %d", r.ID, r.Version, latest)
		}
	}
	reg.byID[r.ID] = append(versions, r.clone())
	return nil
}

// LoadFS parses every *.yaml and *.yml file in the root of fsys and adds the
// routines in version order, so several versions of one routine may sit in
// any files. Problems are returned together, each naming its file and line;
// the routines without problems are added all the same.
func (reg *Registry) LoadFS(fsys fs.FS) error {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return fmt.Errorf("pathway: reading routines: %w", err)
	}
	var errs []error
	var parsed []*Routine
	for _, e := range entries {
		ext := path.Ext(e.Name())
		if e.IsDir() || (ext != ".yaml" && ext != ".yml") {
			continue
		}
		data, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			errs = append(errs, &Error{File: e.Name(), Msg: err.Error()})
			continue
		}
		r, err := Parse(e.Name(), data)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		parsed = append(parsed, r)
	}
	sort.SliceStable(parsed, func(i, j int) bool {
		if parsed[i].ID != parsed[j].ID {
			return parsed[i].ID < parsed[j].ID
		}
		return parsed[i].Version < parsed[j].Version
	})
	for _, r := range parsed {
		if err := reg.Add(r); err != nil {
			errs = append(errs, &Error{File: r.File, Line: r.versionLine, Msg: strings.TrimPrefix(err.Error(), "pathway: ")})
		}
	}
	return errors.Join(errs...)
}

// Latest returns the newest version of the routine.
func (reg *Registry) Latest(id string) (*Routine, bool) {
	reg.mu.RLock()
	defer reg.mu.RUnlock()
	versions := reg.byID[id]
	if len(versions) == 0 {
		return nil, false
	}
	return versions[len(versions)-1], true
}

// Get returns one version of the routine, as a case that recorded it needs.
func (reg *Registry) Get(id string, version int) (*Routine, bool) {
	reg.mu.RLock()
	defer reg.mu.RUnlock()
	for _, r := range reg.byID[id] {
		if r.Version == version {
			return r, true
		}
	}
	return nil, false
}

// Versions returns the loaded versions of the routine, ascending.
func (reg *Registry) Versions(id string) []int {
	reg.mu.RLock()
	defer reg.mu.RUnlock()
	var out []int
	for _, r := range reg.byID[id] {
		out = append(out, r.Version)
	}
	return out
}

// All returns the latest version of every routine, sorted by id.
func (reg *Registry) All() []*Routine {
	reg.mu.RLock()
	defer reg.mu.RUnlock()
	out := make([]*Routine, 0, len(reg.byID))
	for _, versions := range reg.byID {
		out = append(out, versions[len(versions)-1])
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
