package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/netip"
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
		{"news.example.org", "/en/", false, 200, Reach{Role: news.HostPrimary}},
		{"abc.onion", "/en/", false, 200, Reach{Role: news.HostOnion}}, // named, but not arrived through Tor
		{"abc.onion", "/en/", true, 200, Reach{Onion: true, Role: news.HostOnion}},
		{"evil.example", "/api/v1/articles", false, 421, Reach{}},
		{"evil.example", "/healthz", false, 200, Reach{}},
		{"news.example.org", "/desk/signin", false, 421, Reach{}},
		{"desk.example.org", "/desk/signin", false, 200, Reach{Role: news.HostDesk}},
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

// On the onion listener no X-Forwarded-For is believed, even from a
// trusted loopback proxy: every onion reader is the Tor daemon.
func TestOnionListenerBelievesNoForwardedFor(t *testing.T) {
	var seen []string
	h := ClientAddr([]netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, ClientAddrFrom(r.Context()).String())
	}))
	for _, onion := range []bool{false, true} {
		req := httptest.NewRequest("GET", "/", nil)
		req.RemoteAddr = "127.0.0.1:5000"
		req.Header.Set("X-Forwarded-For", "203.0.113.9")
		if onion {
			req = req.WithContext(OnionConnContext(req.Context(), nil))
		}
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
	if len(seen) != 2 || seen[0] != "203.0.113.9" || seen[1] != "127.0.0.1" {
		t.Errorf("client addresses %v, want the forwarded one on the public listener and the daemon's on the onion one", seen)
	}
}
