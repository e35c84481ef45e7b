// Package e2e boots the real tamizdat server (app.Main with --demo) on
// 127.0.0.1 and drives Debian's Chromium against it with chromedp: pages stay
// on loopback, log no errors, show what a reader expects, and pass axe-core's
// WCAG 2.1 A/AA rules.
package e2e

import (
	"flag"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"tamizdat/internal/app"
	"tamizdat/internal/testkit"
)

// baseURL is the address of the server TestMain started, as
// "http://127.0.0.1:PORT"; every test of the package only reads from it.
var baseURL string

// dataDir holds the server's database; adminPassword is the demo admin's,
// as the server printed it once.
var dataDir, adminPassword string

// apiToken is the demo admin's API token, as the server printed it once.
var apiToken string

var passwordLine = regexp.MustCompile(`demo admin \(shown once, keep it\): e-mail \S+\s+password (\S+)`)

var apiTokenLine = regexp.MustCompile(`demo API token \(shown once, valid 90 days\): (\S+)`)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	// The start below waits as long as the test binary's -timeout allows,
	// which flag.Parse reads.
	flag.Parse()
	var err error
	dataDir, err = os.MkdirTemp("", "tamizdat-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer os.RemoveAll(dataDir)

	// A busy machine makes the demo seed slow, not broken: the start is
	// waited for until shortly before the test binary's own deadline.
	srv, err := testkit.Serve([]string{"--data", dataDir, "--demo"}, func(string) string { return "" }, testkit.ProcessDeadline())
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	baseURL = "http://" + srv.Addr
	if m := passwordLine.FindStringSubmatch(srv.Stdout.String()); m != nil {
		adminPassword = m[1]
	}
	if m := apiTokenLine.FindStringSubmatch(srv.Stdout.String()); m != nil {
		apiToken = m[1]
	}
	logs := srv.Stderr

	code := m.Run()

	if exit := srv.Stop(); exit != app.ExitOK {
		fmt.Fprintf(os.Stderr, "e2e: tamizdat serve exited with %d after shutdown\nstderr:\n%s\n", exit, logs.String())
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
