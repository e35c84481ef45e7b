package app_test

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"tamizdat/internal/store/postgres/pgtest"
	"tamizdat/internal/testkit"
)

// cutter is a TCP proxy to PostgreSQL that a test can cut and mend, to take
// the database away from a node without stopping the machine's server.
type cutter struct {
	t      *testing.T
	addr   string // where the node connects
	target string
	mu     sync.Mutex
	ln     net.Listener
	conns  []net.Conn
}

func newCutter(t *testing.T, target string) *cutter {
	c := &cutter{t: t, target: target}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	c.addr = ln.Addr().String()
	c.serve(ln)
	t.Cleanup(c.cut)
	return c
}

func (c *cutter) serve(ln net.Listener) {
	c.mu.Lock()
	c.ln = ln
	c.mu.Unlock()
	go func() {
		for {
			in, err := ln.Accept()
			if err != nil {
				return
			}
			out, err := net.Dial("tcp", c.target)
			if err != nil {
				in.Close()
				continue
			}
			c.mu.Lock()
			c.conns = append(c.conns, in, out)
			c.mu.Unlock()
			go func() { io.Copy(out, in); out.Close() }()
			go func() { io.Copy(in, out); in.Close() }()
		}
	}()
}

// cut refuses new connections and breaks every open one.
func (c *cutter) cut() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ln != nil {
		c.ln.Close()
		c.ln = nil
	}
	for _, conn := range c.conns {
		conn.Close()
	}
	c.conns = nil
}

// mend listens again on the same address.
func (c *cutter) mend() {
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		c.t.Fatal(err)
	}
	c.serve(ln)
}

func TestPostgreSQLGoesAwayAndComesBack(t *testing.T) {
	dsn, err := url.Parse(pgtest.FreshDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	proxy := newCutter(t, dsn.Host)
	dsn.Host = proxy.addr
	s := startServer(t, "--db", dsn.String(), "--data", t.TempDir(), "--demo")
	token := regexp.MustCompile(`tzd_\S+`).FindString(s.stdout.String())
	client := &http.Client{Timeout: 15 * time.Second} // a hang fails the test
	do := func(method, path, body string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest(method, "http://"+s.addr+path, strings.NewReader(body))
		if body != "" {
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("Content-Type", "application/json")
		}
		res, err := client.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, string(b)
	}
	if res, _ := do("GET", "/en/", ""); res.StatusCode != 200 {
		t.Fatalf("before the outage: %d", res.StatusCode)
	}

	_, before := do("GET", "/en/", "")

	proxy.cut()
	// A page read before the outage is served as it was from the cache
	// (fresh until the minute turns, then marked stale); the pages never
	// read get the 503 page.
	if res, body := do("GET", "/en/", ""); res.StatusCode != 200 || (res.Header.Get("X-Cache") != "STALE" && res.Header.Get("X-Cache") != "HIT") || body != before {
		t.Errorf("/en/, cached before the outage, during it: %d, X-Cache %q, the same page: %v", res.StatusCode, res.Header.Get("X-Cache"), body == before)
	}
	for _, path := range []string{"/be/", "/be/news/2026/1/1/1/", "/ru/politics/"} {
		res, body := do("GET", path, "")
		if res.StatusCode != 503 || !strings.Contains(res.Header.Get("Content-Type"), "text/html") || res.Header.Get("Retry-After") == "" {
			t.Errorf("%s during the outage: %d %s %q", path, res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Retry-After"))
		}
		lang := strings.Split(path, "/")[1]
		if !strings.Contains(body, `<html lang="`+lang+`">`) {
			t.Errorf("%s: the 503 page is not in the edition's language", path)
		}
	}
	res, body := do("GET", "/api/v1/articles?edition=en", "")
	var e struct{ Error string }
	if res.StatusCode != 503 || json.Unmarshal([]byte(body), &e) != nil || e.Error == "" {
		t.Errorf("API during the outage: %d %q", res.StatusCode, body)
	}
	res, body = do("POST", "/api/v1/articles", `{"edition":"en","title":"Written during the outage","status":"published"}`)
	if res.StatusCode != 503 || !strings.Contains(body, `"error"`) {
		t.Errorf("API write during the outage: %d %q", res.StatusCode, body)
	}
	if res, _ := do("GET", "/readyz", ""); res.StatusCode != 503 {
		t.Errorf("/readyz during the outage: %d", res.StatusCode)
	}
	if res, _ := do("GET", "/healthz", ""); res.StatusCode != 200 {
		t.Errorf("/healthz during the outage: %d", res.StatusCode)
	}

	proxy.mend()
	deadline := testkit.Deadline(t)
	for {
		res, _ := do("GET", "/be/", "")
		if res.StatusCode == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the node did not recover by the test's deadline: %d", res.StatusCode)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if res, _ := do("GET", "/readyz", ""); res.StatusCode != 200 {
		t.Errorf("/readyz after recovery: %d", res.StatusCode)
	}
	_, body = do("GET", "/api/v1/articles?q="+url.QueryEscape("written during the outage"), "")
	if !strings.Contains(body, `"total":0`) {
		t.Errorf("a write refused during the outage was stored: %s", body)
	}
	if res, _ := do("POST", "/api/v1/articles", `{"edition":"en","title":"Written after the outage","status":"published"}`); res.StatusCode != 201 {
		t.Errorf("API write after recovery: %d", res.StatusCode)
	}
	if logs := s.stderr.String(); strings.Contains(logs, `"status":500`) {
		t.Errorf("a request was answered 500 during the outage:\n%s", logs)
	}
}
