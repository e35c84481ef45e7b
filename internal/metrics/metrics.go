// Package metrics is what a node tells the operator's Prometheus: requests,
// their time and size by surface and route pattern, the database's pool
// and statement times, comment intake outcomes, the page cache, and the Go
// runtime and process. Everything is on a registry of its own (never the
// library's global one), served by Handler on a listener of its own: the
// numbers say how much is read, when and where, and are for the operator
// only.
//
// No label is ever made of what a reader sent: routes are the mux's
// patterns, methods and statement kinds come from fixed lists, and the
// SQL text is never seen.
package metrics

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

const namespace = "tamizdat"

// Metrics are one process's instruments.
type Metrics struct {
	reg *prometheus.Registry

	// Route names the route pattern that served r, read once the handler
	// returned. Nil reads r.Pattern, which net/http's ServeMux sets on the
	// request it was given; a middleware further out, which sees another
	// copy of the request, needs the pattern passed out to it (web.RouteOf).
	// Set it before calling HTTP.
	Route func(r *http.Request) string

	requests     *prometheus.CounterVec
	duration     *prometheus.HistogramVec
	size         *prometheus.HistogramVec
	queries      *prometheus.HistogramVec
	queryErrors  *prometheus.CounterVec
	commentsSeen *prometheus.CounterVec
}

// DurationBuckets span a cached page (a tenth of a millisecond) to a
// request about to hit its deadline (ten seconds), about 2.5 to a step.
var DurationBuckets = []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

// SizeBuckets span an empty answer to a large image, four to a step:
// 256 B, 1 KiB, ... 16 MiB.
var SizeBuckets = prometheus.ExponentialBuckets(256, 4, 8)

// queryBuckets start lower than requests': a point select on SQLite takes
// some ten microseconds.
var queryBuckets = append([]float64{.00001, .000025, .00005}, DurationBuckets...)

// New makes the instruments, with the Go runtime's and the process's, on
// a registry of their own.
func New() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Subsystem: "http", Name: "requests_total",
		Help: "HTTP requests answered, by surface (site, desk, api, media), route pattern (unmatched: none, the request was answered before or by the mux itself), method and status.",
	}, []string{"surface", "route", "method", "code"})
	m.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: namespace, Subsystem: "http", Name: "request_duration_seconds",
		Help:    "Time from a request's arrival at the middleware to its handler's return, by surface and route pattern.",
		Buckets: DurationBuckets,
	}, []string{"surface", "route"})
	m.size = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: namespace, Subsystem: "http", Name: "response_size_bytes",
		Help:    "Bytes of response body written (compressed where the response is), by surface and route pattern.",
		Buckets: SizeBuckets,
	}, []string{"surface", "route"})
	m.queries = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: namespace, Subsystem: "db", Name: "query_duration_seconds",
		Help:    "Time the database took to answer a statement (a query: to its first row), by engine and kind: exec, query, query_row, commit.",
		Buckets: queryBuckets,
	}, []string{"engine", "op"})
	m.queryErrors = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Subsystem: "db", Name: "query_errors_total",
		Help: "Statements the database failed (a missing row is an answer; a caller that left is not counted), by engine and kind.",
	}, []string{"engine", "op"})
	m.commentsSeen = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Name: "comments_total",
		Help: "Comments sent to the intake, by outcome: published, pending, honeypot, refused_REASON, refused_other, error.",
	}, []string{"outcome"})
	m.reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.requests, m.duration, m.size, m.queries, m.queryErrors, m.commentsSeen,
	)
	return m
}

// Registry is where the instruments are, for tests and for collectors of
// other packages.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the metrics at GET /metrics and nothing else. log, when
// set, is told of collectors that failed.
func (m *Metrics) Handler(log promhttp.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.InstrumentMetricHandler(m.reg, promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{
		ErrorLog: log,
		// A scraper gone wild must not pile up gatherings.
		MaxRequestsInFlight: 4,
		Timeout:             10 * time.Second,
	})))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "only /metrics is served here", http.StatusNotFound)
	})
	return mux
}

// DB counts the connection pool of one engine (go_sql_* with db_name the
// engine) and returns the observer of its statements, for
// store.(*DB).SetObserver. op is a statement kind from the store's fixed
// list, never SQL.
func (m *Metrics) DB(engine string, pool *sql.DB) func(op string, d time.Duration, err error) {
	m.reg.MustRegister(collectors.NewDBStatsCollector(pool, engine))
	type instruments struct {
		duration prometheus.Observer
		errors   prometheus.Counter
	}
	known := map[string]instruments{}
	for _, op := range []string{"exec", "query", "query_row", "commit"} {
		known[op] = instruments{m.queries.WithLabelValues(engine, op), m.queryErrors.WithLabelValues(engine, op)}
	}
	return func(op string, d time.Duration, err error) {
		in, ok := known[op]
		if !ok {
			in = instruments{m.queries.WithLabelValues(engine, op), m.queryErrors.WithLabelValues(engine, op)}
		}
		in.duration.Observe(d.Seconds())
		// A reader who left takes their queries with them; that says
		// nothing of the database. A deadline passed does.
		if err != nil && !errors.Is(err, context.Canceled) {
			in.errors.Inc()
		}
	}
}

// Comments returns the observer of comment intake outcomes
// (moderation.Intake.Observe). The known outcomes are counted from zero,
// so that a rate of any of them is there before the first one happens.
func (m *Metrics) Comments(known ...string) func(outcome string) {
	counters := make(map[string]prometheus.Counter, len(known))
	for _, o := range known {
		counters[o] = m.commentsSeen.WithLabelValues(o)
	}
	return func(outcome string) {
		if c, ok := counters[outcome]; ok {
			c.Inc()
			return
		}
		m.commentsSeen.WithLabelValues(outcome).Inc()
	}
}
