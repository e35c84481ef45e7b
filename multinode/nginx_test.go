package multinode_test

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"text/template"
	"time"

	"tamizdat/internal/testkit"
)

// balancer is an nginx process of the test, with its own prefix, config and
// logs in a temporary folder.
type balancer struct {
	addr string
	dir  string
	proc *testkit.Process
}

// startNginx runs nginx in front of the nodes on a free port of 127.0.0.1
// and waits until it answers. It tries another port if the one it picked
// was taken in the meantime.
func startNginx(t *testing.T, nginx string, nodes []string) *balancer {
	t.Helper()
	tmpl := template.Must(template.ParseFiles(filepath.Join("testdata", "nginx.conf.tmpl")))
	for attempt := 1; ; attempt++ {
		b, err := tryNginx(t, nginx, tmpl, nodes)
		if err == nil {
			return b
		}
		if attempt == 3 || !strings.Contains(err.Error(), "Address already in use") {
			t.Fatal(err)
		}
		t.Logf("nginx could not listen, trying another port: %v", err)
	}
}

func tryNginx(t *testing.T, nginx string, tmpl *template.Template, nodes []string) (*balancer, error) {
	dir := t.TempDir()
	nonce := make([]byte, 8)
	rand.Read(nonce)
	listen := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	conf := filepath.Join(dir, "nginx.conf")
	f, err := os.Create(conf)
	if err != nil {
		return nil, err
	}
	err = tmpl.Execute(f, map[string]any{"Dir": dir, "Nodes": nodes, "Listen": listen, "Nonce": hex.EncodeToString(nonce)})
	f.Close()
	if err != nil {
		return nil, err
	}
	out, err := os.Create(filepath.Join(dir, "stderr.log"))
	if err != nil {
		return nil, err
	}
	defer out.Close()
	// -e: the error log from the start, before the config is read, is ours
	// too, not /var/log/nginx/error.log.
	cmd := exec.Command(nginx, "-p", dir+"/", "-c", conf, "-e", filepath.Join(dir, "error.log"))
	cmd.Stdout, cmd.Stderr = out, out
	p, err := testkit.StartProcess(cmd)
	if err != nil {
		return nil, fmt.Errorf("starting nginx: %w", err)
	}
	b := &balancer{addr: listen, dir: dir, proc: p}
	t.Cleanup(func() {
		// SIGQUIT: nginx finishes what is in flight and exits.
		if err := p.Stop(syscall.SIGQUIT, 10*time.Second); err != nil {
			t.Errorf("nginx: %v", err)
		}
	})
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := testkit.Deadline(t)
	for {
		res, err := client.Get(b.url("/lb-ping"))
		if err == nil {
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if strings.TrimSpace(string(body)) == hex.EncodeToString(nonce) {
				t.Logf("nginx (pid %d) listening on %s, config %s", cmd.Process.Pid, listen, conf)
				return b, nil
			}
		}
		if !p.Running() {
			return nil, fmt.Errorf("nginx exited (%v):\n%s\n%s", p.Err(), tail(filepath.Join(dir, "stderr.log"), 20), tail(filepath.Join(dir, "error.log"), 20))
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("nginx does not answer on %s:\n%s", listen, tail(filepath.Join(dir, "error.log"), 20))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (b *balancer) url(path string) string { return "http://" + b.addr + path }

// accessEntry is one line of the access log (log_format lb).
type accessEntry struct {
	at             time.Time
	status         string
	method, uri    string
	upstream       string // as nginx wrote it: "a:1, b:2" when it tried two
	upstreamStatus string
}

func (b *balancer) accessLog(t *testing.T) []accessEntry {
	t.Helper()
	f, err := os.Open(filepath.Join(b.dir, "access.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []accessEntry
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		fields := strings.Fields(line)
		if len(fields) < 4 {
			continue
		}
		var e accessEntry
		var sec, msec int64
		if _, err := fmt.Sscanf(fields[0], "%d.%d", &sec, &msec); err == nil {
			e.at = time.Unix(sec, msec*int64(time.Millisecond))
		}
		e.status, e.method, e.uri = fields[1], fields[2], fields[3]
		rest := strings.Join(fields[4:], " ")
		if i := strings.Index(rest, "upstream="); i >= 0 {
			e.upstream = rest[i+len("upstream="):]
			if j := strings.Index(e.upstream, " upstream_status="); j >= 0 {
				e.upstream = e.upstream[:j]
			}
		}
		if i := strings.Index(rest, "upstream_status="); i >= 0 {
			e.upstreamStatus = rest[i+len("upstream_status="):]
			if j := strings.Index(e.upstreamStatus, " rt="); j >= 0 {
				e.upstreamStatus = e.upstreamStatus[:j]
			}
		}
		out = append(out, e)
	}
	return out
}

// nodeErrors lists the requests to which a node answered nginx 500 or 503.
// (A 502 or 504 in upstream_status is nginx's own word for a node it could
// not reach or that did not answer.)
func (b *balancer) nodeErrors(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, e := range b.accessLog(t) {
		for _, s := range strings.Split(e.upstreamStatus, ", ") {
			if s == "500" || s == "503" {
				out = append(out, fmt.Sprintf("%s %s %s %s upstream=%s upstream_status=%s", e.at.Format("15:04:05.000"), e.status, e.method, e.uri, e.upstream, e.upstreamStatus))
				break
			}
		}
	}
	return out
}
