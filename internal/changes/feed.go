// Package changes turns the store's change log into events for the caches
// of this process. It reads the log when woken (by PostgreSQL's NOTIFY) and
// at a steady interval (the only signal on SQLite, where another process
// such as `tamizdat settings set` may write), so that a change made through
// any node or command reaches every cache within a second, and a wake-up
// that was lost costs at most one interval.
package changes

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"tamizdat/internal/store"
)

// Log is the part of the store the feed reads.
type Log interface {
	ChangesAfter(ctx context.Context, after int64) ([]store.Change, error)
	LastChange(ctx context.Context) (int64, error)
}

// lookback is how far below the highest sequence number seen the feed reads
// again. On PostgreSQL sequence numbers are taken at insert and become
// visible at commit, so a slow transaction can show up below numbers already
// seen; reading a window again and skipping what was handled catches it.
const lookback = 1000

// Feed delivers changes to subscribers, each change once.
type Feed struct {
	log      Log
	logger   *slog.Logger
	interval time.Duration
	wake     chan struct{}
	subs     []func([]store.Change)
	mu       sync.Mutex // one Poll at a time: Run's and Sync's
	last     int64
	seen     map[int64]bool
}

// New returns a feed that reads log at least every interval.
func New(log Log, logger *slog.Logger, interval time.Duration) *Feed {
	return &Feed{log: log, logger: logger, interval: interval, wake: make(chan struct{}, 1), seen: map[int64]bool{}}
}

// Subscribe registers fn for every batch of new changes. Call it before Run.
func (f *Feed) Subscribe(fn func([]store.Change)) { f.subs = append(f.subs, fn) }

// Wake asks the feed to read the log now; it never blocks.
func (f *Feed) Wake() {
	select {
	case f.wake <- struct{}{}:
	default:
	}
}

// Start notes where the log stands, so that only later changes are
// delivered: caches start empty and need no history.
func (f *Feed) Start(ctx context.Context) error {
	last, err := f.log.LastChange(ctx)
	if err != nil {
		return err
	}
	// What is in the window Poll reads again is history too.
	list, err := f.log.ChangesAfter(ctx, max(last-lookback, 0))
	for _, ch := range list {
		f.seen[ch.Seq] = true
		last = max(last, ch.Seq)
	}
	f.last = last
	return err
}

// Run reads the log until ctx ends.
func (f *Feed) Run(ctx context.Context) {
	t := time.NewTicker(f.interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-f.wake:
		}
		if err := f.Poll(ctx); err != nil && ctx.Err() == nil {
			// The database is away; the next tick tries again and, once it
			// is back, catches up from where it stopped.
			f.logger.Warn("reading the change log", "error", err)
		}
	}
}

// Sync reads the log now and returns once every subscriber has had what
// is new: a node that has just written calls it before it answers, so that
// its own caches never serve what the write replaced — not to the editor
// who saves and looks, nor to anyone after them.
func (f *Feed) Sync(ctx context.Context) error { return f.Poll(ctx) }

// Poll reads the log once and delivers what is new.
func (f *Feed) Poll(ctx context.Context) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	list, err := f.log.ChangesAfter(ctx, max(f.last-lookback, 0))
	if err != nil {
		return err
	}
	var fresh []store.Change
	for _, ch := range list {
		if f.seen[ch.Seq] || ch.Seq <= f.last-lookback {
			continue
		}
		f.seen[ch.Seq] = true
		fresh = append(fresh, ch)
		f.last = max(f.last, ch.Seq)
	}
	for seq := range f.seen {
		if seq <= f.last-lookback {
			delete(f.seen, seq)
		}
	}
	if len(fresh) > 0 {
		for _, fn := range f.subs {
			fn(fresh)
		}
	}
	return nil
}
