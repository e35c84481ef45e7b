package testkit

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"tamizdat/internal/app"
)

// Server is `tamizdat serve` run by app.Main inside the test's process.
type Server struct {
	Addr           string
	Stdout, Stderr *SyncBuffer
	cancel         context.CancelFunc
	done           chan int
	once           sync.Once
	code           int
}

// Serve starts app.Main with serve and args (after --addr 127.0.0.1:0)
// and returns once it listens — after its demo content is in, when asked
// for — or an error when it exits first or the deadline passes. getenv nil
// means Getenv. TestMains use it directly; tests use Start.
func Serve(args []string, getenv func(string) string, deadline time.Time) (*Server, error) {
	if getenv == nil {
		getenv = Getenv
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{Stdout: &SyncBuffer{}, Stderr: &SyncBuffer{}, cancel: cancel, done: make(chan int, 1)}
	ready := make(chan string, 1)
	go func() {
		s.done <- app.Main(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), app.Env{
			Stdout: s.Stdout, Stderr: s.Stderr, Getenv: getenv,
			Ready: func(addr string) { ready <- addr },
		})
	}()
	timer := time.NewTimer(time.Until(deadline))
	defer timer.Stop()
	select {
	case s.Addr = <-ready:
		return s, nil
	case code := <-s.done:
		cancel()
		return nil, fmt.Errorf("serve exited with %d before it listened\nstdout:\n%s\nstderr:\n%s", code, s.Stdout, s.Stderr)
	case <-timer.C:
		s.Stop()
		return nil, fmt.Errorf("serve did not listen by the test binary's deadline\nstdout:\n%s\nstderr:\n%s", s.Stdout, s.Stderr)
	}
}

// Start is Serve for a test: it fails the test when the server does not
// start, and stops the server when the test ends.
func Start(tb testing.TB, args ...string) *Server {
	tb.Helper()
	s, err := Serve(args, nil, Deadline(tb))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Stop() })
	return s
}

// Stop ends the server as SIGTERM would and returns its exit status.
func (s *Server) Stop() int {
	s.once.Do(func() { s.cancel(); s.code = <-s.done })
	return s.code
}

// URL is the address of path on the server.
func (s *Server) URL(path string) string { return "http://" + s.Addr + path }

// Get fetches path with headers (name, value, ...), without following
// redirects or asking for compression, and returns the answer and its body.
func (s *Server) Get(tb testing.TB, path string, hdr ...string) (*http.Response, []byte) {
	tb.Helper()
	req, err := http.NewRequest("GET", s.URL(path), nil)
	if err != nil {
		tb.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		if hdr[i] == "Host" {
			req.Host = hdr[i+1]
			continue
		}
		req.Header.Set(hdr[i], hdr[i+1])
	}
	client := &http.Client{Transport: &http.Transport{DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, b
}
