package bench

import (
	"fmt"
	"math"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/store"
)

// The shape of the generated country. Fractions are of all cases.
const (
	fracAnonymous   = 0.12 // anonymous consultations (no subject)
	fracApplication = 0.45 // of named cases: applied to the coordinating unit
	fracCoordinator = 0.80 // of applications: granted, with a coordinator
	fracGroup       = 0.55 // of cases with a coordinator: responsibility group with consent
	fracPlan        = 0.50 // of groups: an individual plan
	fracReport      = 0.05 // of named cases: a report to child welfare
	fracSubmission  = 0.10 // submitted to a district team (TST)
	fracClosed      = 0.40 // of cases older than half a year: closed
	casesPerCoord   = 35   // cases (open and closed) per coordinator
	casesPerDisc    = 8    // cases a discoverer has registered over three years
	historyDays     = 3 * 365
	personsPerDay   = 150 // synthetic numbers per birth date (seq 0..149)
)

// serviceKinds are the services every municipality has, in this order.
var serviceKinds = []samordna.ServiceKind{
	samordna.ServiceKindergarten, samordna.ServiceSchool, samordna.ServiceHealthStation, samordna.ServicePPT,
	samordna.ServiceChildWelfare, samordna.ServiceNAV, samordna.ServiceMentalHealth, samordna.ServiceGP,
	samordna.ServiceCoordinatingUnit,
}

// serviceNames name the services (Norwegian, as a municipality would).
var serviceNames = []string{"Barnehage", "Skole", "Helsestasjon", "PPT", "Barnevern", "NAV",
	"Psykisk helse og rus", "Fastlege", "Koordinerende enhet"}

// Indexes into serviceKinds.
const (
	svcKindergarten = iota
	svcSchool
	svcHealth
	svcPPT
	svcChildWelfare
	svcNAV
	svcMental
	svcGP
	svcUnit
)

// empKind is what a generated employee does, which decides their roles and
// which cases they relate to.
type empKind uint8

const (
	empAdmin       empKind = iota
	empUnit                // coordinating unit caseworker
	empChildWelf           // child welfare caseworker
	empLeader              // leads a service
	empCoordinator         // PPT, health station, NAV or mental health: appointed coordinator
	empDiscoverer          // teacher, kindergarten teacher, nurse: registers concerns
)

// employee is one generated employee.
type employee struct {
	id, username, name, title string
	mun                       int
	service                   int // global service index
	kind                      empKind
	primaryRole               string // the role the audit trail shows
}

// roles returns the employee's roles.
func (e *employee) roles() []samordna.Role {
	switch e.kind {
	case empAdmin:
		return []samordna.Role{samordna.RoleAdmin}
	case empUnit:
		return []samordna.Role{samordna.RoleEmployee, samordna.RoleCoordinatingUnit}
	case empChildWelf:
		return []samordna.Role{samordna.RoleEmployee, samordna.RoleChildWelfare}
	case empLeader:
		return []samordna.Role{samordna.RoleEmployee, samordna.RoleServiceLeader}
	}
	return []samordna.Role{samordna.RoleEmployee}
}

// municipality is one generated municipality and its people.
type municipality struct {
	id, name, number    string
	caseLo, caseHi      int // its cases are [caseLo, caseHi)
	personLo, personHi  int
	services            [9]int // global service indexes, by serviceKinds
	admin               int
	unit, childWelfare  []int // employee indexes
	leaders             []int
	coordinators        []int
	discoverers         []int
	teams               []int // global team indexes; teams[0] is the OST, the rest TSTs
	nextCoord, nextUnit int
}

// team is a standing cross-service team.
type team struct {
	id, name, kind string
	mun            int
	members        []int
}

// casePlan is what one generated case holds: enough to emit its rows in
// every table and to pick related actors for its audit rows.
type casePlan struct {
	mun       int32
	subject   int32 // person index, -1 when anonymous
	regBy     int32 // employee index
	coord     int32 // employee index, -1 when none
	unitBy    int32 // coordinating unit caseworker who decided, -1 when no application
	team      int32 // team index, -1 when not submitted
	members   [2]int32
	created   int32 // seconds before the generation time
	updated   int32 // seconds before the generation time
	closed    int32 // seconds before the generation time, 0 when open
	situation uint8
	nTasks    uint8
	hasApp    bool
	group     bool
	plan      bool
	report    bool
}

var situations = []string{"unclear_concern", "asks_for_help", "known_family", "pregnant", "acute"}

// world is the generated country, small enough to hold in memory (the
// persons, tasks and audit rows are streamed from it).
type world struct {
	spec      Spec
	now       time.Time // the generation time; every generated time is before or around it
	munis     []municipality
	services  []int // municipality of each service
	employees []employee
	teams     []team
	cases     []casePlan
	auditHead string // the last generated audit row's hash
	auditKey  *store.AuditKey
	caseIDs   []string
	personIDs []string
}

// newWorld lays out the country: municipality sizes follow Zipf's law (the
// largest holds about a sixth of the cases, as Oslo does), employees scale
// with a municipality's cases, and every case is planned.
func newWorld(spec Spec, now time.Time) *world {
	w := &world{spec: spec, now: now.UTC().Truncate(time.Second), auditKey: benchAuditKey(spec.Seed)}
	weights := make([]float64, spec.Municipalities)
	total := 0.0
	for i := range weights {
		weights[i] = 1 / float64(i+1)
		total += weights[i]
	}
	cum := 0.0
	caseAt, personAt := 0, 0
	for i := range spec.Municipalities {
		cum += weights[i]
		m := municipality{id: genID(spec.Seed, kindMunicipality, i), name: fmt.Sprintf("Kommune %03d", i+1),
			number: fmt.Sprintf("%04d", 3000+i)}
		m.caseLo, m.caseHi = caseAt, int(math.Round(cum/total*float64(spec.Cases)))
		m.personLo, m.personHi = personAt, int(math.Round(cum/total*float64(spec.Persons)))
		if i == spec.Municipalities-1 {
			m.caseHi, m.personHi = spec.Cases, spec.Persons
		}
		caseAt, personAt = m.caseHi, m.personHi
		w.munis = append(w.munis, m)
	}
	for i := range w.munis {
		w.staff(i)
	}
	w.cases = make([]casePlan, spec.Cases)
	w.caseIDs = make([]string, spec.Cases)
	for k := range w.caseIDs {
		w.caseIDs[k] = genID(spec.Seed, kindCase, k)
	}
	for i := range w.munis {
		m := &w.munis[i]
		for k := m.caseLo; k < m.caseHi; k++ {
			w.cases[k] = w.planCase(i, k)
		}
	}
	return w
}

// staff creates a municipality's services, employees and teams.
func (w *world) staff(mi int) {
	m := &w.munis[mi]
	for k := range serviceKinds {
		m.services[k] = len(w.services)
		w.services = append(w.services, mi)
	}
	c := m.caseHi - m.caseLo
	add := func(kind empKind, svc int, title, handle string, n int) []int {
		var out []int
		for j := range n {
			idx := len(w.employees)
			w.employees = append(w.employees, employee{
				id:       genID(w.spec.Seed, kindEmployee, idx),
				username: fmt.Sprintf("k%03d.%s%02d", mi+1, handle, j+1),
				name:     fmt.Sprintf("%s %d-%d", title, mi+1, j+1),
				title:    title, mun: mi, service: m.services[svc], kind: kind})
			out = append(out, idx)
		}
		return out
	}
	m.admin = add(empAdmin, svcUnit, "Systemansvarlig", "admin", 1)[0]
	m.unit = add(empUnit, svcUnit, "Saksbehandler KE", "ke", 2+c/1500)
	m.childWelfare = add(empChildWelf, svcChildWelfare, "Saksbehandler barnevern", "bv", 2+c/1500)
	for k := range serviceKinds {
		m.leaders = append(m.leaders, add(empLeader, k, "Leder "+serviceNames[k], "leder"+fmt.Sprint(k), 1)...)
	}
	nCoord := max(2, int(math.Ceil(float64(c)*(1-fracAnonymous)*fracApplication*fracCoordinator/casesPerCoord)))
	coordSvcs := []int{svcPPT, svcHealth, svcNAV, svcMental}
	for j := range nCoord {
		s := coordSvcs[j%len(coordSvcs)]
		m.coordinators = append(m.coordinators, add(empCoordinator, s, "Koordinator "+serviceNames[s], "koord"+fmt.Sprint(j), 1)...)
	}
	nDisc := max(12, c/casesPerDisc)
	discSvcs := []int{svcSchool, svcKindergarten, svcHealth}
	discTitles := []string{"Lærer", "Barnehagelærer", "Helsesykepleier"}
	for j := range nDisc {
		s := j % len(discSvcs)
		m.discoverers = append(m.discoverers, add(empDiscoverer, discSvcs[s], discTitles[s], "ansatt"+fmt.Sprint(j), 1)...)
	}
	// One OST and a district TST per 2,000 cases (at least three), each with
	// a PPT coordinator, a nurse, a child welfare caseworker.
	nTST := 3 + c/2000
	for j := range nTST + 1 {
		t := team{id: genID(w.spec.Seed, kindTeam, len(w.teams)), mun: mi, kind: "tst",
			name: fmt.Sprintf("TST %d", j)}
		if j == 0 {
			t.kind, t.name = "ost", "OST"
		}
		t.members = []int{m.coordinators[j%len(m.coordinators)], m.discoverers[(j*3+2)%len(m.discoverers)],
			m.childWelfare[j%len(m.childWelfare)]}
		m.teams = append(m.teams, len(w.teams))
		w.teams = append(w.teams, t)
	}
}

// planCase decides everything about case k of municipality mi.
func (w *world) planCase(mi, k int) casePlan {
	m := &w.munis[mi]
	r := rngFor(w.spec.Seed, kindCase, k)
	p := casePlan{mun: int32(mi), subject: -1, coord: -1, unitBy: -1, team: -1, members: [2]int32{-1, -1}}
	age := r.Int32N(historyDays * 86400)
	p.created = age
	p.updated = age - r.Int32N(min(age, 400*86400)+1)
	p.situation = uint8(r.IntN(len(situations)))
	p.regBy = int32(m.discoverers[r.IntN(len(m.discoverers))])
	p.nTasks = uint8(max(1, w.spec.TasksPerCase-4+r.IntN(9)))
	named := r.Float64() >= fracAnonymous
	if named {
		p.subject = int32(m.personLo + r.IntN(max(1, m.personHi-m.personLo)))
		p.hasApp = r.Float64() < fracApplication
		p.report = r.Float64() < fracReport
	}
	if p.hasApp {
		p.unitBy = int32(m.unit[m.nextUnit%len(m.unit)])
		m.nextUnit++
		if r.Float64() < fracCoordinator {
			p.coord = int32(m.coordinators[m.nextCoord%len(m.coordinators)])
			m.nextCoord++
			if r.Float64() < fracGroup {
				p.group = true
				p.plan = r.Float64() < fracPlan
				pool := append(append([]int{}, m.coordinators...), m.childWelfare...)
				p.members[0] = int32(pool[r.IntN(len(pool))])
				p.members[1] = int32(m.discoverers[r.IntN(len(m.discoverers))])
			}
		}
	}
	if r.Float64() < fracSubmission && len(m.teams) > 1 {
		p.team = int32(m.teams[1+r.IntN(len(m.teams)-1)])
	}
	if age > 180*86400 && r.Float64() < fracClosed {
		p.closed = max(1, p.updated)
	}
	return p
}

// at returns the time secondsAgo before the generation time.
func (w *world) at(secondsAgo int32) time.Time {
	return w.now.Add(-time.Duration(secondsAgo) * time.Second)
}

// caseID and personID name generated rows (computed once: the audit trail
// names them millions of times).
func (w *world) caseID(k int) string { return w.caseIDs[k] }
func (w *world) personID(i int) string {
	if w.personIDs == nil {
		w.personIDs = make([]string, w.spec.Persons)
		for j := range w.personIDs {
			w.personIDs[j] = genID(w.spec.Seed, kindPerson, j)
		}
	}
	return w.personIDs[i]
}

// personBirth returns the birth date and sequence of person i: 150 numbers
// per day, walking back from the generation year, so every number is unique.
func (w *world) personBirth(i int) (time.Time, int) {
	base := time.Date(w.now.Year()-1, 12, 31, 12, 0, 0, 0, time.UTC)
	return base.AddDate(0, 0, -(i / personsPerDay)), i % personsPerDay
}
