// Package testkit starts tamizdat servers for tests — in the test's own
// process through app.Main, or as the built binary in processes of their
// own — and waits for them by what they do, never by a guess of how fast
// the machine is: a server is waited for until it is ready, exits, or the
// test binary's own -timeout is near. The tests of comments/, multinode/,
// internal/app and e2e/ share it.
package testkit

import (
	"bytes"
	"flag"
	"fmt"
	"net"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// SyncBuffer is a bytes.Buffer that a server's goroutines may write while
// the test reads it.
type SyncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *SyncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *SyncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// InCI reports whether the tests run in CI, where no test may skip for a
// missing tool: .ci/run installs every one.
func InCI() bool { return os.Getenv("CI") == "true" }

// Need skips the test loudly when ok is false, saying what is missing and
// how to get it; in CI it fails the test instead.
func Need(tb testing.TB, ok bool, format string, args ...any) {
	tb.Helper()
	if ok {
		return
	}
	msg := fmt.Sprintf(format, args...)
	if InCI() {
		tb.Fatalf("%s (in CI, .ci/run must install it)", msg)
	}
	tb.Skipf("\n!!! SKIPPED %s: %s\n!!! Install it and run the test again.", tb.Name(), msg)
}

// margin is kept back from the test binary's deadline, so that a test that
// waited in vain still has time to say what it saw.
const margin = 20 * time.Second

// Deadline is how long a test may wait for what it needs: until shortly
// before the test binary's -timeout. A busy machine makes a server slow to
// start, not broken; only the timeout the person running the tests chose
// bounds the wait.
func Deadline(tb testing.TB) time.Time {
	if t, ok := tb.(interface{ Deadline() (time.Time, bool) }); ok {
		if d, ok := t.Deadline(); ok {
			return d.Add(-margin)
		}
	}
	return ProcessDeadline()
}

var started = time.Now()

// ProcessDeadline is Deadline for code that runs outside a test (a
// TestMain): shortly before the -timeout counted from the start of the test
// binary. TestMain must have called flag.Parse.
func ProcessDeadline() time.Time {
	timeout := 10 * time.Minute
	if f := flag.Lookup("test.timeout"); f != nil {
		if d, err := time.ParseDuration(f.Value.String()); err == nil {
			timeout = d
		}
	}
	if timeout <= 0 {
		return time.Now().Add(24 * time.Hour)
	}
	return started.Add(timeout - margin)
}

// WaitFor polls cond until it holds, failing the test with what it waited
// for if the deadline comes first.
func WaitFor(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	deadline := Deadline(tb)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// FreeAddr returns a 127.0.0.1 address whose port was free a moment ago,
// for a server that must keep its address across restarts.
func FreeAddr(tb testing.TB) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// Secret is the node secret of test servers that do not choose their own;
// every node of one test site needs the same.
const Secret = "the node secret shared by every test node, 32+ bytes"

// Getenv is the environment of in-process test servers: the node secret
// and nothing else, so no TAMIZDAT_* variable of the machine leaks in.
func Getenv(key string) string {
	if key == "TAMIZDAT_SECRET" {
		return Secret
	}
	return ""
}

// ChildEnv is the test's environment without any TAMIZDAT_* variable, so
// that only flags configure a server, plus the node secret.
func ChildEnv(secret string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "TAMIZDAT_") {
			env = append(env, kv)
		}
	}
	return append(env, "TAMIZDAT_SECRET="+secret)
}

// clockRE matches the top bar's date and time, which change every minute;
// formTokenRE the comment form's token, which signs the second the form
// was rendered.
var (
	clockRE     = regexp.MustCompile(`<time class="clock" datetime="[^"]*">[^<]*</time>`)
	formTokenRE = regexp.MustCompile(`<input type="hidden" name="token" value="[^"]*">`)
)

// MaskMoment replaces what a page says about the moment it was made (the
// top bar's clock, the comment form's time token) by fixed texts, so that
// two pages made a second or a minute apart compare equal when nothing
// else differs.
func MaskMoment(page []byte) []byte {
	page = clockRE.ReplaceAll(page, []byte(`<time class="clock">CLOCK</time>`))
	return formTokenRE.ReplaceAll(page, []byte(`<input type="hidden" name="token" value="TOKEN">`))
}
