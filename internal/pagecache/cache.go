// Package pagecache keeps rendered public pages (web.Page values) in
// memory, precompressed, and serves them without rendering again until
// what they were made from changes.
//
// # Use
//
//	c := pagecache.New(64<<20, pagecache.Options{
//		Stale: func(err error) bool { return news.ErrorCode(err) == news.EUNAVAILABLE },
//	})
//	mux.Handle("GET /{lang}/news/{y}/{m}/{d}/{id}/{$}",
//		c.Handler([]string{"comment"}, s.articlePage, s.fail))
//	...
//	c.Invalidate("article:12", "list:front") // on a change
//
// The render function returns the page as a value (or an error, which goes
// to fail and is never kept); the Handler does the rest: keys, coalescing,
// compression, validators, CDN headers. A render reports a failure as an
// error, not as an error page, so that the cache can tell a database that
// is away (serve the last copy) from a page that is gone (drop it); a
// not-found page it returns as a Page of status 404 is kept briefly, the
// same not-found as an error is not kept at all. New(0, …) gives a cache that keeps
// nothing: every request renders and is written by web.WritePage, which is
// what --cache-mb 0 means.
//
// # What an entry is
//
// One entry per variant (the request's web.Reach: which of the site's
// hosts it named and whether it came over the onion service; see
// Options.Variant), escaped path, and the values of exactly the query
// parameters the page reads (the params given to Handler, canonically
// escaped, in sorted order). Other parameters make no new entry, and the
// render function never sees them: it gets the request with only the
// listed ones, so what it makes cannot depend on anything the key leaves
// out. For the same reason it gets no Cookie, Authorization or
// conditional fields.
//
// Only GET and HEAD are served from the cache (other methods render every
// time), and only pages of status 200, 301, 404 and 410 that set no
// cookie and whose Cache-Control says neither no-store nor private are
// kept. 404 and 410
// are kept briefly (Options.NotFoundTTL) and enter at the cold end of the
// eviction order, so a repeated missing path costs one render per
// NotFoundTTL while a flood of random paths evicts only other such entries,
// never the pages readers read. Entries whose body is the same (one
// not-found page for many paths, one page for several hosts) share one set
// of compressed bodies.
//
// # Freshness
//
// An entry is fresh until one of its keys is invalidated, its Page.Expires
// passes, or Options.TTL (a safety net for a missed invalidation) runs out.
// A request for an entry that is no longer fresh renders it again; the
// requests that arrive meanwhile are served the previous copy marked
// "X-Cache: STALE" (stale-while-revalidate, here rather than in a CDN), and
// requests for a page not cached at all wait for that one render (one
// render however many ask: coalescing). When the render fails with an
// error Options.Stale accepts (the database is away), the previous copy is
// served, marked stale, for as long as the failure lasts (each request
// tries once more, one render for all who ask at once); any other error
// (not found, gone) drops it, so a deleted article never comes back from
// the cache. An invalidation that arrives while a page is being rendered
// makes that render's result stale as it is stored: it may have read what
// the invalidation replaced.
//
// # Memory
//
// The cache holds at most maxBytes: every stored body (identity, gzip and
// brotli), the key, the header and a fixed overhead per entry are counted.
// Past the bound it evicts by CLOCK (second chance: a hit sets a bit
// without taking the write lock; eviction passes over an entry with the bit
// once). A page larger than an eighth of the bound is not kept.
//
// # On the wire
//
// Each entry is compressed once, when stored: gzip at best compression and
// brotli at quality 6 (on a 30 KB page about 2 ms each; quality 11 takes 30
// times longer for 10% less). A hit negotiates br, gzip or identity from
// Accept-Encoding (web.Negotiate), sets precomputed header values, and
// writes the stored bytes with their Content-Length in one write; it
// answers If-None-Match and If-Modified-Since with 304. ETags are strong
// and differ per encoding (web.ETag). Stored pages carry "Cache-Control:
// public, max-age, stale-while-revalidate, stale-if-error" (unless the page
// set its own), Age, Surrogate-Key and Cache-Tag with the page's keys, and
// Vary: Accept-Encoding when they have compressed copies. The wiring must
// not compress again what leaves the Handler (gzhttp passes a response
// with Content-Encoding through as it is).
//
// # Counters
//
// Stats returns the counters and gauges a metrics collector reads (hits,
// misses, coalesced waits, stale answers, evictions, invalidations, bytes).
package pagecache

import (
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"tamizdat/internal/web"
)

// Options tune a Cache; the zero value gives the defaults.
type Options struct {
	// MaxAge is the max-age the cache tells browsers and CDNs for pages
	// that set no Cache-Control of their own, shortened to the time left
	// until the page's Expires. Default 30 s.
	MaxAge time.Duration
	// StaleWhileRevalidate and StaleIfError are those directives of the
	// same Cache-Control: how long a CDN may serve a copy past max-age
	// while it fetches a new one, and while this site answers with errors.
	// Defaults 30 s and 24 h.
	StaleWhileRevalidate time.Duration
	StaleIfError         time.Duration
	// TTL bounds how long an entry counts as fresh here when nothing
	// invalidates it. Default 10 min.
	TTL time.Duration
	// NotFoundTTL is the TTL of 404 and 410 pages. Default 30 s.
	NotFoundTTL time.Duration
	// Stale reports whether a render error allows serving the previous
	// copy of the page (for example news.ErrorCode(err) ==
	// news.EUNAVAILABLE). Nil: no error does.
	Stale func(error) bool
	// Variant appends to key what, besides the path and the listed query
	// parameters, selects the page a request gets. The default appends the
	// request's web.Reach (host role and onion), which Hosts resolved: a
	// page depends on the host only through it, and the key then cannot
	// grow with whatever Host a client sends.
	Variant func(key []byte, r *http.Request) []byte
	// GzipLevel and BrotliLevel are the compression levels of stored
	// copies. Defaults 9 (best) and 6.
	GzipLevel   int
	BrotliLevel int
	// Now is the clock; default time.Now.
	Now func() time.Time
}

func (o *Options) defaults() {
	def := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	def(&o.MaxAge, 30*time.Second)
	def(&o.StaleWhileRevalidate, 30*time.Second)
	def(&o.StaleIfError, 24*time.Hour)
	def(&o.TTL, 10*time.Minute)
	def(&o.NotFoundTTL, 30*time.Second)
	if o.Stale == nil {
		o.Stale = func(error) bool { return false }
	}
	if o.Variant == nil {
		o.Variant = reachVariant
	}
	if o.GzipLevel == 0 {
		o.GzipLevel = 9
	}
	if o.BrotliLevel == 0 {
		o.BrotliLevel = 6
	}
	if o.Now == nil {
		o.Now = time.Now
	}
}

func reachVariant(key []byte, r *http.Request) []byte {
	reach := web.ReachFrom(r.Context())
	onion := byte('c') // clearnet
	if reach.Onion {
		onion = 'o'
	}
	return append(key, byte('0'+reach.Role), onion)
}

// Stats are the cache's counters (since New) and gauges (now).
type Stats struct {
	Hits          uint64 // answered from a fresh entry (304s included)
	Misses        uint64 // rendered because nothing fresh was there
	Coalesced     uint64 // waited for another request's render instead of rendering
	Stale         uint64 // answered with a copy that was not fresh (X-Cache: STALE)
	Stores        uint64 // entries stored
	Evictions     uint64 // entries dropped to stay under the bound
	Invalidations uint64 // entries made stale by Invalidate
	Uncached      uint64 // rendered and not kept (method, status, no-store, size, cache off)

	Entries  int   // entries held
	Bytes    int64 // bytes counted against the bound
	MaxBytes int64 // the bound
	Waiting  int   // requests waiting for a render now
	Renders  int   // renders in flight now
}

// Cache is a bounded store of rendered pages; see the package comment.
// Its methods are safe for concurrent use.
type Cache struct {
	max  int64
	opts Options
	// ccStale is the Cache-Control of a copy served stale: a CDN must not
	// keep it as fresh.
	ccStale []string

	mu      sync.RWMutex
	entries map[string]*entry
	ring    *entry // the CLOCK hand: entries form a circular list; nil when empty
	blobs   map[string]*blob
	deps    map[string]map[*entry]struct{} // surrogate key → entries made from it
	flights map[string]*flight
	used    int64

	hits, misses, coalesced, stale, stores, evictions, invalidations, uncached atomic.Uint64
	waiting                                                                    atomic.Int64
}

// New returns a cache bounded to maxBytes; 0 (or less) turns caching off,
// and the Handler then renders and writes every request (web.WritePage).
func New(maxBytes int64, opts Options) *Cache {
	opts.defaults()
	return &Cache{
		max:     max(maxBytes, 0),
		opts:    opts,
		ccStale: []string{"public, max-age=0" + directives(opts)},
		entries: map[string]*entry{},
		blobs:   map[string]*blob{},
		deps:    map[string]map[*entry]struct{}{},
		flights: map[string]*flight{},
	}
}

// Enabled reports whether the cache keeps anything.
func (c *Cache) Enabled() bool { return c.max > 0 }

// Stats returns the counters now.
func (c *Cache) Stats() Stats {
	c.mu.RLock()
	n, used, renders := len(c.entries), c.used, len(c.flights)
	c.mu.RUnlock()
	return Stats{
		Hits: c.hits.Load(), Misses: c.misses.Load(), Coalesced: c.coalesced.Load(),
		Stale: c.stale.Load(), Stores: c.stores.Load(), Evictions: c.evictions.Load(),
		Invalidations: c.invalidations.Load(), Uncached: c.uncached.Load(),
		Entries: n, Bytes: used, MaxBytes: c.max,
		Waiting: int(c.waiting.Load()), Renders: renders,
	}
}

// Invalidate makes every entry made from any of keys stale: the next
// request renders it again, and until that succeeds the old copy is what
// the cache serves to requests that arrive meanwhile or when the render
// fails with an error Options.Stale accepts. Renders in flight when it is
// called store their result stale if it names one of keys.
func (c *Cache) Invalidate(keys ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, k := range keys {
		for e := range c.deps[k] {
			if !e.stale {
				e.stale = true
				c.invalidations.Add(1)
			}
		}
	}
	for _, f := range c.flights {
		f.invalidated = append(f.invalidated, keys...)
	}
}

// Purge forgets every entry, the stale fallbacks too (after a restore of
// the database, say, when nothing kept describes the site any more).
// Renders in flight store their results stale.
func (c *Cache) Purge() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for len(c.entries) > 0 {
		c.remove(c.ring)
	}
	for _, f := range c.flights {
		f.purged = true
	}
}

// put stores e in place of whatever the key held, then evicts to the
// bound. Caller holds c.mu.
func (c *Cache) put(e *entry) {
	if old := c.entries[e.key]; old != nil {
		c.remove(old)
	}
	if b := c.blobs[e.blob.id]; b != nil && b != e.blob {
		e.blob = b // rendered twice at once, or shared with another key
	}
	if e.blob.refs == 0 {
		c.blobs[e.blob.id] = e.blob
		c.used += e.blob.cost
	}
	e.blob.refs++
	c.entries[e.key] = e
	for _, k := range e.deps {
		set := c.deps[k]
		if set == nil {
			set = map[*entry]struct{}{}
			c.deps[k] = set
		}
		set[e] = struct{}{}
	}
	c.used += e.cost
	c.link(e)
	c.stores.Add(1)
	for c.used > c.max && c.ring != nil {
		c.evict()
	}
}

// link puts e into the CLOCK ring: just behind the hand, where it is
// looked at last, or, when it is cold, at the hand, where it is looked at
// first.
func (c *Cache) link(e *entry) {
	if c.ring == nil {
		e.prev, e.next = e, e
		c.ring = e
		return
	}
	h := c.ring
	e.prev, e.next = h.prev, h
	h.prev.next = e
	h.prev = e
	if e.cold {
		c.ring = e
	}
}

// evict drops the first entry at the hand whose bit is clear, clearing
// the bits it passes. Caller holds c.mu.
func (c *Cache) evict() {
	for {
		e := c.ring
		if e.ref.Load() && e.next != e {
			e.ref.Store(false)
			c.ring = e.next
			continue
		}
		c.remove(e)
		c.evictions.Add(1)
		return
	}
}

// remove takes e out of every index. Caller holds c.mu.
func (c *Cache) remove(e *entry) {
	if c.entries[e.key] != e {
		return
	}
	delete(c.entries, e.key)
	for _, k := range e.deps {
		if set := c.deps[k]; set != nil {
			delete(set, e)
			if len(set) == 0 {
				delete(c.deps, k)
			}
		}
	}
	if e.next == e {
		c.ring = nil
	} else {
		e.prev.next, e.next.prev = e.next, e.prev
		if c.ring == e {
			c.ring = e.next
		}
	}
	e.prev, e.next = nil, nil
	c.used -= e.cost
	if e.blob.refs--; e.blob.refs == 0 {
		delete(c.blobs, e.blob.id)
		c.used -= e.blob.cost
	}
}
