package web

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

type clientKey struct{}

// ClientAddr puts the reader's address in the request context for the code
// that needs one (rate limits, keyed fingerprints); it is never logged or
// stored. X-Forwarded-For is believed only when the connection comes from a
// trusted proxy, and then read from the right, skipping the trusted hops, so
// that a reader cannot choose the address by sending the header.
//
// On the onion service's listener only the local Tor daemon connects, for
// every onion reader alike: its X-Forwarded-For, even from a trusted
// loopback, would be the reader's to choose, so it is never read there.
func ClientAddr(trusted []netip.Prefix, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t := trusted
		if onion, _ := r.Context().Value(onionKey{}).(bool); onion {
			t = nil
		}
		addr := clientAddr(r, t)
		if in := infoOf(r.Context()); in != nil {
			in.client, in.hasClient = addr, true
			next.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), clientKey{}, addr)))
	})
}

// ClientAddrFrom returns the address ClientAddr found, or the zero Addr.
func ClientAddrFrom(ctx context.Context) netip.Addr {
	if in := infoOf(ctx); in != nil && in.hasClient {
		return in.client
	}
	a, _ := ctx.Value(clientKey{}).(netip.Addr)
	return a
}

func clientAddr(r *http.Request, trusted []netip.Prefix) netip.Addr {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}
	}
	peer = peer.Unmap()
	if !isTrusted(peer, trusted) {
		return peer
	}
	// Every X-Forwarded-For header, in order, forms one list; the last
	// entries were added by our own proxies.
	var hops []string
	for _, h := range r.Header.Values("X-Forwarded-For") {
		for part := range strings.SplitSeq(h, ",") {
			hops = append(hops, strings.TrimSpace(part))
		}
	}
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(hops[i])
		if err != nil {
			// A hop we cannot read was written by someone we do not trust;
			// the last trusted hop is the best we know.
			return peer
		}
		a = a.Unmap()
		if !isTrusted(a, trusted) {
			return a
		}
		peer = a
	}
	return peer
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
