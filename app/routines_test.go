package app_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// lillehammerV2 is Lillehammer's routine as version 2, with the
// conversation due in three weeks instead of two.
func lillehammerV2(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("../routines/lillehammer-oppdager.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(b), "\nversion: 1\n", "\nversion: 2\n", 1)
	i := strings.Index(s, "- id: conversation")
	j := i + strings.Index(s[i:], "deadline: P2W")
	s = s[:j] + "deadline: P3W" + s[j+len("deadline: P2W"):]
	if !strings.Contains(s, "version: 2") || !strings.Contains(s, "deadline: P3W") {
		t.Fatal("could not make version 2")
	}
	return []byte(s)
}

// A new routine version is for new cases: a running case keeps the version
// it started under, including for the steps that start later.
func TestNewRoutineVersionLeavesRunningCases(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		start := at(2026, 3, 2, 10, 0)
		w := newWorld(t, db, start)
		ctx := context.Background()
		running := w.concern("ola", named(pathway.SituationUnclearConcern, ""))

		// Only the administrator (or the command line) uploads.
		_, err := w.app.UploadRoutine(ctx, w.as("ola"), "v2.yaml", lillehammerV2(t))
		wantErrCode(t, err, "not_found")
		r, err := w.app.UploadRoutine(ctx, w.as("admin"), "v2.yaml", lillehammerV2(t))
		if err != nil {
			t.Fatal(err)
		}
		if r.ID != "lillehammer-oppdager" || r.Version != 2 {
			t.Fatalf("uploaded %s v%d", r.ID, r.Version)
		}
		// The same version again, or an older one, is refused.
		_, err = w.app.UploadRoutine(ctx, nil, "v2.yaml", lillehammerV2(t))
		wantErrCode(t, err, "routine_version_exists")

		fresh := w.concern("ola", named(pathway.SituationUnclearConcern, ""))
		if fresh.Case.RoutineVersion != 2 || running.Case.RoutineVersion != 1 {
			t.Fatalf("versions: running %d, fresh %d", running.Case.RoutineVersion, fresh.Case.RoutineVersion)
		}
		next := w.complete("ola", running.Case.ID, "consult", "")
		if len(next) != 1 || !next[0].DueAt.Equal(start.AddDate(0, 0, 14)) || next[0].RoutineVersion != 1 {
			t.Errorf("running case: conversation due %v (v%d), want two weeks (v1)", next[0].DueAt.In(oslo), next[0].RoutineVersion)
		}
		next = w.complete("ola", fresh.Case.ID, "consult", "")
		if len(next) != 1 || !next[0].DueAt.Equal(start.AddDate(0, 0, 21)) || next[0].RoutineVersion != 2 {
			t.Errorf("new case: conversation due %v (v%d), want three weeks (v2)", next[0].DueAt.In(oslo), next[0].RoutineVersion)
		}

		// Another server on the same database picks the upload up.
		other := app.New(db, w.clock, nil)
		if err := other.LoadRoutines(ctx); err != nil {
			t.Fatal(err)
		}
		if latest, ok := other.Routines().Latest("lillehammer-oppdager"); !ok || latest.Version != 2 {
			t.Errorf("the other server has version %v", latest)
		}
		uploads, err := w.app.ListRoutineUploads(ctx, w.as("admin"))
		if err != nil || len(uploads) != 1 || uploads[0].Version != 2 || uploads[0].UploadedBy != w.id("admin") {
			t.Errorf("uploads = %+v, %v", uploads, err)
		}
	})
}

// A broken routine document is refused with the line of each problem, and
// nothing is stored.
func TestBrokenRoutineRefusedWithLine(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db, at(2026, 3, 2, 10, 0))
		doc := `id: test-rutine
version: 1
name: "Test"
municipality: "Testvik"
steps:
  - id: first
    situation: acute
    action: "Ring barnevernet"
    responsible: janitor
    deadline: P1W
  - id: second
    situation: unclear_concern
    action: "Drøft"
    responsible: discoverer
    deadline: soon
`
		_, err := w.app.UploadRoutine(context.Background(), nil, "broken.yaml", []byte(doc))
		var rerr *app.RoutineError
		if !errors.As(err, &rerr) {
			t.Fatalf("err = %v, want a RoutineError", err)
		}
		wantErrCode(t, err, "invalid_routine")
		lines := map[int]string{}
		for _, p := range rerr.Problems {
			lines[p.Line] = p.Message
		}
		if !strings.Contains(lines[9], "janitor") || !strings.Contains(lines[15], "soon") || len(lines) != 2 {
			t.Errorf("problems = %+v, want line 9 (janitor) and line 15 (soon)", rerr.Problems)
		}
		if !strings.Contains(err.Error(), "line 9") {
			t.Errorf("message %q does not name the first line", err.Error())
		}
		_, err = w.app.UploadRoutine(context.Background(), nil, "syntax.yaml", []byte("id: x\nversion: [1\n"))
		if !errors.As(err, &rerr) || len(rerr.Problems) == 0 || rerr.Problems[0].Line == 0 {
			t.Errorf("a YAML syntax error: %v", err)
		}
		if w.count("routine_documents") != 0 {
			t.Error("a broken document was stored")
		}
	})
}
