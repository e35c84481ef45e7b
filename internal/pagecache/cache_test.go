package pagecache_test

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/andybalholm/brotli"

	"tamizdat/internal/news"
	"tamizdat/internal/pagecache"
	"tamizdat/internal/testkit"
	"tamizdat/internal/web"
)

// clock is the cache's clock in tests, moved by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// pages is a site whose pages the test writes: each path has a body, the
// keys it depends on and how it renders (or fails); renders are counted.
type pages struct {
	mu      sync.Mutex
	byPath  map[string]*web.Page
	err     error                    // every render fails with it, when set
	hook    func(r *http.Request)    // runs at the start of every render
	renders map[string]int           // by path
	seen    map[string]*http.Request // the last request each path was rendered for
	total   atomic.Int64
}

func newPages() *pages {
	return &pages{byPath: map[string]*web.Page{}, renders: map[string]int{}, seen: map[string]*http.Request{}}
}

// set makes path's page, an HTML body of n bytes that says version.
func (p *pages) set(path, version string, n int, keys ...string) *web.Page {
	page := &web.Page{
		Header: http.Header{"Content-Type": {"text/html; charset=utf-8"}},
		Body:   body(path+" "+version, n),
		Keys:   keys,
	}
	p.mu.Lock()
	p.byPath[path] = page
	p.mu.Unlock()
	return page
}

func (p *pages) fail(err error) {
	p.mu.Lock()
	p.err = err
	p.mu.Unlock()
}

func (p *pages) count(path string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.renders[path]
}

// last is the request path was last rendered for.
func (p *pages) last(path string) *http.Request {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.seen[path]
}

func (p *pages) render(r *http.Request) (*web.Page, error) {
	p.total.Add(1)
	p.mu.Lock()
	p.renders[r.URL.Path]++
	p.seen[r.URL.Path] = r
	page, err, hook := p.byPath[r.URL.Path], p.err, p.hook
	p.mu.Unlock()
	if hook != nil {
		hook(r) // after reading, as a render that is slow to finish
	}
	if err != nil {
		return nil, err
	}
	if page == nil {
		return nil, news.Errorf(news.ENOTFOUND, "no page at %s", r.URL.Path)
	}
	return page, nil
}

// failPage answers a render error the way a surface does: by its status.
func failPage(w http.ResponseWriter, r *http.Request, err error) {
	http.Error(w, web.Message(err), web.StatusOf(err))
}

// body is an HTML body of about n bytes that starts with what: text that
// compresses as a page does.
func body(what string, n int) []byte {
	words := strings.Fields("the council met on tuesday to discuss the river bridge budget and the new school " +
		"редакция сообщает что городской совет обсудил бюджет моста через реку и новую школу")
	var b bytes.Buffer
	b.WriteString("<!doctype html><title>" + what + "</title><main>")
	for i := 0; b.Len() < n; i++ {
		if i%12 == 0 {
			b.WriteString("</p>\n<p>")
		}
		b.WriteString(words[(i*7+i/5)%len(words)])
		b.WriteByte(' ')
	}
	return b.Bytes()
}

func unavailable() error { return news.Errorf(news.EUNAVAILABLE, "the database is away") }

func staleOK(err error) bool { return news.ErrorCode(err) == news.EUNAVAILABLE }

// setup starts a server whose every path is served through one Handler of
// a cache of maxBytes.
func setup(t *testing.T, maxBytes int64, params []string, opts pagecache.Options) (*pagecache.Cache, *pages, *httptest.Server, *clock) {
	t.Helper()
	clk := &clock{t: time.Date(2026, 2, 2, 10, 0, 0, 0, time.UTC)}
	if opts.Now == nil {
		opts.Now = clk.Now
	}
	if opts.Stale == nil {
		opts.Stale = staleOK
	}
	c := pagecache.New(maxBytes, opts)
	p := newPages()
	srv := httptest.NewServer(c.Handler(params, p.render, failPage))
	t.Cleanup(srv.Close)
	return c, p, srv, clk
}

var client = &http.Client{Transport: &http.Transport{DisableCompression: true, MaxIdleConnsPerHost: 128}}

type answer struct {
	status int
	header http.Header
	body   []byte
}

func (a answer) cache() string { return a.header.Get("X-Cache") }

// get asks for path with header fields given in pairs.
func get(t *testing.T, srv *httptest.Server, path string, h ...string) answer {
	t.Helper()
	return do(t, srv, "GET", path, h...)
}

func do(t *testing.T, srv *httptest.Server, method, path string, h ...string) answer {
	t.Helper()
	a, err := fetch(srv, method, path, h...)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func fetch(srv *httptest.Server, method, path string, h ...string) (answer, error) {
	req, err := http.NewRequest(method, srv.URL+path, nil)
	if err != nil {
		return answer{}, err
	}
	for i := 0; i < len(h); i += 2 {
		req.Header.Set(h[i], h[i+1])
	}
	resp, err := client.Do(req)
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return answer{}, err
	}
	if method == "GET" && resp.StatusCode != 304 && resp.ContentLength != int64(len(b)) {
		return answer{}, fmt.Errorf("%s: Content-Length %d for %d bytes", path, resp.ContentLength, len(b))
	}
	return answer{resp.StatusCode, resp.Header, b}, nil
}

// decode undoes the answer's Content-Encoding.
func decode(t *testing.T, a answer) []byte {
	t.Helper()
	var r io.Reader
	switch ce := a.header.Get("Content-Encoding"); ce {
	case "":
		return a.body
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(a.body))
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	case "br":
		r = brotli.NewReader(bytes.NewReader(a.body))
	default:
		t.Fatalf("Content-Encoding %q", ce)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestHitAndMiss(t *testing.T) {
	c, p, srv, _ := setup(t, 1<<20, nil, pagecache.Options{})
	page := p.set("/en/", "v1", 30000, "list:front", "settings")

	first := get(t, srv, "/en/", "Accept-Encoding", "gzip")
	if first.status != 200 || first.cache() != "MISS" {
		t.Fatalf("first: status %d, X-Cache %q; want 200 MISS", first.status, first.cache())
	}
	second := get(t, srv, "/en/", "Accept-Encoding", "gzip")
	if second.cache() != "HIT" || !bytes.Equal(second.body, first.body) {
		t.Errorf("second: X-Cache %q, same bytes %v; want HIT and the same bytes", second.cache(), bytes.Equal(second.body, first.body))
	}
	if !bytes.Equal(decode(t, second), page.Body) {
		t.Error("the cached copy does not decode to the page")
	}
	if n := p.count("/en/"); n != 1 {
		t.Errorf("rendered %d times, want 1", n)
	}
	for k, want := range map[string]string{
		"Content-Type":  "text/html; charset=utf-8",
		"Cache-Control": "public, max-age=30, stale-while-revalidate=30, stale-if-error=86400",
		"Surrogate-Key": "list:front settings", "Cache-Tag": "list:front,settings", "Vary": "Accept-Encoding",
	} {
		if v := second.header.Get(k); v != want {
			t.Errorf("%s: %q, want %q", k, v, want)
		}
	}

	head := do(t, srv, "HEAD", "/en/", "Accept-Encoding", "gzip")
	if head.status != 200 || len(head.body) != 0 || head.cache() != "HIT" || head.header.Get("Content-Length") != second.header.Get("Content-Length") {
		t.Errorf("HEAD: status %d, %d bytes, X-Cache %q, Content-Length %q; want the GET's header and no body",
			head.status, len(head.body), head.cache(), head.header.Get("Content-Length"))
	}
	if s := c.Stats(); s.Hits != 2 || s.Misses != 1 || s.Entries != 1 || s.Bytes <= 0 {
		t.Errorf("stats %+v; want 2 hits, 1 miss, 1 entry", s)
	}
}

func TestAge(t *testing.T) {
	_, p, srv, clk := setup(t, 1<<20, nil, pagecache.Options{})
	p.set("/", "v1", 1000)
	get(t, srv, "/")
	if a := get(t, srv, "/"); a.header.Get("Age") != "" {
		t.Errorf("Age %q at once", a.header.Get("Age"))
	}
	clk.Add(7 * time.Second)
	if a := get(t, srv, "/"); a.header.Get("Age") != "7" {
		t.Errorf("Age %q after 7 s", a.header.Get("Age"))
	}
}

func TestConditional(t *testing.T) {
	_, p, srv, _ := setup(t, 1<<20, nil, pagecache.Options{})
	page := p.set("/a/", "v1", 5000, "article:1")
	page.Modified = time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC)
	gz := get(t, srv, "/a/", "Accept-Encoding", "gzip")
	tag := gz.header.Get("Etag")
	if !strings.HasSuffix(tag, `-gz"`) || gz.header.Get("Last-Modified") != "Sun, 01 Feb 2026 09:00:00 GMT" {
		t.Fatalf("ETag %q, Last-Modified %q", tag, gz.header.Get("Last-Modified"))
	}
	for _, c := range []struct {
		name string
		h    []string
		want int
	}{
		{"its tag", []string{"Accept-Encoding", "gzip", "If-None-Match", tag}, 304},
		{"its tag, weak", []string{"Accept-Encoding", "gzip", "If-None-Match", "W/" + tag}, 304},
		{"its tag, now asking br", []string{"Accept-Encoding", "br", "If-None-Match", tag}, 304},
		{"another tag", []string{"If-None-Match", `"x"`}, 200},
		{"the date", []string{"If-Modified-Since", "Sun, 01 Feb 2026 09:00:00 GMT"}, 304},
		{"a date before", []string{"If-Modified-Since", "Sun, 01 Feb 2026 08:59:59 GMT"}, 200},
	} {
		a := get(t, srv, "/a/", c.h...)
		if a.status != c.want {
			t.Errorf("%s: status %d, want %d", c.name, a.status, c.want)
		}
		if c.want == 304 && (len(a.body) != 0 || a.header.Get("Etag") == "" || a.header.Get("Vary") != "Accept-Encoding") {
			t.Errorf("%s: 304 with %d bytes, ETag %q, Vary %q", c.name, len(a.body), a.header.Get("Etag"), a.header.Get("Vary"))
		}
	}
	if n := p.count("/a/"); n != 1 {
		t.Errorf("rendered %d times, want 1", n)
	}
}

func TestEncodings(t *testing.T) {
	_, p, srv, _ := setup(t, 1<<20, nil, pagecache.Options{})
	page := p.set("/a/", "v1", 30000)
	small := p.set("/small/", "v1", 100)
	tags := map[string]string{}
	for _, c := range []struct {
		accept string // "-": no field
		want   string // Content-Encoding, "406" for refusal
	}{
		{"-", ""},
		{"", ""},
		{"gzip", "gzip"},
		{"gzip, deflate, br, zstd", "br"},
		{"br;q=0.5, gzip", "gzip"},
		{"br;q=0.5, gzip;q=0.5", "br"},
		{"identity", ""},
		{"identity;q=0", "406"},
		{"identity;q=0, gzip;q=0.1", "gzip"},
		{"*", "br"},
		{"*;q=0", "406"},
		{"*;q=0, identity", ""},
		{"*, br;q=0", "gzip"},
		{"x-gzip", "gzip"},
		{"compress", ""},
	} {
		var h []string
		if c.accept != "-" {
			h = []string{"Accept-Encoding", c.accept}
		}
		a := get(t, srv, "/a/", h...)
		if c.want == "406" {
			if a.status != 406 {
				t.Errorf("Accept-Encoding %q: status %d, want 406", c.accept, a.status)
			}
			continue
		}
		if ce := a.header.Get("Content-Encoding"); a.status != 200 || ce != c.want {
			t.Errorf("Accept-Encoding %q: status %d, Content-Encoding %q; want 200 %q", c.accept, a.status, ce, c.want)
			continue
		}
		if !bytes.Equal(decode(t, a), page.Body) {
			t.Errorf("Accept-Encoding %q: the body does not decode to the page", c.accept)
		}
		if c.want != "" && len(a.body) >= len(page.Body)/2 {
			t.Errorf("%s: %d bytes of %d", c.want, len(a.body), len(page.Body))
		}
		if a.header.Get("Vary") != "Accept-Encoding" {
			t.Errorf("Accept-Encoding %q: Vary %q", c.accept, a.header.Get("Vary"))
		}
		tags[c.want] = a.header.Get("Etag")
	}
	if len(tags) != 3 || tags[""] == tags["gzip"] || tags["gzip"] == tags["br"] {
		t.Errorf("strong tags per encoding: %q", tags)
	}
	a := get(t, srv, "/small/", "Accept-Encoding", "gzip, br")
	if a.header.Get("Content-Encoding") != "" || a.header.Get("Vary") != "" || !bytes.Equal(a.body, small.Body) {
		t.Errorf("a small page: Content-Encoding %q, Vary %q; want it as it is and nothing varying",
			a.header.Get("Content-Encoding"), a.header.Get("Vary"))
	}
}

func TestQueryParameters(t *testing.T) {
	c, p, srv, _ := setup(t, 1<<20, []string{"page", "comment"}, pagecache.Options{})
	p.set("/en/tag/river/", "v1", 2000)
	same := []string{
		"/en/tag/river/?page=2", "/en/tag/river/?page=2&utm_source=x", "/en/tag/river/?utm_source=y&page=2",
		"/en/tag/river/?page=%32", "/en/tag/river/?page=2&page=3", "/en/tag/river/?fbclid=1;2&page=2",
	}
	for _, u := range same {
		if a := get(t, srv, u); a.status != 200 {
			t.Fatalf("%s: status %d", u, a.status)
		}
	}
	if n, s := p.count("/en/tag/river/"), c.Stats(); n != 1 || s.Entries != 1 {
		t.Errorf("%d renders and %d entries for one page asked with other parameters; want 1 and 1", n, s.Entries)
	}
	seen := p.last("/en/tag/river/")
	if seen.URL.RawQuery != "page=2" || seen.FormValue("utm_source") != "" {
		t.Errorf("the render saw the query %q; want only the listed parameters", seen.URL.RawQuery)
	}
	for i, u := range []string{"/en/tag/river/?page=3", "/en/tag/river/", "/en/tag/river/?comment=published&page=2", "/en/tag/river/?page="} {
		get(t, srv, u)
		if n := p.count("/en/tag/river/"); n != 2+i {
			t.Errorf("%s: %d renders, want %d: a listed parameter makes its own entry", u, n, 2+i)
		}
	}
	if s := p.last("/en/tag/river/"); s.URL.RawQuery != "page=" {
		t.Errorf("an empty value reached the render as %q", s.URL.RawQuery)
	}
}

// The render is given what is the same for every reader: no cookie, no
// credentials, no conditions.
func TestRenderSeesNoCredentials(t *testing.T) {
	_, p, srv, _ := setup(t, 1<<20, nil, pagecache.Options{})
	p.set("/", "v1", 2000)
	a := get(t, srv, "/", "Cookie", "session=secret", "Authorization", "Bearer t", "If-None-Match", `"x"`)
	if a.status != 200 || a.cache() != "MISS" {
		t.Fatalf("status %d, X-Cache %q", a.status, a.cache())
	}
	r := p.last("/")
	for _, k := range []string{"Cookie", "Authorization", "If-None-Match"} {
		if v := r.Header.Get(k); v != "" {
			t.Errorf("the render saw %s: %q", k, v)
		}
	}
	if b := get(t, srv, "/", "Cookie", "session=other"); b.cache() != "HIT" {
		t.Errorf("a request with a cookie: X-Cache %q, want HIT", b.cache())
	}
}

func TestCoalescing(t *testing.T) {
	const n = 100
	c, p, srv, _ := setup(t, 1<<20, nil, pagecache.Options{})
	page := p.set("/en/", "v1", 30000)
	release := make(chan struct{})
	p.hook = func(*http.Request) { <-release }

	var wg sync.WaitGroup
	answers := make([]answer, n)
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() { answers[i], errs[i] = fetch(srv, "GET", "/en/", "Accept-Encoding", "br") })
	}
	testkit.WaitFor(t, "99 requests waiting for one render", func() bool {
		s := c.Stats()
		return s.Waiting == n-1 && s.Renders == 1
	})
	close(release)
	wg.Wait()
	for i, a := range answers {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if a.status != 200 || a.cache() != "MISS" || !bytes.Equal(decode(t, a), page.Body) {
			t.Fatalf("request %d: status %d, X-Cache %q", i, a.status, a.cache())
		}
	}
	if r := p.total.Load(); r != 1 {
		t.Errorf("%d renders for %d requests at once, want 1", r, n)
	}
	if s := c.Stats(); s.Coalesced != n-1 || s.Waiting != 0 || s.Misses != 1 {
		t.Errorf("stats %+v; want %d coalesced, none waiting, 1 miss", s, n-1)
	}
}

// A render's failure is shared too: a database that is away is asked once,
// not once per waiting reader.
func TestCoalescedFailure(t *testing.T) {
	c, p, srv, _ := setup(t, 1<<20, nil, pagecache.Options{})
	release := make(chan struct{})
	p.hook = func(*http.Request) { <-release }
	p.fail(unavailable())
	var wg sync.WaitGroup
	statuses := make([]int, 10)
	for i := range statuses {
		wg.Go(func() {
			a, err := fetch(srv, "GET", "/new/")
			if err == nil {
				statuses[i] = a.status
			}
		})
	}
	testkit.WaitFor(t, "9 requests waiting", func() bool { return c.Stats().Waiting == 9 })
	close(release)
	wg.Wait()
	for i, s := range statuses {
		if s != 503 {
			t.Errorf("request %d: status %d, want 503 (never cached, database away)", i, s)
		}
	}
	if r := p.total.Load(); r != 1 {
		t.Errorf("%d renders, want 1", r)
	}
}

func TestInvalidate(t *testing.T) {
	c, p, srv, _ := setup(t, 1<<20, nil, pagecache.Options{})
	p.set("/a/", "v1", 3000, "article:1", "list:front")
	p.set("/b/", "v1", 3000, "article:2", "list:front")
	p.set("/c/", "v1", 3000, "article:3")
	for _, u := range []string{"/a/", "/b/", "/c/"} {
		get(t, srv, u)
	}
	counts := func() [3]int { return [3]int{p.count("/a/"), p.count("/b/"), p.count("/c/")} }

	p.set("/a/", "v2", 3000, "article:1", "list:front")
	c.Invalidate("article:1")
	if a := get(t, srv, "/a/"); a.cache() != "MISS" || !bytes.Contains(a.body, []byte("/a/ v2")) {
		t.Errorf("after invalidating article:1, /a/: X-Cache %q; want MISS and v2", a.cache())
	}
	get(t, srv, "/b/")
	get(t, srv, "/c/")
	if got := counts(); got != [3]int{2, 1, 1} {
		t.Errorf("renders %v after invalidating article:1, want [2 1 1]", got)
	}

	c.Invalidate("list:front", "nothing:here")
	for _, u := range []string{"/a/", "/b/", "/c/", "/a/"} {
		get(t, srv, u)
	}
	if got := counts(); got != [3]int{3, 2, 1} {
		t.Errorf("renders %v after invalidating list:front, want [3 2 1]", got)
	}
	if s := c.Stats(); s.Invalidations != 3 {
		t.Errorf("%d invalidations counted, want 3", s.Invalidations)
	}

	c.Purge()
	get(t, srv, "/c/")
	if s, n := c.Stats(), p.count("/c/"); n != 2 || s.Entries != 1 {
		t.Errorf("after Purge: %d renders of /c/, %d entries; want 2 and 1", n, s.Entries)
	}
}

// An invalidation that arrives while the page is being rendered may have
// changed what the render already read: its result must not be kept as
// fresh.
func TestInvalidateDuringRender(t *testing.T) {
	for _, c := range []struct {
		key   string
		fresh bool
	}{{"article:1", false}, {"article:9", true}, {"", false}} {
		name := c.key
		if name == "" {
			name = "purge"
		}
		t.Run(name, func(t *testing.T) {
			cache, p, srv, _ := setup(t, 1<<20, nil, pagecache.Options{})
			p.set("/a/", "v1", 3000, "article:1")
			started, release := make(chan struct{}), make(chan struct{})
			p.hook = func(*http.Request) {
				started <- struct{}{}
				<-release
			}
			done := make(chan answer)
			go func() {
				a, _ := fetch(srv, "GET", "/a/")
				done <- a
			}()
			<-started
			p.mu.Lock()
			p.hook = nil
			p.mu.Unlock()
			p.set("/a/", "v2", 3000, "article:1") // what the invalidation announces
			if c.key == "" {
				cache.Purge()
			} else {
				cache.Invalidate(c.key)
			}
			close(release)
			if a := <-done; a.cache() != "MISS" || !bytes.Contains(a.body, []byte("/a/ v1")) {
				t.Fatalf("the render in flight: X-Cache %q; want MISS with what it rendered", a.cache())
			}
			a := get(t, srv, "/a/")
			if c.fresh {
				if a.cache() != "HIT" || p.count("/a/") != 1 {
					t.Errorf("an unrelated key: X-Cache %q, %d renders; want HIT, 1", a.cache(), p.count("/a/"))
				}
				return
			}
			if a.cache() != "MISS" || !bytes.Contains(a.body, []byte("/a/ v2")) || p.count("/a/") != 2 {
				t.Errorf("next request: X-Cache %q, %d renders; want MISS and v2 from a second render", a.cache(), p.count("/a/"))
			}
		})
	}
}

// After its Expires a page is rendered again by one request, while the
// others are served the old copy.
func TestExpiryStaleWhileRevalidate(t *testing.T) {
	c, p, srv, clk := setup(t, 1<<20, nil, pagecache.Options{})
	page := p.set("/", "10:00", 3000)
	page.Expires = clk.Now().Add(time.Minute)
	first := get(t, srv, "/")
	if cc := first.header.Get("Cache-Control"); cc != "public, max-age=30, stale-while-revalidate=30, stale-if-error=86400" {
		t.Errorf("Cache-Control %q", cc)
	}
	clk.Add(45 * time.Second)
	if a := get(t, srv, "/"); a.cache() != "HIT" || a.header.Get("Age") != "45" {
		t.Errorf("before Expires: X-Cache %q, Age %q", a.cache(), a.header.Get("Age"))
	}
	clk.Add(15 * time.Second)
	next := p.set("/", "10:01", 3000)
	next.Expires = clk.Now().Add(time.Minute)

	started, release := make(chan struct{}), make(chan struct{})
	p.hook = func(*http.Request) {
		started <- struct{}{}
		<-release
	}
	done := make(chan answer)
	go func() {
		a, _ := fetch(srv, "GET", "/")
		done <- a
	}()
	<-started
	for range 3 {
		a := get(t, srv, "/")
		if a.cache() != "STALE" || !bytes.Contains(a.body, []byte("/ 10:00")) {
			t.Errorf("while it renders again: X-Cache %q; want STALE and the old copy", a.cache())
		}
		if cc := a.header.Get("Cache-Control"); !strings.HasPrefix(cc, "public, max-age=0,") {
			t.Errorf("a stale copy with Cache-Control %q", cc)
		}
	}
	p.mu.Lock()
	p.hook = nil
	p.mu.Unlock()
	close(release)
	if a := <-done; a.cache() != "MISS" || !bytes.Contains(a.body, []byte("/ 10:01")) {
		t.Errorf("the request that rendered: X-Cache %q; want MISS and the new copy", a.cache())
	}
	if a := get(t, srv, "/"); a.cache() != "HIT" || !bytes.Contains(a.body, []byte("/ 10:01")) {
		t.Errorf("after: X-Cache %q; want HIT and the new copy", a.cache())
	}
	if n, s := p.count("/"), c.Stats(); n != 2 || s.Stale != 3 {
		t.Errorf("%d renders, %d stale answers; want 2 and 3", n, s.Stale)
	}
}

func TestStaleWhileDatabaseAway(t *testing.T) {
	c, p, srv, clk := setup(t, 1<<20, nil, pagecache.Options{})
	p.set("/a/", "v1", 3000, "article:1")
	p.set("/gone/", "v1", 3000, "article:2")
	get(t, srv, "/a/")
	get(t, srv, "/gone/")
	c.Invalidate("article:1")
	clk.Add(time.Hour) // past every TTL too

	p.fail(unavailable())
	for range 2 {
		a := get(t, srv, "/a/", "Accept-Encoding", "gzip")
		if a.status != 200 || a.cache() != "STALE" || !bytes.Contains(decode(t, a), []byte("/a/ v1")) {
			t.Fatalf("database away: status %d, X-Cache %q; want 200 STALE and the last copy", a.status, a.cache())
		}
	}
	if a := get(t, srv, "/never/"); a.status != 503 {
		t.Errorf("a page never cached, database away: status %d, want 503", a.status)
	}

	// A page whose article is gone is not served from the cache any more,
	// even while the database is away after that.
	p.fail(nil)
	p.mu.Lock()
	delete(p.byPath, "/gone/")
	p.mu.Unlock()
	if a := get(t, srv, "/gone/"); a.status != 404 {
		t.Errorf("gone: status %d, want 404", a.status)
	}
	p.fail(unavailable())
	if a := get(t, srv, "/gone/"); a.status != 503 {
		t.Errorf("gone, then database away: status %d, want 503 (not the old copy)", a.status)
	}

	p.fail(nil)
	p.set("/a/", "v2", 3000, "article:1")
	if a := get(t, srv, "/a/"); a.cache() != "MISS" || !bytes.Contains(a.body, []byte("/a/ v2")) {
		t.Errorf("database back: X-Cache %q; want MISS and the new copy", a.cache())
	}
	if s := c.Stats(); s.Stale != 2 {
		t.Errorf("%d stale answers counted, want 2", s.Stale)
	}
}

func TestWhatIsNotKept(t *testing.T) {
	c, p, srv, _ := setup(t, 1<<20, nil, pagecache.Options{})
	private := p.set("/private/", "v1", 2000)
	private.Header.Set("Cache-Control", "private, max-age=0")
	noStore := p.set("/no-store/", "v1", 2000)
	noStore.Header.Set("Cache-Control", "no-store")
	cookie := p.set("/cookie/", "v1", 2000)
	cookie.Header.Set("Set-Cookie", "a=b")
	broken := p.set("/broken/", "v1", 2000)
	broken.Status = http.StatusInternalServerError
	for _, u := range []string{"/private/", "/no-store/", "/cookie/", "/broken/"} {
		get(t, srv, u)
		a := get(t, srv, u)
		if a.cache() != "MISS" || p.count(u) != 2 {
			t.Errorf("%s: X-Cache %q after %d renders; want it rendered every time", u, a.cache(), p.count(u))
		}
	}
	if a := get(t, srv, "/no-store/"); a.header.Get("Cache-Control") != "no-store" {
		t.Errorf("the page's own Cache-Control became %q", a.header.Get("Cache-Control"))
	}
	if s := c.Stats(); s.Entries != 0 {
		t.Errorf("%d entries kept, want none", s.Entries)
	}

	// Other methods are rendered with the request as it came.
	p.set("/form/", "v1", 2000)
	do(t, srv, "POST", "/form/?x=1")
	do(t, srv, "POST", "/form/?x=1")
	if n := p.count("/form/"); n != 2 || p.last("/form/").Method != "POST" || p.last("/form/").URL.RawQuery != "x=1" {
		t.Errorf("POST: %d renders, last saw %s ?%s", n, p.last("/form/").Method, p.last("/form/").URL.RawQuery)
	}
}

func TestNotFoundKeptBriefly(t *testing.T) {
	_, p, srv, clk := setup(t, 1<<20, nil, pagecache.Options{NotFoundTTL: 10 * time.Second})
	nf := p.set("/missing/", "not found", 1500)
	nf.Status = http.StatusNotFound
	get(t, srv, "/missing/")
	if a := get(t, srv, "/missing/"); a.status != 404 || a.cache() != "HIT" || a.header.Get("Cache-Control") != "public, max-age=10, stale-while-revalidate=30, stale-if-error=86400" {
		t.Errorf("a 404 page: status %d, X-Cache %q, Cache-Control %q; want a HIT of max-age 10", a.status, a.cache(), a.header.Get("Cache-Control"))
	}
	clk.Add(11 * time.Second)
	get(t, srv, "/missing/")
	if n := p.count("/missing/"); n != 2 {
		t.Errorf("%d renders after its TTL, want 2", n)
	}
}

func TestMemoryBound(t *testing.T) {
	const max = 256 << 10
	c, p, srv, _ := setup(t, max, nil, pagecache.Options{})
	p.set("/hot/", "v1", 10000)
	get(t, srv, "/hot/")
	for i := range 100 {
		u := fmt.Sprintf("/p/%d/", i)
		p.set(u, "v1", 10000+i) // different bodies
		get(t, srv, u)
		if a := get(t, srv, "/hot/"); a.cache() != "HIT" {
			t.Fatalf("after %d pages the page read between them is gone: X-Cache %q", i, a.cache())
		}
		if s := c.Stats(); s.Bytes > max {
			t.Fatalf("%d bytes held, bound %d", s.Bytes, max)
		}
	}
	s := c.Stats()
	if s.Evictions == 0 || s.Entries >= 100 || s.Bytes < max/2 {
		t.Errorf("stats %+v; want evictions, fewer entries than pages, and the memory used", s)
	}
}

// A flood of requests for paths that do not exist fills the cache with
// not-found pages, which evict each other and never the pages readers read.
func TestNotFoundFloodEvictsOnlyItself(t *testing.T) {
	const max = 128 << 10
	c, p, srv, _ := setup(t, max, nil, pagecache.Options{})
	nf := p.set("/nf/", "not found", 2000)
	nf.Status = http.StatusNotFound
	var read []string
	for i := range 8 {
		u := fmt.Sprintf("/p/%d/", i)
		p.set(u, "v1", 8000+i)
		get(t, srv, u)
		read = append(read, u)
	}
	p.mu.Lock()
	for i := range 2000 {
		p.byPath[fmt.Sprintf("/random/%d", i)] = nf
	}
	p.mu.Unlock()
	for i := range 2000 {
		if a := get(t, srv, fmt.Sprintf("/random/%d", i)); a.status != 404 {
			t.Fatalf("status %d", a.status)
		}
	}
	s := c.Stats()
	if s.Evictions == 0 || s.Bytes > max {
		t.Fatalf("stats %+v; want the flood evicted within the bound", s)
	}
	for _, u := range read {
		if a := get(t, srv, u); a.cache() != "HIT" {
			t.Errorf("%s after the flood: X-Cache %q, want HIT", u, a.cache())
		}
	}
	// The not-found pages share one body: each costs its key and header.
	if per := (s.Bytes - 8*8000) / int64(s.Entries-8); per > 1500 {
		t.Errorf("a not-found entry costs %d bytes; its body is not shared", per)
	}
}

// New(0) keeps nothing: every request renders, and web.WritePage sends the
// page with gzip and validators all the same.
func TestCacheOff(t *testing.T) {
	c, p, srv, _ := setup(t, 0, []string{"page"}, pagecache.Options{})
	page := p.set("/", "v1", 30000, "list:front")
	a := get(t, srv, "/?page=2&utm=x", "Accept-Encoding", "gzip, br")
	if a.status != 200 || a.header.Get("Content-Encoding") != "gzip" || !bytes.Equal(decode(t, a), page.Body) {
		t.Fatalf("status %d, Content-Encoding %q", a.status, a.header.Get("Content-Encoding"))
	}
	for k, want := range map[string]string{
		"X-Cache": "", "Vary": "Accept-Encoding", "Surrogate-Key": "list:front",
		"Cache-Control": "public, max-age=30, stale-while-revalidate=30, stale-if-error=86400",
	} {
		if v := a.header.Get(k); v != want {
			t.Errorf("%s: %q, want %q", k, v, want)
		}
	}
	if b := get(t, srv, "/?page=2", "Accept-Encoding", "gzip", "If-None-Match", a.header.Get("Etag")); b.status != 304 {
		t.Errorf("If-None-Match: status %d, want 304", b.status)
	}
	if n, s := p.count("/"), c.Stats(); n != 2 || s.Entries != 0 || c.Enabled() {
		t.Errorf("%d renders, %d entries; want every request rendered and nothing kept", n, s.Entries)
	}
	if q := p.last("/").URL.RawQuery; q != "page=2" {
		t.Errorf("the render saw %q; want what it sees with the cache on", q)
	}
}

// A HEAD that finds nothing renders the GET's page, which a GET then gets.
func TestHeadFirst(t *testing.T) {
	_, p, srv, _ := setup(t, 1<<20, nil, pagecache.Options{})
	page := p.set("/", "v1", 3000)
	head := do(t, srv, "HEAD", "/")
	if head.status != 200 || len(head.body) != 0 || head.header.Get("Content-Length") != strconv.Itoa(len(page.Body)) {
		t.Errorf("HEAD: status %d, %d bytes, Content-Length %q", head.status, len(head.body), head.header.Get("Content-Length"))
	}
	if m := p.last("/").Method; m != "GET" {
		t.Errorf("the render saw %s", m)
	}
	if a := get(t, srv, "/"); a.cache() != "HIT" || !bytes.Equal(a.body, page.Body) {
		t.Errorf("GET after HEAD: X-Cache %q", a.cache())
	}
}

// A render that panics releases the requests waiting for it, with an
// error, and the page renders again for the next request.
func TestRenderPanics(t *testing.T) {
	c := pagecache.New(1<<20, pagecache.Options{})
	p := newPages()
	p.set("/", "v1", 3000)
	release := make(chan struct{})
	var panicked atomic.Bool
	p.hook = func(*http.Request) {
		<-release
		if !panicked.Swap(true) {
			panic("a bug in a template")
		}
	}
	srv := httptest.NewUnstartedServer(c.Handler(nil, p.render, failPage))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the panic is expected
	srv.Start()
	defer srv.Close()

	var wg sync.WaitGroup
	statuses := make([]int, 5)
	for i := range statuses {
		wg.Go(func() {
			if a, err := fetch(srv, "GET", "/"); err == nil {
				statuses[i] = a.status
			}
		})
	}
	testkit.WaitFor(t, "4 requests waiting", func() bool { return c.Stats().Waiting == 4 })
	close(release)
	wg.Wait()
	slices.Sort(statuses)
	if !slices.Equal(statuses, []int{0, 500, 500, 500, 500}) {
		t.Errorf("statuses %v; want the panicking request cut off and the others answered 500", statuses)
	}
	if a := get(t, srv, "/"); a.status != 200 || a.cache() != "MISS" {
		t.Errorf("next request: status %d, X-Cache %q; want the page rendered again", a.status, a.cache())
	}
}
