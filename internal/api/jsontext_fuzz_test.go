package api

import (
	"encoding/json"
	"testing"
	"unicode/utf8"

	"tamizdat/internal/news"
)

func TestCheckJSONNamesTheField(t *testing.T) {
	for body, want := range map[string]string{
		`{"a":{"b":[1,"x",{"c":"\u0000"}]}}`:            "field a.b[2].c contains a control character (U+0000); remove it",
		`["ok","\u0001"]`:                               "field [1] contains a control character (U+0001); remove it",
		`"\u0000"`:                                      "the body contains a control character (U+0000); remove it",
		`{"title":"ok","x\u0000":1}`:                    "a field name in the body contains a control character (U+0000); remove it",
		`{"m":{"k\u0085":"v"}}`:                         "a field name in field m contains a control character (U+0085); remove it",
		"{\"t\":\"\xff\"}":                              "field t is not valid UTF-8; send the body in UTF-8",
		`{"t":"\udc00x"}`:                               `field t holds a \u escape of half a surrogate pair, which is no character; remove it`,
		`{"a":[[],{}],"t":"\ud83d\ude00","z":"\u0000"}`: "field z contains a control character (U+0000); remove it",
	} {
		if err := checkJSON([]byte(body)); news.ErrorMessage(err) != want {
			t.Errorf("checkJSON(%s) = %v, want %q", body, err, want)
		}
	}
	for _, body := range []string{`{}`, `{"t":"Ўсё 👩\u200d💻\r\n\t\ufffd �"}`, `[1, true, null, {"a": ["b"]}]`, `not json`} {
		if err := checkJSON([]byte(body)); err != nil {
			t.Errorf("checkJSON(%s) = %v", body, err)
		}
	}
}

// FuzzCheckJSON: checkJSON never panics, and a valid JSON body it passes
// holds only strings (keys included) that the one rule of text passes.
func FuzzCheckJSON(f *testing.F) {
	for _, s := range []string{`{"title":"a\u0000b"}`, `{"a":[{"b":"\ud800"}]}`, "{\"x\":\"\xff\"}", `[]`, `"x"`, `{"t":"Ўсё"}`, `{"a":{"b":{"c":[[["\u0007"]]]}}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		err := checkJSON(body)
		if err != nil {
			if news.ErrorCode(err) != news.EINVALID {
				t.Fatalf("checkJSON(%q) = %v", body, err)
			}
			return
		}
		var v any
		if !utf8.Valid(body) || json.Unmarshal(body, &v) != nil {
			return
		}
		var walk func(v any)
		walk = func(v any) {
			switch x := v.(type) {
			case string:
				if err := news.CheckText("s", x); err != nil {
					t.Fatalf("checkJSON passed %q holding %q: %v", body, x, err)
				}
			case []any:
				for _, y := range x {
					walk(y)
				}
			case map[string]any:
				for k, y := range x {
					walk(k)
					walk(y)
				}
			}
		}
		walk(v)
	})
}
