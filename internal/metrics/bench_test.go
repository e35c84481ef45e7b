package metrics_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"tamizdat/internal/metrics"
)

// BenchmarkHTTP is what the middleware adds to a request: a handler alone
// (the route given as web.RouteOf would give it) and behind an article's
// mux pattern, each bare and measured.
// go test -run '^$' -bench HTTP -benchmem ./internal/metrics
func BenchmarkHTTP(b *testing.B) {
	body := []byte("an article")
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(body) })
	mux := http.NewServeMux()
	mux.Handle("GET /{lang}/news/{y}/{m}/{d}/{id}/{$}", handler)
	m := metrics.New()
	m.Route = func(*http.Request) string { return "GET /{lang}/news/{y}/{m}/{d}/{id}/{$}" }
	for _, c := range []struct {
		name string
		h    http.Handler
	}{{"handler/bare", handler}, {"handler/measured", m.HTTP("site", handler)}, {"mux/bare", mux}, {"mux/measured", metrics.New().HTTP("site", mux)}} {
		b.Run(c.name, func(b *testing.B) {
			req := httptest.NewRequest("GET", "/en/news/2026/2/2/12345/", nil)
			w := httptest.NewRecorder()
			b.ReportAllocs()
			for b.Loop() {
				w.Body.Reset()
				c.h.ServeHTTP(w, req)
			}
		})
	}
}
