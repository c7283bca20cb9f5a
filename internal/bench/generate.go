package bench

import (
	"context"
	"io"
	"runtime/debug"
	"time"

	"github.com/samordna/samordna/app"
)

// BenchPassword is every generated employee's password (the load tool
// signs in with it to drive the HTML pages). The data is synthetic.
const BenchPassword = "benk-passord-syntetisk"

// Generated is a loaded country: what the load tool needs to drive it.
type Generated struct {
	world *world
	Stats *LoadStats
}

// Generate lays out the country for spec (the generation time is now) and
// loads it into the empty database named by dsn.
func Generate(ctx context.Context, dsn string, spec Spec, now time.Time, progress io.Writer) (*Generated, error) {
	// The load allocates many short-lived rows; collect garbage less often
	// (memory is not the limit here).
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	w := newWorld(spec, now)
	hash, err := app.HashPassword(BenchPassword)
	if err != nil {
		return nil, err
	}
	stats, err := Load(ctx, dsn, w, hash, progress)
	if err != nil {
		return nil, err
	}
	return &Generated{world: w, Stats: stats}, nil
}
