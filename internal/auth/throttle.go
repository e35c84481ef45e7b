package auth

import (
	"crypto/sha256"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"

	"tamizdat/internal/news"
)

// Sign-in throttling. Every attempt is counted before its secret is
// checked, against each of its keys at once, and given back only when it
// succeeds; an attempt cut off half-way (a timeout, a dropped connection)
// stays counted, and attempts sent in parallel are counted one by one.
//
// The password is counted per account and per client address. The
// account's wait is capped at a minute: an attacker who knows an editor's
// e-mail can slow that editor's sign-in but never lock it for good, and
// still gets only about one guess a minute at a password that zxcvbn rates
// 3 and that a second factor backs.
//
// The second factor is counted per account on a counter of its own, which
// a correct password never clears: whoever reaches this step has the
// password, and six digits are all that is left. Its waits grow to a day
// and its failures are forgotten one a day, so at most about one guess a
// day gets through, whatever the attacker's addresses (see
// SecondFactorGuesses). A half-signed-in session also ends after
// CodesPerSession wrong codes.
var (
	PasswordThrottle = news.Throttle{Free: 5, First: time.Second, Max: time.Minute, Forget: time.Hour}
	// Addresses: one machine spraying guesses over many accounts.
	AddressThrottle      = news.Throttle{Free: 10, First: 2 * time.Second, Max: time.Hour, Forget: time.Hour}
	SecondFactorThrottle = news.Throttle{Free: 3, First: time.Minute, Max: 24 * time.Hour, Forget: 24 * time.Hour}
)

// CodesPerSession is how many wrong codes end a half-signed-in session:
// the next guess needs the password again.
const CodesPerSession = 3

// AccountKey is the password throttle key of an e-mail, whether or not it
// has an account, so that the throttle's answers do not tell which ones do.
func AccountKey(email string) news.ThrottleKey {
	h := sha256.Sum256([]byte("account\x00" + strings.ToLower(strings.TrimSpace(email))))
	return news.ThrottleKey{Key: append([]byte{'a'}, h[:]...), Throttle: PasswordThrottle}
}

// SecondFactorKey is the second-factor throttle key of a user.
func SecondFactorKey(userID int64) news.ThrottleKey {
	h := sha256.Sum256([]byte("second factor\x00" + strconv.FormatInt(userID, 10)))
	return news.ThrottleKey{Key: append([]byte{'s'}, h[:]...), Throttle: SecondFactorThrottle}
}

// AddressKey is the throttle key of a client address's keyed hash (never
// the address).
func AddressKey(fingerprint []byte) news.ThrottleKey {
	return news.ThrottleKey{Key: append([]byte{'n'}, fingerprint...), Throttle: AddressThrottle}
}

// TOTPWindow is how many codes are accepted at any moment: the current
// time step and one on each side (see CheckTOTP).
const TOTPWindow = 2*totpSkew + 1

// SecondFactorGuesses is the most second-factor guesses an attacker who
// has the password gets against one account in d, guessing each time the
// throttle allows. Waiting longer only lets failures be forgotten one per
// Forget, which never buys more than one guess per Forget at the longest
// wait, so guessing at once is the fastest way through.
func SecondFactorGuesses(d time.Duration) int {
	t := SecondFactorThrottle
	var now, last time.Duration
	failures, guesses := 0, 0
	for {
		failures = t.Remembered(failures, now-last)
		if now > d {
			return guesses
		}
		guesses++
		failures++
		last = now
		now += max(t.Wait(failures), time.Second)
	}
}

// SecondFactorOdds is the chance that guessing for d passes the second
// factor of one account: each guess is one of TOTPWindow live codes out of
// a million.
func SecondFactorOdds(d time.Duration) float64 {
	p := float64(TOTPWindow) / 1e6
	return -math.Expm1(float64(SecondFactorGuesses(d)) * math.Log1p(-p))
}

// dummyHash is made outside the gate: it is computed once, and a busy
// gate must not turn into a panic.
var dummyHash = sync.OnceValue(func() string { return hashPassword(GeneratePassword()) })

// SpendPasswordCheck does the work of a password check that cannot
// succeed, so that a sign-in with an e-mail that has no account takes as
// long as one with a wrong password. Its only error is ErrBusy, as for a
// real check.
func SpendPasswordCheck(password string) error {
	_, err := CheckPassword(dummyHash(), password)
	return err
}
