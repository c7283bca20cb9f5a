package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"testing"
	"time"
)

// TestQuickSmoke runs the quick mode at the smallest scale on each database
// and checks what a reader of the JSON relies on: one object with
// scenarios, ceilings and ratios; every scenario that ran did operations
// and none failed; every ceiling was measured. It asserts no timings.
func TestQuickSmoke(t *testing.T) {
	if os.Getenv("TEST_PG_URL") == "" {
		t.Fatal("TEST_PG_URL is not set: the postgres subtest cannot run (scripts/test.sh sets it up)")
	}
	for _, db := range []string{"sqlite", "postgres"} {
		t.Run(db, func(t *testing.T) {
			start := time.Now()
			var out, errs bytes.Buffer
			args := []string{"-quick", "-json", "-q", "-db", db, "-scale", "0.0001", "-duration", "150ms", "-vus", "4"}
			if err := run(context.Background(), args, &out, &errs); err != nil {
				t.Fatalf("run: %v\n%s", err, errs.String())
			}
			var raw map[string]json.RawMessage
			if err := json.Unmarshal(out.Bytes(), &raw); err != nil {
				t.Fatalf("stdout is not one JSON object: %v\n%s", err, out.String())
			}
			for _, key := range []string{"scenarios", "ceilings", "ratios", "pocketbase", "missing"} {
				if _, ok := raw[key]; !ok {
					t.Errorf("the JSON has no %q", key)
				}
			}
			var rep struct {
				Scenarios []map[string]any
				Ceilings  map[string]map[string]any
				Ratios    map[string]map[string]float64
				Missing   []map[string]string
			}
			if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
				t.Fatal(err)
			}
			if len(rep.Scenarios) < 3 {
				t.Fatalf("only %d scenarios ran", len(rep.Scenarios))
			}
			for _, s := range rep.Scenarios {
				for _, key := range []string{"name", "db", "ops_per_sec", "p50_ms", "p99_ms"} {
					if _, ok := s[key]; !ok {
						t.Errorf("scenario %v has no %q", s["name"], key)
					}
				}
				if s["db"] != db {
					t.Errorf("scenario %v ran on %v, want %s", s["name"], s["db"], db)
				}
				if ops, _ := s["ops"].(float64); ops <= 0 {
					t.Errorf("scenario %v did no operations", s["name"])
				}
				if n, _ := s["errors"].(float64); n != 0 {
					t.Errorf("scenario %v: %v errors, first: %v", s["name"], n, s["first_error"])
				}
				if _, ok := rep.Ratios[db+"/"+s["name"].(string)]["to_insert_ceiling"]; !ok {
					t.Errorf("scenario %v has no ratio to the insert ceiling", s["name"])
				}
			}
			c := rep.Ceilings[db]
			for _, key := range []string{"insert_per_sec", "select_per_sec", "http_per_sec"} {
				if v, _ := c[key].(float64); v <= 0 {
					t.Errorf("ceiling %s on %s: %v", key, db, c[key])
				}
			}
			for _, m := range rep.Missing {
				t.Logf("missing: %s (%s)", m["name"], m["reason"])
			}
			t.Logf("%s: %d scenarios in %s", db, len(rep.Scenarios), time.Since(start).Round(time.Millisecond))
		})
	}
}
