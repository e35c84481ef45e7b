package desk

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"tamizdat/internal/auth"
	"tamizdat/internal/news"
	"tamizdat/internal/store"
	"tamizdat/internal/web"
)

type signinContent struct {
	Email string
	Next  string
}

// safeNext keeps a post-sign-in redirect on the desk of this host.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/desk/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		return "/desk/"
	}
	return next
}

func (d *Desk) signinForm(w http.ResponseWriter, r *http.Request, q *req) error {
	if _, u, err := d.session(r); err == nil && u != nil {
		// Already signed in (or half-way): carry on from there.
		http.Redirect(w, r, "/desk/signin/code", http.StatusSeeOther)
		return nil
	}
	return d.render(w, r, q, 0, "signin", "Sign in", signinContent{Next: safeNext(r.URL.Query().Get("next"))}, nil)
}

// errSignin is the one answer to every failed sign-in: no answer, status or
// timing tells whether the e-mail has an account.
var errSignin = news.Errorf(news.EUNAUTHORIZED, "The e-mail or the password is wrong.")

func (d *Desk) signin(w http.ResponseWriter, r *http.Request, q *req) error {
	ctx := r.Context()
	email := strings.ToLower(strings.TrimSpace(r.PostFormValue("email")))
	password := r.PostFormValue("password")
	content := signinContent{Email: email, Next: safeNext(r.PostFormValue("next"))}
	accountKey := auth.AccountKey(email)
	addrKey, err := d.addressKey(r)
	if err != nil {
		return err
	}
	if err := d.throttled(w, r, q, content, accountKey, addrKey); err != nil || w.Header().Get("Retry-After") != "" {
		return err
	}
	u, err := d.store.UserByEmail(ctx, email)
	ok := false
	switch {
	case err == nil:
		ok = auth.CheckPassword(u.PasswordHash, password) && u.Active
	case news.ErrorCode(err) == news.ENOTFOUND:
		auth.SpendPasswordCheck(password)
	default:
		return err
	}
	if !ok {
		// The e-mail is recorded only when it has an account: a typo or
		// someone else's address is not the audit log's business.
		var actor int64
		ref := ""
		if u != nil {
			actor, ref = u.ID, u.Email
		}
		if err := d.failed(ctx, accountKey, addrKey, actor, ref, "wrong password"); err != nil {
			return err
		}
		return d.render(w, r, q, http.StatusUnauthorized, "signin", "Sign in", content, errSignin)
	}
	if err := d.store.ClearSigninFailures(ctx, accountKey); err != nil {
		return err
	}
	// Every sign-in starts at the second step; a user who needs no second
	// factor passes it at once with a fresh token.
	token, hash, err := auth.NewSessionToken()
	if err != nil {
		return err
	}
	stage := news.StagePassword
	if !u.Has2FA() && !q.settings.Needs2FA(u.Role) {
		stage = news.StageFull
	}
	if _, err := d.store.CreateSession(ctx, u.ID, hash, stage, agentLabel(r.UserAgent())); err != nil {
		return err
	}
	setCookie(w, token)
	switch {
	case stage == news.StageFull:
		http.Redirect(w, r, content.Next, http.StatusSeeOther)
	case u.Has2FA():
		http.Redirect(w, r, "/desk/signin/code?next="+url.QueryEscape(content.Next), http.StatusSeeOther)
	default:
		http.Redirect(w, r, "/desk/signin/enroll?next="+url.QueryEscape(content.Next), http.StatusSeeOther)
	}
	return nil
}

// addressKey is the throttle key of the client's address: its keyed hash
// under the day's key, never the address.
func (d *Desk) addressKey(r *http.Request) ([]byte, error) {
	fp, err := d.keys.Fingerprint(r.Context(), "signin", web.ClientAddrFrom(r.Context()))
	if err != nil {
		return nil, err
	}
	return append([]byte{'n'}, fp...), nil
}

// failed counts a failed sign-in step against the account and the address
// and logs it.
func (d *Desk) failed(ctx context.Context, accountKey, addrKey []byte, actor int64, ref, detail string) error {
	if err := d.store.RecordSigninFailure(ctx, accountKey, auth.AccountDelay); err != nil {
		return err
	}
	if err := d.store.RecordSigninFailure(ctx, addrKey, auth.AddressDelay); err != nil {
		return err
	}
	return d.store.Audit(ctx, actor, store.AuditSignInFail, ref, detail)
}

// throttled answers 429 with Retry-After when the account or the address
// is blocked, without looking at the password: nothing is held open.
func (d *Desk) throttled(w http.ResponseWriter, r *http.Request, q *req, content any, keys ...[]byte) error {
	until, err := d.store.SigninBlockedUntil(r.Context(), keys...)
	if err != nil || until.IsZero() {
		return err
	}
	wait := int(until.Sub(d.store.Now()).Seconds()) + 1
	w.Header().Set("Retry-After", strconv.Itoa(wait))
	return d.render(w, r, q, http.StatusTooManyRequests, "signin", "Sign in", content,
		news.Errorf(news.EINVALID, "Too many failed sign-ins. Wait %d seconds and try again.", wait))
}

type codeContent struct {
	Next string
}

func (d *Desk) codeForm(w http.ResponseWriter, r *http.Request, q *req) error {
	if q.session.Stage == news.StageFull {
		http.Redirect(w, r, "/desk/", http.StatusSeeOther)
		return nil
	}
	if !q.user.Has2FA() {
		http.Redirect(w, r, "/desk/signin/enroll", http.StatusSeeOther)
		return nil
	}
	return d.render(w, r, q, 0, "code", "Two-factor sign-in", codeContent{Next: safeNext(r.URL.Query().Get("next"))}, nil)
}

// code checks the second factor: a TOTP code (each time step accepted once)
// or an unused recovery code. Failures count against the account and the
// address like wrong passwords, since six digits are easier to guess.
func (d *Desk) code(w http.ResponseWriter, r *http.Request, q *req) error {
	ctx := r.Context()
	content := codeContent{Next: safeNext(r.PostFormValue("next"))}
	if q.session.Stage == news.StageFull || !q.user.Has2FA() {
		http.Redirect(w, r, "/desk/", http.StatusSeeOther)
		return nil
	}
	accountKey := auth.AccountKey(q.user.Email)
	addrKey, err := d.addressKey(r)
	if err != nil {
		return err
	}
	if err := d.throttled(w, r, q, content, accountKey, addrKey); err != nil || w.Header().Get("Retry-After") != "" {
		return err
	}
	code := strings.TrimSpace(r.PostFormValue("code"))
	detail := "with an authenticator code"
	var problem error
	if step, ok := auth.CheckTOTP(q.user.TOTPSecret, code, d.store.Now()); ok {
		problem = d.store.UseTOTPStep(ctx, q.user.ID, step)
	} else if len(strings.ReplaceAll(strings.ReplaceAll(code, "-", ""), " ", "")) == 12 {
		problem = d.store.UseRecoveryCode(ctx, q.user.ID, auth.HashRecoveryCode(code))
		detail = "with a recovery code"
	} else {
		problem = news.Errorf(news.EUNAUTHORIZED, "the code is wrong")
	}
	if problem != nil {
		if news.ErrorCode(problem) != news.EUNAUTHORIZED {
			return problem
		}
		if err := d.failed(ctx, accountKey, addrKey, q.user.ID, q.user.Email, "wrong second factor"); err != nil {
			return err
		}
		return d.render(w, r, q, http.StatusUnauthorized, "code", "Two-factor sign-in", content,
			news.Errorf(news.EINVALID, "That code is wrong or was already used. Type the six digits your app shows now, or a recovery code."))
	}
	if err := d.store.ClearSigninFailures(ctx, accountKey); err != nil {
		return err
	}
	token, hash, err := auth.NewSessionToken()
	if err != nil {
		return err
	}
	if err := d.store.CompleteSession(ctx, q.session.ID, hash, detail); err != nil {
		return err
	}
	setCookie(w, token)
	http.Redirect(w, r, content.Next, http.StatusSeeOther)
	return nil
}

func (d *Desk) signout(w http.ResponseWriter, r *http.Request, q *req) error {
	if err := d.store.EndSession(r.Context(), q.user.ID, q.session.ID); err != nil && news.ErrorCode(err) != news.ENOTFOUND {
		return err
	}
	clearCookie(w)
	http.Redirect(w, r, "/desk/signin?done=signedout", http.StatusSeeOther)
	return nil
}

func (d *Desk) home(w http.ResponseWriter, r *http.Request, q *req) error {
	if q.user.Role.CanWrite() {
		http.Redirect(w, r, "/desk/articles/", http.StatusSeeOther)
	} else if q.user.Role.CanModerate() {
		http.Redirect(w, r, "/desk/comments/", http.StatusSeeOther)
	} else {
		http.Redirect(w, r, "/desk/account/", http.StatusSeeOther)
	}
	return nil
}

// agentLabel names the browser and system for the sessions page, coarsely,
// so the user can tell sessions apart; the full string is not kept.
func agentLabel(ua string) string {
	browser := "A browser"
	for _, b := range []struct{ token, name string }{
		{"Edg/", "Edge"}, {"OPR/", "Opera"}, {"YaBrowser/", "Yandex Browser"}, {"Firefox/", "Firefox"},
		{"HeadlessChrome/", "Headless Chromium"}, {"Chromium/", "Chromium"}, {"Chrome/", "Chrome"}, {"Safari/", "Safari"},
	} {
		if strings.Contains(ua, b.token) {
			browser = b.name
			break
		}
	}
	system := ""
	for _, s := range []struct{ token, name string }{
		{"Android", "Android"}, {"iPhone", "iPhone"}, {"iPad", "iPad"}, {"Windows", "Windows"},
		{"Mac OS X", "macOS"}, {"CrOS", "ChromeOS"}, {"Linux", "Linux"},
	} {
		if strings.Contains(ua, s.token) {
			system = " on " + s.name
			break
		}
	}
	return browser + system
}
