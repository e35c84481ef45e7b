package desk_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"tamizdat/internal/auth"
	"tamizdat/internal/desk"
	"tamizdat/internal/keyring"
	"tamizdat/internal/news"
	"tamizdat/internal/store"
	"tamizdat/internal/store/storetest"
)

// The whole sign-in: password, the code of an authenticator app, a cookie
// that is __Host-, Secure, HttpOnly, SameSite=Lax and stored only hashed; a
// code is good once; a recovery code signs in once.
func TestSignInWithSecondFactor(t *testing.T) {
	onEngines(t, func(t *testing.T, e *env) {
		ed := e.users[news.RoleEditor]
		b := e.browser()
		r := b.post("/desk/signin", url.Values{"email": {ed.user.Email}, "password": {ed.password}, "next": {"/desk/articles/"}})
		if r.status != http.StatusSeeOther || !strings.HasPrefix(r.location, "/desk/signin/code") {
			t.Fatalf("password step: %d %q", r.status, r.location)
		}
		setCookie := r.header.Get("Set-Cookie")
		for _, want := range []string{desk.SessionCookie + "=", "Path=/", "HttpOnly", "Secure", "SameSite=Lax"} {
			if !strings.Contains(setCookie, want) {
				t.Errorf("Set-Cookie %q lacks %s", setCookie, want)
			}
		}
		if strings.Contains(setCookie, "Domain=") {
			t.Errorf("a __Host- cookie must not name a domain: %q", setCookie)
		}
		token, err := url.QueryUnescape(b.cookie)
		if err != nil || len(token) < 22 {
			t.Fatalf("session token %q is too short for 128 bits", b.cookie)
		}
		// Half-way, the desk stays shut.
		if r := b.get("/desk/articles/"); r.status != http.StatusSeeOther || r.location != "/desk/signin/code" {
			t.Errorf("before the second factor the desk answered %d %q", r.status, r.location)
		}
		first := b.cookie
		e.clock.Set(e.clock.Now().Add(time.Minute))
		code, _ := auth.TOTPCode(ed.secret, e.clock.Now())
		if r := b.post("/desk/signin/code", url.Values{"code": {"000000"}, "next": {"/desk/articles/"}}); r.status != http.StatusUnauthorized || !strings.Contains(r.body, "code is wrong") {
			t.Errorf("a wrong code: %d %s", r.status, errorText(r.body))
		}
		r = b.post("/desk/signin/code", url.Values{"code": {code[:3] + " " + code[3:]}, "next": {"/desk/articles/"}})
		if r.status != http.StatusSeeOther || r.location != "/desk/articles/" {
			t.Fatalf("second factor: %d %q %s", r.status, r.location, errorText(r.body))
		}
		if b.cookie == first {
			t.Error("the session kept the token it had before the second factor")
		}
		if r := b.get("/desk/articles/"); r.status != http.StatusOK {
			t.Fatalf("signed in, the desk answered %d", r.status)
		}
		// The old half-way token opens nothing.
		old := e.browser()
		old.cookie = first
		if r := old.get("/desk/articles/"); r.status != http.StatusSeeOther || !strings.HasPrefix(r.location, "/desk/signin?") {
			t.Errorf("the pre-second-factor token still works: %d %q", r.status, r.location)
		}
		// The same code again, from another browser: refused.
		b2 := e.browser()
		b2.post("/desk/signin", url.Values{"email": {ed.user.Email}, "password": {ed.password}})
		if r := b2.post("/desk/signin/code", url.Values{"code": {code}}); r.status != http.StatusUnauthorized {
			t.Errorf("a code used once was accepted again: %d", r.status)
		}
		// The database holds the hash, not the token.
		sessions, err := e.db.Sessions(ctx(), ed.user.ID)
		if err != nil || len(sessions) != 1 {
			t.Fatalf("sessions: %v %d", err, len(sessions))
		}
		if _, _, err := e.db.SessionByHash(ctx(), []byte(b.cookie)); news.ErrorCode(err) != news.EUNAUTHORIZED {
			t.Errorf("the raw token found a session: stored unhashed? %v", err)
		}
		if _, _, err := e.db.SessionByHash(ctx(), auth.HashSessionToken(b.cookie)); err != nil {
			t.Errorf("the token's hash finds no session: %v", err)
		}
	})
}

func TestRecoveryCodeWorksOnce(t *testing.T) {
	onEngines(t, func(t *testing.T, e *env) {
		ed := e.users[news.RoleEditor]
		codes, hashes, err := auth.NewRecoveryCodes(3)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.db.SetTOTP(ctx(), ed.user.ID, ed.user.TOTPSecret, 0, hashes); err != nil {
			t.Fatal(err)
		}
		use := func() int {
			b := e.browser()
			b.post("/desk/signin", url.Values{"email": {ed.user.Email}, "password": {ed.password}})
			return b.post("/desk/signin/code", url.Values{"code": {strings.ToUpper(codes[1])}}).status
		}
		if got := use(); got != http.StatusSeeOther {
			t.Fatalf("a recovery code: %d", got)
		}
		if got := use(); got != http.StatusUnauthorized {
			t.Errorf("a recovery code used twice: %d", got)
		}
		if left, _ := e.db.RecoveryCodesLeft(ctx(), ed.user.ID); left != 2 {
			t.Errorf("%d recovery codes left, want 2", left)
		}
	})
}

// An admin without a second factor enrols one at sign-in: the QR code is
// drawn by the server, the code proves the app has the key, recovery codes
// are shown once, and every earlier session ends.
func TestEnrolmentAtSignIn(t *testing.T) {
	onEngines(t, func(t *testing.T, e *env) {
		adm := e.addUser("new-admin@example.org", news.RoleAdmin, false)
		other := e.withSession(adm) // a session from before: must end
		b := e.browser()
		r := b.post("/desk/signin", url.Values{"email": {adm.user.Email}, "password": {adm.password}, "next": {"/desk/users/"}})
		if !strings.HasPrefix(r.location, "/desk/signin/enroll") {
			t.Fatalf("an admin without a second factor went to %q", r.location)
		}
		if r := b.get("/desk/users/"); r.status != http.StatusSeeOther {
			t.Errorf("before enrolling, the desk answered %d", r.status)
		}
		page := b.get(r.location)
		secret := hidden(page.body, "secret")
		if secret == "" || !strings.Contains(page.body, "<svg") || !strings.Contains(page.body, `role="img"`) {
			t.Fatalf("the enrolment page has no QR code or key: %s", errorText(page.body))
		}
		bad := b.post("/desk/signin/enroll", url.Values{"secret": {secret}, "code": {"123456"}})
		if bad.status != http.StatusUnprocessableEntity || hidden(bad.body, "secret") != secret {
			t.Errorf("a wrong code: %d; the form must keep the same key", bad.status)
		}
		code, _ := auth.TOTPCode(secret, e.clock.Now())
		r = b.post("/desk/signin/enroll", url.Values{"secret": {secret}, "code": {code}, "next": {"/desk/users/"}})
		if r.status != http.StatusOK || strings.Count(r.body, "<li><code>") != 10 {
			t.Fatalf("enrolment: %d %s", r.status, errorText(r.body))
		}
		if got := b.get("/desk/users/"); got.status != http.StatusOK {
			t.Errorf("after enrolling: %d", got.status)
		}
		if got := other.get("/desk/account/"); got.status != http.StatusSeeOther {
			t.Errorf("a session from before the second factor changed still works: %d", got.status)
		}
		// Stored sealed under the node secret, bound to the user.
		u, _ := e.db.UserByEmail(ctx(), adm.user.Email)
		if !keyring.IsSealedTOTP(u.TOTPSecret) || strings.Contains(u.TOTPSecret, secret) {
			t.Errorf("the secret is stored as %q, not sealed", u.TOTPSecret)
		}
		if opened, err := e.keys.OpenTOTP(u.ID, u.TOTPSecret); err != nil || opened != secret {
			t.Errorf("the sealed secret opens to %q, %v", opened, err)
		}
		if _, err := e.keys.OpenTOTP(u.ID+1, u.TOTPSecret); err == nil {
			t.Error("a sealed secret copied to another user's row opens")
		}
	})
}

// Failed sign-ins are throttled per account and per address with growing
// delays, answered at once with 429 and Retry-After; the account's delay
// stays short enough that a known e-mail is never locked out for good; and
// an e-mail without an account gets exactly the same answers.
func TestSignInThrottling(t *testing.T) {
	onEngines(t, func(t *testing.T, e *env) {
		from := "203.0.113.7"
		try := func(email, password string) reply {
			b := e.browser()
			b.headers["X-Forwarded-For"] = from
			return b.post("/desk/signin", url.Values{"email": {email}, "password": {password}})
		}
		au := e.users[news.RoleAuthor]
		for i, email := range []string{au.user.Email, "nobody@example.org"} {
			from = "203.0.113." + strconv.Itoa(10+i)
			var seen []string
			for i := 0; i < 5; i++ {
				r := try(email, "wrong password "+strconv.Itoa(i))
				seen = append(seen, strconv.Itoa(r.status)+" "+errorText(r.body))
			}
			r := try(email, "still wrong")
			seen = append(seen, strconv.Itoa(r.status)+" "+r.header.Get("Retry-After"))
			if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") != "2" {
				t.Errorf("%s: the 6th failure answered %d, want 429 with Retry-After", email, r.status)
			}
			if email == au.user.Email {
				// Blocked: even the right password waits.
				if r := try(email, au.password); r.status != http.StatusTooManyRequests {
					t.Errorf("the right password while blocked: %d", r.status)
				}
				e.clock.Set(e.clock.Now().Add(2 * time.Second))
				if r := try(email, au.password); r.status != http.StatusSeeOther {
					t.Errorf("the right password after the delay: %d", r.status)
				}
			}
			t.Logf("%s: %q", email, seen)
			if email == "nobody@example.org" {
				// The same statuses and words as for the real account.
				for i := 0; i < 5; i++ {
					if !strings.HasPrefix(seen[i], "401 The e-mail or the password is wrong.") {
						t.Errorf("an unknown e-mail answered %q", seen[i])
					}
				}
			}
		}
		// A long attack on one account, from many addresses, never blocks
		// it for more than a minute at a time.
		for i := 0; i < 12; i++ { // uncapped, the 12th would wait 128 s
			from = "198.51.100." + strconv.Itoa(i%8)
			e.clock.Set(e.clock.Now().Add(2 * time.Minute))
			try(au.user.Email, "guess "+strconv.Itoa(i))
		}
		r := try(au.user.Email, "one more")
		wait, _ := strconv.Atoi(r.header.Get("Retry-After"))
		if r.status != http.StatusTooManyRequests || wait < 30 || wait > 61 {
			t.Errorf("after 12 more failures: %d Retry-After %d, want 429 with at most a minute", r.status, wait)
		}
		e.clock.Set(e.clock.Now().Add(61 * time.Second))
		from = "192.0.2.50" // the owner, elsewhere
		if r := try(au.user.Email, au.password); r.status != http.StatusSeeOther {
			t.Errorf("the owner could not sign in a minute after the attack: %d", r.status)
		}
	})
}

// One address spraying many accounts is blocked by the address limit, and
// the address is kept only as a keyed hash.
func TestAddressThrottle(t *testing.T) {
	onEngines(t, func(t *testing.T, e *env) {
		var last reply
		for i := 0; i < 11; i++ {
			e.clock.Set(e.clock.Now().Add(time.Second))
			b := e.browser()
			b.headers["X-Forwarded-For"] = "203.0.113.99"
			last = b.post("/desk/signin", url.Values{"email": {"user" + strconv.Itoa(i) + "@example.org"}, "password": {"x"}})
		}
		if last.status != http.StatusTooManyRequests {
			t.Errorf("the 11th failure from one address over many accounts: %d", last.status)
		}
		fp, err := e.keys.Fingerprint(ctx(), "signin", mustAddr("203.0.113.99"))
		if err != nil {
			t.Fatal(err)
		}
		if n, _ := e.db.Failures(ctx(), auth.AddressKey(fp).Key); n != auth.AddressThrottle.Free {
			t.Error("the address's keyed hash is not what is blocked")
		}
	})
}

// Sign out everywhere, a password change and disabling the user each end
// the sessions they should, at the next request.
func TestSessionsEnd(t *testing.T) {
	onEngines(t, func(t *testing.T, e *env) {
		au := e.users[news.RoleAuthor]
		a, b := e.browser(), e.browser()
		a.signIn(au)
		b.signIn(au)
		page := a.get("/desk/account/")
		if strings.Count(page.body, "/end\"") != 2 || !strings.Contains(page.body, "(this browser)") {
			t.Errorf("the account page does not list both sessions")
		}
		if r := a.post("/desk/account/sessions/end-all", nil); r.status != http.StatusSeeOther {
			t.Fatalf("sign out everywhere: %d", r.status)
		}
		for _, br := range []*browser{a, b} {
			if r := br.get("/desk/articles/"); r.status != http.StatusSeeOther || !strings.HasPrefix(r.location, "/desk/signin") {
				t.Errorf("after sign out everywhere: %d %q", r.status, r.location)
			}
		}
		// A password change: both sessions end but the changing browser's
		// new one.
		a.signIn(au)
		b.signIn(au)
		newPassword := "violet kettle marching under seven bridges"
		r := a.post("/desk/account/password", url.Values{"current": {au.password}, "new": {newPassword}, "repeat": {newPassword}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("password change: %d %s", r.status, errorText(r.body))
		}
		if r := a.get("/desk/articles/"); r.status != http.StatusOK {
			t.Errorf("the browser that changed the password was signed out: %d", r.status)
		}
		if r := b.get("/desk/articles/"); r.status != http.StatusSeeOther {
			t.Errorf("another session survived the password change: %d", r.status)
		}
		if r := a.post("/desk/account/password", url.Values{"current": {newPassword}, "new": {"password1234"}, "repeat": {"password1234"}}); r.status != http.StatusUnprocessableEntity {
			t.Errorf("a guessable new password: %d", r.status)
		}
		au.password = newPassword
		// Disabled by an admin: the open session is refused at the next
		// click, the API token at the next call.
		tok, hash := auth.NewToken()
		if _, err := e.db.CreateToken(ctx(), au.user.ID, hash, t0.Add(1000*time1h)); err != nil {
			t.Fatal(err)
		}
		admin := e.withSession(e.users[news.RoleAdmin])
		if r := admin.post("/desk/users/"+strconv.FormatInt(au.user.ID, 10)+"/disable", nil); r.status != http.StatusSeeOther {
			t.Fatalf("disable: %d %s", r.status, errorText(r.body))
		}
		if r := a.post("/desk/articles/new", url.Values{"edition": {"en"}, "title": {"After"}, "action": {"save"}}); r.status != http.StatusUnauthorized || !strings.Contains(r.body, "signed out") {
			t.Errorf("a disabled user's form: %d", r.status)
		}
		req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/categories?edition=en", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		if res, err := http.DefaultClient.Do(req); err == nil {
			res.Body.Close()
			if res.StatusCode != http.StatusUnauthorized && res.StatusCode != http.StatusOK {
				t.Errorf("API: %d", res.StatusCode)
			}
		}
		if _, err := e.db.UserByTokenHash(ctx(), hash); news.ErrorCode(err) != news.EUNAUTHORIZED {
			t.Errorf("the disabled user's token still works: %v", err)
		}
		if r := e.browser().post("/desk/signin", url.Values{"email": {au.user.Email}, "password": {au.password}}); r.status != http.StatusUnauthorized {
			t.Errorf("a disabled user signed in: %d", r.status)
		}
		events, _ := e.db.AuditLog(ctx(), store.AuditQuery{Action: "user.disable"})
		if len(events) != 1 || events[0].ActorEmail != e.users[news.RoleAdmin].user.Email {
			t.Errorf("the disable is not in the audit log with its actor: %+v", events)
		}
	})
}

// Cross-site forms are refused; a same-site form from a browser that sends
// no Sec-Fetch-Site (only Origin) still works.
func TestCrossSiteRequestsRefused(t *testing.T) {
	onEngines(t, func(t *testing.T, e *env) {
		b := e.withSession(e.users[news.RoleEditor])
		form := url.Values{"edition": {"en"}, "title": {"Forged"}, "action": {"save"}}
		b.headers = map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}
		if r := b.post("/desk/articles/new", form); r.status != http.StatusForbidden || !strings.Contains(r.body, "another site") {
			t.Errorf("a cross-site form: %d", r.status)
		}
		b.headers = map[string]string{"Origin": "https://evil.example"}
		if r := b.post("/desk/articles/new", form); r.status != http.StatusForbidden {
			t.Errorf("a form from another origin without Sec-Fetch-Site: %d", r.status)
		}
		if n, _, _ := e.db.Articles(ctx(), store.ArticleQuery{Q: "forged"}); len(n) != 0 {
			t.Error("a refused form saved an article")
		}
		b.headers = map[string]string{"Origin": e.srv.URL}
		form.Set("title", "Same site, old browser")
		if r := b.post("/desk/articles/new", form); r.status != http.StatusSeeOther {
			t.Errorf("a same-site form without Sec-Fetch-Site: %d %s", r.status, errorText(r.body))
		}
		b.headers = map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": e.srv.URL}
		form.Set("title", "Same origin")
		if r := b.post("/desk/articles/new", form); r.status != http.StatusSeeOther {
			t.Errorf("a same-origin form: %d", r.status)
		}
	})
}

// With require_2fa=everyone an author enrols too; by default an author
// signs in with the password alone.
func TestRequireTwoFactorForEveryone(t *testing.T) {
	onEngines(t, func(t *testing.T, e *env) {
		au := e.users[news.RoleAuthor]
		if r := e.browser().post("/desk/signin", url.Values{"email": {au.user.Email}, "password": {au.password}}); r.location != "/desk/" {
			t.Errorf("by default an author went to %q", r.location)
		}
		admin := e.withSession(e.users[news.RoleAdmin])
		if r := admin.post("/desk/settings/", url.Values{"require_2fa": {news.TwoFactorEveryone}}); r.status != http.StatusSeeOther {
			t.Fatalf("setting require_2fa: %d %s", r.status, errorText(r.body))
		}
		if r := e.browser().post("/desk/signin", url.Values{"email": {au.user.Email}, "password": {au.password}}); !strings.HasPrefix(r.location, "/desk/signin/enroll") {
			t.Errorf("with require_2fa=everyone an author went to %q", r.location)
		}
		events, _ := e.db.AuditLog(ctx(), store.AuditQuery{Action: "settings.set"})
		if len(events) != 1 || events[0].Ref != "require_2fa" || events[0].ActorEmail != e.users[news.RoleAdmin].user.Email {
			t.Errorf("the settings change is not in the audit log with its actor: %+v", events)
		}
		if r := admin.post("/desk/settings/", url.Values{"time_zone": {"Mars/Olympus"}}); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "unknown time zone") {
			t.Errorf("a bad time zone: %d", r.status)
		}
	})
}

// BenchmarkSignInFailure compares a wrong password for an existing account
// with any password for an e-mail that has none: the two must take the
// same time, or the time would tell which e-mails have accounts. Run with
// -bench SignInFailure and compare the two figures of one run.
func BenchmarkSignInFailure(b *testing.B) {
	e := newEnv(b, storetest.Engines[0])
	for _, c := range []struct{ name, email string }{
		{"existing_account", e.users[news.RoleAuthor].user.Email},
		{"no_account", "nobody@example.org"},
	} {
		b.Run(c.name, func(b *testing.B) {
			e.t = b
			i := 0
			for b.Loop() {
				i++
				// Past any block, from a fresh address, as a spread-out
				// attack would be.
				e.clock.Set(e.clock.Now().Add(2 * time.Minute))
				br := e.browser()
				br.headers["X-Forwarded-For"] = "10.9." + strconv.Itoa(i>>8&255) + "." + strconv.Itoa(i&255)
				if r := br.post("/desk/signin", url.Values{"email": {c.email}, "password": {"not the password"}}); r.status != http.StatusUnauthorized {
					b.Fatalf("sign-in answered %d", r.status)
				}
			}
		})
	}
}
