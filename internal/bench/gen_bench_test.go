package bench

import (
	"testing"
	"time"
)

// BenchmarkGenerateRows measures the generator alone (no database) at
// scale 0.01, per table, so the load time can be split into generating
// and writing.
func BenchmarkGenerateRows(b *testing.B) {
	w := newWorld(SpecAt(0.01, 1), time.Now())
	for _, t := range w.tables("hash") {
		if t.name != "persons" && t.name != "tasks" && t.name != "audit_events" {
			continue
		}
		b.Run(t.name, func(b *testing.B) {
			for b.Loop() {
				n := 0
				if err := t.rows(func(row ...any) error { n++; return nil }); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
