package samordna

import "time"

// Clock tells the time. It is passed into everything that needs "now" so that
// tests control it (session expiry, deadlines); SQL never calls now().
type Clock interface {
	Now() time.Time
}

// SystemClock is the real clock, in UTC.
type SystemClock struct{}

// Now returns the current time in UTC.
func (SystemClock) Now() time.Time { return time.Now().UTC() }
