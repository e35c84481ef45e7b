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

// testThrottle: attempts are counted before they are checked, one by one
// however many arrive at once, against all their keys or none; a returned
// attempt stops counting; failures are forgotten one per quiet period; a
// few wrong codes end a half-signed-in session; a day's sealed address key
// is stored once and destroyed on time.
func testThrottle(t *testing.T, db *store.DB, clock *Clock) {
	th := news.Throttle{Free: 3, First: time.Second, Max: time.Minute, Forget: time.Hour}
	account := news.ThrottleKey{Key: []byte("account-key"), Throttle: th}
	address := news.ThrottleKey{Key: []byte("address-key"), Throttle: news.Throttle{Free: 100, First: time.Second, Max: time.Hour, Forget: time.Hour}}

	// Ten attempts at once: only the free three are let through, and each
	// of those is counted before the next one is let through.
	var wg sync.WaitGroup
	var mu sync.Mutex
	taken, refused := 0, 0
	for range 10 {
		wg.Go(func() {
			a, until, err := db.TakeAttempt(ctx(), account, address)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err != nil:
				t.Error(err)
			case until.IsZero() && a != nil:
				taken++
			default:
				refused++
				if !until.Equal(clock.Now().Add(time.Second)) {
					t.Errorf("refused until %v, want now+1s", until)
				}
			}
		})
	}
	wg.Wait()
	if taken != 3 || refused != 7 {
		t.Fatalf("10 parallel attempts with 3 free: %d let through, %d refused; want 3 and 7", taken, refused)
	}
	// A refused attempt counted nothing, on either key: the address took
	// exactly the three that got through.
	if n := failuresOf(t, db, address); n != 3 {
		t.Errorf("the address counted %d attempts, want the 3 let through", n)
	}

	// After the wait, the fourth counts and waits twice as long.
	clock.Set(clock.Now().Add(2 * time.Second))
	fourth, until, err := db.TakeAttempt(ctx(), account)
	if err != nil || !until.IsZero() {
		t.Fatalf("after the wait: %v %v", until, err)
	}
	if until := waitOf(t, db, account); !until.Equal(clock.Now().Add(2 * time.Second)) {
		t.Errorf("after 4 failures blocked until %v, want now+2s", until)
	}
	// Given back (it succeeded), it no longer counts, and the wait is what
	// it was before it: over.
	if err := db.ReturnAttempt(ctx(), fourth); err != nil {
		t.Fatal(err)
	}
	if n := failuresOf(t, db, account); n != 3 {
		t.Errorf("after giving one back: %d failures, want 3", n)
	}
	if until := waitOf(t, db, account); !until.IsZero() {
		t.Errorf("a returned attempt left a wait until %v: a success must not lock its owner out", until)
	}
	// A success that finds others' failures since its own keeps their wait.
	mine, _, _ := db.TakeAttempt(ctx(), account) // the 4th again: waits 2 s
	clock.Set(clock.Now().Add(3 * time.Second))
	if _, until, _ := db.TakeAttempt(ctx(), account); !until.IsZero() { // another's 5th: waits 4 s
		t.Fatal("the 5th attempt was refused")
	}
	if err := db.ReturnAttempt(ctx(), mine); err != nil {
		t.Fatal(err)
	}
	if until := waitOf(t, db, account); !until.Equal(clock.Now().Add(4 * time.Second)) {
		t.Errorf("giving back an earlier attempt changed a later one's wait: until %v", until)
	}
	clock.Set(clock.Now().Add(5 * time.Second))

	// All or nothing: a key still waiting refuses the attempt on the other
	// key too.
	other := news.ThrottleKey{Key: []byte("other-key"), Throttle: th}
	if _, _, err := db.TakeAttempt(ctx(), account); err != nil { // the 5th: waits 4 s
		t.Fatal(err)
	}
	if a, until, err := db.TakeAttempt(ctx(), other, account); err != nil || until.IsZero() || a != nil {
		t.Fatalf("an attempt on a waiting key got through: %v", err)
	}
	if n := failuresOf(t, db, other); n != 0 {
		t.Errorf("a refused attempt counted %d on its other key", n)
	}

	// Two quiet hours forget two failures, not all: the next attempt is
	// the fourth, which waits 2 s.
	clock.Set(clock.Now().Add(2 * time.Hour))
	if _, until, err := db.TakeAttempt(ctx(), account); err != nil || !until.IsZero() {
		t.Fatal(until, err)
	}
	if n := failuresOf(t, db, account); n != 4 {
		t.Errorf("after two quiet hours: %d failures, want 5-2+1 = 4", n)
	}
	if err := db.ClearSigninFailures(ctx(), account.Key); err != nil {
		t.Fatal(err)
	}
	if until := waitOf(t, db, account); !until.IsZero() || failuresOf(t, db, account) != 0 {
		t.Error("cleared failures still count")
	}
	// A counter is pruned once it has forgotten everything.
	if _, _, err := db.TakeAttempt(ctx(), account); err != nil {
		t.Fatal(err)
	}
	clock.Set(clock.Now().Add(30 * time.Minute))
	db.PruneSessions(ctx())
	if failuresOf(t, db, account) != 1 {
		t.Error("a counter that still remembers a failure was pruned")
	}
	clock.Set(clock.Now().Add(time.Hour))
	db.PruneSessions(ctx())
	if n := failuresOf(t, db, account); n != 0 {
		t.Error("a counter that forgot everything was kept")
	}

	// Wrong codes in a half-signed-in session: the third ends it.
	u := &news.User{Email: "codes@example.org", Name: "C", Role: news.RoleEditor, Active: true, PasswordHash: "x"}
	if err := db.CreateUser(ctx(), u); err != nil {
		t.Fatal(err)
	}
	half, err := db.CreateSession(ctx(), u.ID, []byte("half-way"), news.StagePassword, "")
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 3; i++ {
		ended, err := db.FailSecondStep(ctx(), half.ID, 3)
		if err != nil || ended != (i == 3) {
			t.Fatalf("wrong code %d: ended %v, %v", i, ended, err)
		}
	}
	if _, _, err := db.SessionByHash(ctx(), []byte("half-way")); news.ErrorCode(err) != news.EUNAUTHORIZED {
		t.Error("the session lives on after three wrong codes")
	}
	if ended, err := db.FailSecondStep(ctx(), half.ID, 3); err != nil || !ended {
		t.Errorf("a wrong code in an ended session: %v %v", ended, err)
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

func failuresOf(t *testing.T, db *store.DB, k news.ThrottleKey) int {
	t.Helper()
	n, err := db.Failures(ctx(), k.Key)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// waitOf is when a key's wait ends (zero: it does not wait), learnt the
// way the desk does: an attempt refused while it waits counts nothing.
func waitOf(t *testing.T, db *store.DB, k news.ThrottleKey) time.Time {
	t.Helper()
	probe := news.ThrottleKey{Key: k.Key, Throttle: news.Throttle{Free: 1 << 30}}
	a, until, err := db.TakeAttempt(ctx(), probe)
	if err != nil {
		t.Fatal(err)
	}
	if a != nil {
		// It did not wait, and so was counted: take it back.
		if err := db.ReturnAttempt(ctx(), a); err != nil {
			t.Fatal(err)
		}
	}
	return until
}
