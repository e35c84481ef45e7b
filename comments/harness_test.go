package comments_test

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"testing"
	"time"

	"tamizdat/internal/testkit"
)

func TestMain(m *testing.M) { os.Exit(testkit.Main(m)) }

// needBinary returns the path of a freshly built cmd/tamizdat.
func needBinary(tb testing.TB) string { return testkit.Binary(tb) }

// needLoopbackRange checks that an address of 127.0.0.0/8 other than
// 127.0.0.1 can be bound, as on Linux; the tests tell readers apart by it.
func needLoopbackRange(tb testing.TB, ip string) {
	tb.Helper()
	ln, err := net.Listen("tcp", net.JoinHostPort(ip, "0"))
	if err == nil {
		ln.Close()
	}
	testkit.Need(tb, err == nil, "this system cannot bind %s (only Linux routes all of 127.0.0.0/8 to lo): %v", ip, err)
}

// server is one `tamizdat serve` on a data folder and a fixed port, which
// the test may kill and start again any number of times.
type server struct {
	*testkit.Node
	tb   testing.TB
	data string
}

// newServer prepares a server on an empty data folder; nothing runs yet.
// The node secret stays the same across restarts so that the signed form
// tokens and the day keys stay valid.
func newServer(tb testing.TB, bin string) *server {
	tb.Helper()
	data := tb.TempDir()
	n := testkit.NewNode(tb, "server", bin, testkit.ChildEnv(randomHex(24)), "--data", data)
	n.Addr = testkit.FreeAddr(tb)
	return &server{Node: n, tb: tb, data: data}
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func (s *server) url(path string) string { return s.URL(path) }

// run starts the server and waits until /readyz answers 200.
func (s *server) run(extra ...string) {
	s.tb.Helper()
	s.Start(s.tb, extra...)
}

// lastLines is the end of the current run's output, for failure messages.
func (s *server) lastLines() string { return s.LastLines(15) }

// kill sends SIGKILL to the server's PID and waits until it is gone.
func (s *server) kill() {
	s.tb.Helper()
	s.Kill(s.tb)
}

// terminate sends SIGTERM and waits for a graceful exit; a server that is
// still there after grace is killed and reported.
func (s *server) terminate(grace time.Duration) error { return s.Terminate(grace) }

var demoTokenLine = regexp.MustCompile(`demo API token[^:]*: (tzd_[A-Za-z0-9_-]+)`)

// demoToken waits for the API token that --demo prints on the first run.
func (s *server) demoToken() string {
	s.tb.Helper()
	return s.WaitOutput(s.tb, demoTokenLine)
}

// setting runs `tamizdat settings set KEY VALUE` on the server's data.
func (s *server) setting(key, value string) {
	s.tb.Helper()
	cmd := exec.Command(s.Bin, "settings", "set", key, value, "--data", s.data)
	cmd.Env = s.Env
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
