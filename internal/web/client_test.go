package web

import (
	"net/http/httptest"
	"net/netip"
	"testing"
)

func TestClientAddr(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("127.0.0.1/32")}
	for _, c := range []struct {
		name, remote string
		xff          []string
		want         string
	}{
		{"direct, no header", "203.0.113.7:5000", nil, "203.0.113.7"},
		{"direct reader forging the header", "203.0.113.7:5000", []string{"198.51.100.1"}, "203.0.113.7"},
		{"through our proxy", "127.0.0.1:5000", []string{"198.51.100.1"}, "198.51.100.1"},
		{"forged hop before the real one", "127.0.0.1:5000", []string{"6.6.6.6, 198.51.100.1"}, "198.51.100.1"},
		{"two of our proxies", "10.0.0.2:80", []string{"198.51.100.1, 10.0.0.9"}, "198.51.100.1"},
		{"headers split over lines", "10.0.0.2:80", []string{"6.6.6.6", "198.51.100.1"}, "198.51.100.1"},
		{"garbage hop", "10.0.0.2:80", []string{"198.51.100.1, not-an-ip"}, "10.0.0.2"},
		{"proxy without header", "127.0.0.1:5000", nil, "127.0.0.1"},
		{"only trusted hops", "127.0.0.1:5000", []string{"10.1.1.1"}, "10.1.1.1"},
		{"IPv6 reader", "[2001:db8::1]:443", nil, "2001:db8::1"},
		{"IPv4-mapped through proxy", "127.0.0.1:1", []string{"::ffff:198.51.100.1"}, "198.51.100.1"},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = c.remote
		for _, h := range c.xff {
			r.Header.Add("X-Forwarded-For", h)
		}
		if got := clientAddr(r, trusted).String(); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
	// With no trusted proxies the header is never read.
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "127.0.0.1:9"
	r.Header.Set("X-Forwarded-For", "198.51.100.1")
	if got := clientAddr(r, nil).String(); got != "127.0.0.1" {
		t.Errorf("no trusted proxies: %s", got)
	}
}
