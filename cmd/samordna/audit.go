package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/samordna/samordna/store"
)

// The audit trail's key and checkpoints live outside the database. With a
// SQLite file and no configuration they sit beside it (FILE.audit-key and
// the folder FILE.audit-checkpoints), made on first use, so `samordna audit
// verify --db FILE` finds them. PostgreSQL needs them configured
// (--audit-key / SAMORDNA_AUDIT_KEY_FILE, --audit-checkpoints /
// SAMORDNA_AUDIT_CHECKPOINTS); without a key the server refuses to start.
// user, token and routine read them from the environment only.

const (
	envAuditKey         = "SAMORDNA_AUDIT_KEY_FILE"
	envAuditCheckpoints = "SAMORDNA_AUDIT_CHECKPOINTS"
	// defaultCheckpointEvery is how often serve writes a checkpoint when
	// the trail has grown: the window in which a truncation goes unseen.
	defaultCheckpointEvery = time.Minute
)

// auditFlags are the audit key file and checkpoint folder flags.
type auditFlags struct {
	keyFile, checkpoints *string
}

func (m *Main) addAuditFlags(fs *flag.FlagSet) auditFlags {
	return auditFlags{
		keyFile: fs.String("audit-key", m.env(envAuditKey, ""),
			"file holding the audit trail's key (env "+envAuditKey+"); for a SQLite file the default is FILE.audit-key beside it"),
		checkpoints: fs.String("audit-checkpoints", m.env(envAuditCheckpoints, ""),
			"folder for the signed checkpoints of the audit trail (env "+envAuditCheckpoints+"); for a SQLite file the default is FILE.audit-checkpoints beside it"),
	}
}

// checkpointEveryFlag adds the checkpoint interval of serve and demo.
func (m *Main) checkpointEveryFlag(fs *flag.FlagSet) *time.Duration {
	every := defaultCheckpointEvery
	if v, err := time.ParseDuration(m.env("SAMORDNA_AUDIT_CHECKPOINT_EVERY", "")); err == nil && v > 0 {
		every = v
	}
	return fs.Duration("audit-checkpoint-every", every,
		"how often to checkpoint the audit trail when it has grown (env SAMORDNA_AUDIT_CHECKPOINT_EVERY)")
}

// envAuditFlags takes the audit settings from the environment (for the
// commands without the flags).
func (m *Main) envAuditFlags() auditFlags {
	key, dir := m.env(envAuditKey, ""), m.env(envAuditCheckpoints, "")
	return auditFlags{keyFile: &key, checkpoints: &dir}
}

// auditSetup is where a database's audit key and checkpoints are.
type auditSetup struct {
	keyFile       string
	defaultKey    bool // keyFile is the SQLite default beside the database
	checkpointDir string
	key           *store.AuditKey
}

// auditPaths resolves the key file and checkpoint folder for dsn.
func auditPaths(dsn string, f auditFlags) auditSetup {
	s := auditSetup{keyFile: *f.keyFile, checkpointDir: *f.checkpoints}
	if !store.IsPostgresDSN(dsn) {
		if s.keyFile == "" {
			s.keyFile, s.defaultKey = dsn+".audit-key", true
		}
		if s.checkpointDir == "" {
			s.checkpointDir = dsn + ".audit-checkpoints"
		}
	}
	return s
}

// loadAuditKey reads the key of s. A missing key is made only when it is the
// SQLite default and the trail has no keyed row yet (create), so a lost key
// is never silently replaced by a new one.
func loadAuditKey(s *auditSetup, create bool) error {
	if s.keyFile == "" {
		return errors.New("no audit key: a PostgreSQL database needs one; make it with " +
			"`samordna audit key --out FILE` and give it with --audit-key or " + envAuditKey)
	}
	k, err := store.LoadAuditKeyFile(s.keyFile)
	if err == nil || !errors.Is(err, os.ErrNotExist) || !s.defaultKey || !create {
		s.key = k
		return err
	}
	if k, err = store.NewAuditKey(); err != nil {
		return err
	}
	if err := store.WriteAuditKeyFile(s.keyFile, k); err != nil {
		return err
	}
	s.key = k
	return nil
}

// openAudited opens and migrates the database and sets its audit key,
// refusing a key other than the one the trail is written with.
func (m *Main) openAudited(ctx context.Context, dsn string, f auditFlags) (*store.DB, *auditSetup, error) {
	s := auditPaths(dsn, f)
	if s.keyFile == "" {
		return nil, nil, loadAuditKey(&s, false) // says that PostgreSQL needs a key, before touching it
	}
	db, err := m.openDB(ctx, dsn)
	if err != nil {
		return nil, nil, err
	}
	err = func() error {
		var chainKey string
		if err := db.Read(ctx, func(tx *store.Tx) (err error) {
			chainKey, err = store.AuditChainKeyID(tx)
			return err
		}); err != nil {
			return err
		}
		if err := loadAuditKey(&s, chainKey == ""); err != nil {
			if errors.Is(err, os.ErrNotExist) && chainKey != "" {
				return fmt.Errorf("the audit trail is keyed with key %s, but its key file %s is missing; "+
					"give it with --audit-key or %s", chainKey, s.keyFile, envAuditKey)
			}
			return err
		}
		if chainKey != "" && chainKey != s.key.ID() {
			return &store.KeyMismatchError{Chain: chainKey, Given: s.key.ID()}
		}
		db.SetAuditKey(s.key)
		return nil
	}()
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return db, &s, nil
}

// checkpointer writes checkpoints of one database's audit trail: in the log
// always, and as files when there is a checkpoint folder. It writes one
// only after checking that the trail still holds what the previous one saw,
// so a checkpoint never blesses a truncated or rewritten trail.
type checkpointer struct {
	db   *store.DB
	s    *auditSetup
	log  *slog.Logger
	prev *store.Checkpoint // the newest checkpoint known to hold; nil: none
}

// newCheckpointer starts from the checkpoint in the folder that saw the
// most rows, unless supersede (a restore or a fresh demo: the trail went
// back on purpose). A folder it cannot trust is logged and not started from.
func newCheckpointer(db *store.DB, s *auditSetup, log *slog.Logger, supersede bool) *checkpointer {
	c := &checkpointer{db: db, s: s, log: log}
	if supersede || s.checkpointDir == "" {
		return c
	}
	cps, err := store.LoadCheckpoints(s.checkpointDir)
	if err == nil {
		c.prev, err = store.HighestCheckpoint(s.key, cps)
	}
	if err != nil {
		log.Error("audit checkpoints: run samordna audit verify", "err", err)
	}
	return c
}

// write records the head now, or returns why the trail no longer matches
// the previous checkpoint (an *store.AuditProblem) and records nothing.
func (c *checkpointer) write(ctx context.Context, reason string) error {
	var cp store.Checkpoint
	err := c.db.Read(ctx, func(tx *store.Tx) (err error) {
		if c.prev != nil {
			if err := store.CheckAgainstCheckpoint(tx, c.prev); err != nil {
				return err
			}
		}
		cp, err = store.AuditCheckpoint(tx, time.Now(), reason)
		return err
	})
	if err != nil {
		return fmt.Errorf("audit checkpoint: %w", err)
	}
	c.log.Info("audit checkpoint", "seq", cp.Seq, "hash", cp.Hash, "keyed_from", cp.KeyedFrom,
		"key_id", cp.KeyID, "reason", cp.Reason, "at", cp.At, "mac", cp.MAC)
	if c.s.checkpointDir != "" {
		if _, err := store.WriteCheckpoint(c.s.checkpointDir, cp); err != nil {
			return err
		}
	}
	c.prev = &cp
	return nil
}

// startCheckpoints writes a checkpoint now (reason start, or reset for a
// fresh demo), then every interval when the trail has grown, and a last one
// when the returned stop is called (at shutdown, after the last request). A
// trail that no longer matches is logged as an error at each try; the
// server keeps serving.
func startCheckpoints(ctx context.Context, db *store.DB, s *auditSetup, every time.Duration, start string,
	log *slog.Logger) (func(), error) {
	if every <= 0 {
		return nil, usageError("--audit-checkpoint-every must be positive")
	}
	c := newCheckpointer(db, s, log, start == store.CheckpointReset)
	if err := c.write(ctx, start); err != nil {
		log.Error("audit trail does not match its checkpoint: run samordna audit verify", "err", err)
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		var seen int64 = -1
		if c.prev != nil {
			seen = c.prev.Seq
		}
		for {
			select {
			case <-done:
				return
			case <-t.C:
			}
			var seq int64
			err := db.Read(context.Background(), func(tx *store.Tx) error {
				return tx.QueryRow(`SELECT seq FROM audit_head WHERE id = 1`).Scan(&seq)
			})
			if err != nil || seq == seen {
				continue
			}
			seen = seq
			if err := c.write(context.Background(), store.CheckpointInterval); err != nil {
				log.Error("audit trail does not match its checkpoint: run samordna audit verify", "err", err)
			}
		}
	}()
	return func() {
		close(done)
		wg.Wait()
		if err := c.write(context.Background(), store.CheckpointShutdown); err != nil {
			log.Error("audit checkpoint at shutdown", "err", err)
		}
	}, nil
}

const auditUsage = `Usage: samordna audit <verify|key> [flags]

  verify  walks the keyed, hash-chained audit trail from the first row to
          the last and holds it against the newest signed checkpoint. Exits
          non-zero and names the first bad row when a row was edited,
          removed, reordered, recomputed without the key, or the newest rows
          were removed and the head set back (truncated).
  key     --out FILE: makes a new audit key (never overwrites a file). Keep
          it outside the database, readable only by the server.

For a SQLite file the key (FILE.audit-key) and the checkpoints
(FILE.audit-checkpoints) are found beside it; for PostgreSQL give them with
--audit-key / ` + envAuditKey + ` and --audit-checkpoints /
` + envAuditCheckpoints + ` (user, token and routine read the environment).`

// auditSubcommands are the subcommands of "samordna audit".
var auditSubcommands = []string{"verify", "key"}

func (m *Main) runAudit(ctx context.Context, args []string) error {
	fs := m.newFlagSet("audit", auditUsage)
	m.dbFlag(fs) // shown by "audit --help": verify takes it
	sub, err := m.subcommand(fs, auditSubcommands, args)
	if err != nil {
		return err
	}
	if sub == "key" {
		return m.runAuditKey(args[1:])
	}
	return m.runAuditVerify(ctx, args[1:])
}

func (m *Main) runAuditKey(args []string) error {
	fs := m.newFlagSet("audit key", auditUsage)
	out := fs.String("out", "", "the file to write the new key to")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usageError("audit key: --out is required")
	}
	k, err := store.NewAuditKey()
	if err != nil {
		return err
	}
	if err := store.WriteAuditKeyFile(*out, k); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "wrote audit key %s to %s\n", k.ID(), *out)
	return nil
}

func (m *Main) runAuditVerify(ctx context.Context, args []string) error {
	fs := m.newFlagSet("audit verify", auditUsage)
	dsn := m.dbFlag(fs)
	f := m.addAuditFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := mustExist(*dsn); err != nil {
		return err
	}
	db, err := openStore(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	s := auditPaths(*dsn, f)
	if s.keyFile != "" {
		if err := loadAuditKey(&s, false); err != nil && !(s.defaultKey && errors.Is(err, os.ErrNotExist)) {
			return err
		}
		db.SetAuditKey(s.key)
	}
	var cps []store.Checkpoint
	if s.checkpointDir != "" {
		if cps, err = store.LoadCheckpoints(s.checkpointDir); err != nil {
			return m.auditBroken(err)
		}
	}
	var r *store.AuditReport
	err = db.ReadSnapshot(ctx, func(tx *store.Tx) (err error) {
		r, err = store.VerifyAuditAgainst(tx, cps)
		return err
	})
	var problem *store.AuditProblem
	if s.key == nil && errors.As(err, &problem) && problem.Kind == store.ProblemKey {
		// Not a broken trail: one this command cannot check without its key.
		return fmt.Errorf("the audit trail is keyed: give its key with --audit-key or %s", envAuditKey)
	}
	if err != nil {
		return m.auditBroken(err)
	}
	m.printAuditReport(r, true)
	return nil
}

// auditBroken prints a broken trail and turns it into exit code 1.
func (m *Main) auditBroken(err error) error {
	var problem *store.AuditProblem
	if !errors.As(err, &problem) {
		return err
	}
	fmt.Fprintf(m.Stdout, "audit trail BROKEN at row %d (%s): %s\n", problem.Seq, problem.Kind, problem.Reason)
	return &exitError{code: 1, err: problem}
}

// printAuditReport prints what a verification found; checkpoints says
// whether it held the trail against them (restore does not: a backup is
// older than the newest checkpoint by nature).
func (m *Main) printAuditReport(r *store.AuditReport, checkpoints bool) {
	fmt.Fprintf(m.Stdout, "audit trail OK: %d rows verified", r.Rows)
	if n := r.Unkeyed(); n > 0 {
		fmt.Fprintf(m.Stdout, " (rows 1–%d carry the unkeyed hash of before the chain was keyed)", n)
	}
	fmt.Fprintln(m.Stdout)
	if r.KeyID != "" {
		fmt.Fprintf(m.Stdout, "key %s\n", r.KeyID)
	}
	if cp := r.Checkpoint; cp != nil {
		fmt.Fprintf(m.Stdout, "newest checkpoint %s (%s) at row %d: matches\n", cp.At.Format(time.RFC3339), cp.Reason, cp.Seq)
	} else if checkpoints {
		fmt.Fprintln(m.Stdout, "WARNING: no checkpoint found: removal of the newest rows cannot be detected")
	}
}
