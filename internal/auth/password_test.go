package auth

import (
	"bytes"
	"strings"
	"testing"
)

func TestPasswordRoundTrip(t *testing.T) {
	h, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=3,p=2$") {
		t.Errorf("hash %q is not argon2id with the expected parameters", h)
	}
	if ok, _ := CheckPassword(h, "correct horse battery"); !ok {
		t.Error("the right password does not match")
	}
	if ok, _ := CheckPassword(h, "correct horse batterz"); ok {
		t.Error("a wrong password matches")
	}
	h2, _ := HashPassword("correct horse battery")
	if h == h2 {
		t.Error("two hashes of one password are equal: no salt")
	}
	for _, bad := range []string{"", "$argon2id$v=19$m=1,t=1,p=1$$", "plain", "$argon2i$v=19$m=65536,t=3,p=2$AAAA$AAAA", "$argon2id$v=19$m=99999999,t=3,p=2$AAAA$AAAA"} {
		if ok, _ := CheckPassword(bad, ""); ok {
			t.Errorf("malformed hash %q matches", bad)
		}
	}
}

func TestPasswordTooShort(t *testing.T) {
	if _, err := HashPassword("elevenchars"); err == nil {
		t.Error("an 11-character password was accepted")
	}
	if _, err := HashPassword("двенадцать!!"); err != nil {
		t.Errorf("a 12-character Cyrillic password was refused: %v", err)
	}
}

func TestNewPasswordHashRefusesGuessablePasswords(t *testing.T) {
	for _, weak := range []string{"password1234", "qwertyuiop12", "aaaaaaaaaaaa", "editor@example.org2026", "AnnaPetrova1990"} {
		if _, err := NewPasswordHash(weak, "editor@example.org", "Anna Petrova"); err == nil {
			t.Errorf("%q was accepted", weak)
		}
	}
	for _, strong := range []string{"correct horse battery staple", "Tr0ub4dor&3xyz", "двенадцать слонов ушли"} {
		h, err := NewPasswordHash(strong, "editor@example.org")
		if ok, _ := CheckPassword(h, strong); err != nil || !ok {
			t.Errorf("%q was refused: %v", strong, err)
		}
	}
	if p := GeneratePassword(); func() error { _, err := NewPasswordHash(p); return err }() != nil {
		t.Errorf("a generated password %q does not pass the policy", p)
	}
}

func TestTokens(t *testing.T) {
	tok, hash := NewToken()
	tok2, _ := NewToken()
	if !strings.HasPrefix(tok, "tzd_") || len(tok) < 40 || tok == tok2 {
		t.Errorf("tokens %q, %q", tok, tok2)
	}
	if !bytes.Equal(HashToken(tok), hash) || bytes.Equal(HashToken(tok2), hash) {
		t.Error("HashToken does not match NewToken's hash")
	}
	if p := GeneratePassword(); len(p) < MinPasswordLength {
		t.Errorf("generated password %q is too short", p)
	}
}

// A stored hash asking for more work than ours (gigabytes of memory, say,
// from a forged archive) never runs: it does not match.
func TestPasswordHashWithHeavierParametersIsRefused(t *testing.T) {
	h, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	for _, params := range []string{"m=4194304,t=3,p=2", "m=65536,t=100,p=2", "m=65536,t=3,p=255"} {
		heavy := strings.Replace(h, "m=65536,t=3,p=2", params, 1)
		if heavy == h {
			t.Fatalf("the hash %q does not have the expected parameters", h)
		}
		if ok, _ := CheckPassword(heavy, "correct horse battery"); ok {
			t.Errorf("a hash with %s was checked", params)
		}
	}
}
