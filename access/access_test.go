package access_test

import (
	"testing"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/access"
)

var (
	employee  = access.Subject{EmployeeID: "e", MunicipalityID: "m", Roles: []samordna.Role{samordna.RoleEmployee}}
	unit      = access.Subject{EmployeeID: "u", MunicipalityID: "m", Roles: []samordna.Role{samordna.RoleEmployee, samordna.RoleCoordinatingUnit}}
	cw        = access.Subject{EmployeeID: "c", MunicipalityID: "m", Roles: []samordna.Role{samordna.RoleEmployee, samordna.RoleChildWelfare}}
	admin     = access.Subject{EmployeeID: "a", MunicipalityID: "m", Roles: []samordna.Role{samordna.RoleAdmin}}
	emergency = access.Subject{EmployeeID: "x", MunicipalityID: "m", Roles: []samordna.Role{samordna.RoleEmployee, samordna.RoleEmergencyAccess}}
	leader    = access.Subject{EmployeeID: "l", MunicipalityID: "m", Roles: []samordna.Role{samordna.RoleEmployee, samordna.RoleServiceLeader}}
	subjects  = []access.Subject{employee, unit, cw, admin, emergency, leader}
	actions   = []access.Action{access.Read, access.Write, access.ManageConsent, access.Block, access.ViewAccessLog,
		access.Decide, access.BreakGlass, access.Coordinate, access.Inform}
)

// allFacts enumerates every combination of the facts (2^10).
func allFacts() []access.Facts {
	var out []access.Facts
	for bits := 0; bits < 1<<10; bits++ {
		b := func(i int) bool { return bits&(1<<i) != 0 }
		out = append(out, access.Facts{SameMunicipality: b(0), Registered: b(1), HasApplication: b(2), Coordinator: b(3),
			GroupMember: b(4), ShareConsent: b(5), ReportRecipient: b(6), TeamMember: b(7), Emergency: b(8), Blocked: b(9)})
	}
	return out
}

// Deny by default: with no relation nobody may do anything with a case,
// except ask for emergency access with the role.
func TestDenyByDefault(t *testing.T) {
	for _, s := range subjects {
		for _, a := range actions {
			got := access.Can(s, a, access.Facts{SameMunicipality: true})
			want := a == access.BreakGlass && s.Has(samordna.RoleEmergencyAccess)
			if got != want {
				t.Errorf("%v may %s with no relation: %v", s.Roles, a, got)
			}
		}
		if access.Can(s, access.Action("unknown"), access.Facts{SameMunicipality: true, Registered: true, Coordinator: true}) {
			t.Errorf("%v may do an unknown action", s.Roles)
		}
	}
}

// Rules that hold for every combination of facts.
func TestPolicyInvariants(t *testing.T) {
	for _, s := range subjects {
		for _, f := range allFacts() {
			read := access.Can(s, access.Read, f)
			if (access.ReadReason(s, f) != "") != read {
				t.Fatalf("%v %+v: ReadReason and Can(Read) disagree", s.Roles, f)
			}
			noTeam := f
			noTeam.TeamMember = false
			if access.Can(s, access.Write, f) != (access.ReadReason(s, noTeam) != "") {
				t.Fatalf("%v %+v: write differs from read without the team", s.Roles, f)
			}
			for _, a := range []access.Action{access.ManageConsent, access.Block, access.ViewAccessLog, access.Decide} {
				if access.Can(s, a, f) && !read {
					t.Fatalf("%v %+v: may %s without reading", s.Roles, f, a)
				}
			}
			if (f.Blocked || !f.SameMunicipality || s.Has(samordna.RoleAdmin)) && read {
				t.Fatalf("%v %+v: reads although blocked, foreign or admin", s.Roles, f)
			}
			if access.Can(s, access.BreakGlass, f) != (s.Has(samordna.RoleEmergencyAccess) && f.SameMunicipality && !f.Blocked) {
				t.Fatalf("%v %+v: break glass", s.Roles, f)
			}
			// Group membership alone, or consent alone, gives nothing.
			if g := (access.Facts{SameMunicipality: true, GroupMember: f.GroupMember, ShareConsent: f.ShareConsent}); f.GroupMember != f.ShareConsent && access.Can(s, access.Read, g) {
				t.Fatalf("%v: membership without consent (or the reverse) reads", s.Roles)
			}
		}
	}
}

func TestReadReasons(t *testing.T) {
	on := func(f access.Facts) access.Facts { f.SameMunicipality = true; return f }
	for _, c := range []struct {
		s    access.Subject
		f    access.Facts
		want access.Reason
	}{
		{employee, on(access.Facts{Registered: true}), access.ReasonRegistered},
		{employee, on(access.Facts{Coordinator: true}), access.ReasonCoordinator},
		{unit, on(access.Facts{HasApplication: true}), access.ReasonCoordinatingUnit},
		{employee, on(access.Facts{HasApplication: true}), ""},
		{employee, on(access.Facts{GroupMember: true, ShareConsent: true}), access.ReasonGroupMember},
		{cw, on(access.Facts{ReportRecipient: true}), access.ReasonReportRecipient},
		{employee, on(access.Facts{TeamMember: true}), access.ReasonTeamMember},
		{emergency, on(access.Facts{Emergency: true}), access.ReasonEmergency},
		{employee, on(access.Facts{Registered: true, Blocked: true}), ""},
		{admin, on(access.Facts{Registered: true, Coordinator: true}), ""},
		{employee, access.Facts{Registered: true}, ""}, // another municipality
	} {
		if got := access.ReadReason(c.s, c.f); got != c.want {
			t.Errorf("%v %+v: %q, want %q", c.s.Roles, c.f, got, c.want)
		}
	}
}

func TestWhoManagesConsentBlocksAndLog(t *testing.T) {
	coordinator := access.Facts{SameMunicipality: true, Coordinator: true}
	discoverer := access.Facts{SameMunicipality: true, Registered: true}
	applied := access.Facts{SameMunicipality: true, HasApplication: true}
	member := access.Facts{SameMunicipality: true, GroupMember: true, ShareConsent: true}
	for _, c := range []struct {
		s                   access.Subject
		f                   access.Facts
		consent, block, log bool
	}{
		{employee, coordinator, true, true, true},
		{employee, discoverer, true, false, false},
		{unit, applied, true, true, true},
		{employee, member, false, false, false},
		{cw, access.Facts{SameMunicipality: true, ReportRecipient: true}, false, false, false},
	} {
		if access.Can(c.s, access.ManageConsent, c.f) != c.consent || access.Can(c.s, access.Block, c.f) != c.block ||
			access.Can(c.s, access.ViewAccessLog, c.f) != c.log {
			t.Errorf("%v %+v: consent/block/log = %v/%v/%v, want %v/%v/%v", c.s.Roles, c.f,
				access.Can(c.s, access.ManageConsent, c.f), access.Can(c.s, access.Block, c.f),
				access.Can(c.s, access.ViewAccessLog, c.f), c.consent, c.block, c.log)
		}
	}
}

func TestCanReviewEmergency(t *testing.T) {
	for _, c := range []struct {
		s          access.Subject
		leads, own bool
		want       bool
	}{
		{leader, true, false, true},
		{leader, true, true, false},
		{leader, false, false, false},
		{employee, true, false, false},
		{admin, true, false, false},
	} {
		if got := access.CanReviewEmergency(c.s, c.leads, c.own); got != c.want {
			t.Errorf("%v leads=%v own=%v: %v", c.s.Roles, c.leads, c.own, got)
		}
	}
}

// Seed 000, helsepersonelloven § 32: the duty to inform is the health
// personnel's own. Inform needs what Write needs, and health personnel.
func TestInformIsForHealthPersonnel(t *testing.T) {
	nurse := access.Subject{EmployeeID: "h", MunicipalityID: "m", Roles: []samordna.Role{samordna.RoleEmployee},
		HealthPersonnel: true}
	for _, s := range append(subjects, nurse) {
		for _, f := range allFacts() {
			want := access.Can(s, access.Write, f) && s.HealthPersonnel
			if got := access.Can(s, access.Inform, f); got != want {
				t.Fatalf("%v health=%v %+v: inform %v, want %v", s.Roles, s.HealthPersonnel, f, got, want)
			}
		}
	}
	if !access.Can(nurse, access.Inform, access.Facts{SameMunicipality: true, Registered: true}) {
		t.Error("a nurse who registered the case may not inform")
	}
	e := &samordna.Employee{ID: "x", Roles: []samordna.Role{samordna.RoleEmployee},
		Services: []samordna.Service{{Kind: samordna.ServiceSchool}}}
	if access.SubjectOf(e).HealthPersonnel {
		t.Error("a teacher is health personnel")
	}
	for _, k := range []samordna.ServiceKind{samordna.ServiceHealthStation, samordna.ServiceGP, samordna.ServiceMentalHealth} {
		e.Services = []samordna.Service{{Kind: k}}
		if !access.SubjectOf(e).HealthPersonnel {
			t.Errorf("an employee of a %s service is not health personnel", k)
		}
	}
	e.Services, e.Roles = nil, []samordna.Role{samordna.RoleEmployee, samordna.RoleHealthPersonnel}
	if !access.SubjectOf(e).HealthPersonnel {
		t.Error("the role health_personnel does not make health personnel")
	}
}

// Seed 002 §4 and issue 11 rule 4: teams advise, they do not take over
// cases. A named matter on a team's agenda lets a member read the case and
// nothing else; with a reason of their own they act as before.
func TestTeamAgendaOnlyReads(t *testing.T) {
	agenda := access.Facts{SameMunicipality: true, TeamAgenda: true}
	if got := access.ReadReason(employee, agenda); got != access.ReasonTeamAgenda {
		t.Errorf("reason %q, want %q", got, access.ReasonTeamAgenda)
	}
	for _, a := range actions {
		want := a == access.Read
		if got := access.Can(employee, a, agenda); got != want {
			t.Errorf("a team member on the agenda may %s: %v, want %v", a, got, want)
		}
	}
	own := agenda
	own.Registered = true
	if !access.Can(employee, access.Write, own) || !access.Can(employee, access.ManageConsent, own) {
		t.Error("the discoverer lost their own rights because the case is on a team's agenda")
	}
	if access.Can(employee, access.Read, access.Facts{SameMunicipality: true, TeamAgenda: true, Blocked: true}) {
		t.Error("a barred member reads the case on the agenda")
	}
}
