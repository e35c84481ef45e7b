package api

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"

	"tamizdat/internal/news"
)

// checkJSON holds every string of a JSON body, object keys included and
// whatever field it lands in (json.RawMessage fields too), to the one rule
// of text (news.CheckText), and names the field that breaks it by its path
// ("title", "tags[2]", "image.caption"). It reads the body's tokens, so one
// walk covers every request type. encoding/json would turn invalid UTF-8
// and lone surrogate escapes (\ud800) into U+FFFD without a word, so those
// are found in the body's bytes. A body that is not JSON passes: decode
// has already said what is wrong with it.
func checkJSON(body []byte) error {
	type frame struct {
		object  bool
		wantKey bool
		key     string
		index   int
	}
	var stack []*frame
	path := func(stack []*frame) string {
		var b strings.Builder
		for i, f := range stack {
			switch {
			case f.object && i > 0:
				b.WriteString("." + f.key)
			case f.object:
				b.WriteString(f.key)
			default:
				b.WriteString("[" + strconv.Itoa(f.index) + "]")
			}
		}
		if b.Len() == 0 {
			return "the body"
		}
		return "field " + b.String()
	}
	valueDone := func() {
		if len(stack) == 0 {
			return
		}
		if f := stack[len(stack)-1]; f.object {
			f.wantKey = true
		} else {
			f.index++
		}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var at int64
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil // the end, or what decode reported already
		}
		raw := body[at:dec.InputOffset()]
		at = dec.InputOffset()
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{', '[':
				stack = append(stack, &frame{object: t == '{', wantKey: t == '{'})
			default:
				stack = stack[:len(stack)-1]
				valueDone()
			}
		case string:
			isKey := top != nil && top.object && top.wantKey
			field := path(stack)
			if isKey {
				field = "a field name in " + path(stack[:len(stack)-1])
			}
			if !utf8.Valid(raw) {
				return news.Errorf(news.EINVALID, "%s is not valid UTF-8; send the body in UTF-8", field)
			}
			if lostSurrogate(t, raw) {
				return news.Errorf(news.EINVALID, "%s holds a \\u escape of half a surrogate pair, which is no character; remove it", field)
			}
			if err := news.CheckText(field, t); err != nil {
				return err
			}
			if isKey {
				top.key, top.wantKey = t, false
			} else {
				valueDone()
			}
		default:
			valueDone()
		}
	}
}

// lostSurrogate reports whether decoding raw, a JSON string token, made a
// U+FFFD that the text did not hold: the decoder's stand-in for a \u escape
// of an unpaired surrogate.
func lostSurrogate(decoded string, raw []byte) bool {
	n := strings.Count(decoded, "\uFFFD")
	if n == 0 {
		return false
	}
	held := bytes.Count(raw, []byte("\uFFFD")) + bytes.Count(bytes.ToLower(raw), []byte(`\ufffd`))
	return n > held
}
