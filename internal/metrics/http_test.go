package metrics_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"tamizdat/internal/metrics"
	"tamizdat/internal/web"
)

func serve(h http.Handler, method, target string) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(method, target, nil))
	return w
}

func articles() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{lang}/news/{y}/{m}/{d}/{id}/{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("an article, " + r.PathValue("id")))
	})
	mux.HandleFunc("POST /{lang}/news/{y}/{m}/{d}/{id}/{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, r.URL.Path, http.StatusSeeOther)
	})
	return mux
}

const articlePattern = "GET /{lang}/news/{y}/{m}/{d}/{id}/{$}"

// Two articles are two paths of one pattern: one series, counted twice,
// and no path in any label.
func TestRequestsAreCountedByPatternNotPath(t *testing.T) {
	m := metrics.New()
	h := m.HTTP("site", articles())
	for _, path := range []string{"/en/news/2026/2/2/101/", "/ru/news/2026/2/3/202/"} {
		if w := serve(h, "GET", path); w.Code != http.StatusOK {
			t.Fatalf("GET %s: %d", path, w.Code)
		}
	}
	serve(h, "POST", "/en/news/2026/2/2/101/")

	if got := requests(t, m, "site", articlePattern, "GET", "200"); got != 2 {
		t.Errorf("GET of two articles counted %v times under the pattern, want 2", got)
	}
	if got := requests(t, m, "site", "POST /{lang}/news/{y}/{m}/{d}/{id}/{$}", "POST", "303"); got != 1 {
		t.Errorf("the POST counted %v times, want 1", got)
	}
	if n := testutil.CollectAndCount(m.Registry(), "tamizdat_http_requests_total"); n != 2 {
		t.Errorf("%d request series, want 2 (one per pattern and status)", n)
	}
	text := scrape(t, m)
	if got := routes(text); fmt.Sprint(got) != fmt.Sprint([]string{articlePattern, "POST /{lang}/news/{y}/{m}/{d}/{id}/{$}"}) {
		t.Errorf("routes in the metrics: %q, want the two patterns", got)
	}
	if strings.Contains(text, "/en/news/2026") || strings.Contains(text, "/ru/news") {
		t.Errorf("the metrics hold a path:\n%s", grep(text, "/news/2026"))
	}
	if !strings.Contains(text, `tamizdat_http_request_duration_seconds_count{route="`+articlePattern+`",surface="site"} 2`) {
		t.Errorf("no duration of the two GETs under the pattern:\n%s", grep(text, "duration_seconds_count"))
	}
	if !strings.Contains(text, `tamizdat_http_response_size_bytes_sum{route="`+articlePattern+`",surface="site"} 30`) {
		t.Errorf("the size of the two articles is not the sum of their bodies (2 × 15 bytes):\n%s", grep(text, "size_bytes_sum"))
	}
}

// Nothing a client chooses becomes a label: a request no pattern serves is
// "unmatched", an invented method is "other".
func TestUnmatchedRequestsAndInventedMethods(t *testing.T) {
	m := metrics.New()
	h := m.HTTP("api", articles())
	if w := serve(h, "DELETE", "/en/news/2026/2/2/101/"); w.Code != http.StatusMethodNotAllowed {
		t.Fatalf("DELETE: %d", w.Code)
	}
	if w := serve(h, "BREW", "/en/news/2026/2/2/101/"); w.Code != http.StatusMethodNotAllowed {
		t.Fatalf("BREW: %d", w.Code)
	}
	if got := requests(t, m, "api", "unmatched", "DELETE", "405"); got != 1 {
		t.Errorf("DELETE without a pattern: %v", got)
	}
	if got := requests(t, m, "api", "unmatched", "other", "405"); got != 1 {
		t.Errorf("an invented method: %v", got)
	}
	if text := scrape(t, m); strings.Contains(text, "BREW") {
		t.Errorf("the invented method is a label:\n%s", grep(text, "BREW"))
	}
}

// Placed further out than the mux, with the chain of middleware that
// copies the request in between, the middleware learns the route from
// web.Route through web.Log; a request the boundary refuses has none.
func TestRouteFromFurtherOut(t *testing.T) {
	m := metrics.New()
	m.Route = web.RouteOf
	inner := web.CleanInput(web.Route(articles()), func(w http.ResponseWriter, r *http.Request, err error) {
		http.Error(w, "refused", http.StatusBadRequest)
	})
	h := web.Log(slog.New(slog.NewTextHandler(io.Discard, nil)), m.HTTP("site", web.Deadline(func(*http.Request) time.Duration { return time.Second }, inner)))
	serve(h, "GET", "/en/news/2026/2/2/101/")
	serve(h, "GET", "/en/news/2026/2/2/101/?q=%ff")
	if got := requests(t, m, "site", articlePattern, "GET", "200"); got != 1 {
		t.Errorf("the article through the chain: %v", got)
	}
	if got := requests(t, m, "site", "unmatched", "GET", "400"); got != 1 {
		t.Errorf("a request refused before the mux: %v", got)
	}
}

// The writer keeps what handlers rely on: flushing through
// http.ResponseController and by type, and the status of a handler that
// wrote nothing.
func TestWriterFlushesAndUnwraps(t *testing.T) {
	m := metrics.New()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /stream", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("part"))
		if err := http.NewResponseController(w).Flush(); err != nil {
			t.Errorf("ResponseController.Flush: %v", err)
		}
		f, ok := w.(http.Flusher)
		if !ok {
			t.Fatal("the writer is no http.Flusher")
		}
		f.Flush()
	})
	mux.HandleFunc("GET /whole", func(w http.ResponseWriter, r *http.Request) {
		web.JSON(w, r, http.StatusCreated, map[string]string{"a": "b"})
	})
	mux.HandleFunc("GET /nothing", func(w http.ResponseWriter, r *http.Request) {})
	h := m.HTTP("desk", mux)
	if w := serve(h, "GET", "/stream"); !w.Flushed || w.Body.String() != "part" {
		t.Errorf("streamed: flushed %v, body %q", w.Flushed, w.Body)
	}
	if w := serve(h, "GET", "/whole"); w.Code != http.StatusCreated {
		t.Errorf("web.JSON through the writer: %d", w.Code)
	}
	serve(h, "GET", "/nothing")
	for _, c := range []struct{ route, code string }{{"GET /stream", "200"}, {"GET /whole", "201"}, {"GET /nothing", "200"}} {
		if got := requests(t, m, "desk", c.route, "GET", c.code); got != 1 {
			t.Errorf("%s %s: %v", c.route, c.code, got)
		}
	}
}

// A handler that panics is counted as the 500 web.Log answers, and the
// panic goes on to it.
func TestPanicIsCountedAsError(t *testing.T) {
	m := metrics.New()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /boom", func(http.ResponseWriter, *http.Request) { panic("boom") })
	h := m.HTTP("site", mux)
	func() {
		defer func() {
			if recover() == nil {
				t.Error("the panic did not go on")
			}
		}()
		serve(h, "GET", "/boom")
	}()
	if got := requests(t, m, "site", "GET /boom", "GET", "500"); got != 1 {
		t.Errorf("the panic: %v", got)
	}
}

func TestHandlerServesOnlyMetrics(t *testing.T) {
	m := metrics.New()
	h := m.Handler(nil)
	w := serve(h, "GET", "/metrics")
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "go_goroutines") || !strings.Contains(w.Body.String(), "process_") {
		t.Errorf("/metrics: %d\n%.500s", w.Code, w.Body)
	}
	for _, path := range []string{"/", "/metrics/x", "/debug/pprof/"} {
		if w := serve(h, "GET", path); w.Code != http.StatusNotFound {
			t.Errorf("%s: %d", path, w.Code)
		}
	}
	if w := serve(h, "POST", "/metrics"); w.Code == http.StatusOK {
		t.Errorf("POST /metrics: %d", w.Code)
	}
}

// Should a route ever carry what a client chose, the series stop growing:
// past the bound the surplus is counted under "other".
func TestSeriesAreBounded(t *testing.T) {
	m := metrics.New()
	m.Route = func(r *http.Request) string { return r.URL.Path } // a leak, on purpose
	h := m.HTTP("site", http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	const sent = 2500
	for i := range sent {
		serve(h, "GET", "/leak/"+strconv.Itoa(i))
	}
	n := testutil.CollectAndCount(m.Registry(), "tamizdat_http_requests_total")
	if n >= sent || n < 100 {
		t.Errorf("%d series after %d distinct routes, want the bound (and more than a few)", n, sent)
	}
	if got := requests(t, m, "site", "other", "GET", "200"); got != float64(sent-n+1) {
		t.Errorf("%v requests under other, want the %d past the bound", got, sent-n+1)
	}
}
