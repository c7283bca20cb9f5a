package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/store"
	"github.com/samordna/samordna/web"
)

// Server timeouts and limits: a slow or hostile client cannot hold
// connections open or send endless headers.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 60 * time.Second
	writeTimeout      = 120 * time.Second
	idleTimeout       = 120 * time.Second
	maxHeaderBytes    = 64 << 10
	// shutdownGrace is how long in-flight requests may run on SIGTERM.
	shutdownGrace = 30 * time.Second
	// mailEvery is how often the outbox is checked for e-mail to send
	// (an acute notice goes out within it).
	mailEvery = 15 * time.Second
)

const serveUsage = `Usage: samordna serve [flags]

Runs Samordna's web pages and JSON API. Migrates the database first.
Several serve processes can share one PostgreSQL database.`

// serveFlags are the flags serve and demo share.
type serveFlags struct {
	db, addr, baseURL, logLevel *string
	signIn                      signInFlags
	mail                        mailFlags
}

func (m *Main) addServeFlags(fs *flag.FlagSet) serveFlags {
	return serveFlags{
		signIn:   m.addSignInFlags(fs),
		addr:     fs.String("addr", m.env("SAMORDNA_ADDR", "127.0.0.1:8080"), "address to listen on (env SAMORDNA_ADDR)"),
		baseURL:  fs.String("base-url", m.env("SAMORDNA_BASE_URL", ""), "public address, e.g. https://samordna.kommune.no; https makes cookies Secure (env SAMORDNA_BASE_URL)"),
		logLevel: fs.String("log-level", m.env("SAMORDNA_LOG_LEVEL", "info"), "debug, info, warn or error (env SAMORDNA_LOG_LEVEL)"),
	}
}

func (m *Main) runServe(ctx context.Context, args []string) error {
	fs := m.newFlagSet("serve", serveUsage)
	db := m.dbFlag(fs)
	f := m.addServeFlags(fs)
	f.mail = m.addMailFlags(fs)
	af := m.addAuditFlags(fs)
	every := m.checkpointEveryFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	f.db = db
	log, err := m.flagLogger(*f.logLevel)
	if err != nil {
		return err
	}
	ln, err := listen(*f.addr) // before the database: a taken port leaves no new file behind
	if err != nil {
		return err
	}
	defer ln.Close()
	sdb, audit, err := m.openAudited(ctx, *f.db, af)
	if err != nil {
		return err
	}
	defer sdb.Close()
	a := app.New(sdb, nil, log)
	if a.AllowSynthetic, err = a.IsDemo(ctx); err != nil {
		return err
	}
	stop, err := startCheckpoints(ctx, sdb, audit, *every, store.CheckpointStart, log)
	if err != nil {
		return err
	}
	defer stop() // the last checkpoint, after the last request
	return m.serve(ctx, a, f, ln, nil)
}

// listen listens on addr, naming the address and the flag that changes it
// when it cannot (typically: another server has the port).
func listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("cannot listen on %s (choose another address with --addr or SAMORDNA_ADDR): %w", addr, err)
	}
	return ln, nil
}

// openDB opens and migrates the database.
func (m *Main) openDB(ctx context.Context, dsn string) (*store.DB, error) {
	db, err := openStore(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, dbError(dsn, fmt.Errorf("migrate: %w", err))
	}
	return db, nil
}

// openStore opens the database without migrating it; an error names the
// database (a postgres:// URL without its password).
func openStore(ctx context.Context, dsn string) (*store.DB, error) {
	if !store.IsPostgresDSN(dsn) {
		dir := filepath.Dir(dsn)
		if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("database %s: the folder %s does not exist", dsn, dir)
		}
	}
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, dbError(dsn, err)
	}
	return db, nil
}

// mustExist reports a SQLite file that does not exist, for commands that
// only read a database and must not create an empty one.
func mustExist(dsn string) error {
	if store.IsPostgresDSN(dsn) {
		return nil
	}
	if _, err := os.Stat(dsn); errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("database %s: no such file (give the SQLite file with --db or SAMORDNA_DB)", dsn)
	} else if err != nil {
		return dbError(dsn, err)
	}
	return nil
}

// dsnPassword finds a postgres:// URL's password: in the user part
// (group 1 is what comes before it) or as a password= parameter (group 2).
var dsnPassword = regexp.MustCompile(`^(postgres(?:ql)?://[^:@/?]*:)[^@/?]*@|([?&]password=)[^&]*`)

// dbError names the database in err's message, with the password of a
// postgres:// URL left out (also where the driver quotes a URL it cannot
// parse).
func dbError(dsn string, err error) error {
	shown := dsnPassword.ReplaceAllStringFunc(dsn, func(s string) string {
		m := dsnPassword.FindStringSubmatch(s)
		if m[1] != "" {
			return m[1] + "xxxxx@"
		}
		return m[2] + "xxxxx"
	})
	if shown == dsn {
		return fmt.Errorf("database %s: %w", dsn, err)
	}
	return fmt.Errorf("database %s: %s", shown, strings.ReplaceAll(err.Error(), dsn, shown))
}

// logLevels are the values --log-level takes.
var logLevels = map[string]slog.Level{"debug": slog.LevelDebug, "info": slog.LevelInfo,
	"warn": slog.LevelWarn, "error": slog.LevelError}

// flagLogger returns the JSON logger at the level --log-level names, or a
// usage error for a level it does not know.
func (m *Main) flagLogger(level string) (*slog.Logger, error) {
	l, ok := logLevels[strings.ToLower(level)]
	if !ok {
		return nil, usageError("--log-level %q: use debug, info, warn or error", level)
	}
	return slog.New(slog.NewJSONHandler(m.Stderr, &slog.HandlerOptions{Level: l})), nil
}

// logger returns the JSON logger at one of the logLevels.
func (m *Main) logger(level string) *slog.Logger {
	return slog.New(slog.NewJSONHandler(m.Stderr, &slog.HandlerOptions{Level: logLevels[level]}))
}

// serve serves on ln until ctx ends, then shuts down gracefully.
// announce, if set, prints something once the server listens.
func (m *Main) serve(ctx context.Context, a *app.App, f serveFlags, ln net.Listener, announce func(url string)) error {
	if err := a.LoadRoutines(ctx); err != nil { // a broken routine stops the start, naming file and line
		return err
	}
	cfg := web.Config{BaseURL: *f.baseURL}
	if err := f.signIn.apply(ctx, m, &cfg); err != nil {
		return err
	}
	srv, err := web.New(a, cfg)
	if err != nil {
		return err
	}
	sender, err := f.mail.sender()
	if err != nil {
		return err
	}
	url := "http://" + ln.Addr().String()
	a.Log.Info("listening", "addr", ln.Addr().String(), "db", string(a.DB.Dialect()))
	if announce != nil {
		announce(url)
	} else {
		fmt.Fprintf(m.Stdout, "Samordna is serving %s\n", url)
	}
	if m.Ready != nil {
		m.Ready(ln.Addr().String())
	}
	defer a.StartSweeper(ctx, time.Minute)() // deadline escalation every minute; stops on shutdown
	if sender != nil {
		base := *f.baseURL
		if base == "" {
			base = url
		}
		a.Log.Info("mail", "to", sender.Where())
		w := &app.MailWorker{App: a, Sender: sender, BaseURL: base}
		defer w.Start(ctx, mailEvery)() // the outbox's e-mail; stops on shutdown
	} else {
		a.Log.Info("mail is off: give --smtp-url or --mail-dir to send e-mail")
	}
	return runServer(ctx, newHTTPServer(srv), ln)
}

func newHTTPServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
	}
}

// runServer serves on ln until ctx is cancelled (SIGTERM or Ctrl-C), then
// stops accepting connections and lets in-flight requests finish within
// shutdownGrace.
func runServer(ctx context.Context, srv *http.Server, ln net.Listener) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
