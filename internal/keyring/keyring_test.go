package keyring_test

import (
	"bytes"
	"context"
	"errors"
	"net/netip"
	"path/filepath"
	"testing"
	"time"

	"tamizdat/internal/keyring"
	"tamizdat/internal/store"
	"tamizdat/internal/store/sqlite"
	"tamizdat/internal/store/storetest"
)

var secret = []byte("a node secret of at least thirty-two bytes, for tests")

func open(t *testing.T) (*store.DB, *storetest.Clock) {
	clock := storetest.NewClock(storetest.T0)
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "k.db"), clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db, clock
}

var addr = netip.MustParseAddr("198.51.100.23")

// The stored key is sealed: the database alone holds neither the key nor
// anything that opens it; a node with another secret cannot open it.
func TestKeysAreSealed(t *testing.T) {
	ctx := context.Background()
	db, clock := open(t)
	kr, err := keyring.New(db, secret, clock.Now, 0)
	if err != nil {
		t.Fatal(err)
	}
	key, err := kr.Today(ctx)
	if err != nil || len(key) != 32 {
		t.Fatalf("Today: %v", err)
	}
	sealed, _ := db.DayKey(ctx, keyring.Day(clock.Now()))
	if sealed == nil || bytes.Contains(sealed, key) {
		t.Fatal("the database holds the key in the clear")
	}
	// Another node with the same secret shares the key; one with another
	// secret is refused.
	same, _ := keyring.New(db, secret, clock.Now, 0)
	if k2, _ := same.Today(ctx); !bytes.Equal(k2, key) {
		t.Error("two nodes with one secret use different keys")
	}
	other, _ := keyring.New(db, []byte("another secret of at least thirty-two bytes long"), clock.Now, 0)
	if _, err := other.Today(ctx); !errors.Is(err, keyring.ErrWrongSecret) {
		t.Errorf("another secret opened the key: %v", err)
	}
	if _, err := keyring.New(db, []byte("short"), clock.Now, 0); err == nil {
		t.Error("a short secret was accepted")
	}
}

// A fingerprint depends on the purpose and the day; earlier days' hashes are
// found within the retention period and never after it.
func TestFingerprintsAcrossDays(t *testing.T) {
	ctx := context.Background()
	db, clock := open(t)
	kr, _ := keyring.New(db, secret, clock.Now, 3)
	first, _ := kr.Fingerprint(ctx, "comment", addr)
	if other, _ := kr.Fingerprint(ctx, "signin", addr); bytes.Equal(first, other) {
		t.Error("two purposes hash an address alike")
	}
	if again, _ := kr.Fingerprint(ctx, "comment", addr); !bytes.Equal(first, again) {
		t.Error("one address hashed twice differs")
	}
	if bytes.Contains(first, addr.AsSlice()) {
		t.Error("the fingerprint contains the address")
	}
	// Same /64, same fingerprint; another /64, another.
	a6, b6, c6 := netip.MustParseAddr("2001:db8:1:2::1"), netip.MustParseAddr("2001:db8:1:2:ffff::9"), netip.MustParseAddr("2001:db8:1:3::1")
	f6a, _ := kr.Fingerprint(ctx, "comment", a6)
	f6b, _ := kr.Fingerprint(ctx, "comment", b6)
	f6c, _ := kr.Fingerprint(ctx, "comment", c6)
	if !bytes.Equal(f6a, f6b) || bytes.Equal(f6a, f6c) {
		t.Error("IPv6 addresses are not counted per /64")
	}
	for day := 1; day <= 4; day++ {
		clock.Set(clock.Now().Add(24 * time.Hour))
		if _, err := kr.Prune(ctx); err != nil {
			t.Fatal(err)
		}
		today, _ := kr.Fingerprint(ctx, "comment", addr)
		if bytes.Equal(today, first) {
			t.Fatal("the key did not change with the day")
		}
		all, err := kr.Fingerprints(ctx, "comment", addr)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, f := range all {
			found = found || bytes.Equal(f, first)
		}
		if want := day < 3; found != want {
			t.Errorf("day %d: the first day's hash found: %v, want %v", day, found, want)
		}
	}
	if sealed, _ := db.DayKey(ctx, keyring.Day(storetest.T0)); sealed != nil {
		t.Error("a key past the retention period is still stored")
	}
}

// Shortening the retention destroys the older keys at the next prune.
func TestShorterRetention(t *testing.T) {
	ctx := context.Background()
	db, clock := open(t)
	kr, _ := keyring.New(db, secret, clock.Now, 7)
	first, _ := kr.Fingerprint(ctx, "comment", addr)
	clock.Set(clock.Now().Add(3 * 24 * time.Hour))
	kr.Fingerprint(ctx, "comment", addr)
	kr.SetRetention(2)
	if _, err := kr.Prune(ctx); err != nil {
		t.Fatal(err)
	}
	all, _ := kr.Fingerprints(ctx, "comment", addr)
	for _, f := range all {
		if bytes.Equal(f, first) {
			t.Error("a key older than the new retention still links")
		}
	}
	if sealed, _ := db.DayKey(ctx, keyring.Day(storetest.T0)); sealed != nil {
		t.Error("the old key is still stored")
	}
}
