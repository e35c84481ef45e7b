package metrics_test

import (
	"context"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"tamizdat/internal/metrics"
	"tamizdat/internal/store/storetest"
)

type cache struct{ c metrics.CacheCounters }

func (c *cache) Stats() metrics.CacheCounters { return c.c }

func TestCacheIsReadAtEachScrape(t *testing.T) {
	m := metrics.New()
	src := &cache{metrics.CacheCounters{Hits: 90, Misses: 10, Coalesced: 4, Stale: 3, Evictions: 2, Invalidations: 5, Bytes: 1 << 20, Entries: 17}}
	m.Cache(src)
	want := `
# HELP tamizdat_cache_hits_total Requests answered from the page cache.
# TYPE tamizdat_cache_hits_total counter
tamizdat_cache_hits_total 91
# HELP tamizdat_cache_misses_total Requests whose page was rendered for the cache.
# TYPE tamizdat_cache_misses_total counter
tamizdat_cache_misses_total 10
# HELP tamizdat_cache_coalesced_total Requests that waited for another request's rendering of the same page.
# TYPE tamizdat_cache_coalesced_total counter
tamizdat_cache_coalesced_total 4
# HELP tamizdat_cache_stale_total Requests answered from an entry past its time while it was rendered again.
# TYPE tamizdat_cache_stale_total counter
tamizdat_cache_stale_total 3
# HELP tamizdat_cache_evictions_total Entries dropped to stay within the memory bound.
# TYPE tamizdat_cache_evictions_total counter
tamizdat_cache_evictions_total 2
# HELP tamizdat_cache_invalidations_total Entries dropped because what they show changed.
# TYPE tamizdat_cache_invalidations_total counter
tamizdat_cache_invalidations_total 5
# HELP tamizdat_cache_bytes Memory held by cached pages, in bytes.
# TYPE tamizdat_cache_bytes gauge
tamizdat_cache_bytes 1.048576e+06
# HELP tamizdat_cache_entries Pages in the cache.
# TYPE tamizdat_cache_entries gauge
tamizdat_cache_entries 17
`
	src.c.Hits++ // read when scraped, not when registered
	if err := testutil.GatherAndCompare(m.Registry(), strings.NewReader(want),
		"tamizdat_cache_hits_total", "tamizdat_cache_misses_total", "tamizdat_cache_coalesced_total", "tamizdat_cache_stale_total",
		"tamizdat_cache_evictions_total", "tamizdat_cache_invalidations_total", "tamizdat_cache_bytes", "tamizdat_cache_entries"); err != nil {
		t.Error(err)
	}
}

func TestNoCacheNoCacheMetrics(t *testing.T) {
	m := metrics.New()
	m.Cache(nil)
	var off *cache // a cache turned off, as its typed nil
	m.Cache(off)
	if n, err := testutil.GatherAndCount(m.Registry(), "tamizdat_cache_hits_total", "tamizdat_cache_entries"); err != nil || n != 0 {
		t.Errorf("without a cache: %d cache series, %v", n, err)
	}
}

// The pool's statistics and each statement's time, by engine and kind.
func TestDatabase(t *testing.T) {
	for _, eng := range storetest.Engines {
		t.Run(eng.Name, func(t *testing.T) {
			db, _ := eng.Open(t, nil)
			m := metrics.New()
			db.SetObserver(m.DB(db.Engine(), db.Pool()))
			if _, err := db.Migrate(context.Background()); err != nil {
				t.Fatal(err)
			}
			if _, err := db.Editions(context.Background()); err != nil {
				t.Fatal(err)
			}
			gone, cancel := context.WithCancel(context.Background())
			cancel()
			db.Editions(gone)
			text := scrape(t, m)
			for _, want := range []string{
				`go_sql_open_connections{db_name="` + eng.Name + `"}`,
				`go_sql_max_open_connections{db_name="` + eng.Name + `"}`,
				`tamizdat_db_query_errors_total{engine="` + eng.Name + `",op="query"} 0`,
			} {
				if !strings.Contains(text, want) {
					t.Errorf("no %s in:\n%s", want, grep(text, eng.Name))
				}
			}
			if !strings.Contains(text, `tamizdat_db_query_duration_seconds_count{engine="`+eng.Name+`",op="query"}`) ||
				strings.Contains(text, `tamizdat_db_query_duration_seconds_count{engine="`+eng.Name+`",op="query"} 0`) {
				t.Errorf("no query timed:\n%s", grep(text, "query_duration_seconds_count"))
			}
			if strings.Contains(strings.ToUpper(text), "SELECT") {
				t.Errorf("SQL in the metrics:\n%s", grep(strings.ToUpper(text), "SELECT"))
			}
		})
	}
}

func TestCommentOutcomes(t *testing.T) {
	m := metrics.New()
	observe := m.Comments("published", "pending", "refused_too_fast")
	observe("refused_too_fast")
	observe("refused_too_fast")
	observe("published")
	want := `
# HELP tamizdat_comments_total Comments sent to the intake, by outcome: published, pending, honeypot, refused_REASON, refused_other, error.
# TYPE tamizdat_comments_total counter
tamizdat_comments_total{outcome="pending"} 0
tamizdat_comments_total{outcome="published"} 1
tamizdat_comments_total{outcome="refused_too_fast"} 2
`
	if err := testutil.GatherAndCompare(m.Registry(), strings.NewReader(want), "tamizdat_comments_total"); err != nil {
		t.Error(err)
	}
}
