package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// client is an HTTP client for loopback load: keep-alive connections, one
// per virtual user at least.
type client struct {
	base string
	http *http.Client
}

func newClient(base string, vus int) *client {
	tr := &http.Transport{MaxIdleConns: vus * 2, MaxIdleConnsPerHost: vus * 2, IdleConnTimeout: time.Minute,
		DisableCompression: true}
	return &client{base: base, http: &http.Client{Transport: tr, Timeout: 60 * time.Second}}
}

// auth is how a request authenticates: a bearer token or a session cookie.
type auth struct {
	bearer string // "Authorization: Bearer" for Samordna, the raw token for PocketBase
	cookie *http.Cookie
	raw    bool // send bearer as is (PocketBase's Authorization header)
}

// do sends a request and checks the status; out, when set, receives the
// decoded JSON body.
func (c *client) do(ctx context.Context, method, path string, a auth, body any, want int, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	switch {
	case a.raw:
		req.Header.Set("Authorization", a.bearer)
	case a.bearer != "":
		req.Header.Set("Authorization", "Bearer "+a.bearer)
	}
	if a.cookie != nil {
		req.AddCookie(a.cookie)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != want {
		if len(data) > 200 {
			data = data[:200]
		}
		return fmt.Errorf("%s %s: status %d, want %d: %s", method, path, resp.StatusCode, want, data)
	}
	if out != nil {
		return json.Unmarshal(data, out)
	}
	return nil
}
