package store

import (
	"context"
	"database/sql"
	"strings"
	"sync"
)

// A statement cache for SQLite. The SQLite driver parses and plans a query
// on every call unless it is prepared; for Samordna's short transactions
// that parsing was over a third of the server's CPU time. stmtCache keeps
// one prepared statement per query text and connection pool; a transaction
// uses it through sql.Tx.StmtContext, which reuses the statement already
// prepared on the transaction's connection (database/sql prepares it there
// once and remembers it). PostgreSQL needs none: pgx caches prepared
// statements per connection itself.
//
// A statement is prepared in the background the first time its text is
// seen, and used from then on: preparing on the pool needs a free
// connection, and the writer pool has exactly one, held by the very
// transaction asking.
type stmtCache struct {
	pool    *sql.DB
	mu      sync.Mutex
	stmts   map[string]*sql.Stmt
	pending map[string]bool
	closed  bool
}

// maxCachedStatements bounds the cache: Samordna's SQL is a fixed set of
// texts (a few hundred with the variants its builders make); beyond the
// bound queries simply run unprepared.
const maxCachedStatements = 2000

func newStmtCache(pool *sql.DB) *stmtCache {
	return &stmtCache{pool: pool, stmts: map[string]*sql.Stmt{}, pending: map[string]bool{}}
}

// get returns the prepared statement for query, or nil when it is not (yet)
// prepared; in that case it starts preparing it. Texts holding several
// statements are never cached.
func (c *stmtCache) get(query string) *sql.Stmt {
	if c == nil || strings.Contains(query, ";") {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if st := c.stmts[query]; st != nil {
		return st
	}
	if c.closed || c.pending[query] || len(c.stmts)+len(c.pending) >= maxCachedStatements {
		return nil
	}
	c.pending[query] = true
	go c.prepare(query)
	return nil
}

// prepare prepares query on the pool and stores it. A query that fails to
// prepare stays uncached (and pending, so it is not tried again): running
// it unprepared reports its error where it is used.
func (c *stmtCache) prepare(query string) {
	st, err := c.pool.PrepareContext(context.Background(), query)
	if err != nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		_ = st.Close()
		return
	}
	delete(c.pending, query)
	c.stmts[query] = st
}

// close closes every cached statement; later gets return nil.
func (c *stmtCache) close() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	for _, st := range c.stmts {
		_ = st.Close()
	}
	c.stmts = nil
}
