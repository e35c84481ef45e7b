package app

import (
	"io"
	"sync"
	"time"
)

// batchWriter hands what is written to w a few kilobytes at a time, at the
// latest batchDelay after the first byte: the request log of a busy node
// is one line per request, and one write(2) per line was a tenth of the
// CPU of a page served from memory. Each batch ends at a line's end and
// fits in PIPE_BUF, so a pipe gets it in one piece, never mixed with the
// lines of another writer. A node killed outright loses at most the last
// batchDelay of request lines; Close writes what is held.
type batchWriter struct {
	mu      sync.Mutex
	w       io.Writer
	buf     []byte
	pending bool // a flush is due
	timer   *time.Timer
	closed  bool
}

const (
	batchBytes = 4096 // PIPE_BUF on Linux
	batchDelay = 100 * time.Millisecond
)

func newBatchWriter(w io.Writer) *batchWriter {
	b := &batchWriter{w: w, buf: make([]byte, 0, batchBytes)}
	b.timer = time.AfterFunc(time.Hour, b.Flush)
	b.timer.Stop()
	return b
}

// Write takes one whole line (a slog handler writes each record in one
// call).
func (b *batchWriter) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed || len(p) > batchBytes {
		b.flushLocked()
		return b.w.Write(p)
	}
	if len(b.buf)+len(p) > batchBytes {
		b.flushLocked()
	}
	b.buf = append(b.buf, p...)
	if !b.pending {
		b.pending = true
		b.timer.Reset(batchDelay)
	}
	return len(p), nil
}

// Flush writes what is held now.
func (b *batchWriter) Flush() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.flushLocked()
}

// Close writes what is held; later writes go straight through.
func (b *batchWriter) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	b.timer.Stop()
	b.flushLocked()
	return nil
}

func (b *batchWriter) flushLocked() {
	if len(b.buf) > 0 {
		b.w.Write(b.buf) // a log that cannot be written has no one to tell
		b.buf = b.buf[:0]
	}
	b.pending = false
}
