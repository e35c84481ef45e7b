package web

import (
	"context"
	"net"
	"net/http"
	"sync"
)

// A node may die at any moment (a crash, an OOM kill, an operator's kill
// -9). A response it had half sent is lost to the reader: the proxy has
// already passed its start on and cannot retry it elsewhere. A response it
// had not sent at all is retried on another node by the proxy, invisibly.
// So pages and JSON, which are rendered whole in memory, are handed to the
// kernel in one write: sent whole or not at all.

// WholeListener wraps a listener so that handlers can send a response in
// one write (see Whole).
type WholeListener struct{ net.Listener }

func (l WholeListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &holdConn{Conn: c}, nil
}

// holdConn gathers what the server writes while a handler holds it.
type holdConn struct {
	net.Conn
	mu      sync.Mutex
	holding bool
	buf     []byte
}

func (c *holdConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	if c.holding {
		c.buf = append(c.buf, p...)
		c.mu.Unlock()
		return len(p), nil
	}
	c.mu.Unlock()
	return c.Conn.Write(p)
}

func (c *holdConn) hold() {
	c.mu.Lock()
	c.holding = true
	c.mu.Unlock()
}

func (c *holdConn) release() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.holding = false
	if len(c.buf) > 0 {
		c.Conn.Write(c.buf) // an error here is the reader gone; the server sees it at its next write
	}
	// The buffer serves the connection's next response: a reader's
	// connection asks for page after page, and growing a buffer anew for
	// each was most of a cached page's garbage. One that grew past a
	// large page is let go rather than kept by an idle connection.
	if cap(c.buf) > maxKeptHold {
		c.buf = nil
	} else {
		c.buf = c.buf[:0]
	}
}

// maxKeptHold is the largest buffer a connection keeps between responses.
const maxKeptHold = 256 << 10

type holdKey struct{}

// ConnContext is the http.Server hook that lets Whole find the connection.
func ConnContext(ctx context.Context, c net.Conn) context.Context {
	if hc, ok := c.(*holdConn); ok {
		return context.WithValue(ctx, holdKey{}, hc)
	}
	return ctx
}

// Whole runs write, which must write a complete response of known length,
// and hands everything it wrote to the kernel in one write. Without a
// WholeListener underneath it just runs write.
func Whole(w http.ResponseWriter, r *http.Request, write func()) {
	hc, _ := r.Context().Value(holdKey{}).(*holdConn)
	if hc == nil {
		write()
		return
	}
	hc.hold()
	defer hc.release()
	write()
	// The server keeps the tail of a response in its buffer until the
	// handler returns; flush it into the held bytes.
	flush(w)
}

// WriteWhole is Whole for a response that is a status and a body (none
// for HEAD), its header fields set: the path of a page served from memory,
// without the closure Whole needs.
func WriteWhole(w http.ResponseWriter, r *http.Request, status int, body []byte) {
	hc, _ := r.Context().Value(holdKey{}).(*holdConn)
	if hc != nil {
		hc.hold()
		defer hc.release()
	}
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
	if hc != nil {
		flush(w)
	}
}

// flush flushes the first writer down the Unwrap chain that can, as
// http.ResponseController does, without making one.
func flush(w http.ResponseWriter) {
	for {
		switch t := w.(type) {
		case interface{ FlushError() error }:
			t.FlushError()
			return
		case http.Flusher:
			t.Flush()
			return
		case interface{ Unwrap() http.ResponseWriter }:
			w = t.Unwrap()
		default:
			return
		}
	}
}
