package app_test

import (
	"context"
	"testing"

	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// Breaking the glass tells the leaders of the employee's service at once:
// every active leader (any of them may review it), never a disabled one.
func TestBreakGlassTellsTheActiveLeaders(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newSpineWorld(t, db)
		ctx := context.Background()
		caseID, _ := w.namedCase("ola.laerer")
		if _, err := w.a.BreakGlass(ctx, w.actor("stig.nod"), caseID, "acute_child_welfare", "Barnet er ikke hentet, mor er ruset"); err != nil {
			t.Fatal(err)
		}
		told := func(username string) bool {
			t.Helper()
			ns, err := w.a.Notifications(ctx, w.actor(username), false)
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range ns {
				if n.Kind == app.NoticeEmergencyReview {
					return true
				}
			}
			return false
		}
		if !told("nils.leder") {
			t.Error("the school's leader was not told of the emergency access")
		}
		if told("stig.nod") {
			t.Error("the employee who broke the glass was told to review it")
		}
	})
}
