package bench

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/store"
)

// scenario is one thing users do, driven over HTTP against the real server.
type scenario struct {
	name     string
	requires []string // routes ("METHOD /path") the scenario needs; missing ones are reported
	vus      int      // 0: the run's number of virtual users
	// setup prepares the virtual users and returns the operation.
	setup func(ctx context.Context, t *target, c *client, vus int) (Op, error)
	note  string
}

// scenarios lists Samordna's scenarios, in the order they run. Writes come
// last so the reads see the generated data as loaded.
func scenarios() []scenario {
	return []scenario{
		{name: "case_list", requires: []string{"GET /api/v1/cases"}, setup: caseList(empCoordinator),
			note: "GET /api/v1/cases?limit=50 as a coordinator: the access-filtered list"},
		{name: "case_list_unit", requires: []string{"GET /api/v1/cases"}, setup: caseList(empUnit),
			note: "the same list as a coordinating-unit caseworker, who may read every case with an application in the municipality"},
		{name: "my_tasks", requires: []string{"GET /api/v1/tasks"}, setup: myTasks,
			note: "GET /api/v1/tasks?assigned=me as a coordinator (Mine oppgaver)"},
		// The same two pages for one user alone: their latency without
		// queueing behind the other virtual users on the machine's cores.
		{name: "case_list_1vu", requires: []string{"GET /api/v1/cases"}, setup: caseList(empCoordinator), vus: 1,
			note: "case_list with one virtual user: the latency of the page itself, no queueing"},
		{name: "my_tasks_1vu", requires: []string{"GET /api/v1/tasks"}, setup: myTasks, vus: 1,
			note: "my_tasks with one virtual user: the latency of the page itself, no queueing"},
		{name: "start_page", requires: []string{"GET /{$}"}, setup: startPage,
			note: "the HTML start page (Mine oppgaver / Mine saker) as a signed-in coordinator"},
		{name: "yearly_counts", requires: []string{"GET /api/v1/coordinating-unit/yearly-counts"}, setup: yearlyCounts, vus: 2,
			note: "the coordinating unit's yearly counts (two caseworkers at once)"},
		{name: "open_case", requires: []string{"GET /api/v1/cases/{id}"}, setup: openCase,
			note: "GET /api/v1/cases/{id} as its coordinator: access check, the case view and its durable audit row"},
		{name: "complete_meeting", requires: []string{"POST /api/v1/cases/{id}/meetings",
			"GET /api/v1/meetings/{id}/minutes", "PUT /api/v1/meetings/{id}/minutes",
			"POST /api/v1/meetings/{id}/minutes/finalise"}, setup: completeMeeting,
			note: "a responsibility group's meeting as its coordinator: plan it, write the minutes, finalise them (the new measure becomes a task); four requests per operation"},
		{name: "register_concern", requires: []string{"POST /api/v1/concerns"}, setup: registerConcern,
			note: "POST /api/v1/concerns, named, as a teacher: person, case, concern, routine tasks, audit"},
	}
}

func caseList(kind empKind) func(ctx context.Context, t *target, c *client, vus int) (Op, error) {
	return func(ctx context.Context, t *target, c *client, vus int) (Op, error) {
		users, err := t.pickUsers(ctx, kind, vus, false, 11)
		if err != nil {
			return nil, err
		}
		return func(ctx context.Context, vu int) error {
			var out struct{ Items []struct{ ID string } }
			if err := c.do(ctx, "GET", "/api/v1/cases?limit=50", auth{bearer: users[vu].token}, nil, 200, &out); err != nil {
				return err
			}
			if len(out.Items) == 0 {
				return fmt.Errorf("case list: no cases for a user who has some")
			}
			return nil
		}, nil
	}
}

func myTasks(ctx context.Context, t *target, c *client, vus int) (Op, error) {
	users, err := t.pickUsers(ctx, empCoordinator, vus, false, 12)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context, vu int) error {
		var out struct{ Items []struct{ ID string } }
		if err := c.do(ctx, "GET", "/api/v1/tasks?assigned=me", auth{bearer: users[vu].token}, nil, 200, &out); err != nil {
			return err
		}
		if len(out.Items) == 0 {
			return fmt.Errorf("my tasks: none for a coordinator who has some")
		}
		return nil
	}, nil
}

func startPage(ctx context.Context, t *target, c *client, vus int) (Op, error) {
	users, err := t.pickUsers(ctx, empCoordinator, vus, true, 13)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context, vu int) error {
		return c.do(ctx, "GET", "/", auth{cookie: users[vu].session}, nil, 200, nil)
	}, nil
}

func yearlyCounts(ctx context.Context, t *target, c *client, vus int) (Op, error) {
	users, err := t.pickUsers(ctx, empUnit, vus, false, 14)
	if err != nil {
		return nil, err
	}
	year := time.Now().Year()
	return func(ctx context.Context, vu int) error {
		return c.do(ctx, "GET", fmt.Sprintf("/api/v1/coordinating-unit/yearly-counts?year=%d", year),
			auth{bearer: users[vu].token}, nil, 200, nil)
	}, nil
}

func openCase(ctx context.Context, t *target, c *client, vus int) (Op, error) {
	users, err := t.pickUsers(ctx, empCoordinator, vus, false, 15)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context, vu int) error {
		return c.do(ctx, "GET", "/api/v1/cases/"+users[vu].nextCase(), auth{bearer: users[vu].token}, nil, 200, nil)
	}, nil
}

// concernSeq numbers the persons the concern scenario registers: born
// 1975 onwards, a range the generator never uses (its persons are born in
// the last eighteen years), so each concern names a new person. A run
// against a database kept for -use starts after the persons that earlier
// runs registered.
var concernSeq atomic.Int64

func registerConcern(ctx context.Context, t *target, c *client, vus int) (Op, error) {
	users, err := t.pickUsers(ctx, empDiscoverer, vus, false, 16)
	if err != nil {
		return nil, err
	}
	base := time.Date(1975, 1, 1, 12, 0, 0, 0, time.UTC)
	var earlier int64
	err = t.db.Read(ctx, func(tx *store.Tx) error {
		return tx.QueryRow(`SELECT COUNT(*) FROM persons WHERE birth_date < '2000-01-01'`).Scan(&earlier)
	})
	if err != nil {
		return nil, err
	}
	concernSeq.Store(earlier)
	return func(ctx context.Context, vu int) error {
		n := int(concernSeq.Add(1))
		fnr := samordna.SyntheticIDNumber(base.AddDate(0, 0, n/personsPerDay), n%personsPerDay)
		body := map[string]any{"situation": "unclear_concern", "anonymous": false,
			"subject":     map[string]string{"fnr": fnr, "name": "Benk Person"},
			"description": "Eleven virker sliten og har mye fravær; kontaktlærer er bekymret."}
		return c.do(ctx, "POST", "/api/v1/concerns", auth{bearer: users[vu].token}, body, 201, nil)
	}, nil
}
