package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runRoutineCLI runs the command line with args and returns stdout, stderr and
// the error.
func runRoutineCLI(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	m := &Main{Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }}
	err := m.Run(context.Background(), args)
	return out.String(), errOut.String(), err
}

// The administrator uploads routines from the command line: a broken one is
// refused with its lines, a good one is stored and listed.
func TestRoutineCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "s.db")
	broken := filepath.Join(dir, "broken.yaml")
	if err := os.WriteFile(broken, []byte("id: ny-rutine\nversion: 1\nname: Ny\nmunicipality: Testvik\nsteps:\n"+
		"  - id: a\n    situation: acute\n    action: Meld\n    responsible: discoverer\n    deadline: P1X\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, stderr, err := runRoutineCLI(t, "routine", "upload", "--db", db, "--file", broken)
	if err == nil || !strings.Contains(stderr, "broken.yaml:10:") || !strings.Contains(err.Error(), "nothing was stored") {
		t.Fatalf("broken upload: err %v, stderr %q", err, stderr)
	}
	good := filepath.Join(dir, "good.yaml")
	if err := os.WriteFile(good, []byte("id: ny-rutine\nversion: 1\nname: Ny rutine\nmunicipality: Testvik\nsteps:\n"+
		"  - id: a\n    situation: acute\n    action: Meld\n    responsible: discoverer\n    deadline: immediately\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, stderr, err := runRoutineCLI(t, "routine", "upload", "--db", db, "--file", good)
	if err != nil || !strings.Contains(out, "stored ny-rutine version 1") {
		t.Fatalf("upload: %v %q %q", err, out, stderr)
	}
	out, _, err = runRoutineCLI(t, "routine", "list", "--db", db)
	for _, want := range []string{"ny-rutine", "lillehammer-oppdager", "ulstein-rus-sped-smabarn"} {
		if err != nil || !strings.Contains(out, want) {
			t.Errorf("list lacks %s: %v\n%s", want, err, out)
		}
	}
	if _, _, err := runRoutineCLI(t, "routine", "upload", "--db", db); err == nil {
		t.Error("upload without --file was accepted")
	}
}

// Rule 9 (issue 11): the administrator adopts the deadlines a routine does
// not give (Lillehammer, seed 000, gives none: "Lokal frist") from the
// command line, as versions, and lists what is in force.
func TestRoutineDeadlineCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "s.db")
	if _, _, err := runRoutineCLI(t, "migrate", "--db", db); err != nil {
		t.Fatal(err)
	}
	execSQL(t, db, `INSERT INTO municipalities (id, name, number, created_at) VALUES ('m1', 'Testvik', '9999', '2026-03-02T09:00:00Z')`)
	out, _, err := runRoutineCLI(t, "routine", "deadlines", "--db", db)
	if err != nil || !strings.Contains(out, "consult") || !strings.Contains(out, "P1W (proposed)") ||
		strings.Contains(out, "row-01") {
		t.Fatalf("deadlines before: %v\n%s", err, out)
	}
	out, _, err = runRoutineCLI(t, "routine", "deadline", "--db", db, "--id", "lillehammer-oppdager", "--step", "consult",
		"--deadline", "P3D", "--working-days", "--note", "Vedtatt")
	if err != nil || !strings.Contains(out, "adopted lillehammer-oppdager/consult version 1: P3D") {
		t.Fatalf("adopt: %v %q", err, out)
	}
	if _, _, err := runRoutineCLI(t, "routine", "deadline", "--db", db, "--id", "ulstein-rus-sped-smabarn",
		"--step", "row-01", "--deadline", "P3D"); err == nil || !strings.Contains(err.Error(), "routine's own") {
		t.Errorf("the routine's own deadline was changed: %v", err)
	}
	if _, _, err := runRoutineCLI(t, "routine", "deadline", "--db", db, "--step", "immediate_grace", "--deadline", "PT2H"); err != nil {
		t.Fatal(err)
	}
	out, _, err = runRoutineCLI(t, "routine", "deadlines", "--db", db)
	if err != nil || !strings.Contains(out, "P3D working days") || !strings.Contains(out, "PT2H") {
		t.Errorf("deadlines after: %v\n%s", err, out)
	}
	if _, _, err := runRoutineCLI(t, "routine", "deadline", "--db", db, "--step", "consult"); err == nil {
		t.Error("deadline without --deadline was accepted")
	}
}
