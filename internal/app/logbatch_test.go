package app

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer records each write apart, as a pipe would receive them.
type lockedBuffer struct {
	mu     sync.Mutex
	writes []string
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.writes = append(b.writes, string(p))
	return len(p), nil
}

func (b *lockedBuffer) all() (string, int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.Join(b.writes, ""), len(b.writes)
}

// TestBatchWriterKeepsEveryLineWholeAndInOrder writes many lines from many
// goroutines: every line arrives whole, in fewer writes than lines, each
// write within PIPE_BUF and ending at a line's end; a lone line arrives
// within the delay without another write to push it; Close writes the rest.
func TestBatchWriterKeepsEveryLineWholeAndInOrder(t *testing.T) {
	out := &lockedBuffer{}
	b := newBatchWriter(out)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 500 {
				line := strings.Repeat(string(rune('a'+g)), 20+i%90) + "\n"
				b.Write([]byte(line))
			}
		})
	}
	wg.Wait()
	b.Write([]byte("the last line\n"))
	// The last line is written by the timer alone.
	deadline := time.Now().Add(time.Minute)
	for {
		if s, _ := out.all(); strings.HasSuffix(s, "the last line\n") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("a held line was never written")
		}
		time.Sleep(10 * time.Millisecond)
	}
	b.Write([]byte("after the timer\n"))
	b.Close()
	s, n := out.all()
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	if len(lines) != 8*500+2 || n >= len(lines)/4 {
		t.Fatalf("%d lines in %d writes, want %d lines in far fewer writes", len(lines), n, 8*500+2)
	}
	next := map[byte]int{} // each writer's lines come in the order written
	for _, l := range lines[:len(lines)-2] {
		if l == "" || strings.Trim(l, l[:1]) != "" {
			t.Fatalf("a line was cut or mixed: %q", l)
		}
		if i := next[l[0]]; len(l) != 20+i%90 {
			t.Fatalf("writer %c: line %d out of order", l[0], i)
		}
		next[l[0]]++
	}
	out.mu.Lock()
	defer out.mu.Unlock()
	for _, w := range out.writes {
		if len(w) > batchBytes || !strings.HasSuffix(w, "\n") {
			t.Fatalf("a write of %d bytes not ending a line", len(w))
		}
	}
	if !bytes.HasSuffix([]byte(s), []byte("after the timer\n")) {
		t.Fatal("Close left a line unwritten")
	}
}
