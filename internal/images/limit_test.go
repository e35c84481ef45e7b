package images

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"tamizdat/internal/images/imagetest"
	"tamizdat/internal/news"
)

// Process calls made together never decode more images at once than there
// are slots; the others wait their turn and all succeed. Not parallel: it
// swaps the package's slots for a known number.
func TestProcessTogetherStaysWithinTheSlots(t *testing.T) {
	const bound, n = 2, 8
	saved, savedQueue := slots, queue
	slots, queue = make(chan struct{}, bound), make(chan struct{}, n)
	t.Cleanup(func() { slots, queue, slotHook = saved, savedQueue, nil })
	gate := make(chan struct{})
	var mu sync.Mutex
	peak := int64(0)
	slotHook = func() {
		mu.Lock()
		peak = max(peak, inSlot.Load())
		mu.Unlock()
		<-gate
	}
	data := imagetest.EncodeJPEG(t, Generate(1, 64, 48), 80)
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			_, err := Process(context.Background(), bytes.NewReader(data))
			errs <- err
		})
	}
	// Every call is either decoding (held at the gate) or waiting.
	deadline := time.Now().Add(time.Minute)
	for inSlot.Load() != bound || waiting.Load() != n-bound {
		if inSlot.Load() > bound || time.Now().After(deadline) {
			close(gate)
			t.Fatalf("%d calls decoding and %d waiting, want %d and %d", inSlot.Load(), waiting.Load(), bound, n-bound)
		}
		time.Sleep(time.Millisecond)
	}
	close(gate)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if peak > bound {
		t.Errorf("%d images were decoded at once with %d slots", peak, bound)
	}
	if inSlot.Load() != 0 {
		t.Errorf("%d slots still held after every call returned", inSlot.Load())
	}
}

// With every slot held, an image is refused once its context's deadline
// passes (ETOOMANY, saying to try again), or when the caller gives up;
// what the header alone refuses needs no slot. A freed slot takes images
// again.
func TestProcessWhenEverySlotIsHeld(t *testing.T) {
	held := holdEverySlot(t)
	data := imagetest.EncodeJPEG(t, Generate(2, 64, 48), 80)
	wait, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	_, err := Process(wait, bytes.NewReader(data))
	wantError(t, err, news.ETOOMANY, "the server is busy processing other images; try again in a few seconds; nothing was saved")
	gone, leave := context.WithCancel(context.Background())
	leave()
	if _, err := Process(gone, bytes.NewReader(data)); !errors.Is(err, context.Canceled) {
		t.Errorf("a caller that left: %v", err)
	}
	_, err = Process(wait, bytes.NewReader(imagetest.ClaimingPNG(t, 20000, 20000)))
	wantError(t, err, news.ETOOLARGE, "the limit is 16000 pixels per side")

	held[0]()
	held[0]() // a second release gives back nothing
	if _, err := Process(context.Background(), bytes.NewReader(data)); err != nil {
		t.Fatalf("with a slot free: %v", err)
	}
}

// With every slot held and the queue full, an image is refused at once,
// whatever its context allows: waiting uploads are held in memory.
func TestProcessRefusedAtOnceWhenTheQueueIsFull(t *testing.T) {
	holdEverySlot(t)
	for range cap(queue) {
		queue <- struct{}{}
	}
	defer func() {
		for range cap(queue) {
			<-queue
		}
	}()
	// No deadline: only the full queue can refuse it.
	_, err := Acquire(context.Background())
	if err != ErrBusy {
		t.Fatalf("with the slots held and the queue full: %v, want ErrBusy at once", err)
	}
}

// holdEverySlot takes every slot until the test ends and returns their
// releases.
func holdEverySlot(t *testing.T) []func() {
	t.Helper()
	var held []func()
	for range Slots() {
		release, err := Acquire(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, release)
	}
	t.Cleanup(func() {
		for _, release := range held {
			release()
		}
	})
	return held
}
