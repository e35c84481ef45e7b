// Package signing is the operator's Ed25519 key pair: made by tamizdat
// keygen, it signs what the site hands out of its own hands (backups, and
// static copies of the site), so that whoever holds the public key can tell
// the real thing from a forgery.
//
// The key files are PEM, in the forms OpenSSL and most tools read: the
// private key a "PRIVATE KEY" block (PKCS #8), the public key a "PUBLIC KEY"
// block (SubjectPublicKeyInfo), each after a line of text that says what the
// file is and gives the key's fingerprint. `openssl pkey -in KEYFILE.pub
// -pubin -text` prints one; a key made with `openssl genpkey -algorithm
// ed25519` is accepted too.
//
// A signature is a PEM block of its own (see Signature) over
//
//	"tamizdat " + purpose + "\n" + the signed bytes
//
// where purpose names what is signed ("backup-manifest", …): a signature
// made for one kind of file is never valid for another, although one key
// signs them all. Anyone can check one without tamizdat:
//
//	(printf 'tamizdat backup-manifest\n'; cat manifest.json) > signed
//	openssl pkeyutl -verify -pubin -inkey KEYFILE.pub -rawin -in signed -sigfile sig.bin
//
// with sig.bin the base64 body of the block, decoded.
package signing

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"regexp"
	"strings"
)

// PEM types of the key files.
const (
	privateType = "PRIVATE KEY"
	publicType  = "PUBLIC KEY"
)

// maxKeyFile bounds what is read of a file named as a key: a key file is a
// few hundred bytes, and an archive named by mistake must not be read whole.
const maxKeyFile = 16 << 10

// PrivateKey signs. Keep its file secret.
type PrivateKey struct {
	key ed25519.PrivateKey
	pub *PublicKey
}

// PublicKey checks signatures.
type PublicKey struct {
	key ed25519.PublicKey
}

// Generate makes a new key pair.
func Generate() (*PrivateKey, error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	return &PrivateKey{key: priv, pub: &PublicKey{key: pub}}, nil
}

// Public is the key that checks this key's signatures.
func (k *PrivateKey) Public() *PublicKey { return k.pub }

// Fingerprint is a short name of the key that people compare by eye: the
// first 128 bits of the SHA-256 of the raw public key, in eight groups of
// four hex digits. 128 bits keep a made-up key with the same fingerprint
// out of reach.
func (k *PublicKey) Fingerprint() string {
	sum := sha256.Sum256(k.key)
	h := hex.EncodeToString(sum[:16])
	groups := make([]string, 0, 8)
	for i := 0; i < len(h); i += 4 {
		groups = append(groups, h[i:i+4])
	}
	return strings.Join(groups, "-")
}

var fingerprintForm = regexp.MustCompile(`^[0-9a-f]{4}(-[0-9a-f]{4}){7}$`)

// Equal tells whether two public keys are the same key.
func (k *PublicKey) Equal(o *PublicKey) bool { return o != nil && k.key.Equal(o.key) }

// MarshalPEM is the content of the private key file.
func (k *PrivateKey) MarshalPEM() []byte {
	der, err := x509.MarshalPKCS8PrivateKey(k.key)
	if err != nil {
		panic(err) // an ed25519.PrivateKey always marshals
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "tamizdat signing key (Ed25519), fingerprint %s. Keep it secret: whoever holds it signs as you.\n", k.pub.Fingerprint())
	pem.Encode(&b, &pem.Block{Type: privateType, Bytes: der})
	return b.Bytes()
}

// MarshalPEM is the content of the public key file.
func (k *PublicKey) MarshalPEM() []byte {
	der, err := x509.MarshalPKIXPublicKey(k.key)
	if err != nil {
		panic(err)
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "tamizdat public key (Ed25519), fingerprint %s. It checks signatures; it cannot make them.\n", k.Fingerprint())
	pem.Encode(&b, &pem.Block{Type: publicType, Bytes: der})
	return b.Bytes()
}

// decodeKeyFile finds the one PEM block of a key file: text may stand
// before it (the line MarshalPEM writes), nothing but white space after.
func decodeKeyFile(b []byte) (*pem.Block, error) {
	block, rest := pem.Decode(b)
	if block == nil {
		return nil, errors.New("it is not a key file (no PEM block); make a key pair with tamizdat keygen")
	}
	if len(bytes.TrimSpace(rest)) > 0 {
		return nil, errors.New("it holds more than one key or other data after its key")
	}
	if len(block.Headers) > 0 {
		return nil, errors.New("its key is encrypted or has headers; tamizdat reads plain PKCS #8 and SubjectPublicKeyInfo keys")
	}
	return block, nil
}

// ParsePrivateKey reads a private key file's content.
func ParsePrivateKey(b []byte) (*PrivateKey, error) {
	block, err := decodeKeyFile(b)
	if err != nil {
		return nil, err
	}
	switch block.Type {
	case privateType:
	case publicType:
		return nil, errors.New("it is a public key; signing needs the private key (the file without .pub)")
	default:
		return nil, fmt.Errorf("it holds a %q block, not a private key", block.Type)
	}
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, errors.New("its private key is damaged")
	}
	priv, ok := key.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("it holds a %s key; tamizdat signs with Ed25519 keys (tamizdat keygen makes one)", keyKind(key))
	}
	return &PrivateKey{key: priv, pub: &PublicKey{key: priv.Public().(ed25519.PublicKey)}}, nil
}

// ParsePublicKey reads a public key file's content.
func ParsePublicKey(b []byte) (*PublicKey, error) {
	block, err := decodeKeyFile(b)
	if err != nil {
		return nil, err
	}
	switch block.Type {
	case publicType:
	case privateType:
		// Deriving the public key would work, but would teach people to
		// copy the private key to every machine that only checks.
		return nil, errors.New("it is a private key; give the public key (the .pub file) instead, and keep the private one where backups are made")
	default:
		return nil, fmt.Errorf("it holds a %q block, not a public key", block.Type)
	}
	key, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return nil, errors.New("its public key is damaged")
	}
	pub, ok := key.(ed25519.PublicKey)
	if !ok {
		return nil, fmt.Errorf("it holds a %s key; tamizdat signs with Ed25519 keys", keyKind(key))
	}
	return &PublicKey{key: pub}, nil
}

func keyKind(key any) string {
	name := fmt.Sprintf("%T", key) // *rsa.PrivateKey, *ecdsa.PublicKey, …
	name = strings.TrimPrefix(name, "*")
	name, _, _ = strings.Cut(name, ".")
	return strings.ToUpper(name)
}

// LoadPrivateKey reads the private key file at path. A file that others
// may read is refused, as ssh refuses one: the key may already be out.
func LoadPrivateKey(path string) (*PrivateKey, error) {
	b, st, err := readKeyFile(path)
	if err != nil {
		return nil, err
	}
	k, err := ParsePrivateKey(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if perm := st.Mode().Perm(); perm&0o077 != 0 {
		return nil, fmt.Errorf("the private key %s can be read by others (mode %04o); make it yours alone with chmod 600 %s, and make a new key pair if others may have read it", path, perm, path)
	}
	return k, nil
}

// LoadPublicKey reads the public key file at path.
func LoadPublicKey(path string) (*PublicKey, error) {
	b, _, err := readKeyFile(path)
	if err != nil {
		return nil, err
	}
	k, err := ParsePublicKey(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return k, nil
}

// pathCause is what went wrong with a file ("no such file or directory"),
// without the path the message names already.
func pathCause(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func readKeyFile(path string) ([]byte, fs.FileInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("cannot read the key file %s: %v", path, pathCause(err))
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	if st.IsDir() {
		return nil, nil, fmt.Errorf("%s is a folder, not a key file", path)
	}
	b, err := io.ReadAll(io.LimitReader(f, maxKeyFile+1))
	if err != nil {
		return nil, nil, fmt.Errorf("cannot read the key file %s: %v", path, pathCause(err))
	}
	if len(b) > maxKeyFile {
		return nil, nil, fmt.Errorf("%s is too large to be a key file; name the file tamizdat keygen wrote", path)
	}
	return b, st, nil
}

// WriteKeyPair writes k to path (mode 0600) and its public key to
// path+".pub" (mode 0644). Both are created new (O_EXCL) and a key is never
// overwritten, since what it signed could then no longer be checked: if
// either file exists, nothing is written and the error is an *fs.PathError
// naming it, for which errors.Is(err, fs.ErrExist) holds. The folder must
// exist.
func WriteKeyPair(path string, k *PrivateKey) error {
	pubPath := path + ".pub"
	for _, p := range []string{path, pubPath} {
		if _, err := os.Lstat(p); err == nil {
			return &fs.PathError{Op: "create", Path: p, Err: fs.ErrExist}
		}
	}
	if err := writeNew(path, k.MarshalPEM(), 0o600); err != nil {
		return err
	}
	if err := writeNew(pubPath, k.pub.MarshalPEM(), 0o644); err != nil {
		os.Remove(path)
		return err
	}
	return nil
}

func writeNew(path string, b []byte, mode os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
	}
	return err
}
