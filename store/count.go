package store

import (
	"context"
	"sync/atomic"
)

// Statement counting: how many SQL statements one request makes the store
// run, for the statement budgets (docs/PERFORMANCE.md, "Statements per
// request"). A caller that wants the count puts a counter in the request's
// context with WithStatementCounter; every statement the store runs for that
// context — through Tx.Exec, Tx.Query and Tx.QueryRow in Read, Write,
// ReadSnapshot and WriteGrouped (whose functions run on the group's
// goroutine, but with the caller's context), and through the few direct uses
// of the connection pools — adds one. Transaction control (BEGIN, COMMIT,
// the savepoints of group commit) and the statement cache's background
// PREPAREs are not counted: they are not statements the request's code
// chose. Without a counter in the context counting costs one nil check per
// statement and one context lookup per transaction.

// StatementCounter counts the statements run for one context. It is safe
// for concurrent use: a request may read on several goroutines.
type StatementCounter struct{ n atomic.Int64 }

// Count returns how many statements have been counted.
func (c *StatementCounter) Count() int64 { return c.n.Load() }

// add counts one statement; a nil counter counts nothing.
func (c *StatementCounter) add() {
	if c != nil {
		c.n.Add(1)
	}
}

type counterKey struct{}

// WithStatementCounter returns a context that counts the store's statements
// run for it (and for contexts derived from it) in the returned counter.
func WithStatementCounter(ctx context.Context) (context.Context, *StatementCounter) {
	c := &StatementCounter{}
	return context.WithValue(ctx, counterKey{}, c), c
}

// statementCounter returns the context's counter, or nil when it has none.
func statementCounter(ctx context.Context) *StatementCounter {
	c, _ := ctx.Value(counterKey{}).(*StatementCounter)
	return c
}
