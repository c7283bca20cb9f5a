package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
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
)

const serveUsage = `Usage: samordna serve [flags]

Runs Samordna's web pages and JSON API. Migrates the database first.
Several serve processes can share one PostgreSQL database.`

// serveFlags are the flags serve and demo share.
type serveFlags struct {
	db, addr, baseURL, logLevel *string
}

func (m *Main) addServeFlags(fs interface {
	String(name, value, usage string) *string
}) serveFlags {
	return serveFlags{
		addr:     fs.String("addr", m.env("SAMORDNA_ADDR", "127.0.0.1:8080"), "address to listen on (env SAMORDNA_ADDR)"),
		baseURL:  fs.String("base-url", m.env("SAMORDNA_BASE_URL", ""), "public address, e.g. https://samordna.kommune.no; https makes cookies Secure (env SAMORDNA_BASE_URL)"),
		logLevel: fs.String("log-level", m.env("SAMORDNA_LOG_LEVEL", "info"), "debug, info, warn or error (env SAMORDNA_LOG_LEVEL)"),
	}
}

func (m *Main) runServe(ctx context.Context, args []string) error {
	fs := m.newFlagSet("serve", serveUsage)
	db := m.dbFlag(fs)
	f := m.addServeFlags(fs)
	af := m.addAuditFlags(fs)
	every := m.checkpointEveryFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	f.db = db
	log := m.logger(*f.logLevel)
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
	return m.serve(ctx, a, f, nil)
}

// openDB opens and migrates the database.
func (m *Main) openDB(ctx context.Context, dsn string) (*store.DB, error) {
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func (m *Main) logger(level string) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewJSONHandler(m.Stderr, &slog.HandlerOptions{Level: l}))
}

// serve listens and serves until ctx ends, then shuts down gracefully.
// announce, if set, prints something once the server listens.
func (m *Main) serve(ctx context.Context, a *app.App, f serveFlags, announce func(url string)) error {
	if err := a.LoadRoutines(ctx); err != nil { // a broken routine stops the start, naming file and line
		return err
	}
	srv, err := web.New(a, web.Config{BaseURL: *f.baseURL})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *f.addr)
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
