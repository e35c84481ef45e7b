package jobs

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) { s.mu.Lock(); defer s.mu.Unlock(); return s.b.Write(p) }
func (s *syncBuf) String() string              { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func TestRunnerKeepsGoingAfterAFailure(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var logs syncBuf
	runs := make(chan int, 10)
	n := 0
	(&Runner{Log: slog.New(slog.NewTextHandler(&logs, nil)), Jobs: []Job{{Name: "flaky", Every: time.Millisecond, Run: func(context.Context) (int, error) {
		n++
		runs <- n
		if n == 1 {
			return 0, errors.New("database away")
		}
		return 3, nil
	}}}}).Start(ctx)
	for want := 1; want <= 3; want++ {
		select {
		case got := <-runs:
			if got != want {
				t.Fatalf("run %d, want %d", got, want)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("the job stopped running")
		}
	}
	cancel()
	if l := logs.String(); !strings.Contains(l, "job failed") || !strings.Contains(l, "database away") || !strings.Contains(l, "items=3") {
		t.Errorf("logs: %s", l)
	}
}
