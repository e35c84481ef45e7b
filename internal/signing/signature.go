package signing

import (
	"bytes"
	"crypto/ed25519"
	"encoding/pem"
	"errors"
	"fmt"
	"regexp"
)

// Signature is one signature, kept as a PEM block of its own:
//
//	-----BEGIN TAMIZDAT SIGNATURE-----
//	Key: 9f2c-41d0-b37e-0a55-c1e8-7d21-66ab-03f9
//	Purpose: backup-manifest
//
//	…base64 of the 64 bytes of the Ed25519 signature…
//	-----END TAMIZDAT SIGNATURE-----
//
// Key is the fingerprint of the key that made it, so that a refusal can
// say which key it needs; it is a claim, checked only by Verify.
type Signature struct {
	Purpose string
	Key     string // fingerprint
	Sig     []byte
}

const signatureType = "TAMIZDAT SIGNATURE"

// MaxSignature bounds a signature block; a real one is under 300 bytes.
const MaxSignature = 1 << 10

var purposeForm = regexp.MustCompile(`^[a-z][a-z0-9-]{0,63}$`)

func signed(purpose string, msg []byte) []byte {
	b := make([]byte, 0, len("tamizdat \n")+len(purpose)+len(msg))
	b = append(b, "tamizdat "...)
	b = append(b, purpose...)
	b = append(b, '\n')
	return append(b, msg...)
}

// Sign signs msg for purpose, a short lower-case name of what msg is.
func (k *PrivateKey) Sign(purpose string, msg []byte) *Signature {
	if !purposeForm.MatchString(purpose) {
		panic("signing: purpose " + purpose + " is not a short lower-case name")
	}
	return &Signature{Purpose: purpose, Key: k.pub.Fingerprint(), Sig: ed25519.Sign(k.key, signed(purpose, msg))}
}

// Verify checks that sig is k's signature of msg for purpose. Its error
// says which of them does not fit, in words for the person who gave the
// key, to follow "refused: ".
func (k *PublicKey) Verify(purpose string, msg []byte, sig *Signature) error {
	switch {
	case sig.Purpose != purpose:
		return fmt.Errorf("a signature for a %s, not for a %s", sig.Purpose, purpose)
	case sig.Key != k.Fingerprint():
		return fmt.Errorf("signed by another key (fingerprint %s), not by the key given (fingerprint %s)", sig.Key, k.Fingerprint())
	case !ed25519.Verify(k.key, signed(purpose, msg), sig.Sig):
		return errors.New("the signature does not match: altered after it was signed")
	}
	return nil
}

// Marshal is the PEM block of the signature.
func (s *Signature) Marshal() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: signatureType, Headers: map[string]string{"Key": s.Key, "Purpose": s.Purpose}, Bytes: s.Sig})
}

// ParseSignature reads a signature block: exactly what Marshal writes,
// white space around it aside. Anything else is an error, so that a
// damaged block is not mistaken for a signature that does not match.
func ParseSignature(b []byte) (*Signature, error) {
	if len(b) > MaxSignature {
		return nil, errors.New("its signature block is too large")
	}
	trimmed := bytes.TrimSpace(b)
	block, rest := pem.Decode(trimmed)
	if block == nil || !bytes.HasPrefix(trimmed, []byte("-----BEGIN "+signatureType+"-----")) || len(rest) > 0 {
		return nil, errors.New("its signature block is damaged")
	}
	s := &Signature{Purpose: block.Headers["Purpose"], Key: block.Headers["Key"], Sig: block.Bytes}
	switch {
	case block.Type != signatureType:
		return nil, errors.New("its signature block is damaged")
	case len(block.Headers) != 2 || !purposeForm.MatchString(s.Purpose) || !fingerprintForm.MatchString(s.Key):
		return nil, errors.New("its signature block does not say which key made it, or for what")
	case len(s.Sig) != ed25519.SignatureSize:
		return nil, fmt.Errorf("its signature has %d bytes, an Ed25519 signature %d", len(s.Sig), ed25519.SignatureSize)
	}
	return s, nil
}
