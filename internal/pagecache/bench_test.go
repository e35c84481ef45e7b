package pagecache_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/klauspost/compress/gzip"

	"tamizdat/internal/pagecache"
	"tamizdat/internal/web"
)

// discard is a ResponseWriter that keeps nothing, so that the benchmarks
// measure the handlers rather than a recorder's buffer.
type discard struct {
	h http.Header
	n int
}

func (d *discard) Header() http.Header { return d.h }
func (d *discard) WriteHeader(int)     {}
func (d *discard) Write(b []byte) (int, error) {
	d.n += len(b)
	return len(b), nil
}

func benchPage() *web.Page {
	return &web.Page{
		Header: http.Header{"Content-Type": {"text/html; charset=utf-8"}},
		Body:   body("an article", 30000),
		Keys:   []string{"article:12", "list:front", "settings"},
	}
}

// parallel runs h on a request per goroutine, as a server's connections do.
func parallel(b *testing.B, h http.Handler, accept string) {
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		r := httptest.NewRequest("GET", "http://news.example.org/en/news/2026/2/2/12/?utm_source=feed", nil)
		r.Header.Set("Accept-Encoding", accept)
		r.Header.Set("User-Agent", "Mozilla/5.0")
		w := &discard{h: http.Header{}}
		for pb.Next() {
			clear(w.h)
			h.ServeHTTP(w, r)
		}
	})
}

// BenchmarkHit is a cached article page of 30 KB.
// go test -run '^$' -bench . -benchmem ./internal/pagecache
func BenchmarkHit(b *testing.B) {
	page := benchPage()
	c := pagecache.New(64<<20, pagecache.Options{})
	h := c.Handler([]string{"comment"}, func(*http.Request) (*web.Page, error) { return page, nil }, failPage)
	h.ServeHTTP(&discard{h: http.Header{}}, httptest.NewRequest("GET", "http://news.example.org/en/news/2026/2/2/12/", nil))
	for _, accept := range []string{"gzip", "br"} {
		b.Run(accept, func(b *testing.B) {
			parallel(b, h, accept)
			if s := c.Stats(); s.Misses != 1 {
				b.Fatalf("%d misses", s.Misses)
			}
		})
	}
}

// BenchmarkWritePage is the same page sent without a cache (--cache-mb 0),
// gzipped on every request; rendering it is not counted.
func BenchmarkWritePage(b *testing.B) {
	page := benchPage()
	parallel(b, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { web.WritePage(w, r, page) }), "gzip")
}

// BenchmarkBare is a handler that only writes the gzipped bytes of the page
// with their length: the floor of what a hit can cost. "fields" sets the
// same ten header fields a hit sends, to show what they cost.
func BenchmarkBare(b *testing.B) {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(benchPage().Body)
	zw.Close()
	gz, length := buf.Bytes(), strconv.Itoa(buf.Len())
	b.Run("3_fields", func(b *testing.B) {
		parallel(b, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h := w.Header()
			h.Set("Content-Type", "text/html; charset=utf-8")
			h.Set("Content-Encoding", "gzip")
			h.Set("Content-Length", length)
			w.WriteHeader(http.StatusOK)
			w.Write(gz)
		}), "gzip")
	})
	fields := [][2]string{
		{"Content-Type", "text/html; charset=utf-8"}, {"Cache-Control", "public, max-age=30"}, {"Vary", "Accept-Encoding"},
		{"Surrogate-Key", "article:12"}, {"Cache-Tag", "article:12"}, {"X-Cache", "HIT"}, {"Etag", `"abc-gz"`},
		{"Content-Encoding", "gzip"}, {"Content-Length", length}, {"Age", "1"},
	}
	values := make([][]string, len(fields))
	for i, f := range fields {
		values[i] = []string{f[1]}
	}
	b.Run("10_fields", func(b *testing.B) {
		parallel(b, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h := w.Header()
			for i, f := range fields {
				h[f[0]] = values[i]
			}
			w.WriteHeader(http.StatusOK)
			w.Write(gz)
		}), "gzip")
	})
}
