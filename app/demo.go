package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/store"
)

// This file seeds the demo municipality that `samordna demo` serves: the
// districts and services of a small Norwegian municipality, about twenty employees (every
// user docs/API.md promises, with those exact usernames), the teams of seed 002
// (TST Nord/Sentrum/Sør, OST) and seed 003 (ressursgruppe), and a few dozen
// synthetic persons in families.
//
// Persons have synthetic numbers only (month + 80, see
// samordna.SyntheticIDNumber), which ParseIDNumber refuses outside demo and
// test mode, so no real person's number can appear. The data is
// deterministic given the reference date: today by a.Clock (UTC). Birth dates
// are fixed days a fixed number of years before the reference year, so the
// children keep their ages whenever the demo is seeded, and the expected
// child is due four months after the reference date, so that it is always
// within the window RegisterPerson accepts. With the same reference year two
// seedings give the same persons and numbers (ids are random).

// DemoMunicipalityName and DemoMunicipalityNumber name the demo municipality.
// 9999 is not a real kommunenummer.
const (
	DemoMunicipalityName   = "Demo kommune"
	DemoMunicipalityNumber = "9999"
)

// MetaDemo is the meta key SeedDemo sets to "true", so that `samordna demo`
// can refuse to overwrite a database that is not a demo one (see IsDemo).
const MetaDemo = "demo"

// demoDueMonths is how many months after the reference date the demo's
// expected child is due.
const demoDueMonths = 4

// DemoInfo is what SeedDemo created, for printing at start.
type DemoInfo struct {
	Municipality string
	Users        []DemoUser
	Password     string // every demo user's password
}

// DemoUser is one demo account: its username, full name and what it is
// for (in English).
type DemoUser struct {
	Username    string
	Name        string
	Description string
}

// ErrNotEmpty is returned by SeedDemo when the database already holds a
// municipality: the demo is only seeded into an empty database.
var ErrNotEmpty = samordna.Errorf(samordna.KindConflict, "database_not_empty",
	"the database already has a municipality; the demo is seeded only into an empty database")

// seedActor is the actor the demo's audit rows name.
var seedActor = &samordna.Actor{RequestID: "seed-demo"}

// SeedDemo creates the demo municipality in one transaction and marks the
// database as a demo one (meta "demo" = "true"). Every user gets password
// (hashed once). It either writes everything or nothing.
//
// The persons are synthetic whatever a.AllowSynthetic says; the caller (the
// `samordna demo` command) should also set AllowSynthetic so that users of
// the demo can register synthetic persons themselves.
//
// Who may call: the `samordna demo` command and tests, on a fresh database.
// Errors: ErrNotEmpty (database_not_empty, KindConflict) when a municipality
// exists; weak_password (KindInvalid).
func (a *App) SeedDemo(ctx context.Context, password string) (*DemoInfo, error) {
	hash, err := HashPassword(password)
	if err != nil {
		return nil, samordna.Errorf(samordna.KindInvalid, "weak_password", "%s", err.Error())
	}
	info := &DemoInfo{Municipality: DemoMunicipalityName, Password: password}
	err = a.DB.Write(ctx, func(tx *store.Tx) error {
		s := &demoSeeder{a: a, tx: tx, hash: hash, ref: dateOf(a.now()),
			districts: map[string]*samordna.District{}, services: map[string]*samordna.Service{},
			employees: map[string]*samordna.Employee{},
			persons:   map[string]*samordna.Person{}}
		if err := s.seed(); err != nil {
			return err
		}
		if err := a.seedDemoConcerns(s); err != nil {
			return err
		}
		if err := a.seedDemoCoordination(s); err != nil {
			return err
		}
		// The methods first: the plans' measures name them (seed 001).
		if err := a.seedDemoMethods(s, s.employees["admin"].MunicipalityID, a.now().AddDate(0, 0, -330)); err != nil {
			return err
		}
		if err := a.seedDemoPlans(s); err != nil {
			return err
		}
		if err := a.seedDemoTeams(s); err != nil {
			return err
		}
		if err := a.seedDemoSeed002(s); err != nil { // demo_seed002.go
			return err
		}
		if err := a.seedDemoSola(s); err != nil {
			return err
		}
		if err := a.seedDemoGoals(s); err != nil {
			return err
		}
		info.Users = s.users
		return nil
	})
	if err != nil {
		return nil, err
	}
	return info, nil
}

// IsDemo reports whether the database was seeded by SeedDemo. Who may call:
// the `samordna demo` command, before it reseeds or serves a database.
func (a *App) IsDemo(ctx context.Context) (bool, error) {
	var v string
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		var err error
		v, err = store.Meta(tx, MetaDemo)
		return err
	})
	return v == "true", err
}

// IsEmpty reports whether the database has no municipality yet (a fresh,
// migrated database). Who may call: the command line, before seeding.
func (a *App) IsEmpty(ctx context.Context) (bool, error) {
	empty := false
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		_, err := store.FirstMunicipality(tx)
		if errors.Is(err, samordna.ErrNotFound) {
			empty, err = true, nil
		}
		return err
	})
	return empty, err
}

// demoSeeder holds the state of one SeedDemo transaction: what was created,
// by key, so that later steps can refer to it.
type demoSeeder struct {
	a         *App
	tx        *store.Tx
	hash      string
	ref       time.Time                     // the reference date: today by a.Clock, UTC midnight
	districts map[string]*samordna.District // by name
	services  map[string]*samordna.Service
	employees map[string]*samordna.Employee
	persons   map[string]*samordna.Person
	users     []DemoUser
}

// seed runs every step in order.
func (s *demoSeeder) seed() error {
	if _, err := store.FirstMunicipality(s.tx); err == nil {
		return ErrNotEmpty
	} else if !errors.Is(err, samordna.ErrNotFound) {
		return err
	}
	if err := store.SetMeta(s.tx, MetaDemo, "true"); err != nil {
		return err
	}
	m := &samordna.Municipality{ID: samordna.NewID(), Name: DemoMunicipalityName, Number: DemoMunicipalityNumber}
	if err := store.CreateMunicipality(s.tx, m, s.a.now()); err != nil {
		return err
	}
	for _, step := range []func() error{s.seedDistricts, s.seedServices, s.seedUsers, s.seedLeaders, s.seedTeams, s.seedPersons, s.seedFamilies} {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// demoDistricts are the demo municipality's districts, each with a TST.
var demoDistricts = []string{"Nord", "Sentrum", "Sør"}

// seedDistricts creates demoDistricts, the way the administrator's
// districts page does.
func (s *demoSeeder) seedDistricts() error {
	for _, name := range demoDistricts {
		d, err := s.a.createDistrict(s.tx, seedActor, name)
		if err != nil {
			return fmt.Errorf("demo district %s: %w", name, err)
		}
		s.districts[name] = d
	}
	return nil
}

// demoService is a service of the demo municipality; key names it in the
// tables below; district is the name of the district a school or
// kindergarten belongs to.
type demoService struct {
	key, name string
	kind      samordna.ServiceKind
	district  string
}

var demoServices = []demoService{
	{"solsikken", "Solsikken barnehage", samordna.ServiceKindergarten, "Nord"},
	{"tusenfryd", "Tusenfryd barnehage", samordna.ServiceKindergarten, "Sentrum"},
	{"nordby", "Nordby skole", samordna.ServiceSchool, "Nord"},
	{"sentrum", "Sentrum skole", samordna.ServiceSchool, "Sentrum"},
	{"sorli", "Sørli skole", samordna.ServiceSchool, "Sør"},
	{"hs", "Helsestasjonen", samordna.ServiceHealthStation, ""},
	{"ppt", "PPT", samordna.ServicePPT, ""},
	{"bv", "Barneverntjenesten", samordna.ServiceChildWelfare, ""},
	{"nav", "NAV Demo", samordna.ServiceNAV, ""},
	{"rus", "Psykisk helse og rus", samordna.ServiceMentalHealth, ""},
	{"lege", "Legekontoret", samordna.ServiceGP, ""},
	{"ke", "Koordinerende enhet", samordna.ServiceCoordinatingUnit, ""},
}

// seedServices creates demoServices in their districts, without leaders
// (the users come next), the way the administrator's service page does.
func (s *demoSeeder) seedServices() error {
	for _, d := range demoServices {
		in := NewService{Name: d.name, Kind: d.kind}
		if d.district != "" {
			in.DistrictID = s.districts[d.district].ID
		}
		svc, err := s.a.createService(s.tx, seedActor, in)
		if err != nil {
			return fmt.Errorf("demo service %s: %w", d.key, err)
		}
		s.services[d.key] = svc
	}
	return nil
}

// demoEmployee is a demo user: member of services, leader of leads.
type demoEmployee struct {
	username, name, title, description string
	roles                              []samordna.Role
	services                           []string // service keys
	leads                              string   // service key, or ""
}

// Role sets used in the table below.
var (
	rEmp    = []samordna.Role{samordna.RoleEmployee}
	rLeader = []samordna.Role{samordna.RoleEmployee, samordna.RoleServiceLeader}
	rKE     = []samordna.Role{samordna.RoleEmployee, samordna.RoleCoordinatingUnit}
	rBV     = []samordna.Role{samordna.RoleEmployee, samordna.RoleChildWelfare}
)

// demoEmployees lists the users of docs/API.md first, with exactly those
// usernames, then the others.
var demoEmployees = []demoEmployee{
	{"kari.ke", "Kari Solheim", "Saksbehandler", "caseworker in the coordinating unit (Koordinerende enhet)",
		rKE, []string{"ke"}, ""},
	{"ola.laerer", "Ola Brekke", "Kontaktlærer", "teacher at Nordby skole (a typical discoverer)",
		rEmp, []string{"nordby"}, ""},
	{"ingrid.hs", "Ingrid Moe", "Helsesykepleier", "public-health nurse at Helsestasjonen; member of the TSTs and the resource group",
		rEmp, []string{"hs"}, ""},
	{"per.bv", "Per Strand", "Saksbehandler", "child welfare caseworker; member of the TSTs and the resource group",
		rBV, []string{"bv"}, ""},
	{"anne.ppt", "Anne Lunde", "PP-rådgiver", "adviser in PPT; member of the TSTs",
		rEmp, []string{"ppt"}, ""},
	{"lise.barnehage", "Lise Dahl", "Pedagogisk leder", "kindergarten teacher at Solsikken barnehage",
		rEmp, []string{"solsikken"}, ""},
	{"nils.leder", "Nils Aasen", "Rektor", "head of Nordby skole, where ola.laerer works; member of OST",
		rLeader, nil, "nordby"},
	{"admin", "Marius Lie", "Systemadministrator", "system administrator (users and routines; sees no case content)",
		[]samordna.Role{samordna.RoleAdmin}, nil, ""},
	{"jon.ke", "Jon Vik", "Saksbehandler", "second caseworker in the coordinating unit",
		rKE, []string{"ke"}, ""},
	{"hilde.keleder", "Hilde Bakke", "Leder, koordinerende enhet", "leader of the coordinating unit",
		[]samordna.Role{samordna.RoleEmployee, samordna.RoleServiceLeader, samordna.RoleCoordinatingUnit}, nil, "ke"},
	{"berit.bvleder", "Berit Holm", "Barnevernleder", "leader of child welfare; holds emergency access; member of OST",
		[]samordna.Role{samordna.RoleEmployee, samordna.RoleServiceLeader, samordna.RoleChildWelfare,
			samordna.RoleEmergencyAccess}, nil, "bv"},
	{"silje.laerer", "Silje Haugland", "Kontaktlærer", "teacher at Sentrum skole",
		rEmp, []string{"sentrum"}, ""},
	{"geir.rektor", "Geir Myklebust", "Rektor", "head of Sentrum skole", rLeader, nil, "sentrum"},
	{"espen.laerer", "Espen Rønning", "Kontaktlærer", "teacher at Sørli skole", rEmp, []string{"sorli"}, ""},
	{"tone.rektor", "Tone Sandvik", "Rektor", "head of Sørli skole", rLeader, nil, "sorli"},
	{"hanne.styrer", "Hanne Fjeld", "Styrer", "head of Solsikken barnehage; member of OST", rLeader, nil, "solsikken"},
	{"kjersti.styrer", "Kjersti Aune", "Styrer", "head of Tusenfryd barnehage", rLeader, nil, "tusenfryd"},
	{"gro.hsleder", "Gro Nyland", "Leder, helsestasjon og skolehelsetjeneste", "leader of Helsestasjonen; member of OST",
		rLeader, nil, "hs"},
	{"leif.pptleder", "Leif Engen", "Leder, PPT", "leader of PPT; member of OST", rLeader, nil, "ppt"},
	{"lars.nav", "Lars Kristiansen", "Veileder", "adviser at NAV", rEmp, []string{"nav"}, ""},
	{"mona.navleder", "Mona Eide", "NAV-leder", "leader of NAV Demo", rLeader, nil, "nav"},
	{"eirik.lege", "Eirik Sæther", "Fastlege", "GP and leader of Legekontoret", rLeader, nil, "lege"},
	{"siv.rus", "Siv Thorsen", "Psykiatrisk sykepleier", "mental health and substance worker; member of the resource group",
		rEmp, []string{"rus"}, ""},
	{"tor.rusleder", "Tor Hovland", "Leder, psykisk helse og rus", "leader of Psykisk helse og rus", rLeader, nil, "rus"},
}

// seedUsers creates demoEmployees, all with the one password hash.
func (s *demoSeeder) seedUsers() error {
	for _, d := range demoEmployees {
		if err := s.seedUser(d); err != nil {
			return fmt.Errorf("demo user %s: %w", d.username, err)
		}
		s.users = append(s.users, DemoUser{Username: d.username, Name: d.name, Description: d.description})
	}
	return nil
}

// seedUser creates one user, a member of the services they work in and
// those they lead, the way the administrator's employee page does.
func (s *demoSeeder) seedUser(d demoEmployee) error {
	in := NewUser{Username: d.username, Name: d.name, Title: d.title,
		Email: d.username + "@demo.samordna.invalid", Roles: d.roles}
	for _, key := range d.services {
		in.ServiceIDs = append(in.ServiceIDs, s.services[key].ID)
	}
	if d.leads != "" {
		in.ServiceIDs = append(in.ServiceIDs, s.services[d.leads].ID)
	}
	e, err := s.a.createEmployee(s.tx, seedActor, in, s.hash)
	if err != nil {
		return err
	}
	s.employees[d.username] = e
	return nil
}

// seedLeaders gives each service its leaders, the way the administrator's
// service page does.
func (s *demoSeeder) seedLeaders() error {
	for _, d := range demoServices {
		svc := s.services[d.key]
		in := NewService{Name: svc.Name, Kind: svc.Kind, DistrictID: svc.DistrictID}
		for _, e := range demoEmployees {
			if e.leads == d.key {
				in.LeaderIDs = append(in.LeaderIDs, s.employees[e.username].ID)
			}
		}
		if len(in.LeaderIDs) == 0 {
			continue
		}
		if err := s.a.updateService(s.tx, seedActor, svc.ID, in); err != nil {
			return fmt.Errorf("demo service %s: %w", d.key, err)
		}
		svc.LeaderIDs = in.LeaderIDs
	}
	return nil
}

// The teams' purposes, from seed 002 (Hammerfest) and seed 003 (Ulstein).
const (
	purposeTST = "Samordne tiltak knyttet til barn og unge med tilpassede behov. Teamet skal sikre et godt " +
		"samarbeid mellom tjenestene, gi råd og veiledning til den som melder inn saken og finne gode løsninger " +
		"sammen med melder. Skoler, barnehager, foresatte og andre som arbeider med barn og unge melder inn saker " +
		"med navn (med samtykke) eller anonymt. Faste deltakere er PPT, helsesykepleier og barnevern; andre ved " +
		"behov. Systemsaker meldes videre til OST."
	purposeOST = "Sikre tverrfaglig samarbeid mellom tjenestene om brukergrupper med tilpassede behov gjennom " +
		"systemisk arbeid, rutinebeskrivelser og kontinuerlig kontroll. Tar imot systemsaker fra TST-ene og sørger " +
		"for at rutiner og tiltak blir spredt og implementert. Møtes en gang i måneden."
	purposeRus = "Råd og veiledning ved bekymring for bruk av alkohol og/eller andre rusmidler i sped- og " +
		"småbarnsfamilier, åpent (med samtykke) eller anonymt. Den som har fått henvendelsen gir råd til melderen " +
		"og melder saken til koordinator for ressursgruppa; saken drøftes på neste møte."
)

// demoTeam is a team of the demo municipality.
type demoTeam struct {
	name       string
	kind       samordna.TeamKind
	purpose    string
	members    []string // usernames; the first leads the team
	submitters []string // service keys
	district   string   // district name, for a TST
	rule       string   // meeting rule (see MeetingRules)
}

// tstMembers are the fixed members of every district TST.
var tstMembers = []string{"anne.ppt", "ingrid.hs", "per.bv"}

var demoTeams = []demoTeam{
	{"TST Nord", samordna.TeamInterdisciplinary, purposeTST, tstMembers, []string{"nordby", "solsikken"}, "Nord", "every_6_weeks"},
	{"TST Sentrum", samordna.TeamInterdisciplinary, purposeTST, tstMembers, []string{"sentrum", "tusenfryd"}, "Sentrum",
		"every_6_weeks"},
	{"TST Sør", samordna.TeamInterdisciplinary, purposeTST, tstMembers, []string{"sorli"}, "Sør", "every_6_weeks"},
	{"OST", samordna.TeamOverarching, purposeOST,
		[]string{"nils.leder", "hanne.styrer", "berit.bvleder", "gro.hsleder", "leif.pptleder"}, nil, "", "monthly"},
	{"Ressursgruppe rus", samordna.TeamResourceGroup, purposeRus, []string{"ingrid.hs", "per.bv", "siv.rus"}, nil, "",
		"as_needed"},
	// The existing teams of seed 002 §3.3, with their meeting frequencies.
	{"Koordineringsteam for funksjonshemmede barn og unge", samordna.TeamOther,
		"Samordne tjenester til barn og unge med funksjonsnedsettelser. Møtes ca. hver 6. uke.",
		[]string{"hilde.keleder", "anne.ppt", "ingrid.hs"}, nil, "", "every_6_weeks"},
	{"Overgrepsteam", samordna.TeamOther, "PPT, barnevern og helsesykepleier: saker om overgrep mot barn. 2–3 faste møter hvert halvår.",
		[]string{"anne.ppt", "per.bv", "ingrid.hs"}, nil, "", "twice_per_half_year"},
	{"Kriseteam", samordna.TeamOther, "Psykososial førstehjelp ved kriser og hendelser. Seks faste møter i året, ellers ved hendelser.",
		[]string{"gro.hsleder", "eirik.lege", "tor.rusleder"}, nil, "", "six_per_year"},
	{"Koordineringsteam for rehabilitering voksne", samordna.TeamOther, "Koordinere rehabilitering for voksne. Møtes ca. hver 5. uke.",
		[]string{"hilde.keleder", "jon.ke", "eirik.lege"}, nil, "", "every_5_weeks"},
	{"Team for gravide rusmisbrukere", samordna.TeamOther, "Jordmor, lege, rustjeneste, barnevern og helsesykepleier følger opp gravide som bruker rusmidler.",
		[]string{"ingrid.hs", "eirik.lege", "siv.rus", "per.bv"}, nil, "", "as_needed"},
	{"Støttekontaktutvalg", samordna.TeamOther, "Fast vedtaksmøte om støttekontakt hver måned.",
		[]string{"hilde.keleder", "lars.nav"}, nil, "", "monthly"},
	{"SLT", samordna.TeamOther, "Samordning av lokale kriminalitetsforebyggende tiltak: SLT-koordinator, politi og tjenestene. Jevnlige møter.",
		[]string{"tor.rusleder", "berit.bvleder"}, nil, "", "as_needed"},
	{"Koordineringsteam psykososiale", samordna.TeamOther, "Samordne tiltak for barn og unge med psykososiale vansker.",
		[]string{"tor.rusleder", "ingrid.hs", "anne.ppt"}, nil, "", "as_needed"},
}

// seedTeams creates demoTeams, the way the administrator's team page does.
func (s *demoSeeder) seedTeams() error {
	for _, d := range demoTeams {
		in := NewTeam{Name: d.name, Kind: d.kind, Purpose: d.purpose, MeetingRule: d.rule}
		if d.district != "" {
			in.DistrictID = s.districts[d.district].ID
		}
		for _, u := range d.members {
			in.MemberIDs = append(in.MemberIDs, s.employees[u].ID)
		}
		// Every team in seed 002 §3.3 has a leader who plans its meetings;
		// the demo lets the first member listed lead.
		in.LeaderID = in.MemberIDs[0]
		for _, key := range d.submitters {
			in.SubmitterIDs = append(in.SubmitterIDs, s.services[key].ID)
		}
		if _, err := s.a.createTeam(s.tx, seedActor, in); err != nil {
			return fmt.Errorf("demo team %s: %w", d.name, err)
		}
	}
	return nil
}

// demoPerson is a synthetic person born on a fixed day, age years before
// the reference year; dnr gives a D-nummer instead of a fødselsnummer.
type demoPerson struct {
	key, name string
	age       int
	month     time.Month
	day       int
	dnr       bool
}

var demoPersons = []demoPerson{
	// A family with a school child at Nordby skole and a kindergarten child.
	{"kristin", "Kristin Hansen", 38, time.April, 12, false},
	{"thomas", "Thomas Hansen", 40, time.September, 3, false},
	{"emma", "Emma Hansen", 10, time.February, 20, false},
	{"jonas", "Jonas Hansen", 5, time.November, 7, false},
	// A pregnant woman and her partner; the expected child is added by seedFamilies.
	{"maria", "Maria Johansen", 29, time.June, 14, false},
	{"andreas", "Andreas Lund", 31, time.January, 25, false},
	// A single parent with substance problems and two small children (seed 003).
	{"camilla", "Camilla Berg", 32, time.March, 8, false},
	{"oliver", "Oliver Berg", 3, time.May, 19, false},
	{"sofie", "Sofie Berg", 1, time.October, 2, false},
	// A teenager and his parents.
	{"mathias", "Mathias Olsen", 15, time.July, 1, false},
	{"hege", "Hege Olsen", 45, time.December, 24, false},
	{"rune", "Rune Olsen", 47, time.February, 11, false},
	// An adult with long-term, complex needs (seed 004).
	{"terje", "Terje Nilsen", 54, time.August, 16, false},
	// An adult with a D-nummer and her child born here.
	{"aleksandra", "Aleksandra Nowak", 34, time.May, 3, true},
	{"zofia", "Zofia Nowak", 6, time.September, 28, false},
	// A family with another cultural background.
	{"amina", "Amina Hassan", 36, time.January, 9, false},
	{"yusuf", "Yusuf Ahmed", 41, time.October, 30, false},
	{"sara", "Sara Ahmed", 12, time.April, 4, false},
	{"ali", "Ali Ahmed", 9, time.June, 21, false},
	{"hodan", "Hodan Ahmed", 4, time.December, 1, false},
	// Parents living apart, both guardians.
	{"marte", "Marte Larsen", 33, time.July, 27, false},
	{"martin", "Martin Pedersen", 34, time.November, 11, false},
	{"lukas", "Lukas Larsen", 8, time.March, 15, false},
	// A grandmother who is guardian of her grandson.
	{"eva", "Eva Karlsen", 67, time.February, 2, false},
	{"noah", "Noah Karlsen", 11, time.August, 8, false},
	// Adults on their own.
	{"bjorn", "Bjørn Eriksen", 46, time.May, 5, false},
	{"ingvild", "Ingvild Solberg", 23, time.September, 9, false},
	// A mother and her daughter.
	{"ida", "Ida Andersen", 35, time.October, 17, false},
	{"nora", "Nora Andersen", 7, time.January, 31, false},
	// A family with a pupil at lower secondary level.
	{"linn", "Linn Haugen", 42, time.June, 6, false},
	{"erik", "Erik Haugen", 44, time.April, 23, false},
	{"jakob", "Jakob Haugen", 14, time.December, 12, false},
}

// demoIDNumber returns the synthetic number the demo gives a person born on
// birth with sequence seq; dnr selects a D-nummer.
func demoIDNumber(birth time.Time, seq int, dnr bool) string {
	if dnr {
		return samordna.SyntheticDNumber(birth, seq)
	}
	return samordna.SyntheticIDNumber(birth, seq)
}

// seedPersons registers demoPersons, each with its own sequence number, and
// refuses (as a guard) any number that is not synthetic.
func (s *demoSeeder) seedPersons() error {
	for i, d := range demoPersons {
		birth := time.Date(s.ref.Year()-d.age, d.month, d.day, 0, 0, 0, 0, time.UTC)
		p, err := s.a.registerPerson(s.tx, seedActor, NewPerson{IDNumber: demoIDNumber(birth, i, d.dnr), Name: d.name}, true)
		if err != nil {
			return fmt.Errorf("demo person %s: %w", d.key, err)
		}
		if !p.Synthetic { // cannot happen; a guard so no real number is ever seeded
			return fmt.Errorf("demo person %s: number is not synthetic", d.key)
		}
		s.persons[d.key] = p
	}
	return nil
}

// demoFamily relates parents (parent_of and guardian_of) and guardians
// (guardian_of only) to children.
type demoFamily struct {
	parents, guardians, children []string
}

var demoFamilies = []demoFamily{
	{parents: []string{"kristin", "thomas"}, children: []string{"emma", "jonas"}},
	{parents: []string{"camilla"}, children: []string{"oliver", "sofie"}},
	{parents: []string{"hege", "rune"}, children: []string{"mathias"}},
	{parents: []string{"aleksandra"}, children: []string{"zofia"}},
	{parents: []string{"amina", "yusuf"}, children: []string{"sara", "ali", "hodan"}},
	{parents: []string{"marte", "martin"}, children: []string{"lukas"}},
	{guardians: []string{"eva"}, children: []string{"noah"}},
	{parents: []string{"ida"}, children: []string{"nora"}},
	{parents: []string{"linn", "erik"}, children: []string{"jakob"}},
}

// seedFamilies records demoFamilies' relations and the expected child.
func (s *demoSeeder) seedFamilies() error {
	for _, f := range demoFamilies {
		for _, c := range f.children {
			for _, p := range f.parents {
				if err := s.relate(p, samordna.RelationParentOf, c); err != nil {
					return err
				}
			}
			for _, g := range slices.Concat(f.parents, f.guardians) {
				if err := s.relate(g, samordna.RelationGuardianOf, c); err != nil {
					return err
				}
			}
		}
	}
	return s.seedExpectedChild()
}

// seedExpectedChild registers Maria Johansen's expected child, due
// demoDueMonths after the reference date; her partner is its father.
func (s *demoSeeder) seedExpectedChild() error {
	due := s.ref.AddDate(0, demoDueMonths, 0).Format(time.DateOnly)
	child, err := s.a.registerPerson(s.tx, seedActor, NewPerson{Name: "Ufødt barn av Maria Johansen", DueDate: due,
		MotherID: s.persons["maria"].ID}, true)
	if err != nil {
		return fmt.Errorf("demo expected child: %w", err)
	}
	s.persons["expected"] = child
	return s.relate("andreas", samordna.RelationParentOf, "expected")
}

// relate records that person key from is kind of person key to.
func (s *demoSeeder) relate(from string, kind samordna.RelationKind, to string) error {
	if _, err := s.a.relatePersons(s.tx, seedActor, s.persons[from].ID, kind, s.persons[to].ID); err != nil {
		return fmt.Errorf("demo relation %s %s %s: %w", from, kind, to, err)
	}
	return nil
}
