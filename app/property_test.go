package app_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/access"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/internal/matrixtest"
	"github.com/samordna/samordna/store"
)

// propRoleSets are the demo's kinds of employee.
var propRoleSets = [][]samordna.Role{
	{samordna.RoleEmployee},
	{samordna.RoleEmployee, samordna.RoleServiceLeader},
	{samordna.RoleEmployee, samordna.RoleCoordinatingUnit},
	{samordna.RoleEmployee, samordna.RoleChildWelfare},
	{samordna.RoleAdmin},
	{samordna.RoleEmployee, samordna.RoleEmergencyAccess},
	{samordna.RoleEmployee, samordna.RoleServiceLeader, samordna.RoleChildWelfare, samordna.RoleEmergencyAccess},
}

// propWorld is what one property run created.
type propWorld struct {
	main, other string // municipality ids
	employees   []*samordna.Employee
	cases       []string
}

// The case list and single reads agree, for random employees and random
// relations: list ⊆ readable and readable ⊆ list, where list is
// store.ListReadableCases over all pages and readable is every case for
// which access.Can(Read) holds on store.CaseFacts.
func TestPropertyListEqualsReadable(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		now := spineStart
		rapid.Check(t, func(rt *rapid.T) {
			var w propWorld
			if err := db.Write(context.Background(), func(tx *store.Tx) error {
				return buildPropWorld(rt, tx, now, &w)
			}); err != nil {
				rt.Fatalf("build: %v", err)
			}
			limit := rapid.IntRange(1, 5).Draw(rt, "page size")
			err := db.Read(context.Background(), func(tx *store.Tx) error {
				for _, e := range w.employees {
					if err := checkListEqualsReadable(tx, e, w.cases, now, limit); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				rt.Fatal(err)
			}
		})
	})
}

// checkListEqualsReadable compares the list (all pages) with single reads.
func checkListEqualsReadable(tx *store.Tx, e *samordna.Employee, cases []string, now time.Time, limit int) error {
	s := access.SubjectOf(e)
	var listed []string
	cursor := ""
	for range 1000 {
		page, err := store.ListReadableCases(tx, s, now, cursor, limit)
		if err != nil {
			return err
		}
		for _, c := range page.Cases {
			listed = append(listed, c.ID)
		}
		if page.Next == "" {
			break
		}
		cursor = page.Next
	}
	var readable []string
	for _, id := range cases {
		f, ok, err := store.CaseFacts(tx, id, s, now)
		if err != nil {
			return err
		}
		if ok && access.Can(s, access.Read, f) {
			readable = append(readable, id)
		}
	}
	for i, id := range listed {
		if slices.Contains(listed[:i], id) {
			return fmt.Errorf("%s (roles %v): case %s is listed twice", e.Username, e.Roles, id)
		}
		if !slices.Contains(readable, id) {
			return fmt.Errorf("%s (roles %v): case %s is listed but not readable", e.Username, e.Roles, id)
		}
	}
	for _, id := range readable {
		if !slices.Contains(listed, id) {
			f, _, _ := store.CaseFacts(tx, id, s, now)
			return fmt.Errorf("%s (roles %v): case %s is readable (%+v) but not listed", e.Username, e.Roles, id, f)
		}
	}
	return nil
}

// buildPropWorld draws two municipalities, employees with demo-like roles,
// cases and every kind of relation, valid and ended.
func buildPropWorld(rt *rapid.T, tx *store.Tx, now time.Time, w *propWorld) error {
	for _, m := range []*string{&w.main, &w.other} {
		mu := &samordna.Municipality{ID: samordna.NewID(), Name: "P" + samordna.NewID()[:6], Number: "9990"}
		if err := store.CreateMunicipality(tx, mu, now); err != nil {
			return err
		}
		*m = mu.ID
	}
	rus := map[string]*samordna.Service{}
	for _, m := range []string{w.main, w.other} {
		svc := &samordna.Service{MunicipalityID: m, Name: "Rus " + samordna.NewID()[:8], Kind: samordna.ServiceMentalHealth}
		if err := store.CreateService(tx, svc, now); err != nil {
			return err
		}
		rus[m] = svc
	}
	n := rapid.IntRange(2, 7).Draw(rt, "employees")
	for i := range n {
		e := &samordna.Employee{ID: samordna.NewID(), MunicipalityID: w.main, Username: "p" + samordna.NewID(),
			Name: fmt.Sprint("E", i), Roles: rapid.SampledFrom(propRoleSets).Draw(rt, "roles")}
		if rapid.IntRange(0, 9).Draw(rt, "other municipality") == 0 {
			e.MunicipalityID = w.other
		}
		if err := store.CreateEmployee(tx, e, "", now); err != nil {
			return err
		}
		if rapid.Bool().Draw(rt, "mental health service") {
			if err := store.AddServiceMember(tx, rus[e.MunicipalityID].ID, e.ID); err != nil {
				return err
			}
		}
		w.employees = append(w.employees, e)
	}
	pick := func(label string) *samordna.Employee {
		return w.employees[rapid.IntRange(0, len(w.employees)-1).Draw(rt, label)]
	}
	team := &samordna.Team{MunicipalityID: w.main, Name: "T" + samordna.NewID(), Kind: samordna.TeamInterdisciplinary}
	for _, e := range w.employees {
		if rapid.Bool().Draw(rt, "team member") {
			team.MemberIDs = append(team.MemberIDs, e.ID)
		}
	}
	if err := store.CreateTeam(tx, team, now); err != nil {
		return err
	}
	cases := rapid.IntRange(1, 8).Draw(rt, "cases")
	for i := range cases {
		m := w.main
		if rapid.IntRange(0, 7).Draw(rt, "case in the other municipality") == 0 {
			m = w.other
		}
		at := now.Add(-time.Duration(rapid.IntRange(0, 3).Draw(rt, "age")) * time.Minute) // equal times test the cursor
		id, err := matrixtest.NewCase(tx, m, pick("registered by").ID, "", at)
		if err != nil {
			return err
		}
		w.cases = append(w.cases, id)
		if err := drawRelations(rt, tx, id, m, now, pick, team.ID); err != nil {
			return fmt.Errorf("case %d: %w", i, err)
		}
	}
	return nil
}

// consentKinds are the consent situations a case can be in.
var consentKinds = []string{"none", "share", "share_withdrawn", "share_expired", "share_until_later", "other_purpose"}

// drawRelations gives the case a random set of relations.
func drawRelations(rt *rapid.T, tx *store.Tx, caseID, m string, now time.Time,
	pick func(string) *samordna.Employee, teamID string) error {
	by := pick("actor").ID
	steps := []struct {
		label string
		do    func() error
	}{
		{"application", func() error { return matrixtest.AddApplication(tx, caseID, m, by, now) }},
		{"coordinator", func() error {
			return matrixtest.AddCoordinator(tx, caseID, pick("coordinator").ID, by, now, rapid.Bool().Draw(rt, "ended"))
		}},
		{"group member", func() error {
			return matrixtest.AddGroupMember(tx, caseID, pick("member").ID, by, now,
				rapid.IntRange(0, 4).Draw(rt, "group closed") == 0, rapid.IntRange(0, 4).Draw(rt, "member removed") == 0)
		}},
		{"child welfare report", func() error { return matrixtest.AddReport(tx, caseID, m, matrixtest.ReportChildWelfare, by, now) }},
		{"duty to inform", func() error { return matrixtest.AddReport(tx, caseID, m, matrixtest.ReportDutyToInform, by, now) }},
		{"team submission", func() error { return matrixtest.AddTeamSubmission(tx, caseID, teamID, by, now) }},
		{"emergency access", func() error {
			expires := now.Add(time.Duration(rapid.IntRange(-3, 3).Draw(rt, "expires in")) * time.Hour)
			_, err := matrixtest.AddEmergency(tx, caseID, pick("emergency").ID, "", now.Add(-3*time.Hour), expires)
			return err
		}},
		{"block", func() error {
			_, err := matrixtest.AddBlock(tx, caseID, pick("blocked").ID, by, now, rapid.Bool().Draw(rt, "lifted"))
			return err
		}},
	}
	for _, s := range steps {
		for range rapid.IntRange(0, 2).Draw(rt, s.label+"s") {
			if err := s.do(); err != nil {
				return fmt.Errorf("%s: %w", s.label, err)
			}
		}
	}
	return drawConsent(rt, tx, caseID, by, now)
}

func drawConsent(rt *rapid.T, tx *store.Tx, caseID, by string, now time.Time) error {
	share := []samordna.ConsentPurpose{samordna.PurposeShareWithMembers, samordna.PurposeResponsibilityGroup}
	earlier, later := now.Add(-time.Hour), now.Add(time.Hour)
	var err error
	switch rapid.SampledFrom(consentKinds).Draw(rt, "consent") {
	case "share":
		_, err = matrixtest.AddConsent(tx, caseID, by, share, nil, false, now)
	case "share_withdrawn":
		_, err = matrixtest.AddConsent(tx, caseID, by, share, nil, true, now)
	case "share_expired":
		_, err = matrixtest.AddConsent(tx, caseID, by, share, &earlier, false, now)
	case "share_until_later":
		_, err = matrixtest.AddConsent(tx, caseID, by, share, &later, false, now)
	case "other_purpose":
		_, err = matrixtest.AddConsent(tx, caseID, by, []samordna.ConsentPurpose{samordna.PurposeIndividualPlan}, nil, false, now)
	}
	return err
}
