package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"tamizdat/internal/app"
	"tamizdat/internal/testkit"
)

// corpusPath holds the cross-site scripting payloads; its header says the
// format.
const corpusPath = "testdata/xss-payloads.txt"

// Limits of the comment form, as the server enforces them (news.MaxCommentRunes
// and news.MaxCommentName).
const (
	maxTextRunes = 3000
	maxNameRunes = 80
)

// payload is one line of the corpus, decoded, or one generated from a
// template line.
type payload struct {
	family string
	line   int    // line of the corpus (of the template, when generated)
	text   string // what is typed
	note   string // how a generated payload was made
}

func (p payload) String() string {
	s := fmt.Sprintf("line %d (%s)", p.line, p.family)
	if p.note != "" {
		s += " " + p.note
	}
	return s
}

// loadCorpus reads the corpus: the payloads to post as they are, and the
// truncation templates.
func loadCorpus(t *testing.T) (payloads, templates []payload, families []string) {
	t.Helper()
	f, err := os.Open(corpusPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	seen := map[string]int{}
	family, generated := "", false
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSuffix(sc.Text(), "\r")
		switch {
		case strings.HasPrefix(line, "# family:"):
			name := strings.Fields(strings.TrimPrefix(line, "# family:"))
			if len(name) == 0 {
				t.Fatalf("%s:%d: a family without a name", corpusPath, n)
			}
			family, generated = name[0], false
			families = append(families, family)
			continue
		case strings.HasPrefix(line, "# generated:"):
			if g := strings.TrimSpace(strings.TrimPrefix(line, "# generated:")); g != "truncation" {
				t.Fatalf("%s:%d: unknown generator %q", corpusPath, n, g)
			}
			generated = true
			continue
		case strings.HasPrefix(line, "#"), strings.TrimSpace(line) == "":
			continue
		}
		if family == "" {
			t.Fatalf("%s:%d: a payload before the first \"# family:\" line", corpusPath, n)
		}
		if !utf8.ValidString(line) {
			t.Fatalf("%s:%d: not UTF-8", corpusPath, n)
		}
		text := strings.ReplaceAll(line, `\n`, "\n")
		if prev, dup := seen[text]; dup {
			t.Errorf("%s:%d: the same payload as line %d", corpusPath, n, prev)
		}
		seen[text] = n
		p := payload{family: family, line: n, text: text}
		if generated {
			templates = append(templates, p)
		} else {
			payloads = append(payloads, p)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	for _, p := range payloads {
		if utf8.RuneCountInString(p.text) > maxTextRunes {
			t.Errorf("%s: longer than a comment may be", p)
		}
	}
	return payloads, templates, families
}

// Fillers put in front of a truncation template: ASCII, and Cyrillic so
// that a cut by bytes instead of characters would land elsewhere.
var fillers = []struct{ name, text string }{
	{"ascii", "Readers write long letters to the newsroom in exile. "},
	{"cyrillic", "Читатели пишут длинные письма в редакцию в изгнании. "},
}

// pad returns n runes of filler.
func pad(filler string, n int) string {
	r := []rune(strings.Repeat(filler, n/utf8.RuneCountInString(filler)+1))
	return string(r[:n])
}

// truncated is a generated pair: what a browser would send once the
// form's maxlength cut it (cut, at the limit), and the uncut text, which
// is over the limit.
type truncated struct {
	cut, uncut payload
}

// generateTruncation pads each template so that the limit falls inside
// the tag: after its first rune, in its middle, and before its last rune.
func generateTruncation(templates []payload, limit int, what string) []truncated {
	var out []truncated
	for _, tp := range templates {
		r := []rune(tp.text)
		for _, k := range []int{1, len(r) / 2, len(r) - 1} {
			if k < 1 || k >= len(r) || k > limit {
				continue
			}
			for _, f := range fillers {
				head := pad(f.text, limit-k)
				note := fmt.Sprintf("%s: %s filler, the %d-rune limit after rune %d of %d of the tag", what, f.name, limit, k, len(r))
				out = append(out, truncated{
					cut:   payload{family: tp.family, line: tp.line, text: head + string(r[:k]), note: note + ", cut"},
					uncut: payload{family: tp.family, line: tp.line, text: head + tp.text, note: note + ", uncut"},
				})
			}
		}
	}
	return out
}

// firstRunes returns the first n runes of s.
func firstRunes(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		r = r[:n]
	}
	return string(r)
}

// shownText is a comment's text as the server keeps it: CRLF as LF, white
// space trimmed at both ends.
func shownText(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
}

// shownName is a name as the server keeps it: runs of white space as one
// space, none at the ends.
func shownName(s string) string { return strings.Join(strings.Fields(s), " ") }

// commentPost is one comment the test sends, and what the page must show.
type commentPost struct {
	label              string
	name, text         string // as sent
	wantName, wantText string // as shown
	id                 int64
	status             string // published or pending, from the redirect
}

// The hooks installed in every document of the tab before any of its
// scripts could run: dialogs, printing, window.open and the console are
// replaced by recorders, and a MutationObserver records every element or
// attribute that could run code or load something: script, iframe, object,
// embed, base, meta and their kin, on* attributes, and URL attributes
// with a javascript:, data:, vbscript: or livescript: URL. CSP violations
// are recorded too.
const xssPredicates = `
const __xssBadTags = new Set(['SCRIPT', 'IFRAME', 'FRAME', 'FRAMESET', 'OBJECT', 'EMBED', 'APPLET', 'BASE', 'META', 'PORTAL', 'FENCEDFRAME']);
const __xssURLAttrs = new Set(['href', 'src', 'action', 'formaction', 'data', 'xlink:href', 'poster', 'background', 'codebase', 'dynsrc', 'lowsrc', 'to', 'from', 'values', 'by']);
const __xssBadURL = v => /^(javascript|data|vbscript|livescript):/i.test(String(v).replace(/[\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff]/g, ''));
const __xssWhere = el => (el.closest && el.closest('head')) ? 'head' : (el.closest && el.closest('#comments')) ? 'comments' : 'body';
const __xssOuter = el => { try { return (el.outerHTML || el.tagName).slice(0, 200); } catch (e) { return el.tagName; } };
// __xssExamine returns what is wrong with one element, as records.
const __xssExamine = (el, how) => {
  const out = [];
  const tag = String(el.tagName).toUpperCase();
  const where = __xssWhere(el);
  if (__xssBadTags.has(tag)) {
    out.push({how, reason: 'element ' + tag.toLowerCase(), tag, where, httpEquiv: el.hasAttribute('http-equiv'), html: __xssOuter(el)});
  }
  for (const a of Array.from(el.attributes || [])) {
    const r = __xssAttr(a.name, a.value);
    if (r) out.push({how, reason: r, tag, where, httpEquiv: false, html: __xssOuter(el)});
  }
  return out;
};
const __xssAttr = (name, value) => {
  const n = String(name).toLowerCase();
  if (n.startsWith('on')) return 'event handler attribute ' + n;
  if (n === 'srcdoc') return 'srcdoc attribute';
  if (n === 'data-xss') return 'data-xss attribute';
  if (__xssURLAttrs.has(n) && __xssBadURL(value)) return 'attribute ' + n + ' with a ' + String(value).slice(0, 40) + ' URL';
  return '';
};
`

const xssHooks = `(() => {
if (Object.prototype.hasOwnProperty.call(window, '__tamizdatXSS')) return;
` + xssPredicates + `
const hits = [];
const found = [];
Object.defineProperty(window, '__tamizdatXSS', {value: {hits, found}});
const note = (kind, args) => {
  let detail = '';
  try { detail = Array.from(args, a => { try { return String(a); } catch (e) { return '?'; } }).join(', '); } catch (e) {}
  hits.push({kind, detail: detail.slice(0, 300), frame: String(location.href).slice(0, 120)});
};
for (const [name, ret] of [['alert', undefined], ['confirm', false], ['prompt', null], ['print', undefined], ['open', null]]) {
  try {
    Object.defineProperty(window, name, {configurable: false, writable: false,
      value: function () { note('window.' + name, arguments); return ret; }});
  } catch (e) { hits.push({kind: 'hook failed', detail: name + ': ' + e}); }
}
for (const name of ['log', 'warn', 'error', 'info', 'debug']) {
  const orig = console[name];
  try {
    Object.defineProperty(console, name, {configurable: false, writable: false,
      value: function () { note('console.' + name, arguments); return orig.apply(console, arguments); }});
  } catch (e) { hits.push({kind: 'hook failed', detail: 'console.' + name + ': ' + e}); }
}
document.addEventListener('securitypolicyviolation', e => {
  hits.push({kind: 'CSP violation', detail: e.violatedDirective + ' blocked ' + e.blockedURI + ' sample ' + e.sample, frame: String(location.href).slice(0, 120)});
}, true);
const seen = new WeakSet();
const examine = (el, how) => {
  if (el.nodeType !== 1 || seen.has(el)) return;
  seen.add(el);
  for (const r of __xssExamine(el, how)) found.push(r);
};
new MutationObserver(records => {
  for (const r of records) {
    if (r.type === 'childList') {
      for (const n of r.addedNodes) {
        if (n.nodeType !== 1) continue;
        examine(n, 'added');
        for (const d of n.querySelectorAll('*')) examine(d, 'added');
      }
    } else if (r.type === 'attributes') {
      const v = r.target.getAttribute(r.attributeName);
      const why = v === null ? '' : __xssAttr(r.attributeName, v);
      if (why) found.push({how: 'attribute set', reason: why, tag: r.target.tagName, where: __xssWhere(r.target), httpEquiv: false, html: __xssOuter(r.target)});
    }
  }
}).observe(document, {childList: true, subtree: true, attributes: true});
})();`

// xssReport gathers, after the page loaded, what the hooks recorded, a scan
// of the whole document (open shadow roots included) with the same
// predicates, the elements with data-xss, every comment as the browser
// shows it, and the state of the comment form.
const xssReport = `(() => {
` + xssPredicates + `
const rec = window.__tamizdatXSS;
const all = [];
const walk = root => { for (const el of root.querySelectorAll('*')) { all.push(el); if (el.shadowRoot) walk(el.shadowRoot); } };
walk(document);
const scan = [];
for (const el of all) for (const r of __xssExamine(el, 'present')) scan.push(r);
const desc = el => el.tagName.toLowerCase() + (el.classList.length ? '.' + Array.from(el.classList).join('.') : '');
const comments = Array.from(document.querySelectorAll('li.comment'), li => {
  const who = li.querySelector(':scope > p > span.who');
  const text = li.querySelector(':scope > div.text');
  const inside = text ? Array.from(text.querySelectorAll('*')) : [];
  return {
    id: li.id,
    shape: Array.from(li.children, desc).join(' '),
    who: who ? who.innerText : null,
    whoElements: who ? who.querySelectorAll('*').length : -1,
    text: text ? text.innerText : null,
    foreign: inside.filter(e => !['P', 'BR', 'A'].includes(e.tagName) || (e.tagName !== 'A' && e.attributes.length > 0))
      .map(e => e.outerHTML.slice(0, 200)),
    links: inside.filter(e => e.tagName === 'A').map(a => ({href: a.getAttribute('href'), rel: a.getAttribute('rel') || '',
      protocol: a.protocol, text: a.textContent, attrs: a.getAttributeNames().sort().join(' ')})),
  };
});
const form = document.getElementById('comment-form');
const error = document.querySelector('#comment-form p.error[role=alert]');
return {
  hooked: !!rec,
  hits: rec ? rec.hits : [],
  found: rec ? rec.found : [],
  scan,
  dataXSS: all.filter(el => el.hasAttribute('data-xss')).map(el => el.outerHTML.slice(0, 200)),
  comments,
  commentCount: document.querySelectorAll('li.comment').length,
  error: error ? error.innerText : null,
  textarea: form && form.elements.text ? form.elements.text.value : null,
  name: form && form.elements.name ? form.elements.name.value : null,
};
})()`

type xssHit struct {
	Kind, Detail, Frame string
}

type xssFinding struct {
	How, Reason, Tag, Where, HTML string
	HTTPEquiv                     bool `json:"httpEquiv"`
}

// siteOwn reports the elements the hooks record that are the site's own:
// the <meta> tags of the head without http-equiv (charset, viewport,
// description, robots).
func (f xssFinding) siteOwn() bool {
	return f.Tag == "META" && f.Where == "head" && !f.HTTPEquiv && f.Reason == "element meta"
}

type shownLink struct {
	Href, Rel, Protocol, Text, Attrs string
}

type shownComment struct {
	ID, Shape   string
	Who         *string
	WhoElements int
	Text        *string
	Foreign     []string
	Links       []shownLink
}

type pageReport struct {
	Hooked       bool
	Hits         []xssHit
	Found        []xssFinding
	Scan         []xssFinding
	DataXSS      []string `json:"dataXSS"`
	Comments     []shownComment
	CommentCount int
	Error        *string
	Textarea     *string
	Name         *string
}

// xssTab is a tab whose every document gets the hooks, and that records
// every JavaScript dialog (a second net under the hooks).
type xssTab struct {
	ctx     context.Context
	rec     *pageRecord
	mu      sync.Mutex
	dialogs []string
}

func newXSSTab(t *testing.T, browser context.Context) *xssTab {
	t.Helper()
	return newWatchedTab(t, browser, true)
}

// newWatchedTab opens a tab that records dialogs, and with hooks installs
// them in every document it will load.
func newWatchedTab(t *testing.T, browser context.Context, hooks bool) *xssTab {
	t.Helper()
	ctx, rec := newTab(t, browser)
	x := &xssTab{ctx: ctx, rec: rec}
	if hooks {
		if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: xssHooks}); err != nil {
			t.Fatalf("Page.addScriptToEvaluateOnNewDocument: %v", err)
		}
	}
	err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			x.mu.Lock()
			x.dialogs = append(x.dialogs, fmt.Sprintf("%s dialog %q in %s", e.Type, e.Message, e.URL))
			x.mu.Unlock()
			// Not from the event loop: a command from here would wait for
			// an answer only the loop can read.
			go chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func (x *xssTab) report(t *testing.T, ctx context.Context) *pageReport {
	t.Helper()
	r, err := chromedp.Run(ctx, chromedp.Evaluate[*pageReport](xssReport))
	if err != nil {
		t.Fatalf("reading the page: %v", err)
	}
	return r
}

// checkExecution fails the test for anything a payload did or could do in
// the document of r: a hook called, an element or attribute recorded as it
// was added or found in the document, an element with data-xss. It returns
// the number of checks made.
func checkExecution(t *testing.T, where string, r *pageReport) int {
	t.Helper()
	if !r.Hooked {
		t.Errorf("%s: the hooks are not in the page", where)
	}
	for _, h := range r.Hits {
		t.Errorf("%s: a payload ran: %s(%s) in %s", where, h.Kind, h.Detail, h.Frame)
	}
	for _, f := range r.Found {
		if !f.siteOwn() {
			t.Errorf("%s: the MutationObserver saw %s: %s (%s, in %s): %s", where, f.How, f.Reason, f.Tag, f.Where, f.HTML)
		}
	}
	for _, f := range r.Scan {
		if !f.siteOwn() {
			t.Errorf("%s: the document holds %s (%s, in %s): %s", where, f.Reason, f.Tag, f.Where, f.HTML)
		}
	}
	for _, d := range r.DataXSS {
		t.Errorf("%s: an element has data-xss: %s", where, d)
	}
	return 4
}

// checkRequests fails the test for every request of the tab that is not
// for one of the allowed paths: a payload that made the page load
// anything (/xss-… or a relative "x") shows here. Requests off loopback
// are rec.check's.
func (x *xssTab) checkRequests(t *testing.T, allowed map[string]bool) int {
	t.Helper()
	x.rec.mu.Lock()
	defer x.rec.mu.Unlock()
	n := 0
	for _, raw := range x.rec.requests {
		n++
		u, err := url.Parse(raw)
		if err != nil || u.Hostname() != "127.0.0.1" {
			continue // rec.check reports it
		}
		switch {
		case strings.HasPrefix(u.Path, "/xss-"):
			t.Errorf("a payload made the browser request %s", raw)
		case !allowed[u.Path]:
			t.Errorf("the page requested %s, which it does not link to itself: injected markup?", raw)
		}
	}
	return n
}

func (x *xssTab) checkDialogs(t *testing.T) int {
	t.Helper()
	x.mu.Lock()
	defer x.mu.Unlock()
	for _, d := range x.dialogs {
		t.Errorf("a JavaScript dialog opened: %s", d)
	}
	return 1
}

// allowProblems drops the page problems for which mine is true: the
// refusals the test provoked.
func allowProblems(rec *pageRecord, mine func(string) bool) int {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	kept := rec.problems[:0]
	n := 0
	for _, p := range rec.problems {
		if mine(p) {
			n++
			continue
		}
		kept = append(kept, p)
	}
	rec.problems = kept
	return n
}

// apiCall sends a request with the demo admin's token and decodes the JSON
// answer into out (when not nil); a status other than want fails the test.
func apiCall(t *testing.T, method, path string, body any, want int, out any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, baseURL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+apiToken)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		t.Fatalf("%s %s: status %d, want %d: %s", method, path, res.StatusCode, want, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %v in %s", method, path, err, b)
		}
	}
}

// setting runs the CLI against the running server's data folder: "get"
// returns the value, "set" changes it.
func setting(t *testing.T, args ...string) string {
	t.Helper()
	var out, errs bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	code := app.Main(ctx, append(append([]string{"settings"}, args...), "--data", dataDir), app.Env{Stdout: &out, Stderr: &errs})
	if code != app.ExitOK {
		t.Fatalf("tamizdat settings %s: exit %d: %s", strings.Join(args, " "), code, errs.String())
	}
	if args[0] == "get" {
		k, v, ok := strings.Cut(strings.TrimSpace(out.String()), "=")
		if !ok || k != args[1] {
			t.Fatalf("tamizdat settings get %s printed %q", args[1], out.String())
		}
		return v
	}
	return ""
}

// liftCommentLimits lets one address post hundreds of comments, and puts
// the site's settings back when the test ends. It returns once the server
// has taken the settings up: the form's hint shows the new link limit.
func liftCommentLimits(t *testing.T, articlePath string) {
	t.Helper()
	lifted := [][2]string{
		{"comment_limit_per_hour", "100000"},
		{"comment_limit_per_article_minute", "100000"},
		{"comment_similarity", "1"},
		{"comment_max_links", "1000"}, // last: the hint shows it
	}
	for _, kv := range lifted {
		old := setting(t, "get", kv[0])
		t.Cleanup(func() { setting(t, "set", kv[0], old) })
		setting(t, "set", kv[0], kv[1])
	}
	deadline := testkit.Deadline(t)
	for {
		doc := parseHTML(t, getHTML(t, articlePath))
		hint := doc.Find("#c-hint").Text()
		if strings.Contains(hint, "1000") {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server did not take up comment_max_links=1000 by the test's deadline; the hint says %q", hint)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func parseHTML(t *testing.T, s string) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// createArticle publishes an empty English article through the API and
// returns its path.
func createArticle(t *testing.T, title string) (int64, string) {
	t.Helper()
	var a struct {
		ID  int64  `json:"id"`
		URL string `json:"url"`
	}
	apiCall(t, http.MethodPost, "/api/v1/articles", map[string]any{"edition": "en", "title": title, "status": "published"}, http.StatusCreated, &a)
	u, err := url.Parse(a.URL)
	if err != nil || a.ID == 0 {
		t.Fatalf("creating %q: id %d, url %q: %v", title, a.ID, a.URL, err)
	}
	if !articleRE.MatchString(u.Path) {
		t.Fatalf("creating %q: url %q is not an English article path", title, a.URL)
	}
	t.Cleanup(func() {
		apiCall(t, http.MethodDelete, fmt.Sprintf("/api/v1/articles/%d", a.ID), nil, http.StatusNoContent, nil)
	})
	return a.ID, u.Path
}

var redirectRE = regexp.MustCompile(`^(/en/news/[^?#]+/)\?comment=(published|pending)(?:#c(\d+)|#comments)$`)

// send posts the comment form as a browser would, without following the
// redirect, and records where the comment went.
func (c *commentPost) send(t *testing.T, client *http.Client, path, token string) bool {
	t.Helper()
	form := url.Values{"name": {c.name}, "text": {c.text}, "token": {token}, "website": {""}}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, baseURL+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := client.Do(req)
	if err != nil {
		t.Fatalf("posting %s: %v", c.label, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusSeeOther {
		msg := strings.TrimSpace(parseHTML(t, string(body)).Find("p.error").Text())
		t.Errorf("posting %s: status %d, want 303: %q", c.label, res.StatusCode, msg)
		return false
	}
	loc := res.Header.Get("Location")
	m := redirectRE.FindStringSubmatch(loc)
	if m == nil || m[1] != path {
		t.Errorf("posting %s: redirected to %q", c.label, loc)
		return false
	}
	c.status = m[2]
	if m[3] != "" {
		c.id, _ = strconv.ParseInt(m[3], 10, 64)
	}
	if (c.status == "published") != (c.id != 0) {
		t.Errorf("posting %s: redirected to %q", c.label, loc)
	}
	return true
}

// approvePending approves every pending comment of the article and gives
// each its post's id, matched by name and text.
func approvePending(t *testing.T, articleID int64, posts []*commentPost) int {
	t.Helper()
	byContent := map[string]*commentPost{}
	for _, p := range posts {
		if p.status == "pending" {
			byContent[p.wantName+"\x00"+p.wantText] = p
		}
	}
	approved := 0
	for range 1000 {
		var q struct {
			Items []struct {
				ID   int64  `json:"id"`
				Name string `json:"name"`
				Text string `json:"text"`
			} `json:"items"`
			Total int `json:"total"`
		}
		apiCall(t, http.MethodGet, fmt.Sprintf("/api/v1/comments?status=pending&article=%d", articleID), nil, http.StatusOK, &q)
		if len(q.Items) == 0 {
			if q.Total != 0 {
				t.Fatalf("the queue says %d pending comments but lists none", q.Total)
			}
			break
		}
		for _, it := range q.Items {
			p := byContent[it.Name+"\x00"+it.Text]
			if p == nil {
				t.Errorf("pending comment %d is none the test sent as pending: name %q, text %.120q", it.ID, it.Name, it.Text)
			} else {
				p.id = it.ID
				delete(byContent, it.Name+"\x00"+it.Text)
			}
			apiCall(t, http.MethodPost, fmt.Sprintf("/api/v1/comments/%d/approve", it.ID), nil, http.StatusOK, nil)
			approved++
		}
	}
	for _, p := range byContent {
		t.Errorf("posting %s: held as pending, but not in the queue as sent (name %q, text %.120q)", p.label, p.wantName, p.wantText)
	}
	return approved
}

// whitespaceOnly says whether a and b differ only in runs of white space.
func whitespaceOnly(a, b string) bool {
	return a != b && strings.Join(strings.Fields(a), " ") == strings.Join(strings.Fields(b), " ")
}

func mismatch(what, shown, want string) string {
	s := fmt.Sprintf("%s is shown as %q, typed %q", what, shown, want)
	if whitespaceOnly(shown, want) {
		s += " (they differ only in runs of white space: the page collapses them)"
	}
	return s
}

// TestCommentXSS posts every payload of the corpus (and the truncation
// payloads generated from its templates) as a comment's text and as its
// author's name through the real form, approves what was held, then loads
// the article in Chromium with hooks that catch anything a payload would
// do, and checks that each comment shows exactly what was typed. Then it
// has the browser submit each payload once more in a form the server
// refuses, and checks the refusal page, which puts the text back into the
// form, in the same way. A first subtest shows that the detectors fire.
func TestCommentXSS(t *testing.T) {
	if apiToken == "" {
		t.Fatal("the server did not print the demo API token")
	}
	browser := newBrowser(t) // first: without Chromium the test skips before posting
	payloads, templates, families := loadCorpus(t)
	perFamily := map[string]int{}
	for _, p := range payloads {
		perFamily[p.family]++
	}
	var sizes []string
	for _, f := range families {
		if perFamily[f] > 0 {
			sizes = append(sizes, fmt.Sprintf("%s %d", f, perFamily[f]))
		}
	}
	t.Logf("corpus: %d payloads and %d truncation templates: %s", len(payloads), len(templates), strings.Join(sizes, ", "))
	if len(payloads) < 220 {
		t.Errorf("the corpus has %d payloads, want at least 220", len(payloads))
	}
	textCuts := generateTruncation(templates, maxTextRunes, "text")
	nameCuts := generateTruncation(templates, maxNameRunes, "name")
	if len(templates) == 0 || len(textCuts) == 0 || len(nameCuts) == 0 {
		t.Fatal("no truncation payloads were generated")
	}

	articleID, articlePath := createArticle(t, "Readers write: comment rendering check")
	_, refusalPath := createArticle(t, "Readers write: refused comment check")
	liftCommentLimits(t, articlePath)

	// Every post uses the token of one page load, sent more than the
	// minimum delay after it.
	loaded := time.Now()
	token, ok := parseHTML(t, getHTML(t, articlePath)).Find(`#comment-form input[name=token]`).Attr("value")
	if !ok || token == "" {
		t.Fatalf("%s has no comment form with a token", articlePath)
	}
	time.Sleep(time.Until(loaded.Add(3500 * time.Millisecond)))

	var posts []*commentPost
	asText := func(p payload) {
		n := len(posts) + 1
		posts = append(posts, &commentPost{
			label: p.String() + " as text", name: fmt.Sprintf("probe T%04d", n), text: p.text,
			wantName: fmt.Sprintf("probe T%04d", n), wantText: shownText(p.text),
		})
	}
	asName := func(p payload) {
		n := len(posts) + 1
		name := firstRunes(p.text, maxNameRunes)
		posts = append(posts, &commentPost{
			label: p.String() + " as name", name: name, text: fmt.Sprintf("name probe N%04d", n),
			wantName: shownName(name), wantText: fmt.Sprintf("name probe N%04d", n),
		})
	}
	for _, p := range payloads {
		asText(p)
		asName(p)
	}
	for _, c := range textCuts {
		asText(c.cut)
	}
	for _, c := range nameCuts {
		asName(c.cut)
	}

	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	var sent []*commentPost
	published, pending := 0, 0
	for _, c := range posts {
		if !c.send(t, client, articlePath, token) {
			continue
		}
		sent = append(sent, c)
		if c.status == "published" {
			published++
		} else {
			pending++
		}
	}
	approved := approvePending(t, articleID, sent)
	t.Logf("posted %d comments (%d payloads as text and as name, %d cut at the text limit, %d at the name limit): %d published at once, %d held and approved through the API (%d approved)",
		len(sent), len(payloads), len(textCuts), len(nameCuts), published, pending, approved)
	if len(sent) != len(posts) {
		t.Errorf("%d of %d comments were not taken", len(posts)-len(sent), len(posts))
	}

	// The paths a page may request: itself and the assets its head links.
	allowed := map[string]bool{articlePath: true, refusalPath: true, "/favicon.ico": true}
	refusalLoaded := time.Now()
	refusalPage := parseHTML(t, getHTML(t, refusalPath))
	refusalPage.Find("head link[href]").Each(func(_ int, s *goquery.Selection) {
		if u, err := url.Parse(s.AttrOr("href", "")); err == nil && (u.Host == "" || u.Hostname() == "127.0.0.1") {
			allowed[u.Path] = true
		}
	})
	// A good token of the second article, for the texts that only their
	// length must get refused.
	refusalToken := refusalPage.Find(`#comment-form input[name=token]`).AttrOr("value", "")
	if refusalToken == "" {
		t.Fatalf("%s has no comment form with a token", refusalPath)
	}

	checks := 0

	// The detectors must be able to fire: a page of the site where a
	// script (through DevTools, which the CSP does not stop) does what
	// payloads would, and a tab without hooks where alert opens a real
	// dialog.
	t.Run("detectors", func(t *testing.T) {
		x := newXSSTab(t, browser)
		ctx := load(t, x.ctx, desktop, refusalPath)
		const canary = `(() => {
			alert('XSS-canary'); confirm('XSS-canary'); console.log('XSS-canary');
			const d = document.createElement('div'); d.setAttribute('data-xss', 'canary'); document.body.append(d);
			const s = document.createElement('script'); s.textContent = "prompt('XSS-canary')"; document.body.append(s);
			const i = document.createElement('img'); i.setAttribute('onerror', "prompt('XSS-canary')"); i.src = '/xss-canary.png'; document.body.append(i);
			const a = document.createElement('a'); a.href = 'javascript:alert(1)'; a.textContent = 'x'; document.body.append(a);
			document.body.setAttribute('onpageshow', "alert('XSS-canary')");
		})()`
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](canary)); err != nil {
			t.Fatalf("running the canary: %v", err)
		}
		want := []string{"window.alert", "window.confirm", "console.log", "CSP violation",
			"added element script", "added data-xss attribute", "added event handler attribute onerror",
			"added attribute href with a javascript:", "attribute set event handler attribute onpageshow",
			"present element script", "present data-xss attribute", "data-xss element", "request /xss-canary.png"}
		var got map[string]bool
		for range 100 { // the image's error and its CSP report come later
			r := x.report(t, ctx)
			got = map[string]bool{}
			for _, h := range r.Hits {
				got[h.Kind] = true
			}
			for _, f := range r.Found {
				got[f.How+" "+f.Reason] = true
			}
			for _, f := range r.Scan {
				got[f.How+" "+f.Reason] = true
			}
			if len(r.DataXSS) > 0 {
				got["data-xss element"] = true
			}
			x.rec.mu.Lock()
			for _, u := range x.rec.requests {
				if strings.HasSuffix(u, "/xss-canary.png") {
					got["request /xss-canary.png"] = true
				}
			}
			x.rec.mu.Unlock()
			missing := 0
			for _, w := range want {
				if !got[w] && !hasPrefixKey(got, w) {
					missing++
				}
			}
			if missing == 0 {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		for _, w := range want {
			checks++
			if !got[w] && !hasPrefixKey(got, w) {
				t.Errorf("the detectors missed: %s (they saw %v)", w, keys(got))
			}
		}
		x.rec.mu.Lock()
		problems := len(x.rec.problems)
		x.rec.mu.Unlock()
		checks++
		if problems == 0 {
			t.Error("the page record saw no problem from the canary (a CSP violation, a 404)")
		}

		bare := newWatchedTab(t, browser, false)
		bctx := load(t, bare.ctx, desktop, refusalPath)
		actx, cancel := context.WithTimeout(bctx, 20*time.Second)
		defer cancel()
		if _, err := chromedp.Run(actx, chromedp.Evaluate[chromedp.Void](`alert('XSS-canary')`)); err != nil {
			t.Errorf("alert in a tab without hooks: %v", err)
		}
		bare.mu.Lock()
		dialogs := len(bare.dialogs)
		bare.mu.Unlock()
		checks++
		if dialogs != 1 {
			t.Errorf("the dialog listener saw %d dialogs for one alert", dialogs)
		}
	})

	t.Run("published", func(t *testing.T) {
		x := newXSSTab(t, browser)
		// The comments come a page at a time: every page is read, in
		// the one tab, whose listeners see all of them.
		var shown []shownComment
		elements := 0
		for page := 1; len(shown) < len(sent); page++ {
			path := articlePath
			if page > 1 {
				path = fmt.Sprintf("%s?comments=%d", articlePath, page)
			}
			allowed[path] = true
			ctx := load(t, x.ctx, desktop, path)
			r := x.report(t, ctx)
			checks += checkExecution(t, path, r)
			if len(r.Comments) == 0 {
				break
			}
			elements += r.CommentCount
			shown = append(shown, r.Comments...)
		}

		byID := map[string]shownComment{}
		for _, c := range shown {
			if _, dup := byID[c.ID]; dup {
				t.Errorf("two comments have the id %q", c.ID)
			}
			byID[c.ID] = c
		}
		checks++
		if elements != len(sent) || len(shown) != len(sent) {
			t.Errorf("the pages show %d li.comment elements, %d with their parts; %d comments were posted", elements, len(shown), len(sent))
		}
		for _, c := range shown {
			checks += 2
			if c.Shape != "p div.text div.comment-actions" {
				t.Errorf("comment %s is made of %q, not p div.text div.comment-actions: markup got out of a comment", c.ID, c.Shape)
			}
			if c.WhoElements != 0 {
				t.Errorf("comment %s: the name holds %d elements", c.ID, c.WhoElements)
			}
			for _, f := range c.Foreign {
				checks++
				t.Errorf("comment %s: the text holds markup the renderer does not make: %s", c.ID, f)
			}
			for _, l := range c.Links {
				checks += 3
				rel := strings.Fields(l.Rel)
				for _, want := range []string{"nofollow", "ugc", "noopener"} {
					if !strings.Contains(" "+strings.Join(rel, " ")+" ", " "+want+" ") {
						t.Errorf("comment %s: link %q has rel=%q, without %s", c.ID, l.Href, l.Rel, want)
					}
				}
				if h := strings.ToLower(l.Href); !strings.HasPrefix(h, "http://") && !strings.HasPrefix(h, "https://") || (l.Protocol != "http:" && l.Protocol != "https:") {
					t.Errorf("comment %s: link href %q (protocol %q) is not http(s)", c.ID, l.Href, l.Protocol)
				}
				if l.Attrs != "href rel" || l.Href != l.Text {
					t.Errorf("comment %s: link with attributes %q, href %q and text %q: a link is href and rel, its text the URL", c.ID, l.Attrs, l.Href, l.Text)
				}
			}
		}
		for _, p := range sent {
			c, ok := byID[fmt.Sprintf("c%d", p.id)]
			checks++
			if !ok {
				t.Errorf("%s: comment c%d is not on the page", p.label, p.id)
				continue
			}
			checks += 2
			if c.Who == nil || *c.Who != p.wantName {
				t.Errorf("%s: %s", p.label, mismatch("the name", deref(c.Who), p.wantName))
			}
			if c.Text == nil || *c.Text != p.wantText {
				t.Errorf("%s: %s", p.label, mismatch("the text", deref(c.Text), p.wantText))
			}
		}
		checks += x.checkRequests(t, allowed)
		checks += x.checkDialogs(t)
		x.rec.check(t)
		checks++
	})

	t.Run("refused", func(t *testing.T) {
		// Each payload once more, as text and name together, with a form
		// the server refuses as out of date; then the uncut truncation
		// payloads with a good token, which the server must refuse as too
		// long. The refusal page puts the text into the textarea and the
		// name into its input. One tab for each family.
		type refusal struct {
			label, name, text, token, why string
		}
		time.Sleep(time.Until(refusalLoaded.Add(3500 * time.Millisecond))) // the good token's minimum delay
		// What the server says to each, learnt through net/http: they must
		// differ, or a refusal for length could hide behind the token.
		expiredMsg := refusalMessage(t, client, refusalPath, "probe", "name probe", "out-of-date")
		longMsg := refusalMessage(t, client, refusalPath, "probe", strings.Repeat("x", maxTextRunes+1), refusalToken)
		if expiredMsg == longMsg {
			t.Fatalf("an out-of-date form and a text over %d characters get the same refusal %q", maxTextRunes, longMsg)
		}
		type group struct {
			name  string
			cases []refusal
		}
		var groups []*group
		byFamily := map[string]*group{}
		for _, p := range payloads {
			g := byFamily[p.family]
			if g == nil {
				g = &group{name: p.family}
				byFamily[p.family] = g
				groups = append(groups, g)
			}
			g.cases = append(g.cases, refusal{p.String() + " as text and name, out-of-date form", firstRunes(p.text, maxNameRunes), p.text, "out-of-date", expiredMsg})
		}
		trunc := &group{name: "truncation"}
		for _, c := range textCuts {
			trunc.cases = append(trunc.cases, refusal{c.uncut.String() + " as text", "probe", c.uncut.text, refusalToken, longMsg})
		}
		for _, c := range nameCuts {
			trunc.cases = append(trunc.cases, refusal{c.uncut.String() + " as name", c.uncut.text, "name probe", refusalToken, longMsg})
		}
		groups = append(groups, trunc)
		submissions := 0
		for _, g := range groups {
			t.Run(g.name, func(t *testing.T) {
				x := newXSSTab(t, browser)
				load(t, x.ctx, desktop, refusalPath)
				for _, c := range g.cases {
					checks += refuse(t, x, c.label, c.name, c.text, c.token, c.why)
					submissions++
				}
				// The refusals are the test's doing; every other problem counts.
				allowProblems(x.rec, func(p string) bool {
					return strings.Contains(p, baseURL+refusalPath) && (strings.Contains(p, "HTTP 4") || strings.Contains(p, "status of 4"))
				})
				checks += x.checkRequests(t, allowed)
				checks += x.checkDialogs(t)
				x.rec.check(t)
				checks++
			})
		}
		t.Logf("%d form submissions refused, in %d tabs", submissions, len(groups))
	})

	t.Logf("%d payloads in %d families, and %d generated from %d truncation templates; %d comments posted; %d checks made",
		len(payloads), len(perFamily), len(textCuts)+len(nameCuts), len(templates), len(sent), checks)
}

// refuse has the browser submit the form with name, text and token, which
// the server must refuse, and checks the refusal page: a 4xx with the error
// in the form, the text and name put back exactly, nothing run or
// injected.
func refuse(t *testing.T, x *xssTab, label, name, text, token, why string) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(x.ctx, pageTimeout)
	defer cancel()
	args, _ := json.Marshal([]string{name, text, token})
	submit := `((a) => { const f = document.getElementById('comment-form');
		f.elements.name.value = a[0]; f.elements.text.value = a[1]; f.elements.token.value = a[2];
		f.submit(); })(` + string(args) + `)`
	res, err := chromedp.RunResponse(ctx, chromedp.Evaluate[chromedp.Void](submit))
	if err != nil {
		t.Fatalf("%s: submitting the form: %v", label, err)
	}
	r := x.report(t, ctx)
	checks := checkExecution(t, label, r) + 5
	if res == nil || res.Status < 400 || res.Status > 499 {
		status := int64(0)
		if res != nil {
			status = res.Status
		}
		t.Errorf("%s: the form was answered %d, not refused with a 4xx", label, status)
	}
	if r.Error == nil {
		t.Errorf("%s: the refusal page has no p.error[role=alert] in the form", label)
	} else if got := strings.Join(strings.Fields(*r.Error), " "); got != why {
		t.Errorf("%s: the refusal says %q, want %q", label, got, why)
	}
	if r.CommentCount != 0 {
		t.Errorf("%s: the refusal page shows %d comments; none were posted there", label, r.CommentCount)
	}
	// The browser sends the textarea's line breaks as CRLF and the
	// parser reads them back as LF; a text input drops line breaks.
	if want := strings.ReplaceAll(text, "\r\n", "\n"); r.Textarea == nil || *r.Textarea != want {
		t.Errorf("%s: %s", label, mismatch("the text kept in the form", deref(r.Textarea), want))
	}
	if want := strings.NewReplacer("\r", "", "\n", "").Replace(name); r.Name == nil || *r.Name != want {
		t.Errorf("%s: %s", label, mismatch("the name kept in the form", deref(r.Name), want))
	}
	return checks
}

// refusalMessage posts the form with net/http, wants it refused with a
// 4xx, and returns the error the page shows, white space folded.
func refusalMessage(t *testing.T, client *http.Client, path, name, text, token string) string {
	t.Helper()
	form := url.Values{"name": {name}, "text": {text}, "token": {token}, "website": {""}}
	res, err := client.PostForm(baseURL+path, form)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	msg := strings.Join(strings.Fields(parseHTML(t, string(body)).Find("#comment-form p.error[role=alert]").Text()), " ")
	if res.StatusCode < 400 || res.StatusCode > 499 || msg == "" {
		t.Fatalf("posting %d characters with token %q: status %d, error %q; want a 4xx with an error", utf8.RuneCountInString(text), token, res.StatusCode, msg)
	}
	return msg
}

func hasPrefixKey(m map[string]bool, prefix string) bool {
	for k := range m {
		if strings.HasPrefix(k, prefix) {
			return true
		}
	}
	return false
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func deref(s *string) string {
	if s == nil {
		return "<missing>"
	}
	return *s
}
