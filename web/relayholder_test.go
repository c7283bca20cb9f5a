package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/internal/matrixtest"
	"github.com/samordna/samordna/store"
)

// The relay log's first holder is chosen by name in the people picker,
// not typed as a username (issue 13, point 3).
func TestRelayLogHolderIsChosenByName(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		c := e.login()
		var id string
		err := db.Write(context.Background(), func(tx *store.Tx) error {
			p := &samordna.Person{MunicipalityID: e.emp.MunicipalityID, Name: "Emma Hansen", BirthDate: "2015-02-20"}
			if err := store.CreatePerson(tx, p, e.clock.Now()); err != nil {
				return err
			}
			var err error
			if id, err = matrixtest.NewCase(tx, e.emp.MunicipalityID, e.emp.ID, p.ID, e.clock.Now()); err != nil {
				return err
			}
			return matrixtest.AddCoordinator(tx, id, e.emp.ID, e.emp.ID, e.clock.Now(), false)
		})
		if err != nil {
			t.Fatal(err)
		}
		r := e.get("/cases/"+id+"/plans/new?kind=relay_log", c)
		if !strings.Contains(r.body, `<select`) || !strings.Contains(r.body, `id="holder"`) || strings.Contains(r.body, `list="plan-people"`) {
			t.Errorf("the relay log form: status %d, no people picker for the holder:\n%s", r.status, r.body)
		}
	})
}
