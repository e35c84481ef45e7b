package metrics

import (
	"reflect"

	"github.com/prometheus/client_golang/prometheus"
)

// CacheCounters are a page cache's totals since it started (counters) and
// its size now (Bytes, Entries).
type CacheCounters struct {
	Hits, Misses  uint64
	Coalesced     uint64 // requests that waited for another's rendering of the same page
	Stale         uint64 // answers from an entry past its time, while it was rendered again
	Evictions     uint64 // entries dropped to stay within the memory bound
	Invalidations uint64 // entries dropped because what they show changed
	Bytes         uint64
	Entries       uint64
}

// CacheStats is what a cache offers to be counted.
type CacheStats interface{ Stats() CacheCounters }

// Cache counts src as tamizdat_cache_*, read at each scrape. A nil src (no
// cache) registers nothing.
func (m *Metrics) Cache(src CacheStats) {
	if src == nil {
		return
	}
	if v := reflect.ValueOf(src); v.Kind() == reflect.Pointer && v.IsNil() {
		return // a cache turned off, handed over as its typed nil
	}
	m.reg.MustRegister(cacheCollector{src})
}

func cacheDesc(name, help string) *prometheus.Desc {
	return prometheus.NewDesc(prometheus.BuildFQName(namespace, "cache", name), help, nil, nil)
}

var (
	cacheHits          = cacheDesc("hits_total", "Requests answered from the page cache.")
	cacheMisses        = cacheDesc("misses_total", "Requests whose page was rendered for the cache.")
	cacheCoalesced     = cacheDesc("coalesced_total", "Requests that waited for another request's rendering of the same page.")
	cacheStale         = cacheDesc("stale_total", "Requests answered from an entry past its time while it was rendered again.")
	cacheEvictions     = cacheDesc("evictions_total", "Entries dropped to stay within the memory bound.")
	cacheInvalidations = cacheDesc("invalidations_total", "Entries dropped because what they show changed.")
	cacheBytes         = cacheDesc("bytes", "Memory held by cached pages, in bytes.")
	cacheEntries       = cacheDesc("entries", "Pages in the cache.")
)

type cacheCollector struct{ src CacheStats }

func (c cacheCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{cacheHits, cacheMisses, cacheCoalesced, cacheStale, cacheEvictions, cacheInvalidations, cacheBytes, cacheEntries} {
		ch <- d
	}
}

func (c cacheCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.src.Stats()
	counter := func(d *prometheus.Desc, v uint64) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(v))
	}
	gauge := func(d *prometheus.Desc, v uint64) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, float64(v))
	}
	counter(cacheHits, s.Hits)
	counter(cacheMisses, s.Misses)
	counter(cacheCoalesced, s.Coalesced)
	counter(cacheStale, s.Stale)
	counter(cacheEvictions, s.Evictions)
	counter(cacheInvalidations, s.Invalidations)
	gauge(cacheBytes, s.Bytes)
	gauge(cacheEntries, s.Entries)
}
