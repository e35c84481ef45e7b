package multinode_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"tamizdat/internal/testkit"
)

// wrkResult is what wrk's report says. wrk prints the error lines only when
// there were errors, so an absent line is zero.
type wrkResult struct {
	requests                      int
	non2xx3xx                     int // "Non-2xx or 3xx responses"
	connect, read, write, timeout int // "Socket errors"
	p50, p99                      string
	rate                          string // requests/s
	raw                           string
}

func (r wrkResult) socketErrors() int { return r.connect + r.read + r.write + r.timeout }

var (
	wrkRequests = regexp.MustCompile(`(?m)^\s*(\d+) requests in `)
	wrkSocket   = regexp.MustCompile(`(?m)^\s*Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)`)
	wrkNon2xx   = regexp.MustCompile(`(?m)^\s*Non-2xx or 3xx responses: (\d+)`)
	wrkP50      = regexp.MustCompile(`(?m)^\s*50%\s+(\S+)`)
	wrkP99      = regexp.MustCompile(`(?m)^\s*99%\s+(\S+)`)
	wrkRate     = regexp.MustCompile(`(?m)^Requests/sec:\s+(\S+)`)
)

func parseWrk(out string) (wrkResult, error) {
	r := wrkResult{raw: out}
	m := wrkRequests.FindStringSubmatch(out)
	if m == nil {
		return r, fmt.Errorf("no request count in wrk's report:\n%s", out)
	}
	r.requests, _ = strconv.Atoi(m[1])
	if m := wrkSocket.FindStringSubmatch(out); m != nil {
		for i, p := range []*int{&r.connect, &r.read, &r.write, &r.timeout} {
			*p, _ = strconv.Atoi(m[i+1])
		}
	} else if strings.Contains(out, "Socket errors") {
		return r, fmt.Errorf("unreadable socket error line in wrk's report:\n%s", out)
	}
	if m := wrkNon2xx.FindStringSubmatch(out); m != nil {
		r.non2xx3xx, _ = strconv.Atoi(m[1])
	} else if strings.Contains(out, "Non-2xx") {
		return r, fmt.Errorf("unreadable Non-2xx line in wrk's report:\n%s", out)
	}
	if m := wrkP50.FindStringSubmatch(out); m != nil {
		r.p50 = m[1]
	}
	if m := wrkP99.FindStringSubmatch(out); m != nil {
		r.p99 = m[1]
	}
	if m := wrkRate.FindStringSubmatch(out); m != nil {
		r.rate = m[1]
	}
	return r, nil
}

// wrkScript is the Lua that makes wrk walk through paths, each connection
// waiting pauseMS between its requests so that the load, though steady,
// leaves the machine some room for the other packages' tests that go test
// runs alongside.
func wrkScript(paths []string, pauseMS int) string {
	var b strings.Builder
	b.WriteString("-- written by multinode/wrk_test.go\nlocal paths = {\n")
	for _, p := range paths {
		fmt.Fprintf(&b, "  %q,\n", p)
	}
	fmt.Fprintf(&b, `}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
delay = function()
  return %d
end
`, pauseMS)
	return b.String()
}

// wrkRun is a wrk process started in the background.
type wrkRun struct {
	proc   *testkit.Process
	stdout *bytes.Buffer
	stderr *bytes.Buffer
	limit  time.Duration
}

// startWrk runs wrk against url for d with the given connections.
func startWrk(t *testing.T, wrk, url string, paths []string, d time.Duration, conns, pauseMS int) *wrkRun {
	t.Helper()
	script := filepath.Join(t.TempDir(), "mix.lua")
	if err := os.WriteFile(script, []byte(wrkScript(paths, pauseMS)), 0o600); err != nil {
		t.Fatal(err)
	}
	// --timeout: wrk counts a request slower than this as a socket error;
	// 10 s is the nodes' own deadline, so a count means a hung request, not
	// a slow CI machine.
	cmd := exec.Command(wrk, "-t2", fmt.Sprintf("-c%d", conns), fmt.Sprintf("-d%ds", int(d.Seconds())),
		"--timeout", "10s", "--latency", "-s", script, url)
	w := &wrkRun{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}, limit: d + 30*time.Second}
	cmd.Stdout, cmd.Stderr = w.stdout, w.stderr
	p, err := testkit.StartProcess(cmd)
	if err != nil {
		t.Fatalf("starting wrk: %v", err)
	}
	w.proc = p
	t.Cleanup(func() { p.Stop(syscall.SIGKILL, time.Second) })
	return w
}

// wait waits for wrk to finish and reads its report.
func (w *wrkRun) wait(t *testing.T) wrkResult {
	t.Helper()
	select {
	case <-w.proc.Exited():
	case <-time.After(w.limit):
		w.proc.Stop(syscall.SIGKILL, time.Second)
		t.Fatalf("wrk did not finish within %v", w.limit)
	}
	if err := w.proc.Err(); err != nil {
		t.Fatalf("wrk: %v\n%s\n%s", err, w.stdout, w.stderr)
	}
	r, err := parseWrk(w.stdout.String())
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// The report parser reads both shapes of wrk's report, with and without
// error lines.
func TestParseWrk(t *testing.T) {
	clean := `Running 20s test @ http://127.0.0.1:40000/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    52.10ms   30.20ms 400.00ms   80.00%
    Req/Sec   150.00     30.00   200.00     70.00%
  Latency Distribution
     50%   45.00ms
     75%   60.00ms
     90%   80.00ms
     99%  180.00ms
  6000 requests in 20.01s, 150.00MB read
Requests/sec:    299.85
Transfer/sec:      7.50MB
`
	r, err := parseWrk(clean)
	if err != nil || r.requests != 6000 || r.socketErrors() != 0 || r.non2xx3xx != 0 || r.p50 != "45.00ms" || r.p99 != "180.00ms" || r.rate != "299.85" {
		t.Errorf("clean report: %+v %v", r, err)
	}
	failing := strings.Replace(clean, "Requests/sec", "  Socket errors: connect 3, read 2, write 1, timeout 4\n  Non-2xx or 3xx responses: 7\nRequests/sec", 1)
	r, err = parseWrk(failing)
	if err != nil || r.connect != 3 || r.read != 2 || r.write != 1 || r.timeout != 4 || r.socketErrors() != 10 || r.non2xx3xx != 7 {
		t.Errorf("report with errors: %+v %v", r, err)
	}
	if _, err := parseWrk("wrk: unable to connect"); err == nil {
		t.Error("a report without a request count was accepted")
	}
	if _, err := parseWrk(strings.Replace(failing, "connect 3", "connect x", 1)); err == nil {
		t.Error("an unreadable socket error line was taken for no errors")
	}
}
