package access_test

import (
	"testing"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/access"
)

// The policy runs on every case read and every list; these benchmarks show
// it costs next to nothing next to the database round trip it guards.

var (
	benchCoordinator = access.Subject{EmployeeID: "e1", MunicipalityID: "m1",
		Roles: []samordna.Role{samordna.RoleEmployee}}
	benchUnit = access.Subject{EmployeeID: "e2", MunicipalityID: "m1",
		Roles: []samordna.Role{samordna.RoleEmployee, samordna.RoleCoordinatingUnit, samordna.RoleChildWelfare}}
)

// BenchmarkCan decides every action for a relation found early (the
// coordinator), one found last (emergency access) and a refusal (no
// relation: every rule is tried).
func BenchmarkCan(b *testing.B) {
	actions := []access.Action{access.Read, access.Write, access.ManageConsent, access.Block,
		access.ViewAccessLog, access.Decide, access.BreakGlass}
	for _, bc := range []struct {
		name  string
		s     access.Subject
		facts access.Facts
		want  bool // whether Read is allowed
	}{
		{"coordinator", benchCoordinator, access.Facts{SameMunicipality: true, Coordinator: true}, true},
		{"emergency", benchCoordinator, access.Facts{SameMunicipality: true, Emergency: true}, true},
		{"unit", benchUnit, access.Facts{SameMunicipality: true, HasApplication: true}, true},
		{"refused", benchCoordinator, access.Facts{SameMunicipality: true, GroupMember: true}, false},
		{"blocked", benchCoordinator, access.Facts{SameMunicipality: true, Registered: true, Blocked: true}, false},
	} {
		if got := access.Can(bc.s, access.Read, bc.facts); got != bc.want {
			b.Fatalf("%s: Can(Read) = %v, want %v", bc.name, got, bc.want)
		}
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, a := range actions {
					access.Can(bc.s, a, bc.facts)
				}
			}
		})
	}
}

// BenchmarkReadReason is the single decision a case read makes.
func BenchmarkReadReason(b *testing.B) {
	f := access.Facts{SameMunicipality: true, GroupMember: true, ShareConsent: true}
	if r := access.ReadReason(benchCoordinator, f); r != access.ReasonGroupMember {
		b.Fatalf("reason %q, want %q", r, access.ReasonGroupMember)
	}
	b.ReportAllocs()
	for b.Loop() {
		access.ReadReason(benchCoordinator, f)
	}
}

// BenchmarkReadableCasesSQL builds the list filter for an ordinary employee
// and for a coordinating-unit caseworker who is also in child welfare (the
// most branches).
func BenchmarkReadableCasesSQL(b *testing.B) {
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	for _, bc := range []struct {
		name string
		s    access.Subject
	}{{"employee", benchCoordinator}, {"unit_and_child_welfare", benchUnit}} {
		q, args := access.ReadableCasesSQL(bc.s, now, 1)
		if q == "" || len(args) != 3 {
			b.Fatalf("%s: empty filter or %d args", bc.name, len(args))
		}
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				access.ReadableCasesSQL(bc.s, now, 1)
			}
		})
	}
}
