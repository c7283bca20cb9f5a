package bench

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/samordna/samordna/store"
)

// LoadStats says how long each table took to load.
type LoadStats struct {
	Dialect string             `json:"db"`
	Rows    map[string]int64   `json:"rows"`
	Seconds float64            `json:"seconds"` // the whole load: migrate, rows, indexes, analyze
	Tables  map[string]float64 `json:"table_seconds"`
}

// sink writes many rows of one table fast.
type sink interface {
	load(ctx context.Context, t table) (int64, error)
	dropIndexes(ctx context.Context, tableName string) ([]string, error)
	exec(ctx context.Context, sql string) error
	close() error
}

// Load migrates the database named by dsn (which must be empty) and fills
// it with the generated world: bulk paths, secondary indexes dropped during
// the load and rebuilt after it (from the migrations' own definitions),
// then ANALYZE. The audit head is set to the last generated row, so the
// server continues the chain. progress, when set, gets a line per table.
func Load(ctx context.Context, dsn string, w *world, passwordHash string, progress io.Writer) (*LoadStats, error) {
	start := time.Now()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	dialect := db.Dialect()
	db.Close()
	var s sink
	if dialect == store.Postgres {
		s, err = openPGSink(ctx, dsn)
	} else {
		s, err = openSQLiteSink(dsn)
	}
	if err != nil {
		return nil, err
	}
	defer s.close()
	stats := &LoadStats{Dialect: string(dialect), Rows: map[string]int64{}, Tables: map[string]float64{}}
	var indexes []string
	for _, t := range w.tables(passwordHash) {
		t0 := time.Now()
		idx, err := s.dropIndexes(ctx, t.name)
		if err != nil {
			return nil, err
		}
		indexes = append(indexes, idx...)
		n, err := s.load(ctx, t)
		if err != nil {
			return nil, fmt.Errorf("load %s: %w", t.name, err)
		}
		stats.Rows[t.name] = n
		stats.Tables[t.name] = time.Since(t0).Seconds()
		if progress != nil {
			fmt.Fprintf(progress, "  %-22s %10d rows %8.1f s\n", t.name, n, time.Since(t0).Seconds())
		}
	}
	t0 := time.Now()
	for _, ddl := range indexes {
		if err := s.exec(ctx, ddl); err != nil {
			return nil, fmt.Errorf("rebuild index: %w", err)
		}
	}
	stats.Tables["(indexes)"] = time.Since(t0).Seconds()
	if err := s.exec(ctx, fmt.Sprintf(`UPDATE audit_head SET seq = %d, hash = '%s', keyed_from = 1, key_id = '%s' WHERE id = 1`,
		w.spec.AuditRows, w.auditHead, w.auditKey.ID())); err != nil {
		return nil, err
	}
	t0 = time.Now()
	if err := s.exec(ctx, "ANALYZE"); err != nil {
		return nil, err
	}
	stats.Tables["(analyze)"] = time.Since(t0).Seconds()
	if dialect == store.Postgres {
		// Mark the loaded pages all-visible, as autovacuum does on a live
		// database, so index-only scans are planned as in production. The
		// append-only audit trail is left out: no per-user query reads it
		// through an index-only scan, and vacuuming 30M fresh rows takes minutes.
		t0 = time.Now()
		for _, t := range w.tables(passwordHash) {
			if t.name == "audit_events" {
				continue
			}
			if err := s.exec(ctx, "VACUUM "+t.name); err != nil {
				return nil, fmt.Errorf("vacuum %s: %w", t.name, err)
			}
		}
		stats.Tables["(vacuum)"] = time.Since(t0).Seconds()
	}
	if progress != nil {
		fmt.Fprintf(progress, "  %-22s %19.1f s\n  %-22s %19.1f s\n", "(indexes)", stats.Tables["(indexes)"],
			"(analyze)", stats.Tables["(analyze)"])
	}
	if err := s.close(); err != nil {
		return nil, err
	}
	stats.Seconds = time.Since(start).Seconds()
	return stats, nil
}

// sqliteSink loads through one connection with the journal and fsync off
// (a fresh file: if the load fails, the file is thrown away), in large
// transactions of multi-row INSERTs. close turns WAL back on.
type sqliteSink struct {
	db *sql.DB
}

func openSQLiteSink(path string) (*sqliteSink, error) {
	u := "file:" + (&url.URL{Path: path}).EscapedPath() + "?_pragma=journal_mode(OFF)&_pragma=synchronous(OFF)" +
		"&_pragma=cache_size(-1000000)&_pragma=temp_store(MEMORY)&_pragma=foreign_keys(0)" +
		"&_pragma=threads(2)&_pragma=analysis_limit(2000)"
	db, err := sql.Open("sqlite", u)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return &sqliteSink{db: db}, nil
}

func (s *sqliteSink) exec(ctx context.Context, q string) error {
	_, err := s.db.ExecContext(ctx, q)
	return err
}

func (s *sqliteSink) dropIndexes(ctx context.Context, name string) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = $1
		AND sql IS NOT NULL`, name)
	if err != nil {
		return nil, err
	}
	names, ddl, err := indexDefinitions(rows)
	rows.Close()
	if err != nil {
		return nil, err
	}
	return ddl, dropAll(ctx, s, names)
}

// sqliteBatch rows go into one INSERT statement; sqliteTxRows into one
// transaction.
const (
	sqliteBatch  = 200
	sqliteTxRows = 100_000
)

func (s *sqliteSink) load(ctx context.Context, t table) (int64, error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	insert := func(n int) string {
		var b strings.Builder
		b.WriteString("INSERT INTO " + t.name + " (" + strings.Join(t.cols, ", ") + ") VALUES ")
		// Anonymous "?" placeholders: SQLite looks a numbered one up by
		// name in a linear list, which makes a statement with thousands of
		// "$n" quadratic to bind.
		for i := range n {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteByte('(')
			for j := range t.cols {
				if j > 0 {
					b.WriteByte(',')
				}
				b.WriteByte('?')
			}
			b.WriteByte(')')
		}
		return b.String()
	}
	full, err := conn.PrepareContext(ctx, insert(sqliteBatch))
	if err != nil {
		return 0, err
	}
	defer full.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN"); err != nil {
		return 0, err
	}
	args := make([]any, 0, sqliteBatch*len(t.cols))
	var total int64
	flush := func() error {
		if len(args) == 0 {
			return nil
		}
		var err error
		if len(args) == cap(args) {
			_, err = full.ExecContext(ctx, args...)
		} else {
			_, err = conn.ExecContext(ctx, insert(len(args)/len(t.cols)), args...)
		}
		args = args[:0]
		return err
	}
	batches, wait, cancel := pipe(ctx, t, sqliteBatch)
	defer cancel()
	for batch := range batches {
		if err != nil {
			continue
		}
		for _, row := range batch {
			args = append(args, row...)
		}
		total += int64(len(batch))
		if err = flush(); err == nil && total%sqliteTxRows < sqliteBatch {
			if _, err = conn.ExecContext(ctx, "COMMIT"); err == nil {
				_, err = conn.ExecContext(ctx, "BEGIN")
			}
		}
		if err != nil {
			cancel()
		}
	}
	if gerr := wait(); err == nil {
		err = gerr
	}
	if err != nil {
		_, _ = conn.ExecContext(ctx, "ROLLBACK")
		return total, err
	}
	_, err = conn.ExecContext(ctx, "COMMIT")
	return total, err
}

func (s *sqliteSink) close() error {
	if s.db == nil {
		return nil
	}
	_, err := s.db.Exec("PRAGMA journal_mode=WAL")
	if cerr := s.db.Close(); err == nil {
		err = cerr
	}
	s.db = nil
	return err
}

// pgSink loads with COPY over a pgx connection, with foreign-key triggers
// off for the session (session_replication_role = replica; the generator
// keeps the references consistent itself).
type pgSink struct {
	conn *pgx.Conn
}

func openPGSink(ctx context.Context, dsn string) (*pgSink, error) {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return nil, err
	}
	for _, q := range []string{"SET session_replication_role = replica", "SET maintenance_work_mem = '512MB'",
		"SET synchronous_commit = off"} {
		if _, err := conn.Exec(ctx, q); err != nil {
			conn.Close(ctx)
			return nil, err
		}
	}
	return &pgSink{conn: conn}, nil
}

func (s *pgSink) exec(ctx context.Context, q string) error {
	_, err := s.conn.Exec(ctx, q)
	return err
}

func (s *pgSink) dropIndexes(ctx context.Context, name string) ([]string, error) {
	rows, err := s.conn.Query(ctx, `SELECT indexname, indexdef FROM pg_indexes
		WHERE schemaname = current_schema() AND tablename = $1
		  AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = $1::regclass)`, name)
	if err != nil {
		return nil, err
	}
	names, ddl, err := indexDefinitions(rows)
	rows.Close()
	if err != nil {
		return nil, err
	}
	return ddl, dropAll(ctx, s, names)
}

// indexDefinitions reads (name, CREATE INDEX statement) rows, from either
// database's catalogue.
func indexDefinitions(rows interface {
	Next() bool
	Scan(...any) error
	Err() error
}) (names, ddl []string, err error) {
	for rows.Next() {
		var n, d string
		if err := rows.Scan(&n, &d); err != nil {
			return nil, nil, err
		}
		names, ddl = append(names, n), append(ddl, d)
	}
	return names, ddl, rows.Err()
}

// dropAll drops the named indexes; the loader rebuilds them after the rows.
func dropAll(ctx context.Context, s sink, names []string) error {
	for _, n := range names {
		if err := s.exec(ctx, `DROP INDEX "`+n+`"`); err != nil {
			return err
		}
	}
	return nil
}

func (s *pgSink) load(ctx context.Context, t table) (int64, error) {
	batches, wait, cancel := pipe(ctx, t, 1000)
	n, err := s.conn.CopyFrom(ctx, pgx.Identifier{t.name}, t.cols, &chanSource{batches: batches, i: -1})
	if err != nil {
		cancel()
	}
	if gerr := wait(); err == nil && gerr != nil {
		err = gerr
	}
	cancel()
	return n, err
}

func (s *pgSink) close() error {
	if s.conn == nil {
		return nil
	}
	err := s.conn.Close(context.Background())
	s.conn = nil
	return err
}

// pipe runs the table's generator in its own goroutine and hands its rows
// over in batches, so generating (and hashing) runs on one core while the
// database writes on the other. Drain the channel, then call wait.
func pipe(ctx context.Context, t table, size int) (<-chan [][]any, func() error, context.CancelFunc) {
	out := make(chan [][]any, 8)
	errc := make(chan error, 1)
	gctx, cancel := context.WithCancel(ctx)
	go func() {
		defer close(out)
		batch := make([][]any, 0, size)
		send := func() error {
			select {
			case out <- batch:
				batch = make([][]any, 0, size)
				return nil
			case <-gctx.Done():
				return gctx.Err()
			}
		}
		err := t.rows(func(row ...any) error {
			// Every call site passes its values as a fresh argument list
			// (y(a, b, c)), so the slice is this row's own.
			batch = append(batch, row)
			if len(batch) == size {
				return send()
			}
			return nil
		})
		if err == nil && len(batch) > 0 {
			err = send()
		}
		errc <- err
	}()
	wait := func() error {
		for range out {
		}
		return <-errc
	}
	return out, wait, cancel
}

// chanSource feeds COPY from pipe's batches.
type chanSource struct {
	batches <-chan [][]any
	cur     [][]any
	i       int
}

func (c *chanSource) Next() bool {
	c.i++
	for c.i >= len(c.cur) {
		b, ok := <-c.batches
		if !ok {
			return false
		}
		c.cur, c.i = b, 0
	}
	return true
}
func (c *chanSource) Values() ([]any, error) { return c.cur[c.i], nil }
func (c *chanSource) Err() error             { return nil }
