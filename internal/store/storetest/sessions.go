package storetest

import (
	"sync"
	"testing"
	"time"

	"tamizdat/internal/news"
	"tamizdat/internal/store"
)

// testSessions: a session opens the desk until it expires by idleness or
// age, ends with its user's disabling, and is pruned afterwards; half-done
// sign-ins complete under a new hash only.
func testSessions(t *testing.T, db *store.DB, clock *Clock) {
	u := &news.User{Email: "s@example.org", Name: "S", Role: news.RoleEditor, Active: true, PasswordHash: "x"}
	if err := db.CreateUser(ctx(), u); err != nil {
		t.Fatal(err)
	}
	full, err := db.CreateSession(ctx(), u.ID, []byte("full-hash"), news.StageFull, "Firefox on Linux")
	if err != nil {
		t.Fatal(err)
	}
	if s, got, err := db.SessionByHash(ctx(), []byte("full-hash")); err != nil || got.ID != u.ID || s.ID != full.ID {
		t.Fatalf("SessionByHash: %v", err)
	}
	// Used every few hours, it lives past the idle limit, up to its age limit.
	for range 40 { // ten days
		clock.Set(clock.Now().Add(6 * time.Hour))
		if _, _, err := db.SessionByHash(ctx(), []byte("full-hash")); err != nil {
			break
		}
	}
	if lived := clock.Now().Sub(T0); lived > store.SessionLifetime+6*time.Hour || lived < store.SessionLifetime {
		t.Errorf("a session used every 6 hours lived %s, for a %s lifetime", clock.Now().Sub(T0), store.SessionLifetime)
	}
	_, _, err = db.SessionByHash(ctx(), []byte("full-hash"))
	wantCode(t, err, news.EUNAUTHORIZED, "an old session")

	// Left alone, it ends after the idle time.
	clock.Set(T0.Add(30 * 24 * time.Hour))
	if _, err := db.CreateSession(ctx(), u.ID, []byte("idle-hash"), news.StageFull, ""); err != nil {
		t.Fatal(err)
	}
	clock.Set(clock.Now().Add(store.SessionIdle + time.Minute))
	_, _, err = db.SessionByHash(ctx(), []byte("idle-hash"))
	wantCode(t, err, news.EUNAUTHORIZED, "an idle session")

	// The second step: the half-done session completes under a new hash.
	half, err := db.CreateSession(ctx(), u.ID, []byte("half-hash"), news.StagePassword, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.CompleteSession(ctx(), half.ID, []byte("done-hash"), "with a code"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.SessionByHash(ctx(), []byte("half-hash")); news.ErrorCode(err) != news.EUNAUTHORIZED {
		t.Error("the half-done token still opens a session")
	}
	if s, _, err := db.SessionByHash(ctx(), []byte("done-hash")); err != nil || s.Stage != news.StageFull {
		t.Errorf("the completed session: %v", err)
	}
	wantCode(t, db.CompleteSession(ctx(), half.ID, []byte("again"), ""), news.EUNAUTHORIZED, "completing twice")

	// Disabling the user ends it at once.
	if _, err := db.DisableUser(ctx(), u.Email); err != nil {
		t.Fatal(err)
	}
	if list, _ := db.Sessions(ctx(), u.ID); len(list) != 0 {
		t.Errorf("%d sessions after disabling", len(list))
	}
	// Pruning removes what expired.
	clock.Set(clock.Now().Add(48 * time.Hour))
	if _, err := db.PruneSessions(ctx()); err != nil {
		t.Fatal(err)
	}
}

// testThrottle: failures count per key and block for the delay the policy
// gives; a day's sealed address key is stored once and destroyed on time.
func testThrottle(t *testing.T, db *store.DB, clock *Clock) {
	key := []byte("account-key")
	delay := func(n int) time.Duration { return time.Duration(n) * time.Second }
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			if err := db.RecordSigninFailure(ctx(), key, delay); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	until, err := db.SigninBlockedUntil(ctx(), key, []byte("other"))
	if err != nil || !until.Equal(clock.Now().Add(4*time.Second)) {
		t.Errorf("four failures at once block until %v (%v), want now+4s: every failure must count", until, err)
	}
	clock.Set(clock.Now().Add(5 * time.Second))
	if until, _ := db.SigninBlockedUntil(ctx(), key); !until.IsZero() {
		t.Error("still blocked after the delay")
	}
	// A day later the count starts again.
	clock.Set(clock.Now().Add(store.FailureMemory + time.Minute))
	if err := db.RecordSigninFailure(ctx(), key, delay); err != nil {
		t.Fatal(err)
	}
	if until, _ := db.SigninBlockedUntil(ctx(), key); !until.Equal(clock.Now().Add(time.Second)) {
		t.Errorf("after a quiet day the count did not restart: blocked until %v", until)
	}
	if err := db.ClearSigninFailures(ctx(), key); err != nil {
		t.Fatal(err)
	}
	if until, _ := db.SigninBlockedUntil(ctx(), key); !until.IsZero() {
		t.Error("cleared failures still block")
	}

	// Day keys: the first stored wins, so every node uses the same.
	first, err := db.PutDayKey(ctx(), 20000, []byte("sealed-a"))
	if err != nil || string(first) != "sealed-a" {
		t.Fatalf("PutDayKey: %q %v", first, err)
	}
	if second, _ := db.PutDayKey(ctx(), 20000, []byte("sealed-b")); string(second) != "sealed-a" {
		t.Errorf("a second node's key replaced the first: %q", second)
	}
	if none, err := db.DayKey(ctx(), 19999); none != nil || err != nil {
		t.Errorf("a day without a key: %q %v", none, err)
	}
	db.PutDayKey(ctx(), 20001, []byte("sealed-c"))
	if n, err := db.DeleteDayKeys(ctx(), 20001); n != 1 || err != nil {
		t.Errorf("DeleteDayKeys: %d %v", n, err)
	}
	if gone, _ := db.DayKey(ctx(), 20000); gone != nil {
		t.Error("a destroyed key is still there")
	}
	if kept, _ := db.DayKey(ctx(), 20001); string(kept) != "sealed-c" {
		t.Error("a key within the period was destroyed")
	}
}
