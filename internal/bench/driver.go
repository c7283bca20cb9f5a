package bench

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sync"
	"time"
)

// Op is one operation of a scenario for virtual user vu (0-based). It
// returns an error when the operation did not do what it should (a wrong
// status counts as an error).
type Op func(ctx context.Context, vu int) error

// Result is what a scenario achieved.
type Result struct {
	Name       string  `json:"name"`
	DB         string  `json:"db"`
	VUs        int     `json:"vus"`
	Ops        int64   `json:"ops"`
	Errors     int64   `json:"errors"`
	OpsPerSec  float64 `json:"ops_per_sec"`
	P50ms      float64 `json:"p50_ms"`
	P99ms      float64 `json:"p99_ms"`
	MaxMs      float64 `json:"max_ms"`
	FirstError string  `json:"first_error,omitempty"`
	Note       string  `json:"note,omitempty"`
}

// idleKey carries, in an operation's context, where the operation adds
// time it spent waiting on purpose (not on the server); Drive leaves it
// out of the latency.
type idleKey struct{}

// idle records d of deliberate waiting for the current operation.
func idle(ctx context.Context, d time.Duration) {
	if p, ok := ctx.Value(idleKey{}).(*time.Duration); ok {
		*p += d
	}
}

// Drive runs op with vus virtual users in a closed loop (each starts its
// next operation when the last one ends) for d, and at most maxOps
// operations in all when maxOps > 0. It always stops by itself.
func Drive(ctx context.Context, name, db string, vus int, d time.Duration, maxOps int64, op Op) Result {
	ctx, cancel := context.WithTimeout(ctx, d+30*time.Second)
	defer cancel()
	deadline := time.Now().Add(d)
	var mu sync.Mutex
	var lat []time.Duration
	var errs int64
	var first string
	var ops int64
	var wg sync.WaitGroup
	start := time.Now()
	for vu := range vus {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			var myErrs int64
			var myFirst string
			for time.Now().Before(deadline) && ctx.Err() == nil {
				mu.Lock()
				if maxOps > 0 && ops >= maxOps {
					mu.Unlock()
					break
				}
				ops++
				mu.Unlock()
				var waited time.Duration
				t0 := time.Now()
				err := op(context.WithValue(ctx, idleKey{}, &waited), vu)
				mine = append(mine, time.Since(t0)-waited)
				if err != nil {
					myErrs++
					if myFirst == "" {
						myFirst = err.Error()
					}
				}
			}
			mu.Lock()
			lat = append(lat, mine...)
			errs += myErrs
			if first == "" {
				first = myFirst
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	r := Result{Name: name, DB: db, VUs: vus, Ops: int64(len(lat)), Errors: errs, FirstError: first}
	if len(lat) > 0 {
		slices.Sort(lat)
		r.OpsPerSec = round(float64(len(lat)) / elapsed.Seconds())
		r.P50ms = ms(percentile(lat, 0.50))
		r.P99ms = ms(percentile(lat, 0.99))
		r.MaxMs = ms(lat[len(lat)-1])
	}
	return r
}

func percentile(sorted []time.Duration, p float64) time.Duration {
	i := int(math.Ceil(p*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

func ms(d time.Duration) float64 { return round(float64(d.Microseconds()) / 1000) }

func round(f float64) float64 {
	if f >= 100 {
		return math.Round(f)
	}
	return math.Round(f*100) / 100
}

func (r Result) String() string {
	s := fmt.Sprintf("%-26s %-8s vus=%-3d ops=%-7d %9.1f ops/s  p50 %7.2f ms  p99 %7.2f ms", r.Name, r.DB, r.VUs,
		r.Ops, r.OpsPerSec, r.P50ms, r.P99ms)
	if r.Errors > 0 {
		s += fmt.Sprintf("  ERRORS %d (%s)", r.Errors, r.FirstError)
	}
	return s
}
