package app_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// noticesOf returns the employee's notifications by kind.
func (w *coordWorld) noticesOf(username string) map[string][]*store.Notification {
	w.t.Helper()
	ns, err := w.app.Notifications(context.Background(), w.as(username), false)
	w.must(err)
	out := map[string][]*store.Notification{}
	for _, n := range ns {
		out[n.Kind] = append(out[n.Kind], n)
	}
	return out
}

// addTask gives the case an open task, to one employee (username) or to
// the responsibility group ("").
func (w *coordWorld) addTask(caseID, username, title string) string {
	w.t.Helper()
	id := samordna.NewID()
	due := w.clock.Now().AddDate(0, 0, 7)
	t := &store.Task{ID: id, CaseID: caseID, MunicipalityID: w.as("ola").Employee.MunicipalityID, Kind: store.TaskKindStep,
		Title: title, AssigneeKind: store.AssignGroup, Status: store.TaskOpen, StartedAt: w.clock.Now(), DueAt: &due,
		OverdueAfter: &due, CreatedAt: w.clock.Now()}
	if username != "" {
		t.AssigneeKind, t.EmployeeID = store.AssignEmployee, w.as(username).Employee.ID
	}
	w.must(w.db.Write(context.Background(), func(tx *store.Tx) error { return store.CreateTask(tx, t) }))
	return id
}

// Issue 13 point 5: a withdrawal shows its effects. The review lists who
// loses access and which meetings and tasks are affected; the withdrawal
// hands the member's open tasks back to the coordinator (the member's task
// list no longer shows them and they cannot be marked done), flags the
// planned meeting to the coordinator and tells the member. The
// coordinator is told of the appointment, the applicant of the decision,
// and the invitation notice points at the meeting.
func TestWithdrawalEffectsAndNotices(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newCoordWorld(t, db)
		ctx := context.Background()
		caseID, appID := w.grantedCase(w.child)

		// The appointment and the decision are told.
		if n := w.noticesOf("ingrid")[app.NoticeCoordinatorAppointed]; len(n) != 1 || n[0].CaseID != caseID {
			t.Errorf("the coordinator is not told of the appointment: %+v", n)
		}
		dec := w.noticesOf("ola")[app.NoticeApplicationDecided]
		if len(dec) != 1 || app.ParseNoticeDetail(dec[0].Detail) != (app.NoticeDetail{ApplicationID: appID, Outcome: "granted"}) {
			t.Errorf("the applicant is not told of the decision: %+v", dec)
		}
		if n := w.noticesOf("kari")[app.NoticeApplicationDecided]; len(n) != 0 {
			t.Errorf("the deciding unit is told of its own decision: %+v", n)
		}

		_, err := w.app.AcceptCoordinator(ctx, w.as("ingrid"), caseID)
		w.must(err)
		consent := w.consent(caseID, samordna.PurposeResponsibilityGroup, samordna.PurposeShareWithMembers)
		_, err = w.app.CreateGroup(ctx, w.as("ingrid"), caseID, []app.NewGroupMember{{Username: "anne", Role: "PP-rådgiver"}})
		w.must(err)
		mv, err := w.app.PlanMeeting(ctx, w.as("ingrid"), caseID, app.NewMeeting{StartsAt: w.clock.Now().AddDate(0, 0, 21),
			Place: "Rådhuset", Agenda: []string{"Skolestart"}})
		w.must(err)
		w.must(w.app.SendInvitation(ctx, w.as("ingrid"), mv.Meeting.ID))
		inv := w.noticesOf("anne")[app.NoticeMeetingInvitation]
		if len(inv) != 1 || app.ParseNoticeDetail(inv[0].Detail).MeetingID != mv.Meeting.ID {
			t.Fatalf("the invitation notice does not point at the meeting: %+v", inv)
		}
		own := w.addTask(caseID, "anne", "Kartlegg lesing")
		group := w.addTask(caseID, "", "Forbered møtet")
		if l, err := w.app.ListTasks(ctx, w.as("anne"), app.TaskQuery{AssignedToMe: true, Status: "open", CaseID: caseID}); err != nil || len(l.Tasks) < 2 {
			t.Fatalf("anne's tasks before the withdrawal: %v, %v", l, err)
		}

		// The review before the withdrawal: who loses access, the meeting, the tasks.
		if _, err := w.app.WithdrawalPreview(ctx, w.as("anne"), consent.ID); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("a member previews the withdrawal: %v", err)
		}
		eff, err := w.app.WithdrawalPreview(ctx, w.as("ingrid"), consent.ID)
		w.must(err)
		if len(eff.LoseAccess) != 1 || eff.LoseAccess[0].Name != "Anne Lunde" {
			t.Errorf("lose access = %+v", eff.LoseAccess)
		}
		if len(eff.Meetings) != 1 || eff.Meetings[0].ID != mv.Meeting.ID {
			t.Errorf("meetings = %+v", eff.Meetings)
		}
		ids := map[string]bool{}
		for _, tk := range eff.Tasks {
			ids[tk.ID] = true
		}
		if !ids[own] || !ids[group] {
			t.Errorf("affected tasks = %v, want %s and %s", ids, own, group)
		}
		if eff.Coordinator == nil || eff.Coordinator.Name != "Ingrid Moe" {
			t.Errorf("coordinator = %+v", eff.Coordinator)
		}
		if _, err := w.app.GetCase(ctx, w.as("anne"), caseID); err != nil {
			t.Fatalf("the preview changed access: %v", err)
		}

		_, err = w.app.WithdrawConsent(ctx, w.as("ingrid"), consent.ID)
		w.must(err)
		// The member's task list no longer shows the tasks; they cannot be marked done.
		l, err := w.app.ListTasks(ctx, w.as("anne"), app.TaskQuery{AssignedToMe: true, Status: "open"})
		w.must(err)
		for _, tk := range l.Tasks {
			if tk.CaseID == caseID {
				t.Errorf("the former member still has the task %q", tk.Title)
			}
		}
		if _, _, err := w.app.CompleteTask(ctx, w.as("anne"), own, ""); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("the former member marked the task done: %v", err)
		}
		// The coordinator has them (none orphaned).
		l, err = w.app.ListTasks(ctx, w.as("ingrid"), app.TaskQuery{AssignedToMe: true, Status: "open", CaseID: caseID})
		w.must(err)
		got := map[string]bool{}
		for _, tk := range l.Tasks {
			got[tk.ID] = true
		}
		if !got[own] || !got[group] {
			t.Errorf("the coordinator's tasks lack the handed-back ones: %v", got)
		}
		if _, _, err := w.app.CompleteTask(ctx, w.as("ingrid"), own, ""); err != nil {
			t.Errorf("the coordinator cannot complete the handed-back task: %v", err)
		}
		// Told: the member that access ended, the coordinator of the meeting and the tasks.
		if n := w.noticesOf("anne")[app.NoticeAccessEnded]; len(n) != 1 {
			t.Errorf("the member is not told: %+v", n)
		}
		coord := w.noticesOf("ingrid")
		if n := coord[app.NoticeMeetingAffected]; len(n) != 1 || app.ParseNoticeDetail(n[0].Detail).MeetingID != mv.Meeting.ID {
			t.Errorf("the meeting is not flagged to the coordinator: %+v", n)
		}
		if n := coord[app.NoticeTasksHandedBack]; len(n) != 1 || app.ParseNoticeDetail(n[0].Detail).Tasks != len(eff.Tasks) {
			t.Errorf("the coordinator is not told of the tasks: %+v", n)
		}
		// A second preview: the consent is withdrawn.
		if _, err := w.app.WithdrawalPreview(ctx, w.as("ingrid"), consent.ID); samordna.ErrorCode(err) != "already_withdrawn" {
			t.Errorf("preview of a withdrawn consent: %v", err)
		}
		// The audit trail holds the preview and the hand-back.
		var n int
		w.must(db.Read(ctx, func(tx *store.Tx) error {
			return tx.QueryRow(`SELECT COUNT(*) FROM audit_events WHERE case_id = $1 AND outcome = 'allowed'
				AND action IN ('preview_withdrawal', 'hand_back_task')`,
				caseID).Scan(&n)
		}))
		if n != 1+len(eff.Tasks) {
			t.Errorf("audit rows for preview and hand-back: %d, want %d", n, 1+len(eff.Tasks))
		}
	})
}

// A withdrawal that leaves another consent to share with the members takes
// no access away and moves no task.
func TestWithdrawalWithAnotherConsentChangesNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newCoordWorld(t, db)
		ctx := context.Background()
		caseID, _ := w.grantedCase(w.child)
		_, err := w.app.AcceptCoordinator(ctx, w.as("ingrid"), caseID)
		w.must(err)
		first := w.consent(caseID, samordna.PurposeResponsibilityGroup, samordna.PurposeShareWithMembers)
		w.consent(caseID, samordna.PurposeShareWithMembers)
		_, err = w.app.CreateGroup(ctx, w.as("ingrid"), caseID, []app.NewGroupMember{{Username: "anne", Role: "PP-rådgiver"}})
		w.must(err)
		own := w.addTask(caseID, "anne", "Kartlegg lesing")
		w.clock.Advance(time.Minute)
		eff, err := w.app.WithdrawalPreview(ctx, w.as("ingrid"), first.ID)
		w.must(err)
		if len(eff.LoseAccess)+len(eff.Tasks)+len(eff.Meetings) != 0 {
			t.Errorf("effects with another consent: %+v", eff)
		}
		_, err = w.app.WithdrawConsent(ctx, w.as("ingrid"), first.ID)
		w.must(err)
		if _, _, err := w.app.CompleteTask(ctx, w.as("anne"), own, ""); err != nil {
			t.Errorf("the member lost the task: %v", err)
		}
	})
}

// Issue 13 point 4: the review before a decision checks it as the decision
// would and records nothing; it names the coordinator to appoint and
// whether the wish was followed. Only the coordinating unit may review.
func TestPreviewDecisionRecordsNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newCoordWorld(t, db)
		ctx := context.Background()
		caseID := w.newCase(w.child)
		ap, err := w.app.SubmitApplication(ctx, w.as("ola"), caseID, app.NewApplication{Coordinator: true, WishedCoordinator: "ingrid"})
		w.must(err)
		if _, err := w.app.PreviewDecision(ctx, w.as("ola"), ap.ID, app.Decision{Outcome: "granted", Coordinator: "ingrid"}); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("a teacher reviewed a decision: %v", err)
		}
		_, err = w.app.PreviewDecision(ctx, w.as("kari"), ap.ID, app.Decision{})
		coordWantCode(t, err, "invalid_outcome")
		_, err = w.app.PreviewDecision(ctx, w.as("kari"), ap.ID, app.Decision{Outcome: "granted", Coordinator: "nobody"})
		coordWantCode(t, err, "unknown_coordinator")
		pv, err := w.app.PreviewDecision(ctx, w.as("kari"), ap.ID, app.Decision{Outcome: "granted", Coordinator: "anne"})
		w.must(err)
		if pv.Coordinator == nil || pv.Coordinator.Name != "Anne Lunde" || !pv.WishNotFollowed || pv.Decision.IndividualPlanWhen != "no" {
			t.Errorf("preview = %+v", pv)
		}
		got, _, err := w.app.GetApplication(ctx, w.as("kari"), ap.ID)
		w.must(err)
		if got.Status != "submitted" {
			t.Errorf("the review decided the application: %s", got.Status)
		}
		if n := w.noticesOf("ola")[app.NoticeApplicationDecided]; len(n) != 0 {
			t.Errorf("the review told the applicant: %+v", n)
		}
	})
}
