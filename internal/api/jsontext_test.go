package api_test

import (
	"net/http"
	"testing"
)

// Every string of a JSON body is held to the one rule of text, whatever
// field it is in (json.RawMessage fields and object keys too), and the
// refusal names the field: 400, nothing stored. encoding/json alone would
// store invalid UTF-8 and lone surrogate escapes as U+FFFD without a word.
func TestJSONStringsHoldNoControlCharacters(t *testing.T) {
	e := newEnv(t)
	e.categories(t)
	for _, c := range []struct {
		name, method, path, body string
		status                   int
		says                     string
	}{
		{"NUL in the title", "POST", "/api/v1/articles", `{"edition":"en","title":"a\u0000b"}`, 400, "field title contains a control character (U+0000)"},
		{"escape in the body", "POST", "/api/v1/articles", `{"edition":"en","title":"T","body":"\u001b[2J"}`, 400, "field body contains a control character (U+001B)"},
		{"a tag", "POST", "/api/v1/articles", `{"edition":"en","title":"T","tags":["ok","b\u0007"]}`, 400, "field tags[1] contains a control character (U+0007)"},
		{"the image caption", "POST", "/api/v1/articles", `{"edition":"en","title":"T","image":{"id":1,"caption":"c\u0000"}}`, 400, "field image.caption contains a control character (U+0000)"},
		{"a raw broken byte", "POST", "/api/v1/articles", "{\"edition\":\"en\",\"title\":\"a\xffb\"}", 400, "field title is not valid UTF-8"},
		{"a lone surrogate", "POST", "/api/v1/articles", `{"edition":"en","title":"a\ud800b"}`, 400, "field title holds a \\u escape of half a surrogate pair"},
		{"a noncharacter", "POST", "/api/v1/articles", `{"edition":"en","title":"T\uffff"}`, 400, "field title contains U+FFFF"},
		{"a category name", "POST", "/api/v1/categories", "{\"edition\":\"en\",\"slug\":\"sport\",\"name\":\"a\xffb\"}", 400, "field name is not valid UTF-8"},
		{"a zero-width title", "POST", "/api/v1/articles", `{"edition":"en","title":"\u200b\u2060"}`, 422, "title has no visible character"},
		{"a title over lines", "POST", "/api/v1/articles", `{"edition":"en","title":"one\ntwo"}`, 422, "title must be one line"},
		{"an invisible category", "POST", "/api/v1/categories", `{"edition":"en","slug":"sport","name":"\u3164"}`, 422, "name has no visible character"},
	} {
		t.Run(c.name, func(t *testing.T) {
			wantError(t, e.call(t, c.method, c.path, editor, c.body), c.status, c.says)
		})
	}
	if n := e.count(t); n != 0 {
		t.Errorf("%d articles stored", n)
	}
	// Real text goes through, the escapes of real characters included.
	r := e.call(t, "POST", "/api/v1/articles", editor, `{"edition":"be","title":"Ўсё «так» — \ud83d\udc69\u200d\ud83d\udcbb","body":"Радок\r\nі\tтаб\n\ufffd","tags":["Мінск"]}`)
	wantStatus(t, r, http.StatusCreated)
	if a := r.article(t); a.Title != "Ўсё «так» — 👩\u200d💻" || a.Body != "Радок\r\nі\tтаб\n\ufffd" {
		t.Errorf("stored %q / %q", a.Title, a.Body)
	}
	id := r.article(t).ID
	wantError(t, e.call(t, "PATCH", path(id), editor, `{"lead":"x\u0000"}`), 400, "field lead contains a control character (U+0000)")
}
