package app

import (
	"context"
	"testing"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/access"
	"github.com/samordna/samordna/store"
)

// AddMeasuresFromMinutesForTest runs AddMeasuresFromMinutes the way the
// meetings feature does: inside a transaction, for an actor allowed to
// change the case. It returns the plan's id ("" for none).
func AddMeasuresFromMinutesForTest(t *testing.T, a *App, actor *samordna.Actor, caseID, meetingID string, ms []NewMeasure) string {
	t.Helper()
	id := ""
	err := a.DB.Write(context.Background(), func(tx *store.Tx) error {
		g, ok, err := a.authorizeCase(tx, actor, caseID, access.Write)
		if err != nil || !ok {
			t.Fatalf("authorize: %v %v", ok, err)
		}
		p, err := a.AddMeasuresFromMinutes(tx, actor, g, meetingID, ms)
		if p != nil {
			id = p.ID
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}
