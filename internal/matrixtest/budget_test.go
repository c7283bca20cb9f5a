package matrixtest_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"

	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
	"github.com/samordna/samordna/web"
)

// Statement budgets (issue 17): every route of the API and of the pages,
// called once by an allowed user on the access matrix's fixtures, may run at
// most its budget of SQL statements (statementBudgets, budgets_test.go). The
// store counts them (store.WithStatementCounter). Unlike a timed test this
// is deterministic: a change that adds a query to a route fails here, on
// both databases, until the budget is raised on purpose.

// TestStatementBudgets drives every route as an allowed user and compares
// the statements it ran with the route's budget.
func TestStatementBudgets(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		routes := budgetRoutes(t, w)
		reads, writes := w.fixtures(), w.fixtures()
		measured := map[string]int64{}
		for _, r := range routes {
			fxs := reads
			switch {
			case changesAccess[r.String()]:
				fxs = w.fixtures()
			case r.method != http.MethodGet:
				fxs = writes
			}
			n, err := w.countRoute(t, r, fxs)
			if err != nil {
				t.Errorf("%s: %v", r, err)
				continue
			}
			measured[r.String()] = n
			budget, ok := statementBudgets[r.String()]
			if p := budgetProblem(r.String(), n, budget, ok); p != "" {
				t.Error(p)
			}
		}
		for key := range statementBudgets {
			if _, ok := measured[key]; !ok && !routeExists(routes, key) {
				t.Errorf("statementBudgets has %q, which is no route: remove it", key)
			}
		}
		t.Log("statements per route:\n" + budgetTable(measured))
	})
}

// budgetRoutes returns the routes the matrix understands in its order:
// reads, changes, changes of access, signing out.
func budgetRoutes(t *testing.T, w *world) []route {
	t.Helper()
	var routes []route
	for _, r := range allRoutes(w.srv.Config.Handler.(*web.Server)) {
		if r.parse() == nil { // TestRoutesDeclareAccess reports the others
			routes = append(routes, r)
		}
	}
	sort.SliceStable(routes, func(i, j int) bool { return rank(routes[i]) < rank(routes[j]) })
	return routes
}

// countRoute sends the route's request as the first fixture's actor the
// policy allows, with a statement counter in the request's context, and
// returns how many statements the request ran. The request is served
// in-process, so the count is complete when ServeHTTP returns. A route no
// fixture's actor may use (taking coordination by routine needs a routine
// step the fixtures do not make) is measured refused, as the first
// fixture's actor: its access check is what it costs them.
func (w *world) countRoute(t *testing.T, r route, fxs []*fixture) (int64, error) {
	if _, object := objectKinds[r.kind]; !object {
		fxs = fxs[:len(matrixUsers)] // no object: the role decides
	}
	fx, err := w.firstAllowed(r, fxs)
	if err != nil {
		return 0, err
	}
	if fx == nil {
		t.Logf("%s: no fixture's actor may use it; measured refused", r)
		fx = fxs[0]
	}
	req, err := w.request(r, fx)
	if err != nil {
		return 0, err
	}
	if r.api {
		req.Header.Set("Authorization", "Bearer "+w.tokens[fx.actor.Username])
	} else {
		req.AddCookie(w.cookie(fx.actor.Username))
	}
	req.RemoteAddr = "192.0.2.1:4711"
	ctx, counter := store.WithStatementCounter(req.Context())
	rec := httptest.NewRecorder()
	w.srv.Config.Handler.ServeHTTP(rec, req.WithContext(ctx))
	if rec.Code >= 500 {
		body, _ := io.ReadAll(rec.Body)
		return 0, fmt.Errorf("%s (%s): %d: %.150s", fx.actor.Username, fx.state, rec.Code, body)
	}
	return counter.Count(), nil
}

// firstAllowed returns the first fixture whose actor the policy lets use
// the route, or nil.
func (w *world) firstAllowed(r route, fxs []*fixture) (*fixture, error) {
	for _, fx := range fxs {
		allowed, err := w.expect(r, fx)
		if err != nil || allowed {
			return fx, err
		}
	}
	return nil, nil
}

// budgetProblem compares a route's count with its budget (ok: the route has
// one) and says what is wrong, or "".
func budgetProblem(key string, got int64, budget int, ok bool) string {
	switch {
	case !ok:
		return fmt.Sprintf("%s ran %d statements and has no budget: add %q: %d to statementBudgets (internal/matrixtest/budgets_test.go)",
			key, got, key, got)
	case got > int64(budget):
		return fmt.Sprintf("%s ran %d statements, over its budget of %d", key, got, budget)
	case int64(budget) > withSlack(got):
		return fmt.Sprintf("%s ran %d statements, so its budget of %d is loose: lower it to %d", key, got, budget, withSlack(got))
	}
	return ""
}

// withSlack is the budget for a route measured at n statements: n, plus a
// tenth from ten statements up. A budget above it would let the route
// grow back unnoticed after it got cheaper.
func withSlack(n int64) int64 {
	if n >= 10 {
		return n + n/10
	}
	return n
}

// routeExists reports whether key ("METHOD path") names one of routes.
func routeExists(routes []route, key string) bool {
	for _, r := range routes {
		if r.String() == key {
			return true
		}
	}
	return false
}

// budgetTable formats the measured counts as lines of statementBudgets.
func budgetTable(measured map[string]int64) string {
	keys := make([]string, 0, len(measured))
	for k := range measured {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "\t%q: %d,\n", k, measured[k])
	}
	return b.String()
}

// TestBudgetProblem: the comparison fails a route over its budget, a route
// without one and a budget looser than the route's count with its slack,
// and passes a route at its budget or within the slack under it.
func TestBudgetProblem(t *testing.T) {
	for _, c := range []struct {
		got    int64
		budget int
		ok     bool
		fails  bool
	}{
		{got: 3, budget: 3, ok: true},
		{got: 2, budget: 3, ok: true, fails: true},
		{got: 4, budget: 3, ok: true, fails: true},
		{got: 40, budget: 44, ok: true},
		{got: 41, budget: 44, ok: true},
		{got: 39, budget: 44, ok: true, fails: true},
		{got: 10, budget: 11, ok: true},
		{got: 0, budget: 0, ok: false, fails: true},
		{got: 1, budget: 0, ok: false, fails: true},
	} {
		if p := budgetProblem("GET /x", c.got, c.budget, c.ok); (p != "") != c.fails {
			t.Errorf("%d statements, budget %d (set: %v): problem %q", c.got, c.budget, c.ok, p)
		}
	}
}
