package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"tamizdat/internal/news"
)

func TestHostsResolvesReachOnce(t *testing.T) {
	set := news.DefaultSettings()
	for k, v := range map[string]string{"primary_url": "https://news.example.org", "onion_url": "http://abc.onion", "desk_url": "https://desk.example.org"} {
		if _, err := set.Apply(k, v, []string{"en"}); err != nil {
			t.Fatal(err)
		}
	}
	var seen Reach
	h := Hosts(func(context.Context) (news.Settings, error) { return set, nil }, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = ReachFrom(r.Context())
	}))
	for _, tt := range []struct {
		host, path string
		onion      bool
		status     int
		want       Reach
	}{
		{"news.example.org", "/en/", false, 200, Reach{Role: news.HostPrimary, Origin: "https://news.example.org"}},
		{"abc.onion", "/en/", false, 200, Reach{Role: news.HostOnion, Origin: "http://abc.onion"}}, // named, but not arrived through Tor
		{"abc.onion", "/en/", true, 200, Reach{Onion: true, Role: news.HostOnion, Origin: "http://abc.onion"}},
		{"evil.example", "/api/v1/articles", false, 421, Reach{}},
		{"evil.example", "/healthz", false, 200, Reach{}},
		{"news.example.org", "/desk/signin", false, 421, Reach{}},
		{"desk.example.org", "/desk/signin", false, 200, Reach{Role: news.HostDesk, Origin: "https://desk.example.org"}},
	} {
		seen = Reach{}
		req := httptest.NewRequest("GET", "http://"+tt.host+tt.path, nil)
		if tt.onion {
			req = req.WithContext(OnionConnContext(req.Context(), nil))
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != tt.status || seen != tt.want {
			t.Errorf("%s%s (onion listener %v): %d %+v, want %d %+v", tt.host, tt.path, tt.onion, rec.Code, seen, tt.status, tt.want)
		}
	}
}
