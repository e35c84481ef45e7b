package web

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"tamizdat/internal/news"
)

// clean is CleanInput around a handler that records what it saw; a refusal
// answers 400 with the message.
type clean struct {
	reached bool
	form    url.Values
	formErr error
}

func (c *clean) handler() http.Handler {
	return CleanInput(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.reached = true
		c.formErr = r.ParseForm()
		c.form = r.PostForm
		w.WriteHeader(http.StatusNoContent)
	}), func(w http.ResponseWriter, r *http.Request, err error) {
		if news.ErrorCode(err) != news.EINVALID {
			panic("refused with " + err.Error())
		}
		http.Error(w, news.ErrorMessage(err), http.StatusBadRequest)
	})
}

func TestCleanInputRefusesWhatNoTextMayHold(t *testing.T) {
	for _, c := range []struct {
		name, target, form, want string
	}{
		{"NUL in the path", "/en/tag/a%00b/", "", "the address contains a control character (U+0000)"},
		{"broken byte in the path", "/en/a%ffb/", "", "the address is not valid UTF-8 (byte 0xFF at byte 5)"},
		{"line break in the path", "/en/a%0Ab/", "", "the address must be one line"},
		{"NUL in a query value", "/api/v1/articles?q=a%00b", "", `query parameter "q" contains a control character (U+0000)`},
		{"tag", "/api/v1/articles?edition=en&tag=a%00b", "", `query parameter "tag" contains a control character (U+0000)`},
		{"broken byte in a query value", "/x?q=%C3", "", `query parameter "q" is not valid UTF-8`},
		{"line break in a query value", "/x?next=/desk/%0D%0ASet-Cookie:x", "", `query parameter "next" must be one line`},
		{"NUL in a query name", "/x?a%00=1", "", "a query parameter name contains a control character (U+0000)"},
		{"NUL in a form value", "/en/news/2026/2/2/1/", "name=A&text=a%00b", `form field "text" contains a control character (U+0000)`},
		{"escape in a form value", "/desk/signin", "email=a%1B%5B2J%40example.org&password=x", `form field "email" contains a control character (U+001B)`},
		{"NUL in a password", "/desk/signin", "email=a%40example.org&password=p%00ss", `form field "password" contains a control character (U+0000)`},
		{"bare CR in a form value", "/x", "text=a%0Db", `form field "text" contains a control character (U+000D)`},
		{"broken byte in a form name", "/x", "a%FF=1", "a form field name is not valid UTF-8"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var rec clean
			method, body := http.MethodGet, io.Reader(nil)
			if c.form != "" {
				method, body = http.MethodPost, strings.NewReader(c.form)
			}
			r := httptest.NewRequest(method, c.target, body)
			if c.form != "" {
				r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			w := httptest.NewRecorder()
			rec.handler().ServeHTTP(w, r)
			if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), c.want) {
				t.Errorf("%d %q, want 400 saying %q", w.Code, w.Body.String(), c.want)
			}
			if rec.reached {
				t.Error("the handler was reached")
			}
		})
	}
}

func TestCleanInputLetsTextThrough(t *testing.T) {
	var rec clean
	form := url.Values{"text": {"Абзац.\r\nЎсё так 👩\u200d💻 «цытата» — עברית\u200f\n\tз водступам"}, "name": {"Алесь\u00a0Ў."}}
	r := httptest.NewRequest(http.MethodPost, "/be/news/2026/2/2/1/?q="+url.QueryEscape("Мінск 🇧🇾"), strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	w := httptest.NewRecorder()
	rec.handler().ServeHTTP(w, r)
	if w.Code != http.StatusNoContent || !rec.reached || rec.formErr != nil {
		t.Fatalf("%d %q, reached %v, form error %v", w.Code, w.Body.String(), rec.reached, rec.formErr)
	}
	if rec.form.Get("text") != form.Get("text") || rec.form.Get("name") != form.Get("name") {
		t.Errorf("the handler read %q", rec.form)
	}
	// A multipart form is its handler's to read (and check with CheckForm).
	rec = clean{}
	r = httptest.NewRequest(http.MethodPost, "/desk/images/", strings.NewReader("--b\r\nContent-Disposition: form-data; name=\"caption\"\r\n\r\na\x00b\r\n--b--\r\n"))
	r.Header.Set("Content-Type", "multipart/form-data; boundary=b")
	rec.handler().ServeHTTP(httptest.NewRecorder(), r)
	if !rec.reached {
		t.Error("a multipart form was refused before its handler")
	}
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		t.Fatalf("the multipart body was consumed: %v", err)
	}
	if err := CheckForm(r.MultipartForm.Value); err == nil || !strings.Contains(err.Error(), `form field "caption" contains a control character (U+0000)`) {
		t.Errorf("CheckForm of the multipart fields: %v", err)
	}
}

// A form over the body limit stays the handler's to answer (413 in its own
// words): reading the form again meets the same *http.MaxBytesError.
func TestCleanInputLeavesAnOversizedFormToItsHandler(t *testing.T) {
	var rec clean
	h := LimitBody(func(*http.Request) int64 { return 100 }, rec.handler())
	body := strings.NewReader("text=" + strings.Repeat("x", 200))
	r := httptest.NewRequest(http.MethodPost, "/desk/articles/new", io.NopCloser(body)) // no declared length
	r.ContentLength = -1
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	h.ServeHTTP(httptest.NewRecorder(), r)
	var mbe *http.MaxBytesError
	if !rec.reached || !errors.As(rec.formErr, &mbe) {
		t.Errorf("reached %v, the handler's ParseForm: %v; want the *http.MaxBytesError", rec.reached, rec.formErr)
	}
}

// FuzzCleanInput: whatever the path, query and form, a request is refused
// with 400 or reaches the handler holding only text that passes the rule;
// never a panic.
func FuzzCleanInput(f *testing.F) {
	for _, s := range [][3]string{
		{"/en/", "", ""}, {"/en/tag/a\x00b/", "", ""}, {"/api/v1/articles", "q=a%00b", ""}, {"/x", "q=%ff&%zz", "text=a%0D%0Ab"},
		{"/en/news/2026/2/2/1/", "", "name=%00&text=hi"}, {"/desk/signin", "next=%2Fdesk%2F", "email=a%40b&password=%FF"},
		{"/", "a=1&a=2;b", "x=%E2%80%8B&y=\u200b"}, {"/\xff", "\x00=\x00", "\x00"},
	} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, path, query, form string) {
		var rec clean
		r := &http.Request{Method: http.MethodPost, URL: &url.URL{Path: path, RawQuery: query}, Header: http.Header{},
			Body: io.NopCloser(strings.NewReader(form)), ContentLength: int64(len(form)), Host: "example.org"}
		r = r.WithContext(t.Context())
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		var seen *http.Request
		h := CleanInput(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			seen = r
			rec.reached = true
			r.ParseForm()
			w.WriteHeader(http.StatusNoContent)
		}), func(w http.ResponseWriter, r *http.Request, err error) {
			if news.ErrorCode(err) != news.EINVALID {
				t.Fatalf("refused with %v", err)
			}
			w.WriteHeader(http.StatusBadRequest)
		})
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != http.StatusBadRequest && w.Code != http.StatusNoContent {
			t.Fatalf("status %d", w.Code)
		}
		if !rec.reached {
			return
		}
		if err := news.CheckLine("path", seen.URL.Path); err != nil {
			t.Fatalf("the handler got the path %q: %v", seen.URL.Path, err)
		}
		for k, vs := range seen.URL.Query() {
			for _, v := range append(vs, k) {
				if err := news.CheckLine("query", v); err != nil {
					t.Fatalf("the handler got the query %q: %v", query, err)
				}
			}
		}
		for k, vs := range seen.PostForm {
			for _, v := range append(vs, k) {
				if err := news.CheckText("form", v); err != nil {
					t.Fatalf("the handler got the form %q: %v", form, err)
				}
			}
		}
	})
}

// A form whose content type has a broken parameter is still a form to
// net/http, and so to the check.
func TestCleanInputReadsFormsAsNetHTTPDoes(t *testing.T) {
	for _, ct := range []string{"application/x-www-form-urlencoded; x", "Application/X-WWW-Form-Urlencoded; charset=utf-8", "application/x-www-form-urlencoded;;"} {
		var rec clean
		r := httptest.NewRequest(http.MethodPost, "/desk/signin", strings.NewReader("email=a%01b%40example.org"))
		r.Header.Set("Content-Type", ct)
		w := httptest.NewRecorder()
		rec.handler().ServeHTTP(w, r)
		if w.Code != http.StatusBadRequest || rec.reached {
			t.Errorf("Content-Type %q: %d (handler reached: %v), want 400", ct, w.Code, rec.reached)
		}
	}
}
