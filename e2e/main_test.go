// Package e2e boots the real tamizdat server (app.Main with --demo) on
// 127.0.0.1 and drives Debian's Chromium against it with chromedp: pages stay
// on loopback, log no errors, show what a reader expects, and pass axe-core's
// WCAG 2.1 A/AA rules.
package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"tamizdat/internal/app"
)

// baseURL is the address of the server TestMain started, as
// "http://127.0.0.1:PORT"; every test of the package only reads from it.
var baseURL string

// dataDir holds the server's database; adminPassword is the demo admin's,
// as the server printed it once.
var dataDir, adminPassword string

// apiToken is the demo admin's API token, as the server printed it once.
var apiToken string

// syncBuffer is a bytes.Buffer the server's goroutines may write concurrently.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

var passwordLine = regexp.MustCompile(`demo admin \(shown once, keep it\): e-mail \S+\s+password (\S+)`)

var apiTokenLine = regexp.MustCompile(`demo API token \(shown once, valid 90 days\): (\S+)`)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	var err error
	dataDir, err = os.MkdirTemp("", "tamizdat-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer os.RemoveAll(dataDir)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, logs syncBuffer
	ready := make(chan string, 1)
	exited := make(chan int, 1)
	go func() {
		exited <- app.Main(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--data", dataDir, "--demo"}, app.Env{
			Stdout: &stdout,
			Stderr: &logs,
			Ready:  func(addr string) { ready <- addr },
		})
	}()

	select {
	case addr := <-ready:
		baseURL = "http://" + addr
		if m := passwordLine.FindStringSubmatch(stdout.String()); m != nil {
			adminPassword = m[1]
		}
		if m := apiTokenLine.FindStringSubmatch(stdout.String()); m != nil {
			apiToken = m[1]
		}
	case code := <-exited:
		fmt.Fprintf(os.Stderr, "e2e: tamizdat serve exited with %d before listening\nstdout:\n%s\nstderr:\n%s\n", code, stdout.String(), logs.String())
		return 1
	case <-time.After(60 * time.Second):
		fmt.Fprintf(os.Stderr, "e2e: tamizdat serve did not listen within 60s\nstdout:\n%s\nstderr:\n%s\n", stdout.String(), logs.String())
		return 1
	}

	code := m.Run()

	cancel()
	select {
	case exit := <-exited:
		if exit != app.ExitOK {
			fmt.Fprintf(os.Stderr, "e2e: tamizdat serve exited with %d after shutdown\nstderr:\n%s\n", exit, logs.String())
			code = 1
		}
	case <-time.After(30 * time.Second):
		fmt.Fprintln(os.Stderr, "e2e: tamizdat serve did not return within 30s of its context ending")
		code = 1
	}
	// The pages the browser loaded must not have made the server log an
	// error (a panic, a failed query): the reader would see a 500.
	for line := range strings.Lines(logs.String()) {
		if strings.Contains(line, `"level":"ERROR"`) {
			fmt.Fprintf(os.Stderr, "e2e: the server logged an error: %s", line)
			code = 1
		}
	}
	if code != 0 && testing.Verbose() {
		fmt.Fprintf(os.Stderr, "e2e: server log:\n%s\n", logs.String())
	}
	return code
}
