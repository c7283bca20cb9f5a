package bench

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/samordna/samordna/store"
)

// BenchmarkPrimaryKeyKind answers issue 17's "integer keys where they
// pay": the same task-shaped table once with Samordna's text keys (20
// random base32 characters, samordna.NewID) and once with an integer key,
// loaded with the same rows, on SQLite and (with TEST_PG_URL) PostgreSQL.
// It measures what a key can change: a point read by key, one page of an
// employee's open tasks through a secondary index (whose entries carry the
// key on PostgreSQL and the rowid on SQLite), and a single-row insert
// (random text keys land anywhere in the key's B-tree, integers at its
// end). Rows: SAMORDNA_KEYBENCH_ROWS, default 1,000,000 (the busiest table
// at national scale is of that order). Results are in docs/PERFORMANCE.md.
func BenchmarkPrimaryKeyKind(b *testing.B) {
	rows := 1_000_000
	if s := os.Getenv("SAMORDNA_KEYBENCH_ROWS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1000 {
			b.Fatalf("SAMORDNA_KEYBENCH_ROWS=%q: want a number ≥ 1000", s)
		}
		rows = n
	}
	dsns := map[string]string{"sqlite": filepath.Join(b.TempDir(), "keys.db")}
	if pg := os.Getenv("TEST_PG_URL"); pg != "" {
		dsns["postgres"] = pg
	}
	for _, name := range []string{"sqlite", "postgres"} {
		dsn, ok := dsns[name]
		if !ok {
			continue
		}
		b.Run(name, func(b *testing.B) { benchKeyKinds(b, dsn, rows) })
	}
}

// keyKind is one way to key the table.
type keyKind struct {
	name string          // the table's suffix
	key  func(n int) any // the n-th row's key
}

var keyKinds = []keyKind{
	{"text", func(n int) any { return genID(1, kindTask, n) }},
	{"integer", func(n int) any { return int64(n + 1) }},
}

// keyColumn is the id column's type: on SQLite only "INTEGER PRIMARY KEY"
// makes the key the rowid itself (one B-tree instead of two).
func keyColumn(d store.Dialect, k keyKind) string {
	switch {
	case k.name == "text":
		return "TEXT PRIMARY KEY"
	case d == store.SQLite:
		return "INTEGER PRIMARY KEY"
	default:
		return "BIGINT PRIMARY KEY"
	}
}

func benchKeyKinds(b *testing.B, dsn string, rows int) {
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	write, read := db.Pools()
	for _, k := range keyKinds {
		table := "keybench_" + k.name
		if err := loadKeyTable(ctx, write, table, keyColumn(db.Dialect(), k), k, rows); err != nil {
			b.Fatal(err)
		}
		defer write.ExecContext(ctx, "DROP TABLE "+table)
		b.Run(k.name+"/point_read", func(b *testing.B) {
			n := 0
			for b.Loop() {
				var status string
				n = (n + 7919) % rows
				if err := read.QueryRowContext(ctx, "SELECT status FROM "+table+" WHERE id = $1", k.key(n)).Scan(&status); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(k.name+"/open_tasks_page", func(b *testing.B) {
			n := 0
			for b.Loop() {
				n = (n + 1) % keyEmployees(rows)
				if err := countRows(ctx, read, "SELECT id, title, due_at FROM "+table+
					" WHERE employee_id = $1 AND status = 'open' ORDER BY due_at LIMIT 50", employeeID(n)); err != nil {
					b.Fatal(err)
				}
			}
		})
		n := rows // the next new row's number, across repeated runs
		b.Run(k.name+"/insert_one", func(b *testing.B) {
			for b.Loop() {
				if _, err := write.ExecContext(ctx, "INSERT INTO "+table+
					" (id, employee_id, status, due_at, title) VALUES ($1, $2, 'open', $3, 'Ny oppgave')",
					k.key(n), employeeID(n%keyEmployees(rows)), 1_800_000_000+n); err != nil {
					b.Fatal(err)
				}
				n++
			}
		})
	}
}

// keyEmployees is how many employees share the rows: about 200 tasks each.
func keyEmployees(rows int) int { return max(1, rows/200) }

func employeeID(n int) string { return genID(1, kindEmployee, n) }

// loadKeyTable creates table with its id column as given and fills it with rows task-shaped
// rows, 500 to a statement, in one transaction.
func loadKeyTable(ctx context.Context, db *sql.DB, table, column string, k keyKind, rows int) error {
	if _, err := db.ExecContext(ctx, "DROP TABLE IF EXISTS "+table); err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, fmt.Sprintf(`CREATE TABLE %s (id %s, employee_id TEXT NOT NULL,
		status TEXT NOT NULL, due_at BIGINT NOT NULL, title TEXT NOT NULL)`, table, column)); err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	const batch = 500
	for start := 0; start < rows; start += batch {
		end := min(rows, start+batch)
		var sb strings.Builder
		args := make([]any, 0, 5*(end-start))
		sb.WriteString("INSERT INTO " + table + " (id, employee_id, status, due_at, title) VALUES ")
		for n := start; n < end; n++ {
			if n > start {
				sb.WriteString(",")
			}
			p := len(args)
			fmt.Fprintf(&sb, "($%d,$%d,$%d,$%d,$%d)", p+1, p+2, p+3, p+4, p+5)
			status := "open"
			if n%5 != 0 { // four in five tasks are done, as in the country
				status = "done"
			}
			args = append(args, k.key(n), employeeID(n%keyEmployees(rows)), status, 1_700_000_000+(n*7919)%31_536_000,
				"Oppgave i saken")
		}
		if _, err := tx.ExecContext(ctx, sb.String(), args...); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, "CREATE INDEX "+table+"_open ON "+table+" (employee_id, status, due_at)"); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	_, err = db.ExecContext(ctx, "ANALYZE "+table)
	return err
}

// countRows runs q and reads every row it returns.
func countRows(ctx context.Context, db *sql.DB, q string, args ...any) error {
	rs, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rs.Close()
	for rs.Next() {
	}
	return rs.Err()
}
