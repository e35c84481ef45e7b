package web

import (
	"context"
	"net"
	"net/http"

	"tamizdat/internal/news"
)

// Reach is how a request reached the site. It is worked out once, here,
// from where the request arrived and the site's configured hosts; nothing
// else reads the Host header, which the client chooses.
type Reach struct {
	// Onion: the request arrived on the onion service's own listener,
	// where only the local Tor daemon connects. A request on the public
	// listener that names the onion host is not one.
	Onion bool
	// Role is which of the site's hosts the request named (news.HostAny
	// until primary_url is set). An absolute URL is never built from the
	// Host a client sent, only from the settings.
	Role news.HostRole
}

type reachKey struct{}

// ReachFrom returns the Reach that Hosts found.
func ReachFrom(ctx context.Context) Reach {
	if in := infoOf(ctx); in != nil && in.hasReach {
		return in.reach
	}
	r, _ := ctx.Value(reachKey{}).(Reach)
	return r
}

type onionKey struct{}

// OnionConnContext is the http.Server hook of the onion service's
// listener: every request on it is an onion request.
func OnionConnContext(ctx context.Context, c net.Conn) context.Context {
	return context.WithValue(ConnContext(ctx, c), onionKey{}, true)
}

// Hosts resolves the Reach of every request and refuses, with 421, a host
// that is not the site's once primary_url is set — on every surface (the
// reader site, the desk, the API, media, robots.txt), so that no answer
// of this site is given under another name. When desk_url is set the desk
// answers only there. The health checks answer whatever the host, for
// load balancers that probe by address.
func Hosts(settings func(context.Context) (news.Settings, error), next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		onion, _ := r.Context().Value(onionKey{}).(bool)
		reach := Reach{Onion: onion}
		if r.URL.Path == "/healthz" || r.URL.Path == "/readyz" {
			next.ServeHTTP(w, r)
			return
		}
		set, err := settings(r.Context())
		if err != nil {
			// The database is away: every handler that could build a URL
			// needs the settings too, and will answer 503 itself.
			reach.Role = news.HostUnknown
			next.ServeHTTP(w, withReach(r, reach))
			return
		}
		reach.Role = set.MatchHost(r.Host)
		desk := r.URL.Path == "/desk" || len(r.URL.Path) > 5 && r.URL.Path[:6] == "/desk/"
		if reach.Role == news.HostUnknown || (desk && set.DeskURL != "" && reach.Role != news.HostDesk) {
			misdirected(w, r)
			return
		}
		next.ServeHTTP(w, withReach(r, reach))
	})
}

// withReach is r knowing its Reach: in the record Log made when there is
// one, else in a context of its own.
func withReach(r *http.Request, reach Reach) *http.Request {
	if in := infoOf(r.Context()); in != nil {
		in.reach, in.hasReach = reach, true
		return r
	}
	return r.WithContext(context.WithValue(r.Context(), reachKey{}, reach))
}

func misdirected(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	http.Error(w, "Misdirected request: this site does not answer on that host.", http.StatusMisdirectedRequest)
}
