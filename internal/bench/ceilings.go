package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/samordna/samordna/store"
)

// Ceilings are what the same database and machine do with no application
// in the way, measured in the same run with the same virtual users.
type Ceilings struct {
	InsertPerSec float64 `json:"insert_per_sec"` // one row per durable transaction through store.DB.Write
	SelectPerSec float64 `json:"select_per_sec"` // a point select by primary key through store.DB.Read
	HTTPPerSec   float64 `json:"http_per_sec"`   // a bare net/http handler over loopback
	Insert       Result  `json:"insert"`
	Select       Result  `json:"select"`
	HTTP         Result  `json:"http"`
}

// ceilingPayload makes the ceiling rows about the size of an audit row.
var ceilingPayload = strings.Repeat("x", 200)

// measureCeilings runs the three ceilings against t's database.
func measureCeilings(ctx context.Context, t *target, vus int, d time.Duration) (*Ceilings, error) {
	// The table is made anew: a database kept for -use has the rows of the
	// runs before, whose ids would collide.
	err := t.db.Write(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(`DROP TABLE IF EXISTS bench_ceiling`); err != nil {
			return err
		}
		_, err := tx.Exec(`CREATE TABLE bench_ceiling (id TEXT PRIMARY KEY, at TIMESTAMP NOT NULL,
			payload TEXT NOT NULL)`)
		return err
	})
	if err != nil {
		return nil, err
	}
	var seq atomic.Int64
	insert := Drive(ctx, "ceiling_insert", t.dialect, vus, d, 0, func(ctx context.Context, vu int) error {
		id := fmt.Sprintf("c%d", seq.Add(1))
		return t.db.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.Exec(`INSERT INTO bench_ceiling (id, at, payload) VALUES ($1, $2, $3)`, id, time.Now(),
				ceilingPayload)
			return err
		})
	})
	n := len(t.w.cases)
	sel := Drive(ctx, "ceiling_select", t.dialect, vus, d, 0, func(ctx context.Context, vu int) error {
		id := t.w.caseID(rand.IntN(n))
		return t.db.Read(ctx, func(tx *store.Tx) error {
			var status string
			return tx.QueryRow(`SELECT status FROM cases WHERE id = $1`, id).Scan(&status)
		})
	})
	h, err := bareHTTP(ctx, vus, d)
	if err != nil {
		return nil, err
	}
	h.DB = t.dialect
	return &Ceilings{InsertPerSec: insert.OpsPerSec, SelectPerSec: sel.OpsPerSec, HTTPPerSec: h.OpsPerSec,
		Insert: insert, Select: sel, HTTP: h}, nil
}

// bareHTTP drives a handler that writes a small JSON body, on its own
// loopback listener, with the same client as the scenarios.
func bareHTTP(ctx context.Context, vus int, d time.Duration) (Result, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return Result{}, err
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"items":[],"next":""}` + "\n"))
	}), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	c := newClient("http://"+ln.Addr().String(), vus)
	return Drive(ctx, "ceiling_http", "", vus, d, 0, func(ctx context.Context, vu int) error {
		return c.do(ctx, "GET", "/", auth{}, nil, 200, nil)
	}), nil
}
