package auth

import (
	"fmt"
	"math"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestGateBoundsConcurrentHashes: of a burst of 40, no more than HashSlots
// run at once, hashQueue more wait their turn, and the rest are refused at
// once with ErrBusy.
func TestGateBoundsConcurrentHashes(t *testing.T) {
	const burst = 40
	if burst <= HashSlots+hashQueue {
		t.Skipf("a burst of %d fits %d slots and %d queued on this machine", burst, HashSlots, hashQueue)
	}
	var running, peak, done, busy atomic.Int64
	release := make(chan struct{})
	var wg sync.WaitGroup
	for range burst {
		wg.Go(func() {
			err := withSlot(func() {
				n := running.Add(1)
				for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
				}
				<-release
				running.Add(-1)
				done.Add(1)
			})
			if err == ErrBusy {
				busy.Add(1)
			} else if err != nil {
				t.Error(err)
			}
		})
	}
	wantBusy := int64(burst - HashSlots - hashQueue)
	for deadline := time.Now().Add(time.Minute); busy.Load() < wantBusy || running.Load() < int64(HashSlots); {
		if time.Now().After(deadline) {
			t.Fatalf("after a minute: %d refused (want %d), %d running (want %d)", busy.Load(), wantBusy, running.Load(), HashSlots)
		}
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()
	if peak.Load() > int64(HashSlots) {
		t.Errorf("%d hashes ran at once, the gate allows %d", peak.Load(), HashSlots)
	}
	if busy.Load() != wantBusy || done.Load() != int64(HashSlots+hashQueue) {
		t.Errorf("%d refused and %d done, want %d and %d", busy.Load(), done.Load(), wantBusy, HashSlots+hashQueue)
	}
	if HashesRunning() != 0 {
		t.Errorf("%d slots still taken after the burst", HashesRunning())
	}
}

// TestSecondFactorOdds: the throttle lets about one guess a day through
// once it is at its longest wait, and the odds of a year's guessing stay
// far below one in a hundred.
func TestSecondFactorOdds(t *testing.T) {
	year := 365 * 24 * time.Hour
	n := SecondFactorGuesses(year)
	if n < 365 || n > 400 {
		t.Errorf("%d guesses a year; the throttle should allow about one a day", n)
	}
	if day := SecondFactorGuesses(24 * time.Hour); day > 16 {
		t.Errorf("%d guesses in the first day", day)
	}
	if p := SecondFactorOdds(year); p > 0.002 || p <= 0 {
		t.Errorf("odds of a year's guessing: %g", p)
	}
}

// TestReadmeStatesTheOdds: the figures the README gives operators are the
// ones the throttle's limits give.
func TestReadmeStatesTheOdds(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := strings.Join(strings.Fields(string(b)), " ")
	year := 365 * 24 * time.Hour
	for _, want := range []string{
		fmt.Sprintf("at most %d guesses", SecondFactorGuesses(year)),
		fmt.Sprintf("with %d codes live", TOTPWindow),
		fmt.Sprintf("odds of about %.2f%%", 100*SecondFactorOdds(year)),
		fmt.Sprintf("(1 in %d)", int(math.Round(1/SecondFactorOdds(year)/10)*10)),
	} {
		if !strings.Contains(readme, want) {
			t.Errorf("README.md does not say %q", want)
		}
	}
}
