package web

import (
	"net/http"
	"strings"
	"time"
)

// Encoding is a content coding a page can be sent in.
type Encoding uint8

const (
	Identity Encoding = iota
	Gzip
	Brotli
	encodings // how many there are
)

// Token is the encoding's name in Content-Encoding ("" for identity, which
// is never named there).
func (e Encoding) Token() string {
	switch e {
	case Gzip:
		return "gzip"
	case Brotli:
		return "br"
	}
	return ""
}

// Encodings is a set of encodings, one bit per Encoding.
type Encodings uint8

// Of is the set of the given encodings.
func Of(es ...Encoding) Encodings {
	var s Encodings
	for _, e := range es {
		s |= 1 << e
	}
	return s
}

// Has reports whether e is in the set.
func (s Encodings) Has(e Encoding) bool { return s&(1<<e) != 0 }

// Negotiate chooses the encoding of a response among offered from the
// request's Accept-Encoding field lines (r.Header["Accept-Encoding"]), as
// RFC 9110 §12.5.3 says:
//
//   - a coding is acceptable when it is listed with a q-value above 0, or
//     not listed while "*" is, with a q-value above 0;
//   - identity is acceptable unless "identity;q=0", or "*;q=0" without an
//     entry of its own, refuses it; unlisted, it ranks below every coding
//     the client named, so "gzip" alone gets gzip;
//   - no field, or an empty one, means identity;
//   - the highest q-value wins, and among equal ones br before gzip before
//     identity (the smaller body);
//   - "x-gzip" is gzip; names and the "q" are case-insensitive; an entry
//     whose q-value breaks the grammar ("q=2", "q=0.5x") is ignored, and a
//     coding listed twice takes its higher q-value.
//
// ok is false when nothing offered is acceptable: the client refused
// identity and accepts none of the others, which the caller answers 406.
// It allocates nothing: it runs on every cached hit.
func Negotiate(accept []string, offered Encodings) (e Encoding, ok bool) {
	var q [encodings]int // 0..1000, -1 unlisted
	q[Identity], q[Gzip], q[Brotli] = -1, -1, -1
	star := -1
	for _, line := range accept {
		for line != "" {
			var elem string
			elem, line = cutByte(line, ',')
			coding, params := cutByte(elem, ';')
			coding = trimOWS(coding)
			if coding == "" {
				continue
			}
			w, valid := weight(params)
			if !valid {
				continue
			}
			p := &star
			switch {
			case strings.EqualFold(coding, "br"):
				p = &q[Brotli]
			case strings.EqualFold(coding, "gzip"), strings.EqualFold(coding, "x-gzip"):
				p = &q[Gzip]
			case strings.EqualFold(coding, "identity"):
				p = &q[Identity]
			case coding == "*":
			default:
				continue
			}
			*p = max(*p, w)
		}
	}
	for c := Gzip; c < encodings; c++ {
		if q[c] < 0 {
			q[c] = max(star, 0)
		}
	}
	if q[Identity] < 0 {
		if q[Identity] = 1; star == 0 {
			q[Identity] = 0
		}
	}
	best, bestQ := Identity, 0
	for _, c := range [...]Encoding{Brotli, Gzip, Identity} {
		if offered.Has(c) && q[c] > bestQ {
			best, bestQ = c, q[c]
		}
	}
	return best, bestQ > 0
}

// weight reads the q-value among an entry's parameters (";q=0.5"): 1000
// when there is none, false when it breaks the grammar
// qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ).
func weight(params string) (int, bool) {
	for params != "" {
		var p string
		p, params = cutByte(params, ';')
		name, value := cutByte(p, '=')
		if !strings.EqualFold(trimOWS(name), "q") {
			continue
		}
		v := trimOWS(value)
		if v == "" || len(v) > 5 || (v[0] != '0' && v[0] != '1') {
			return 0, false
		}
		n := int(v[0]-'0') * 1000
		if len(v) > 1 {
			if v[1] != '.' {
				return 0, false
			}
			scale := 100
			for i := 2; i < len(v); i++ {
				d := v[i]
				if d < '0' || d > '9' || (n == 1000 && d != '0') {
					return 0, false
				}
				n += int(d-'0') * scale
				scale /= 10
			}
		}
		return n, true
	}
	return 1000, true
}

// cutByte is strings.Cut for one byte, with an empty after when sep is
// missing.
func cutByte(s string, sep byte) (before, after string) {
	if i := strings.IndexByte(s, sep); i >= 0 {
		return s[:i], s[i+1:]
	}
	return s, ""
}

// trimOWS trims the optional white space of HTTP (spaces and tabs).
func trimOWS(s string) string {
	for s != "" && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	for s != "" && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	return s
}

// ETag is the entity tag of a page's body of tag (see PageTag) sent in
// encoding e. Each encoding has a strong tag of its own, "tag",
// "tag-gz" and "tag-br", as RFC 9110 asks of representations that differ
// in their bytes; NoneMatch ignores the suffix, so a client that kept the
// gzip copy is answered 304 whichever encoding it negotiates next.
func ETag(tag string, e Encoding) string {
	switch e {
	case Gzip:
		return `"` + tag + `-gz"`
	case Brotli:
		return `"` + tag + `-br"`
	}
	return `"` + tag + `"`
}

// NoneMatch reports whether an If-None-Match field (its lines) names a
// tag of the page whose body's tag is tag, in any encoding, weak or strong
// (RFC 9110 compares If-None-Match weakly), or is "*".
func NoneMatch(lines []string, tag string) bool {
	for _, line := range lines {
		for {
			line = strings.TrimLeft(line, " \t,")
			if line == "" {
				break
			}
			if line[0] == '*' {
				return true
			}
			if strings.HasPrefix(line, "W/") {
				line = line[2:]
			}
			if line == "" || line[0] != '"' {
				break // not an entity tag: the rest cannot be read
			}
			end := strings.IndexByte(line[1:], '"')
			if end < 0 {
				break
			}
			opaque := line[1 : 1+end]
			line = line[2+end:]
			if base, found := strings.CutSuffix(opaque, "-gz"); found {
				opaque = base
			} else if base, found := strings.CutSuffix(opaque, "-br"); found {
				opaque = base
			}
			if opaque == tag {
				return true
			}
		}
	}
	return false
}

// NotModified reports whether a GET or HEAD of a page of tag and
// modification time modified (zero when unknown) is answered 304: by
// If-None-Match when the request has one, else by If-Modified-Since
// (RFC 9110 §13.2.2), to the second, as Last-Modified says it.
func NotModified(r *http.Request, tag string, modified time.Time) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	if inm := r.Header["If-None-Match"]; len(inm) > 0 {
		return NoneMatch(inm, tag)
	}
	ims := r.Header["If-Modified-Since"]
	if len(ims) == 0 || modified.IsZero() {
		return false
	}
	t, err := http.ParseTime(ims[0])
	return err == nil && !modified.Truncate(time.Second).After(t)
}
