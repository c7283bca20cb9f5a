package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The administrator imports services from the command line: without
// --apply the plan is printed and nothing changes; with --apply the file is
// imported; a refused line imports nothing and says which line and why.
func TestImportCommand(t *testing.T) {
	dir := t.TempDir()
	dsn := filepath.Join(dir, "s.db")
	if _, _, err := cli(nil, "migrate", "--db", dsn); err != nil {
		t.Fatal(err)
	}
	execSQL(t, dsn, `INSERT INTO municipalities (id, name, number, created_at)
		VALUES ('m1', 'Testvik', '9998', '`+time.Now().UTC().Format("2006-01-02 15:04:05")+`')`)
	file := filepath.Join(dir, "tjenester.csv")
	write := func(s string) {
		if err := os.WriteFile(file, []byte("\xEF\xBB\xBFekstern_id;navn;type;krets;leder\r\n"+s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("T1;Nordby skole;skole;;\r\nT2;Solsikken barnehage;barnehage;;\r\n")
	out, stderr, err := cli(nil, "import", "--db", dsn, "--kind", "services", "--file", file)
	if err != nil || !strings.Contains(out, "dry run: 2 to create") || !strings.Contains(out, "Solsikken barnehage") {
		t.Fatalf("dry run: %v %q %q", err, out, stderr)
	}
	out, stderr, err = cli(nil, "import", "--db", dsn, "--kind", "services", "--file", file, "--apply")
	if err != nil || !strings.Contains(out, "imported: 2 created, 0 updated, 0 unchanged") {
		t.Fatalf("apply: %v %q %q", err, out, stderr)
	}
	write("T1;Nordby skule;skole;;\r\nT3;Ukjent;bibliotek;;\r\n")
	out, _, err = cli(nil, "import", "--db", dsn, "--kind", "services", "--file", file, "--apply")
	if err == nil || !strings.Contains(err.Error(), "nothing was imported") || !strings.Contains(out, "invalid_service_kind: bibliotek") {
		t.Fatalf("refused: %v %q", err, out)
	}
	out, _, err = cli(nil, "import", "--db", dsn, "--kind", "services", "--file", file)
	if err != nil || !regexp.MustCompile(`2\s+update\s+Nordby skule\s+name`).MatchString(out) {
		t.Errorf("the refused import changed something: %v %q", err, out)
	}
	if _, _, err := cli(nil, "import", "--db", dsn, "--kind", "persons", "--file", file); err == nil {
		t.Error("--kind persons was accepted")
	}
}
