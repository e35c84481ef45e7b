package auth

import (
	"crypto/sha256"
	"strings"
	"sync"
	"time"
)

// Sign-in throttling. Failures are counted per account and per client
// address; each key is refused for a delay that doubles with every failure
// past a free allowance. The account's delay is capped at a minute: an
// attacker who knows an editor's e-mail can slow that editor's sign-in but
// never lock it for good, and still gets only about one guess a minute at
// the password, against which a zxcvbn-3 password and the second factor
// hold. The address's delay grows to an hour, which stops one machine
// spraying guesses over many accounts.
const (
	accountFree  = 5
	accountCap   = time.Minute
	addressFree  = 10
	addressCap   = time.Hour
	firstDelay   = time.Second
	addressFirst = 2 * time.Second
)

// AccountDelay is how long an account is refused after failures in a row.
func AccountDelay(failures int) time.Duration {
	return growing(failures, accountFree, firstDelay, accountCap)
}

// AddressDelay is how long an address is refused after failures in a row.
func AddressDelay(failures int) time.Duration {
	return growing(failures, addressFree, addressFirst, addressCap)
}

func growing(failures, free int, first, limit time.Duration) time.Duration {
	if failures < free {
		return 0
	}
	n := failures - free
	if n > 30 {
		return limit
	}
	return min(first<<n, limit)
}

// AccountKey is the throttle key of an e-mail, whether or not it has an
// account, so that the throttle's answers do not tell which ones do.
func AccountKey(email string) []byte {
	h := sha256.Sum256([]byte("account\x00" + strings.ToLower(strings.TrimSpace(email))))
	return append([]byte{'a'}, h[:]...)
}

var dummyHash = sync.OnceValue(func() string {
	h, err := HashPassword(GeneratePassword())
	if err != nil {
		panic(err)
	}
	return h
})

// SpendPasswordCheck does the work of a password check that cannot
// succeed, so that a sign-in with an e-mail that has no account takes as
// long as one with a wrong password.
func SpendPasswordCheck(password string) { CheckPassword(dummyHash(), password) }
