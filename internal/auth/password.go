// Package auth holds the secrets of the desk: password hashing, API tokens
// and (later) sessions, second factors and throttling. Crypto comes from
// golang.org/x/crypto and crypto/*, never from code of our own.
package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/trustelem/zxcvbn"
	"golang.org/x/crypto/argon2"

	"tamizdat/internal/news"
)

// argon2id parameters: 64 MiB and 3 passes, the RFC 9106 second
// recommendation, a few tens of milliseconds per check on these machines.
const (
	argonTime    = 3
	argonMemory  = 64 * 1024
	argonThreads = 2
	argonKeyLen  = 32
	saltLen      = 16
	// MinPasswordLength is the shortest password a desk user may choose.
	MinPasswordLength = 12
)

// HashPassword checks the password's length and returns its argon2id hash in
// the usual $argon2id$v=19$m=…,t=…,p=…$salt$key form.
func HashPassword(password string) (string, error) {
	if utf8.RuneCountInString(password) < MinPasswordLength {
		return "", news.Errorf(news.EINVALID, "the password must be at least %d characters long", MinPasswordLength)
	}
	if len(password) > 1024 {
		return "", news.Errorf(news.EINVALID, "the password is longer than 1024 bytes")
	}
	var h string
	if err := withSlot(func() { h = hashPassword(password) }); err != nil {
		return "", err
	}
	return h, nil
}

func hashPassword(password string) string {
	salt := make([]byte, saltLen)
	rand.Read(salt)
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		enc.EncodeToString(salt), enc.EncodeToString(key))
}

// MinPasswordScore is the least zxcvbn score (0–4) a new password needs:
// 3 means "safely unguessable", about 10^10 guesses.
const MinPasswordScore = 3

// NewPasswordHash checks that a password a user chooses is long enough and
// hard to guess — by a well-kept estimator that knows common passwords,
// keyboard patterns, dates and the user's own e-mail and name (inputs) —
// and returns its hash.
func NewPasswordHash(password string, inputs ...string) (string, error) {
	if utf8.RuneCountInString(password) < MinPasswordLength {
		return "", news.Errorf(news.EINVALID, "the password must be at least %d characters long", MinPasswordLength)
	}
	if len(password) <= 256 { // the estimator's work grows with length; long passphrases pass anyway
		var words []string
		for _, in := range inputs {
			in = strings.ToLower(in)
			parts := strings.FieldsFunc(in, func(r rune) bool { return r == '@' || r == '.' || r == ' ' })
			words = append(append(words, in, strings.Join(parts, "")), parts...)
		}
		if zxcvbn.PasswordStrength(password, words).Score < MinPasswordScore {
			return "", news.Errorf(news.EINVALID, "the password is too easy to guess (a common word, pattern, date or your own name); use a longer passphrase of unrelated words")
		}
	}
	return HashPassword(password)
}

// CheckPassword reports whether password matches the encoded hash. A hash it
// cannot read never matches. The only error is ErrBusy: the check was not
// made, so it says nothing about the password.
func CheckPassword(encoded, password string) (bool, error) {
	var ok bool
	err := withSlot(func() { ok = checkPassword(encoded, password) })
	return ok, err
}

func checkPassword(encoded, password string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var version int
	var mem, iters uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	// No more work than our own hashes ask for: the gate bounds how many
	// hashes run at once, and a stored hash (from a restored archive,
	// say) must not make one of them take gigabytes.
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &iters, &threads); err != nil ||
		mem > argonMemory || iters > 2*argonTime || threads == 0 || threads > argonThreads {
		return false
	}
	enc := base64.RawStdEncoding
	salt, err1 := enc.DecodeString(parts[4])
	want, err2 := enc.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, iters, mem, threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// GeneratePassword returns a random password of 24 URL-safe characters
// (144 bits), for accounts created without one.
func GeneratePassword() string {
	b := make([]byte, 18)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// tokenPrefix marks tamizdat tokens so that secret scanners and people can
// recognise one that leaked.
const tokenPrefix = "tzd_"

// NewToken returns a new API token and the hash to store. The token itself
// is shown once and never stored.
func NewToken() (token string, hash []byte) {
	b := make([]byte, 32)
	rand.Read(b)
	token = tokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token)
}

// HashToken is the stored form of a token: 256 bits of random input need no
// slow hash, and a fast one keeps every API call cheap.
func HashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}
