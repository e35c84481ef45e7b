// Command bare is bench/run's floor for Go: a net/http server with nothing
// of tamizdat's, answering every request with one gzipped file (an article
// page as the site sent it), to show what the machine's Go HTTP stack
// costs beside nginx and beside the site's cached pages.
//
//	go run ./bench/bare -addr 127.0.0.1:PORT -file index.html.gz
package main

import (
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"strconv"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "where to listen")
	file := flag.String("file", "", "the gzipped body to send")
	flag.Parse()
	body, err := os.ReadFile(*file)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bare:", err)
		os.Exit(2)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bare:", err)
		os.Exit(2)
	}
	fmt.Printf("bare: serving on http://%s/\n", ln.Addr())
	length := strconv.Itoa(len(body))
	err = http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["Content-Type"] = []string{"text/html; charset=utf-8"}
		h["Content-Encoding"] = []string{"gzip"}
		h["Content-Length"] = []string{length}
		w.Write(body)
	}))
	fmt.Fprintln(os.Stderr, "bare:", err)
	os.Exit(1)
}
