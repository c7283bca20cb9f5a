package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// The administrator disables Ola over the API and names Kari: Ola's token
// gets 401 on the next request, and the answer counts what Kari took
// over. Others get 404; Ola again is 409; Kari as her own successor 400.
func TestDisableEmployeeOverHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		c := newCoordAPI(t, db)
		ids := map[string]string{}
		err := db.Read(context.Background(), func(tx *store.Tx) error {
			for _, u := range []string{"ola.laerer", "kari.ke"} {
				e, _, err := store.EmployeeByUsername(tx, u)
				if err != nil {
					return err
				}
				ids[u] = e.ID
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		path := "/api/v1/admin/employees/" + ids["ola.laerer"] + "/disable"
		body := map[string]string{"successor_id": ids["kari.ke"]}
		if st, b := c.call("kari.ke", "POST", path, body); st != http.StatusNotFound {
			t.Errorf("kari: %d %s", st, b)
		}
		if st, _ := c.call("ola.laerer", "GET", "/api/v1/me", nil); st != http.StatusOK {
			t.Fatalf("ola before: %d", st)
		}
		st, b := c.call("admin", "POST", path, body)
		if st != http.StatusOK {
			t.Fatalf("admin: %d %s", st, b)
		}
		var out struct {
			EmployeeID  string `json:"employee_id"`
			SuccessorID string `json:"successor_id"`
			Tokens      int    `json:"tokens_revoked"`
			Tasks       *int   `json:"tasks"`
		}
		if err := json.Unmarshal(b, &out); err != nil || out.SuccessorID != ids["kari.ke"] || out.Tokens != 1 ||
			out.Tasks == nil {
			t.Errorf("summary %s: %v", b, err)
		}
		if st, _ := c.call("ola.laerer", "GET", "/api/v1/me", nil); st != http.StatusUnauthorized {
			t.Errorf("ola's token after disable: %d, want 401", st)
		}
		if st, _ := c.call("admin", "POST", path, body); st != http.StatusConflict {
			t.Errorf("again: %d, want 409", st)
		}
		self := "/api/v1/admin/employees/" + ids["kari.ke"] + "/disable"
		if st, b := c.call("admin", "POST", self, body); st != http.StatusBadRequest {
			t.Errorf("kari as her own successor: %d %s", st, b)
		}
	})
}
