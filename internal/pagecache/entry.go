package pagecache

import (
	"bytes"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/gzip"

	"tamizdat/internal/web"
)

// entry is one stored page. Everything but the fields marked otherwise is
// set before the entry is stored and never changed, so a request may serve
// an entry it found after the lock is released, even one evicted since.
type entry struct {
	key      string
	status   int
	header   []field // sent on every answer, in this order
	blob     *blob   // the bodies; replaced by an equal one as it is stored
	deps     []string
	modified time.Time
	stored   time.Time
	expires  int64 // UnixNano: fresh before it
	cold     bool  // a 404 or 410: enters the ring where eviction looks first
	cost     int64 // counted against the bound besides the blob

	stale      bool        // invalidated; guarded by Cache.mu
	prev, next *entry      // the CLOCK ring; guarded by Cache.mu
	ref        atomic.Bool // hit since the hand last passed
	age        atomic.Pointer[ageField]
}

// field is a header field with its value precomputed, clipped (len ==
// cap), so that a handler further out that appends to it copies it.
type field struct {
	name  string
	value []string
}

// blob is a body in every encoding it is sent in, shared by the entries
// whose bodies are equal.
type blob struct {
	id      string // tag and how it was encoded
	tag     string // web.PageTag of the identity body
	offered web.Encodings
	vars    [3]*variant // by web.Encoding; identity always there
	refs    int         // entries holding it; guarded by Cache.mu
	cost    int64
}

// variant is one encoding of a body with its framing fields.
type variant struct {
	body     []byte
	etag     []string
	length   []string
	encoding []string // nil for identity
}

type ageField struct {
	secs  int64
	value []string
}

// Fixed costs of an entry, a header field and a surrogate key besides
// their bytes: the structs, map slots and slice headers, roughly.
const (
	entryOverhead = 320
	fieldOverhead = 48
	depOverhead   = 96
	blobOverhead  = 160
)

// outcome is how a request was answered, as X-Cache tells.
type outcome int

const (
	outHit outcome = iota
	outMiss
	outStale
)

var xCache = [...][]string{outHit: {"HIT"}, outMiss: {"MISS"}, outStale: {"STALE"}}

// framing are the fields the cache sets itself; a page's own are dropped.
var framing = map[string]bool{
	"Content-Length": true, "Content-Encoding": true, "Etag": true, "Last-Modified": true, "Age": true,
	"X-Cache": true, "Surrogate-Key": true, "Cache-Tag": true, "Vary": true,
}

// storable reports whether a rendered page may be kept and shared at all,
// and with which time to live.
func (c *Cache) storable(p *web.Page) (time.Duration, bool) {
	if shareable(p) != nil {
		return 0, false
	}
	switch p.StatusCode() {
	case http.StatusOK, http.StatusMovedPermanently:
		return c.opts.TTL, true
	case http.StatusNotFound, http.StatusGone:
		return c.opts.NotFoundTTL, true
	}
	return 0, false
}

// shareable is nil when a page may be given to other readers than the one
// it was rendered for, and otherwise says why not: it sets a cookie, or
// its Cache-Control says private or no-store.
func shareable(p *web.Page) error {
	if len(p.Header["Set-Cookie"]) > 0 {
		return errPersonal
	}
	for _, cc := range p.Header["Cache-Control"] {
		for d := range strings.SplitSeq(cc, ",") {
			d, _, _ = strings.Cut(strings.TrimSpace(d), "=")
			if strings.EqualFold(d, "no-store") || strings.EqualFold(d, "private") {
				return errPersonal
			}
		}
	}
	return nil
}

type personalError struct{}

func (personalError) Error() string { return "the page is not to be shared" }

var errPersonal error = personalError{}

// cacheControl is what a page that chose none is sent with: max-age is
// Options.MaxAge, or less when the entry goes out of date sooner.
func (c *Cache) cacheControl(until time.Duration) string {
	age := min(c.opts.MaxAge, until) / time.Second
	return "public, max-age=" + strconv.FormatInt(int64(max(age, 0)), 10) + directives(c.opts)
}

func directives(o Options) string {
	return ", stale-while-revalidate=" + strconv.FormatInt(int64(o.StaleWhileRevalidate/time.Second), 10) +
		", stale-if-error=" + strconv.FormatInt(int64(o.StaleIfError/time.Second), 10)
}

// build makes the entry of a rendered page, compressing its body unless
// an equal body is stored already; nil when the page is not to be kept.
// It runs outside the lock.
func (c *Cache) build(key string, p *web.Page, now time.Time) *entry {
	ttl, ok := c.storable(p)
	if !ok || int64(len(p.Body)) > c.max/8 {
		return nil
	}
	expires := now.Add(ttl)
	if !p.Expires.IsZero() && p.Expires.Before(expires) {
		if !p.Expires.After(now) {
			return nil // out of date already
		}
		expires = p.Expires
	}
	e := &entry{
		key: key, status: p.StatusCode(), modified: p.Modified, stored: now,
		expires: expires.UnixNano(), cold: p.StatusCode() >= 400,
	}
	for _, k := range p.Keys {
		if !slices.Contains(e.deps, k) {
			e.deps = append(e.deps, k)
		}
	}
	preEncoded := strings.Join(p.Header["Content-Encoding"], ",")
	compress := preEncoded == "" && web.Compressible(p.Header.Get("Content-Type"), len(p.Body))
	e.blob = c.blobOf(p.Body, preEncoded, compress)

	names := make([]string, 0, len(p.Header))
	for k := range p.Header {
		if !framing[k] && len(p.Header[k]) > 0 {
			names = append(names, k)
		}
	}
	slices.Sort(names)
	add := func(name string, value ...string) {
		e.header = append(e.header, field{name, value[:len(value):len(value)]})
	}
	for _, k := range names {
		add(k, slices.Clone(p.Header[k])...)
	}
	if p.Header.Get("Cache-Control") == "" {
		add("Cache-Control", c.cacheControl(expires.Sub(now)))
	}
	if vary := p.Header["Vary"]; len(vary) > 0 || e.blob.offered != web.Of(web.Identity) {
		vary = slices.Clone(vary)
		if e.blob.offered != web.Of(web.Identity) {
			vary = append(vary, "Accept-Encoding")
		}
		add("Vary", vary...)
	}
	if !p.Modified.IsZero() {
		add("Last-Modified", p.Modified.UTC().Format(http.TimeFormat))
	}
	if len(e.deps) > 0 {
		add("Surrogate-Key", web.SurrogateKey(e.deps))
		add("Cache-Tag", web.CacheTag(e.deps))
	}

	e.cost = entryOverhead + int64(len(key))
	for _, f := range e.header {
		e.cost += fieldOverhead + int64(len(f.name))
		for _, v := range f.value {
			e.cost += int64(len(v)) + 16
		}
	}
	for _, k := range e.deps {
		e.cost += depOverhead + int64(len(k))
	}
	return e
}

// blobOf returns the stored blob of body if there is one, or a new one
// with the body compressed in every encoding worth having.
func (c *Cache) blobOf(body []byte, preEncoded string, compress bool) *blob {
	tag := web.PageTag(body)
	id := tag
	if preEncoded != "" {
		id += " " + preEncoded
	} else if compress {
		id += " c"
	}
	c.mu.RLock()
	b := c.blobs[id]
	c.mu.RUnlock()
	if b != nil {
		return b
	}
	b = &blob{id: id, tag: tag, offered: web.Of(web.Identity)}
	b.vars[web.Identity] = newVariant(body, tag, web.Identity)
	if preEncoded != "" {
		b.vars[web.Identity].encoding = []string{preEncoded}
	}
	if compress {
		// A compressed copy that saves less than an eighth is not worth
		// a Vary and the bytes it takes.
		worth := func(z []byte) bool { return len(z) < len(body)-len(body)/8 }
		if z := c.gzip(body); worth(z) {
			b.vars[web.Gzip] = newVariant(z, tag, web.Gzip)
			b.offered |= web.Of(web.Gzip)
		}
		if z := c.brotli(body); worth(z) {
			b.vars[web.Brotli] = newVariant(z, tag, web.Brotli)
			b.offered |= web.Of(web.Brotli)
		}
	}
	b.cost = blobOverhead + int64(len(id))
	for _, v := range b.vars {
		if v != nil {
			b.cost += int64(len(v.body) + len(v.etag[0]) + len(v.length[0]))
		}
	}
	return b
}

func newVariant(body []byte, tag string, e web.Encoding) *variant {
	v := &variant{
		body:   body,
		etag:   []string{web.ETag(tag, e)},
		length: []string{strconv.Itoa(len(body))},
	}
	if e != web.Identity {
		v.encoding = []string{e.Token()}
	}
	return v
}

func (c *Cache) gzip(body []byte) []byte {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, c.opts.GzipLevel)
	if err != nil {
		zw = gzip.NewWriter(&buf)
	}
	zw.Write(body) // a bytes.Buffer does not fail
	zw.Close()
	return slices.Clip(buf.Bytes())
}

func (c *Cache) brotli(body []byte) []byte {
	var buf bytes.Buffer
	zw := brotli.NewWriterLevel(&buf, c.opts.BrotliLevel)
	zw.Write(body)
	zw.Close()
	return slices.Clip(buf.Bytes())
}

// ageValue is the Age field of an entry now, made once per second of its
// life rather than on every hit.
func (e *entry) ageValue(now time.Time) []string {
	secs := int64(now.Sub(e.stored) / time.Second)
	if secs <= 0 {
		return nil
	}
	if a := e.age.Load(); a != nil && a.secs == secs {
		return a.value
	}
	a := &ageField{secs, []string{strconv.FormatInt(secs, 10)}}
	e.age.Store(a)
	return a.value
}

// serve writes e as the answer to r: the encoding negotiated, 304 when
// the client's copy is current, the body in one write with its length.
// This is the hit path: it allocates nothing of its own.
func (c *Cache) serve(w http.ResponseWriter, r *http.Request, e *entry, how outcome, now time.Time) {
	b := e.blob
	enc, ok := web.Negotiate(r.Header["Accept-Encoding"], b.offered)
	if !ok {
		web.NotAcceptable(w, r)
		return
	}
	v := b.vars[enc]
	h := w.Header()
	for _, f := range e.header {
		h[f.name] = f.value
	}
	if how == outStale {
		// A CDN must not keep a stale copy as fresh: it asks again, and
		// gets the new page as soon as there is one.
		h["Cache-Control"] = c.ccStale
	}
	h["X-Cache"] = xCache[how]
	if age := e.ageValue(now); age != nil {
		h["Age"] = age
	}
	if e.status == http.StatusOK {
		h["Etag"] = v.etag
		if web.NotModified(r, b.tag, e.modified) {
			delete(h, "Content-Type")
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	if v.encoding != nil {
		h["Content-Encoding"] = v.encoding
	}
	h["Content-Length"] = v.length
	web.WriteWhole(w, r, e.status, v.body)
}
