package store

import (
	"context"
	"database/sql"
	"sync"
	"time"
)

// This file moves SQLite's WAL checkpoints off the writer (not to be
// confused with the audit chain's checkpoints, checkpoint.go). In WAL mode
// a commit appends the changed pages to the write-ahead log, and a
// checkpoint later copies them into the database file and syncs it. By
// default the committing connection runs that checkpoint itself whenever
// the log passes 1,000 pages, so every so often a commit waits for random
// writes all over the file; at national scale (a 17 GB file) the machine
// was idle or waiting for the disk for more than half the time while
// concerns were registered, and the writer with it.
//
// Instead the writer runs with wal_autocheckpoint(0), and a checkpointer
// with its own connection runs a PASSIVE checkpoint every second: it copies
// what no reader still needs while the writer goes on committing (the log
// is appended to and synced as before, so nothing is less durable), and
// the writer starts the log over once all of it is copied. The log is
// bounded (walRestartFrames). On Close the checkpointer copies everything
// and empties the log. Measured in docs/PERFORMANCE.md ("Round three").

// walCheckpointEvery is how often the checkpointer runs. A checkpoint that
// finds nothing to copy costs a read of the log's header; a longer
// interval lets a page written many times (an index's upper pages, the
// audit head) be copied once.
const walCheckpointEvery = time.Second

// walCheckpointer runs PASSIVE checkpoints on its own connection.
type walCheckpointer struct {
	conn   *sql.DB
	cancel context.CancelFunc
	done   sync.WaitGroup
}

// startWALCheckpointer opens a connection to the SQLite database at u (with
// the given pragmas) and checkpoints every interval until stop.
func startWALCheckpointer(u, pragmas string, every time.Duration) (*walCheckpointer, error) {
	conn, err := sql.Open("sqlite", u+"?"+pragmas)
	if err != nil {
		return nil, err
	}
	conn.SetMaxOpenConns(1)
	conn.SetMaxIdleConns(1)
	conn.SetConnMaxLifetime(0)
	conn.SetConnMaxIdleTime(0)
	ctx, cancel := context.WithCancel(context.Background())
	c := &walCheckpointer{conn: conn, cancel: cancel}
	c.done.Add(1)
	go func() {
		defer c.done.Done()
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				c.checkpoint(ctx)
			}
		}
	}()
	return c, nil
}

// walRestartFrames bounds the log: a passive checkpoint never catches up
// with a writer that keeps committing, and the writer starts the log over
// only once all of it is copied, so under a steady stream of writes the
// log would grow without end. Past this many frames (64 MB of 4 kB pages)
// the checkpointer runs a RESTART checkpoint, which holds new writes back
// until it has copied everything, so that the log starts over.
const walRestartFrames = 16384

// checkpoint runs one passive checkpoint, and a restarting one when the
// log has grown past walRestartFrames. A failed checkpoint (the database
// busy, say) leaves the pages in the log, where readers find them; the
// next tick tries again.
func (c *walCheckpointer) checkpoint(ctx context.Context) {
	var busy, frames, copied int
	err := c.conn.QueryRowContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &frames, &copied)
	if err == nil && frames > walRestartFrames {
		_, _ = c.conn.ExecContext(ctx, `PRAGMA wal_checkpoint(RESTART)`)
	}
}

// stop ends the checkpoints, copies what is left in the log into the
// database file and empties the log (when no one else still reads), and
// closes the connection.
func (c *walCheckpointer) stop() error {
	c.cancel()
	c.done.Wait()
	_, err := c.conn.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
	if cerr := c.conn.Close(); err == nil {
		err = cerr
	}
	return err
}
