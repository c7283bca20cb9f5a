// Package bench is Samordna's national-scale benchmark: a deterministic
// generator that loads a synthetic country through the real schema, a load
// driver that runs the real server over loopback HTTP with concurrent
// virtual users, the ceilings of the same database and machine, a
// PocketBase peer, and the report (text and JSON).
//
// Everything it generates is synthetic: identity numbers come from
// samordna.SyntheticIDNumber (month + 80), names are invented.
package bench

import "math"

// Full-scale sizes (scale 1): a country.
const (
	FullMunicipalities = 357
	FullPersons        = 1_000_000
	FullCases          = 300_000
	FullTasks          = 3_000_000
	FullAudit          = 30_000_000
)

// Spec is how much to generate.
type Spec struct {
	Seed           uint64 `json:"seed"`
	Municipalities int    `json:"municipalities"`
	Persons        int    `json:"persons"`
	Cases          int    `json:"cases"`
	TasksPerCase   int    `json:"tasks_per_case"` // average; the total is about Cases × TasksPerCase
	AuditRows      int    `json:"audit_rows"`
}

// SpecAt returns the sizes at scale (1 = the whole country). Every count
// shrinks with the scale, so that a municipality keeps about the same size
// (and a user about the same number of cases) at every scale; at least one
// municipality is always made.
func SpecAt(scale float64, seed uint64) Spec {
	n := func(full int) int { return max(1, int(math.Round(float64(full)*scale))) }
	return Spec{
		Seed:           seed,
		Municipalities: n(FullMunicipalities),
		Persons:        max(500, n(FullPersons)),
		Cases:          max(200, n(FullCases)),
		TasksPerCase:   FullTasks / FullCases,
		AuditRows:      max(2000, n(FullAudit)),
	}
}
