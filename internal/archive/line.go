package archive

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"tamizdat/internal/store"
)

// decodeRow decodes one line of a table file: a JSON array with one value
// per column, of the column's kind. Rows are nearly all of an archive and a
// general JSON decoder reads each byte of them three or four times (a
// validating scan, then the decode, per line and again per value), which
// made restore crawl at ~30 MB/s; this parser reads the JSON this format
// allows (integers, strings, null, between [ and ]) in one pass. It accepts
// and decodes exactly what encoding/json would, which a fuzz test checks.
func decodeRow(t store.Table, line []byte) ([]any, error) {
	// encoding/json would turn invalid UTF-8 into U+FFFD without a word;
	// an archive with it was not written by tamizdat.
	if !utf8.Valid(line) {
		return nil, errors.New("not valid UTF-8")
	}
	p := parser{b: line}
	p.space()
	if !p.take('[') {
		return nil, errors.New("not a JSON array")
	}
	row := make([]any, len(t.Columns))
	for i, col := range t.Columns {
		p.space()
		if i > 0 {
			if p.peek() == ']' {
				return nil, fmt.Errorf("%d values for %d columns", i, len(t.Columns))
			}
			if !p.take(',') {
				return nil, errors.New("not a JSON array")
			}
			p.space()
		} else if p.peek() == ']' {
			return nil, fmt.Errorf("0 values for %d columns", len(t.Columns))
		}
		v, err := p.value(col)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", col.Name, err)
		}
		row[i] = v
	}
	p.space()
	if p.peek() == ',' {
		return nil, fmt.Errorf("more values than the %d columns", len(t.Columns))
	}
	if !p.take(']') {
		return nil, errors.New("not a JSON array")
	}
	p.space()
	if p.i != len(p.b) {
		return nil, errors.New("not a JSON array (something follows it)")
	}
	return row, nil
}

type parser struct {
	b []byte
	i int
}

func (p *parser) peek() byte {
	if p.i < len(p.b) {
		return p.b[p.i]
	}
	return 0
}

func (p *parser) take(c byte) bool {
	if p.peek() == c && p.i < len(p.b) {
		p.i++
		return true
	}
	return false
}

// space skips JSON whitespace (a newline cannot be inside a line).
func (p *parser) space() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\r', '\n':
			p.i++
		default:
			return
		}
	}
}

func (p *parser) value(col store.Column) (any, error) {
	if p.peek() == 'n' {
		if len(p.b)-p.i < 4 || string(p.b[p.i:p.i+4]) != "null" {
			return nil, errors.New("not JSON")
		}
		p.i += 4
		if !col.Null {
			return nil, errors.New("null where a value is required")
		}
		return nil, nil
	}
	switch col.Kind {
	case store.KindInt:
		return p.integer()
	case store.KindText:
		return p.str()
	case store.KindBytes:
		s, err := p.str()
		if err != nil {
			return nil, err
		}
		b, err := base64.StdEncoding.Strict().DecodeString(s)
		if err != nil {
			return nil, errors.New("not base64")
		}
		return b, nil
	}
	return nil, fmt.Errorf("unknown kind %q", col.Kind)
}

// integer reads a JSON number that is an integer in int64's range: no
// fraction, no exponent, no leading zeros.
func (p *parser) integer() (int64, error) {
	start := p.i
	p.take('-')
	switch c := p.peek(); {
	case c == '0':
		p.i++
	case c >= '1' && c <= '9':
		for c := p.peek(); c >= '0' && c <= '9'; c = p.peek() {
			p.i++
		}
	default:
		return 0, errors.New("not an integer")
	}
	if c := p.peek(); c == '.' || c == 'e' || c == 'E' {
		return 0, errors.New("not an integer")
	}
	n, err := strconv.ParseInt(string(p.b[start:p.i]), 10, 64)
	if err != nil {
		return 0, errors.New("not an integer")
	}
	return n, nil
}

// str reads a JSON string. The line is valid UTF-8 already; escapes are
// decoded as encoding/json does, a lone surrogate becoming U+FFFD.
func (p *parser) str() (string, error) {
	if !p.take('"') {
		return "", errors.New("not a string")
	}
	start := p.i
	// Most text has no escapes: one scan and one copy.
	for p.i < len(p.b) {
		c := p.b[p.i]
		if c == '"' {
			s := string(p.b[start:p.i])
			p.i++
			return s, nil
		}
		if c == '\\' || c < 0x20 {
			break
		}
		p.i++
	}
	buf := append([]byte(nil), p.b[start:p.i]...)
	for p.i < len(p.b) {
		c := p.b[p.i]
		switch {
		case c == '"':
			p.i++
			return string(buf), nil
		case c < 0x20:
			return "", errors.New("a control character in a string")
		case c != '\\':
			buf = append(buf, c)
			p.i++
			continue
		}
		// An escape.
		if p.i+1 >= len(p.b) {
			break
		}
		e := p.b[p.i+1]
		p.i += 2
		switch e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, ok := p.hex4()
			if !ok {
				return "", errors.New("a bad \\u escape in a string")
			}
			if utf16.IsSurrogate(r) {
				// The second half must follow as another \u escape.
				save := p.i
				if p.take('\\') && p.take('u') {
					if r2, ok := p.hex4(); ok {
						if pair := utf16.DecodeRune(r, r2); pair != utf8.RuneError {
							buf = utf8.AppendRune(buf, pair)
							continue
						}
					}
				}
				p.i = save
				r = utf8.RuneError
			}
			buf = utf8.AppendRune(buf, r)
		default:
			return "", errors.New("a bad escape in a string")
		}
	}
	return "", errors.New("a string that does not end")
}

func (p *parser) hex4() (rune, bool) {
	if len(p.b)-p.i < 4 {
		return 0, false
	}
	var r rune
	for _, c := range p.b[p.i : p.i+4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	p.i += 4
	return r, true
}
