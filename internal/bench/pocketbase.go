package bench

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// Peer is how the PocketBase comparison went.
type Peer struct {
	Status  string  `json:"status"` // "ran", "skipped" or "unavailable"
	Reason  string  `json:"reason,omitempty"`
	Version string  `json:"version,omitempty"`
	Cases   int     `json:"cases,omitempty"`
	Tasks   int     `json:"tasks,omitempty"`
	LoadSec float64 `json:"load_seconds,omitempty"`
}

const (
	pbVersion  = "v0.36.8"
	pbEmail    = "bench@example.com"
	pbPassword = "benk-passord-syntetisk"
)

// pocketbase is a running PocketBase peer.
type pocketbase struct {
	dir   string
	cmd   *exec.Cmd
	base  string
	token string
}

// findPeerModule returns the bench/ directory (the peer's own Go module),
// looking upwards from the working directory.
func findPeerModule() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "bench", "go.mod")); err == nil {
			return filepath.Join(dir, "bench"), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("bench/go.mod (the PocketBase peer module) not found above the working directory")
		}
		dir = parent
	}
}

// startPocketBase builds the peer into a temporary directory, creates its
// superuser and serves it on a free loopback port with a temporary data
// directory. The error names exactly what failed (the build's output).
func startPocketBase(ctx context.Context) (*pocketbase, error) {
	mod, err := findPeerModule()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "samordna-bench-pb-")
	if err != nil {
		return nil, err
	}
	pb := &pocketbase{dir: dir}
	bin := filepath.Join(dir, "pocketbase")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, ".")
	build.Dir = mod
	if out, err := build.CombinedOutput(); err != nil {
		pb.stop()
		return nil, fmt.Errorf("go build the PocketBase peer: %v: %s", err, strings.TrimSpace(string(out)))
	}
	data := filepath.Join(dir, "pb_data")
	up := exec.CommandContext(ctx, bin, "superuser", "upsert", pbEmail, pbPassword, "--dir", data)
	if out, err := up.CombinedOutput(); err != nil {
		pb.stop()
		return nil, fmt.Errorf("pocketbase superuser upsert: %v: %s", err, out)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		pb.stop()
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	pb.base = "http://" + addr
	pb.cmd = exec.Command(bin, "serve", "--http", addr, "--dir", data)
	var logs bytes.Buffer
	pb.cmd.Stdout, pb.cmd.Stderr = &logs, &logs
	if err := pb.cmd.Start(); err != nil {
		pb.stop()
		return nil, err
	}
	c := newClient(pb.base, 1)
	for i := 0; ; i++ {
		if err := c.do(ctx, "GET", "/api/health", auth{}, nil, 200, nil); err == nil {
			break
		}
		if i > 100 {
			pb.stop()
			return nil, fmt.Errorf("pocketbase did not start: %s", logs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	var login struct{ Token string }
	err = c.do(ctx, "POST", "/api/collections/_superusers/auth-with-password", auth{},
		map[string]string{"identity": pbEmail, "password": pbPassword}, 200, &login)
	if err != nil {
		pb.stop()
		return nil, err
	}
	pb.token = login.Token
	return pb, nil
}

func (pb *pocketbase) stop() {
	if pb.cmd != nil && pb.cmd.Process != nil {
		_ = pb.cmd.Process.Kill()
		_ = pb.cmd.Wait()
	}
	_ = os.RemoveAll(pb.dir)
}

func (pb *pocketbase) auth() auth { return auth{bearer: pb.token, raw: true} }

// pbCollections are the peer's equivalent of Samordna's cases and tasks:
// the fields the two lists show and filter on, with the same indexes.
var pbCollections = []map[string]any{
	{"name": "cases", "type": "base", "fields": []map[string]any{
		{"name": "municipality", "type": "text"}, {"name": "registered_by", "type": "text"},
		{"name": "coordinator", "type": "text"}, {"name": "title", "type": "text"},
		{"name": "status", "type": "text"}, {"name": "situation", "type": "text"},
		{"name": "anonymous", "type": "bool"}, {"name": "subject", "type": "text"},
		{"name": "updated_at", "type": "date"}},
		"indexes": []string{"CREATE INDEX idx_cases_registered ON cases (registered_by, updated_at)",
			"CREATE INDEX idx_cases_coordinator ON cases (coordinator, updated_at)"}},
	{"name": "tasks", "type": "base", "fields": []map[string]any{
		{"name": "case_id", "type": "text"}, {"name": "municipality", "type": "text"},
		{"name": "assignee", "type": "text"}, {"name": "title", "type": "text"},
		{"name": "status", "type": "text"}, {"name": "due_at", "type": "date"}},
		"indexes": []string{"CREATE INDEX idx_tasks_assignee ON tasks (assignee, status, due_at)"}},
}

// pbTime is PocketBase's date format.
func pbTime(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05.000Z") }

// pbID makes a PocketBase record id (15 of [a-z0-9]) from a generated id.
func pbID(id string) string { return id[:15] }

// load creates the collections through the API, then writes the world's
// cases and tasks straight into the peer's SQLite file in large
// transactions (PocketBase's collections are plain tables; going through
// its REST API would take hours at full scale). Tasks assigned to a group
// or a role are stored under the case's coordinator, so the peer's plain
// list of "my tasks" holds the same rows as Samordna's.
func (pb *pocketbase) load(ctx context.Context, w *world) (*Peer, error) {
	t0 := time.Now()
	c := newClient(pb.base, 1)
	for _, col := range pbCollections {
		if err := c.do(ctx, "POST", "/api/collections", pb.auth(), col, 200, nil); err != nil {
			return nil, err
		}
	}
	path := filepath.Join(pb.dir, "pb_data", "data.db")
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?_pragma=busy_timeout(20000)")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	s := &sqliteSink{db: db}
	cases := table{"cases", cols("id", "municipality", "registered_by", "coordinator", "title", "status", "situation",
		"anonymous", "subject", "updated_at"), func(y func(...any) error) error {
		return w.eachCase(func(k int, p *casePlan) error {
			coord, subject, status := "", "", "open"
			if p.coord >= 0 && p.closed == 0 {
				coord = w.employees[p.coord].id
			}
			if p.subject >= 0 {
				subject = w.personID(int(p.subject))
			}
			if p.closed > 0 {
				status = "closed"
			}
			return y(pbID(w.caseID(k)), w.munis[p.mun].id, w.employees[p.regBy].id, coord, fmt.Sprintf("Sak %d", k+1),
				status, situations[p.situation], p.subject < 0, subject, pbTime(w.at(p.updated)))
		})
	}}
	tasks := table{"tasks", cols("id", "case_id", "municipality", "assignee", "title", "status", "due_at"),
		func(y func(...any) error) error {
			n := 0
			return w.eachCase(func(k int, p *casePlan) error {
				for _, t := range w.caseTasks(k, p) {
					assignee := ""
					switch {
					case t.employee >= 0:
						assignee = w.employees[t.employee].id
					case p.coord >= 0 && p.closed == 0 && t.assigneeKind == "group":
						assignee = w.employees[p.coord].id
					}
					if err := y(pbID(genID(w.spec.Seed, kindTask, n)), pbID(w.caseID(k)), w.munis[p.mun].id, assignee,
						t.title, t.status, pbTime(t.due)); err != nil {
						return err
					}
					n++
				}
				return nil
			})
		}}
	peer := &Peer{Status: "ran", Version: pbVersion}
	for _, t := range []table{cases, tasks} {
		n, err := s.load(ctx, t)
		if err != nil {
			return nil, fmt.Errorf("load pocketbase %s: %w", t.name, err)
		}
		if t.name == "cases" {
			peer.Cases = int(n)
		} else {
			peer.Tasks = int(n)
		}
	}
	if _, err := db.ExecContext(ctx, "ANALYZE"); err != nil {
		return nil, err
	}
	peer.LoadSec = round(time.Since(t0).Seconds())
	return peer, nil
}

// pbScenarios drives the peer with the same create and list scenarios as
// Samordna's: create a case record, a coordinator's 50 most recently
// changed cases, and a coordinator's tasks (open first, by due date, 100).
// skipTotal=1 spares PocketBase its COUNT(*), which Samordna's lists do
// not do either.
func (pb *pocketbase) scenarios(ctx context.Context, w *world, vus int, d time.Duration) ([]Result, error) {
	c := newClient(pb.base, vus)
	var coords []string
	seen := map[int32]bool{}
	for k := range w.cases {
		p := &w.cases[k]
		if p.coord >= 0 && p.closed == 0 && !seen[p.coord] {
			seen[p.coord] = true
			coords = append(coords, w.employees[p.coord].id)
		}
	}
	if len(coords) == 0 {
		return nil, errors.New("no coordinator to list for")
	}
	var out []Result
	list := func(name, path string) {
		out = append(out, Drive(ctx, name, "pocketbase", vus, d, 0, func(ctx context.Context, vu int) error {
			var res struct{ Items []struct{ ID string } }
			err := c.do(ctx, "GET", fmt.Sprintf(path, url.QueryEscape(coords[vu%len(coords)])), pb.auth(), nil, 200, &res)
			if err == nil && len(res.Items) == 0 {
				err = errors.New("empty list")
			}
			return err
		}))
	}
	list("pb_list_cases", "/api/collections/cases/records?perPage=50&skipTotal=1&sort=-updated_at&filter=coordinator%%3D'%s'")
	list("pb_list_tasks", "/api/collections/tasks/records?perPage=100&skipTotal=1&sort=-status,due_at&filter=assignee%%3D'%s'")
	m := w.munis[0].id
	out = append(out, Drive(ctx, "pb_create_case", "pocketbase", vus, d, 0, func(ctx context.Context, vu int) error {
		body := map[string]any{"municipality": m, "registered_by": coords[vu%len(coords)], "title": "Ny sak",
			"status": "open", "situation": "unclear_concern", "anonymous": false, "subject": "benk",
			"updated_at": pbTime(time.Now())}
		return c.do(ctx, "POST", "/api/collections/cases/records", pb.auth(), body, 200, nil)
	}))
	return out, nil
}
