package signing_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"tamizdat/internal/signing"
)

func newKey(t testing.TB) *signing.PrivateKey {
	t.Helper()
	k, err := signing.Generate()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestKeyPairFilesRoundTrip(t *testing.T) {
	k := newKey(t)
	path := filepath.Join(t.TempDir(), "site.key")
	if err := signing.WriteKeyPair(path, k); err != nil {
		t.Fatal(err)
	}
	for p, mode := range map[string]os.FileMode{path: 0o600, path + ".pub": 0o644} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		// The umask may take bits away, never add them.
		if st.Mode().Perm()&^mode != 0 {
			t.Errorf("%s: mode %04o, want at most %04o", p, st.Mode().Perm(), mode)
		}
	}
	priv, err := signing.LoadPrivateKey(path)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := signing.LoadPublicKey(path + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	if !pub.Equal(k.Public()) || !priv.Public().Equal(k.Public()) {
		t.Fatal("the keys read back are not the keys written")
	}
	fp := pub.Fingerprint()
	if !regexp.MustCompile(`^[0-9a-f]{4}(-[0-9a-f]{4}){7}$`).MatchString(fp) {
		t.Errorf("fingerprint %q", fp)
	}
	if other := newKey(t).Public().Fingerprint(); other == fp {
		t.Error("two keys have one fingerprint")
	}
	// Each file says what it is and names the fingerprint.
	for p, words := range map[string]string{path: "Keep it secret", path + ".pub": "public key"} {
		b, _ := os.ReadFile(p)
		first, _, _ := strings.Cut(string(b), "\n")
		if !strings.Contains(first, words) || !strings.Contains(first, fp) {
			t.Errorf("%s starts %q", p, first)
		}
	}
}

func TestWriteKeyPairNeverOverwrites(t *testing.T) {
	for _, existing := range []string{"", ".pub"} {
		dir := t.TempDir()
		path := filepath.Join(dir, "site.key")
		os.WriteFile(path+existing, []byte("precious"), 0o600)
		err := signing.WriteKeyPair(path, newKey(t))
		var pe *fs.PathError
		if !errors.Is(err, fs.ErrExist) || !errors.As(err, &pe) || pe.Path != path+existing {
			t.Errorf("with %s there: err = %v", path+existing, err)
		}
		if b, _ := os.ReadFile(path + existing); string(b) != "precious" {
			t.Errorf("%s was overwritten", path+existing)
		}
		entries, _ := os.ReadDir(dir)
		if len(entries) != 1 {
			t.Errorf("with %s there, the folder holds %d files", path+existing, len(entries))
		}
	}
}

func TestSignAndVerify(t *testing.T) {
	k := newKey(t)
	msg := []byte(`{"format":"tamizdat-archive"}`)
	sig, err := signing.ParseSignature(k.Sign("backup-manifest", msg).Marshal())
	if err != nil {
		t.Fatal(err)
	}
	if err := k.Public().Verify("backup-manifest", msg, sig); err != nil {
		t.Fatalf("a good signature is refused: %v", err)
	}
	altered := bytes.Replace(msg, []byte("tamizdat"), []byte("tamizdaT"), 1)
	for name, c := range map[string]struct {
		pub     *signing.PublicKey
		purpose string
		msg     []byte
		words   string
	}{
		"altered message": {k.Public(), "backup-manifest", altered, "does not match: altered after it was signed"},
		"another key":     {newKey(t).Public(), "backup-manifest", msg, "signed by another key (fingerprint " + k.Public().Fingerprint() + "), not by the key given"},
		"another purpose": {k.Public(), "static-export", msg, "a signature for a backup-manifest, not for a static-export"},
	} {
		if err := c.pub.Verify(c.purpose, c.msg, sig); err == nil || !strings.Contains(err.Error(), c.words) {
			t.Errorf("%s: err = %v, want %q", name, err, c.words)
		}
	}
	// A signature that claims the right key but was made by another is
	// refused by the check of the signature itself.
	forged := newKey(t).Sign("backup-manifest", msg)
	forged.Key = k.Public().Fingerprint()
	if err := k.Public().Verify("backup-manifest", msg, forged); err == nil || !strings.Contains(err.Error(), "does not match") {
		t.Errorf("forged: err = %v", err)
	}
}

func TestKeyFilesThatAreRefused(t *testing.T) {
	dir := t.TempDir()
	k := newKey(t)
	write := func(name string, b []byte, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, mode); err != nil {
			t.Fatal(err)
		}
		os.Chmod(p, mode)
		return p
	}
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ecDER, _ := x509.MarshalPKCS8PrivateKey(ec)
	ecPubDER, _ := x509.MarshalPKIXPublicKey(&ec.PublicKey)
	priv := write("priv", k.MarshalPEM(), 0o600)
	pub := write("pub", k.Public().MarshalPEM(), 0o644)
	open := write("open", k.MarshalPEM(), 0o644)
	ecPriv := write("ec", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: ecDER}), 0o600)
	ecPub := write("ec.pub", pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: ecPubDER}), 0o644)
	garbage := write("garbage", []byte("not a key at all\n"), 0o600)
	two := write("two", append(k.MarshalPEM(), k.MarshalPEM()...), 0o600)
	big := write("big", bytes.Repeat([]byte("x"), 1<<20), 0o600)
	private := []struct{ path, words string }{
		{filepath.Join(dir, "missing"), "cannot read the key file"},
		{dir, "is a folder"},
		{pub, "it is a public key"},
		{open, "chmod 600"},
		{ecPriv, "ECDSA key"},
		{garbage, "not a key file"},
		{two, "more than one key"},
		{big, "too large"},
	}
	for _, c := range private {
		if _, err := signing.LoadPrivateKey(c.path); err == nil || !strings.Contains(err.Error(), c.words) || strings.Contains(err.Error(), "\n") {
			t.Errorf("LoadPrivateKey(%s) = %v, want one line with %q", c.path, err, c.words)
		}
	}
	public := []struct{ path, words string }{
		{priv, "it is a private key"},
		{ecPub, "ECDSA key"},
		{garbage, "not a key file"},
	}
	for _, c := range public {
		if _, err := signing.LoadPublicKey(c.path); err == nil || !strings.Contains(err.Error(), c.words) {
			t.Errorf("LoadPublicKey(%s) = %v, want %q", c.path, err, c.words)
		}
	}
}

// TestOpenSSLReadsTheKeysAndChecksTheSignatures holds the package to its
// word that the files and signatures are standard.
func TestOpenSSLReadsTheKeysAndChecksTheSignatures(t *testing.T) {
	openssl, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("no openssl on this machine")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "site.key")
	k := newKey(t)
	if err := signing.WriteKeyPair(path, k); err != nil {
		t.Fatal(err)
	}
	msg := []byte("manifest bytes\n")
	sig := k.Sign("backup-manifest", msg)
	os.WriteFile(filepath.Join(dir, "signed"), append([]byte("tamizdat backup-manifest\n"), msg...), 0o600)
	os.WriteFile(filepath.Join(dir, "sig.bin"), sig.Sig, 0o600)
	out, err := exec.Command(openssl, "pkeyutl", "-verify", "-pubin", "-inkey", path+".pub", "-rawin",
		"-in", filepath.Join(dir, "signed"), "-sigfile", filepath.Join(dir, "sig.bin")).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "Verified Successfully") {
		t.Errorf("openssl does not verify the signature: %v %s", err, out)
	}
	// A key OpenSSL made is a tamizdat key.
	made := filepath.Join(dir, "openssl.key")
	if out, err := exec.Command(openssl, "genpkey", "-algorithm", "ed25519", "-out", made).CombinedOutput(); err != nil {
		t.Fatalf("openssl genpkey: %v %s", err, out)
	}
	os.Chmod(made, 0o600)
	if _, err := signing.LoadPrivateKey(made); err != nil {
		t.Errorf("a key made by openssl: %v", err)
	}
	if out, err := exec.Command(openssl, "pkey", "-in", path, "-noout").CombinedOutput(); err != nil {
		t.Errorf("openssl does not read the private key file: %v %s", err, out)
	}
}

func TestSignatureBlocksThatAreRefused(t *testing.T) {
	k := newKey(t)
	good := string(k.Sign("backup-manifest", []byte("x")).Marshal())
	for name, b := range map[string]string{
		"empty":             "",
		"not PEM":           "signature: 1234",
		"another block":     strings.ReplaceAll(good, "TAMIZDAT SIGNATURE", "PUBLIC KEY"),
		"text before":       "hello\n" + good,
		"a second block":    good + good,
		"no key header":     regexp.MustCompile(`Key: .*\n`).ReplaceAllString(good, ""),
		"an extra header":   strings.Replace(good, "Purpose:", "Colour: red\nPurpose:", 1),
		"a bad fingerprint": regexp.MustCompile(`Key: ....`).ReplaceAllString(good, "Key: XXXX"),
		"a short signature": regexp.MustCompile(`\n\n[^-]+`).ReplaceAllString(good, "\n\nAAAA\n"),
	} {
		if _, err := signing.ParseSignature([]byte(b)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func FuzzParseSignature(f *testing.F) {
	k := newKey(f)
	good := k.Sign("backup-manifest", []byte("x")).Marshal()
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add(bytes.ReplaceAll(good, []byte("Purpose"), []byte("Porpoise")))
	f.Add([]byte("-----BEGIN TAMIZDAT SIGNATURE-----\n-----END TAMIZDAT SIGNATURE-----\n"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		sig, err := signing.ParseSignature(b)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error of several lines: %q", err)
			}
			return
		}
		again, err := signing.ParseSignature(sig.Marshal())
		if err != nil || again.Key != sig.Key || again.Purpose != sig.Purpose || !bytes.Equal(again.Sig, sig.Sig) {
			t.Fatalf("a parsed signature does not survive a round trip: %+v %v", again, err)
		}
		// Whatever it says, it is not a signature by this key of this
		// message unless it was made by it.
		if k.Public().Verify(sig.Purpose, []byte("x"), sig) == nil && !bytes.Equal(sig.Sig, k.Sign(sig.Purpose, []byte("x")).Sig) {
			t.Fatal("a signature this key did not make verifies")
		}
	})
}

func FuzzParseKeys(f *testing.F) {
	k := newKey(f)
	f.Add(k.MarshalPEM())
	f.Add(k.Public().MarshalPEM())
	f.Add(k.MarshalPEM()[:100])
	f.Add([]byte("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"))
	f.Add([]byte("not a key"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if priv, err := signing.ParsePrivateKey(b); err == nil {
			again, err := signing.ParsePrivateKey(priv.MarshalPEM())
			if err != nil || !again.Public().Equal(priv.Public()) {
				t.Fatalf("a private key does not survive a round trip: %v", err)
			}
			msg := []byte("message")
			if err := priv.Public().Verify("test", msg, priv.Sign("test", msg)); err != nil {
				t.Fatalf("a parsed private key signs what its public key refuses: %v", err)
			}
		} else if strings.Contains(err.Error(), "\n") {
			t.Fatalf("error of several lines: %q", err)
		}
		if pub, err := signing.ParsePublicKey(b); err == nil {
			again, err := signing.ParsePublicKey(pub.MarshalPEM())
			if err != nil || !again.Equal(pub) || again.Fingerprint() != pub.Fingerprint() {
				t.Fatalf("a public key does not survive a round trip: %v", err)
			}
		} else if strings.Contains(err.Error(), "\n") {
			t.Fatalf("error of several lines: %q", err)
		}
	})
}
