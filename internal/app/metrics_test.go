package app_test

import (
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"tamizdat/internal/testkit"
)

var metricsLine = regexp.MustCompile(`metrics on http://(\S+)/metrics`)

// Metrics are served on --metrics-addr and nowhere else; they count
// requests under their route pattern (two editions' homes are one
// pattern), the database's pool and statements, and comment outcomes.
func TestMetricsOnTheirOwnListener(t *testing.T) {
	h := newHostSite(t, nil, "--metrics-addr", "127.0.0.1:0")
	m := metricsLine.FindStringSubmatch(h.stdout.String())
	if m == nil {
		t.Fatalf("serve did not print its metrics listener: %s", h.stdout)
	}
	metricsAddr := m[1]
	if metricsAddr == h.addr {
		t.Fatalf("metrics on the public address %s", h.addr)
	}

	for _, path := range []string{"/en/", "/ru/", h.path} {
		if res, _ := h.get(t, path); res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", path, res.StatusCode)
		}
	}
	form := url.Values{"text": {"A comment from a page kept too long"}, "token": {"not a token"}}
	res, err := http.Post("http://"+h.addr+h.path, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a comment with a bad token: %d", res.StatusCode)
	}

	// On the public listener /metrics is a path of the site like any
	// other that is not there: sent on to /metrics/ (it could be an
	// edition's home), which is the site's page of a missing page.
	res, err = http.Get("http://" + h.addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound || res.Request.URL.Path != "/metrics/" || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") ||
		!strings.Contains(string(body), "Страница не найдена") || strings.Contains(string(body), "tamizdat_") {
		t.Errorf("/metrics on the public listener: %d at %s, %s\n%.300s", res.StatusCode, res.Request.URL.Path, res.Header.Get("Content-Type"), body)
	}

	// A request is counted as its handler returns, which may be after
	// the client read the whole answer.
	counted := []string{
		`tamizdat_http_requests_total{code="200",method="GET",route="GET /{lang}/{$}",surface="site"} 2`,
		`tamizdat_http_requests_total{code="201",method="POST",route="POST /api/v1/articles",surface="api"} 1`,
		`tamizdat_http_requests_total{code="200",method="GET",route="GET /{lang}/news/{y}/{m}/{d}/{id}/{$}",surface="site"} 1`,
		`tamizdat_http_requests_total{code="422",method="POST",route="POST /{lang}/news/{y}/{m}/{d}/{id}/{$}",surface="site"} 1`,
		`tamizdat_http_requests_total{code="307",method="GET",route="GET /{lang}/{$}",surface="site"} 1`,
		`tamizdat_http_requests_total{code="404",method="GET",route="GET /{lang}/{$}",surface="site"} 1`,
	}
	var text string
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("metrics:\n%s", text)
		}
	})
	testkit.WaitFor(t, "every request counted under its pattern", func() bool {
		text = scrape(t, metricsAddr)
		for _, want := range counted {
			if !strings.Contains(text, want) {
				return false
			}
		}
		return true
	})
	for _, want := range []string{
		`tamizdat_http_request_duration_seconds_count{route="GET /{lang}/{$}",surface="site"} 4`,
		`tamizdat_http_response_size_bytes_count{route="GET /{lang}/{$}",surface="site"} 4`,
		`go_sql_open_connections{db_name="sqlite"}`,
		`go_sql_max_open_connections{db_name="sqlite"}`,
		`tamizdat_comments_total{outcome="refused_form_expired"} 1`,
		`tamizdat_comments_total{outcome="published"} 0`,
		`go_goroutines`,
		`process_resident_memory_bytes`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the metrics lack %s", want)
		}
	}
	if n := queryCount.FindStringSubmatch(text); n == nil || n[1] == "0" {
		t.Errorf("no statement timed: %v", n)
	}
	for _, raw := range []string{`route="/en/"`, `route="/ru/"`, `route="/metrics`, h.path} {
		if strings.Contains(text, raw) {
			t.Errorf("a raw path is a label: %s", raw)
		}
	}

	res, err = http.Get("http://" + metricsAddr + "/en/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("the site on the metrics listener: %d", res.StatusCode)
	}
}

var queryCount = regexp.MustCompile(`tamizdat_db_query_duration_seconds_count\{engine="sqlite",op="query_row"\} (\d+)`)

func scrape(t *testing.T, addr string) string {
	t.Helper()
	res, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("/metrics: %d %s", res.StatusCode, b)
	}
	return string(b)
}

func TestMetricsListenerTaken(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	code, _, errs := run(t, "", "serve", "--addr", "127.0.0.1:0", "--metrics-addr", taken.Addr().String(), "--data", t.TempDir())
	if code != 2 || !strings.Contains(errs, "choose another --metrics-addr") || strings.Count(strings.TrimSpace(errs), "\n") > 0 {
		t.Errorf("serve with the metrics address taken: %d %q", code, errs)
	}
}
