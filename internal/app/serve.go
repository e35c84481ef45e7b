package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/klauspost/compress/gzhttp"

	"tamizdat/internal/api"
	"tamizdat/internal/assets"
	"tamizdat/internal/changes"
	"tamizdat/internal/config"
	"tamizdat/internal/desk"
	"tamizdat/internal/editorial"
	"tamizdat/internal/jobs"
	"tamizdat/internal/keyring"
	"tamizdat/internal/metrics"
	"tamizdat/internal/moderation"
	"tamizdat/internal/news"
	"tamizdat/internal/pagecache"
	"tamizdat/internal/site"
	"tamizdat/internal/store"
	"tamizdat/internal/store/postgres"
	"tamizdat/internal/views"
	"tamizdat/internal/web"
)

// MaxRequestBody bounds every request body; an article's Markdown is at most
// news.MaxBody, so 1 MiB leaves room for JSON escaping and nothing more.
const MaxRequestBody = 1 << 20

func cmdServe(ctx context.Context, args []string, env Env) error {
	cfg := config.Default()
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	cfg.BindServe(fs)
	pos, err := parse(fs, args, env)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("serve takes no arguments, got %q", pos[0])
	}
	if err := cfg.Validate(); err != nil {
		return usagef("%v", err)
	}
	log := newLogger(env.Stderr)
	tuneGC(cfg.CacheMB)
	// The request lines in batches (see batchWriter); written out last,
	// once the servers have stopped.
	requests := newBatchWriter(env.Stderr)
	defer requests.Close()
	db, err := createStore(ctx, &cfg, env, cfg.Migrate)
	if err != nil {
		return err
	}
	defer db.Close()
	// What runs in the background ends before the database closes, also
	// when serve gives up before serving (deferred calls run in reverse).
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	// Instruments only when someone reads them.
	var m *metrics.Metrics
	if cfg.MetricsAddr != "" {
		m = metrics.New()
		m.Route = web.RouteOf
		db.SetObserver(m.DB(db.Engine(), db.Pool()))
	}
	v, err := views.New()
	if err != nil {
		return fmt.Errorf("templates: %w", err)
	}
	secret, err := nodeSecret(&cfg, env)
	if err != nil {
		return err
	}
	keys, err := keyring.New(db, secret, db.Now, 0)
	if err != nil {
		return err
	}
	// A node given another secret than the others finds out now, not at a
	// reader's comment.
	if _, err := keys.Today(ctx); errors.Is(err, keyring.ErrWrongSecret) {
		return news.Errorf(news.EINVALID, "%v", err)
	} else if err != nil {
		return fmt.Errorf("address keys: %w", err)
	}
	if n, err := sealTOTPSecrets(ctx, db, keys); err != nil {
		return fmt.Errorf("sealing authenticator secrets: %w", err)
	} else if n > 0 {
		log.Info("sealed authenticator secrets under the node secret", "users", n)
	}
	reader := site.New(db, v, log)
	// The reader pages' cache; --cache-mb 0 keeps nothing and renders
	// every request. A database that is away leaves the last copies served.
	cache := pagecache.New(int64(cfg.CacheMB)<<20, pagecache.Options{Stale: func(err error) bool {
		return news.ErrorCode(err) == news.EUNAVAILABLE || errors.Is(err, context.DeadlineExceeded)
	}})
	reader.SetCache(cache)
	if m != nil && cache.Enabled() {
		m.Cache(cacheCounters{cache})
	}
	intake := &moderation.Intake{Store: db, Keys: keys, TokenKey: keys.Derive("comment form token")}
	if m != nil {
		intake.Observe = m.Comments(moderation.Outcomes...)
	}
	reader.SetComments(intake)
	dk, err := desk.New(db, &editorial.Service{Store: db, Now: db.Now}, keys, log)
	if err != nil {
		return fmt.Errorf("desk templates: %w", err)
	}
	if err := startBackground(ctx, db, keys, cfg, log, reader); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return news.Errorf(news.EINVALID, "cannot listen on %s: %v; choose another --addr", cfg.Addr, news.RootCause(err))
	}
	defer ln.Close()
	handler := handler(db, reader, dk, newLogger(requests), cfg, m)
	srv := newServer(handler, log, web.ConnContext)
	servers := []*http.Server{srv}
	listeners := []net.Listener{ln}
	addr := ln.Addr().String()
	fmt.Fprintf(env.Stdout, "tamizdat: serving on http://%s/ (database %s)\n", addr, redact(cfg.DSN()))
	if cfg.OnionAddr != "" {
		// The onion service's own listener: whether a request came through
		// Tor is known from where it arrived, never from the Host it names.
		oln, err := net.Listen("tcp", cfg.OnionAddr)
		if err != nil {
			return news.Errorf(news.EINVALID, "cannot listen on %s: %v; choose another --onion-addr", cfg.OnionAddr, news.RootCause(err))
		}
		defer oln.Close()
		servers, listeners = append(servers, newServer(handler, log, web.OnionConnContext)), append(listeners, oln)
		fmt.Fprintf(env.Stdout, "tamizdat: onion service listener on http://%s/\n", oln.Addr())
	}
	if m != nil {
		// The operator's listener: metrics say how much is read, when and
		// where, so they are never served where readers connect.
		mln, err := net.Listen("tcp", cfg.MetricsAddr)
		if err != nil {
			return news.Errorf(news.EINVALID, "cannot listen on %s: %v; choose another --metrics-addr", cfg.MetricsAddr, news.RootCause(err))
		}
		defer mln.Close()
		msrv := newServer(m.Handler(slog.NewLogLogger(log.Handler(), slog.LevelError)), log, nil)
		servers, listeners = append(servers, msrv), append(listeners, mln)
		fmt.Fprintf(env.Stdout, "tamizdat: metrics on http://%s/metrics\n", mln.Addr())
	}
	// Seeding after Listen lets the address and the demo credentials be
	// printed together; early connections wait in the backlog.
	if cfg.Demo {
		if err := seedDemo(ctx, db, env); err != nil {
			return fmt.Errorf("demo content: %w", err)
		}
	}
	if env.Ready != nil {
		env.Ready(addr)
	}
	errc := make(chan error, len(servers))
	for i, srv := range servers {
		go func() { errc <- srv.Serve(web.WholeListener{Listener: listeners[i]}) }()
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// Finish what is in flight, then stop; a second signal is the
	// operator's to send.
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	log.Info("shutting down")
	for _, srv := range servers {
		if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
			return err
		}
	}
	return nil
}

// tuneGC collects garbage a quarter as often as Go's default: a page
// served from memory makes little garbage, but at tens of thousands a
// second the collector was a sixth of the CPU, and the live heap is small
// beside the cache. A soft limit of twice the cache and 128 MB keeps the
// process within its memory even so (the collector works harder as the heap
// nears it). GOGC and GOMEMLIMIT, when set, are the operator's choice.
func tuneGC(cacheMB int) {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(int64(2*cacheMB+128) << 20)
	}
}

// newServer is the HTTP server of one listener.
func newServer(h http.Handler, log *slog.Logger, connContext func(context.Context, net.Conn) context.Context) *http.Server {
	return &http.Server{
		Handler: h,
		// Slow clients must not hold connections: a reader on a bad line
		// still sends headers within seconds.
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		ConnContext:       connContext,
	}
}

// RequestDeadline bounds one request's work: a database that stopped
// answering gives readers a 503 within it. An image upload gets longer.
const (
	RequestDeadline = 10 * time.Second
	UploadDeadline  = 60 * time.Second
)

func isUpload(r *http.Request) bool {
	return r.Method == http.MethodPost && r.URL.Path == "/desk/images/"
}

// startBackground starts what a node does besides answering requests. It
// follows the change log so that what this node caches is dropped when any
// node or command changes it: PostgreSQL wakes the feed with NOTIFY and it
// reads every second besides; on SQLite, where a CLI command in another
// process may write, it reads four times a second. And it runs the periodic
// jobs, which every node runs and the database makes happen once.
func startBackground(ctx context.Context, db *store.DB, keys *keyring.Keyring, cfg config.Config, log *slog.Logger, reader *site.Site) error {
	interval := 250 * time.Millisecond
	if postgres.IsDSN(cfg.DSN()) {
		interval = time.Second
	}
	feed := changes.New(db, log, interval)
	if err := feed.Start(ctx); err != nil {
		return fmt.Errorf("reading the change log: %w", err)
	}
	reader.CacheChrome()
	feed.Subscribe(reader.Invalidate)
	// This node's writes reach its caches before they are answered; the
	// other nodes' within a NOTIFY or an interval.
	db.SetAfterChange(func(ctx context.Context) {
		if err := feed.Sync(ctx); err != nil && ctx.Err() == nil {
			log.Warn("reading the change log after a write", "error", err)
		}
	})
	// The address keys live as long as the setting says, on every node.
	keepDays := func() {
		if set, err := db.Settings(ctx); err == nil {
			keys.SetRetention(set.KeyDays)
		}
	}
	keepDays()
	feed.Subscribe(func(chs []store.Change) {
		for _, ch := range chs {
			if ch.Kind == store.ChangeSettings {
				keepDays()
				return
			}
		}
	})
	if postgres.IsDSN(cfg.DSN()) {
		go postgres.Listen(ctx, cfg.DSN(), log, feed.Wake)
	}
	go feed.Run(ctx)
	go renderStale(ctx, db, log)
	(&jobs.Runner{Log: log, Jobs: []jobs.Job{
		// A scheduled article goes live within a second of its time on
		// every node's pages; the job logs it once, whichever node runs it.
		{Name: "go-live", Every: time.Second, Run: db.GoLive},
		// The change log only needs to reach back as far as a node can fall
		// behind.
		{Name: "prune-changes", Every: time.Hour, Run: func(ctx context.Context) (int, error) {
			return 0, db.PruneChanges(ctx, db.Now().Add(-24*time.Hour))
		}},
		// Expired sessions, old failed sign-ins and yesterday's address
		// keys go, so that no stored hash outlives its use.
		{Name: "prune-sessions", Every: 10 * time.Minute, Run: db.PruneSessions},
		// Keys past the retention period are destroyed, and with them any
		// link between a stored hash and an address.
		{Name: "destroy-old-keys", Every: 10 * time.Minute, Run: func(ctx context.Context) (int, error) {
			n, err := keys.Prune(ctx)
			if err != nil {
				return n, err
			}
			// The hashes made under destroyed keys go too, and the bans
			// resting on them.
			m, err := db.ForgetFingerprints(ctx, keys.OldestDay())
			return n + m, err
		}},
	}}).Start(ctx)
	return nil
}

// Handler builds the whole HTTP interface on db.
func Handler(db *store.DB, reader *site.Site, dk *desk.Desk, log *slog.Logger, cfg config.Config) http.Handler {
	return handler(db, reader, dk, log, cfg, nil)
}

// handler is Handler, measured by m when it is not nil. Every request
// passes the boundary that all surfaces share (the request log, metrics,
// security headers, the site's hosts, the client address), then goes by
// its path to one surface, which has its own routes, not-found and
// bad-request answers, body limit, deadline and compression: the reader
// site (served through its page cache), the desk and the API.
func handler(db *store.DB, reader *site.Site, dk *desk.Desk, log *slog.Logger, cfg config.Config, m *metrics.Metrics) http.Handler {
	surfaces := map[string]http.Handler{
		"site": siteSurface(db, reader),
		"desk": deskSurface(dk),
		"api":  apiSurface(db),
	}
	surfaces["media"] = surfaces["site"] // served by the site, counted apart
	var h http.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		surfaces[surfaceOf(r.URL.Path)].ServeHTTP(w, r)
	})
	h = web.ClientAddr(cfg.TrustedProxies, h)
	h = web.Hosts(reader.Settings, h)
	h = web.SecurityHeaders(h)
	if m != nil {
		// Inside Log, which hands the route pattern out (web.RouteOf), and
		// outside everything else, so that requests the boundary refuses
		// count too and the time is all of the node's.
		h = measured(m, h)
	}
	return web.Log(log, h)
}

// surfaceOf names the surface a path belongs to.
func surfaceOf(path string) string {
	switch {
	case strings.HasPrefix(path, "/api/"):
		return "api"
	case path == "/desk" || strings.HasPrefix(path, "/desk/"):
		return "desk"
	case strings.HasPrefix(path, "/media/"):
		return "media"
	}
	return "site"
}

// siteSurface is the reader site: its pages come compressed from the page
// cache, whose renders have the request deadline (a page served from
// memory needs none), and a reader sends nothing larger than a comment.
func siteSurface(db *store.DB, reader *site.Site) http.Handler {
	mux := http.NewServeMux()
	reader.SetDeadline(RequestDeadline)
	reader.Routes(mux)
	mux.Handle("GET /assets/{file}", gzhttp.GzipHandler(assets.Handler()))
	mux.Handle("GET /favicon.ico", assets.Favicon())
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		w.Header().Set("Cache-Control", "no-store")
		if err := db.Ping(ctx); err != nil {
			http.Error(w, "database unreachable", http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("ok\n"))
	})
	mux.Handle("/", reader.NotFound(mux))
	// No handler sees a request whose path, query or form holds what no
	// text may; each surface refuses it in its own form.
	h := web.CleanInput(web.Route(mux), reader.BadRequest)
	return web.LimitBody(fixedLimit(MaxRequestBody), h)
}

// deskSurface is the back office, compressed as it is written; only an
// image upload is larger or slower than an article.
func deskSurface(dk *desk.Desk) http.Handler {
	mux := http.NewServeMux()
	dk.Register(mux)
	mux.HandleFunc("/", dk.NotFound)
	h := web.CleanInput(web.Route(mux), dk.BadRequest)
	h = gzhttp.GzipHandler(h)
	h = web.LimitBody(func(r *http.Request) int64 {
		if isUpload(r) {
			return desk.UploadLimit
		}
		return MaxRequestBody
	}, h)
	return web.Deadline(func(r *http.Request) time.Duration {
		if isUpload(r) {
			// Re-encoding a large photo into its widths takes seconds on
			// a busy machine; a database that stopped answering is still
			// found out by its own timeouts.
			return UploadDeadline
		}
		return RequestDeadline
	}, h)
}

// apiSurface is the JSON API, compressed as it is written.
func apiSurface(db *store.DB) http.Handler {
	mux := http.NewServeMux()
	api.New(db, &editorial.Service{Store: db, Now: db.Now}).Routes(mux)
	mux.HandleFunc("/", api.NotFound)
	h := web.CleanInput(web.Route(mux), api.BadRequest)
	h = gzhttp.GzipHandler(h)
	h = web.LimitBody(fixedLimit(MaxRequestBody), h)
	return web.Deadline(func(*http.Request) time.Duration { return RequestDeadline }, h)
}

func fixedLimit(n int64) func(*http.Request) int64 { return func(*http.Request) int64 { return n } }

// cacheCounters hands the page cache's counters to the metrics.
type cacheCounters struct{ c *pagecache.Cache }

func (a cacheCounters) Stats() metrics.CacheCounters {
	st := a.c.Stats()
	return metrics.CacheCounters{Hits: st.Hits, Misses: st.Misses, Coalesced: st.Coalesced, Stale: st.Stale,
		Evictions: st.Evictions, Invalidations: st.Invalidations, Bytes: uint64(st.Bytes), Entries: uint64(st.Entries)}
}

// measured counts each request under its surface: the desk, the API, the
// images (/media/) or the reader site, which has the rest.
func measured(m *metrics.Metrics, h http.Handler) http.Handler {
	by := map[string]http.Handler{}
	for _, name := range []string{"site", "desk", "api", "media"} {
		by[name] = m.HTTP(name, h)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		by[surfaceOf(r.URL.Path)].ServeHTTP(w, r)
	})
}
