package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// fetch asks srv for path with the header fields given in pairs, without
// the client's own decompression, and returns the answer with its body.
func fetch(t *testing.T, srv *httptest.Server, method, path string, h ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(h); i += 2 {
		req.Header.Set(h[i], h[i+1])
	}
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestWritePage(t *testing.T) {
	body := []byte(strings.Repeat("<p>A council meeting about the river bridge.</p>\n", 100))
	mod := time.Date(2026, 2, 2, 10, 30, 0, 0, time.UTC)
	page := &Page{
		Header:   http.Header{"Content-Type": {"text/html; charset=utf-8"}, "Cache-Control": {"public, max-age=30"}},
		Body:     body,
		Keys:     []string{"article:12", "settings"},
		Modified: mod,
	}
	small := &Page{Status: http.StatusNotFound, Header: http.Header{"Content-Type": {"text/html"}}, Body: []byte("<p>No such page.</p>")}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/small" {
			WritePage(w, r, small)
			return
		}
		WritePage(w, r, page)
	}))
	defer srv.Close()

	resp, got := fetch(t, srv, "GET", "/", "Accept-Encoding", "gzip, br")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("status %d, Content-Encoding %q; want 200 gzip", resp.StatusCode, resp.Header.Get("Content-Encoding"))
	}
	if !bytes.Equal(gunzip(t, got), body) {
		t.Error("the gzip body does not decode to the page")
	}
	if resp.ContentLength != int64(len(got)) {
		t.Errorf("Content-Length %d for %d bytes", resp.ContentLength, len(got))
	}
	for k, want := range map[string]string{
		"Vary": "Accept-Encoding", "Cache-Control": "public, max-age=30", "Surrogate-Key": "article:12 settings",
		"Cache-Tag": "article:12,settings", "Last-Modified": "Mon, 02 Feb 2026 10:30:00 GMT",
		"Etag": `"` + PageTag(body) + `-gz"`, "Content-Type": "text/html; charset=utf-8",
	} {
		if v := resp.Header.Get(k); v != want {
			t.Errorf("%s: %q, want %q", k, v, want)
		}
	}
	gzTag := resp.Header.Get("Etag")

	resp, got = fetch(t, srv, "GET", "/")
	if resp.Header.Get("Content-Encoding") != "" || !bytes.Equal(got, body) || resp.Header.Get("Vary") != "Accept-Encoding" {
		t.Errorf("without Accept-Encoding: Content-Encoding %q, Vary %q, body equal %v; want identity, Vary, the page",
			resp.Header.Get("Content-Encoding"), resp.Header.Get("Vary"), bytes.Equal(got, body))
	}
	idTag := resp.Header.Get("Etag")
	if idTag == gzTag {
		t.Errorf("identity and gzip share the strong tag %s", idTag)
	}

	for _, c := range []struct {
		name string
		h    []string
		want int
	}{
		{"tag of the gzip copy", []string{"Accept-Encoding", "gzip", "If-None-Match", gzTag}, 304},
		{"tag of the identity copy, asking gzip", []string{"Accept-Encoding", "gzip", "If-None-Match", idTag}, 304},
		{"another tag", []string{"If-None-Match", `"other"`}, 200},
		{"date", []string{"If-Modified-Since", "Mon, 02 Feb 2026 10:30:00 GMT"}, 304},
		{"earlier date", []string{"If-Modified-Since", "Mon, 02 Feb 2026 10:29:59 GMT"}, 200},
		{"identity refused", []string{"Accept-Encoding", "identity;q=0"}, 406},
	} {
		resp, got := fetch(t, srv, "GET", "/", c.h...)
		if resp.StatusCode != c.want {
			t.Errorf("%s: status %d, want %d", c.name, resp.StatusCode, c.want)
		}
		if c.want == 304 && (len(got) != 0 || resp.Header.Get("Etag") == "" || resp.Header.Get("Cache-Control") == "") {
			t.Errorf("%s: a 304 with %d bytes, ETag %q, Cache-Control %q", c.name, len(got), resp.Header.Get("Etag"), resp.Header.Get("Cache-Control"))
		}
	}

	resp, got = fetch(t, srv, "HEAD", "/", "Accept-Encoding", "gzip")
	if resp.StatusCode != 200 || len(got) != 0 || resp.Header.Get("Content-Length") == "" || resp.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("HEAD: status %d, %d bytes, Content-Length %q, Content-Encoding %q", resp.StatusCode, len(got),
			resp.Header.Get("Content-Length"), resp.Header.Get("Content-Encoding"))
	}

	// A small body is sent as it is, and nothing varies.
	resp, got = fetch(t, srv, "GET", "/small", "Accept-Encoding", "gzip")
	if resp.StatusCode != 404 || string(got) != string(small.Body) || resp.Header.Get("Content-Encoding") != "" || resp.Header.Get("Vary") != "" {
		t.Errorf("small page: status %d, body %q, Content-Encoding %q, Vary %q", resp.StatusCode, got,
			resp.Header.Get("Content-Encoding"), resp.Header.Get("Vary"))
	}
	// A page that is not 200 is never answered 304.
	resp, _ = fetch(t, srv, "GET", "/small", "If-None-Match", "*")
	if resp.StatusCode != 404 {
		t.Errorf("If-None-Match * on a 404: status %d", resp.StatusCode)
	}
}

// WritePage must not change the page it sends: the cache hands one page to
// many requests at once.
func TestWritePageLeavesThePage(t *testing.T) {
	page := &Page{Header: http.Header{"Content-Type": {"text/plain"}, "Vary": make([]string, 1, 4)}, Body: bytes.Repeat([]byte("news "), 200)}
	page.Header["Vary"][0] = "Cookie"
	for range 2 {
		w := httptest.NewRecorder()
		WritePage(w, httptest.NewRequest("GET", "/", nil), page)
		w.Header().Add("Vary", "Origin")
	}
	if v := page.Header["Vary"]; len(v) != 1 || v[:2][1] != "" {
		t.Errorf("the page's Vary became %q (array %q)", v, v[:2])
	}
}
