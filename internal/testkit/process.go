package testkit

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The server binary is built once per test process, into a folder that
// Main removes at the end.
var build struct {
	once sync.Once
	dir  string
	path string
	err  error
}

// Main runs a package's tests and removes what the kit built for them:
// func TestMain(m *testing.M) { os.Exit(testkit.Main(m)) }.
func Main(m *testing.M) int {
	code := m.Run()
	if build.dir != "" {
		os.RemoveAll(build.dir)
	}
	return code
}

// Binary returns the path of cmd/tamizdat of this module, built once per
// test process. A module that does not build fails the test.
func Binary(tb testing.TB) string {
	tb.Helper()
	build.once.Do(func() { build.path, build.err = compile() })
	if build.err != nil {
		tb.Fatalf("the server binary does not build: %v", build.err)
	}
	return build.path
}

func compile() (string, error) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		return "", fmt.Errorf("no go command on PATH: %w", err)
	}
	gomod, err := exec.Command(goTool, "env", "GOMOD").Output()
	if err != nil || !strings.HasSuffix(strings.TrimSpace(string(gomod)), "go.mod") {
		return "", fmt.Errorf("go env GOMOD: %q %v", gomod, err)
	}
	if build.dir, err = os.MkdirTemp("", "tamizdat-test-bin-"); err != nil {
		return "", err
	}
	out := filepath.Join(build.dir, "tamizdat")
	cmd := exec.Command(goTool, "build", "-o", out, "./cmd/tamizdat")
	cmd.Dir = filepath.Dir(strings.TrimSpace(string(gomod)))
	if msg, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/tamizdat: %w\n%s", err, msg)
	}
	return out, nil
}

// Process is an OS process a test started, reaped by one goroutine.
type Process struct {
	Cmd    *exec.Cmd
	exited chan struct{}
	err    error
}

// StartProcess starts cmd; the kernel kills it if the test process dies
// (a test killed by -timeout leaves nothing behind; see dieWithParent).
func StartProcess(cmd *exec.Cmd) (*Process, error) {
	cmd.SysProcAttr = dieWithParent()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &Process{Cmd: cmd, exited: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		close(p.exited)
	}()
	return p, nil
}

// Running reports whether the process has not exited yet.
func (p *Process) Running() bool {
	select {
	case <-p.exited:
		return false
	default:
		return true
	}
}

// Exited is closed when the process has exited.
func (p *Process) Exited() <-chan struct{} { return p.exited }

// Err is what waiting for the process returned, once it exited.
func (p *Process) Err() error { <-p.exited; return p.err }

// Stop sends sig to the process, by its PID, and waits for it to exit; one
// still there after grace is killed, and that is the error.
func (p *Process) Stop(sig syscall.Signal, grace time.Duration) error {
	if !p.Running() {
		return nil
	}
	p.Cmd.Process.Signal(sig)
	select {
	case <-p.exited:
		return nil
	case <-time.After(grace):
	}
	p.Cmd.Process.Kill()
	<-p.exited
	return fmt.Errorf("pid %d ignored %v for %v and was killed", p.Cmd.Process.Pid, sig, grace)
}

// Kill sends SIGKILL and waits until the process is gone, which the
// kernel guarantees.
func (p *Process) Kill() error {
	if err := p.Cmd.Process.Signal(syscall.SIGKILL); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return err
	}
	<-p.exited
	return nil
}

// Node is `tamizdat serve` run as a process of its own: started and
// stopped any number of times on the same address and flags, with the
// standard output and error of every run kept in files.
type Node struct {
	Name string
	Bin  string
	Args []string // after "serve", without --addr
	Env  []string
	// Addr is host:port; "" chooses a free port at the first start, which
	// later starts keep.
	Addr string
	Outs []string // standard output of each run, oldest first
	Errs []string // standard error (the JSON log) of each run
	Proc *Process
	logs string
}

// NewNode prepares a node; nothing runs until Start. It is stopped, by its
// PID, when the test ends.
func NewNode(tb testing.TB, name, bin string, env []string, args ...string) *Node {
	tb.Helper()
	n := &Node{Name: name, Bin: bin, Args: args, Env: env, logs: tb.TempDir()}
	tb.Cleanup(func() {
		if n.Alive() {
			if err := n.Proc.Stop(syscall.SIGTERM, 30*time.Second); err != nil {
				tb.Errorf("%s at cleanup: %v", n.Name, err)
			}
		}
	})
	return n
}

var servingOn = regexp.MustCompile(`serving on http://(\S+)/`)

// Start runs the node (with extra flags for this run only) and waits until
// /readyz answers 200 — which on a node started with --demo also means the
// demo content is in — or the node exits, or the deadline nears.
func (n *Node) Start(tb testing.TB, extra ...string) {
	tb.Helper()
	if n.Alive() {
		tb.Fatalf("%s is already running", n.Name)
	}
	run := len(n.Outs) + 1
	stdout, err := os.Create(filepath.Join(n.logs, fmt.Sprintf("%s.stdout.%d", n.Name, run)))
	if err != nil {
		tb.Fatal(err)
	}
	stderr, err := os.Create(filepath.Join(n.logs, fmt.Sprintf("%s.stderr.%d", n.Name, run)))
	if err != nil {
		tb.Fatal(err)
	}
	n.Outs, n.Errs = append(n.Outs, stdout.Name()), append(n.Errs, stderr.Name())
	addr := n.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	cmd := exec.Command(n.Bin, append(append([]string{"serve", "--addr", addr}, n.Args...), extra...)...)
	cmd.Env, cmd.Stdout, cmd.Stderr = n.Env, stdout, stderr
	began := time.Now()
	n.Proc, err = StartProcess(cmd)
	stdout.Close() // the child holds descriptors of its own
	stderr.Close()
	if err != nil {
		tb.Fatalf("starting %s: %v", n.Name, err)
	}
	deadline := Deadline(tb)
	for n.Addr == "" {
		if m := servingOn.FindStringSubmatch(n.Stdout()); m != nil {
			n.Addr = m[1]
			break
		}
		n.checkStarting(tb, deadline, "did not say where it listens")
		time.Sleep(10 * time.Millisecond)
	}
	probe := &http.Client{Timeout: 5 * time.Second}
	for {
		res, err := probe.Get(n.URL("/readyz"))
		if err == nil {
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				tb.Logf("%s (pid %d) ready on %s after %v", n.Name, n.Proc.Cmd.Process.Pid, n.Addr, time.Since(began).Round(time.Millisecond))
				return
			}
		}
		n.checkStarting(tb, deadline, "was not ready")
		time.Sleep(20 * time.Millisecond)
	}
}

func (n *Node) checkStarting(tb testing.TB, deadline time.Time, what string) {
	tb.Helper()
	if !n.Alive() {
		tb.Fatalf("run %d of %s exited (%v) before it was ready\n%s", len(n.Outs), n.Name, n.Proc.Err(), n.LastLines(15))
	}
	if time.Now().After(deadline) {
		tb.Fatalf("run %d of %s (pid %d) %s by the test's deadline\n%s", len(n.Outs), n.Name, n.Proc.Cmd.Process.Pid, what, n.LastLines(15))
	}
}

// Alive reports whether the node's current run is going.
func (n *Node) Alive() bool { return n.Proc != nil && n.Proc.Running() }

// URL is the address of path on the node.
func (n *Node) URL(path string) string { return "http://" + n.Addr + path }

// Stdout is what the current run printed so far.
func (n *Node) Stdout() string {
	if len(n.Outs) == 0 {
		return ""
	}
	b, _ := os.ReadFile(n.Outs[len(n.Outs)-1])
	return string(b)
}

// Kill sends SIGKILL to the node and waits until it is gone.
func (n *Node) Kill(tb testing.TB) {
	tb.Helper()
	if err := n.Proc.Kill(); err != nil {
		tb.Fatalf("SIGKILL to %s (pid %d): %v", n.Name, n.Proc.Cmd.Process.Pid, err)
	}
}

// Terminate sends SIGTERM and waits for a clean exit; a node still there
// after grace is killed, and that, or an unclean exit, is the error.
func (n *Node) Terminate(grace time.Duration) error {
	pid := n.Proc.Cmd.Process.Pid
	if err := n.Proc.Stop(syscall.SIGTERM, grace); err != nil {
		return err
	}
	if !n.Proc.Cmd.ProcessState.Success() {
		return fmt.Errorf("%s (pid %d) exited with %v after SIGTERM\n%s", n.Name, pid, n.Proc.Cmd.ProcessState, n.LastLines(15))
	}
	return nil
}

// LastLines is the end of the current run's output, for failure messages.
func (n *Node) LastLines(k int) string {
	var b strings.Builder
	for _, f := range []string{n.Outs[len(n.Outs)-1], n.Errs[len(n.Errs)-1]} {
		data, _ := os.ReadFile(f)
		lines := strings.Split(strings.TrimSpace(string(data)), "\n")
		fmt.Fprintf(&b, "--- %s (last lines)\n%s\n", filepath.Base(f), strings.Join(lines[max(0, len(lines)-k):], "\n"))
	}
	return b.String()
}

// WaitOutput waits until the node's first run printed a line matching re
// and returns its first group.
func (n *Node) WaitOutput(tb testing.TB, re *regexp.Regexp) string {
	tb.Helper()
	var got string
	WaitFor(tb, n.Name+" to print "+re.String(), func() bool {
		b, _ := os.ReadFile(n.Outs[0])
		if m := re.FindSubmatch(b); m != nil {
			got = string(m[1])
			return true
		}
		return false
	})
	return got
}
