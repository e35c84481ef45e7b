package desk_test

import (
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"tamizdat/internal/images/imagetest"
	"tamizdat/internal/news"
)

// The desk's forms on both engines: what no text may hold is refused with
// the desk's 400 page before any handler runs (the upload's multipart form
// by its handler, through the same rule); a field of one line with a line
// break, or a required one of invisible characters, is refused by the
// domain with the form again. Nothing is stored.
func TestDeskFormsRefuseBadText(t *testing.T) {
	photo := imagetest.EncodeJPEG(t, imagetest.PhotoLike(400, 300), 80)
	onEngines(t, func(t *testing.T, e *env) {
		admin := e.withSession(e.users[news.RoleAdmin])
		before, err := e.db.Counts(ctx())
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name, path string
			form       url.Values
			status     int
			says       string
		}{
			{"article title with NUL", "/desk/articles/new", url.Values{"edition": {"en"}, "title": {"a\x00b"}, "action": {"save"}}, 400, `form field "title" contains a control character (U+0000)`},
			{"article body with an escape", "/desk/articles/new", url.Values{"edition": {"en"}, "title": {"T"}, "body": {"\x1b[2J"}, "action": {"save"}}, 400, `form field "body" contains a control character (U+001B)`},
			{"article title of zero-width spaces", "/desk/articles/new", url.Values{"edition": {"en"}, "title": {"\u200b\u200b"}, "action": {"save"}}, 422, "title has no visible character"},
			{"article title over lines", "/desk/articles/new", url.Values{"edition": {"en"}, "title": {"one\r\ntwo"}, "action": {"save"}}, 422, "title must be one line"},
			{"category name with a broken byte", "/desk/categories/", url.Values{"edition": {"en"}, "slug": {"sport"}, "name": {"a\xffb"}}, 400, `form field "name" is not valid UTF-8`},
			{"category name of a Hangul filler", "/desk/categories/", url.Values{"edition": {"en"}, "slug": {"sport"}, "name": {"\u3164"}}, 422, "name has no visible character"},
			{"site name with U+0001", "/desk/settings/", url.Values{"site_name": {"a\x01b"}}, 400, `form field "site_name" contains a control character (U+0001)`},
			{"site name of a zero-width space", "/desk/settings/", url.Values{"site_name": {"\u200b"}}, 422, "site_name has no visible character"},
			{"page title of a Braille blank", "/desk/pages/en/about", url.Values{"title": {"\u2800"}, "body": {"Text"}}, 422, "title has no visible character"},
			{"user name with NUL", "/desk/users/", url.Values{"email": {"new@example.org"}, "name": {"N\x00"}, "role": {"author"}}, 400, `form field "name" contains a control character (U+0000)`},
		} {
			t.Run(c.name, func(t *testing.T) {
				r := admin.post(c.path, c.form)
				if r.status != c.status || !strings.Contains(html.UnescapeString(r.body), c.says) {
					t.Errorf("%d, want %d saying %q: %s", r.status, c.status, c.says, errorText(r.body))
				}
			})
		}
		u := jpegUpload(photo)
		u.fields = [][2]string{{"caption", "Queue\x00"}, {"credit", "Staff"}, {"alt", "People"}}
		r := admin.upload(u)
		if r.status != http.StatusBadRequest || !strings.Contains(html.UnescapeString(r.body), `form field "caption" contains a control character (U+0000)`) {
			t.Errorf("upload with NUL in the caption: %d %s", r.status, errorText(r.body))
		}
		u.fields = [][2]string{{"caption", "Two\nlines"}}
		if r := admin.upload(u); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "caption must be one line") {
			t.Errorf("upload with a line break in the caption: %d %s", r.status, errorText(r.body))
		}
		after, err := e.db.Counts(ctx())
		if err != nil {
			t.Fatal(err)
		}
		for table, n := range after {
			if n != before[table] {
				t.Errorf("%s: %d rows, %d before", table, n, before[table])
			}
		}
		if set, _ := e.db.Settings(ctx()); set.SiteName != news.DefaultSettings().SiteName {
			t.Errorf("site_name %q", set.SiteName)
		}
		// Real text goes through the same forms.
		id := admin.createArticle(url.Values{"edition": {"be"}, "title": {"Ўсё «так» — 👩\u200d💻"}, "lead": {"Лід\r\nу два радкі"},
			"body": {"Тэкст\r\n\tз водступам, עברית\u200f"}, "tags": {"Мінск, 🇧🇾"}, "action": {"save"}})
		a, err := e.db.Article(ctx(), id)
		if err != nil || a.Title != "Ўсё «так» — 👩\u200d💻" || a.Body != "Тэкст\n\tз водступам, עברית\u200f" {
			t.Errorf("stored %q %q (%v)", a.Title, a.Body, err)
		}
	})
}

// A desk form sent as multipart, which the boundary does not read, is
// refused unless it is an upload: its fields would reach the handlers
// unchecked.
func TestDeskRefusesMultipartFormsButUploads(t *testing.T) {
	onEngines(t, func(t *testing.T, e *env) {
		var body strings.Builder
		mw := multipart.NewWriter(&body)
		mw.WriteField("email", "a\x01b@example.org")
		mw.WriteField("password", "whatever")
		mw.Close()
		r := e.browser().do(http.MethodPost, "/desk/signin", strings.NewReader(body.String()), mw.FormDataContentType())
		if r.status != http.StatusUnsupportedMediaType {
			t.Errorf("a multipart sign-in with a control character: %d %s, want 415", r.status, errorText(r.body))
		}
		admin := e.withSession(e.users[news.RoleAdmin])
		body.Reset()
		mw = multipart.NewWriter(&body)
		mw.WriteField("edition", "en")
		mw.WriteField("slug", "sport")
		mw.WriteField("name", "Sport")
		mw.Close()
		if r := admin.do(http.MethodPost, "/desk/categories/", strings.NewReader(body.String()), mw.FormDataContentType()); r.status != http.StatusUnsupportedMediaType {
			t.Errorf("a multipart category form: %d, want 415", r.status)
		}
		if cats, _ := e.db.Categories(ctx(), "en"); len(cats) != 1 {
			t.Errorf("%d English categories: a refused form saved one", len(cats))
		}
	})
}
