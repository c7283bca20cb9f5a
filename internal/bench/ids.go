package bench

import (
	"encoding/base32"
	"math/rand/v2"
	"strings"
)

// Kinds of generated id, so that ids of different kinds never collide.
const (
	kindMunicipality = iota + 1
	kindService
	kindEmployee
	kindTeam
	kindPerson
	kindCase
	kindConcern
	kindEvent
	kindApplication
	kindCoordinator
	kindGroup
	kindMember
	kindConsent
	kindReport
	kindSubmission
	kindTask
	kindPlan
)

var idEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// splitmix64 is a bijection on uint64 with good mixing: distinct inputs give
// distinct, random-looking outputs.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// genID returns the n-th id of a kind: 20 lowercase base32 characters like
// samordna.NewID, but deterministic. The first 64 bits are a bijection of
// (kind, n), so ids never collide.
func genID(seed uint64, kind int, n int) string {
	a := splitmix64(uint64(kind)<<56 | uint64(n))
	b := splitmix64(a ^ seed)
	var buf [12]byte
	for i := range 8 {
		buf[i] = byte(a >> (8 * i))
	}
	for i := range 4 {
		buf[8+i] = byte(b >> (8 * i))
	}
	return strings.ToLower(idEncoding.EncodeToString(buf[:]))
}

// rngFor returns a generator for one item (a case, a person), so that each
// item is the same whatever else is generated.
func rngFor(seed uint64, kind int, n int) *rand.Rand {
	return rand.New(rand.NewPCG(seed, uint64(kind)<<56|uint64(n)))
}
