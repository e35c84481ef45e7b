package auth

import (
	"runtime"

	"tamizdat/internal/news"
)

// Every argon2id computation takes argonMemory (64 MiB) and argonThreads
// lanes for tens of milliseconds, so a burst of sign-ins is a burst of
// memory: forty at once took about 3 GB. The gate lets only as many run at
// once as fill the cores, lets a few more queue for their turn (a wait of
// a few hashes at most), and turns the rest away at once, so memory stays
// bounded under any burst and readers keep some CPU.
var (
	// HashSlots is how many password hashes may be computed at once.
	HashSlots = max(1, runtime.NumCPU()/argonThreads)
	// hashQueue is how many more may wait for a slot; beyond that a
	// request is refused without waiting.
	hashQueue = 4 * HashSlots

	slots   = make(chan struct{}, HashSlots)
	waiters = make(chan struct{}, HashSlots+hashQueue)
)

// ErrBusy is the answer when every slot is taken and the queue is full: the
// server is busy checking other passwords. It maps to 429.
var ErrBusy = news.Errorf(news.ETOOMANY, "The server is busy checking other sign-ins. Wait a moment and try again.")

// withSlot runs fn when a slot is free, or returns ErrBusy.
func withSlot(fn func()) error {
	select {
	case waiters <- struct{}{}:
	default:
		return ErrBusy
	}
	defer func() { <-waiters }()
	slots <- struct{}{}
	defer func() { <-slots }()
	fn()
	return nil
}

// HashesRunning is how many password hashes are being computed now (for
// tests and metrics).
func HashesRunning() int { return len(slots) }
