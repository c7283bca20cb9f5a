package app_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// leaveActor returns an actor for a demo user.
func leaveActor(t *testing.T, db *store.DB, username string) *samordna.Actor {
	t.Helper()
	var e *samordna.Employee
	err := db.Read(context.Background(), func(tx *store.Tx) error {
		var err error
		e, _, err = store.EmployeeByUsername(tx, username)
		return err
	})
	if err != nil {
		t.Fatalf("%s: %v", username, err)
	}
	return &samordna.Actor{Employee: e, RequestID: "test"}
}

// busiestDemoEmployee returns the demo employee (not nils.leder) who holds
// the most kinds of things a successor would take over.
func busiestDemoEmployee(t *testing.T, db *store.DB) (string, *store.Handover) {
	t.Helper()
	best, bestKinds := "", -1
	var bestH *store.Handover
	err := db.Read(context.Background(), func(tx *store.Tx) error {
		all, err := store.ListEmployees(tx)
		if err != nil {
			return err
		}
		for _, e := range all {
			if e.Username == "nils.leder" || e.Username == "admin" {
				continue
			}
			h, err := store.HandoverOf(tx, e.ID)
			if err != nil {
				return err
			}
			kinds := 0
			for _, n := range []int{len(h.Tasks), h.Coordinator, h.LogHolder, h.Groups} {
				if n > 0 {
					kinds++
				}
			}
			if kinds > bestKinds || kinds == bestKinds && len(h.Tasks) > len(bestH.Tasks) {
				best, bestKinds, bestH = e.Username, kinds, h
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return best, bestH
}

func TestDisableEmployeeHandsOverEverything(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, _ := seedDemo(t, db)
		admin := leaveActor(t, db, "admin")
		leaverName, before := busiestDemoEmployee(t, db)
		if len(before.Tasks) == 0 || before.Coordinator == 0 || before.Groups == 0 {
			t.Fatalf("%s holds %d tasks, %d coordinator roles, %d group places: the demo should give more",
				leaverName, len(before.Tasks), before.Coordinator, before.Groups)
		}
		leaver := leaveActor(t, db, leaverName)
		successor := leaveActor(t, db, "nils.leder")

		// A live session and an API token of the leaver.
		signed, err := a.Login(ctx, &samordna.Actor{}, leaverName, demoPassword, "nb", "")
		if err != nil {
			t.Fatal(err)
		}
		token, err := a.CreateToken(ctx, &samordna.Actor{Client: "cli"}, leaverName, "laptop")
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := a.SessionEmployee(ctx, signed.Secret); err != nil {
			t.Fatalf("session before: %v", err)
		}

		review, err := a.ReviewLeave(ctx, admin, leaver.Employee.ID)
		if err != nil {
			t.Fatal(err)
		}
		if review.Handover.Total() != before.Total() || slices.ContainsFunc(review.Candidates,
			func(e *samordna.Employee) bool { return e.ID == leaver.Employee.ID || e.Disabled }) {
			t.Errorf("review: %d items, candidates %d", review.Handover.Total(), len(review.Candidates))
		}

		auditBefore := countRows(t, db, `SELECT COUNT(*) FROM audit_events WHERE action = 'hand_over'`)
		sum, err := a.DisableEmployee(ctx, admin, leaver.Employee.ID, successor.Employee.ID)
		if err != nil {
			t.Fatal(err)
		}
		if sum.Successor.ID != successor.Employee.ID || len(sum.Handover.Tasks) != len(before.Tasks) ||
			sum.Handover.Coordinator != before.Coordinator || sum.Sessions != 1 || sum.Tokens != 1 {
			t.Errorf("summary: %+v, sessions %d, tokens %d", sum.Handover, sum.Sessions, sum.Tokens)
		}

		// The session and the token are refused at once.
		if _, _, err := a.SessionEmployee(ctx, signed.Secret); samordna.ErrorKind(err) != samordna.KindUnauthenticated {
			t.Errorf("session after disable: %v", err)
		}
		if _, err := a.TokenEmployee(ctx, token); samordna.ErrorKind(err) != samordna.KindUnauthenticated {
			t.Errorf("token after disable: %v", err)
		}

		// Nothing is left with the leaver.
		var left *store.Handover
		if err := db.Read(ctx, func(tx *store.Tx) error {
			left, err = store.HandoverOf(tx, leaver.Employee.ID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if left.Total() != 0 {
			t.Errorf("left with the leaver: %+v", left)
		}

		// The tasks are in the successor's "Mine oppgaver".
		mine, err := a.ListTasks(ctx, successor, app.TaskQuery{AssignedToMe: true, Status: store.TaskOpen, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, ht := range before.Tasks {
			if !slices.ContainsFunc(mine.Tasks, func(v *app.TaskView) bool { return v.ID == ht.ID }) {
				t.Errorf("task %q is not in the successor's tasks", ht.Title)
			}
		}

		// The successor is the coordinator (waiting to accept) and in the groups.
		var after *store.Handover
		if err := db.Read(ctx, func(tx *store.Tx) error {
			after, err = store.HandoverOf(tx, successor.Employee.ID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if after.Coordinator < before.Coordinator || after.Groups == 0 || after.LogHolder < before.LogHolder {
			t.Errorf("successor holds %+v, leaver held %+v", after, before)
		}

		// The successor is told, with the counts.
		notes, err := a.Notifications(ctx, successor, true)
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(notes, func(n *store.Notification) bool { return n.Kind == app.NoticeHandover })
		if i < 0 || !strings.Contains(notes[i].Detail, `"tasks":`) {
			t.Errorf("no handover notice for the successor: %+v", notes)
		}

		// Audited: one row per task and one for the disable with the counts.
		if n := countRows(t, db, `SELECT COUNT(*) FROM audit_events WHERE action = 'hand_over'`) - auditBefore; n != len(before.Tasks) {
			t.Errorf("%d hand_over audit rows, want %d", n, len(before.Tasks))
		}
		if n := countRows(t, db, `SELECT COUNT(*) FROM audit_events WHERE action = 'disable' AND object_id = $1
			AND purpose LIKE 'successor=' || $2 || '%'`, leaver.Employee.ID, successor.Employee.ID); n != 1 {
			t.Errorf("%d disable audit rows", n)
		}

		// Disabled again: refused; re-enabled: signs in, nothing comes back.
		if _, err := a.DisableEmployee(ctx, admin, leaver.Employee.ID, successor.Employee.ID); err == nil {
			t.Error("a second disable was accepted")
		}
		if err := a.EnableEmployee(ctx, admin, leaver.Employee.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Login(ctx, &samordna.Actor{}, leaverName, demoPassword, "nb", ""); err != nil {
			t.Errorf("sign-in after enable: %v", err)
		}
	})
}

func TestDisableEmployeeRefusals(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, _ := seedDemo(t, db)
		admin := leaveActor(t, db, "admin")
		ola := leaveActor(t, db, "ola.laerer")
		nils := leaveActor(t, db, "nils.leder")
		kari := leaveActor(t, db, "kari.ke")

		if _, err := a.DisableEmployee(ctx, nils, ola.Employee.ID, kari.Employee.ID); samordna.ErrorKind(err) != samordna.KindNotFound {
			t.Errorf("non-admin: %v, want not found", err)
		}
		if _, err := a.ReviewLeave(ctx, ola, kari.Employee.ID); samordna.ErrorKind(err) != samordna.KindNotFound {
			t.Errorf("non-admin review: %v, want not found", err)
		}
		if _, err := a.DisableEmployee(ctx, admin, ola.Employee.ID, ola.Employee.ID); samordna.ErrorCode(err) != "invalid_successor" {
			t.Errorf("successor = self: %v", err)
		}
		if _, err := a.DisableEmployee(ctx, admin, kari.Employee.ID, nils.Employee.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := a.DisableEmployee(ctx, admin, ola.Employee.ID, kari.Employee.ID); samordna.ErrorCode(err) != "invalid_successor" {
			t.Errorf("disabled successor: %v", err)
		}
		// Refused changes change nothing: ola can still sign in.
		if _, err := a.Login(ctx, &samordna.Actor{}, "ola.laerer", demoPassword, "nb", ""); err != nil {
			t.Errorf("ola after refusals: %v", err)
		}
		// Without a successor, the leader of ola's service (nils) takes over.
		sum, err := a.DisableEmployee(ctx, admin, ola.Employee.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		if sum.Successor == nil || sum.Successor.ID != nils.Employee.ID {
			t.Errorf("default successor: %+v", sum.Successor)
		}
	})
}
