// Package store persists Samordna's data in SQLite (the embedded default) or
// PostgreSQL (production), with one set of portable SQL for both.
//
// Writes go through DB.Write, reads through DB.Read; each runs one
// transaction. On SQLite there is exactly one writer connection (BEGIN
// IMMEDIATE, synchronous=FULL) and a pool of readers on the WAL; on
// PostgreSQL both use the same pool.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver "pgx"
	_ "modernc.org/sqlite"             // SQLite driver "sqlite"
)

// Dialect names the SQL database behind a DB.
type Dialect string

// The two supported dialects.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is an open Samordna database.
type DB struct {
	dialect Dialect
	write   *sql.DB
	read    *sql.DB
	// writeStmts and readStmts cache prepared statements on SQLite (nil on
	// PostgreSQL); see stmtcache.go.
	writeStmts, readStmts *stmtCache
	// beforeCommit, when set, runs inside every write transaction just before
	// commit. Tests use it to inject faults.
	beforeCommit func(*Tx) error
	// auditKey keys the audit chain; see auditkey.go.
	auditKey *AuditKey
	// pgURL is the PostgreSQL URL as given ("" for SQLite), for pg_dump.
	pgURL string
}

// IsPostgresDSN reports whether dsn names a PostgreSQL database.
func IsPostgresDSN(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open opens the database named by dsn: a postgres:// URL or a SQLite file
// path. It does not migrate; call Migrate.
func Open(ctx context.Context, dsn string) (*DB, error) {
	var db *DB
	var err error
	if IsPostgresDSN(dsn) {
		db, err = openPostgres(dsn)
	} else {
		db, err = openSQLite(dsn)
	}
	if err != nil {
		return nil, err
	}
	if err := db.Ping(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func openPostgres(given string) (*DB, error) {
	dsn, err := withoutJIT(given)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	pool, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	pool.SetMaxOpenConns(20)
	pool.SetMaxIdleConns(20)
	pool.SetConnMaxIdleTime(5 * time.Minute)
	return &DB{dialect: Postgres, write: pool, read: pool, pgURL: given}, nil
}

// withoutJIT turns PostgreSQL's JIT compilation off for Samordna's
// sessions unless the URL sets jit itself: the workload is short indexed
// queries, for which compiling a plan costs tens of milliseconds and saves
// nothing.
func withoutJIT(dsn string) (string, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return "", err
	}
	q := u.Query()
	if q.Has("jit") {
		return dsn, nil
	}
	q.Set("jit", "off")
	u.RawQuery = q.Encode()
	return u.String(), nil
}

func openSQLite(path string) (*DB, error) {
	if path == "" || strings.Contains(path, "?") {
		return nil, fmt.Errorf("open sqlite: give a plain file path, not %q", path)
	}
	// cache_size: 64 MiB of pages per connection (SQLite's default is
	// 2 MiB). At national scale the database is ≈ 17 GB; with the default
	// most index pages of a per-user query came from the kernel through a
	// system call each. Nine connections: at most ≈ 0.6 GB.
	pragmas := "_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)" +
		"&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=cache_size(-65536)"
	u := "file:" + (&url.URL{Path: path}).EscapedPath()
	write, err := sql.Open("sqlite", u+"?"+pragmas+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	write.SetConnMaxIdleTime(0)
	read, err := sql.Open("sqlite", u+"?"+pragmas+"&_pragma=query_only(1)")
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	read.SetMaxOpenConns(8)
	read.SetMaxIdleConns(8)
	return &DB{dialect: SQLite, write: write, read: read,
		writeStmts: newStmtCache(write), readStmts: newStmtCache(read)}, nil
}

// Dialect reports which database this is.
func (db *DB) Dialect() Dialect { return db.dialect }

// Ping checks that the database answers (used by /readyz).
func (db *DB) Ping(ctx context.Context) error {
	if err := db.write.PingContext(ctx); err != nil {
		return fmt.Errorf("ping %s: %w", db.dialect, err)
	}
	if db.read != db.write {
		if err := db.read.PingContext(ctx); err != nil {
			return fmt.Errorf("ping %s readers: %w", db.dialect, err)
		}
	}
	return nil
}

// Close closes every connection.
func (db *DB) Close() error {
	db.writeStmts.close()
	db.readStmts.close()
	err := db.write.Close()
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	return err
}

// Stats returns the connection pool statistics (writer, reader) for metrics.
func (db *DB) Stats() (write, read sql.DBStats) {
	return db.write.Stats(), db.read.Stats()
}

// SetBeforeCommit installs a hook run before every write commit; a non-nil
// error from it rolls the transaction back. For fault-injection tests only.
func (db *DB) SetBeforeCommit(f func(*Tx) error) { db.beforeCommit = f }

// Write runs fn in a read-write transaction and commits it when fn returns
// nil. The commit is durable when Write returns.
func (db *DB) Write(ctx context.Context, fn func(*Tx) error) error {
	return db.run(ctx, db.write, false, sql.LevelDefault, fn)
}

// stmtsFor returns the statement cache of a pool (nil on PostgreSQL).
func (db *DB) stmtsFor(pool *sql.DB) *stmtCache {
	if pool == db.write {
		return db.writeStmts
	}
	return db.readStmts
}

// Read runs fn in a read-only transaction.
func (db *DB) Read(ctx context.Context, fn func(*Tx) error) error {
	return db.run(ctx, db.read, true, sql.LevelDefault, fn)
}

// ReadSnapshot runs fn in a read-only transaction whose statements all see
// one snapshot, even while others write: REPEATABLE READ on PostgreSQL
// (where a plain read transaction sees each statement's own snapshot); on
// SQLite every read transaction on the WAL is one already.
func (db *DB) ReadSnapshot(ctx context.Context, fn func(*Tx) error) error {
	level := sql.LevelDefault
	if db.dialect == Postgres {
		level = sql.LevelRepeatableRead
	}
	return db.run(ctx, db.read, true, level, fn)
}

func (db *DB) run(ctx context.Context, pool *sql.DB, readOnly bool, level sql.IsolationLevel, fn func(*Tx) error) error {
	opts := &sql.TxOptions{ReadOnly: readOnly && db.dialect == Postgres, Isolation: level}
	sqlTx, err := pool.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	tx := &Tx{ctx: ctx, tx: sqlTx, dialect: db.dialect, stmts: db.stmtsFor(pool), auditKey: db.auditKey,
		count: statementCounter(ctx)}
	committed := false
	defer func() {
		// Roll back on every way out but a commit: an error, a panic, or
		// runtime.Goexit (t.Fatal in a test), which would otherwise leave
		// the transaction open and its locks held.
		if !committed {
			_ = sqlTx.Rollback()
		}
	}()
	if err := fn(tx); err != nil {
		return err
	}
	if !readOnly && db.beforeCommit != nil {
		if err := db.beforeCommit(tx); err != nil {
			return err
		}
	}
	committed = true
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// Tx is one transaction. It carries its context so call sites stay short.
type Tx struct {
	ctx     context.Context
	tx      *sql.Tx
	dialect Dialect
	stmts   *stmtCache // nil: run every statement unprepared
	// auditKey is the DB's audit key (nil when none is set).
	auditKey *AuditKey
	// count counts the statements run (nil: not counting); see count.go.
	count *StatementCounter
}

// Dialect reports which database the transaction runs on.
func (tx *Tx) Dialect() Dialect { return tx.dialect }

// Context returns the transaction's context.
func (tx *Tx) Context() context.Context { return tx.ctx }

// Exec runs a statement. Times among args are stored in UTC.
func (tx *Tx) Exec(query string, args ...any) (sql.Result, error) {
	tx.count.add()
	if st := tx.prepared(query); st != nil {
		return st.ExecContext(tx.ctx, normalize(args)...)
	}
	return tx.tx.ExecContext(tx.ctx, query, normalize(args)...)
}

// Query runs a query returning rows.
func (tx *Tx) Query(query string, args ...any) (*sql.Rows, error) {
	tx.count.add()
	if st := tx.prepared(query); st != nil {
		return st.QueryContext(tx.ctx, normalize(args)...)
	}
	return tx.tx.QueryContext(tx.ctx, query, normalize(args)...)
}

// QueryRow runs a query returning at most one row.
func (tx *Tx) QueryRow(query string, args ...any) *sql.Row {
	tx.count.add()
	if st := tx.prepared(query); st != nil {
		return st.QueryRowContext(tx.ctx, normalize(args)...)
	}
	return tx.tx.QueryRowContext(tx.ctx, query, normalize(args)...)
}

// prepared returns the cached prepared statement for query bound to this
// transaction, or nil to run it unprepared.
func (tx *Tx) prepared(query string) *sql.Stmt {
	st := tx.stmts.get(query)
	if st == nil {
		return nil
	}
	return tx.tx.StmtContext(tx.ctx, st)
}

// normalize turns every time argument into UTC, so that SQLite's text
// timestamps compare correctly and both databases hold the same instants.
func normalize(args []any) []any {
	for i, a := range args {
		switch v := a.(type) {
		case time.Time:
			args[i] = v.UTC()
		case *time.Time:
			if v != nil {
				args[i] = v.UTC()
			}
		}
	}
	return args
}

// Pools returns the writer and reader connection pools (the same pool on
// PostgreSQL), for metrics.
func (db *DB) Pools() (write, read *sql.DB) { return db.write, db.read }

// HasTable reports whether the schema has the table (used to tell an empty
// database from one of ours).
func (db *DB) HasTable(ctx context.Context, name string) (bool, error) {
	q := `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = $1`
	if db.dialect == Postgres {
		q = `SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1`
	}
	var n int
	statementCounter(ctx).add()
	err := db.read.QueryRowContext(ctx, q, name).Scan(&n)
	return n > 0, err
}

// DropAll removes every table of the current PostgreSQL schema (the demo
// uses it to start afresh; it is refused for SQLite, where the file is
// removed instead).
func (db *DB) DropAll(ctx context.Context) error {
	if db.dialect != Postgres {
		return errors.New("drop all: only for PostgreSQL")
	}
	statementCounter(ctx).add()
	_, err := db.write.ExecContext(ctx, `DO $$ DECLARE r record; BEGIN
		FOR r IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema() LOOP
			EXECUTE 'DROP TABLE IF EXISTS ' || quote_ident(r.tablename) || ' CASCADE';
		END LOOP;
		DROP FUNCTION IF EXISTS audit_events_append_only() CASCADE;
	END $$`)
	return err
}

// Optimize keeps the query planner's statistics current. SQLite plans from
// the statistics ANALYZE gathers and never gathers them by itself; without
// them it can pick an index that walks a whole municipality where one on the
// employee would read a few rows. PRAGMA optimize analyses only the tables
// that need it, each with a bounded sample (analysis_limit), so it is cheap
// enough to run at start and every hour. PostgreSQL's autovacuum does this
// already: there it does nothing.
func (db *DB) Optimize(ctx context.Context) error {
	if db.dialect != SQLite {
		return nil
	}
	statementCounter(ctx).add()
	_, err := db.write.ExecContext(ctx, `PRAGMA analysis_limit = 1000; PRAGMA optimize = 0x10002`)
	if err != nil {
		return fmt.Errorf("optimize: %w", err)
	}
	return nil
}
