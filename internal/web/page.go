package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/klauspost/compress/gzip"
)

// Page is a rendered response as a value: what a page handler makes
// instead of writing to the connection. The HTTP server (WritePage), the
// page cache (internal/pagecache) and a static export all consume the same
// value, so the three never disagree on what a page is.
//
// A Page is not changed once made: the cache hands one value to every
// request that waited for it, and writers copy what they send from it.
type Page struct {
	// Status is the HTTP status; 0 means 200.
	Status int
	// Header holds the page's own fields: Content-Type (required for the
	// body to be compressed), Location of a redirect, a Cache-Control the
	// page chooses itself. The writers add the framing (Content-Length,
	// Content-Encoding, ETag, Vary) and the fields below; a page never
	// sets those, nor cookies (a shared cache would hand them to everyone).
	Header http.Header
	// Body is the whole body, identity-coded.
	Body []byte
	// Keys name what the page was made from ("article:12", "list:front",
	// "settings"): a change to any of them makes the page out of date.
	// Sent as Surrogate-Key and Cache-Tag for CDNs that purge by key.
	Keys []string
	// Modified is when what the page shows last changed (Last-Modified);
	// zero when unknown.
	Modified time.Time
	// Expires is when the page goes out of date by itself even if nothing
	// it names in Keys changes (the top bar's clock at the next minute);
	// zero when only a change ends it.
	Expires time.Time
}

// StatusCode is the page's status, 200 when it says none.
func (p *Page) StatusCode() int {
	if p.Status == 0 {
		return http.StatusOK
	}
	return p.Status
}

// PageTag is the validator of a body: its SHA-256, shortened to 96 bits
// (ample for telling versions of one URL apart) and written as 16
// characters of base64url. It depends on the bytes only, so every node
// serving the same page gives the same ETag, and a client's If-None-Match
// is answered 304 by any of them.
func PageTag(body []byte) string {
	sum := sha256.Sum256(body)
	return base64.RawURLEncoding.EncodeToString(sum[:12])
}

// MinCompress is the smallest body worth compressing: below it the gzip
// framing eats most of the gain and the work is not repaid.
const MinCompress = 512

// Compressible reports whether a body of this Content-Type and length is
// worth compressing: text (HTML, feeds, JSON, CSS, JavaScript, SVG) of at
// least MinCompress bytes. Images other than SVG, archives and fonts are
// compressed already.
func Compressible(contentType string, n int) bool {
	if n < MinCompress {
		return false
	}
	mt, _, _ := strings.Cut(contentType, ";")
	mt = strings.ToLower(trimOWS(mt))
	switch {
	case strings.HasPrefix(mt, "text/"), strings.HasSuffix(mt, "+xml"), strings.HasSuffix(mt, "+json"):
		return true
	}
	switch mt {
	case "application/json", "application/xml", "application/javascript", "application/manifest+json":
		return true
	}
	return false
}

// SurrogateKey and CacheTag are the fields that name a page's Keys for
// CDNs: Fastly and others read space-separated Surrogate-Key, Cloudflare
// comma-separated Cache-Tag.
func SurrogateKey(keys []string) string { return strings.Join(keys, " ") }
func CacheTag(keys []string) string     { return strings.Join(keys, ",") }

// bodyAllowed reports whether a response of status has a body.
func bodyAllowed(status int) bool {
	return status >= 200 && status != http.StatusNoContent && status != http.StatusNotModified
}

var gzipWriters = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed)
	return w
}}

// WritePage sends p as it is, without a cache: the path of every page when
// the page cache is off (--cache-mb 0), and of a page the cache does not
// keep. It negotiates gzip (compressing on the spot, at the fastest
// level: this runs on every request, and what the cache keeps it
// compresses once, harder), sets Vary: Accept-Encoding on every
// answer whose encoding could have differed, sends ETag (PageTag of the
// body, suffixed per encoding as ETag says), Last-Modified, Surrogate-Key
// and Cache-Tag, answers a matching If-None-Match or If-Modified-Since of
// a 200 page with 304, a client that refuses every encoding it could send
// with 406, and writes the body with its Content-Length in one write
// (Whole); HEAD gets the same header and no body.
func WritePage(w http.ResponseWriter, r *http.Request, p *Page) {
	h := w.Header()
	for k, v := range p.Header {
		// Clipped, so that a later Add copies instead of writing into the
		// page's own array, which other requests may be reading.
		h[k] = v[:len(v):len(v)]
	}
	status := p.StatusCode()
	if len(p.Keys) > 0 {
		h.Set("Surrogate-Key", SurrogateKey(p.Keys))
		h.Set("Cache-Tag", CacheTag(p.Keys))
	}
	if !p.Modified.IsZero() {
		h.Set("Last-Modified", p.Modified.UTC().Format(http.TimeFormat))
	}
	body := p.Body
	if !bodyAllowed(status) {
		w.WriteHeader(status)
		return
	}
	enc := Identity
	if h.Get("Content-Encoding") == "" && Compressible(h.Get("Content-Type"), len(body)) {
		h.Add("Vary", "Accept-Encoding")
		var ok bool
		if enc, ok = Negotiate(r.Header["Accept-Encoding"], Of(Identity, Gzip)); !ok {
			NotAcceptable(w, r)
			return
		}
	}
	if status == http.StatusOK {
		tag := PageTag(body)
		h.Set("Etag", ETag(tag, enc))
		if NotModified(r, tag, p.Modified) {
			h.Del("Content-Type")
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	if enc == Gzip {
		var buf bytes.Buffer
		buf.Grow(len(body)/3 + 64)
		gz := gzipWriters.Get().(*gzip.Writer)
		gz.Reset(&buf)
		gz.Write(body) // a bytes.Buffer does not fail
		gz.Close()
		gzipWriters.Put(gz)
		body = buf.Bytes()
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	Whole(w, r, func() {
		w.WriteHeader(status)
		if r.Method != http.MethodHead {
			w.Write(body)
		}
	})
}

// NotAcceptable answers a request whose Accept-Encoding refuses every
// encoding the page could be sent in ("identity;q=0" and nothing known):
// 406, as RFC 9110 §15.5.7 provides.
func NotAcceptable(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	for _, k := range []string{"Content-Encoding", "Etag", "Last-Modified", "Surrogate-Key", "Cache-Tag"} {
		h.Del(k)
	}
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	msg := "This page cannot be sent in any encoding the request's Accept-Encoding accepts.\n"
	h.Set("Content-Length", strconv.Itoa(len(msg)))
	Whole(w, r, func() {
		w.WriteHeader(http.StatusNotAcceptable)
		if r.Method != http.MethodHead {
			w.Write([]byte(msg))
		}
	})
}
