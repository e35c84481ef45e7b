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
	page := func(status int, problem error) error {
		return d.render(w, r, q, status, "signin", "Sign in", content, problem)
	}
	accountKey := auth.AccountKey(email)
	addrKey, err := d.addressKey(r)
	if err != nil {
		return err
	}
	attempt, refused, err := d.takeAttempt(w, r, accountKey, addrKey)
	if err != nil {
		return err
	} else if refused != nil {
		return page(http.StatusTooManyRequests, refused)
	}
	u, err := d.store.UserByEmail(ctx, email)
	ok := false
	switch {
	case err == nil:
		ok, err = auth.CheckPassword(u.PasswordHash, password)
		ok = ok && u.Active
	case news.ErrorCode(err) == news.ENOTFOUND:
		err = auth.SpendPasswordCheck(password)
	}
	if err != nil {
		// The password was not looked at (the server is busy, or the
		// database is away): the attempt does not count.
		if rerr := attempt.giveBack(ctx); rerr != nil {
			return rerr
		}
		if err == auth.ErrBusy {
			w.Header().Set("Retry-After", "1")
			return page(http.StatusTooManyRequests, err)
		}
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
		if err := d.store.Audit(ctx, actor, store.AuditSignInFail, ref, "wrong password"); err != nil {
			return err
		}
		return page(http.StatusUnauthorized, errSignin)
	}
	// A right password clears the password's count, never the second
	// factor's.
	if err := d.store.ClearSigninFailures(ctx, accountKey.Key); err != nil {
		return err
	}
	if err := attempt.giveBack(ctx); err != nil {
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
func (d *Desk) addressKey(r *http.Request) (news.ThrottleKey, error) {
	fp, err := d.keys.Fingerprint(r.Context(), "signin", web.ClientAddrFrom(r.Context()))
	if err != nil {
		return news.ThrottleKey{}, err
	}
	return auth.AddressKey(fp), nil
}

// attempt is one counted attempt at a secret (see store.TakeAttempt).
type attempt struct {
	d     *Desk
	taken *store.Attempt
}

// giveBack uncounts the attempt on every key: it succeeded, or was never
// checked.
func (a *attempt) giveBack(ctx context.Context) error { return a.d.store.ReturnAttempt(ctx, a.taken) }

// takeAttempt counts an attempt against keys before its secret is looked
// at. When a key is still waiting nothing is counted: refused is the
// message for a 429, whose Retry-After is set; the answer comes at once
// and nothing is held open.
func (d *Desk) takeAttempt(w http.ResponseWriter, r *http.Request, keys ...news.ThrottleKey) (a *attempt, refused *news.Error, err error) {
	taken, until, err := d.store.TakeAttempt(r.Context(), keys...)
	if err != nil {
		return nil, nil, err
	}
	if until.IsZero() {
		return &attempt{d: d, taken: taken}, nil, nil
	}
	wait := int(until.Sub(d.store.Now()).Seconds()) + 1
	w.Header().Set("Retry-After", strconv.Itoa(wait))
	return nil, news.Errorf(news.ETOOMANY, "Too many failed attempts. Wait %s and try again.", waitText(wait)), nil
}

// waitText says a wait in seconds the way people do.
func waitText(seconds int) string {
	switch {
	case seconds < 120:
		return strconv.Itoa(seconds) + " seconds"
	case seconds < 2*3600:
		return strconv.Itoa((seconds+59)/60) + " minutes"
	}
	return strconv.Itoa((seconds+3599)/3600) + " hours"
}

// confirmPassword checks a signed-in user's password again, before a
// change of the password or of the second factor, counted like a sign-in:
// a stolen session must not become a way to guess the password. Only the
// account counts: a session is of one account, and the address limit is
// for guesses spread over many. problem is what to tell the user (wrong,
// throttled, busy); err is the server's.
func (d *Desk) confirmPassword(w http.ResponseWriter, r *http.Request, u *news.User, password string) (problem, err error) {
	ctx := r.Context()
	accountKey := auth.AccountKey(u.Email)
	attempt, refused, err := d.takeAttempt(w, r, accountKey)
	if err != nil || refused != nil {
		return refused, err
	}
	ok, err := auth.CheckPassword(u.PasswordHash, password)
	if err != nil {
		if rerr := attempt.giveBack(ctx); rerr != nil {
			return nil, rerr
		}
		w.Header().Set("Retry-After", "1")
		return err, nil
	}
	if !ok {
		if err := d.store.Audit(ctx, u.ID, store.AuditSignInFail, u.Email, "wrong current password"); err != nil {
			return nil, err
		}
		return news.Errorf(news.EINVALID, "Your current password is wrong."), nil
	}
	return nil, d.store.ClearSigninFailures(ctx, accountKey.Key)
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
// or an unused recovery code. Whoever gets here has the password, so the
// attempt counts against the account's own second-factor counter (which
// the password never clears) and the address, and a few wrong codes end
// the half-signed-in session.
func (d *Desk) code(w http.ResponseWriter, r *http.Request, q *req) error {
	ctx := r.Context()
	content := codeContent{Next: safeNext(r.PostFormValue("next"))}
	page := func(status int, problem error) error {
		return d.render(w, r, q, status, "code", "Two-factor sign-in", content, problem)
	}
	if q.session.Stage == news.StageFull || !q.user.Has2FA() {
		http.Redirect(w, r, "/desk/", http.StatusSeeOther)
		return nil
	}
	factorKey := auth.SecondFactorKey(q.user.ID)
	addrKey, err := d.addressKey(r)
	if err != nil {
		return err
	}
	attempt, refused, err := d.takeAttempt(w, r, factorKey, addrKey)
	if err != nil {
		return err
	} else if refused != nil {
		return page(http.StatusTooManyRequests, news.Errorf(news.ETOOMANY,
			"%s If you did not type the wrong codes yourself, someone has your password: tell an admin.", refused.Message))
	}
	secret, err := d.keys.OpenTOTP(q.user.ID, q.user.TOTPSecret)
	if err != nil {
		if rerr := attempt.giveBack(ctx); rerr != nil {
			return rerr
		}
		d.log.Error("desk: an authenticator secret cannot be opened with this node's secret", "user", q.user.ID)
		return page(http.StatusConflict, news.Errorf(news.ECONFLICT,
			"Your authenticator cannot be checked on this server: it was set up under another node secret (the site was restored or moved). Ask an admin to run: tamizdat user reset-2fa --email %s", q.user.Email))
	}
	code := strings.TrimSpace(r.PostFormValue("code"))
	detail := "with an authenticator code"
	var problem error
	if step, ok := auth.CheckTOTP(secret, code, d.store.Now()); ok {
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
		if err := d.store.Audit(ctx, q.user.ID, store.AuditSignInFail, q.user.Email, "wrong second factor"); err != nil {
			return err
		}
		ended, err := d.store.FailSecondStep(ctx, q.session.ID, auth.CodesPerSession)
		if err != nil {
			return err
		}
		if ended {
			clearCookie(w)
			return d.render(w, r, nil, http.StatusUnauthorized, "signin", "Sign in", signinContent{Email: q.user.Email, Next: content.Next},
				news.Errorf(news.EUNAUTHORIZED, "That was %d wrong codes: sign in with your password again.", auth.CodesPerSession))
		}
		return page(http.StatusUnauthorized,
			news.Errorf(news.EINVALID, "That code is wrong or was already used. Type the six digits your app shows now, or a recovery code."))
	}
	if err := attempt.giveBack(ctx); err != nil {
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
