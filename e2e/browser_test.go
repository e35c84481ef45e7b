package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"tamizdat/internal/testkit"
)

const (
	chromiumPath = "/usr/bin/chromium"
	// axePath is relative to the package folder, where go test runs.
	axePath      = "node_modules/axe-core/axe.min.js"
	artifactsDir = "artifacts"

	// pageTimeout bounds one page's load, checks and screenshots.
	pageTimeout = 60 * time.Second
)

// Viewports: a common phone and a laptop.
var (
	mobile  = viewport{"mobile", 390, 844}
	desktop = viewport{"desktop", 1280, 900}
)

type viewport struct {
	name          string
	width, height int64
}

// requireFile skips the test, or fails it in CI, when path is missing.
func requireFile(t *testing.T, path, what, install string) {
	t.Helper()
	_, err := os.Stat(path)
	testkit.Need(t, err == nil, "the browser test needs %s, not found at %s; install it with: %s", what, path, install)
}

// newBrowser starts a headless Chromium that cannot reach any host but
// loopback, with a fresh profile, and returns a context on its first tab.
// The browser is closed, and waited for, when the test ends.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	requireFile(t, chromiumPath, "Chromium", "apt-get install -y chromium chromium-driver")
	var out testkit.SyncBuffer
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		// Exactly the flags of ENGINEERING.md, "Settled choices": nothing
		// the browser does on its own may leave the machine, and every
		// host but loopback resolves to nothing.
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.CombinedOutput(&out),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(func() {
		// Registered after t.TempDir, so it runs first: the profile is
		// removed only once the browser has exited.
		cancelAlloc()
		if t.Failed() {
			// Without a D-Bus, Chromium complains on every start: leave
			// that out, keep the rest.
			var kept []string
			for line := range strings.Lines(out.String()) {
				if !strings.Contains(line, "dbus") {
					kept = append(kept, line)
				}
			}
			if len(kept) > 0 {
				t.Logf("chromium output:\n%s", strings.Join(kept, ""))
			}
		}
	})
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(cancel)
	// Start the browser with a context that has no deadline: the first Run
	// binds the browser's life to its context.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting %s: %v", chromiumPath, err)
	}
	return ctx
}

// pageRecord is what one tab saw: every request, and everything that a
// reader's browser would call a problem.
type pageRecord struct {
	mu       sync.Mutex
	requests []string // URLs, in order
	problems []string // console errors, exceptions, error log entries, failed or >= 400 loads
	notes    []string // data: URLs, warnings: worth a look, not a failure
	urls     map[network.RequestID]string
}

func (r *pageRecord) listen(ev any) {
	// Runs in the tab's event loop: only record, never call back.
	r.mu.Lock()
	defer r.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		if ev.Request == nil {
			return
		}
		u := ev.Request.URL
		r.requests = append(r.requests, u)
		r.urls[ev.RequestID] = u
	case *network.EventResponseReceived:
		if ev.Response != nil && ev.Response.Status >= 400 {
			r.problems = append(r.problems, fmt.Sprintf("HTTP %d for %s (%s)", ev.Response.Status, ev.Response.URL, ev.Type))
		}
	case *network.EventLoadingFailed:
		if !ev.Canceled {
			r.problems = append(r.problems, fmt.Sprintf("loading %s failed: %s %s", r.urls[ev.RequestID], ev.ErrorText, ev.BlockedReason))
		}
	case *runtime.EventConsoleAPICalled:
		msg := fmt.Sprintf("console.%s(%s)", ev.Type, remoteArgs(ev.Args))
		switch ev.Type {
		case runtime.ConsoleAPICalledTypeError, runtime.ConsoleAPICalledTypeAssert:
			r.problems = append(r.problems, msg)
		case runtime.ConsoleAPICalledTypeWarning:
			r.notes = append(r.notes, msg)
		}
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		if d == nil {
			r.problems = append(r.problems, "uncaught exception (no details)")
			return
		}
		text := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			text += " " + d.Exception.Description
		}
		r.problems = append(r.problems, fmt.Sprintf("uncaught exception at %s:%d:%d: %s", d.URL, d.LineNumber+1, d.ColumnNumber+1, text))
	case *log.EventEntryAdded:
		e := ev.Entry
		if e == nil {
			return
		}
		msg := fmt.Sprintf("browser log [%s/%s] %s %s", e.Source, e.Level, e.Text, e.URL)
		switch e.Level {
		case log.EntryLevelError:
			r.problems = append(r.problems, msg)
		case log.EntryLevelWarning:
			r.notes = append(r.notes, msg)
		}
	}
}

func remoteArgs(args []*runtime.RemoteObject) string {
	var parts []string
	for _, a := range args {
		switch {
		case a == nil:
		case len(a.Value) > 0:
			parts = append(parts, string(a.Value))
		case a.Description != "":
			parts = append(parts, a.Description)
		default:
			parts = append(parts, string(a.Type))
		}
	}
	return strings.Join(parts, ", ")
}

// check fails the test for any request off loopback and any problem the
// page reported, and logs the notes.
func (r *pageRecord) check(t *testing.T) {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.requests) == 0 {
		t.Error("no network request was recorded: the recorder is not working")
	}
	for _, raw := range r.requests {
		u, err := url.Parse(raw)
		switch {
		case err != nil:
			t.Errorf("request to an unparsable URL %q: %v", raw, err)
		case u.Scheme == "data":
			t.Logf("note: a data: URL was requested: %.80s", raw)
		case u.Scheme != "http" && u.Scheme != "https":
			t.Errorf("request with scheme %q: %.120s", u.Scheme, raw)
		case u.Hostname() != "127.0.0.1":
			t.Errorf("request left loopback: %s (host %q)", raw, u.Hostname())
		}
	}
	for _, p := range r.problems {
		t.Errorf("page problem: %s", p)
	}
	for _, n := range r.notes {
		t.Logf("note: %s", n)
	}
	if testing.Verbose() {
		t.Logf("%d requests: %s", len(r.requests), strings.Join(r.requests, " "))
	}
}

// newTab opens a tab in the browser of parent, recording from its very
// first event. The tab closes when the test ends.
func newTab(t *testing.T, parent context.Context) (context.Context, *pageRecord) {
	t.Helper()
	rec := &pageRecord{urls: map[network.RequestID]string{}}
	ctx, cancel := chromedp.NewContext(parent, chromedp.WithListener(rec.listen))
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil { // opens the tab, no deadline
		t.Fatalf("opening a tab: %v", err)
	}
	// chromedp enables the Network, Runtime and Log domains on a new tab;
	// enable Network again so the recording does not rest on that detail.
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatalf("Network.enable: %v", err)
	}
	return ctx, rec
}

// load sets the viewport, navigates to path and waits until the network has
// been idle (no request for 500 ms), so late requests such as the icon are
// recorded too. It returns a context bounded by pageTimeout for the checks
// that follow.
func load(t *testing.T, tab context.Context, vp viewport, path string) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, pageTimeout)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(vp.width, vp.height, vpOptions(vp)...)); err != nil {
		t.Fatalf("setting the viewport to %dx%d: %v", vp.width, vp.height, err)
	}
	isIdle := func(e page.EventLifecycleEvent) bool { return e.Name == "networkIdle" }
	if _, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LifecycleEvent, isIdle, chromedp.Navigate(baseURL+path))); err != nil {
		t.Fatalf("loading %s: %v", path, err)
	}
	return ctx
}

func vpOptions(vp viewport) []chromedp.EmulateViewportOption {
	if vp.width < 768 {
		return []chromedp.EmulateViewportOption{chromedp.EmulatePortrait, chromedp.EmulateMobile}
	}
	return nil
}

// screenshot saves a full-page PNG of the tab under artifacts/.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Errorf("screenshot %s: %v", name, err)
		return
	}
	if err := os.MkdirAll(artifactsDir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(artifactsDir, name)
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs(path)
	t.Logf("screenshot: %s", abs)
}

// getHTML fetches path from the server with net/http and returns the body.
func getHTML(t *testing.T, path string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, baseURL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: reading the body: %v", path, err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d, want 200", path, resp.StatusCode)
	}
	return string(body)
}

var hrefRE = regexp.MustCompile(`href="([^"]*)"`)

// firstHref returns the first href in html that matches want, or "".
func firstHref(html string, want *regexp.Regexp) string {
	for _, m := range hrefRE.FindAllStringSubmatch(html, -1) {
		if want.MatchString(m[1]) {
			return m[1]
		}
	}
	return ""
}

var articleRE = regexp.MustCompile(`^/en/news/\d{4}/\d{1,2}/\d{1,2}/[^/]+/$`)

// demoArticle returns the path of the English demo interview: the first
// article of the "interview" category, or else the home's first article.
func demoArticle(t *testing.T) string {
	t.Helper()
	if p := firstHref(getHTML(t, "/en/interview/"), articleRE); p != "" {
		return p
	}
	p := firstHref(getHTML(t, "/en/"), articleRE)
	if p == "" {
		t.Fatal("no link matching /en/news/Y/M/D/ID/ on /en/interview/ nor on /en/")
	}
	t.Logf("no article in /en/interview/; using the home's first: %s", p)
	return p
}

// firstCategory returns the first category link of the main menu of the
// edition home /lang/.
func firstCategory(t *testing.T, lang string) string {
	t.Helper()
	html := getHTML(t, "/"+lang+"/")
	i := strings.Index(html, `class="menu"`)
	if i < 0 {
		t.Fatalf("/%s/ has no main menu (class=\"menu\")", lang)
	}
	menu := html[i:]
	if j := strings.Index(menu, "</nav>"); j >= 0 {
		menu = menu[:j]
	}
	p := firstHref(menu, regexp.MustCompile(`^/`+lang+`/[^/]+/$`))
	if p == "" {
		t.Fatalf("the main menu of /%s/ has no category link", lang)
	}
	return p
}

func TestArticlePageStaysOnLoopback(t *testing.T) {
	browser := newBrowser(t)
	article := demoArticle(t)

	t.Run("article", func(t *testing.T) {
		tab, rec := newTab(t, browser)
		ctx := load(t, tab, desktop, article)
		h1, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main h1")))
		if err != nil {
			t.Errorf("reading the headline h1 of %s: %v", article, err)
		} else if strings.TrimSpace(h1) == "" {
			t.Errorf("the headline h1 of %s is empty", article)
		} else {
			t.Logf("%s: %q", article, h1)
		}
		if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.ID("comments"))); err != nil {
			t.Errorf("the comments section #comments of %s is not shown: %v", article, err)
		}
		screenshot(t, ctx, "article.png")
		rec.check(t)
	})

	for _, lang := range []string{"ru", "en"} {
		for _, vp := range []viewport{mobile, desktop} {
			t.Run("home-"+lang+"-"+vp.name, func(t *testing.T) {
				tab, rec := newTab(t, browser)
				ctx := load(t, tab, vp, "/"+lang+"/")
				name := "home-" + lang + ".png"
				if vp != desktop {
					name = "home-" + lang + "-" + vp.name + ".png"
				}
				screenshot(t, ctx, name)
				rec.check(t)
			})
		}
	}
}

func TestEditionClock(t *testing.T) {
	browser := newBrowser(t)
	for _, lang := range []string{"ru", "be", "en"} {
		t.Run(lang, func(t *testing.T) {
			tab, rec := newTab(t, browser)
			ctx := load(t, tab, mobile, "/"+lang+"/")
			for _, vp := range []viewport{mobile, desktop} {
				if err := chromedp.Do(ctx, chromedp.EmulateViewport(vp.width, vp.height, vpOptions(vp)...)); err != nil {
					t.Fatal(err)
				}
				text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("time.clock")))
				switch {
				case err != nil:
					t.Errorf("/%s/ at %dx%d: the top-bar clock time.clock is not shown: %v", lang, vp.width, vp.height, err)
				case strings.TrimSpace(text) == "":
					t.Errorf("/%s/ at %dx%d: the top-bar clock time.clock has no text", lang, vp.width, vp.height)
				default:
					t.Logf("/%s/ at %dx%d: clock %q", lang, vp.width, vp.height, strings.TrimSpace(text))
				}
			}
			rec.check(t)
		})
	}
}

// axe-core's results, cut down to what a developer needs to fix a finding.
type axeResults struct {
	Engine     string    `json:"engine"`
	Version    string    `json:"version"`
	URL        string    `json:"url"`
	Passes     []string  `json:"passes"` // ids of the rules that passed
	Violations []axeRule `json:"violations"`
	Incomplete []axeRule `json:"incomplete"`
}

type axeRule struct {
	ID      string    `json:"id"`
	Impact  string    `json:"impact"`
	Help    string    `json:"help"`
	HelpURL string    `json:"helpUrl"`
	Nodes   []axeNode `json:"nodes"`
}

type axeNode struct {
	Target  []string `json:"target"`
	HTML    string   `json:"html"`
	Summary string   `json:"summary"`
}

func (r axeRule) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (impact: %s): %s [%s]", r.ID, r.Impact, r.Help, r.HelpURL)
	for _, n := range r.Nodes {
		fmt.Fprintf(&b, "\n    at %s\n      html: %.200s", strings.Join(n.Target, " "), n.HTML)
		if n.Summary != "" {
			fmt.Fprintf(&b, "\n      %s", strings.ReplaceAll(n.Summary, "\n", "\n      "))
		}
	}
	return b.String()
}

// axeRun runs axe-core's WCAG 2.0/2.1 A and AA rules on the whole document.
const axeRun = `axe.run(document, {
  runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
  resultTypes: ['violations', 'incomplete']
}).then(r => {
  const rules = list => list.map(v => ({
    id: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({
      target: n.target.map(s => Array.isArray(s) ? s.join(' >>> ') : String(s)),
      html: n.html,
      summary: n.failureSummary || ''
    }))
  }));
  return {
    engine: r.testEngine.name, version: r.testEngine.version, url: r.url,
    passes: r.passes.map(p => p.id),
    violations: rules(r.violations), incomplete: rules(r.incomplete)
  };
})`

// axeSource reads axe-core as npm ci installed it, and its version.
func axeSource(t *testing.T) (src, version string) {
	t.Helper()
	requireFile(t, axePath, "axe-core", "cd e2e && npm ci")
	b, err := os.ReadFile(axePath)
	if err != nil {
		t.Fatal(err)
	}
	pj, err := os.ReadFile(filepath.Join(filepath.Dir(axePath), "package.json"))
	if err != nil {
		t.Fatal(err)
	}
	var meta struct{ Version string }
	if err := json.Unmarshal(pj, &meta); err != nil || meta.Version == "" {
		t.Fatalf("reading axe-core's version from its package.json: %v", err)
	}
	return string(b), meta.Version
}

func TestAccessibility(t *testing.T) {
	src, version := axeSource(t)
	browser := newBrowser(t)
	// The evaluation's last expression tells whether axe is now in the page.
	inject := src + "\n;typeof window.axe === 'object' && typeof axe.run === 'function' ? axe.version : 'axe missing'"

	pages := []struct{ name, path string }{
		{"ru-home", "/ru/"},
		{"ru-category", firstCategory(t, "ru")},
		{"en-article", demoArticle(t)},
		{"en-home", "/en/"},
	}
	for _, p := range pages {
		t.Run(p.name, func(t *testing.T) {
			tab, rec := newTab(t, browser)
			ctx := load(t, tab, desktop, p.path)
			rec.check(t)
			// Runtime.evaluate is not subject to the page's CSP
			// (script-src 'self'), so axe runs without loosening it.
			got, err := chromedp.Run(ctx, chromedp.Evaluate[string](inject))
			if err != nil {
				t.Fatalf("injecting axe-core into %s: %v", p.path, err)
			}
			if got != version {
				t.Fatalf("after injecting axe-core %s into %s the page reports %q", version, p.path, got)
			}
			res, err := chromedp.Run(ctx, chromedp.Evaluate[axeResults](axeRun, chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatalf("running axe on %s: %v", p.path, err)
			}
			if res.Engine != "axe-core" || len(res.Passes) == 0 {
				t.Fatalf("axe did not really run on %s: engine %q, %d passing rules", p.path, res.Engine, len(res.Passes))
			}
			t.Logf("axe-core %s on %s: %d rules passed, %d violated, %d need review",
				res.Version, res.URL, len(res.Passes), len(res.Violations), len(res.Incomplete))
			if testing.Verbose() {
				t.Logf("passed: %s", strings.Join(res.Passes, " "))
			}
			for _, r := range res.Incomplete {
				t.Logf("needs review (not a failure): %s", r)
			}
			for _, r := range res.Violations {
				t.Errorf("axe violation on %s: %s", p.path, r)
			}
		})
	}
}
