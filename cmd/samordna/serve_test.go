package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// TestGracefulShutdownFinishesInFlightRequest cancels the server's context
// (as SIGTERM does) while a request is running: the request must still get
// its full answer, and new connections must be refused afterwards.
func TestGracefulShutdownFinishesInFlightRequest(t *testing.T) {
	started := make(chan struct{})
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		time.Sleep(300 * time.Millisecond)
		_, _ = io.WriteString(w, "finished")
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- runServer(ctx, newHTTPServer(handler), ln) }()

	var body string
	var reqErr error
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		resp, err := http.Get("http://" + ln.Addr().String() + "/slow")
		if err != nil {
			reqErr = err
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		body = string(b)
	}()
	<-started
	cancel() // SIGTERM
	wg.Wait()
	if reqErr != nil || body != "finished" {
		t.Fatalf("in-flight request: body %q, err %v; want it to finish", body, reqErr)
	}
	if err := <-done; err != nil {
		t.Fatalf("runServer returned %v, want nil after a graceful shutdown", err)
	}
	if _, err := http.Get("http://" + ln.Addr().String() + "/"); err == nil {
		t.Fatal("the server still accepts connections after shutdown")
	}
}

// TestEnvironmentFallbacks: flags fall back to SAMORDNA_* variables.
func TestEnvironmentFallbacks(t *testing.T) {
	env := map[string]string{"SAMORDNA_DB": "/tmp/x.db", "SAMORDNA_ADDR": "127.0.0.1:9999"}
	m := &Main{Stdout: io.Discard, Stderr: io.Discard, Getenv: func(k string) string { return env[k] }}
	fs := m.newFlagSet("t", "")
	db := m.dbFlag(fs)
	f := m.addServeFlags(fs)
	if err := fs.Parse(nil); err != nil {
		t.Fatal(err)
	}
	if *db != "/tmp/x.db" || *f.addr != "127.0.0.1:9999" {
		t.Fatalf("db=%q addr=%q, want the environment's values", *db, *f.addr)
	}
}

// TestTwoServersShareOneDatabase starts two serve processes (Mains) on one
// database; both answer, and a token made on the command line works on both.
func TestTwoServersShareOneDatabase(t *testing.T) {
	for _, d := range dbtest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			dsn := dbtest.DSN(t, d)
			seed := &Main{Stdout: io.Discard, Stderr: io.Discard, Getenv: testEnv}
			if err := seed.Run(context.Background(), []string{"migrate", "--db", dsn}); err != nil {
				t.Fatal(err)
			}
			seedMunicipalityAndUser(t, dsn)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			addrs := make(chan string, 2)
			errs := make(chan error, 2)
			for i := 0; i < 2; i++ {
				m := &Main{Stdout: io.Discard, Stderr: io.Discard, Getenv: testEnv,
					Ready: func(addr string) { addrs <- addr }}
				go func() { errs <- m.Run(ctx, []string{"serve", "--db", dsn, "--addr", "127.0.0.1:0"}) }()
			}
			var tokenOut bytes.Buffer
			tm := &Main{Stdout: &tokenOut, Stderr: io.Discard, Getenv: testEnv}
			if err := tm.Run(context.Background(), []string{"token", "create", "--db", dsn, "--user", "kari.ke"}); err != nil {
				t.Fatal(err)
			}
			token := strings.TrimSpace(tokenOut.String())
			for i := 0; i < 2; i++ {
				select {
				case addr := <-addrs:
					req, _ := http.NewRequest("GET", "http://"+addr+"/api/v1/me", nil)
					req.Header.Set("Authorization", "Bearer "+token)
					resp, err := http.DefaultClient.Do(req)
					if err != nil {
						t.Fatal(err)
					}
					b, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 || !strings.Contains(string(b), `"kari.ke"`) {
						t.Fatalf("server %d: %d %s", i, resp.StatusCode, b)
					}
				case err := <-errs:
					t.Fatalf("a server stopped: %v", err)
				case <-time.After(30 * time.Second):
					t.Fatal("a server did not start")
				}
			}
			cancel()
			for i := 0; i < 2; i++ {
				if err := <-errs; err != nil {
					t.Fatalf("server %d: %v", i, err)
				}
			}
		})
	}
}

func seedMunicipalityAndUser(t *testing.T, dsn string) {
	t.Helper()
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	m := &Main{Stdout: io.Discard, Stderr: io.Discard, Getenv: testEnv}
	err = db.Write(context.Background(), func(tx *store.Tx) error {
		_, err := tx.Exec(`INSERT INTO municipalities (id, name, number, created_at) VALUES ('m1', 'Testkommune', '9998', $1)`, time.Now())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	stdin = strings.NewReader("a-long-password\n")
	if err := m.Run(context.Background(), []string{"user", "create", "--db", dsn, "--username", "kari.ke",
		"--name", "Kari Test", "--role", "coordinating_unit"}); err != nil {
		t.Fatal(err)
	}
}
