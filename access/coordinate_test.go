package access_test

import (
	"testing"

	"github.com/samordna/samordna/access"
)

// Coordinating a case (the group, its meetings, handing the role over) is
// for the coordinator and the coordinating unit of a case that applied to
// it, and only while they may read the case: the registrar, a group member
// or an emergency reader may write to the case but not coordinate it, and a
// block or another municipality takes coordination away too.
func TestWhoCoordinates(t *testing.T) {
	open := access.Facts{SameMunicipality: true}
	with := func(f access.Facts, set func(*access.Facts)) access.Facts { set(&f); return f }
	cases := []struct {
		name string
		s    access.Subject
		f    access.Facts
		want bool
	}{
		{"coordinator", employee, with(open, func(f *access.Facts) { f.Coordinator = true }), true},
		{"unit with application", unit, with(open, func(f *access.Facts) { f.HasApplication = true }), true},
		{"unit without application", unit, with(open, func(f *access.Facts) { f.Registered = true }), false},
		{"registrar", employee, with(open, func(f *access.Facts) { f.Registered = true }), false},
		{"group member with consent", employee, with(open, func(f *access.Facts) { f.GroupMember, f.ShareConsent = true, true }), false},
		{"emergency", emergency, with(open, func(f *access.Facts) { f.Emergency = true }), false},
		{"blocked coordinator", employee, with(open, func(f *access.Facts) { f.Coordinator, f.Blocked = true, true }), false},
		{"coordinator in another municipality", employee, access.Facts{Coordinator: true}, false},
		{"administrator as coordinator", admin, with(open, func(f *access.Facts) { f.Coordinator = true }), false},
	}
	for _, c := range cases {
		if got := access.Can(c.s, access.Coordinate, c.f); got != c.want {
			t.Errorf("%s: Can(Coordinate) = %v, want %v", c.name, got, c.want)
		}
	}
	for _, s := range subjects {
		for _, f := range allFacts() {
			coord := access.Can(s, access.Coordinate, f)
			if coord && !access.Can(s, access.Write, f) {
				t.Fatalf("%v %+v: may coordinate but not write", s.Roles, f)
			}
			if coord != access.Can(s, access.Block, f) {
				t.Fatalf("%v %+v: coordinate and block differ", s.Roles, f)
			}
		}
	}
}
