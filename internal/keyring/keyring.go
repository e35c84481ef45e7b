// Package keyring keeps the keys that turn a client address into a
// fingerprint: a keyed hash (HMAC-SHA-256) under a key of the day. Without
// the key a hash cannot be turned back into the address; with it, an IPv4
// address can be found by trying all 2³² of them. So each day's key is
// random, stored in the database only sealed (AES-256-GCM) under a key
// derived from the node secret — which lives in an environment variable or
// a file, never in the database, a backup or a copy — and destroyed after
// the retention period, after which no stored hash can be linked to an
// address by anyone. The node secret also seals the desk users'
// authenticator secrets, so that the database and its backups do not give
// a second factor away.
package keyring

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Store keeps the sealed day keys.
type Store interface {
	DayKey(ctx context.Context, day int64) ([]byte, error)
	PutDayKey(ctx context.Context, day int64, sealed []byte) ([]byte, error)
	DeleteDayKeys(ctx context.Context, before int64) (int, error)
}

// MinSecret is the least length of a node secret, in bytes.
const MinSecret = 32

// DefaultRetention is how many days a key lives (today and the six before).
const DefaultRetention = 7

// Keyring hands out the day keys of this site.
type Keyring struct {
	derive    func(label string) []byte
	store     Store
	aead      cipher.AEAD
	totp      cipher.AEAD // seals authenticator secrets
	now       func() time.Time
	retention atomic.Int64

	mu    sync.Mutex
	cache map[int64][]byte // opened keys; they never change once stored
}

// New derives the sealing key from secret. retention ≤ 0 means
// DefaultRetention.
func New(st Store, secret []byte, now func() time.Time, retention int) (*Keyring, error) {
	if len(secret) < MinSecret {
		return nil, fmt.Errorf("the node secret must be at least %d bytes", MinSecret)
	}
	aead, err := sealer(secret, "tamizdat day-key sealing v1")
	if err != nil {
		return nil, err
	}
	totp, err := sealer(secret, "tamizdat totp sealing v1")
	if err != nil {
		return nil, err
	}
	if retention <= 0 {
		retention = DefaultRetention
	}
	if now == nil {
		now = time.Now
	}
	derive := func(label string) []byte {
		b, _ := hkdf.Key(sha256.New, secret, nil, "tamizdat "+label, 32)
		return b
	}
	k := &Keyring{derive: derive, store: st, aead: aead, totp: totp, now: now, cache: map[int64][]byte{}}
	k.retention.Store(int64(retention))
	return k, nil
}

func sealer(secret []byte, label string) (cipher.AEAD, error) {
	key, err := hkdf.Key(sha256.New, secret, nil, label, 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// Day is the day number of t: days since the epoch, in UTC.
func Day(t time.Time) int64 { return t.Unix() / 86400 }

// Day is the day number of t (for callers that hold a Keyring).
func (k *Keyring) Day(t time.Time) int64 { return Day(t) }

// KeyEnd is when the key of day is destroyed: nothing resting on a hash
// under it (a ban) may outlast it.
func (k *Keyring) KeyEnd(day int64) time.Time {
	return time.Unix((day+k.retention.Load())*86400, 0).UTC()
}

// Derive gives a key for another use of the node secret (signing the
// comment form's time token), the same on every node.
func (k *Keyring) Derive(label string) []byte { return k.derive(label) }

// ErrWrongSecret means a stored key was sealed under another node secret.
var ErrWrongSecret = errors.New("a stored address key cannot be opened with this node secret: every node of a site needs the same secret (TAMIZDAT_SECRET or --secret-file)")

// Today returns today's key, creating it when no node has yet.
func (k *Keyring) Today(ctx context.Context) ([]byte, error) { return k.key(ctx, Day(k.now()), true) }

func (k *Keyring) key(ctx context.Context, day int64, create bool) ([]byte, error) {
	k.mu.Lock()
	key, ok := k.cache[day]
	k.mu.Unlock()
	if ok {
		return key, nil
	}
	sealed, err := k.store.DayKey(ctx, day)
	if err != nil {
		return nil, err
	}
	if sealed == nil {
		if !create {
			return nil, nil
		}
		fresh := make([]byte, 32)
		rand.Read(fresh)
		if sealed, err = k.store.PutDayKey(ctx, day, k.seal(day, fresh)); err != nil {
			return nil, err
		}
	}
	if key, err = k.open(day, sealed); err != nil {
		return nil, err
	}
	k.mu.Lock()
	k.cache[day] = key
	k.mu.Unlock()
	return key, nil
}

// The day is the additional data, so a sealed key cannot be moved to
// another day.
func dayBytes(day int64) []byte { return binary.BigEndian.AppendUint64(nil, uint64(day)) }

func (k *Keyring) seal(day int64, key []byte) []byte {
	nonce := make([]byte, k.aead.NonceSize())
	rand.Read(nonce)
	return k.aead.Seal(nonce, nonce, key, dayBytes(day))
}

func (k *Keyring) open(day int64, sealed []byte) ([]byte, error) {
	n := k.aead.NonceSize()
	if len(sealed) < n {
		return nil, ErrWrongSecret
	}
	key, err := k.aead.Open(nil, sealed[:n], sealed[n:], dayBytes(day))
	if err != nil {
		return nil, ErrWrongSecret
	}
	return key, nil
}

// Fingerprint is the keyed hash of addr under today's key, for purpose
// (each use hashes differently, so a comment fingerprint and a sign-in
// throttle key of one address do not match). IPv6 addresses count per /64,
// the block one subscriber usually holds.
func (k *Keyring) Fingerprint(ctx context.Context, purpose string, addr netip.Addr) ([]byte, error) {
	key, err := k.Today(ctx)
	if err != nil {
		return nil, err
	}
	return hash(key, purpose, addr), nil
}

// Fingerprints are the hashes of addr under every key still kept, today's
// first: what it posted on earlier days of the retention period (a ban, a
// rejected comment) is found, and nothing older.
func (k *Keyring) Fingerprints(ctx context.Context, purpose string, addr netip.Addr) ([][]byte, error) {
	today := Day(k.now())
	var out [][]byte
	for d := today; d > today-k.retention.Load(); d-- {
		key, err := k.key(ctx, d, d == today)
		if err != nil {
			return nil, err
		}
		if key != nil {
			out = append(out, hash(key, purpose, addr))
		}
	}
	return out, nil
}

func hash(key []byte, purpose string, addr netip.Addr) []byte {
	addr = addr.Unmap()
	if addr.Is6() {
		p, _ := addr.Prefix(64)
		addr = p.Addr()
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte(purpose))
	m.Write([]byte{0})
	b, _ := addr.MarshalBinary()
	m.Write(b)
	return m.Sum(nil)
}

// Prune destroys the keys older than the retention period, here and in
// the database.
func (k *Keyring) Prune(ctx context.Context) (int, error) {
	oldest := k.OldestDay()
	k.mu.Lock()
	for d := range k.cache {
		if d < oldest {
			delete(k.cache, d)
		}
	}
	k.mu.Unlock()
	return k.store.DeleteDayKeys(ctx, oldest)
}

// Retention is the number of days a key is kept.
func (k *Keyring) Retention() int { return int(k.retention.Load()) }

// SetRetention changes how many days keys are kept (the address_key_days
// setting); shortening it destroys the older keys at the next Prune.
func (k *Keyring) SetRetention(days int) {
	if days > 0 {
		k.retention.Store(int64(days))
	}
}

// OldestDay is the first day whose key is still kept.
func (k *Keyring) OldestDay() int64 { return Day(k.now()) - k.retention.Load() + 1 }

// sealedTOTP marks an authenticator secret sealed under the node secret;
// a stored secret without it is from before secrets were sealed.
const sealedTOTP = "sealed1:"

// ErrTOTPSealedElsewhere means a user's authenticator secret was sealed
// under another node secret (a backup restored onto another server): it
// cannot be checked here, and only enrolling again (user reset-2fa) helps.
var ErrTOTPSealedElsewhere = errors.New("the authenticator secret was sealed under another node secret")

// SealTOTP seals a user's authenticator secret for the database: a stolen
// database or backup does not give the second factor away. The user's id
// is bound in, so a sealed secret copied onto another user's row opens to
// nothing.
func (k *Keyring) SealTOTP(userID int64, secret string) string {
	nonce := make([]byte, k.totp.NonceSize())
	rand.Read(nonce)
	return sealedTOTP + base64.RawURLEncoding.EncodeToString(k.totp.Seal(nonce, nonce, []byte(secret), totpData(userID)))
}

// OpenTOTP returns the secret SealTOTP sealed; a secret stored before
// sealing existed is returned as it is (IsSealedTOTP tells them apart, and
// serve seals such secrets at start).
func (k *Keyring) OpenTOTP(userID int64, stored string) (string, error) {
	enc, ok := strings.CutPrefix(stored, sealedTOTP)
	if !ok {
		return stored, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(enc)
	n := k.totp.NonceSize()
	if err != nil || len(b) < n {
		return "", ErrTOTPSealedElsewhere
	}
	secret, err := k.totp.Open(nil, b[:n], b[n:], totpData(userID))
	if err != nil {
		return "", ErrTOTPSealedElsewhere
	}
	return string(secret), nil
}

// IsSealedTOTP reports whether a stored authenticator secret is sealed.
func IsSealedTOTP(stored string) bool { return strings.HasPrefix(stored, sealedTOTP) }

func totpData(userID int64) []byte {
	return binary.BigEndian.AppendUint64([]byte("totp\x00"), uint64(userID))
}
