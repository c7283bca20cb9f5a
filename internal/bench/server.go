package bench

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/store"
	"github.com/samordna/samordna/web"
)

// target is the real server running on a generated database: the same
// web.New and app as `samordna serve`, on a loopback port.
type target struct {
	dialect string
	w       *world
	db      *store.DB
	app     *app.App
	srv     *web.Server
	http    *http.Server
	base    string
	routes  map[string]bool // "METHOD /path" of every API route and page
}

// startTarget opens the loaded database and serves it on 127.0.0.1.
func startTarget(ctx context.Context, dsn string, w *world) (*target, error) {
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	db.SetAuditKey(w.auditKey)
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	// The server logs as in production (JSON at info), to nowhere.
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	a := app.New(db, nil, log)
	a.AllowSynthetic = true // every identity number here is synthetic
	srv, err := web.New(a, web.Config{})
	if err != nil {
		db.Close()
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		db.Close()
		return nil, err
	}
	t := &target{dialect: string(db.Dialect()), w: w, db: db, app: a, srv: srv, base: "http://" + ln.Addr().String(),
		routes: map[string]bool{}}
	t.http = &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second,
		WriteTimeout: 120 * time.Second, IdleTimeout: 120 * time.Second}
	go func() { _ = t.http.Serve(ln) }()
	for _, r := range srv.APIRoutes() {
		t.routes[r.Method+" "+r.Path] = true
	}
	for _, r := range srv.Routes() {
		t.routes[r.Method+" "+r.Path] = true
	}
	return t, nil
}

func (t *target) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_ = t.http.Shutdown(ctx)
	t.db.Close()
}

// has reports whether the server has every one of the routes.
func (t *target) has(routes ...string) bool {
	for _, r := range routes {
		if !t.routes[r] {
			return false
		}
	}
	return true
}

// missingOf returns the routes the server lacks.
func (t *target) missingOf(routes ...string) []string {
	var out []string
	for _, r := range routes {
		if !t.routes[r] {
			out = append(out, r)
		}
	}
	return out
}

// vuser is a virtual user: a generated employee with a token, a session
// and the open cases they may read.
type vuser struct {
	emp     int
	token   string
	session *http.Cookie
	cases   []string
	next    int
	// groupCases are the open cases with a responsibility group the user
	// coordinates; pending are meetings planned and waiting to begin.
	groupCases []string
	pending    []pendingMeeting
}

// pickUsers returns n virtual users of a kind, chosen at random among the
// employees of that kind (so the big municipalities, with more employees,
// get more users, as in real life), each with a token and, when withSession,
// a signed-in session. For coordinators only those with at least one open
// case are chosen.
func (t *target) pickUsers(ctx context.Context, kind empKind, n int, withSession bool, seed uint64) ([]*vuser, error) {
	return t.pickUsersWith(ctx, kind, n, withSession, seed, false)
}

// pickUsersWith is pickUsers; withGroup keeps only coordinators with an
// open responsibility group.
func (t *target) pickUsersWith(ctx context.Context, kind empKind, n int, withSession bool, seed uint64,
	withGroup bool) ([]*vuser, error) {
	w := t.w
	casesOf, groupsOf := map[int][]string{}, map[int][]string{}
	if kind == empCoordinator {
		for k := range w.cases {
			p := &w.cases[k]
			if p.coord >= 0 && p.closed == 0 {
				casesOf[int(p.coord)] = append(casesOf[int(p.coord)], w.caseID(k))
				if p.group {
					groupsOf[int(p.coord)] = append(groupsOf[int(p.coord)], w.caseID(k))
				}
			}
		}
	}
	var pool []int
	for i := range w.employees {
		if w.employees[i].kind == kind && (kind != empCoordinator || len(casesOf[i]) > 0) &&
			(!withGroup || len(groupsOf[i]) > 0) {
			pool = append(pool, i)
		}
	}
	if len(pool) == 0 {
		return nil, errors.New("no employee of the kind to drive")
	}
	r := rand.New(rand.NewPCG(seed, uint64(kind)))
	r.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
	var out []*vuser
	for i := range n {
		e := pool[i%len(pool)]
		u := &vuser{emp: e, cases: casesOf[e], groupCases: groupsOf[e]}
		if i >= len(pool) { // fewer employees than users: share
			out = append(out, &vuser{emp: e, token: out[i%len(pool)].token, session: out[i%len(pool)].session,
				cases: u.cases, groupCases: u.groupCases})
			continue
		}
		var err error
		if u.token, err = t.app.CreateToken(ctx, nil, w.employees[e].username, "bench"); err != nil {
			return nil, err
		}
		if withSession {
			in, err := t.app.Login(ctx, &samordna.Actor{Client: "127.0.0.1"}, w.employees[e].username,
				BenchPassword, "nb", "")
			if err != nil {
				return nil, err
			}
			u.session = &http.Cookie{Name: "samordna_session", Value: in.Secret}
		}
		out = append(out, u)
	}
	return out, nil
}

// nextCase returns the user's next case, round robin.
func (u *vuser) nextCase() string {
	c := u.cases[u.next%len(u.cases)]
	u.next++
	return c
}

func join(s []string) string { return strings.Join(s, ", ") }
