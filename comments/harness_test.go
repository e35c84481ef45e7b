package comments_test

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The server binary is built once per test process, into a folder that
// TestMain removes at the end.
var build struct {
	done bool
	dir  string
	path string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if build.dir != "" {
		os.RemoveAll(build.dir)
	}
	os.Exit(code)
}

// needBinary returns the path of a freshly built cmd/tamizdat. When it does
// not build (another package of the module may be half-written), the test
// is skipped with a loud message, except in CI, where it fails.
func needBinary(tb testing.TB) string {
	tb.Helper()
	if !build.done {
		build.done = true
		build.path, build.err = compileServer()
	}
	if build.err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("the server binary does not build: %v", build.err)
		}
		tb.Skipf("\n!!! SKIPPED %s: the server binary does not build, so the comment tests of the real\n!!! binary did not run. Fix the build and run them again:\n%v", tb.Name(), build.err)
	}
	return build.path
}

func compileServer() (string, error) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		return "", fmt.Errorf("no go command on PATH: %w", err)
	}
	build.dir, err = os.MkdirTemp("", "tamizdat-comments-")
	if err != nil {
		return "", err
	}
	out := filepath.Join(build.dir, "tamizdat")
	// The test runs in the package folder, inside the module, so the import
	// path of the command is enough.
	msg, err := exec.Command(goCmd, "build", "-o", out, "tamizdat/cmd/tamizdat").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build tamizdat/cmd/tamizdat: %w\n%s", err, msg)
	}
	return out, nil
}

// needLoopbackRange checks that an address of 127.0.0.0/8 other than
// 127.0.0.1 can be bound, as on Linux; the tests tell readers apart by it.
func needLoopbackRange(tb testing.TB, ip string) {
	tb.Helper()
	ln, err := net.Listen("tcp", net.JoinHostPort(ip, "0"))
	if err == nil {
		ln.Close()
		return
	}
	if os.Getenv("CI") == "true" {
		tb.Fatalf("cannot bind %s: %v", ip, err)
	}
	tb.Skipf("\n!!! SKIPPED %s: this system cannot bind %s (only Linux routes all of 127.0.0.0/8 to lo): %v", tb.Name(), ip, err)
}

// server is one `tamizdat serve` on a data folder and a fixed port, which
// the test may kill and start again any number of times.
type server struct {
	tb     testing.TB
	bin    string
	data   string
	addr   string // 127.0.0.1:port, the same across restarts
	logs   string // where the stdout and stderr of every run go
	secret string
	runs   int
	cmd    *exec.Cmd
	exited chan struct{}
	outs   []string // stdout files, one per run
	errs   []string // stderr files, one per run
}

// newServer prepares a server on an empty data folder; nothing runs yet.
func newServer(tb testing.TB, bin string) *server {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	s := &server{tb: tb, bin: bin, data: tb.TempDir(), logs: tb.TempDir(), addr: addr, secret: randomHex(24)}
	tb.Cleanup(func() {
		if s.alive() {
			if err := s.terminate(30 * time.Second); err != nil {
				tb.Errorf("at cleanup: %v", err)
			}
		}
	})
	return s
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// env is the test's environment with no TAMIZDAT_ variable but the secret,
// which stays the same across restarts so that the signed form tokens and
// the day keys stay valid.
func (s *server) env() []string {
	env := make([]string, 0, len(os.Environ())+1)
	for _, kv := range os.Environ() {
		if name, _, _ := strings.Cut(kv, "="); !strings.HasPrefix(name, "TAMIZDAT_") {
			env = append(env, kv)
		}
	}
	return append(env, "TAMIZDAT_SECRET="+s.secret)
}

func (s *server) url(path string) string { return "http://" + s.addr + path }

func (s *server) alive() bool {
	if s.cmd == nil {
		return false
	}
	select {
	case <-s.exited:
		return false
	default:
		return true
	}
}

// run starts the server and waits until /readyz answers 200.
func (s *server) run(extra ...string) {
	s.tb.Helper()
	if s.alive() {
		s.tb.Fatal("the server is already running")
	}
	s.runs++
	stdout, err := os.Create(filepath.Join(s.logs, fmt.Sprintf("stdout.%d", s.runs)))
	if err != nil {
		s.tb.Fatal(err)
	}
	stderr, err := os.Create(filepath.Join(s.logs, fmt.Sprintf("stderr.%d", s.runs)))
	if err != nil {
		s.tb.Fatal(err)
	}
	s.outs, s.errs = append(s.outs, stdout.Name()), append(s.errs, stderr.Name())
	args := append([]string{"serve", "--addr", s.addr, "--data", s.data}, extra...)
	cmd := exec.Command(s.bin, args...)
	cmd.Env, cmd.Stdout, cmd.Stderr = s.env(), stdout, stderr
	cmd.SysProcAttr = dieWithParent()
	err = cmd.Start()
	stdout.Close() // the child holds its own descriptors
	stderr.Close()
	if err != nil {
		s.tb.Fatalf("starting %s: %v", s.bin, err)
	}
	s.cmd, s.exited = cmd, make(chan struct{})
	go func(done chan struct{}) {
		cmd.Wait()
		close(done)
	}(s.exited)

	probe := &http.Client{Timeout: 2 * time.Second}
	for deadline := time.Now().Add(60 * time.Second); ; {
		res, err := probe.Get(s.url("/readyz"))
		if err == nil {
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		if !s.alive() {
			s.tb.Fatalf("run %d of the server exited (%v) before it was ready\n%s", s.runs, cmd.ProcessState, s.lastLines())
		}
		if time.Now().After(deadline) {
			s.tb.Fatalf("run %d of the server (pid %d) was not ready within 60 s\n%s", s.runs, cmd.Process.Pid, s.lastLines())
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// lastLines is the end of the current run's output, for failure messages.
func (s *server) lastLines() string {
	var b strings.Builder
	for _, f := range []string{s.outs[len(s.outs)-1], s.errs[len(s.errs)-1]} {
		data, _ := os.ReadFile(f)
		lines := strings.Split(strings.TrimSpace(string(data)), "\n")
		fmt.Fprintf(&b, "--- %s (last lines)\n%s\n", filepath.Base(f), strings.Join(lines[max(0, len(lines)-15):], "\n"))
	}
	return b.String()
}

// kill sends SIGKILL to the server's PID and waits until it is gone.
func (s *server) kill() {
	s.tb.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGKILL); err != nil && !errors.Is(err, os.ErrProcessDone) {
		s.tb.Fatalf("SIGKILL to pid %d: %v", s.cmd.Process.Pid, err)
	}
	select {
	case <-s.exited:
	case <-time.After(15 * time.Second):
		s.tb.Fatalf("pid %d still runs 15 s after SIGKILL", s.cmd.Process.Pid)
	}
}

// terminate sends SIGTERM and waits for a graceful exit; a server that is
// still there after grace is killed and reported.
func (s *server) terminate(grace time.Duration) error {
	pid := s.cmd.Process.Pid
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
		if !s.cmd.ProcessState.Success() {
			return fmt.Errorf("pid %d exited with %v after SIGTERM\n%s", pid, s.cmd.ProcessState, s.lastLines())
		}
		return nil
	case <-time.After(grace):
	}
	s.cmd.Process.Kill()
	<-s.exited
	return fmt.Errorf("pid %d ignored SIGTERM for %v and was killed", pid, grace)
}

// demoToken waits for the API token that --demo prints on the first run.
func (s *server) demoToken() string {
	s.tb.Helper()
	re := regexp.MustCompile(`demo API token[^:]*: (tzd_[A-Za-z0-9_-]+)`)
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		out, _ := os.ReadFile(s.outs[0])
		if m := re.FindSubmatch(out); m != nil {
			return string(m[1])
		}
	}
	s.tb.Fatalf("the server printed no demo API token\n%s", s.lastLines())
	return ""
}

// setting runs `tamizdat settings set KEY VALUE` on the server's data.
func (s *server) setting(key, value string) {
	s.tb.Helper()
	cmd := exec.Command(s.bin, "settings", "set", key, value, "--data", s.data)
	cmd.Env = s.env()
	if out, err := cmd.CombinedOutput(); err != nil {
		s.tb.Fatalf("settings set %s %s: %v\n%s", key, value, err, out)
	}
}

// readerClient sends every request from the local address ip and follows
// no redirect, so that the 303 of a taken comment can be read.
func readerClient(ip string) *http.Client {
	dialer := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 5 * time.Second}
	return &http.Client{
		Timeout:       20 * time.Second,
		Transport:     &http.Transport{DialContext: dialer.DialContext, MaxIdleConnsPerHost: 8, IdleConnTimeout: 30 * time.Second},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// api calls the JSON API with the bearer token; it fails the test unless
// the answer has the wanted status, and decodes it into out (if not nil).
func api(tb testing.TB, c *http.Client, s *server, token, method, path string, in any, want int, out any) {
	tb.Helper()
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			tb.Fatal(err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, s.url(path), body)
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := c.Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	got, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		tb.Fatalf("%s %s answered %d, want %d: %s", method, path, res.StatusCode, want, got)
	}
	if out != nil {
		if err := json.Unmarshal(got, out); err != nil {
			tb.Fatalf("%s %s: %v in %s", method, path, err, got)
		}
	}
}

// newArticle publishes an English article through the API and returns its
// id and the path of its page.
func newArticle(tb testing.TB, c *http.Client, s *server, token, title string) (int64, string) {
	tb.Helper()
	var a struct {
		ID  int64  `json:"id"`
		URL string `json:"url"`
	}
	api(tb, c, s, token, "POST", "/api/v1/articles", map[string]string{"edition": "en", "title": title, "status": "published"}, http.StatusCreated, &a)
	u, err := url.Parse(a.URL)
	if err != nil || a.ID == 0 || u.Path == "" {
		tb.Fatalf("the new article has id %d and url %q (%v)", a.ID, a.URL, err)
	}
	return a.ID, u.Path
}

var tokenField = regexp.MustCompile(`name="token" value="([^"]+)"`)

// formToken reads the comment form's signed time token off the page.
func formToken(tb testing.TB, c *http.Client, s *server, path string) string {
	tb.Helper()
	res, err := c.Get(s.url(path))
	if err != nil {
		tb.Fatalf("GET %s: %v", path, err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := tokenField.FindSubmatch(page)
	if res.StatusCode != http.StatusOK || m == nil {
		tb.Fatalf("GET %s answered %d with no comment form token", path, res.StatusCode)
	}
	return string(m[1])
}

// comment is one post of the article page's comment form.
type comment struct {
	text, name, token, website string
	parent                     int64
}

// post sends the form and returns the status and the Location header.
func (cm comment) post(c *http.Client, s *server, path string) (int, string, error) {
	form := url.Values{"text": {cm.text}, "name": {cm.name}, "token": {cm.token}, "website": {cm.website}}
	if cm.parent != 0 {
		form.Set("parent", fmt.Sprint(cm.parent))
	}
	res, err := c.PostForm(s.url(path), form)
	if err != nil {
		return 0, "", err
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode, res.Header.Get("Location"), nil
}

var publishedID = regexp.MustCompile(`\?comment=published#c(\d+)$`)
