package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/internal/matrixtest"
	"github.com/samordna/samordna/store"
)

// A family link's kind is shown through the locale catalog in nb, nn and
// en, on the case hub and on the family links page, never as the raw key.
func TestCaseLinkKindInTheUsersLanguage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		c := e.login()
		var id string
		err := db.Write(context.Background(), func(tx *store.Tx) error {
			var ids []string
			for _, name := range []string{"Emma Hansen", "Ola Hansen"} {
				p := &samordna.Person{MunicipalityID: e.emp.MunicipalityID, Name: name, BirthDate: "2015-02-20"}
				if err := store.CreatePerson(tx, p, e.clock.Now()); err != nil {
					return err
				}
				cid, err := matrixtest.NewCase(tx, e.emp.MunicipalityID, e.emp.ID, p.ID, e.clock.Now())
				if err != nil {
					return err
				}
				if err := matrixtest.AddCoordinator(tx, cid, e.emp.ID, e.emp.ID, e.clock.Now(), false); err != nil {
					return err
				}
				ids = append(ids, cid)
			}
			id = ids[0]
			return store.LinkCases(tx, ids[0], ids[1], samordna.LinkFamily, e.emp.ID, e.clock.Now())
		})
		if err != nil {
			t.Fatal(err)
		}
		for lang, want := range map[string]string{"nb": "samme familie", "nn": "same familie", "en": "same family"} {
			for _, path := range []string{"/cases/" + id, "/cases/" + id + "/links"} {
				r := e.do(req{method: http.MethodGet, path: path, cookies: []*http.Cookie{c},
					header: map[string]string{"Accept-Language": lang}})
				if r.status != http.StatusOK || !strings.Contains(r.body, `<span class="muted">`+want+`</span>`) ||
					strings.Contains(r.body, `<span class="muted">family</span>`) {
					t.Errorf("%s in %s: status %d, the link kind is not %q", path, lang, r.status, want)
				}
			}
		}
	})
}
