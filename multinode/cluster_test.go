package multinode_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
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

// requireTools returns the paths of nginx and wrk. Without them the test is
// skipped loudly, or fails in CI, where .ci/run must have installed them.
func requireTools(t *testing.T) (nginx, wrk string) {
	t.Helper()
	var missing []string
	nginx = "/usr/sbin/nginx"
	if _, err := os.Stat(nginx); err != nil {
		if p, err := exec.LookPath("nginx"); err == nil {
			nginx = p
		} else {
			missing = append(missing, "nginx")
		}
	}
	wrk, err := exec.LookPath("wrk")
	if err != nil {
		missing = append(missing, "wrk")
	}
	if len(missing) > 0 {
		msg := fmt.Sprintf("the multi-node test needs %s: apt-get install -y nginx wrk", strings.Join(missing, " and "))
		if os.Getenv("CI") == "true" {
			t.Fatal(msg + " (.ci/run installs them)")
		}
		t.Skip("\n*** SKIPPING the multi-node test: " + msg + "\n*** It is the only test of nodes behind a load balancer.")
	}
	return nginx, wrk
}

// buildBinary builds cmd/tamizdat of this module into a temporary folder.
func buildBinary(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is not on PATH, so the real binary cannot be built: %v", err)
	}
	gomod, err := exec.Command(goTool, "env", "GOMOD").Output()
	root := filepath.Dir(strings.TrimSpace(string(gomod)))
	if err != nil || !strings.HasSuffix(strings.TrimSpace(string(gomod)), "go.mod") {
		t.Fatalf("go env GOMOD: %q %v", gomod, err)
	}
	bin := filepath.Join(t.TempDir(), "tamizdat")
	start := time.Now()
	cmd := exec.Command(goTool, "build", "-o", bin, "./cmd/tamizdat")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/tamizdat: %v\n%s", err, out)
	}
	t.Logf("built %s in %v", bin, time.Since(start).Round(time.Millisecond))
	return bin
}

// freePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// childEnv is the test's environment without TAMIZDAT_* variables, so that
// only the flags configure a node.
func childEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "TAMIZDAT_") {
			env = append(env, kv)
		}
	}
	// The nodes of one site share one node secret.
	return append(env, "TAMIZDAT_SECRET=the node secret shared by the test cluster's nodes")
}

// process is an OS process the test started, reaped by one goroutine.
type process struct {
	cmd    *exec.Cmd
	exited chan struct{} // closed once Wait returned
	err    error         // what Wait returned, readable after exited
}

func startProcess(cmd *exec.Cmd) (*process, error) {
	cmd.SysProcAttr = procAttr()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &process{cmd: cmd, exited: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		close(p.exited)
	}()
	return p, nil
}

func (p *process) running() bool {
	select {
	case <-p.exited:
		return false
	default:
		return true
	}
}

// stop sends sig to the process, by its PID, and waits for it to exit,
// sending SIGKILL if it is still there after grace.
func (p *process) stop(sig syscall.Signal, grace time.Duration) error {
	if !p.running() {
		return nil
	}
	p.cmd.Process.Signal(sig)
	select {
	case <-p.exited:
		return nil
	case <-time.After(grace):
	}
	p.cmd.Process.Kill()
	select {
	case <-p.exited:
		return fmt.Errorf("pid %d ignored %v for %v and was killed", p.cmd.Process.Pid, sig, grace)
	case <-time.After(10 * time.Second):
		return fmt.Errorf("pid %d does not exit after SIGKILL", p.cmd.Process.Pid)
	}
}

// syncBuffer collects a process's standard output.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// node is one `tamizdat serve` process; restart runs it again with the same
// flags on the same address.
type node struct {
	name   string
	bin    string
	flags  []string // after "serve", without --addr
	dir    string   // logs
	addr   string   // host:port once started
	starts int
	proc   *process
	stdout *syncBuffer
	logs   []string // stderr files, one per start
}

var servingOn = regexp.MustCompile(`serving on http://(127\.0\.0\.1:\d+)/`)

// startNode starts a node on a port of its own choosing and waits until it
// is ready. The process is stopped, by its PID, when the test ends.
func startNode(t *testing.T, name, bin string, flags ...string) *node {
	t.Helper()
	n := &node{name: name, bin: bin, flags: flags, dir: t.TempDir(), addr: "127.0.0.1:0"}
	t.Cleanup(func() {
		if n.proc != nil {
			if err := n.proc.stop(syscall.SIGTERM, 20*time.Second); err != nil {
				t.Errorf("%s: %v", n.name, err)
			}
		}
	})
	n.start(t)
	return n
}

// start runs the binary and waits until /readyz answers 200, which on a
// node started with --demo also means the demo content is in.
func (n *node) start(t *testing.T) {
	t.Helper()
	n.starts++
	logPath := filepath.Join(n.dir, fmt.Sprintf("%s-%d.log", n.name, n.starts))
	logf, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close() // the child has its own descriptor
	n.logs = append(n.logs, logPath)
	n.stdout = &syncBuffer{}
	cmd := exec.Command(n.bin, append([]string{"serve", "--addr", n.addr}, n.flags...)...)
	cmd.Env = childEnv()
	cmd.Stdout = n.stdout
	cmd.Stderr = logf
	began := time.Now()
	n.proc, err = startProcess(cmd)
	if err != nil {
		t.Fatalf("%s: %v", n.name, err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		if m := servingOn.FindStringSubmatch(n.stdout.String()); m != nil {
			n.addr = m[1]
			break
		}
		if !n.proc.running() || time.Now().After(deadline) {
			t.Fatalf("%s did not start (%v): stdout %q\n%s", n.name, n.proc.err, n.stdout, tail(logPath, 20))
		}
		time.Sleep(10 * time.Millisecond)
	}
	n.waitReady(t, deadline)
	t.Logf("%s (pid %d) ready on %s after %v", n.name, n.proc.cmd.Process.Pid, n.addr, time.Since(began).Round(time.Millisecond))
}

func (n *node) waitReady(t *testing.T, deadline time.Time) {
	t.Helper()
	client := &http.Client{Timeout: 3 * time.Second}
	last := ""
	for {
		res, err := client.Get(n.url("/readyz"))
		if err == nil {
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode == 200 {
				return
			}
			last = res.Status
		} else {
			last = err.Error()
		}
		if !n.proc.running() || time.Now().After(deadline) {
			t.Fatalf("%s on %s is not ready (%s; exit %v)\n%s", n.name, n.addr, last, n.proc.err, tail(n.logs[len(n.logs)-1], 20))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// kill sends SIGKILL to the node's process and waits until it is gone.
func (n *node) kill(t *testing.T) {
	t.Helper()
	if err := n.proc.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatalf("killing %s: %v", n.name, err)
	}
	select {
	case <-n.proc.exited:
	case <-time.After(10 * time.Second):
		t.Fatalf("%s (pid %d) is still there 10 s after SIGKILL", n.name, n.proc.cmd.Process.Pid)
	}
}

func (n *node) url(path string) string { return "http://" + n.addr + path }

// tail returns the last lines of a file, for failure messages.
func tail(path string, lines int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	all := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(all) > lines {
		all = all[len(all)-lines:]
	}
	return path + ":\n" + strings.Join(all, "\n")
}

// serverErrors returns the node's error log lines (at most max of them),
// how many there were, and how many requests its log says were answered
// 5xx.
func (n *node) serverErrors(max int) (errs []string, count, answered5xx int) {
	for _, path := range n.logs {
		f, err := os.Open(path)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			if strings.Contains(line, `"msg":"request"`) && strings.Contains(line, `"status":5`) {
				answered5xx++
			}
			if strings.Contains(line, `"level":"ERROR"`) {
				count++
				if len(errs) < max {
					errs = append(errs, filepath.Base(path)+": "+line)
				}
			}
		}
		f.Close()
	}
	return errs, count, answered5xx
}
