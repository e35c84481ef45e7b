package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"tamizdat/internal/news"
)

// BenchmarkBoundary is what the request boundary adds to every request:
// the host check (a primary, two mirrors, an onion and a desk host) and the
// text check of a path and query, beside the same handler without them.
// go test -run '^$' -bench Boundary -benchmem ./internal/web
func BenchmarkBoundary(b *testing.B) {
	set := news.DefaultSettings()
	for k, v := range map[string]string{"primary_url": "https://news.example.org", "mirror_urls": "https://m1.example.net,https://m2.example.net:8443",
		"onion_url": "http://abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwx.onion", "desk_url": "https://desk.example.org"} {
		if _, err := set.Apply(k, v, []string{"en"}); err != nil {
			b.Fatal(err)
		}
	}
	bare := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	checked := Hosts(func(context.Context) (news.Settings, error) { return set, nil },
		CleanInput(bare, func(w http.ResponseWriter, r *http.Request, err error) { b.Fatal(err) }))
	for _, c := range []struct {
		name string
		h    http.Handler
	}{{"bare", bare}, {"hosts_and_text", checked}} {
		b.Run(c.name, func(b *testing.B) {
			req := httptest.NewRequest("GET", "http://m2.example.net:8443/en/news/2026/2/2/12345/?comment=published", nil)
			w := httptest.NewRecorder()
			b.ReportAllocs()
			for b.Loop() {
				c.h.ServeHTTP(w, req)
			}
		})
	}
}
