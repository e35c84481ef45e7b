package metrics_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"tamizdat/internal/metrics"
)

// BenchmarkHTTP is what the middleware adds to a request: the same mux
// and article handler bare and measured.
// go test -run '^$' -bench HTTP -benchmem ./internal/metrics
func BenchmarkHTTP(b *testing.B) {
	mux := http.NewServeMux()
	body := []byte("an article")
	mux.HandleFunc("GET /{lang}/news/{y}/{m}/{d}/{id}/{$}", func(w http.ResponseWriter, r *http.Request) { w.Write(body) })
	for _, c := range []struct {
		name string
		h    http.Handler
	}{{"bare", mux}, {"measured", metrics.New().HTTP("site", mux)}} {
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
