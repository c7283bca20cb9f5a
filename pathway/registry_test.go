package pathway_test

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/samordna/samordna/pathway"
)

// routineDoc returns a one-step routine with the given id, version and action.
func routineDoc(id string, version int, action string) string {
	return "id: " + id + "\nversion: " + strconv.Itoa(version) + "\nname: Test\nmunicipality: Testkommune\nsteps:\n" +
		"  - id: a\n    situation: acute\n    action: " + action + "\n    responsible: discoverer\n    deadline: immediately\n"
}

func TestRegistryKeepsOldVersions(t *testing.T) {
	reg := pathway.NewRegistry()
	v1 := mustParse(t, "v1.yaml", routineDoc("rutine", 1, "Gammel handling"))
	if err := reg.Add(v1); err != nil {
		t.Fatal(err)
	}
	// A case started on version 1 looks it up ...
	before, ok := reg.Get("rutine", 1)
	if !ok {
		t.Fatal("version 1 not found")
	}
	// ... version 2 arrives with different wording ...
	if err := reg.Add(mustParse(t, "v2.yaml", routineDoc("rutine", 2, "Ny handling"))); err != nil {
		t.Fatal(err)
	}
	// ... and the case still sees version 1 exactly as it was.
	after, ok := reg.Get("rutine", 1)
	if !ok || after != before || after.Steps[0].Action != "Gammel handling" || after.Version != 1 {
		t.Errorf("version 1 changed after adding version 2: %+v", after)
	}
	if latest, _ := reg.Latest("rutine"); latest.Version != 2 || latest.Steps[0].Action != "Ny handling" {
		t.Errorf("Latest = version %d %q", latest.Version, latest.Steps[0].Action)
	}
	if got := reg.Versions("rutine"); !slices.Equal(got, []int{1, 2}) {
		t.Errorf("Versions = %v", got)
	}

	// Changing the routine the caller added does not reach the registry.
	v1.Steps[0].Action = "Endret etterpå"
	v1.Steps[0].Situations[0] = pathway.SituationPregnant
	if got, _ := reg.Get("rutine", 1); got.Steps[0].Action != "Gammel handling" || got.Steps[0].Situations[0] != pathway.SituationAcute {
		t.Errorf("registry shares the caller's routine: %+v", got.Steps[0])
	}

	// Refused: the same version again, an older version, nonsense.
	for _, r := range []*pathway.Routine{
		mustParse(t, "dup.yaml", routineDoc("rutine", 2, "Annen tekst")),
		mustParse(t, "old.yaml", routineDoc("rutine", 1, "Gammel handling")),
		nil,
		{ID: "", Version: 1},
		{ID: "x", Version: 0},
	} {
		if err := reg.Add(r); err == nil {
			t.Errorf("Add(%+v) accepted", r)
		}
	}
	if latest, _ := reg.Latest("rutine"); latest.Steps[0].Action != "Ny handling" {
		t.Errorf("a refused duplicate replaced version 2: %q", latest.Steps[0].Action)
	}

	// Unknown ids and versions.
	if _, ok := reg.Get("rutine", 3); ok {
		t.Error("Get(rutine, 3) found")
	}
	if _, ok := reg.Latest("other"); ok {
		t.Error("Latest(other) found")
	}
}

func TestRegistryAll(t *testing.T) {
	reg := pathway.NewRegistry()
	for _, d := range []string{routineDoc("b-rutine", 1, "x"), routineDoc("a-rutine", 1, "x"), routineDoc("b-rutine", 3, "y")} {
		if err := reg.Add(mustParse(t, "x.yaml", d)); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	for _, r := range reg.All() {
		got = append(got, r.ID+"@"+strconv.Itoa(r.Version))
	}
	if want := []string{"a-rutine@1", "b-rutine@3"}; !slices.Equal(got, want) {
		t.Errorf("All = %v, want %v", got, want)
	}
}

func TestRegistryLoadFS(t *testing.T) {
	fsys := fstest.MapFS{
		// Versions load in version order whatever the file names.
		"a-new.yaml":    {Data: []byte(routineDoc("rutine", 2, "Ny"))},
		"b-old.yaml":    {Data: []byte(routineDoc("rutine", 1, "Gammel"))},
		"other.yml":     {Data: []byte(routineDoc("annen", 1, "x"))},
		"README.md":     {Data: []byte("not a routine")},
		"sub/deep.yaml": {Data: []byte("not read: only the root")},
		// Broken: reported with file and line, the rest still loads.
		"broken.yaml": {Data: []byte("id: broken\nversion: 1\nname: X\nmunicipality: Y\nsteps:\n  - id: a\n    situation: acute\n    action: x\n    responsible: boss\n    deadline: P1W\n")},
		// The same version twice: reported on the second file's version line.
		"c-dup.yaml": {Data: []byte(routineDoc("rutine", 2, "Dobbel"))},
	}
	reg := pathway.NewRegistry()
	err := reg.LoadFS(fsys)
	if err == nil {
		t.Fatal("no error for broken.yaml and c-dup.yaml")
	}
	var msgs []string
	for _, e := range unjoin(err) {
		var pe *pathway.Error
		if !errors.As(e, &pe) {
			t.Fatalf("%v is not a *pathway.Error", e)
		}
		msgs = append(msgs, pe.Error())
	}
	slices.Sort(msgs)
	if len(msgs) != 2 || !strings.HasPrefix(msgs[0], `broken.yaml:9: unknown responsible "boss"`) ||
		!strings.HasPrefix(msgs[1], "c-dup.yaml:2: routine rutine version 2 is already loaded") {
		t.Errorf("errors =\n%s", strings.Join(msgs, "\n"))
	}
	if got := reg.Versions("rutine"); !slices.Equal(got, []int{1, 2}) {
		t.Errorf("Versions(rutine) = %v", got)
	}
	if r, _ := reg.Latest("rutine"); r.Steps[0].Action != "Ny" || r.File != "a-new.yaml" {
		t.Errorf("Latest(rutine) = %q from %s", r.Steps[0].Action, r.File)
	}
	if _, ok := reg.Latest("annen"); !ok {
		t.Error("other.yml not loaded")
	}
	if _, ok := reg.Latest("broken"); ok {
		t.Error("broken routine loaded")
	}
}
