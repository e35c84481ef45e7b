package app_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"tamizdat/internal/app"
	"tamizdat/internal/store/postgres/pgtest"
	"tamizdat/internal/testkit"
)

// run runs one command in-process and returns its exit status and output.
func run(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := app.Main(context.Background(), args, app.Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb,
		Getenv: func(string) string { return "" }})
	return code, out.String(), errb.String()
}

func TestBadInputGetsOneLineAndStatus2(t *testing.T) {
	dir := t.TempDir()
	notADir := filepath.Join(dir, "file")
	os.WriteFile(notADir, []byte("x"), 0o600)
	corrupt := filepath.Join(dir, "corrupt.db")
	os.WriteFile(corrupt, bytes.Repeat([]byte("not a database "), 300), 0o600)
	data := filepath.Join(dir, "site")
	if code, _, errs := run(t, "", "migrate", "--data", data); code != 0 {
		t.Fatal(errs)
	}
	cases := []struct {
		name string
		args []string
		want string // a word the message must contain
	}{
		{"no command", nil, "no command"},
		{"unknown command", []string{"publish"}, "unknown command"},
		{"unknown flag", []string{"serve", "--colour", "red"}, "unknown flag"},
		{"unknown flag after args", []string{"settings", "get", "--data", data, "--verbose"}, "unknown flag"},
		{"bad flag value", []string{"serve", "--demo=perhaps", "--data", data}, "invalid boolean"},
		{"bad addr", []string{"serve", "--addr", "nowhere", "--data", data}, "--addr"},
		{"metrics on the public listener", []string{"serve", "--addr", "127.0.0.1:8080", "--metrics-addr", "127.0.0.1:8080", "--data", data}, "--metrics-addr must differ"},
		{"unknown settings key", []string{"settings", "set", "colour", "red", "--data", data}, "unknown settings key"},
		{"unknown settings key get", []string{"settings", "get", "colour", "--data", data}, "unknown settings key"},
		{"invalid time zone", []string{"settings", "set", "time_zone", "Mars/Olympus", "--data", data}, "time zone"},
		{"invalid json", []string{"settings", "set", "support_methods", "[{", "--data", data}, "support_methods"},
		{"no data folder", []string{"settings", "get", "--data", filepath.Join(notADir, "sub")}, "no site at " + filepath.Join(notADir, "sub", "tamizdat.db")},
		{"unwritable data folder serve", []string{"serve", "--data", filepath.Join(notADir, "sub")}, "data folder"},
		{"corrupt database", []string{"settings", "get", "--db", corrupt}, "not a SQLite database"},
		{"corrupt database serve", []string{"serve", "--db", corrupt, "--addr", "127.0.0.1:0"}, "not a SQLite database"},
		{"postgres unreachable", []string{"migrate", "--db", "postgres://u:secret@127.0.0.1:1/x?connect_timeout=2"}, "PostgreSQL"},
		{"bad role", []string{"user", "add", "--email", "a@example.org", "--role", "chief", "--data", data}, "--role"},
		{"bad email", []string{"user", "add", "--email", "nobody", "--role", "editor", "--data", data}, "e-mail"},
		{"short password", []string{"user", "add", "--email", "a@example.org", "--role", "editor", "--data", data}, "12 characters"},
		{"token for nobody", []string{"token", "create", "--email", "ghost@example.org", "--data", data}, "no user"},
		{"user without add", []string{"user", "--email", "a@example.org"}, "usage"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			stdin := ""
			if c.name == "short password" {
				stdin = "short\n"
			}
			code, _, stderr := run(t, stdin, c.args...)
			if code != app.ExitBadInput {
				t.Errorf("exit %d, want 2; stderr %q", code, stderr)
			}
			if strings.Count(stderr, "\n") != 1 || !strings.HasPrefix(stderr, "tamizdat: ") {
				t.Errorf("stderr is not one line: %q", stderr)
			}
			if !strings.Contains(stderr, c.want) {
				t.Errorf("stderr %q does not mention %q", stderr, c.want)
			}
			if strings.Contains(stderr, "secret") {
				t.Errorf("stderr shows a password: %q", stderr)
			}
		})
	}
	if b, _ := os.ReadFile(corrupt); !bytes.HasPrefix(b, []byte("not a database")) {
		t.Error("the corrupt file was changed")
	}
}

func TestSettingsUsersTokensAndFlagOrder(t *testing.T) {
	data := t.TempDir()
	if code, out, errs := run(t, "", "migrate", "--data", data); code != 0 || !regexp.MustCompile(`^schema at version \d+\n$`).MatchString(out) {
		t.Fatalf("migrate: %d %q %q", code, out, errs)
	}
	// Flags before and after the positional arguments.
	for _, args := range [][]string{
		{"settings", "set", "time_zone", "Europe/Warsaw", "--data", data},
		{"settings", "--data", data, "set", "site_name", "Вольны голас"},
		{"--data", data, "settings", "set", "access.be", "Радок 1\nРадок 2"},
	} {
		if args[0] == "--data" {
			args = append(args[2:3], append([]string{"--data", data}, args[3:]...)...)
		}
		if code, _, errs := run(t, "", args...); code != 0 {
			t.Fatalf("%v: %d %s", args, code, errs)
		}
	}
	code, out, _ := run(t, "", "settings", "get", "--data", data)
	if code != 0 {
		t.Fatal(code)
	}
	for _, want := range []string{"time_zone=Europe/Warsaw\n", "site_name=Вольны голас\n", `access.be=Радок 1\nРадок 2` + "\n", "default_edition=ru\n", "support_methods=[]\n", "access.en=\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("settings get lacks %q:\n%s", want, out)
		}
	}
	if _, one, _ := run(t, "", "settings", "get", "time_zone", "--data", data); one != "time_zone=Europe/Warsaw\n" {
		t.Errorf("settings get time_zone = %q", one)
	}
	// user add reads the password from standard input...
	code, out, errs := run(t, "a long enough password\n", "user", "add", "--email", "Editor@Example.org", "--role", "editor", "--data", data)
	if code != 0 || !strings.Contains(out, "editor@example.org") || strings.Contains(out, "password") {
		t.Fatalf("user add: %d %q %q", code, out, errs)
	}
	// ...or generates one and prints it once.
	code, out, _ = run(t, "", "user", "add", "--email", "admin@example.org", "--role", "admin", "--name", "Ада", "--data", data)
	if code != 0 || !regexp.MustCompile(`password \(shown once\): \S{20,}`).MatchString(out) {
		t.Fatalf("user add with generated password: %d %q", code, out)
	}
	if code, _, errs := run(t, "another long password\n", "user", "add", "--email", "editor@example.org", "--role", "author", "--data", data); code != 2 || !strings.Contains(errs, "already exists") {
		t.Errorf("duplicate user: %d %q", code, errs)
	}
	code, out, _ = run(t, "", "token", "create", "--email", "editor@example.org", "--data", data)
	if code != 0 || !regexp.MustCompile(`^tzd_[A-Za-z0-9_-]{43}\n$`).MatchString(out) {
		t.Errorf("token create printed %q (exit %d); want the token alone", out, code)
	}
}

func TestEnvironmentVariables(t *testing.T) {
	data := t.TempDir()
	env := map[string]string{"TAMIZDAT_DATA": data}
	for _, args := range [][]string{{"migrate"}, {"settings", "set", "site_name", "Env"}} {
		var out, errb bytes.Buffer
		code := app.Main(context.Background(), args, app.Env{Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }})
		if code != 0 {
			t.Fatalf("%v: %d %s", args, code, errb.String())
		}
	}
	if _, err := os.Stat(filepath.Join(data, "tamizdat.db")); err != nil {
		t.Errorf("TAMIZDAT_DATA was not used: %v", err)
	}
}

// server is a `tamizdat serve` running in-process (testkit.Server).
type server struct {
	*testkit.Server
	addr           string
	stdout, stderr *testkit.SyncBuffer
}

func (s *server) stop() int { return s.Stop() }

func (s *server) get(t *testing.T, path string, hdr ...string) (*http.Response, []byte) {
	t.Helper()
	return s.Get(t, path, hdr...)
}

func startServer(t *testing.T, args ...string) *server {
	t.Helper()
	s, err := launch(t, args...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// startServerNoFatal is startServer for goroutines other than the test's.
func startServerNoFatal(t *testing.T, args ...string) *server {
	s, err := launch(t, args...)
	if err != nil {
		t.Error(err)
		return nil
	}
	return s
}

// testEnv is the environment of the servers tests start: every node of a
// test site shares one node secret, as an operator's nodes would.
func testEnv(key string) string { return testkit.Getenv(key) }

// launch starts serve in-process and waits until it listens, for as long
// as the test may run: a busy machine makes it slow, not broken.
func launch(t *testing.T, args ...string) (*server, error) {
	ts, err := testkit.Serve(args, testEnv, testkit.Deadline(t))
	if err != nil {
		return nil, err
	}
	t.Cleanup(func() { ts.Stop() })
	return &server{Server: ts, addr: ts.Addr, stdout: ts.Stdout, stderr: ts.Stderr}, nil
}

var articleLink = regexp.MustCompile(`href="(/en/news/\d{4}/\d{1,2}/\d{1,2}/\d+/)"`)

func TestServeDemoOnSQLite(t *testing.T) {
	serveDemo(t, "--data", t.TempDir())
}

func TestServeDemoOnPostgreSQL(t *testing.T) {
	serveDemo(t, "--db", pgtest.FreshDSN(t), "--data", t.TempDir())
}

func serveDemo(t *testing.T, storage ...string) {
	s := startServer(t, append(storage, "--demo")...)
	out := s.stdout.String()
	for _, want := range []string{"serving on http://" + s.addr + "/", "demo content added", "e-mail " + app.DemoAdminEmail, "password ", "API token"} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	token := regexp.MustCompile(`tzd_\S+`).FindString(out)

	res, body := s.get(t, "/en/interview/")
	if res.StatusCode != 200 {
		t.Fatalf("/en/interview/: %d", res.StatusCode)
	}
	m := articleLink.FindSubmatch(body)
	if m == nil {
		t.Fatal("no article link on /en/interview/")
	}
	article := string(m[1])
	for _, path := range []string{"/", "/ru/", "/be/", "/en/", article, "/en/support/", "/en/access/", "/healthz", "/readyz", "/en/nope/", "/api/v1/articles?edition=en"} {
		res, _ := s.get(t, path)
		want := 200
		if path == "/en/nope/" {
			want = 404
		}
		if res.StatusCode != want {
			t.Errorf("%s: %d, want %d", path, res.StatusCode, want)
		}
		csp := res.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "default-src 'none'") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		if res.Header.Get("Referrer-Policy") != "same-origin" || res.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: security headers missing: %v", path, res.Header)
		}
	}

	// The demo interview is marked as one, through to the API, and its
	// page shows the turns of speech of the reference article.
	_, raw := s.get(t, "/api/v1/articles?edition=en&category=interview")
	var listed struct {
		Items []struct {
			URL       string `json:"url"`
			Interview bool   `json:"interview"`
		} `json:"items"`
	}
	if err := json.Unmarshal(raw, &listed); err != nil {
		t.Fatalf("interview list: %v in %.300s", err, raw)
	}
	interviews := 0
	for _, it := range listed.Items {
		if !it.Interview {
			continue
		}
		interviews++
		u, err := url.Parse(it.URL)
		if err != nil {
			t.Fatal(err)
		}
		_, page := s.get(t, u.Path)
		q, a := bytes.Count(page, []byte(`class="turn turn-q"`)), bytes.Count(page, []byte(`class="turn turn-a"`))
		if q < 4 || q != a || bytes.Count(page, []byte(`<div class="interview">`)) != 1 {
			t.Errorf("%s: %d questions and %d answers in the demo interview", u.Path, q, a)
		}
	}
	if interviews != 1 {
		t.Errorf("%d articles of /en/interview/ are marked as interviews, want the one demo interview", interviews)
	}

	// The article page weighs at most 30 KB compressed, images aside; the
	// stylesheet counts too.
	res, gz := s.get(t, article, "Accept-Encoding", "gzip")
	if res.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("article page not compressed: %v", res.Header)
	}
	zr, _ := gzip.NewReader(bytes.NewReader(gz))
	html, _ := io.ReadAll(zr)
	css := regexp.MustCompile(`href="(/assets/site\.[0-9a-f]+\.css)"`).FindSubmatch(html)
	if css == nil {
		t.Fatal("no stylesheet link")
	}
	_, cssGz := s.get(t, string(css[1]), "Accept-Encoding", "gzip")
	total := len(gz) + len(cssGz)
	t.Logf("article page: %d bytes of HTML, %d compressed; stylesheet %d compressed; total %d", len(html), len(gz), len(cssGz), total)
	if total > 30*1024 {
		t.Errorf("article page weighs %d bytes compressed, over 30 KB", total)
	}

	// The API token printed at start works.
	req, _ := http.NewRequest("POST", "http://"+s.addr+"/api/v1/categories", strings.NewReader(`{"edition":"en","slug":"sport","name":"Sport"}`))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != 201 {
		t.Errorf("creating a category with the demo token: %v %v", res.StatusCode, err)
	}
	// 413 past the body limit.
	big := strings.NewReader(strings.Repeat("x", app.MaxRequestBody+1))
	req, _ = http.NewRequest("POST", "http://"+s.addr+"/api/v1/articles", big)
	req.Header.Set("Authorization", "Bearer "+token)
	if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != 413 {
		t.Errorf("oversized body: %v %v", res.StatusCode, err)
	}

	if code := s.stop(); code != 0 {
		t.Errorf("serve exited %d after shutdown", code)
	}
	logs := s.stderr.String()
	if !strings.Contains(logs, `"route":"GET /{lang}/news/{y}/{m}/{d}/{id}/{$}"`) {
		t.Errorf("request log lacks route patterns:\n%.2000s", logs)
	}
	if strings.Contains(logs, "127.0.0.1") {
		t.Errorf("the log holds a client address:\n%.2000s", logs)
	}

	// A second start with --demo says so and serves.
	s2 := startServer(t, append(storage, "--demo")...)
	if out := s2.stdout.String(); !strings.Contains(out, "already has") || strings.Contains(out, "password") {
		t.Errorf("second --demo start: %q", out)
	}
	if res, _ := s2.get(t, "/en/"); res.StatusCode != 200 {
		t.Errorf("second start serves %d", res.StatusCode)
	}
}

// TestGracefulShutdownOnSIGTERM runs the real binary path (signal handling
// included) by re-executing the test binary as tamizdat.
func TestGracefulShutdownOnSIGTERM(t *testing.T) {
	if os.Getenv("TAMIZDAT_TEST_CHILD") == "1" {
		ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
		defer stop()
		os.Exit(app.Main(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--data", os.Getenv("TAMIZDAT_TEST_DATA")},
			app.Env{Stdout: os.Stdout, Stderr: os.Stderr}))
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestGracefulShutdownOnSIGTERM$")
	cmd.Env = append(os.Environ(), "TAMIZDAT_TEST_CHILD=1", "TAMIZDAT_TEST_DATA="+t.TempDir())
	stdout, _ := cmd.StdoutPipe()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	line := make([]byte, 200)
	n, _ := stdout.Read(line)
	addr := regexp.MustCompile(`http://(127\.0\.0\.1:\d+)/`).FindSubmatch(line[:n])
	if addr == nil {
		t.Fatalf("no address in %q (%s)", line[:n], stderr.String())
	}
	if res, err := http.Get(fmt.Sprintf("http://%s/healthz", addr[1])); err != nil || res.StatusCode != 200 {
		t.Fatalf("healthz: %v", err)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()
	select {
	case err := <-waited:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v\n%s", err, stderr.String())
		}
	case <-time.After(time.Until(testkit.Deadline(t))):
		t.Fatal("no exit after SIGTERM by the test's deadline")
	}
	if !strings.Contains(stderr.String(), "shutting down") {
		t.Errorf("no shutdown log line: %s", stderr.String())
	}
}
