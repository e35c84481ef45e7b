package desk

import (
	"net/http"
	"strings"

	"tamizdat/internal/auth"
	"tamizdat/internal/news"
)

type enrollContent struct {
	Secret   string
	QR       string
	Next     string
	Required bool // signing in: the role must use a second factor
	Codes    []string
	Again    bool // replacing an enrolled authenticator
}

// newEnrollment makes a fresh secret. It travels in the form (the QR code
// shows it to the browser anyway), so any node can finish the enrolment and
// nothing half-done is stored; it is kept only once a code proves the app
// has it.
func (d *Desk) newEnrollment(q *req) (enrollContent, error) { return d.enrollmentFor(q, "") }

func (d *Desk) enrollmentFor(q *req, secret string) (enrollContent, error) {
	issuer := strings.ReplaceAll(q.settings.SiteName, ":", " ")
	var key *auth.TOTPKey
	var err error
	if secret != "" {
		key, err = auth.TOTPKeyFor(issuer, q.user.Email, secret)
	}
	if secret == "" || err != nil {
		key, err = auth.NewTOTPKey(issuer, q.user.Email)
	}
	if err != nil {
		return enrollContent{}, err
	}
	qr, err := auth.QRCodeSVG(key.URI, "QR code to add "+q.user.Email+" to an authenticator app")
	if err != nil {
		return enrollContent{}, err
	}
	return enrollContent{Secret: key.Secret, QR: qr}, nil
}

func (d *Desk) enrollForm(w http.ResponseWriter, r *http.Request, q *req) error {
	if q.session.Stage == news.StageFull || q.user.Has2FA() {
		http.Redirect(w, r, "/desk/signin/code", http.StatusSeeOther)
		return nil
	}
	c, err := d.newEnrollment(q)
	if err != nil {
		return err
	}
	c.Next, c.Required = safeNext(r.URL.Query().Get("next")), true
	return d.render(w, r, q, 0, "enroll", "Set up two-factor sign-in", c, nil)
}

func (d *Desk) enroll(w http.ResponseWriter, r *http.Request, q *req) error {
	if q.session.Stage == news.StageFull || q.user.Has2FA() {
		http.Redirect(w, r, "/desk/signin/code", http.StatusSeeOther)
		return nil
	}
	return d.finishEnrollment(w, r, q, true)
}

// finishEnrollment checks the code against the secret the form carried,
// stores both with new recovery codes (ending every session of the user),
// and signs this browser in afresh, showing the codes once.
func (d *Desk) finishEnrollment(w http.ResponseWriter, r *http.Request, q *req, signingIn bool) error {
	ctx := r.Context()
	secret := r.PostFormValue("secret")
	c := enrollContent{Secret: secret, Next: safeNext(r.PostFormValue("next")), Required: signingIn, Again: q.user.Has2FA()}
	retry := func(problem error) error {
		// Show the same secret again: the user may already have added it.
		fresh, err := d.enrollmentFor(q, secret)
		if err != nil {
			return err
		}
		fresh.Next, fresh.Required, fresh.Again = c.Next, c.Required, c.Again
		status := http.StatusUnprocessableEntity
		if news.ErrorCode(problem) == news.ETOOMANY {
			status = http.StatusTooManyRequests
		}
		return d.render(w, r, q, status, "enroll", "Set up two-factor sign-in", fresh, problem)
	}
	if !signingIn {
		if problem, err := d.confirmPassword(w, r, q.user, r.PostFormValue("password")); err != nil {
			return err
		} else if problem != nil {
			return retry(problem)
		}
	}
	step, ok := auth.CheckTOTP(secret, r.PostFormValue("code"), d.store.Now())
	if !ok {
		return retry(news.Errorf(news.EINVALID, "That code does not match. Scan the QR code (or type the key) into your app, then type the six digits it shows now."))
	}
	codes, hashes, err := auth.NewRecoveryCodes(10)
	if err != nil {
		return err
	}
	sealed := d.keys.SealTOTP(q.user.ID, secret)
	if err := d.store.SetTOTP(ctx, q.user.ID, sealed, step, hashes); err != nil {
		return err
	}
	// A new authenticator makes earlier wrong guesses meaningless.
	if err := d.store.ClearSigninFailures(ctx, auth.SecondFactorKey(q.user.ID).Key); err != nil {
		return err
	}
	token, hash, err := auth.NewSessionToken()
	if err != nil {
		return err
	}
	sess, err := d.store.CreateSession(ctx, q.user.ID, hash, news.StageFull, agentLabel(r.UserAgent()))
	if err != nil {
		return err
	}
	setCookie(w, token)
	q.session, q.user.TOTPSecret = sess, sealed
	c.Codes, c.Secret = codes, ""
	return d.render(w, r, q, http.StatusOK, "recovery", "Your recovery codes", c, nil)
}

type accountContent struct {
	Sessions      []news.Session
	Current       int64
	Has2FA        bool
	Needs2FA      bool
	RecoveryLeft  int
	PasswordError string
}

func (d *Desk) account(w http.ResponseWriter, r *http.Request, q *req) error {
	return d.renderAccount(w, r, q, 0, nil)
}

func (d *Desk) renderAccount(w http.ResponseWriter, r *http.Request, q *req, status int, problem error) error {
	ctx := r.Context()
	sessions, err := d.store.Sessions(ctx, q.user.ID)
	if err != nil {
		return err
	}
	left, err := d.store.RecoveryCodesLeft(ctx, q.user.ID)
	if err != nil {
		return err
	}
	c := accountContent{Sessions: sessions, Current: q.session.ID, Has2FA: q.user.Has2FA(),
		Needs2FA: q.settings.Needs2FA(q.user.Role), RecoveryLeft: left}
	return d.render(w, r, q, status, "account", "Your account", c, problem)
}

// changePassword asks for the current password, so that someone at an
// unlocked screen cannot lock the owner out, and ends every session: the
// browser that changed it is signed in again with a new one.
func (d *Desk) changePassword(w http.ResponseWriter, r *http.Request, q *req) error {
	ctx := r.Context()
	if problem, err := d.confirmPassword(w, r, q.user, r.PostFormValue("current")); err != nil {
		return err
	} else if problem != nil {
		status := http.StatusUnprocessableEntity
		if news.ErrorCode(problem) == news.ETOOMANY {
			status = http.StatusTooManyRequests
		}
		return d.renderAccount(w, r, q, status, news.Errorf(news.ErrorCode(problem), "%s The password was not changed.", news.ErrorMessage(problem)))
	}
	if r.PostFormValue("new") != r.PostFormValue("repeat") {
		return d.renderAccount(w, r, q, http.StatusUnprocessableEntity, news.Errorf(news.EINVALID, "The two new passwords differ; the password was not changed."))
	}
	hash, err := auth.NewPasswordHash(r.PostFormValue("new"), q.user.Email, q.user.Name)
	if err != nil {
		return d.renderAccount(w, r, q, 0, err)
	}
	if err := d.store.SetPassword(ctx, q.user.ID, hash); err != nil {
		return err
	}
	token, th, err := auth.NewSessionToken()
	if err != nil {
		return err
	}
	if _, err := d.store.CreateSession(ctx, q.user.ID, th, news.StageFull, agentLabel(r.UserAgent())); err != nil {
		return err
	}
	setCookie(w, token)
	return done(w, r, "/desk/account/", "password")
}

func (d *Desk) twoFactorForm(w http.ResponseWriter, r *http.Request, q *req) error {
	c, err := d.newEnrollment(q)
	if err != nil {
		return err
	}
	c.Again = q.user.Has2FA()
	return d.render(w, r, q, 0, "enroll", "Set up two-factor sign-in", c, nil)
}

func (d *Desk) twoFactor(w http.ResponseWriter, r *http.Request, q *req) error {
	return d.finishEnrollment(w, r, q, false)
}

func (d *Desk) endSession(w http.ResponseWriter, r *http.Request, q *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := d.store.EndSession(r.Context(), q.user.ID, id); err != nil {
		return err
	}
	if id == q.session.ID {
		clearCookie(w)
		http.Redirect(w, r, "/desk/signin?done=signedout", http.StatusSeeOther)
		return nil
	}
	return done(w, r, "/desk/account/", "ended")
}

func (d *Desk) endAllSessions(w http.ResponseWriter, r *http.Request, q *req) error {
	if _, err := d.store.EndSessions(r.Context(), q.user.ID); err != nil {
		return err
	}
	clearCookie(w)
	http.Redirect(w, r, "/desk/signin?done=endedall", http.StatusSeeOther)
	return nil
}
