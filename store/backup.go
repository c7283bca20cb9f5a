package store

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Backup and restore. A backup is one consistent instant of the database,
// taken while servers keep writing:
//   - SQLite: VACUUM INTO, which copies the database as one read
//     transaction sees it (WAL lets writers go on meanwhile);
//   - PostgreSQL: pg_dump (custom format) of the current schema, run inside
//     a snapshot this process exports and holds, so the row counts it
//     reports are exactly those in the dump.
// The audit key is never part of a backup: keep it apart, restore needs it.

// ErrNotEmpty is returned by Restore for a target that already holds tables.
var ErrNotEmpty = errors.New("the target database is not empty")

// TableCounts are the rows of each table, by table name.
type TableCounts map[string]int64

// tableNames lists the schema's tables, sorted.
func tableNames(tx *Tx) ([]string, error) {
	q := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`
	if tx.dialect == Postgres {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()
			AND table_type = 'BASE TABLE' ORDER BY table_name`
	}
	rows, err := tx.Query(q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		names = append(names, n)
	}
	return names, rows.Err()
}

// countTables counts every table's rows inside tx.
func countTables(tx *Tx) (TableCounts, error) {
	names, err := tableNames(tx)
	if err != nil {
		return nil, err
	}
	counts := TableCounts{}
	for _, n := range names {
		var c int64
		if err := tx.QueryRow(`SELECT COUNT(*) FROM "` + n + `"`).Scan(&c); err != nil {
			return nil, fmt.Errorf("count %s: %w", n, err)
		}
		counts[n] = c
	}
	return counts, nil
}

// TableCounts counts every table's rows at one instant.
func (db *DB) TableCounts(ctx context.Context) (TableCounts, error) {
	var counts TableCounts
	err := db.ReadSnapshot(ctx, func(tx *Tx) (err error) {
		counts, err = countTables(tx)
		return err
	})
	return counts, err
}

// Backup writes a consistent copy of the database to the new file out and
// returns the row counts of that copy. It refuses to overwrite a file.
func (db *DB) Backup(ctx context.Context, out string) (TableCounts, error) {
	if _, err := os.Lstat(out); err == nil {
		return nil, fmt.Errorf("backup: %s exists; give a new file", out)
	}
	tmp := filepath.Join(filepath.Dir(out), "."+filepath.Base(out)+".partial")
	os.Remove(tmp)
	var counts TableCounts
	var err error
	if db.dialect == Postgres {
		counts, err = db.pgDump(ctx, tmp)
	} else {
		counts, err = db.vacuumInto(ctx, tmp)
	}
	if err == nil {
		err = os.Rename(tmp, out)
	}
	if err != nil {
		os.Remove(tmp)
		return nil, fmt.Errorf("backup: %w", err)
	}
	return counts, nil
}

// vacuumInto copies the SQLite database to out and counts the copy.
func (db *DB) vacuumInto(ctx context.Context, out string) (TableCounts, error) {
	statementCounter(ctx).add()
	if _, err := db.write.ExecContext(ctx, `VACUUM INTO $1`, out); err != nil {
		return nil, err
	}
	copyDB, err := openSQLiteFile(out)
	if err != nil {
		return nil, err
	}
	defer copyDB.Close()
	return copyDB.TableCounts(ctx)
}

// openSQLiteFile opens a SQLite file read-only and without a WAL, as a
// backup is read (nothing is written beside it).
func openSQLiteFile(path string) (*DB, error) {
	u := "file:" + (&url.URL{Path: path}).EscapedPath() + "?mode=ro&_pragma=query_only(1)"
	pool, err := sql.Open("sqlite", u)
	if err != nil {
		return nil, err
	}
	pool.SetMaxOpenConns(1)
	return &DB{dialect: SQLite, write: pool, read: pool}, nil
}

// pgDump dumps the current schema with pg_dump inside a snapshot held by a
// REPEATABLE READ transaction here, which counts the rows of that snapshot.
func (db *DB) pgDump(ctx context.Context, out string) (TableCounts, error) {
	bin, err := pgTool("pg_dump")
	if err != nil {
		return nil, err
	}
	sqlTx, err := db.write.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer sqlTx.Rollback()
	tx := &Tx{ctx: ctx, tx: sqlTx, dialect: Postgres, count: statementCounter(ctx)}
	var snapshot, schema string
	if err := tx.QueryRow(`SELECT pg_export_snapshot(), current_schema()`).Scan(&snapshot, &schema); err != nil {
		return nil, err
	}
	counts, err := countTables(tx)
	if err != nil {
		return nil, err
	}
	conn, env, err := db.libpq()
	if err != nil {
		return nil, err
	}
	err = runTool(ctx, env, bin, "--format=custom", "--no-owner", "--no-privileges", "--snapshot="+snapshot,
		"--schema="+schema, "--file="+out, "--dbname="+conn)
	return counts, err
}

// Restore loads the backup in file into the database named by dsn. A target
// holding any table is refused with ErrNotEmpty unless force, which empties
// it first. For PostgreSQL the target's schema (the first of its
// search_path) must exist and have the backup's schema name; restore runs in
// one transaction. Open and migrate the database afterwards.
func Restore(ctx context.Context, dsn, file string, force bool) error {
	if _, err := os.Stat(file); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if IsPostgresDSN(dsn) {
		return restorePostgres(ctx, dsn, file, force)
	}
	return restoreSQLite(ctx, dsn, file, force)
}

// emptyOrForced checks db holds no table, or empties it when force.
func emptyOrForced(ctx context.Context, db *DB, force bool) error {
	var names []string
	if err := db.Read(ctx, func(tx *Tx) (err error) {
		names, err = tableNames(tx)
		return err
	}); err != nil {
		return err
	}
	if len(names) == 0 {
		return nil
	}
	if !force {
		return ErrNotEmpty
	}
	if db.dialect == Postgres {
		return db.DropAll(ctx)
	}
	return nil // the SQLite file is replaced whole
}

func restoreSQLite(ctx context.Context, path, file string, force bool) error {
	src, err := openSQLiteFile(file)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	var check string
	statementCounter(ctx).add()
	err = src.write.QueryRowContext(ctx, `PRAGMA quick_check`).Scan(&check)
	src.Close()
	if err != nil || check != "ok" {
		return fmt.Errorf("restore: %s is not a sound SQLite backup (%v %s)", file, err, check)
	}
	if _, err := os.Stat(path); err == nil {
		target, err := Open(ctx, path)
		if err != nil {
			return fmt.Errorf("restore: %w", err)
		}
		err = emptyOrForced(ctx, target, force)
		target.Close()
		if err != nil {
			return fmt.Errorf("restore: %w", err)
		}
	}
	tmp := path + ".restoring"
	if err := copyFile(file, tmp); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := os.Remove(path + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			os.Remove(tmp)
			return fmt.Errorf("restore: %w", err)
		}
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("restore: %w", err)
	}
	return nil
}

// copyFile copies src to the new file dst and syncs it.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(dst)
	}
	return err
}

func restorePostgres(ctx context.Context, dsn, file string, force bool) error {
	bin, err := pgTool("pg_restore")
	if err != nil {
		return err
	}
	db, err := Open(ctx, dsn)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer db.Close()
	var schema sql.NullString
	statementCounter(ctx).add()
	if err := db.write.QueryRowContext(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if !schema.Valid {
		return errors.New("restore: the target's schema (its search_path) does not exist; create it first")
	}
	if err := emptyOrForced(ctx, db, force); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	// The dump creates its schema; the target's exists, so that entry of
	// the table of contents is left out.
	toc, err := exec.CommandContext(ctx, bin, "--list", file).Output()
	if err != nil {
		return fmt.Errorf("restore: %s is not a pg_dump archive: %w", file, err)
	}
	list, dumped, err := withoutSchemaEntry(toc)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if dumped != schema.String {
		return fmt.Errorf("restore: the backup holds schema %q, the target's is %q: restore into a database "+
			"whose search_path names %q", dumped, schema.String, dumped)
	}
	listFile, err := os.CreateTemp("", "samordna-restore-*.list")
	if err != nil {
		return err
	}
	defer os.Remove(listFile.Name())
	if _, err := listFile.Write(list); err != nil {
		listFile.Close()
		return err
	}
	listFile.Close()
	conn, env, err := db.libpq()
	if err != nil {
		return err
	}
	err = runTool(ctx, env, bin, "--single-transaction", "--exit-on-error", "--no-owner", "--no-privileges",
		"--use-list="+listFile.Name(), "--dbname="+conn, file)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	return nil
}

// withoutSchemaEntry drops the SCHEMA entry from a pg_restore table of
// contents and returns the schema the archive's tables belong to.
func withoutSchemaEntry(toc []byte) ([]byte, string, error) {
	var out bytes.Buffer
	schema := ""
	sc := bufio.NewScanner(bytes.NewReader(toc))
	for sc.Scan() {
		line := sc.Text()
		// Entries read "id; catalog oid TYPE schema name owner".
		f := strings.Fields(line)
		if !strings.HasPrefix(line, ";") && len(f) >= 6 {
			switch f[3] {
			case "SCHEMA":
				continue
			case "TABLE":
				if schema == "" && f[4] != "DATA" {
					schema = f[4]
				}
			}
		}
		out.WriteString(line + "\n")
	}
	if schema == "" {
		return nil, "", errors.New("the backup holds no table")
	}
	return out.Bytes(), schema, sc.Err()
}

// pgTool finds a PostgreSQL client program, or says how to get it.
func pgTool(name string) (string, error) {
	bin, err := exec.LookPath(name)
	if err != nil {
		return "", fmt.Errorf("%s is not installed: backup and restore of PostgreSQL need the PostgreSQL client "+
			"programs of the server's version (Debian: apt install postgresql-client)", name)
	}
	return bin, nil
}

// libpq returns the database's URL for the PostgreSQL client programs,
// without the parameters only pgx knows and without the password, which
// goes in the environment (never on a command line others can see).
func (db *DB) libpq() (string, []string, error) {
	u, err := url.Parse(db.pgURL)
	if err != nil {
		return "", nil, err
	}
	q := u.Query()
	q.Del("search_path")
	q.Del("jit")
	u.RawQuery = q.Encode()
	env := os.Environ()
	if pw, ok := u.User.Password(); ok {
		env = append(env, "PGPASSWORD="+pw)
		u.User = url.User(u.User.Username())
	}
	return u.String(), env, nil
}

// runTool runs a client program; its error output explains a failure.
func runTool(ctx context.Context, env []string, bin string, args ...string) error {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w: %s", filepath.Base(bin), err, strings.TrimSpace(stderr.String()))
	}
	return nil
}
