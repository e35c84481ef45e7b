// Package web is the HTTP plumbing every surface shares: security headers,
// body limits, request logs without client addresses, panic recovery, and
// the mapping of news errors to statuses and JSON.
package web

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/netip"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"tamizdat/internal/news"
)

// ContentSecurityPolicy allows nothing from another host and no inline
// script: a page must not tell a third party who reads what, and an injected
// script must have nowhere to run.
const ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; " +
	"font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// securityHeaders are the headers every response carries, with their
// keys in canonical form: assigned, not Set, since canonicalising seven
// keys and making seven slices was a good part of a page served from
// memory. The slices are shared and hold one value each, so a handler
// that adds to one gets a copy (append past a full slice).
var securityHeaders = [...]struct {
	key   string
	value []string
}{
	{"Content-Security-Policy", []string{ContentSecurityPolicy}},
	// same-origin: other hosts never learn which article a reader came from.
	{"Referrer-Policy", []string{"same-origin"}},
	{"X-Content-Type-Options", []string{"nosniff"}},
	{"X-Frame-Options", []string{"DENY"}},
	{"Cross-Origin-Opener-Policy", []string{"same-origin"}},
	{"Cross-Origin-Resource-Policy", []string{"same-origin"}},
	{"Permissions-Policy", []string{"camera=(), microphone=(), geolocation=(), interest-cohort=()"}},
}

// SecurityHeaders sets the headers every response carries.
func SecurityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for _, f := range securityHeaders {
			h[f.key] = f.value[:1:1]
		}
		next.ServeHTTP(w, r)
	})
}

// LimitBody refuses request bodies over max(r) bytes with 413: at once when
// the client declares the length, and on reading otherwise (handlers see an
// *http.MaxBytesError, which StatusOf maps to 413).
func LimitBody(limit func(r *http.Request) int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		max := limit(r)
		if r.ContentLength > max {
			w.Header().Set("Connection", "close")
			err := news.Errorf(news.ETOOLARGE, "the request body is larger than %s", size(max))
			if strings.Contains(r.Header.Get("Accept"), "text/html") {
				// A form of the desk: the person sees a sentence, not JSON.
				w.Header().Set("Content-Type", "text/plain; charset=utf-8")
				w.WriteHeader(http.StatusRequestEntityTooLarge)
				w.Write([]byte("What you sent is larger than " + size(max) + "; nothing was saved. Go back and send a smaller file.\n"))
				return
			}
			Error(w, r, err)
			return
		}
		if r.Body != nil && r.Body != http.NoBody { // a GET has none to bound
			r.Body = http.MaxBytesReader(w, r.Body, max)
		}
		next.ServeHTTP(w, r)
	})
}

// size says a byte count the way people do.
func size(n int64) string {
	if n >= 1<<20 {
		return strconv.FormatInt(n>>20, 10) + " MB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

// recorder remembers the status and size of a response for the log.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += n
	return n, err
}

func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// Log writes one structured line per request. It never logs the client
// address, the query string or headers that could identify a reader: the
// route pattern and the path are enough to run the site.
//
// It also gives the request the one record (requestInfo) that the
// boundary's other steps fill in — the route pattern, the client address,
// the Reach — so that a request is copied once for its context, not once
// per step: on a page served from memory those copies were much of the
// work.
func Log(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &recorder{ResponseWriter: w}
		info := &requestInfo{}
		r = r.WithContext(context.WithValue(r.Context(), infoKey{}, info))
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				log.Error("panic", "error", v, "stack", string(debug.Stack()), "path", r.URL.Path)
				if rec.status == 0 {
					Error(rec, r, errors.New("panic"))
				}
			}
			status := rec.status
			if status == 0 && r.Context().Err() != nil {
				status = 499 // the client closed the connection first, as nginx logs it
			}
			log.LogAttrs(r.Context(), slog.LevelInfo, "request", slog.String("method", r.Method), slog.String("route", info.route),
				slog.String("path", r.URL.Path), slog.Int("status", status), slog.Int("bytes", rec.bytes),
				slog.Int64("duration_ms", time.Since(start).Milliseconds()))
		}()
		next.ServeHTTP(rec, r)
	})
}

// requestInfo is what the boundary learns about a request, set once by
// the step that learns it and read by those inside.
type requestInfo struct {
	route     string
	client    netip.Addr
	hasClient bool
	reach     Reach
	hasReach  bool
}

type infoKey struct{}

func infoOf(ctx context.Context) *requestInfo {
	in, _ := ctx.Value(infoKey{}).(*requestInfo)
	return in
}

// Route wraps the mux, innermost, to tell Log which route pattern served
// the request: middleware between them works on copies of the request, and
// only the mux's copy carries the pattern.
func Route(mux http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mux.ServeHTTP(w, r)
		if in := infoOf(r.Context()); in != nil {
			in.route = r.Pattern
		}
	})
}

// RouteOf is the route pattern that served r, for middleware between Log
// and Route (metrics), read once the handler returned: "" when the request
// never reached the mux (the boundary refused it). Outside Log it is the
// pattern the mux set on r itself.
func RouteOf(r *http.Request) string {
	if in := infoOf(r.Context()); in != nil {
		return in.route
	}
	return r.Pattern
}

// StatusOf maps an error to its HTTP status.
func StatusOf(err error) int {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return http.StatusRequestEntityTooLarge
	}
	switch news.ErrorCode(err) {
	case news.EINVALID:
		return http.StatusUnprocessableEntity
	case news.ENOTFOUND:
		return http.StatusNotFound
	case news.ECONFLICT:
		return http.StatusConflict
	case news.EGONE:
		return http.StatusGone
	case news.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case news.EFORBIDDEN:
		return http.StatusForbidden
	case news.ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	case news.ETOOMANY:
		return http.StatusTooManyRequests
	case news.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// Message is the text safe to show for err.
func Message(err error) string {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return "the request body is larger than " + size(mbe.Limit)
	}
	return news.ErrorMessage(err)
}

// Error answers with a JSON error. Internal errors are logged by the caller's
// logger through the request log; their text never reaches the client.
func Error(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
		return // the client left; there is no one to answer
	}
	status := StatusOf(err)
	if status == http.StatusInternalServerError {
		slog.Error("internal error", "path", r.URL.Path, "error", err)
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="tamizdat"`)
	}
	JSON(w, r, status, map[string]string{"error": Message(err)})
}

// JSON writes v with status, in one write (see Whole).
func JSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":"internal error"}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	b = append(b, '\n')
	// Framed by its length, the answer is complete with its last byte (see
	// site.render).
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	Whole(w, r, func() {
		w.WriteHeader(status)
		w.Write(b)
	})
}

// Deadline bounds the work of one request, so that a database that stopped
// answering turns into a quick 503 rather than a hung connection.
func Deadline(d func(r *http.Request) time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), d(r))
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}
