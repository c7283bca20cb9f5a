package store

import (
	"database/sql"
	"errors"
	"strconv"
	"time"
)

// This file keeps the sign-in throttle: one counter row per bucket (a user,
// an address or a device cookie), reserved before a password is checked.

// ReserveLoginAttempt counts one sign-in attempt in bucket in a single
// statement, and reports whether it was allowed. A bucket whose window began
// before cutoff starts a new window at now with this attempt; otherwise the
// attempt is counted only while the window holds fewer than limit attempts,
// and when it holds limit already nothing changes and ok is false.
//
// The upsert is atomic on both databases (PostgreSQL locks the row and
// re-checks the condition on its latest version; SQLite has one writer), so
// parallel attempts, from one server or several, can never reserve more than
// limit. The row stays locked until the transaction ends. It returns the
// start of the window the attempt was counted in, for ReleaseLoginAttempt.
func ReserveLoginAttempt(tx *Tx, bucket string, limit int, now, cutoff time.Time) (windowStart time.Time, ok bool, err error) {
	err = tx.QueryRow(`INSERT INTO login_throttle (bucket, window_start, attempts) VALUES ($1, $2, 1)
		ON CONFLICT (bucket) DO UPDATE SET
			window_start = CASE WHEN login_throttle.window_start < $3 THEN excluded.window_start ELSE login_throttle.window_start END,
			attempts = CASE WHEN login_throttle.window_start < $3 THEN 1 ELSE login_throttle.attempts + 1 END
		WHERE login_throttle.window_start < $3 OR login_throttle.attempts < $4
		RETURNING window_start`, bucket, now, cutoff, limit).Scan(&windowStart)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, wrap(err, "reserve login attempt")
	}
	return windowStart, true, nil
}

// ReleaseLoginAttempt takes back an attempt that ReserveLoginAttempt counted
// in the window that began at windowStart (the sign-in succeeded, so it was
// no failure). In a later window there is nothing to take back.
func ReleaseLoginAttempt(tx *Tx, bucket string, windowStart time.Time) error {
	_, err := tx.Exec(`UPDATE login_throttle SET attempts = attempts - 1
		WHERE bucket = $1 AND window_start = $2 AND attempts > 0`, bucket, windowStart)
	return wrap(err, "release login attempt")
}

// DeleteExpiredLoginBuckets removes up to n buckets whose window began
// before cutoff, so that the table holds about the buckets in use. On
// PostgreSQL it skips rows another transaction holds (SKIP LOCKED): it never
// waits, so it cannot deadlock with the reservations, and a row a
// reservation has just renewed is not deleted (the outer condition is
// checked again on the row's latest version).
func DeleteExpiredLoginBuckets(tx *Tx, cutoff time.Time, n int) error {
	lock := ""
	if tx.Dialect() == Postgres {
		lock = ` FOR UPDATE SKIP LOCKED`
	}
	_, err := tx.Exec(`DELETE FROM login_throttle WHERE window_start < $1 AND bucket IN
		(SELECT bucket FROM login_throttle WHERE window_start < $1 LIMIT `+strconv.Itoa(n)+lock+`)`, cutoff)
	return wrap(err, "delete expired login buckets")
}
