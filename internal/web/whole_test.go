package web

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

// countingListener counts the writes that reach the kernel.
type countingListener struct {
	net.Listener
	writes *atomic.Int64
}

func (l countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	return countingConn{c, l.writes}, err
}

type countingConn struct {
	net.Conn
	writes *atomic.Int64
}

func (c countingConn) Write(p []byte) (int, error) {
	c.writes.Add(1)
	return c.Conn.Write(p)
}

func TestWholeSendsAResponseInOneWrite(t *testing.T) {
	body := strings.Repeat("Ж", 10_000) // 20 KB, five times the server's buffer
	var writes atomic.Int64
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{ConnContext: ConnContext, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "20000")
		send := func() { io.WriteString(w, body) }
		if r.URL.Path == "/whole" {
			Whole(w, r, send)
		} else {
			send()
		}
	})}
	go srv.Serve(WholeListener{countingListener{ln, &writes}})
	defer srv.Close()

	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	rd := bufio.NewReader(conn)
	get := func(path string) int64 {
		before := writes.Load()
		io.WriteString(conn, "GET "+path+" HTTP/1.1\r\nHost: x\r\n\r\n")
		res, err := http.ReadResponse(rd, nil)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(res.Body)
		if string(got) != body {
			t.Fatalf("%s: body of %d bytes, want the %d sent", path, len(got), len(body))
		}
		return writes.Load() - before
	}
	if n := get("/whole"); n != 1 {
		t.Errorf("a response sent through Whole took %d writes, want 1", n)
	}
	if n := get("/plain"); n < 2 {
		t.Errorf("a plain response took %d writes; the test cannot tell the difference", n)
	}
	if n := get("/whole"); n != 1 {
		t.Errorf("the second response on a kept-alive connection took %d writes, want 1", n)
	}
}
