package store_test

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// coordSeed creates a municipality, employees, a person and a case and
// returns the municipality id, the employee ids and the case id.
func coordSeed(t *testing.T, db *store.DB) (string, map[string]string, string) {
	t.Helper()
	mid, ids := orgSeed(t, db, "ke", "koord", "ny", "helse")
	caseID := samordna.NewID()
	orgWrite(t, db, func(tx *store.Tx) error {
		p := &samordna.Person{MunicipalityID: mid, Name: "Åse Ødegård", BirthDate: "2015-04-02"}
		if err := store.CreatePerson(tx, p, orgTestNow); err != nil {
			return err
		}
		return store.CreateCase(tx, &samordna.Case{ID: caseID, MunicipalityID: mid, SubjectPersonID: p.ID,
			Origin: samordna.OriginConcern, Status: samordna.CaseOpen, Title: "Sak", RegisteredBy: ids["helse"],
			CreatedAt: orgTestNow})
	})
	return mid, ids, caseID
}

func TestApplicationDecidedOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		mid, ids, caseID := coordSeed(t, db)
		app := &store.Application{ID: samordna.NewID(), CaseID: caseID, MunicipalityID: mid, Status: "submitted",
			WantsCoordinator: true, WishedCoordinator: "koord", SubmittedBy: ids["helse"], SubmittedAt: orgTestNow}
		orgWrite(t, db, func(tx *store.Tx) error { return store.CreateApplication(tx, app) })
		at := orgTestNow.Add(time.Hour)
		decided := *app
		decided.Status, decided.DecidedBy, decided.DecidedAt = "granted", ids["ke"], &at
		decided.DecidedCoordinatorID, decided.CoordinatorKind, decided.PlanDecision = ids["koord"], "child_coordinator", "later"
		orgWrite(t, db, func(tx *store.Tx) error { return store.DecideApplication(tx, &decided) })
		err := db.Write(t.Context(), func(tx *store.Tx) error { return store.DecideApplication(tx, &decided) })
		if !errors.Is(err, store.ErrAlreadyDecided) {
			t.Fatalf("second decision: %v, want already_decided", err)
		}
		orgRead(t, db, func(tx *store.Tx) error {
			got, err := store.ApplicationByID(tx, app.ID)
			if err != nil {
				return err
			}
			if got.Status != "granted" || got.WishedName != "koord" || got.DecidedCoordinator != "koord" ||
				got.SubjectName != "Åse Ødegård" || got.DecidedAt == nil || !got.DecidedAt.Equal(at) ||
				got.PlanDecision != "later" || got.CoordinatorKind != "child_coordinator" {
				t.Errorf("application = %+v", got)
			}
			page, err := store.ListApplications(tx, mid, "submitted", "", 10)
			if err != nil {
				return err
			}
			if len(page.Items) != 0 {
				t.Errorf("submitted inbox holds %d, want 0", len(page.Items))
			}
			counts, err := store.ApplicationCounts(tx, mid)
			if counts["granted"] != 1 || counts["submitted"] != 0 {
				t.Errorf("counts = %v", counts)
			}
			return err
		})
	})
}

func TestHandoverKeepsCoordinatorUntilAccepted(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		mid, ids, caseID := coordSeed(t, db)
		k := &store.Assignment{ID: samordna.NewID(), CaseID: caseID, EmployeeID: ids["koord"], Kind: "coordinator",
			Status: "appointed", AppointedBy: ids["ke"], AppointedAt: orgTestNow}
		orgWrite(t, db, func(tx *store.Tx) error {
			if err := store.AppointCoordinator(tx, k); err != nil {
				return err
			}
			if err := store.AcceptAssignment(tx, k.ID, orgTestNow.Add(time.Hour)); err != nil {
				return err
			}
			return store.RequestHandover(tx, k.ID, ids["ny"], ids["koord"], orgTestNow.Add(2*time.Hour))
		})
		orgRead(t, db, func(tx *store.Tx) error {
			cur, err := store.CurrentAssignment(tx, caseID)
			if err != nil {
				return err
			}
			if cur.Username != "koord" || cur.Status != "accepted" || cur.HandoverUser != "ny" {
				t.Errorf("during handover current = %+v", cur)
			}
			offered, err := store.AssignmentsOfEmployee(tx, ids["ny"])
			if len(offered) != 1 {
				t.Errorf("the recipient sees %d offers, want 1", len(offered))
			}
			return err
		})
		orgWrite(t, db, func(tx *store.Tx) error {
			if err := store.EndAssignment(tx, k.ID, orgTestNow.Add(3*time.Hour), "handed_over"); err != nil {
				return err
			}
			at := orgTestNow.Add(3 * time.Hour)
			return store.AppointCoordinator(tx, &store.Assignment{ID: samordna.NewID(), CaseID: caseID,
				EmployeeID: ids["ny"], Kind: "coordinator", Status: "accepted", AppointedBy: ids["koord"],
				AppointedAt: at, AcceptedAt: &at})
		})
		orgRead(t, db, func(tx *store.Tx) error {
			cur, err := store.CurrentAssignment(tx, caseID)
			if err != nil {
				return err
			}
			if cur.Username != "ny" {
				t.Errorf("after handover current = %s", cur.Username)
			}
			loads, err := store.CoordinatorCaseloads(tx, mid)
			if len(loads) != 1 || loads[0].Username != "ny" || loads[0].Cases != 1 {
				t.Errorf("caseloads = %+v", loads)
			}
			// One person had a coordinator in 2026, served by two employees.
			from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			cases, emps, err := store.CoordinatorsInYear(tx, mid, from, from.AddDate(1, 0, 0))
			if cases != 1 || emps != 2 {
				t.Errorf("coordinators in 2026: %d cases, %d employees; want 1, 2", cases, emps)
			}
			return err
		})
	})
}

func TestMeetingMinutesLockAndGroupSummary(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		mid, ids, caseID := coordSeed(t, db)
		g := &store.Group{ID: samordna.NewID(), CaseID: caseID, CreatedBy: ids["koord"], CreatedAt: orgTestNow}
		var members []*store.Member
		orgWrite(t, db, func(tx *store.Tx) error {
			if err := store.CreateGroup(tx, g); err != nil {
				return err
			}
			for _, m := range []*store.Member{
				{EmployeeID: ids["koord"], Relation: "employee", Role: "koordinator"},
				{Name: "Åse Ødegård", Relation: "self"},
				{EmployeeID: ids["helse"], Relation: "employee", Role: "helsesykepleier"},
			} {
				m.ID, m.GroupID, m.AddedAt = samordna.NewID(), g.ID, orgTestNow
				if err := store.AddMember(tx, m); err != nil {
					return err
				}
			}
			var err error
			members, err = store.Members(tx, g.ID)
			return err
		})
		if got := []int{members[0].Position, members[1].Position, members[2].Position}; !slices.Equal(got, []int{1, 2, 3}) {
			t.Errorf("positions = %v", got)
		}
		if members[1].Name != "Åse Ødegård" || members[0].Username != "koord" {
			t.Errorf("members = %+v %+v", members[0], members[1])
		}
		past := &store.Meeting{ID: samordna.NewID(), CaseID: caseID, GroupID: g.ID, MunicipalityID: mid,
			StartsAt: orgTestNow.AddDate(0, 0, 1), DurationMinutes: 90, Place: "Rådhuset", Status: "planned",
			Agenda: []string{"Velkommen"}, CreatedBy: ids["koord"], CreatedAt: orgTestNow}
		next := &store.Meeting{ID: samordna.NewID(), CaseID: caseID, GroupID: g.ID, MunicipalityID: mid,
			StartsAt: orgTestNow.AddDate(0, 6, 0), DurationMinutes: 90, Place: "Rådhuset", Status: "planned",
			CreatedBy: ids["koord"], CreatedAt: orgTestNow}
		content := `{"conclusions":"Enige"}`
		sum := sha256.Sum256([]byte(content))
		orgWrite(t, db, func(tx *store.Tx) error {
			for _, m := range []*store.Meeting{past, next} {
				if err := store.CreateMeeting(tx, m); err != nil {
					return err
				}
			}
			if err := store.AddAttendee(tx, &store.Attendee{MeetingID: past.ID, EmployeeID: ids["ke"], Name: "ke",
				Role: "coordinating_unit", Part: "first_part"}); err != nil {
				return err
			}
			if err := store.SaveMinutesDraft(tx, past.ID, `{}`, ids["koord"], orgTestNow); err != nil {
				return err
			}
			if err := store.FinaliseMinutes(tx, past.ID, content, hex.EncodeToString(sum[:]), ids["koord"], orgTestNow); err != nil {
				return err
			}
			return store.SetMeetingStatus(tx, past.ID, "held", orgTestNow)
		})
		if past.Number != 1 || next.Number != 2 {
			t.Errorf("meeting numbers %d, %d", past.Number, next.Number)
		}
		for _, change := range []func(tx *store.Tx) error{
			func(tx *store.Tx) error {
				return store.SaveMinutesDraft(tx, past.ID, `{"x":1}`, ids["koord"], orgTestNow)
			},
			func(tx *store.Tx) error {
				return store.FinaliseMinutes(tx, past.ID, `{}`, "x", ids["koord"], orgTestNow)
			},
		} {
			if err := db.Write(t.Context(), change); !errors.Is(err, store.ErrMinutesFinalised) {
				t.Errorf("changing finalised minutes: %v, want minutes_finalised", err)
			}
		}
		orgRead(t, db, func(tx *store.Tx) error {
			m, err := store.MinutesOf(tx, past.ID)
			if err != nil {
				return err
			}
			if m.Content != content || m.Status != "finalised" || m.FinalisedAt == nil {
				t.Errorf("minutes = %+v", m)
			}
			got, err := store.MeetingByID(tx, past.ID)
			if err != nil {
				return err
			}
			if !slices.Equal(got.Agenda, []string{"Velkommen"}) || got.Status != "held" {
				t.Errorf("meeting = %+v", got)
			}
			att, err := store.Attendees(tx, past.ID)
			if err != nil || len(att) != 1 || att[0].Part != "first_part" {
				t.Errorf("attendees = %v, %v", att, err)
			}
			sums, err := store.GroupSummaries(tx, mid, orgTestNow, orgTestNow.AddDate(-1, 0, 0))
			if err != nil {
				return err
			}
			if len(sums) != 1 || sums[0].Members != 3 || sums[0].LastMeeting == nil ||
				!sums[0].LastMeeting.Equal(past.StartsAt) || sums[0].NextMeeting == nil ||
				!sums[0].NextMeeting.Equal(next.StartsAt) || sums[0].Registered {
				t.Errorf("summary = %+v", sums)
			}
			from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			active, est, closed, err := store.GroupsInYear(tx, mid, from, from.AddDate(1, 0, 0))
			if active != 1 || est != 1 || closed != 0 {
				t.Errorf("groups in 2026 = %d, %d, %d", active, est, closed)
			}
			active, _, _, _ = store.GroupsInYear(tx, mid, from.AddDate(-1, 0, 0), from)
			if active != 0 {
				t.Errorf("groups in 2025 = %d, want 0", active)
			}
			n, err := store.PlansInYear(tx, mid, from, from.AddDate(1, 0, 0))
			if n != 0 {
				t.Errorf("plans = %d", n)
			}
			return err
		})
	})
}
