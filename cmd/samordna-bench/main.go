// Command samordna-bench measures Samordna at national scale: it generates
// a synthetic country (deterministic, seeded) into a fresh SQLite file
// and/or PostgreSQL schema through the real migrations, starts the real
// server on it on a loopback port, drives it with concurrent virtual users,
// measures the ceilings of the same database and machine and, unless told
// otherwise, a PocketBase peer with equivalent collections, and reports
// throughput, p50 and p99 per scenario with ratios.
//
//	go run ./cmd/samordna-bench -quick -json          # within a minute, small scale, one JSON object
//	go run ./cmd/samordna-bench -scale 1 -db both      # the whole country (see docs/PERFORMANCE.md)
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	"github.com/samordna/samordna/internal/bench"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "samordna-bench:", err)
		}
		os.Exit(2)
	}
}

// quickScale is the scale of -quick: small enough to finish well within a
// minute on two cores.
const quickScale = 0.001

// run parses the flags, runs the benchmark and prints the report.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("samordna-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	scale := fs.Float64("scale", 0, "size of the country: 1 = 357 municipalities, 1M persons, 300k cases, 3M tasks, 30M audit rows (default 0.01, or 0.001 with -quick)")
	seed := fs.Uint64("seed", 1, "generator seed (same seed and scale, same data)")
	dbs := fs.String("db", "sqlite", "sqlite, postgres or both")
	pg := fs.String("pg", os.Getenv("TEST_PG_URL"), "PostgreSQL URL; a fresh schema is created in it and dropped after (default $TEST_PG_URL)")
	vus := fs.Int("vus", 8, "concurrent virtual users per scenario")
	dur := fs.Duration("duration", 0, "how long each scenario and ceiling runs (default 5s, or 0.7s with -quick)")
	peer := fs.Bool("peer", true, "also build and drive the PocketBase peer (skipped by -quick unless set explicitly)")
	quick := fs.Bool("quick", false, "small and fast: finishes within a minute")
	asJSON := fs.Bool("json", false, "print one JSON object on stdout (progress goes to stderr)")
	keep := fs.Bool("keep", false, "keep the generated databases (prints where)")
	quiet := fs.Bool("q", false, "no progress output")
	use := fs.String("use", "", "run against this database, loaded before with -load-only -keep and the same -scale and -seed, instead of generating one")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the whole run (server and load driver) to this file")
	only := fs.String("only", "", "run only these scenarios, comma-separated (e.g. case_list,my_tasks_query); default all")
	loadOnly := fs.Bool("load-only", false, "generate and load the country, report how long it took, and stop")
	if err := fs.Parse(args); err != nil {
		return err
	}
	peerSet := false
	fs.Visit(func(f *flag.Flag) { peerSet = peerSet || f.Name == "peer" })
	cfg := bench.Config{Scale: *scale, Seed: *seed, PGURL: *pg, VUs: *vus, Duration: *dur, Peer: *peer,
		Keep: *keep, Quick: *quick, LoadOnly: *loadOnly, Use: *use, Progress: stderr}
	if *only != "" {
		cfg.Only = strings.Split(*only, ",")
	}
	if *quiet {
		cfg.Progress = nil
	}
	if cfg.Scale == 0 {
		cfg.Scale = 0.01
		if *quick {
			cfg.Scale = quickScale
		}
	}
	if cfg.Duration == 0 {
		cfg.Duration = 5 * time.Second
		if *quick {
			cfg.Duration = 700 * time.Millisecond
		}
	}
	if *quick && !peerSet {
		cfg.Peer = false
		cfg.PeerWhy = "quick mode skips the PocketBase peer (building it takes minutes the first time); run without -quick, or add -peer"
	} else if !cfg.Peer {
		cfg.PeerWhy = "disabled with -peer=false"
	}
	switch *dbs {
	case "sqlite", "postgres":
		cfg.DBs = []string{*dbs}
	case "both":
		cfg.DBs = []string{"sqlite", "postgres"}
	default:
		return fmt.Errorf("-db must be sqlite, postgres or both, not %q", *dbs)
	}
	if cfg.VUs < 1 || cfg.Scale <= 0 || cfg.Scale > 1 {
		return fmt.Errorf("-vus must be at least 1 and -scale in (0, 1]")
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	rep, err := bench.Run(ctx, cfg)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	_, err = io.WriteString(stdout, strings.TrimLeft(rep.Text(), "\n"))
	return err
}
