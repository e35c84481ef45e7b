package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"html"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/boombuler/barcode/qr"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/hotp"
	"github.com/pquerna/otp/totp"

	"tamizdat/internal/news"
)

// TOTP parameters: RFC 6238 with 30-second steps, 6 digits and HMAC-SHA-1,
// the combination every authenticator app supports. The secret is 160 bits,
// the HMAC-SHA-1 key size RFC 4226 recommends.
const (
	totpPeriod     = 30
	totpDigits     = otp.DigitsSix
	totpAlgorithm  = otp.AlgorithmSHA1
	totpSecretSize = 20
	// totpSkew is how many steps before and after now a code may come from,
	// for clocks that drift and people who type slowly.
	totpSkew = 1
)

// TOTPKey is a new second factor: the secret to store and the otpauth URI an
// authenticator app reads from a QR code.
type TOTPKey struct {
	Secret string // base32, no padding
	URI    string // otpauth://totp/Issuer:account?secret=…&issuer=…
}

// NewTOTPKey makes a random TOTP secret for account at issuer.
func NewTOTPKey(issuer, account string) (*TOTPKey, error) {
	return totpKey(issuer, account, nil)
}

// TOTPKeyFor rebuilds the key of an existing base32 secret, so that a form
// that failed can show the same QR code the user may already have scanned.
func TOTPKeyFor(issuer, account, secret string) (*TOTPKey, error) {
	raw, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.ToUpper(secret))
	if err != nil || len(raw) < 10 {
		return nil, news.Errorf(news.EINVALID, "the two-factor key is not valid; start again")
	}
	return totpKey(issuer, account, raw)
}

func totpKey(issuer, account string, secret []byte) (*TOTPKey, error) {
	if issuer == "" || account == "" {
		return nil, news.Errorf(news.EINVALID, "a TOTP key needs an issuer and an account")
	}
	if strings.Contains(issuer, ":") {
		// The label is issuer:account; a colon in the issuer would make it ambiguous.
		return nil, news.Errorf(news.EINVALID, "the TOTP issuer %q contains a colon", issuer)
	}
	key, err := totp.Generate(totp.GenerateOpts{
		Issuer:      issuer,
		AccountName: account,
		Period:      totpPeriod,
		SecretSize:  totpSecretSize,
		Digits:      totpDigits,
		Algorithm:   totpAlgorithm,
		Rand:        rand.Reader,
		Secret:      secret,
	})
	if err != nil {
		return nil, fmt.Errorf("auth: TOTP key: %w", err)
	}
	return &TOTPKey{Secret: key.Secret(), URI: key.URL()}, nil
}

func totpStep(t time.Time) int64 {
	u := t.Unix()
	s := u / totpPeriod
	if u < 0 && u%totpPeriod != 0 {
		s-- // floor, not truncation, before 1970
	}
	return s
}

func hotpOpts() hotp.ValidateOpts {
	return hotp.ValidateOpts{Digits: totpDigits, Algorithm: totpAlgorithm}
}

// CheckTOTP reports the time step a code matches within ±1 step of now, so
// that the caller can refuse a step at or before the last one it accepted
// (replay). Spaces in the code are ignored; anything but 6 digits is false.
// All candidate steps are computed and compared in constant time, so the
// time taken does not tell which step matched.
func CheckTOTP(secret, code string, now time.Time) (step int64, ok bool) {
	code = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, code)
	if len(code) != totpDigits.Length() {
		return 0, false
	}
	for i := 0; i < len(code); i++ {
		if code[i] < '0' || code[i] > '9' {
			return 0, false
		}
	}
	center := totpStep(now)
	found := 0
	for d := int64(-totpSkew); d <= totpSkew; d++ {
		s := center + d
		if s < 0 {
			continue
		}
		want, err := hotp.GenerateCodeCustom(secret, uint64(s), hotpOpts())
		if err != nil {
			return 0, false // a secret that is not base32
		}
		eq := subtle.ConstantTimeCompare([]byte(want), []byte(code))
		// Keep the first match without branching on it; a code matching two
		// steps at once has probability 10^-6 and either step is right.
		take := eq & (found ^ 1)
		step = int64(subtle.ConstantTimeSelect(take, int(s), int(step)))
		found |= eq
	}
	if found == 0 {
		return 0, false
	}
	return step, true
}

// TOTPCode gives the code for secret at t (tests and the browser test use it
// to sign in).
func TOTPCode(secret string, t time.Time) (string, error) {
	return totp.GenerateCodeCustom(secret, t, totp.ValidateOpts{
		Period:    totpPeriod,
		Digits:    totpDigits,
		Algorithm: totpAlgorithm,
	})
}

// qrQuietZone is the white margin around a QR code, in modules, that the
// standard asks for.
const qrQuietZone = 4

// QRCodeSVG renders uri as a QR code in an inline SVG: one <path> of black
// modules on a white square, with a quiet zone of four modules, role="img"
// and the given aria-label. The site's CSP allows images only from itself
// and no data: URLs; an inline SVG needs no request. The encoding is
// boombuler/barcode's (the encoder pquerna/otp uses for its images); this
// only turns its modules into path commands, one rectangle per horizontal
// run of black modules.
func QRCodeSVG(uri, label string) (string, error) {
	code, err := qr.Encode(uri, qr.M, qr.Auto)
	if err != nil {
		return "", fmt.Errorf("auth: QR code: %w", err)
	}
	b := code.Bounds()
	n := b.Dx()
	size := n + 2*qrQuietZone
	dark := func(x, y int) bool {
		r, _, _, _ := code.At(b.Min.X+x, b.Min.Y+y).RGBA()
		return r < 0x8000
	}
	var d strings.Builder
	for y := 0; y < n; y++ {
		for x := 0; x < n; {
			if !dark(x, y) {
				x++
				continue
			}
			run := 1
			for x+run < n && dark(x+run, y) {
				run++
			}
			d.WriteString("M" + strconv.Itoa(x+qrQuietZone) + " " + strconv.Itoa(y+qrQuietZone) +
				"h" + strconv.Itoa(run) + "v1h-" + strconv.Itoa(run) + "z")
			x += run
		}
	}
	var s strings.Builder
	fmt.Fprintf(&s, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="%s" shape-rendering="crispEdges">`,
		size, size, size*4, size*4, html.EscapeString(label))
	fmt.Fprintf(&s, `<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="%s"/></svg>`, size, size, d.String())
	return s.String(), nil
}

// recoveryAlphabet is Crockford's base32 in lower case: digits and letters
// without i, l, o and u, so that no two characters are easily confused.
const recoveryAlphabet = "0123456789abcdefghjkmnpqrstvwxyz"

// Recovery codes are three groups of four characters, 12×5 = 60 random bits.
const (
	recoveryGroups   = 3
	recoveryGroupLen = 4
	maxRecoveryCodes = 100
)

// NewRecoveryCodes returns n one-time recovery codes like "k7qm-2xvd-9hpt",
// 60 random bits each, to show the user once, and their hashes to store.
func NewRecoveryCodes(n int) (codes []string, hashes [][]byte, err error) {
	if n < 1 || n > maxRecoveryCodes {
		return nil, nil, news.Errorf(news.EINVALID, "between 1 and %d recovery codes", maxRecoveryCodes)
	}
	seen := make(map[string]bool, n)
	var buf [8]byte
	for len(codes) < n {
		if _, err := rand.Read(buf[:]); err != nil {
			return nil, nil, fmt.Errorf("auth: recovery codes: %w", err)
		}
		v := binary.BigEndian.Uint64(buf[:])
		var c strings.Builder
		for i := 0; i < recoveryGroups*recoveryGroupLen; i++ {
			if i > 0 && i%recoveryGroupLen == 0 {
				c.WriteByte('-')
			}
			c.WriteByte(recoveryAlphabet[v&31])
			v >>= 5
		}
		code := c.String()
		if seen[code] {
			continue // 2^-60: never, but the codes must be distinct
		}
		seen[code] = true
		codes = append(codes, code)
		hashes = append(hashes, HashRecoveryCode(code))
	}
	return codes, hashes, nil
}

// normaliseRecoveryCode lowercases code and drops dashes and spaces. The
// letters Crockford's base32 leaves out are read as the digits they look
// like (o→0, i and l→1), which can only turn a mistyped code into the right
// one.
func normaliseRecoveryCode(code string) string {
	return strings.Map(func(r rune) rune {
		switch r = unicode.ToLower(r); {
		case r == '-' || unicode.IsSpace(r):
			return -1
		case r == 'o':
			return '0'
		case r == 'i' || r == 'l':
			return '1'
		}
		return r
	}, code)
}

// HashRecoveryCode is the stored form of a recovery code: the SHA-256 of the
// normalised code. A slow password hash is there to make guessing a
// low-entropy secret expensive; a recovery code is 60 uniformly random bits
// (2^59 tries on average to invert one hash, and it is only a second
// factor, useless without the password), so a fast hash suffices and lets a
// sign-in compare the typed code against every stored one cheaply.
func HashRecoveryCode(code string) []byte {
	h := sha256.Sum256([]byte(normaliseRecoveryCode(code)))
	return h[:]
}

// NewSessionToken returns a new session token — 32 random bytes, base64url
// without padding — for the cookie, and its hash to store in its place.
func NewSessionToken() (token string, hash []byte, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", nil, fmt.Errorf("auth: session token: %w", err)
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashSessionToken(token), nil
}

// HashSessionToken is the stored form of a session token: 256 random bits
// need no slow hash, and a fast one keeps every request cheap. A leaked
// table of hashes gives no usable cookies.
func HashSessionToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}
