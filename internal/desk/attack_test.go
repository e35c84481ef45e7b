package desk_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"tamizdat/internal/auth"
	"tamizdat/internal/desk"
	"tamizdat/internal/editorial"
	"tamizdat/internal/keyring"
	"tamizdat/internal/news"
	"tamizdat/internal/store"
)

// wrongCode is a six-digit code that the secret does not produce around
// now.
func wrongCode(t *testing.T, secret string, now time.Time) string {
	t.Helper()
	for i := 0; ; i++ {
		c := strconv.Itoa(100000 + i)
		if _, ok := auth.CheckTOTP(secret, c, now); !ok {
			return c
		}
	}
}

// With the password stolen, a fresh address and a fresh session for every
// guess buy nothing: the second factor counts against the account on a
// counter of its own that a right password never clears; once it waits,
// the code page answers 429 with Retry-After (even to the right code),
// and a right code afterwards leaves the count standing.
func TestSecondFactorGuessingIsThrottled(t *testing.T) {
	onEngines(t, func(t *testing.T, e *env) {
		ed := e.users[news.RoleEditor]
		round := 0
		// One round of the attack: the password from a fresh IPv6 /64,
		// then a code.
		attempt := func(code string) reply {
			t.Helper()
			round++
			b := e.browser()
			b.headers["X-Forwarded-For"] = "2001:db8:" + strconv.FormatInt(int64(round), 16) + "::1"
			r := b.post("/desk/signin", url.Values{"email": {ed.user.Email}, "password": {ed.password}, "next": {"/desk/"}})
			if r.status != http.StatusSeeOther || !strings.HasPrefix(r.location, "/desk/signin/code") {
				t.Fatalf("round %d: the right password answered %d %q: %s", round, r.status, r.location, errorText(r.body))
			}
			return b.post("/desk/signin/code", url.Values{"code": {code}, "next": {"/desk/"}})
		}
		free := auth.SecondFactorThrottle.Free
		for i := 0; i < free; i++ {
			if r := attempt(wrongCode(t, ed.secret, e.clock.Now())); r.status != http.StatusUnauthorized {
				t.Fatalf("wrong code %d answered %d", i+1, r.status)
			}
		}
		r := attempt(wrongCode(t, ed.secret, e.clock.Now()))
		wait, _ := strconv.Atoi(r.header.Get("Retry-After"))
		if r.status != http.StatusTooManyRequests || wait < 55 || wait > 61 {
			t.Fatalf("after %d wrong codes, each after a right password from a new address: %d Retry-After %q, want 429 and about a minute",
				free, r.status, r.header.Get("Retry-After"))
		}
		if !strings.Contains(r.body, `action="/desk/signin/code"`) || !strings.Contains(r.body, "someone has your password") {
			t.Errorf("the throttled code step is not the code page with a warning: %s", errorText(r.body))
		}
		right, _ := auth.TOTPCode(ed.secret, e.clock.Now())
		if r := attempt(right); r.status != http.StatusTooManyRequests {
			t.Errorf("the right code while the account waits: %d, want 429", r.status)
		}
		// Past the wait the next wrong code counts and the wait doubles.
		e.clock.Set(e.clock.Now().Add(61 * time.Second))
		if r := attempt(wrongCode(t, ed.secret, e.clock.Now())); r.status != http.StatusUnauthorized {
			t.Fatalf("a wrong code past the wait: %d", r.status)
		}
		r = attempt(wrongCode(t, ed.secret, e.clock.Now()))
		if wait, _ := strconv.Atoi(r.header.Get("Retry-After")); r.status != http.StatusTooManyRequests || wait < 115 || wait > 121 {
			t.Errorf("after %d wrong codes: %d Retry-After %d, want 429 and about two minutes", free+1, r.status, wait)
		}
		// The owner, past the wait, signs in; the failures still count.
		e.clock.Set(e.clock.Now().Add(3 * time.Minute))
		right, _ = auth.TOTPCode(ed.secret, e.clock.Now())
		if r := attempt(right); r.status != http.StatusSeeOther || r.location != "/desk/" {
			t.Fatalf("the right code past the wait: %d %s", r.status, errorText(r.body))
		}
		if n, _ := e.db.Failures(ctx(), auth.SecondFactorKey(ed.user.ID).Key); n != free+1 {
			t.Errorf("after the owner's sign-in the second factor counts %d failures, want %d: a sign-in must not wipe an attack", n, free+1)
		}
		// ...and the owner's success added no wait of its own: signing in
		// again on another device a moment later works.
		e.clock.Set(e.clock.Now().Add(31 * time.Second))
		right, _ = auth.TOTPCode(ed.secret, e.clock.Now())
		if r := attempt(right); r.status != http.StatusSeeOther {
			t.Errorf("a second right sign-in just after the first: %d %s, want it let in", r.status, errorText(r.body))
		}
	})
}

// Three wrong codes end the half-signed-in session: the next guess needs
// the password again.
func TestWrongCodesEndTheHalfSession(t *testing.T) {
	onEngines(t, func(t *testing.T, e *env) {
		ed := e.users[news.RoleEditor]
		b := e.browser()
		if r := b.post("/desk/signin", url.Values{"email": {ed.user.Email}, "password": {ed.password}}); r.status != http.StatusSeeOther {
			t.Fatalf("password: %d", r.status)
		}
		var r reply
		for i := 1; i <= auth.CodesPerSession; i++ {
			r = b.post("/desk/signin/code", url.Values{"code": {wrongCode(t, ed.secret, e.clock.Now())}})
			if i < auth.CodesPerSession && (r.status != http.StatusUnauthorized || !strings.Contains(r.body, `action="/desk/signin/code"`)) {
				t.Fatalf("wrong code %d: %d", i, r.status)
			}
		}
		if r.status != http.StatusUnauthorized || !strings.Contains(r.body, `action="/desk/signin"`) || !strings.Contains(r.body, "sign in with your password again") {
			t.Errorf("the last wrong code: %d, want the sign-in page: %s", r.status, errorText(r.body))
		}
		if !strings.Contains(r.header.Get("Set-Cookie"), "Max-Age=0") {
			t.Error("the ended session's cookie was not cleared")
		}
		b.e.clock.Set(e.clock.Now().Add(2 * time.Minute))
		code, _ := auth.TOTPCode(ed.secret, e.clock.Now())
		old := e.browser()
		old.cookie = b.cookie
		if r := old.post("/desk/signin/code", url.Values{"code": {code}}); r.status != http.StatusUnauthorized {
			t.Errorf("the ended session took a right code: %d", r.status)
		}
	})
}

// Ten wrong passwords for one account at once: each is counted before it
// is checked, so only the free five are checked and the others are
// refused at once.
func TestParallelSignInsAreCountedOneByOne(t *testing.T) {
	onEngines(t, func(t *testing.T, e *env) {
		au := e.users[news.RoleAuthor]
		const n = 10
		statuses := make([]int, n)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				b := e.browser()
				b.headers["X-Forwarded-For"] = "198.51.100." + strconv.Itoa(i+1)
				<-start
				statuses[i] = b.post("/desk/signin", url.Values{"email": {au.user.Email}, "password": {"wrong " + strconv.Itoa(i)}}).status
			})
		}
		close(start)
		wg.Wait()
		counts := map[int]int{}
		for _, s := range statuses {
			counts[s]++
		}
		free := auth.PasswordThrottle.Free
		if counts[http.StatusUnauthorized] != free || counts[http.StatusTooManyRequests] != n-free {
			t.Errorf("10 parallel wrong passwords: %v, want %d checked (401) and %d refused (429)", counts, free, n-free)
		}
		events, err := e.db.AuditLog(ctx(), store.AuditQuery{Action: store.AuditSignInFail})
		if err != nil || len(events) != free {
			t.Errorf("%d failed sign-ins in the audit log (%v), want %d", len(events), err, free)
		}
	})
}

// A wrong password whose request is cut off while the password is being
// checked still counts: the attempt is recorded before the check.
func TestCutOffSignInStillCounts(t *testing.T) {
	onEngines(t, func(t *testing.T, e *env) {
		au := e.users[news.RoleAuthor]
		reqCtx, cancel := context.WithCancel(ctx())
		defer cancel()
		done := make(chan struct{})
		go func() {
			defer close(done)
			form := url.Values{"email": {au.user.Email}, "password": {"a wrong password"}}
			req, _ := http.NewRequestWithContext(reqCtx, http.MethodPost, e.srv.URL+"/desk/signin", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Origin", e.srv.URL)
			if res, err := http.DefaultClient.Do(req); err == nil {
				res.Body.Close()
			}
		}()
		// Cut the request off while the hash is being computed.
		for deadline := time.Now().Add(time.Minute); auth.HashesRunning() == 0 && time.Now().Before(deadline); {
			select {
			case <-done:
				deadline = time.Time{}
			default:
				time.Sleep(time.Millisecond)
			}
		}
		cancel()
		<-done
		for deadline := time.Now().Add(time.Minute); auth.HashesRunning() > 0 && time.Now().Before(deadline); {
			time.Sleep(time.Millisecond)
		}
		if n, err := e.db.Failures(ctx(), auth.AccountKey(au.user.Email).Key); err != nil || n != 1 {
			t.Errorf("a sign-in cut off during its check counted %d failures (%v), want 1", n, err)
		}
	})
}

// The authenticator secret is stored sealed under the node secret. Where
// it cannot be opened (a restore onto a node with another secret) the
// code step says so and names the fix; after user reset-2fa the user
// enrols again.
func TestSecondFactorSealedUnderTheNodeSecret(t *testing.T) {
	onEngines(t, func(t *testing.T, e *env) {
		ed := e.users[news.RoleEditor]
		u, err := e.db.UserByEmail(ctx(), ed.user.Email)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(u.TOTPSecret, ed.secret) || !keyring.IsSealedTOTP(u.TOTPSecret) {
			t.Fatalf("stored secret %q is not sealed", u.TOTPSecret)
		}
		// The same database served by a node with another secret.
		other, err := keyring.New(e.db, []byte("another node secret, also thirty-two bytes long"), e.db.Now, 0)
		if err != nil {
			t.Fatal(err)
		}
		dk, err := desk.New(e.db, &editorial.Service{Store: e.db, Now: e.db.Now}, other, e.log)
		if err != nil {
			t.Fatal(err)
		}
		e2 := e.withDesk(dk)
		b := e2.browser()
		if r := b.post("/desk/signin", url.Values{"email": {ed.user.Email}, "password": {ed.password}}); r.status != http.StatusSeeOther {
			t.Fatalf("password: %d", r.status)
		}
		code, _ := auth.TOTPCode(ed.secret, e.clock.Now())
		r := b.post("/desk/signin/code", url.Values{"code": {code}})
		if r.status != http.StatusConflict || !strings.Contains(r.body, "user reset-2fa --email "+ed.user.Email) {
			t.Errorf("a secret sealed elsewhere: %d %s", r.status, errorText(r.body))
		}
		if n, _ := e.db.Failures(ctx(), auth.SecondFactorKey(ed.user.ID).Key); n != 0 {
			t.Errorf("a code that could not be checked counted as a failure (%d)", n)
		}
		if err := e.db.ResetTOTP(ctx(), ed.user.Email); err != nil {
			t.Fatal(err)
		}
		if r := e2.browser().post("/desk/signin", url.Values{"email": {ed.user.Email}, "password": {ed.password}}); !strings.HasPrefix(r.location, "/desk/signin/enroll") {
			t.Errorf("after reset-2fa the editor went to %q, want the enrolment", r.location)
		}
	})
}

// A stolen session is no way to guess the password: the current password
// asked by the password and second-factor forms is throttled like a
// sign-in, per account.
func TestCurrentPasswordIsThrottled(t *testing.T) {
	onEngines(t, func(t *testing.T, e *env) {
		au := e.users[news.RoleAuthor]
		b := e.withSession(au)
		free := auth.PasswordThrottle.Free
		for i := 0; i < free; i++ {
			r := b.post("/desk/account/password", url.Values{"current": {"guess " + strconv.Itoa(i)}, "new": {"x"}, "repeat": {"x"}})
			if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "current password is wrong") {
				t.Fatalf("guess %d: %d %s", i+1, r.status, errorText(r.body))
			}
		}
		r := b.post("/desk/account/2fa", url.Values{"password": {"one more guess"}, "secret": {"JBSWY3DPEHPK3PXP"}, "code": {"123456"}})
		if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") == "" {
			t.Errorf("guess %d, through the second-factor form: %d, want 429 with Retry-After", free+1, r.status)
		}
	})
}
