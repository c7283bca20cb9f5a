package app_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// importWorld is a municipality with one district and an administrator.
type importWorld struct {
	t     *testing.T
	db    *store.DB
	a     *app.App
	admin *samordna.Actor
}

func newImportWorld(t *testing.T, db *store.DB) *importWorld {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	a := app.New(db, importClock{now}, nil)
	err := db.Write(ctx, func(tx *store.Tx) error {
		m := &samordna.Municipality{ID: samordna.NewID(), Name: "Testvik", Number: "9999"}
		if err := store.CreateMunicipality(tx, m, now); err != nil {
			return err
		}
		return store.CreateDistrict(tx, &samordna.District{MunicipalityID: m.ID, Name: "Nord"}, now)
	})
	if err != nil {
		t.Fatal(err)
	}
	admin, err := a.CreateUser(ctx, &samordna.Actor{}, app.NewUser{Username: "admin", Name: "Åse Admin",
		Roles: []samordna.Role{samordna.RoleAdmin}})
	if err != nil {
		t.Fatal(err)
	}
	return &importWorld{t: t, db: db, a: a, admin: &samordna.Actor{Employee: admin, RequestID: "test"}}
}

type importClock struct{ now time.Time }

func (c importClock) Now() time.Time { return c.now }

// bom is the UTF-8 byte order mark Excel writes first.
const bom = "\xEF\xBB\xBF"

// servicesFile is a services file as Excel's "CSV UTF-8" writes it.
const servicesFile = bom + "ekstern_id;navn;type;krets;leder\r\n" +
	"T1;Nordby skole;skole;Nord;\r\n" +
	"T2;Solsikken barnehage;barnehage;nord;\r\n" +
	"T3;Helsestasjonen for små og store;Helsestasjon;;\r\n" +
	"T4;Tjenesten for rus og psykisk helse;rus_psykisk;;\r\n"

// employeesFile is n employees in Nordby skole, as semicolon CSV with BOM.
func employeesFile(n int, rename map[int]string) string {
	var b strings.Builder
	b.WriteString(bom + "ekstern_id;navn;brukernavn;epost;tjeneste;roller\r\n")
	for i := 1; i <= n; i++ {
		name := fmt.Sprintf("Øystein Ærlig Å %d", i)
		if r, ok := rename[i]; ok {
			name = r
		}
		roles := "ansatt"
		if i == 1 {
			roles = "ansatt, tjenesteleder"
		}
		fmt.Fprintf(&b, "A%03d;%s;ansatt%d;ansatt%d@testvik.kommune.no;T1;%s\r\n", i, name, i, i, roles)
	}
	return b.String()
}

func (w *importWorld) apply(kind app.ImportKind, file string) *app.ImportPlan {
	w.t.Helper()
	p, err := w.a.ApplyImport(context.Background(), w.admin, kind, []byte(file))
	if err != nil {
		w.t.Fatalf("apply %s: %v %+v", kind, err, p)
	}
	return p
}

// count returns the number of rows of the table.
func (w *importWorld) count(table string) int {
	w.t.Helper()
	var n int
	err := w.db.Read(context.Background(), func(tx *store.Tx) error {
		return tx.QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n)
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return n
}

// A services file in UTF-8 with a byte order mark is planned line by line,
// its æøå kept; the dry run writes nothing, the import creates them with
// their district, and importing it again changes nothing.
func TestImportServicesWithBOM(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newImportWorld(t, db)
		ctx := context.Background()
		p, err := w.a.PlanImport(ctx, w.admin, app.ImportServices, []byte(servicesFile))
		if err != nil {
			t.Fatal(err)
		}
		if p.Created != 4 || !p.OK() || p.Lines[2].What != "Helsestasjonen for små og store" || p.Lines[2].Line != 4 {
			t.Fatalf("plan = %+v", p)
		}
		if n := w.count("services"); n != 0 {
			t.Fatalf("the dry run wrote %d services", n)
		}
		w.apply(app.ImportServices, servicesFile)
		err = db.Read(ctx, func(tx *store.Tx) error {
			all, err := store.ListServices(tx)
			if err != nil {
				return err
			}
			kinds := map[string]samordna.ServiceKind{}
			for _, s := range all {
				kinds[s.Name] = s.Kind
				if s.Name == "Nordby skole" && (s.DistrictID == "" || s.ExternalID != "T1") {
					t.Errorf("Nordby skole = %+v", s)
				}
			}
			if kinds["Tjenesten for rus og psykisk helse"] != samordna.ServiceMentalHealth ||
				kinds["Helsestasjonen for små og store"] != samordna.ServiceHealthStation || len(all) != 4 {
				t.Errorf("services = %v", kinds)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if p := w.apply(app.ImportServices, servicesFile); p.Unchanged != 4 || w.count("services") != 4 {
			t.Errorf("again: %+v", p)
		}
	})
}

// Fifty employees are imported (dry run first); importing the file again
// with one name changed updates that one, leaves 49 as they are and makes
// no duplicates. Every created or changed employee has its audit row.
func TestImportFiftyEmployees(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newImportWorld(t, db)
		ctx := context.Background()
		w.apply(app.ImportServices, servicesFile)
		file := employeesFile(50, nil)
		p, err := w.a.PlanImport(ctx, w.admin, app.ImportEmployees, []byte(file))
		if err != nil || p.Created != 50 || w.count("employees") != 1 {
			t.Fatalf("dry run: %v %+v", err, p)
		}
		w.apply(app.ImportEmployees, file)
		if n := w.count("employees"); n != 51 {
			t.Fatalf("%d employees", n)
		}
		var auditRows int
		err = db.Read(ctx, func(tx *store.Tx) error {
			e, _, err := store.EmployeeByUsername(tx, "ansatt1")
			if err != nil {
				return err
			}
			if e.Name != "Øystein Ærlig Å 1" || !e.HasRole(samordna.RoleServiceLeader) || len(e.Services) != 1 ||
				e.Services[0].Name != "Nordby skole" || e.ExternalID != "A001" {
				t.Errorf("ansatt1 = %+v", e)
			}
			return tx.QueryRow(`SELECT COUNT(*) FROM audit_events WHERE object_type = 'employee' AND action = 'create'
				AND purpose = 'import' AND actor_username = 'admin'`).Scan(&auditRows)
		})
		if err != nil {
			t.Fatal(err)
		}
		if auditRows != 50 {
			t.Errorf("%d audit rows for the created employees", auditRows)
		}
		p = w.apply(app.ImportEmployees, employeesFile(50, map[int]string{7: "Sju Sjusøvn"}))
		if p.Updated != 1 || p.Unchanged != 49 || p.Created != 0 || w.count("employees") != 51 {
			t.Fatalf("re-import: %+v, %d employees", p, w.count("employees"))
		}
		if l := p.Lines[6]; l.Action != app.ImportUpdate || l.Line != 8 || strings.Join(l.Changes, ",") != "name" {
			t.Errorf("line 8 = %+v", l)
		}
	})
}

// A Windows-1252 file (Excel's "CSV (semikolondelt)") keeps its æøå.
func TestImportWindows1252(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newImportWorld(t, db)
		w.apply(app.ImportServices, servicesFile)
		utf := "ekstern_id;navn;brukernavn;epost;tjeneste;roller\r\nB1;Bjørn Æsøy Ås;bjorn.aasoy;;Helsestasjonen for små og store;helsepersonell\r\n"
		file, err := charmap.Windows1252.NewEncoder().String(utf)
		if err != nil {
			t.Fatal(err)
		}
		p := w.apply(app.ImportEmployees, file)
		if p.Created != 1 || p.Lines[0].What != "Bjørn Æsøy Ås" {
			t.Fatalf("plan = %+v", p)
		}
		err = db.Read(context.Background(), func(tx *store.Tx) error {
			e, _, err := store.EmployeeByUsername(tx, "bjorn.aasoy")
			if err == nil && (e.Name != "Bjørn Æsøy Ås" || !e.HasRole(samordna.RoleHealthPersonnel) ||
				e.Services[0].Name != "Helsestasjonen for små og store") {
				t.Errorf("employee = %+v", e)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

// A file with bad lines imports nothing; the plan names each bad line and
// why, and the good lines are still shown as they would be.
func TestImportBadLinesWriteNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newImportWorld(t, db)
		w.apply(app.ImportServices, servicesFile)
		file := employeesFile(3, nil) +
			"A004;Ukjent Tjeneste;ukjent;;Finnes ikke skole;ansatt\r\n" +
			"A005;Dobbel Bruker;ansatt2;;T1;ansatt\r\n" +
			"A006;Feil Rolle;feil.rolle;;T1;sjef\r\n" +
			"A007;Administratoren;admin;;;ansatt\r\n"
		before := w.count("audit_events")
		p, err := w.a.ApplyImport(context.Background(), w.admin, app.ImportEmployees, []byte(file))
		if !errors.Is(err, app.ErrImportRefused) {
			t.Fatalf("err = %v", err)
		}
		if w.count("employees") != 1 || w.count("audit_events") != before {
			t.Fatalf("written: %d employees, %d audit rows", w.count("employees"), w.count("audit_events")-before)
		}
		want := map[int]string{5: "unknown_service", 6: "import_duplicate", 7: "invalid_role", 8: "own_admin_role"}
		for _, l := range p.Lines {
			if l.Action == app.ImportRefused && want[l.Line] != l.Reason {
				t.Errorf("line %d refused: %s", l.Line, l.Reason)
			}
		}
		if p.Created != 3 || p.Refused != 4 {
			t.Errorf("plan: %+v", p)
		}
		if l := p.Lines[3]; l.Line != 5 || l.Reason != "unknown_service" || l.Value != "Finnes ikke skole" {
			t.Errorf("line 5: %+v", l)
		}
	})
}

// A refusal about someone already registered names them (by name, not by
// username): who has the username the line asks for, and who has the line's
// external id with another username. Staff of another municipality stay
// unnamed.
func TestImportRefusalNamesThePerson(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newImportWorld(t, db)
		ctx := context.Background()
		w.apply(app.ImportServices, servicesFile)
		w.apply(app.ImportEmployees, employeesFile(2, map[int]string{2: "Bjørg Brænd"}))
		err := db.Write(ctx, func(tx *store.Tx) error {
			m := &samordna.Municipality{ID: samordna.NewID(), Name: "Nabovik", Number: "9998"}
			if err := store.CreateMunicipality(tx, m, time.Now()); err != nil {
				return err
			}
			return store.CreateEmployee(tx, &samordna.Employee{ID: samordna.NewID(), MunicipalityID: m.ID,
				Username: "nabo.ansatt", Name: "Nina Nabo"}, "", time.Now())
		})
		if err != nil {
			t.Fatal(err)
		}
		file := bom + "ekstern_id;navn;brukernavn;epost;tjeneste;roller\r\n" +
			"A001;Øystein Ærlig Å 1;nytt.navn;;T1;ansatt\r\n" + // A001 is ansatt1
			"A003;Per Ny;ansatt2;;T1;ansatt\r\n" + // ansatt2 is Bjørg Brænd's
			"A004;Nils Ny;nabo.ansatt;;T1;ansatt\r\n" // another municipality's
		p, err := w.a.PlanImport(ctx, w.admin, app.ImportEmployees, []byte(file))
		if err != nil || len(p.Lines) != 3 {
			t.Fatalf("plan: %v %+v", err, p)
		}
		for i, want := range []app.ImportLine{
			{Line: 2, Reason: "username_differs", Value: "nytt.navn", Person: "Øystein Ærlig Å 1"},
			{Line: 3, Reason: "username_taken", Value: "ansatt2", Person: "Bjørg Brænd"},
			{Line: 4, Reason: "username_taken", Value: "nabo.ansatt", Person: ""},
		} {
			l := p.Lines[i]
			if l.Action != app.ImportRefused || l.Line != want.Line || l.Reason != want.Reason || l.Value != want.Value ||
				l.Person != want.Person {
				t.Errorf("line %d = %+v, want %+v", want.Line, l, want)
			}
		}
	})
}

// Only the administrator imports; anyone else is refused as if there were
// nothing, and a header without semicolons is refused as such.
func TestImportRefusals(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newImportWorld(t, db)
		ctx := context.Background()
		emp, err := w.a.CreateUser(ctx, &samordna.Actor{}, app.NewUser{Username: "ola", Name: "Ola Lærer"})
		if err != nil {
			t.Fatal(err)
		}
		ola := &samordna.Actor{Employee: emp}
		if _, err := w.a.PlanImport(ctx, ola, app.ImportServices, []byte(servicesFile)); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("employee planned: %v", err)
		}
		if _, err := w.a.ApplyImport(ctx, ola, app.ImportServices, []byte(servicesFile)); !errors.Is(err, samordna.ErrNotFound) ||
			w.count("services") != 0 {
			t.Errorf("employee applied: %v", err)
		}
		_, err = w.a.PlanImport(ctx, w.admin, app.ImportServices, []byte("ekstern_id,navn,type\nT1,Skolen,skole\n"))
		if samordna.ErrorCode(err) != "import_separator" {
			t.Errorf("comma file: %v", err)
		}
		_, err = w.a.PlanImport(ctx, w.admin, app.ImportServices, []byte("ekstern_id;navn\nT1;Skolen\n"))
		if samordna.ErrorCode(err) != "import_missing_column" {
			t.Errorf("no type: %v", err)
		}
	})
}
