package metrics

import (
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// HTTP counts and times the requests next answers for one surface (site,
// desk, api, media): requests by route pattern, method and status, and
// the time and body bytes of each by route pattern. The route is read
// once next returned (see Metrics.Route); "unmatched" when no pattern
// served the request, never the path.
//
// The per-request cost is one map lookup that takes no lock once a route,
// method and status have been seen together, two clock readings, and one
// small allocation (the writer).
func (m *Metrics) HTTP(surface string, next http.Handler) http.Handler {
	s := &surfaceMetrics{m: m, name: surface}
	routeOf := m.Route
	if routeOf == nil {
		routeOf = func(r *http.Request) string { return r.Pattern }
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rw := &writer{ResponseWriter: w}
		returned := false
		defer func() {
			code := rw.status
			switch {
			case code != 0:
			case !returned:
				code = http.StatusInternalServerError // a panic, answered further out (web.Log)
			case r.Context().Err() != nil:
				code = 499 // the client left first, as web.Log and nginx say it
			default:
				code = http.StatusOK // what net/http sends for a handler that wrote nothing
			}
			pattern := routeOf(r)
			if r.Method == http.MethodConnect {
				// The mux names a CONNECT's redirect by the path it asked for.
				pattern = ""
			}
			in := s.instruments(key{pattern, uint8(methodIndex(r.Method)), uint16(code)})
			in.duration.Observe(time.Since(start).Seconds())
			in.size.Observe(float64(rw.bytes))
			in.requests.Inc()
		}()
		next.ServeHTTP(rw, r)
		returned = true
	})
}

// maxSeries bounds the request series of one surface. The mux's patterns
// with their methods and statuses are far fewer; should a pattern ever
// carry something a client chose, the surplus is counted under the route
// "other" rather than grow the series without end.
const maxSeries = 2000

type surfaceMetrics struct {
	m      *Metrics
	name   string
	series sync.Map // key → *instruments
	n      atomic.Int64
}

type key struct {
	pattern string
	method  uint8
	code    uint16
}

// instruments are what one request touches, with every label already in.
type instruments struct {
	duration, size prometheus.Observer
	requests       prometheus.Counter
}

func (s *surfaceMetrics) instruments(k key) *instruments {
	if v, ok := s.series.Load(k); ok {
		return v.(*instruments)
	}
	route := k.pattern
	if route == "" {
		route = "unmatched"
	}
	if s.n.Load() >= maxSeries {
		return s.make("other", k) // not kept: this is the path of a fault
	}
	v, loaded := s.series.LoadOrStore(k, s.make(route, k))
	if !loaded {
		s.n.Add(1)
	}
	return v.(*instruments)
}

func (s *surfaceMetrics) make(route string, k key) *instruments {
	return &instruments{
		duration: s.m.duration.WithLabelValues(s.name, route),
		size:     s.m.size.WithLabelValues(s.name, route),
		requests: s.m.requests.WithLabelValues(s.name, route, methods[k.method], strconv.Itoa(int(k.code))),
	}
}

// methods are the label values of methods; any other is "other", so that
// a client cannot add series by inventing methods.
var methods = []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "CONNECT", "TRACE", "other"}

func methodIndex(m string) int {
	switch m {
	case http.MethodGet:
		return 0
	case http.MethodHead:
		return 1
	case http.MethodPost:
		return 2
	case http.MethodPut:
		return 3
	case http.MethodPatch:
		return 4
	case http.MethodDelete:
		return 5
	case http.MethodOptions:
		return 6
	case http.MethodConnect:
		return 7
	case http.MethodTrace:
		return 8
	}
	return 9
}

// writer remembers the status and body bytes of a response. Like
// web.Log's recorder it unwraps, so that http.ResponseController (and
// web.Whole through it) reaches the connection's writer for flushing,
// hijacking and deadlines; it is an http.Flusher itself for code that asks
// by type.
type writer struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *writer) WriteHeader(code int) {
	// An interim answer (103 Early Hints) is not the status.
	if w.status == 0 && (code >= 200 || code == http.StatusSwitchingProtocols) {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *writer) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

func (w *writer) Flush() { _ = w.FlushError() }

// FlushError is what http.ResponseController calls first.
func (w *writer) FlushError() error {
	if w.status == 0 {
		w.status = http.StatusOK // flushing sends the header
	}
	return http.NewResponseController(w.ResponseWriter).Flush()
}

func (w *writer) Unwrap() http.ResponseWriter { return w.ResponseWriter }
