package app

import "sync/atomic"

// CountPasswordChecks makes a count every password check Login makes (with
// the real check) and returns the counter.
func CountPasswordChecks(a *App) *atomic.Int64 {
	var n atomic.Int64
	a.login.checkPassword = func(hash, password string) bool {
		n.Add(1)
		return CheckPassword(hash, password)
	}
	return &n
}
