package bench

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the admin connection that makes a fresh schema
)

// Config is one benchmark run.
type Config struct {
	Scale    float64
	Seed     uint64
	DBs      []string      // "sqlite", "postgres"
	PGURL    string        // base PostgreSQL URL; a fresh schema is made in it
	VUs      int           // concurrent virtual users per scenario
	Duration time.Duration // per scenario and ceiling
	Peer     bool          // run the PocketBase peer
	PeerWhy  string        // why the peer was skipped, when it was
	Keep     bool          // keep the generated databases
	Quick    bool
	LoadOnly bool      // generate and load, measure nothing else
	Use      string    // run against this already loaded database (same seed and scale) instead of generating
	Only     []string  // run only these scenarios (by name); none: all
	Progress io.Writer // human-readable progress; nil for none
}

// Report is everything one run measured. Scenarios, Ceilings and Ratios
// are the figures; Missing lists what could not run and why.
type Report struct {
	Quick      bool                          `json:"quick"`
	Scale      float64                       `json:"scale"`
	Spec       Spec                          `json:"spec"`
	VUs        int                           `json:"vus"`
	Seconds    float64                       `json:"seconds_per_scenario"`
	Machine    Machine                       `json:"machine"`
	Load       []*LoadStats                  `json:"load"`
	Scenarios  []Result                      `json:"scenarios"`
	Ceilings   map[string]*Ceilings          `json:"ceilings"`
	Ratios     map[string]map[string]float64 `json:"ratios"`
	PocketBase Peer                          `json:"pocketbase"`
	Targets    []Target                      `json:"targets"`
	Missing    []Missing                     `json:"missing"`
	// Plans holds, per database, how it runs each per-user query.
	Plans map[string]map[string][]string `json:"plans,omitempty"`
}

// Missing is a scenario that did not run.
type Missing struct {
	Name   string `json:"name"`
	DB     string `json:"db"`
	Reason string `json:"reason"`
}

// runs reports whether the run includes the named scenario.
func (c *Config) runs(name string) bool {
	return len(c.Only) == 0 || slices.Contains(c.Only, name)
}

func (c *Config) logf(format string, args ...any) {
	if c.Progress != nil {
		fmt.Fprintf(c.Progress, format+"\n", args...)
	}
}

// Run generates the country on each database, drives the real server and
// the ceilings, then the peer, and computes ratios and targets.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	spec := SpecAt(cfg.Scale, cfg.Seed)
	rep := &Report{Quick: cfg.Quick, Scale: cfg.Scale, Spec: spec, VUs: cfg.VUs, Seconds: cfg.Duration.Seconds(),
		Machine: machine(), Ceilings: map[string]*Ceilings{}, Ratios: map[string]map[string]float64{},
		Scenarios: []Result{}, Missing: []Missing{}}
	var w *world
	if cfg.Use != "" {
		w = newWorld(spec, time.Now())
		cfg.logf("using the loaded database %s (scale %g, seed %d)", redact(cfg.Use), cfg.Scale, cfg.Seed)
		if err := runTarget(ctx, cfg, cfg.Use, w, rep); err != nil {
			return nil, err
		}
		cfg.DBs = nil
	}
	for _, d := range cfg.DBs {
		dsn, cleanup, err := freshDatabase(ctx, d, cfg.PGURL)
		if err != nil {
			return nil, err
		}
		cfg.logf("%s: generating scale %g (%d municipalities, %d persons, %d cases, ~%d tasks, %d audit rows) into %s",
			d, cfg.Scale, spec.Municipalities, spec.Persons, spec.Cases, spec.Cases*spec.TasksPerCase, spec.AuditRows,
			redact(dsn))
		g, err := Generate(ctx, dsn, spec, time.Now(), cfg.Progress)
		if err != nil {
			cleanup()
			return nil, fmt.Errorf("%s: generate: %w", d, err)
		}
		w = g.world
		cfg.logf("%s: loaded in %.1f s", d, g.Stats.Seconds)
		rep.Load = append(rep.Load, g.Stats)
		if !cfg.LoadOnly {
			err = runTarget(ctx, cfg, dsn, g.world, rep)
		}
		if !cfg.Keep {
			cleanup()
		} else {
			cfg.logf("%s: kept %s", d, redact(dsn))
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", d, err)
		}
	}
	switch {
	case cfg.LoadOnly:
		rep.PocketBase = Peer{Status: "skipped", Reason: "-load-only"}
	case !cfg.Peer:
		rep.PocketBase = Peer{Status: "skipped", Reason: cfg.PeerWhy}
	case w != nil:
		rep.PocketBase = runPeer(ctx, cfg, w, rep)
	}
	rep.Machine.LoadAvgEnd = loadAvg()
	computeRatios(rep)
	rep.Targets = targets(rep)
	return rep, nil
}

// runTarget serves one loaded database and runs the ceilings and every
// scenario against it.
func runTarget(ctx context.Context, cfg Config, dsn string, w *world, rep *Report) error {
	t, err := startTarget(ctx, dsn, w)
	if err != nil {
		return err
	}
	defer t.close()
	c := newClient(t.base, cfg.VUs)
	ceil, err := measureCeilings(ctx, t, cfg.VUs, cfg.Duration)
	if err != nil {
		return fmt.Errorf("ceilings: %w", err)
	}
	rep.Ceilings[t.dialect] = ceil
	if plans, err := t.explain(ctx); err != nil {
		cfg.logf("explain: %v", err)
	} else {
		if rep.Plans == nil {
			rep.Plans = map[string]map[string][]string{}
		}
		rep.Plans[t.dialect] = plans
	}
	cfg.logf("%s\n%s\n%s", ceil.Insert, ceil.Select, ceil.HTTP)
	for _, sc := range scenarios() {
		if !cfg.runs(sc.name) {
			continue
		}
		if miss := t.missingOf(sc.requires...); len(miss) > 0 {
			rep.Missing = append(rep.Missing, Missing{Name: sc.name, DB: t.dialect,
				Reason: "the server has no route " + join(miss)})
			cfg.logf("%-26s %-8s MISSING: no route %s", sc.name, t.dialect, join(miss))
			continue
		}
		vus := cfg.VUs
		if sc.vus > 0 {
			vus = sc.vus
		}
		op, err := sc.setup(ctx, t, c, vus)
		if err != nil {
			return fmt.Errorf("%s: setup: %w", sc.name, err)
		}
		r := Drive(ctx, sc.name, t.dialect, vus, cfg.Duration, 0, op)
		r.Note = sc.note
		rep.Scenarios = append(rep.Scenarios, r)
		cfg.logf("%s", r)
	}
	for _, r := range inProcess(ctx, cfg, t, rep) {
		rep.Scenarios = append(rep.Scenarios, r)
		cfg.logf("%s", r)
	}
	return nil
}

// runPeer builds, loads and drives PocketBase with the last world.
func runPeer(ctx context.Context, cfg Config, w *world, rep *Report) Peer {
	cfg.logf("pocketbase: building %s from bench/ and loading %d cases", pbVersion, len(w.cases))
	pb, err := startPocketBase(ctx)
	if err != nil {
		return Peer{Status: "unavailable", Reason: err.Error(), Version: pbVersion}
	}
	defer pb.stop()
	peer, err := pb.load(ctx, w)
	if err != nil {
		return Peer{Status: "unavailable", Reason: err.Error(), Version: pbVersion}
	}
	results, err := pb.scenarios(ctx, w, cfg.VUs, cfg.Duration)
	if err != nil {
		return Peer{Status: "unavailable", Reason: err.Error(), Version: pbVersion}
	}
	for _, r := range results {
		cfg.logf("%s", r)
	}
	rep.Scenarios = append(rep.Scenarios, results...)
	return *peer
}

// freshDatabase returns the DSN of a new, empty database: a file in a new
// temporary directory, or a new schema in the PostgreSQL at pgURL.
func freshDatabase(ctx context.Context, dialect, pgURL string) (string, func(), error) {
	switch dialect {
	case "sqlite":
		dir, err := os.MkdirTemp("", "samordna-bench-")
		if err != nil {
			return "", nil, err
		}
		return filepath.Join(dir, "bench.db"), func() { os.RemoveAll(dir) }, nil
	case "postgres":
		if pgURL == "" {
			return "", nil, fmt.Errorf("postgres: give -pg or set TEST_PG_URL")
		}
		admin, err := sql.Open("pgx", pgURL)
		if err != nil {
			return "", nil, err
		}
		defer admin.Close()
		b := make([]byte, 6)
		_, _ = rand.Read(b)
		schema := "bench_" + hex.EncodeToString(b)
		if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
			return "", nil, fmt.Errorf("postgres: create schema: %w", err)
		}
		u, err := url.Parse(pgURL)
		if err != nil {
			return "", nil, err
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		return u.String(), func() {
			if a, err := sql.Open("pgx", pgURL); err == nil {
				_, _ = a.Exec("DROP SCHEMA " + schema + " CASCADE")
				a.Close()
			}
		}, nil
	}
	return "", nil, fmt.Errorf("unknown database %q (sqlite or postgres)", dialect)
}

// redact hides a password in a URL for the progress output.
func redact(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && u.User != nil {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), "xxx")
			return u.String()
		}
	}
	return dsn
}
