package multinode_test

import (
	"bufio"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"tamizdat/internal/testkit"
)

func TestMain(m *testing.M) { os.Exit(testkit.Main(m)) }

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
	testkit.Need(t, len(missing) == 0, "the multi-node test, the only test of nodes behind a load balancer, needs %s: apt-get install -y nginx wrk",
		strings.Join(missing, " and "))
	return nginx, wrk
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

// secret is the node secret the test cluster's nodes share.
const secret = "the node secret shared by the test cluster's nodes"

// node is one `tamizdat serve` process of the cluster; start runs it again
// with the same flags on the same address.
type node struct{ *testkit.Node }

// startNode starts a node on a port of its own choosing and waits until it
// is ready. The process is stopped, by its PID, when the test ends.
func startNode(t *testing.T, name, bin string, flags ...string) *node {
	t.Helper()
	n := &node{testkit.NewNode(t, name, bin, testkit.ChildEnv(secret), flags...)}
	n.Start(t)
	return n
}

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
	for _, path := range n.Errs {
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
