package app_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"tamizdat/internal/store/storetest"
	"testing"
)

// FuzzHandlerSQLite and FuzzHandlerPostgres send whatever path, query and
// body to the whole HTTP surface on a real store: the answer is never a
// 5xx, whatever the bytes (PostgreSQL answered 500 to a NUL anywhere it
// reached a query).
func FuzzHandlerSQLite(f *testing.F)   { fuzzHandler(f, storetest.Engines[0]) }
func FuzzHandlerPostgres(f *testing.F) { fuzzHandler(f, storetest.Engines[1]) }

var fuzzMethods = []string{http.MethodGet, http.MethodPost, http.MethodHead, http.MethodPatch, http.MethodDelete, http.MethodPut}
var fuzzTypes = []string{"application/x-www-form-urlencoded", "application/json", "", "multipart/form-data; boundary=b", "text/plain"}

func fuzzHandler(f *testing.F, eng storetest.Engine) {
	s := newStack(f, eng)
	for _, seed := range []struct {
		method, ctype uint8
		path, query   string
		body          string
		auth          bool
	}{
		{0, 2, "/api/v1/articles", "q=a%00b", "", false},
		{0, 2, "/api/v1/articles", "tag=a\x00b&edition=en&category=w%FForld", "", false},
		{0, 2, "/en/tag/a\x00b/", "", "", false},
		{0, 2, "/en/a\xffb/", "page=\x00", "", false},
		{1, 0, s.article, "", "name=a%00&text=b%00&token=x", false},
		{1, 0, "/desk/signin", "", "email=a%00%40b&password=%00", false},
		{1, 1, "/api/v1/articles", "", `{"edition":"en","title":"a\u0000b"}`, true},
		{1, 1, "/api/v1/categories", "", "{\"edition\":\"en\",\"slug\":\"s\",\"name\":\"\xff\"}", true},
		{3, 1, "/api/v1/articles/1", "", `{"tags":["\u200b"],"image":{"id":1,"caption":"\u0000"}}`, true},
		{0, 2, "/media/1/99999999999999999999", "", "", false},
		{0, 2, "/en/news/2026/13/40/1/", "", "", false},
		{1, 3, "/desk/images/", "", "--b\r\nContent-Disposition: form-data; name=\"caption\"\r\n\r\n\x00\r\n--b--\r\n", false},
		{0, 2, "/api/v1/comments", "status=\x00", "", true},
		{0, 2, "/desk/signin", "next=/desk/%0D%0A", "", false},
	} {
		f.Add(seed.method, seed.ctype, seed.path, seed.query, seed.body, seed.auth)
	}
	f.Fuzz(func(t *testing.T, method, ctype uint8, path, query, body string, auth bool) {
		if !strings.HasPrefix(path, "/") {
			path = "/" + path
		}
		r := &http.Request{Method: fuzzMethods[int(method)%len(fuzzMethods)], URL: &url.URL{Path: path, RawQuery: query},
			Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, Header: http.Header{}, Host: "127.0.0.1",
			Body: io.NopCloser(strings.NewReader(body)), ContentLength: int64(len(body)), RemoteAddr: "192.0.2.1:4321"}
		r = r.WithContext(t.Context())
		if ct := fuzzTypes[int(ctype)%len(fuzzTypes)]; ct != "" {
			r.Header.Set("Content-Type", ct)
		}
		if auth {
			r.Header.Set("Authorization", "Bearer "+s.token)
		}
		w := httptest.NewRecorder()
		s.handler.ServeHTTP(w, r)
		if w.Code >= 500 {
			t.Fatalf("%s %q ? %q (%q): %d %.300s", r.Method, path, query, body, w.Code, w.Body.String())
		}
	})
}
