package images

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"

	"tamizdat/internal/news"
)

// slots bounds the images decoded and encoded at once in this process. A
// 143 KB PNG may claim 7000 × 7000 pixels, within MaxPixels: decoding and
// scaling it takes seconds of CPU and hundreds of megabytes, and a few at
// once would starve the readers. One image already spreads its scaling
// over every core (forStrips), so more images at once finish no sooner in
// all; they only add memory. Half the cores, and at least one, leaves the
// other half to the site while uploads queue.
var slots = make(chan struct{}, max(1, runtime.NumCPU()/2))

// queue bounds the images waiting for a slot: each holds its upload (up to
// MaxBytes) in memory while it waits, so beyond a few the answer is a
// refusal at once.
var queue = make(chan struct{}, 4*cap(slots))

// For the package's tests: how many hold a slot, how many wait for one,
// and a hook run inside a slot.
var (
	inSlot, waiting atomic.Int64
	slotHook        func()
)

// Slots is how many images are processed at once.
func Slots() int { return cap(slots) }

// ErrBusy is the refusal of an image that waited for a slot as long as its
// context allowed.
var ErrBusy = news.Errorf(news.ETOOMANY, "the server is busy processing other images; try again in a few seconds; nothing was saved")

// Acquire takes one of the slots, waiting for as long as ctx lives: until
// its deadline (ErrBusy) or its cancellation (ctx's error). Process takes
// one for every image; a caller may hold them all (a test, a maintenance
// task) to keep uploads out. release gives the slot back and may be
// called more than once.
func Acquire(ctx context.Context) (release func(), err error) {
	waiting.Add(1)
	defer waiting.Add(-1)
	select {
	case slots <- struct{}{}:
	default:
		select {
		case queue <- struct{}{}:
			defer func() { <-queue }()
		default:
			return nil, ErrBusy
		}
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				return nil, ErrBusy
			}
			return nil, ctx.Err()
		}
	}
	inSlot.Add(1)
	var once sync.Once
	return func() {
		once.Do(func() {
			inSlot.Add(-1)
			<-slots
		})
	}, nil
}
