package metrics_test

import (
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"

	"tamizdat/internal/metrics"
)

// requests is the value of one series of tamizdat_http_requests_total;
// a missing series fails the test.
func requests(t *testing.T, m *metrics.Metrics, surface, route, method, code string) float64 {
	t.Helper()
	want := map[string]string{"surface": surface, "route": route, "method": method, "code": code}
	fams, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fams {
		if f.GetName() != "tamizdat_http_requests_total" {
			continue
		}
	series:
		for _, s := range f.GetMetric() {
			for _, l := range s.GetLabel() {
				if want[l.GetName()] != l.GetValue() {
					continue series
				}
			}
			return s.GetCounter().GetValue()
		}
	}
	t.Errorf("no request series %v in:\n%s", want, grep(scrape(t, m), "tamizdat_http_requests_total"))
	return 0
}

// scrape is what Prometheus would read.
func scrape(t *testing.T, m *metrics.Metrics) string {
	t.Helper()
	w := httptest.NewRecorder()
	m.Handler(nil).ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
	return w.Body.String()
}

// grep keeps the lines of text that hold s.
func grep(text, s string) string {
	var out []string
	for line := range strings.SplitSeq(text, "\n") {
		if strings.Contains(line, s) {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}

var routeLabel = regexp.MustCompile(`route="([^"]*)"`)

// routes are the values of the route label in text, each once, in order
// of first appearance.
func routes(text string) []string {
	var out []string
	for _, m := range routeLabel.FindAllStringSubmatch(text, -1) {
		if !slices.Contains(out, m[1]) {
			out = append(out, m[1])
		}
	}
	return out
}
