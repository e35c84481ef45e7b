package pagecache

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"

	"tamizdat/internal/web"
)

// Render makes a page. It gets the request as the cache sees it (see
// Handler) and returns the page, or an error for fail to answer.
type Render func(r *http.Request) (*web.Page, error)

// Fail answers a request whose render failed (and for which there is no
// stale copy to serve): the surface's error page for err.
type Fail func(w http.ResponseWriter, r *http.Request, err error)

// Handler serves one page (one route) through the cache.
//
// params are the query parameters the page reads: their values are part
// of the key, and the only ones render sees. render makes the page; it
// runs once for all the requests that want the same uncached key at the
// same time, with a request that has:
//
//   - a context that keeps the values and the deadline of the first
//     request's but is not cancelled when that client goes away (the others
//     still want the page);
//   - the method GET (a HEAD is answered from the GET's page), a query of
//     only params, no parsed form, and no Cookie, Authorization,
//     If-None-Match or If-Modified-Since field.
//
// Requests other than GET and HEAD are rendered with the request as it
// came and never cached. fail answers render's errors (and a waiting
// client's own deadline); it is given the original request.
func (c *Cache) Handler(params []string, render Render, fail Fail) http.Handler {
	ps := slices.Clone(params)
	slices.Sort(ps)
	return &handler{c: c, params: slices.Compact(ps), render: render, fail: fail}
}

type handler struct {
	c      *Cache
	params []string
	render Render
	fail   Fail
}

// flight is one render that requests for its key wait for.
type flight struct {
	done chan struct{}
	// Set under Cache.mu while the render runs:
	invalidated []string // keys invalidated since it began
	purged      bool
	// Set before done is closed:
	page  *web.Page
	err   error
	entry *entry // the stored result; nil when not stored
	stale *entry // the previous copy, to serve instead of err
}

var keyBufs = sync.Pool{New: func() any { b := make([]byte, 0, 256); return &b }}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c := h.c
	if !c.Enabled() || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
		h.direct(w, r)
		return
	}
	kb := keyBufs.Get().(*[]byte)
	key := h.appendKey((*kb)[:0], r)
	now := c.opts.Now()
	c.mu.RLock()
	e := c.entries[string(key)]
	if e != nil && !e.stale && now.UnixNano() < e.expires {
		if !e.ref.Load() {
			e.ref.Store(true)
		}
		c.mu.RUnlock()
		*kb = key
		keyBufs.Put(kb)
		c.hits.Add(1)
		c.serve(w, r, e, outHit, now)
		return
	}
	c.mu.RUnlock()
	k := string(key)
	*kb = key
	keyBufs.Put(kb)
	h.slow(w, r, k)
}

// slow serves a request whose key had no fresh entry at first sight: it
// joins the render in flight, serves the previous copy while it runs, or
// starts the render itself.
func (h *handler) slow(w http.ResponseWriter, r *http.Request, key string) {
	c := h.c
	now := c.opts.Now()
	c.mu.Lock()
	old := c.entries[key]
	if old != nil && !old.stale && now.UnixNano() < old.expires {
		old.ref.Store(true) // stored a moment ago
		c.mu.Unlock()
		c.hits.Add(1)
		c.serve(w, r, old, outHit, now)
		return
	}
	if f := c.flights[key]; f != nil {
		if old != nil {
			c.mu.Unlock()
			c.stale.Add(1)
			c.serve(w, r, old, outStale, now)
			return
		}
		c.waiting.Add(1)
		c.mu.Unlock()
		c.coalesced.Add(1)
		select {
		case <-f.done:
			c.waiting.Add(-1)
			h.finish(w, r, f, false)
		case <-r.Context().Done():
			c.waiting.Add(-1)
			h.fail(w, r, r.Context().Err())
		}
		return
	}
	f := &flight{done: make(chan struct{})}
	c.flights[key] = f
	c.mu.Unlock()
	c.misses.Add(1)

	page, err := h.renderFor(r, key, f)
	var e *entry
	if err == nil {
		e = c.build(key, page, c.opts.Now())
	}
	c.mu.Lock()
	delete(c.flights, key)
	switch {
	case err != nil && old != nil && c.opts.Stale(err):
		f.stale = old // kept for the next request, which tries again
	case e != nil:
		if f.purged || slices.ContainsFunc(e.deps, func(k string) bool { return slices.Contains(f.invalidated, k) }) {
			e.stale = true // it may have read what the invalidation replaced
		}
		c.put(e)
	case old != nil:
		// Not found any more, failed for good, or no longer to be kept:
		// the old copy is not what the page is.
		c.remove(old)
	}
	f.page, f.err, f.entry = page, err, e
	c.mu.Unlock()
	close(f.done)
	h.finish(w, r, f, true)
}

var (
	errNoPage   = errors.New("pagecache: the render returned neither a page nor an error")
	errPanicked = errors.New("pagecache: the render of this page panicked")
)

// renderFor renders for everyone waiting on f. Should the render panic,
// the waiters get an error and the key is free for the next request (a
// flight never closed would hold every later request for the page) before
// the panic goes on to the server's recovery.
func (h *handler) renderFor(r *http.Request, key string, f *flight) (*web.Page, error) {
	rr, cancel := h.shared(r)
	defer cancel()
	returned := false
	defer func() {
		if !returned {
			h.c.mu.Lock()
			delete(h.c.flights, key)
			f.err = errPanicked
			h.c.mu.Unlock()
			close(f.done)
		}
	}()
	page, err := h.render(rr)
	returned = true
	if err == nil && page == nil {
		err = errNoPage
	}
	return page, err
}

// finish answers a request with a flight's result.
func (h *handler) finish(w http.ResponseWriter, r *http.Request, f *flight, leader bool) {
	c := h.c
	switch {
	case f.err != nil && f.stale != nil:
		c.stale.Add(1)
		c.serve(w, r, f.stale, outStale, c.opts.Now())
	case f.err != nil:
		h.fail(w, r, f.err)
	case f.entry != nil:
		c.serve(w, r, f.entry, outMiss, c.opts.Now())
	case leader || shareable(f.page) == nil:
		c.uncached.Add(1)
		h.write(w, r, f.page)
	default:
		// Rendered for someone else and not to be shared: render our own.
		h.direct(w, r)
	}
}

// direct renders and writes without keeping anything: the path of every
// request when the cache is off, and of methods other than GET and HEAD.
func (h *handler) direct(w http.ResponseWriter, r *http.Request) {
	h.c.uncached.Add(1)
	rr := r
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		rr = h.prepare(r, r.Context()) // what it would see with the cache on
	}
	page, err := h.render(rr)
	if err == nil && page == nil {
		err = errNoPage
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.write(w, r, page)
}

// write sends a page that is not stored, with the Cache-Control a stored
// one would have when it may be kept downstream and chose none itself.
func (h *handler) write(w http.ResponseWriter, r *http.Request, p *web.Page) {
	c := h.c
	if ttl, ok := c.storable(p); ok && p.Header.Get("Cache-Control") == "" {
		until := ttl
		if !p.Expires.IsZero() {
			until = min(until, p.Expires.Sub(c.opts.Now()))
		}
		w.Header().Set("Cache-Control", c.cacheControl(until))
	}
	if c.Enabled() {
		w.Header()["X-Cache"] = xCache[outMiss]
	}
	web.WritePage(w, r, p)
}

// shared is the request a render for everyone waiting gets (see Handler).
func (h *handler) shared(r *http.Request) (*http.Request, context.CancelFunc) {
	ctx, cancel := context.WithoutCancel(r.Context()), context.CancelFunc(func() {})
	if d, ok := r.Context().Deadline(); ok {
		ctx, cancel = context.WithDeadline(ctx, d)
	}
	return h.prepare(r, ctx), cancel
}

// prepare is r with ctx as it is handed to render: GET, only the listed
// query parameters, no form, no credentials, no conditions.
func (h *handler) prepare(r *http.Request, ctx context.Context) *http.Request {
	rr := r.WithContext(ctx)
	rr.Method = http.MethodGet
	u := *r.URL
	u.RawQuery = string(h.appendQuery(nil, r.URL.RawQuery))
	u.ForceQuery = false
	rr.URL = &u
	rr.RequestURI = u.RequestURI()
	rr.Form, rr.PostForm, rr.MultipartForm = nil, nil, nil
	rr.Header = r.Header.Clone()
	for _, k := range []string{"Cookie", "Authorization", "If-None-Match", "If-Modified-Since", "If-Match", "If-Unmodified-Since", "If-Range", "Range"} {
		delete(rr.Header, k)
	}
	return rr
}

// appendKey appends the request's key: its variant, the escaped path and
// the canonical query of the listed parameters.
func (h *handler) appendKey(key []byte, r *http.Request) []byte {
	key = h.c.opts.Variant(key, r)
	// The path as it was decoded when that is how it came (the escaped
	// form then follows from it), else as it was sent ("/a%2Fb" is not
	// "/a/b"); the marks keep the two kinds apart.
	if r.URL.RawPath == "" {
		key = append(key, 0, 'd')
		key = append(key, r.URL.Path...)
	} else {
		key = append(key, 0, 'e')
		key = append(key, r.URL.EscapedPath()...)
	}
	if len(h.params) > 0 {
		key = append(key, '?')
		key = h.appendQuery(key, r.URL.RawQuery)
	}
	return key
}

// appendQuery appends "name=value&…" for each listed parameter present in
// raw, in sorted order, each value as url.QueryEscape writes it; of a
// parameter given twice the first counts, as url.Values.Get reads it. A
// pair that url.ParseQuery would drop (a bad escape, a semicolon) is
// skipped the same way.
func (h *handler) appendQuery(dst []byte, raw string) []byte {
	first := true
	for _, name := range h.params {
		value, ok := lookup(raw, name)
		if !ok {
			continue
		}
		if !first {
			dst = append(dst, '&')
		}
		first = false
		dst = appendEscaped(dst, name)
		dst = append(dst, '=')
		dst = appendEscaped(dst, value)
	}
	return dst
}

// lookup finds the first valid value of name in a raw query, unescaped.
func lookup(raw, name string) (string, bool) {
	for raw != "" {
		var pair string
		pair, raw = cutByte(raw, '&')
		if pair == "" || strings.IndexByte(pair, ';') >= 0 {
			continue
		}
		k, v := cutByte(pair, '=')
		if plain(k) {
			if k != name {
				continue
			}
		} else if u, err := url.QueryUnescape(k); err != nil || u != name {
			continue
		}
		if plain(v) {
			return v, true
		}
		if u, err := url.QueryUnescape(v); err == nil {
			return u, true
		}
	}
	return "", false
}

// plain reports whether s has nothing to unescape or escape.
func plain(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~') {
			return false
		}
	}
	return true
}

func appendEscaped(dst []byte, s string) []byte {
	if plain(s) {
		return append(dst, s...)
	}
	return append(dst, url.QueryEscape(s)...)
}

func cutByte(s string, sep byte) (string, string) {
	if i := strings.IndexByte(s, sep); i >= 0 {
		return s[:i], s[i+1:]
	}
	return s, ""
}
