package store

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
)

// Group commit: WriteGrouped runs each caller's function in a write
// transaction it shares with the other callers waiting at the same moment,
// each inside its own savepoint, and commits them all with one durable
// commit. Nobody gets an answer before the commit that holds their writes
// has returned, so an acknowledged write is as durable as with Write; but
// one fsync (SQLite's WAL, PostgreSQL's WAL flush) now serves a whole group.
//
// Why it matters: every read of personal data writes an audit row, and the
// audit chain's head row serialises those transactions (one writer on
// SQLite; a row lock held to commit on PostgreSQL). With one commit per
// request, a case read can never be faster than one durable commit; with
// group commit the commit cost is shared.
//
// Semantics, compared with Write:
//   - fn runs exactly once, alone on the transaction (the group runs its
//     functions one after another, in arrival order), and sees the earlier
//     functions' writes of the same group;
//   - fn returning an error rolls back to its savepoint: its writes vanish,
//     the rest of the group commits, and the caller gets fn's error;
//   - if the commit itself fails, every caller in the group whose fn
//     succeeded gets the commit error (nothing of the group was written);
//   - a caller whose context ends before its turn is skipped (ctx.Err());
//     once its turn has come, its function runs to the end whatever
//     happens to its context, so one caller cannot break the group;
//   - a panic in fn is re-raised in the caller's goroutine.
//
// One process groups its own requests; several servers on one PostgreSQL
// each group their own.

// maxGroup bounds how many functions share one commit.
const maxGroup = 256

// groupReq is one caller waiting in a group.
type groupReq struct {
	ctx  context.Context
	fn   func(*Tx) error
	done chan groupResult
}

type groupResult struct {
	err   error
	panic any
}

// grouper queues the callers of one DB. It runs no goroutine while idle:
// the first caller to find it idle starts a drainer that exits when the
// queue is empty.
type grouper struct {
	mu      sync.Mutex
	pending []*groupReq
	running bool
	commits atomic.Int64
	writes  atomic.Int64
}

// groupers holds each DB's grouper (DB's own fields belong to db.go).
var groupers sync.Map // *DB → *grouper

func (db *DB) grouper() *grouper {
	g, _ := groupers.LoadOrStore(db, &grouper{})
	return g.(*grouper)
}

// WriteGrouped runs fn in a read-write transaction shared with other
// concurrent callers and returns when the commit holding fn's writes is
// durable (or with fn's error, its writes rolled back). See the top of
// this file for how it differs from Write.
func (db *DB) WriteGrouped(ctx context.Context, fn func(*Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	g := db.grouper()
	req := &groupReq{ctx: ctx, fn: fn, done: make(chan groupResult, 1)}
	g.mu.Lock()
	g.pending = append(g.pending, req)
	if !g.running {
		g.running = true
		go g.drain(db)
	}
	g.mu.Unlock()
	res := <-req.done
	if res.panic != nil {
		panic(res.panic)
	}
	return res.err
}

// GroupCommitStats reports how many commits WriteGrouped has made on db and
// how many functions they held (for tests and the benchmark).
func GroupCommitStats(db *DB) (commits, writes int64) {
	g := db.grouper()
	return g.commits.Load(), g.writes.Load()
}

// drain commits groups until nobody is waiting.
func (g *grouper) drain(db *DB) {
	for {
		g.mu.Lock()
		n := min(len(g.pending), maxGroup)
		if n == 0 {
			g.running = false
			g.mu.Unlock()
			return
		}
		batch := g.pending[:n:n]
		g.pending = append([]*groupReq(nil), g.pending[n:]...)
		g.mu.Unlock()
		results := db.commitGroup(batch)
		g.commits.Add(1)
		g.writes.Add(int64(len(batch)))
		for i, r := range batch {
			r.done <- results[i]
		}
	}
}

// commitGroup runs the batch in one transaction, each function in its own
// savepoint, and commits once.
func (db *DB) commitGroup(batch []*groupReq) []groupResult {
	results := make([]groupResult, len(batch))
	failAll := func(err error) []groupResult {
		for i := range results {
			if results[i].err == nil && results[i].panic == nil {
				results[i].err = err
			}
		}
		return results
	}
	bg := context.Background()
	sqlTx, err := db.write.BeginTx(bg, nil)
	if err != nil {
		return failAll(fmt.Errorf("begin: %w", err))
	}
	// A group of one needs no savepoint: its failure rolls back the
	// transaction, which holds nothing else.
	alone := len(batch) == 1
	ran := 0
	for i, r := range batch {
		if err := r.ctx.Err(); err != nil {
			results[i].err = err
			continue
		}
		if !alone {
			if _, err := sqlTx.ExecContext(bg, "SAVEPOINT grouped"); err != nil {
				_ = sqlTx.Rollback()
				return failAll(fmt.Errorf("savepoint: %w", err))
			}
		}
		// The shared transaction must not see one caller's cancellation
		// (a driver may close the connection on it, failing the group):
		// once started, a function runs to its end.
		results[i] = db.runOne(&Tx{ctx: context.WithoutCancel(r.ctx), tx: sqlTx, dialect: db.dialect, stmts: db.writeStmts, auditKey: db.auditKey,
			count: statementCounter(r.ctx)}, r.fn)
		ok := results[i].err == nil && results[i].panic == nil
		if ok {
			ran++
		}
		if alone {
			continue
		}
		end := []string{"RELEASE SAVEPOINT grouped"}
		if !ok {
			end = []string{"ROLLBACK TO SAVEPOINT grouped", "RELEASE SAVEPOINT grouped"}
		}
		for _, q := range end {
			if _, err := sqlTx.ExecContext(bg, q); err != nil {
				_ = sqlTx.Rollback()
				return failAll(fmt.Errorf("savepoint: %w", err))
			}
		}
	}
	if ran == 0 {
		_ = sqlTx.Rollback()
		return results
	}
	if err := sqlTx.Commit(); err != nil {
		return failAll(fmt.Errorf("commit: %w", err))
	}
	return results
}

// runOne runs fn and the before-commit hook, turning a panic into a result
// the caller re-raises.
func (db *DB) runOne(tx *Tx, fn func(*Tx) error) (res groupResult) {
	defer func() {
		if p := recover(); p != nil {
			res = groupResult{panic: p}
		}
	}()
	if err := fn(tx); err != nil {
		return groupResult{err: err}
	}
	if db.beforeCommit != nil {
		if err := db.beforeCommit(tx); err != nil {
			return groupResult{err: err}
		}
	}
	return groupResult{}
}
