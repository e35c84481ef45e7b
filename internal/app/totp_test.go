package app_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tamizdat/internal/keyring"
	"tamizdat/internal/store/sqlite"
)

// An authenticator secret stored before secrets were sealed is sealed by
// the next start, so that neither the database nor a backup of it holds
// a second factor in the clear.
func TestServeSealsAuthenticatorSecrets(t *testing.T) {
	data := t.TempDir()
	if code, _, errs := run(t, "", "migrate", "--data", data); code != 0 {
		t.Fatal(errs)
	}
	if code, _, errs := run(t, "a desk admin's long passphrase here\n", "user", "add", "--email", "boss@example.org", "--role", "admin", "--data", data); code != 0 {
		t.Fatal(errs)
	}
	const plain = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
	db, err := sqlite.Open(context.Background(), filepath.Join(data, "tamizdat.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	u, _ := db.UserByEmail(context.Background(), "boss@example.org")
	if err := db.SetTOTP(context.Background(), u.ID, plain, 0, nil); err != nil {
		t.Fatal(err)
	}
	s := startServer(t, "--data", data)
	if code := s.stop(); code != 0 {
		t.Fatalf("serve exited with %d: %s", code, s.stderr)
	}
	u, _ = db.UserByEmail(context.Background(), "boss@example.org")
	if !keyring.IsSealedTOTP(u.TOTPSecret) || strings.Contains(u.TOTPSecret, plain) {
		t.Fatalf("after a start the secret is stored as %q", u.TOTPSecret)
	}
	keys, err := keyring.New(db, []byte(testEnv("TAMIZDAT_SECRET")), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	if opened, err := keys.OpenTOTP(u.ID, u.TOTPSecret); err != nil || opened != plain {
		t.Errorf("the sealed secret opens to %q, %v", opened, err)
	}
	file := filepath.Join(t.TempDir(), "site.tar.gz")
	if code, _, errs := run(t, "", "backup", file, "--data", data); code != 0 {
		t.Fatal(errs)
	}
	b, _ := os.ReadFile(file)
	for _, e := range unpackArchive(t, b) {
		if bytes.Contains(e.data, []byte(plain)) {
			t.Errorf("%s of the backup holds the authenticator secret in the clear", e.name)
		}
	}
}
