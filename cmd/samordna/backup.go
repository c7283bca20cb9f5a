package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"text/tabwriter"

	"github.com/samordna/samordna/store"
)

const backupUsage = `Usage: samordna backup --db DSN --out FILE

Writes a consistent copy of the database to FILE (a new file) while servers
keep running, and prints the row counts of the copy. SQLite: VACUUM INTO.
PostgreSQL: pg_dump (custom format) of the current schema within one
snapshot; needs the PostgreSQL client programs. The audit key is not in the
backup: keep it apart; restore needs it.`

func (m *Main) runBackup(ctx context.Context, args []string) error {
	fs := m.newFlagSet("backup", backupUsage)
	dsn := m.dbFlag(fs)
	out := fs.String("out", "", "the backup file to write (must not exist)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usageError("backup: --out is required")
	}
	if err := mustExist(*dsn); err != nil {
		return err
	}
	db, err := openStore(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	counts, err := db.Backup(ctx, *out)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "backup of the %s database written to %s\n", db.Dialect(), *out)
	return m.printCounts(counts)
}

const restoreUsage = `Usage: samordna restore --from FILE --db DSN [--force]

Brings a backup made by "samordna backup" back into the database DSN, migrates
it, verifies its audit trail with the audit key and prints the row counts.
A database that already holds tables is refused unless --force, which
replaces it. PostgreSQL: the target's schema (its search_path) must exist and
have the backup's schema name; needs pg_restore.

With a SQLite target the key is looked for beside it (FILE.audit-key); a key
given with --audit-key is copied there, so serve finds it. A "restore"
checkpoint is written, after which older checkpoints no longer apply (the
trail went back to the backup's instant).`

func (m *Main) runRestore(ctx context.Context, args []string) error {
	fs := m.newFlagSet("restore", restoreUsage)
	dsn := m.dbFlag(fs)
	from := fs.String("from", "", "the backup file")
	force := fs.Bool("force", false, "replace a database that is not empty")
	af := m.addAuditFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *from == "" {
		return usageError("restore: --from is required")
	}
	s := auditPaths(*dsn, af)
	if err := loadAuditKey(&s, false); err != nil {
		return fmt.Errorf("restore needs the key the backup's audit trail was written with (--audit-key or %s): %w",
			envAuditKey, err)
	}
	if err := store.Restore(ctx, *dsn, *from, *force); err != nil {
		if errors.Is(err, store.ErrNotEmpty) {
			return fmt.Errorf("%w; give --force to replace it", err)
		}
		return err
	}
	db, err := m.openDB(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetAuditKey(s.key)
	var r *store.AuditReport
	err = db.ReadSnapshot(ctx, func(tx *store.Tx) (err error) {
		r, err = store.VerifyAuditAgainst(tx, nil)
		return err
	})
	if err != nil {
		fmt.Fprintf(m.Stdout, "restored %s into the %s database, but:\n", *from, db.Dialect())
		return m.auditBroken(err)
	}
	if err := m.keepRestoredKey(*dsn, &s); err != nil {
		return err
	}
	if err := newCheckpointer(db, &s, m.logger("warn"), true).write(ctx, store.CheckpointRestore); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "restored %s into the %s database\n", *from, db.Dialect())
	m.printAuditReport(r, false)
	counts, err := db.TableCounts(ctx)
	if err != nil {
		return err
	}
	return m.printCounts(counts)
}

// keepRestoredKey copies a key given for a SQLite target beside it when
// none is there, so serve and audit verify find it without flags.
func (m *Main) keepRestoredKey(dsn string, s *auditSetup) error {
	if store.IsPostgresDSN(dsn) || s.defaultKey {
		return nil
	}
	beside := dsn + ".audit-key"
	if _, err := os.Stat(beside); err == nil {
		return nil
	}
	return store.WriteAuditKeyFile(beside, s.key)
}

// printCounts prints "rows:" and a line per table: its name and row count.
func (m *Main) printCounts(counts store.TableCounts) error {
	names := make([]string, 0, len(counts))
	for n := range counts {
		names = append(names, n)
	}
	slices.Sort(names)
	fmt.Fprintln(m.Stdout, "rows:")
	tw := tabwriter.NewWriter(m.Stdout, 2, 4, 2, ' ', tabwriter.AlignRight)
	for _, n := range names {
		fmt.Fprintf(tw, "  %s\t%d\t\n", n, counts[n])
	}
	return tw.Flush()
}
